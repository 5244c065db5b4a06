/* tincan-composer.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The composer turns what the user types into bytes. It parses shortly
 * after the user stops typing, so a bad escape or hex digit is marked where
 * it is before anything is sent, and keeps a shell-like history in GSettings.
 *
 * A change costs a frame's worth of work at most, whatever the text's size
 * (issue 11, item 9: pasting 5 MB stalled the window for seconds): the parse
 * waits for a pause in the changes (VALIDATE_DELAY_MS), the error mark is
 * removed only where it was (removing a tag from the whole buffer makes the
 * text view lay all of it out again), and a big text does not make the
 * scrolled window ask for its natural height (which lays out every line).
 * Sending parses the text as it is then, so no send waits for or misses a
 * pending parse.
 *
 * The line-ending control shows what is added to every message (issue 12,
 * item 2: it read "LF" while the framing sent CRLF, and hex sent two bytes
 * more than were typed). Each format keeps its own ending: text (with its
 * escapes) defaults to LF, hex to none, so hex sends exactly the bytes
 * typed unless the user picks an ending while in hex. Under a delimiter
 * framing the framing ends every message and the composer adds nothing: the
 * drop-down gives way to a greyed-out button that names the delimiter. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-composer-private.h"
#include "tincan-reflow-box.h"
#include "tincan-enum-drop-down.h"


G_DEFINE_FINAL_TYPE (TincanComposer, tincan_composer, GTK_TYPE_WIDGET)

/* A pause in typing after which the text is parsed. */
#define VALIDATE_DELAY_MS 150
/* Above this many characters the composer stops growing with its text: its
 * natural height would lay out every line. */
#define GROW_MAX_CHARS    (64 * 1024)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_FORMAT,
  PROP_LINE_ENDING,
  PROP_HEX_LINE_ENDING,
  PROP_FORMAT_LINE_ENDING,
  PROP_FRAMING_DELIMITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *format_labels[] = {
  /* Not just "Text": the view drop-down in the header has a "Text" too. */
  [TINCAN_PAYLOAD_FORMAT_TEXT] = N_("Send Text"),
  [TINCAN_PAYLOAD_FORMAT_HEX] = N_("Send Hex"),
};

static char *
format_label (AdwEnumListItem *item,
              gpointer         user_data)
{
  return g_strdup (_(format_labels[adw_enum_list_item_get_value (item)]));
}

/* The endings are named by their nicks, "lf" as LF. */
static char *
line_ending_label (AdwEnumListItem *item,
                   gpointer         user_data)
{
  if (adw_enum_list_item_get_value (item) == TINCAN_LINE_ENDING_NONE)
    /* TRANSLATORS: Line ending choice */
    return g_strdup (_("No ending"));
  return g_ascii_strup (adw_enum_list_item_get_nick (item), -1);
}

