/* tincan-export.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Entries written out in the formats of "Save Transcript..." and `tincan
 * --export` (docs/export.md), to a stream, a piece at a time, through the
 * log's sink: a million entries must take well under 2 seconds in any
 * format, so there is no printf per entry. Nothing here touches GTK: the
 * window runs it in a thread (tincan_export_file_async()), the command
 * line without a display. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "tincan-export-private.h"
#include "tincan-payload.h"

#define APPEND_LITERAL(out, literal) g_string_append_len ((out), (literal), sizeof (literal) - 1)

/* How many entries between two looks at the cancellable and two progress calls. */
#define CHUNK 4096

static const char *format_names[] = {
  [TINCAN_EXPORT_TEXT] = "text",
  [TINCAN_EXPORT_CSV] = "csv",
  [TINCAN_EXPORT_JSONL] = "jsonl",
  [TINCAN_EXPORT_HEXDUMP] = "hexdump",
  [TINCAN_EXPORT_C] = "c",
  [TINCAN_EXPORT_PCAPNG] = "pcapng",
};

/* The words the rows' tooltips and the screen reader use. */
static const char *kind_labels[] = {
  [TINCAN_MESSAGE_KIND_SENT] = N_("Sent"),
  [TINCAN_MESSAGE_KIND_RECEIVED] = N_("Received"),
  [TINCAN_MESSAGE_KIND_STATUS] = N_("Status"),
  [TINCAN_MESSAGE_KIND_ERROR] = N_("Error"),
};

typedef struct
{
  TincanLogSink  sink;
  TincanExportFormat format;
  TincanPcapng  *pcapng;
  guint          peer_counts[2];   /* C arrays: peer0_N (sent), peer1_N (received) */
  gint64         local_second;     /* text: the local time's seconds, once per second */
  char           local_hms[16];
} Exporter;

/**
 * tincan_export_format_from_name:
 * @name: "text", "csv", "jsonl", "hexdump", "c" or "pcapng"
 * @format: (out): where to store the format
 *
 * Returns: whether @name is one
 */
gboolean
tincan_export_format_from_name (const char         *name,
                                TincanExportFormat *format)
{
  g_return_val_if_fail (name != NULL && format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_str_equal (name, format_names[i]))
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * tincan_export_format_to_name:
 *
 * Returns: (transfer none): the name tincan_export_format_from_name() reads
 */
const char *
tincan_export_format_to_name (TincanExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), NULL);

  return format_names[format];
}

/**
 * tincan_export_collect_connections:
 * @messages: (array length=n_messages): entries
 *
 * Returns: (transfer full): the connections the entries announce
 *   (tincan_message_get_connection_info()), by id: a table of #guint64
 *   keys (pointers to the id) and #TincanConnectionInfo values, as the
 *   exporters and the log reader take them
 */
GHashTable *
tincan_export_collect_connections (TincanMessage * const *messages,
                                   guint                  n_messages)
{
  GHashTable *connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                   (GDestroyNotify) tincan_connection_info_unref);

  for (guint i = 0; i < n_messages; i++)
    {
      const TincanConnectionInfo *info = tincan_message_get_connection_info (messages[i]);
      guint64 id;

      if (info == NULL)
        continue;
      id = tincan_connection_info_get_id (info);
      g_hash_table_replace (connections, g_memdup2 (&id, sizeof id),
                            tincan_connection_info_ref ((TincanConnectionInfo *) info));
    }
  return connections;
}

/* The wire bytes of a sent or received entry (the framing's and the
 * payload), which lie one after the other; the sentence of the others. */
static const guint8 *
wire_bytes (TincanMessage *message,
            gsize         *length)
{
  TincanMessageKind kind = tincan_message_get_kind (message);
  gsize prefix_length, payload_length, suffix_length;
  const guint8 *prefix = tincan_message_get_prefix (message, &prefix_length);

  if (kind != TINCAN_MESSAGE_KIND_SENT && kind != TINCAN_MESSAGE_KIND_RECEIVED)
    return tincan_message_get_data (message, length);

  tincan_message_get_data (message, &payload_length);
  tincan_message_get_suffix (message, &suffix_length);
  *length = prefix_length + payload_length + suffix_length;
  return prefix;
}

/* The payload as the Text view shows it, or the sentence of a status or
 * error entry (valid UTF-8 either way). */
static void
append_shown_text (GString       *out,
                   TincanMessage *message)
{
  TincanMessageKind kind = tincan_message_get_kind (message);
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);

  if (kind == TINCAN_MESSAGE_KIND_STATUS || kind == TINCAN_MESSAGE_KIND_ERROR)
    {
      g_autofree char *text = g_utf8_make_valid ((const char *) data, length);

      g_string_append (out, text);
      return;
    }
  tincan_payload_append_text (out, data, length);
}

