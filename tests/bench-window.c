/* bench-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real window under a flood: a server thread writes N LF-framed 64-byte
 * lines as fast as it can; we count them all, measure the longest main-loop
 * stall with a high-priority timer, and report memory per transcript entry.
 * The window logs to a file (--log=FILE) unless --no-log is given: the log
 * must be complete, every entry on disk, within 1.5 s of the last byte.
 *
 *   meson test -C _build --benchmark window -v
 *   (or: xvfb-run -a _build/tests/bench-window [--lines N] [--no-log])
 */

#include <fcntl.h>
#include <locale.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tincan-application.h"
#include "tincan-test-util.h"
#include "tincan-window.h"

#define LINE_LENGTH 64
#define TICK_MS 5
#define LOG_LAG_TARGET 1.5

static guint n_lines = 1000000;
static gboolean with_log = TRUE;

typedef struct
{
  int      listener;
  guint16  port;
  GThread *thread;
  gint64   last_byte;   /* when the last write returned; read after the join */
} FloodServer;

static gpointer
flood_thread (gpointer data)
{
  FloodServer *server = data;
  const guint lines_per_chunk = 1024;
  g_autofree char *chunk = g_malloc (LINE_LENGTH * lines_per_chunk);
  int fd = accept (server->listener, NULL, NULL);

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < lines_per_chunk; i++)
    {
      memset (chunk + i * LINE_LENGTH, 'a' + i % 26, LINE_LENGTH - 1);
      chunk[i * LINE_LENGTH + LINE_LENGTH - 1] = '\n';
    }

  for (guint sent = 0; sent < n_lines;)
    {
      guint n = MIN (lines_per_chunk, n_lines - sent);
      gsize off = 0, len = (gsize) n * LINE_LENGTH;

      while (off < len)
        {
          ssize_t w = write (fd, chunk + off, len - off);
          g_assert_cmpint (w, >, 0);
          off += w;
        }
      sent += n;
    }
  server->last_byte = g_get_monotonic_time ();

  /* Leave the connection open: the session must count, not wait for EOF. */
  return GINT_TO_POINTER (fd);
}

static void
flood_server_start (FloodServer *server)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;

  server->listener = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (bind (server->listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (server->listener, 1), ==, 0);
  g_assert_cmpint (getsockname (server->listener, (struct sockaddr *) &addr, &len), ==, 0);
  server->port = ntohs (addr.sin_port);
  server->thread = g_thread_new ("flood", flood_thread, server);
}

/* Lines in @path, to check that the log holds every entry. */
static guint64
count_lines (const char *path)
{
  g_autofree char *buffer = g_malloc (1024 * 1024);
  guint64 lines = 0;
  ssize_t n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  while ((n = read (fd, buffer, 1024 * 1024)) > 0)
    for (char *p = buffer; (p = memchr (p, '\n', buffer + n - p)) != NULL; p++)
      lines++;
  g_assert_cmpint (n, ==, 0);
  close (fd);
  return lines;
}

typedef struct
{
  char      *dir;
  char      *path;
  TincanLog *log;
} BenchLog;

