/* test-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#ifdef HAVE_JSON_GLIB
#include <json-glib/json-glib.h>
#endif

#include "tincan-echo-server.h"
#include "tincan-log.h"
#include "tincan-payload.h"
#include "tincan-test-client.h"
#include "tincan-test-util.h"

#define WAIT_MS 10000
#define WAIT_USEC (WAIT_MS * G_GINT64_CONSTANT (1000))

static TincanMessage *
make (TincanMessageKind  direction,
      const char      *data,
      gsize            length)
{
  return tincan_message_new_take_data (direction, 0, (const guint8 *) data, length);
}

/* Reads the log at @path back, after waiting for its writer. */
static char *
read_back (TincanLog  *log,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* A file for a log in a fresh directory; remove_log () removes both. */
static char *
new_log_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "traffic.jsonl", NULL);
}

static void
remove_log (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_format (void)
{
  g_autoptr(TincanMessage) message = make (TINCAN_MESSAGE_KIND_RECEIVED, "hi\r\n\"\\\xff", 7);
  g_autofree char *line = tincan_log_format_entry (message);

  g_assert_true (g_str_has_prefix (line, "{\"time\": \""));
  g_assert_true (g_str_has_suffix (line, "\"}\n"));
  /* The text is the Text view's rendering, JSON-escaped on top. */
  g_assert_nonnull (strstr (line, "\"dir\": \"received\""));
  g_assert_nonnull (strstr (line, "\"len\": 7"));
  g_assert_nonnull (strstr (line, "\"text\": \"hi\\\\r\\\\n\\\"\\\\\\\\\\\\xff\""));
  g_assert_nonnull (strstr (line, "\"hex\": \"68690d0a225cff\""));
  g_assert_null (strchr (line, '\r'));
  g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);
}

static void
test_large_entry_in_pieces (void)
{
  /* 1 MiB of "€" with a byte of junk every 1000: the pieces the writer
   * renders must fall between characters, so the result is the whole's. */
  gsize length = 3 * 350000;
  g_autofree guint8 *data = g_malloc (length);
  g_autoptr(TincanMessage) message = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) expect = g_string_new ("\"text\": \"");

  for (gsize i = 0; i < length; i += 3)
    memcpy (data + i, "\xe2\x82\xac", 3);
  for (gsize i = 999; i < length; i += 1000)
    data[i] = 0xff;
  message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, data, length);
  line = tincan_log_format_entry (message);
  text = tincan_payload_render_text (data, length);
  g_string_append (expect, text);
  /* JSON doubles the backslashes of the \xff escapes. */
  g_string_replace (expect, "\\", "\\\\", 0);
  g_string_append_printf (expect, "\", \"wire\": %" G_GSIZE_FORMAT ", \"hex\": \"", length);
  g_assert_nonnull (strstr (line, expect->str));
  g_assert_true (g_str_has_suffix (line, "e282ff\"}\n"));
}

/* Issue 12, item 1: a reader can rebuild the exact wire bytes of every
 * entry: "before" + "hex" + "after", "wire" of them, and the flags. */
static void
test_framing_fields (void)
{
  g_autoptr(TincanMessage) received =
    tincan_message_new_framed (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_PARTIAL,
                               (const guint8 *) "\0\6", 2, (const guint8 *) "PING", 4, NULL, 0);
  g_autoptr(TincanMessage) sent =
    tincan_message_new_framed (TINCAN_MESSAGE_KIND_SENT, TINCAN_MESSAGE_TRUNCATED, NULL, 0,
                               (const guint8 *) "PING", 4, (const guint8 *) "\r\n", 2);
  g_autoptr(TincanMessage) status = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, "Hi");
  g_autofree char *received_line = tincan_log_format_entry (received);
  g_autofree char *sent_line = tincan_log_format_entry (sent);
  g_autofree char *status_line = tincan_log_format_entry (status);

  g_assert_nonnull (strstr (received_line, "\"len\": 4, "));
  g_assert_nonnull (strstr (received_line, ", \"wire\": 6, \"before\": \"0006\", "
                                           "\"partial\": true, \"hex\": \"50494e47\"}"));
  g_assert_null (strstr (received_line, "\"after\""));
  g_assert_null (strstr (received_line, "\"reads\""));
  g_assert_nonnull (strstr (sent_line, ", \"wire\": 6, \"after\": \"0d0a\", "
                                       "\"truncated\": true, \"hex\": \"50494e47\"}"));
  g_assert_null (strstr (sent_line, "\"before\""));
  g_assert_null (strstr (status_line, "\"wire\""));
}

