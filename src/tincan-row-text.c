/* tincan-row-text.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Wrapped monospace text for transcript rows, measured without shaping.
 *
 * GtkListView (GTK 4.8) keeps some 200 rows around what it shows and
 * measures all of them; following a flood, every frame brings 200 new rows.
 * GtkLabel shapes text to measure it (a wrapping label even lays itself out
 * at width 0, one character per line), and under a flood that cost half a
 * second per frame. Transcript text is monospace, so its size follows from
 * counting columns: measuring here costs no shaping at all, and text is
 * shaped only when a row is drawn. When the drawn layout turns out taller
 * than counted (wide or fallback glyphs, word wrapping), the real height is
 * kept and the row measured again.
 *
 * Text that stands for bytes (tincan_row_text_set_literal()) is drawn left
 * to right in the order it was received: each line is wrapped in LEFT-TO-RIGHT
 * OVERRIDE ... POP DIRECTIONAL FORMATTING inside an LTR paragraph, so the
 * bidi algorithm reorders nothing (an isolate alone would still reverse the
 * digits after an Arabic word). The marks are added to the layout only; the
 * text and its accessible label stay as given. Drawing is clipped to the
 * widget, so a stack of combining marks cannot paint over the row's header.
 *
 * Wrapping never hyphenates (Pango inserts hyphens by default where it
 * breaks a word: "\xb8\x-" over "b9" showed a byte that is not there), and
 * spans of the text can be drawn dim: the framing's bytes beside the payload
 * (tincan_render_row()), and spans highlighted: search matches. */

#include "config.h"

#include <string.h>

#include "tincan-row-text.h"

struct _TincanRowText
{
  GtkWidget    parent_instance;

  char        *text;
  gboolean     literal;
  GArray      *dim;           /* of TincanSpan, byte offsets into text */
  GArray      *marks;         /* of TincanSpan: search matches, highlighted */
  gboolean     single_line;   /* one line, ellipsized: compact rows */
  GArray      *line_columns;  /* guint per hard line, in character cells */
  guint        max_columns;

  PangoLayout *layout;        /* made when first drawn */
  int          cell_width;    /* Pango units */
  int          line_height;   /* Pango units */

  int          real_width;    /* the width a drawn layout was measured at, or -1 */
  int          real_height;   /* pixels */
};

G_DEFINE_FINAL_TYPE (TincanRowText, tincan_row_text, GTK_TYPE_WIDGET)

#define LRO "\u202D"
#define PDF "\u202C"

/* The layout's text: @text with each line forced left to right. */
static char *
dup_layout_text (TincanRowText *self)
{
  g_auto(GStrv) lines = NULL;
  GString *out;

  if (!self->literal)
    return g_strdup (self->text);

  lines = g_strsplit (self->text, "\n", -1);
  out = g_string_sized_new (strlen (self->text) + 8);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s" LRO "%s" PDF, i > 0 ? "\n" : "", lines[i]);

  return g_string_free (out, FALSE);
}

/* Dim text at the opacity of GNOME's .dim-label. */
#define DIM_ALPHA ((guint16) (0.55 * 65535))

/* @offset in the text, as an offset into the layout's text, which adds an
 * LRO before and a PDF after each line of literal text; @line is the
 * number of line breaks before @offset. */
static guint
layout_offset (TincanRowText *self,
               guint          offset,
               guint          line)
{
  if (!self->literal)
    return offset;
  return offset + (guint) strlen (LRO) * (line + 1) + (guint) strlen (PDF) * line;
}

/* Counts the line breaks before each offset; offsets come in order. */
typedef struct
{
  const char *p;
  guint       line;
} LineCount;

static guint
layout_offset_counted (TincanRowText *self,
                       LineCount     *count,
                       guint          offset)
{
  for (; *count->p != '\0' && count->p < self->text + offset; count->p++)
    count->line += *count->p == '\n';
  return layout_offset (self, offset, count->line);
}

/* A highlight that reads in light and dark styles: dark text on yellow. */
static void
add_mark_attributes (TincanRowText *self,
                     PangoAttrList *attrs)
{
  LineCount count = { self->text, 0 };

  for (guint i = 0; i < self->marks->len; i++)
    {
      const TincanSpan *span = &g_array_index (self->marks, TincanSpan, i);
      guint start = layout_offset_counted (self, &count, span->start);
      guint end = layout_offset_counted (self, &count, span->end);
      PangoAttribute *background = pango_attr_background_new (0xf6f6, 0xd3d3, 0x2d2d);
      PangoAttribute *foreground = pango_attr_foreground_new (0, 0, 0);

      background->start_index = foreground->start_index = start;
      background->end_index = foreground->end_index = end;
      pango_attr_list_insert (attrs, background);
      pango_attr_list_insert (attrs, foreground);
    }
}

