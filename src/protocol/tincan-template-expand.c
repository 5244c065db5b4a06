/* tincan-template-expand.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-template-private.h"

/* Writes @value in the @width bytes at @out. */
static void
put_number (guint8   *out,
            guint     width,
            gboolean  little_endian,
            guint32   value)
{
  for (guint i = 0; i < width; i++)
    out[i] = (value >> (8 * (little_endian ? i : width - 1 - i))) & 0xFF;
}

static void
default_random (guint8   *buffer,
                gsize     length,
                gpointer  user_data)
{
  for (gsize i = 0; i < length; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (buffer + i, &r, MIN (4, length - i));
    }
}

/* Rounds towards minus infinity, so that a time before 1970 gives the second
 * it falls in rather than the one after. */
static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
append_printf (GByteArray *out,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
append_printf (GByteArray *out,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_byte_array_append (out, (const guint8 *) text, strlen (text));
}

/* The first and last second GDateTime can hold: 0001-01-01 to 9999-12-31. */
#define FIRST_UNIX_SECOND G_GINT64_CONSTANT (-62135596800)
#define LAST_UNIX_SECOND G_GINT64_CONSTANT (253402300799)

static gboolean
append_time (GByteArray                  *out,
             gint64                       now,
             const TincanTemplatePart    *part,
             TincanPayloadErrorPosition  *position,
             GError                     **error)
{
  gint64 seconds = floor_div (now, G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = NULL;

  if (seconds < FIRST_UNIX_SECOND || seconds > LAST_UNIX_SECOND)
    {
      _tincan_template_set_error (error, position, &part->at, TINCAN_TEMPLATE_ERROR_TIME_RANGE,
                                  _("“{{time}}” at line %u, column %u: the clock reads a time outside the years 1 to 9999"),
                                  part->at.line, part->at.column);
      return FALSE;
    }

  time = g_date_time_new_from_unix_utc (seconds);
  append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                 g_date_time_get_year (time), g_date_time_get_month (time),
                 g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
                 g_date_time_get_minute (time), g_date_time_get_second (time),
                 (int) ((now - seconds * G_USEC_PER_SEC) / 1000));
  return TRUE;
}

/* A random (version 4) UUID in its text form, from the context's randomness. */
static void
append_uuid (GByteArray                  *out,
             const TincanTemplateContext *context)
{
  static const char hex[] = "0123456789abcdef";
  guint8 b[16];

  context->random (b, sizeof b, context->user_data);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  for (guint i = 0; i < sizeof b; i++)
    {
      guint8 digits[2] = { hex[b[i] >> 4], hex[b[i] & 0x0F] };

      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_byte_array_append (out, (const guint8 *) "-", 1);
      g_byte_array_append (out, digits, 2);
    }
}

/* Writes the bytes of every part but lengths and checksums, which get room. */
static gboolean
append_part (GByteArray                   *out,
             const TincanTemplate         *self,
             const TincanTemplatePart     *part,
             const TincanTemplateContext  *context,
             gint64                        now,
             TincanPayloadErrorPosition   *position,
             GError                      **error)
{
  gsize end = out->len;

  switch (part->kind)
    {
    case TINCAN_TEMPLATE_PART_LITERAL:
      g_byte_array_append (out, self->literals->data + part->start, part->length);
      break;
    case TINCAN_TEMPLATE_PART_COUNTER:
      append_printf (out, "%" G_GUINT64_FORMAT, part->value + context->counter);
      break;
    case TINCAN_TEMPLATE_PART_TIME:
      return append_time (out, now, part, position, error);
    case TINCAN_TEMPLATE_PART_UNIX:
      append_printf (out, "%" G_GINT64_FORMAT, floor_div (now, G_USEC_PER_SEC));
      break;
    case TINCAN_TEMPLATE_PART_UNIX_MS:
      append_printf (out, "%" G_GINT64_FORMAT, floor_div (now, 1000));
      break;
    case TINCAN_TEMPLATE_PART_RANDOM:
      g_byte_array_set_size (out, end + part->value);
      context->random (out->data + end, part->value, context->user_data);
      break;
    case TINCAN_TEMPLATE_PART_UUID:
      append_uuid (out, context);
      break;
    case TINCAN_TEMPLATE_PART_LEN:
    case TINCAN_TEMPLATE_PART_CHECKSUM:
      g_byte_array_set_size (out, end + part->width);
      memset (out->data + end, 0, part->width);
      break;
    default:
      break;
    }
  return TRUE;
}

/* Lengths depend only on where the parts ended up, never on checksums. */
static gboolean
fill_lengths (const TincanTemplate        *self,
              GByteArray                  *out,
              const gsize                 *offsets,
              TincanPayloadErrorPosition  *position,
              GError                     **error)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      const TincanTemplatePart *part = &g_array_index (self->parts, TincanTemplatePart, i);
      guint64 max = (G_GUINT64_CONSTANT (1) << (8 * part->width)) - 1;
      gsize end;
      guint64 value;

      if (part->kind != TINCAN_TEMPLATE_PART_LEN)
        continue;

      end = part->partner == TINCAN_TEMPLATE_NO_PARTNER ? out->len : offsets[part->partner];
      value = end - (offsets[i] + part->width);
      if (value > max)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
          g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

          _tincan_template_set_error (error, position, &part->at,
                                      TINCAN_TEMPLATE_ERROR_LENGTH_OVERFLOW,
                                      /* Translators: a width like “u8”, then two numbers */
                                      _("“{{len:%s}}” at line %u, column %u: %s bytes follow, and it holds at most %s"),
                                      _tincan_template_len_width_name (part),
                                      part->at.line, part->at.column, count, limit);
          return FALSE;
        }
      put_number (out->data + offsets[i], part->width, part->little_endian, value);
    }
  return TRUE;
}

