/* tincan-window-workspace.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A window and its workspace file: Open Workspace… (Ctrl+O) opens a file's
 * tabs in a window of their own, Save Workspace and Save Workspace As… write
 * the window's tabs, with what else the file held (saved connections, the
 * message library) kept as it was. The title says the workspace's name and
 * "•" while the tabs differ from what was last opened or saved. Which tab is
 * selected is saved but is not a change: switching tabs marks nothing. A file
 * that does not open leaves the window as it was and says why in a toast. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-record-chooser.h"
#include "tincan-window-private.h"

#define SUFFIX ".tincan-workspace"

static void
toast (TincanWindow *self,
       const char   *text)
{
  /* libadwaita 1.2 reads the title as markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  tincan_a11y_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static char *
workspace_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);

  if (g_str_has_suffix (base, SUFFIX) && strlen (base) > strlen (SUFFIX))
    base[strlen (base) - strlen (SUFFIX)] = '\0';
  return g_steal_pointer (&base);
}

/* The window's tabs in the workspace it came from. */
static TincanWorkspace *
current_workspace (TincanWindow *self)
{
  g_autoptr(TincanWorkspace) tabs = tincan_window_dup_workspace (self);
  TincanWorkspace *workspace = self->workspace != NULL ? tincan_workspace_copy (self->workspace)
                                                       : tincan_workspace_new ();
  GPtrArray *to = tincan_workspace_get_tabs (workspace);
  GPtrArray *from = tincan_workspace_get_tabs (tabs);

  g_ptr_array_set_size (to, 0);
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, tincan_workspace_connection_copy (g_ptr_array_index (from, i)));
  tincan_workspace_set_selected_tab (workspace, tincan_workspace_get_selected_tab (tabs));
  return workspace;
}

static gboolean
is_changed (TincanWindow *self)
{
  g_autoptr(TincanWorkspace) now = NULL;

  if (self->workspace == NULL)
    return FALSE;

  now = current_workspace (self);
  tincan_workspace_set_selected_tab (now, tincan_workspace_get_selected_tab (self->workspace));
  return !tincan_workspace_equal (now, self->workspace);
}

void
_tincan_window_update_title (TincanWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->window_title == NULL)   /* disposed */
    return;
  if (self->workspace_file == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Tincan"));
      gtk_window_set_title (GTK_WINDOW (self), _("Tincan"));
      return;
    }

  name = workspace_name (self->workspace_file);
  /* TRANSLATORS: the title of a workspace with unsaved changes */
  title = is_changed (self) ? g_strdup_printf (_("• %s"), name) : g_strdup (name);
  adw_window_title_set_title (self->window_title, title);
  g_free (name);
  /* TRANSLATORS: the window's title for the window list: workspace — app */
  name = g_strdup_printf (_("%s — Tincan"), title);
  gtk_window_set_title (GTK_WINDOW (self), name);
}

static void
set_workspace (TincanWindow    *self,
               GFile           *file,
               TincanWorkspace *workspace)
{
  g_set_object (&self->workspace_file, file);
  g_clear_pointer (&self->workspace, tincan_workspace_unref);
  self->workspace = tincan_workspace_ref (workspace);
  _tincan_window_update_title (self);
}

/**
 * tincan_window_open_workspace:
 * @file: where @workspace was read from
 *
 * Opens @workspace's tabs here (one new tab when it has none), and makes
 * @file the window's workspace file.
 */
void
tincan_window_open_workspace (TincanWindow    *self,
                              GFile           *file,
                              TincanWorkspace *workspace)
{
  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (workspace != NULL);

  tincan_window_add_workspace_tabs (self, workspace);
  if (tincan_window_get_n_tabs (self) == 0)
    tincan_window_add_tab (self, NULL);
  set_workspace (self, file, workspace);
}

/**
 * tincan_window_get_workspace_file:
 *
 * Returns: (transfer none) (nullable): the window's workspace file
 */
GFile *
tincan_window_get_workspace_file (TincanWindow *self)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);

  return self->workspace_file;
}

/**
 * tincan_window_get_workspace_changed:
 *
 * Returns: whether the tabs differ from the workspace file's
 */
gboolean
tincan_window_get_workspace_changed (TincanWindow *self)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), FALSE);

  return is_changed (self);
}

/* What an open or a save in progress needs back: the window and the file. */
typedef struct
{
  TincanWindow    *window;
  GFile           *file;
  TincanWorkspace *workspace;   /* what a save writes */
} Job;

static Job *
job_new (TincanWindow *window,
         GFile        *file)
{
  Job *job = g_new0 (Job, 1);

  job->window = g_object_ref (window);
  job->file = g_object_ref (file);
  return job;
}

static void
job_free (Job *job)
{
  g_object_unref (job->window);
  g_object_unref (job->file);
  g_clear_pointer (&job->workspace, tincan_workspace_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
toast_file_error (TincanWindow *self,
                  gboolean      opening,
                  GFile        *file,
                  const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *text = NULL;

  /* TRANSLATORS: a file's name, then why it did not open or could not be written */
  if (opening)
    text = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);
  else
    text = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
  toast (self, text);
}

/* Open */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) workspace = tincan_workspace_load_finish (result, &error);
  GtkApplication *application;
  TincanWindow *window;

  if (workspace == NULL)
    {
      toast_file_error (job->window, TRUE, job->file, error);
      return;
    }

  application = gtk_window_get_application (GTK_WINDOW (job->window));
  window = tincan_window_new_empty (TINCAN_APPLICATION (application));
  tincan_window_open_workspace (window, job->file, workspace);
  gtk_window_present (GTK_WINDOW (window));
}

static void
open_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TincanWindow) self = user_data;
  g_autoptr(GFile) file = tincan_record_chooser_finish (result, NULL);

  if (file != NULL)
    tincan_workspace_load_async (file, NULL, loaded_cb, job_new (self, file));
}

static void
open_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  tincan_file_chooser_run (widget, _("Open Workspace"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                           NULL, _("Tincan workspaces"), "*" SUFFIX, open_chosen_cb,
                           g_object_ref (widget));
}

/* Save */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;

  if (!tincan_workspace_save_finish (result, &error))
    {
      toast_file_error (job->window, FALSE, job->file, error);
      return;
    }

  set_workspace (job->window, job->file, job->workspace);
}

static void
save_to (TincanWindow *self,
         GFile        *file)
{
  Job *job = job_new (self, file);

  job->workspace = current_workspace (self);
  tincan_workspace_save_async (job->workspace, file, NULL, saved_cb, job);
}

static void
save_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TincanWindow) self = user_data;
  g_autoptr(GFile) file = tincan_record_chooser_finish (result, NULL);

  if (file != NULL)
    save_to (self, file);
}

static void
save_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->workspace_file != NULL && g_str_equal (action_name, "win.save-workspace"))
    {
      save_to (self, self->workspace_file);
      return;
    }

  name = self->workspace_file != NULL ? g_file_get_basename (self->workspace_file)
                                      : g_strconcat (_("Workspace"), SUFFIX, NULL);
  tincan_file_chooser_run (widget, _("Save Workspace"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                           name, _("Tincan workspaces"), "*" SUFFIX, save_chosen_cb,
                           g_object_ref (widget));
}

void
_tincan_window_class_workspace_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-workspace", NULL,
                                   open_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.save-workspace", NULL,
                                   save_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.save-workspace-as", NULL,
                                   save_workspace_action);
}
