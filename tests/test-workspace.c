/* test-workspace.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The workspace file: round trips, stable bytes, every malformed case with
 * its code and line, atomic saves, the async calls, and the Packet Sender
 * import of tests/data/packet-sender-export.json. */

#include "config.h"

#include <locale.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tincan-test-util.h"
#include "tincan-workspace.h"

static TincanWorkspaceConnection *
connection (const char *name, const char *host, guint16 port, TincanTransport transport)
{
  TincanWorkspaceConnection *self = tincan_workspace_connection_new ();

  self->name = g_strdup (name);
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  self->transport = transport;
  return self;
}

static TincanWorkspace *
sample (void)
{
  TincanWorkspace *self = tincan_workspace_new ();
  TincanWorkspaceConnection *tab = connection ("Réd\tis \"ok\"", "::1", 7, TINCAN_TRANSPORT_TLS);
  TincanWorkspaceMessage *message = tincan_workspace_message_new ();
  TincanWorkspaceMessage *empty = tincan_workspace_message_new ();

  g_free (tab->framing);
  tab->framing = g_strdup ("delim:0d0a:keep");
  tab->mode = TINCAN_CONNECTION_PER_MESSAGE;
  tab->no_proxy = TRUE;
  g_ptr_array_add (tincan_workspace_get_tabs (self), tab);
  g_ptr_array_add (tincan_workspace_get_tabs (self), tincan_workspace_connection_new ());
  g_ptr_array_add (tincan_workspace_get_connections (self),
                   connection (NULL, "example.org", 443, TINCAN_TRANSPORT_TCP));
  g_free (message->name);
  message->name = g_strdup ("  [Not a group]\n# not a comment");
  g_free (message->payload);
  message->payload = g_strdup ("GET / HTTP/1.0\\r\\n\nHost: ü\\x00 \\\\ ");
  message->ending = TINCAN_LINE_ENDING_CRLF;
  message->description = g_strdup ("line 1\nline 2\r\n");
  message->repeat_ms = 1500;
  g_ptr_array_add (tincan_workspace_get_messages (self), message);
  empty->format = TINCAN_PAYLOAD_FORMAT_HEX;
  g_ptr_array_add (tincan_workspace_get_messages (self), empty);
  tincan_workspace_set_selected_tab (self, 1);
  return self;
}

static void
test_round_trip (void)
{
  g_autoptr(TincanWorkspace) workspace = sample ();
  g_autoptr(TincanWorkspace) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0, again_length = 0;
  g_autofree char *data = tincan_workspace_to_data (workspace, &length);
  g_autofree char *again = NULL;
  TincanWorkspaceConnection *tab;

  back = tincan_workspace_new_from_data (data, length, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_workspace_equal (workspace, back));
  g_assert_cmpuint (tincan_workspace_get_selected_tab (back), ==, 1);
  again = tincan_workspace_to_data (back, &again_length);
  g_assert_cmpmem (data, length, again, again_length);

  /* Key order is fixed; defaults are written. */
  g_assert_nonnull (strstr (data, "[Tab 2]\nName=\nHost=\nPort=0\nTransport=tcp\nFraming=raw\n"
                                  "Mode=persistent\nNoProxy=false\n"));
  g_assert_nonnull (strstr (data, "[Workspace]\nVersion=1\nSelectedTab=2\n"));
  g_assert_true (g_str_has_prefix (data, "# A Tincan workspace"));

  tab = g_ptr_array_index (tincan_workspace_get_tabs (back), 0);
  g_free (tab->framing);
  tab->framing = g_strdup ("lf");
  g_assert_false (tincan_workspace_equal (workspace, back));
}

static void
test_defaults_and_order (void)
{
  const char *text = "[Workspace]\nVersion=1\nSelectedTab=5\n[Tab 5]\nHost=b\n[Tab 2]\n"
                     "[Connection 1]\nHost=a\nPort=1\n[Message 1]\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) workspace = tincan_workspace_new_from_data (text, -1, &error);
  TincanWorkspaceConnection *tab;
  TincanWorkspaceMessage *message;

  g_assert_no_error (error);
  g_assert_cmpuint (tincan_workspace_get_tabs (workspace)->len, ==, 2);
  g_assert_cmpuint (tincan_workspace_get_selected_tab (workspace), ==, 1);
  tab = g_ptr_array_index (tincan_workspace_get_tabs (workspace), 0);
  g_assert_cmpstr (tab->host, ==, "");
  g_assert_cmpstr (tab->framing, ==, "raw");
  g_assert_cmpint (tab->mode, ==, TINCAN_CONNECTION_PERSISTENT);
  tab = g_ptr_array_index (tincan_workspace_get_tabs (workspace), 1);
  g_assert_cmpstr (tab->host, ==, "b");
  message = g_ptr_array_index (tincan_workspace_get_messages (workspace), 0);
  g_assert_cmpint (message->format, ==, TINCAN_PAYLOAD_FORMAT_TEXT);
  g_assert_null (message->description);
}

