/* tincan-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tincan-session-private.h"

/* How the session works
 *
 * The session is the GObject the UI sees: configuration, state, counters,
 * the public API and the batching of entries, one concern per file: this
 * one holds the type, its properties and accessors; tincan-session-batch.c
 * the batching; tincan-session-io.c connect, send and disconnect, with a
 * TincanConnector while connecting and a TincanConnection once connected;
 * tincan-per-message.c per-message mode. Nothing pending holds the session but a
 * tincan_session_connect_async() GTask, like any GIO operation: the
 * connector's callback holds a weak reference, the connection's handler is
 * cut by detaching it. So a session can be dropped at any moment, even
 * mid-handshake, and is finalized at once.
 *
 * Entries reach the UI only through the "messages" signal, one batch per
 * main-loop dispatch: every entry point (a public call or a callback) is
 * bracketed by _tincan_session_batch_begin()/_end(); entries are collected
 * in self->pending and emitted at the outermost end, followed by the
 * property notifications (frozen meanwhile, so a counter is notified at most
 * once per batch) and by the completion of a connect GTask.
 *
 * UDP: no framing. Each datagram received is one message and each send is
 * one datagram, since the datagram already is the frame (a delimiter or
 * length prefix would only be noise the peer does not expect).
 */

#define DEFAULT_CONNECT_TIMEOUT_MS  10000
#define DEFAULT_RESPONSE_TIMEOUT_MS 2000

GParamSpec *_tincan_session_properties[N_PROPS];
#define properties _tincan_session_properties

guint _tincan_session_signals[N_SIGNALS];
#define signals _tincan_session_signals

G_DEFINE_FINAL_TYPE (TincanSession, tincan_session, G_TYPE_OBJECT)

/* GObject */

static void
tincan_session_dispose (GObject *object)
{
  TincanSession *self = TINCAN_SESSION (object);

  /* Only reachable with a connect task through g_object_run_dispose(): the
   * task holds a reference. Detaching still gives its callback a reply. */
  self->disposed = TRUE;
  _tincan_session_detach (self);
  tincan_write_queue_clear (&self->per_message_queue);
  if (self->pending != NULL)
    g_ptr_array_set_size (self->pending, 0);

  G_OBJECT_CLASS (tincan_session_parent_class)->dispose (object);
}

