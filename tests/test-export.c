/* test-export.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The exporters on known entries (CSV quoting, the hex dump's and the C
 * arrays' layout, a JSON Lines round trip through the log reader), the
 * reader's errors, `tincan --export`, and pcapng captures of real
 * conversations with the echo server, read back by Wireshark's tshark. */

#include "config.h"

#include <locale.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "tincan-echo-server.h"
#include "tincan-export.h"
#include "tincan-log.h"
#include "tincan-log-reader.h"
#include "tincan-payload.h"
#include "tincan-test-client.h"
#include "tincan-test-util.h"

#define WAIT_USEC (60 * G_USEC_PER_SEC)

/* 2026-12-03T11:40:00.123Z */
static gint64
known_time (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 12, 3, 11, 40, 0.123);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC + 123000;
}

static TincanMessage *
entry (TincanMessageKind  kind,
       const char        *data,
       gssize             length,
       const char        *suffix,
       guint64            connection,
       gint64             rtt)
{
  gsize n = length < 0 ? strlen (data) : (gsize) length;
  TincanMessage *message;

  message = tincan_message_new_framed (kind, TINCAN_MESSAGE_NONE, NULL, 0, (const guint8 *) data,
                                       n, (const guint8 *) suffix, suffix ? strlen (suffix) : 0);
  _tincan_message_set_exchange (message, connection, rtt);
  _tincan_message_set_read_back (message, known_time (), 1);
  return message;
}

static GPtrArray *
known_entries (void)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  g_autoptr(TincanConnectionInfo) info =
    tincan_connection_info_new (1, TINCAN_TRANSPORT_TCP, "127.0.0.1:51234", "127.0.0.1:7");
  TincanMessage *connected = entry (TINCAN_MESSAGE_KIND_STATUS, "Connected, \"at last\"\r\nyes", -1,
                                    NULL, 1, -1);

  _tincan_message_set_connection_info (connected, info);
  g_ptr_array_add (entries, connected);
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, "a,b", -1, "\n", 1, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_RECEIVED, "say \"hi\"", -1, "\n", 1, 1500));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_RECEIVED, "\xff\xfe" "A", 3, NULL, 1, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_ERROR, "No reply */ in 5 s", -1, NULL, 0, -1));
  return entries;
}

static char *
export_to_string (TincanExportFormat  format,
                  GPtrArray          *entries)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_export_write (format, (TincanMessage * const *) entries->pdata,
                                      entries->len, NULL, stream, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (stream, "", 1, NULL, NULL, &error);  /* a NUL for the string */
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

/* RFC 4180: commas, quotes, CR and LF quoted, quotes doubled, CRLF between
 * records; bytes that are not UTF-8 are escapes, as the Text view shows them. */
static void
test_csv (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autofree char *csv = export_to_string (TINCAN_EXPORT_CSV, entries);

  g_assert_cmpstr (csv, ==,
                   "time,direction,connection,length,rtt,text,hex\r\n"
                   "2026-12-03T11:40:00.123Z,status,1,25,,\"Connected, \"\"at last\"\"\r\nyes\","
                   "436f6e6e65637465642c20226174206c617374220d0a796573\r\n"
                   "2026-12-03T11:40:00.123Z,sent,1,3,,\"a,b\",612c62\r\n"
                   "2026-12-03T11:40:00.123Z,received,1,8,1500,\"say \"\"hi\"\"\",7361792022686922\r\n"
                   "2026-12-03T11:40:00.123Z,received,1,3,,\\xff\\xfeA,fffe41\r\n"
                   "2026-12-03T11:40:00.123Z,error,,18,,No reply */ in 5 s,"
                   "4e6f207265706c79202a2f20696e20352073\r\n");
}

/* xxd's lines (checked against xxd itself) under a header per entry; the
 * dump is of the wire bytes, the delimiter included. */
static void
test_hexdump (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  g_autofree char *dump = NULL;

  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, "hello, world: 0123456789", -1,
                                   "\n", 2, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_STATUS, "Closed by the server", -1, NULL,
                                   2, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_RECEIVED, "", 0, NULL, 2, -1));
  dump = export_to_string (TINCAN_EXPORT_HEXDUMP, entries);
  g_assert_cmpstr (dump, ==,
                   "# sent 2026-12-03T11:40:00.123Z connection 2, 25 bytes\n"
                   "00000000: 6865 6c6c 6f2c 2077 6f72 6c64 3a20 3031  hello, world: 01\n"
                   "00000010: 3233 3435 3637 3839 0a                   23456789.\n"
                   "\n"
                   "# status 2026-12-03T11:40:00.123Z connection 2: Closed by the server\n"
                   "\n"
                   "# received 2026-12-03T11:40:00.123Z connection 2, 0 bytes\n"
                   "\n");
}

