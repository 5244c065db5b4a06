/* fuzz-payload-text.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-payload.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
assert_same (GBytes       *bytes,
             const guint8 *data,
             gsize         size)
{
  gsize length;
  const guint8 *got = g_bytes_get_data (bytes, &length);

  g_assert_cmpmem (got, length, data, size);
}

/* Text mode must never crash on what a person (or a paste) can produce, and
 * render_text() must round-trip every byte string. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) parsed = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  TincanPayloadErrorPosition position = { 0, 0, 0 };

  parsed = tincan_payload_parse ((const char *) data, size, TINCAN_PAYLOAD_FORMAT_TEXT,
                                 TINCAN_LINE_ENDING_NONE, &position, &error);
  if (parsed != NULL)
    {
      gsize length;
      const guint8 *bytes = g_bytes_get_data (parsed, &length);
      g_autofree char *again = tincan_payload_render_text (bytes, length);
      g_autoptr(GBytes) reparsed = NULL;

      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (again, -1, NULL));
      reparsed = tincan_payload_parse (again, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                       TINCAN_LINE_ENDING_NONE, NULL, NULL);
      g_assert_nonnull (reparsed);
      assert_same (reparsed, bytes, length);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TINCAN_PAYLOAD_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (position.offset, <, size);
      g_assert_cmpuint (position.line, >=, 1);
      g_assert_cmpuint (position.column, >=, 1);
      g_assert_cmpuint (position.column, <=, position.offset + 1);
    }

  /* The round trip on the raw input, whatever it is. */
  shown = tincan_payload_render_text (data, size);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  back = tincan_payload_parse (shown, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                               TINCAN_LINE_ENDING_NONE, NULL, NULL);
  g_assert_nonnull (back);
  assert_same (back, data, size);

  /* The other renderers only need to survive and stay printable. */
  {
    g_autofree char *python = tincan_payload_render_python (data, size);
    g_autofree char *dump = tincan_payload_render_hexdump (data, size);

    g_assert_true (g_str_is_ascii (python));
    g_assert_true (g_str_is_ascii (dump));
  }

  return 0;
}
