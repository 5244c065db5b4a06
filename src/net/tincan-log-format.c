/* tincan-log-format.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The log's records, as docs/log-format.md describes them, formatted into
 * a sink: the writer thread's buffer, written out a piece at a time.
 *
 * A flood brings a million entries in a second, so this is written for
 * speed: no printf and no GDateTime per entry, the start of an entry put
 * together on the stack, text and hex rendered straight into the buffer. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-log-private.h"
#include "tincan-payload.h"

static const char *direction_names[] = {
  [TINCAN_MESSAGE_KIND_SENT] = "sent",
  [TINCAN_MESSAGE_KIND_RECEIVED] = "received",
  [TINCAN_MESSAGE_KIND_STATUS] = "status",
  [TINCAN_MESSAGE_KIND_ERROR] = "error",
};

#define APPEND_LITERAL(out, literal) g_string_append_len ((out), (literal), sizeof (literal) - 1)

void
_tincan_log_sink_init (TincanLogSink *sink,
                       GOutputStream *stream,
                       gsize          size)
{
  sink->out = g_string_sized_new (size);
  sink->stream = stream;
  sink->error = NULL;
  sink->time.second = G_MININT64;
}

void
_tincan_log_sink_clear (TincanLogSink *sink)
{
  g_string_free (sink->out, TRUE);
  g_clear_error (&sink->error);
}

void
_tincan_log_sink_write (TincanLogSink *sink,
                        gsize          at_least)
{
  if (sink->stream == NULL || sink->error != NULL || sink->out->len < MAX (at_least, 1))
    return;

  if (g_output_stream_write_all (sink->stream, sink->out->str, sink->out->len, NULL, NULL,
                                 &sink->error))
    g_string_truncate (sink->out, 0);
}

/* The put_ functions write at @p, in a buffer on the stack that the caller
 * made large enough, and return the end: the start of an entry is put
 * together there and appended in one go, as each g_string_append () is a
 * call of its own. */
#define PUT_LITERAL(p, literal) \
  ((char *) memcpy ((p), (literal), sizeof (literal) - 1) + sizeof (literal) - 1)

static char *
put_string (char       *p,
            const char *s,
            gsize       length)
{
  memcpy (p, s, length);
  return p + length;
}

/* At most 20 digits. */
static char *
put_uint (char    *p,
          guint64  value)
{
  char digits[20];
  gsize i = sizeof digits;

  do
    {
      digits[--i] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);
  return put_string (p, digits + i, sizeof digits - i);
}

void
_tincan_log_append_uint (GString *out,
                         guint64  value)
{
  char digits[20];

  g_string_append_len (out, digits, put_uint (digits, value) - digits);
}

/* "sent", "received", "status" or "error": the log's "dir", which the
 * exporters and the reader use too. */
const char *
_tincan_log_direction_name (TincanMessageKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (direction_names), NULL);

  return direction_names[kind];
}

/* UTC, ISO 8601, milliseconds: "2026-11-25T12:00:00.123Z", at most
 * sizeof (TincanLogTimeCache.stamp) + 4 bytes. */
static char *
put_time (char               *p,
          TincanLogTimeCache *cache,
          gint64              usec)
{
  gint64 second = usec / G_USEC_PER_SEC;
  int ms = (int) ((usec % G_USEC_PER_SEC) / 1000);
  char fraction[5] = { '.', '0' + ms / 100, '0' + ms / 10 % 10, '0' + ms % 10, 'Z' };

  if (second != cache->second)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (second);
      g_autofree char *stamp = time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%S") : NULL;

      cache->second = second;
      cache->stamp_length = g_strlcpy (cache->stamp, stamp ? stamp : "1970-01-01T00:00:00",
                                       sizeof cache->stamp);
    }
  p = put_string (p, cache->stamp, cache->stamp_length);
  return put_string (p, fraction, sizeof fraction);
}

/* The same time, appended to @out: for the exporters' CSV and headers. */
void
_tincan_log_append_time (TincanLogTimeCache *cache,
                         GString            *out,
                         gint64              usec)
{
  char stamp[sizeof cache->stamp + 8];

  g_string_append_len (out, stamp, put_time (stamp, cache, usec) - stamp);
}

static void
append_json_escaped (GString    *out,
                     const char *text)
{
  const char *run = text;

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
}

/* JSON-escapes what @out holds from @from on, in place. Rendered payload
 * text has no control characters (they are all escapes), so only its
 * quotes and backslashes need one more backslash; most lines have none. */