/* As Wireshark's Follow Stream "C Arrays": peer0 ours, peer1 the server's,
 * 8 bytes to a line; sentences as comments that cannot end early. */
static void
test_c_arrays (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autofree char *c = NULL;

  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, "0123456789", -1, NULL, 1, -1));
  c = export_to_string (TINCAN_EXPORT_C, entries);
  g_assert_cmpstr (c, ==,
                   "/* status 2026-12-03T11:40:00.123Z: Connected, \"at last\"\r\nyes */\n"
                   "char peer0_0[] = { /* sent 2026-12-03T11:40:00.123Z */\n"
                   "0x61, 0x2c, 0x62, 0x0a };\n"
                   "char peer1_0[] = { /* received 2026-12-03T11:40:00.123Z */\n"
                   "0x73, 0x61, 0x79, 0x20, 0x22, 0x68, 0x69, 0x22,\n"
                   "0x0a };\n"
                   "char peer1_1[] = { /* received 2026-12-03T11:40:00.123Z */\n"
                   "0xff, 0xfe, 0x41 };\n"
                   "/* error 2026-12-03T11:40:00.123Z: No reply * / in 5 s */\n"
                   "char peer0_1[] = { /* sent 2026-12-03T11:40:00.123Z */\n"
                   "0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,\n"
                   "0x38, 0x39 };\n");
}

static void
test_text (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autofree char *text = export_to_string (TINCAN_EXPORT_TEXT, entries);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  /* The time is local, as the rows show it: only its milliseconds are known here. */
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_suffix (lines[2], ".123  Sent  a,b"));
  g_assert_true (g_str_has_suffix (lines[3], ".123  Received  say \"hi\""));
  g_assert_true (g_str_has_suffix (lines[4], ".123  Received  \\xff\\xfeA"));
  g_assert_true (g_str_has_suffix (lines[5], ".123  Error  No reply */ in 5 s"));
  g_assert_cmpstr (lines[6], ==, "");
}

static void
assert_same_entry (TincanMessage *a,
                   TincanMessage *b)
{
  gsize la, lb;
  const guint8 *da = tincan_message_get_data (a, &la);
  const guint8 *db = tincan_message_get_data (b, &lb);

  g_assert_cmpint (tincan_message_get_kind (a), ==, tincan_message_get_kind (b));
  g_assert_cmpint (tincan_message_get_flags (a), ==, tincan_message_get_flags (b));
  g_assert_cmpmem (da, la, db, lb);
  da = tincan_message_get_prefix (a, &la);
  db = tincan_message_get_prefix (b, &lb);
  g_assert_cmpmem (da, la, db, lb);
  da = tincan_message_get_suffix (a, &la);
  db = tincan_message_get_suffix (b, &lb);
  g_assert_cmpmem (da, la, db, lb);
  g_assert_cmpuint (tincan_message_get_connection_id (a), ==, tincan_message_get_connection_id (b));
  g_assert_cmpint (tincan_message_get_rtt (a), ==, tincan_message_get_rtt (b));
  g_assert_cmpuint (tincan_message_get_reads (a), ==, tincan_message_get_reads (b));
  /* The log keeps milliseconds. */
  g_assert_cmpint (tincan_message_get_real_time (a) / 1000, ==,
                   tincan_message_get_real_time (b) / 1000);
  g_assert_cmpint ((tincan_message_get_connection_info (a) == NULL), ==,
                   (tincan_message_get_connection_info (b) == NULL));
}

