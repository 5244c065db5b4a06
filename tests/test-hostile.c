/* test-hostile.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Hostile and broken peers against TincanSession, over loopback only: a
 * tool for debugging servers meets broken servers all day, and must never
 * crash, hang, lie about what arrived or eat unbounded memory.
 *
 * Each scenario has a deadline (TIMEOUT_MS on every wait), checks the
 * sentence of its ERROR or STATUS entry, counts bytes on both sides and, where
 * memory is at stake, bounds the RSS (not under ASan, whose quarantine keeps
 * freed memory). The catalogue and the figures are in docs/robustness.md;
 * scenarios that tests/test-session.c already covers are referenced there,
 * not repeated here.
 *
 * Servers: "Peer", a GSocketService on the test's context that does what the
 * test scripts (write, close, half-close, reset, stay silent, never read);
 * "Flood", a thread writing with blocking send() for the large transfers;
 * UDP sockets driven by sources on the context; and TLS servers with
 * certificates made at test time by the openssl command (`openssl ca` for
 * dates in the past or the future, which `openssl req -x509` cannot do in
 * OpenSSL 3.0). */

#include "config.h"

#include <locale.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tincan-echo-server.h"
#include "tincan-format.h"
#include "tincan-payload.h"
#include "tincan-session.h"
#include "tincan-test-client.h"
#include "tincan-test-util.h"

/* The client's deadline, for the waits of the tests themselves too. */
#define TIMEOUT_MS TINCAN_TEST_CLIENT_TIMEOUT_MS

/* The delimiter-less flood. 1 GiB takes a few seconds on a desktop (see
 * docs/robustness.md); the figure is printed with g_test_message(). */
#define FLOOD_NO_DELIMITER_BYTES ((gsize) 1024 * 1024 * 1024)

/* The blocked write queue: this much is sent to a peer that never reads. */
#define BLOCKED_MESSAGE_SIZE  ((gsize) 1024 * 1024)
#define BLOCKED_MESSAGES      64

#define TINY_MESSAGES 1000000

#if defined(__SANITIZE_ADDRESS__)
#define CHECK_RSS 0
#else
#define CHECK_RSS 1
#endif

/* Peer: a scripted TCP server on the test's context */

typedef struct _Peer Peer;

/* Called for each accepted connection, and for each chunk read (with
 * @data NULL at the end of input). */
typedef void (*PeerAcceptFunc) (Peer *peer);
typedef void (*PeerReadFunc)   (Peer *peer, const guint8 *data, gsize length);

struct _Peer
{
  GSocketService    *service;
  guint16            port;
  GSocketConnection *connection;   /* the last one accepted */
  GPtrArray         *connections;
  guint              n_accepted;
  gboolean           read_on_accept;
  PeerAcceptFunc     on_accept;
  PeerReadFunc       on_read;
  gpointer           data;         /* for the script */

  guint64            sent;         /* bytes written to the client */
  guint64            n_received;   /* bytes read from the client */
  guint64            newlines;     /* '\n' bytes among them */
  GByteArray        *received;     /* the first 1 MiB of them */
  gboolean           eof;
  GCancellable      *cancellable;
  guint8             buffer[64 * 1024];
};

static void peer_read_connection (Peer *peer, GSocketConnection *connection);

static void
peer_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n <= 0)
    {
      peer->eof = TRUE;
      if (peer->on_read != NULL)
        peer->on_read (peer, NULL, 0);
      return;
    }

  peer->n_received += (guint64) n;
  for (gssize i = 0; i < n; i++)
    if (peer->buffer[i] == '\n')
      peer->newlines++;
  if (peer->received->len < 1024 * 1024)
    g_byte_array_append (peer->received, peer->buffer, (guint) n);
  if (peer->on_read != NULL)
    peer->on_read (peer, peer->buffer, (gsize) n);
  {
    GSocketConnection *connection = g_object_get_data (source, "connection");

    if (!g_io_stream_is_closed (G_IO_STREAM (connection)))
      peer_read_connection (peer, connection);
  }
}

/* Reads from @connection until its end (one connection at a time: they
 * share the buffer). */
static void
peer_read_connection (Peer              *peer,
                      GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  g_object_set_data (G_OBJECT (input), "connection", connection);
  g_input_stream_read_async (input, peer->buffer, sizeof peer->buffer, G_PRIORITY_DEFAULT,
                             peer->cancellable, peer_read_cb, peer);
}

/* Reads from the connection accepted last. */
static void
peer_read (Peer *peer)
{
  peer_read_connection (peer, peer->connection);
}

/* Small writes only: they fit the socket buffer, so this does not block. */
static void
peer_write (Peer       *peer,
            const void *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (peer->connection)),
                             data, length, &written, NULL, &error);
  g_assert_no_error (error);
  peer->sent += written;
}

static int
peer_fd (Peer *peer)
{
  return g_socket_get_fd (g_socket_connection_get_socket (peer->connection));
}

/* Closes with an RST instead of a FIN: SO_LINGER {1, 0}, then close. */
static void
peer_reset (Peer *peer)
{
  struct linger linger = { 1, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (setsockopt (peer_fd (peer), SOL_SOCKET, SO_LINGER, &linger, sizeof linger),
                   ==, 0);
  g_cancellable_cancel (peer->cancellable);
  g_socket_close (g_socket_connection_get_socket (peer->connection), &error);
  g_assert_no_error (error);
}

static void
peer_close (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  g_io_stream_close (G_IO_STREAM (peer->connection), NULL, &error);
  g_assert_no_error (error);
}

static gboolean
peer_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source_object,
                  Peer              *peer)
{
  peer->n_accepted++;
  peer->connection = connection;
  g_ptr_array_add (peer->connections, g_object_ref (connection));

  if (peer->on_accept != NULL)
    peer->on_accept (peer);
  if (peer->read_on_accept && !g_io_stream_is_closed (G_IO_STREAM (connection)))
    peer_read (peer);

  return TRUE;
}

static Peer *
peer_new (PeerAcceptFunc on_accept,
          gboolean       read_on_accept)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  peer->on_accept = on_accept;
  peer->read_on_accept = read_on_accept;
  peer->connections = g_ptr_array_new_with_free_func (g_object_unref);
  peer->received = g_byte_array_new ();
  peer->cancellable = g_cancellable_new ();
  peer->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (peer->service, "incoming", G_CALLBACK (peer_incoming_cb), peer);
  g_socket_service_start (peer->service);

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_cancellable_cancel (peer->cancellable);
  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_signal_handlers_disconnect_by_data (peer->service, peer);
  g_clear_object (&peer->service);
  for (guint i = 0; i < peer->connections->len; i++)
    if (!G_IS_TLS_CONNECTION (g_ptr_array_index (peer->connections, i)))
      g_io_stream_close (g_ptr_array_index (peer->connections, i), NULL, NULL);
  /* Let the cancelled reads call back before their buffer goes. */
  tincan_test_drain_context (g_main_context_get_thread_default ());
  g_ptr_array_unref (peer->connections);
  g_byte_array_unref (peer->received);
  g_object_unref (peer->cancellable);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

typedef struct
{
  Peer    *peer;
  guint64  bytes;
} PeerBytesCondition;

static gboolean
peer_received_reached (gpointer user_data)
{
  PeerBytesCondition *condition = user_data;

  return condition->peer->n_received >= condition->bytes;
}

static void
wait_for_peer_bytes (Peer    *peer,
                     guint64  bytes)
{
  PeerBytesCondition condition = { peer, bytes };

  tincan_test_wait_for (g_main_context_get_thread_default (), peer_received_reached, &condition,
                        TIMEOUT_MS);
}

/* Flood: a thread that accepts one client and writes @head, then @total
 * bytes of @pattern, with blocking send(), then closes */

typedef struct
{
  int           listen_fd;
  guint16       port;
  GBytes       *head;
  gsize         total;
  const guint8 *pattern;
  gsize         pattern_length;
  gsize         sent;          /* all bytes that went out, head included */
  gboolean      send_failed;   /* the client went away first */
  GThread      *thread;
} Flood;

static gpointer
flood_thread (gpointer user_data)
{
  Flood *flood = user_data;
  gsize block_size = 256 * 1024;
  g_autofree guint8 *block = g_malloc (block_size + flood->pattern_length);
  gsize done = 0;
  int fd;

  fd = accept (flood->listen_fd, NULL, NULL);
  g_assert_cmpint (fd, >=, 0);

  for (gsize i = 0; i < block_size + flood->pattern_length; i++)
    block[i] = flood->pattern[i % flood->pattern_length];

  if (flood->head != NULL)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (flood->head, &length);

      while (length > 0)
        {
          ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              flood->send_failed = TRUE;
              break;
            }
          flood->sent += (gsize) n;
          data += n;
          length -= (gsize) n;
        }
    }

  while (!flood->send_failed && done < flood->total)
    {
      /* Start each block where the pattern continues. */
      gsize phase = done % flood->pattern_length;
      gsize want = MIN (block_size, flood->total - done);
      ssize_t n = send (fd, block + phase, want, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          flood->send_failed = TRUE;
          break;
        }
      done += (gsize) n;
      flood->sent += (gsize) n;
    }

  close (fd);

  return NULL;
}

