/* frame-oracle.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Slow, obviously right counts that the decoder fuzz targets (fuzz-decoder,
 * fuzz-session) check the decoder's frame counts against. */

#pragma once

#include <glib.h>

guint64 count_delimiters (const guint8 *data,
                          gsize         size,
                          const guint8 *delimiter,
                          gsize         delimiter_length);
guint64 count_prefixes   (const guint8 *data,
                          gsize         size,
                          guint         width,
                          gboolean      big_endian);
