/* bench-tabs.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Many tabs stay cheap (issue 15): one window with 50 tabs, 40 of them
 * connected to the built-in echo server and idle, 10 connected to flood
 * servers that each write N LF-framed 64-byte lines as fast as they can.
 * Measured: the longest main-loop stall while the 10 are flooded (a
 * high-priority timer's lateness; target <= 50 ms), and what one idle,
 * connected tab costs in RSS beyond its (empty) transcript (target <= 200
 * KiB): RSS with 10 idle tabs connected, then with 40, over 30. The same
 * run first floods one tab of a window of its own, as the baseline the
 * 10-tab stall is set against.
 *
 *   meson test -C _build --benchmark tabs -v
 *   (or: xvfb-run -a _build/tests/bench-tabs [--lines N])
 */

#include "config.h"

#include <locale.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tincan-application.h"
#include "tincan-echo-server.h"
#include "tincan-test-util.h"
#include "tincan-window.h"

#define LINE_LENGTH 64
#define TICK_MS 5
#define N_TABS 50
#define N_FLOODED 10

static guint n_lines = 100000;

typedef struct
{
  int      listener;
  guint16  port;
} FloodServer;

/* One client: @n_lines lines, then the connection stays open. */
static gpointer
flood_client_thread (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  const guint per_chunk = 1024;
  g_autofree char *chunk = g_malloc (LINE_LENGTH * per_chunk);

  for (guint i = 0; i < per_chunk; i++)
    {
      memset (chunk + i * LINE_LENGTH, 'a' + i % 26, LINE_LENGTH - 1);
      chunk[i * LINE_LENGTH + LINE_LENGTH - 1] = '\n';
    }
  for (guint sent = 0; sent < n_lines;)
    {
      guint n = MIN (per_chunk, n_lines - sent);
      gsize off = 0, len = (gsize) n * LINE_LENGTH;

      while (off < len)
        {
          ssize_t w = write (fd, chunk + off, len - off);
          g_assert_cmpint (w, >, 0);
          off += w;
        }
      sent += n;
    }
  return GINT_TO_POINTER (fd);
}

static gpointer
flood_accept_thread (gpointer data)
{
  FloodServer *server = data;
  int fd;

  while ((fd = accept (server->listener, NULL, NULL)) >= 0)
    g_thread_unref (g_thread_new ("flood-client", flood_client_thread, GINT_TO_POINTER (fd)));
  return NULL;
}

static void
flood_server_start (FloodServer *server)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;

  server->listener = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (bind (server->listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (server->listener, N_FLOODED + 1), ==, 0);
  g_assert_cmpint (getsockname (server->listener, (struct sockaddr *) &addr, &len), ==, 0);
  server->port = ntohs (addr.sin_port);
  g_thread_unref (g_thread_new ("flood-accept", flood_accept_thread, server));
}

static void
connect_tab (TincanConversation *conversation,
             guint16             port,
             gboolean            lf)
{
  g_autoptr(TincanTarget) target = g_new0 (TincanTarget, 1);
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (lf ? "lf" : "raw", NULL);

  target->host = g_strdup ("127.0.0.1");
  target->port = port;
  tincan_conversation_set_target (conversation, target);
  tincan_conversation_set_framing (conversation, framing);
  tincan_conversation_set_mode (conversation, TINCAN_CONNECTION_PERSISTENT);
  tincan_conversation_connect (conversation);
}

static gboolean
all_connected (TincanConversation **tabs,
               guint                n)
{
  for (guint i = 0; i < n; i++)
    if (tincan_session_get_state (tincan_conversation_get_session (tabs[i])) !=
        TINCAN_SESSION_CONNECTED)
      return FALSE;
  return TRUE;
}

static void
wait_connected (TincanConversation **tabs,
                guint                n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!all_connected (tabs, n) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (all_connected (tabs, n));
}

static guint64
received (TincanConversation **tabs,
          guint                n)
{
  guint64 sum = 0;

  for (guint i = 0; i < n; i++)
    sum += tincan_session_get_messages_received (tincan_conversation_get_session (tabs[i]));
  return sum;
}

/* Floods @n tabs and returns the longest stall in ms (or -1 when not all
 * lines came within the deadline). */