static void
read_string (const char  *text,
             GPtrArray  **messages,
             GHashTable **connections,
             GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);

  tincan_log_read_stream (stream, messages, connections, NULL, error);
}

/* JSON Lines is the log's format: the reader gives back the same entries
 * and connections. */
static void
test_jsonl_round_trip (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autofree char *jsonl = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GHashTable) connections = NULL;
  g_autoptr(GError) error = NULL;
  TincanMessage *partial = tincan_message_new_framed (TINCAN_MESSAGE_KIND_RECEIVED,
                                                      TINCAN_MESSAGE_PARTIAL, (const guint8 *) "\0\x10",
                                                      2, (const guint8 *) "abc", 3, NULL, 0);
  const TincanConnectionInfo *info;
  guint64 id = 1;

  _tincan_message_set_exchange (partial, 1, -1);
  _tincan_message_set_read_back (partial, known_time () + 1000, 3);
  g_ptr_array_add (entries, partial);
  jsonl = export_to_string (TINCAN_EXPORT_JSONL, entries);
  g_assert_true (g_str_has_prefix (jsonl, "{\"log\": \"tincan\", \"format\": 3, "));
  read_string (jsonl, &back, &connections, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, entries->len);
  for (guint i = 0; i < entries->len; i++)
    assert_same_entry (g_ptr_array_index (entries, i), g_ptr_array_index (back, i));

  g_assert_cmpuint (g_hash_table_size (connections), ==, 1);
  info = g_hash_table_lookup (connections, &id);
  g_assert_nonnull (info);
  g_assert_cmpint (tincan_connection_info_get_transport (info), ==, TINCAN_TRANSPORT_TCP);
  g_assert_cmpstr (tincan_connection_info_get_local (info), ==, "127.0.0.1:51234");
  g_assert_cmpstr (tincan_connection_info_get_peer (info), ==, "127.0.0.1:7");

  /* Exported again, the same bytes. */
  {
    g_autofree char *again = export_to_string (TINCAN_EXPORT_JSONL, back);

    g_assert_cmpstr (again, ==, jsonl);
  }
}

/* A bad line stops the reading and is named with its number and why. */
static void
test_reader_errors (void)
{
  static const struct { const char *line; const char *why; } cases[] = {
    { "not json", "not JSON" },
    { "[1, 2]", "not a JSON object" },
    { "{\"log\": \"tincan\", \"format\": 9}", "log format 9" },
    { "{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"sideways\", \"hex\": \"\"}", "“dir”" },
    { "{\"time\": \"yesterday\", \"dir\": \"sent\", \"hex\": \"\"}", "“time”" },
    { "{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"sent\", \"hex\": \"abc\"}", "hex" },
    { "{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"sent\", \"hex\": \"zz\"}", "hex" },
    { "{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"sent\"}", "“hex”" },
    { "{\"connection\": 2, \"transport\": \"sctp\", \"local\": \"\", \"peer\": \"\"}", "“transport”" },
    { "{\"connection\": 2, \"transport\": \"udp\"}", "“local”" },
  };
  const char *good = "{\"log\": \"tincan\", \"format\": 3, \"app\": \"0.1.0\", \"started\": \"2026-12-03T11:40:00.000Z\"}\n"
                     "{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"sent\", \"len\": 1, \"text\": \"a\", \"wire\": 1, \"hex\": \"61\"}\n"
                     "\n"
                     "{\"future\": \"a kind of record not known yet\"}\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (good, cases[i].line, "\n", good, NULL);
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GHashTable) connections = NULL;
      g_autoptr(GError) error = NULL;

      read_string (text, &messages, &connections, &error);
      g_assert_error (error, TINCAN_LOG_READER_ERROR, TINCAN_LOG_READER_ERROR_BAD_LINE);
      g_assert_true (g_str_has_prefix (error->message, "Line 5: "));
      g_assert_nonnull (strstr (error->message, cases[i].why));
      g_assert_null (messages);
    }

  {
    g_autoptr(GPtrArray) messages = NULL;
    g_autoptr(GHashTable) connections = NULL;
    g_autoptr(GError) error = NULL;

    /* A format 1 log (no header), then the good part. */
    g_autofree char *text = g_strconcat ("{\"time\": \"2026-12-03T11:40:00.123Z\", \"dir\": \"status\", \"hex\": \"6869\"}\n",
                                         good, NULL);

    read_string (text, &messages, &connections, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (messages->len, ==, 2);
  }
}

