/* tincan-connector.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "tincan-address.h"
#include "tincan-connector.h"
#include "tincan-error-text.h"

/* Each connector makes one connection. The operation under way (GSocketClient
 * or the UDP resolver) holds a reference to the connector and runs on an
 * internal cancellable, which the caller's cancellable and the timeout
 * cancel. The task is returned once: on success, on failure, at the timeout
 * or when cancelled; an operation that ends later finds no task and drops
 * what it made (which closes its socket). */

struct _TincanConnector
{
  GObject                      parent_instance;

  TincanTransport              transport;
  char                        *host;
  guint16                      port;
  guint                        timeout_ms;
  char                        *pinned;         /* normalized fingerprint, or NULL */

  TincanConnectorProgressFunc  progress;
  gpointer                     progress_data;

  GMainContext                *context;
  GTask                       *task;           /* while connecting */
  GCancellable                *cancellable;    /* the operation under way */
  GCancellable                *caller_cancellable;
  gulong                       cancelled_handler;
  GSource                     *timer;
  GSocketClient               *client;
  char                        *other_addresses; /* UDP: the name's addresses not used */
  GInetSocketAddress          *address;        /* being tried, then connected */
  GTlsConnection              *tls;
  gulong                       accept_handler;
  TincanTlsProblem            *tls_problem;
  TincanTlsProblem            *accepted_problem; /* a pinned certificate that does not validate */
  const char                  *tls_version;
  gboolean                     tcp_connected;  /* TLS: the handshake is under way */

  gboolean                     no_proxy;
  GProxyResolver              *proxy_resolver; /* NULL: the default */
  GProxyAddress               *proxy;          /* the proxy tried or gone through */
  gboolean                     proxy_negotiated;
};

G_DEFINE_FINAL_TYPE (TincanConnector, tincan_connector, G_TYPE_OBJECT)

static void
set_address (TincanConnector *self,
             GSocketAddress  *address)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    g_set_object (&self->address, G_INET_SOCKET_ADDRESS (address));
}

/* The address GSocketClient is about to try. Through a proxy it is the
 * proxy's (a GProxyAddress): the peer is then only known as the host and
 * port asked for, which the proxy resolves and connects to. */
static void
set_attempt_address (TincanConnector *self,
                     GSocketAddress  *address)
{
  if (G_IS_PROXY_ADDRESS (address))
    {
      g_set_object (&self->proxy, G_PROXY_ADDRESS (address));
      g_clear_object (&self->address);
      return;
    }

  g_clear_object (&self->proxy);
  set_address (self, address);
}

static void
tell_progress (TincanConnector    *self,
               TincanSessionState  state)
{
  if (self->task != NULL && self->progress != NULL)
    self->progress (self, state, self->progress_data);
}

static const char *
tls_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return NULL;
    }
}

static void
clear_tls_handler (TincanConnector *self)
{
  if (self->tls != NULL && self->accept_handler != 0)
    g_clear_signal_handler (&self->accept_handler, self->tls);
}

