/* tincan-message-row.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tincan-message-row.h"
#include "tincan-row-text.h"
#include "tincan-transcript-view-private.h"

struct _TincanMessageRow
{
  GtkWidget       parent_instance;

  GtkImage       *icon;
  GtkBox         *text_box;
  TincanRowText  *header_text;
  TincanRowText  *payload_text;

  TincanEntry    *entry;
  TincanViewMode  view_mode;
  gboolean        compact;
  gboolean        expanded;
  /* What the row shows now, so that a bind only changes what differs: in a
   * flood, GTK 4.8 rebinds a few hundred rows per frame. */
  const void     *shown_style;
  guint64         shown_connection;
  GBinding       *view_mode_binding;
  GBinding       *compact_binding;
  TincanMatcher  *matcher;         /* the search's, to highlight; or NULL */
  GBinding       *matcher_binding;
};

G_DEFINE_FINAL_TYPE (TincanMessageRow, tincan_message_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_VIEW_MODE,
  PROP_COMPACT,
  PROP_MATCHER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The time (12), two spaces and "16,777,216 bytes", one more space: where
 * compact payloads start. */
#define COMPACT_HEADER_COLUMNS 31

typedef struct
{
  const char *css_class;
  const char *icon_name;
  const char *label;
} DirectionStyle;

/* Direction is told by icon shape and text as well as colour, so it reads
 * the same in dark mode, for colour-blind users and for screen readers. */
static const DirectionStyle styles[] = {
  [TINCAN_MESSAGE_KIND_SENT] = { "sent", "go-up-symbolic", N_("Sent") },
  [TINCAN_MESSAGE_KIND_RECEIVED] = { "received", "go-down-symbolic", N_("Received") },
  [TINCAN_MESSAGE_KIND_STATUS] = { "status", "dialog-information-symbolic", N_("Status") },
  [TINCAN_MESSAGE_KIND_ERROR] = { "error", "dialog-error-symbolic", N_("Error") },
};

/* A compact row shows the first line; " …" says that more lines follow. */
static void
keep_first_line (const char *payload,
                 GArray     *dim,
                 GString    *out)
{
  const char *end = strchr (payload, '\n');
  guint kept = 0;

  g_string_append_len (out, payload, end != NULL ? end - payload : -1);
  for (; kept < dim->len; kept++)
    if (g_array_index (dim, TincanSpan, kept).end > out->len)
      break;
  g_array_set_size (dim, kept);
  if (end != NULL)
    {
      TincanSpan more = { (guint) out->len + 1, 0 };

      g_string_append (out, " …");
      more.end = (guint) out->len;
      g_array_append_val (dim, more);
    }
}

/* The search's matches in the message's wire bytes, or NULL: one pass over
 * at most a row's worth of kept bytes, cheap enough for every bind. */
static GArray *
find_matches (TincanMessageRow *self,
              TincanMessage    *message)
{
  const guint8 *prefix, *data, *suffix;
  gsize prefix_length, length, suffix_length;
  GArray *matches;

  if (self->matcher == NULL)
    return NULL;

  prefix = tincan_message_get_prefix (message, &prefix_length);
  data = tincan_message_get_data (message, &length);
  suffix = tincan_message_get_suffix (message, &suffix_length);
  matches = g_array_new (FALSE, FALSE, sizeof (TincanMatch));
  tincan_matcher_find_all (self->matcher, prefix, prefix_length, data, length,
                           suffix, suffix_length, matches);
  return matches;
}

/* A compact row keeps what falls in its first line. */
static void
clip_spans (GArray *spans,
            guint   length)
{
  guint kept = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      TincanSpan span = g_array_index (spans, TincanSpan, i);

      span.end = MIN (span.end, length);
      if (span.start < span.end)
        g_array_index (spans, TincanSpan, kept++) = span;
    }
  g_array_set_size (spans, kept);
}

