/* tincan-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The traffic log: every transcript entry as one JSON object per line.
 *
 * The main thread only hands the writer references to the (immutable)
 * entries; the writer thread formats and writes them, a large entry in
 * pieces, so neither formatting nor a slow disk ever stalls the window.
 *
 * The queue is bounded in bytes. When the file does not keep up (a pipe
 * nobody reads, a slow network disk), entries that do not fit are dropped
 * and counted, never queued, and the main thread never waits: the log says
 * so once ("problem"), the window shows the count, and the file gets a
 * status line where entries are missing. A failed write stops the log and
 * is never silent either: "problem" again, and every later entry is counted
 * as not written.
 *
 * Closing never waits. The state the writer needs (LogShared) is reference
 * counted apart from the GObject, so a closed log drains and exits on its
 * own; at process exit tincan_log_finish_all () waits a bounded time for
 * every log and says what was not written. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-log-private.h"

G_DEFINE_QUARK (tincan-log-error-quark, tincan_log_error)

/* What main thread and writer share; everything but the immutable fields
 * under mutex. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GCond            cond;          /* the queue got a batch, or the writer finished */

  GOutputStream   *stream;        /* the writer's only */
  gint64           started;       /* real time of the opening; immutable */
  char            *display_name;  /* immutable */
  GMainContext    *context;       /* where "problem" is emitted; immutable */
  GWeakRef         owner;         /* the TincanLog, while it lives */

  GQueue           queue;         /* of Batch */
  gsize            max_queued;
  gsize            queued_bytes;
  guint64          queued_entries;
  guint64          pending_gap;   /* dropped since the last queued batch */
  guint64          not_written;
  GError          *error;         /* the first write error; set once */
  gboolean         stopping;
  gboolean         finished;
} LogShared;

typedef struct
{
  GPtrArray *entries;   /* of TincanMessage */
  guint64    gap;       /* entries dropped just before these */
  gsize      cost;
} Batch;

struct _TincanLog
{
  GObject    parent_instance;

  LogShared *shared;
  gboolean   closed;
  gboolean   told_dropping;
};

G_DEFINE_FINAL_TYPE (TincanLog, tincan_log, G_TYPE_OBJECT)

enum {
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every log whose outcome is not known yet, or was a failure, for the
 * report at process exit. */
static GMutex registry_mutex;
static GPtrArray *registry;

static LogShared *
log_shared_ref (LogShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->entries);
  g_free (batch);
}

static void
log_shared_unref (LogShared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;

  g_queue_clear_full (&shared->queue, (GDestroyNotify) batch_free);
  g_clear_object (&shared->stream);
  g_clear_pointer (&shared->display_name, g_free);
  g_clear_pointer (&shared->context, g_main_context_unref);
  g_weak_ref_clear (&shared->owner);
  g_clear_error (&shared->error);
  g_cond_clear (&shared->cond);
  g_mutex_clear (&shared->mutex);
  g_free (shared);
}

/* The writer thread */

static gboolean
emit_problem_cb (gpointer data)
{
  LogShared *shared = data;
  g_autoptr(TincanLog) owner = g_weak_ref_get (&shared->owner);

  if (owner != NULL)
    g_signal_emit (owner, signals[PROBLEM], 0);
  return G_SOURCE_REMOVE;
}

/* Writes @batch; returns how many of its entries did not reach the file. */
static guint
write_batch (TincanLogSink  *sink,
             Batch          *batch,
             GError        **error)
{
  guint written = 0;

  if (batch->gap > 0)
    _tincan_log_append_gap (sink, batch->gap);

  /* An entry counts as written once a write that ended it succeeded. */
  for (guint i = 0, formatted = 0; i < batch->entries->len && sink->error == NULL; i++)
    {
      _tincan_log_append_entry (sink, g_ptr_array_index (batch->entries, i));
      formatted++;
      _tincan_log_sink_write (sink, PIECE_SIZE);
      if (sink->out->len == 0 && sink->error == NULL)
        written = formatted;
    }
  _tincan_log_sink_write (sink, 0);
  if (sink->error == NULL)
    written = batch->entries->len;
  else
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      g_string_truncate (sink->out, 0);
    }

  return batch->entries->len - written;
}