char *
tincan_composer_dup_text (TincanComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  if (self->held != NULL)
    return g_strdup (self->held);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void revalidate (TincanComposer *self);

/**
 * tincan_composer_set_text:
 *
 * Replaces the text (history recall, clearing after a send) and parses it
 * at once: one change, unlike typing.
 */
void
tincan_composer_set_text (TincanComposer *self,
                          const char     *text)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  _tincan_composer_release (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  revalidate (self);
}

static void set_ending_of (TincanComposer      *self,
                          TincanPayloadFormat  format,
                          TincanLineEnding     ending);

/* Whether @data ends with @ending's bytes; @length less them in @stripped. */
static gboolean
ends_with (TincanLineEnding  ending,
           const guint8     *data,
           gsize             length,
           gsize            *stripped)
{
  const char *bytes = tincan_line_ending_to_bytes (ending);
  gsize n = strlen (bytes);

  *stripped = length;
  if (n == 0 || length < n || memcmp (data + length - n, bytes, n) != 0)
    return FALSE;
  *stripped = length - n;
  return TRUE;
}

/**
 * tincan_composer_edit_payload:
 * @data: (array length=length): the bytes to edit
 * @length: their number
 *
 * Fills the composer with @data in a format that gives the same bytes back
 * when sent: text (with escapes) when it reads as text, else hex. The line
 * ending the composer adds in that format is left off the end; when @data
 * does not end with it, the composer stops adding one in that format (the
 * drop-down shows it). Under a delimiter framing nothing is added, so
 * nothing is taken off.
 */
void
tincan_composer_edit_payload (TincanComposer *self,
                              const guint8   *data,
                              gsize           length)
{
  TincanPayloadFormat format = TINCAN_PAYLOAD_FORMAT_TEXT;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  gboolean ended;
  gsize kept;

  g_return_if_fail (TINCAN_IS_COMPOSER (self));
  g_return_if_fail (data != NULL || length == 0);

  ended = ends_with (self->line_ending, data, length, &kept);
  if (!tincan_payload_is_printable (data, kept))
    {
      format = TINCAN_PAYLOAD_FORMAT_HEX;
      ended = ends_with (self->hex_line_ending, data, length, &kept);
    }
  if (self->framing_delimiter != NULL)
    kept = length;
  else if (!ended)
    set_ending_of (self, format, TINCAN_LINE_ENDING_NONE);

  text = format == TINCAN_PAYLOAD_FORMAT_TEXT ? tincan_payload_render_text (data, kept)
                                              : tincan_payload_render_hex (data, kept);
  tincan_composer_set_format (self, format);
  tincan_composer_set_text (self, text);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

/**
 * tincan_composer_get_validation_pending:
 *
 * Returns: whether the text changed since it was last parsed (the parse
 *   waits for a pause in typing)
 */
gboolean
tincan_composer_get_validation_pending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), FALSE);

  return self->validate_id != 0;
}

TincanPayloadFormat
tincan_composer_get_format (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_PAYLOAD_FORMAT_TEXT);

  return self->format;
}

void
tincan_composer_set_format (TincanComposer      *self,
                            TincanPayloadFormat  format)
{
  TincanLineEnding shown;

  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  if (self->format == format)
    return;

  shown = tincan_composer_get_format_line_ending (self);
  self->format = format;
  revalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
  if (tincan_composer_get_format_line_ending (self) != shown)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT_LINE_ENDING]);
}

/**
 * tincan_composer_get_line_ending:
 *
 * Returns: the line ending chosen for text; it is added only when the
 *   framing does not end messages itself
 */
TincanLineEnding
tincan_composer_get_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->line_ending;
}

/**
 * tincan_composer_get_hex_line_ending:
 *
 * Returns: the line ending chosen for hex, none unless the user picked one
 */
TincanLineEnding
tincan_composer_get_hex_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->hex_line_ending;
}

/**
 * tincan_composer_get_format_line_ending:
 *
 * Returns: the line ending of the current format, the one the drop-down
 *   shows and sets
 */
TincanLineEnding
tincan_composer_get_format_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->format == TINCAN_PAYLOAD_FORMAT_HEX ? self->hex_line_ending : self->line_ending;
}

static void
set_ending_of (TincanComposer      *self,
               TincanPayloadFormat  format,
               TincanLineEnding     ending)
{
  gboolean hex = format == TINCAN_PAYLOAD_FORMAT_HEX;
  TincanLineEnding *slot = hex ? &self->hex_line_ending : &self->line_ending;

  if (*slot == ending)
    return;

  *slot = ending;
  revalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[hex ? PROP_HEX_LINE_ENDING : PROP_LINE_ENDING]);
  if (format == self->format)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT_LINE_ENDING]);
}

void
tincan_composer_set_line_ending (TincanComposer   *self,
                                 TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  set_ending_of (self, TINCAN_PAYLOAD_FORMAT_TEXT, ending);
}

void
tincan_composer_set_hex_line_ending (TincanComposer   *self,
                                     TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  set_ending_of (self, TINCAN_PAYLOAD_FORMAT_HEX, ending);
}

void
tincan_composer_set_format_line_ending (TincanComposer   *self,
                                        TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  set_ending_of (self, self->format, ending);
}

static TincanLineEnding
get_added_ending (TincanComposer *self)
{
  if (self->framing_delimiter != NULL)
    return TINCAN_LINE_ENDING_NONE;
  return tincan_composer_get_format_line_ending (self);
}

/* The delimiter named as the drop-down names endings ("CRLF"); any other
 * bytes as the custom delimiter is typed, text with escapes. */