static Flood *
flood_new (GBytes     *head,
           gsize       total,
           const char *pattern)
{
  Flood *flood = g_new0 (Flood, 1);
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;

  flood->head = head != NULL ? g_bytes_ref (head) : NULL;
  flood->total = total;
  flood->pattern = (const guint8 *) pattern;
  flood->pattern_length = strlen (pattern);

  flood->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (flood->listen_fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (flood->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (flood->listen_fd, 1), ==, 0);
  g_assert_cmpint (getsockname (flood->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  flood->port = ntohs (address.sin_port);

  flood->thread = g_thread_new ("flood", flood_thread, flood);

  return flood;
}

/* Joins the thread: the client must have read everything or gone. */
static void
flood_free (Flood *flood)
{
  g_thread_join (flood->thread);
  close (flood->listen_fd);
  g_clear_pointer (&flood->head, g_bytes_unref);
  g_free (flood);
}

/* Counting without keeping: what a flood handler needs */

typedef struct
{
  guint64        bytes;
  guint64        messages;
  guint64        truncated;
  guint64        partial;
  guint64        errors;
  guint          batches;
  gsize          max_rss_kib;
  gboolean       closed;       /* the STATUS entry of the server's close */
  TincanMessage *last;         /* the last RECEIVED entry */
  guint          long_frames;  /* STATUS entries about a frame announced too long */
  char          *long_frame;   /* the first of them */
} Count;

static void
count_messages_cb (TincanSession *session,
                   GPtrArray     *messages,
                   Count         *count)
{
  count->batches++;

  for (guint i = 0; i < messages->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (messages, i);
      TincanMessageKind direction = tincan_message_get_kind (message);
      gsize length;

      if (direction == TINCAN_MESSAGE_KIND_STATUS && tincan_session_get_peer_closed (session))
        count->closed = TRUE;
      if (direction == TINCAN_MESSAGE_KIND_STATUS)
        {
          g_autofree char *text = tincan_test_message_dup_text (message);

          if (g_str_has_prefix (text, "The server announced") && count->long_frames++ == 0)
            count->long_frame = g_steal_pointer (&text);
        }
      if (direction == TINCAN_MESSAGE_KIND_ERROR)
        {
          g_autofree char *text = tincan_test_message_dup_text (message);

          g_test_message ("error entry: %s", text);
          count->errors++;
        }
      if (direction != TINCAN_MESSAGE_KIND_RECEIVED)
        continue;
      tincan_message_get_data (message, &length);
      count->bytes += length;
      count->messages++;
      if (tincan_message_get_flags (message) & TINCAN_MESSAGE_TRUNCATED)
        count->truncated++;
      if (tincan_message_get_flags (message) & TINCAN_MESSAGE_PARTIAL)
        count->partial++;
      g_clear_pointer (&count->last, tincan_message_unref);
      count->last = tincan_message_ref (message);
    }

  count->max_rss_kib = MAX (count->max_rss_kib, tincan_test_read_rss_kib ());
}

/* Connects a counting session to @port and reads until the server closes. */
static TincanSession *
count_until_closed (guint16        port,
                    TincanFraming *framing,
                    Count         *count,
                    gsize         *rss_before,
                    gdouble       *seconds)
{
  TincanSession *session = tincan_session_new ();
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean done = FALSE;
  gint64 start;

  tincan_session_set_host (session, "127.0.0.1");
  tincan_session_set_port (session, port);
  tincan_session_set_framing (session, framing);
  g_signal_connect (session, "messages", G_CALLBACK (count_messages_cb), count);

  *rss_before = tincan_test_read_rss_kib ();
  start = g_get_monotonic_time ();
  tincan_session_connect_async (session, NULL, tincan_test_session_connect_cb, &done);
  tincan_test_wait_until (context, &done, TIMEOUT_MS);
  tincan_test_wait_until (context, &count->closed, TIMEOUT_MS * 2);
  *seconds = (g_get_monotonic_time () - start) / 1e6;

  g_signal_handlers_disconnect_by_data (session, count);

  return session;
}

static GBytes *
u32be (guint32 value)
{
  guint8 prefix[4] = { value >> 24, value >> 16, value >> 8, value };

  return g_bytes_new (prefix, sizeof prefix);
}

/* 1. Refused, reset */

/* Nothing listens: test-session.c /net/session/refused covers the sentence in
 * both modes; here the counters too, and that a retry works once something
 * listens on the port. */
static void
test_refused (void)
{
  GMainContext *context = tincan_test_push_context ();
  guint16 port = tincan_test_free_port (G_SOCKET_TYPE_STREAM);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u", port);

  g_assert_false (tincan_test_client_connect (client));
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_REFUSED,
                                    &(TincanErrorContext) { .endpoint = endpoint });
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_REFUSED);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

static void
reset_on_accept (Peer *peer)
{
  peer_reset (peer);
}

/* Accepted, then reset at once. Depending on whether the RST overtakes the
 * end of the client's connect, the connect fails or the first read does;
 * both say "reset", and nothing is received. */
static void
test_reset_on_accept (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (reset_on_accept, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u", peer->port);

  if (tincan_test_client_connect (client))
    {
      tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
      tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_RESET);
      g_test_message ("reset after the connect");
    }
  else
    {
      tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_PEER_RESET,
                                        &(TincanErrorContext) { .endpoint = endpoint });
      tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_RESET);
      g_test_message ("reset during the connect");
    }

  g_assert_cmpuint (peer->n_accepted, ==, 1);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* When the client's "go" arrives: half a frame, then an RST. */
static void
reset_mid_frame_on_read (Peer         *peer,
                         const guint8 *data,
                         gsize         length)
{
  if (data == NULL || peer->n_received < 3)
    return;

  peer_write (peer, "abc\nde", 6);
  peer_reset (peer);
}

static void
test_reset_mid_frame (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (NULL, TRUE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);

  peer->on_read = reset_mid_frame_on_read;
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send (client, "go", 2);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  /* Data that came before the RST is still read and shown: the whole frame,
   * then what had arrived of the cut one, then the reset. */
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 2);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              "abc", 3, TINCAN_MESSAGE_NONE);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                              "de", 2, TINCAN_MESSAGE_PARTIAL);
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_RESET);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 1);
  g_assert_false (tincan_session_get_peer_closed (client->session));

  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, peer->sent);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 3);
  g_assert_cmpuint (peer->n_received, ==, 3);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, 2);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 2. Closed mid-frame, half-closed */

typedef struct
{
  const char *name;
  const char *framing;
  const char *sent;
  gsize       sent_length;
  /* The RECEIVED entries expected: up to 2 */
  const char *first;
  gsize       first_length;
  TincanMessageFlags first_flags;
  const char *second;
  gsize       second_length;
  TincanMessageFlags second_flags;
  guint       n_received;
} MidFrameCase;

static const MidFrameCase mid_frame_cases[] = {
  { "lf", "lf", "abc\nde", 6,
    "abc", 3, TINCAN_MESSAGE_NONE, "de", 2, TINCAN_MESSAGE_PARTIAL, 2 },
  /* The delimiter's first byte without its second is payload so far. */
  { "crlf", "crlf", "abc\r", 4,
    "abc\r", 4, TINCAN_MESSAGE_PARTIAL, NULL, 0, 0, 1 },
  /* 100 bytes announced, 40 sent: exactly those 40 arrive. */
  { "u32be-payload", "u32be",
    "\0\0\0\x64" "0123456789012345678901234567890123456789", 44,
    "0123456789012345678901234567890123456789", 40, TINCAN_MESSAGE_PARTIAL,
    NULL, 0, 0, 1 },
  /* The prefix, and nothing of its payload. */
  { "u32be-prefix-only", "u32be", "\0\0\0\5", 4,
    "", 0, TINCAN_MESSAGE_PARTIAL, NULL, 0, 0, 1 },
  /* Half a prefix: an entry with no payload, whose wire bytes are the two
   * bytes of prefix that arrived (the sum of wire bytes checks it). */
  { "u32be-half-prefix", "u32be", "\0\0\0\2hi\0\0", 8,
    "hi", 2, TINCAN_MESSAGE_NONE, "", 0, TINCAN_MESSAGE_PARTIAL, 2 },
};

static void
write_case_and_close (Peer *peer)
{
  const MidFrameCase *mc = peer->data;

  peer_write (peer, mc->sent, mc->sent_length);
  peer_close (peer);
}

static void
test_close_mid_frame (gconstpointer data)
{
  const MidFrameCase *mc = data;
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (write_case_and_close, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, mc->framing,
                                                               TINCAN_CONNECTION_PERSISTENT);

  peer->data = (gpointer) mc;
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_wait_for (context, (TincanTestCondition) tincan_session_get_peer_closed,
                        client->session, TIMEOUT_MS);

  if (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED) != mc->n_received)
    tincan_test_client_dump_entries (client);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==,
                    mc->n_received);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              mc->first, mc->first_length, mc->first_flags);
  if (mc->second != NULL)
    tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                                mc->second, mc->second_length, mc->second_flags);
  tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS,
                                       "The server closed its side of the connection; "
                                       "nothing more will arrive");
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);
  g_assert_cmpuint (peer->sent, ==, mc->sent_length);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, peer->sent);
  /* Every byte that arrived belongs to one entry, framing included. */
  g_assert_cmpuint (tincan_test_client_wire_bytes (client, TINCAN_MESSAGE_KIND_RECEIVED), ==,
                    peer->sent);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, mc->n_received);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

static void
half_close_mid_frame (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  peer_write (peer, "abc\nde", 6);
  g_socket_shutdown (g_socket_connection_get_socket (peer->connection), FALSE, TRUE, &error);
  g_assert_no_error (error);
}

/* Half-closed in the middle of a frame: the partial frame is shown, and what
 * we send afterwards still arrives, every byte of it. (test-session.c
 * /net/session/half-close covers a half-close between frames.) */
static void
test_half_close_mid_frame (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (half_close_mid_frame, TRUE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_wait_for (context, (TincanTestCondition) tincan_session_get_peer_closed,
                        client->session, TIMEOUT_MS);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              "abc", 3, TINCAN_MESSAGE_NONE);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                              "de", 2, TINCAN_MESSAGE_PARTIAL);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  tincan_test_client_send (client, "one", 3);
  tincan_test_client_send (client, "two", 3);
  tincan_test_client_send (client, "three", 5);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 3);
  wait_for_peer_bytes (peer, 14);
  g_assert_cmpmem (peer->received->data, peer->received->len, "one\ntwo\nthree\n", 14);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, peer->n_received);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, peer->sent);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  tincan_session_disconnect (client->session);
  tincan_test_wait_until (context, &peer->eof, TIMEOUT_MS);
  g_assert_cmpuint (peer->n_received, ==, 14);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

static void
close_on_accept (Peer *peer)
{
  peer_close (peer);
}

/* Per-message mode against a server that hangs up (FIN or RST) as soon as
 * it accepts: each send ends with one ERROR entry, nothing is received,
 * and the next queued send still gets its own connection. */
static void
test_per_message_hang_up (gconstpointer data)
{
  gboolean reset = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (reset ? reset_on_accept : close_on_accept, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "u16be",
                                                               TINCAN_CONNECTION_PER_MESSAGE);

  tincan_session_set_response_timeout (client->session, 5000);
  tincan_test_client_send (client, "one", 3);
  tincan_test_client_send (client, "two", 3);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 2);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  if (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR) != 2)
    tincan_test_client_dump_entries (client);

  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 2);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  g_assert_cmpuint (peer->n_accepted, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      TincanMessage *entry = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_ERROR, i);
      const GError *error = tincan_message_get_error (entry);

      g_assert_true (g_error_matches (error, TINCAN_SESSION_ERROR,
                                      TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY) ||
                     g_error_matches (error, TINCAN_SESSION_ERROR,
                                      TINCAN_SESSION_ERROR_PEER_RESET) ||
                     g_error_matches (error, TINCAN_SESSION_ERROR,
                                      TINCAN_SESSION_ERROR_PEER_CLOSED));
    }
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==,
                    5 * tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT));

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* The TCP handshake never completes: the connect timeout ends it, with its
 * sentence, while the state is CONNECTING. */
static void
test_syn_dropped (void)
{
  GMainContext *context = tincan_test_push_context ();
  TincanTestBlackhole *hole = tincan_test_blackhole_new ();
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               hole->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  gint64 start;

  tincan_session_set_connect_timeout (client->session, 500);
  start = g_get_monotonic_time ();
  tincan_test_client_connect_start (client, NULL);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_CONNECTING);
  tincan_test_wait_until (context, &client->connect_done, TIMEOUT_MS);
  g_assert_false (client->connect_ok);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 450 * 1000);

  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_TIMED_OUT,
                                    &(TincanErrorContext) {
                                      .host = "127.0.0.1", .port = hole->port, .msec = 500,
                                    });
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_TIMED_OUT);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 20);
  tincan_test_blackhole_free (hole);
  tincan_test_pop_context (context);
}

/* 3. Silence, and a peer that never reads */

/* Per-message mode: the server reads our request and never answers. The
 * response timeout ends the exchange with a sentence, and the connection is
 * closed. (test-session.c /net/session/no-reply covers lf and raw.) */