static void
fail (LogShared *shared,
      GError    *error)
{
  GSource *source = g_idle_source_new ();

  g_assert (shared->error == NULL);
  shared->error = error;
  /* Not g_main_context_invoke (): from a thread with no context of its own
   * it may acquire the main context and emit right here, on the writer. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_problem_cb, log_shared_ref (shared),
                         (GDestroyNotify) log_shared_unref);
  g_source_set_static_name (source, "[tincan] log problem");
  g_source_attach (source, shared->context);
  g_source_unref (source);
}

static void
registry_forget_if_clean (LogShared *shared)
{
  gboolean clean;

  g_mutex_lock (&shared->mutex);
  clean = shared->error == NULL && shared->not_written == 0;
  g_mutex_unlock (&shared->mutex);

  g_mutex_lock (&registry_mutex);
  if (clean && registry != NULL && g_ptr_array_remove_fast (registry, shared))
    log_shared_unref (shared);
  g_mutex_unlock (&registry_mutex);
}

static void
finish_writing (LogShared     *shared,
                TincanLogSink *sink)
{
  g_autoptr(GError) error = NULL;
  Batch last = { g_ptr_array_new (), shared->pending_gap };

  /* Entries dropped after the last batch still leave their mark, and a
   * log that got no entry still gets its header. */
  if (shared->error == NULL && (last.gap > 0 || sink->out->len > 0))
    {
      g_mutex_unlock (&shared->mutex);
      write_batch (sink, &last, &error);
      g_mutex_lock (&shared->mutex);
      if (error != NULL)
        fail (shared, g_steal_pointer (&error));
    }
  g_ptr_array_unref (last.entries);

  g_mutex_unlock (&shared->mutex);
  g_output_stream_close (shared->stream, NULL, &error);
  g_mutex_lock (&shared->mutex);
  if (error != NULL && shared->error == NULL)
    fail (shared, g_steal_pointer (&error));

  shared->finished = TRUE;
  g_cond_broadcast (&shared->cond);
}

static gpointer
writer_thread (gpointer data)
{
  LogShared *shared = data;
  TincanLogSink sink;

  /* The header goes out with the first batch (or at the end), so that
   * its write fails or succeeds with the first entries. */
  _tincan_log_sink_init (&sink, shared->stream, 2 * PIECE_SIZE);
  _tincan_log_append_header (&sink, shared->started);

  g_mutex_lock (&shared->mutex);
  for (;;)
    {
      Batch *batch;
      guint not_written;
      g_autoptr(GError) error = NULL;

      while (g_queue_is_empty (&shared->queue) && !shared->stopping)
        g_cond_wait (&shared->cond, &shared->mutex);
      if ((batch = g_queue_pop_head (&shared->queue)) == NULL)
        break;

      if (shared->error == NULL)
        {
          g_mutex_unlock (&shared->mutex);
          not_written = write_batch (&sink, batch, &error);
          g_mutex_lock (&shared->mutex);
        }
      else
        not_written = batch->entries->len;

      shared->not_written += not_written;
      shared->queued_bytes -= batch->cost;
      shared->queued_entries -= batch->entries->len;
      if (error != NULL)
        fail (shared, g_steal_pointer (&error));
      batch_free (batch);
    }
  finish_writing (shared, &sink);
  g_mutex_unlock (&shared->mutex);
  _tincan_log_sink_clear (&sink);

  registry_forget_if_clean (shared);
  log_shared_unref (shared);
  return NULL;
}

/* The API, on the main thread */

static TincanLog *log_new (GFileOutputStream *stream,
                           const char        *path);

/**
 * tincan_log_open:
 * @path: the file to append to; created if missing
 *
 * Returns: (transfer full): a log, or %NULL with @error set when the file
 *   cannot be opened for appending
 */
