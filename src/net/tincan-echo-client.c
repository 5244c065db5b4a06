/* tincan-echo-client.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "tincan-connection.h"
#include "tincan-echo-server-private.h"

/* Echoes waiting to be written past which a client is not read until they
 * are: with the connection's 64 KiB read buffer and the chunk that crossed
 * it, at most about 192 KiB is held for a client, however slowly it reads. */
#define ECHO_MAX_QUEUED (64 * 1024)

/* A TLS client that connects and never completes its handshake would hold a
 * connection, and a glib-networking worker thread, for ever. */
#define HANDSHAKE_TIMEOUT_S 30

/* One accepted TCP or TLS client: its TLS handshake, then a TincanConnection
 * that reads and writes (raw framing: each chunk read is echoed as it is).
 * It is reference counted (a GRcBox) because the handshake and the timeout
 * hold a reference: the server can then be stopped or finalized at any time.
 * Stopping detaches the client (server = NULL) and cancels its I/O; the
 * callbacks that run afterwards only drop their reference. */
struct _EchoClient
{
  TincanEchoServer  *server;            /* unowned; NULL once detached */
  GList              link;              /* in server->clients */
  GMainContext      *context;
  GCancellable      *cancellable;       /* the handshake */
  GSocketConnection *socket_connection;
  GIOStream         *stream;            /* socket_connection, or the TLS connection over it */
  GSource           *handshake_timeout;
  TincanConnection  *connection;        /* once the handshake is done */
  gboolean           eof;               /* the client is done sending */
};

static EchoClient *
echo_client_ref (EchoClient *client)
{
  return g_rc_box_acquire (client);
}

static void
echo_client_clear (gpointer data)
{
  EchoClient *client = data;

  g_assert (client->server == NULL);
  g_assert (client->handshake_timeout == NULL);

  g_clear_object (&client->connection);
  g_clear_object (&client->stream);
  g_clear_object (&client->socket_connection);
  g_clear_object (&client->cancellable);
  g_clear_pointer (&client->context, g_main_context_unref);
}

static void
echo_client_unref (EchoClient *client)
{
  g_rc_box_release_full (client, echo_client_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EchoClient, echo_client_unref)

static void
echo_client_clear_timeout (EchoClient *client)
{
  if (client->handshake_timeout != NULL)
    {
      g_source_destroy (client->handshake_timeout);
      g_clear_pointer (&client->handshake_timeout, g_source_unref);
    }
}

/* Removes @client from its server's list and drops the list's reference. */
static void
echo_client_detach (EchoClient *client)
{
  TincanEchoServer *self = client->server;

  if (self == NULL)
    return;

  client->server = NULL;
  g_queue_unlink (&self->clients, &client->link);
  _tincan_echo_server_notify_clients (self);
  echo_client_unref (client);
}

/* Ends @client at once: cancels what it does and detaches it. */
void
_tincan_echo_client_abort (EchoClient *client)
{
  g_autoptr(EchoClient) hold G_GNUC_UNUSED = echo_client_ref (client);

  g_cancellable_cancel (client->cancellable);
  echo_client_clear_timeout (client);
  if (client->connection != NULL)
    tincan_connection_detach (client->connection);

  /* shutdown() and not close(): glib-networking runs TLS handshakes and
   * closes in a worker thread that may be polling this descriptor right now.
   * shutdown() wakes it and tells the peer at once; the descriptor itself is
   * closed when the cancelled operation has called back. */
  g_socket_shutdown (g_socket_connection_get_socket (client->socket_connection),
                     TRUE, TRUE, NULL);

  echo_client_detach (client);
}

/* The client sent EOF and everything it sent has been echoed: close our side,
 * with a TLS close_notify where there is TLS. */
static void
echo_client_close_when_echoed (EchoClient *client)
{
  if (client->eof && tincan_connection_get_queue_length (client->connection) == 0)
    tincan_connection_close (client->connection);
}

/* What the client's connection tells */

static void
echo_received (TincanConnection *connection,
               TincanMessage    *message,
               TincanFrameFlags  flags,
               gpointer          user_data)
{
  g_autoptr(TincanMessage) owned = message;
  g_autoptr(GBytes) bytes = tincan_message_dup_bytes (message);

  tincan_connection_send (connection, tincan_write_item_new (bytes, g_bytes_ref (bytes)), FALSE);
  if (tincan_connection_get_bytes_unwritten (connection) > ECHO_MAX_QUEUED)
    tincan_connection_set_paused (connection, TRUE);
}

static void
echo_wrote (TincanConnection *connection,
            gsize             length,
            gpointer          user_data)
{
  EchoClient *client = user_data;

  _tincan_echo_server_add_echoed (client->server, length);
}

static void
echo_sent (TincanConnection *connection,
           TincanWriteItem  *item,
           gpointer          user_data)
{
  if (tincan_connection_get_bytes_unwritten (connection) <= ECHO_MAX_QUEUED)
    tincan_connection_set_paused (connection, FALSE);
}

/* A dispatch holds the client: a handler may abort it. */
static void
echo_begin (gpointer user_data)
{
  echo_client_ref (user_data);
}

static void
echo_end (gpointer user_data)
{
  g_autoptr(EchoClient) client = user_data;

  if (client->server != NULL && !tincan_connection_is_closing (client->connection))
    echo_client_close_when_echoed (client);
}

static void
echo_eof (TincanConnection *connection,
          gpointer          user_data)
{
  EchoClient *client = user_data;

  client->eof = TRUE;
}

static void
echo_failed (TincanConnection *connection,
             const GError     *error,
             gboolean          writing,
             gpointer          user_data)
{
  g_debug ("Echo server: %s failed: %s", writing ? "write" : "read", error->message);
  _tincan_echo_client_abort (user_data);
}

static void
echo_closed (TincanConnection *connection,
             gpointer          user_data)
{
  _tincan_echo_client_abort (user_data);
}

static const TincanConnectionHandler echo_handler = {
  .begin = echo_begin,
  .end = echo_end,
  .received = echo_received,
  .wrote = echo_wrote,
  .sent = echo_sent,
  .eof = echo_eof,
  .failed = echo_failed,
  .closed = echo_closed,
};

static void
echo_client_start (EchoClient *client)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();

  g_main_context_push_thread_default (client->context);
  client->connection = tincan_connection_new (client->stream, raw);
  g_main_context_pop_thread_default (client->context);

  tincan_connection_set_handler (client->connection, &echo_handler, client);
  tincan_connection_start (client->connection);
}