/* Text: "12:00:00.123  Sent  hello\n", the time local as the rows show it. */
static void
append_text_entry (Exporter      *self,
                   TincanMessage *message)
{
  gint64 usec = tincan_message_get_real_time (message);
  gint64 second = usec / G_USEC_PER_SEC;
  int ms = (int) ((usec % G_USEC_PER_SEC) / 1000);
  char fraction[4] = { '.', '0' + ms / 100, '0' + ms / 10 % 10, '0' + ms % 10 };
  GString *out = self->sink.out;

  if (second != self->local_second)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (second);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *hms = local ? g_date_time_format (local, "%H:%M:%S") : NULL;

      self->local_second = second;
      g_strlcpy (self->local_hms, hms ? hms : "--:--:--", sizeof self->local_hms);
    }
  g_string_append (out, self->local_hms);
  g_string_append_len (out, fraction, sizeof fraction);
  APPEND_LITERAL (out, "  ");
  g_string_append (out, _(kind_labels[tincan_message_get_kind (message)]));
  APPEND_LITERAL (out, "  ");
  append_shown_text (out, message);
  g_string_append_c (out, '\n');
}

/* One CSV field, quoted when it holds a comma, a quote, CR or LF (RFC 4180),
 * its quotes doubled. */
static void
append_csv_field (GString *out,
                  gsize    from)
{
  gsize end = out->len;
  gsize quotes = 0;
  gboolean special = FALSE;
  char *dst;

  for (gsize i = from; i < end; i++)
    {
      char c = out->str[i];

      quotes += c == '"';
      special |= c == '"' || c == ',' || c == '\r' || c == '\n';
    }
  if (!special)
    return;

  g_string_set_size (out, end + quotes + 2);
  dst = out->str + out->len;
  *--dst = '"';
  for (gsize i = end; i > from; i--)
    {
      char c = out->str[i - 1];

      *--dst = c;
      if (c == '"')
        *--dst = '"';
    }
  *--dst = '"';
}

static void
append_csv_entry (Exporter      *self,
                  TincanMessage *message)
{
  GString *out = self->sink.out;
  guint64 id = tincan_message_get_connection_id (message);
  gint64 rtt = tincan_message_get_rtt (message);
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);
  gsize from;

  _tincan_log_append_time (&self->sink.time, out, tincan_message_get_real_time (message));
  g_string_append_c (out, ',');
  g_string_append (out, _tincan_log_direction_name (tincan_message_get_kind (message)));
  g_string_append_c (out, ',');
  if (id != 0)
    _tincan_log_append_uint (out, id);
  g_string_append_c (out, ',');
  _tincan_log_append_uint (out, tincan_message_get_length (message));
  g_string_append_c (out, ',');
  if (rtt >= 0)
    _tincan_log_append_uint (out, rtt);
  g_string_append_c (out, ',');
  from = out->len;
  append_shown_text (out, message);
  append_csv_field (out, from);
  g_string_append_c (out, ',');
  tincan_payload_append_hex (out, data, length);
  APPEND_LITERAL (out, "\r\n");
}

/* "# sent 2026-12-03T11:40:02.510Z connection 3, 6 bytes", then the wire
 * bytes as xxd shows them; a status or error entry has its sentence instead. */