/* Into a file: written whole and renamed, or not at all. */
static void
test_write_file (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out.csv", NULL);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  g_cancellable_cancel (cancelled);
  g_assert_false (tincan_export_write_file (TINCAN_EXPORT_CSV, (TincanMessage * const *) entries->pdata,
                                            entries->len, NULL, path, NULL, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "old");

  g_assert_false (tincan_export_write_file (TINCAN_EXPORT_CSV, (TincanMessage * const *) entries->pdata,
                                            entries->len, NULL, missing, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (tincan_export_write_file (TINCAN_EXPORT_CSV, (TincanMessage * const *) entries->pdata,
                                           entries->len, NULL, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "time,direction,"));

  /* No temporary file left beside it. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "out.csv");
  g_assert_null (g_dir_read_name (listing));
  g_unlink (path);
  g_rmdir (dir);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_export_file_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
count_progress_cb (guint    done,
                   guint    total,
                   gpointer user_data)
{
  guint *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_atomic_int_set (last, done);
}

/* The window's way: a thread, progress, a callback on its main context. */
static void
test_file_async (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.pcapng", NULL);
  gboolean done = FALSE;
  guint last = 0;

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, "ping", -1, "\n", 1, -1));
  tincan_export_file_async (TINCAN_EXPORT_PCAPNG, entries, NULL, path, count_progress_cb, &last,
                            NULL, async_done_cb, &done);
  tincan_test_wait_until (context, &done, 60000);
  g_assert_cmpuint (g_atomic_int_get (&last), ==, 10000);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unlink (path);
  g_rmdir (dir);
  tincan_test_pop_context (context);
}

/* tshark and capinfos */

static char *
run (const char * const *argv,
     int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int wait_status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);
  if (*status != 0)
    g_test_message ("%s: %s", argv[0], err);
  return out;
}

/* tshark's "follow,PROTO,raw,N": the hex of what each node sent, node 1's
 * lines indented with a tab. */
static void
follow (const char  *path,
        const char  *protocol,
        guint        stream,
        GString     *node0,
        GString     *node1)
{
  g_autofree char *spec = g_strdup_printf ("follow,%s,raw,%u", protocol, stream);
  const char *argv[] = { "tshark", "-r", path, "-q", "-z", spec, NULL };
  int status;
  g_autofree char *out = run (argv, &status);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  gboolean data = FALSE;

  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Node 1:"))
        {
          data = TRUE;
          continue;
        }
      if (!data || g_str_has_prefix (lines[i], "====") || lines[i][0] == '\0')
        continue;
      if (lines[i][0] == '\t')
        g_string_append (node1, lines[i] + 1);
      else
        g_string_append (node0, lines[i]);
    }
}

