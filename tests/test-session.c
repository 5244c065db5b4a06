/* test-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tests of TincanSession (and TincanMessage) over loopback only. Each test
 * runs on a private main context with its servers: TincanEchoServer for
 * echoes, small scripted GSocketService servers for misbehaviour, and a
 * thread writing with blocking send() for floods. Waits iterate the context
 * until the awaited event, with a deadline; nothing sleeps. */

#include "config.h"

#include <locale.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "tincan-echo-server.h"
#include "tincan-error-text.h"
#include "tincan-session-private.h"
#include "tincan-test-client.h"
#include "tincan-test-proxy.h"
#include "tincan-test-util.h"

/* The client's deadline, for the waits of the tests themselves too. */
#define TIMEOUT_MS TINCAN_TEST_CLIENT_TIMEOUT_MS

#define FLOOD_BYTES ((gsize) 256 * 1024 * 1024)

static gboolean
skip_without_ipv6 (void)
{
  if (!tincan_test_have_ipv6_loopback ())
    {
      g_test_skip ("IPv6 loopback (::1) is not available");
      return TRUE;
    }

  return FALSE;
}

/* Scripted servers on the test's context */

typedef enum
{
  SERVER_KEEP_OPEN,       /* accept, maybe greet, then read and never answer */
  SERVER_CLOSE,           /* greet, then close completely */
  SERVER_SHUTDOWN_WRITE,  /* greet, then shut the sending side only, keep reading */
  SERVER_RESET,           /* close with an RST when the client sends something */
  SERVER_TLS_DEAF,        /* TLS handshake, then never read */
  SERVER_ANSWER,          /* answer each read with the greeting */
} ServerEnd;

typedef struct
{
  GSocketService *service;
  guint16         port;
  GBytes         *greeting;
  ServerEnd       end;
  GPtrArray      *connections;
  GByteArray     *received;
  guint           n_accepted;
  gboolean        client_eof;
  GCancellable   *cancellable;
  GTlsCertificate *certificate; /* SERVER_TLS_DEAF */
  guint8          buffer[4096];
} ScriptServer;

static void script_server_read (ScriptServer *server, GSocketConnection *connection);

static void
reset_connection (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { 1, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                               &linger, sizeof linger), ==, 0);
  g_socket_close (socket, &error);
  g_assert_no_error (error);
}

static void
script_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ScriptServer *server = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n <= 0)
    {
      server->client_eof = TRUE;
      return;
    }

  g_byte_array_append (server->received, server->buffer, (guint) n);
  if (server->end == SERVER_ANSWER)
    {
      GOutputStream *output = g_io_stream_get_output_stream (g_object_get_data (source,
                                                                                "connection"));

      g_output_stream_write_all (output, g_bytes_get_data (server->greeting, NULL),
                                 g_bytes_get_size (server->greeting), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  if (server->end == SERVER_RESET)
    {
      reset_connection (g_object_get_data (source, "connection"));
      return;
    }
  script_server_read (server, g_object_get_data (source, "connection"));
}

static void
script_server_read (ScriptServer      *server,
                    GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  g_object_set_data (G_OBJECT (input), "connection", connection);
  g_input_stream_read_async (input, server->buffer, sizeof server->buffer, G_PRIORITY_DEFAULT,
                             server->cancellable, script_read_cb, server);
}

static gboolean
script_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    ScriptServer      *server)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GError) error = NULL;

  server->n_accepted++;
  g_ptr_array_add (server->connections, g_object_ref (connection));

  if (server->greeting != NULL && server->end != SERVER_TLS_DEAF && server->end != SERVER_ANSWER)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (server->greeting, &length);

      /* Small: fits the socket buffer, so this does not block. */
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 data, length, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  switch (server->end)
    {
    case SERVER_TLS_DEAF:
      {
        GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (connection),
                                                      server->certificate, &error);

        g_assert_no_error (error);
        g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                          server->cancellable, NULL, NULL);
        g_ptr_array_add (server->connections, tls);
      }
      break;

    case SERVER_CLOSE:
      g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
      g_assert_no_error (error);
      break;

    case SERVER_SHUTDOWN_WRITE:
      g_socket_shutdown (socket, FALSE, TRUE, &error);
      g_assert_no_error (error);
      script_server_read (server, connection);
      break;

    case SERVER_RESET:
    case SERVER_KEEP_OPEN:
    default:
      script_server_read (server, connection);
      break;
    }

  return TRUE;
}

static ScriptServer *
script_server_new (ServerEnd   end,
                   const char *greeting)
{
  ScriptServer *server = g_new0 (ScriptServer, 1);
  g_autoptr(GError) error = NULL;

  server->end = end;
  server->greeting = greeting ? g_bytes_new (greeting, strlen (greeting)) : NULL;
  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  server->received = g_byte_array_new ();
  server->cancellable = g_cancellable_new ();
  server->service = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                   &effective, &error);
    g_assert_no_error (error);
    server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (server->service, "incoming", G_CALLBACK (script_incoming_cb), server);
  g_socket_service_start (server->service);

  return server;
}

static void
script_server_free (ScriptServer *server)
{
  g_cancellable_cancel (server->cancellable);
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_signal_handlers_disconnect_by_data (server->service, server);
  g_clear_object (&server->service);
  for (guint i = 0; i < server->connections->len; i++)
    if (!G_IS_TLS_CONNECTION (g_ptr_array_index (server->connections, i)))
      g_io_stream_close (g_ptr_array_index (server->connections, i), NULL, NULL);
  /* Let the cancelled reads call back before their buffer goes. */
  tincan_test_drain_context (NULL);
  g_ptr_array_unref (server->connections);
  g_clear_object (&server->certificate);
  g_byte_array_unref (server->received);
  g_clear_pointer (&server->greeting, g_bytes_unref);
  g_object_unref (server->cancellable);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScriptServer, script_server_free)

typedef struct
{
  ScriptServer *server;
  gsize         bytes;
} ServerBytesCondition;

static gboolean
server_received_reached (gpointer user_data)
{
  ServerBytesCondition *condition = user_data;

  return condition->server->received->len >= condition->bytes;
}

static gboolean
echo_server_idle (gpointer user_data)
{
  return tincan_echo_server_get_n_connections (user_data) == 0;
}

static TincanEchoServer *
echo_server_new (TincanTransport  transport,
                 const char      *address,
                 GTlsCertificate *certificate)
{
  TincanEchoServer *server = tincan_echo_server_new (transport);
  g_autoptr(GError) error = NULL;

  if (certificate != NULL)
    tincan_echo_server_set_tls_certificate (server, certificate);
  tincan_echo_server_start (server, address, 0, &error);
  g_assert_no_error (error);

  return server;
}

/* A thread that accepts one client and writes @total bytes of @pattern to
 * it with blocking send(), then closes. */

typedef struct
{
  int           listen_fd;
  guint16       port;
  gsize         total;
  const guint8 *pattern;
  gsize         pattern_length;
  const guint8 *tail;
  gsize         tail_length;
  gsize         sent;
  GThread      *thread;
} FloodServer;

static gpointer
flood_thread (gpointer user_data)
{
  FloodServer *server = user_data;
  guint8 *block;
  gsize block_size = 256 * 1024;
  int fd;

  fd = accept (server->listen_fd, NULL, NULL);
  g_assert_cmpint (fd, >=, 0);

  block = g_malloc (block_size);
  for (gsize i = 0; i < block_size; i++)
    block[i] = server->pattern[i % server->pattern_length];

  while (server->sent < server->total)
    {
      gsize want = MIN (block_size, server->total - server->sent);
      /* Start each block where the pattern continues. */
      gsize phase = server->sent % server->pattern_length;
      ssize_t n;

      if (phase != 0)
        want = MIN (want, block_size - phase);
      n = send (fd, block + phase, want, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      server->sent += (gsize) n;
    }

  if (server->tail_length > 0)
    g_assert_cmpint (send (fd, server->tail, server->tail_length, MSG_NOSIGNAL), ==,
                     (ssize_t) server->tail_length);

  close (fd);
  g_free (block);

  return NULL;
}

static FloodServer *
flood_server_new (gsize         total,
                  const char   *pattern,
                  const char   *tail)
{
  FloodServer *server = g_new0 (FloodServer, 1);
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;

  server->total = total;
  server->pattern = (const guint8 *) pattern;
  server->pattern_length = strlen (pattern);
  server->tail = (const guint8 *) tail;
  server->tail_length = tail ? strlen (tail) : 0;

  server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (server->listen_fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (server->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (server->listen_fd, 1), ==, 0);
  g_assert_cmpint (getsockname (server->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  server->port = ntohs (address.sin_port);

  server->thread = g_thread_new ("flood", flood_thread, server);

  return server;
}

static void
flood_server_free (FloodServer *server)
{
  g_thread_join (server->thread);
  close (server->listen_fd);
  g_free (server);
}

/* TincanMessage */

static void
test_message_basics (void)
{
  const guint8 data[] = { 'a', 0, 'b' };
  g_autoptr(TincanMessage) copied = NULL;
  g_autoptr(TincanMessage) text = NULL;
  g_autoptr(TincanMessage) wrapped = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("xyz", 3);
  guint8 mutable_data[3] = { 1, 2, 3 };
  gint64 before = g_get_real_time ();
  gsize length;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) got_wrapped = NULL;

  copied = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_PARTIAL,
                                         mutable_data, sizeof mutable_data);
  /* The data was copied: the caller's buffer can change. */
  mutable_data[0] = 9;
  g_assert_cmpint (tincan_message_get_kind (copied), ==, TINCAN_MESSAGE_KIND_RECEIVED);
  g_assert_cmpint (tincan_message_get_flags (copied), ==, TINCAN_MESSAGE_PARTIAL);
  g_assert_cmpmem (tincan_message_get_data (copied, &length), length, "\1\2\3", 3);
  got = tincan_message_dup_bytes (copied);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), "\1\2\3", 3);
  g_assert_cmpint (tincan_message_get_real_time (copied), >=, before);
  g_assert_cmpint (tincan_message_get_real_time (copied), <=, g_get_real_time ());
  g_assert_cmpint (tincan_message_get_monotonic_time (copied), <=, g_get_monotonic_time ());

  text = tincan_message_new_text (TINCAN_MESSAGE_KIND_ERROR, "Oops");
  g_assert_cmpint (tincan_message_get_kind (text), ==, TINCAN_MESSAGE_KIND_ERROR);
  g_assert_cmpmem (tincan_message_get_data (text, &length), length, "Oops", 4);

  wrapped = tincan_message_new (TINCAN_MESSAGE_KIND_SENT, TINCAN_MESSAGE_NONE, bytes);
  /* Made from a GBytes that is all payload: that GBytes, not a copy. */
  got_wrapped = tincan_message_dup_bytes (wrapped);
  g_assert_true (got_wrapped == bytes);
  g_assert_true (tincan_message_get_data (wrapped, NULL) == g_bytes_get_data (bytes, NULL));

  {
    g_autoptr(TincanMessage) empty =
      tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, NULL, 0);

    g_assert_nonnull (tincan_message_get_data (empty, &length));
    g_assert_cmpuint (length, ==, 0);
    g_autoptr(GBytes) none = tincan_message_dup_bytes (empty);

    g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
  }

  {
    TincanMessage *boxed = g_boxed_copy (TINCAN_TYPE_MESSAGE, copied);

    g_assert_true (boxed == copied);
    g_boxed_free (TINCAN_TYPE_MESSAGE, boxed);
  }

  {
    g_autoptr(TincanMessage) binary =
      tincan_message_new_take_data (TINCAN_MESSAGE_KIND_SENT, 0, data, sizeof data);

    g_assert_cmpmem (tincan_message_get_data (binary, &length), length, data, sizeof data);
  }

  /* About no connection, no round-trip time, until the session says; a
   * clipped copy keeps both, and an ERROR entry keeps its GError. */
  g_assert_cmpuint (tincan_message_get_connection_id (copied), ==, 0);
  g_assert_cmpint (tincan_message_get_rtt (copied), ==, -1);
  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Broken");
    g_autoptr(TincanMessage) failure = tincan_message_new_error (error);
    g_autoptr(TincanMessage) clipped = NULL;
    g_autoptr(TincanMessage) clipped_failure = NULL;

    _tincan_message_set_exchange (copied, 7, 1234);
    clipped = tincan_message_new_clipped (copied, 1);
    g_assert_cmpuint (tincan_message_get_connection_id (clipped), ==, 7);
    g_assert_cmpint (tincan_message_get_rtt (clipped), ==, 1234);

    _tincan_message_set_exchange (failure, 8, 99);
    clipped_failure = tincan_message_new_clipped (failure, 2);
    g_assert_cmpuint (tincan_message_get_connection_id (clipped_failure), ==, 8);
    g_assert_cmpint (tincan_message_get_rtt (clipped_failure), ==, -1);
    g_assert_error (tincan_message_get_error (clipped_failure), G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_null (tincan_message_get_error (copied));
  }
}