/* Left to right, so that a checksum over a region holding another one sees
 * that one filled in. */
static void
fill_checksums (const TincanTemplate *self,
                GByteArray           *out,
                const gsize          *offsets)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      const TincanTemplatePart *part = &g_array_index (self->parts, TincanTemplatePart, i);
      gsize begin;

      if (part->kind != TINCAN_TEMPLATE_PART_CHECKSUM)
        continue;

      begin = part->partner == TINCAN_TEMPLATE_NO_PARTNER ? 0 : offsets[part->partner];
      put_number (out->data + offsets[i], part->width, part->little_endian,
                  tincan_checksum_compute (part->checksum, out->data + begin, offsets[i] - begin));
    }
}

/**
 * tincan_template_expand:
 * @self: a template
 * @context: (nullable): the counter, clock and randomness; %NULL for a counter
 *   of 0, the real time and g_random_int()
 * @position: (out) (optional): where the field at fault is, filled only on error
 * @error: return location for a #TINCAN_TEMPLATE_ERROR
 *
 * Writes the bytes of one send: fields in, then lengths, then checksums.
 * Only two errors can happen here, both at the field at fault: LENGTH_OVERFLOW
 * (a {{len}} whose region is too long for its width) and TIME_RANGE (a {{time}}
 * while @context's clock reads a time outside the years 1 to 9999).
 *
 * Returns: (transfer full) (nullable): the bytes, at most the literal bytes
 *   plus #TINCAN_TEMPLATE_MAX_FIELD_BYTES, or %NULL with @error set
 */
GBytes *
tincan_template_expand (const TincanTemplate         *self,
                        const TincanTemplateContext  *context,
                        TincanPayloadErrorPosition   *position,
                        GError                      **error)
{
  TincanTemplateContext used = { 0, NULL, default_random, NULL };
  g_autoptr(GByteArray) out = NULL;
  g_autofree gsize *offsets = NULL;
  gint64 now;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (context != NULL)
    used = *context;
  if (used.random == NULL)
    used.random = default_random;
  now = used.clock != NULL ? used.clock (used.user_data) : g_get_real_time ();

  out = g_byte_array_sized_new (self->literals->len + self->field_bytes);
  offsets = g_new (gsize, self->parts->len);
  for (guint i = 0; i < self->parts->len; i++)
    {
      offsets[i] = out->len;
      if (!append_part (out, self, &g_array_index (self->parts, TincanTemplatePart, i), &used, now,
                        position, error))
        return NULL;
    }

  if (!fill_lengths (self, out, offsets, position, error))
    return NULL;
  fill_checksums (self, out, offsets);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
