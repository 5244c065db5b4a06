/* tincan-reflow-box.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A row of controls that wraps onto more lines when the window is too narrow
 * for one, like words in a paragraph: libadwaita 1.2 has no breakpoints, and
 * an AdwSqueezer would need each control twice. Children keep their order;
 * a line gets as many as fit at their minimum width, then its spare width
 * goes to each child up to its natural width and what is left to the
 * children that expand (on a wrapped line without one, to all of them, so
 * that the lines stay flush). Hidden children take no room. */

#include "config.h"

#include "tincan-reflow-box.h"

struct _TincanReflowBox
{
  GtkWidget parent_instance;

  int       spacing;
};

G_DEFINE_FINAL_TYPE (TincanReflowBox, tincan_reflow_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Calls @place (if any) for each line that @width makes, with its first
 * child and how many visible children it holds. Returns the number of lines. */
typedef void (*LineFunc) (TincanReflowBox *self,
                          GtkWidget       *first,
                          guint            count,
                          int              width,
                          gboolean         wrapped,
                          gpointer         data);

static guint
count_lines (TincanReflowBox *self,
             int              width,
             LineFunc         place,
             gboolean         wrapped,
             gpointer         data)
{
  GtkWidget *first = NULL;
  guint lines = 0;
  guint count = 0;
  int used = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      if (count > 0 && used + self->spacing + min > width)
        {
          if (place != NULL)
            place (self, first, count, width, wrapped, data);
          lines++;
          count = 0;
        }
      if (count == 0)
        {
          first = child;
          used = min;
        }
      else
        {
          used += self->spacing + min;
        }
      count++;
    }

  if (count > 0)
    {
      if (place != NULL)
        place (self, first, count, width, wrapped, data);
      lines++;
    }

  return lines;
}

static GtkWidget *
next_visible (GtkWidget *child)
{
  while (child != NULL && !gtk_widget_should_layout (child))
    child = gtk_widget_get_next_sibling (child);
  return child;
}

static int
line_height (GtkWidget *first,
             guint      count,
             gboolean   natural)
{
  int height = 0;
  GtkWidget *child = next_visible (first);

  for (guint i = 0; i < count; i++, child = next_visible (gtk_widget_get_next_sibling (child)))
    {
      int min, nat;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
      height = MAX (height, natural ? nat : min);
    }

  return height;
}

typedef struct
{
  int  y;
  int  height;    /* measuring: the sum so far; placing: the line height */
  int  minimum;
  gboolean place;
} LineState;

static void
place_line (TincanReflowBox *self,
            GtkWidget       *first,
            guint            count,
            int              width,
            gboolean         wrapped,
            gpointer         data)
{
  LineState *state = data;
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, count);
  int height = line_height (first, count, TRUE);
  int spare = width - self->spacing * (int) (count - 1);
  guint n_expand = 0;
  guint receivers;
  GtkWidget *child;
  int x = 0;

  if (state->y > 0)
    state->y += self->spacing;
  state->minimum += (state->minimum > 0 ? self->spacing : 0) + line_height (first, count, FALSE);

  if (!state->place)
    {
      state->y += height;
      return;
    }

  child = next_visible (first);
  for (guint i = 0; i < count; i++, child = next_visible (gtk_widget_get_next_sibling (child)))
    {
      sizes[i].data = child;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &sizes[i].minimum_size, &sizes[i].natural_size, NULL, NULL);
      spare -= sizes[i].minimum_size;
      if (gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
    }

  spare = gtk_distribute_natural_allocation (MAX (spare, 0), count, sizes);
  receivers = n_expand > 0 ? n_expand : wrapped ? count : 0;

  for (guint i = 0; i < count; i++)
    {
      GtkWidget *item = sizes[i].data;
      int w = sizes[i].minimum_size;

      if (receivers > 0 &&
          (n_expand == 0 || gtk_widget_compute_expand (item, GTK_ORIENTATION_HORIZONTAL)))
        {
          int extra = spare / (int) receivers--;

          w += extra;
          spare -= extra;
        }

      gtk_widget_size_allocate (item, &(GtkAllocation) { x, state->y, w, height }, -1);
      x += w + self->spacing;
    }

  state->y += height;
}

static void
tincan_reflow_box_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  TincanReflowBox *self = TINCAN_REFLOW_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest = 0;
      int total = 0;
      guint count = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min, nat;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          widest = MAX (widest, min);
          total += nat + (count++ > 0 ? self->spacing : 0);
        }

      *minimum = widest;
      *natural = total;
    }
  else
    {
      LineState state = { 0, };
      guint lines;
      int unused;

      /* Without a width, the answer for the narrowest width. */
      if (for_size < 0)
        tincan_reflow_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &for_size, &unused,
                                   NULL, NULL);
      lines = count_lines (self, for_size, place_line, FALSE, &state);
      *minimum = lines > 0 ? state.minimum : 0;
      *natural = lines > 0 ? state.y : 0;
    }
}

static void
tincan_reflow_box_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  TincanReflowBox *self = TINCAN_REFLOW_BOX (widget);
  LineState state = { .place = TRUE };
  gboolean wrapped = count_lines (self, width, NULL, FALSE, NULL) > 1;

  count_lines (self, width, place_line, wrapped, &state);
}

static GtkSizeRequestMode
tincan_reflow_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tincan_reflow_box_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TincanReflowBox *self = TINCAN_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_reflow_box_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TincanReflowBox *self = TINCAN_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      if (self->spacing != g_value_get_int (value))
        {
          self->spacing = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_reflow_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tincan_reflow_box_parent_class)->dispose (object);
}

static void
tincan_reflow_box_class_init (TincanReflowBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_reflow_box_dispose;
  object_class->get_property = tincan_reflow_box_get_property;
  object_class->set_property = tincan_reflow_box_set_property;

  widget_class->measure = tincan_reflow_box_measure;
  widget_class->size_allocate = tincan_reflow_box_size_allocate;
  widget_class->get_request_mode = tincan_reflow_box_get_request_mode;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "reflowbox");
}

static void
tincan_reflow_box_init (TincanReflowBox *self)
{
}
