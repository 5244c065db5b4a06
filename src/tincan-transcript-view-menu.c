/* tincan-transcript-view-menu.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reusing what crossed the wire: copies of the selection (Ctrl+C the
 * payloads, Ctrl+Shift+C the rows) and the row menu (right click, the Menu
 * key, Shift+F10): copy the payload as text, hex or Python bytes, copy the
 * row, resend it or edit it first. The "row.*" actions act on the row the
 * menu was last opened for; sending is the conversation's, asked for with
 * the "resend" and "edit" signals.
 *
 * A message longer than the transcript keeps (tincan_message_new_clipped())
 * is copied in part, with a toast that says so, and cannot be resent. */

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "tincan-a11y.h"
#include "tincan-format.h"
#include "tincan-message-row.h"
#include "tincan-transcript-view-private.h"

enum {
  RESEND,
  EDIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Copies */

static const char *
direction_arrow (TincanMessage *message)
{
  switch (tincan_message_get_kind (message))
    {
    case TINCAN_MESSAGE_KIND_SENT:
      return "→";
    case TINCAN_MESSAGE_KIND_RECEIVED:
      return "←";
    case TINCAN_MESSAGE_KIND_STATUS:
    case TINCAN_MESSAGE_KIND_ERROR:
    default:
      return "·";
    }
}

static gboolean
is_data (TincanMessage *message)
{
  TincanMessageKind kind = tincan_message_get_kind (message);

  return kind == TINCAN_MESSAGE_KIND_SENT || kind == TINCAN_MESSAGE_KIND_RECEIVED;
}

/* Whether the transcript kept every byte (tincan_message_new_clipped()). */
static gboolean
is_whole (TincanMessage *message)
{
  gsize kept;

  tincan_message_get_data (message, &kept);
  return kept == tincan_message_get_length (message);
}

/* A row as it is shown: time, an arrow for the direction, the payload. */
static void
append_row (GString        *text,
            TincanMessage  *message,
            TincanViewMode  mode)
{
  g_autofree char *time = tincan_render_time (message);
  g_autofree char *body = tincan_render_message (message, mode, FALSE);

  g_string_append_printf (text, "%s %s %s", time, direction_arrow (message), body);
}

/* A payload alone, as @mode shows it, so that it parses back to the same
 * bytes; a status or error row has no payload and gives its sentence. */
static void
append_payload (GString        *text,
                TincanMessage  *message,
                TincanViewMode  mode)
{
  g_autofree char *body = is_data (message) ? tincan_render_payload (message, mode)
                                            : tincan_render_message (message, mode, FALSE);

  g_string_append (text, body);
}

static char *
clipped_note (void)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Only the first %u byte of a long message was copied: "
                                       "the transcript keeps no more. Record to File… (or --log) to "
                                       "keep every byte.",
                                       "Only the first %u bytes of a long message were copied: "
                                       "the transcript keeps no more. Record to File… (or --log) to "
                                       "keep every byte.",
                                       TINCAN_RENDER_KEEP),
                          (guint) TINCAN_RENDER_KEEP);
}

/* What a copy that stopped at its cap says, the counts grouped as the
 * locale groups digits. */
static char *
cut_short_text (guint   n_copied,
                guint64 n_selected)
{
  g_autofree char *copied = tincan_format_count (n_copied);
  g_autofree char *selected = tincan_format_count (n_selected);
  g_autofree char *cap = tincan_format_count (TINCAN_COPY_MAX_MESSAGES);

  /* TRANSLATORS: the %s are numbers: copied, selected, the cap on messages */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Copied %s message of %s; a copy holds at most "
                                       "%s messages or %u MiB. Record to File… (or --log) to keep "
                                       "them all.",
                                       "Copied %s messages of %s; a copy holds at most "
                                       "%s messages or %u MiB. Record to File… (or --log) to keep "
                                       "them all.",
                                       n_copied),
                          copied, selected, cap, TINCAN_COPY_MAX_BYTES / (1024 * 1024));
}