/* Issue 12, items 6 and 10: "conn" when the entry is about a connection,
 * "rtt_us" when it has a round-trip time; neither otherwise. */
static void
test_exchange_fields (void)
{
  g_autoptr(TincanMessage) reply = make (TINCAN_MESSAGE_KIND_RECEIVED, "pong", 4);
  g_autoptr(TincanMessage) note = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, "Hi");
  g_autofree char *reply_line = NULL;
  g_autofree char *note_line = NULL;

  _tincan_message_set_exchange (reply, 12, 1234);
  reply_line = tincan_log_format_entry (reply);
  note_line = tincan_log_format_entry (note);
  g_assert_true (g_str_has_suffix (reply_line, "\", \"conn\": 12, \"rtt_us\": 1234}\n"));
  g_assert_null (strstr (note_line, "\"conn\""));
  g_assert_null (strstr (note_line, "\"rtt_us\""));
}

#ifdef HAVE_JSON_GLIB
/* The log of a real exchange read back, as JSON. */
static JsonObject *
nth_record (char  **lines,
            guint   nth)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, lines[nth], -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
#endif

/* Every record of a connection says which one; the reply's first frame
 * says how long it took, its second does not. */
static void
test_session_log (void)
{
#ifdef HAVE_JSON_GLIB
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);
  g_autoptr(TincanTestClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  TincanLog *log;
  guint64 id;
  guint n_rtt = 0;

  g_assert_no_error (error);
  g_assert_true (tincan_echo_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "lf",
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "hello");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_session_disconnect (client->session);
  id = tincan_message_get_connection_id (g_ptr_array_index (client->entries, 0));
  g_assert_cmpuint (id, >, 0);

  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  tincan_log_write (log, (TincanMessage **) client->entries->pdata, client->entries->len);
  g_assert_true (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (log);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  /* the header, one line per entry, the connection's record, "" after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, client->entries->len + 3);
  for (guint i = 0, line = 1; i < client->entries->len; i++, line++)
    {
      g_autoptr(JsonObject) record = nth_record (lines, line);
      g_autoptr(JsonObject) connection = NULL;
      const char *dir_name;
      gboolean reply;

      if (json_object_has_member (record, "connection"))
        {
          /* Right before the entry that announces it: "Connected to ...". */
          g_autofree char *peer = g_strdup_printf ("127.0.0.1:%u",
                                                   tincan_echo_server_get_port (server));
          TincanMessage *announce = g_ptr_array_index (client->entries, i);

          g_assert_nonnull (tincan_message_get_connection_info (announce));
          connection = g_steal_pointer (&record);
          g_assert_cmpint (json_object_get_int_member (connection, "connection"), ==, id);
          g_assert_cmpstr (json_object_get_string_member (connection, "transport"), ==, "tcp");
          g_assert_cmpstr (json_object_get_string_member (connection, "peer"), ==, peer);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (connection, "local"),
                                           "127.0.0.1:"));
          g_assert_cmpuint (json_object_get_size (connection), ==, 4);
          record = nth_record (lines, ++line);
        }
      dir_name = json_object_get_string_member (record, "dir");
      reply = g_str_equal (dir_name, "received");

      /* "Connecting", "Connected", sent, received, "Disconnected". */
      g_assert_cmpint (json_object_get_int_member_with_default (record, "conn", 0), ==, id);
      g_assert_cmpint (json_object_has_member (record, "rtt_us"), ==, reply);
      if (reply)
        {
          TincanMessage *message = g_ptr_array_index (client->entries, i);

          g_assert_cmpint (json_object_get_int_member (record, "rtt_us"), ==,
                           tincan_message_get_rtt (message));
          g_assert_cmpint (json_object_get_int_member (record, "rtt_us"), >=, 0);
          n_rtt++;
        }
    }
  g_assert_cmpuint (n_rtt, ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
  g_unlink (path);
  g_rmdir (dir);
#else
  g_test_skip ("Built without json-glib");
#endif
}

