/* test-connection.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Unit tests of TincanConnection over socket pairs: what it reads, decodes,
 * writes and tells its handler, pausing, closing and detaching. The echo
 * server's tests (test-echo-server.c) and the session's run it over TCP,
 * TLS and UDP. */

#include "config.h"

#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tincan-connection.h"
#include "tincan-test-util.h"

#define TIMEOUT_MS 30000

typedef struct
{
  GMainContext     *context;
  int               peer;          /* the other end of the pair */
  TincanConnection *connection;

  guint             depth;         /* inside begin() .. end() */
  guint             dispatches;
  GPtrArray        *received;      /* TincanMessage */
  GArray           *flags;         /* TincanFrameFlags */
  guint             sent;
  gsize             wrote;
  gboolean          eof;
  gboolean          closed;
  guint64           dropped;
  guint             drop_reports;
  GError           *error;
  gboolean          error_writing;
  gboolean          outside_dispatch; /* a callback came outside begin() .. end() */
} Fixture;

static void
check_inside (Fixture *f)
{
  if (f->depth == 0)
    f->outside_dispatch = TRUE;
}

static void
on_begin (gpointer user_data)
{
  Fixture *f = user_data;

  f->depth++;
}

static void
on_end (gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_cmpuint (f->depth, >, 0);
  f->depth--;
  f->dispatches++;
}

static void
on_received (TincanConnection *connection,
             TincanMessage    *message,
             TincanFrameFlags  flags,
             gpointer          user_data)
{
  Fixture *f = user_data;

  check_inside (f);
  g_ptr_array_add (f->received, message);
  g_array_append_val (f->flags, flags);
}

static void
on_wrote (TincanConnection *connection,
          gsize             length,
          gpointer          user_data)
{
  Fixture *f = user_data;

  f->wrote += length;
}

static void
on_sent (TincanConnection *connection,
         TincanWriteItem  *item,
         gpointer          user_data)
{
  Fixture *f = user_data;

  f->sent++;
}

static void
on_eof (TincanConnection *connection,
        gpointer          user_data)
{
  Fixture *f = user_data;

  check_inside (f);
  f->eof = TRUE;
}

static void
on_failed (TincanConnection *connection,
           const GError     *error,
           gboolean          writing,
           gpointer          user_data)
{
  Fixture *f = user_data;

  check_inside (f);
  g_assert_null (f->error);
  f->error = g_error_copy (error);
  f->error_writing = writing;
}

static void
on_closed (TincanConnection *connection,
           gpointer          user_data)
{
  Fixture *f = user_data;

  check_inside (f);
  f->closed = TRUE;
}

static void
on_dropped (TincanConnection *connection,
            guint64           count,
            gpointer          user_data)
{
  Fixture *f = user_data;

  check_inside (f);
  f->dropped += count;
  f->drop_reports++;
}

static const TincanConnectionHandler handler = {
  .begin = on_begin,
  .end = on_end,
  .received = on_received,
  .wrote = on_wrote,
  .sent = on_sent,
  .eof = on_eof,
  .failed = on_failed,
  .closed = on_closed,
  .dropped = on_dropped,
};

/* A connection over @fd, not started yet; framing NULL for datagrams. */
static void
fixture_init (Fixture       *f,
              int            fd,
              int            peer,
              TincanFraming *framing)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->context = tincan_test_push_context ();
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  f->flags = g_array_new (FALSE, FALSE, sizeof (TincanFrameFlags));
  f->peer = peer;

  socket = g_socket_new_from_fd (fd, &error);
  g_assert_no_error (error);
  stream = g_socket_connection_factory_create_connection (socket);

  f->connection = tincan_connection_new (G_IO_STREAM (stream), framing);
  tincan_connection_set_handler (f->connection, &handler, f);
}

/* A started connection over one end of a socket pair of @type. */
static void
fixture_setup (Fixture       *f,
               int            type,
               TincanFraming *framing)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, type | SOCK_CLOEXEC, 0, fds), ==, 0);
  fixture_init (f, fds[0], fds[1], framing);
  tincan_connection_start (f->connection);
}