/* Properties and validation */

static guint notify_count;

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  notify_count++;
}

/* The wording table: every code and its sentence, the only place the tests
 * spell out what an ERROR entry says. */
static void
test_error_wording (void)
{
  const TincanErrorContext at = {
    .endpoint = "127.0.0.1 port 7", .host = "example.org", .port = 7, .msec = 500,
    .count = 2, .limit = 65507, .size = "66.2 MB", .cause = "Boom",
    .detail = "The certificate has expired.",
  };
  const TincanErrorContext udp = { .endpoint = "127.0.0.1 port 7", .udp = TRUE };
  const TincanErrorContext server = { .cause = "Boom" };
  const TincanErrorContext one = { .count = 1 };
  const TincanErrorContext found = { .host = "example.org" };
  const struct {
    TincanSessionError        code;
    const TincanErrorContext *context;
    const char               *sentence;
  } table[] = {
    { TINCAN_SESSION_ERROR_INVALID_TARGET, &at, "Boom" },
    { TINCAN_SESSION_ERROR_NOT_CONNECTED, &at, "Not connected: connect first" },
    { TINCAN_SESSION_ERROR_TOO_LARGE, &at,
      "The message is 2 bytes; a UDP datagram holds at most 65507" },
    { TINCAN_SESSION_ERROR_BAD_CERTIFICATE, &at,
      "Refused the certificate of 127.0.0.1 port 7. The certificate has expired." },
    { TINCAN_SESSION_ERROR_TIMED_OUT, &at,
      "Timed out after 0.5 s connecting to example.org port 7" },
    { TINCAN_SESSION_ERROR_NO_REPLY, &at, "No reply within 0.5 s" },
    { TINCAN_SESSION_ERROR_BUSY, &at, "Already connected or connecting: disconnect first" },
    { TINCAN_SESSION_ERROR_QUEUE_FULL, &at,
      "Not sent: the queue already holds 66.2 MB that the server has not taken yet" },
    { TINCAN_SESSION_ERROR_RESOLVE_FAILED, &at, "No such host: example.org (Boom)" },
    { TINCAN_SESSION_ERROR_RESOLVE_FAILED, &found, "No such host: example.org" },
    { TINCAN_SESSION_ERROR_REFUSED, &at, "Connection refused by 127.0.0.1 port 7" },
    { TINCAN_SESSION_ERROR_REFUSED, &udp,
      "Connection refused by 127.0.0.1 port 7 (nothing is listening)" },
    { TINCAN_SESSION_ERROR_UNREACHABLE, &at, "127.0.0.1 port 7 is unreachable (Boom)" },
    { TINCAN_SESSION_ERROR_NOT_TLS, &at,
      "127.0.0.1 port 7 does not speak TLS (Boom); choose TCP to see what it sends" },
    { TINCAN_SESSION_ERROR_TLS_REFUSED, &at,
      "The TLS handshake with 127.0.0.1 port 7 failed (Boom)" },
    { TINCAN_SESSION_ERROR_TLS_FAILED, &at,
      "The TLS handshake with 127.0.0.1 port 7 failed (Boom); if that port does not speak TLS, "
      "choose TCP" },
    { TINCAN_SESSION_ERROR_CONNECT_FAILED, &at, "Could not connect to 127.0.0.1 port 7 (Boom)" },
    { TINCAN_SESSION_ERROR_PEER_RESET, &at, "Connection reset by 127.0.0.1 port 7" },
    { TINCAN_SESSION_ERROR_PEER_RESET, &server, "Connection reset by the server" },
    { TINCAN_SESSION_ERROR_PEER_CLOSED, &at, "Connection closed by the server" },
    { TINCAN_SESSION_ERROR_RECEIVE_FAILED, &at, "Could not receive from 127.0.0.1 port 7 (Boom)" },
    { TINCAN_SESSION_ERROR_SEND_FAILED, &at, "Could not send to 127.0.0.1 port 7 (Boom)" },
    { TINCAN_SESSION_ERROR_SEND_STALLED, &at,
      "The server took no more of the message for 0.5 s; it was not sent whole" },
    { TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY, &at,
      "The server closed the connection without replying" },
    { TINCAN_SESSION_ERROR_UNSENT, &at, "2 queued messages were not sent" },
    { TINCAN_SESSION_ERROR_UNSENT, &one, "1 queued message was not sent" },
    { TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED, &at,
      "2 datagrams were dropped by the system: they came faster than they could be read" },
    { TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED, &one,
      "1 datagram was dropped by the system: they came faster than they could be read" },
    { TINCAN_SESSION_ERROR_TLS_NO_ANSWER, &at,
      "Connected to 127.0.0.1 port 7, but the server did not answer the TLS handshake within "
      "0.5 s: is this a plain TCP port?" },
    { TINCAN_SESSION_ERROR_UNREACHABLE_PORT, &udp,
      "Nothing is listening at 127.0.0.1 port 7 (the system reported the port unreachable); the "
      "next datagrams still go there" },
  };
  g_autoptr(GEnumClass) codes = g_type_class_ref (TINCAN_TYPE_SESSION_ERROR);

  /* Every code has a row. */
  for (guint code = 0; code < codes->n_values; code++)
    {
      gboolean found_row = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (table); i++)
        found_row |= table[i].code == code;
      if (!found_row)
        g_error ("no sentence tested for %s", codes->values[code].value_name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *text = tincan_session_error_describe (table[i].code, table[i].context);
      g_autoptr(GError) error = tincan_session_error_new (table[i].code, table[i].context);

      g_assert_cmpstr (text, ==, table[i].sentence);
      g_assert_error (error, TINCAN_SESSION_ERROR, (gint) table[i].code);
      g_assert_cmpstr (error->message, ==, table[i].sentence);
    }
}

/* Counts in sentences are grouped as the locale groups digits (issue 12,
 * item 11); a port is a name, never grouped. Skipped without a grouping
 * locale: the tests install none. */
static void
test_error_wording_grouped (void)
{
  const TincanErrorContext dropped = { .count = 12000 };
  const TincanErrorContext large = { .count = 70000, .limit = 65507 };
  const TincanErrorContext timed_out = { .host = "example.org", .port = 16379, .msec = 500 };
  g_autofree char *text = NULL;

  if (setlocale (LC_NUMERIC, "en_US.UTF-8") == NULL)
    {
      g_test_skip ("No en_US.UTF-8 locale on this machine");
      return;
    }

  text = tincan_session_error_describe (TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED, &dropped);
  g_assert_true (g_str_has_prefix (text, "12,000 datagrams were dropped"));
  g_free (text);
  text = tincan_session_error_describe (TINCAN_SESSION_ERROR_TOO_LARGE, &large);
  g_assert_cmpstr (text, ==, "The message is 70,000 bytes; a UDP datagram holds at most 65,507");
  g_free (text);
  text = tincan_session_error_describe (TINCAN_SESSION_ERROR_TIMED_OUT, &timed_out);
  g_assert_cmpstr (text, ==, "Timed out after 0.5 s connecting to example.org port 16379");
  setlocale (LC_NUMERIC, "");
}

/* An ERROR entry keeps its GError; other entries have none. */
static void
test_message_error (void)
{
  g_autoptr(GError) error = g_error_new_literal (TINCAN_SESSION_ERROR,
                                                 TINCAN_SESSION_ERROR_PEER_CLOSED,
                                                 "Connection closed by the server");
  g_autoptr(TincanMessage) entry = tincan_message_new_error (error);
  g_autoptr(TincanMessage) text = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, "Hi");
  gsize length;
  const guint8 *data = tincan_message_get_data (entry, &length);

  g_assert_cmpint (tincan_message_get_kind (entry), ==, TINCAN_MESSAGE_KIND_ERROR);
  g_assert_error (tincan_message_get_error (entry), TINCAN_SESSION_ERROR,
                  TINCAN_SESSION_ERROR_PEER_CLOSED);
  g_assert_true (tincan_message_get_error (entry) != error);
  g_assert_cmpmem (data, length, error->message, strlen (error->message));
  g_assert_null (tincan_message_get_error (text));
}

/* The enum properties carry registered types whose nicks are the ones the
 * settings schema uses, so that g_settings_bind() can map a key straight to
 * a property. */
static void
assert_enum_property (GObject    *object,
                      const char *name,
                      GType       enum_type,
                      const char *nicks[])
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);

  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == enum_type);
  g_assert_cmpuint (klass->n_values, ==, g_strv_length ((char **) nicks));
  for (guint i = 0; nicks[i] != NULL; i++)
    {
      GEnumValue *value = g_enum_get_value (klass, i);

      g_assert_nonnull (value);
      g_assert_cmpstr (value->value_nick, ==, nicks[i]);
    }
}

