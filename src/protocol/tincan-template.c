/* tincan-template.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-hexdump.h"
#include "tincan-payload-private.h"
#include "tincan-template.h"
#include "tincan-template-private.h"

G_DEFINE_QUARK (tincan-template-error-quark, tincan_template_error)

G_DEFINE_BOXED_TYPE (TincanTemplate, tincan_template, tincan_template_ref, tincan_template_unref)

/* What the parser carries from one field to the next. */
typedef struct
{
  TincanTemplate  *self;
  const char      *input;
  gsize            length;
  GArray          *open_lens;      /* indices of the {{len}} parts no {{end}} closed yet */
  GArray          *open_begins;    /* indices of the {{begin}} parts no checksum closed yet */
  gsize            checksum_bytes; /* the most bytes the checksums so far cover together */
} Parser;

/* How a field is written, looked up by its name. */
typedef struct
{
  const char             *name;
  TincanTemplatePartKind  kind;
  TincanChecksum          checksum;
  gboolean                little_endian; /* the default byte order of a checksum */
} FieldSpec;

/* Modbus RTU sends its CRC low byte first; every other checksum defaults to
 * big-endian, the network byte order (docs/templates.md). */
static const FieldSpec field_specs[] = {
  { "counter", TINCAN_TEMPLATE_PART_COUNTER, 0, FALSE },
  { "time", TINCAN_TEMPLATE_PART_TIME, 0, FALSE },
  { "unix", TINCAN_TEMPLATE_PART_UNIX, 0, FALSE },
  { "unix_ms", TINCAN_TEMPLATE_PART_UNIX_MS, 0, FALSE },
  { "random", TINCAN_TEMPLATE_PART_RANDOM, 0, FALSE },
  { "uuid", TINCAN_TEMPLATE_PART_UUID, 0, FALSE },
  { "len", TINCAN_TEMPLATE_PART_LEN, 0, FALSE },
  { "end", TINCAN_TEMPLATE_PART_END, 0, FALSE },
  { "begin", TINCAN_TEMPLATE_PART_BEGIN, 0, FALSE },
  { "crc16-modbus", TINCAN_TEMPLATE_PART_CHECKSUM, TINCAN_CHECKSUM_CRC16_MODBUS, TRUE },
  { "crc16-ccitt", TINCAN_TEMPLATE_PART_CHECKSUM, TINCAN_CHECKSUM_CRC16_CCITT, FALSE },
  { "crc32", TINCAN_TEMPLATE_PART_CHECKSUM, TINCAN_CHECKSUM_CRC32, FALSE },
  { "sum8", TINCAN_TEMPLATE_PART_CHECKSUM, TINCAN_CHECKSUM_SUM8, FALSE },
  { "xor8", TINCAN_TEMPLATE_PART_CHECKSUM, TINCAN_CHECKSUM_XOR8, FALSE },
};

/* The widths {{len:…}} takes, by name. */
static const struct
{
  const char *name;
  guint8      width;
  gboolean    little_endian;
} len_widths[] = {
  { "u8", 1, FALSE },
  { "u16be", 2, FALSE },
  { "u16le", 2, TRUE },
  { "u32be", 4, FALSE },
  { "u32le", 4, TRUE },
};

/* The most bytes a text field writes: 20 digits of a guint64, a sign and 19
 * digits of a gint64, "2026-12-02T17:42:20.123Z", a UUID in its text form. */
#define MAX_COUNTER_BYTES 20
#define MAX_UNIX_BYTES 20
#define TIME_BYTES 24
#define UUID_BYTES 36

void
_tincan_template_set_error (GError                           **error,
                            TincanPayloadErrorPosition        *position,
                            const TincanPayloadErrorPosition  *at,
                            TincanTemplateError                code,
                            const char                        *format,
                            ...)
{
  va_list args;

  if (position != NULL)
    *position = *at;

  if (error == NULL)
    return;

  va_start (args, format);
  *error = g_error_new_valist (TINCAN_TEMPLATE_ERROR, code, format, args);
  va_end (args);
}

/* The inside of a field as an error message can quote it: printable
 * characters as typed, any other byte (a control character, a nul, a broken
 * UTF-8 sequence) as the \xHH escape that would write it. */
