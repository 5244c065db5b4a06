/* bench-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Benchmarks of TincanSession against plain blocking C clients, in one run,
 * over loopback:
 *
 *   1. ping-pong: 64-byte LF messages, one at a time, through an echo server
 *      thread: round trips per second, session vs socket/write/read loop;
 *   2. raw flood: a server thread writes N bytes (default 1 GiB) as fast as
 *      it can: MB/s through the session (raw framing) vs a read() loop;
 *   3. LF flood: 64-byte lines: messages per second through the session
 *      (decoder, message objects, batched delivery, a handler that counts).
 *
 * Exits non-zero when a target is missed:
 *   meson test -C _build --benchmark session      (or run bench-session -h)
 */

#include "config.h"

#include <locale.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "tincan-session.h"

#define MESSAGE_SIZE 64
#define READ_SIZE (64 * 1024)

#define PINGPONG_ROUNDS 8
#define FLOOD_ROUNDS 4

#define TARGET_PINGPONG_RATIO 0.5
#define TARGET_FLOOD_RATIO    0.5
#define TARGET_LINES_PER_S    2000000.0

static gint64 flood_mib = 1024;
static gint64 lines_mib = 256;
static double pingpong_seconds = 2.0;

static GOptionEntry entries[] = {
  { "flood-mib", 0, 0, G_OPTION_ARG_INT64, &flood_mib,
    "Size of the raw flood in MiB (1–16384, default 1024)", "MIB" },
  { "lines-mib", 0, 0, G_OPTION_ARG_INT64, &lines_mib,
    "Size of the LF flood in MiB (1–16384, default 256)", "MIB" },
  { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &pingpong_seconds,
    "Duration of each ping-pong run (0.1–30, default 2)", "S" },
  { NULL }
};

/* Servers: threads with blocking sockets, one connection at a time. */

typedef enum
{
  SERVE_ECHO,
  SERVE_FLOOD,
} ServeKind;

typedef struct
{
  ServeKind     kind;
  int           listen_fd;
  guint16       port;
  guint         n_connections;
  gsize         flood_bytes;
  const guint8 *block;          /* flood content, repeated; a multiple of 64 bytes */
  gsize         block_size;
  GThread      *thread;
} Server;

static void
set_nodelay (int fd)
{
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void
serve_echo (int fd)
{
  guint8 buffer[READ_SIZE];

  for (;;)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);
      ssize_t done = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;

      while (done < n)
        {
          ssize_t w = send (fd, buffer + done, (size_t) (n - done), MSG_NOSIGNAL);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            return;
          done += w;
        }
    }
}

