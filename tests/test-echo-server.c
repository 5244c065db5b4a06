/* test-echo-server.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Integration tests of TincanEchoServer and the tincan-echo program, over
 * loopback only. The server and every client run on one private main context
 * that the test iterates until the awaited event, with a deadline. */

#include "config.h"

#include <locale.h>

#include <signal.h>
#include <string.h>

#include "tincan-echo-server.h"
#include "tincan-test-util.h"

/* Generous: the suite also runs under valgrind. */
#define TIMEOUT_MS 30000

#define RANDOM_SEED 20260101

/* Test helpers */

static gboolean
skip_without_address (const char *address)
{
  if (strchr (address, ':') != NULL && !tincan_test_have_ipv6_loopback ())
    {
      g_test_skip ("IPv6 loopback (::1) is not available");
      return TRUE;
    }

  return FALSE;
}

static GBytes *
random_bytes (gsize   size,
              guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;

  return g_bytes_new_take (data, size);
}

static void
assert_bytes_equal (GByteArray *received,
                    GBytes     *expected)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (expected, &size);

  g_assert_cmpmem (received->data, received->len, data, size);
}

typedef struct
{
  TincanEchoServer *server;
  guint             n_connections;
  guint64           bytes_echoed;
} ServerExpectation;

static gboolean
n_connections_reached (gpointer user_data)
{
  ServerExpectation *expect = user_data;

  return tincan_echo_server_get_n_connections (expect->server) == expect->n_connections;
}

static gboolean
bytes_echoed_reached (gpointer user_data)
{
  ServerExpectation *expect = user_data;

  return tincan_echo_server_get_bytes_echoed (expect->server) >= expect->bytes_echoed;
}

/* Macros, so that a timeout names the test's line. */
#define wait_n_connections(context, server_, n) \
  G_STMT_START { \
    ServerExpectation expect_ = { .server = (server_), .n_connections = (n) }; \
    tincan_test_wait_for ((context), n_connections_reached, &expect_, TIMEOUT_MS); \
  } G_STMT_END

#define wait_bytes_echoed(context, server_, n) \
  G_STMT_START { \
    ServerExpectation expect_ = { .server = (server_), .bytes_echoed = (n) }; \
    tincan_test_wait_for ((context), bytes_echoed_reached, &expect_, TIMEOUT_MS); \
  } G_STMT_END

static TincanEchoServer *
start_server (TincanTransport  transport,
              const char      *address)
{
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (transport);
  g_autoptr(GError) error = NULL;

  if (transport == TINCAN_TRANSPORT_TLS)
    {
      g_autoptr(GTlsCertificate) certificate = tincan_test_make_certificate (address, &error);

      g_assert_no_error (error);
      tincan_echo_server_set_tls_certificate (server, certificate);
    }

  tincan_echo_server_start (server, address, 0, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_echo_server_is_running (server));
  g_assert_cmpuint (tincan_echo_server_get_port (server), !=, 0);

  return g_steal_pointer (&server);
}

/* A stream client: connects, sends its payload, reads the echo. */

typedef struct
{
  /* Set by the test before client_start(). */
  GBytes            *payload;
  gsize              expect;          /* done after this many bytes; G_MAXSIZE: at EOF */
  gboolean           half_close;      /* shutdown(SHUT_WR) once the payload is sent */
  gboolean           no_read;         /* never read the echo */
  gboolean           use_tls;
  char              *pinned;          /* TLS: the only certificate fingerprint to accept */

  GSocketAddress    *address;
  GSocketConnection *connection;
  GIOStream         *stream;
  guint              pending;         /* async operations in flight */
  gboolean           connected;
  gboolean           done;            /* the read side is finished */
  gboolean           eof;
  gboolean           closed;
  guint              certificate_checks;
  GError            *error;           /* the first error */
  GByteArray        *received;
  guint8             buffer[65536];
} Client;

static Client *
client_new (GBytes *payload)
{
  Client *client = g_new0 (Client, 1);

  client->payload = payload != NULL ? g_bytes_ref (payload) : g_bytes_new (NULL, 0);
  client->expect = G_MAXSIZE;
  client->received = g_byte_array_new ();

  return client;
}