/* Issue 12, item 4: a raw reply joined from several reads says how many. */
static void
test_reads_field (void)
{
  g_autoptr(TincanMessage) joined =
    tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, (const guint8 *) "HTTP", 4);
  g_autofree char *line = NULL;

  tincan_message_set_arrival (joined, 3, tincan_message_get_monotonic_time (joined),
                              tincan_message_get_real_time (joined));
  line = tincan_log_format_entry (joined);
  g_assert_nonnull (strstr (line, ", \"wire\": 4, \"reads\": 3, \"hex\": \"48545450\"}"));
}

static void
test_time_format (void)
{
  g_autoptr(TincanMessage) message = make (TINCAN_MESSAGE_KIND_SENT, "x", 1);
  g_autofree char *line = tincan_log_format_entry (message);
  g_autoptr(GRegex) regex = g_regex_new ("^\\{\"time\": \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\", "
                                         "\"dir\": \"sent\"", 0, 0, NULL);

  g_assert_true (g_regex_match (regex, line, 0, NULL));
}

/* "time": "...", as GDateTime formats @usec. */
static char *
expected_time_field (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (time, "\"time\": \"%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ\"", stamp, (int) (usec % G_USEC_PER_SEC / 1000));
}

/* The writer formats the seconds of a time once and keeps them: an entry
 * made in the next second must not get the last one's. */
static void
test_time_across_seconds (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_log_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  TincanMessage *messages[2];
  TincanLog *log;

  messages[0] = make (TINCAN_MESSAGE_KIND_SENT, "a", 1);
  /* Until the clock is in the next second: at most a second of waiting. */
  tincan_test_run_for (NULL,
                       1000 - tincan_message_get_real_time (messages[0]) % G_USEC_PER_SEC / 1000 + 5);
  messages[1] = make (TINCAN_MESSAGE_KIND_RECEIVED, "b", 1);
  g_assert_cmpint (tincan_message_get_real_time (messages[1]) / G_USEC_PER_SEC, >,
                   tincan_message_get_real_time (messages[0]) / G_USEC_PER_SEC);

  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  tincan_log_write (log, messages, 2);
  contents = read_back (log, path);
  g_assert_finalize_object (log);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *expect = expected_time_field (tincan_message_get_real_time (messages[i]));

      g_assert_true (g_str_has_prefix (lines[i + 1] + 1, expect));
      tincan_message_unref (messages[i]);
    }

  remove_log (path);
}

static void
test_status_sentence (void)
{
  g_autoptr(TincanMessage) message = tincan_message_new_text (TINCAN_MESSAGE_KIND_ERROR,
                                                              "Connection refused by 127.0.0.1 port 9");
  g_autofree char *line = tincan_log_format_entry (message);

  g_assert_nonnull (strstr (line, "\"dir\": \"error\""));
  g_assert_nonnull (strstr (line, "\"text\": \"Connection refused by 127.0.0.1 port 9\""));
}