static void
test_enum_properties (void)
{
  g_autoptr(TincanSession) session = tincan_session_new ();
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_UDP);
  const char *transports[] = { "tcp", "tls", "udp", NULL };
  const char *modes[] = { "persistent", "per-message", NULL };
  const char *states[] = { "disconnected", "resolving", "connecting", "tls-handshake",
                           "connected", "closing", NULL };
  const char *formats[] = { "text", "hex", NULL };
  const char *endings[] = { "none", "lf", "cr", "crlf", NULL };
  g_autoptr(GEnumClass) kinds = g_type_class_ref (TINCAN_TYPE_FRAMING_KIND);
  g_autoptr(GEnumClass) directions = g_type_class_ref (TINCAN_TYPE_MESSAGE_KIND);
  TincanTransport transport = TINCAN_TRANSPORT_TCP;

  assert_enum_property (G_OBJECT (session), "transport", TINCAN_TYPE_TRANSPORT, transports);
  assert_enum_property (G_OBJECT (session), "mode", TINCAN_TYPE_CONNECTION_MODE, modes);
  assert_enum_property (G_OBJECT (session), "state", TINCAN_TYPE_SESSION_STATE, states);
  assert_enum_property (G_OBJECT (server), "transport", TINCAN_TYPE_TRANSPORT, transports);

  g_object_set (session, "transport", TINCAN_TRANSPORT_TLS, NULL);
  g_object_get (session, "transport", &transport, NULL);
  g_assert_cmpint (transport, ==, TINCAN_TRANSPORT_TLS);
  g_object_get (server, "transport", &transport, NULL);
  g_assert_cmpint (transport, ==, TINCAN_TRANSPORT_UDP);

  /* The composer's settings keys. */
  {
    g_autoptr(GEnumClass) format_class = g_type_class_ref (TINCAN_TYPE_PAYLOAD_FORMAT);
    g_autoptr(GEnumClass) ending_class = g_type_class_ref (TINCAN_TYPE_LINE_ENDING);

    for (guint i = 0; formats[i] != NULL; i++)
      g_assert_cmpint (g_enum_get_value_by_nick (format_class, formats[i])->value, ==, i);
    for (guint i = 0; endings[i] != NULL; i++)
      g_assert_cmpint (g_enum_get_value_by_nick (ending_class, endings[i])->value, ==, i);
  }
  g_assert_cmpint (g_enum_get_value_by_nick (kinds, "length-prefix")->value, ==,
                   TINCAN_FRAMING_LENGTH_PREFIX);
  g_assert_cmpint (g_enum_get_value_by_nick (directions, "received")->value, ==,
                   TINCAN_MESSAGE_KIND_RECEIVED);
  g_assert_true (G_TYPE_IS_FLAGS (TINCAN_TYPE_MESSAGE_FLAGS));
}

static void
test_properties (void)
{
  g_autoptr(TincanSession) session = tincan_session_new ();
  g_autoptr(TincanFraming) lf = tincan_framing_new_from_name ("lf", NULL);
  g_autoptr(TincanFraming) lf2 = tincan_framing_new_from_name ("lf", NULL);
  g_autoptr(TincanFraming) got = NULL;
  guint port = 0;

  g_assert_cmpstr (tincan_session_get_host (session), ==, "");
  g_assert_cmpuint (tincan_session_get_port (session), ==, 0);
  g_assert_cmpint (tincan_session_get_transport (session), ==, TINCAN_TRANSPORT_TCP);
  g_assert_cmpint (tincan_session_get_mode (session), ==, TINCAN_CONNECTION_PERSISTENT);
  g_assert_cmpint (tincan_framing_get_kind (tincan_session_get_framing (session)), ==,
                   TINCAN_FRAMING_RAW);
  g_assert_cmpuint (tincan_session_get_connect_timeout (session), ==, 10000);
  g_assert_cmpuint (tincan_session_get_response_timeout (session), ==, 2000);
  g_assert_cmpint (tincan_session_get_state (session), ==, TINCAN_SESSION_DISCONNECTED);
  g_assert_null (tincan_session_get_peer_address (session));
  g_assert_false (tincan_session_get_peer_closed (session));
  g_assert_cmpuint (tincan_session_get_bytes_sent (session), ==, 0);
  g_assert_null (tincan_session_get_connected_since (session));
  g_assert_null (tincan_session_get_tls_problem (session));

  g_signal_connect (session, "notify", G_CALLBACK (count_notify_cb), NULL);
  notify_count = 0;

  tincan_session_set_host (session, "example.org");
  tincan_session_set_host (session, "example.org");
  g_assert_cmpuint (notify_count, ==, 1);

  tincan_session_set_port (session, 7);
  tincan_session_set_port (session, 7);
  g_assert_cmpuint (notify_count, ==, 2);

  tincan_session_set_framing (session, lf);
  tincan_session_set_framing (session, lf2);
  g_assert_cmpuint (notify_count, ==, 3);

  tincan_session_set_transport (session, TINCAN_TRANSPORT_UDP);
  tincan_session_set_mode (session, TINCAN_CONNECTION_PER_MESSAGE);
  tincan_session_set_connect_timeout (session, 500);
  tincan_session_set_response_timeout (session, 300);
  tincan_session_set_response_timeout (session, 300);
  g_assert_cmpuint (notify_count, ==, 7);

  g_object_get (session, "port", &port, "framing", &got, NULL);
  g_assert_cmpuint (port, ==, 7);
  g_assert_true (tincan_framing_equal (got, lf));

  g_object_set (session, "host", "localhost", "transport", TINCAN_TRANSPORT_TLS, NULL);
  g_assert_cmpstr (tincan_session_get_host (session), ==, "localhost");
  g_assert_cmpint (tincan_session_get_transport (session), ==, TINCAN_TRANSPORT_TLS);
  g_assert_cmpuint (notify_count, ==, 9);
}

static void
assert_invalid (TincanSession *session,
                const char    *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tincan_session_validate (session, &error));
  g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_INVALID_TARGET);
  if (expected != NULL)
    g_assert_cmpstr (error->message, ==, expected);
}

static void
test_validation (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", 0,
                                                               "lf", TINCAN_CONNECTION_PERSISTENT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("hi", 2);

  assert_invalid (client->session, "Port 0 is out of range (1–65535)");

  tincan_session_set_port (client->session, 70000);
  assert_invalid (client->session, "Port 70000 is out of range (1–65535)");

  tincan_session_set_port (client->session, 7);
  tincan_session_set_host (client->session, "");
  assert_invalid (client->session, "Enter a host name or address");
  tincan_session_set_host (client->session, "a b");
  assert_invalid (client->session, NULL);
  tincan_session_set_host (client->session, "[::1]");
  assert_invalid (client->session, NULL);

  /* connect refuses before any I/O: nothing emitted, the state unchanged. */
  g_assert_false (tincan_test_client_connect (client));
  g_assert_error (client->connect_error, TINCAN_SESSION_ERROR,
                  TINCAN_SESSION_ERROR_INVALID_TARGET);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  /* Persistent mode without a connection. */
  tincan_session_set_host (client->session, "127.0.0.1");
  g_assert_false (tincan_session_send (client->session, payload, &error));
  g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Per-message mode validates at each send. */
  tincan_session_set_mode (client->session, TINCAN_CONNECTION_PER_MESSAGE);
  tincan_session_set_port (client->session, 0);
  g_assert_false (tincan_session_send (client->session, payload, &error));
  g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_INVALID_TARGET);
  g_assert_cmpstr (error->message, ==, "Port 0 is out of range (1–65535)");
  g_clear_error (&error);

  /* connect in per-message mode only validates. */
  g_assert_false (tincan_test_client_connect (client));
  g_assert_error (client->connect_error, TINCAN_SESSION_ERROR,
                  TINCAN_SESSION_ERROR_INVALID_TARGET);
  tincan_session_set_port (client->session, 7);
  g_assert_true (tincan_test_client_connect (client));

  /* Encoding errors come back from send(), with nothing queued. */
  {
    g_autoptr(GBytes) with_newline = g_bytes_new_static ("a\nb", 3);
    g_autoptr(TincanFraming) u8 = tincan_framing_new_from_name ("u8", NULL);
    g_autofree guint8 *big = g_malloc0 (300);
    g_autoptr(GBytes) too_big = g_bytes_new (big, 300);

    g_assert_false (tincan_session_send (client->session, with_newline, &error));
    g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER);
    g_clear_error (&error);

    tincan_session_set_framing (client->session, u8);
    g_assert_false (tincan_session_send (client->session, too_big, &error));
    g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  tincan_test_drain_context (context);
  g_assert_cmpuint (client->entries->len, ==, 0);
  g_assert_cmpuint (client->states->len, ==, 0);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

static void
test_tls_problem_describe (void)
{
  g_autoptr(TincanTlsProblem) problem = g_new0 (TincanTlsProblem, 1);
  g_autoptr(TincanTlsProblem) copy = NULL;
  g_autofree char *text = NULL;

  problem->flags = G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY |
                   G_TLS_CERTIFICATE_EXPIRED;
  problem->host = g_strdup ("example.org");
  problem->not_after = g_date_time_new_utc (2024, 3, 1, 12, 0, 0);
  problem->fingerprint = g_strdup ("AB:CD");

  text = tincan_tls_problem_describe (problem);
  g_assert_nonnull (strstr (text, "not trusted (unknown authority)"));
  g_assert_nonnull (strstr (text, "is for another host, not for “example.org”"));
  g_assert_nonnull (strstr (text, "expired on 2024-03-01"));
  g_assert_null (strstr (text, "revoked"));
  g_clear_pointer (&text, g_free);

  problem->flags = G_TLS_CERTIFICATE_NOT_ACTIVATED | G_TLS_CERTIFICATE_REVOKED |
                   G_TLS_CERTIFICATE_INSECURE;
  text = tincan_tls_problem_describe (problem);
  g_assert_nonnull (strstr (text, "not valid yet"));
  g_assert_nonnull (strstr (text, "revoked"));
  g_assert_nonnull (strstr (text, "insecure algorithm"));
  g_clear_pointer (&text, g_free);

  problem->flags = G_TLS_CERTIFICATE_GENERIC_ERROR;
  copy = tincan_tls_problem_copy (problem);
  g_assert_cmpstr (copy->host, ==, "example.org");
  g_assert_cmpstr (copy->fingerprint, ==, "AB:CD");
  text = tincan_tls_problem_describe (copy);
  g_assert_cmpstr (text, ==, "The certificate could not be verified.");
}

/* Echo round trips, in every framing and both modes */

typedef struct
{
  const char           *framing;
  TincanConnectionMode  mode;
  gsize                 big;    /* the largest payload the framing can carry, or a big one */
} EchoCase;

static void
echo_payloads (const EchoCase *ec,
               GPtrArray      *payloads)
{
  gboolean raw = g_str_equal (ec->framing, "raw");
  g_autofree char *big = g_malloc (ec->big);

  for (gsize i = 0; i < ec->big; i++)
    big[i] = 'a' + (char) (i % 26);

  g_ptr_array_add (payloads, g_bytes_new_static ("hello", 5));
  /* An empty raw send writes nothing, so nothing could come back. */
  if (!raw)
    g_ptr_array_add (payloads, g_bytes_new_static ("", 0));
  g_ptr_array_add (payloads, g_bytes_new_static ("two words, 123", 14));
  g_ptr_array_add (payloads, g_bytes_new (big, ec->big));
}

static gsize
frame_length (const char *framing_name,
              GBytes     *payload)
{
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (framing_name, NULL);
  g_autoptr(GBytes) frame = tincan_framing_encode (framing, payload, NULL);

  return g_bytes_get_size (frame);
}

typedef struct
{
  const char *framing;
  const char *prefix;       /* the framing's bytes around "PING", both ways */
  gsize       prefix_length;
  const char *payload;      /* the RECEIVED entry's payload */
  gsize       payload_length;
  const char *suffix;
  gsize       suffix_length;
} WireCase;

static void
assert_wire (TincanMessage  *message,
             const WireCase *wc,
             const char     *payload,
             gsize           payload_length)
{
  const guint8 *data;
  gsize length;

  data = tincan_message_get_prefix (message, &length);
  g_assert_cmpmem (data, length, wc->prefix, wc->prefix_length);
  data = tincan_message_get_data (message, &length);
  g_assert_cmpmem (data, length, payload, payload_length);
  data = tincan_message_get_suffix (message, &length);
  g_assert_cmpmem (data, length, wc->suffix, wc->suffix_length);
  g_assert_cmpuint (tincan_message_get_wire_length (message), ==,
                    wc->prefix_length + payload_length + wc->suffix_length);
}

