/* tincan-payload.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-hexdump.h"
#include "tincan-payload.h"
#include "tincan-payload-private.h"

G_DEFINE_QUARK (tincan-payload-error-quark, tincan_payload_error)

/* Longest \u{} escape we accept: six digits reach 10FFFF. */
#define MAX_CODE_POINT_DIGITS 6


static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Where the parser is, in the units the composer shows: a byte offset for the
 * code, a line and a column (in characters) for the person. */
typedef struct
{
  const guchar *data;
  gsize         length;
  gsize         offset;
  guint         line;
  guint         column;
} Cursor;

/* Steps over one character of @n bytes. Line breaks are counted the way
 * GtkTextBuffer counts them (LF, CR, CRLF and U+2029) so that the window can
 * turn line and column straight into a GtkTextIter. */
static inline void
cursor_advance (Cursor   *cur,
                gunichar  c,
                guint     n)
{
  cur->offset += n;

  if (c == '\n' || c == 0x2029 ||
      (c == '\r' && !(cur->offset < cur->length && cur->data[cur->offset] == '\n')))
    {
      cur->line++;
      cur->column = 1;
    }
  else
    cur->column++;
}

static void
set_error (GError                     **error,
           TincanPayloadErrorPosition  *position,
           const Cursor                *at,
           TincanPayloadError           code,
           const char                  *format,
           ...) G_GNUC_PRINTF (5, 6);

static void
set_error (GError                     **error,
           TincanPayloadErrorPosition  *position,
           const Cursor                *at,
           TincanPayloadError           code,
           const char                  *format,
           ...)
{
  va_list args;

  if (position != NULL)
    {
      position->offset = at->offset;
      position->line = at->line;
      position->column = at->column;
    }

  if (error == NULL)
    return;

  va_start (args, format);
  *error = g_error_new_valist (TINCAN_PAYLOAD_ERROR, code, format, args);
  va_end (args);
}

static void
set_invalid_utf8_error (GError                     **error,
                        TincanPayloadErrorPosition  *position,
                        const Cursor                *at)
{
  set_error (error, position, at, TINCAN_PAYLOAD_ERROR_INVALID_UTF8,
             _("Byte 0x%02X at line %u, column %u is not valid UTF-8"),
             at->data[at->offset], at->line, at->column);
}

/* Names the character at @p for an error message: the character itself in
 * quotes when it is visible, its code point when it is not (a newline inside
 * quotes would only confuse). @p must start a valid UTF-8 sequence. */
static char *
describe_char (const guchar *p,
               gsize         avail)
{
  gunichar c = 0;
  guint n = utf8_decode (p, avail, &c);

  g_assert (n > 0);

  if (g_unichar_isgraph (c))
    {
      g_autofree char *one = g_strndup ((const char *) p, n);

      /* Translators: a character quoted inside an error message */
      return g_strdup_printf (_("“%s”"), one);
    }

  return g_strdup_printf ("U+%04X", c);
}

/* A character that is not a hex digit was found where one belongs. Before
 * calling it a bad digit make sure it is a character at all: a broken UTF-8
 * sequence is reported as such, at its own position. */
static void
set_bad_digit_error (GError                     **error,
                     TincanPayloadErrorPosition  *position,
                     const Cursor                *start,
                     gsize                        bad)
{
  const guchar *data = start->data;
  gunichar c;
  g_autofree char *escape = NULL;
  g_autofree char *what = NULL;

  if (utf8_decode (data + bad, start->length - bad, &c) == 0)
    {
      /* Everything between the backslash and @bad is ASCII: one column each. */
      Cursor at = *start;

      at.column += bad - start->offset;
      at.offset = bad;
      set_invalid_utf8_error (error, position, &at);
      return;
    }

  escape = g_strndup ((const char *) data + start->offset, bad - start->offset);
  what = describe_char (data + bad, start->length - bad);
  /* Translators: the first %s is an escape as typed, like “\x4”; the last
   * is a quoted character or a code point such as U+000A */
  set_error (error, position, start, TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT,
             _("Escape “%s” at line %u, column %u: %s is not a hex digit"),
             escape, start->line, start->column, what);
}

/* Reads the escape that starts at the backslash under @cur, appends its bytes
 * to @out and moves @cur past it. Errors point at the backslash, since the
 * whole escape is what the person has to fix. */