static void
append_hexdump_entry (Exporter      *self,
                      TincanMessage *message)
{
  GString *out = self->sink.out;
  TincanMessageKind kind = tincan_message_get_kind (message);
  guint64 id = tincan_message_get_connection_id (message);
  gsize length;
  const guint8 *data = wire_bytes (message, &length);

  APPEND_LITERAL (out, "# ");
  g_string_append (out, _tincan_log_direction_name (kind));
  g_string_append_c (out, ' ');
  _tincan_log_append_time (&self->sink.time, out, tincan_message_get_real_time (message));
  if (id != 0)
    {
      APPEND_LITERAL (out, " connection ");
      _tincan_log_append_uint (out, id);
    }
  if (kind == TINCAN_MESSAGE_KIND_STATUS || kind == TINCAN_MESSAGE_KIND_ERROR)
    {
      APPEND_LITERAL (out, ": ");
      append_shown_text (out, message);
      APPEND_LITERAL (out, "\n\n");
      return;
    }
  APPEND_LITERAL (out, ", ");
  _tincan_log_append_uint (out, length);
  APPEND_LITERAL (out, length == 1 ? " byte\n" : " bytes\n");
  if (length > 0)
    {
      tincan_payload_append_hexdump (out, data, length);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
}

/* Breaks every "*" "/" pair that @out holds from @from on, so that a
 * sentence inside a C comment cannot end it early. */
static void
break_comment_ends (GString *out,
                    gsize    from)
{
  for (gsize i = from; i + 1 < out->len; i++)
    if (out->str[i] == '*' && out->str[i + 1] == '/')
      g_string_insert_c (out, ++i, ' ');
}

/* As Wireshark's Follow Stream, "C Arrays": peer0 is our side, peer1 the
 * server's, each array the wire bytes of one entry, 8 to a line; status
 * and error entries (and empty frames) are comments. */
static void
append_c_entry (Exporter      *self,
                TincanMessage *message)
{
  static const char hex[] = "0123456789abcdef";
  GString *out = self->sink.out;
  TincanMessageKind kind = tincan_message_get_kind (message);
  gboolean sentence = kind == TINCAN_MESSAGE_KIND_STATUS || kind == TINCAN_MESSAGE_KIND_ERROR;
  guint peer = kind == TINCAN_MESSAGE_KIND_RECEIVED;
  gsize length;
  const guint8 *data = wire_bytes (message, &length);

  if (!sentence && length > 0)
    {
      APPEND_LITERAL (out, "char peer");
      g_string_append_c (out, '0' + peer);
      g_string_append_c (out, '_');
      _tincan_log_append_uint (out, self->peer_counts[peer]++);
      APPEND_LITERAL (out, "[] = { ");
    }
  APPEND_LITERAL (out, "/* ");
  g_string_append (out, _tincan_log_direction_name (kind));
  g_string_append_c (out, ' ');
  _tincan_log_append_time (&self->sink.time, out, tincan_message_get_real_time (message));
  if (sentence || length == 0)
    {
      gsize from = out->len;

      APPEND_LITERAL (out, ": ");
      if (length == 0)
        APPEND_LITERAL (out, "no bytes");
      else
        append_shown_text (out, message);
      break_comment_ends (out, from);
      APPEND_LITERAL (out, " */\n");
      return;
    }
  APPEND_LITERAL (out, " */\n");

  for (gsize line = 0; line < length; line += 8)
    {
      gsize n = MIN (8, length - line);
      char text[8 * 6 + 4];
      char *p = text;

      for (gsize i = line; i < line + n; i++)
        {
          *p++ = '0';
          *p++ = 'x';
          *p++ = hex[data[i] >> 4];
          *p++ = hex[data[i] & 0xF];
          if (i + 1 < length)
            *p++ = ',';
          if (i + 1 < line + n)
            *p++ = ' ';
        }
      if (line + n < length)
        *p++ = '\n';
      g_string_append_len (out, text, p - text);
    }
  APPEND_LITERAL (out, " };\n");
}

static void
append_entry (Exporter       *self,
              TincanMessage * const *messages,
              guint           index)
{
  switch (self->format)
    {
    case TINCAN_EXPORT_TEXT:
      append_text_entry (self, messages[index]);
      break;
    case TINCAN_EXPORT_CSV:
      append_csv_entry (self, messages[index]);
      break;
    case TINCAN_EXPORT_JSONL:
      _tincan_log_append_entry (&self->sink, messages[index]);
      break;
    case TINCAN_EXPORT_HEXDUMP:
      append_hexdump_entry (self, messages[index]);
      break;
    case TINCAN_EXPORT_C:
      append_c_entry (self, messages[index]);
      break;
    case TINCAN_EXPORT_PCAPNG:
      _tincan_pcapng_entry (self->pcapng, index);
      break;
    default:
      g_assert_not_reached ();
    }
  _tincan_log_sink_write (&self->sink, PIECE_SIZE);
}

static void
begin (Exporter              *self,
       TincanMessage * const *messages,
       guint                  n_messages,
       GHashTable            *connections)
{
  if (self->format == TINCAN_EXPORT_CSV)
    APPEND_LITERAL (self->sink.out, "time,direction,connection,length,rtt,text,hex\r\n");
  else if (self->format == TINCAN_EXPORT_JSONL)
    _tincan_log_append_header (&self->sink,
                               n_messages > 0 ? tincan_message_get_real_time (messages[0])
                                              : g_get_real_time ());
  else if (self->format == TINCAN_EXPORT_PCAPNG)
    self->pcapng = _tincan_pcapng_new (&self->sink, messages, n_messages, connections);
}

/**
 * tincan_export_write:
 * @format: what to write
 * @messages: (array length=n_messages): the entries, in order
 * @connections: (nullable): their connections, as
 *   tincan_export_collect_connections() gives them; %NULL: collect them from @messages
 * @stream: where to write; not closed
 * @progress: (nullable) (scope call): called every few thousand entries
 * @cancellable: (nullable): checked between those
 *
 * Writes @messages to @stream as @format. Safe to call from any thread
 * while nothing else uses @stream: entries are immutable.
 *
 * Returns: %TRUE, or %FALSE with @error set (a failed write, or
 *   %G_IO_ERROR_CANCELLED); what was written by then stays written
 */
gboolean
tincan_export_write (TincanExportFormat        format,
                     TincanMessage * const    *messages,
                     guint                     n_messages,
                     GHashTable               *connections,
                     GOutputStream            *stream,
                     TincanExportProgressFunc  progress,
                     gpointer                  user_data,
                     GCancellable             *cancellable,
                     GError                  **error)
{
  g_autoptr(GHashTable) collected = NULL;
  Exporter self = { .format = format, .local_second = G_MININT64 };
  gboolean ok;

  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), FALSE);
  g_return_val_if_fail (messages != NULL || n_messages == 0, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (connections == NULL)
    connections = collected = tincan_export_collect_connections (messages, n_messages);

  _tincan_log_sink_init (&self.sink, stream, PIECE_SIZE + 64 * 1024);
  begin (&self, messages, n_messages, connections);
  for (guint i = 0; i < n_messages && self.sink.error == NULL; i++)
    {
      if (i % CHUNK == 0 && i > 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, &self.sink.error))
            break;
          if (progress != NULL)
            progress (i, n_messages, user_data);
        }
      append_entry (&self, messages, i);
    }
  _tincan_log_sink_write (&self.sink, 1);
  if (self.sink.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &self.sink.error);
  if (self.sink.error == NULL && progress != NULL)
    progress (n_messages, n_messages, user_data);

  ok = self.sink.error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self.sink.error));
  g_clear_pointer (&self.pcapng, _tincan_pcapng_free);
  _tincan_log_sink_clear (&self.sink);
  return ok;
}

