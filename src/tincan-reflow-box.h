/* tincan-reflow-box.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TINCAN_TYPE_REFLOW_BOX (tincan_reflow_box_get_type ())

G_DECLARE_FINAL_TYPE (TincanReflowBox, tincan_reflow_box, TINCAN, REFLOW_BOX, GtkWidget)

G_END_DECLS