/* Issue 12, item 1: an entry keeps its exact wire bytes, the framing's part
 * apart from the payload, for what is sent and for what comes back. */
static void
test_wire_bytes (gconstpointer data)
{
  const WireCase *wc = data;
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  g_autoptr(TincanTestClient) client = NULL;

  client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), wc->framing,
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send (client, "PING", 4);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);

  assert_wire (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, 0), wc, "PING", 4);
  assert_wire (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0), wc,
               wc->payload, wc->payload_length);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==,
                    wc->prefix_length + wc->payload_length + wc->suffix_length);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

static void
test_echo (gconstpointer data)
{
  const EchoCase *ec = data;
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  g_autoptr(TincanTestClient) client = NULL;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gboolean raw = g_str_equal (ec->framing, "raw");
  gsize wire = 0;
  gsize total = 0;

  client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), ec->framing, ec->mode);
  /* Raw per-message replies end with silence. */
  tincan_session_set_response_timeout (client->session, 300);
  echo_payloads (ec, payloads);

  if (ec->mode == TINCAN_CONNECTION_PERSISTENT)
    {
      g_assert_true (tincan_test_client_connect (client));
      g_assert_no_error (client->connect_error);
      g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);
      tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                                  "Connected to 127.0.0.1 port ");
      g_assert_nonnull (tincan_session_get_connected_since (client->session));
    }

  for (guint i = 0; i < payloads->len; i++)
    {
      GBytes *payload = g_ptr_array_index (payloads, i);
      g_autoptr(GError) error = NULL;

      g_assert_true (tincan_session_send (client->session, payload, &error));
      g_assert_no_error (error);
      wire += frame_length (ec->framing, payload);
      total += g_bytes_get_size (payload);
    }

  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, payloads->len);
  if (raw)
    tincan_test_client_wait_for_received_bytes (client, total);
  else
    tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, payloads->len);
  if (ec->mode == TINCAN_CONNECTION_PER_MESSAGE)
    tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  /* SENT entries are the payloads, in order. */
  for (guint i = 0; i < payloads->len; i++)
    {
      GBytes *payload = g_ptr_array_index (payloads, i);

      tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                     TINCAN_MESSAGE_KIND_SENT, i),
                                       g_bytes_get_data (payload, NULL),
                                       g_bytes_get_size (payload));
    }

  if (raw)
    {
      /* Chunks may merge or split on the way: compare the stream. */
      g_autoptr(GByteArray) expected = g_byte_array_new ();
      g_autoptr(GBytes) got = tincan_test_client_dup_received (client);

      for (guint i = 0; i < payloads->len; i++)
        g_byte_array_append (expected, g_bytes_get_data (g_ptr_array_index (payloads, i), NULL),
                             g_bytes_get_size (g_ptr_array_index (payloads, i)));
      g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                       expected->data, expected->len);
    }
  else
    {
      g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==,
                        payloads->len);
      for (guint i = 0; i < payloads->len; i++)
        {
          GBytes *payload = g_ptr_array_index (payloads, i);
          TincanMessage *message;

          message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, i);
          tincan_test_assert_message_data (message, g_bytes_get_data (payload, NULL),
                                           g_bytes_get_size (payload));
          g_assert_cmpint (tincan_message_get_flags (message), ==, TINCAN_MESSAGE_NONE);
        }
      g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==,
                        payloads->len);
    }

  /* Every byte counted: the echo returns exactly what went out. */
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, payloads->len);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, wire);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, wire);
  /* The counters are the sums of the entries' wire bytes, framing included,
   * both ways, and the server's own count (issue 12, item 1). */
  g_assert_cmpuint (tincan_test_client_wire_bytes (client, TINCAN_MESSAGE_KIND_SENT), ==, wire);
  g_assert_cmpuint (tincan_test_client_wire_bytes (client, TINCAN_MESSAGE_KIND_RECEIVED), ==,
                    wire);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, wire);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  if (ec->mode == TINCAN_CONNECTION_PER_MESSAGE)
    {
      /* One connection per message, each through the whole cycle, closed. */
      tincan_test_wait_for (context, echo_server_idle, server, TIMEOUT_MS);
      g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_CONNECTED));
      g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_CLOSING));
      /* Each connection made and closed shows as two rows. */
      g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_STATUS), ==,
                        2 * payloads->len);
    }
  else
    {
      tincan_session_disconnect (client->session);
      g_assert_cmpint (tincan_session_get_state (client->session), ==,
                       TINCAN_SESSION_DISCONNECTED);
      g_assert_null (tincan_session_get_connected_since (client->session));
      tincan_test_drain_context (context);
      tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, "Disconnected");
    }

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

static void
test_ipv6 (void)
{
  GMainContext *context;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree char *peer = NULL;

  if (skip_without_ipv6 ())
    return;

  context = tincan_test_push_context ();
  server = echo_server_new (TINCAN_TRANSPORT_TCP, "::1", NULL);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "::1",
                                   tincan_echo_server_get_port (server), "lf",
                                   TINCAN_CONNECTION_PERSISTENT);

  g_assert_true (tincan_test_client_connect (client));
  peer = g_strdup_printf ("[::1]:%u", tincan_echo_server_get_port (server));
  g_assert_cmpstr (tincan_session_get_peer_address (client->session), ==, peer);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                              "Connected to ::1 port ");

  tincan_test_client_send_text (client, "over six");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   "over six", 8);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 9);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* UDP */

static void
test_udp_echo (gconstpointer data)
{
  TincanConnectionMode mode = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_UDP, "127.0.0.1", NULL);
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree guint8 *largest = g_malloc (TINCAN_UDP_MAX_DATAGRAM + 1);
  g_autofree char *expected_status = NULL;
  g_autoptr(GBytes) too_large = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i <= TINCAN_UDP_MAX_DATAGRAM; i++)
    largest[i] = (guint8) (i * 7);

  /* Framing is not applied to UDP: the datagram is the frame. */
  client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "lf", mode);
  expected_status = g_strdup_printf ("Sending to 127.0.0.1 port %u (UDP)",
                                     tincan_echo_server_get_port (server));
  if (mode == TINCAN_CONNECTION_PERSISTENT)
    {
      g_assert_true (tincan_test_client_connect (client));
      tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS,
                                           expected_status);
    }

  tincan_test_client_send_text (client, "ping");
  tincan_test_client_send (client, "", 0);
  tincan_test_client_send (client, largest, TINCAN_UDP_MAX_DATAGRAM);

  too_large = g_bytes_new (largest, TINCAN_UDP_MAX_DATAGRAM + 1);
  g_assert_false (tincan_session_send (client->session, too_large, &error));
  g_assert_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_TOO_LARGE);

  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 3);
  if (mode == TINCAN_CONNECTION_PER_MESSAGE)
    tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  /* Over loopback, datagrams neither get lost nor reordered. */
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, 0),
                                   "ping", 4);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   "ping", 4);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 1),
                                   "", 0);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 2),
                                   largest, TINCAN_UDP_MAX_DATAGRAM);
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, 3);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, 3);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==,
                    4 + TINCAN_UDP_MAX_DATAGRAM);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==,
                    4 + TINCAN_UDP_MAX_DATAGRAM);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* Over IPv6 a datagram holds 20 bytes more than over IPv4: 65,527 bytes
 * go out and come back whole; one more is refused with that limit. */
static void
test_udp_ipv6_largest (gconstpointer data)
{
  TincanConnectionMode mode = GPOINTER_TO_INT (data);
  GMainContext *context = NULL;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree guint8 *largest = g_malloc (TINCAN_UDP6_MAX_DATAGRAM + 1);
  g_autoptr(GBytes) too_large = NULL;
  g_autoptr(GError) error = NULL;
  TincanErrorContext limit = { .count = TINCAN_UDP6_MAX_DATAGRAM + 1,
                               .limit = TINCAN_UDP6_MAX_DATAGRAM };

  if (skip_without_ipv6 ())
    return;

  context = tincan_test_push_context ();
  server = echo_server_new (TINCAN_TRANSPORT_UDP, "::1", NULL);
  for (gsize i = 0; i <= TINCAN_UDP6_MAX_DATAGRAM; i++)
    largest[i] = (guint8) (i * 11);

  client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "::1",
                                   tincan_echo_server_get_port (server), "raw", mode);
  if (mode == TINCAN_CONNECTION_PERSISTENT)
    g_assert_true (tincan_test_client_connect (client));

  tincan_test_client_send (client, largest, TINCAN_UDP6_MAX_DATAGRAM);
  too_large = g_bytes_new (largest, TINCAN_UDP6_MAX_DATAGRAM + 1);
  g_assert_false (tincan_session_send (client->session, too_large, &error));
  tincan_test_assert_session_error (error, TINCAN_SESSION_ERROR_TOO_LARGE, &limit);

  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   largest, TINCAN_UDP6_MAX_DATAGRAM);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* Per-message mode: the ICMP port unreachable is the exchange's answer, an
 * error, and the exchange is over. */
static void
test_udp_refused_per_message (void)
{
  GMainContext *context = tincan_test_push_context ();
  guint16 port = tincan_test_free_port (G_SOCKET_TYPE_DATAGRAM);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "127.0.0.1",
                                                               port, "raw",
                                                               TINCAN_CONNECTION_PER_MESSAGE);

  tincan_test_client_send_text (client, "anyone?");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 1);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  /* The datagram went out; the ICMP port unreachable came back. */
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, 0),
                                   "anyone?", 7);
  {
    g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u", port);
    TincanErrorContext refused = { .endpoint = endpoint, .udp = TRUE };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_REFUSED, &refused);
  }
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 1);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 7);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

/* Persistent mode: like nc -u, an ICMP port unreachable is an error row and
 * the socket stays open: the next datagram goes out too (and is refused
 * again), and once a server is there, it gets the one after. */
static void
test_udp_refused_goes_on (void)
{
  GMainContext *context = tincan_test_push_context ();
  guint16 port = tincan_test_free_port (G_SOCKET_TYPE_DATAGRAM);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "127.0.0.1",
                                                               port, "raw",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u", port);
  TincanErrorContext unreachable = { .endpoint = endpoint, .udp = TRUE };
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[16];

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "anyone?");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 1);
  tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_UNREACHABLE_PORT,
                                            &unreachable);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  tincan_test_client_send_text (client, "still?");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 2);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 2);
  g_assert_cmpuint (tincan_test_client_count_errors (client,
                                                     TINCAN_SESSION_ERROR_UNREACHABLE_PORT), ==, 2);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  /* A server comes up on that port: the same session reaches it. */
  server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                         &error);
  g_assert_no_error (error);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

    g_assert_true (g_socket_bind (server, address, FALSE, &error));
    g_assert_no_error (error);
  }
  tincan_test_client_send_text (client, "hello");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 3);
  g_socket_set_timeout (server, TIMEOUT_MS / 1000);
  g_assert_cmpint (g_socket_receive (server, buffer, sizeof buffer, NULL, &error), ==, 5);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 5, "hello", 5);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 7 + 6 + 5);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

/* Proxies: the transcript and the status bar's properties name the
 * destination and the proxy, never the proxy as the peer. */