static void
tincan_session_finalize (GObject *object)
{
  TincanSession *self = TINCAN_SESSION (object);

  g_assert (g_queue_is_empty (&self->task_returns));

  g_free (self->host);
  g_clear_pointer (&self->framing, tincan_framing_unref);
  g_clear_pointer (&self->active_framing, tincan_framing_unref);
  g_free (self->pinned);
  g_free (self->peer_address);
  g_free (self->proxy);
  g_clear_object (&self->proxy_resolver);
  g_clear_pointer (&self->connected_since, g_date_time_unref);
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  g_clear_pointer (&self->accepted_tls_problem, tincan_tls_problem_free);
  g_clear_pointer (&self->connection_info, tincan_connection_info_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (tincan_session_parent_class)->finalize (object);
}

static void
tincan_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TincanSession *self = TINCAN_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;

    case PROP_FRAMING:
      g_value_set_boxed (value, self->framing);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_RESPONSE_TIMEOUT:
      g_value_set_uint (value, self->response_timeout);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PEER_ADDRESS:
      g_value_set_string (value, self->peer_address);
      break;

    case PROP_PEER_CLOSED:
      g_value_set_boolean (value, self->peer_closed);
      break;

    case PROP_NO_PROXY:
      g_value_set_boolean (value, self->no_proxy);
      break;

    case PROP_PROXY:
      g_value_set_string (value, self->proxy);
      break;

    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;

    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;

    case PROP_MESSAGES_SENT:
      g_value_set_uint64 (value, self->messages_sent);
      break;

    case PROP_MESSAGES_RECEIVED:
      g_value_set_uint64 (value, self->messages_received);
      break;

    case PROP_CONNECTED_SINCE:
      g_value_set_boxed (value, self->connected_since);
      break;

    case PROP_BYTES_QUEUED:
      g_value_set_uint64 (value, _tincan_session_bytes_queued (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TincanSession *self = TINCAN_SESSION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      tincan_session_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      tincan_session_set_port (self, g_value_get_uint (value));
      break;

    case PROP_TRANSPORT:
      tincan_session_set_transport (self, g_value_get_enum (value));
      break;

    case PROP_FRAMING:
      tincan_session_set_framing (self, g_value_get_boxed (value));
      break;

    case PROP_MODE:
      tincan_session_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      tincan_session_set_connect_timeout (self, g_value_get_uint (value));
      break;

    case PROP_RESPONSE_TIMEOUT:
      tincan_session_set_response_timeout (self, g_value_get_uint (value));
      break;

    case PROP_NO_PROXY:
      tincan_session_set_no_proxy (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_session_class_init (TincanSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tincan_session_dispose;
  object_class->finalize = tincan_session_finalize;
  object_class->get_property = tincan_session_get_property;
  object_class->set_property = tincan_session_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, "", rw);

  /* Wider than a port on purpose, so that validation can name a bad one. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT, 0, rw);

  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL,
                       TINCAN_TYPE_TRANSPORT, TINCAN_TRANSPORT_TCP, rw);

  properties[PROP_FRAMING] =
    g_param_spec_boxed ("framing", NULL, NULL, TINCAN_TYPE_FRAMING, rw);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       TINCAN_TYPE_CONNECTION_MODE, TINCAN_CONNECTION_PERSISTENT, rw);

  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT_MS, rw);

  properties[PROP_RESPONSE_TIMEOUT] =
    g_param_spec_uint ("response-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_RESPONSE_TIMEOUT_MS, rw);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TINCAN_TYPE_SESSION_STATE, TINCAN_SESSION_DISCONNECTED, ro);

  properties[PROP_PEER_ADDRESS] =
    g_param_spec_string ("peer-address", NULL, NULL, NULL, ro);

  properties[PROP_PEER_CLOSED] =
    g_param_spec_boolean ("peer-closed", NULL, NULL, FALSE, ro);

  properties[PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  properties[PROP_MESSAGES_SENT] =
    g_param_spec_uint64 ("messages-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  properties[PROP_MESSAGES_RECEIVED] =
    g_param_spec_uint64 ("messages-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  properties[PROP_CONNECTED_SINCE] =
    g_param_spec_boxed ("connected-since", NULL, NULL, G_TYPE_DATE_TIME, ro);

  properties[PROP_BYTES_QUEUED] =
    g_param_spec_uint64 ("bytes-queued", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  properties[PROP_NO_PROXY] =
    g_param_spec_boolean ("no-proxy", NULL, NULL, FALSE, rw);

  properties[PROP_PROXY] =
    g_param_spec_string ("proxy", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TincanSession::messages:
   * @self: the session
   * @messages: (element-type TincanMessage): the new transcript entries, in order
   *
   * The only way entries reach the UI: SENT frames once written, RECEIVED
   * frames, STATUS and ERROR sentences. Emitted at most once per main-loop
   * dispatch with everything that dispatch produced. The handler must not
   * keep @messages (it is reused); it may ref the messages it keeps.
   */
  signals[SIGNAL_MESSAGES] =
    g_signal_new ("messages",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[SIGNAL_MESSAGES], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);
}

static void
tincan_session_init (TincanSession *self)
{
  self->host = g_strdup ("");
  self->framing = tincan_framing_new_raw ();
  self->transport = TINCAN_TRANSPORT_TCP;
  self->mode = TINCAN_CONNECTION_PERSISTENT;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT_MS;
  self->response_timeout = DEFAULT_RESPONSE_TIMEOUT_MS;
  self->state = TINCAN_SESSION_DISCONNECTED;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  tincan_write_queue_init (&self->per_message_queue);
  tincan_write_queue_init (&self->waiting);
  g_queue_init (&self->task_returns);
}

/* Public API */

/**
 * tincan_session_state_is_connecting:
 * @state: a session state
 *
 * Returns: whether @state is one of the steps of making a connection
 *   (resolving, connecting, the TLS handshake)
 */
gboolean
tincan_session_state_is_connecting (TincanSessionState state)
{
  return state == TINCAN_SESSION_RESOLVING ||
         state == TINCAN_SESSION_CONNECTING ||
         state == TINCAN_SESSION_TLS_HANDSHAKE;
}

/**
 * tincan_session_new:
 *
 * Creates a disconnected session: raw framing, TCP, persistent mode, no
 * host, port 0, connect timeout 10 s, response timeout 2 s.
 *
 * Returns: (transfer full): a new session
 */
TincanSession *
tincan_session_new (void)
{
  return g_object_new (TINCAN_TYPE_SESSION, NULL);
}

void
tincan_session_set_host (TincanSession *self,
                         const char    *host)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (host == NULL)
    host = "";
  if (g_strcmp0 (self->host, host) == 0)
    return;

  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

const char *
tincan_session_get_host (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->host;
}

void
tincan_session_set_port (TincanSession *self,
                         guint          port)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

guint
tincan_session_get_port (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->port;
}

void
tincan_session_set_transport (TincanSession   *self,
                              TincanTransport  transport)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));
  g_return_if_fail (transport <= TINCAN_TRANSPORT_UDP);

  if (self->transport == transport)
    return;

  self->transport = transport;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

TincanTransport
tincan_session_get_transport (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_TRANSPORT_TCP);

  return self->transport;
}