static void
client_free (Client *client)
{
  g_assert_cmpuint (client->pending, ==, 0);

  g_clear_object (&client->stream);
  g_clear_object (&client->connection);
  g_clear_object (&client->address);
  g_clear_error (&client->error);
  g_byte_array_unref (client->received);
  g_bytes_unref (client->payload);
  g_free (client->pinned);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_fail (Client *client,
             GError *error)
{
  if (client->error == NULL)
    client->error = error;
  else
    g_error_free (error);
}

static gboolean
client_finished (gpointer user_data)
{
  Client *client = user_data;

  return client->done && client->pending == 0;
}

static void client_read (Client *client);

static void
client_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Client *client = user_data;
  GError *error = NULL;
  gssize n_read;

  client->pending--;
  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n_read < 0)
    {
      client_fail (client, error);
      client->done = TRUE;
    }
  else if (n_read == 0)
    {
      client->eof = TRUE;
      client->done = TRUE;
    }
  else
    {
      g_byte_array_append (client->received, client->buffer, n_read);
      if (client->expect != G_MAXSIZE && client->received->len >= client->expect)
        client->done = TRUE;
      else
        client_read (client);
    }
}

static void
client_read (Client *client)
{
  client->pending++;
  g_input_stream_read_async (g_io_stream_get_input_stream (client->stream),
                             client->buffer, sizeof client->buffer, G_PRIORITY_DEFAULT,
                             NULL, client_read_cb, client);
}

static void
client_sent (Client *client)
{
  if (client->half_close)
    {
      GSocket *socket = g_socket_connection_get_socket (client->connection);
      g_autoptr(GError) error = NULL;

      g_socket_shutdown (socket, FALSE, TRUE, &error);
      g_assert_no_error (error);
    }
}

static void
client_write_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Client *client = user_data;
  GError *error = NULL;

  client->pending--;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    client_fail (client, error);
  else
    client_sent (client);
}

static void
client_begin (Client *client)
{
  client->connected = TRUE;

  if (g_bytes_get_size (client->payload) > 0)
    {
      client->pending++;
      g_output_stream_write_all_async (g_io_stream_get_output_stream (client->stream),
                                       g_bytes_get_data (client->payload, NULL),
                                       g_bytes_get_size (client->payload),
                                       G_PRIORITY_DEFAULT, NULL, client_write_cb, client);
    }
  else
    {
      client_sent (client);
    }

  if (client->no_read)
    client->done = TRUE;
  else
    client_read (client);
}

static gboolean
client_accept_certificate_cb (GTlsConnection       *connection,
                              GTlsCertificate      *peer_certificate,
                              GTlsCertificateFlags  errors,
                              gpointer              user_data)
{
  Client *client = user_data;
  g_autofree char *fingerprint = tincan_test_certificate_dup_fingerprint (peer_certificate);

  client->certificate_checks++;

  /* Self-signed: the only complaint may be the unknown issuer. */
  g_assert_cmpint (errors & ~G_TLS_CERTIFICATE_UNKNOWN_CA, ==, 0);

  return g_strcmp0 (fingerprint, client->pinned) == 0;
}

static void
client_handshake_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Client *client = user_data;
  GError *error = NULL;

  client->pending--;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      client_fail (client, error);
      client->done = TRUE;
      return;
    }

  client_begin (client);
}

static void
client_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Client *client = user_data;
  GError *error = NULL;

  client->pending--;
  client->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (client->connection == NULL)
    {
      client_fail (client, error);
      client->done = TRUE;
      return;
    }

  if (client->use_tls)
    {
      /* The certificate names the address we connect to, so the only
       * complaint should be the unknown issuer. */
      client->stream = g_tls_client_connection_new (G_IO_STREAM (client->connection),
                                                    G_SOCKET_CONNECTABLE (client->address),
                                                    &error);
      g_assert_no_error (error);
      g_signal_connect (client->stream, "accept-certificate",
                        G_CALLBACK (client_accept_certificate_cb), client);

      client->pending++;
      g_tls_connection_handshake_async (G_TLS_CONNECTION (client->stream), G_PRIORITY_DEFAULT,
                                        NULL, client_handshake_cb, client);
    }
  else
    {
      client->stream = G_IO_STREAM (g_object_ref (client->connection));
      client_begin (client);
    }
}