/* Returns the task, once: with @stream (transfer full) or @error (transfer full). */
static void
return_result (TincanConnector *self,
               GIOStream       *stream,
               GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_clear_object (&stream);
      g_clear_error (&error);
      return;
    }

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->cancelled_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->cancelled_handler);
  self->cancelled_handler = 0;
  g_clear_object (&self->caller_cancellable);
  clear_tls_handler (self);

  if (stream != NULL)
    g_task_return_pointer (task, stream, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* A connect failure as a TINCAN_SESSION_ERROR: the cause's own message
 * goes into the sentence. */
static GError *
make_connect_error (TincanConnector *self,
                    const GError    *cause)
{
  g_autofree char *endpoint = tincan_connector_dup_route (self);
  g_autofree char *why = NULL;
  TincanErrorContext context = {
    .endpoint = endpoint, .host = self->host, .port = self->port, .cause = cause->message,
    .udp = self->transport == TINCAN_TRANSPORT_UDP,
  };
  TincanSessionError code = tincan_session_error_from_connect (cause);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);

  if (self->tls_problem != NULL && cause->domain == G_TLS_ERROR)
    {
      code = TINCAN_SESSION_ERROR_BAD_CERTIFICATE;
      why = tincan_tls_problem_describe (self->tls_problem);
      context.detail = why;
    }

  if (g_error_matches (cause, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    context.cause = NULL;

  return tincan_session_error_new (code, &context);
}

static gboolean
timeout_cb (gpointer user_data)
{
  TincanConnector *self = user_data;
  g_autofree char *endpoint = tincan_connector_dup_route (self);
  TincanErrorContext context = {
    .endpoint = endpoint, .host = self->host, .port = self->port, .msec = self->timeout_ms,
  };
  /* A plain TCP server that waits for a request says nothing to a
   * ClientHello: only the timer ends that handshake. */
  TincanSessionError code = self->tcp_connected ? TINCAN_SESSION_ERROR_TLS_NO_ANSWER
                                                : TINCAN_SESSION_ERROR_TIMED_OUT;

  /* Our own timer, not g_socket_client_set_timeout(), which would also time
   * out idle reads later. */
  g_clear_pointer (&self->timer, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  return_result (self, NULL, tincan_session_error_new (code, &context));

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  TincanConnector *self = user_data;

  g_cancellable_cancel (self->cancellable);
}

/* Reading drains and writing is done without blocking: both need pollable
 * streams, which sockets and GTlsConnection streams are. */
static gboolean
check_pollable (GIOStream *stream)
{
  GInputStream *input = g_io_stream_get_input_stream (stream);
  GOutputStream *output = g_io_stream_get_output_stream (stream);

  return G_IS_POLLABLE_INPUT_STREAM (input) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)) &&
         G_IS_POLLABLE_OUTPUT_STREAM (output) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output));
}

/* Takes @connection. */
static void
established (TincanConnector   *self,
             GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) remote = NULL;

  if (!check_pollable (G_IO_STREAM (connection)))
    {
      g_autofree char *endpoint = tincan_connector_dup_endpoint (self);
      TincanErrorContext context = {
        .endpoint = endpoint, .cause = _("it cannot be used without blocking"),
      };

      g_object_unref (connection);
      return_result (self, NULL,
                     tincan_session_error_new (TINCAN_SESSION_ERROR_CONNECT_FAILED, &context));
      return;
    }

  /* Each send is written as soon as possible already, gathered by the
   * connection: Nagle's algorithm would only hold a lone small message back. */
  if (self->transport != TINCAN_TRANSPORT_UDP)
    g_socket_set_option (g_socket_connection_get_socket (connection),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  /* Through a proxy, the socket's peer is the proxy. */
  if (!self->proxy_negotiated)
    {
      remote = g_socket_connection_get_remote_address (connection, NULL);
      set_address (self, remote);
      g_clear_object (&self->proxy);
    }

  if (self->tls != NULL)
    self->tls_version = tls_version_name (g_tls_connection_get_protocol_version (self->tls));

  return_result (self, G_IO_STREAM (connection), NULL);
}

static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TincanConnector *self = user_data;
  g_autofree char *fingerprint = tincan_tls_certificate_dup_fingerprint (certificate);

  /* Accepted, but not forgotten: the window says so while the connection lasts. */
  if (self->pinned != NULL && strcmp (fingerprint, self->pinned) == 0)
    {
      g_clear_pointer (&self->accepted_problem, tincan_tls_problem_free);
      self->accepted_problem = tincan_tls_problem_new (certificate, errors, self->host);
      return TRUE;
    }

  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  self->tls_problem = tincan_tls_problem_new (certificate, errors, self->host);

  return FALSE;
}

static void
client_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  TincanConnector *self = user_data;

  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVING:
      tell_progress (self, TINCAN_SESSION_RESOLVING);
      break;

    case G_SOCKET_CLIENT_CONNECTING:
      {
        g_autoptr(GSocketAddress) address = NULL;

        /* The address being tried, so that a refusal can name it (before
         * the connect, the connection gives the address it was asked to
         * try, a GProxyAddress for a proxy). */
        if (G_IS_SOCKET_CONNECTION (connection))
          address = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
        set_attempt_address (self, address);
        self->proxy_negotiated = FALSE;
        tell_progress (self, TINCAN_SESSION_CONNECTING);
      }
      break;

    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
      self->proxy_negotiated = self->proxy != NULL;
      break;

    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
      self->tcp_connected = TRUE;
      tell_progress (self, TINCAN_SESSION_TLS_HANDSHAKE);
      if (G_IS_TLS_CLIENT_CONNECTION (connection) && self->task != NULL)
        {
          clear_tls_handler (self);
          g_set_object (&self->tls, G_TLS_CONNECTION (connection));
          /* A reference: the handshake can outlive the task; the handler
           * goes when the task is returned. */
          self->accept_handler =
            g_signal_connect_data (connection, "accept-certificate",
                                   G_CALLBACK (accept_certificate_cb), g_object_ref (self),
                                   (GClosureNotify) (void (*) (void)) g_object_unref, 0);
        }
      break;

    case G_SOCKET_CLIENT_RESOLVED:
    case G_SOCKET_CLIENT_CONNECTED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    case G_SOCKET_CLIENT_COMPLETE:
    default:
      break;
    }
}