static void
test_write_and_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autofree gint64 *times = g_new (gint64, 10000);
  g_auto(GStrv) lines = NULL;
  TincanLog *log;
  guint n_lines;

  g_assert_no_error (error);
  log = tincan_log_open (path, &error);
  g_assert_no_error (error);

  /* 100 batches of 100: every entry must reach the file, in order. */
  for (guint batch = 0; batch < 100; batch++)
    {
      TincanMessage *messages[100];

      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *text = g_strdup_printf ("%u", batch * 100 + i);
          messages[i] = make (TINCAN_MESSAGE_KIND_RECEIVED, text, strlen (text));
          times[batch * 100 + i] = tincan_message_get_real_time (messages[i]);
        }
      tincan_log_write (log, messages, 100);
      for (guint i = 0; i < 100; i++)
        tincan_message_unref (messages[i]);
    }

  g_assert_true (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (log);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  n_lines = g_strv_length (lines);
  /* The header, the entries, and the empty tail. */
  g_assert_cmpuint (n_lines, ==, 10002);
  g_assert_true (g_str_has_prefix (lines[0], "{\"log\": \"tincan\""));
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *expect = g_strdup_printf ("\"text\": \"%u\"", i);
      g_autofree char *time_field = expected_time_field (times[i]);

      g_assert_nonnull (strstr (lines[i + 1], expect));
      /* Every entry has its own time, to the millisecond. */
      g_assert_true (g_str_has_prefix (lines[i + 1] + 1, time_field));
    }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_appends (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;

  g_file_set_contents (path, "earlier\n", -1, &error);
  g_assert_no_error (error);

  {
    g_autoptr(TincanLog) log = tincan_log_open (path, &error);
    g_autoptr(TincanMessage) message = make (TINCAN_MESSAGE_KIND_SENT, "x", 1);

    g_assert_no_error (error);
    tincan_log_write (log, &message, 1);
    /* Dropping the last reference closes too, without waiting. */
  }
  g_assert_null (tincan_log_finish_all (WAIT_USEC));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "earlier\n{\"log\": \"tincan\""));
  g_assert_nonnull (strstr (contents, "}\n{\"time\""));

  g_unlink (path);
  g_rmdir (dir);
}

/* Every opening starts with a record that says which format follows, even
 * when no entry ever comes; a file appended to by several runs has one per
 * run, each before that run's entries. */
static void
test_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_log_path ();
  g_autofree char *pattern = g_strdup_printf ("^\\{\"log\": \"tincan\", \"format\": %d, "
                                              "\"app\": \"%s\", \"started\": \"\\d{4}-\\d\\d-\\d\\dT"
                                              "\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"\\}$",
                                              TINCAN_LOG_FORMAT, PACKAGE_VERSION);
  g_autoptr(GRegex) header = g_regex_new (pattern, 0, 0, &error);
  g_autoptr(TincanMessage) message = make (TINCAN_MESSAGE_KIND_SENT, "x", 1);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GStrv) lines = NULL;
  TincanLog *log;

  g_assert_no_error (error);
  g_assert_cmpint (TINCAN_LOG_FORMAT, ==, 3);

  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  first = read_back (log, path);
  g_assert_finalize_object (log);
  /* One line: the header alone. */
  g_assert_true (strchr (first, '\n') == first + strlen (first) - 1);
  first[strlen (first) - 1] = '\0';
  g_assert_true (g_regex_match (header, first, 0, NULL));

  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  tincan_log_write (log, &message, 1);
  second = read_back (log, path);
  g_assert_finalize_object (log);
  lines = g_strsplit (second, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, first);
  g_assert_true (g_regex_match (header, lines[1], 0, NULL));
  g_assert_true (g_str_has_prefix (lines[2], "{\"time\": \""));
  g_assert_cmpstr (lines[3], ==, "");

  remove_log (path);
}

/* The snippet in docs/log-format.md after the "tested" mark, or NULL when
 * the docs are not where the sources are. */
static char *
doc_snippet (void)
{
  const char *mark = "<!-- tested by tests/test-log.c -->\n```python\n";
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "log-format.md", NULL);
  g_autofree char *doc = NULL;
  const char *start;
  const char *end;

  if (!g_file_get_contents (path, &doc, NULL, NULL))
    return NULL;
  start = strstr (doc, mark);
  g_assert_nonnull (start);
  start += strlen (mark);
  end = strstr (start, "```\n");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