static void
fixture_teardown (Fixture *f)
{
  if (f->connection != NULL)
    {
      tincan_connection_detach (f->connection);
      /* The close in the background holds the connection until it is done. */
      g_object_add_weak_pointer (G_OBJECT (f->connection), (gpointer *) &f->connection);
      g_object_unref (f->connection);
      while (f->connection != NULL)
        g_main_context_iteration (f->context, TRUE);
    }
  if (f->peer >= 0)
    close (f->peer);
  g_assert_false (f->outside_dispatch);
  g_assert_cmpuint (f->depth, ==, 0);
  g_clear_error (&f->error);
  g_ptr_array_unref (f->received);
  g_array_unref (f->flags);
  tincan_test_pop_context (f->context);
}

static void
peer_write (Fixture    *f,
            const char *data,
            gsize       length)
{
  g_assert_cmpint (write (f->peer, data, length), ==, (gssize) length);
}

static void
assert_message (Fixture    *f,
                guint       index,
                const char *expected,
                TincanFrameFlags flags)
{
  TincanMessage *message = g_ptr_array_index (f->received, index);
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);

  g_assert_cmpint (tincan_message_get_kind (message), ==, TINCAN_MESSAGE_KIND_RECEIVED);
  g_assert_cmpmem (data, length, expected, strlen (expected));
  g_assert_cmpint (g_array_index (f->flags, TincanFrameFlags, index), ==, flags);
}

static gboolean
received_at_least (gpointer user_data)
{
  Fixture *f = ((gpointer *) user_data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) user_data)[1]);

  return f->received->len >= n;
}

static void
wait_received (Fixture *f,
               guint    n)
{
  gpointer data[2] = { f, GUINT_TO_POINTER (n) };

  tincan_test_wait_for (f->context, received_at_least, data, TIMEOUT_MS);
}

static void
test_frames (void)
{
  g_autoptr(TincanFraming) lf = tincan_framing_new_delimiter ((const guint8 *) "\n", 1, FALSE);
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, lf);
  peer_write (&f, "a\nbb\nccc\n", 9);
  wait_received (&f, 3);

  g_assert_cmpuint (f.received->len, ==, 3);
  assert_message (&f, 0, "a", TINCAN_FRAME_COMPLETE);
  assert_message (&f, 1, "bb", TINCAN_FRAME_COMPLETE);
  assert_message (&f, 2, "ccc", TINCAN_FRAME_COMPLETE);
  g_assert_cmpuint (tincan_connection_get_bytes_read (f.connection), ==, 9);
  g_assert_cmpuint (tincan_connection_get_frames_read (f.connection), ==, 3);
  g_assert_cmpuint (f.dispatches, >=, 1);
  g_assert_false (f.eof);

  fixture_teardown (&f);
}

static void
test_eof_partial (void)
{
  g_autoptr(TincanFraming) lf = tincan_framing_new_delimiter ((const guint8 *) "\n", 1, FALSE);
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, lf);
  peer_write (&f, "one\ntw", 6);
  g_assert_cmpint (shutdown (f.peer, SHUT_WR), ==, 0);
  tincan_test_wait_until (f.context, &f.eof, TIMEOUT_MS);

  /* What had arrived of the unfinished frame comes before the end. */
  g_assert_cmpuint (f.received->len, ==, 2);
  assert_message (&f, 0, "one", TINCAN_FRAME_COMPLETE);
  g_assert_true (g_array_index (f.flags, TincanFrameFlags, 1) & TINCAN_FRAME_PARTIAL);
  g_assert_no_error (f.error);

  fixture_teardown (&f);
}

static gboolean
sent_three (gpointer user_data)
{
  return ((Fixture *) user_data)->sent == 3;
}

static void
test_send (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  const char *frames[] = { "first ", "second ", "third" };
  char buffer[64];
  gsize total = 0;
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, raw);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (frames[i], strlen (frames[i]));

      tincan_connection_send (f.connection, tincan_write_item_new (bytes, g_bytes_ref (bytes)),
                              i == 0);
      total += strlen (frames[i]);
    }

  /* The first one was written at once, the others wait for the flush source. */
  g_assert_cmpuint (f.sent, ==, 1);
  g_assert_cmpuint (tincan_connection_get_queue_length (f.connection), ==, 2);
  g_assert_cmpuint (tincan_connection_get_bytes_unwritten (f.connection), ==, total - 6);

  tincan_test_wait_for (f.context, sent_three, &f, TIMEOUT_MS);
  g_assert_cmpuint (f.wrote, ==, total);
  g_assert_cmpuint (tincan_connection_get_bytes_written (f.connection), ==, total);
  g_assert_cmpuint (tincan_connection_get_frames_written (f.connection), ==, 3);
  g_assert_cmpuint (tincan_connection_get_queue_length (f.connection), ==, 0);

  g_assert_cmpint (read (f.peer, buffer, sizeof buffer), ==, (gssize) total);
  g_assert_cmpmem (buffer, total, "first second third", total);

  fixture_teardown (&f);
}

