/* tincan-payload-render.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Bytes shown to a person: as text with escapes (what the parser in
 * tincan-payload.c reads back to the same bytes), hex dump, hex and Python
 * bytes; and user text quoted, shortened, in messages. */

#include "config.h"

#include <string.h>

#include "tincan-payload-private.h"

static const char hex_lower[] = "0123456789abcdef";

static inline void
append_byte_escape (GString *s,
                    guchar   b)
{
  char buf[4] = { '\\', 'x', hex_lower[b >> 4], hex_lower[b & 0xF] };

  g_string_append_len (s, buf, sizeof buf);
}

static inline void
append_code_point_escape (GString  *s,
                          gunichar  c)
{
  char buf[16];
  gsize i = sizeof buf;

  buf[--i] = '}';
  do
    {
      buf[--i] = hex_lower[c & 0xF];
      c >>= 4;
    }
  while (c != 0);
  buf[--i] = '{';
  buf[--i] = 'u';
  buf[--i] = '\\';

  g_string_append_len (s, buf + i, sizeof buf - i);
}

/* Characters that show nothing or look like something else: variation
 * selectors, the combining grapheme joiner, Hangul fillers, Khmer inherent
 * vowels and the braille blank (which looks like a space). */
static gboolean
is_invisible (gunichar c)
{
  return (c >= 0xFE00 && c <= 0xFE0F) ||     /* variation selectors */
         (c >= 0xE0100 && c <= 0xE01EF) ||   /* variation selectors supplement */
         (c >= 0x180B && c <= 0x180F) ||     /* Mongolian free variation selectors */
         c == 0x034F ||                      /* combining grapheme joiner */
         c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 ||   /* Hangul fillers */
         c == 0x17B4 || c == 0x17B5 ||       /* Khmer inherent vowels */
         c == 0x2800;                        /* braille pattern blank */
}

/* Characters that are valid but would mislead someone reading the log or a
 * terminal it is pasted into: C1 controls, bidi overrides, invisible joiners,
 * line separators, spaces other than U+0020 (NBSP, EM SPACE, IDEOGRAPHIC
 * SPACE... look like a plain space) and invisible characters. The explicit
 * list is the guarantee; the Unicode categories (Cc, Cf, Zs, Zl, Zp) widen it
 * to the rest of the invisible format characters, such as the tag characters
 * U+E0000–U+E007F. */