static char *
dup_delimiter_name (GBytes *delimiter)
{
  g_autoptr(GEnumClass) endings = g_type_class_ref (TINCAN_TYPE_LINE_ENDING);
  gsize length;
  const guint8 *data = g_bytes_get_data (delimiter, &length);

  for (TincanLineEnding e = TINCAN_LINE_ENDING_LF; e <= TINCAN_LINE_ENDING_CRLF; e++)
    {
      const char *bytes = tincan_line_ending_to_bytes (e);

      if (strlen (bytes) == length && memcmp (bytes, data, length) == 0)
        return g_ascii_strup (g_enum_get_value (endings, e)->value_nick, -1);
    }
  if (length == 1 && data[0] == '\0')
    return g_strdup ("NUL");

  return tincan_payload_render_text (data, length);
}

static void
update_ending_control (TincanComposer *self)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->ending_dropdown), self->framing_delimiter == NULL);
  gtk_widget_set_visible (self->framing_ending_button, self->framing_delimiter != NULL);
  if (self->framing_delimiter == NULL)
    return;

  name = dup_delimiter_name (self->framing_delimiter);
  /* TRANSLATORS: in place of the line-ending choice when the framing ends
   * every message; %s is its delimiter, e.g. "CRLF" */
  label = g_strdup_printf (_("%s (framing)"), name);
  /* TRANSLATORS: %s is the framing's delimiter, e.g. "CRLF" */
  why = g_strdup_printf (_("The framing adds its delimiter, %s, to every message"), name);
  gtk_label_set_text (self->framing_ending_label, label);
  gtk_widget_set_tooltip_text (self->framing_ending_button, why);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->framing_ending_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
}

/**
 * tincan_composer_set_framing_delimiter:
 * @delimiter: (nullable): the delimiter the framing adds to every message
 *
 * With a delimiter framing the framing itself ends every message, so the
 * composer adds no line ending of its own (it would contain the delimiter
 * and be refused) and shows the delimiter instead.
 */
void
tincan_composer_set_framing_delimiter (TincanComposer *self,
                                       GBytes         *delimiter)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  if (self->framing_delimiter == delimiter ||
      (self->framing_delimiter != NULL && delimiter != NULL &&
       g_bytes_equal (self->framing_delimiter, delimiter)))
    return;

  g_clear_pointer (&self->framing_delimiter, g_bytes_unref);
  self->framing_delimiter = delimiter != NULL ? g_bytes_ref (delimiter) : NULL;
  update_ending_control (self);
  revalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMING_DELIMITER]);
}

/**
 * tincan_composer_dup_ending_text:
 *
 * Returns: (transfer full): what the line-ending control shows, as a
 *   person reads it
 */
char *
tincan_composer_dup_ending_text (TincanComposer *self)
{
  g_autoptr(AdwEnumListItem) item = NULL;

  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), NULL);

  if (self->framing_delimiter != NULL)
    return g_strdup (gtk_label_get_text (self->framing_ending_label));

  item = g_list_model_get_item (gtk_drop_down_get_model (self->ending_dropdown),
                                gtk_drop_down_get_selected (self->ending_dropdown));
  return line_ending_label (item, NULL);
}

const char *
tincan_composer_get_error (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), NULL);

  return self->error;
}

/**
 * tincan_composer_show_error:
 * @message: (nullable): what is wrong, or %NULL to clear
 *
 * Shows @message under the text; used for the composer's own parse errors
 * and for refusals from the session (e.g. a payload that contains the
 * delimiter).
 */
void
tincan_composer_show_error (TincanComposer *self,
                            const char     *message)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->text_view), "error");
}

static void
update_send_sensitivity (TincanComposer *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            self->can_send && self->error == NULL);
}

/* Removes the error mark from the one character it is on. */
static void
clear_error_mark (TincanComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  if (self->error_mark == NULL)
    return;

  gtk_text_buffer_get_iter_at_mark (buffer, &start, self->error_mark);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_remove_tag (buffer, self->error_tag, &start, &end);
  gtk_text_buffer_delete_mark (buffer, self->error_mark);
  self->error_mark = NULL;
}