static char *
describe_field (const char *text,
                gsize       length)
{
  GString *shown = g_string_sized_new (length);
  const char *end = text + length;

  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isprint (c))
        {
          g_string_append_printf (shown, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }
      g_string_append_len (shown, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (shown, FALSE);
}

/* The last @length bytes of self->literals are literal bytes of the message:
 * the literal part they follow grows, or they make a new one. */
static void
add_literal (TincanTemplate *self,
             gsize           length)
{
  TincanTemplatePart *last = NULL;

  if (length == 0)
    return;

  if (self->parts->len > 0)
    last = &g_array_index (self->parts, TincanTemplatePart, self->parts->len - 1);
  if (last != NULL && last->kind == TINCAN_TEMPLATE_PART_LITERAL)
    last->length += length;
  else
    {
      TincanTemplatePart part = { .kind = TINCAN_TEMPLATE_PART_LITERAL,
                                  .start = self->literals->len - length, .length = length,
                                  .partner = TINCAN_TEMPLATE_NO_PARTNER };

      g_array_append_val (self->parts, part);
    }
}

/* A decimal number of at most 20 digits, nothing else: no sign, no spaces. */
static gboolean
parse_decimal (const char *text,
               gsize       length,
               guint64     max,
               guint64    *out)
{
  guint64 value = 0;

  if (length == 0 || length > 20)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guint digit = (guchar) text[i] - '0';

      if (digit > 9 || value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *out = value;
  return TRUE;
}

static gboolean
is_arg (const char *arg,
        gsize       arg_length,
        const char *word)
{
  return arg_length == strlen (word) && memcmp (arg, word, arg_length) == 0;
}

/* Reads the argument of the field in @part (after the colon; @arg is NULL when
 * there is none) into it. */
static gboolean
parse_argument (TincanTemplatePart *part,
                const char         *arg,
                gsize               arg_length)
{
  switch (part->kind)
    {
    case TINCAN_TEMPLATE_PART_COUNTER:
      part->value = 1;
      return arg == NULL || parse_decimal (arg, arg_length, G_MAXUINT64, &part->value);

    case TINCAN_TEMPLATE_PART_RANDOM:
      return arg != NULL &&
             parse_decimal (arg, arg_length, TINCAN_TEMPLATE_MAX_RANDOM, &part->value) &&
             part->value > 0;

    case TINCAN_TEMPLATE_PART_LEN:
      for (guint i = 0; arg != NULL && i < G_N_ELEMENTS (len_widths); i++)
        if (is_arg (arg, arg_length, len_widths[i].name))
          {
            part->width = len_widths[i].width;
            part->little_endian = len_widths[i].little_endian;
            return TRUE;
          }
      return FALSE;

    case TINCAN_TEMPLATE_PART_CHECKSUM:
      part->width = tincan_checksum_width (part->checksum);
      if (arg == NULL)
        return TRUE;
      part->little_endian = is_arg (arg, arg_length, "le");
      return part->little_endian || is_arg (arg, arg_length, "be");

    default:
      return arg == NULL;
    }
}

/* What is wrong with the argument of a field of @kind, for the end of an error
 * message that names the field. */
static const char *
argument_problem (TincanTemplatePartKind kind)
{
  switch (kind)
    {
    case TINCAN_TEMPLATE_PART_COUNTER:
      return _("the counter starts at a whole number, as in “{{counter:100}}”");
    case TINCAN_TEMPLATE_PART_RANDOM:
      return _("the number of random bytes must be 1 to 4096, as in “{{random:8}}”");
    case TINCAN_TEMPLATE_PART_LEN:
      return _("a length needs its width: u8, u16be, u16le, u32be or u32le, as in “{{len:u16be}}”");
    case TINCAN_TEMPLATE_PART_CHECKSUM:
      return _("the byte order of a checksum is “le” or “be”, as in “{{crc32:le}}”");
    default:
      return _("this field takes no argument");
    }
}

/* An error about the field @shown (as typed, between the braces) at @at. */
static void
set_field_error (TincanTemplateError                code,
                 const char                        *shown,
                 const char                        *problem,
                 const TincanPayloadErrorPosition  *at,
                 TincanPayloadErrorPosition        *position,
                 GError                           **error)
{
  _tincan_template_set_error (error, position, at, code,
                              /* Translators: a field as typed (“{{counter:x}}”), where it is,
                               * and what is wrong with it */
                              _("“{{%s}}” at line %u, column %u: %s"),
                              shown, at->line, at->column, problem);
}

/* The most bytes @part writes. */
static gsize
part_max_bytes (const TincanTemplatePart *part)
{
  switch (part->kind)
    {
    case TINCAN_TEMPLATE_PART_COUNTER:
      return MAX_COUNTER_BYTES;
    case TINCAN_TEMPLATE_PART_TIME:
      return TIME_BYTES;
    case TINCAN_TEMPLATE_PART_UNIX:
    case TINCAN_TEMPLATE_PART_UNIX_MS:
      return MAX_UNIX_BYTES;
    case TINCAN_TEMPLATE_PART_RANDOM:
      return part->value;
    case TINCAN_TEMPLATE_PART_UUID:
      return UUID_BYTES;
    case TINCAN_TEMPLATE_PART_LEN:
    case TINCAN_TEMPLATE_PART_CHECKSUM:
      return part->width;
    default:
      return 0;
    }
}

/* Pairs an {{end}} with the last open {{len}}, a checksum with the last open
 * {{begin}}: regions nest like brackets. */
static gboolean
match_part (Parser                      *parser,
            TincanTemplatePart          *part,
            TincanPayloadErrorPosition  *position,
            GError                     **error)
{
  gsize index = parser->self->parts->len;
  gsize open;

  switch (part->kind)
    {
    case TINCAN_TEMPLATE_PART_LEN:
      g_array_append_val (parser->open_lens, index);
      break;
    case TINCAN_TEMPLATE_PART_BEGIN:
      g_array_append_val (parser->open_begins, index);
      break;
    case TINCAN_TEMPLATE_PART_END:
      if (parser->open_lens->len == 0)
        {
          _tincan_template_set_error (error, position, &part->at,
                                      TINCAN_TEMPLATE_ERROR_UNMATCHED_END,
                                      _("“{{end}}” at line %u, column %u has no “{{len:…}}” before it to end"),
                                      part->at.line, part->at.column);
          return FALSE;
        }
      open = g_array_index (parser->open_lens, gsize, parser->open_lens->len - 1);
      g_array_index (parser->self->parts, TincanTemplatePart, open).partner = index;
      g_array_set_size (parser->open_lens, parser->open_lens->len - 1);
      break;
    case TINCAN_TEMPLATE_PART_CHECKSUM:
      if (parser->open_begins->len > 0)
        {
          part->partner = g_array_index (parser->open_begins, gsize, parser->open_begins->len - 1);
          g_array_set_size (parser->open_begins, parser->open_begins->len - 1);
        }
      break;
    default:
      break;
    }
  return TRUE;
}

/* Each checksum reads its region once per expansion: the bytes they cover
 * together (at most, since text fields vary in length) are bounded. */
static gboolean
bound_checksum_work (Parser                      *parser,
                     const TincanTemplatePart    *part,
                     const char                  *shown,
                     TincanPayloadErrorPosition  *position,
                     GError                     **error)
{
  const TincanTemplate *self = parser->self;
  gsize from = 0;

  if (part->kind != TINCAN_TEMPLATE_PART_CHECKSUM)
    return TRUE;

  if (parser->open_begins->len > 0)
    from = g_array_index (self->parts, TincanTemplatePart,
                          g_array_index (parser->open_begins, gsize,
                                         parser->open_begins->len - 1)).most_before;
  parser->checksum_bytes += part->most_before - from;
  if (parser->checksum_bytes <= TINCAN_TEMPLATE_MAX_CHECKSUM_BYTES)
    return TRUE;

  set_field_error (TINCAN_TEMPLATE_ERROR_TOO_LONG, shown,
                   _("the checksums of one message may cover at most 16 MiB in all"),
                   &part->at, position, error);
  return FALSE;
}

/* Reads the field between the "{{" at @at and the "}}" at @close. */
static gboolean
parse_field (Parser                            *parser,
             const TincanPayloadErrorPosition  *at,
             gsize                              close,
             TincanPayloadErrorPosition        *position,
             GError                           **error)
{
  const char *text = parser->input + at->offset + 2;
  gsize text_length = close - at->offset - 2;
  const char *colon = memchr (text, ':', text_length);
  gsize name_length = colon != NULL ? (gsize) (colon - text) : text_length;
  g_autofree char *shown = describe_field (text, text_length);
  TincanTemplatePart part = { .partner = TINCAN_TEMPLATE_NO_PARTNER, .at = *at,
                              .most_before = parser->self->literals->len +
                                             parser->self->field_bytes };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (field_specs); i++)
    if (is_arg (text, name_length, field_specs[i].name))
      break;

  if (i == G_N_ELEMENTS (field_specs))
    {
      _tincan_template_set_error (error, position, at, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
                                  _("Unknown field “{{%s}}” at line %u, column %u"), shown, at->line, at->column);
      return FALSE;
    }

  part.kind = field_specs[i].kind;
  part.checksum = field_specs[i].checksum;
  part.little_endian = field_specs[i].little_endian;
  if (!parse_argument (&part, colon != NULL ? colon + 1 : NULL,
                       colon != NULL ? text_length - name_length - 1 : 0))
    {
      set_field_error (TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT, shown, argument_problem (part.kind), at,
                       position, error);
      return FALSE;
    }

  if (!bound_checksum_work (parser, &part, shown, position, error))
    return FALSE;

  parser->self->field_bytes += part_max_bytes (&part);
  if (parser->self->field_bytes > TINCAN_TEMPLATE_MAX_FIELD_BYTES)
    {
      set_field_error (TINCAN_TEMPLATE_ERROR_TOO_LONG, shown,
                       _("the fields of one message may add at most 1 MiB"), at, position, error);
      return FALSE;
    }

  if (!match_part (parser, &part, position, error))
    return FALSE;

  parser->self->has_fields = TRUE;
  parser->self->varies |= part.kind >= TINCAN_TEMPLATE_PART_COUNTER &&
                          part.kind <= TINCAN_TEMPLATE_PART_UUID;
  g_array_append_val (parser->self->parts, part);
  return TRUE;
}

/* Where the "}}" that closes the "{{" at @open is, or 0 if the line (or the
 * text) ends first: a field never spans lines. */
static gsize
find_close (const char *input,
            gsize       length,
            gsize       open)
{
  for (gsize i = open + 2; i + 1 < length; i++)
    {
      if (input[i] == '\n' || input[i] == '\r')
        return 0;
      if (input[i] == '}' && input[i + 1] == '}')
        return i;
    }
  return 0;
}

/* Where the next "{{" is at or after @from, or @length if there is none. */
static gsize
find_open (const char *input,
           gsize       length,
           gsize       from)
{
  for (gsize i = from; i + 1 < length; i++)
    if (input[i] == '{' && input[i + 1] == '{')
      return i;
  return length;
}

/* The literal part up to @end goes through the payload parser, so that escapes
 * and hex work between fields exactly as they do without them. */
static gboolean
parse_literal (Parser                      *parser,
               TincanPayloadErrorPosition  *at,
               gsize                        end,
               TincanPayloadFormat          format,
               TincanPayloadErrorPosition  *position,
               GError                     **error)
{
  gsize before = parser->self->literals->len;

  if (!_tincan_payload_parse_range (parser->input, end, format, at, parser->self->literals, error))
    {
      if (position != NULL)
        *position = *at;
      return FALSE;
    }

  add_literal (parser->self, parser->self->literals->len - before);
  return TRUE;
}

static gboolean
parse_parts (Parser                      *parser,
             TincanPayloadFormat          format,
             TincanPayloadErrorPosition  *position,
             GError                     **error)
{
  TincanPayloadErrorPosition at = { 0, 1, 1 };

  while (at.offset < parser->length)
    {
      gsize open = find_open (parser->input, parser->length, at.offset);
      gsize close;

      if (open > at.offset && !parse_literal (parser, &at, open, format, position, error))
        return FALSE;
      if (open == parser->length)
        break;

      /* "{{{{" is the way to write "{{" itself, in hex mode too. */
      if (open + 3 < parser->length && memcmp (parser->input + open + 2, "{{", 2) == 0)
        {
          g_byte_array_append (parser->self->literals, (const guint8 *) "{{", 2);
          add_literal (parser->self, 2);
          at.offset += 4;
          at.column += 4;
          continue;
        }

      close = find_close (parser->input, parser->length, open);
      if (close == 0)
        {
          _tincan_template_set_error (error, position, &at, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
                                      _("“{{” at line %u, column %u is not closed by “}}” on its line"),
                                      at.line, at.column);
          return FALSE;
        }
      if (!parse_field (parser, &at, close, position, error))
        return FALSE;

      /* A known field is ASCII: one column per byte. */
      at.column += close + 2 - at.offset;
      at.offset = close + 2;
    }

  if (parser->open_begins->len > 0)
    {
      const TincanTemplatePart *begin = &g_array_index (parser->self->parts, TincanTemplatePart,
                                          g_array_index (parser->open_begins, gsize, 0));

      _tincan_template_set_error (error, position, &begin->at,
                                  TINCAN_TEMPLATE_ERROR_UNMATCHED_BEGIN,
                                  _("“{{begin}}” at line %u, column %u has no checksum after it"),
                                  begin->at.line, begin->at.column);
      return FALSE;
    }
  return TRUE;
}

/**
 * tincan_template_text_has_fields:
 * @input: what the person typed
 * @length: length of @input in bytes, or -1 if it is nul-terminated
 *
 * Templates are off unless the text has a "{{" (tincan_template_parse() of any
 * other text gives the bytes tincan_payload_parse() would).
 *
 * Returns: whether @input contains "{{"
 */
gboolean
tincan_template_text_has_fields (const char *input,
                                 gssize      length)
{
  g_return_val_if_fail (input != NULL || length == 0, FALSE);

  if (input == NULL)
    return FALSE;
  if (length < 0)
    length = strlen (input);
  return find_open (input, length, 0) < (gsize) length;
}

/**
 * tincan_template_parse:
 * @input: what the person typed
 * @length: length of @input in bytes, or -1 if it is nul-terminated
 * @format: whether the literal parts are text with escapes or hex
 * @ending: line ending appended after the last part
 * @position: (out) (optional): where the error is, filled only on error
 * @error: return location for a #TINCAN_TEMPLATE_ERROR, or a #TINCAN_PAYLOAD_ERROR
 *   of a literal part
 *
 * Compiles a message with {{fields}} (docs/templates.md) once, to be expanded
 * for each send. The text between fields is read as tincan_payload_parse()
 * reads it; every error, of a field or of a literal part, points at its place
 * in all of @input (for a field, its "{{").
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with @error set
 */
TincanTemplate *
tincan_template_parse (const char                  *input,
                       gssize                       length,
                       TincanPayloadFormat          format,
                       TincanLineEnding             ending,
                       TincanPayloadErrorPosition  *position,
                       GError                     **error)
{
  g_autoptr(TincanTemplate) self = NULL;
  g_autoptr(GArray) open_lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) open_begins = g_array_new (FALSE, FALSE, sizeof (gsize));
  const char *suffix = tincan_line_ending_to_bytes (ending);
  g_autofree char *blanked = NULL;
  Parser parser;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (format == TINCAN_PAYLOAD_FORMAT_TEXT ||
                        format == TINCAN_PAYLOAD_FORMAT_HEX, NULL);
  g_return_val_if_fail (ending <= TINCAN_LINE_ENDING_CRLF, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    input = "";
  if (length < 0)
    length = strlen (input);

  /* A pasted hex dump, as tincan_payload_parse() takes it: a dump line has
   * no fields, so a text with fields is never one. */
  if (format == TINCAN_PAYLOAD_FORMAT_HEX)
    {
      blanked = tincan_hexdump_blank_decorations (input, length);
      if (blanked != NULL)
        input = blanked;
    }

  self = g_new0 (TincanTemplate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->parts = g_array_new (FALSE, FALSE, sizeof (TincanTemplatePart));
  self->literals = g_byte_array_sized_new (length + 2);

  parser = (Parser) { self, input, length, open_lens, open_begins, 0 };
  if (!parse_parts (&parser, format, position, error))
    return NULL;

  g_byte_array_append (self->literals, (const guint8 *) suffix, strlen (suffix));
  add_literal (self, strlen (suffix));
  return g_steal_pointer (&self);
}

/**
 * tincan_template_ref:
 * @self: a template
 *
 * Returns: (transfer full): @self
 */
TincanTemplate *
tincan_template_ref (TincanTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * tincan_template_unref:
 * @self: (transfer full): a template
 */
void
tincan_template_unref (TincanTemplate *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->parts);
  g_byte_array_unref (self->literals);
  g_free (self);
}

/**
 * tincan_template_has_fields:
 * @self: a template
 *
 * Returns: whether @self has any field (a "{{{{" alone is none)
 */
gboolean
tincan_template_has_fields (const TincanTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_fields;
}

/**
 * tincan_template_varies:
 * @self: a template
 *
 * Returns: whether two expansions of @self can differ: it has a counter, a
 *   time, random bytes or a UUID (lengths and checksums follow from the rest)
 */
gboolean
tincan_template_varies (const TincanTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->varies;
}

const char *
_tincan_template_len_width_name (const TincanTemplatePart *part)
{
  for (guint i = 0; i < G_N_ELEMENTS (len_widths); i++)
    if (len_widths[i].width == part->width && len_widths[i].little_endian == part->little_endian)
      return len_widths[i].name;
  g_return_val_if_reached ("");
}