/**
 * tincan_export_write_file:
 * @path: the file to write; replaced only when all went well
 *
 * tincan_export_write() into a new file beside @path, renamed to @path at
 * the end: a reader never sees half a file, and on error (a full disk,
 * cancelled) @path is as it was and the new file is gone. Not
 * g_file_replace(): it writes straight into @path when @path does not
 * exist yet, and a failure would leave half of it behind.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
tincan_export_write_file (TincanExportFormat        format,
                          TincanMessage * const    *messages,
                          guint                     n_messages,
                          GHashTable               *connections,
                          const char               *path,
                          TincanExportProgressFunc  progress,
                          gpointer                  user_data,
                          GCancellable             *cancellable,
                          GError                  **error)
{
  g_autofree char *temporary = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  temporary = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (temporary, O_WRONLY, 0666);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), shown, g_strerror (saved));
      return FALSE;
    }

  stream = g_unix_output_stream_new (fd, TRUE);
  ok = tincan_export_write (format, messages, n_messages, connections, stream, progress,
                            user_data, cancellable, error);
  ok = g_output_stream_close (stream, NULL, ok ? error : NULL) && ok;
  if (ok && g_rename (temporary, path) != 0)
    {
      int saved = errno;
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), shown, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temporary);
  return ok;
}

typedef struct
{
  TincanExportFormat        format;
  GPtrArray                *messages;
  GHashTable               *connections;
  char                     *path;
  TincanExportProgressFunc  progress;
  gpointer                  progress_data;
} FileJob;

static void
file_job_free (FileJob *job)
{
  g_ptr_array_unref (job->messages);
  g_clear_pointer (&job->connections, g_hash_table_unref);
  g_free (job->path);
  g_free (job);
}

static void
export_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;

  if (tincan_export_write_file (job->format, (TincanMessage * const *) job->messages->pdata,
                                job->messages->len, job->connections, job->path, job->progress,
                                job->progress_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tincan_export_file_async:
 * @messages: (element-type TincanMessage): the entries; a reference is kept
 * @connections: (nullable): as for tincan_export_write(); a reference is kept
 * @path: the file to write, as tincan_export_write_file() does
 * @progress: (nullable): called on the worker thread: hop to the main
 *   context (g_idle_add()) before touching a widget
 * @cancellable: (nullable): cancels the export; the file is then left as it was
 *
 * tincan_export_write_file() in a thread of its own, so that a window can
 * save a million entries without waiting.
 */
void
tincan_export_file_async (TincanExportFormat        format,
                          GPtrArray                *messages,
                          GHashTable               *connections,
                          const char               *path,
                          TincanExportProgressFunc  progress,
                          gpointer                  progress_data,
                          GCancellable             *cancellable,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  FileJob *job = g_new0 (FileJob, 1);

  g_return_if_fail (messages != NULL && path != NULL);

  job->format = format;
  job->messages = g_ptr_array_ref (messages);
  job->connections = connections ? g_hash_table_ref (connections) : NULL;
  job->path = g_strdup (path);
  job->progress = progress;
  job->progress_data = progress_data;
  g_task_set_source_tag (task, tincan_export_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
  g_task_run_in_thread (task, export_file_thread);
}

/**
 * tincan_export_file_finish:
 *
 * Returns: %TRUE when the file was written, or %FALSE with @error set
 */
gboolean
tincan_export_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, tincan_export_file_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