static void
test_never_answers (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (NULL, TRUE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "u16be",
                                                               TINCAN_CONNECTION_PER_MESSAGE);
  gint64 start;
  gint64 elapsed;

  tincan_session_set_response_timeout (client->session, 200);
  start = g_get_monotonic_time ();
  tincan_test_client_send (client, "hello", 5);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 1);
  elapsed = g_get_monotonic_time () - start;
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  {
    TincanErrorContext timeout = { .msec = 200 };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_NO_REPLY, &timeout);
  }
  g_assert_cmpint (elapsed, >=, 200 * 1000);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, 0),
                              "hello", 5, TINCAN_MESSAGE_NONE);
  /* Our side closed: the server sees the end of its input. */
  tincan_test_wait_until (context, &peer->eof, TIMEOUT_MS);
  g_assert_cmpmem (peer->received->data, peer->received->len, "\0\5hello", 7);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 7);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);
  g_assert_cmpuint (peer->n_accepted, ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

typedef struct
{
  TincanTestClient *client;
  guint64           bytes;
} SentCondition;

static gboolean
bytes_sent_reached (gpointer user_data)
{
  SentCondition *condition = user_data;

  return tincan_session_get_bytes_sent (condition->client->session) >= condition->bytes;
}

static void
record_bytes_queued (guint64       *told,
                     GParamSpec    *pspec,
                     TincanSession *session)
{
  *told = tincan_session_get_bytes_queued (session);
}

/* A server that accepts and never reads: 64 MiB go into the write queue.
 * What the socket takes is counted as sent, byte for byte; no frame is
 * reported sent before its last byte is in the socket; memory holds the
 * queued frames once, no more; bytes-queued says how much waits, and a
 * send that would take it past its bound is refused; disconnect() is
 * immediate and says how many messages did not go out. Then the server
 * reads what it had been sent: it is exactly the bytes_sent counter. */
static void
test_never_reads (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (NULL, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree guint8 *block = g_malloc (BLOCKED_MESSAGE_SIZE);
  g_autoptr(GBytes) payload = NULL;
  SentCondition some_sent = { client, 1 };
  g_autofree char *expected = NULL;
  g_autoptr(GError) full_error = NULL;
  guint64 told = G_MAXUINT64;
  guint64 sent;
  guint64 messages_sent;
  guint64 queued;
  guint n_sends = BLOCKED_MESSAGES;
  gsize rss_before;
  gsize rss_queued;
  gint64 start;
  gint64 elapsed;

  memset (block, 'q', BLOCKED_MESSAGE_SIZE);
  payload = g_bytes_new_take (g_steal_pointer (&block), BLOCKED_MESSAGE_SIZE);

  g_assert_true (tincan_test_client_connect (client));
  g_signal_connect_swapped (client->session, "notify::bytes-queued",
                            G_CALLBACK (record_bytes_queued), &told);
  rss_before = tincan_test_read_rss_kib ();
  for (guint i = 0; i < BLOCKED_MESSAGES; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tincan_session_send (client->session, payload, &error));
      g_assert_no_error (error);
    }

  /* The socket buffers fill up; then the queue waits for the server. */
  tincan_test_wait_for (context, bytes_sent_reached, &some_sent, TIMEOUT_MS);
  tincan_test_run_for (context, 200);
  rss_queued = tincan_test_read_rss_kib ();

  sent = tincan_session_get_bytes_sent (client->session);
  messages_sent = tincan_session_get_messages_sent (client->session);
  g_test_message ("blocked after %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT
                  " messages); RSS %zu → %zu KiB with %u MiB queued",
                  sent, messages_sent, rss_before, rss_queued,
                  (guint) (BLOCKED_MESSAGES * BLOCKED_MESSAGE_SIZE >> 20));
  g_assert_cmpuint (sent, <, BLOCKED_MESSAGES * (BLOCKED_MESSAGE_SIZE + 1));
  g_assert_cmpuint (messages_sent, <, BLOCKED_MESSAGES);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==,
                    messages_sent);
  /* A SENT entry means the whole frame went out. */
  g_assert_cmpuint (messages_sent * (BLOCKED_MESSAGE_SIZE + 1), <=, sent);
  g_assert_cmpuint (sent, <, (messages_sent + 1) * (BLOCKED_MESSAGE_SIZE + 1));
#if CHECK_RSS
  /* One copy of each queued frame (the lf framing appends to a copy), no
   * more: 64 MiB, plus slack for the allocator. */
  g_assert_cmpuint (rss_queued, <, rss_before + (BLOCKED_MESSAGES + 32) * 1024);
#endif

  /* What waits is reported, and was notified. */
  queued = tincan_session_get_bytes_queued (client->session);
  g_assert_cmpuint (queued, ==, BLOCKED_MESSAGES * (BLOCKED_MESSAGE_SIZE + 1) - sent);
  g_assert_cmpuint (told, ==, queued);

  /* The queue is bounded: sends are taken up to the bound, then refused,
   * with nothing queued. */
  while (tincan_session_send (client->session, payload, &full_error))
    n_sends++;
  {
    /* The refusal names what waits, which the refused send did not change. */
    g_autofree char *size = g_format_size (tincan_session_get_bytes_queued (client->session));

    tincan_test_assert_session_error (full_error, TINCAN_SESSION_ERROR_QUEUE_FULL,
                                      &(TincanErrorContext) { .size = size });
  }
  queued = tincan_session_get_bytes_queued (client->session);
  g_assert_cmpuint (queued, ==, n_sends * (BLOCKED_MESSAGE_SIZE + 1) - sent);
  g_assert_cmpuint (queued, <=, TINCAN_SESSION_MAX_QUEUED);
  g_assert_cmpuint (queued + BLOCKED_MESSAGE_SIZE + 1, >, TINCAN_SESSION_MAX_QUEUED);
  g_assert_cmpuint (told, ==, queued);
  g_test_message ("%u sends taken, %" G_GUINT64_FORMAT " bytes waiting at the bound",
                  n_sends, queued);

  start = g_get_monotonic_time ();
  tincan_session_disconnect (client->session);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("disconnect took %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  tincan_test_drain_context (context);

  {
    TincanErrorContext counted = { .count = n_sends - messages_sent };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_UNSENT, &counted);
  }
  tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS, "Disconnected");
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, sent);
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, messages_sent);
  g_assert_cmpuint (tincan_session_get_bytes_queued (client->session), ==, 0);
  g_assert_cmpuint (told, ==, 0);

  /* The server reads at last: what was counted sent, to the byte. */
  peer_read (peer);
  tincan_test_wait_until (context, &peer->eof, TIMEOUT_MS);
  g_assert_cmpuint (peer->n_received, ==, sent);
  /* Each frame ends with its newline: as many as were reported sent. */
  g_assert_cmpuint (peer->newlines, ==, messages_sent);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* Per-message mode, and the server never reads a message larger than the
 * socket buffers: the write makes no progress for the response timeout, so
 * the exchange ends with a sentence instead of waiting forever (the next
 * queued send would wait too); nothing is reported sent. */
static void
test_per_message_never_reads (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (NULL, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PER_MESSAGE);
  g_autofree guint8 *big = g_malloc (16 * BLOCKED_MESSAGE_SIZE);
  guint64 sent;

  memset (big, 'q', 16 * BLOCKED_MESSAGE_SIZE);
  tincan_session_set_response_timeout (client->session, 300);
  tincan_test_client_send (client, big, 16 * BLOCKED_MESSAGE_SIZE);
  tincan_test_client_send (client, "next", 4);
  /* Both frames wait: the one connecting, and the one behind it. */
  g_assert_cmpuint (tincan_session_get_bytes_queued (client->session), ==,
                    16 * BLOCKED_MESSAGE_SIZE + 1 + 5);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 1);

  g_assert_error (tincan_message_get_error (tincan_test_client_nth_entry (client,
                                                                         TINCAN_MESSAGE_KIND_ERROR,
                                                                         0)),
                  TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_SEND_STALLED);
  {
    TincanErrorContext timeout = { .msec = 300 };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_SEND_STALLED,
                                              &timeout);
  }
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==, 0);
  sent = tincan_session_get_bytes_sent (client->session);
  g_assert_cmpuint (sent, >, 0);
  g_assert_cmpuint (sent, <, 16 * BLOCKED_MESSAGE_SIZE);
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, 0);

  /* The next send gets its turn (and no reply: the server reads nothing). */
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 2);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, 0),
                              "next", 4, TINCAN_MESSAGE_NONE);
  {
    TincanErrorContext timeout = { .msec = 300 };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_NO_REPLY, &timeout);
  }
  g_assert_cmpuint (peer->n_accepted, ==, 2);

  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, sent + 5);
  g_assert_cmpuint (tincan_session_get_bytes_queued (client->session), ==, 0);

  /* The server reads what went out the first time: exactly what was
   * counted then. */
  peer_read_connection (peer, g_ptr_array_index (peer->connections, 0));
  tincan_test_wait_until (context, &peer->eof, TIMEOUT_MS);
  g_assert_cmpuint (peer->n_received, ==, sent);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 4. Slow drip */

typedef struct
{
  guint                 frame;        /* bytes, the last one the LF */
  guint                 interval_ms;  /* between two bytes */
  TincanConnectionMode  mode;
  guint                 response_timeout_ms;
} DripSpec;

/* What the issue asks for: one byte every 50 ms for a 1 KiB frame, 51 s in
 * all. Per-message mode with a 1 s response timeout: the exchange lives 51
 * times longer than the timeout, since every byte is progress. It runs as
 * its own meson test (hostile-drip), beside the others. */
static const DripSpec drip_spec = { 1024, 50, TINCAN_CONNECTION_PER_MESSAGE, 1000 };
/* The same logic quickly, in persistent mode: one byte every 2 ms, 256 bytes. */
static const DripSpec drip_fast = { 256, 2, TINCAN_CONNECTION_PERSISTENT, 0 };

typedef struct
{
  GSource        *timer;
  const DripSpec *spec;
} Drip;

static gboolean
drip_cb (gpointer user_data)
{
  Peer *peer = user_data;
  Drip *drip = peer->data;
  guint frame = drip->spec->frame;
  char byte = peer->sent + 1 < frame ? 'a' + (char) (peer->sent % 26) : '\n';

  peer_write (peer, &byte, 1);

  return peer->sent < frame ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
drip_on_accept (Peer *peer)
{
  Drip *drip = peer->data;

  drip->timer = g_timeout_source_new (drip->spec->interval_ms);
  g_source_set_callback (drip->timer, drip_cb, peer, NULL);
  g_source_attach (drip->timer, g_main_context_get_thread_default ());
}

/* One complete frame arrives, nothing before it, no timeout fires, the
 * counters are exact. */
static void
test_slow_drip (gconstpointer data)
{
  const DripSpec *spec = data;
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (drip_on_accept, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf", spec->mode);
  g_autofree char *expected = g_malloc (spec->frame - 1);
  Drip drip = { NULL, spec };
  gint64 start;
  gint64 elapsed;

  for (guint i = 0; i < spec->frame - 1; i++)
    expected[i] = 'a' + (char) (i % 26);
  peer->data = &drip;

  start = g_get_monotonic_time ();
  if (spec->mode == TINCAN_CONNECTION_PERSISTENT)
    {
      g_assert_true (tincan_test_client_connect (client));
    }
  else
    {
      tincan_session_set_response_timeout (client->session, spec->response_timeout_ms);
      tincan_test_client_send (client, "go", 2);
    }
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("dripped in %.2f s", elapsed / 1e6);

  g_assert_cmpint (elapsed, >=, (gint64) (spec->frame - 1) * spec->interval_ms * 1000);
  g_assert_cmpuint (peer->sent, ==, spec->frame);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              expected, spec->frame - 1, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, spec->frame);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, 1);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);
  if (spec->mode == TINCAN_CONNECTION_PERSISTENT)
    g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);
  else
    tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  g_source_destroy (drip.timer);
  g_source_unref (drip.timer);
  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 5. Frame size attacks */

/* No delimiter for 1 GiB, lf framing, the default 16 MiB maximum: the line
 * comes in 64 pieces of 16 MiB, all TRUNCATED, the last also PARTIAL (the
 * server closed inside the line); memory stays bounded. */
