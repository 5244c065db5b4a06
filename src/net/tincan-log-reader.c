/* tincan-log-reader.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A log (docs/log-format.md, formats 1 to 3) read back into entries and
 * connections, for `tincan --export` and whoever opens a log captured
 * elsewhere. Every line is one JSON object; one that is not, or whose
 * fields do not make an entry, stops the reading with an error that names
 * the line, so that nothing is exported from a log read in part. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tincan-export.h"
#include "tincan-log.h"
#include "tincan-log-private.h"
#include "tincan-log-reader.h"

G_DEFINE_QUARK (tincan-log-reader-error-quark, tincan_log_reader_error)

typedef struct
{
  GPtrArray            *messages;
  GHashTable           *connections;
  TincanConnectionInfo *announced;   /* for the next STATUS entry of its connection */
} Reader;

/* Sets @error to a sentence about line @line; returns FALSE. */
static gboolean
bad_line (GError     **error,
          guint64      line,
          const char  *why)
{
  g_set_error (error, TINCAN_LOG_READER_ERROR, TINCAN_LOG_READER_ERROR_BAD_LINE,
               /* TRANSLATORS: a line number of a log file, and what is wrong with it */
               _("Line %llu: %s"), (unsigned long long) line, why);
  return FALSE;
}

static GBytes *
hex_member (JsonObject  *record,
            const char  *name,
            gboolean    *ok)
{
  const char *hex = json_object_get_string_member_with_default (record, name, "");
  gsize length = strlen (hex);
  guint8 *bytes;

  if (length % 2 != 0)
    {
      *ok = FALSE;
      return NULL;
    }
  bytes = g_malloc (length / 2 + 1);
  for (gsize i = 0; i < length / 2; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        {
          g_free (bytes);
          *ok = FALSE;
          return NULL;
        }
      bytes[i] = (guint8) (high << 4 | low);
    }
  return g_bytes_new_take (bytes, length / 2);
}