void
tincan_session_set_framing (TincanSession *self,
                            TincanFraming *framing)
{
  g_autoptr(TincanFraming) raw = NULL;

  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (framing == NULL)
    framing = raw = tincan_framing_new_raw ();
  if (tincan_framing_equal (self->framing, framing))
    return;

  tincan_framing_unref (self->framing);
  self->framing = tincan_framing_ref (framing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMING]);
}

TincanFraming *
tincan_session_get_framing (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->framing;
}

void
tincan_session_set_mode (TincanSession        *self,
                         TincanConnectionMode  mode)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));
  g_return_if_fail (mode <= TINCAN_CONNECTION_PER_MESSAGE);

  if (self->mode == mode)
    return;

  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

TincanConnectionMode
tincan_session_get_mode (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_CONNECTION_PERSISTENT);

  return self->mode;
}

void
tincan_session_set_connect_timeout (TincanSession *self,
                                    guint          msec)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (self->connect_timeout == msec)
    return;

  self->connect_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
tincan_session_get_connect_timeout (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->connect_timeout;
}

void
tincan_session_set_response_timeout (TincanSession *self,
                                     guint          msec)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (self->response_timeout == msec)
    return;

  self->response_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE_TIMEOUT]);
}

guint
tincan_session_get_response_timeout (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->response_timeout;
}

void
tincan_session_set_no_proxy (TincanSession *self,
                             gboolean       no_proxy)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  no_proxy = !!no_proxy;
  if (self->no_proxy == no_proxy)
    return;

  self->no_proxy = no_proxy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_PROXY]);
}

gboolean
tincan_session_get_no_proxy (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);

  return self->no_proxy;
}

/* Returns: (nullable): "HTTP proxy 127.0.0.1:3128" while the connection
 *   goes through that proxy */
const char *
tincan_session_get_proxy (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->proxy;
}

void
_tincan_session_set_proxy_resolver_for_testing (TincanSession  *self,
                                                GProxyResolver *resolver)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  g_set_object (&self->proxy_resolver, resolver);
}