static gboolean
parse_escape (Cursor                      *cur,
              GByteArray                  *out,
              TincanPayloadErrorPosition  *position,
              GError                     **error)
{
  const guchar *data = cur->data;
  gsize len = cur->length;
  gsize at = cur->offset;
  guchar byte;
  gsize end;

  g_assert (data[at] == '\\');

  if (at + 1 >= len)
    {
      set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,
                 _("Incomplete escape “\\” at line %u, column %u: nothing follows the backslash"),
                 cur->line, cur->column);
      return FALSE;
    }

  switch (data[at + 1])
    {
    case 'n': byte = '\n'; break;
    case 'r': byte = '\r'; break;
    case 't': byte = '\t'; break;
    case '0': byte = '\0'; break;
    case '\\': byte = '\\'; break;

    case 'x':
      for (end = at + 2; end < at + 4; end++)
        {
          if (end >= len)
            {
              g_autofree char *escape = g_strndup ((const char *) data + at, end - at);

              set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,
                         _("Incomplete escape “%s” at line %u, column %u: “\\x” needs two hex digits"),
                         escape, cur->line, cur->column);
              return FALSE;
            }
          if (hex_value (data[end]) < 0)
            {
              set_bad_digit_error (error, position, cur, end);
              return FALSE;
            }
        }
      g_byte_array_append (out, (guint8[]) { hex_value (data[at + 2]) << 4 | hex_value (data[at + 3]) }, 1);
      cur->offset += 4;
      cur->column += 4;
      return TRUE;

    case 'u':
      {
        gunichar value = 0;
        guint digits = 0;
        char utf8[6];
        g_autofree char *escape = NULL;

        if (at + 2 >= len || data[at + 2] != '{')
          {
            set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,
                       _("Incomplete escape “\\u” at line %u, column %u: write the code point in braces, as in “\\u{e9}”"),
                       cur->line, cur->column);
            return FALSE;
          }

        for (end = at + 3; ; end++)
          {
            int v;

            if (end >= len)
              {
                escape = g_strndup ((const char *) data + at, end - at);
                set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,
                           _("Incomplete escape “%s” at line %u, column %u: the closing “}” is missing"),
                           escape, cur->line, cur->column);
                return FALSE;
              }
            if (data[end] == '}')
              break;
            if ((v = hex_value (data[end])) < 0)
              {
                set_bad_digit_error (error, position, cur, end);
                return FALSE;
              }
            if (digits == MAX_CODE_POINT_DIGITS)
              {
                escape = g_strndup ((const char *) data + at, end + 1 - at);
                set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT,
                           _("Escape “%s…” at line %u, column %u has more than 6 hex digits"),
                           escape, cur->line, cur->column);
                return FALSE;
              }
            value = value << 4 | (gunichar) v;
            digits++;
          }

        /* From here on the escape is complete: "\u{" digits "}". */
        escape = g_strndup ((const char *) data + at, end + 1 - at);

        if (digits == 0)
          {
            set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT,
                       _("Empty escape “\\u{}” at line %u, column %u: write 1 to 6 hex digits"),
                       cur->line, cur->column);
            return FALSE;
          }
        if (value >= 0xD800 && value <= 0xDFFF)
          {
            set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT,
                       _("Escape “%s” at line %u, column %u is a UTF-16 surrogate, not a character"),
                       escape, cur->line, cur->column);
            return FALSE;
          }
        if (value > 0x10FFFF)
          {
            set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT,
                       _("Escape “%s” at line %u, column %u is beyond U+10FFFF, the last Unicode code point"),
                       escape, cur->line, cur->column);
            return FALSE;
          }

        g_byte_array_append (out, (const guint8 *) utf8, g_unichar_to_utf8 (value, utf8));
        cur->column += end + 1 - at;
        cur->offset = end + 1;
        return TRUE;
      }

    default:
      {
        gunichar c;
        g_autofree char *what = NULL;

        if (utf8_decode (data + at + 1, len - at - 1, &c) == 0)
          {
            Cursor bad = *cur;

            bad.offset++;
            bad.column++;
            set_invalid_utf8_error (error, position, &bad);
            return FALSE;
          }

        if (g_unichar_isgraph (c))
          {
            g_autofree char *escape = g_strndup ((const char *) data + at, 1 + g_unichar_to_utf8 (c, NULL));

            set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE,
                       _("Unknown escape “%s” at line %u, column %u (write “\\\\” for a backslash)"),
                       escape, cur->line, cur->column);
            return FALSE;
          }

        what = describe_char (data + at + 1, len - at - 1);
        set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE,
                   _("Unknown escape: a backslash followed by %s at line %u, column %u (write “\\\\” for a backslash)"),
                   what, cur->line, cur->column);
        return FALSE;
      }
    }

  g_byte_array_append (out, &byte, 1);
  cur->offset += 2;
  cur->column += 2;
  return TRUE;
}