static void
client_start (Client     *client,
              const char *host,
              guint16     port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);

  g_assert_null (client->address);
  client->address = g_inet_socket_address_new (inet, port);

  /* Loopback only: no proxy look-up. */
  g_socket_client_set_enable_proxy (socket_client, FALSE);

  client->pending++;
  g_socket_client_connect_async (socket_client, G_SOCKET_CONNECTABLE (client->address), NULL,
                                 client_connect_cb, client);
}

static void
client_close_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Client *client = user_data;
  GError *error = NULL;

  client->pending--;
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    client_fail (client, error);
  client->closed = TRUE;
}

static void
client_close (Client *client)
{
  client->pending++;
  g_io_stream_close_async (client->stream, G_PRIORITY_DEFAULT, NULL, client_close_cb, client);
}

/* A UDP client socket, with a source that collects each echoed datagram. */

typedef struct
{
  GSocket       *socket;
  GSource       *source;
  GSocketAddress *from;
  GByteArray    *received;
  gboolean       got;
  guint8         buffer[65536];
} UdpClient;

static gboolean
udp_client_ready_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  UdpClient *client = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_received;

  g_clear_object (&client->from);
  n_received = g_socket_receive_from (socket, &client->from, (char *) client->buffer,
                                      sizeof client->buffer, NULL, &error);
  if (n_received < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  g_assert_no_error (error);

  g_byte_array_set_size (client->received, 0);
  g_byte_array_append (client->received, client->buffer, n_received);
  client->got = TRUE;

  return G_SOURCE_CONTINUE;
}

static UdpClient *
udp_client_new (GMainContext *context,
                const char   *host)
{
  UdpClient *client = g_new0 (UdpClient, 1);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (inet, 0);
  g_autoptr(GError) error = NULL;

  client->socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_DATAGRAM,
                                 G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (client->socket, FALSE);
  g_socket_bind (client->socket, local, FALSE, &error);
  g_assert_no_error (error);

  client->received = g_byte_array_new ();
  client->source = g_socket_create_source (client->socket, G_IO_IN, NULL);
  g_source_set_callback (client->source, G_SOURCE_FUNC (udp_client_ready_cb), client, NULL);
  g_source_attach (client->source, context);

  return client;
}

static void
udp_client_free (UdpClient *client)
{
  g_source_destroy (client->source);
  g_source_unref (client->source);
  g_socket_close (client->socket, NULL);
  g_object_unref (client->socket);
  g_clear_object (&client->from);
  g_byte_array_unref (client->received);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UdpClient, udp_client_free)

/* Sends @payload to @host:@port and waits for the echo, which must come from
 * there and be identical. */
static void
udp_client_round_trip (UdpClient    *client,
                       GMainContext *context,
                       const char   *host,
                       guint16       port,
                       GBytes       *payload)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);
  g_autoptr(GError) error = NULL;
  gssize n_sent;

  client->got = FALSE;
  n_sent = g_socket_send_to (client->socket, address, g_bytes_get_data (payload, NULL),
                             g_bytes_get_size (payload), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_sent, ==, g_bytes_get_size (payload));

  tincan_test_wait_until (context, &client->got, TIMEOUT_MS);

  assert_bytes_equal (client->received, payload);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (client->from));
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (client->from)), ==,
                    port);
}

/* TCP */

static void
test_tcp_round_trip (gconstpointer data)
{
  const char *host = data;
  GMainContext *context;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("hello, echo\n", 12);
  g_autofree char *address = NULL;
  g_autofree char *expected_address = NULL;
  guint16 port;

  if (skip_without_address (host))
    return;

  context = tincan_test_push_context ();
  server = start_server (TINCAN_TRANSPORT_TCP, host);
  port = tincan_echo_server_get_port (server);

  g_assert_cmpint (tincan_echo_server_get_transport (server), ==, TINCAN_TRANSPORT_TCP);
  address = tincan_echo_server_dup_address (server);
  if (strchr (host, ':') != NULL)
    expected_address = g_strdup_printf ("[%s]:%u", host, port);
  else
    expected_address = g_strdup_printf ("%s:%u", host, port);
  g_assert_cmpstr (address, ==, expected_address);

  client = client_new (payload);
  client->half_close = TRUE;
  client_start (client, host, port);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);

  g_assert_no_error (client->error);
  g_assert_true (client->eof);
  assert_bytes_equal (client->received, payload);

  wait_n_connections (context, server, 0);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, 12);

  tincan_echo_server_stop (server);
  g_assert_false (tincan_echo_server_is_running (server));
  g_assert_cmpuint (tincan_echo_server_get_port (server), ==, 0);
  g_assert_null (tincan_echo_server_dup_address (server));

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