static void
test_flood_no_delimiter (void)
{
  GMainContext *context = tincan_test_push_context ();
  Flood *flood = flood_new (NULL, FLOOD_NO_DELIMITER_BYTES, "no delimiter, ever. ");
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name ("lf", NULL);
  g_autoptr(TincanSession) session = NULL;
  gsize max = tincan_framing_get_max_frame_size (framing);
  Count count = { 0 };
  gsize rss_before;
  gdouble seconds;

  g_assert_cmpuint (max, ==, TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);
  session = count_until_closed (flood->port, framing, &count, &rss_before, &seconds);

  g_test_message ("%" G_GSIZE_FORMAT " MiB without a delimiter in %.2f s, %u batches, "
                  "RSS %zu → max %zu KiB", FLOOD_NO_DELIMITER_BYTES >> 20, seconds,
                  count.batches, rss_before, count.max_rss_kib);
  g_assert_cmpuint (flood->sent, ==, FLOOD_NO_DELIMITER_BYTES);
  g_assert_cmpuint (count.bytes, ==, FLOOD_NO_DELIMITER_BYTES);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, FLOOD_NO_DELIMITER_BYTES);
  g_assert_cmpuint (count.messages, ==, FLOOD_NO_DELIMITER_BYTES / max);
  g_assert_cmpuint (count.truncated, ==, count.messages);
  g_assert_cmpuint (count.partial, ==, 1);
  g_assert_cmpint (tincan_message_get_flags (count.last), ==,
                   TINCAN_MESSAGE_TRUNCATED | TINCAN_MESSAGE_PARTIAL);
  g_assert_cmpuint (count.errors, ==, 0);
#if CHECK_RSS
  /* The decoder's buffer, the piece being emitted and the last one kept
   * by the test (about 3 × 16 MiB), not the line. */
  g_assert_cmpuint (count.max_rss_kib, <, rss_before + 5 * max / 1024);
#endif

  g_clear_pointer (&count.last, tincan_message_unref);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_free (flood);
  tincan_test_pop_context (context);
}

/* A length prefix announcing 4 GiB (u32be 0xFFFFFFFF; u64be: 2^64 - 1),
 * some bytes, then the
 * end: nothing is allocated for the announced length. 1000 bytes arrive as
 * one PARTIAL entry (no piece was cut yet: TRUNCATED marks pieces); 20 MiB
 * arrive as a TRUNCATED piece of the maximum (16 MiB), then the rest, 4 MiB,
 * TRUNCATED and PARTIAL. */
typedef struct
{
  const char *framing;
  guint       width;      /* of the prefix, all bytes 0xFF */
  gsize       payload;
} HugePrefixCase;

/* The count as the locale groups it (the grouping is /format/count's). */
static char *
long_frame_hint (guint64 announced)
{
  g_autofree char *count = tincan_format_count (announced);

  return g_strdup_printf ("The server announced a %s-byte frame, more than the 16 MiB limit: "
                          "shown in pieces. Wrong framing?", count);
}

static const HugePrefixCase huge_prefix_cases[] = {
  { "u32be", 4, 1000 },
  { "u32be", 4, 20 << 20 },
  { "u32le", 4, 1000 },
  /* 2^64 - 1 bytes announced: no overflow either. */
  { "u64be", 8, 20 << 20 },
};

static void
test_prefix_huge (gconstpointer data)
{
  const HugePrefixCase *hc = data;
  gsize payload = hc->payload;
  GMainContext *context = tincan_test_push_context ();
  static const guint8 ones[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
  g_autoptr(GBytes) head = g_bytes_new_static (ones, hc->width);
  Flood *flood = flood_new (head, payload, "0123456789");
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (hc->framing, NULL);
  g_autoptr(TincanSession) session = NULL;
  gsize max = tincan_framing_get_max_frame_size (framing);
  Count count = { 0 };
  g_autofree char *hint = NULL;
  gsize rss_before;
  gdouble seconds;
  gsize length;
  const guint8 *bytes;

  session = count_until_closed (flood->port, framing, &count, &rss_before, &seconds);
  g_test_message ("RSS %zu → max %zu KiB", rss_before, count.max_rss_kib);

  g_assert_cmpuint (flood->sent, ==, payload + hc->width);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, flood->sent);
  g_assert_cmpuint (count.bytes, ==, payload);
  g_assert_cmpuint (count.partial, ==, 1);
  bytes = tincan_message_get_data (count.last, &length);
  if (payload <= max)
    {
      g_assert_cmpuint (count.messages, ==, 1);
      g_assert_cmpint (tincan_message_get_flags (count.last), ==, TINCAN_MESSAGE_PARTIAL);
      g_assert_cmpuint (length, ==, payload);
    }
  else
    {
      g_assert_cmpuint (count.messages, ==, 2);
      g_assert_cmpuint (count.truncated, ==, 2);
      g_assert_cmpint (tincan_message_get_flags (count.last), ==,
                       TINCAN_MESSAGE_TRUNCATED | TINCAN_MESSAGE_PARTIAL);
      g_assert_cmpuint (length, ==, payload - max);
    }
  /* The last entry is the end of the stream, in step with the pattern. */
  for (gsize i = 0; i < length; i++)
    g_assert_cmpint (bytes[i], ==, '0' + (int) ((payload - length + i) % 10));
  g_assert_cmpuint (count.errors, ==, 0);
#if CHECK_RSS
  /* The decoder holds a maximum-size piece at most, never 4 GiB. */
  g_assert_cmpuint (count.max_rss_kib, <, rss_before + 3 * max / 1024);
#endif

  /* One row says that this is probably not the framing, whatever came. */
  g_assert_cmpuint (count.long_frames, ==, 1);
  hint = long_frame_hint (hc->width == 8 ? G_MAXUINT64 : G_MAXUINT32);
  g_assert_cmpstr (count.long_frame, ==, hint);

  g_free (count.long_frame);
  g_clear_pointer (&count.last, tincan_message_unref);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_free (flood);
  tincan_test_pop_context (context);
}

static void
write_data_and_wait (Peer *peer)
{
  GBytes *bytes = peer->data;

  peer_write (peer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* A length prefix of 0 is an empty frame, and the stream stays in step. */
static void
test_prefix_zero (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (write_data_and_wait, FALSE);
  g_autoptr(GBytes) frames = g_bytes_new_static ("\0\0\0\0" "\0\0\0\3abc" "\0\0\0\0", 15);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "u32be",
                                                               TINCAN_CONNECTION_PERSISTENT);

  peer->data = frames;
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 3);

  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              "", 0, TINCAN_MESSAGE_NONE);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                              "abc", 3, TINCAN_MESSAGE_NONE);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 2),
                              "", 0, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 15);
  g_assert_cmpuint (peer->sent, ==, 15);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

#define SMALL_MAX 1024

/* Frames of SMALL_MAX - 1, SMALL_MAX and SMALL_MAX + 1 bytes with a maximum
 * frame size of SMALL_MAX: the first two whole, the third in two TRUNCATED
 * pieces (SMALL_MAX and 1 bytes), then the stream goes on in step. */
static void
test_max_frame_edges (gconstpointer data)
{
  const char *framing_name = data;
  gboolean prefixed = g_str_equal (framing_name, "u16be");
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (write_data_and_wait, FALSE);
  g_autoptr(TincanFraming) base = tincan_framing_new_from_name (framing_name, NULL);
  g_autoptr(TincanFraming) framing = tincan_framing_copy_with_max_frame_size (base, SMALL_MAX);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GBytes) wire_bytes = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  const gsize sizes[] = { SMALL_MAX - 1, SMALL_MAX, SMALL_MAX + 1, 2 };
  g_autofree guint8 *payload = g_malloc (SMALL_MAX + 1);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      memset (payload, 'A' + (int) i, sizes[i]);
      bytes = g_bytes_new (payload, sizes[i]);
      frame = tincan_framing_encode (framing, bytes, &error);
      g_assert_no_error (error);
      g_byte_array_append (wire, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
    }
  wire_bytes = g_bytes_new (wire->data, wire->len);
  peer->data = wire_bytes;

  client = tincan_test_client_new_with_framing (TINCAN_TRANSPORT_TCP, "127.0.0.1", peer->port,
                                                framing, TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 5);

  memset (payload, 'A', SMALL_MAX + 1);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              payload, SMALL_MAX - 1, TINCAN_MESSAGE_NONE);
  memset (payload, 'B', SMALL_MAX + 1);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                              payload, SMALL_MAX, TINCAN_MESSAGE_NONE);
  memset (payload, 'C', SMALL_MAX + 1);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 2),
                              payload, SMALL_MAX, TINCAN_MESSAGE_TRUNCATED);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 3),
                              payload, 1, TINCAN_MESSAGE_TRUNCATED);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 4),
                              "DD", 2, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 5);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, wire->len);
  g_assert_cmpuint (peer->sent, ==, wire->len);
  g_assert_cmpuint (wire->len, ==, 3 * SMALL_MAX + 2 + (prefixed ? 8 : 4));

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 6. Bytes that are not text */

typedef struct
{
  const char *name;
  const char *bytes;
  gsize       length;
  const char *rendered;   /* what tincan_payload_render_text() shows */
} GarbageCase;

static const GarbageCase garbage_cases[] = {
  { "nul", "a\0b\0", 4, "a\\0b\\0" },
  { "invalid-utf8", "\xff\xfe\xc3(", 4, "\\xff\\xfe\\xc3(" },
  { "overlong-slash", "\xc0\xaf", 2, "\\xc0\\xaf" },
  { "overlong-3-byte", "\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf" },
  { "lone-surrogate", "\xed\xa0\x80", 3, "\\xed\\xa0\\x80" },
  { "ansi-escape", "\x1b[31mred\x1b[0m", 12, "\\x1b[31mred\\x1b[0m" },
  { "bidi-override", "abc\xe2\x80\xae" "def", 9, "abc\\u{202e}def" },
  { "c1-control", "\xc2\x9b" "31m", 5, "\\u{9b}31m" },
};

static void
write_garbage (Peer *peer)
{
  GByteArray *wire = g_byte_array_new ();
  guint8 all[255];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (garbage_cases); i++)
    {
      g_byte_array_append (wire, (const guint8 *) garbage_cases[i].bytes,
                           garbage_cases[i].length);
      g_byte_array_append (wire, (const guint8 *) "\n", 1);
    }
  /* Every byte value but the delimiter. */
  for (guint b = 0; b < 256; b++)
    if (b != '\n')
      all[n++] = (guint8) b;
  g_byte_array_append (wire, all, n);
  g_byte_array_append (wire, (const guint8 *) "\n", 1);

  peer_write (peer, wire->data, wire->len);
  g_byte_array_unref (wire);
}

static void
assert_safe_rendering (const guint8 *data,
                       gsize         length)
{
  g_autofree char *text = tincan_payload_render_text (data, length);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;

  /* Valid UTF-8, no NUL inside, nothing a terminal or a text renderer would
   * act on: no ESC, no C1 control, no bidi override. */
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c >= 0x20);
      g_assert_true (c < 0x7F || c > 0x9F);
      g_assert_true (c != 0x202E && c != 0x202D && c != 0x2066 && c != 0x2067 && c != 0x2068);
    }

  /* And it is faithful: parsed back, it is the bytes. */
  back = tincan_payload_parse (text, -1, TINCAN_PAYLOAD_FORMAT_TEXT, TINCAN_LINE_ENDING_NONE,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), data, length);
}