static void
client_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TincanConnector) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_signal_handlers_disconnect_by_func (source, client_event_cb, self);

  if (connection != NULL)
    established (self, g_steal_pointer (&connection));
  else
    return_result (self, NULL, make_connect_error (self, error));
}

/* UDP has no handshake that would tell which of a name's addresses has a
 * listener, so one is chosen: the first IPv4 address, as most tools do. A
 * server bound to "localhost" (127.0.0.1 for most programs), to 0.0.0.0 or to
 * :: (dual stack) receives it; one bound to ::1 alone is rare, and can be
 * reached by typing that address. The others are kept to be named. */
static GInetAddress *
choose_udp_address (TincanConnector *self,
                    GList           *addresses)
{
  GInetAddress *chosen = addresses->data;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *chosen_text = NULL;

  for (GList *l = addresses; l != NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      {
        chosen = l->data;
        break;
      }

  chosen_text = g_inet_address_to_string (chosen);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      char *text = g_inet_address_to_string (l->data);

      if (strcmp (text, chosen_text) == 0 ||
          g_ptr_array_find_with_equal_func (others, text, g_str_equal, NULL))
        g_free (text);
      else
        g_ptr_array_add (others, text);
    }

  g_clear_pointer (&self->other_addresses, g_free);
  if (others->len > 0)
    {
      g_ptr_array_add (others, NULL);
      self->other_addresses = g_strjoinv (", ", (char **) others->pdata);
    }

  return chosen;
}

static void
udp_resolved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TincanConnector) self = user_data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (self->task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  if (addresses == NULL && error == NULL)
    error = g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                         _("No address found for %s"), self->host);

  if (addresses != NULL)
    {
      address = g_inet_socket_address_new (choose_udp_address (self, addresses), self->port);
      g_resolver_free_addresses (addresses);
      set_address (self, address);
      tell_progress (self, TINCAN_SESSION_CONNECTING);

      /* A connected UDP socket: the kernel filters datagrams from other
       * peers, and an ICMP port unreachable comes back as ECONNREFUSED. */
      socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                             G_SOCKET_PROTOCOL_UDP, &error);
      if (socket != NULL && !g_socket_connect (socket, address, self->cancellable, &error))
        g_clear_object (&socket);
    }

  if (socket != NULL)
    established (self, g_socket_connection_factory_create_connection (socket));
  else
    return_result (self, NULL, make_connect_error (self, error));
}

/* GObject */

static void
tincan_connector_dispose (GObject *object)
{
  TincanConnector *self = TINCAN_CONNECTOR (object);

  clear_tls_handler (self);
  g_clear_object (&self->client);
  g_clear_object (&self->tls);
  g_clear_object (&self->proxy_resolver);

  G_OBJECT_CLASS (tincan_connector_parent_class)->dispose (object);
}

static void
tincan_connector_finalize (GObject *object)
{
  TincanConnector *self = TINCAN_CONNECTOR (object);

  g_assert (self->task == NULL && self->timer == NULL);

  g_free (self->host);
  g_free (self->pinned);
  g_free (self->other_addresses);
  g_clear_object (&self->address);
  g_clear_object (&self->proxy);
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  g_clear_pointer (&self->accepted_problem, tincan_tls_problem_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tincan_connector_parent_class)->finalize (object);
}

static void
tincan_connector_class_init (TincanConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tincan_connector_dispose;
  object_class->finalize = tincan_connector_finalize;
}