#define N_CONCURRENT 20

static void
test_tcp_concurrent (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  guint16 port = tincan_echo_server_get_port (server);
  Client *clients[N_CONCURRENT];
  guint64 total = 0;

  g_test_message ("random seed %u", RANDOM_SEED);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      /* Different sizes, some over one 64 KiB buffer, and different bytes. */
      g_autoptr(GBytes) payload = random_bytes (1 + i * 7919, RANDOM_SEED + i);

      clients[i] = client_new (payload);
      clients[i]->expect = g_bytes_get_size (payload);
      total += g_bytes_get_size (payload);
      client_start (clients[i], "127.0.0.1", port);
    }

  for (guint i = 0; i < N_CONCURRENT; i++)
    tincan_test_wait_for (context, client_finished, clients[i], TIMEOUT_MS);

  /* Nobody has closed yet: all of them are open at once. */
  g_assert_cmpuint (tincan_echo_server_get_n_connections (server), ==, N_CONCURRENT);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_assert_no_error (clients[i]->error);
      g_assert_false (clients[i]->eof);
      assert_bytes_equal (clients[i]->received, clients[i]->payload);
      client_close (clients[i]);
    }

  wait_n_connections (context, server, 0);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, total);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      tincan_test_wait_for (context, client_finished, clients[i], TIMEOUT_MS);
      g_assert_no_error (clients[i]->error);
      client_free (clients[i]);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tcp_large (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  g_autoptr(GBytes) payload = random_bytes (4 * 1024 * 1024, RANDOM_SEED);
  g_autoptr(Client) client = client_new (payload);

  g_test_message ("random seed %u", RANDOM_SEED);

  client->half_close = TRUE;
  client_start (client, "127.0.0.1", tincan_echo_server_get_port (server));
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);

  g_assert_no_error (client->error);
  g_assert_true (client->eof);
  g_assert_cmpuint (client->received->len, ==, 4 * 1024 * 1024);
  assert_bytes_equal (client->received, payload);

  wait_n_connections (context, server, 0);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, 4 * 1024 * 1024);

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tcp_half_close (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  guint16 port = tincan_echo_server_get_port (server);
  /* Several buffers' worth, so that the server is still echoing when it
   * reads our EOF. */
  g_autoptr(GBytes) payload = random_bytes (300 * 1000, RANDOM_SEED);
  g_autoptr(Client) client = client_new (payload);
  g_autoptr(Client) silent = client_new (NULL);

  g_test_message ("random seed %u", RANDOM_SEED);

  client->half_close = TRUE;
  client_start (client, "127.0.0.1", port);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);

  g_assert_no_error (client->error);
  assert_bytes_equal (client->received, payload);
  g_assert_true (client->eof);

  /* A client that sends nothing and shuts down gets EOF at once. */
  silent->half_close = TRUE;
  client_start (silent, "127.0.0.1", port);
  tincan_test_wait_for (context, client_finished, silent, TIMEOUT_MS);
  g_assert_no_error (silent->error);
  g_assert_true (silent->eof);
  g_assert_cmpuint (silent->received->len, ==, 0);

  wait_n_connections (context, server, 0);

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tcp_bytes_echoed (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  const gsize sizes[] = { 1, 10, 65536, 65537, 100000 };
  guint64 total = 0;

  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) payload = random_bytes (sizes[i], RANDOM_SEED + i);
      g_autoptr(Client) client = client_new (payload);

      client->half_close = TRUE;
      client_start (client, "127.0.0.1", tincan_echo_server_get_port (server));
      tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
      g_assert_no_error (client->error);
      assert_bytes_equal (client->received, payload);

      total += sizes[i];
      wait_n_connections (context, server, 0);
      g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, total);
    }

  /* The count goes on across a restart. */
  tincan_echo_server_stop (server);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, total);

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tcp_stop_closes_clients (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  Client *clients[3];

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      clients[i] = client_new (payload);
      client_start (clients[i], "127.0.0.1", tincan_echo_server_get_port (server));
    }

  /* Each is connected and has had its echo: the server is waiting to read. */
  wait_bytes_echoed (context, server, G_N_ELEMENTS (clients));
  g_assert_cmpuint (tincan_echo_server_get_n_connections (server), ==, G_N_ELEMENTS (clients));

  tincan_echo_server_stop (server);
  g_assert_cmpuint (tincan_echo_server_get_n_connections (server), ==, 0);
  g_assert_false (tincan_echo_server_is_running (server));

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      tincan_test_wait_for (context, client_finished, clients[i], TIMEOUT_MS);
      /* Closed by the server: EOF, or a reset (either is fine). */
      g_assert_true (clients[i]->eof || clients[i]->error != NULL);
      g_assert_cmpuint (clients[i]->received->len, ==, 1);
      client_free (clients[i]);
    }

  /* A stopped server starts again. */
  tincan_echo_server_start (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  {
    g_autoptr(Client) client = client_new (payload);

    client->half_close = TRUE;
    client_start (client, "127.0.0.1", tincan_echo_server_get_port (server));
    tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
    g_assert_no_error (client->error);
    assert_bytes_equal (client->received, payload);
  }

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tcp_dispose_mid_transfer (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  g_autoptr(GBytes) payload = random_bytes (4 * 1024 * 1024, RANDOM_SEED);
  g_autoptr(Client) client = client_new (payload);

  /* It never reads its echo: the server soon has a write pending that cannot
   * finish. Then the last reference goes. */
  client->no_read = TRUE;
  client_start (client, "127.0.0.1", tincan_echo_server_get_port (server));
  wait_bytes_echoed (context, server, 1);
  g_assert_cmpuint (tincan_echo_server_get_n_connections (server), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&server));

  /* The server's callbacks still run, into no server, and the client's write
   * ends (with a reset, or done if it all fitted in the socket buffers). */
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
  if (client->error != NULL)
    g_test_message ("client write ended with: %s", client->error->message);

  tincan_test_pop_context (context);
}