TincanLog *
tincan_log_open (const char  *path,
                 GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_commandline_arg (path);
  stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return NULL;

  return log_new (stream, path);
}

/**
 * tincan_log_create:
 * @path: the file to write; what it held is replaced
 *
 * For a file picked in a save dialog, which has asked before replacing it.
 *
 * Returns: (transfer full): a log, or %NULL with @error set
 */
TincanLog *
tincan_log_create (const char  *path,
                   GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  /* Not g_file_replace (): it writes to a temporary file until closed,
   * and a recording grows in place, readable while it is written. */
  stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, NULL);
  if (stream == NULL)
    {
      g_autoptr(GFileIOStream) io = g_file_open_readwrite (file, NULL, error);

      if (io == NULL || !g_seekable_truncate (G_SEEKABLE (io), 0, NULL, error))
        return NULL;
      g_clear_object (&io);
      stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
      if (stream == NULL)
        return NULL;
    }

  return log_new (stream, path);
}

static TincanLog *
log_new (GFileOutputStream *stream,
         const char        *path)
{
  LogShared *shared;
  TincanLog *self;

  self = g_object_new (TINCAN_TYPE_LOG, NULL);

  shared = g_new0 (LogShared, 1);
  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->mutex);
  g_cond_init (&shared->cond);
  shared->stream = G_OUTPUT_STREAM (g_object_ref (stream));
  shared->started = g_get_real_time ();
  shared->display_name = g_filename_display_name (path);
  shared->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&shared->owner, self);
  shared->max_queued = TINCAN_LOG_DEFAULT_MAX_QUEUED;
  self->shared = shared;

  g_mutex_lock (&registry_mutex);
  if (registry == NULL)
    registry = g_ptr_array_new ();
  g_ptr_array_add (registry, log_shared_ref (shared));
  g_mutex_unlock (&registry_mutex);

  /* The thread holds its own reference and is never joined. */
  g_thread_unref (g_thread_new ("tincan-log", writer_thread, log_shared_ref (shared)));

  return self;
}

/**
 * tincan_log_set_max_queued:
 * @max_queued: bytes of entries that may wait for the writer
 *
 * An entry larger than the whole bound is still taken when nothing waits.
 */
void
tincan_log_set_max_queued (TincanLog *self,
                           gsize      max_queued)
{
  g_return_if_fail (TINCAN_IS_LOG (self));

  g_mutex_lock (&self->shared->mutex);
  self->shared->max_queued = max_queued;
  g_mutex_unlock (&self->shared->mutex);
}

gsize
tincan_log_get_max_queued (TincanLog *self)
{
  gsize max_queued;

  g_return_val_if_fail (TINCAN_IS_LOG (self), 0);

  g_mutex_lock (&self->shared->mutex);
  max_queued = self->shared->max_queued;
  g_mutex_unlock (&self->shared->mutex);
  return max_queued;
}

/* Queues what fits of @messages; returns whether any were dropped. Called
 * with the mutex held. A batch is cut where entries are dropped, so the
 * writer can mark the gap where it is. */
static gboolean
queue_messages (LogShared      *shared,
                TincanMessage **messages,
                guint           n_messages)
{
  Batch *batch = NULL;
  gboolean dropped = FALSE;

  for (guint i = 0; i < n_messages; i++)
    {
      gsize length;
      gsize cost;

      tincan_message_get_data (messages[i], &length);
      cost = length + TINCAN_LOG_ENTRY_OVERHEAD;
      if (shared->queued_bytes > 0 && shared->queued_bytes + cost > shared->max_queued)
        {
          shared->not_written++;
          shared->pending_gap++;
          dropped = TRUE;
          if (batch != NULL)
            g_queue_push_tail (&shared->queue, g_steal_pointer (&batch));
          continue;
        }

      if (batch == NULL)
        {
          batch = g_new0 (Batch, 1);
          batch->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
          batch->gap = shared->pending_gap;
          shared->pending_gap = 0;
        }
      g_ptr_array_add (batch->entries, tincan_message_ref (messages[i]));
      batch->cost += cost;
      shared->queued_bytes += cost;
      shared->queued_entries++;
    }

  if (batch != NULL)
    g_queue_push_tail (&shared->queue, batch);
  g_cond_signal (&shared->cond);
  return dropped;
}

