/* fuzz-payload-hex.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-payload.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Hex mode must never crash, and what it accepts must survive a trip through
 * render_hex() unchanged. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) parsed = NULL;
  g_autoptr(GError) error = NULL;
  TincanPayloadErrorPosition position = { 0, 0, 0 };

  parsed = tincan_payload_parse ((const char *) data, size, TINCAN_PAYLOAD_FORMAT_HEX,
                                 TINCAN_LINE_ENDING_CRLF, &position, &error);
  if (parsed != NULL)
    {
      gsize length;
      const guint8 *bytes = g_bytes_get_data (parsed, &length);
      g_autofree char *hex = NULL;
      g_autoptr(GBytes) again = NULL;
      gsize again_length;
      const guint8 *again_bytes;

      g_assert_no_error (error);
      g_assert_cmpuint (length, >=, 2);
      g_assert_cmpmem (bytes + length - 2, 2, "\r\n", 2);
      /* at most one byte for every two input bytes, plus the ending */
      g_assert_cmpuint (length - 2, <=, size / 2);

      hex = tincan_payload_render_hex (bytes, length);
      again = tincan_payload_parse (hex, -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                    TINCAN_LINE_ENDING_NONE, NULL, NULL);
      g_assert_nonnull (again);
      again_bytes = g_bytes_get_data (again, &again_length);
      g_assert_cmpmem (again_bytes, again_length, bytes, length);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TINCAN_PAYLOAD_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (position.offset, <, size);
      g_assert_cmpuint (position.line, >=, 1);
      g_assert_cmpuint (position.column, >=, 1);
    }

  return 0;
}