static void
test_garbage (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (write_garbage, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  guint n_cases = G_N_ELEMENTS (garbage_cases);

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, n_cases + 1);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==,
                    n_cases + 1);

  for (guint i = 0; i < n_cases; i++)
    {
      const GarbageCase *gc = &garbage_cases[i];
      TincanMessage *message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, i);
      gsize length;
      const guint8 *data = tincan_message_get_data (message, &length);
      g_autofree char *text = tincan_payload_render_text (data, length);

      g_test_message ("%s: %s", gc->name, text);
      tincan_test_assert_message (message, gc->bytes, gc->length, TINCAN_MESSAGE_NONE);
      g_assert_cmpstr (text, ==, gc->rendered);
      assert_safe_rendering (data, length);
    }

  {
    TincanMessage *message =
      tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, n_cases);
    gsize length;
    const guint8 *data = tincan_message_get_data (message, &length);

    g_assert_cmpuint (length, ==, 255);
    for (guint b = 0, j = 0; b < 256; b++)
      if (b != '\n')
        g_assert_cmpuint (data[j++], ==, b);
    assert_safe_rendering (data, length);
  }

  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, peer->sent);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 7. Big and many */

#define BIG_MESSAGE ((gsize) 16 * 1024 * 1024)

/* One 16 MiB message behind a u32be prefix, the maximum raised to 32 MiB:
 * it arrives whole, in one entry, byte for byte. */
static void
test_big_message (void)
{
  GMainContext *context = tincan_test_push_context ();
  static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyz!";
  g_autoptr(GBytes) head = u32be (BIG_MESSAGE);
  Flood *flood = flood_new (head, BIG_MESSAGE, pattern);
  g_autoptr(TincanFraming) base = tincan_framing_new_from_name ("u32be", NULL);
  g_autoptr(TincanFraming) framing = tincan_framing_copy_with_max_frame_size (base,
                                                                             2 * BIG_MESSAGE);
  g_autoptr(TincanSession) session = NULL;
  Count count = { 0 };
  gsize rss_before;
  gdouble seconds;
  gsize length;
  const guint8 *data;

  session = count_until_closed (flood->port, framing, &count, &rss_before, &seconds);
  g_test_message ("16 MiB message in %.2f s, RSS %zu → max %zu KiB", seconds, rss_before,
                  count.max_rss_kib);

  g_assert_cmpuint (count.messages, ==, 1);
  g_assert_cmpint (tincan_message_get_flags (count.last), ==, TINCAN_MESSAGE_NONE);
  data = tincan_message_get_data (count.last, &length);
  g_assert_cmpuint (length, ==, BIG_MESSAGE);
  for (gsize i = 0; i < length; i++)
    if (data[i] != (guint8) pattern[i % (sizeof pattern - 1)])
      g_error ("byte %zu differs", i);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, BIG_MESSAGE + 4);
  g_assert_cmpuint (flood->sent, ==, BIG_MESSAGE + 4);
  g_assert_cmpuint (count.errors, ==, 0);

  g_clear_pointer (&count.last, tincan_message_unref);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_free (flood);
  tincan_test_pop_context (context);
}

/* 1,000,000 messages of one byte: every one counted, in bounded time and
 * memory (the handler keeps none of them). */
static void
test_million_tiny (void)
{
  GMainContext *context = tincan_test_push_context ();
  Flood *flood = flood_new (NULL, 2 * TINY_MESSAGES, "x\n");
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name ("lf", NULL);
  g_autoptr(TincanSession) session = NULL;
  Count count = { 0 };
  gsize rss_before;
  gdouble seconds;

  session = count_until_closed (flood->port, framing, &count, &rss_before, &seconds);
  g_test_message ("%u messages in %.2f s, %u batches, RSS %zu → max %zu KiB",
                  TINY_MESSAGES, seconds, count.batches, rss_before, count.max_rss_kib);

  g_assert_cmpuint (count.messages, ==, TINY_MESSAGES);
  g_assert_cmpuint (count.bytes, ==, TINY_MESSAGES);
  g_assert_cmpuint (count.truncated + count.partial, ==, 0);
  g_assert_cmpuint (tincan_session_get_messages_received (session), ==, TINY_MESSAGES);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, 2 * TINY_MESSAGES);
  g_assert_cmpuint (flood->sent, ==, 2 * TINY_MESSAGES);
  /* Generous, for valgrind and loaded machines; a desktop takes well
   * under a second. */
  g_assert_cmpfloat (seconds, <, 30.0);
#if CHECK_RSS
  /* A batch of messages at most (one dispatch reads 1 MiB at most, so
   * about 500,000 entries). */
  g_assert_cmpuint (count.max_rss_kib, <, rss_before + 64 * 1024);
#endif

  g_clear_pointer (&count.last, tincan_message_unref);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_free (flood);
  tincan_test_pop_context (context);
}

/* 8. TLS */

/* A test certificate authority, made with the openssl command; not in the
 * trust store, so everything it signs is UNKNOWN_CA at least. */
typedef struct
{
  char *dir;
  char *config;
  char *ca_cert;
  char *ca_key;
  guint n_issued;
} Pki;

static void
run_openssl (const char *dir,
             const char * const *argv)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (dir, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s failed: %s", argv[1], err);
}

static Pki *
pki_new (void)
{
  Pki *pki = g_new0 (Pki, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *serial = NULL;
  static const char config[] =
    "[ ca ]\n"
    "default_ca = test_ca\n"
    "[ test_ca ]\n"
    "dir = .\n"
    "database = index.txt\n"
    "new_certs_dir = .\n"
    "serial = serial\n"
    "default_md = sha256\n"
    "policy = any\n"
    "unique_subject = no\n"
    "copy_extensions = copy\n"
    "[ any ]\n"
    "commonName = supplied\n";

  pki->dir = g_dir_make_tmp ("tincan-test-pki-XXXXXX", &error);
  g_assert_no_error (error);
  pki->config = g_build_filename (pki->dir, "ca.cnf", NULL);
  pki->ca_cert = g_build_filename (pki->dir, "ca.pem", NULL);
  pki->ca_key = g_build_filename (pki->dir, "ca.key", NULL);
  index = g_build_filename (pki->dir, "index.txt", NULL);
  serial = g_build_filename (pki->dir, "serial", NULL);
  g_assert_true (g_file_set_contents (pki->config, config, -1, &error));
  g_assert_true (g_file_set_contents (index, "", -1, &error));
  g_assert_true (g_file_set_contents (serial, "1000\n", -1, &error));
  g_assert_no_error (error);

  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "2", "-subj", "/CN=Tincan Hostile Test CA",
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-keyout", "ca.key", "-out", "ca.pem", NULL
    };

    run_openssl (pki->dir, argv);
  }

  return pki;
}

/* Issues a certificate for @host signed by the test CA, valid from @start to
 * @end ("YYYYMMDDHHMMSSZ"), or for two days from now if they are NULL. */
static GTlsCertificate *
pki_issue (Pki        *pki,
           const char *host,
           const char *start,
           const char *end)
{
  g_autofree char *name = g_strdup_printf ("leaf%u", pki->n_issued++);
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", host);
  g_autofree char *alt_name = g_strdup_printf ("subjectAltName=%s:%s",
                                               g_hostname_is_ip_address (host) ? "IP" : "DNS",
                                               host);
  g_autofree char *cert_path = g_build_filename (pki->dir, cert, NULL);
  g_autofree char *key_path = g_build_filename (pki->dir, key, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  {
    const char *argv[] = {
      "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-subj", subject, "-addext", alt_name, "-keyout", key, "-out", csr, NULL
    };

    run_openssl (pki->dir, argv);
  }

  {
    const char *argv[] = {
      "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
      "-notext", "-in", csr, "-out", cert,
      start != NULL ? "-startdate" : "-days", start != NULL ? start : "2",
      end != NULL ? "-enddate" : NULL, end, NULL
    };

    run_openssl (pki->dir, argv);
  }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  return certificate;
}

static void
pki_free (Pki *pki)
{
  g_autoptr(GDir) dir = g_dir_open (pki->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (pki->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (pki->dir);
  g_free (pki->dir);
  g_free (pki->config);
  g_free (pki->ca_cert);
  g_free (pki->ca_key);
  g_free (pki);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pki, pki_free)

static TincanEchoServer *
tls_server_new (GTlsCertificate *certificate)
{
  TincanEchoServer *server = tincan_echo_server_new (TINCAN_TRANSPORT_TLS);
  g_autoptr(GError) error = NULL;

  tincan_echo_server_set_tls_certificate (server, certificate);
  tincan_echo_server_start (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  return server;
}

typedef enum
{
  TLS_UNKNOWN_CA,
  TLS_EXPIRED,
  TLS_NOT_YET_VALID,
  TLS_WRONG_HOST,
} TlsCase;

/* Each certificate problem is refused with its flags and its sentence;
 * pinned, exactly that certificate is accepted, and another one with the
 * same problem still refused. (Self-signed certificates, and a pin used in
 * per-message mode, are in test-session.c /net/session/tls/...) */
static void
test_tls_certificate (gconstpointer data)
{
  TlsCase tc = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Pki) pki = pki_new ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsCertificate) other = NULL;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(TincanEchoServer) other_server = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree char *description = NULL;
  g_autofree char *endpoint = NULL;
  const TincanTlsProblem *problem;
  GTlsCertificateFlags expected_flags = G_TLS_CERTIFICATE_UNKNOWN_CA;
  const char *expected_sentence = NULL;
  const char *host = "127.0.0.1";
  const char *start = NULL;
  const char *end = NULL;

  switch (tc)
    {
    case TLS_EXPIRED:
      start = "20200101000000Z";
      end = "20200102000000Z";
      expected_flags |= G_TLS_CERTIFICATE_EXPIRED;
      expected_sentence = "The certificate expired on 2020-01-02.";
      break;
    case TLS_NOT_YET_VALID:
      start = "20990101000000Z";
      end = "20991231000000Z";
      expected_flags |= G_TLS_CERTIFICATE_NOT_ACTIVATED;
      expected_sentence = "The certificate is not valid yet: it is valid from 2099-01-01.";
      break;
    case TLS_WRONG_HOST:
      host = "wrong.example";
      expected_flags |= G_TLS_CERTIFICATE_BAD_IDENTITY;
      expected_sentence = "The certificate is for another host, not for “127.0.0.1”.";
      break;
    case TLS_UNKNOWN_CA:
    default:
      break;
    }

  certificate = pki_issue (pki, host, start, end);
  other = pki_issue (pki, host, start, end);
  g_assert_false (g_tls_certificate_is_same (certificate, other));
  server = tls_server_new (certificate);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "lf",
                                   TINCAN_CONNECTION_PERSISTENT);

  g_assert_false (tincan_test_client_connect (client));
  g_assert_error (client->connect_error, TINCAN_SESSION_ERROR,
                  TINCAN_SESSION_ERROR_BAD_CERTIFICATE);
  problem = tincan_session_get_tls_problem (client->session);
  g_assert_nonnull (problem);
  g_test_message ("flags 0x%x: %s", problem->flags, client->connect_error->message);
  g_assert_cmpint (problem->flags, ==, expected_flags);
  g_assert_true (g_tls_certificate_is_same (problem->certificate, certificate));
  g_assert_cmpstr (problem->host, ==, "127.0.0.1");
  g_assert_nonnull (strstr (problem->issuer, "Tincan Hostile Test CA"));

  description = tincan_tls_problem_describe (problem);
  g_assert_nonnull (strstr (description, "The certificate is not trusted (unknown authority)"));
  if (expected_sentence != NULL)
    g_assert_nonnull (strstr (description, expected_sentence));
  endpoint = g_strdup_printf ("127.0.0.1 port %u", tincan_echo_server_get_port (server));
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_BAD_CERTIFICATE,
                                    &(TincanErrorContext) {
                                      .endpoint = endpoint, .detail = description,
                                    });
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);

  /* "Connect anyway": pinned, the same certificate is accepted... */
  tincan_session_pin_certificate (client->session, problem->fingerprint);
  g_assert_true (tincan_test_client_connect (client));
  g_assert_null (tincan_session_get_tls_problem (client->session));
  tincan_test_client_send (client, "pinned", 6);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              "pinned", 6, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 7);
  tincan_session_disconnect (client->session);

  /* ...and only it: another one with the same problem is refused. */
  other_server = tls_server_new (other);
  tincan_session_set_port (client->session, tincan_echo_server_get_port (other_server));
  g_assert_false (tincan_test_client_connect (client));
  g_assert_error (client->connect_error, TINCAN_SESSION_ERROR,
                  TINCAN_SESSION_ERROR_BAD_CERTIFICATE);
  problem = tincan_session_get_tls_problem (client->session);
  g_assert_true (g_tls_certificate_is_same (problem->certificate, other));
  g_assert_cmpint (problem->flags, ==, expected_flags);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_echo_server_stop (other_server);
  tincan_test_run_for (context, 50);
  tincan_test_pop_context (context);
}

