/* tincan-echo-server.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-address.h"
#include "tincan-echo-server-private.h"

/* Large enough for the biggest UDP payload over IPv6 (65,527 bytes) and IPv4
 * (65,507 bytes). */
#define UDP_BUFFER_SIZE 65536

/* Datagrams handled per wake-up, so that a UDP flood cannot starve the other
 * sources on the context. */
#define UDP_BATCH 64

/* The listen() backlog. GSocketListener's default of 10 drops SYNs when a burst
 * of clients connects at once, and each drop costs the client a retransmit
 * (a second or more). */
#define LISTEN_BACKLOG 128

/* How long to wait before accepting again after accept() failed for a reason
 * that may persist (EMFILE), instead of spinning. */
#define ACCEPT_RETRY_MS 100

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_TLS_CERTIFICATE,
  PROP_RUNNING,
  PROP_PORT,
  PROP_N_CONNECTIONS,
  PROP_BYTES_ECHOED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TincanEchoServer, tincan_echo_server, G_TYPE_OBJECT)

static void tincan_echo_server_accept (TincanEchoServer *self);

/* Clients: tincan-echo-client.c */

void
_tincan_echo_server_notify_clients (TincanEchoServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
}

void
_tincan_echo_server_add_echoed (TincanEchoServer *self,
                                gsize             length)
{
  self->bytes_echoed += length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_ECHOED]);
}

/* Listening */

static gboolean
accept_retry_cb (gpointer user_data)
{
  TincanEchoServer *self = user_data;

  g_clear_pointer (&self->accept_retry_source, g_source_unref);
  tincan_echo_server_accept (self);

  return G_SOURCE_REMOVE;
}

static void
accept_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TincanEchoServer *self;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);

  /* stop() cancels before anything else, and the GTask reports cancellation
   * even when the accept itself succeeded: unless this is a cancellation,
   * user_data is a live, running server. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TINCAN_ECHO_SERVER (user_data);

  if (connection == NULL)
    {
      g_debug ("Echo server: accept failed: %s", error->message);
      self->accept_retry_source = g_timeout_source_new (ACCEPT_RETRY_MS);
      g_source_set_callback (self->accept_retry_source, accept_retry_cb, self, NULL);
      g_source_attach (self->accept_retry_source, self->context);
      return;
    }

  _tincan_echo_client_add (self, connection);
  tincan_echo_server_accept (self);
}

static void
tincan_echo_server_accept (TincanEchoServer *self)
{
  /* No reference: the server must not be kept alive by its own listener.
   * stop(), which dispose calls, cancels this first. */
  g_main_context_push_thread_default (self->context);
  g_socket_listener_accept_async (self->listener, self->cancellable, accept_cb, self);
  g_main_context_pop_thread_default (self->context);
}

static gboolean
udp_ready_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  TincanEchoServer *self = user_data;
  gboolean echoed = FALSE;

  /* Runs only while running: stop() destroys this source. */
  for (guint i = 0; i < UDP_BATCH; i++)
    {
      g_autoptr(GSocketAddress) sender = NULL;
      g_autoptr(GError) error = NULL;
      gssize n_received;
      gssize n_sent;

      n_received = g_socket_receive_from (socket, &sender, (char *) self->udp_buffer,
                                          UDP_BUFFER_SIZE, NULL, &error);
      if (n_received < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("Echo server: UDP receive failed: %s", error->message);
          break;
        }

      /* Non-blocking: when the send buffer is full the datagram is dropped, as
       * the network itself might drop it. */
      n_sent = g_socket_send_to (socket, sender, (const char *) self->udp_buffer,
                                 n_received, NULL, &error);
      if (n_sent < 0)
        {
          g_debug ("Echo server: UDP send failed: %s", error->message);
          continue;
        }

      self->bytes_echoed += n_sent;
      echoed = TRUE;
    }

  if (echoed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_ECHOED]);

  return G_SOURCE_CONTINUE;
}

static gboolean
tincan_echo_server_listen_tcp (TincanEchoServer  *self,
                               GSocketAddress    *address,
                               GError           **error)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) effective = NULL;

  g_socket_listener_set_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return FALSE;

  self->listener = g_steal_pointer (&listener);
  self->local_address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&effective));

  return TRUE;
}

static gboolean
tincan_echo_server_listen_udp (TincanEchoServer  *self,
                               GSocketAddress    *address,
                               GError           **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return FALSE;

  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, address, FALSE, error))
    return FALSE;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;

  self->udp_socket = g_steal_pointer (&socket);
  self->local_address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&local));
  self->udp_buffer = g_malloc (UDP_BUFFER_SIZE);

  return TRUE;
}