static void
tincan_connector_init (TincanConnector *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * tincan_connector_new:
 * @transport: TCP, TLS or UDP
 * @host: a host name or address, without brackets
 * @port: the port
 * @timeout_ms: how long resolving, connecting and the handshake may take
 *   together; 0 for no limit
 * @pinned: (nullable): a normalized SHA-256 fingerprint to trust even if
 *   the certificate does not validate
 *
 * Returns: (transfer full): a connector for one connect
 */
TincanConnector *
tincan_connector_new (TincanTransport  transport,
                      const char      *host,
                      guint16          port,
                      guint            timeout_ms,
                      const char      *pinned)
{
  TincanConnector *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (TINCAN_TYPE_CONNECTOR, NULL);
  self->transport = transport;
  self->host = g_strdup (host);
  self->port = port;
  self->timeout_ms = timeout_ms;
  self->pinned = g_strdup (pinned);
  return self;
}

/**
 * tincan_connector_set_progress_func:
 * @self: a connector
 * @func: (nullable): called as the connect gets further; %NULL: no more
 * @user_data: for @func
 */
void
tincan_connector_set_progress_func (TincanConnector             *self,
                                    TincanConnectorProgressFunc  func,
                                    gpointer                     user_data)
{
  g_return_if_fail (TINCAN_IS_CONNECTOR (self));

  self->progress = func;
  self->progress_data = user_data;
}

/**
 * tincan_connector_set_proxy:
 * @self: a connector, not connecting yet
 * @enable: whether TCP and TLS may go through the proxy the resolver names
 * @resolver: (nullable): the proxy resolver; %NULL for the default one
 *   (the desktop's settings, or the http_proxy variables)
 */
void
tincan_connector_set_proxy (TincanConnector *self,
                            gboolean         enable,
                            GProxyResolver  *resolver)
{
  g_return_if_fail (TINCAN_IS_CONNECTOR (self));
  g_return_if_fail (resolver == NULL || G_IS_PROXY_RESOLVER (resolver));
  g_return_if_fail (self->context == NULL);

  self->no_proxy = !enable;
  g_set_object (&self->proxy_resolver, resolver);
}

/**
 * tincan_connector_connect_async:
 * @self: a connector, not used before
 * @cancellable: (nullable): cancels the connect
 * @callback: called once connected or failed
 * @user_data: for @callback
 *
 * Connects; the progress function hears RESOLVING (UDP: at once, from this
 * call), CONNECTING and TLS_HANDSHAKE on the way.
 */
void
tincan_connector_connect_async (TincanConnector     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GSocketConnectable) connectable = NULL;

  g_return_if_fail (TINCAN_IS_CONNECTOR (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_main_context_ref_thread_default ();
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, tincan_connector_connect_async);
  g_task_set_check_cancellable (self->task, FALSE);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (caller_cancelled_cb),
                                                       self, NULL);
    }

  if (self->timeout_ms > 0)
    {
      self->timer = g_timeout_source_new (self->timeout_ms);
      g_source_set_static_name (self->timer, "[tincan] connect timeout");
      g_source_set_callback (self->timer, timeout_cb, self, NULL);
      g_source_attach (self->timer, self->context);
    }

  /* IPv6 literals ("::1") work as they are; brackets were removed by the
   * target parser. */
  connectable = g_network_address_new (self->host, self->port);

  if (self->transport == TINCAN_TRANSPORT_UDP)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      tell_progress (self, TINCAN_SESSION_RESOLVING);
      /* An address literal is returned as it is, without a look-up. */
      g_resolver_lookup_by_name_async (resolver, self->host, self->cancellable,
                                       udp_resolved_cb, g_object_ref (self));
      return;
    }

  /* Happy Eyeballs and the proxy resolver come with GSocketClient; the
   * TLS validation flags stay at their default (validate everything). */
  self->client = g_socket_client_new ();
  if (self->transport == TINCAN_TRANSPORT_TLS)
    g_socket_client_set_tls (self->client, TRUE);
  g_socket_client_set_enable_proxy (self->client, !self->no_proxy);
  if (self->proxy_resolver != NULL)
    g_socket_client_set_proxy_resolver (self->client, self->proxy_resolver);
  g_signal_connect (self->client, "event", G_CALLBACK (client_event_cb), self);
  g_socket_client_connect_async (self->client, connectable, self->cancellable,
                                 client_connect_cb, g_object_ref (self));
}

/**
 * tincan_connector_connect_finish:
 * @self: a connector
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the connected stream (a #GSocketConnection,
 *   TLS over it for TLS), or %NULL with @error: %G_IO_ERROR_CANCELLED, or a
 *   %TINCAN_SESSION_ERROR code (%TINCAN_SESSION_ERROR_TIMED_OUT,
 *   %TINCAN_SESSION_ERROR_BAD_CERTIFICATE: see
 *   tincan_connector_steal_tls_problem(), …) whose message is the sentence
 */