/* A failed handshake that may be a port without TLS says what to try. */
static gboolean
has_tcp_hint (const char *message)
{
  return g_str_has_suffix (message, "; if that port does not speak TLS, choose TCP") ||
         g_str_has_suffix (message, "; choose TCP to see what it sends");
}

static void
write_http_error (Peer *peer)
{
  static const char reply[] = "HTTP/1.0 400 Bad Request\r\n\r\n";

  peer_write (peer, reply, sizeof reply - 1);
}

/* A plain-text server answers our ClientHello with an HTTP error: the
 * handshake fails at once (not at the connect timeout), saying so. */
static void
test_tls_plaintext_server (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (write_http_error, TRUE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *prefix = NULL;
  gint64 start;

  tincan_session_set_connect_timeout (client->session, 20000);
  start = g_get_monotonic_time ();
  g_assert_false (tincan_test_client_connect (client));
  g_test_message ("%s", client->connect_error->message);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* GnuTLS reports the HTTP bytes as "An unexpected TLS packet was
   * received" (G_TLS_ERROR_MISC), not as G_TLS_ERROR_NOT_TLS, which it keeps
   * for other malformed records; the sentence follows what it says. */
  g_assert_true (g_error_matches (client->connect_error, TINCAN_SESSION_ERROR,
                                  TINCAN_SESSION_ERROR_NOT_TLS) ||
                 g_error_matches (client->connect_error, TINCAN_SESSION_ERROR,
                                  TINCAN_SESSION_ERROR_TLS_FAILED));
  if (client->connect_error->code == TINCAN_SESSION_ERROR_NOT_TLS)
    prefix = g_strdup_printf ("127.0.0.1 port %u does not speak TLS (", peer->port);
  else
    prefix = g_strdup_printf ("The TLS handshake with 127.0.0.1 port %u failed (", peer->port);
  g_assert_true (g_str_has_prefix (client->connect_error->message, prefix));
  g_assert_true (has_tcp_hint (client->connect_error->message));
  tincan_test_client_assert_has_error (client, client->connect_error->code);
  g_assert_null (tincan_session_get_tls_problem (client->session));
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  /* Our ClientHello reached the server. */
  g_assert_cmpuint (peer->n_received, >, 0);
  g_assert_cmpuint (peer->received->data[0], ==, 0x16);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 50);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* The commonest slip: TLS chosen for a plain TCP port, here our own echo
 * server, which sends our ClientHello back. It fails at once, with the
 * hint to choose TCP, and no certificate problem to pin. */
static void
test_tls_to_plain_echo (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);
  g_autoptr(TincanTestClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;

  g_assert_true (tincan_echo_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "lf",
                                   TINCAN_CONNECTION_PERSISTENT);
  tincan_session_set_connect_timeout (client->session, 20000);

  g_assert_false (tincan_test_client_connect (client));
  g_test_message ("%s", client->connect_error->message);
  g_assert_true (g_error_matches (client->connect_error, TINCAN_SESSION_ERROR,
                                  TINCAN_SESSION_ERROR_NOT_TLS) ||
                 g_error_matches (client->connect_error, TINCAN_SESSION_ERROR,
                                  TINCAN_SESSION_ERROR_TLS_FAILED));
  prefix = g_strdup_printf ("127.0.0.1 port %u", tincan_echo_server_get_port (server));
  g_assert_nonnull (strstr (client->connect_error->message, prefix));
  g_assert_true (has_tcp_hint (client->connect_error->message));
  tincan_test_client_assert_has_error (client, client->connect_error->code);
  g_assert_null (tincan_session_get_tls_problem (client->session));
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_run_for (context, 50);
  tincan_test_pop_context (context);
}

/* The other way round: plain TCP to a TLS server. */

#define TLS_HINT "This looks like a TLS server (its first bytes are a TLS record): try TLS"

static guint
count_entries_with_text (TincanTestClient *client,
                         const char       *text)
{
  guint n = 0;

  for (guint i = 0; i < client->entries->len; i++)
    {
      g_autofree char *entry = tincan_test_message_dup_text (g_ptr_array_index (client->entries,
                                                                                i));

      n += g_strcmp0 (entry, text) == 0;
    }
  return n;
}

/* What OpenSSL does with a plain-text request: a protocol_version alert
 * record, then the close. */
static void
answer_with_tls_alert (Peer         *peer,
                       const guint8 *data,
                       gsize         length)
{
  static const guint8 alert[] = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 };

  if (data == NULL || peer->n_received > length)
    return;
  peer_write (peer, alert, sizeof alert);
  peer_close (peer);
}

/* The alert's bytes are shown, and once, that this looks like TLS. */
static void
test_tcp_to_tls_alert (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (NULL, TRUE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               peer->port, "raw",
                                                               TINCAN_CONNECTION_PERSISTENT);
  TincanMessage *first;
  const guint8 *bytes;
  gsize length;

  peer->on_read = answer_with_tls_alert;
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "hello\n");
  tincan_test_wait_for (context, (TincanTestCondition) tincan_session_get_peer_closed,
                        client->session, TIMEOUT_MS);

  first = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0);
  bytes = tincan_message_get_data (first, &length);
  g_assert_cmpuint (length, ==, 7);
  g_assert_cmpint (bytes[0], ==, 0x15);
  g_assert_cmpuint (count_entries_with_text (client, TLS_HINT), ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 20);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* GnuTLS (the echo server's TLS) closes without a word: the close says that
 * a TLS server does that. */
static void
test_tcp_to_tls_echo (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TLS);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autoptr(GError) error = NULL;

  certificate = tincan_test_make_certificate ("127.0.0.1", &error);
  g_assert_no_error (error);
  tincan_echo_server_set_tls_certificate (server, certificate);
  g_assert_true (tincan_echo_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "raw",
                                   TINCAN_CONNECTION_PERSISTENT);

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "hello\n");
  tincan_test_wait_for (context, (TincanTestCondition) tincan_session_get_peer_closed,
                        client->session, TIMEOUT_MS);

  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS,
                                       "The server closed its side of the connection without "
                                       "sending anything, as a TLS server does with plain text: "
                                       "try TLS?");
  g_assert_cmpuint (count_entries_with_text (client, TLS_HINT), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_run_for (context, 50);
  tincan_test_pop_context (context);
}

/* A TLS server that writes a frame and a half, then closes the TCP
 * connection without close_notify, or resets it. */

typedef struct
{
  GTlsCertificate *certificate;
  gboolean         reset;
  GIOStream       *tls;
} TlsScript;

static void
tls_script_handshake_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Peer *peer = user_data;
  TlsScript *script = peer->data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_autoptr(GIOStream) base = NULL;

      /* The client's first attempt refuses our self-signed certificate.
       * Close that attempt's own socket: by now peer->connection may be
       * the client's second attempt, already accepted. */
      g_object_get (source, "base-io-stream", &base, NULL);
      g_io_stream_close (base, NULL, NULL);
      return;
    }

  /* Small: the TLS record fits the socket buffer, so this does not block. */
  g_output_stream_write_all (g_io_stream_get_output_stream (script->tls), "abc\nde", 6,
                             &written, NULL, &error);
  g_assert_no_error (error);
  peer->sent += written;

  if (script->reset)
    peer_reset (peer);
  else
    g_socket_close (g_socket_connection_get_socket (peer->connection), NULL);
}

static void
tls_script_on_accept (Peer *peer)
{
  TlsScript *script = peer->data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&script->tls);
  script->tls = g_tls_server_connection_new (G_IO_STREAM (peer->connection),
                                             script->certificate, &error);
  g_assert_no_error (error);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (script->tls), G_PRIORITY_DEFAULT,
                                    peer->cancellable, tls_script_handshake_cb, peer);
}

static gboolean
ended_or_peer_closed (gpointer data)
{
  return tincan_session_get_state (data) == TINCAN_SESSION_DISCONNECTED ||
         tincan_session_get_peer_closed (data);
}

/* Over TLS too, the bytes before the end are shown, the cut frame flagged
 * PARTIAL. A close without close_notify is taken as the end of the stream
 * (as most clients do); a reset is an error, usually: now and then (about
 * one run in forty under load) the reset reaches us through GnuTLS as a
 * plain end of stream, and the session can only say that. */
static void
test_tls_end_mid_frame (gconstpointer data)
{
  gboolean reset = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(Peer) peer = peer_new (tls_script_on_accept, FALSE);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               peer->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autoptr(GError) error = NULL;
  TlsScript script = { 0 };

  script.reset = reset;
  script.certificate = tincan_test_make_certificate ("127.0.0.1", &error);
  g_assert_no_error (error);
  peer->data = &script;

  g_assert_false (tincan_test_client_connect (client));
  tincan_session_pin_certificate (client->session,
                                  tincan_session_get_tls_problem (client->session)->fingerprint);
  g_assert_true (tincan_test_client_connect (client));

  tincan_test_wait_for (context, ended_or_peer_closed, client->session, TIMEOUT_MS);
  if (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED) != 2)
    tincan_test_client_dump_entries (client);

  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 2);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              "abc", 3, TINCAN_MESSAGE_NONE);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1),
                              "de", 2, TINCAN_MESSAGE_PARTIAL);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, peer->sent);
  g_assert_cmpuint (peer->sent, ==, 6);
  if (reset && tincan_session_get_state (client->session) == TINCAN_SESSION_DISCONNECTED)
    {
      tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_RESET);
    }
  else
    {
      if (reset)
        g_test_message ("the reset surfaced as the end of the stream");
      tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS,
                                           "The server closed its side of the connection; "
                                           "nothing more will arrive");
      g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 1);
    }

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 50);
  g_clear_object (&script.tls);
  g_clear_object (&script.certificate);
  g_clear_pointer (&peer, peer_free);
  tincan_test_pop_context (context);
}

/* 9. UDP */

typedef struct
{
  GSocket  *a;          /* the address the client sends to */
  GSocket  *b;          /* another port on the same host */
  GSocketAddress *client_address;
  guint64   received;
  guint     n_datagrams;
  gsize     last_length;
  gboolean  from_b_sent;
} UdpServer;

