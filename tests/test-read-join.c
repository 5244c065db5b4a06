/* test-read-join.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Raw framing joins reads that come with no pause (tincan-read-join.c): a
 * server on 127.0.0.1, in a thread of its own, writes its replies in several
 * writes; the session under test must show one entry per reply. */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/socket.h>

#include "tincan-echo-server.h"
#include "tincan-session-private.h"
#include "tincan-test-client.h"
#include "tincan-test-util.h"

#define TIMEOUT_MS TINCAN_TEST_CLIENT_TIMEOUT_MS
#define REPLY_BYTES 165000
#define WRITES 3

/* Writes a reply each time the test says so, in WRITES writes. */
typedef struct
{
  GSocket     *listener;
  guint16      port;
  GThread     *thread;
  GAsyncQueue *replies;   /* GBytes to write, or the listener itself to stop */
  guint8      *reply;     /* REPLY_BYTES of pattern */
} Server;

static gpointer
server_thread (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(GSocket) client = g_socket_accept (server->listener, NULL, NULL);
  gpointer item;

  g_assert_nonnull (client);
  /* Room for a whole reply: the writes never wait for the reader, so that
   * nothing but the rule decides how the reads are joined. */
  g_socket_set_option (client, SOL_SOCKET, SO_SNDBUF, 1024 * 1024, NULL);

  while ((item = g_async_queue_pop (server->replies)) != server->listener)
    {
      g_autoptr(GBytes) reply = item;
      gsize length;
      const guint8 *data = g_bytes_get_data (reply, &length);
      gsize step = (length + WRITES - 1) / WRITES;

      for (gsize done = 0; done < length; done += step)
        {
          gsize n = MIN (step, length - done);

          /* Blocking: each write is out before the next, with no pause. */
          for (gsize sent = 0; sent < n;)
            {
              gssize w = g_socket_send (client, (const char *) data + done + sent, n - sent,
                                        NULL, NULL);

              g_assert_cmpint (w, >, 0);
              sent += (gsize) w;
            }
        }
    }
  g_socket_close (client, NULL);
  return NULL;
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (server->listener, address, TRUE, NULL));
  g_assert_true (g_socket_listen (server->listener, NULL));
  bound = g_socket_get_local_address (server->listener, NULL);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->replies = g_async_queue_new ();
  server->reply = g_malloc (REPLY_BYTES);
  for (gsize i = 0; i < REPLY_BYTES; i++)
    server->reply[i] = (guint8) (i * 7 + i / 251);
  server->thread = g_thread_new ("read-join server", server_thread, server);
  return server;
}

static void
server_write (Server *server,
              gsize   length)
{
  g_async_queue_push (server->replies, g_bytes_new (server->reply, length));
}

static void
server_free (Server *server)
{
  g_async_queue_push (server->replies, server->listener);
  g_thread_join (server->thread);
  g_socket_close (server->listener, NULL);
  g_object_unref (server->listener);
  g_async_queue_unref (server->replies);
  g_free (server->reply);
  g_free (server);
}

static void
assert_entry (TincanTestClient   *client,
              guint               n,
              const guint8       *data,
              gsize               length,
              TincanMessageFlags  flags)
{
  TincanMessage *message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, n);

  tincan_test_assert_message_data (message, data, length);
  g_assert_cmpint (tincan_message_get_flags (message), ==, flags);
}

/* One reply in several writes is one entry; a reply written after the first
 * one arrived (a pause far longer than the gap) is another. */
static void
test_joined (void)
{
  GMainContext *context = tincan_test_push_context ();
  Server *server = server_new ();
  TincanTestClient *client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                     server->port, "raw",
                                                     TINCAN_CONNECTION_PERSISTENT);
  TincanMessage *message;

  g_assert_true (tincan_test_client_connect (client));
  server_write (server, REPLY_BYTES);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  assert_entry (client, 0, server->reply, REPLY_BYTES, TINCAN_MESSAGE_NONE);
  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0);
  /* The read buffer is 64 KiB: at least 3 reads. */
  g_assert_cmpuint (tincan_message_get_reads (message), >=, 3);

  server_write (server, 1000);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  assert_entry (client, 1, server->reply, 1000, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, REPLY_BYTES + 1000);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, 2);

  tincan_test_client_free (client);
  server_free (server);
  tincan_test_pop_context (context);
}