/* Parses the text; on failure marks the offending character and returns NULL. */
static GBytes *
parse_payload (TincanComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = tincan_composer_dup_text (self);
  g_autoptr(GError) error = NULL;
  TincanPayloadErrorPosition position = { 0 };
  GtkTextIter start, end;
  GBytes *payload;

  g_clear_handle_id (&self->validate_id, g_source_remove);
  clear_error_mark (self);

  payload = tincan_payload_parse (text, -1, self->format, get_added_ending (self),
                                  &position, &error);
  if (payload == NULL && self->held == NULL)
    {
      gtk_text_buffer_get_iter_at_line_offset (buffer, &start, position.line - 1,
                                               position.column - 1);
      end = start;
      gtk_text_iter_forward_char (&end);
      gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
      self->error_mark = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);
      tincan_composer_show_error (self, error->message);
    }
  else if (payload == NULL)
    {
      tincan_composer_show_error (self, error->message);
    }
  else
    {
      tincan_composer_show_error (self, NULL);
    }

  update_send_sensitivity (self);
  return payload;
}

/* History lives in GSettings (dconf): a 5 MB message kept there would grow
 * the user's database by megabytes. Longer messages are sent, not kept. */
static gboolean
fits_history (TincanComposer *self,
              const char     *text)
{
  return strlen (text) <= (gsize) g_settings_get_int (self->settings, "history-entry-limit");
}

static void
save_history (TincanComposer *self)
{
  g_ptr_array_add (self->history, NULL);
  g_settings_set_strv (self->settings, "history", (const char * const *) self->history->pdata);
  g_ptr_array_set_size (self->history, self->history->len - 1);
}

static void
remember (TincanComposer *self,
          const char     *text)
{
  guint limit = g_settings_get_int (self->settings, "history-limit");
  guint last = self->history->len;

  if (text[0] != '\0' && fits_history (self, text) &&
      (last == 0 || g_strcmp0 (g_ptr_array_index (self->history, last - 1), text) != 0))
    g_ptr_array_add (self->history, g_strdup (text));

  if (self->history->len > limit)
    g_ptr_array_remove_range (self->history, 0, self->history->len - limit);

  save_history (self);

  self->history_index = self->history->len;
  g_clear_pointer (&self->draft, g_free);
}

/**
 * tincan_composer_submit:
 *
 * Parses the message and offers it to the "submit" handlers; when one
 * accepts it, the text goes to the history and the composer is cleared.
 *
 * Returns: %TRUE if the message was accepted
 */
gboolean
tincan_composer_submit (TincanComposer *self)
{
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *text = NULL;
  gboolean accepted = FALSE;

  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), FALSE);

  payload = parse_payload (self);
  if (payload == NULL || !self->can_send)
    return FALSE;

  g_signal_emit (self, signals[SUBMIT], 0, payload, &accepted);
  if (!accepted)
    return FALSE;

  text = tincan_composer_dup_text (self);
  remember (self, text);
  tincan_composer_set_text (self, "");
  return TRUE;
}

/**
 * tincan_composer_history_move:
 * @direction: -1 for older, +1 for newer
 *
 * Recalls history like a shell: the first step back saves what was being
 * typed, stepping past the newest entry brings it back.
 */
void
tincan_composer_history_move (TincanComposer *self,
                              int             direction)
{
  guint target;

  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  if (direction < 0 && self->history_index == 0)
    return;
  if (direction > 0 && self->history_index >= self->history->len)
    return;

  if (self->history_index == self->history->len)
    {
      g_free (self->draft);
      self->draft = tincan_composer_dup_text (self);
    }

  target = direction < 0 ? self->history_index - 1 : self->history_index + 1;
  self->history_index = target;

  self->recalling = TRUE;
  if (target == self->history->len)
    tincan_composer_set_text (self, self->draft ? self->draft : "");
  else
    tincan_composer_set_text (self, g_ptr_array_index (self->history, target));
  self->recalling = FALSE;
}

static gboolean
cursor_on_edge_line (TincanComposer *self,
                     gboolean        first)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  if (first)
    return gtk_text_iter_get_line (&cursor) == 0;
  return gtk_text_iter_get_line (&cursor) == gtk_text_buffer_get_line_count (buffer) - 1;
}