static gboolean
udp_server_readable_cb (GSocket      *socket,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  UdpServer *server = user_data;
  g_autofree guint8 *buffer = g_malloc (65536);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  gssize n;

  n = g_socket_receive_from (socket, &from, (char *) buffer, 65536, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);
  server->received += (guint64) n;
  server->n_datagrams++;
  server->last_length = (gsize) n;
  g_set_object (&server->client_address, from);

  /* The answer comes from the wrong port: a connected UDP socket must
   * not take it. */
  g_assert_cmpint (g_socket_send_to (server->b, from, (const char *) buffer, (gsize) n,
                                     NULL, &error), ==, n);
  g_assert_no_error (error);
  server->from_b_sent = TRUE;

  return G_SOURCE_CONTINUE;
}

static GSocket *
udp_socket_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);

  return socket;
}

static guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* The reply to a 65,507-byte datagram comes from another port: the
 * connected socket drops it (nothing arrives, nothing fails, within 300 ms:
 * an absence, so a plain wait is the deadline); the same reply from the
 * right port arrives whole. (No listener: test-session.c
 * /net/session/udp/refused/...) */
static void
test_udp_other_port (void)
{
  GMainContext *context = tincan_test_push_context ();
  UdpServer server = { 0 };
  g_autoptr(GSource) source = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree guint8 *datagram = g_malloc (TINCAN_UDP_MAX_DATAGRAM);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < TINCAN_UDP_MAX_DATAGRAM; i++)
    datagram[i] = (guint8) (i * 13);

  server.a = udp_socket_new ();
  server.b = udp_socket_new ();
  source = g_socket_create_source (server.a, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (udp_server_readable_cb), &server, NULL);
  g_source_attach (source, context);

  client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "127.0.0.1", socket_port (server.a), "raw",
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send (client, datagram, TINCAN_UDP_MAX_DATAGRAM);
  tincan_test_wait_until (context, &server.from_b_sent, TIMEOUT_MS);
  g_assert_cmpuint (server.last_length, ==, TINCAN_UDP_MAX_DATAGRAM);

  tincan_test_run_for (context, 300);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  /* From the right port, it arrives, whole. */
  g_assert_cmpint (g_socket_send_to (server.a, server.client_address, (const char *) datagram,
                                     TINCAN_UDP_MAX_DATAGRAM, NULL, &error),
                   ==, TINCAN_UDP_MAX_DATAGRAM);
  g_assert_no_error (error);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0),
                              datagram, TINCAN_UDP_MAX_DATAGRAM, TINCAN_MESSAGE_NONE);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==,
                    TINCAN_UDP_MAX_DATAGRAM);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, server.received);
  g_assert_cmpuint (server.n_datagrams, ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  g_source_destroy (source);
  g_clear_object (&server.a);
  g_clear_object (&server.b);
  g_clear_object (&server.client_address);
  tincan_test_pop_context (context);
}

/* 10. Dropping the session in every state */

/* A resolver that never answers (until cancelled). */

typedef struct
{
  GResolver parent_instance;
} HangingResolver;

typedef struct
{
  GResolverClass parent_class;
} HangingResolverClass;

static GType hanging_resolver_get_type (void);
G_DEFINE_TYPE (HangingResolver, hanging_resolver, G_TYPE_RESOLVER)

static gboolean lookup_started;

static gboolean
lookup_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

  return G_SOURCE_REMOVE;
}

static void
hanging_lookup_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);
  g_autoptr(GSource) source = NULL;

  g_assert_nonnull (cancellable);
  lookup_started = TRUE;
  /* The source holds the task until the lookup is cancelled. */
  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, G_SOURCE_FUNC (lookup_cancelled_cb), task, g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
}

static void
hanging_lookup_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  hanging_lookup_with_flags_async (resolver, hostname, 0, cancellable, callback, user_data);
}

static GList *
hanging_lookup_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
hanging_lookup (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL, "Not in this test");

  return NULL;
}

static GList *
hanging_lookup_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return hanging_lookup (resolver, hostname, cancellable, error);
}

static void
hanging_resolver_class_init (HangingResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = hanging_lookup;
  resolver_class->lookup_by_name_async = hanging_lookup_async;
  resolver_class->lookup_by_name_finish = hanging_lookup_finish;
  resolver_class->lookup_by_name_with_flags = hanging_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = hanging_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = hanging_lookup_finish;
}

static void
hanging_resolver_init (HangingResolver *self)
{
}

typedef enum
{
  DROP_RESOLVING,
  DROP_CONNECTING,
  DROP_HANDSHAKING,
  DROP_READING_FLOOD,
  DROP_WRITING_BLOCKED,
} DropWhen;

typedef struct
{
  guint n_messages;
  guint n_notify;
} Emissions;

static void
emission_messages_cb (TincanSession *session,
                      GPtrArray     *messages,
                      Emissions     *emissions)
{
  emissions->n_messages++;
}

static void
emission_notify_cb (TincanSession *session,
                    GParamSpec    *pspec,
                    Emissions     *emissions)
{
  emissions->n_notify++;
}

typedef struct
{
  TincanSession *session;
  guint64        bytes;
} ReceivedCondition;

static gboolean
bytes_received_reached (gpointer user_data)
{
  ReceivedCondition *condition = user_data;

  return tincan_session_get_bytes_received (condition->session) >= condition->bytes;
}

static gboolean
session_connecting (gpointer user_data)
{
  return tincan_session_get_state (user_data) == TINCAN_SESSION_CONNECTING;
}

/* The session is dropped in the middle of each kind of work: it is finalized
 * at once (g_assert_finalize_object), the cancelled operations then call
 * back into nothing, and the servers see the connection end. (Persistent
 * connecting, and dropping a pending connect, are in test-session.c
 * /net/session/dispose/...) */
static void
test_drop (gconstpointer data)
{
  DropWhen when = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) hanging = NULL;
  g_autoptr(Peer) peer = peer_new (NULL, when != DROP_WRITING_BLOCKED);
  g_autoptr(GError) error = NULL;
  TincanSession *session = tincan_session_new ();
  Flood *flood = NULL;
  TincanTestBlackhole *hole = NULL;
  Emissions emissions = { 0 };
  Emissions at_drop;

  tincan_session_set_host (session, "127.0.0.1");
  tincan_session_set_port (session, peer->port);
  g_signal_connect (session, "messages", G_CALLBACK (emission_messages_cb), &emissions);
  g_signal_connect (session, "notify", G_CALLBACK (emission_notify_cb), &emissions);

  switch (when)
    {
    case DROP_RESOLVING:
      {
        g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);

        hanging = g_object_new (hanging_resolver_get_type (), NULL);
        g_resolver_set_default (hanging);
        tincan_session_set_host (session, "never.invalid");
        tincan_session_set_mode (session, TINCAN_CONNECTION_PER_MESSAGE);
        lookup_started = FALSE;
        g_assert_true (tincan_session_send (session, payload, &error));
        tincan_test_wait_until (context, &lookup_started, TIMEOUT_MS);
        g_assert_cmpint (tincan_session_get_state (session), ==, TINCAN_SESSION_RESOLVING);
      }
      break;

    case DROP_CONNECTING:
      {
        g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);

        /* Per-message mode: no GTask holds the session while it connects;
         * the SYN is dropped, so it stays connecting. */
        hole = tincan_test_blackhole_new ();
        tincan_session_set_port (session, hole->port);
        tincan_session_set_mode (session, TINCAN_CONNECTION_PER_MESSAGE);
        g_assert_true (tincan_session_send (session, payload, &error));
        tincan_test_wait_for (context, session_connecting, session, TIMEOUT_MS);
      }
      break;

    case DROP_HANDSHAKING:
      {
        g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
        TincanSessionState state = TINCAN_SESSION_DISCONNECTED;

        /* The peer reads our ClientHello and never answers. */
        tincan_session_set_transport (session, TINCAN_TRANSPORT_TLS);
        tincan_session_set_mode (session, TINCAN_CONNECTION_PER_MESSAGE);
        g_assert_true (tincan_session_send (session, payload, &error));
        wait_for_peer_bytes (peer, 1);
        state = tincan_session_get_state (session);
        g_assert_cmpint (state, ==, TINCAN_SESSION_TLS_HANDSHAKE);
      }
      break;

    case DROP_READING_FLOOD:
      {
        gboolean done = FALSE;
        ReceivedCondition condition = { session, 4 * 1024 * 1024 };

        flood = flood_new (NULL, (gsize) 1 << 40, "flood ");
        tincan_session_set_port (session, flood->port);
        tincan_session_connect_async (session, NULL, tincan_test_session_connect_cb, &done);
        tincan_test_wait_until (context, &done, TIMEOUT_MS);
        tincan_test_wait_for (context, bytes_received_reached, &condition, TIMEOUT_MS);
      }
      break;

    case DROP_WRITING_BLOCKED:
    default:
      {
        gboolean done = FALSE;
        g_autofree guint8 *big = g_malloc0 (BLOCKED_MESSAGE_SIZE);
        g_autoptr(GBytes) payload = g_bytes_new_take (g_steal_pointer (&big),
                                                      BLOCKED_MESSAGE_SIZE);

        tincan_session_connect_async (session, NULL, tincan_test_session_connect_cb, &done);
        tincan_test_wait_until (context, &done, TIMEOUT_MS);
        for (guint i = 0; i < 32; i++)
          g_assert_true (tincan_session_send (session, payload, &error));
        tincan_test_run_for (context, 50);
        g_assert_cmpuint (tincan_session_get_messages_sent (session), <, 32);
      }
      break;
    }
  g_assert_no_error (error);

  /* Dropped: finalized at once, with I/O pending... */
  at_drop = emissions;
  g_assert_finalize_object (session);

  /* ...and the cancelled operations call back into nothing. */
  tincan_test_run_for (context, 100);
  g_assert_cmpuint (emissions.n_messages, ==, at_drop.n_messages);
  g_assert_cmpuint (emissions.n_notify, ==, at_drop.n_notify);

  if (flood != NULL)
    {
      /* The flood stops: our socket is closed. */
      flood_free (flood);
    }
  else if (hole != NULL)
    {
      g_clear_pointer (&hole, tincan_test_blackhole_free);
    }
  else if (when != DROP_RESOLVING)
    {
      /* The server sees our side go (the TLS close may take its close
       * timeout when the handshake is stuck). */
      if (when == DROP_WRITING_BLOCKED)
        peer_read (peer);
      tincan_test_wait_until (context, &peer->eof, TIMEOUT_MS);
    }
  else
    {
      g_assert_cmpuint (peer->n_accepted, ==, 0);
    }

  g_resolver_set_default (previous);
  g_clear_pointer (&peer, peer_free);
  tincan_test_run_for (context, 20);
  tincan_test_pop_context (context);
}

/* 11. Bad user input */

typedef struct
{
  const char *host;
  const char *port;       /* as typed; NULL: 7 */
  const char *sentence;
} BadInput;

