/* tincan-payload-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-payload.h"

G_BEGIN_DECLS

/* Parses input[at->offset, end) as tincan_payload_parse() does (no line
 * ending), appending the bytes to @out. @at holds the offset, line and column
 * the part starts at; on return it is where the part ended or, on error, where
 * the error is. For tincan-template, whose literal parts are pieces of one text. */
gboolean _tincan_payload_parse_range (const char                  *input,
                                      gsize                        end,
                                      TincanPayloadFormat          format,
                                      TincanPayloadErrorPosition  *at,
                                      GByteArray                  *out,
                                      GError                     **error);

G_END_DECLS