static void
set_clipboard_text (TincanTranscriptView *self,
                    const char           *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

/* The selected rows (@rows) or their payloads, one a line; see
 * tincan_transcript_view_copy_selection() for the bounds. */
static char *
copy_selected (TincanTranscriptView *self,
               gboolean              rows)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GtkBitsetIter iter;
  guint64 n_selected;
  guint n_copied = 0;
  gboolean clipped = FALSE;
  guint position;

  if (self->transcript == NULL)
    return NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  n_selected = gtk_bitset_get_size (selected);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok && n_copied < TINCAN_COPY_MAX_MESSAGES && text->len < TINCAN_COPY_MAX_BYTES;
       ok = gtk_bitset_iter_next (&iter, &position), n_copied++)
    {
      TincanMessage *message = _tincan_transcript_view_message_at (self, position);

      if (message == NULL)
        continue;

      if (rows)
        {
          append_row (text, message, self->view_mode);
          g_string_append_c (text, '\n');
        }
      else
        {
          /* Between payloads only: one pasted into the composer is sent as it was. */
          if (n_copied > 0)
            g_string_append_c (text, '\n');
          append_payload (text, message, self->view_mode);
          clipped |= is_data (message) && !is_whole (message);
        }
    }

  if (text->len > 0)
    set_clipboard_text (self, text->str);

  if (n_copied >= n_selected)
    return clipped ? clipped_note () : NULL;

  return cut_short_text (n_copied, n_selected);
}

/**
 * tincan_transcript_view_copy_selection:
 *
 * Puts the selected rows on the clipboard as they are shown, one line each:
 * time, an arrow for the direction, the payload. A copy holds at most
 * TINCAN_COPY_MAX_MESSAGES messages and TINCAN_COPY_MAX_BYTES bytes of text
 * (the first ones selected), so that Ctrl+A, Ctrl+C after a flood costs a
 * bounded moment and bounded memory (issue 11, item 9: it froze the window
 * for 13.8 s and added 1 GB).
 *
 * Returns: (transfer full) (nullable): what to tell the user when the copy
 *   was cut short, else %NULL
 */
char *
tincan_transcript_view_copy_selection (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), NULL);

  return copy_selected (self, TRUE);
}

/**
 * tincan_transcript_view_copy_payloads:
 *
 * Puts the payloads of the selected rows on the clipboard as the view shows
 * them (text, hex dump or Python bytes), with nothing around them, one a
 * line (no line after the last): a payload copied this way and pasted into
 * the composer in the same format is sent as the same bytes. Status and
 * error rows give their sentence. Bounded as
 * tincan_transcript_view_copy_selection() is.
 *
 * Returns: (transfer full) (nullable): what to tell the user when the copy
 *   was cut short or a long message was copied only in part, else %NULL
 */
char *
tincan_transcript_view_copy_payloads (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), NULL);

  return copy_selected (self, FALSE);
}

static void
tell (TincanTranscriptView *self,
      const char           *note)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    tincan_a11y_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (note));
  else
    g_message ("%s", note);
}

/**
 * tincan_transcript_view_copy_and_tell:
 *
 * Copies the selected rows and says so in a toast when it was cut short.
 */
void
tincan_transcript_view_copy_and_tell (TincanTranscriptView *self)
{
  g_autofree char *note = NULL;

  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  note = tincan_transcript_view_copy_selection (self);
  if (note != NULL)
    tell (self, note);
}

/* Ctrl+C copies the payloads, which is what gets pasted into a composer or
 * a script; Ctrl+Shift+C the rows with their time and direction, for a
 * report. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  g_autofree char *note = g_str_equal (action_name, "transcript.copy-rows")
                          ? tincan_transcript_view_copy_selection (self)
                          : tincan_transcript_view_copy_payloads (self);

  if (note != NULL)
    tell (self, note);
}

/* The row menu */

static void
update_row_actions (TincanTranscriptView *self)
{
  TincanMessage *message = self->menu_message;
  gboolean data = message != NULL && is_data (message);
  /* What was not kept cannot be sent again. */
  gboolean whole = data && is_whole (message);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-text", data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-hex", data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-python", data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-row", message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.resend", whole && self->can_send);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.edit", whole);
}

/**
 * tincan_transcript_view_set_can_send:
 *
 * Whether a message can be sent now, for the row menu's Resend.
 */
void
tincan_transcript_view_set_can_send (TincanTranscriptView *self,
                                     gboolean              can_send)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  self->can_send = !!can_send;
  update_row_actions (self);
}