static gboolean
key_pressed_cb (TincanComposer        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (mods & GDK_SHIFT_MASK)
        return FALSE;
      if (mods == 0)
        {
          tincan_composer_submit (self);
          return TRUE;
        }
      return FALSE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (mods == 0 && cursor_on_edge_line (self, TRUE))
        {
          tincan_composer_history_move (self, -1);
          return TRUE;
        }
      return FALSE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (mods == 0 && cursor_on_edge_line (self, FALSE))
        {
          tincan_composer_history_move (self, +1);
          return TRUE;
        }
      return FALSE;

    default:
      return FALSE;
    }
}

/* Parses only to show or clear the inline error as the user edits. */
static void
revalidate (TincanComposer *self)
{
  GBytes *payload = parse_payload (self);

  g_clear_pointer (&payload, g_bytes_unref);
}

void
_tincan_composer_revalidate (TincanComposer *self)
{
  revalidate (self);
}

static gboolean
validate_cb (gpointer user_data)
{
  TincanComposer *self = user_data;

  self->validate_id = 0;
  revalidate (self);
  return G_SOURCE_REMOVE;
}

static void
update_height (TincanComposer *self,
               GtkTextBuffer  *buffer)
{
  gboolean big = gtk_text_buffer_get_char_count (buffer) > GROW_MAX_CHARS;

  if (gtk_scrolled_window_get_propagate_natural_height (self->scroller) == !big)
    return;

  /* Keep the height it has: growing makes the text view lay out the lines
   * that come into view, down to the cursor at the end of a paste. */
  gtk_scrolled_window_set_min_content_height (self->scroller,
                                              big ? gtk_widget_get_height (GTK_WIDGET (self->scroller))
                                                  : -1);
  gtk_scrolled_window_set_propagate_natural_height (self->scroller, !big);
}

static void
buffer_changed_cb (TincanComposer *self,
                   GtkTextBuffer  *buffer)
{
  /* GTK 4.8's text view has no placeholder of its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label),
                          gtk_text_buffer_get_char_count (buffer) == 0);

  /* Typing leaves history browsing; recalling an entry does not. */
  if (!self->recalling)
    self->history_index = self->history->len;

  update_height (self, buffer);
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_cb, self);
}

static void
send_clicked_cb (TincanComposer *self)
{
  tincan_composer_submit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
tincan_composer_set_can_send (TincanComposer *self,
                              gboolean        can_send)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  self->can_send = !!can_send;
  update_send_sensitivity (self);
}

/**
 * tincan_composer_set_placeholder:
 * @text: what the empty composer says
 */
void
tincan_composer_set_placeholder (TincanComposer *self,
                                 const char     *text)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_text (self->placeholder_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER, text, -1);
}

void
tincan_composer_grab_focus (TincanComposer *self)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  /* A held text is sent with the button: the text view is not shown. */
  gtk_widget_grab_focus (self->held != NULL ? GTK_WIDGET (self->send_button)
                                            : GTK_WIDGET (self->text_view));
}

static void
load_settings (TincanComposer *self)
{
  g_auto(GStrv) history = g_settings_get_strv (self->settings, "history");
  /* Read once and written on change: two windows keep their own choice. */
  const GSettingsBindFlags flags = G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES;
  guint n_stored = g_strv_length (history);

  for (guint i = 0; history[i] != NULL; i++)
    if (fits_history (self, history[i]))
      g_ptr_array_add (self->history, g_strdup (history[i]));
  self->history_index = self->history->len;

  /* What an earlier version kept in full goes now, not at the next send. */
  if (self->history->len < n_stored)
    save_history (self);

  g_settings_bind (self->settings, "payload-format", self, "format", flags);
  g_settings_bind (self->settings, "line-ending", self, "line-ending", flags);
  g_settings_bind (self->settings, "hex-line-ending", self, "hex-line-ending", flags);
}

