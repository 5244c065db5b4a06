/* tincan-workspace.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A workspace: what a user keeps or shares (open tabs, saved connections,
 * the message library), as plain data, and its file: loaded whole or not at
 * all, saved atomically. The format itself is in tincan-workspace-format.c,
 * the Packet Sender import in tincan-packet-sender.c. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-workspace.h"
#include "tincan-workspace-private.h"

G_DEFINE_QUARK (tincan-workspace-error-quark, tincan_workspace_error)

struct _TincanWorkspace
{
  gatomicrefcount  ref_count;
  GPtrArray       *tabs;
  GPtrArray       *connections;
  GPtrArray       *messages;
  guint            selected_tab;
};

G_DEFINE_BOXED_TYPE (TincanWorkspaceConnection, tincan_workspace_connection,
                     tincan_workspace_connection_copy, tincan_workspace_connection_free)
G_DEFINE_BOXED_TYPE (TincanWorkspaceMessage, tincan_workspace_message,
                     tincan_workspace_message_copy, tincan_workspace_message_free)
G_DEFINE_BOXED_TYPE (TincanWorkspace, tincan_workspace, tincan_workspace_ref,
                     tincan_workspace_unref)

/* NULL and "" both mean "none" for the optional strings. */
static gboolean
optional_equal (const char *a,
                const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/**
 * tincan_workspace_connection_new:
 *
 * Returns: (transfer full): an empty tab's settings: no name, host "", port 0,
 *   TCP, raw framing, persistent, through the proxy
 */
TincanWorkspaceConnection *
tincan_workspace_connection_new (void)
{
  TincanWorkspaceConnection *self = g_new0 (TincanWorkspaceConnection, 1);

  self->host = g_strdup ("");
  self->transport = TINCAN_TRANSPORT_TCP;
  self->framing = g_strdup ("raw");
  self->mode = TINCAN_CONNECTION_PERSISTENT;
  return self;
}

TincanWorkspaceConnection *
tincan_workspace_connection_copy (const TincanWorkspaceConnection *self)
{
  TincanWorkspaceConnection *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->host = g_strdup (self->host);
  copy->framing = g_strdup (self->framing);
  return copy;
}

void
tincan_workspace_connection_free (TincanWorkspaceConnection *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->host);
  g_free (self->framing);
  g_free (self);
}

gboolean
tincan_workspace_connection_equal (const TincanWorkspaceConnection *a,
                                   const TincanWorkspaceConnection *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return optional_equal (a->name, b->name) &&
         optional_equal (a->host, b->host) &&
         a->port == b->port &&
         a->transport == b->transport &&
         g_strcmp0 (a->framing, b->framing) == 0 &&
         a->mode == b->mode &&
         !a->no_proxy == !b->no_proxy;
}

/**
 * tincan_workspace_message_new:
 *
 * Returns: (transfer full): an empty, unnamed text message that does not repeat
 */
TincanWorkspaceMessage *
tincan_workspace_message_new (void)
{
  TincanWorkspaceMessage *self = g_new0 (TincanWorkspaceMessage, 1);

  self->name = g_strdup ("");
  self->payload = g_strdup ("");
  self->format = TINCAN_PAYLOAD_FORMAT_TEXT;
  self->ending = TINCAN_LINE_ENDING_NONE;
  return self;
}

TincanWorkspaceMessage *
tincan_workspace_message_copy (const TincanWorkspaceMessage *self)
{
  TincanWorkspaceMessage *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->payload = g_strdup (self->payload);
  copy->description = g_strdup (self->description);
  return copy;
}

void
tincan_workspace_message_free (TincanWorkspaceMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->payload);
  g_free (self->description);
  g_free (self);
}

gboolean
tincan_workspace_message_equal (const TincanWorkspaceMessage *a,
                                const TincanWorkspaceMessage *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return optional_equal (a->name, b->name) &&
         optional_equal (a->payload, b->payload) &&
         a->format == b->format &&
         a->ending == b->ending &&
         optional_equal (a->description, b->description) &&
         a->repeat_ms == b->repeat_ms;
}