static void
render_payload (TincanMessageRow *self)
{
  TincanMessage *message = tincan_entry_get_message (self->entry);
  g_autoptr(GArray) dim = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  g_autoptr(GArray) matches = find_matches (self, message);
  gsize cap = tincan_render_cap (self->view_mode, self->expanded && !self->compact);
  g_autofree char *payload = tincan_render_row_marked (message, self->view_mode, cap, dim,
                                                       matches, marked);
  g_autoptr(GString) line = g_string_new (NULL);

  if (self->compact)
    {
      const char *end = strchr (payload, '\n');

      keep_first_line (payload, dim, line);
      clip_spans (marked, end != NULL ? (guint) (end - payload) : (guint) line->len);
    }
  tincan_row_text_set_text (self->payload_text, self->compact ? line->str : payload);
  tincan_row_text_set_dim (self->payload_text, (const TincanSpan *) (void *) dim->data, dim->len);
  tincan_row_text_set_marks (self->payload_text, (const TincanSpan *) (void *) marked->data,
                             marked->len);
}

/* "12:00:00.123  6 bytes   ": padded so that compact payloads line up. */
static char *
compact_header (const char    *time,
                TincanMessage *message)
{
  g_autofree char *length = tincan_render_length (message);
  GString *header = g_string_new (time);

  if (length[0] != '\0')
    g_string_append_printf (header, "  %s", length);
  for (glong width = g_utf8_strlen (header->str, -1); width < COMPACT_HEADER_COLUMNS; width++)
    g_string_append_c (header, ' ');
  return g_string_free (header, FALSE);
}

/* "Connection 4", or NULL for an entry about no connection. */
static char *
connection_text (TincanMessage *message)
{
  guint64 id = tincan_message_get_connection_id (message);
  g_autofree char *number = NULL;

  if (id == 0)
    return NULL;

  number = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
  /* TRANSLATORS: which connection a transcript row is about: "Connection 4" */
  return g_strdup_printf (_("Connection %s"), number);
}

/* Cheap by design: the payload is rendered up to a cap, so showing a
 * 16 MiB message costs the same as showing 4 KiB. */
static void
render (TincanMessageRow *self)
{
  TincanMessage *message = tincan_entry_get_message (self->entry);
  const DirectionStyle *style = &styles[tincan_message_get_kind (message)];
  g_autofree char *time = tincan_render_time (message);
  g_autofree char *summary = tincan_render_summary (message);
  g_autofree char *rtt = tincan_render_rtt (message);
  g_autofree char *connection = NULL;
  g_autofree char *description = NULL;
  g_autofree char *header = NULL;

  if (self->shown_style != style)
    {
      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        gtk_widget_remove_css_class (GTK_WIDGET (self), styles[i].css_class);
      gtk_widget_add_css_class (GTK_WIDGET (self), style->css_class);
      gtk_image_set_from_icon_name (self->icon, style->icon_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(style->label),
                                      -1);
      self->shown_style = style;
    }
  if (rtt != NULL)
    {
      /* The round-trip time goes with the time: both say when. */
      char *timed = g_strdup_printf ("%s  %s", time, rtt);

      g_free (time);
      time = timed;
    }
  if (self->compact)
    header = compact_header (time, message);
  else
    header = summary[0] != '\0' ? g_strdup_printf ("%s  %s", time, summary) : g_strdup (time);
  tincan_row_text_set_text (self->header_text, header);
  /* Status and error entries are sentences in the user's language. */
  tincan_row_text_set_literal (self->payload_text,
                               style != &styles[TINCAN_MESSAGE_KIND_STATUS] &&
                               style != &styles[TINCAN_MESSAGE_KIND_ERROR]);
  render_payload (self);

  description = g_strdup_printf ("%s, %s %s", _(style->label), time, summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  /* What takes the focus is GTK's list item around the row: name it too. */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                    -1);
  /* Which connection, for a screen reader (and the tooltip, see
   * tincan_message_row_query_tooltip()): not worth a place in the row's text. */
  if (self->shown_connection != tincan_message_get_connection_id (message))
    {
      connection = connection_text (message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      connection != NULL ? connection : "",
                                      -1);
      self->shown_connection = tincan_message_get_connection_id (message);
    }
}

/**
 * tincan_message_row_set_entry:
 * @entry: (nullable): the entry to show
 */
