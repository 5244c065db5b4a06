/* tincan-record-chooser.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Record to File...": where to record, asked with the platform's save
 * dialog. GtkFileChooserNative goes through the file chooser portal in the
 * Flatpak, where the app sees only the file the user picked; the dialog
 * itself asks before an existing file is replaced. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-record-chooser.h"

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             GTask           *task)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL)
    g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("No file was chosen"));
  g_object_unref (task);
  g_object_unref (dialog);
}

/* "tincan-20261203-141500.jsonl": a new name each time, in the order made. */
static char *
suggested_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "tincan-%Y%m%d-%H%M%S.jsonl");
}

/**
 * tincan_record_chooser_run:
 * @parent: a widget in the window the dialog belongs to
 *
 * Asks where to record the traffic; finish with
 * tincan_record_chooser_finish().
 */
/**
 * tincan_file_chooser_run:
 * @action: open or save
 * @current_name: (nullable): the name a save starts with
 *
 * Asks for one file with a GtkFileChooserNative (through the portal in the
 * Flatpak), offering the files that match @pattern; finish with
 * tincan_record_chooser_finish (), which gives G_IO_ERROR_CANCELLED when
 * none was chosen.
 */
void
tincan_file_chooser_run (GtkWidget            *parent,
                         const char           *title,
                         GtkFileChooserAction  action,
                         const char           *accept_label,
                         const char           *current_name,
                         const char           *filter_name,
                         const char           *pattern,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;
  GTask *task;

  task = g_task_new (parent, NULL, callback, user_data);
  g_task_set_source_tag (task, tincan_file_chooser_run);

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action, accept_label, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), current_name);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);

  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
tincan_record_chooser_run (GtkWidget           *parent,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *name = suggested_name ();

  tincan_file_chooser_run (parent, _("Record to File"), GTK_FILE_CHOOSER_ACTION_SAVE,
                           _("_Record"), name, _("JSON Lines logs"), "*.jsonl",
                           callback, user_data);
}

GFile *
tincan_record_chooser_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
