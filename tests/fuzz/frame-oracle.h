/* frame-oracle.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the decoder fuzz targets (fuzz-decoder, fuzz-session) share: the
 * framing an input starts with, and slow, obviously right counts to check
 * the decoder's frames against. */

#pragma once

#include <glib.h>

#include "tincan-framing.h"

TincanFraming *frame_oracle_read_framing (const guint8 **data,
                                          gsize         *size,
                                          guint8        *config,
                                          guint8        *seed);

guint64 count_delimiters (const guint8 *data,
                          gsize         size,
                          const guint8 *delimiter,
                          gsize         delimiter_length);
guint64 count_prefixes   (const guint8 *data,
                          gsize         size,
                          guint         width,
                          gboolean      big_endian);
