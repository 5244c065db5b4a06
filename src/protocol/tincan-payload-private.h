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

/* Decodes one UTF-8 sequence strictly (no overlongs, no surrogates, nothing
 * above U+10FFFF) and returns its length, or 0 if the bytes at @p do not start
 * a valid sequence. The parser and render_text() (tincan-payload-render.c) share this one
 * decoder on purpose: render_text() prints a sequence as is exactly when the parser would
 * accept it, and that is what makes the round trip hold for every byte string. */
static inline guint
utf8_decode (const guchar *p,
             gsize         avail,
             gunichar     *out)
{
  guchar c = p[0];
  guchar lo = 0x80;
  guchar hi = 0xBF;

  if (c < 0x80)
    {
      *out = c;
      return 1;
    }

  if (c < 0xC2)         /* a continuation byte, or an overlong 2-byte lead */
    return 0;

  if (c < 0xE0)
    {
      if (avail < 2 || (p[1] & 0xC0) != 0x80)
        return 0;
      *out = ((gunichar) (c & 0x1F) << 6) | (p[1] & 0x3F);
      return 2;
    }

  if (c < 0xF0)
    {
      if (c == 0xE0)
        lo = 0xA0;      /* overlong */
      else if (c == 0xED)
        hi = 0x9F;      /* surrogates */
      if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
        return 0;
      *out = ((gunichar) (c & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      return 3;
    }

  if (c < 0xF5)
    {
      if (c == 0xF0)
        lo = 0x90;      /* overlong */
      else if (c == 0xF4)
        hi = 0x8F;      /* above U+10FFFF */
      if (avail < 4 || p[1] < lo || p[1] > hi ||
          (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
      *out = ((gunichar) (c & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12) |
             ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      return 4;
    }

  return 0;
}

G_END_DECLS