/**
 * tincan_workspace_new:
 *
 * Returns: (transfer full): a workspace with no tabs, connections or messages
 */
TincanWorkspace *
tincan_workspace_new (void)
{
  TincanWorkspace *self = g_new0 (TincanWorkspace, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_workspace_connection_free);
  self->connections =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_workspace_connection_free);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_workspace_message_free);
  return self;
}

TincanWorkspace *
tincan_workspace_ref (TincanWorkspace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tincan_workspace_unref (TincanWorkspace *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->tabs);
  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->messages);
  g_free (self);
}

typedef gpointer (*CopyItemFunc) (gconstpointer item);

static void
copy_items (GPtrArray    *to,
            GPtrArray    *from,
            CopyItemFunc  copy)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, copy (g_ptr_array_index (from, i)));
}

/**
 * tincan_workspace_copy:
 *
 * Returns: (transfer full): a deep copy, which shares nothing with @self
 */
TincanWorkspace *
tincan_workspace_copy (TincanWorkspace *self)
{
  TincanWorkspace *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tincan_workspace_new ();
  copy_items (copy->tabs, self->tabs, (CopyItemFunc) tincan_workspace_connection_copy);
  copy_items (copy->connections, self->connections, (CopyItemFunc) tincan_workspace_connection_copy);
  copy_items (copy->messages, self->messages, (CopyItemFunc) tincan_workspace_message_copy);
  copy->selected_tab = self->selected_tab;
  return copy;
}

/**
 * tincan_workspace_get_tabs:
 *
 * Returns: (transfer none) (element-type TincanWorkspaceConnection): the open
 *   tabs in tab order; the array belongs to @self, and the caller may add to,
 *   remove from and reorder it
 */
GPtrArray *
tincan_workspace_get_tabs (TincanWorkspace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tabs;
}

/**
 * tincan_workspace_get_connections:
 *
 * Returns: (transfer none) (element-type TincanWorkspaceConnection): the saved
 *   connections, owned by @self as the tabs are
 */
GPtrArray *
tincan_workspace_get_connections (TincanWorkspace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->connections;
}

/**
 * tincan_workspace_get_messages:
 *
 * Returns: (transfer none) (element-type TincanWorkspaceMessage): the message
 *   library, owned by @self as the tabs are
 */
GPtrArray *
tincan_workspace_get_messages (TincanWorkspace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->messages;
}

/**
 * tincan_workspace_get_selected_tab:
 *
 * Returns: the index of the selected tab in tincan_workspace_get_tabs(); 0
 *   when there are no tabs
 */
guint
tincan_workspace_get_selected_tab (TincanWorkspace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->selected_tab;
}

/**
 * tincan_workspace_set_selected_tab:
 * @index: an index into the tabs; one past the last is saved as the first
 *   tab, since the tabs may be added after it is set
 */
void
tincan_workspace_set_selected_tab (TincanWorkspace *self,
                                   guint            index)
{
  g_return_if_fail (self != NULL);

  self->selected_tab = index;
}

static gboolean
items_equal (GPtrArray  *a,
             GPtrArray  *b,
             GEqualFunc  equal)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/**
 * tincan_workspace_equal:
 *
 * Returns: whether @a and @b hold the same items in the same order and select
 *   the same tab, that is, whether they save to the same file
 */
gboolean
tincan_workspace_equal (TincanWorkspace *a,
                        TincanWorkspace *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return _tincan_workspace_saved_selected_tab (a) == _tincan_workspace_saved_selected_tab (b) &&
         items_equal (a->tabs, b->tabs, (GEqualFunc) tincan_workspace_connection_equal) &&
         items_equal (a->connections, b->connections,
                      (GEqualFunc) tincan_workspace_connection_equal) &&
         items_equal (a->messages, b->messages, (GEqualFunc) tincan_workspace_message_equal);
}