static gboolean
is_closed (gpointer user_data)
{
  return ((Fixture *) user_data)->closed;
}

static void
test_close (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("lost", 4);
  char buffer[8];
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, raw);
  tincan_connection_send (f.connection, tincan_write_item_new (bytes, g_bytes_ref (bytes)), FALSE);
  tincan_connection_close (f.connection);
  g_assert_true (tincan_connection_is_closing (f.connection));
  tincan_test_wait_for (f.context, is_closed, &f, TIMEOUT_MS);

  /* A close does not write what waits, and it is never reported as sent. */
  g_assert_cmpuint (f.sent, ==, 0);
  g_assert_cmpint (read (f.peer, buffer, sizeof buffer), ==, 0);

  fixture_teardown (&f);
}

static void
test_detach (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  char buffer[8];
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, raw);
  peer_write (&f, "late", 4);
  tincan_connection_detach (f.connection);

  /* The owner can drop it at once; the close in the background holds it. */
  g_object_add_weak_pointer (G_OBJECT (f.connection), (gpointer *) &f.connection);
  g_object_unref (f.connection);
  while (f.connection != NULL)
    g_main_context_iteration (f.context, TRUE);
  tincan_test_drain_context (f.context);

  /* A detached connection tells nobody anything, and its socket is closed
   * (reset, since "late" was never read). */
  g_assert_cmpuint (f.received->len, ==, 0);
  g_assert_false (f.closed);
  g_assert_cmpuint (f.dispatches, ==, 0);
  g_assert_cmpint (read (f.peer, buffer, sizeof buffer), <=, 0);

  fixture_teardown (&f);
}

static void
test_pause (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, raw);
  tincan_connection_set_paused (f.connection, TRUE);
  peer_write (&f, "held", 4);
  tincan_test_drain_context (f.context);
  g_assert_cmpuint (f.received->len, ==, 0);

  tincan_connection_set_paused (f.connection, FALSE);
  wait_received (&f, 1);
  assert_message (&f, 0, "held", TINCAN_FRAME_COMPLETE);

  fixture_teardown (&f);
}

static void
test_datagrams (void)
{
  Fixture f;

  fixture_setup (&f, SOCK_DGRAM, NULL);
  g_assert_true (tincan_connection_is_datagram (f.connection));
  g_assert_null (tincan_connection_get_framing (f.connection));

  peer_write (&f, "one", 3);
  peer_write (&f, "", 0);
  peer_write (&f, "two\nthree", 9);
  wait_received (&f, 3);

  /* Each datagram is one message, an empty one included, and no end. */
  assert_message (&f, 0, "one", TINCAN_FRAME_COMPLETE);
  assert_message (&f, 1, "", TINCAN_FRAME_COMPLETE);
  assert_message (&f, 2, "two\nthree", TINCAN_FRAME_COMPLETE);
  g_assert_false (f.eof);

  fixture_teardown (&f);
}