static void
escape_rendered (GString *out,
                 gsize    from)
{
  gsize specials = 0;
  gsize end = out->len;
  char *dst;

  for (gsize i = from; i < end; i++)
    specials += out->str[i] == '"' || out->str[i] == '\\';
  if (specials == 0)
    return;

  g_string_set_size (out, end + specials);
  dst = out->str + out->len;
  for (gsize i = end; i > from; i--)
    {
      char c = out->str[i - 1];

      *--dst = c;
      if (c == '"' || c == '\\')
        *--dst = '\\';
    }
}

/* The end of the piece of @data that starts at @start: about PIECE_SIZE
 * bytes, moved back off UTF-8 continuation bytes so that no character is
 * split (rendering is per character, so the pieces render as the whole
 * would). Four continuation bytes in a row cannot all belong to one
 * character, so three steps back are enough. */
static gsize
piece_end (const guint8 *data,
           gsize         length,
           gsize         start)
{
  gsize end = start + PIECE_SIZE;

  if (end >= length)
    return length;
  for (guint back = 0; back < 3 && (data[end - back] & 0xC0) == 0x80; back++)
    if ((data[end - back - 1] & 0xC0) != 0x80)
      return end - back - 1;
  return end;
}

static void
append_text (TincanLogSink *sink,
             TincanMessage *message,
             const guint8  *data,
             gsize          length)
{
  TincanMessageKind direction = tincan_message_get_kind (message);

  /* Status and error entries are our own short sentences. */
  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    {
      g_autofree char *text = g_utf8_make_valid ((const char *) data, length);

      append_json_escaped (sink->out, text);
      return;
    }

  for (gsize start = 0, end; start < length; start = end)
    {
      gsize from = sink->out->len;

      end = piece_end (data, length, start);
      tincan_payload_append_text (sink->out, data + start, end - start);
      escape_rendered (sink->out, from);
      _tincan_log_sink_write (sink, PIECE_SIZE);
    }
}

/* What a reader needs to rebuild the wire bytes of a sent or received
 * entry: their count, the framing's bytes before and after the payload
 * ("before" + "hex" + "after", in hex), and how the frame came about. */
static void
append_framing (TincanLogSink *sink,
                TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  TincanMessageFlags flags = tincan_message_get_flags (message);
  const guint8 *prefix;
  const guint8 *suffix;
  gsize prefix_length;
  gsize suffix_length;

  if (direction != TINCAN_MESSAGE_KIND_SENT && direction != TINCAN_MESSAGE_KIND_RECEIVED)
    return;

  prefix = tincan_message_get_prefix (message, &prefix_length);
  suffix = tincan_message_get_suffix (message, &suffix_length);
  APPEND_LITERAL (sink->out, ", \"wire\": ");
  _tincan_log_append_uint (sink->out, tincan_message_get_wire_length (message));
  if (prefix_length > 0)
    {
      APPEND_LITERAL (sink->out, ", \"before\": \"");
      tincan_payload_append_hex (sink->out, prefix, prefix_length);
      g_string_append_c (sink->out, '"');
    }
  if (suffix_length > 0)
    {
      APPEND_LITERAL (sink->out, ", \"after\": \"");
      tincan_payload_append_hex (sink->out, suffix, suffix_length);
      g_string_append_c (sink->out, '"');
    }
  if (flags & TINCAN_MESSAGE_PARTIAL)
    APPEND_LITERAL (sink->out, ", \"partial\": true");
  if (flags & TINCAN_MESSAGE_TRUNCATED)
    APPEND_LITERAL (sink->out, ", \"truncated\": true");
  if (tincan_message_get_reads (message) > 1)
    {
      APPEND_LITERAL (sink->out, ", \"reads\": ");
      _tincan_log_append_uint (sink->out, tincan_message_get_reads (message));
    }
}

/* The connection the entry is about and the round-trip time of a reply,
 * each only when there is one. */
static void
append_exchange (TincanLogSink *sink,
                 TincanMessage *message)
{
  guint64 connection_id = tincan_message_get_connection_id (message);
  gint64 rtt = tincan_message_get_rtt (message);

  if (connection_id != 0)
    {
      APPEND_LITERAL (sink->out, ", \"conn\": ");
      _tincan_log_append_uint (sink->out, connection_id);
    }
  if (rtt >= 0)
    {
      APPEND_LITERAL (sink->out, ", \"rtt_us\": ");
      _tincan_log_append_uint (sink->out, (guint64) rtt);
    }
}

/* {"connection": 3, "transport": "tcp", "local": "127.0.0.1:51234", "peer": "[::1]:6379"}:
 * a record of its own, before the entry that announces the connection, so
 * that a reader knows the ends before it meets the connection's entries. */
