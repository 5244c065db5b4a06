/* tincan-hexdump.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tincan_hexdump_blank_decorations (const char *input,
                                        gsize       length);

G_END_DECLS