/* What the file says is selected: an index that names no tab means the first. */
guint
_tincan_workspace_saved_selected_tab (TincanWorkspace *self)
{
  return self->selected_tab < self->tabs->len ? self->selected_tab : 0;
}

/* The name to show for @file in a sentence. */
static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path != NULL ? g_filename_display_name (path) : g_file_get_uri (file);
}

/**
 * tincan_workspace_save:
 * @file: the file to write; an existing one is replaced
 * @error: a #TINCAN_WORKSPACE_ERROR_WRITE
 *
 * Writes tincan_workspace_to_data() to @file atomically: GIO writes a
 * temporary file beside it and renames it over @file, so that a crash leaves
 * the old file or the new one, never half of one.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
tincan_workspace_save (TincanWorkspace  *self,
                       GFile            *file,
                       GError          **error)
{
  gsize length = 0;
  g_autofree char *data = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = tincan_workspace_to_data (self, &length);
  return _tincan_workspace_write_data (data, length, file, NULL, error);
}

gboolean
_tincan_workspace_write_data (const char    *data,
                              gsize          length,
                              GFile         *file,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;

  if (g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                               cancellable, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  shown = file_display_name (file);
  g_set_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_WRITE,
               /* TRANSLATORS: a file name, and why it could not be written */
               _("Cannot save “%s”: %s"), shown, local_error->message);
  return FALSE;
}

static TincanWorkspace *
load (GFile         *file,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *shown = NULL;
  gsize length = 0;

  if (g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    return tincan_workspace_new_from_data (data, length, error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  shown = file_display_name (file);
  g_set_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_READ,
               /* TRANSLATORS: a file name, and why it could not be read */
               _("Cannot open “%s”: %s"), shown, local_error->message);
  return NULL;
}

/**
 * tincan_workspace_load:
 * @error: a #TINCAN_WORKSPACE_ERROR: READ when the file cannot be read, else
 *   as tincan_workspace_new_from_data()
 *
 * Returns: (transfer full) (nullable): the workspace in @file, or %NULL
 */
TincanWorkspace *
tincan_workspace_load (GFile   *file,
                       GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return load (file, NULL, error);
}

typedef struct
{
  GFile *file;
  char  *data;
  gsize  length;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_object_unref (job->file);
  g_free (job->data);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (_tincan_workspace_write_data (job->data, job->length, job->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tincan_workspace_save_async:
 * @cancellable: (nullable): cancels the save; @file is then left as it was
 *
 * tincan_workspace_save() in a thread. The text is made at the call, so the
 * caller may change @self at once.
 */
void
tincan_workspace_save_async (TincanWorkspace     *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  job = g_new0 (SaveJob, 1);
  job->file = g_file_dup (file);
  job->data = tincan_workspace_to_data (self, &job->length);
  g_task_set_source_tag (task, tincan_workspace_save_async);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * tincan_workspace_save_finish:
 *
 * Returns: %TRUE when the file was written, or %FALSE with @error set
 */
gboolean
tincan_workspace_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, tincan_workspace_save_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TincanWorkspace *workspace = load (task_data, cancellable, &error);

  if (workspace != NULL)
    g_task_return_pointer (task, workspace, (GDestroyNotify) tincan_workspace_unref);
  else
    g_task_return_error (task, error);
}

/**
 * tincan_workspace_load_async:
 * @cancellable: (nullable): cancels the load
 *
 * tincan_workspace_load() in a thread.
 */
void
tincan_workspace_load_async (GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tincan_workspace_load_async);
  g_task_set_task_data (task, g_file_dup (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/**
 * tincan_workspace_load_finish:
 *
 * Returns: (transfer full) (nullable): the workspace, or %NULL with @error set
 */
TincanWorkspace *
tincan_workspace_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tincan_workspace_load_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
