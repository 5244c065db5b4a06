/* tincan-render-row.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a transcript row draws for a message: its exact wire bytes, the
 * framing's part (a length prefix, a delimiter) drawn dim beside the
 * payload, in every view (issue 12, item 1). In the Text view a line break
 * inside the payload breaks the row's line too, its escape kept, dim, at the
 * end of the line (item 4), so a multi-line reply reads as lines. The spans
 * to draw dim are byte offsets into the returned text.
 *
 * What a copy holds is tincan_render_payload()'s: the payload alone, which
 * parses back; this is only what a row shows. */

#include "config.h"

#include "tincan-payload.h"
#include "tincan-render.h"

typedef struct
{
  GString           *text;
  GArray            *dim;      /* of TincanSpan, or NULL */
  /* Search matches to highlight: wire byte ranges in, text spans out. */
  const TincanMatch *marks;
  guint              n_marks;
  GArray            *marked;   /* of TincanSpan, or NULL */
  gsize              wire_at;  /* wire offset of the next byte appended */
} Row;

/* A message's wire bytes: the framing's before and after the payload kept. */
typedef struct
{
  const guint8 *prefix;
  const guint8 *data;
  const guint8 *suffix;
  gsize         prefix_length;
  gsize         kept;
  gsize         suffix_length;
  gsize         length;   /* of the whole payload */
} Wire;

static void
add_dim (Row   *row,
         gsize  start)
{
  TincanSpan span = { (guint) start, (guint) row->text->len };

  if (row->dim != NULL && span.end > span.start)
    g_array_append_val (row->dim, span);
}

static void
add_marked (Row   *row,
            gsize  start)
{
  TincanSpan span = { (guint) start, (guint) row->text->len };

  if (span.end > span.start)
    g_array_append_val (row->marked, span);
}

/* The first mark that ends after wire offset @at. */
static guint
first_mark_after (Row   *row,
                  gsize  at)
{
  guint i = 0;

  while (i < row->n_marks && row->marks[i].end <= at)
    i++;
  return i;
}

/* Appends @data as text, cut where a mark starts or ends, so that each
 * mark's text is a span of its own. A cut inside a UTF-8 character shows
 * its bytes as escapes: the match is of bytes, and so is its highlight. */
static void
append_text (Row          *row,
             const guint8 *data,
             gsize         length,
             gboolean      dim)
{
  gsize start = row->text->len;
  gsize done = 0;
  guint m = row->marked != NULL ? first_mark_after (row, row->wire_at) : row->n_marks;

  while (done < length)
    {
      gsize at = row->wire_at + done;
      gsize piece = length - done;
      gboolean in_mark = FALSE;
      gsize piece_start = row->text->len;

      if (m < row->n_marks && row->marks[m].start <= at)
        {
          in_mark = TRUE;
          piece = MIN (piece, row->marks[m].end - at);
        }
      else if (m < row->n_marks)
        {
          piece = MIN (piece, row->marks[m].start - at);
        }
      tincan_payload_append_text (row->text, data + done, piece);
      if (in_mark)
        {
          add_marked (row, piece_start);
          if (at + piece >= row->marks[m].end)
            m++;
        }
      done += piece;
    }
  row->wire_at += length;
  if (dim)
    add_dim (row, start);
}

/* The payload as text, each LF (with a CR before it) escaped, dim, and
 * followed by a real line break when more follows on the row. */
static void
append_text_lines (Row          *row,
                   const guint8 *data,
                   gsize         length,
                   gboolean      more_follows)
{
  gsize start = 0;

  for (gsize i = 0; i < length; i++)
    {
      gsize ending;

      if (data[i] != '\n')
        continue;

      ending = i > start && data[i - 1] == '\r' ? i - 1 : i;
      append_text (row, data + start, ending - start, FALSE);
      append_text (row, data + ending, i + 1 - ending, TRUE);
      if (i + 1 < length || more_follows)
        g_string_append_c (row->text, '\n');
      start = i + 1;
    }
  append_text (row, data + start, length - start, FALSE);
}

