/* tincan-transcript-save.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Save Transcript..." (Ctrl+S): which file and in which format, asked with
 * the platform's save dialog (GtkFileChooserNative, the portal in the
 * Flatpak); then the exporters of tincan-export.c write it in a thread of
 * their own, so that a million entries never hold the window. A toast says
 * how far it got, with Cancel (a cancelled or failed save leaves the file as
 * it was), and then what was saved, or why not. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-format.h"
#include "tincan-transcript-save.h"

static const struct {
  TincanExportFormat format;
  const char *label;
} formats[] = {
  { TINCAN_EXPORT_TEXT, N_("Plain text, as shown") },
  { TINCAN_EXPORT_CSV, N_("CSV") },
  { TINCAN_EXPORT_JSONL, N_("JSON Lines (the log format)") },
  { TINCAN_EXPORT_HEXDUMP, N_("Hex dump") },
  { TINCAN_EXPORT_C, N_("C arrays") },
  { TINCAN_EXPORT_PCAPNG, N_("pcapng capture (Wireshark)") },
};

typedef struct
{
  GWeakRef      parent;
  GPtrArray    *messages;
  AdwToast     *toast;         /* the progress toast, until the save ends */
  GCancellable *cancellable;
  char         *name;          /* the file's name, for the toasts */
  gint          done;          /* entries written, from the worker; atomic */
  guint         progress_id;
} Save;

static void
save_free (Save *save)
{
  g_clear_handle_id (&save->progress_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (save->toast, save);
  g_weak_ref_clear (&save->parent);
  g_ptr_array_unref (save->messages);
  g_clear_object (&save->toast);
  g_clear_object (&save->cancellable);
  g_free (save->name);
  g_free (save);
}

/* libadwaita 1.2 reads a toast's title as markup, and file names may hold
 * "&" or "<": the title is escaped (adw_toast_set_use_markup () is 1.4). */
static void
set_title (AdwToast   *toast,
           const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_set_title (toast, escaped);
}

static void
toast (GtkWidget *parent,
       AdwToast  *toast)
{
  GtkWidget *overlay = parent ? gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY) : NULL;

  if (overlay != NULL)
    tincan_a11y_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* The worker says how far it got; the toast shows it ten times a second. */
static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Save *save = user_data;

  g_atomic_int_set (&save->done, (gint) done);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  Save *save = user_data;
  g_autofree char *done = tincan_format_count ((guint) g_atomic_int_get (&save->done));
  g_autofree char *total = tincan_format_count (save->messages->len);
  g_autofree char *title = NULL;

  /* TRANSLATORS: while saving: "Saving flood.pcapng: 12,000 of 1,000,000 entries" */
  title = g_strdup_printf (_("Saving %s: %s of %s entries"), save->name, done, total);
  set_title (save->toast, title);
  return G_SOURCE_CONTINUE;
}

static void
cancel_cb (AdwToast *toast,
           Save     *save)
{
  g_cancellable_cancel (save->cancellable);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(GtkWidget) parent = g_weak_ref_get (&save->parent);
  g_autoptr(GError) error = NULL;
  g_autofree char *count = tincan_format_count (save->messages->len);
  g_autofree char *text = NULL;
  AdwToast *done;

  g_clear_handle_id (&save->progress_id, g_source_remove);
  adw_toast_dismiss (save->toast);

  if (tincan_export_file_finish (result, &error))
    /* TRANSLATORS: "Saved 1,000,000 entries to flood.pcapng" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %s entry to %s",
                                         "Saved %s entries to %s", save->messages->len),
                            count, save->name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (_("Saving %s was cancelled; the file is as it was"), save->name);
  else
    text = g_strdup_printf (_("Could not save %s: %s"), save->name, error->message);

  done = adw_toast_new ("");
  set_title (done, text);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_set_timeout (done, 0);   /* a failure stays until dismissed */
  toast (parent, done);
  save_free (save);
}

/**
 * tincan_transcript_save_to:
 * @messages: (element-type TincanMessage): the entries, oldest first; a
 *   reference is kept until the save ends
 *
 * Writes @messages to @file in @format, in a thread, with a toast in
 * @parent's window that shows how far it got and offers Cancel.
 */
void
tincan_transcript_save_to (GtkWidget          *parent,
                           GPtrArray          *messages,
                           TincanExportFormat  format,
                           GFile              *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *basename = g_file_get_basename (file);
  Save *save;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (G_IS_FILE (file));

  save = g_new0 (Save, 1);
  g_weak_ref_init (&save->parent, parent);
  save->messages = g_ptr_array_ref (messages);
  save->cancellable = g_cancellable_new ();
  save->name = g_filename_display_name (basename);
  save->toast = adw_toast_new ("");
  adw_toast_set_timeout (save->toast, 0);
  adw_toast_set_priority (save->toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (save->toast, _("Cancel"));
  g_signal_connect (save->toast, "button-clicked", G_CALLBACK (cancel_cb), save);
  show_progress_cb (save);
  toast (parent, g_object_ref (save->toast));
  save->progress_id = g_timeout_add (100, show_progress_cb, save);

  if (path == NULL)
    {
      /* Only a local file: the exporters write with GIO, but atomically,
       * through a temporary file beside it. */
      g_autoptr(GTask) task = g_task_new (NULL, NULL, saved_cb, save);

      g_task_set_source_tag (task, tincan_export_file_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("only a local file can be written"));
      return;
    }

  tincan_export_file_async (format, messages, NULL, path, progress_cb, save,
                            save->cancellable, saved_cb, save);
}

typedef struct
{
  GWeakRef   parent;
  GPtrArray *messages;
} Ask;

static void
ask_free (Ask *ask)
{
  g_weak_ref_clear (&ask->parent);
  g_ptr_array_unref (ask->messages);
  g_free (ask);
}

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             Ask             *ask)
{
  g_autoptr(GtkWidget) parent = g_weak_ref_get (&ask->parent);
  g_autoptr(GFile) file = NULL;
  const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
  TincanExportFormat format = TINCAN_EXPORT_TEXT;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (choice != NULL)
    tincan_export_format_from_name (choice, &format);
  if (file != NULL && parent != NULL)
    tincan_transcript_save_to (parent, ask->messages, format, file);

  ask_free (ask);
  g_object_unref (dialog);
}

/**
 * tincan_transcript_save_run:
 * @messages: (element-type TincanMessage): what to save, oldest first
 *
 * Asks where and in which format, then saves as
 * tincan_transcript_save_to() does.
 */
void
tincan_transcript_save_run (GtkWidget *parent,
                            GPtrArray *messages)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "transcript-%Y%m%d-%H%M%S");
  const char *ids[G_N_ELEMENTS (formats) + 1] = { NULL };
  const char *labels[G_N_ELEMENTS (formats) + 1] = { NULL };
  GtkFileChooserNative *dialog;
  Ask *ask;

  g_return_if_fail (GTK_IS_WIDGET (parent));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      ids[i] = tincan_export_format_to_name (formats[i].format);
      labels[i] = _(formats[i].label);
    }

  dialog = gtk_file_chooser_native_new (_("Save Transcript"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", ids[0]);

  ask = g_new0 (Ask, 1);
  g_weak_ref_init (&ask->parent, parent);
  ask->messages = g_ptr_array_ref (messages);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), ask);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