static TincanTestClient *
proxied_client_new (TincanTestProxy  *proxy,
                    TincanEchoServer *server)
{
  TincanTestClient *client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                     tincan_echo_server_get_port (server), "lf",
                                                     TINCAN_CONNECTION_PERSISTENT);
  g_autoptr(GProxyResolver) resolver = tincan_test_proxy_new_resolver (proxy);

  _tincan_session_set_proxy_resolver_for_testing (client->session, resolver);
  return client;
}

static void
test_proxy (gconstpointer data)
{
  TincanTestProxyKind kind = GPOINTER_TO_INT (data);
  const char *name = kind == TINCAN_TEST_PROXY_HTTP ? "HTTP" : "SOCKS5";
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  g_autoptr(TincanTestProxy) proxy = tincan_test_proxy_new (kind);
  g_autoptr(TincanTestClient) client = proxied_client_new (proxy, server);
  guint port = tincan_echo_server_get_port (server);
  guint proxy_port = tincan_test_proxy_get_port (proxy);
  g_autofree char *connecting = g_strdup_printf ("Connecting to 127.0.0.1 port %u through the %s "
                                                 "proxy 127.0.0.1:%u…", port, name, proxy_port);
  g_autofree char *connected = g_strdup_printf ("Connected to 127.0.0.1 port %u through the %s "
                                                "proxy 127.0.0.1:%u", port, name, proxy_port);
  g_autofree char *peer = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *via = g_strdup_printf ("%s proxy 127.0.0.1:%u", name, proxy_port);
  g_autofree char *direct = g_strdup_printf ("Connected to 127.0.0.1 port %u in ", port);
  g_autofree char *target = NULL;

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS, connecting);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, connected);
  g_assert_cmpstr (tincan_session_get_peer_address (client->session), ==, peer);
  g_assert_cmpstr (tincan_session_get_proxy (client->session), ==, via);

  /* The bytes went through the proxy, to the echo server and back. */
  tincan_test_client_send_text (client, "via proxy");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   "via proxy", 9);
  g_assert_cmpuint (tincan_test_proxy_get_n_served (proxy), ==, 1);
  target = tincan_test_proxy_dup_target (proxy);
  g_assert_cmpstr (target, ==, peer);

  /* "No proxy": the next connect goes straight to the server, whatever the
   * resolver says, and names no proxy. */
  tincan_session_disconnect (client->session);
  g_object_set (client->session, "no-proxy", TRUE, NULL);
  g_assert_true (tincan_session_get_no_proxy (client->session));
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, direct);
  g_assert_cmpstr (tincan_session_get_peer_address (client->session), ==, peer);
  g_assert_null (tincan_session_get_proxy (client->session));
  tincan_test_client_send_text (client, "direct");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  g_assert_cmpuint (tincan_test_proxy_get_n_served (proxy), ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_run_for (context, 20);
  g_clear_pointer (&proxy, tincan_test_proxy_free);
  tincan_test_pop_context (context);
}

/* A proxy that is not there: the sentence names the proxy too. */
static void
test_proxy_refused (void)
{
  GMainContext *context = tincan_test_push_context ();
  guint16 port = tincan_test_free_port (G_SOCKET_TYPE_STREAM);
  guint16 proxy_port = tincan_test_free_port (G_SOCKET_TYPE_STREAM);
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u", proxy_port);
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (uri, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u through the HTTP proxy "
                                               "127.0.0.1:%u", port, proxy_port);

  _tincan_session_set_proxy_resolver_for_testing (client->session, resolver);
  g_assert_false (tincan_test_client_connect (client));
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_REFUSED,
                                    &(TincanErrorContext) { .endpoint = endpoint });

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

/* Connect failures */

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
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                              "Connecting to 127.0.0.1 port ");
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_REFUSED);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_CONNECTING));
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 0);

  /* Per-message mode: the same error as an entry, and the next send runs. */
  tincan_session_set_mode (client->session, TINCAN_CONNECTION_PER_MESSAGE);
  tincan_test_client_send_text (client, "one");
  tincan_test_client_send_text (client, "two");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 3);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  g_assert_cmpuint (tincan_test_client_count_errors (client, TINCAN_SESSION_ERROR_REFUSED), ==, 3);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==, 0);
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_pop_context (context);
}

/* A resolver that answers as RFC 6761 asks for .invalid names (NXDOMAIN,
 * without asking the network), so that the test needs no DNS server. */

typedef struct
{
  GResolver parent_instance;
} TestResolver;

typedef struct
{
  GResolverClass parent_class;
} TestResolverClass;

static GType test_resolver_get_type (void);
G_DEFINE_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GError *
test_resolver_not_found (const char *hostname)
{
  return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                      "Error resolving “%s”: Name or service not known", hostname);
}

/* "dual.test" is ::1 and 127.0.0.1, in the order getaddrinfo() gives for
 * localhost; any other name is unknown. */
static GList *
test_resolver_lookup_by_name (GResolver     *resolver,
                              const char    *hostname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  if (g_strcmp0 (hostname, "dual.test") == 0)
    return g_list_append (g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6)),
                          g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  g_propagate_error (error, test_resolver_not_found (hostname));

  return NULL;
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                               const char               *hostname,
                                               GResolverNameLookupFlags  flags,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = test_resolver_lookup_by_name (resolver, hostname, cancellable, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, error);
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname, 0, cancellable,
                                                 callback, user_data);
}

static GList *
test_resolver_lookup_finish (GResolver     *resolver,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                         const char                *hostname,
                                         GResolverNameLookupFlags   flags,
                                         GCancellable              *cancellable,
                                         GError                   **error)
{
  return test_resolver_lookup_by_name (resolver, hostname, cancellable, error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

static void
test_unknown_host (gconstpointer data)
{
  TincanTransport transport = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(TincanTestClient) client = NULL;

  g_resolver_set_default (resolver);

  client = tincan_test_client_new (transport, "nonexistent.invalid", 7, "lf",
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_false (tincan_test_client_connect (client));
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_RESOLVE_FAILED,
                                    &(TincanErrorContext) { .host = "nonexistent.invalid" });
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                              "Resolving nonexistent.invalid…");
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_RESOLVE_FAILED);
  g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_RESOLVING));
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);

  g_clear_pointer (&client, tincan_test_client_free);
  g_resolver_set_default (previous);
  tincan_test_pop_context (context);
}

/* UDP to a name with an IPv6 and an IPv4 address: no handshake can tell
 * which one has a listener, so the IPv4 one is used, and the status row
 * says which, and what else the name is. */
static void
test_udp_dual_stack_name (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_UDP, "127.0.0.1", NULL);
  guint port = tincan_echo_server_get_port (server);
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree char *status = g_strdup_printf ("Sending to dual.test (127.0.0.1) port %u (UDP); "
                                             "dual.test is also ::1: type that as the host to "
                                             "send there", port);
  g_autofree char *peer = g_strdup_printf ("127.0.0.1:%u", port);

  g_resolver_set_default (resolver);
  client = tincan_test_client_new (TINCAN_TRANSPORT_UDP, "dual.test", port, "raw",
                                   TINCAN_CONNECTION_PERSISTENT);
  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_assert_has_entry (client, TINCAN_MESSAGE_KIND_STATUS, status);
  g_assert_cmpstr (tincan_session_get_peer_address (client->session), ==, peer);

  tincan_test_client_send_text (client, "ping");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  g_resolver_set_default (previous);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* TLS */

static char *
normalize_hex (const char *fingerprint)
{
  GString *out = g_string_new (NULL);

  for (const char *p = fingerprint; *p != '\0'; p++)
    if (*p != ':')
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

static void
assert_bad_certificate (TincanTestClient *client,
                        GTlsCertificate  *certificate,
                        gboolean          bad_identity)
{
  const TincanTlsProblem *problem;
  g_autofree char *expected = tincan_test_certificate_dup_fingerprint (certificate);
  g_autofree char *got = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *detail = NULL;

  g_assert_false (tincan_test_client_connect (client));
  problem = tincan_session_get_tls_problem (client->session);
  g_assert_nonnull (problem);

  /* The error names the server and says what the problem says. */
  endpoint = g_strdup_printf ("127.0.0.1 port %u", tincan_session_get_port (client->session));
  detail = tincan_tls_problem_describe (problem);
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_BAD_CERTIFICATE,
                                    &(TincanErrorContext) {
                                      .endpoint = endpoint, .detail = detail,
                                    });
  g_assert_true (problem->flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpint (!!(problem->flags & G_TLS_CERTIFICATE_BAD_IDENTITY), ==, bad_identity);
  g_assert_true (g_tls_certificate_is_same (problem->certificate, certificate));
  g_assert_cmpstr (problem->host, ==, "127.0.0.1");
  g_assert_nonnull (problem->subject);
  g_assert_nonnull (problem->issuer);
  g_assert_nonnull (problem->not_before);
  g_assert_nonnull (problem->not_after);
  /* "AB:CD:…": 32 bytes, upper case, colons. */
  g_assert_cmpuint (strlen (problem->fingerprint), ==, 32 * 3 - 1);
  g_assert_cmpint (problem->fingerprint[2], ==, ':');
  got = normalize_hex (problem->fingerprint);
  g_assert_cmpstr (got, ==, expected);
  for (const char *p = problem->fingerprint; *p != '\0'; p++)
    g_assert_false (g_ascii_islower (*p));

  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_BAD_CERTIFICATE);
  g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_TLS_HANDSHAKE));
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
}

static void
test_tls (gconstpointer data)
{
  gboolean bad_identity = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsCertificate) other_certificate = NULL;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(TincanEchoServer) other = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  guint n_errors;

  /* For another name than the one we connect to, or for exactly it. */
  certificate = tincan_test_make_certificate (bad_identity ? "localhost" : "127.0.0.1", &error);
  g_assert_no_error (error);
  server = echo_server_new (TINCAN_TRANSPORT_TLS, "127.0.0.1", certificate);

  client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                   tincan_echo_server_get_port (server), "crlf",
                                   TINCAN_CONNECTION_PERSISTENT);
  assert_bad_certificate (client, certificate, bad_identity);
  n_errors = tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR);

  /* Pinned: the same certificate is accepted. */
  tincan_session_pin_certificate (client->session,
                                  tincan_session_get_tls_problem (client->session)->fingerprint);
  g_assert_true (tincan_test_client_connect (client));
  g_assert_null (tincan_session_get_tls_problem (client->session));
  /* ...and stays known as untrusted while the connection lasts. */
  g_assert_nonnull (tincan_session_get_accepted_tls_problem (client->session));
  g_assert_true (g_tls_certificate_is_same (
                   tincan_session_get_accepted_tls_problem (client->session)->certificate,
                   certificate));
  g_assert_cmpint (!!(tincan_session_get_accepted_tls_problem (client->session)->flags &
                      G_TLS_CERTIFICATE_BAD_IDENTITY), ==, bad_identity);
  {
    g_autofree char *expected = g_strdup_printf ("Connected to 127.0.0.1 port %u (TLS 1.",
                                                 tincan_echo_server_get_port (server));

    tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, expected);
  }

  tincan_test_client_send_text (client, "secret");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   "secret", 6);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 8);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 8);
  tincan_session_disconnect (client->session);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  g_assert_null (tincan_session_get_accepted_tls_problem (client->session));

  /* Another certificate is refused again, whatever was pinned. */
  other_certificate = tincan_test_make_certificate ("127.0.0.1", &error);
  g_assert_no_error (error);
  other = echo_server_new (TINCAN_TRANSPORT_TLS, "127.0.0.1", other_certificate);
  tincan_session_set_port (client->session, tincan_echo_server_get_port (other));
  assert_bad_certificate (client, other_certificate, FALSE);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==,
                    n_errors + 1);

  /* Per-message mode uses the pin too. */
  tincan_session_set_port (client->session, tincan_echo_server_get_port (server));
  tincan_session_set_mode (client->session, TINCAN_CONNECTION_PER_MESSAGE);
  tincan_test_client_send_text (client, "again");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 1),
                                   "again", 5);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_echo_server_stop (other);
  tincan_test_run_for (context, 50);
  tincan_test_pop_context (context);
}