/* The hex of the wire bytes connection @id sent (@kind SENT) or received. */
static char *
wire_hex (GPtrArray         *entries,
          guint64            id,
          TincanMessageKind  kind)
{
  GString *hex = g_string_new ("");

  for (guint i = 0; i < entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (entries, i);
      gsize prefix, payload, suffix;
      const guint8 *data = tincan_message_get_prefix (message, &prefix);

      if (tincan_message_get_kind (message) != kind ||
          tincan_message_get_connection_id (message) != id)
        continue;
      tincan_message_get_data (message, &payload);
      tincan_message_get_suffix (message, &suffix);
      tincan_payload_append_hex (hex, data, prefix + payload + suffix);
    }
  return g_string_free (hex, FALSE);
}

static gboolean
have_tshark (void)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *capinfos = g_find_program_in_path ("capinfos");

  if (tshark == NULL || capinfos == NULL)
    {
      g_test_skip ("tshark and capinfos are not installed (Debian's tshark package; "
                   "build-aux/dev test installs it)");
      return FALSE;
    }
  return TRUE;
}

/* The session's entries through the log to a file, read back, exported as
 * pcapng: what `tincan --log` then `tincan --export=pcapng` do. */
static char *
log_and_export (TincanTestClient *client,
                const char       *dir,
                GPtrArray       **read_back)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = g_build_filename (dir, "traffic.jsonl", NULL);
  char *pcapng = g_build_filename (dir, "traffic.pcapng", NULL);
  g_autoptr(GHashTable) connections = NULL;
  TincanLog *log = tincan_log_open (log_path, &error);

  g_assert_no_error (error);
  tincan_log_write (log, (TincanMessage **) client->entries->pdata, client->entries->len);
  g_assert_true (tincan_log_wait (log, WAIT_USEC, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (log);

  g_assert_true (tincan_log_read_file (log_path, read_back, &connections, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint ((*read_back)->len, ==, client->entries->len);
  g_assert_true (tincan_export_write_file (TINCAN_EXPORT_PCAPNG,
                                           (TincanMessage * const *) (*read_back)->pdata,
                                           (*read_back)->len, connections, pcapng, NULL, NULL,
                                           NULL, &error));
  g_assert_no_error (error);
  g_unlink (log_path);
  return pcapng;
}

/* capinfos reads it all; with checksum validation on, no IP, TCP or UDP
 * checksum is bad. */
static void
assert_clean_capture (const char *path)
{
  const char *capinfos[] = { "capinfos", path, NULL };
  const char *check[] = { "tshark", "-r", path,
                          "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                          "-o", "udp.check_checksum:TRUE",
                          /* Not _ws.malformed: the echo server's port is
                           * random, and the dissector of a well-known port
                           * would find our bytes malformed. */
                          "-Y", "ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                                "udp.checksum.status == 0",
                          NULL };
  int status;
  g_autofree char *info = run (capinfos, &status);
  g_autofree char *bad = NULL;

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (info, "pcapng"));
  bad = run (check, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (bad, ==, "");
}

static void
assert_stream (const char *path,
               const char *protocol,
               guint       stream,
               GPtrArray  *entries,
               guint64     id)
{
  g_autoptr(GString) node0 = g_string_new ("");
  g_autoptr(GString) node1 = g_string_new ("");
  g_autofree char *sent = wire_hex (entries, id, TINCAN_MESSAGE_KIND_SENT);
  g_autofree char *received = wire_hex (entries, id, TINCAN_MESSAGE_KIND_RECEIVED);

  g_assert_cmpuint (strlen (sent), >, 0);
  g_assert_cmpuint (strlen (received), >, 0);
  follow (path, protocol, stream, node0, node1);
  g_assert_cmpstr (node0->str, ==, sent);
  g_assert_cmpstr (node1->str, ==, received);
}

static void
converse (TincanTransport      transport,
          TincanConnectionMode mode,
          const char          *host,
          guint                n_streams)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (transport);
  g_autoptr(TincanTestClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-export-XXXXXX", &error);
  g_autofree char *pcapng = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *protocol = transport == TINCAN_TRANSPORT_UDP ? "udp" : "tcp";
  guint64 ids[3] = { 0 };
  guint n_ids = 0;

  g_assert_no_error (error);
  g_assert_true (tincan_echo_server_start (server, host, 0, &error));
  g_assert_no_error (error);
  client = tincan_test_client_new (transport, host, tincan_echo_server_get_port (server), "lf",
                                   mode);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "hello");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_client_send_text (client, "a line with \"quotes\", commas and \\xff");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  tincan_test_client_send_text (client, "third");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 3);
  tincan_session_disconnect (client->session);

  pcapng = log_and_export (client, dir, &entries);
  assert_clean_capture (pcapng);

  for (guint i = 0; i < entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (entries, i);
      guint64 id = tincan_message_get_connection_id (message);

      if (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_SENT && n_ids < 3 &&
          (n_ids == 0 || ids[n_ids - 1] != id))
        ids[n_ids++] = id;
    }
  g_assert_cmpuint (n_ids, ==, n_streams);
  for (guint i = 0; i < n_ids; i++)
    assert_stream (pcapng, protocol, i, entries, ids[i]);

  g_unlink (pcapng);
  g_rmdir (dir);
  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* A payload longer than an IP packet is cut into segments whose sequence
 * numbers follow on; entries about no connection are comments on packets
 * that open no stream, so stream 0 is still the first connection. */
static void
test_pcapng_segments (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  g_autoptr(TincanConnectionInfo) info =
    tincan_connection_info_new (5, TINCAN_TRANSPORT_TLS, "10.1.2.3:40000", "10.9.8.7:443");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *big = g_malloc (200 * 1000);
  TincanMessage *connected;

  if (!have_tshark ())
    return;

  for (guint i = 0; i < 200 * 1000; i++)
    big[i] = (char) (i * 7 + i / 251);
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_STATUS, "Resolving", -1, NULL, 0, -1));
  connected = entry (TINCAN_MESSAGE_KIND_STATUS, "Connected", -1, NULL, 5, -1);
  _tincan_message_set_connection_info (connected, info);
  g_ptr_array_add (entries, connected);
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, big, 200 * 1000, NULL, 5, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_RECEIVED, big + 5, 70 * 1000, "\r\n", 5, 10));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_SENT, "more", -1, NULL, 5, -1));
  g_ptr_array_add (entries, entry (TINCAN_MESSAGE_KIND_ERROR, "Closed by the server", -1, NULL, 5, -1));

  dir = g_dir_make_tmp ("tincan-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "big.pcapng", NULL);
  g_assert_true (tincan_export_write_file (TINCAN_EXPORT_PCAPNG, (TincanMessage * const *) entries->pdata,
                                           entries->len, NULL, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_clean_capture (path);
  assert_stream (path, "tcp", 0, entries, 5);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_pcapng_tcp (void)
{
  if (have_tshark ())
    converse (TINCAN_TRANSPORT_TCP, TINCAN_CONNECTION_PERSISTENT, "127.0.0.1", 1);
}

static void
test_pcapng_tcp_ipv6 (void)
{
  if (!tincan_test_have_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 loopback here");
      return;
    }
  if (have_tshark ())
    converse (TINCAN_TRANSPORT_TCP, TINCAN_CONNECTION_PERSISTENT, "::1", 1);
}

static void
test_pcapng_udp (void)
{
  if (have_tshark ())
    converse (TINCAN_TRANSPORT_UDP, TINCAN_CONNECTION_PERSISTENT, "127.0.0.1", 1);
}

static void
test_pcapng_per_message (void)
{
  if (have_tshark ())
    converse (TINCAN_TRANSPORT_TCP, TINCAN_CONNECTION_PER_MESSAGE, "127.0.0.1", 3);
}

/* tincan --export */

static int
run_export (const char  *format,
            const char  *output,
            const char  *log,
            char       **err)
{
  g_autofree char *format_arg = g_strconcat ("--export=", format, NULL);
  g_autofree char *output_arg = g_strconcat ("--output=", output, NULL);
  const char *argv[] = { BUILD_BIN_DIR "/tincan", format_arg, output_arg, log, NULL };
  g_autoptr(GError) error = NULL;
  const char *envp[] = { "LC_ALL=C.UTF-8", "DISPLAY=", "WAYLAND_DISPLAY=", NULL };
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

/* No display: 0 and the file; 2 and a sentence with the line number, and
 * no file (an old one left as it was). */
static void
test_cli (void)
{
  g_autoptr(GPtrArray) entries = known_entries ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-export-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "in.jsonl", NULL);
  g_autofree char *bad_log = g_build_filename (dir, "bad.jsonl", NULL);
  g_autofree char *output = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *jsonl = export_to_string (TINCAN_EXPORT_JSONL, entries);
  g_autofree char *bad = g_strconcat (jsonl, "{\"dir\": \"sent\"\n", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = export_to_string (TINCAN_EXPORT_CSV, entries);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (log, jsonl, -1, &error));
  g_assert_true (g_file_set_contents (bad_log, bad, -1, &error));

  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_export ("csv", output, log, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_file_get_contents (output, &contents, NULL, &error));
    g_assert_cmpstr (contents, ==, expected);
    g_clear_pointer (&contents, g_free);
    g_unlink (output);
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *line = g_strdup_printf ("Line %u: not JSON", entries->len + 3);

    g_assert_cmpint (run_export ("pcapng", output, bad_log, &err), ==, 2);
    g_assert_nonnull (strstr (err, line));
    g_assert_nonnull (strstr (err, "bad.jsonl"));
    g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *err = NULL;

    g_assert_true (g_file_set_contents (output, "old", -1, &error));
    g_assert_cmpint (run_export ("hexdump", output, bad_log, &err), ==, 2);
    g_assert_true (g_file_get_contents (output, &contents, NULL, &error));
    g_assert_cmpstr (contents, ==, "old");
    g_unlink (output);
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_export ("xml", output, log, &err), ==, 2);
    g_assert_nonnull (strstr (err, "“xml” is not a format"));
    g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *missing = g_build_filename (dir, "missing.jsonl", NULL);

    g_assert_cmpint (run_export ("csv", output, missing, &err), ==, 2);
    g_assert_nonnull (strstr (err, "missing.jsonl"));
    g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  }

  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
    guint n = 0;

    g_assert_no_error (error);
    while (g_dir_read_name (listing) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 2);  /* the two logs: no output, no temporary file */
  }
  g_unlink (log);
  g_unlink (bad_log);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/export/csv", test_csv);
  g_test_add_func ("/net/export/hexdump", test_hexdump);
  g_test_add_func ("/net/export/c-arrays", test_c_arrays);
  g_test_add_func ("/net/export/text", test_text);
  g_test_add_func ("/net/export/jsonl-round-trip", test_jsonl_round_trip);
  g_test_add_func ("/net/export/reader-errors", test_reader_errors);
  g_test_add_func ("/net/export/write-file", test_write_file);
  g_test_add_func ("/net/export/file-async", test_file_async);
  g_test_add_func ("/net/export/pcapng/segments", test_pcapng_segments);
  g_test_add_func ("/net/export/pcapng/tcp", test_pcapng_tcp);
  g_test_add_func ("/net/export/pcapng/tcp-ipv6", test_pcapng_tcp_ipv6);
  g_test_add_func ("/net/export/pcapng/udp", test_pcapng_udp);
  g_test_add_func ("/net/export/pcapng/per-message", test_pcapng_per_message);
  g_test_add_func ("/net/export/cli", test_cli);

  return g_test_run ();
}