/**
 * tincan_log_write:
 * @messages: (array length=n_messages): the entries of one batch
 *
 * Hands the entries to the writer, which formats, appends and flushes them.
 * Never waits: what does not fit in the queue, and everything after a
 * failed write or after closing, is counted as not written. "problem" is
 * emitted the first time entries are dropped.
 */
void
tincan_log_write (TincanLog      *self,
                  TincanMessage **messages,
                  guint           n_messages)
{
  LogShared *shared;
  gboolean dropped;

  g_return_if_fail (TINCAN_IS_LOG (self));

  if (n_messages == 0)
    return;

  shared = self->shared;
  g_mutex_lock (&shared->mutex);
  if (shared->error != NULL || shared->stopping)
    {
      shared->not_written += n_messages;
      dropped = FALSE;
    }
  else
    dropped = queue_messages (shared, messages, n_messages);
  g_mutex_unlock (&shared->mutex);

  if (dropped && !self->told_dropping)
    {
      self->told_dropping = TRUE;
      g_signal_emit (self, signals[PROBLEM], 0);
    }
}

/**
 * tincan_log_get_not_written:
 *
 * Returns: how many entries did not reach the file: dropped because the
 *   file was not keeping up, or lost to a failed write
 */
guint64
tincan_log_get_not_written (TincanLog *self)
{
  guint64 count;

  g_return_val_if_fail (TINCAN_IS_LOG (self), 0);

  g_mutex_lock (&self->shared->mutex);
  count = self->shared->not_written;
  g_mutex_unlock (&self->shared->mutex);
  return count;
}

/**
 * tincan_log_dup_error:
 *
 * Returns: (transfer full) (nullable): the write that failed and stopped
 *   the log, if one did
 */
GError *
tincan_log_dup_error (TincanLog *self)
{
  GError *error;

  g_return_val_if_fail (TINCAN_IS_LOG (self), NULL);

  g_mutex_lock (&self->shared->mutex);
  error = self->shared->error ? g_error_copy (self->shared->error) : NULL;
  g_mutex_unlock (&self->shared->mutex);
  return error;
}

/**
 * tincan_log_get_display_name:
 *
 * Returns: the file's name, as UTF-8, for sentences
 */
const char *
tincan_log_get_display_name (TincanLog *self)
{
  g_return_val_if_fail (TINCAN_IS_LOG (self), NULL);

  return self->shared->display_name;
}

static void
log_shared_stop (LogShared *shared)
{
  g_mutex_lock (&shared->mutex);
  shared->stopping = TRUE;
  g_cond_signal (&shared->cond);
  g_mutex_unlock (&shared->mutex);
}

/**
 * tincan_log_close:
 *
 * Hands the log over to its writer, which writes what is queued and closes
 * the file on its own. Never waits; later writes are counted as not written.
 * tincan_log_wait () or tincan_log_finish_all () say how it ended.
 */
void
tincan_log_close (TincanLog *self)
{
  g_return_if_fail (TINCAN_IS_LOG (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  log_shared_stop (self->shared);
}

/* What went wrong with @shared, or NULL if nothing did. Called with the
 * mutex held. */
static GError *
log_shared_dup_problem (LogShared *shared)
{
  unsigned long long lost = shared->not_written;
  unsigned long long left = lost + shared->queued_entries;
  const char *name = shared->display_name;
  const GError *failed = shared->error;

  if (failed != NULL && lost > 0)
    return g_error_new (failed->domain, failed->code,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "Could not write the log file “%s”: %s; %llu entry was not written",
                                     "Could not write the log file “%s”: %s; %llu entries were not written",
                                     lost),
                        name, failed->message, lost);
  if (failed != NULL)
    return g_error_new (failed->domain, failed->code,
                        _("Could not write the log file “%s”: %s"), name, failed->message);
  if (!shared->finished)
    return g_error_new (TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The log file “%s” was still not keeping up at the end: "
                                     "%llu entry not written",
                                     "The log file “%s” was still not keeping up at the end: "
                                     "%llu entries not written",
                                     left),
                        name, left);
  if (lost > 0)
    return g_error_new (TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_NOT_WRITTEN,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The log file “%s” was not keeping up: %llu entry not written",
                                     "The log file “%s” was not keeping up: %llu entries not written",
                                     lost),
                        name, lost);
  return NULL;
}