static TincanMessage *
message_of_item (GtkWidget *item)
{
  GtkWidget *row = gtk_widget_get_first_child (item);
  TincanEntry *entry;

  if (!TINCAN_IS_MESSAGE_ROW (row))
    return NULL;
  entry = tincan_message_row_get_entry (TINCAN_MESSAGE_ROW (row));
  return entry != NULL ? tincan_entry_get_message (entry) : NULL;
}

/* The list's row (GTK's list item) that @widget is in, if any. */
static GtkWidget *
item_of (TincanTranscriptView *self,
         GtkWidget            *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != GTK_WIDGET (self->list_view))
    widget = gtk_widget_get_parent (widget);
  return widget;
}

/* Where the menu points for a row opened from the keyboard: its start. */
static GdkRectangle
item_rect (TincanTranscriptView *self,
           GtkWidget            *item)
{
  graphene_rect_t bounds;

  if (item != NULL && gtk_widget_compute_bounds (item, GTK_WIDGET (self), &bounds))
    return (GdkRectangle) { bounds.origin.x + 24, bounds.origin.y, 1, bounds.size.height };

  /* Off screen: the middle of the view. */
  return (GdkRectangle) {
    gtk_widget_get_width (GTK_WIDGET (self)) / 2, gtk_widget_get_height (GTK_WIDGET (self)) / 2,
    1, 1
  };
}

static void
popup_row_menu (TincanTranscriptView *self,
                TincanMessage        *message,
                const GdkRectangle   *at)
{
  g_clear_pointer (&self->menu_message, tincan_message_unref);
  self->menu_message = tincan_message_ref (message);
  update_row_actions (self);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_menu), at);
  gtk_popover_popup (GTK_POPOVER (self->row_menu));
}

/**
 * tincan_transcript_view_open_row_menu:
 * @position: the row's position in the transcript
 *
 * Opens the row menu for the row at @position, as a right click on it does.
 *
 * Returns: whether there is such a row
 */
gboolean
tincan_transcript_view_open_row_menu (TincanTranscriptView *self,
                                      guint                 position)
{
  TincanMessage *message;
  GtkWidget *shown = NULL;
  GdkRectangle at;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  if (self->transcript == NULL ||
      (message = _tincan_transcript_view_message_at (self, position)) == NULL)
    return FALSE;

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL && shown == NULL;
       item = gtk_widget_get_next_sibling (item))
    if (gtk_widget_get_mapped (item) && message_of_item (item) == message)
      shown = item;

  at = item_rect (self, shown);
  popup_row_menu (self, message, &at);
  return TRUE;
}

/**
 * tincan_transcript_view_get_row_menu:
 *
 * Returns: (transfer none): the row menu, open or not
 */
GtkPopover *
tincan_transcript_view_get_row_menu (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), NULL);

  return GTK_POPOVER (self->row_menu);
}

/* A right click selects the row it is on (unless it already is, so that a
 * selection of several stays) and opens its menu there. */
static void
list_right_pressed_cb (TincanTranscriptView *self,
                       int                   n_press,
                       double                x,
                       double                y,
                       GtkGestureClick      *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *item = item_of (self, picked);
  TincanMessage *message = item != NULL ? message_of_item (item) : NULL;
  double vx, vy;

  if (message == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (!(gtk_widget_get_state_flags (item) & GTK_STATE_FLAG_SELECTED))
    gtk_widget_activate_action (item, "listitem.select", "(bb)", FALSE, FALSE);
  gtk_widget_grab_focus (item);

  gtk_widget_translate_coordinates (GTK_WIDGET (self->list_view), GTK_WIDGET (self), x, y,
                                    &vx, &vy);
  popup_row_menu (self, message, &(GdkRectangle) { (int) vx, (int) vy, 1, 1 });
}

/* Menu, Shift+F10: the menu of the focused row, else of the selected row
 * in view. */
static void
row_menu_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  GtkWidget *item = item_of (self, _tincan_transcript_view_focused_widget (self));
  TincanMessage *message;
  GdkRectangle at;

  if (item == NULL)
    item = _tincan_transcript_view_entry_row (self);
  if (item == NULL || (message = message_of_item (item)) == NULL)
    return;

  at = item_rect (self, item);
  popup_row_menu (self, message, &at);
}