log_framed (TincanLog          *log,
            TincanMessageKind   kind,
            TincanMessageFlags  flags,
            const char         *prefix,
            const char         *data,
            const char         *suffix)
{
  g_autoptr(TincanMessage) message =
    tincan_message_new_framed (kind, flags, (const guint8 *) prefix, prefix ? 2 : 0,
                               (const guint8 *) data, strlen (data),
                               (const guint8 *) suffix, suffix ? strlen (suffix) : 0);

  tincan_log_write (log, &message, 1);
}

/* Issue 12, item 10: the snippet the format's documentation gives rebuilds
 * the wire bytes and the payload of every entry of a real log: a CRLF
 * exchange and a u16be one, with a frame the stream ended in. */
static void
test_doc_snippet (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_log_path ();
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *snippet = doc_snippet ();
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autoptr(TincanMessage) status = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS,
                                                             "Connected to 127.0.0.1 port 6379");
  const char *argv[] = { python, "-c", snippet, path, NULL };
  TincanLog *log;
  int wait_status = 0;

  if (python == NULL || snippet == NULL)
    {
      g_test_skip (python ? "docs/log-format.md is not beside the tests" : "no python3");
      remove_log (path);
      return;
    }

  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  tincan_log_write (log, &status, 1);
  log_framed (log, TINCAN_MESSAGE_KIND_SENT, 0, NULL, "PING", "\r\n");
  log_framed (log, TINCAN_MESSAGE_KIND_RECEIVED, 0, NULL, "+PONG", "\r\n");
  log_framed (log, TINCAN_MESSAGE_KIND_SENT, 0, "\0\5", "hello", NULL);
  log_framed (log, TINCAN_MESSAGE_KIND_RECEIVED, 0, "\0\4", "hi \"", NULL);
  log_framed (log, TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_PARTIAL, "\0\x10", "abc", NULL);
  contents = read_back (log, path);
  g_assert_finalize_object (log);
  g_test_message ("the log:\n%s", contents);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==,
                   "sent wire 50494e470d0a payload 50494e47\n"
                   "received wire 2b504f4e470d0a payload 2b504f4e47\n"
                   "sent wire 000568656c6c6f payload 68656c6c6f\n"
                   "received wire 000468692022 payload 68692022\n"
                   "received wire 0010616263 payload 616263 (partial)\n");

  remove_log (path);
}

static void
test_open_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanLog) log = tincan_log_open ("/nonexistent-dir/for/sure/log.jsonl", &error);

  g_assert_null (log);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

typedef struct
{
  guint problems;
} Watch;

static void
problem_cb (TincanLog *log,
            Watch     *watch)
{
  watch->problems++;
}

static gboolean
got_problem (gpointer data)
{
  return ((Watch *) data)->problems > 0;
}

/* A write that fails (a full disk, a reader gone) is never silent: "problem"
 * on the main context, the error, every entry counted as not written, and
 * the same said by wait () and at the end of the process. */
static void
check_write_error (TincanLog  *log,
                   const char *path,
                   GQuark      domain,
                   int         code)
{
  g_autoptr(TincanMessage) message = make (TINCAN_MESSAGE_KIND_SENT, "x", 1);
  g_autoptr(GError) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  Watch watch = { 0 };

  g_signal_connect (log, "problem", G_CALLBACK (problem_cb), &watch);
  tincan_log_write (log, &message, 1);
  tincan_test_wait_for (NULL, got_problem, &watch, WAIT_MS);

  failed = tincan_log_dup_error (log);
  g_assert_error (failed, domain, code);
  g_assert_cmpuint (tincan_log_get_not_written (log), ==, 1);
  /* After the failure, what comes is counted and not queued. */
  for (guint i = 0; i < 10; i++)
    tincan_log_write (log, &message, 1);
  g_assert_cmpuint (tincan_log_get_not_written (log), ==, 11);

  g_assert_false (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, "11 entries were not written"));
  g_assert_cmpuint (watch.problems, ==, 1);

  report = tincan_log_finish_all (WAIT_USEC);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, path));
  g_assert_nonnull (strstr (report, "11 entries were not written"));
  g_assert_finalize_object (log);
}