/* Waits until @shared's writer finished or @deadline (monotonic) passed. */
static gboolean
log_shared_wait (LogShared  *shared,
                 gint64      deadline,
                 GError    **error)
{
  GError *problem;

  g_mutex_lock (&shared->mutex);
  while (!shared->finished && g_cond_wait_until (&shared->cond, &shared->mutex, deadline))
    ;
  problem = log_shared_dup_problem (shared);
  g_mutex_unlock (&shared->mutex);

  if (problem == NULL)
    return TRUE;
  g_propagate_error (error, problem);
  return FALSE;
}

/**
 * tincan_log_wait:
 * @timeout_usec: how long to wait at most
 *
 * Closes the log and waits, at most @timeout_usec, until its writer is done.
 * For tests and the end of the process: the window never waits.
 *
 * Returns: %FALSE with @error set if a write failed (its GIO error code),
 *   entries were dropped (%TINCAN_LOG_ERROR_NOT_WRITTEN) or the writer was
 *   not done in time (%TINCAN_LOG_ERROR_TIMED_OUT)
 */
gboolean
tincan_log_wait (TincanLog  *self,
                 gint64      timeout_usec,
                 GError    **error)
{
  g_return_val_if_fail (TINCAN_IS_LOG (self), FALSE);

  tincan_log_close (self);
  return log_shared_wait (self->shared, g_get_monotonic_time () + timeout_usec, error);
}

/**
 * tincan_log_finish_all:
 * @timeout_usec: how long to wait at most, for all logs together
 *
 * At the end of the process: closes every log still open, waits a bounded
 * time for the writers, and forgets them.
 *
 * Returns: (transfer full) (nullable): one line per log that failed, lost
 *   entries or did not finish in time; %NULL when all is on disk
 */
char *
tincan_log_finish_all (gint64 timeout_usec)
{
  gint64 deadline = g_get_monotonic_time () + timeout_usec;
  g_autoptr(GPtrArray) logs = NULL;
  GString *report = g_string_new (NULL);

  g_mutex_lock (&registry_mutex);
  logs = g_steal_pointer (&registry);
  g_mutex_unlock (&registry_mutex);

  for (guint i = 0; logs != NULL && i < logs->len; i++)
    log_shared_stop (g_ptr_array_index (logs, i));

  for (guint i = 0; logs != NULL && i < logs->len; i++)
    {
      LogShared *shared = g_ptr_array_index (logs, i);
      g_autoptr(GError) error = NULL;

      if (!log_shared_wait (shared, deadline, &error))
        g_string_append_printf (report, "%s%s", report->len ? "\n" : "", error->message);
      log_shared_unref (shared);
    }

  return g_string_free (report, report->len == 0);
}

static void
tincan_log_finalize (GObject *object)
{
  TincanLog *self = (TincanLog *)object;

  if (self->shared != NULL)
    {
      tincan_log_close (self);
      log_shared_unref (self->shared);
    }

  G_OBJECT_CLASS (tincan_log_parent_class)->finalize (object);
}

static void
tincan_log_class_init (TincanLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tincan_log_finalize;

  /**
   * TincanLog::problem:
   *
   * On the thread that opened the log, the first time entries are dropped
   * because the file is not keeping up, and when a write fails: see
   * tincan_log_get_not_written () and tincan_log_dup_error ().
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tincan_log_init (TincanLog *self)
{
}