void
tincan_message_row_set_entry (TincanMessageRow *self,
                              TincanEntry      *entry)
{
  g_return_if_fail (TINCAN_IS_MESSAGE_ROW (self));
  g_return_if_fail (entry == NULL || TINCAN_IS_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  /* An unbound row keeps its old text: it is not shown, and the next bind
   * overwrites it. */
  if (entry != NULL)
    {
      GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), TINCAN_TYPE_TRANSCRIPT_VIEW);

      self->expanded = view != NULL &&
        _tincan_transcript_view_is_expanded (TINCAN_TRANSCRIPT_VIEW (view),
                                             tincan_entry_get_message (entry));
      render (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

TincanEntry *
tincan_message_row_get_entry (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  return self->entry;
}

/**
 * tincan_message_row_set_view_mode:
 *
 * How the payload is shown. A row inside a #TincanTranscriptView follows
 * the view's #TincanTranscriptView:view-mode.
 */
void
tincan_message_row_set_view_mode (TincanMessageRow *self,
                                  TincanViewMode    mode)
{
  g_return_if_fail (TINCAN_IS_MESSAGE_ROW (self));

  if (self->view_mode == mode)
    return;

  self->view_mode = mode;
  if (self->entry != NULL)
    render_payload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

/**
 * tincan_message_row_set_matcher:
 * @matcher: (nullable): the search whose matches to highlight
 *
 * A row inside a #TincanTranscriptView follows the view's
 * #TincanTranscriptView:matcher.
 */
void
tincan_message_row_set_matcher (TincanMessageRow *self,
                                TincanMatcher    *matcher)
{
  g_return_if_fail (TINCAN_IS_MESSAGE_ROW (self));

  if (self->matcher == matcher)
    return;

  g_clear_pointer (&self->matcher, tincan_matcher_unref);
  self->matcher = matcher != NULL ? tincan_matcher_ref (matcher) : NULL;
  if (self->entry != NULL)
    render_payload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHER]);
}

/* The highlighted spans of the payload's text (for tests). */
GArray *
tincan_message_row_get_marks (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  return tincan_row_text_get_marks (self->payload_text);
}

TincanViewMode
tincan_message_row_get_view_mode (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), TINCAN_VIEW_TEXT);

  return self->view_mode;
}

/**
 * tincan_message_row_set_expanded:
 * @expanded: show up to TINCAN_RENDER_EXPAND_* bytes of the payload rather
 *   than TINCAN_RENDER_CAP_* (not in compact rows, which show one line)
 *
 * The transcript view says which rows are expanded.
 */
void
tincan_message_row_set_expanded (TincanMessageRow *self,
                                 gboolean          expanded)
{
  g_return_if_fail (TINCAN_IS_MESSAGE_ROW (self));

  expanded = !!expanded;
  if (self->expanded == expanded)
    return;

  self->expanded = expanded;
  if (self->entry != NULL)
    render_payload (self);
}

/**
 * tincan_message_row_set_compact:
 * @compact: one line: time, direction, length, the payload's first line
 *
 * Rows follow their transcript view's #TincanTranscriptView:compact.
 */