#define LONG_LABEL "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"  /* 64 */
#define LABEL_63   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"   /* 63 */
/* 4 × 63 + 3 dots = 255 characters; one label shorter (254) below. */
#define NAME_254 LABEL_63 "." LABEL_63 "." LABEL_63 "." \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const BadInput bad_inputs[] = {
  /* Hosts */
  { "", NULL, "Enter a host name or address" },
  { " ", NULL, "The host “ ” contains a space" },
  { "a b", NULL, "The host “a b” contains a space" },
  { " example.org", NULL, "The host “ example.org” contains a space" },
  { "example.org ", NULL, "The host “example.org ” contains a space" },
  { "exa\tmple", NULL, "The host “exa\\tmple” contains a space" },
  { "a..b", NULL, "“a..b” has an empty part: a dot at the start or two dots in a row" },
  { ".a", NULL, "“.a” has an empty part: a dot at the start or two dots in a row" },
  { "..", NULL, "“..” has an empty part: a dot at the start or two dots in a row" },
  { "-a", NULL, "The part “-a” of the host name starts or ends with “-”" },
  { "a-", NULL, "The part “a-” of the host name starts or ends with “-”" },
  { "ok.-bad.org", NULL, "The part “-bad” of the host name starts or ends with “-”" },
  { NAME_254, NULL, "The host name is longer than 253 characters" },
  { LONG_LABEL ".org", NULL,
    "The part “aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…” of the host name is "
    "longer than 63 characters" },
  { "[::1]", NULL, "Write the host “[::1]” without brackets" },
  { "[example.org]", NULL, "Write the host “[example.org]” without brackets" },
  { "::1%", NULL, "The zone after “%” in “::1%” is empty; name an interface, as in “%eth0”" },
  { "::1%eth0", NULL,
    "“::1%eth0” has a zone, but zones are only allowed on link-local IPv6 addresses (fe80::/10)" },
  { "fe80::1%eth/0", NULL,
    "The zone in “fe80::1%eth/0” may only contain letters, digits, “.”, “-” and “_”" },
  { "example.org%eth0", NULL,
    "“example.org%eth0” has a zone, but zones are only allowed on link-local IPv6 "
    "addresses (fe80::/10)" },
  { ":::", NULL, "“:::” is not a valid IPv6 address" },
  { "1::2::3", NULL, "“1::2::3” is not a valid IPv6 address" },
  { "12345::", NULL, "“12345::” is not a valid IPv6 address" },
  { "1:2:3:4:5:6:7:8:9", NULL, "“1:2:3:4:5:6:7:8:9” is not a valid IPv6 address" },
  { "example.org:80", NULL, "“example.org:80” is not a valid IPv6 address" },
  { "1.2.3.256", NULL, "“1.2.3.256” is not a valid IPv4 address" },
  { "1.2.3", NULL, "“1.2.3” is not a valid IPv4 address" },
  { "1.2.3.4.5", NULL, "“1.2.3.4.5” is not a valid IPv4 address" },
  { "010.1.1.1", NULL, "“010.1.1.1” is not a valid IPv4 address" },
  { "999", NULL, "“999” is not a valid IPv4 address" },
  { "exa_mple!.org", NULL, "“!” is not allowed in a host name" },
  { "a/b", NULL, "“/” is not allowed in a host name" },
  { "user@example.org", NULL, "“@” is not allowed in a host name" },
  { "http://example.org", NULL, "“http://example.org” is not a valid IPv6 address" },
  { "nul\x01", NULL, "The host “nul\\x01” contains an invisible control character" },
  { "esc\x1b[31m", NULL, "The host “esc\\x1b[31m” contains an invisible control character" },
  { "evil\xe2\x80\xae" "gro.", NULL,
    "The host “evil\\u{202e}gro.” contains an invisible control character" },
  { "zero\xe2\x80\x8bwidth", NULL,
    "The host “zero\\u{200b}width” contains an invisible control character" },
  { "bad\xff", NULL, "The host “bad\\xff” is not valid UTF-8" },
  { "\xc0\xaf", NULL, "The host “\\xc0\\xaf” is not valid UTF-8" },
  /* Ports, as typed (the window parses them, then sets the number) */
  { "127.0.0.1", "", "Enter a port number from 1 to 65535" },
  { "127.0.0.1", "0", "Port 0 is out of range (1–65535)" },
  { "127.0.0.1", "00000", "Port 00000 is out of range (1–65535)" },
  { "127.0.0.1", "65536", "Port 65536 is out of range (1–65535)" },
  { "127.0.0.1", "99999999999999999999", "Port 99999999999999999999 is out of range (1–65535)" },
  { "127.0.0.1", "-1", "“-1” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "+7", "“+7” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "7a", "“7a” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", " 7", "“ 7” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "7 ", "“7 ” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "0x50", "“0x50” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "８０", "“８０” is not a port number: use only the digits 0–9" },
  { "127.0.0.1", "1e3", "“1e3” is not a port number: use only the digits 0–9" },
};

/* Numbers that reach the session as numbers, with the session's sentence. */
static const struct
{
  guint       port;
  const char *sentence;
} bad_port_numbers[] = {
  { 0, "Port 0 is out of range (1–65535)" },
  { 65536, "Port 65536 is out of range (1–65535)" },
  { G_MAXUINT, "Port 4294967295 is out of range (1–65535)" },
};

static void
test_bad_input (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanSession) session = tincan_session_new ();
  guint n_rows = 0;

  g_assert_cmpuint (strlen (NAME_254), ==, 254);
  g_assert_cmpuint (strlen (LONG_LABEL), ==, 64);

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *bi = &bad_inputs[i];
      g_autoptr(GError) error = NULL;
      guint16 port = 7;

      if (bi->port != NULL)
        {
          /* The window's path: the text is parsed before the session sees a
           * number; a bad port never reaches it. */
          g_assert_false (tincan_target_parse_port (bi->port, &port, &error));
          g_assert_nonnull (error);
          g_assert_true (error->domain == TINCAN_TARGET_ERROR);
          if (g_strcmp0 (error->message, bi->sentence) != 0)
            g_error ("port “%s”: “%s”, expected “%s”", bi->port, error->message, bi->sentence);
          g_assert_cmpuint (port, ==, 7);
          n_rows++;
          continue;
        }

      tincan_session_set_host (session, bi->host);
      tincan_session_set_port (session, 7);
      g_assert_false (tincan_session_validate (session, &error));
      g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_INVALID_TARGET);
      if (g_strcmp0 (error->message, bi->sentence) != 0)
        g_error ("row %u: “%s”, expected “%s”", i, error->message, bi->sentence);
      /* The sentence itself is safe to show. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\x1b'));
      n_rows++;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_port_numbers); i++)
    {
      g_autoptr(GError) error = NULL;

      tincan_session_set_host (session, "127.0.0.1");
      tincan_session_set_port (session, bad_port_numbers[i].port);
      g_assert_false (tincan_session_validate (session, &error));
      g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_INVALID_TARGET);
      g_assert_cmpstr (error->message, ==, bad_port_numbers[i].sentence);
      n_rows++;
    }

  /* And none of them did any I/O or changed the state. */
  g_assert_cmpint (tincan_session_get_state (session), ==, TINCAN_SESSION_DISCONNECTED);
  g_test_message ("%u malformed inputs", n_rows);
  g_assert_cmpuint (n_rows, >=, 40);

  g_assert_finalize_object (g_steal_pointer (&session));
  tincan_test_pop_context (context);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/hostile/refused", test_refused);
  g_test_add_func ("/net/hostile/reset/on-accept", test_reset_on_accept);
  g_test_add_func ("/net/hostile/reset/mid-frame", test_reset_mid_frame);
  for (guint i = 0; i < G_N_ELEMENTS (mid_frame_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/net/hostile/close-mid-frame/%s",
                                               mid_frame_cases[i].name);

      g_test_add_data_func (path, &mid_frame_cases[i], test_close_mid_frame);
    }
  g_test_add_func ("/net/hostile/half-close-mid-frame", test_half_close_mid_frame);
  g_test_add_data_func ("/net/hostile/per-message/close-on-accept", GINT_TO_POINTER (FALSE),
                        test_per_message_hang_up);
  g_test_add_data_func ("/net/hostile/per-message/reset-on-accept", GINT_TO_POINTER (TRUE),
                        test_per_message_hang_up);
  g_test_add_func ("/net/hostile/syn-dropped", test_syn_dropped);
  g_test_add_func ("/net/hostile/never-answers", test_never_answers);
  g_test_add_func ("/net/hostile/never-reads", test_never_reads);
  g_test_add_func ("/net/hostile/per-message/never-reads", test_per_message_never_reads);
  g_test_add_data_func ("/net/hostile/slow-drip/fast", &drip_fast, test_slow_drip);
  g_test_add_data_func ("/net/hostile/slow-drip/one-byte-per-50ms", &drip_spec, test_slow_drip);
  g_test_add_func ("/net/hostile/flood/no-delimiter", test_flood_no_delimiter);
  for (guint i = 0; i < G_N_ELEMENTS (huge_prefix_cases); i++)
    {
      const HugePrefixCase *hc = &huge_prefix_cases[i];
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/net/hostile/prefix/%s/all-ones/%s", hc->framing,
                              hc->payload >= (1 << 20) ? "20MiB" : "1000-bytes");
      g_test_add_data_func (path, hc, test_prefix_huge);
    }
  g_test_add_func ("/net/hostile/prefix/zero", test_prefix_zero);
  g_test_add_data_func ("/net/hostile/max-frame/lf", "lf", test_max_frame_edges);
  g_test_add_data_func ("/net/hostile/max-frame/u16be", "u16be", test_max_frame_edges);
  g_test_add_func ("/net/hostile/garbage", test_garbage);
  g_test_add_func ("/net/hostile/big-message-16MiB", test_big_message);
  g_test_add_func ("/net/hostile/million-tiny", test_million_tiny);
  g_test_add_data_func ("/net/hostile/tls/unknown-ca", GINT_TO_POINTER (TLS_UNKNOWN_CA),
                        test_tls_certificate);
  g_test_add_data_func ("/net/hostile/tls/expired", GINT_TO_POINTER (TLS_EXPIRED),
                        test_tls_certificate);
  g_test_add_data_func ("/net/hostile/tls/not-yet-valid", GINT_TO_POINTER (TLS_NOT_YET_VALID),
                        test_tls_certificate);
  g_test_add_data_func ("/net/hostile/tls/wrong-host", GINT_TO_POINTER (TLS_WRONG_HOST),
                        test_tls_certificate);
  g_test_add_func ("/net/hostile/tls/plaintext-server", test_tls_plaintext_server);
  g_test_add_func ("/net/hostile/tls/to-plain-echo-server", test_tls_to_plain_echo);
  g_test_add_func ("/net/hostile/tcp/to-tls-alert", test_tcp_to_tls_alert);
  g_test_add_func ("/net/hostile/tcp/to-tls-echo-server", test_tcp_to_tls_echo);
  g_test_add_data_func ("/net/hostile/tls/close-mid-frame", GINT_TO_POINTER (FALSE),
                        test_tls_end_mid_frame);
  g_test_add_data_func ("/net/hostile/tls/reset-mid-frame", GINT_TO_POINTER (TRUE),
                        test_tls_end_mid_frame);
  g_test_add_func ("/net/hostile/udp/other-port", test_udp_other_port);
  g_test_add_data_func ("/net/hostile/drop/resolving", GINT_TO_POINTER (DROP_RESOLVING),
                        test_drop);
  g_test_add_data_func ("/net/hostile/drop/connecting", GINT_TO_POINTER (DROP_CONNECTING),
                        test_drop);
  g_test_add_data_func ("/net/hostile/drop/handshaking", GINT_TO_POINTER (DROP_HANDSHAKING),
                        test_drop);
  g_test_add_data_func ("/net/hostile/drop/reading-flood", GINT_TO_POINTER (DROP_READING_FLOOD),
                        test_drop);
  g_test_add_data_func ("/net/hostile/drop/writing-blocked",
                        GINT_TO_POINTER (DROP_WRITING_BLOCKED), test_drop);
  g_test_add_func ("/net/hostile/bad-input", test_bad_input);

  return g_test_run ();
}