static void
test_busy_port (gconstpointer data)
{
  TincanTransport transport = GPOINTER_TO_INT (data);
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) first = start_server (transport, "127.0.0.1");
  g_autoptr(TincanEchoServer) second = tincan_echo_server_new (transport);
  guint16 port = tincan_echo_server_get_port (first);
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;

  g_assert_false (tincan_echo_server_start (second, "127.0.0.1", port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, where));
  g_assert_nonnull (strstr (error->message, "in use"));
  g_assert_false (tincan_echo_server_is_running (second));
  g_assert_cmpuint (tincan_echo_server_get_port (second), ==, 0);

  /* Starting twice is refused too. */
  g_clear_error (&error);
  g_assert_false (tincan_echo_server_start (first, "127.0.0.1", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpuint (tincan_echo_server_get_port (first), ==, port);

  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&first));
  tincan_test_pop_context (context);
}

static void
test_bad_bind_address (void)
{
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);
  g_autoptr(GError) error = NULL;

  g_assert_false (tincan_echo_server_start (server, "localhost.invalid", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "localhost.invalid"));
  g_assert_false (tincan_echo_server_is_running (server));
}

/* UDP */

static void
test_udp_round_trip (gconstpointer data)
{
  const char *host = data;
  GMainContext *context;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(UdpClient) client = NULL;
  const gsize sizes[] = { 1, 1472, 9000, 65507 };
  guint64 total = 0;
  guint16 port;

  if (skip_without_address (host))
    return;

  g_test_message ("random seed %u", RANDOM_SEED);

  context = tincan_test_push_context ();
  server = start_server (TINCAN_TRANSPORT_UDP, host);
  port = tincan_echo_server_get_port (server);
  client = udp_client_new (context, host);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) payload = random_bytes (sizes[i], RANDOM_SEED + i);

      udp_client_round_trip (client, context, host, port, payload);
      total += sizes[i];
    }

  /* The server counts a datagram when it has sent it, before we get it. */
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, total);
  g_assert_cmpuint (tincan_echo_server_get_n_connections (server), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&server));
  g_clear_pointer (&client, udp_client_free);
  tincan_test_pop_context (context);
}