/* GObject */

static void
tincan_echo_server_dispose (GObject *object)
{
  TincanEchoServer *self = TINCAN_ECHO_SERVER (object);

  tincan_echo_server_stop (self);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (tincan_echo_server_parent_class)->dispose (object);
}

static void
tincan_echo_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TincanEchoServer *self = TINCAN_ECHO_SERVER (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;

    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, tincan_echo_server_is_running (self));
      break;

    case PROP_PORT:
      g_value_set_uint (value, tincan_echo_server_get_port (self));
      break;

    case PROP_N_CONNECTIONS:
      g_value_set_uint (value, tincan_echo_server_get_n_connections (self));
      break;

    case PROP_BYTES_ECHOED:
      g_value_set_uint64 (value, self->bytes_echoed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_echo_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TincanEchoServer *self = TINCAN_ECHO_SERVER (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_get_enum (value);
      break;

    case PROP_TLS_CERTIFICATE:
      tincan_echo_server_set_tls_certificate (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_echo_server_class_init (TincanEchoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tincan_echo_server_dispose;
  object_class->get_property = tincan_echo_server_get_property;
  object_class->set_property = tincan_echo_server_set_property;

  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL,
                       TINCAN_TYPE_TRANSPORT, TINCAN_TRANSPORT_TCP,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_CONNECTIONS] =
    g_param_spec_uint ("n-connections", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_BYTES_ECHOED] =
    g_param_spec_uint64 ("bytes-echoed", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tincan_echo_server_init (TincanEchoServer *self)
{
  g_queue_init (&self->clients);
}

/* Public API */

/**
 * tincan_echo_server_new:
 * @transport: the transport to serve
 *
 * Creates a stopped echo server. A TLS server also needs a certificate, see
 * tincan_echo_server_set_tls_certificate().
 *
 * Returns: (transfer full): a new server
 */
TincanEchoServer *
tincan_echo_server_new (TincanTransport transport)
{
  g_return_val_if_fail (transport <= TINCAN_TRANSPORT_UDP, NULL);

  return g_object_new (TINCAN_TYPE_ECHO_SERVER,
                       "transport", transport,
                       NULL);
}

/**
 * tincan_echo_server_set_tls_certificate:
 * @self: a server
 * @certificate: (nullable) (transfer none): a certificate with its private key
 *
 * Sets the certificate a TLS server presents. The server takes a reference.
 * A running server uses it for the connections it accepts from now on.
 */
void
tincan_echo_server_set_tls_certificate (TincanEchoServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (TINCAN_IS_ECHO_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);
}

/**
 * tincan_echo_server_start:
 * @self: a stopped server
 * @bind_address: (nullable): an IPv4 or IPv6 address literal, or %NULL for
 *   "127.0.0.1"
 * @port: the port, or 0 for any free port (see tincan_echo_server_get_port())
 * @error: return location for an error
 *
 * Binds and starts serving on the thread-default main context, which must be
 * iterated for the server to do anything. All I/O is asynchronous.
 *
 * Errors: %G_IO_ERROR_INVALID_ARGUMENT if @bind_address is not an IP address
 * or a TLS server has no certificate, %G_IO_ERROR_EXISTS if the server is
 * already running, and the socket errors of binding (for example
 * %G_IO_ERROR_ADDRESS_IN_USE), with a message naming the address.
 *
 * Returns: %TRUE if the server is now running
 */
gboolean
tincan_echo_server_start (TincanEchoServer  *self,
                          const char        *bind_address,
                          guint16            port,
                          GError           **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->cancellable != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The echo server is already running"));
      return FALSE;
    }

  if (bind_address == NULL)
    bind_address = "127.0.0.1";

  inet = g_inet_address_new_from_string (bind_address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot listen on “%s”: not an IPv4 or IPv6 address"), bind_address);
      return FALSE;
    }

  if (self->transport == TINCAN_TRANSPORT_TLS && self->certificate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A TLS echo server needs a certificate and its private key"));
      return FALSE;
    }

  address = g_inet_socket_address_new (inet, port);

  if (self->transport == TINCAN_TRANSPORT_UDP)
    ok = tincan_echo_server_listen_udp (self, address, &local_error);
  else
    ok = tincan_echo_server_listen_tcp (self, address, &local_error);

  if (!ok)
    {
      g_autofree char *where = tincan_format_address (inet, port);

      /* GLib's message may or may not name the address depending on the
       * version and the failing call; ours always does. */
      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("Cannot listen on %s: %s"), where,
                   local_error->code == G_IO_ERROR_ADDRESS_IN_USE
                   ? _("the port is already in use")
                   : local_error->message);
      g_clear_object (&self->listener);
      g_clear_object (&self->udp_socket);
      g_clear_object (&self->local_address);
      g_clear_pointer (&self->udp_buffer, g_free);
      return FALSE;
    }

  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();

  if (self->udp_socket != NULL)
    {
      self->udp_source = g_socket_create_source (self->udp_socket, G_IO_IN, NULL);
      g_source_set_callback (self->udp_source, G_SOURCE_FUNC (udp_ready_cb), self, NULL);
      g_source_attach (self->udp_source, self->context);
    }
  else
    {
      tincan_echo_server_accept (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  return TRUE;
}

/**
 * tincan_echo_server_stop:
 * @self: a server
 *
 * Stops listening and closes every open connection at once, cancelling their
 * pending I/O. The cancelled operations still call back (into no server) the
 * next time the context is iterated; that is when their sockets are freed.
 * Does nothing if the server is not running. Disposing a server stops it.
 */
void
tincan_echo_server_stop (TincanEchoServer *self)
{
  g_return_if_fail (TINCAN_IS_ECHO_SERVER (self));

  if (self->cancellable == NULL)
    return;

  /* First, so that every callback already queued sees it. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->listener != NULL)
    {
      g_socket_listener_close (self->listener);
      g_clear_object (&self->listener);
    }

  if (self->accept_retry_source != NULL)
    {
      g_source_destroy (self->accept_retry_source);
      g_clear_pointer (&self->accept_retry_source, g_source_unref);
    }

  if (self->udp_source != NULL)
    {
      g_source_destroy (self->udp_source);
      g_clear_pointer (&self->udp_source, g_source_unref);
    }

  if (self->udp_socket != NULL)
    {
      g_socket_close (self->udp_socket, NULL);
      g_clear_object (&self->udp_socket);
    }

  g_clear_pointer (&self->udp_buffer, g_free);

  while (self->clients.head != NULL)
    _tincan_echo_client_abort (self->clients.head->data);

  g_clear_object (&self->local_address);
  g_clear_pointer (&self->context, g_main_context_unref);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/**
 * tincan_echo_server_is_running:
 * @self: a server
 *
 * Returns: %TRUE between a successful tincan_echo_server_start() and
 *   tincan_echo_server_stop()
 */
gboolean
tincan_echo_server_is_running (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * tincan_echo_server_get_transport:
 * @self: a server
 *
 * Returns: the transport given to tincan_echo_server_new()
 */
TincanTransport
tincan_echo_server_get_transport (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), TINCAN_TRANSPORT_TCP);

  return self->transport;
}

/**
 * tincan_echo_server_get_port:
 * @self: a server
 *
 * Returns: the port the server is bound to (the real one when started with
 *   port 0), or 0 when it is not running
 */
guint16
tincan_echo_server_get_port (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), 0);

  if (self->local_address == NULL)
    return 0;

  return g_inet_socket_address_get_port (self->local_address);
}

/**
 * tincan_echo_server_dup_address:
 * @self: a server
 *
 * Returns: (transfer full) (nullable): the bound address as "127.0.0.1:7777"
 *   or "[::1]:7777", or %NULL when the server is not running. Free with
 *   g_free().
 */
char *
tincan_echo_server_dup_address (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), NULL);

  if (self->local_address == NULL)
    return NULL;

  return tincan_format_address (g_inet_socket_address_get_address (self->local_address),
                         g_inet_socket_address_get_port (self->local_address));
}

/**
 * tincan_echo_server_get_bytes_echoed:
 * @self: a server
 *
 * Returns: the number of bytes written back to clients since the server was
 *   created, over all runs and connections
 */
guint64
tincan_echo_server_get_bytes_echoed (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), 0);

  return self->bytes_echoed;
}

/**
 * tincan_echo_server_get_n_connections:
 * @self: a server
 *
 * Returns: the number of TCP or TLS connections open now, including those
 *   still in their TLS handshake; always 0 for UDP
 */
guint
tincan_echo_server_get_n_connections (TincanEchoServer *self)
{
  g_return_val_if_fail (TINCAN_IS_ECHO_SERVER (self), 0);

  return self->clients.length;
}