typedef struct
{
  const char *text;
  int         code;
  const char *starts;
} Malformed;

static void
test_malformed (void)
{
  const Malformed cases[] = {
    { "[Workspace]\nVersion=1\n[Tab 1]\nthis is not a key\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 4: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nTransport=tpc\n", TINCAN_WORKSPACE_ERROR_VALUE,
      "Line 4: “Transport” must be tcp, tls or udp, not “tpc”." },
    { "[Workspace]\nVersion=1\n\n[Tab 1]\nPort=70000\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 5: " },
    { "[Workspace]\nVersion=1\n[Connection 1]\nHost=a\nPort=0\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 5: " },
    { "[Workspace]\nVersion=1\n[Connection 1]\nHost=a\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 3: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nFraming=lff\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 4: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nHost=a b\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 4: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nNoProxy=yes\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 4: " },
    { "[Workspace]\nVersion=1\n[Tabs 1]\n", TINCAN_WORKSPACE_ERROR_UNKNOWN, "Line 3: " },
    { "[Workspace]\nVersion=1\n[Tab 01]\n", TINCAN_WORKSPACE_ERROR_UNKNOWN, "Line 3: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nHost=a\nHots=b\n", TINCAN_WORKSPACE_ERROR_UNKNOWN, "Line 5: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nName[de]=b\n", TINCAN_WORKSPACE_ERROR_UNKNOWN, "Line 4: " },
    { "# x\n[Tab 1]\n[Workspace]\nVersion=1\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 2: " },
    { "", TINCAN_WORKSPACE_ERROR_PARSE, "Line 1: " },
    { "[Workspace]\nSelectedTab=0\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 1: " },
    { "[Workspace]\nVersion=2\n[Future]\n", TINCAN_WORKSPACE_ERROR_VERSION,
      "Line 2: This workspace was made by a newer Tincan (format 2; this version reads format 1)." },
    { "[Workspace]\nVersion=1\nSelectedTab=2\n[Tab 1]\n", TINCAN_WORKSPACE_ERROR_VALUE, "Line 3: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\n[Tab 1]\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 4: " },
    { "[Workspace]\nVersion=1\nVersion=1\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 3: " },
    { "[Workspace]\nVersion=1\n[Tab 1]\nName=\xff\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 4: " },
    { "Version=1\n[Workspace]\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 1: " },
    { "[Workspace\nVersion=1\n", TINCAN_WORKSPACE_ERROR_PARSE, "Line 1: " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TincanWorkspace) workspace = tincan_workspace_new_from_data (cases[i].text, -1, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error ? error->message : "(no error)");
      g_assert_null (workspace);
      g_assert_error (error, TINCAN_WORKSPACE_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].starts));
    }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_save_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-workspace-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "work.tincan", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "work.tincan", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(TincanWorkspace) workspace = sample ();
  g_autoptr(TincanWorkspace) back = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *seen = NULL;
  gsize seen_length = 0;
  int old_fd;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "old content\n", -1, &error));
  old_fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (old_fd, >=, 0);

  g_assert_true (tincan_workspace_save (workspace, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  /* Replaced by a rename: the old file, still open, is whole and unchanged. */
  old_text = g_malloc0 (64);
  g_assert_cmpint (read (old_fd, old_text, 63), ==, 12);
  g_assert_cmpstr (old_text, ==, "old content\n");
  close (old_fd);

  back = tincan_workspace_load (file, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_workspace_equal (workspace, back));
  g_assert_true (g_file_get_contents (path, &seen, &seen_length, NULL));

  g_assert_false (tincan_workspace_save (workspace, missing_file, &error));
  g_assert_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_assert_null (tincan_workspace_load (missing_file, &error));
  g_assert_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_READ);

  g_unlink (path);
  g_rmdir (dir);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_workspace_save_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  TincanWorkspace **out = user_data;

  *out = tincan_workspace_load_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
loaded (gpointer user_data)
{
  return *(TincanWorkspace **) user_data != NULL;
}

static void
test_async (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-workspace-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "work.tincan", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TincanWorkspace) workspace = sample ();
  g_autoptr(TincanWorkspace) expected = tincan_workspace_copy (workspace);
  TincanWorkspace *back = NULL;
  gboolean saved = FALSE;

  tincan_workspace_save_async (workspace, file, NULL, save_done_cb, &saved);
  /* The text was made at the call: a change now is not saved. */
  g_ptr_array_set_size (tincan_workspace_get_tabs (workspace), 0);
  tincan_test_wait_until (context, &saved, 30000);
  tincan_workspace_load_async (file, NULL, load_done_cb, &back);
  tincan_test_wait_for (context, loaded, &back, 30000);
  g_assert_true (tincan_workspace_equal (expected, back));
  tincan_workspace_unref (back);
  g_unlink (path);
  g_rmdir (dir);
  tincan_test_pop_context (context);
}