static void
tincan_composer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TincanComposer *self = TINCAN_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_LINE_ENDING:
      g_value_set_enum (value, self->line_ending);
      break;
    case PROP_HEX_LINE_ENDING:
      g_value_set_enum (value, self->hex_line_ending);
      break;
    case PROP_FORMAT_LINE_ENDING:
      g_value_set_enum (value, tincan_composer_get_format_line_ending (self));
      break;
    case PROP_FRAMING_DELIMITER:
      g_value_set_boxed (value, self->framing_delimiter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_composer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TincanComposer *self = TINCAN_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_FORMAT:
      tincan_composer_set_format (self, g_value_get_enum (value));
      break;
    case PROP_LINE_ENDING:
      tincan_composer_set_line_ending (self, g_value_get_enum (value));
      break;
    case PROP_HEX_LINE_ENDING:
      tincan_composer_set_hex_line_ending (self, g_value_get_enum (value));
      break;
    case PROP_FORMAT_LINE_ENDING:
      tincan_composer_set_format_line_ending (self, g_value_get_enum (value));
      break;
    case PROP_FRAMING_DELIMITER:
      tincan_composer_set_framing_delimiter (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_composer_dispose (GObject *object)
{
  TincanComposer *self = (TincanComposer *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->validate_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_COMPOSER);
  /* dispose_template () only unparents children with an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tincan_composer_parent_class)->dispose (object);
}

static void
tincan_composer_finalize (GObject *object)
{
  TincanComposer *self = (TincanComposer *)object;

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->draft, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->held, g_free);
  g_clear_pointer (&self->framing_delimiter, g_bytes_unref);

  G_OBJECT_CLASS (tincan_composer_parent_class)->finalize (object);
}

static GParamSpec *
line_ending_spec (const char *name)
{
  return g_param_spec_enum (name, NULL, NULL, TINCAN_TYPE_LINE_ENDING, TINCAN_LINE_ENDING_NONE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
tincan_composer_class_init (TincanComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tincan_composer_dispose;
  object_class->finalize = tincan_composer_finalize;
  object_class->get_property = tincan_composer_get_property;
  object_class->set_property = tincan_composer_set_property;

  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, TINCAN_TYPE_PAYLOAD_FORMAT,
                       TINCAN_PAYLOAD_FORMAT_TEXT, rw);
  /* The ending of text; hex keeps its own, the drop-down shows the current
   * format's. */
  properties[PROP_LINE_ENDING] = line_ending_spec ("line-ending");
  properties[PROP_HEX_LINE_ENDING] = line_ending_spec ("hex-line-ending");
  properties[PROP_FORMAT_LINE_ENDING] = line_ending_spec ("format-line-ending");
  /**
   * TincanComposer:framing-delimiter:
   *
   * The delimiter a delimiter framing adds to every message, or %NULL: the
   * composer then adds no line ending of its own (it would contain the
   * delimiter and be refused).
   */
  properties[PROP_FRAMING_DELIMITER] =
    g_param_spec_boxed ("framing-delimiter", NULL, NULL, G_TYPE_BYTES, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);


  /**
   * TincanComposer::submit:
   * @payload: the parsed bytes, line ending included
   *
   * Returns: %TRUE when the message was taken (it is then cleared)
   */
  signals[SUBMIT] = g_signal_new ("submit",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, g_signal_accumulator_true_handled, NULL, NULL,
                                  G_TYPE_BOOLEAN, 1, G_TYPE_BYTES);

  g_type_ensure (TINCAN_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, held_box);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, held_label);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, ending_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, framing_ending_button);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, framing_ending_label);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TincanComposer, error_label);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_label);
  gtk_widget_class_bind_template_callback (widget_class, line_ending_label);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
tincan_composer_init (TincanComposer *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->history = g_ptr_array_new_with_free_func (g_free);
  self->settings = g_settings_new (APP_ID);

  buffer = gtk_text_view_get_buffer (self->text_view);
  self->error_tag = gtk_text_buffer_create_tag (buffer, "error",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                NULL);
  tincan_enum_drop_down_bind (self->format_dropdown, self, "format");
  tincan_enum_drop_down_bind (self->ending_dropdown, self, "format-line-ending");
  tincan_a11y_label_drop_down (self->format_dropdown, _("Message format"));
  tincan_a11y_label_drop_down (self->ending_dropdown, _("Line ending"));
  load_settings (self);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  _tincan_composer_held_init (self);
  update_send_sensitivity (self);
}