static void
test_tls_handshake_timeout (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1 port %u", server->port);
  gint64 start;

  tincan_session_set_connect_timeout (client->session, 500);
  start = g_get_monotonic_time ();
  g_assert_false (tincan_test_client_connect (client));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 450 * 1000);

  /* TCP connected: the sentence says so, and what the port probably is. */
  tincan_test_assert_session_error (client->connect_error, TINCAN_SESSION_ERROR_TLS_NO_ANSWER,
                                    &(TincanErrorContext) {
                                      .endpoint = endpoint, .msec = 500,
                                    });
  g_assert_nonnull (strstr (client->connect_error->message, "is this a plain TCP port?"));
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_TLS_NO_ANSWER);
  g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_TLS_HANDSHAKE));
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  g_assert_cmpuint (server->n_accepted, ==, 1);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 50);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Per-message replies that do not come */

static void
test_no_reply (gconstpointer data)
{
  gboolean framed = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               server->port, framed ? "lf" : "raw",
                                                               TINCAN_CONNECTION_PER_MESSAGE);
  ServerBytesCondition condition = { server, 0 };

  tincan_session_set_response_timeout (client->session, 300);
  tincan_test_client_send_text (client, "first");
  tincan_test_client_send_text (client, "second");

  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 2);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  /* Each connection's "made" and "closed" rows, and in raw framing its
   * "No reply" row. */
  if (framed)
    tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_ERROR, 2);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_STATUS, framed ? 4 : 6);

  condition.bytes = framed ? 13 : 11;
  tincan_test_wait_for (context, server_received_reached, &condition, TIMEOUT_MS);
  g_assert_cmpmem (server->received->data, server->received->len,
                   framed ? "first\nsecond\n" : "firstsecond", condition.bytes);
  g_assert_cmpuint (server->n_accepted, ==, 2);

  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED), ==, 0);
  if (framed)
    {
      /* One NO_REPLY per send. */
      g_assert_cmpuint (tincan_test_client_count_errors (client, TINCAN_SESSION_ERROR_NO_REPLY),
                        ==, 2);
      tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_NO_REPLY,
                                                &(TincanErrorContext) { .msec = 300 });
      g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_STATUS), ==, 4);
    }
  else
    {
      /* Raw: silence ends the reply; not an error. */
      tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                                  "No reply within 0.3 s");
      g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);
    }
  g_assert_true (tincan_test_client_state_seen (client, TINCAN_SESSION_CLOSING));

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* The server hangs up */

static void
test_partial_frame (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_CLOSE, "abc\nde");
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  TincanMessage *message;

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, 2);
  g_assert_true (tincan_session_get_peer_closed (client->session));

  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 0);
  tincan_test_assert_message_data (message, "abc", 3);
  g_assert_cmpint (tincan_message_get_flags (message), ==, TINCAN_MESSAGE_NONE);
  message = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, 1);
  tincan_test_assert_message_data (message, "de", 2);
  g_assert_cmpint (tincan_message_get_flags (message), ==, TINCAN_MESSAGE_PARTIAL);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                              "The server closed its side of the connection");
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 6);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, 2);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  /* The server is gone for good: writing fails, at the latest on the
   * second write (the first one draws the RST). */
  for (guint i = 0; i < 20 && tincan_session_get_state (client->session) ==
                                TINCAN_SESSION_CONNECTED; i++)
    {
      guint n_sent = tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT);
      guint n_errors = tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR);

      tincan_test_client_send_text (client, "hello?");
      while (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT) == n_sent &&
             tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR) == n_errors)
        g_main_context_iteration (context, TRUE);
    }

  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_CLOSED);
  /* Only what was written is reported sent, and counted. */
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==,
                    tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT));
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==,
                    7 * tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT));

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

static void
test_half_close (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_SHUTDOWN_WRITE, "bye\n");
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  ServerBytesCondition condition = { server, 6 };

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_wait_for (context, (TincanTestCondition) tincan_session_get_peer_closed,
                        client->session, TIMEOUT_MS);

  tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                 TINCAN_MESSAGE_KIND_RECEIVED, 0),
                                   "bye", 3);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS,
                                              "The server closed its side of the connection; "
                                              "nothing more will arrive");
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_CONNECTED);

  /* The connection is still open in our direction. */
  tincan_test_client_send_text (client, "after");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 1);
  tincan_test_wait_for (context, server_received_reached, &condition, TIMEOUT_MS);
  g_assert_cmpmem (server->received->data, server->received->len, "after\n", 6);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 6);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, 4);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  tincan_session_disconnect (client->session);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  /* Our close reaches the server as the end of its input. */
  tincan_test_wait_until (context, &server->client_eof, TIMEOUT_MS);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

static void
test_reset (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_RESET, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_send_text (client, "x");
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);
  tincan_test_client_assert_has_error (client, TINCAN_SESSION_ERROR_PEER_RESET);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, 2);
  g_assert_false (tincan_session_get_peer_closed (client->session));

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Queues */

#define N_QUEUED 10000

static void
test_queue_order (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               tincan_echo_server_get_port (server),
                                                               "lf", TINCAN_CONNECTION_PERSISTENT);
  guint64 wire = 0;

  /* Sends made while connecting wait for the connection. */
  tincan_test_client_connect_start (client, NULL);
  for (guint i = 0; i < N_QUEUED; i++)
    {
      char line[32];

      g_snprintf (line, sizeof line, "message %05u", i);
      tincan_test_client_send_text (client, line);
      wire += strlen (line) + 1;
    }
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==, 0);

  tincan_test_wait_until (context, &client->connect_done, TIMEOUT_MS);
  g_assert_true (client->connect_ok);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, N_QUEUED);

  for (guint i = 0; i < N_QUEUED; i++)
    {
      char line[32];

      g_snprintf (line, sizeof line, "message %05u", i);
      tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                     TINCAN_MESSAGE_KIND_SENT, i),
                                       line, strlen (line));
      tincan_test_assert_message_data (tincan_test_client_nth_entry (client,
                                                                     TINCAN_MESSAGE_KIND_RECEIVED, i),
                                       line, strlen (line));
    }

  /* Every SENT entry comes before the echo of its message. */
  {
    guint sent = 0;
    guint received = 0;

    for (guint i = 0; i < client->entries->len; i++)
      {
        TincanMessageKind direction = tincan_message_get_kind (g_ptr_array_index (client->entries, i));

        if (direction == TINCAN_MESSAGE_KIND_SENT)
          sent++;
        else if (direction == TINCAN_MESSAGE_KIND_RECEIVED)
          g_assert_cmpuint (++received, <=, sent);
      }
  }

  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, N_QUEUED);
  g_assert_cmpuint (tincan_session_get_messages_received (client->session), ==, N_QUEUED);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==, wire);
  g_assert_cmpuint (tincan_session_get_bytes_received (client->session), ==, wire);
  /* Batched: far fewer emissions than messages. */
  g_test_message ("%u batches, largest %u", client->n_batches, client->max_batch);
  g_assert_cmpuint (client->n_batches, <, N_QUEUED / 10);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

static void
test_per_message_queue (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               tincan_echo_server_get_port (server),
                                                               "u16be",
                                                               TINCAN_CONNECTION_PER_MESSAGE);
  guint n = 20;

  for (guint i = 0; i < n; i++)
    {
      char line[32];

      g_snprintf (line, sizeof line, "request %u", i);
      tincan_test_client_send_text (client, line);
    }

  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, n);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_DISCONNECTED);

  /* One in flight at a time: each reply comes before the next send. */
  for (guint i = 0; i < n; i++)
    {
      char line[32];
      TincanMessage *sent = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, i);
      TincanMessage *received = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED, i);

      g_snprintf (line, sizeof line, "request %u", i);
      tincan_test_assert_message_data (sent, line, strlen (line));
      tincan_test_assert_message_data (received, line, strlen (line));
      if (i + 1 < n)
        {
          TincanMessage *next = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, i + 1);
          guint received_index = 0;
          guint next_index = 0;

          g_assert_true (g_ptr_array_find (client->entries, received, &received_index));
          g_assert_true (g_ptr_array_find (client->entries, next, &next_index));
          g_assert_cmpuint (received_index, <, next_index);
        }
    }
  g_assert_cmpuint (tincan_session_get_messages_sent (client->session), ==, n);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), ==,
                    tincan_session_get_bytes_received (client->session));

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* Connection ids and round-trip times (issue 12, items 6 and 10) */

/* Every entry from @from on, up to @to (excluded), is about connection @id. */
static void
assert_connection_id (TincanTestClient *client,
                      guint             from,
                      guint             to,
                      guint64           id)
{
  g_assert_cmpuint (from, <, to);
  for (guint i = from; i < to; i++)
    g_assert_cmpuint (tincan_message_get_connection_id (g_ptr_array_index (client->entries, i)),
                      ==, id);
}

/* Sends @text and waits for @replies more RECEIVED entries; returns the
 * wall time the exchange took, as the test measures it. */
static gint64
timed_exchange (TincanTestClient *client,
                const char       *text,
                guint             replies)
{
  guint before = tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_RECEIVED);
  gint64 start = g_get_monotonic_time ();

  tincan_test_client_send_text (client, text);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, before + replies);

  return g_get_monotonic_time () - start;
}

/* The reply's first frame carries the time since the send's write
 * completed; its second frame, none. */
static void
assert_rtt (TincanTestClient *client,
            guint             nth_sent,
            guint             nth_received,
            gint64            elapsed)
{
  TincanMessage *sent = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_SENT, nth_sent);
  TincanMessage *first = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED,
                                                       nth_received);
  TincanMessage *second = tincan_test_client_nth_entry (client, TINCAN_MESSAGE_KIND_RECEIVED,
                                                        nth_received + 1);
  gint64 rtt = tincan_message_get_rtt (first);

  g_assert_cmpint (tincan_message_get_rtt (sent), ==, -1);
  g_assert_cmpint (rtt, >=, 0);
  g_assert_cmpint (rtt, <=, elapsed);
  g_assert_cmpint (rtt, ==, tincan_message_get_monotonic_time (first) -
                            tincan_message_get_monotonic_time (sent));
  g_assert_cmpint (tincan_message_get_rtt (second), ==, -1);
}