static void
test_packet_sender (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "packet-sender-export.json", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) workspace = NULL;
  GPtrArray *connections, *messages;
  TincanWorkspaceConnection *c;
  TincanWorkspaceMessage *m;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  workspace = tincan_workspace_import_packet_sender (data, length, &problems, &error);
  g_assert_no_error (error);
  connections = tincan_workspace_get_connections (workspace);
  messages = tincan_workspace_get_messages (workspace);
  g_assert_cmpuint (tincan_workspace_get_tabs (workspace)->len, ==, 0);
  g_assert_cmpuint (connections->len, ==, 3);
  g_assert_cmpuint (messages->len, ==, 4);
  c = g_ptr_array_index (connections, 0);
  g_assert_cmpstr (c->name, ==, "Hello");
  g_assert_cmpstr (c->host, ==, "127.0.0.1");
  g_assert_cmpuint (c->port, ==, 5005);
  g_assert_cmpint (c->transport, ==, TINCAN_TRANSPORT_TCP);
  c = g_ptr_array_index (connections, 1);
  g_assert_cmpstr (c->host, ==, "::1");
  g_assert_cmpint (c->transport, ==, TINCAN_TRANSPORT_UDP);
  c = g_ptr_array_index (connections, 2);
  g_assert_cmpint (c->transport, ==, TINCAN_TRANSPORT_TLS);
  m = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (m->payload, ==, "48 65 6c 6c 6f");
  g_assert_cmpint (m->format, ==, TINCAN_PAYLOAD_FORMAT_HEX);
  g_assert_cmpuint (m->repeat_ms, ==, 0);
  m = g_ptr_array_index (messages, 1);
  g_assert_cmpuint (m->repeat_ms, ==, 1500);
  m = g_ptr_array_index (messages, 2);
  g_assert_cmpuint (m->repeat_ms, ==, 2000);

  g_assert_cmpuint (g_strv_length (problems), ==, 3);
  g_assert_true (g_str_has_prefix (problems[0], "Packet 5 (“Page”) was skipped: "));
  g_assert_nonnull (strstr (problems[0], "HTTP GET"));
  g_assert_true (g_str_has_prefix (problems[1], "Packet 6 (“Bad port”) was skipped: "));
  g_assert_true (g_str_has_prefix (problems[2], "Packet 7 (“Bad hex”) was skipped: "));

  /* The import saves as a workspace and reads back. */
  {
    g_autofree char *text = tincan_workspace_to_data (workspace, NULL);
    g_autoptr(TincanWorkspace) back = tincan_workspace_new_from_data (text, -1, &error);

    g_assert_no_error (error);
    g_assert_true (tincan_workspace_equal (workspace, back));
  }
}

static void
test_packet_sender_errors (void)
{
  const char *bad[] = { "not json", "{\"name\": \"x\"}", "[{}, 3]", "" };
  g_auto(GStrv) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) empty = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (tincan_workspace_import_packet_sender (bad[i], strlen (bad[i]), NULL, &error));
      g_assert_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_PARSE);
      g_clear_error (&error);
    }
  empty = tincan_workspace_import_packet_sender ("[{\"name\": 5, \"toip\": [1]}]", -1, &problems,
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_cmpuint (tincan_workspace_get_messages (empty)->len, ==, 0);
}

/* The full example in docs/workspace.md reads. */
static void
test_doc_example (void)
{
  const char *mark = "<!-- tested by tests/test-workspace.c -->\n```ini\n";
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "workspace.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *example = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) workspace = NULL;
  const char *start, *end;

  if (!g_file_get_contents (path, &doc, NULL, NULL))
    {
      g_test_skip ("docs/workspace.md is not beside the tests");
      return;
    }
  start = strstr (doc, mark);
  g_assert_nonnull (start);
  start += strlen (mark);
  end = strstr (start, "```\n");
  g_assert_nonnull (end);
  example = g_strndup (start, end - start);
  workspace = tincan_workspace_new_from_data (example, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tincan_workspace_get_tabs (workspace)->len, >, 0);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/workspace/round-trip", test_round_trip);
  g_test_add_func ("/net/workspace/defaults-and-order", test_defaults_and_order);
  g_test_add_func ("/net/workspace/malformed", test_malformed);
  g_test_add_func ("/net/workspace/save-load", test_save_load);
  g_test_add_func ("/net/workspace/async", test_async);
  g_test_add_func ("/net/workspace/packet-sender", test_packet_sender);
  g_test_add_func ("/net/workspace/packet-sender-errors", test_packet_sender_errors);
  g_test_add_func ("/net/workspace/doc-example", test_doc_example);

  return g_test_run ();
}