static void
echo_client_handshake_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(EchoClient) client = user_data;
  g_autoptr(GError) error = NULL;

  echo_client_clear_timeout (client);

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      /* A bad client costs only its own connection. */
      g_debug ("Echo server: TLS handshake failed: %s", error->message);
      _tincan_echo_client_abort (client);
      return;
    }

  if (client->server != NULL)
    echo_client_start (client);
}

static gboolean
echo_client_handshake_timeout_cb (gpointer user_data)
{
  EchoClient *client = user_data;

  g_debug ("Echo server: TLS handshake timed out");
  g_clear_pointer (&client->handshake_timeout, g_source_unref);
  _tincan_echo_client_abort (client);

  return G_SOURCE_REMOVE;
}

static void
echo_client_start_tls (EchoClient *client)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  tls = g_tls_server_connection_new (G_IO_STREAM (client->socket_connection),
                                     client->server->certificate, &error);
  if (tls == NULL)
    {
      g_debug ("Echo server: cannot start TLS: %s", error->message);
      _tincan_echo_client_abort (client);
      return;
    }

  /* A client that just drops the connection is done talking; treat that
   * like EOF. Truncation attacks do not matter for an echo. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  client->stream = tls;

  client->handshake_timeout = g_timeout_source_new_seconds (HANDSHAKE_TIMEOUT_S);
  g_source_set_callback (client->handshake_timeout, echo_client_handshake_timeout_cb,
                         echo_client_ref (client), (GDestroyNotify) echo_client_unref);
  g_source_attach (client->handshake_timeout, client->context);

  g_main_context_push_thread_default (client->context);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    client->cancellable, echo_client_handshake_cb,
                                    echo_client_ref (client));
  g_main_context_pop_thread_default (client->context);
}

void
_tincan_echo_client_add (TincanEchoServer  *self,
                         GSocketConnection *connection)
{
  EchoClient *client;
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GError) error = NULL;

  /* An echo is interactive: without TCP_NODELAY, Nagle holds a small echo
   * back until the previous one is acknowledged. */
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, &error))
    g_debug ("Echo server: cannot set TCP_NODELAY: %s", error->message);

  client = g_rc_box_new0 (EchoClient);
  client->server = self;
  client->link.data = client;
  client->context = g_main_context_ref (self->context);
  client->cancellable = g_cancellable_new ();
  client->socket_connection = g_object_ref (connection);

  /* The list's reference. */
  g_queue_push_tail_link (&self->clients, &client->link);
  _tincan_echo_server_notify_clients (self);

  if (self->transport == TINCAN_TRANSPORT_TLS)
    {
      echo_client_start_tls (client);
    }
  else
    {
      client->stream = G_IO_STREAM (g_object_ref (connection));
      echo_client_start (client);
    }
}
