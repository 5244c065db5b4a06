/* tincan-enum-drop-down.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GBinding *tincan_enum_drop_down_bind (GtkDropDown *drop_down,
                                      gpointer     object,
                                      const char  *property);

G_END_DECLS
