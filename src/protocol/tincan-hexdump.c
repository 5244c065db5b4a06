/* tincan-hexdump.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Recognising a pasted hex dump, so that the hex composer takes one as it
 * is: xxd (and Tincan's own Hex dump view), `hexdump -C`, `od -A x -t x1z`
 * and Wireshark's "Copy as Hex Dump". Each line is an offset, the bytes in
 * hex, and a text column; the offsets and the text column are decoration.
 *
 * Written by hand: no library parses these, and a regular expression cannot
 * tell the text column from more hex ("cafe" is both). What tells them apart
 * is the offsets: the next line's offset says how many bytes this line has,
 * and the text column of the last line starts where it did on the others
 * (every one of these tools pads a short last line). */

#include "config.h"

#include <string.h>

#include "tincan-hexdump.h"

#define MIN_OFFSET_DIGITS 4
#define MAX_OFFSET_DIGITS 16

typedef struct
{
  gsize    start;         /* of the line, in the input */
  gsize    end;           /* the line's end, before its '\n' */
  guint64  offset;
  gsize    hex_start;     /* after the offset and its ':' */
  gsize    hex_end;       /* after the last hex digit */
  gsize    text_start;    /* where decoration starts again; end if none */
  gboolean colon;         /* "00000000:" (xxd) */
  gboolean marker;        /* the text column is "|...|" or ">...<" */
  gboolean offset_only;   /* the closing line of hexdump -C and od */
} Line;

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

/* The offset at the start of the line: 4 to 16 hex digits, then ':' or a
 * blank or the end of the line. */
static gboolean
read_offset (const char *input,
             Line       *line)
{
  gsize p = line->start;
  gsize digits = 0;

  while (p < line->end && is_blank (input[p]))
    p++;
  line->offset = 0;
  while (p < line->end && hex_digit (input[p]) >= 0 && digits < MAX_OFFSET_DIGITS)
    {
      line->offset = line->offset << 4 | (guint64) hex_digit (input[p]);
      p++;
      digits++;
    }
  if (digits < MIN_OFFSET_DIGITS)
    return FALSE;
  line->colon = p < line->end && input[p] == ':';
  if (line->colon)
    p++;
  else if (p < line->end && !is_blank (input[p]))
    return FALSE;

  line->hex_start = p;
  return TRUE;
}

/* A hex token: an even number of hex digits up to a blank or the end. */
static gsize
hex_token_end (const char *input,
               gsize       p,
               gsize       end)
{
  gsize q = p;

  while (q < end && !is_blank (input[q]))
    {
      if (hex_digit (input[q]) < 0)
        return p;
      q++;
    }
  return (q - p) % 2 == 0 ? q : p;
}

/* Reads the bytes of LINE. With WANT > 0, exactly that many must come
 * before the text column. Otherwise (the last line) the hex ends before
 * HEX_COLUMN, where it ended on a full line, when there is one: the tools
 * pad a short last line, and its text may begin with spaces or read as
 * hex. Without one, the text column begins at a '|' or '>' or after a gap
 * of two blanks. Sets hex_end and text_start; returns the number of bytes,
 * or -1 if the line does not read as a dump line. */
static gint64
read_bytes (const char *input,
            Line       *line,
            gint64      want,
            gint64      hex_column)
{
  gsize p = line->hex_start;
  gint64 bytes = 0;

  line->hex_end = p;
  line->text_start = line->end;
  line->marker = FALSE;
  for (;;)
    {
      gsize gap_start = p;
      gsize q;

      while (p < line->end && is_blank (input[p]))
        p++;
      if (p == line->end)
        break;
      if (input[p] == '|' || input[p] == '>')
        {
          line->marker = TRUE;
          line->text_start = p;
          break;
        }
      if (want > 0 && bytes == want)
        {
          line->text_start = p;
          break;
        }
      if (want <= 0 && bytes > 0 &&
          (hex_column >= 0 ? (gint64) (p - line->start) >= hex_column : p - gap_start >= 2))
        {
          line->text_start = p;
          break;
        }
      q = hex_token_end (input, p, line->end);
      if (q == p)
        {
          if (want > 0 || bytes == 0)
            return -1;
          line->text_start = p;
          break;
        }
      bytes += (gint64) (q - p) / 2;
      p = line->hex_end = q;
    }

  if (want > 0 && bytes != want)
    return -1;
  return bytes;
}

static GArray *
split_lines (const char *input,
             gsize       length)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  gsize start = 0;

  while (start < length)
    {
      const char *nl = memchr (input + start, '\n', length - start);
      gsize end = nl != NULL ? (gsize) (nl - input) : length;
      gsize p = start;

      while (p < end && is_blank (input[p]))
        p++;
      if (p < end)
        g_array_append_val (lines, ((Line) { .start = start, .end = end }));
      start = end + 1;
    }
  return lines;
}

/* Reads every line as a dump line; FALSE as soon as one does not. */
static gboolean
read_dump (const char *input,
           GArray     *lines)
{
  gint64 hex_column = -1;

  for (guint i = 0; i < lines->len; i++)
    if (!read_offset (input, &g_array_index (lines, Line, i)))
      return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      Line *next = i + 1 < lines->len ? &g_array_index (lines, Line, i + 1) : NULL;
      gint64 want = next != NULL ? (gint64) (next->offset - line->offset) : 0;
      gint64 bytes;

      if (next != NULL && next->offset <= line->offset)
        return FALSE;
      bytes = read_bytes (input, line, want, hex_column);
      if (bytes < 0)
        return FALSE;
      if (bytes == 0)
        {
          /* Only the last line may be an offset alone. */
          if (next != NULL)
            return FALSE;
          line->offset_only = TRUE;
        }
      if (next != NULL && hex_column < 0)
        hex_column = (gint64) (line->hex_end - line->start);
    }
  return TRUE;
}

/* A single line is a dump only when it says so: xxd's "00000000:" at
 * offset 0, or a marked text column. "0000 1111" stays hex. */
static gboolean
looks_deliberate (const char *input,
                  GArray     *lines)
{
  Line *first = &g_array_index (lines, Line, 0);

  if (lines->len >= 2)
    return TRUE;
  return first->offset == 0 && (first->marker ||
                                (first->colon && first->hex_start - first->start >= 9));
}

/**
 * tincan_hexdump_blank_decorations:
 * @input: what was pasted into the hex composer
 * @length: its length in bytes
 *
 * If @input is a hex dump (see the top of this file), returns a copy with
 * the offsets and the text columns replaced by spaces, byte for byte, so
 * that the hex parser reads only the bytes and its error positions still
 * point into @input. Otherwise returns %NULL.
 *
 * Returns: (transfer full) (nullable): the copy, or %NULL
 */
char *
tincan_hexdump_blank_decorations (const char *input,
                                  gsize       length)
{
  g_autoptr(GArray) lines = NULL;
  char *copy;

  g_return_val_if_fail (input != NULL || length == 0, NULL);

  if (length == 0)
    return NULL;
  lines = split_lines (input, length);
  if (lines->len == 0 || !read_dump (input, lines) || !looks_deliberate (input, lines))
    return NULL;

  copy = g_malloc (length + 1);
  memcpy (copy, input, length);
  copy[length] = '\0';
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);

      memset (copy + line->start, ' ', line->hex_start - line->start);
      memset (copy + line->text_start, ' ', line->end - line->text_start);
    }
  return copy;
}