GIOStream *
tincan_connector_connect_finish (TincanConnector  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tincan_connector_connect_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tincan_connector_get_host (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return self->host;
}

guint16
tincan_connector_get_port (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), 0);

  return self->port;
}

TincanTransport
tincan_connector_get_transport (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), TINCAN_TRANSPORT_TCP);

  return self->transport;
}

/* Returns: (transfer none) (nullable): the address being tried or connected to */
GInetSocketAddress *
tincan_connector_get_address (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return self->address;
}

/* "127.0.0.1 port 7", "example.org (93.184.216.34) port 80": for sentences. */
char *
tincan_connector_dup_endpoint (TincanConnector *self)
{
  g_autofree char *ip = NULL;
  guint port;

  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  if (self->address == NULL)
    return g_strdup_printf (_("%s port %u"), self->host, self->port);

  ip = g_inet_address_to_string (g_inet_socket_address_get_address (self->address));
  port = g_inet_socket_address_get_port (self->address);
  if (g_hostname_is_ip_address (self->host))
    return g_strdup_printf (_("%s port %u"), ip, port);

  return g_strdup_printf (_("%s (%s) port %u"), self->host, ip, port);
}

/* Whether the connection being tried (or made) goes through a proxy: once
 * connected, whether the proxy took it on. */
gboolean
tincan_connector_is_proxied (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), FALSE);

  if (self->proxy == NULL)
    return FALSE;
  return self->task != NULL || self->proxy_negotiated;
}

static const char *
proxy_protocol_name (const char *protocol)
{
  static const struct { const char *protocol; const char *name; } names[] = {
    { "http", "HTTP" }, { "https", "HTTPS" }, { "socks", "SOCKS" }, { "socks4", "SOCKS4" },
    { "socks4a", "SOCKS4a" }, { "socks5", "SOCKS5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (protocol, names[i].protocol) == 0)
      return names[i].name;
  return protocol;
}

/* Returns: (transfer full) (nullable): "HTTP proxy 127.0.0.1:3128" while
 *   tincan_connector_is_proxied() */
char *
tincan_connector_dup_proxy (TincanConnector *self)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  if (!tincan_connector_is_proxied (self))
    return NULL;

  address = tincan_format_socket_address (G_INET_SOCKET_ADDRESS (self->proxy));
  /* TRANSLATORS: a proxy's protocol and address, e.g. "HTTP proxy 127.0.0.1:3128" */
  return g_strdup_printf (_("%s proxy %s"),
                          proxy_protocol_name (g_proxy_address_get_protocol (self->proxy)),
                          address);
}

/* "127.0.0.1 port 7", or "127.0.0.1 port 7 through the HTTP proxy
 * 127.0.0.1:3128": the endpoint and how it is reached, for sentences. */
char *
tincan_connector_dup_route (TincanConnector *self)
{
  g_autofree char *endpoint = tincan_connector_dup_endpoint (self);
  g_autofree char *proxy = tincan_connector_dup_proxy (self);

  if (proxy == NULL)
    return g_steal_pointer (&endpoint);

  /* TRANSLATORS: an endpoint and the proxy it is reached through, e.g.
   * "127.0.0.1 port 7 through the HTTP proxy 127.0.0.1:3128" */
  return g_strdup_printf (_("%s through the %s"), endpoint, proxy);
}

/* Returns: (nullable): UDP to a name: its other addresses, "::1, ..." */
const char *
tincan_connector_get_other_addresses (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return self->other_addresses;
}

/* Returns: (nullable): "TLS 1.3", once a TLS connection is made */
const char *
tincan_connector_get_tls_version (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return self->tls_version;
}

/* Returns: (transfer full) (nullable): why the server's certificate was refused */
TincanTlsProblem *
tincan_connector_steal_tls_problem (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return g_steal_pointer (&self->tls_problem);
}

/* Returns: (transfer full) (nullable): what is wrong with the server's
 *   certificate when it was accepted only because it was pinned */
TincanTlsProblem *
tincan_connector_steal_accepted_tls_problem (TincanConnector *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTOR (self), NULL);

  return g_steal_pointer (&self->accepted_problem);
}