static gsize
render_text (Row        *row,
             const Wire *w,
             gsize       cap)
{
  /* Cut between characters, never inside one (tincan_render_message()). */
  gsize shown = tincan_payload_text_cut (w->data, w->kept, cap);
  gboolean whole = shown == w->length;

  append_text (row, w->prefix, w->prefix_length, TRUE);
  append_text_lines (row, w->data, shown, whole && w->suffix_length > 0);
  if (whole)
    append_text (row, w->suffix, w->suffix_length, TRUE);
  return shown;
}

static void
append_python (Row          *row,
               const guint8 *data,
               gsize         length,
               gboolean      dim)
{
  g_autofree char *literal = tincan_payload_render_python (data, length);
  gsize start;

  if (row->text->len > 0)
    g_string_append_c (row->text, ' ');
  start = row->text->len;
  g_string_append (row->text, literal);
  row->wire_at += length;
  if (dim)
    add_dim (row, start);
}

/* Adjacent literals, as Python joins them: b'\x00\x04' b'PING'. */
static gsize
render_python (Row        *row,
               const Wire *w,
               gsize       cap)
{
  gsize shown = MIN (w->kept, cap);

  if (w->prefix_length > 0)
    append_python (row, w->prefix, w->prefix_length, TRUE);
  append_python (row, w->data, shown, FALSE);
  if (w->suffix_length > 0 && shown == w->length)
    append_python (row, w->suffix, w->suffix_length, TRUE);
  return shown;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const TincanSpan *x = a, *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

/* Adds to @spans the hex and text cells of the dump's bytes [first, first + n). */
static void
dim_dump_bytes (Row    *row,
                GArray *spans,
                gsize   first,
                gsize   n)
{
  for (gsize i = first; i < first + n; i++)
    {
      gsize hex, ascii;
      TincanSpan cells[2];

      tincan_payload_hexdump_position (i, &hex, &ascii);
      cells[0] = (TincanSpan) { (guint) hex, (guint) hex + 2 };
      cells[1] = (TincanSpan) { (guint) ascii, (guint) ascii + 1 };
      if (spans != NULL)
        g_array_append_vals (spans, cells, 2);
    }
}

/* A dump of the wire bytes, offsets counted from the first: the prefix's
 * and the delimiter's bytes dim in both columns. */
static gsize
render_hexdump (Row        *row,
                const Wire *w,
                gsize       cap)
{
  gsize shown = MIN (w->kept, cap);
  gsize suffix_length = shown < w->length ? 0 : w->suffix_length;
  g_autoptr(GByteArray) wire = g_byte_array_sized_new ((guint) (w->prefix_length + shown +
                                                                suffix_length));
  g_autofree char *dump = NULL;

  g_byte_array_append (wire, w->prefix, (guint) w->prefix_length);
  g_byte_array_append (wire, w->data, (guint) shown);
  g_byte_array_append (wire, w->suffix, (guint) suffix_length);

  dump = tincan_payload_render_hexdump (wire->data, wire->len);
  g_string_append (row->text, dump);
  dim_dump_bytes (row, row->dim, 0, w->prefix_length);
  dim_dump_bytes (row, row->dim, w->prefix_length + shown, suffix_length);
  for (guint m = 0; row->marked != NULL && m < row->n_marks; m++)
    {
      gsize start = MIN (row->marks[m].start, wire->len);
      gsize end = MIN (row->marks[m].end, wire->len);

      dim_dump_bytes (row, row->marked, start, end - start);
    }
  if (row->dim != NULL)
    g_array_sort (row->dim, compare_spans);
  if (row->marked != NULL)
    g_array_sort (row->marked, compare_spans);
  return shown;
}

/**
 * tincan_render_cap:
 * @expanded: whether the row was expanded
 *
 * Returns: how many payload bytes a row shows at most in @mode
 */
gsize
tincan_render_cap (TincanViewMode mode,
                   gboolean       expanded)
{
  if (mode == TINCAN_VIEW_HEX)
    return expanded ? TINCAN_RENDER_EXPAND_HEX : TINCAN_RENDER_CAP_HEX;
  return expanded ? TINCAN_RENDER_EXPAND_TEXT : TINCAN_RENDER_CAP_TEXT;
}

/**
 * tincan_render_is_capped:
 *
 * Returns: whether @message's row shows less than its payload in @mode,
 *   so that expanding it shows more
 */
gboolean
tincan_render_is_capped (TincanMessage  *message,
                         TincanViewMode  mode)
{
  TincanMessageKind direction = tincan_message_get_kind (message);

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    return FALSE;
  return tincan_message_get_length (message) > tincan_render_cap (mode, FALSE);
}

/**
 * tincan_render_row:
 * @mode: the view
 * @cap: how many payload bytes to show at most (TINCAN_RENDER_CAP_* for a
 *   row, more for an expanded one)
 * @dim: (nullable) (element-type TincanSpan): where to add the spans to
 *   draw dim, in byte offsets into the result, in order
 *
 * Status and error entries are their sentence, with nothing dim.
 *
 * Returns: (transfer full): the text a row shows, "… N more bytes" last
 *   when the payload is longer than shown
 */
char *
tincan_render_row (TincanMessage  *message,
                   TincanViewMode  mode,
                   gsize           cap,
                   GArray         *dim)
{
  return tincan_render_row_marked (message, mode, cap, dim, NULL, NULL);
}

/**
 * tincan_render_row_marked:
 * @matches: (nullable) (element-type TincanMatch): search matches in the
 *   message's wire bytes, in order, not overlapping
 * @marked: (nullable) (element-type TincanSpan): where to add the spans of
 *   the result that show them, in order
 *
 * Like tincan_render_row(), and tells where the matches are drawn: in the
 * Text view the matched bytes, in the Hex view their hex and text cells.
 * The Python view marks nothing: a literal cut at a match would read as
 * two literals.
 */
char *
tincan_render_row_marked (TincanMessage  *message,
                          TincanViewMode  mode,
                          gsize           cap,
                          GArray         *dim,
                          GArray         *matches,
                          GArray         *marked)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  Row row = { g_string_new (NULL), dim, NULL, 0, marked, 0 };
  gsize length = tincan_message_get_length (message);
  Wire wire;
  gsize shown;

  if (matches != NULL && marked != NULL)
    {
      row.marks = (const TincanMatch *) (void *) matches->data;
      row.n_marks = matches->len;
    }
  else
    {
      row.marked = NULL;
    }

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    {
      gsize kept;
      const guint8 *data = tincan_message_get_data (message, &kept);

      g_string_append_len (row.text, (const char *) data, (gssize) kept);
      for (guint m = 0; row.marked != NULL && m < row.n_marks; m++)
        {
          TincanSpan span = { MIN (row.marks[m].start, (guint) kept),
                              MIN (row.marks[m].end, (guint) kept) };

          if (span.end > span.start)
            g_array_append_val (row.marked, span);
        }
      return g_string_free (row.text, FALSE);
    }
  wire.data = tincan_message_get_data (message, &wire.kept);
  wire.prefix = tincan_message_get_prefix (message, &wire.prefix_length);
  wire.suffix = tincan_message_get_suffix (message, &wire.suffix_length);
  wire.length = length;
  switch (mode)
    {
    case TINCAN_VIEW_HEX:
      shown = render_hexdump (&row, &wire, cap);
      break;
    case TINCAN_VIEW_PYTHON:
      shown = render_python (&row, &wire, cap);
      break;
    case TINCAN_VIEW_TEXT:
    default:
      shown = render_text (&row, &wire, cap);
      break;
    }

  if (shown < length)
    tincan_render_append_more (row.text, length - shown);
  return g_string_free (row.text, FALSE);
}