static gboolean
read_time (JsonObject *record,
           gint64     *usec)
{
  const char *text = json_object_get_string_member_with_default (record, "time", NULL);
  g_autoptr(GDateTime) time = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (time == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

/* "Line 3: " + why, for an entry record; the entry appended to @self. */
static gboolean
read_entry (Reader      *self,
            JsonObject  *record,
            guint64      line,
            GError     **error)
{
  const char *dir = json_object_get_string_member_with_default (record, "dir", "");
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  TincanMessageFlags flags = TINCAN_MESSAGE_NONE;
  TincanMessage *message;
  gboolean ok = TRUE;
  gint64 usec;
  guint kind;

  for (kind = TINCAN_MESSAGE_KIND_SENT; kind <= TINCAN_MESSAGE_KIND_ERROR; kind++)
    if (g_str_equal (dir, _tincan_log_direction_name (kind)))
      break;
  if (kind > TINCAN_MESSAGE_KIND_ERROR)
    return bad_line (error, line, _("“dir” is not sent, received, status or error"));
  if (!read_time (record, &usec))
    return bad_line (error, line, _("“time” is not a time such as 2026-12-03T11:40:00.123Z"));

  payload = hex_member (record, "hex", &ok);
  before = hex_member (record, "before", &ok);
  after = hex_member (record, "after", &ok);
  if (!ok)
    return bad_line (error, line, _("a hex field holds something other than pairs of hex digits"));
  if (!json_object_has_member (record, "hex"))
    return bad_line (error, line, _("the entry has no “hex”"));
  if (g_bytes_get_size (before) > TINCAN_MESSAGE_MAX_FRAMING ||
      g_bytes_get_size (after) > TINCAN_MESSAGE_MAX_FRAMING)
    return bad_line (error, line, _("“before” or “after” is longer than any framing"));

  if (json_object_get_boolean_member_with_default (record, "partial", FALSE))
    flags |= TINCAN_MESSAGE_PARTIAL;
  if (json_object_get_boolean_member_with_default (record, "truncated", FALSE))
    flags |= TINCAN_MESSAGE_TRUNCATED;

  message = tincan_message_new_framed (kind, flags,
                                       g_bytes_get_data (before, NULL), g_bytes_get_size (before),
                                       g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                                       g_bytes_get_data (after, NULL), g_bytes_get_size (after));
  _tincan_message_set_exchange (message,
                                json_object_get_int_member_with_default (record, "conn", 0),
                                json_object_get_int_member_with_default (record, "rtt_us", -1));
  _tincan_message_set_read_back (message, usec,
                                 json_object_get_int_member_with_default (record, "reads", 1));
  if (self->announced != NULL && kind == TINCAN_MESSAGE_KIND_STATUS &&
      tincan_message_get_connection_id (message) == tincan_connection_info_get_id (self->announced))
    {
      _tincan_message_set_connection_info (message, self->announced);
      g_clear_pointer (&self->announced, tincan_connection_info_unref);
    }
  g_ptr_array_add (self->messages, message);
  return TRUE;
}

static gboolean
read_connection (Reader      *self,
                 JsonObject  *record,
                 guint64      line,
                 GError     **error)
{
  gint64 id = json_object_get_int_member_with_default (record, "connection", 0);
  const char *transport = json_object_get_string_member_with_default (record, "transport", "");
  const char *local = json_object_get_string_member_with_default (record, "local", NULL);
  const char *peer = json_object_get_string_member_with_default (record, "peer", NULL);
  TincanTransport kind;
  guint64 key;

  if (g_str_equal (transport, "tcp"))
    kind = TINCAN_TRANSPORT_TCP;
  else if (g_str_equal (transport, "tls"))
    kind = TINCAN_TRANSPORT_TLS;
  else if (g_str_equal (transport, "udp"))
    kind = TINCAN_TRANSPORT_UDP;
  else
    return bad_line (error, line, _("“transport” is not tcp, tls or udp"));
  if (id <= 0 || local == NULL || peer == NULL)
    return bad_line (error, line, _("a connection record needs “connection”, “local” and “peer”"));

  g_clear_pointer (&self->announced, tincan_connection_info_unref);
  self->announced = tincan_connection_info_new (id, kind, local, peer);
  key = id;
  g_hash_table_replace (self->connections, g_memdup2 (&key, sizeof key),
                        tincan_connection_info_ref (self->announced));
  return TRUE;
}

static gboolean
read_line (Reader      *self,
           JsonParser  *parser,
           const char  *text,
           gsize        length,
           guint64      line,
           GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonObject *record;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, length, &parse_error))
    {
      g_autofree char *why = g_strdup_printf (_("not JSON: %s"), parse_error->message);

      return bad_line (error, line, why);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad_line (error, line, _("not a JSON object"));
  record = json_node_get_object (root);

  if (json_object_has_member (record, "log"))
    {
      gint64 format = json_object_get_int_member_with_default (record, "format", 0);

      if (format < 2 || format > TINCAN_LOG_FORMAT)
        {
          g_autofree char *why =
            g_strdup_printf (_("log format %lld is not one this Tincan reads (2 to %d)"),
                             (long long) format, TINCAN_LOG_FORMAT);

          return bad_line (error, line, why);
        }
      return TRUE;
    }
  if (json_object_has_member (record, "connection"))
    return read_connection (self, record, line, error);
  if (json_object_has_member (record, "dir"))
    return read_entry (self, record, line, error);

  /* A kind of record a later format added. */
  return TRUE;
}

/**
 * tincan_log_read_stream:
 * @stream: a log, from its first line
 * @messages: (out) (transfer full) (element-type TincanMessage): its entries, in order
 * @connections: (out) (transfer full): its connections, by id, as
 *   tincan_export_collect_connections() makes them
 *
 * Empty lines are skipped, and so are records that are neither a header,
 * an entry nor a connection (kinds later formats may add).
 *
 * Returns: %TRUE, or %FALSE with @error set: a read error, or
 *   %TINCAN_LOG_READER_ERROR_BAD_LINE with a sentence that names the line
 */
gboolean
tincan_log_read_stream (GInputStream  *stream,
                        GPtrArray    **messages,
                        GHashTable   **connections,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (stream);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) read_messages = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  Reader self = { read_messages, tincan_export_collect_connections (NULL, 0), NULL };
  gboolean ok = TRUE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (messages != NULL && connections != NULL, FALSE);

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_LF);
  for (guint64 line = 1; ok; line++)
    {
      GError *read_error = NULL;
      gsize length;
      g_autofree char *text = g_data_input_stream_read_line (data, &length, cancellable,
                                                             &read_error);

      if (text == NULL)
        {
          if (read_error != NULL)
            {
              g_propagate_error (error, read_error);
              ok = FALSE;
            }
          break;
        }
      if (length > 0)
        ok = read_line (&self, parser, text, length, line, error);
    }

  g_clear_pointer (&self.announced, tincan_connection_info_unref);
  if (!ok)
    {
      g_hash_table_unref (self.connections);
      return FALSE;
    }
  *messages = g_steal_pointer (&read_messages);
  *connections = self.connections;
  return TRUE;
}

/**
 * tincan_log_read_file:
 * @path: a log file
 *
 * tincan_log_read_stream() of @path.
 */
gboolean
tincan_log_read_file (const char    *path,
                      GPtrArray    **messages,
                      GHashTable   **connections,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);

  if (stream == NULL)
    return FALSE;
  return tincan_log_read_stream (G_INPUT_STREAM (stream), messages, connections, cancellable,
                                 error);
}