/* TLS */

static void
test_tls_round_trip (gconstpointer data)
{
  const char *host = data;
  GMainContext *context;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(GBytes) payload = random_bytes (100 * 1000, RANDOM_SEED);
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) rejecting = NULL;
  GTlsCertificate *certificate;

  if (skip_without_address (host))
    return;

  g_test_message ("random seed %u", RANDOM_SEED);

  context = tincan_test_push_context ();
  server = start_server (TINCAN_TRANSPORT_TLS, host);
  g_object_get (server, "tls-certificate", &certificate, NULL);

  client = client_new (payload);
  client->use_tls = TRUE;
  client->pinned = tincan_test_certificate_dup_fingerprint (certificate);
  client->expect = g_bytes_get_size (payload);
  client_start (client, host, tincan_echo_server_get_port (server));
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);

  g_assert_no_error (client->error);
  g_assert_cmpuint (client->certificate_checks, ==, 1);
  assert_bytes_equal (client->received, payload);

  /* A client that refuses the certificate fails its handshake; the server
   * drops that connection only. */
  rejecting = client_new (payload);
  rejecting->use_tls = TRUE;
  rejecting->pinned = g_strdup ("not this one");
  client_start (rejecting, host, tincan_echo_server_get_port (server));
  tincan_test_wait_for (context, client_finished, rejecting, TIMEOUT_MS);
  g_assert_error (rejecting->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_false (rejecting->connected);
  g_clear_pointer (&rejecting, client_free);

  wait_n_connections (context, server, 1);

  /* A close_notify ends the echo the way EOF does for TCP. */
  client_close (client);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
  g_assert_no_error (client->error);
  wait_n_connections (context, server, 0);
  g_assert_cmpuint (tincan_echo_server_get_bytes_echoed (server), ==, g_bytes_get_size (payload));

  g_object_unref (certificate);
  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_tls_without_certificate (void)
{
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TLS);
  g_autoptr(GError) error = NULL;

  g_assert_false (tincan_echo_server_start (server, NULL, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_assert_false (tincan_echo_server_is_running (server));
  g_assert_cmpuint (tincan_echo_server_get_port (server), ==, 0);
}

/* The tincan-echo program */

static char *
echo_program_path (void)
{
  const char *path = g_getenv ("TINCAN_ECHO");

  if (path != NULL)
    return g_strdup (path);

  return g_build_filename (BUILD_BIN_DIR, "net", "tincan-echo", NULL);
}

static GSubprocessLauncher *
echo_program_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* The messages checked below are the untranslated ones. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  return launcher;
}

typedef struct
{
  char     *line;
  GError   *error;
  gboolean  done;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* Runs tincan-echo with @args and returns it once it has printed its
 * "Listening on" line, with the port that line names. */
static GSubprocess *
echo_program_start (GMainContext         *context,
                    const char           *expected_prefix,
                    const char   * const *args,
                    guint16              *port)
{
  g_autoptr(GSubprocessLauncher) launcher = echo_program_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  LineRead read = { NULL, NULL, FALSE };
  guint64 value;

  g_ptr_array_add (argv, echo_program_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  tincan_test_wait_until (context, &read.done, TIMEOUT_MS);
  g_assert_no_error (read.error);
  g_assert_nonnull (read.line);

  g_test_message ("tincan-echo: %s", read.line);
  g_assert_true (g_str_has_prefix (read.line, expected_prefix));
  g_assert_true (g_ascii_string_to_unsigned (read.line + strlen (expected_prefix), 10,
                                             1, G_MAXUINT16, &value, NULL));
  *port = value;
  g_free (read.line);

  return g_steal_pointer (&process);
}

static void
echo_program_terminate (GMainContext *context,
                        GSubprocess  *process)
{
  gboolean done = FALSE;

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  tincan_test_wait_until (context, &done, TIMEOUT_MS);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_program_tcp (void)
{
  GMainContext *context = tincan_test_push_context ();
  const char *args[] = { "--port", "0", NULL };
  g_autoptr(GBytes) payload = g_bytes_new_static ("over the program\n", 17);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(Client) client = client_new (payload);
  guint16 port;

  process = echo_program_start (context, "Listening on tcp://127.0.0.1:", args, &port);

  client->half_close = TRUE;
  client_start (client, "127.0.0.1", port);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
  g_assert_no_error (client->error);
  g_assert_true (client->eof);
  assert_bytes_equal (client->received, payload);

  echo_program_terminate (context, process);
  tincan_test_pop_context (context);
}

static void
test_program_udp (void)
{
  GMainContext *context = tincan_test_push_context ();
  const char *args[] = { "--udp", "--port", "0", "--bind", "127.0.0.1", NULL };
  g_autoptr(GBytes) payload = g_bytes_new_static ("datagram", 8);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(UdpClient) client = NULL;
  guint16 port;

  process = echo_program_start (context, "Listening on udp://127.0.0.1:", args, &port);

  client = udp_client_new (context, "127.0.0.1");
  udp_client_round_trip (client, context, "127.0.0.1", port, payload);
  g_clear_pointer (&client, udp_client_free);

  echo_program_terminate (context, process);
  tincan_test_pop_context (context);
}

static void
test_program_tls (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanTestCertificate) files = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("secret echo\n", 12);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(Client) client = client_new (payload);
  g_autoptr(GError) error = NULL;
  guint16 port;

  files = tincan_test_certificate_new ("127.0.0.1", &error);
  g_assert_no_error (error);

  {
    const char *args[] = {
      "--port", "0", "--tls-cert", files->cert_file, "--tls-key", files->key_file, NULL
    };

    process = echo_program_start (context, "Listening on tls://127.0.0.1:", args, &port);
  }

  client->use_tls = TRUE;
  client->pinned = tincan_test_certificate_dup_fingerprint (files->certificate);
  client->expect = g_bytes_get_size (payload);
  client_start (client, "127.0.0.1", port);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
  g_assert_no_error (client->error);
  assert_bytes_equal (client->received, payload);

  client_close (client);
  tincan_test_wait_for (context, client_finished, client, TIMEOUT_MS);
  g_assert_no_error (client->error);

  echo_program_terminate (context, process);
  tincan_test_pop_context (context);
}

typedef struct
{
  const char *args[8];
  int         exit_status;
  const char *in_stderr;
} ProgramCase;

static const ProgramCase program_cases[] = {
  { { "--port", "70000" }, 2, "out of range" },
  { { "--port", "-1" }, 2, "out of range" },
  { { "--port", "seven" }, 2, "--port" },
  { { "--bind", "example.org" }, 2, "not an IPv4 or IPv6 address" },
  { { "--tls-cert", "cert.pem" }, 2, "--tls-key" },
  { { "--tls-key", "key.pem" }, 2, "--tls-key" },
  { { "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem" }, 2,
    "Cannot load the TLS certificate" },
  { { "--udp", "--tls-cert", "a.pem", "--tls-key", "b.pem" }, 2, "DTLS" },
  { { "--no-such-option" }, 2, "--no-such-option" },
  { { "stray" }, 2, "stray" },
};

typedef struct
{
  char     *stdout_text;
  char     *stderr_text;
  gboolean  done;
} Communication;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communication *communication = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &communication->stdout_text,
                                        &communication->stderr_text, &error);
  g_assert_no_error (error);
  communication->done = TRUE;
}

/* Runs tincan-echo to its end and returns its exit status. */
static int
echo_program_run (GMainContext        *context,
                  const char * const  *args,
                  char               **stdout_text,
                  char               **stderr_text)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communication communication = { NULL, NULL, FALSE };

  launcher = echo_program_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_ptr_array_add (argv, echo_program_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &communication);
  tincan_test_wait_until (context, &communication.done, TIMEOUT_MS);

  *stdout_text = communication.stdout_text;
  *stderr_text = communication.stderr_text;
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_program_bad_arguments (void)
{
  GMainContext *context = tincan_test_push_context ();

  for (guint i = 0; i < G_N_ELEMENTS (program_cases); i++)
    {
      const ProgramCase *c = &program_cases[i];
      g_autofree char *stdout_text = NULL;
      g_autofree char *stderr_text = NULL;
      int status;

      status = echo_program_run (context, c->args, &stdout_text, &stderr_text);
      g_test_message ("%s: exit %d, stderr: %s", c->args[0], status, stderr_text);

      g_assert_cmpint (status, ==, c->exit_status);
      g_assert_cmpstr (stdout_text, ==, "");
      g_assert_nonnull (strstr (stderr_text, c->in_stderr));
    }

  tincan_test_pop_context (context);
}

static void
test_program_busy_port (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(TincanEchoServer) server = start_server (TINCAN_TRANSPORT_TCP, "127.0.0.1");
  g_autofree char *port = g_strdup_printf ("%u", tincan_echo_server_get_port (server));
  const char *args[] = { "--port", port, NULL };
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  /* Good arguments, but the server cannot start: status 1, not 2. */
  g_assert_cmpint (echo_program_run (context, args, &stdout_text, &stderr_text), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "in use"));
  g_assert_nonnull (strstr (stderr_text, port));

  g_assert_finalize_object (g_steal_pointer (&server));
  tincan_test_pop_context (context);
}

