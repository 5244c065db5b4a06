/* tincan-format.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tincan_format_count    (guint64 n);
char *tincan_format_duration (gint64  usec);

G_END_DECLS