static PangoAttrList *
make_attributes (TincanRowText *self)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  LineCount count = { self->text, 0 };

  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  for (guint i = 0; i < self->dim->len; i++)
    {
      const TincanSpan *span = &g_array_index (self->dim, TincanSpan, i);
      PangoAttribute *attr = pango_attr_foreground_alpha_new (DIM_ALPHA);

      /* Dim spans never cross a line break: one count serves both ends. */
      attr->start_index = layout_offset_counted (self, &count, span->start);
      attr->end_index = layout_offset (self, span->end, count.line);
      pango_attr_list_insert (attrs, attr);
    }
  add_mark_attributes (self, attrs);

  return attrs;
}

static void
update_layout_attributes (TincanRowText *self)
{
  PangoAttrList *attrs;

  if (self->layout == NULL)
    return;

  attrs = make_attributes (self);
  pango_layout_set_attributes (self->layout, attrs);
  pango_attr_list_unref (attrs);
}

static void
update_layout_text (TincanRowText *self)
{
  g_autofree char *text = NULL;

  if (self->layout == NULL)
    return;

  text = dup_layout_text (self);
  pango_layout_set_text (self->layout, text, -1);
  update_layout_attributes (self);
}

static guint
cell_count (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  if (g_unichar_iswide (c))
    return 2;
  return 1;
}

static void
count_columns (TincanRowText *self)
{
  guint columns = 0;

  g_array_set_size (self->line_columns, 0);
  self->max_columns = 0;

  for (const char *p = self->text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\0')
        {
          g_array_append_val (self->line_columns, columns);
          self->max_columns = MAX (self->max_columns, columns);
          columns = 0;
          if (c == '\0')
            break;
        }
      else
        {
          columns += cell_count (c);
        }
    }
}

static void
ensure_metrics (TincanRowText *self)
{
  PangoContext *context;
  PangoFontMetrics *metrics;

  if (self->cell_width > 0)
    return;

  context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  metrics = pango_context_get_metrics (context, NULL, NULL);
  self->cell_width = MAX (1, pango_font_metrics_get_approximate_char_width (metrics));
  self->line_height = MAX (1, pango_font_metrics_get_height (metrics));
  pango_font_metrics_unref (metrics);
}

/* Pixels the text takes at @width pixels, counting cells. */
static int
counted_height (TincanRowText *self,
                int            width)
{
  guint per_line = MAX (1, (guint) ((gint64) width * PANGO_SCALE / self->cell_width));
  guint64 lines = 0;

  for (guint i = 0; i < self->line_columns->len; i++)
    {
      guint columns = g_array_index (self->line_columns, guint, i);

      lines += width < 0 || columns == 0 ? 1 : (columns + per_line - 1) / per_line;
    }

  return PANGO_PIXELS_CEIL (lines * self->line_height);
}

/**
 * tincan_row_text_set_text:
 * @text: (nullable): plain text, shown as is (no markup)
 */
void
tincan_row_text_set_text (TincanRowText *self,
                          const char    *text)
{
  g_return_if_fail (TINCAN_IS_ROW_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text ? text : "");
  g_array_set_size (self->dim, 0);
  g_array_set_size (self->marks, 0);
  count_columns (self);
  self->real_width = -1;
  update_layout_text (self);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);
}