static void
test_program_version (void)
{
  GMainContext *context = tincan_test_push_context ();
  const char *args[] = { "--version", NULL };
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_assert_cmpint (echo_program_run (context, args, &stdout_text, &stderr_text), ==, 0);
  g_assert_cmpstr (stdout_text, ==, "tincan-echo " PACKAGE_VERSION "\n");
  g_assert_cmpstr (stderr_text, ==, "");

  tincan_test_pop_context (context);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/net/echo-server/tcp/round-trip/ipv4", "127.0.0.1", test_tcp_round_trip);
  g_test_add_data_func ("/net/echo-server/tcp/round-trip/ipv6", "::1", test_tcp_round_trip);
  g_test_add_func ("/net/echo-server/tcp/concurrent", test_tcp_concurrent);
  g_test_add_func ("/net/echo-server/tcp/large", test_tcp_large);
  g_test_add_func ("/net/echo-server/tcp/half-close", test_tcp_half_close);
  g_test_add_func ("/net/echo-server/tcp/bytes-echoed", test_tcp_bytes_echoed);
  g_test_add_func ("/net/echo-server/tcp/stop-closes-clients", test_tcp_stop_closes_clients);
  g_test_add_func ("/net/echo-server/tcp/dispose-mid-transfer", test_tcp_dispose_mid_transfer);
  g_test_add_data_func ("/net/echo-server/tcp/busy-port",
                        GINT_TO_POINTER (TINCAN_TRANSPORT_TCP), test_busy_port);
  g_test_add_data_func ("/net/echo-server/udp/busy-port",
                        GINT_TO_POINTER (TINCAN_TRANSPORT_UDP), test_busy_port);
  g_test_add_func ("/net/echo-server/bad-bind-address", test_bad_bind_address);
  g_test_add_data_func ("/net/echo-server/udp/round-trip/ipv4", "127.0.0.1", test_udp_round_trip);
  g_test_add_data_func ("/net/echo-server/udp/round-trip/ipv6", "::1", test_udp_round_trip);
  g_test_add_data_func ("/net/echo-server/tls/round-trip/ipv4", "127.0.0.1", test_tls_round_trip);
  g_test_add_data_func ("/net/echo-server/tls/round-trip/ipv6", "::1", test_tls_round_trip);
  g_test_add_func ("/net/echo-server/tls/without-certificate", test_tls_without_certificate);
  g_test_add_func ("/net/echo-server/program/tcp", test_program_tcp);
  g_test_add_func ("/net/echo-server/program/udp", test_program_udp);
  g_test_add_func ("/net/echo-server/program/tls", test_program_tls);
  g_test_add_func ("/net/echo-server/program/bad-arguments", test_program_bad_arguments);
  g_test_add_func ("/net/echo-server/program/busy-port", test_program_busy_port);
  g_test_add_func ("/net/echo-server/program/version", test_program_version);

  return g_test_run ();
}