static gboolean
parse_text (Cursor                      *cur,
            GByteArray                  *out,
            TincanPayloadErrorPosition  *position,
            GError                     **error)
{
  const guchar *data = cur->data;
  gsize run = cur->offset;

  /* Plain characters are copied in runs; only escapes break a run. */
  while (cur->offset < cur->length)
    {
      guchar c = data[cur->offset];
      gunichar uc;
      guint n;

      if (c == '\\')
        {
          g_byte_array_append (out, data + run, cur->offset - run);
          if (!parse_escape (cur, out, position, error))
            return FALSE;
          run = cur->offset;
          continue;
        }

      if (c >= 0x80)
        {
          if ((n = utf8_decode (data + cur->offset, cur->length - cur->offset, &uc)) == 0)
            {
              set_invalid_utf8_error (error, position, cur);
              return FALSE;
            }
          cursor_advance (cur, uc, n);
        }
      else if (c == '\n' || c == '\r')
        cursor_advance (cur, c, 1);
      else
        {
          cur->offset++;
          cur->column++;
        }
    }

  g_byte_array_append (out, data + run, cur->offset - run);
  return TRUE;
}

static inline gboolean
is_hex_separator (guchar c)
{
  switch (c)
    {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
    case ',': case ':': case '-':
      return TRUE;
    default:
      return FALSE;
    }
}

/* Pasted text often carries no-break or other Unicode spaces: they separate
 * like ASCII ones. Steps over one if it is under @cur. */
static gboolean
skip_unicode_space (Cursor *cur)
{
  gunichar c;
  guint n = utf8_decode (cur->data + cur->offset, cur->length - cur->offset, &c);

  if (n == 0 || !g_unichar_isspace (c))
    return FALSE;

  cursor_advance (cur, c, n);
  return TRUE;
}

/* Reports the character under @cur as not hex, or as broken UTF-8. */
static void
set_not_hex_error (GError                     **error,
                   TincanPayloadErrorPosition  *position,
                   const Cursor                *cur)
{
  gunichar c;
  g_autofree char *what = NULL;

  if (utf8_decode (cur->data + cur->offset, cur->length - cur->offset, &c) == 0)
    {
      set_invalid_utf8_error (error, position, cur);
      return;
    }

  what = describe_char (cur->data + cur->offset, cur->length - cur->offset);
  set_error (error, position, cur, TINCAN_PAYLOAD_ERROR_NOT_HEX,
             _("Not a hex digit: %s at line %u, column %u"),
             what, cur->line, cur->column);
}

/* Hex input is groups of digits, each with an optional "0x", between any
 * amount of whitespace and the separators , : -. Digits pair up from the left
 * within a group, so a group must have an even number of them: "6869 6" and
 * "6 8" are errors at the lone digit rather than a guess at what was meant. */
static gboolean
parse_hex (Cursor                      *cur,
           GByteArray                  *out,
           TincanPayloadErrorPosition  *position,
           GError                     **error)
{
  const guchar *data = cur->data;

  while (cur->offset < cur->length)
    {
      guchar c = data[cur->offset];
      Cursor lone = *cur;
      int high = -1;

      if (is_hex_separator (c))
        {
          cursor_advance (cur, c, 1);
          continue;
        }

      if (c >= 0x80)
        {
          if (!skip_unicode_space (cur))
            {
              set_not_hex_error (error, position, cur);
              return FALSE;
            }
          continue;
        }

      if (c == '0' && cur->offset + 1 < cur->length && (data[cur->offset + 1] | 0x20) == 'x')
        {
          Cursor prefix = *cur;

          cur->offset += 2;
          cur->column += 2;
          if (cur->offset == cur->length || is_hex_separator (data[cur->offset]))
            {
              set_error (error, position, &prefix, TINCAN_PAYLOAD_ERROR_NOT_HEX,
                         _("Not a hex byte: “0%c” at line %u, column %u is not followed by hex digits"),
                         data[prefix.offset + 1], prefix.line, prefix.column);
              return FALSE;
            }
        }

      while (cur->offset < cur->length && !is_hex_separator (data[cur->offset]))
        {
          int v = hex_value (data[cur->offset]);

          if (data[cur->offset] >= 0x80 && skip_unicode_space (cur))
            break;

          if (v < 0)
            {
              set_not_hex_error (error, position, cur);
              return FALSE;
            }
          if (high < 0)
            {
              high = v;
              lone = *cur;
            }
          else
            {
              g_byte_array_append (out, (guint8[]) { high << 4 | v }, 1);
              high = -1;
            }
          cur->offset++;
          cur->column++;
        }

      if (high >= 0)
        {
          set_error (error, position, &lone, TINCAN_PAYLOAD_ERROR_ODD_DIGITS,
                     _("Odd number of hex digits: “%c” at line %u, column %u has no partner"),
                     data[lone.offset], lone.line, lone.column);
          return FALSE;
        }
    }

  return TRUE;
}