/* Two UDP sockets on 127.0.0.1, connected to each other. */
static void
udp_pair (int fds[2])
{
  struct sockaddr_in addr[2];
  socklen_t length = sizeof addr[0];

  for (int i = 0; i < 2; i++)
    {
      addr[i] = (struct sockaddr_in) { .sin_family = AF_INET,
                                       .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
      fds[i] = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      g_assert_cmpint (bind (fds[i], (struct sockaddr *) &addr[i], sizeof addr[i]), ==, 0);
      g_assert_cmpint (getsockname (fds[i], (struct sockaddr *) &addr[i], &length), ==, 0);
    }
  for (int i = 0; i < 2; i++)
    g_assert_cmpint (connect (fds[i], (struct sockaddr *) &addr[1 - i], sizeof addr[0]), ==, 0);
}

typedef struct
{
  Fixture *f;
  guint64  total;
} Accounted;

static gboolean
all_accounted (gpointer user_data)
{
  Accounted *a = user_data;

  return a->f->received->len + a->f->dropped == a->total;
}

/* A receive buffer that overflowed: every datagram is either received or
 * reported dropped, drops after the last one queued included. */
static void
test_datagram_drops (void)
{
  Fixture f;
  Accounted accounted = { &f, 300 };
  char datagram[1000] = { 0 };
  int fds[2];
  int small = 4096;

  udp_pair (fds);
  fixture_init (&f, fds[0], fds[1], NULL);
  /* After the connection asked for a large buffer: a tiny one. */
  g_assert_cmpint (setsockopt (fds[0], SOL_SOCKET, SO_RCVBUF, &small, sizeof small), ==, 0);
  for (guint i = 0; i < accounted.total; i++)
    g_assert_cmpint (send (f.peer, datagram, sizeof datagram, 0), ==, sizeof datagram);

  tincan_connection_start (f.connection);
  tincan_test_wait_for (f.context, all_accounted, &accounted, TIMEOUT_MS);

  g_assert_cmpuint (f.dropped, >, 0);
  g_assert_cmpuint (f.received->len, >, 0);
  g_assert_cmpuint (tincan_connection_get_datagrams_dropped (f.connection), ==, f.dropped);
  /* One burst, one report. */
  g_assert_cmpuint (f.drop_reports, ==, 1);

  fixture_teardown (&f);
}

static gboolean
has_failed (gpointer user_data)
{
  return ((Fixture *) user_data)->error != NULL;
}

static void
test_write_failure (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("nobody", 6);
  Fixture f;

  fixture_setup (&f, SOCK_STREAM, raw);
  close (f.peer);
  f.peer = -1;
  tincan_connection_send (f.connection, tincan_write_item_new (bytes, g_bytes_ref (bytes)), FALSE);
  tincan_test_wait_for (f.context, has_failed, &f, TIMEOUT_MS);

  /* The end of the stream does not stop writing; the write then fails. */
  g_assert_true (f.error_writing);
  g_assert_true (g_error_matches (f.error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
                 g_error_matches (f.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED));
  g_assert_cmpuint (f.sent, ==, 0);

  fixture_teardown (&f);
}

static void
test_feed_for_testing (void)
{
  g_autoptr(TincanFraming) lf = tincan_framing_new_delimiter ((const guint8 *) "\n", 1, FALSE);
  Fixture f = { 0 };

  f.received = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  f.flags = g_array_new (FALSE, FALSE, sizeof (TincanFrameFlags));
  f.connection = _tincan_connection_new_for_testing (lf);
  tincan_connection_set_handler (f.connection, &handler, &f);

  _tincan_connection_feed_for_testing (f.connection, (const guint8 *) "x\ny", 3, TRUE);

  /* One dispatch: both frames, then the end. */
  g_assert_cmpuint (f.dispatches, ==, 1);
  g_assert_cmpuint (f.received->len, ==, 2);
  assert_message (&f, 0, "x", TINCAN_FRAME_COMPLETE);
  g_assert_true (g_array_index (f.flags, TincanFrameFlags, 1) & TINCAN_FRAME_PARTIAL);
  g_assert_true (f.eof);
  g_assert_false (f.outside_dispatch);

  g_assert_finalize_object (f.connection);
  g_ptr_array_unref (f.received);
  g_array_unref (f.flags);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/connection/frames", test_frames);
  g_test_add_func ("/net/connection/eof-partial", test_eof_partial);
  g_test_add_func ("/net/connection/send", test_send);
  g_test_add_func ("/net/connection/close", test_close);
  g_test_add_func ("/net/connection/detach", test_detach);
  g_test_add_func ("/net/connection/pause", test_pause);
  g_test_add_func ("/net/connection/datagrams", test_datagrams);
  g_test_add_func ("/net/connection/datagram-drops", test_datagram_drops);
  g_test_add_func ("/net/connection/write-failure", test_write_failure);
  g_test_add_func ("/net/connection/feed-for-testing", test_feed_for_testing);

  return g_test_run ();
}