static double
flood (TincanConversation **tabs,
       guint                n,
       guint16              port,
       double              *seconds)
{
  TincanTestStallProbe probe;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + 300 * G_USEC_PER_SEC;

  tincan_test_stall_probe_start (&probe, TICK_MS);
  for (guint i = 0; i < n; i++)
    connect_tab (tabs[i], port, TRUE);
  while (received (tabs, n) < (guint64) n * n_lines && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  tincan_test_stall_probe_stop (&probe);
  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  return received (tabs, n) == (guint64) n * n_lines ? probe.worst_us / 1000.0 : -1;
}

static void
settle (void)
{
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TincanApplication) app = NULL;
  g_autoptr(TincanEchoServer) echo = NULL;
  g_autoptr(GError) error = NULL;
  TincanConversation *tabs[N_TABS];
  TincanConversation *alone;
  TincanWindow *window;
  FloodServer server = { 0 };
  gsize rss_10, rss_50;
  double per_tab_kib, alone_ms, stall_ms, alone_s, seconds;
  gboolean ok;

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--lines") && i + 1 < argc)
      n_lines = g_ascii_strtoull (argv[++i], NULL, 10);

  if (!gtk_init_check ())
    {
      g_printerr ("bench-tabs: no display (run under xvfb-run)\n");
      return 77;
    }

  app = tincan_application_new ("io.github.tincan.Tincan.BenchTabs", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  echo = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);
  g_assert_true (tincan_echo_server_start (echo, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  flood_server_start (&server);

  /* The baseline: one tab flooded alone, in a window of its own. */
  window = tincan_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  alone = tincan_window_get_conversation (window);
  settle ();
  alone_ms = flood (&alone, 1, server.port, &alone_s);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();

  window = tincan_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  tabs[0] = tincan_window_get_conversation (window);
  for (guint i = 1; i < N_TABS; i++)
    tabs[i] = tincan_window_add_tab (window, NULL);
  tincan_window_select_tab (window, tabs[0]);

  /* The idle cost: 10 tabs connected, then 50. */
  for (guint i = N_FLOODED; i < 2 * N_FLOODED; i++)
    connect_tab (tabs[i], tincan_echo_server_get_port (echo), FALSE);
  wait_connected (tabs + N_FLOODED, N_FLOODED);
  settle ();
  rss_10 = tincan_test_read_rss_kib ();
  for (guint i = 2 * N_FLOODED; i < N_TABS; i++)
    connect_tab (tabs[i], tincan_echo_server_get_port (echo), FALSE);
  wait_connected (tabs + N_FLOODED, N_TABS - N_FLOODED);
  settle ();
  rss_50 = tincan_test_read_rss_kib ();
  per_tab_kib = ((double) rss_50 - rss_10) / (N_TABS - 2 * N_FLOODED);

  /* Ten at once, the selected one among them (it paints; the others take
   * their rows in the background). */
  stall_ms = flood (tabs, N_FLOODED, server.port, &seconds);

  g_print ("tabs: %d tabs in one window under Xvfb, %d connected to the echo server\n",
           N_TABS, N_TABS - N_FLOODED);
  g_print ("  idle tab        %.0f KiB of RSS each, connected, empty transcript "
           "(target <= 200)\n", per_tab_kib);
  g_print ("  1 tab flooded   %u lines in %.2f s, longest stall %.1f ms (baseline)\n",
           n_lines, alone_s, alone_ms);
  g_print ("  %d tabs flooded  %u lines each in %.2f s, longest stall %.1f ms "
           "(target <= 50; %.2f x the baseline)\n",
           N_FLOODED, n_lines, seconds, stall_ms, alone_ms > 0 ? stall_ms / alone_ms : 0);
  g_print ("  peak RSS        %.1f MiB\n", tincan_test_read_status_kib ("VmHWM") / 1024.0);

  ok = alone_ms >= 0 && stall_ms >= 0 && stall_ms <= 50.0 && per_tab_kib <= 200.0;
  g_print ("%s\n", ok ? "PASS" : "FAIL");

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  tincan_echo_server_stop (echo);
  close (server.listener);
  return ok ? 0 : 1;
}