static void
set_spans (TincanRowText    *self,
           GArray           *array,
           const TincanSpan *spans,
           guint             n_spans)
{
  gsize length;

  if (n_spans == 0 && array->len == 0)
    return;

  length = strlen (self->text);
  g_array_set_size (array, 0);
  for (guint i = 0; i < n_spans; i++)
    {
      g_return_if_fail (spans[i].start <= spans[i].end && spans[i].end <= length);
      g_array_append_val (array, spans[i]);
    }
  update_layout_attributes (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * tincan_row_text_set_dim:
 * @spans: (array length=n_spans): the spans of the text to draw dim, in
 *   byte offsets into it, in order, none across a line break
 *
 * Call after tincan_row_text_set_text(), which clears them.
 */
void
tincan_row_text_set_dim (TincanRowText    *self,
                         const TincanSpan *spans,
                         guint             n_spans)
{
  g_return_if_fail (TINCAN_IS_ROW_TEXT (self));
  g_return_if_fail (spans != NULL || n_spans == 0);

  set_spans (self, self->dim, spans, n_spans);
}

/**
 * tincan_row_text_set_marks:
 * @spans: (array length=n_spans): the spans of the text to highlight (search
 *   matches), in byte offsets into it, in order, not overlapping
 *
 * Call after tincan_row_text_set_text(), which clears them.
 */
void
tincan_row_text_set_marks (TincanRowText    *self,
                           const TincanSpan *spans,
                           guint             n_spans)
{
  g_return_if_fail (TINCAN_IS_ROW_TEXT (self));
  g_return_if_fail (spans != NULL || n_spans == 0);

  set_spans (self, self->marks, spans, n_spans);
}

/**
 * tincan_row_text_set_single_line:
 * @single_line: one line, ended by "…" where it does not fit, rather than
 *   wrapped; for text of one line (compact rows)
 */
void
tincan_row_text_set_single_line (TincanRowText *self,
                                 gboolean       single_line)
{
  g_return_if_fail (TINCAN_IS_ROW_TEXT (self));

  single_line = !!single_line;
  if (self->single_line == single_line)
    return;

  self->single_line = single_line;
  self->real_width = -1;
  if (self->layout != NULL)
    pango_layout_set_ellipsize (self->layout,
                                single_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * tincan_row_text_set_literal:
 * @literal: whether the text stands for bytes, to be drawn left to right in
 *   logical order with no bidi reordering
 */
void
tincan_row_text_set_literal (TincanRowText *self,
                             gboolean       literal)
{
  g_return_if_fail (TINCAN_IS_ROW_TEXT (self));

  literal = !!literal;
  if (self->literal == literal)
    return;

  self->literal = literal;
  self->real_width = -1;
  update_layout_text (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * tincan_row_text_get_layout:
 *
 * Returns: (transfer none): the layout the text is drawn with, made now if
 *   it was not yet; for tests that check how text is laid out
 */
PangoLayout *
tincan_row_text_get_layout (TincanRowText *self)
{
  g_return_val_if_fail (TINCAN_IS_ROW_TEXT (self), NULL);

  if (self->layout == NULL)
    {
      PangoContext *context = gtk_widget_create_pango_context (GTK_WIDGET (self));
      /* The paragraph is left to right whatever its first letter and the
       * locale's direction; a context of its own says so without changing
       * the widget's direction (which, changed while a list binds rows,
       * restyles the widget in the middle of a frame). */
      pango_context_set_base_dir (context, PANGO_DIRECTION_LTR);
      self->layout = pango_layout_new (context);
      g_object_unref (context);
      pango_layout_set_auto_dir (self->layout, FALSE);
      pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (self->layout,
                                  self->single_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
      update_layout_text (self);
    }

  return self->layout;
}

const char *
tincan_row_text_get_text (TincanRowText *self)
{
  g_return_val_if_fail (TINCAN_IS_ROW_TEXT (self), NULL);

  return self->text;
}

static GtkSizeRequestMode
tincan_row_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tincan_row_text_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  TincanRowText *self = TINCAN_ROW_TEXT (widget);

  ensure_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = PANGO_PIXELS_CEIL ((gint64) self->max_columns * self->cell_width);
      *minimum = MIN (*natural, PANGO_PIXELS_CEIL (8 * self->cell_width));
    }
  else if (self->single_line)
    {
      *minimum = *natural = PANGO_PIXELS_CEIL (self->line_height);
    }
  else if (for_size >= 0 && for_size == self->real_width)
    {
      *minimum = *natural = self->real_height;
    }
  else
    {
      *minimum = *natural = counted_height (self, for_size);
    }
}

static void
tincan_row_text_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  TincanRowText *self = TINCAN_ROW_TEXT (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height;
  GdkRGBA color;

  if (self->text[0] == '\0')
    return;

  tincan_row_text_get_layout (self);
  pango_layout_set_width (self->layout, width * PANGO_SCALE);

  gtk_style_context_get_color (style, &color);
  gtk_snapshot_push_clip (snapshot,
                          &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_pop (snapshot);

  /* Counting cells was not exact (wide glyphs, word wrap): use the real
   * height from now on. */
  pango_layout_get_pixel_size (self->layout, NULL, &height);
  if (self->real_width != width)
    {
      self->real_width = width;
      self->real_height = height;
      if (height != gtk_widget_get_height (widget))
        gtk_widget_queue_resize (widget);
    }
}

static void
tincan_row_text_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  TincanRowText *self = TINCAN_ROW_TEXT (widget);

  GTK_WIDGET_CLASS (tincan_row_text_parent_class)->css_changed (widget, change);

  /* The font may have changed. */
  g_clear_object (&self->layout);
  self->cell_width = 0;
  self->real_width = -1;
  gtk_widget_queue_resize (widget);
}

static void
tincan_row_text_finalize (GObject *object)
{
  TincanRowText *self = (TincanRowText *)object;

  g_clear_object (&self->layout);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->line_columns, g_array_unref);
  g_clear_pointer (&self->dim, g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);

  G_OBJECT_CLASS (tincan_row_text_parent_class)->finalize (object);
}

static void
tincan_row_text_class_init (TincanRowTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tincan_row_text_finalize;

  widget_class->get_request_mode = tincan_row_text_get_request_mode;
  widget_class->measure = tincan_row_text_measure;
  widget_class->snapshot = tincan_row_text_snapshot;
  widget_class->css_changed = tincan_row_text_css_changed;

  gtk_widget_class_set_css_name (widget_class, "rowtext");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tincan_row_text_init (TincanRowText *self)
{
  self->text = g_strdup ("");
  self->line_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  self->dim = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  self->marks = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  self->real_width = -1;
  self->literal = TRUE;
  count_columns (self);
}

/* The highlighted spans (for tests). */
GArray *
tincan_row_text_get_marks (TincanRowText *self)
{
  g_return_val_if_fail (TINCAN_IS_ROW_TEXT (self), NULL);

  return self->marks;
}