static void
test_write_error (void)
{
  g_autoptr(GError) error = NULL;
  TincanLog *log = tincan_log_open ("/dev/full", &error);

  g_assert_no_error (error);
  check_write_error (log, "/dev/full", G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

/* A log on a pipe: the test keeps the read end; the log opens the write
 * end through /proc, and the test's copy is closed. */
static TincanLog *
open_pipe_log (int   *read_fd,
               char **path)
{
  g_autoptr(GError) error = NULL;
  TincanLog *log;
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  *path = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
  log = tincan_log_open (*path, &error);
  g_assert_no_error (error);
  close (fds[1]);
  *read_fd = fds[0];
  return log;
}

static void
test_broken_pipe (void)
{
  g_autofree char *path = NULL;
  int read_fd;
  TincanLog *log = open_pipe_log (&read_fd, &path);

  /* EPIPE, not SIGPIPE: main () ignores the signal, as the app's does. */
  close (read_fd);
  check_write_error (log, path, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

/* Reads @fd to its end. */
static char *
read_all (int fd)
{
  GString *all = g_string_new (NULL);
  char buffer[65536];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (all, buffer, n);
  g_assert_cmpint (n, ==, 0);
  close (fd);
  return g_string_free (all, FALSE);
}

/* Nobody reads the pipe: the queue holds at most its bound, what does not
 * fit is counted (and "problem" says so once), the caller never waits, and
 * closing hands the writer off. When the reader comes back, the file says
 * where entries are missing. */
static void
test_not_keeping_up (void)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *gap = NULL;
  g_autofree guint8 *data = g_malloc0 (100 * 1024);
  g_autoptr(GError) error = NULL;
  int read_fd;
  TincanLog *log = open_pipe_log (&read_fd, &path);
  Watch watch = { 0 };
  guint64 lost;

  tincan_log_set_max_queued (log, 1024 * 1024);
  g_signal_connect (log, "problem", G_CALLBACK (problem_cb), &watch);

  /* 10 MB against a 64 KiB pipe and a 1 MiB queue. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TincanMessage) message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED,
                                                                       0, data, 100 * 1024);
      tincan_log_write (log, &message, 1);
    }

  lost = tincan_log_get_not_written (log);
  g_assert_cmpuint (watch.problems, ==, 1);
  /* At most the bound (10 entries), one being written and the pipe's worth
   * wait or went; the rest was dropped. */
  g_assert_cmpuint (lost, >=, 100 - 10 - 1 - 2);
  g_assert_cmpuint (lost, <, 100);

  /* The writer is stuck in write (): the wait gives up at its deadline. */
  g_assert_false (tincan_log_wait (log, 100 * 1000, &error));
  g_assert_error (error, TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_TIMED_OUT);
  g_clear_error (&error);

  contents = read_all (read_fd);
  g_assert_false (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_error (error, TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_NOT_WRITTEN);
  g_assert_nonnull (strstr (error->message, "entries not written"));
  /* Nothing got through after the first drop, so one mark says it all. */
  gap = g_strdup_printf ("\"text\": \"%" G_GUINT64_FORMAT " entries not written here: "
                         "the log file was not keeping up\", \"hex\": \"", lost);
  g_assert_nonnull (strstr (contents, gap));
  /* The count for programs: the record's last field. */
  g_free (gap);
  gap = g_strdup_printf ("\", \"not_written\": %" G_GUINT64_FORMAT "}\n", lost);
  g_assert_nonnull (strstr (contents, gap));
  g_free (tincan_log_finish_all (0));
  g_assert_finalize_object (log);
}

static gint64
thread_cpu_usec (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_THREAD, &usage), ==, 0);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* The main thread only hands over references: logging 64 MiB of binary
 * entries costs it far less CPU than formatting them does (measured on the
 * same thread, in the same run). */
static void
test_formats_on_the_writer (void)
{
  gsize size = 16 * 1024 * 1024;
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanLog) log = tincan_log_open ("/dev/null", &error);
  TincanMessage *messages[4];
  gint64 start, handing, formatting;

  g_assert_no_error (error);
  tincan_log_set_max_queued (log, 4 * (size + TINCAN_LOG_ENTRY_OVERHEAD));
  for (gsize i = 0; i < size; i++)
    data[i] = i * 7;
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    messages[i] = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, data, size);

  start = thread_cpu_usec ();
  tincan_log_write (log, messages, G_N_ELEMENTS (messages));
  handing = thread_cpu_usec () - start;

  start = thread_cpu_usec ();
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_free (tincan_log_format_entry (messages[i]));
  formatting = thread_cpu_usec () - start;

  g_test_message ("handing over: %" G_GINT64_FORMAT " µs, formatting: %" G_GINT64_FORMAT " µs",
                  handing, formatting);
  g_assert_cmpint (handing * 20, <, formatting);
  g_assert_true (tincan_log_wait (log, 10 * WAIT_USEC, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    tincan_message_unref (messages[i]);
}

/* At the end of the process, a writer stuck on a pipe nobody reads is given
 * a bounded time, then reported; the process does not hang on it. */
static void
test_finish_all_is_bounded (void)
{
  g_autofree char *path = NULL;
  g_autofree char *report = NULL;
  g_autofree guint8 *data = g_malloc0 (256 * 1024);
  g_autoptr(TincanMessage) message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0,
                                                                   data, 256 * 1024);
  int read_fd;
  TincanLog *log;
  gint64 start;

  g_free (tincan_log_finish_all (0));
  log = open_pipe_log (&read_fd, &path);
  tincan_log_write (log, &message, 1);
  g_object_unref (log);

  start = g_get_monotonic_time ();
  report = tincan_log_finish_all (200 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, WAIT_USEC);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, path));
  g_assert_nonnull (strstr (report, "was still not keeping up at the end: 1 entry not written"));

  /* Let the writer finish, so that nothing runs on past the test. */
  g_free (read_all (read_fd));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/log/format", test_format);
  g_test_add_func ("/net/log/time-format", test_time_format);
  g_test_add_func ("/net/log/time-across-seconds", test_time_across_seconds);
  g_test_add_func ("/net/log/status-sentence", test_status_sentence);
  g_test_add_func ("/net/log/write-and-close", test_write_and_close);
  g_test_add_func ("/net/log/appends", test_appends);
  g_test_add_func ("/net/log/header", test_header);
  g_test_add_func ("/net/log/doc-snippet", test_doc_snippet);
  g_test_add_func ("/net/log/open-error", test_open_error);
  g_test_add_func ("/net/log/large-entry-in-pieces", test_large_entry_in_pieces);
  g_test_add_func ("/net/log/framing-fields", test_framing_fields);
  g_test_add_func ("/net/log/exchange-fields", test_exchange_fields);
  g_test_add_func ("/net/log/session", test_session_log);
  g_test_add_func ("/net/log/reads-field", test_reads_field);
  g_test_add_func ("/net/log/write-error", test_write_error);
  g_test_add_func ("/net/log/broken-pipe", test_broken_pipe);
  g_test_add_func ("/net/log/not-keeping-up", test_not_keeping_up);
  g_test_add_func ("/net/log/formats-on-the-writer", test_formats_on_the_writer);
  g_test_add_func ("/net/log/finish-all-is-bounded", test_finish_all_is_bounded);

  return g_test_run ();
}