static void
append_connection (TincanLogSink              *sink,
                   const TincanConnectionInfo *info)
{
  APPEND_LITERAL (sink->out, "{\"connection\": ");
  _tincan_log_append_uint (sink->out, tincan_connection_info_get_id (info));
  APPEND_LITERAL (sink->out, ", \"transport\": \"");
  g_string_append (sink->out,
                   tincan_transport_to_string (tincan_connection_info_get_transport (info)));
  APPEND_LITERAL (sink->out, "\", \"local\": \"");
  append_json_escaped (sink->out, tincan_connection_info_get_local (info));
  APPEND_LITERAL (sink->out, "\", \"peer\": \"");
  append_json_escaped (sink->out, tincan_connection_info_get_peer (info));
  APPEND_LITERAL (sink->out, "\"}\n");
}

void
_tincan_log_append_entry (TincanLogSink *sink,
                          TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  const guint8 *data;
  gsize length;

  /* The fields up to the text: at most 106 bytes (the literals, a stamp,
   * "received" and 20 digits). */
  char head[160];
  char *p = head;

  if (tincan_message_get_connection_info (message) != NULL)
    append_connection (sink, tincan_message_get_connection_info (message));

  data = tincan_message_get_data (message, &length);
  p = PUT_LITERAL (p, "{\"time\": \"");
  p = put_time (p, &sink->time, tincan_message_get_real_time (message));
  p = PUT_LITERAL (p, "\", \"dir\": \"");
  p = put_string (p, direction_names[direction], strlen (direction_names[direction]));
  p = PUT_LITERAL (p, "\", \"len\": ");
  p = put_uint (p, tincan_message_get_length (message));
  p = PUT_LITERAL (p, ", \"text\": \"");
  g_string_append_len (sink->out, head, p - head);
  append_text (sink, message, data, length);
  g_string_append_c (sink->out, '"');
  append_framing (sink, message);
  APPEND_LITERAL (sink->out, ", \"hex\": \"");
  for (gsize start = 0, end; start < length; start = end)
    {
      end = MIN (length, start + PIECE_SIZE);
      tincan_payload_append_hex (sink->out, data + start, end - start);
      _tincan_log_sink_write (sink, PIECE_SIZE);
    }
  g_string_append_c (sink->out, '"');
  /* Last, so that the fields before keep their order for older readers. */
  append_exchange (sink, message);
  APPEND_LITERAL (sink->out, "}\n");
}

/* Where @gap entries were dropped: a status entry whose sentence a person
 * reads and whose "not_written" a program does (the sentence is translated). */
void
_tincan_log_append_gap (TincanLogSink *sink,
                        guint64        gap)
{
  g_autofree char *sentence =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "%llu entry not written here: the log file was not keeping up",
                                  "%llu entries not written here: the log file was not keeping up",
                                  gap),
                     (unsigned long long) gap);
  g_autoptr(TincanMessage) status = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, sentence);

  _tincan_log_append_entry (sink, status);
  /* In place of the record's closing "}\n". */
  g_string_truncate (sink->out, sink->out->len - 2);
  APPEND_LITERAL (sink->out, ", \"not_written\": ");
  _tincan_log_append_uint (sink->out, gap);
  APPEND_LITERAL (sink->out, "}\n");
}

/* The first record a log writes each time it is opened: what wrote the
 * records that follow, in which format, since when. */
void
_tincan_log_append_header (TincanLogSink *sink,
                           gint64         started)
{
  APPEND_LITERAL (sink->out, "{\"log\": \"tincan\", \"format\": ");
  _tincan_log_append_uint (sink->out, TINCAN_LOG_FORMAT);
  APPEND_LITERAL (sink->out, ", \"app\": \"" PACKAGE_VERSION "\", \"started\": \"");
  _tincan_log_append_time (&sink->time, sink->out, started);
  APPEND_LITERAL (sink->out, "\"}\n");
}

/**
 * tincan_log_format_entry:
 *
 * Returns: (transfer full): @message as one JSON Lines record, with its
 *   newline: time (UTC, ISO 8601, milliseconds), dir, len (of the payload), text (as the
 *   Text view shows it), the framing's fields, hex, then conn (the connection
 *   id, when not 0) and rtt_us (a reply's round-trip time, when it has one)
 */
char *
tincan_log_format_entry (TincanMessage *message)
{
  TincanLogSink sink;

  g_return_val_if_fail (message != NULL, NULL);

  _tincan_log_sink_init (&sink, NULL, 0);
  _tincan_log_append_entry (&sink, message);
  return g_string_free (sink.out, FALSE);
}