void
tincan_message_row_set_compact (TincanMessageRow *self,
                                gboolean          compact)
{
  g_return_if_fail (TINCAN_IS_MESSAGE_ROW (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->text_box),
                                  compact ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  tincan_row_text_set_single_line (self->payload_text, compact);
  gtk_widget_set_margin_top (GTK_WIDGET (self->icon), compact ? 0 : 2);
  gtk_widget_set_valign (GTK_WIDGET (self->icon), compact ? GTK_ALIGN_CENTER : GTK_ALIGN_START);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
  if (self->entry != NULL)
    render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

const char *
tincan_message_row_get_payload_text (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  return tincan_row_text_get_text (self->payload_text);
}

/* The header as rendered: time, round-trip time, length (for tests). */
const char *
tincan_message_row_get_header_text (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  return tincan_row_text_get_text (self->header_text);
}

/**
 * tincan_message_row_dup_connection_text:
 *
 * Returns: (transfer full) (nullable): "Connection 4", what the row's
 *   tooltip and accessible description say; %NULL for an entry about no
 *   connection, or when no entry is shown
 */
char *
tincan_message_row_dup_connection_text (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  if (self->entry == NULL)
    return NULL;

  return connection_text (tincan_entry_get_message (self->entry));
}

static void
tincan_message_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TincanMessageRow *self = TINCAN_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_VIEW_MODE:
      g_value_set_enum (value, self->view_mode);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_MATCHER:
      g_value_set_boxed (value, self->matcher);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_message_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TincanMessageRow *self = TINCAN_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      tincan_message_row_set_entry (self, g_value_get_object (value));
      break;
    case PROP_VIEW_MODE:
      tincan_message_row_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_COMPACT:
      tincan_message_row_set_compact (self, g_value_get_boolean (value));
      break;
    case PROP_MATCHER:
      tincan_message_row_set_matcher (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Rows are made by the list's factory, which knows nothing of the view
 * mode: a row follows the transcript view it is placed in. */
static void
tincan_message_row_root (GtkWidget *widget)
{
  TincanMessageRow *self = TINCAN_MESSAGE_ROW (widget);
  GtkWidget *view;

  GTK_WIDGET_CLASS (tincan_message_row_parent_class)->root (widget);

  view = gtk_widget_get_ancestor (widget, TINCAN_TYPE_TRANSCRIPT_VIEW);
  if (view == NULL)
    return;

  /* The bindings go by themselves if the view goes first. */
  self->view_mode_binding = g_object_bind_property (view, "view-mode", self, "view-mode",
                                                    G_BINDING_SYNC_CREATE);
  g_object_add_weak_pointer (G_OBJECT (self->view_mode_binding),
                             (gpointer *) &self->view_mode_binding);
  self->compact_binding = g_object_bind_property (view, "compact", self, "compact",
                                                  G_BINDING_SYNC_CREATE);
  g_object_add_weak_pointer (G_OBJECT (self->compact_binding),
                             (gpointer *) &self->compact_binding);
  self->matcher_binding = g_object_bind_property (view, "matcher", self, "matcher",
                                                  G_BINDING_SYNC_CREATE);
  g_object_add_weak_pointer (G_OBJECT (self->matcher_binding),
                             (gpointer *) &self->matcher_binding);
}

static void
unbind (GBinding **binding)
{
  if (*binding == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (*binding), (gpointer *) binding);
  g_binding_unbind (g_steal_pointer (binding));
}

static void
tincan_message_row_unroot (GtkWidget *widget)
{
  TincanMessageRow *self = TINCAN_MESSAGE_ROW (widget);

  unbind (&self->view_mode_binding);
  unbind (&self->compact_binding);
  unbind (&self->matcher_binding);

  GTK_WIDGET_CLASS (tincan_message_row_parent_class)->unroot (widget);
}

/* Made when asked: setting a tooltip text at each bind costs a flood of
 * rows several times the main loop's longest stall. */
static gboolean
tincan_message_row_query_tooltip (GtkWidget  *widget,
                                  int         x,
                                  int         y,
                                  gboolean    keyboard_tooltip,
                                  GtkTooltip *tooltip)
{
  g_autofree char *text = tincan_message_row_dup_connection_text (TINCAN_MESSAGE_ROW (widget));

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tincan_message_row_dispose (GObject *object)
{
  TincanMessageRow *self = (TincanMessageRow *)object;
  GtkWidget *child;

  g_clear_object (&self->entry);
  g_clear_pointer (&self->matcher, tincan_matcher_unref);

  gtk_widget_dispose_template (GTK_WIDGET (object), TINCAN_TYPE_MESSAGE_ROW);
  /* dispose_template () only unparents children with an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tincan_message_row_parent_class)->dispose (object);
}

static void
tincan_message_row_class_init (TincanMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_message_row_dispose;
  object_class->get_property = tincan_message_row_get_property;
  object_class->set_property = tincan_message_row_set_property;
  widget_class->root = tincan_message_row_root;
  widget_class->unroot = tincan_message_row_unroot;
  widget_class->query_tooltip = tincan_message_row_query_tooltip;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, TINCAN_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, TINCAN_TYPE_VIEW_MODE, TINCAN_VIEW_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MATCHER] =
    g_param_spec_boxed ("matcher", NULL, NULL, TINCAN_TYPE_MATCHER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TINCAN_TYPE_ROW_TEXT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, header_text);
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, payload_text);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tincan_message_row_init (TincanMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "",
                                  -1);
}
