/* tincan-composer-held.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A text with a line too long to show is held, not shown (issue 11, item 9).
 *
 * GTK 4.8's text view lays out a paragraph whole, with Pango: a pasted 5 MB
 * line kept the window from answering for 1.5 s, twice (once to show it,
 * once more after), although parsing it takes 8 ms. No deferral helps with
 * that, so a text that would have a line longer than HELD_LINE_MAX never
 * reaches the text view: the composer keeps it aside, says so in place of
 * the text view, and sends it as it is. Clear brings the text view back.
 * Pastes, drops, history recall and Edit and Send all insert into the
 * buffer, so one "insert-text" handler catches them all; pastes are read as
 * plain text first (see paste_clipboard_cb ()). */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tincan-composer-private.h"
#include "tincan-format.h"

/* About 10 ms of layout on the 2-core VM this was measured on (5 MB took
 * 1.5 s): within a frame. */
#define HELD_LINE_MAX (32 * 1024)

gboolean
_tincan_composer_is_held (TincanComposer *self)
{
  return self->held != NULL;
}

static gsize
longest_line (const char *text,
              gsize       length,
              gsize       before,
              gsize       after)
{
  const char *end = text + length;
  const char *line = text;
  gsize longest = 0;
  gsize extra = before;

  for (;;)
    {
      const char *newline = memchr (line, '\n', end - line);
      gsize n = (newline != NULL ? newline : end) - line + extra;

      if (newline == NULL)
        return MAX (longest, n + after);
      longest = MAX (longest, n);
      extra = 0;
      line = newline + 1;
    }
}

static void
show_held (TincanComposer *self)
{
  gsize length = strlen (self->held);
  g_autofree char *size = g_format_size (length);
  g_autofree char *line = tincan_format_count (longest_line (self->held, length, 0, 0));
  g_autofree char *text = NULL;

  /* TRANSLATORS: in place of the message being typed, when it is too long
   * to show: "5.0 MB, with a line of 5,000,000 bytes: ..." */
  text = g_strdup_printf (_("%s, with a line of %s bytes: too long to show and edit here. "
                            "It is kept as it is, and Send sends it."),
                          size, line);
  gtk_label_set_text (self->held_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), FALSE);
  gtk_widget_set_visible (self->held_box, TRUE);
}

/* Holds what the buffer would hold after the insertion, instead of it. */
static void
hold (TincanComposer *self,
      GtkTextIter    *iter,
      const char     *text,
      int             length)
{
  GtkTextBuffer *buffer = gtk_text_iter_get_buffer (iter);
  GtkTextIter start, end;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (self->text_view));
  GString *held;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  before = gtk_text_buffer_get_text (buffer, &start, iter, FALSE);
  after = gtk_text_buffer_get_text (buffer, iter, &end, FALSE);

  held = g_string_sized_new (strlen (before) + length + strlen (after));
  g_string_append (held, before);
  g_string_append_len (held, text, length);
  g_string_append (held, after);
  g_free (self->held);
  self->held = g_string_free (held, FALSE);

  show_held (self);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->send_button));
  _tincan_composer_revalidate (self);
}

static void
insert_text_cb (GtkTextBuffer  *buffer,
                GtkTextIter    *iter,
                const char     *text,
                int             length,
                TincanComposer *self)
{
  GtkTextIter line_end = *iter;
  gsize before = gtk_text_iter_get_line_index (iter);
  gsize after;

  if (!gtk_text_iter_ends_line (&line_end))
    gtk_text_iter_forward_to_line_end (&line_end);
  after = gtk_text_iter_get_line_index (&line_end) - before;

  if (longest_line (text, length, before, after) <= HELD_LINE_MAX)
    return;

  g_signal_stop_emission_by_name (buffer, "insert-text");
  hold (self, iter, text, length);
}

/**
 * _tincan_composer_release:
 *
 * Forgets the held text, if any, and brings the (empty) text view back.
 */
void
_tincan_composer_release (TincanComposer *self)
{
  GtkWidget *focus;
  gboolean had_focus;

  if (self->held == NULL)
    return;

  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
  g_clear_pointer (&self->held, g_free);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
  gtk_widget_set_visible (self->held_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), TRUE);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  _tincan_composer_revalidate (self);
}

/* GTK 4.8 pastes by reading the clipboard into a second text buffer and
 * copying that one's text across, scanning it character by character on
 * the way: 5 MB took 350 ms before the insertion, where the holding above
 * could step in. The composer holds plain text only, so it reads the
 * clipboard as text and inserts that, as typing does. */
static void
paste_received_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TincanComposer) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  gboolean editable = gtk_text_view_get_editable (self->text_view);

  if (text == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->text_view));
      return;
    }

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, editable);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, editable);
  gtk_text_buffer_end_user_action (buffer);
  if (self->held == NULL)
    gtk_text_view_scroll_mark_onscreen (self->text_view, gtk_text_buffer_get_insert (buffer));
}

static void
paste_clipboard_cb (GtkTextView    *view,
                    TincanComposer *self)
{
  g_signal_stop_emission_by_name (view, "paste-clipboard");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), NULL,
                                 paste_received_cb, g_object_ref (self));
}

static void
held_clear_clicked_cb (TincanComposer *self)
{
  _tincan_composer_release (self);
}

void
_tincan_composer_held_init (TincanComposer *self)
{
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "insert-text",
                           G_CALLBACK (insert_text_cb), self, 0);
  g_signal_connect_object (self->text_view, "paste-clipboard",
                           G_CALLBACK (paste_clipboard_cb), self, 0);
  g_signal_connect_object (gtk_widget_get_last_child (self->held_box), "clicked",
                           G_CALLBACK (held_clear_clicked_cb), self, G_CONNECT_SWAPPED);
}