static void
test_connection_ids (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_ANSWER, "one\ntwo\n");
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autofree char *connected = g_strdup_printf ("Connected to 127.0.0.1 port %u in ",
                                                server->port);
  guint64 first_id;
  guint first_end;
  gint64 elapsed;

  g_assert_true (tincan_test_client_connect (client));
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, connected);

  elapsed = timed_exchange (client, "hello", 2);
  assert_rtt (client, 0, 0, elapsed);
  /* A second request on the same connection is timed from its own send. */
  elapsed = timed_exchange (client, "again", 2);
  assert_rtt (client, 1, 2, elapsed);

  tincan_session_disconnect (client->session);
  first_end = client->entries->len;
  first_id = tincan_message_get_connection_id (g_ptr_array_index (client->entries, 0));
  g_assert_cmpuint (first_id, >, 0);
  /* "Connected...", the frames and "Disconnected" are all connection 1's. */
  assert_connection_id (client, 0, first_end, first_id);

  /* A reconnect is another connection. */
  g_assert_true (tincan_test_client_connect (client));
  elapsed = timed_exchange (client, "third", 2);
  assert_rtt (client, 2, 4, elapsed);
  tincan_session_disconnect (client->session);
  assert_connection_id (client, first_end, client->entries->len, first_id + 1);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Per-message mode: each send's connection is numbered and shows as rows,
 * "Connection N to ... made in 0.4 ms", the exchange, "Connection N closed". */
static void
test_per_message_rows (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = echo_server_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", NULL);
  guint port = tincan_echo_server_get_port (server);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1",
                                                               port, "lf",
                                                               TINCAN_CONNECTION_PER_MESSAGE);
  guint n = 3;
  guint64 first_id = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  for (guint i = 0; i < n; i++)
    tincan_test_client_send_text (client, "ping");
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_RECEIVED, n);
  tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_STATUS, 2 * n);
  elapsed = g_get_monotonic_time () - start;

  /* Four entries per exchange, in order, nothing else. */
  g_assert_cmpuint (client->entries->len, ==, 4 * n);
  for (guint i = 0; i < n; i++)
    {
      TincanMessage *made = g_ptr_array_index (client->entries, 4 * i);
      TincanMessage *reply = g_ptr_array_index (client->entries, 4 * i + 2);
      TincanMessage *closed = g_ptr_array_index (client->entries, 4 * i + 3);
      guint64 id = tincan_message_get_connection_id (made);
      g_autofree char *made_text = NULL;
      g_autofree char *closed_text = NULL;
      g_autofree char *text = tincan_test_message_dup_text (made);

      if (i == 0)
        first_id = id;
      g_assert_cmpuint (id, ==, first_id + i);
      assert_connection_id (client, 4 * i, 4 * i + 4, id);

      made_text = g_strdup_printf ("Connection %" G_GUINT64_FORMAT " to 127.0.0.1 port %u made in ",
                                   id, port);
      g_assert_cmpint (tincan_message_get_kind (made), ==, TINCAN_MESSAGE_KIND_STATUS);
      g_assert_true (g_str_has_prefix (text, made_text));
      g_assert_true (g_str_has_suffix (text, "s"));
      g_assert_cmpint (tincan_message_get_kind (g_ptr_array_index (client->entries, 4 * i + 1)),
                       ==, TINCAN_MESSAGE_KIND_SENT);
      g_assert_cmpint (tincan_message_get_kind (reply), ==, TINCAN_MESSAGE_KIND_RECEIVED);
      g_assert_cmpint (tincan_message_get_rtt (reply), >=, 0);
      g_assert_cmpint (tincan_message_get_rtt (reply), <=, elapsed);

      closed_text = g_strdup_printf ("Connection %" G_GUINT64_FORMAT " closed", id);
      g_assert_cmpint (tincan_message_get_kind (closed), ==, TINCAN_MESSAGE_KIND_STATUS);
      tincan_test_assert_message_data (closed, closed_text, strlen (closed_text));
    }

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_echo_server_stop (server);
  tincan_test_pop_context (context);
}

/* Disconnect and cancel while connecting */

static void
test_disconnect_while_connecting (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);

  tincan_test_client_connect_start (client, NULL);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_TLS_HANDSHAKE);
  tincan_test_client_send_text (client, "one");
  tincan_test_client_send_text (client, "two");

  tincan_session_disconnect (client->session);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  tincan_test_wait_until (context, &client->connect_done, TIMEOUT_MS);
  g_assert_error (client->connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  {
    TincanErrorContext two = { .count = 2 };

    tincan_test_client_assert_has_error_with (client, TINCAN_SESSION_ERROR_UNSENT, &two);
  }
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 1);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, "Disconnected");
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==, 0);

  /* Disconnecting again does nothing. */
  {
    guint n = client->entries->len;

    tincan_session_disconnect (client->session);
    tincan_test_drain_context (context);
    g_assert_cmpuint (client->entries->len, ==, n);
  }

  /* Reconnecting at once works (and fails the same way on its own). */
  /* 1 s: under ASan on a loaded machine the TCP connect alone once took
   * longer than 200 ms, which is a connect timeout, not a TLS one. */
  tincan_session_set_connect_timeout (client->session, 1000);
  g_assert_false (tincan_test_client_connect (client));
  g_assert_error (client->connect_error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_TLS_NO_ANSWER);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 50);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

static void
test_cancel_connect (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  tincan_test_client_connect_start (client, cancellable);

  /* A second connect meanwhile is refused. */
  {
    TincanTestClient second = *client;

    second.connect_error = NULL;
    tincan_test_client_connect_start (&second, NULL);
    tincan_test_wait_until (context, &second.connect_done, TIMEOUT_MS);
    g_assert_error (second.connect_error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_BUSY);
    g_clear_error (&second.connect_error);
  }

  tincan_test_client_wait_for_state (client, TINCAN_SESSION_TLS_HANDSHAKE);
  g_cancellable_cancel (cancellable);
  tincan_test_wait_until (context, &client->connect_done, TIMEOUT_MS);
  g_assert_error (client->connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tincan_session_get_state (client->session), ==, TINCAN_SESSION_DISCONNECTED);
  tincan_test_client_assert_has_entry_prefix (client, TINCAN_MESSAGE_KIND_STATUS, "Disconnected");
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_ERROR), ==, 0);

  g_clear_pointer (&client, tincan_test_client_free);
  tincan_test_run_for (context, 50);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Dropping the session mid-operation */

typedef enum
{
  DISPOSE_CONNECTING,
  DISPOSE_HANDSHAKE,
  DISPOSE_READING,
  DISPOSE_WRITING,
} DisposeWhen;

static void
test_dispose (gconstpointer data)
{
  DisposeWhen when = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, "partial");
  g_autoptr(TincanTestClient) client = NULL;
  guint n_entries;

  switch (when)
    {
    case DISPOSE_CONNECTING:
      /* Per-message mode connects without a GTask holding the session. */
      client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", server->port, "lf",
                                       TINCAN_CONNECTION_PER_MESSAGE);
      tincan_test_client_send_text (client, "x");
      g_assert_cmpint (tincan_session_get_state (client->session), !=,
                       TINCAN_SESSION_DISCONNECTED);
      break;

    case DISPOSE_HANDSHAKE:
      client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1", server->port, "lf",
                                       TINCAN_CONNECTION_PER_MESSAGE);
      tincan_test_client_send_text (client, "x");
      tincan_test_client_wait_for_state (client, TINCAN_SESSION_TLS_HANDSHAKE);
      break;

    case DISPOSE_READING:
      client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", server->port, "lf",
                                       TINCAN_CONNECTION_PERSISTENT);
      g_assert_true (tincan_test_client_connect (client));
      tincan_test_client_send_text (client, "x");
      tincan_test_client_wait_for_entries (client, TINCAN_MESSAGE_KIND_SENT, 1);
      /* The greeting is in the decoder, waiting for its newline. */
      {
        ServerBytesCondition condition = { server, 2 };

        tincan_test_wait_for (context, server_received_reached, &condition, TIMEOUT_MS);
      }
      break;

    case DISPOSE_WRITING:
    default:
      client = tincan_test_client_new (TINCAN_TRANSPORT_TCP, "127.0.0.1", server->port, "raw",
                                       TINCAN_CONNECTION_PERSISTENT);
      g_assert_true (tincan_test_client_connect (client));
      {
        /* More than the socket buffers hold: the server reads slowly. */
        g_autofree guint8 *big = g_malloc0 (16 * 1024 * 1024);

        tincan_test_client_send (client, big, 16 * 1024 * 1024);
        tincan_test_client_send (client, big, 1024);
        tincan_test_run_for (context, 20);
      }
      break;
    }

  /* The session goes at once, even with I/O pending (the handlers stay
   * connected to the end: an emission from dispose would show)... */
  n_entries = client->entries->len;
  g_assert_finalize_object (g_steal_pointer (&client->session));

  /* ...and the cancelled operations call back into nothing. */
  tincan_test_run_for (context, 100);
  g_assert_cmpuint (client->entries->len, ==, n_entries);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Dropped while a TLS write is stuck (the server does not read): the close
 * tries to send close_notify over a full socket; it must still end, in
 * bounded time, and free everything. */
static void
test_dispose_tls_writing (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_TLS_DEAF, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanTestClient) client = NULL;
  g_autofree guint8 *big = g_malloc0 (16 * 1024 * 1024);

  server->certificate = tincan_test_make_certificate ("127.0.0.1", &error);
  g_assert_no_error (error);
  client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1", server->port, "raw",
                                   TINCAN_CONNECTION_PERSISTENT);

  g_assert_false (tincan_test_client_connect (client));
  tincan_session_pin_certificate (client->session,
                                  tincan_session_get_tls_problem (client->session)->fingerprint);
  g_assert_true (tincan_test_client_connect (client));

  tincan_test_client_send (client, big, 16 * 1024 * 1024);
  tincan_test_run_for (context, 100);
  g_assert_cmpuint (tincan_test_client_count_entries (client, TINCAN_MESSAGE_KIND_SENT), ==, 0);
  g_assert_cmpuint (tincan_session_get_bytes_sent (client->session), >, 0);

  g_assert_finalize_object (g_steal_pointer (&client->session));
  /* The close (in a glib-networking thread) ends by itself or after the
   * session's close timeout; give it time to call back. */
  tincan_test_run_for (context, 500);

  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_run_for (context, 50);
  tincan_test_pop_context (context);
}

static void
weak_notify_cb (gpointer  data,
                GObject  *where)
{
  *(gboolean *) data = TRUE;
}

