/* tincan-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The traffic log: every transcript entry as one JSON object per line.
 *
 * Entries are formatted on the caller's thread (cheap) and written by a
 * thread of the log's own, one batch per write and flush, so a slow disk
 * never stalls the UI and a flood costs one write per batch. Closing waits
 * for the writer, so nothing is lost when the window goes. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-log.h"
#include "tincan-payload.h"

struct _TincanLog
{
  GObject        parent_instance;

  GOutputStream *stream;
  GAsyncQueue   *queue;
  GThread       *writer;
  GMutex         mutex;
  GError        *error;  /* the first write error, under mutex */
};

G_DEFINE_FINAL_TYPE (TincanLog, tincan_log, G_TYPE_OBJECT)

/* Pushed to the queue to tell the writer to stop. */
static GBytes *stop_marker;

static const char *direction_names[] = {
  [TINCAN_MESSAGE_KIND_SENT] = "sent",
  [TINCAN_MESSAGE_KIND_RECEIVED] = "received",
  [TINCAN_MESSAGE_KIND_STATUS] = "status",
  [TINCAN_MESSAGE_KIND_ERROR] = "error",
};

static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = p + 1;
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void
append_entry (GString       *out,
              TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  gint64 usec = tincan_message_get_real_time (message);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *stamp = time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%S") : NULL;
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;
  const guint8 *data;
  gsize length;

  data = tincan_message_get_data (message, &length);
  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    text = g_utf8_make_valid ((const char *) data, length);
  else
    text = tincan_payload_render_text (data, length);
  hex = tincan_payload_render_hex (data, length);

  g_string_append_printf (out, "{\"time\": \"%s.%03dZ\", \"dir\": \"%s\", \"len\": %" G_GSIZE_FORMAT
                          ", \"text\": ",
                          stamp ? stamp : "1970-01-01T00:00:00",
                          (int) ((usec % G_USEC_PER_SEC) / 1000),
                          direction_names[direction], length);
  append_json_string (out, text);
  g_string_append (out, ", \"hex\": \"");
  g_string_append (out, hex);
  g_string_append (out, "\"}\n");
}

/**
 * tincan_log_format_entry:
 *
 * Returns: (transfer full): @message as one JSON Lines record, with its
 *   newline: time (UTC, ISO 8601, milliseconds), dir, len, text (as the
 *   Text view shows it), hex
 */
char *
tincan_log_format_entry (TincanMessage *message)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (message != NULL, NULL);

  append_entry (out, message);
  return g_string_free (out, FALSE);
}

static void
record_error (TincanLog *self,
              GError    *error)
{
  g_mutex_lock (&self->mutex);
  if (self->error == NULL)
    self->error = g_error_copy (error);
  g_mutex_unlock (&self->mutex);
}

static gpointer
writer_thread (gpointer data)
{
  TincanLog *self = data;

  for (;;)
    {
      g_autoptr(GBytes) chunk = g_async_queue_pop (self->queue);
      g_autoptr(GError) error = NULL;
      gsize size;
      const void *bytes;

      if (chunk == stop_marker)
        {
          g_steal_pointer (&chunk);
          break;
        }

      bytes = g_bytes_get_data (chunk, &size);
      if (!g_output_stream_write_all (self->stream, bytes, size, NULL, NULL, &error) ||
          !g_output_stream_flush (self->stream, NULL, &error))
        record_error (self, error);
    }

  return NULL;
}

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
  TincanLog *self;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_commandline_arg (path);
  stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return NULL;

  self = g_object_new (TINCAN_TYPE_LOG, NULL);
  self->stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  self->writer = g_thread_new ("tincan-log", writer_thread, self);

  return self;
}

/**
 * tincan_log_write:
 * @messages: (array length=n_messages): the entries of one batch
 *
 * Formats the batch and hands it to the writer, which appends and flushes
 * it as one write.
 */
void
tincan_log_write (TincanLog      *self,
                  TincanMessage **messages,
                  guint           n_messages)
{
  GString *out;

  g_return_if_fail (TINCAN_IS_LOG (self));

  if (self->writer == NULL || n_messages == 0)
    return;

  out = g_string_new (NULL);
  for (guint i = 0; i < n_messages; i++)
    append_entry (out, messages[i]);

  g_async_queue_push (self->queue, g_string_free_to_bytes (out));
}

/**
 * tincan_log_close:
 *
 * @error: (nullable): return location for a #GError
 *
 * Waits until every entry written so far is on disk, then closes the file.
 * A failed write is never silent: without @error, it is logged as a warning.
 *
 * Returns: %FALSE with @error set if any write or the close failed
 */
gboolean
tincan_log_close (TincanLog  *self,
                  GError    **error)
{
  g_autoptr(GError) close_error = NULL;

  g_return_val_if_fail (TINCAN_IS_LOG (self), FALSE);

  if (self->writer != NULL)
    {
      g_async_queue_push (self->queue, stop_marker);
      g_thread_join (g_steal_pointer (&self->writer));
      if (!g_output_stream_close (self->stream, NULL, &close_error))
        record_error (self, close_error);
    }

  if (self->error == NULL)
    return TRUE;

  if (error == NULL)
    g_warning ("Could not write the traffic log: %s", self->error->message);
  g_propagate_error (error, g_steal_pointer (&self->error));
  return FALSE;
}

static void
tincan_log_finalize (GObject *object)
{
  TincanLog *self = (TincanLog *)object;

  if (self->writer != NULL)
    tincan_log_close (self, NULL);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_error (&self->error);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (tincan_log_parent_class)->finalize (object);
}

static void
tincan_log_class_init (TincanLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tincan_log_finalize;

  stop_marker = g_bytes_new_static ("", 0);
}

static void
tincan_log_init (TincanLog *self)
{
  g_mutex_init (&self->mutex);
  self->queue = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
}
