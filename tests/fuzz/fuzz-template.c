/* fuzz-template.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-template.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static gint64
fixed_clock (gpointer user_data)
{
  return G_GINT64_CONSTANT (1764697340123456);
}

static void
fixed_random (guint8   *buffer,
              gsize     length,
              gpointer  user_data)
{
  memset (buffer, 0xA5, length);
}

/* Any error points inside the input; a template error points at its "{{". */
static void
check_error (const GError                     *error,
             const TincanPayloadErrorPosition *position,
             const guint8                     *data,
             gsize                             size)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == TINCAN_TEMPLATE_ERROR || error->domain == TINCAN_PAYLOAD_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (position->offset, <, size);
  g_assert_cmpuint (position->line, >=, 1);
  g_assert_cmpuint (position->column, >=, 1);
  g_assert_cmpuint (position->column, <=, position->offset + 1);
  if (error->domain == TINCAN_TEMPLATE_ERROR)
    {
      g_assert_cmpuint (position->offset + 1, <, size);
      g_assert_cmpmem (data + position->offset, 2, "{{", 2);
    }
}

/* A parsed template expands, with a clock inside the years it can write,
 * unless a length does not fit its width; the bytes are bounded, and the same
 * context gives the same bytes. */
static void
check_expand (const TincanTemplate *template,
              const guint8         *data,
              gsize                 size,
              guint64               counter)
{
  TincanTemplateContext context = { counter, fixed_clock, fixed_random, NULL };
  TincanPayloadErrorPosition position = { 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) again = NULL;

  bytes = tincan_template_expand (template, &context, &position, &error);
  if (bytes == NULL)
    {
      g_assert_error (error, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_LENGTH_OVERFLOW);
      check_error (error, &position, data, size);
      g_assert_cmpmem (data + position.offset, MIN (6, size - position.offset), "{{len:", 6);
      return;
    }

  g_assert_cmpuint (g_bytes_get_size (bytes), <=, size + TINCAN_TEMPLATE_MAX_FIELD_BYTES);
  again = tincan_template_expand (template, &context, NULL, NULL);
  g_assert_nonnull (again);
  g_assert_true (g_bytes_equal (bytes, again));
}

static void
check_format (const guint8        *data,
              size_t               size,
              TincanPayloadFormat  format)
{
  g_autoptr(TincanTemplate) template = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  TincanPayloadErrorPosition position = { 0, 0, 0 };

  template = tincan_template_parse ((const char *) data, size, format, TINCAN_LINE_ENDING_NONE,
                                    &position, &error);
  if (template == NULL)
    check_error (error, &position, data, size);
  else
    {
      g_assert_no_error (error);
      check_expand (template, data, size, 0);
      check_expand (template, data, size, G_MAXUINT64);
    }

  /* Without "{{" templates are off: the bytes, or the error, of the payload parser. */
  if (tincan_template_text_has_fields ((const char *) data, size))
    return;
  plain = tincan_payload_parse ((const char *) data, size, format, TINCAN_LINE_ENDING_NONE,
                                NULL, NULL);
  g_assert_true ((plain == NULL) == (template == NULL));
  if (template != NULL)
    {
      g_autoptr(GBytes) expanded = tincan_template_expand (template, NULL, NULL, NULL);

      g_assert_false (tincan_template_has_fields (template));
      g_assert_true (g_bytes_equal (expanded, plain));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  check_format (data, size, TINCAN_PAYLOAD_FORMAT_TEXT);
  check_format (data, size, TINCAN_PAYLOAD_FORMAT_HEX);
  return 0;
}
