/* tincan-conversation-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A conversation's traffic log: where it records (--log, or Record to
 * File... in the window, with Stop), and what it says when the log cannot
 * keep up or fails: an error row once, and the status bar's mark. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-conversation-private.h"
#include "tincan-format.h"
#include "tincan-record-chooser.h"

/* The status bar's log mark, kept current with the count. */
char *
_tincan_conversation_log_mark (TincanConversation *self)
{
  TincanLog *log = self->log;
  g_autoptr(GError) error = log ? tincan_log_dup_error (log) : NULL;
  guint64 lost = log ? tincan_log_get_not_written (log) : 0;
  g_autofree char *count = tincan_format_count (lost);

  if (error != NULL)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The log file failed: %s entry not written",
                                         "The log file failed: %s entries not written",
                                         lost),
                            count);
  if (lost > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The log file is not keeping up: %s entry not written",
                                         "The log file is not keeping up: %s entries not written",
                                         lost),
                            count);
  return NULL;
}

/* Said once per kind of problem, as an error row; the status bar keeps
 * the count. */
static void
log_problem_cb (TincanConversation *self,
                TincanLog          *log)
{
  g_autoptr(GError) error = tincan_log_dup_error (log);
  g_autoptr(TincanMessage) row = NULL;
  g_autofree char *sentence = NULL;

  if (error != NULL && !self->told_log_failed)
    {
      self->told_log_failed = TRUE;
      sentence = g_strdup_printf (_("Could not write the log file “%s”: %s. Recording has stopped: "
                                    "nothing more goes to the file."),
                                  tincan_log_get_display_name (log), error->message);
    }
  else if (error == NULL && !self->told_log_behind && tincan_log_get_not_written (log) > 0)
    {
      g_autofree char *size = g_format_size (tincan_log_get_max_queued (log));

      self->told_log_behind = TRUE;
      sentence = g_strdup_printf (_("The log file “%s” is not keeping up. Entries that do not fit "
                                    "in its queue (%s) are counted and not written; recording goes "
                                    "on with what fits."),
                                  tincan_log_get_display_name (log), size);
    }
  if (sentence == NULL)
    return;

  row = tincan_message_new_text (TINCAN_MESSAGE_KIND_ERROR, sentence);
  tincan_transcript_push (self->transcript, row);
  gtk_stack_set_visible_child_name (self->stack, "transcript");
  tincan_transcript_view_schedule_flush (self->transcript_view);
  _tincan_conversation_update_status (self);
}

/**
 * tincan_conversation_set_log:
 * @log: (nullable): where every transcript entry is appended as JSON Lines
 */
void
tincan_conversation_set_log (TincanConversation *self,
                             TincanLog          *log)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));
  g_return_if_fail (log == NULL || TINCAN_IS_LOG (log));

  if (self->log == log)
    return;
  if (self->log != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->log, self);
      tincan_log_close (self->log);
    }
  g_set_object (&self->log, log);
  g_clear_object (&self->log_file);
  if (log != NULL)
    g_signal_connect_object (log, "problem", G_CALLBACK (log_problem_cb), self,
                             G_CONNECT_SWAPPED);
  self->told_log_failed = self->told_log_behind = FALSE;
  if (self->session == NULL)   /* disposed: no one to tell */
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.stop-recording", log != NULL);
  _tincan_conversation_actions_changed (self);
  _tincan_conversation_update_status (self);
}

static void
say (TincanConversation *self,
     const char         *sentence)
{
  g_autoptr(TincanMessage) row = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, sentence);

  tincan_transcript_push (self->transcript, row);
  gtk_stack_set_visible_child_name (self->stack, "transcript");
  tincan_transcript_view_schedule_flush (self->transcript_view);
}

/**
 * tincan_conversation_record_to:
 * @file: the file to record the traffic to, as JSON Lines
 * @replace: %TRUE to replace what @file holds (a file chosen in a save
 *   dialog), %FALSE to append to it (--log)
 *
 * Starts recording to @file, instead of where it recorded before; the
 * status bar shows it ("Recording to flood.jsonl, 12 MB") with Stop.
 *
 * Returns: %FALSE with @error set when @file cannot be written
 */
gboolean
tincan_conversation_record_to (TincanConversation  *self,
                               GFile               *file,
                               gboolean             replace,
                               GError             **error)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sentence = NULL;
  g_autoptr(TincanLog) log = NULL;

  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only a local file can be recorded to"));
      return FALSE;
    }
  log = replace ? tincan_log_create (path, error) : tincan_log_open (path, error);
  if (log == NULL)
    return FALSE;

  tincan_conversation_stop_recording (self);
  tincan_conversation_set_log (self, log);
  self->log_file = g_object_ref (file);
  _tincan_conversation_update_status (self);

  name = g_filename_display_name (path);
  /* TRANSLATORS: a status row; the file's path */
  sentence = g_strdup_printf (_("Recording to “%s”"), name);
  say (self, sentence);
  return TRUE;
}

/**
 * tincan_conversation_stop_recording:
 *
 * Stops recording, if it was, and says so in the transcript.
 */
void
tincan_conversation_stop_recording (TincanConversation *self)
{
  g_autofree char *sentence = NULL;

  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  if (self->log == NULL)
    return;

  /* TRANSLATORS: a status row; the log's file name */
  sentence = g_strdup_printf (_("Stopped recording to “%s”"),
                              tincan_log_get_display_name (self->log));
  say (self, sentence);
  tincan_conversation_set_log (self, NULL);
}

static void
record_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TincanConversation *self = TINCAN_CONVERSATION (source);
  g_autoptr(GFile) file = tincan_record_chooser_finish (result, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanMessage) row = NULL;

  if (file == NULL)
    return;
  if (tincan_conversation_record_to (self, file, TRUE, &error))
    return;

  row = tincan_message_new_error (error);
  tincan_transcript_push (self->transcript, row);
  gtk_stack_set_visible_child_name (self->stack, "transcript");
  tincan_transcript_view_schedule_flush (self->transcript_view);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tincan_record_chooser_run (widget, record_chosen_cb, NULL);
}

static void
stop_recording_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  tincan_conversation_stop_recording (TINCAN_CONVERSATION (widget));
}

void
_tincan_conversation_class_log_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conversation.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "conversation.stop-recording", NULL,
                                   stop_recording_action);
}