TincanSessionState
tincan_session_get_state (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_SESSION_DISCONNECTED);

  return self->state;
}

const char *
tincan_session_get_peer_address (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->peer_address;
}

/**
 * tincan_session_get_connection_info:
 * @self: a session
 *
 * The same info rides on the STATUS entry that announced the connection
 * (tincan_message_get_connection_info()), for whoever keeps entries.
 *
 * Returns: (transfer none) (nullable): the active connection's ends and
 *   transport, %NULL while none is made
 */
const TincanConnectionInfo *
tincan_session_get_connection_info (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->connection_info;
}

gboolean
tincan_session_get_peer_closed (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);

  return self->peer_closed;
}

guint64
tincan_session_get_bytes_sent (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->bytes_sent;
}

guint64
tincan_session_get_bytes_queued (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return _tincan_session_bytes_queued (self);
}

guint64
tincan_session_get_bytes_received (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->bytes_received;
}

guint64
tincan_session_get_messages_sent (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->messages_sent;
}

guint64
tincan_session_get_messages_received (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->messages_received;
}

GDateTime *
tincan_session_get_connected_since (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->connected_since;
}

const TincanTlsProblem *
tincan_session_get_tls_problem (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->tls_problem;
}

/**
 * tincan_session_get_accepted_tls_problem:
 *
 * What is wrong with the certificate of the connection open now, when it
 * was accepted only because it was pinned (tincan_session_pin_certificate()).
 * Set before the state becomes %TINCAN_SESSION_CONNECTED, cleared before it
 * becomes %TINCAN_SESSION_DISCONNECTED, so a "notify::state" handler sees it
 * right.
 *
 * Returns: (transfer none) (nullable): the problem, or %NULL when the
 *   connection's certificate validated, or there is no TLS connection
 */
const TincanTlsProblem *
tincan_session_get_accepted_tls_problem (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->accepted_tls_problem;
}

/**
 * tincan_session_validate:
 * @self: a session
 * @error: return location for a #GError
 *
 * Checks the configured host and port without any I/O.
 *
 * Returns: %TRUE if a connect can be tried; otherwise %FALSE with @error set
 *   to %TINCAN_SESSION_ERROR_INVALID_TARGET and a sentence that says what is
 *   wrong ("Enter a host name or address", "Port 0 is out of range (1–65535)")
 */
gboolean
tincan_session_validate (TincanSession  *self,
                         GError        **error)
{
  g_autoptr(GError) cause = NULL;
  g_autofree char *port = NULL;

  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The target parser's own checks and sentences, so that a port typed in
   * the window and one set here are refused alike. */
  port = g_strdup_printf ("%u", self->port);
  if (!tincan_target_check_host (self->host, &cause) ||
      !tincan_target_parse_port (port, NULL, &cause))
    {
      TincanErrorContext context = { .cause = cause->message };

      g_propagate_error (error, tincan_session_error_new (TINCAN_SESSION_ERROR_INVALID_TARGET,
                                                          &context));
      return FALSE;
    }

  return TRUE;
}

/**
 * tincan_session_pin_certificate:
 * @self: a session
 * @fingerprint: (nullable): the SHA-256 fingerprint of a certificate
 *   ("AB:CD:…", case and separators do not matter), or %NULL to forget
 *
 * Trusts exactly that certificate for the connects of this session object
 * from now on, even if it does not validate (self-signed, wrong host, …).
 * Any other certificate is still validated as usual. Nothing is stored.
 */
void
tincan_session_pin_certificate (TincanSession *self,
                                const char    *fingerprint)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));

  g_clear_pointer (&self->pinned, g_free);
  if (fingerprint != NULL)
    {
      self->pinned = tincan_tls_fingerprint_normalize (fingerprint);
      if (self->pinned == NULL)
        g_warning ("Not a SHA-256 fingerprint: %s", fingerprint);
    }
}