static void
test_dispose_pending_connect (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(ScriptServer) server = script_server_new (SERVER_KEEP_OPEN, NULL);
  g_autoptr(TincanTestClient) client = tincan_test_client_new (TINCAN_TRANSPORT_TLS, "127.0.0.1",
                                                               server->port, "lf",
                                                               TINCAN_CONNECTION_PERSISTENT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean finalized = FALSE;

  tincan_test_client_connect_start (client, cancellable);
  tincan_test_client_wait_for_state (client, TINCAN_SESSION_TLS_HANDSHAKE);

  /* A pending connect_async holds the session, like any GIO operation,
   * so that its callback gets a live source object... */
  g_object_weak_ref (G_OBJECT (client->session), weak_notify_cb, &finalized);
  g_signal_handlers_disconnect_by_data (client->session, client);
  g_clear_object (&client->session);
  g_assert_false (finalized);

  /* ...until it is cancelled, which ends it at once. */
  g_cancellable_cancel (cancellable);
  tincan_test_wait_until (context, &client->connect_done, TIMEOUT_MS);
  g_assert_error (client->connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tincan_test_wait_until (context, &finalized, TIMEOUT_MS);

  tincan_test_run_for (context, 100);
  g_clear_pointer (&client, tincan_test_client_free);
  g_clear_pointer (&server, script_server_free);
  tincan_test_pop_context (context);
}

/* Floods */

typedef struct
{
  guint64 bytes;
  guint64 messages;
  guint64 truncated;
  guint   batches;
  guint   max_batch;
  gsize   max_rss_kib;
  gboolean closed;
} FloodCount;

static void
flood_messages_cb (TincanSession *session,
                   GPtrArray     *messages,
                   FloodCount    *count)
{
  count->batches++;
  count->max_batch = MAX (count->max_batch, messages->len);

  for (guint i = 0; i < messages->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (messages, i);
      gsize length;

      if (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_STATUS &&
          tincan_session_get_peer_closed (session))
        count->closed = TRUE;
      if (tincan_message_get_kind (message) != TINCAN_MESSAGE_KIND_RECEIVED)
        continue;
      tincan_message_get_data (message, &length);
      count->bytes += length;
      count->messages++;
      if (tincan_message_get_flags (message) & TINCAN_MESSAGE_TRUNCATED)
        count->truncated++;
    }

  if (count->batches % 64 == 0)
    count->max_rss_kib = MAX (count->max_rss_kib, tincan_test_read_rss_kib ());
}

static void
test_flood_raw (void)
{
  GMainContext *context = tincan_test_push_context ();
  FloodServer *server = flood_server_new (FLOOD_BYTES, "0123456789abcdef", NULL);
  g_autoptr(TincanSession) session = tincan_session_new ();
  FloodCount count = { 0 };
  gsize rss_before;
  gboolean done = FALSE;
  gint64 start;

  tincan_session_set_host (session, "127.0.0.1");
  tincan_session_set_port (session, server->port);
  g_signal_connect (session, "messages", G_CALLBACK (flood_messages_cb), &count);

  rss_before = tincan_test_read_rss_kib ();
  start = g_get_monotonic_time ();
  tincan_session_connect_async (session, NULL, tincan_test_session_connect_cb, &done);
  tincan_test_wait_until (context, &done, TIMEOUT_MS);
  tincan_test_wait_until (context, &count.closed, TIMEOUT_MS * 4);

  g_test_message ("%" G_GUINT64_FORMAT " MiB in %.2f s, %u batches (largest %u), "
                  "RSS %zu → max %zu KiB",
                  count.bytes >> 20, (g_get_monotonic_time () - start) / 1e6, count.batches,
                  count.max_batch, rss_before, count.max_rss_kib);

  /* Every byte arrived and was counted. */
  g_assert_cmpuint (count.bytes, ==, FLOOD_BYTES);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, FLOOD_BYTES);
  g_assert_cmpuint (tincan_session_get_messages_received (session), ==, count.messages);
  /* Bounded work per dispatch: never more than 16 reads of 64 KiB. */
  g_assert_cmpuint (count.messages / count.batches, <=, 16);
  /* Memory does not grow with the flood (ASan holds freed memory back in
   * its quarantine, 256 MiB by default, so there RSS says nothing). */
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpuint (count.max_rss_kib, <, rss_before + 64 * 1024);
#endif

  g_signal_handlers_disconnect_by_data (session, &count);
  tincan_session_disconnect (session);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_server_free (server);
  tincan_test_pop_context (context);
}

static void
test_flood_truncated (void)
{
  GMainContext *context = tincan_test_push_context ();
  gsize total = 8 * 1024 * 1024;
  gsize max = 64 * 1024;
  FloodServer *server = flood_server_new (total, "no newline here ", "\n");
  g_autoptr(TincanSession) session = tincan_session_new ();
  g_autoptr(TincanFraming) lf = tincan_framing_new_from_name ("lf", NULL);
  g_autoptr(TincanFraming) framing = tincan_framing_copy_with_max_frame_size (lf, max);
  FloodCount count = { 0 };
  gboolean done = FALSE;

  tincan_session_set_host (session, "127.0.0.1");
  tincan_session_set_port (session, server->port);
  tincan_session_set_framing (session, framing);
  g_signal_connect (session, "messages", G_CALLBACK (flood_messages_cb), &count);

  tincan_session_connect_async (session, NULL, tincan_test_session_connect_cb, &done);
  tincan_test_wait_until (context, &done, TIMEOUT_MS);
  tincan_test_wait_until (context, &count.closed, TIMEOUT_MS);

  /* One 8 MiB line, cut into 64 KiB pieces, all flagged TRUNCATED. */
  g_assert_cmpuint (count.bytes, ==, total);
  g_assert_cmpuint (count.messages, ==, total / max);
  g_assert_cmpuint (count.truncated, ==, count.messages);
  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, total + 1);

  g_signal_handlers_disconnect_by_data (session, &count);
  g_assert_finalize_object (g_steal_pointer (&session));
  flood_server_free (server);
  tincan_test_pop_context (context);
}

int
main (int   argc,
      char *argv[])
{
  static const EchoCase echo_cases[] = {
    { "raw", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "lf", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "crlf", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "nul", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "delim:7c7c", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "u8", TINCAN_CONNECTION_PERSISTENT, 255 },
    { "u16be", TINCAN_CONNECTION_PERSISTENT, 65535 },
    { "u16le", TINCAN_CONNECTION_PERSISTENT, 65535 },
    { "u32be", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "u32le", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "u64be", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "u64le", TINCAN_CONNECTION_PERSISTENT, 100000 },
    { "raw", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "lf", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "crlf", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "nul", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "delim:7c7c", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "u8", TINCAN_CONNECTION_PER_MESSAGE, 255 },
    { "u16be", TINCAN_CONNECTION_PER_MESSAGE, 65535 },
    { "u16le", TINCAN_CONNECTION_PER_MESSAGE, 65535 },
    { "u32be", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "u32le", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "u64be", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
    { "u64le", TINCAN_CONNECTION_PER_MESSAGE, 100000 },
  };

  static const WireCase wire_cases[] = {
    { "crlf", "", 0, "PING", 4, "\r\n", 2 },
    { "u16be", "\0\4", 2, "PING", 4, "", 0 },
    { "u32le", "\4\0\0\0", 4, "PING", 4, "", 0 },
    { "delim:7c7c", "", 0, "PING", 4, "||", 2 },
    { "raw", "", 0, "PING", 4, "", 0 },
  };

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (wire_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/net/session/wire-bytes/%s", wire_cases[i].framing);

      g_test_add_data_func (path, &wire_cases[i], test_wire_bytes);
    }

  g_test_add_func ("/net/session/message/basics", test_message_basics);
  g_test_add_func ("/net/session/properties", test_properties);
  g_test_add_func ("/net/session/properties/enums", test_enum_properties);
  g_test_add_func ("/net/session/error/wording", test_error_wording);
  g_test_add_func ("/net/session/error/wording-grouped", test_error_wording_grouped);
  g_test_add_func ("/net/session/error/entry", test_message_error);
  g_test_add_func ("/net/session/validation", test_validation);
  g_test_add_func ("/net/session/tls/describe", test_tls_problem_describe);

  for (guint i = 0; i < G_N_ELEMENTS (echo_cases); i++)
    {
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/net/session/echo/%s/%s",
                              echo_cases[i].mode == TINCAN_CONNECTION_PERSISTENT
                              ? "persistent" : "per-message",
                              echo_cases[i].framing);
      g_test_add_data_func (path, &echo_cases[i], test_echo);
    }

  g_test_add_func ("/net/session/ipv6", test_ipv6);
  g_test_add_data_func ("/net/session/udp/persistent",
                        GINT_TO_POINTER (TINCAN_CONNECTION_PERSISTENT), test_udp_echo);
  g_test_add_data_func ("/net/session/udp/per-message",
                        GINT_TO_POINTER (TINCAN_CONNECTION_PER_MESSAGE), test_udp_echo);
  g_test_add_data_func ("/net/session/udp/ipv6-largest/persistent",
                        GINT_TO_POINTER (TINCAN_CONNECTION_PERSISTENT), test_udp_ipv6_largest);
  g_test_add_data_func ("/net/session/udp/ipv6-largest/per-message",
                        GINT_TO_POINTER (TINCAN_CONNECTION_PER_MESSAGE), test_udp_ipv6_largest);
  g_test_add_func ("/net/session/udp/refused/goes-on", test_udp_refused_goes_on);
  g_test_add_func ("/net/session/udp/dual-stack-name", test_udp_dual_stack_name);
  g_test_add_func ("/net/session/udp/refused/per-message", test_udp_refused_per_message);
  g_test_add_func ("/net/session/refused", test_refused);
  g_test_add_data_func ("/net/session/proxy/http", GINT_TO_POINTER (TINCAN_TEST_PROXY_HTTP),
                        test_proxy);
  g_test_add_data_func ("/net/session/proxy/socks5", GINT_TO_POINTER (TINCAN_TEST_PROXY_SOCKS5),
                        test_proxy);
  g_test_add_func ("/net/session/proxy/refused", test_proxy_refused);
  g_test_add_data_func ("/net/session/unknown-host/tcp",
                        GINT_TO_POINTER (TINCAN_TRANSPORT_TCP), test_unknown_host);
  g_test_add_data_func ("/net/session/unknown-host/udp",
                        GINT_TO_POINTER (TINCAN_TRANSPORT_UDP), test_unknown_host);
  g_test_add_data_func ("/net/session/tls/unknown-ca", GINT_TO_POINTER (FALSE), test_tls);
  g_test_add_data_func ("/net/session/tls/bad-identity", GINT_TO_POINTER (TRUE), test_tls);
  g_test_add_func ("/net/session/tls/handshake-timeout", test_tls_handshake_timeout);
  g_test_add_data_func ("/net/session/no-reply/raw", GINT_TO_POINTER (FALSE), test_no_reply);
  g_test_add_data_func ("/net/session/no-reply/framed", GINT_TO_POINTER (TRUE), test_no_reply);
  g_test_add_func ("/net/session/partial-frame", test_partial_frame);
  g_test_add_func ("/net/session/half-close", test_half_close);
  g_test_add_func ("/net/session/reset", test_reset);
  g_test_add_func ("/net/session/queue/10000-in-order", test_queue_order);
  g_test_add_func ("/net/session/queue/per-message", test_per_message_queue);
  g_test_add_func ("/net/session/connection-ids", test_connection_ids);
  g_test_add_func ("/net/session/per-message/rows", test_per_message_rows);
  g_test_add_func ("/net/session/disconnect-while-connecting", test_disconnect_while_connecting);
  g_test_add_func ("/net/session/cancel-connect", test_cancel_connect);
  g_test_add_data_func ("/net/session/dispose/connecting",
                        GINT_TO_POINTER (DISPOSE_CONNECTING), test_dispose);
  g_test_add_data_func ("/net/session/dispose/handshake",
                        GINT_TO_POINTER (DISPOSE_HANDSHAKE), test_dispose);
  g_test_add_data_func ("/net/session/dispose/reading",
                        GINT_TO_POINTER (DISPOSE_READING), test_dispose);
  g_test_add_data_func ("/net/session/dispose/writing",
                        GINT_TO_POINTER (DISPOSE_WRITING), test_dispose);
  g_test_add_func ("/net/session/dispose/pending-connect", test_dispose_pending_connect);
  g_test_add_func ("/net/session/dispose/tls-writing", test_dispose_tls_writing);
  g_test_add_func ("/net/session/flood/raw-256MiB", test_flood_raw);
  g_test_add_func ("/net/session/flood/truncated", test_flood_truncated);

  return g_test_run ();
}