static void
copy_payload_as (TincanTranscriptView *self,
                 TincanViewMode        mode)
{
  g_autofree char *text = NULL;

  if (self->menu_message == NULL || !is_data (self->menu_message))
    return;

  text = tincan_render_payload (self->menu_message, mode);
  set_clipboard_text (self, text);
  if (!is_whole (self->menu_message))
    {
      g_autofree char *note = clipped_note ();

      tell (self, note);
    }
}

static void
copy_payload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TincanViewMode mode = g_str_equal (action_name, "row.copy-hex") ? TINCAN_VIEW_HEX :
                        g_str_equal (action_name, "row.copy-python") ? TINCAN_VIEW_PYTHON :
                        TINCAN_VIEW_TEXT;

  copy_payload_as (TINCAN_TRANSCRIPT_VIEW (widget), mode);
}

static void
copy_row_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->menu_message == NULL)
    return;

  append_row (text, self->menu_message, self->view_mode);
  set_clipboard_text (self, text->str);
}

/* "row.resend" and "row.edit": the conversation sends. */
static void
reuse_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  g_autoptr(TincanMessage) message = NULL;

  if (self->menu_message == NULL || !is_data (self->menu_message) || !is_whole (self->menu_message))
    return;

  /* A handler may clear the transcript or open another menu. */
  message = tincan_message_ref (self->menu_message);
  g_signal_emit (self, signals[g_str_equal (action_name, "row.resend") ? RESEND : EDIT], 0,
                 message);
}

/* Setup */

void
_tincan_transcript_view_class_menu_init (GtkWidgetClass *widget_class)
{
  /**
   * TincanTranscriptView::resend:
   * @message: the sent or received message, kept whole
   *
   * The row menu's Resend: send the payload of @message again.
   */
  signals[RESEND] = g_signal_new ("resend",
                                  G_TYPE_FROM_CLASS (widget_class),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, TINCAN_TYPE_MESSAGE);

  /**
   * TincanTranscriptView::edit:
   * @message: the sent or received message, kept whole
   *
   * The row menu's Edit and Send: put the payload of @message in the
   * composer.
   */
  signals[EDIT] = g_signal_new ("edit",
                                G_TYPE_FROM_CLASS (widget_class),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, TINCAN_TYPE_MESSAGE);

  gtk_widget_class_bind_template_child_full (widget_class, "row_menu_model", FALSE,
                                             G_STRUCT_OFFSET (TincanTranscriptView,
                                                              row_menu_model));
  gtk_widget_class_bind_template_callback_full (widget_class, "list_right_pressed_cb",
                                                G_CALLBACK (list_right_pressed_cb));

  gtk_widget_class_install_action (widget_class, "transcript.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "transcript.copy-rows", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "transcript.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "transcript.copy-rows", NULL);

  gtk_widget_class_install_action (widget_class, "transcript.row-menu", NULL, row_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "transcript.row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "transcript.row-menu", NULL);
  gtk_widget_class_install_action (widget_class, "row.copy-text", NULL, copy_payload_action);
  gtk_widget_class_install_action (widget_class, "row.copy-hex", NULL, copy_payload_action);
  gtk_widget_class_install_action (widget_class, "row.copy-python", NULL, copy_payload_action);
  gtk_widget_class_install_action (widget_class, "row.copy-row", NULL, copy_row_action);
  gtk_widget_class_install_action (widget_class, "row.resend", NULL, reuse_action);
  gtk_widget_class_install_action (widget_class, "row.edit", NULL, reuse_action);
}

void
_tincan_transcript_view_menu_init (TincanTranscriptView *self)
{
  self->row_menu = gtk_popover_menu_new_from_model (self->row_menu_model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_menu), FALSE);
  gtk_widget_set_halign (self->row_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_menu, GTK_WIDGET (self));
  tincan_a11y_fix_popup (self->row_menu);
  update_row_actions (self);
}

void
_tincan_transcript_view_menu_dispose (TincanTranscriptView *self)
{
  g_clear_pointer (&self->row_menu, gtk_widget_unparent);
  g_clear_pointer (&self->menu_message, tincan_message_unref);
}