/* The maximum frame size still cuts: a piece of max, then its continuation. */
static void
test_max_frame_size (void)
{
  GMainContext *context = tincan_test_push_context ();
  Server *server = server_new ();
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  g_autoptr(TincanFraming) framing = tincan_framing_copy_with_max_frame_size (raw, 100000);
  TincanTestClient *client = tincan_test_client_new_with_framing (TINCAN_TRANSPORT_TCP,
                                                                  "127.0.0.1", server->port,
                                                                  framing,
                                                                  TINCAN_CONNECTION_PERSISTENT);

  g_assert_true (tincan_test_client_connect (client));
  server_write (server, REPLY_BYTES);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  assert_entry (client, 0, server->reply, 100000, TINCAN_MESSAGE_TRUNCATED);
  assert_entry (client, 1, server->reply + 100000, REPLY_BYTES - 100000,
                TINCAN_MESSAGE_TRUNCATED);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, REPLY_BYTES);

  tincan_test_client_free (client);
  server_free (server);
  tincan_test_pop_context (context);
}

static gboolean
has_entries (gpointer user_data)
{
  TincanTestClient *client = user_data;

  return tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED) > 0;
}

/* A client with no socket, fed by the test (port 9 is never dialled). */
static TincanTestClient *
fed_client_new (void)
{
  return tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", 9, "raw",
                                 TINCAN_CONNECTION_PERSISTENT);
}

static void
feed (TincanTestClient *client,
      const char       *text,
      gboolean          eof)
{
  _tincan_session_feed_for_testing (client->session, (const guint8 *) text, strlen (text), eof);
}

/* With no socket: the reads wait for the gap (the timer), are counted one
 * by one, and keep the first read's time. */
static void
test_fed (void)
{
  GMainContext *context = tincan_test_push_context ();
  TincanTestClient *client = fed_client_new ();
  TincanMessage *message;
  gint64 before = g_get_monotonic_time ();

  feed (client, "GET", FALSE);
  feed (client, " / ", FALSE);
  feed (client, "HTTP", FALSE);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED),
                    ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 10);

  tincan_test_wait_for (context, has_entries, client, TIMEOUT_MS);
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 5000);
  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0);
  tincan_test_assert_message_data (message, "GET / HTTP", 10);
  g_assert_cmpuint (tincan_message_get_reads (message), ==, 3);
  g_assert_cmpint (tincan_message_get_monotonic_time (message), >=, before);
  g_assert_cmpint (tincan_message_get_monotonic_time (message), <, before + 5000);

  /* The end of the stream hands out at once what was gathered. */
  feed (client, "x", TRUE);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED),
                    ==, 2);
  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (message, "x", 1);
  g_assert_cmpuint (tincan_message_get_reads (message), ==, 1);

  tincan_test_client_free (client);
  tincan_test_pop_context (context);
}

/* Disconnecting shows what was gathered, before it says so. */
static void
test_disconnect_flushes (void)
{
  GMainContext *context = tincan_test_push_context ();
  TincanTestClient *client = fed_client_new ();
  TincanMessage *message;

  feed (client, "abc", FALSE);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED),
                    ==, 0);
  tincan_session_disconnect (client->session);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED),
                    ==, 1);
  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0);
  tincan_test_assert_message_data (message, "abc", 3);
  message = g_ptr_array_index (client->entries, client->entries->len - 1);
  g_assert_cmpint (tincan_message_get_kind (message), ==, TINCAN_MESSAGE_KIND_STATUS);

  tincan_test_client_free (client);
  tincan_test_pop_context (context);
}

/* A datagram is a message, with raw framing too: never joined. */
static void
test_udp_not_joined (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_UDP);
  g_autoptr(GError) error = NULL;
  TincanTestClient *client;

  tincan_echo_server_start (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "raw",
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send (client, "ab", 2);
  tincan_test_client_send (client, "cd", 2);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);

  for (guint i = 0; i < 2; i++)
    {
      TincanMessage *message = tincan_test_client_nth_entry (client,
                                                             TINCAN_MESSAGE_KIND_RECEIVED, i);

      tincan_test_assert_message_data (message, i == 0 ? "ab" : "cd", 2);
      g_assert_cmpuint (tincan_message_get_reads (message), ==, 1);
    }

  tincan_test_client_free (client);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/read-join/joined", test_joined);
  g_test_add_func ("/net/read-join/max-frame-size", test_max_frame_size);
  g_test_add_func ("/net/read-join/fed", test_fed);
  g_test_add_func ("/net/read-join/disconnect-flushes", test_disconnect_flushes);
  g_test_add_func ("/net/read-join/udp-not-joined", test_udp_not_joined);

  return g_test_run ();
}