static void
serve_flood (Server *server,
             int     fd)
{
  gsize sent = 0;

  while (sent < server->flood_bytes)
    {
      gsize want = MIN (server->block_size, server->flood_bytes - sent);
      ssize_t n = send (fd, server->block, want, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      sent += (gsize) n;
      /* A short send leaves the block out of step: finish it. */
      while ((gsize) n < want)
        {
          ssize_t m = send (fd, server->block + n, want - (gsize) n, MSG_NOSIGNAL);

          if (m < 0 && errno == EINTR)
            continue;
          if (m <= 0)
            return;
          n += m;
          sent += (gsize) m;
        }
    }
}

static gpointer
echo_connection_thread (gpointer user_data)
{
  int fd = GPOINTER_TO_INT (user_data);

  serve_echo (fd);
  close (fd);

  return NULL;
}

static gpointer
server_thread (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(GPtrArray) echo_threads = g_ptr_array_new ();

  for (guint i = 0; i < server->n_connections; i++)
    {
      int fd = accept (server->listen_fd, NULL, NULL);

      if (fd < 0)
        break;
      set_nodelay (fd);
      if (server->kind == SERVE_ECHO)
        {
          /* Both clients stay connected, so that their runs can alternate. */
          g_ptr_array_add (echo_threads,
                           g_thread_new ("echo", echo_connection_thread, GINT_TO_POINTER (fd)));
        }
      else
        {
          serve_flood (server, fd);
          close (fd);
        }
    }

  for (guint i = 0; i < echo_threads->len; i++)
    g_thread_join (g_ptr_array_index (echo_threads, i));

  return NULL;
}

static Server *
server_start (ServeKind kind,
              guint     n_connections)
{
  Server *server = g_new0 (Server, 1);
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int one = 1;

  server->kind = kind;
  server->n_connections = n_connections;
  server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert (server->listen_fd >= 0);
  setsockopt (server->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (server->listen_fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (server->listen_fd, 4) != 0 ||
      getsockname (server->listen_fd, (struct sockaddr *) &address, &length) != 0)
    g_error ("cannot listen on 127.0.0.1: %s", g_strerror (errno));
  server->port = ntohs (address.sin_port);

  return server;
}

static void
server_run (Server *server)
{
  server->thread = g_thread_new ("server", server_thread, server);
}

static void
server_free (Server *server)
{
  shutdown (server->listen_fd, SHUT_RDWR);
  g_thread_join (server->thread);
  close (server->listen_fd);
  g_free (server);
}

/* The plain blocking client */

static int
plain_connect (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = htons (port);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    g_error ("cannot connect to 127.0.0.1 port %u: %s", port, g_strerror (errno));
  set_nodelay (fd);

  return fd;
}

/* Round trips on @fd for @seconds; returns how many. */
static guint64
plain_pingpong (int    fd,
                double seconds)
{
  guint8 message[MESSAGE_SIZE];
  guint8 reply[MESSAGE_SIZE];
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 round_trips = 0;

  memset (message, 'p', sizeof message);
  message[MESSAGE_SIZE - 1] = '\n';

  while (g_get_monotonic_time () < end)
    {
      gsize got = 0;

      if (write (fd, message, sizeof message) != sizeof message)
        g_error ("write failed: %s", g_strerror (errno));
      while (got < sizeof reply)
        {
          ssize_t n = read (fd, reply + got, sizeof reply - got);

          if (n <= 0)
            g_error ("read failed");
          got += (gsize) n;
        }
      round_trips++;
    }

  return round_trips;
}

/* Returns the seconds it took to read @expected bytes. */
static double
plain_flood (guint16 port,
             gsize   expected)
{
  int fd = plain_connect (port);
  guint8 *buffer = g_malloc (READ_SIZE);
  gint64 start = g_get_monotonic_time ();
  gsize total = 0;
  double seconds;

  for (;;)
    {
      ssize_t n = read (fd, buffer, READ_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      total += (gsize) n;
    }

  seconds = (g_get_monotonic_time () - start) / 1e6;
  close (fd);
  g_free (buffer);
  if (total != expected)
    g_error ("plain flood: got %zu bytes of %zu", total, expected);

  return seconds;
}

/* The session */

typedef struct
{
  guint64  received;        /* RECEIVED entries */
  guint64  bytes;
  guint64  batches;
  gboolean closed;
  gboolean connected;
  gboolean failed;
} Counter;

static void
count_cb (TincanSession *session,
          GPtrArray     *messages,
          Counter       *counter)
{
  counter->batches++;

  for (guint i = 0; i < messages->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (messages, i);
      TincanMessageKind direction = tincan_message_get_kind (message);
      gsize length;

      if (direction == TINCAN_MESSAGE_KIND_RECEIVED)
        {
          tincan_message_get_data (message, &length);
          counter->received++;
          counter->bytes += length;
        }
      else if (direction == TINCAN_MESSAGE_KIND_ERROR)
        {
          g_autofree char *text = NULL;

          tincan_message_get_data (message, &length);
          text = g_strndup ((const char *) tincan_message_get_data (message, NULL), length);
          g_printerr ("session error: %s\n", text);
          counter->failed = TRUE;
        }
    }

  if (tincan_session_get_peer_closed (session))
    counter->closed = TRUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;

  if (!tincan_session_connect_finish (TINCAN_SESSION (source), result, &error))
    g_error ("connect failed: %s", error->message);
  counter->connected = TRUE;
}

static TincanSession *
session_connect (guint16     port,
                 const char *framing_name,
                 Counter    *counter)
{
  TincanSession *session = tincan_session_new ();
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (framing_name, NULL);

  tincan_session_set_host (session, "127.0.0.1");
  tincan_session_set_port (session, port);
  tincan_session_set_framing (session, framing);
  g_signal_connect (session, "messages", G_CALLBACK (count_cb), counter);

  tincan_session_connect_async (session, NULL, connected_cb, counter);
  while (!counter->connected)
    g_main_context_iteration (NULL, TRUE);

  return session;
}

static void
session_close (TincanSession *session)
{
  tincan_session_disconnect (session);
  g_object_unref (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Round trips through @session for @seconds; returns how many. */
static guint64
session_pingpong (TincanSession *session,
                  Counter       *counter,
                  double         seconds)
{
  g_autoptr(GBytes) payload = NULL;
  guint8 text[MESSAGE_SIZE - 1];
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 round_trips = 0;

  memset (text, 'p', sizeof text);
  payload = g_bytes_new (text, sizeof text);

  while (g_get_monotonic_time () < end && !counter->failed)
    {
      guint64 before = counter->received;

      if (!tincan_session_send (session, payload, NULL))
        g_error ("send failed");
      while (counter->received == before && !counter->failed)
        g_main_context_iteration (NULL, TRUE);
      round_trips++;
    }

  return round_trips;
}

/* Returns the seconds it took; *messages_per_s gets the RECEIVED entries
 * per second. */
static double
session_flood (guint16     port,
               const char *framing_name,
               gsize       expected,
               double     *messages_per_s)
{
  Counter counter = { 0 };
  TincanSession *session;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  session = session_connect (port, framing_name, &counter);
  while (!counter.closed && !counter.failed)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  if (tincan_session_get_bytes_received (session) != expected)
    g_error ("session flood: got %" G_GUINT64_FORMAT " bytes of %zu",
             tincan_session_get_bytes_received (session), expected);

  if (messages_per_s != NULL)
    *messages_per_s = counter.received / seconds;
  session_close (session);

  return seconds;
}

static gboolean
report (const char *name,
        double      session,
        double      plain,
        const char *unit,
        double      target_ratio)
{
  double ratio = session / plain;
  gboolean ok = ratio >= target_ratio;

  g_print ("%-34s %14.0f %14.0f %-8s %6.2f  (>= %.2f) %s\n",
           name, session, plain, unit, ratio, target_ratio, ok ? "ok" : "MISSED");

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- TincanSession benchmarks");
  g_autoptr(GError) error = NULL;
  gsize flood_bytes;
  gsize lines_bytes;
  guint8 *block;
  gsize block_size = 256 * 1024;
  gboolean ok = TRUE;
  double session_rate, plain_rate, lines_per_s = 0;
  gint64 start = g_get_monotonic_time ();

  setlocale (LC_ALL, "");

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (flood_mib < 1 || flood_mib > 16384 || lines_mib < 1 || lines_mib > 16384 ||
      pingpong_seconds < 0.1 || pingpong_seconds > 30)
    {
      g_printerr ("Out of range: see --help\n");
      return 2;
    }
  flood_bytes = (gsize) flood_mib * 1024 * 1024;
  lines_bytes = (gsize) lines_mib * 1024 * 1024;

  g_print ("%-34s %14s %14s %-8s %6s\n", "benchmark", "session", "plain C", "unit", "ratio");

  /* 1. Ping-pong: the two clients take turns, so that both see the same
   * machine (this VM's speed drifts from second to second). */
  {
    Server *server = server_start (SERVE_ECHO, 2);
    Counter counter = { 0 };
    TincanSession *session;
    int fd;
    guint64 session_trips = 0;
    guint64 plain_trips = 0;

    server_run (server);
    session = session_connect (server->port, "lf", &counter);
    fd = plain_connect (server->port);
    for (guint round = 0; round < PINGPONG_ROUNDS; round++)
      {
        session_trips += session_pingpong (session, &counter, pingpong_seconds / PINGPONG_ROUNDS);
        plain_trips += plain_pingpong (fd, pingpong_seconds / PINGPONG_ROUNDS);
      }
    close (fd);
    session_close (session);
    server_free (server);

    session_rate = session_trips / pingpong_seconds;
    plain_rate = plain_trips / pingpong_seconds;
    ok &= report ("echo ping-pong, 64-byte LF", session_rate, plain_rate, "trips/s",
                  TARGET_PINGPONG_RATIO);
  }

  /* 2. Raw flood */
  block = g_malloc (block_size);
  for (gsize i = 0; i < block_size; i++)
    block[i] = (guint8) ('a' + i % 26);
  {
    /* In turns too, a quarter of the flood at a time. */
    Server *server = server_start (SERVE_FLOOD, 2 * FLOOD_ROUNDS);
    gsize part = flood_bytes / FLOOD_ROUNDS;
    double session_seconds = 0;
    double plain_seconds = 0;

    server->flood_bytes = part;
    server->block = block;
    server->block_size = block_size;
    server_run (server);
    for (guint round = 0; round < FLOOD_ROUNDS; round++)
      {
        session_seconds += session_flood (server->port, "raw", part, NULL);
        plain_seconds += plain_flood (server->port, part);
      }
    server_free (server);
    session_rate = part * FLOOD_ROUNDS / session_seconds / 1e6;
    plain_rate = part * FLOOD_ROUNDS / plain_seconds / 1e6;
    {
      g_autofree char *name = g_strdup_printf ("raw flood, %" G_GINT64_FORMAT " MiB", flood_mib);

      ok &= report (name, session_rate, plain_rate, "MB/s", TARGET_FLOOD_RATIO);
    }
  }

  /* 3. LF flood: 63 bytes and a newline, repeated */
  for (gsize i = 0; i < block_size; i++)
    block[i] = (i % MESSAGE_SIZE == MESSAGE_SIZE - 1) ? '\n' : (guint8) ('a' + i % 26);
  {
    Server *server = server_start (SERVE_FLOOD, 1);
    g_autofree char *name = g_strdup_printf ("LF flood, 64-byte lines, %" G_GINT64_FORMAT " MiB",
                                             lines_mib);
    gboolean lines_ok;

    server->flood_bytes = lines_bytes;
    server->block = block;
    server->block_size = block_size;
    server_run (server);
    session_rate = lines_bytes / session_flood (server->port, "lf", lines_bytes, &lines_per_s) / 1e6;
    server_free (server);

    lines_ok = lines_per_s >= TARGET_LINES_PER_S;
    g_print ("%-34s %14.0f %14s %-8s %6s  (>= %.0f) %s\n",
             name, lines_per_s, "-", "msgs/s", "-", TARGET_LINES_PER_S,
             lines_ok ? "ok" : "MISSED");
    g_print ("%-34s %14.0f %14s %-8s\n", "  (same run, throughput)", session_rate, "-", "MB/s");
    ok &= lines_ok;
  }

  g_free (block);
  g_print ("total time %.1f s: %s\n", (g_get_monotonic_time () - start) / 1e6,
           ok ? "all targets met" : "a target was MISSED");

  return ok ? 0 : 1;
}