static gboolean
needs_code_point_escape (gunichar c)
{
  if (c <= 0xA0)
    return TRUE;

  switch (c)
    {
    case 0x061C:
    case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x2028: case 0x2029:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2060:
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:
    case 0x3000:
    case 0xFEFF:
      return TRUE;
    default:
      break;
    }

  if (is_invisible (c))
    return TRUE;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * tincan_payload_text_cut:
 * @data: (array length=length): bytes
 * @length: number of bytes
 * @cap: the most bytes to show
 *
 * Where to cut @data to show at most @cap bytes as text without splitting a
 * character: a valid UTF-8 sequence that straddles @cap is left out whole, so
 * a cut line of "€" never ends in a lone "\xe2" that would look invalid.
 * Bytes that are not valid UTF-8 are cut anywhere (they are escaped one by one).
 *
 * Returns: a length <= MIN (@length, @cap)
 */
gsize
tincan_payload_text_cut (const guint8 *data,
                         gsize         length,
                         gsize         cap)
{
  g_return_val_if_fail (data != NULL || length == 0, 0);

  if (length <= cap)
    return length;

  /* A sequence is at most 4 bytes: its lead is at most 3 bytes before the cap. */
  for (gsize back = 1; back <= 3 && back <= cap; back++)
    {
      guchar c = data[cap - back];
      gunichar uc;

      if ((c & 0xC0) == 0x80)
        continue;              /* a continuation byte: look further back */
      if (c >= 0xC2 && utf8_decode (data + cap - back, length - cap + back, &uc) > back)
        return cap - back;
      break;
    }

  return cap;
}

/**
 * tincan_payload_append_text:
 * @s: where the text goes
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Appends what tincan_payload_render_text() returns for @data to @s, for
 * callers that render many payloads into one buffer (the log).
 */
void
tincan_payload_append_text (GString      *s,
                            const guint8 *data,
                            gsize         length)
{
  gsize run = 0;
  gsize i = 0;

  g_return_if_fail (s != NULL);
  g_return_if_fail (data != NULL || length == 0);

  if (data == NULL)
    data = (const guint8 *) "";

  while (i < length)
    {
      guchar c = data[i];
      gunichar uc = 0;
      guint n = 1;

      if (c >= 0x20 && c < 0x7F && c != '\\')
        {
          i++;
          continue;
        }

      if (c >= 0x80)
        {
          n = utf8_decode (data + i, length - i, &uc);
          if (n > 0 && !needs_code_point_escape (uc))
            {
              i += n;
              continue;
            }
        }

      g_string_append_len (s, (const char *) data + run, i - run);

      switch (c)
        {
        case '\\': g_string_append_len (s, "\\\\", 2); break;
        case '\n': g_string_append_len (s, "\\n", 2); break;
        case '\r': g_string_append_len (s, "\\r", 2); break;
        case '\t': g_string_append_len (s, "\\t", 2); break;
        case '\0': g_string_append_len (s, "\\0", 2); break;
        default:
          if (n == 0)
            {
              /* Escape only the lead byte: what follows gets its own look. */
              append_byte_escape (s, c);
              n = 1;
            }
          else if (c >= 0x80)
            append_code_point_escape (s, uc);
          else
            append_byte_escape (s, c);
          break;
        }

      i += n;
      run = i;
    }

  g_string_append_len (s, (const char *) data + run, i - run);
}

/**
 * tincan_payload_render_text:
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Shows bytes as text a person can read and type back: printable UTF-8 as is,
 * everything else as an escape. Parsing the result in text mode without line
 * ending gives back exactly @data, for every byte string.
 *
 * Returns: (transfer full): valid UTF-8, free with g_free()
 */
char *
tincan_payload_render_text (const guint8 *data,
                            gsize         length)
{
  GString *s;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  s = g_string_sized_new (length + length / 8 + 1);
  tincan_payload_append_text (s, data, length);
  return g_string_free (s, FALSE);
}

/**
 * tincan_payload_is_printable:
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Whether @data reads as text: valid UTF-8 in which the only characters
 * tincan_payload_render_text() escapes are tab, CR, LF and the backslash.
 * Such bytes are best edited as text, any others in hex.
 *
 * Returns: %TRUE for printable text (and for no bytes at all)
 */
gboolean
tincan_payload_is_printable (const guint8 *data,
                             gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length;)
    {
      guchar c = data[i];
      gunichar uc = 0;
      guint n;

      if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r')
        {
          i++;
          continue;
        }
      if (c < 0x80)
        return FALSE;
      n = utf8_decode (data + i, length - i, &uc);
      if (n == 0 || needs_code_point_escape (uc))
        return FALSE;
      i += n;
    }

  return TRUE;
}

static inline gboolean
is_printable_ascii (guchar c)
{
  return c >= 0x20 && c < 0x7F;
}

/**
 * tincan_payload_append_hexdump:
 * @s: where to append
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Appends bytes as `xxd` shows them: an 8-digit hex offset, 16 bytes per
 * line in groups of two, then the printable ASCII with '.' for anything
 * else. Lines are separated by '\n', with none after the last; empty input
 * appends nothing. Without printf: the exporters dump a million entries.
 */
void
tincan_payload_append_hexdump (GString      *s,
                               const guint8 *data,
                               gsize         length)
{
  g_return_if_fail (s != NULL);
  g_return_if_fail (data != NULL || length == 0);

  for (gsize line = 0; line < length; line += 16)
    {
      gsize n = MIN (16, length - line);
      char text[68];
      char *p = text;

      if (line > 0)
        *p++ = '\n';

      for (int shift = 28; shift >= 0; shift -= 4)
        *p++ = hex_lower[(line >> shift) & 0xF];
      *p++ = ':';

      for (gsize j = 0; j < 16; j++)
        {
          if (j % 2 == 0)
            *p++ = ' ';
          *p++ = j < n ? hex_lower[data[line + j] >> 4] : ' ';
          *p++ = j < n ? hex_lower[data[line + j] & 0xF] : ' ';
        }

      *p++ = ' ';
      *p++ = ' ';

      for (gsize j = 0; j < n; j++)
        *p++ = is_printable_ascii (data[line + j]) ? data[line + j] : '.';
      g_string_append_len (s, text, p - text);
    }
}

/**
 * tincan_payload_render_hexdump:
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Returns: (transfer full): the dump tincan_payload_append_hexdump() makes,
 *   free with g_free()
 */
char *
tincan_payload_render_hexdump (const guint8 *data,
                               gsize         length)
{
  GString *s;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* 68 characters per full line: offset 10, hex 39, gap 2, text 16, '\n' 1 */
  s = g_string_sized_new ((length / 16 + 1) * 68);
  tincan_payload_append_hexdump (s, data, length);

  return g_string_free (s, FALSE);
}