static void
bench_log_open (BenchLog           *bench,
                TincanConversation *conversation)
{
  g_autoptr(GError) error = NULL;

  bench->dir = g_dir_make_tmp ("tincan-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  bench->path = g_build_filename (bench->dir, "log.jsonl", NULL);
  bench->log = tincan_log_open (bench->path, &error);
  g_assert_no_error (error);
  tincan_conversation_set_log (conversation, bench->log);
}

/* Waits for the log to be on disk and says how long after @start and
 * @last_byte that was; returns whether it was complete in time. */
static gboolean
bench_log_finish (BenchLog *bench,
                  gint64    start,
                  gint64    last_byte,
                  double    window_seconds)
{
  g_autoptr(GError) error = NULL;
  gboolean written = tincan_log_wait (bench->log, 60 * G_USEC_PER_SEC, &error);
  gint64 done = g_get_monotonic_time ();
  double lag = (done - last_byte) / (double) G_USEC_PER_SEC;
  double seconds = (done - start) / (double) G_USEC_PER_SEC;
  guint64 lines = count_lines (bench->path);
  GStatBuf buf;

  g_assert_cmpint (g_stat (bench->path, &buf), ==, 0);
  g_print ("  log             %" G_GUINT64_FORMAT " lines, %.1f MB (%.0f bytes per line), "
           "on disk %.2f s after the connect\n",
           lines, buf.st_size / 1e6, (double) buf.st_size / MAX (lines, 1), seconds);
  g_print ("  log lag         %.2f s after the last byte (target <= %.1f); "
           "log on disk / window counted = %.2f\n",
           lag, LOG_LAG_TARGET, seconds / window_seconds);
  if (!written)
    g_print ("  log problem     %s\n", error->message);

  g_unlink (bench->path);
  g_rmdir (bench->dir);
  g_free (bench->path);
  g_free (bench->dir);
  g_object_unref (bench->log);
  return written && lines >= n_lines && lag <= LOG_LAG_TARGET;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TincanApplication) app = NULL;
  g_autoptr(TincanTarget) target = g_new0 (TincanTarget, 1);
  g_autoptr(TincanFraming) framing = NULL;
  TincanWindow *window;
  TincanConversation *conversation;
  TincanSession *session;
  TincanTranscript *transcript;
  FloodServer server = { 0 };
  TincanTestStallProbe probe;
  BenchLog bench_log = { 0 };
  int flood_fd;
  gsize rss_before, rss_after, payload;
  double per_entry, seconds, stall_ms;
  gint64 start, deadline;
  guint tick_id, frames = 0;
  gboolean ok;

  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--lines") && i + 1 < argc)
      n_lines = g_ascii_strtoull (argv[++i], NULL, 10);
    else if (g_str_equal (argv[i], "--no-log"))
      with_log = FALSE;

  if (!gtk_init_check ())
    {
      g_printerr ("bench-window: no display (run under xvfb-run)\n");
      return 77;
    }

  app = tincan_application_new ("io.github.tincan.Tincan.Bench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  window = tincan_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  conversation = tincan_window_get_conversation (window);
  session = tincan_conversation_get_session (conversation);
  transcript = tincan_conversation_get_transcript (conversation);
  tincan_transcript_set_limit (transcript, n_lines + 1000);

  flood_server_start (&server);
  target->host = g_strdup ("127.0.0.1");
  target->port = server.port;
  framing = tincan_framing_new_from_name ("lf", NULL);
  tincan_conversation_set_target (conversation, target);
  tincan_conversation_set_framing (conversation, framing);
  tincan_conversation_set_mode (conversation, TINCAN_CONNECTION_PERSISTENT);
  if (with_log)
    bench_log_open (&bench_log, conversation);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  rss_before = tincan_test_read_rss_kib () * 1024;

  tincan_test_stall_probe_start (&probe, TICK_MS);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame_cb, &frames, NULL);
  start = g_get_monotonic_time ();
  deadline = start + 180 * G_USEC_PER_SEC;
  tincan_conversation_connect (conversation);

  while ((tincan_session_get_messages_received (session) < n_lines ||
          tincan_transcript_get_n_pending (transcript) > 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  flood_fd = GPOINTER_TO_INT (g_thread_join (server.thread));
  tincan_test_stall_probe_stop (&probe);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);

  /* Let the last frame paint, then weigh what the transcript holds. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  rss_after = tincan_test_read_rss_kib () * 1024;
  payload = (gsize) n_lines * (LINE_LENGTH - 1);
  per_entry = ((double) rss_after - rss_before - payload) / n_lines;
  stall_ms = probe.worst_us / 1000.0;

  g_print ("window flood: %u lines of %d bytes, LF framing, 1 window under Xvfb\n",
           n_lines, LINE_LENGTH);
  g_print ("  received        %" G_GUINT64_FORMAT " messages in %.2f s (%.0f msg/s)\n",
           tincan_session_get_messages_received (session), seconds,
           tincan_session_get_messages_received (session) / seconds);
  g_print ("  transcript      %u entries\n", g_list_model_get_n_items (G_LIST_MODEL (transcript)));
  g_print ("  longest stall   %.1f ms (high-priority %d ms timer lateness; target <= 50)\n",
           stall_ms, TICK_MS);
  g_print ("  frames painted  %u during the flood (%.0f per second; the UI kept drawing)\n",
           frames, frames / seconds);
  g_print ("  peak RSS        %.1f MiB\n", tincan_test_read_status_kib ("VmHWM") * 1024 / 1048576.0);
  g_print ("  RSS per entry   %.0f bytes beyond the %d-byte payload (target <= 200)\n",
           per_entry, LINE_LENGTH - 1);

  ok = tincan_session_get_messages_received (session) == n_lines &&
       stall_ms <= 50.0 && per_entry <= 200.0;
  if (with_log)
    ok = bench_log_finish (&bench_log, start, server.last_byte, seconds) && ok;
  g_print ("%s\n", ok ? "PASS" : "FAIL");

  gtk_window_destroy (GTK_WINDOW (window));
  close (flood_fd);
  close (server.listener);

  return ok ? 0 : 1;
}