/* The cursor starts where the part does (tincan-payload-private.h), so that the
 * line and column in error messages count from the start of the whole text. */
gboolean
_tincan_payload_parse_range (const char                  *input,
                             gsize                        end,
                             TincanPayloadFormat          format,
                             TincanPayloadErrorPosition  *at,
                             GByteArray                  *out,
                             GError                     **error)
{
  Cursor cur = { (const guchar *) input, end, at->offset, at->line, at->column };
  gboolean ok;

  if (format == TINCAN_PAYLOAD_FORMAT_TEXT)
    ok = parse_text (&cur, out, at, error);
  else
    ok = parse_hex (&cur, out, at, error);
  if (ok)
    *at = (TincanPayloadErrorPosition) { cur.offset, cur.line, cur.column };
  return ok;
}

/**
 * tincan_payload_parse:
 * @input: what the person typed
 * @length: length of @input in bytes, or -1 if it is nul-terminated
 * @format: whether @input is text with escapes or hex
 * @ending: line ending appended after the parsed bytes
 * @position: (out) (optional): where the error is, filled only on error
 * @error: return location for a #TINCAN_PAYLOAD_ERROR
 *
 * Turns composer input into the bytes to send. In text mode @input must be
 * UTF-8; literal characters (newlines too) are kept as their bytes and the
 * escapes \n \r \t \0 \\ \xHH \u{H…} (1 to 6 digits) add theirs. With an
 * explicit @length, a nul byte in @input is an ordinary character.
 *
 * In hex mode @input is groups of hex digits, each optionally prefixed with
 * "0x", separated by whitespace (Unicode spaces too) or any of , : -. Each
 * group must have an even number of digits: "6869 6" is an ODD_DIGITS error
 * at the last '6'. Input with no digits at all gives no bytes. A pasted hex
 * dump (xxd, hexdump -C, od, Wireshark) gives its bytes: its offsets and
 * text column are left out (tincan-hexdump.c).
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set and
 *   @position pointing at the start of the offending escape or character
 */
GBytes *
tincan_payload_parse (const char                  *input,
                      gssize                       length,
                      TincanPayloadFormat          format,
                      TincanLineEnding             ending,
                      TincanPayloadErrorPosition  *position,
                      GError                     **error)
{
  g_autoptr(GByteArray) out = NULL;
  g_autofree char *blanked = NULL;
  TincanPayloadErrorPosition at = { 0, 1, 1 };
  const char *suffix;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (format == TINCAN_PAYLOAD_FORMAT_TEXT ||
                        format == TINCAN_PAYLOAD_FORMAT_HEX, NULL);
  g_return_val_if_fail (ending <= TINCAN_LINE_ENDING_CRLF, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Keeps pointer arithmetic off NULL when there is nothing to read. */
  if (input == NULL)
    input = "";
  if (length < 0)
    length = strlen (input);

  out = g_byte_array_sized_new (length + 2);

  /* A pasted xxd or hexdump -C dump: its offsets and text column blanked,
   * byte for byte, so error positions still point into @input. */
  if (format == TINCAN_PAYLOAD_FORMAT_HEX)
    {
      blanked = tincan_hexdump_blank_decorations (input, length);
      if (blanked != NULL)
        input = blanked;
    }

  if (!_tincan_payload_parse_range (input, length, format, &at, out, error))
    {
      if (position != NULL)
        *position = at;
      return NULL;
    }

  suffix = tincan_line_ending_to_bytes (ending);
  g_byte_array_append (out, (const guint8 *) suffix, strlen (suffix));

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * tincan_line_ending_to_bytes:
 * @ending: a line ending
 *
 * Returns: (transfer none): "", "\n", "\r" or "\r\n", a static string
 */
const char *
tincan_line_ending_to_bytes (TincanLineEnding ending)
{
  switch (ending)
    {
    case TINCAN_LINE_ENDING_NONE:
      return "";
    case TINCAN_LINE_ENDING_LF:
      return "\n";
    case TINCAN_LINE_ENDING_CR:
      return "\r";
    case TINCAN_LINE_ENDING_CRLF:
      return "\r\n";
    default:
      g_return_val_if_reached ("");
    }
}
