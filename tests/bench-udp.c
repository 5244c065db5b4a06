/* bench-udp.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real window under a UDP flood: a sender thread sends RATE datagrams a
 * second for SECONDS to whoever said hello, first to a plain reader (a
 * thread doing nothing but recv(), the baseline), then to the window's
 * session. Kept = received / sent; the window must keep at least 90 % and
 * at least 0.9 of what the plain reader kept in the same run; drops the
 * kernel reported must add up.
 *
 *   meson test -C _build --benchmark udp -v
 *   (or: xvfb-run -a _build/tests/bench-udp [--rate N] [--seconds S])
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tincan-application.h"
#include "tincan-test-util.h"
#include "tincan-window.h"

#define DATAGRAM_LENGTH 64
#define BURST 100

static guint rate = 100000;
static guint seconds = 3;

typedef struct
{
  int      fd;
  guint16  port;
  GThread *thread;
  guint64  sent;
} Sender;

/* Waits for a hello, then sends to its source, paced in bursts of BURST. */
static gpointer
sender_thread (gpointer data)
{
  Sender *sender = data;
  struct sockaddr_storage peer;
  socklen_t peer_length = sizeof peer;
  char hello[64];
  char datagram[DATAGRAM_LENGTH];
  guint64 total = (guint64) rate * seconds;
  gint64 start;

  g_assert_cmpint (recvfrom (sender->fd, hello, sizeof hello, 0,
                             (struct sockaddr *) &peer, &peer_length), >=, 0);
  memset (datagram, 'u', sizeof datagram);
  start = g_get_monotonic_time ();
  for (guint64 i = 0; i < total; i++)
    {
      if (i % BURST == 0)
        {
          gint64 due = start + (gint64) (i * G_USEC_PER_SEC / rate);
          gint64 now = g_get_monotonic_time ();

          /* Pacing the sender, not synchronising with anything. */
          if (due > now)
            g_usleep (due - now);
        }
      memcpy (datagram, &i, sizeof i);
      if (sendto (sender->fd, datagram, sizeof datagram, 0,
                  (struct sockaddr *) &peer, peer_length) == sizeof datagram)
        sender->sent++;
    }
  return NULL;
}

static void
sender_start (Sender *sender)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;

  *sender = (Sender) { .fd = socket (AF_INET, SOCK_DGRAM, 0) };
  g_assert_cmpint (bind (sender->fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (sender->fd, (struct sockaddr *) &addr, &len), ==, 0);
  sender->port = ntohs (addr.sin_port);
  sender->thread = g_thread_new ("udp-sender", sender_thread, sender);
}

static void
sender_finish (Sender *sender)
{
  g_thread_join (sender->thread);
  close (sender->fd);
}

/* The baseline: a connected socket and a thread that only counts, with
 * the socket's default receive buffer, as a plain program would have. */
static double
run_plain_reader (void)
{
  Sender sender;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  struct timeval idle = { .tv_sec = 0, .tv_usec = 500 * 1000 };
  int fd = socket (AF_INET, SOCK_DGRAM, 0);
  char buffer[65536];
  guint64 received = 0;

  sender_start (&sender);
  addr.sin_port = htons (sender.port);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  /* The end of the flood is half a second without a datagram. */
  g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle), ==, 0);
  g_assert_cmpint (send (fd, "hello", 5, 0), ==, 5);
  while (recv (fd, buffer, sizeof buffer, 0) >= 0)
    received++;
  sender_finish (&sender);
  close (fd);

  g_print ("  plain reader    %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " kept (%.1f %%)\n",
           received, sender.sent, 100.0 * received / sender.sent);
  return (double) received / sender.sent;
}

static gboolean
connected (gpointer data)
{
  return tincan_session_get_state (data) == TINCAN_SESSION_CONNECTED;
}

typedef struct
{
  TincanSession *session;
  Sender        *sender;
  guint64        last_count;
  gint64         last_change;
} Settle;

/* Done when the sender is done and nothing arrived for half a second. */
static gboolean
settled (gpointer data)
{
  Settle *settle = data;
  guint64 count = tincan_session_get_messages_received (settle->session);
  gint64 now = g_get_monotonic_time ();

  if (count != settle->last_count)
    {
      settle->last_count = count;
      settle->last_change = now;
    }
  return settle->sender->sent == (guint64) rate * seconds &&
         now - settle->last_change > G_USEC_PER_SEC / 2;
}

static double
run_window (TincanApplication *app)
{
  g_autoptr(TincanTarget) target = g_new0 (TincanTarget, 1);
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;
  TincanWindow *window = tincan_window_new (app);
  TincanConversation *conversation = tincan_window_get_conversation (window);
  TincanSession *session = tincan_conversation_get_session (conversation);
  TincanTranscript *transcript = tincan_conversation_get_transcript (conversation);
  Sender sender;
  Settle settle = { .session = session, .sender = &sender };
  guint64 received;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  tincan_transcript_set_limit (transcript, rate * seconds + 1000);

  sender_start (&sender);
  target->transport = TINCAN_TRANSPORT_UDP;
  target->host = g_strdup ("127.0.0.1");
  target->port = sender.port;
  tincan_conversation_set_target (conversation, target);
  tincan_conversation_connect (conversation);
  tincan_test_wait_for (NULL, connected, session, 10000);
  g_assert_true (tincan_session_send (session, hello, &error));
  g_assert_no_error (error);

  settle.last_change = g_get_monotonic_time ();
  tincan_test_wait_for (NULL, settled, &settle, (seconds + 60) * 1000);
  sender_finish (&sender);

  received = tincan_session_get_messages_received (session);
  g_print ("  window          %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " kept (%.1f %%)\n",
           received, sender.sent, 100.0 * received / sender.sent);
  gtk_window_destroy (GTK_WINDOW (window));
  return (double) received / sender.sent;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TincanApplication) app = NULL;
  double plain, window;
  gboolean ok;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--rate"))
        rate = g_ascii_strtoull (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--seconds"))
        seconds = g_ascii_strtoull (argv[i + 1], NULL, 10);
    }

  if (!gtk_init_check ())
    {
      g_printerr ("bench-udp: no display (run under xvfb-run)\n");
      return 77;
    }

  app = tincan_application_new ("io.github.tincan.Tincan.BenchUdp", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_print ("UDP flood: %u datagrams/s of %d bytes for %u s, 127.0.0.1, 1 window under Xvfb\n",
           rate, DATAGRAM_LENGTH, seconds);
  plain = run_plain_reader ();
  window = run_window (app);
  g_print ("  window / plain  %.2f (target >= 0.9, and window >= 90 %% kept)\n", window / plain);

  ok = window >= 0.9 && window / plain >= 0.9;
  g_print ("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