/**
 * tincan_payload_hexdump_position:
 * @index: a byte's index in the data given to tincan_payload_render_hexdump()
 * @hex: (out): where its two hex digits start in the dump
 * @ascii: (out): where its character in the ASCII column is
 *
 * Where a byte is drawn in a dump, so that a view can mark bytes (the
 * framing's) in it: here, beside the layout it follows. Every character of a
 * dump is ASCII, so these are byte and character offsets alike.
 */
void
tincan_payload_hexdump_position (gsize  index,
                                 gsize *hex,
                                 gsize *ascii)
{
  /* Every line but the last is 68 characters with its '\n' (see above);
   * the last one's hex part is padded, so its ASCII column is in place. */
  gsize line = (index / 16) * 68;
  gsize j = index % 16;

  /* "00000000:" 9, then a space before each pair of bytes */
  *hex = line + 9 + (j / 2 + 1) + 2 * j;
  *ascii = line + 9 + 8 + 32 + 2 + j;
}

/**
 * tincan_payload_render_python:
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Formats bytes exactly as Python 3's repr() of a bytes object does, e.g.
 * b'hi\r\n' or b"it's", so that the result can be pasted into a script.
 *
 * Returns: (transfer full): the literal, free with g_free()
 */
char *
tincan_payload_render_python (const guint8 *data,
                              gsize         length)
{
  GString *s;
  char quote = '\'';

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    data = (const guint8 *) "";

  /* Python prefers single quotes, and switches only when that saves escapes. */
  if (memchr (data, '\'', length) != NULL && memchr (data, '"', length) == NULL)
    quote = '"';

  s = g_string_sized_new (length + 3);
  g_string_append_c (s, 'b');
  g_string_append_c (s, quote);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c == quote || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c == '\t')
        g_string_append_len (s, "\\t", 2);
      else if (c == '\n')
        g_string_append_len (s, "\\n", 2);
      else if (c == '\r')
        g_string_append_len (s, "\\r", 2);
      else if (!is_printable_ascii (c))
        append_byte_escape (s, c);
      else
        g_string_append_c (s, c);
    }

  g_string_append_c (s, quote);

  return g_string_free (s, FALSE);
}

/**
 * tincan_payload_render_hex:
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Returns: (transfer full): lowercase hex without separators ("6869"), free
 *   with g_free()
 */
char *
tincan_payload_render_hex (const guint8 *data,
                           gsize         length)
{
  GString *s;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  s = g_string_sized_new (length * 2);
  tincan_payload_append_hex (s, data, length);
  return g_string_free (s, FALSE);
}

/**
 * tincan_payload_append_hex:
 * @s: where the hex goes
 * @data: (array length=length): bytes
 * @length: number of bytes
 *
 * Appends what tincan_payload_render_hex() returns for @data to @s, for
 * callers that render many payloads into one buffer (the log).
 */
void
tincan_payload_append_hex (GString      *s,
                           const guint8 *data,
                           gsize         length)
{
  gsize at;
  char *out;

  g_return_if_fail (s != NULL);
  g_return_if_fail (data != NULL || length == 0);

  at = s->len;
  g_string_set_size (s, at + length * 2);
  out = s->str + at;
  for (gsize i = 0; i < length; i++)
    {
      out[2 * i] = hex_lower[data[i] >> 4];
      out[2 * i + 1] = hex_lower[data[i] & 0xF];
    }
}

/* Longest piece of user text quoted in an error message, in characters. */
#define MAX_QUOTED 48

/**
 * tincan_payload_quote:
 * @text: user text, not necessarily valid UTF-8
 * @length: its length in bytes, or -1 if nul-terminated
 *
 * User text goes into error messages through here: escaped like payloads, so
 * a control or bidi character cannot garble the message, and shortened on a
 * character boundary, so a pasted novel does not become a novel-sized error.
 *
 * Returns: (transfer full): at most 48 characters, the last "…" when cut
 */
char *
tincan_payload_quote (const char *text,
                      gssize      length)
{
  g_autofree char *shown = NULL;
  const char *cut;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);

  shown = tincan_payload_render_text ((const guint8 *) text, length);
  if (g_utf8_strlen (shown, -1) <= MAX_QUOTED)
    return g_steal_pointer (&shown);

  cut = g_utf8_offset_to_pointer (shown, MAX_QUOTED - 1);
  return g_strdup_printf ("%.*s…", (int) (cut - shown), shown);
}
