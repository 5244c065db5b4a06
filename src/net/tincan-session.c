/* tincan-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-address.h"
#include "tincan-session-private.h"

/* How the session works
 *
 * The session is the GObject the UI sees: configuration, state, counters,
 * the public API and the batching of entries. The connection it makes is a
 * TincanConnector while connecting and a TincanConnection once made
 * (tincan-session-io.c turns what they tell into entries); per-message mode
 * is in tincan-per-message.c. Nothing pending holds the session but a
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

typedef struct
{
  GTask  *task;
  GError *error;   /* NULL: success */
} TaskReturn;

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_TRANSPORT,
  PROP_FRAMING,
  PROP_MODE,
  PROP_CONNECT_TIMEOUT,
  PROP_RESPONSE_TIMEOUT,
  PROP_STATE,
  PROP_PEER_ADDRESS,
  PROP_PEER_CLOSED,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  PROP_MESSAGES_SENT,
  PROP_MESSAGES_RECEIVED,
  PROP_CONNECTED_SINCE,
  PROP_BYTES_QUEUED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TincanSession, tincan_session, G_TYPE_OBJECT)

/* Batching and notification */

void
_tincan_session_batch_begin (TincanSession *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  self->depth++;
}

guint64
_tincan_session_bytes_queued (TincanSession *self)
{
  guint64 size = tincan_write_queue_unwritten (&self->per_message_queue) +
                 tincan_write_queue_unwritten (&self->waiting);

  if (self->connection != NULL)
    size += tincan_connection_get_bytes_unwritten (self->connection);
  return size;
}

static void
notify_bytes_queued (TincanSession *self)
{
  guint64 size = _tincan_session_bytes_queued (self);

  if (size != self->queued_told)
    {
      self->queued_told = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_QUEUED]);
    }
}

static void
notify_counters (TincanSession *self)
{
  if (self->dirty & TINCAN_SESSION_DIRTY_BYTES_SENT)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  if (self->dirty & TINCAN_SESSION_DIRTY_BYTES_RECEIVED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
  if (self->dirty & TINCAN_SESSION_DIRTY_MESSAGES_SENT)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_SENT]);
  if (self->dirty & TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_RECEIVED]);
  self->dirty = 0;
  notify_bytes_queued (self);
}

/* Connect callbacks last, when the entries and the state are out. */
static void
return_tasks (TincanSession *self)
{
  TaskReturn *ret;

  while ((ret = g_queue_pop_head (&self->task_returns)) != NULL)
    {
      if (ret->error != NULL)
        g_task_return_error (ret->task, ret->error);
      else
        g_task_return_boolean (ret->task, TRUE);
      g_object_unref (ret->task);
      g_free (ret);
    }
}

void
_tincan_session_batch_end (TincanSession *self)
{
  g_assert (self->depth > 0);

  if (--self->depth == 0 && !self->emitting)
    {
      self->emitting = TRUE;

      /* A handler may add entries (by calling disconnect(), say): they go
       * out in a following batch, never inside the current one. */
      while (self->pending->len > 0 && !self->disposed)
        {
          g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);

          self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
          g_signal_emit (self, signals[SIGNAL_MESSAGES], 0, batch);
        }
      self->early_since = 0;
      notify_counters (self);

      self->emitting = FALSE;
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (self->depth == 0)
    return_tasks (self);

  g_object_unref (self);
}

void
_tincan_session_add_entry (TincanSession *self,
                           TincanMessage *message)
{
  g_ptr_array_add (self->pending, message);
}

void
_tincan_session_add_status (TincanSession *self,
                            const char    *text)
{
  _tincan_session_add_entry (self, tincan_message_new_text (TINCAN_DIRECTION_STATUS, text));
}

void
_tincan_session_add_error (TincanSession            *self,
                           TincanSessionError        code,
                           const TincanErrorContext *context)
{
  g_autoptr(GError) error = tincan_session_error_new (code, context);

  _tincan_session_add_entry (self, tincan_message_new_error (error));
}

/* Sends that a disconnect or a failure dropped. */
void
_tincan_session_add_unsent (TincanSession *self,
                            guint          unsent)
{
  TincanErrorContext context = { .count = unsent };

  _tincan_session_add_error (self, TINCAN_SESSION_ERROR_UNSENT, &context);
}

/* Takes @task and @error (NULL: success). */
void
_tincan_session_queue_task_return (TincanSession *self,
                                   GTask         *task,
                                   GError        *error)
{
  TaskReturn *ret = g_new0 (TaskReturn, 1);

  ret->task = task;
  ret->error = error;
  g_queue_push_tail (&self->task_returns, ret);
}

void
_tincan_session_set_state (TincanSession      *self,
                           TincanSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* @address: (nullable): NULL clears the peer address. */
void
_tincan_session_set_peer_address (TincanSession      *self,
                                  GInetSocketAddress *address)
{
  g_autofree char *peer = NULL;

  if (address != NULL)
    peer = tincan_format_socket_address (address);

  if (g_strcmp0 (self->peer_address, peer) == 0)
    return;

  g_free (self->peer_address);
  self->peer_address = g_steal_pointer (&peer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_ADDRESS]);
}

void
_tincan_session_set_peer_closed (TincanSession *self,
                                 gboolean       peer_closed)
{
  if (self->peer_closed == peer_closed)
    return;

  self->peer_closed = peer_closed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_CLOSED]);
}

/* @now: TRUE for now, FALSE for not connected. */
void
_tincan_session_set_connected_since (TincanSession *self,
                                     gboolean       now)
{
  if (!now && self->connected_since == NULL)
    return;

  g_clear_pointer (&self->connected_since, g_date_time_unref);
  if (now)
    self->connected_since = g_date_time_new_now_local ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED_SINCE]);
}

/* Takes @problem. */
void
_tincan_session_set_tls_problem (TincanSession    *self,
                                 TincanTlsProblem *problem)
{
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  self->tls_problem = problem;
}

void
_tincan_session_reset_counters (TincanSession *self)
{
  if (self->bytes_sent != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_BYTES_SENT;
  if (self->bytes_received != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_BYTES_RECEIVED;
  if (self->messages_sent != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_SENT;
  if (self->messages_received != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED;

  self->bytes_sent = self->bytes_received = 0;
  self->messages_sent = self->messages_received = 0;
}

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
  g_clear_pointer (&self->connected_since, g_date_time_unref);
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
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

/**
 * tincan_session_set_host:
 * @self: a session
 * @host: (nullable): a host name or address, without brackets ("::1")
 *
 * Sets the host to connect to at the next connect (or per-message send).
 * It is checked by tincan_session_validate(), not here.
 */
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

/**
 * tincan_session_get_host:
 * @self: a session
 *
 * Returns: (transfer none): the configured host, "" when none
 */
const char *
tincan_session_get_host (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->host;
}

/**
 * tincan_session_set_port:
 * @self: a session
 * @port: the port; anything outside 1–65535 is refused by validation
 *
 * Sets the port to connect to at the next connect.
 */
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

/**
 * tincan_session_get_port:
 * @self: a session
 *
 * Returns: the configured port (0 when unset)
 */
guint
tincan_session_get_port (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->port;
}

/**
 * tincan_session_set_transport:
 * @self: a session
 * @transport: TCP, TLS or UDP
 *
 * Sets the transport for the next connect.
 */
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

/**
 * tincan_session_get_transport:
 * @self: a session
 *
 * Returns: the configured transport
 */
TincanTransport
tincan_session_get_transport (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_TRANSPORT_TCP);

  return self->transport;
}

/**
 * tincan_session_set_framing:
 * @self: a session
 * @framing: (nullable): how messages are delimited; %NULL for raw
 *
 * Sets the framing used by the next connect (and by sends made in
 * per-message mode from now on). Not applied to UDP, where each datagram is
 * a message. A reference is taken.
 */
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

/**
 * tincan_session_get_framing:
 * @self: a session
 *
 * Returns: (transfer none): the configured framing
 */
TincanFraming *
tincan_session_get_framing (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->framing;
}

/**
 * tincan_session_set_mode:
 * @self: a session
 * @mode: persistent, or a connection per message
 *
 * Sets the mode for the next connect. A session that is connected keeps the
 * mode it connected with until it disconnects.
 */
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

/**
 * tincan_session_get_mode:
 * @self: a session
 *
 * Returns: the configured mode
 */
TincanConnectionMode
tincan_session_get_mode (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_CONNECTION_PERSISTENT);

  return self->mode;
}

/**
 * tincan_session_set_connect_timeout:
 * @self: a session
 * @msec: how long resolving, connecting and the TLS handshake may take
 *   together, in milliseconds; 0 for no limit
 */
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

/**
 * tincan_session_get_connect_timeout:
 * @self: a session
 *
 * Returns: the connect timeout in milliseconds (0: none)
 */
guint
tincan_session_get_connect_timeout (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->connect_timeout;
}

/**
 * tincan_session_set_response_timeout:
 * @self: a session
 * @msec: per-message mode: how long to wait for (more of) a reply, in
 *   milliseconds, counted from the send and again from each chunk received
 */
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

/**
 * tincan_session_get_response_timeout:
 * @self: a session
 *
 * Returns: the response timeout in milliseconds
 */
guint
tincan_session_get_response_timeout (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->response_timeout;
}

/**
 * tincan_session_get_state:
 * @self: a session
 *
 * Returns: where the current connection is; in per-message mode it cycles
 *   through connecting, connected, closing, disconnected for each send
 */
TincanSessionState
tincan_session_get_state (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), TINCAN_SESSION_DISCONNECTED);

  return self->state;
}

/**
 * tincan_session_get_peer_address:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the address being tried or connected
 *   to, as "127.0.0.1:7" or "[::1]:7"; kept after a disconnect until the next
 *   connect
 */
const char *
tincan_session_get_peer_address (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->peer_address;
}

/**
 * tincan_session_get_peer_closed:
 * @self: a session
 *
 * Returns: whether the server closed its side of the connection (nothing
 *   more will arrive, but sending may still work)
 */
gboolean
tincan_session_get_peer_closed (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);

  return self->peer_closed;
}

/**
 * tincan_session_get_bytes_sent:
 * @self: a session
 *
 * Returns: bytes written, framing included, since the last persistent
 *   connect (in per-message mode: since the session was created)
 */
guint64
tincan_session_get_bytes_sent (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->bytes_sent;
}

/**
 * tincan_session_get_bytes_queued:
 * @self: a session
 *
 * Returns: bytes given to tincan_session_send(), framing included, that
 *   are not written yet (a server that does not read makes this grow, up to
 *   %TINCAN_SESSION_MAX_QUEUED); 0 once the connection ends
 */
guint64
tincan_session_get_bytes_queued (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return _tincan_session_bytes_queued (self);
}

/**
 * tincan_session_get_bytes_received:
 * @self: a session
 *
 * Returns: bytes read, framing included, counted like bytes-sent
 */
guint64
tincan_session_get_bytes_received (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->bytes_received;
}

/**
 * tincan_session_get_messages_sent:
 * @self: a session
 *
 * Returns: frames written completely (SENT entries), counted like bytes-sent
 */
guint64
tincan_session_get_messages_sent (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->messages_sent;
}

/**
 * tincan_session_get_messages_received:
 * @self: a session
 *
 * Returns: RECEIVED entries (frames, pieces of cut frames, datagrams)
 */
guint64
tincan_session_get_messages_received (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), 0);

  return self->messages_received;
}

/**
 * tincan_session_get_connected_since:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): when the current connection was made
 */
GDateTime *
tincan_session_get_connected_since (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->connected_since;
}

/**
 * tincan_session_get_tls_problem:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): why the last TLS connect refused the
 *   server's certificate; cleared by the next connect
 */
const TincanTlsProblem *
tincan_session_get_tls_problem (TincanSession *self)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), NULL);

  return self->tls_problem;
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
  g_autoptr(GError) host_error = NULL;

  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tincan_target_check_host (self->host, &host_error))
    {
      TincanErrorContext context = { .cause = host_error->message };

      g_propagate_error (error, tincan_session_error_new (TINCAN_SESSION_ERROR_INVALID_TARGET,
                                                          &context));
      return FALSE;
    }

  if (self->port == 0 || self->port > G_MAXUINT16)
    {
      g_set_error (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_INVALID_TARGET,
                   _("Port %u is out of range (1–65535)"), self->port);
      return FALSE;
    }

  return TRUE;
}

/**
 * tincan_session_connect_async:
 * @self: a session
 * @cancellable: (nullable): cancels the connect (not the connection once made)
 * @callback: called when connected or failed
 * @user_data: data for @callback
 *
 * Persistent mode: validates, then resolves, connects (and handshakes, for
 * TLS) within the connect timeout; progress shows in the state property and
 * in STATUS entries, a failure in an ERROR entry. Sends made meanwhile wait.
 * Per-message mode: only validates (each send connects).
 *
 * Like any GIO operation, the pending connect holds a reference to @self.
 */
void
tincan_session_connect_async (TincanSession       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TINCAN_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tincan_session_connect_async);
  /* The result says what happened to the connection, even if the caller
   * cancelled at the last moment. */
  g_task_set_check_cancellable (task, FALSE);

  if (!tincan_session_validate (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->mode == TINCAN_CONNECTION_PER_MESSAGE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (_tincan_session_is_active (self))
    {
      g_task_return_error (task, tincan_session_error_new (TINCAN_SESSION_ERROR_BUSY, NULL));
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _tincan_session_batch_begin (self);
  _tincan_session_reset_counters (self);
  _tincan_session_start_connect (self, TINCAN_CONNECTION_PERSISTENT, self->transport, self->host,
                                 self->port, self->framing);
  self->connect_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    _tincan_session_watch_cancellable (self, cancellable);
  _tincan_session_batch_end (self);
}

/**
 * tincan_session_connect_finish:
 * @self: a session
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if connected (persistent mode) or valid (per-message mode);
 *   otherwise %FALSE with @error set: %TINCAN_SESSION_ERROR_INVALID_TARGET,
 *   %TINCAN_SESSION_ERROR_BUSY, %TINCAN_SESSION_ERROR_TIMED_OUT,
 *   %TINCAN_SESSION_ERROR_BAD_CERTIFICATE (see
 *   tincan_session_get_tls_problem()), %G_IO_ERROR_CANCELLED after a
 *   disconnect or cancel, or another %TINCAN_SESSION_ERROR code that names
 *   the cause (%TINCAN_SESSION_ERROR_RESOLVE_FAILED,
 *   %TINCAN_SESSION_ERROR_REFUSED, …); the message is the sentence the
 *   ERROR entry shows
 */
gboolean
tincan_session_connect_finish (TincanSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tincan_session_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Refuses a frame when others already wait and it would take the queue past
 * its bound: the server is not reading, and holding more only costs memory. */
static gboolean
check_queue_room (TincanSession  *self,
                  gsize           frame_size,
                  GError        **error)
{
  guint64 queued = _tincan_session_bytes_queued (self);
  g_autofree char *size = NULL;
  TincanErrorContext context = { 0 };

  if (queued == 0 || queued + frame_size <= TINCAN_SESSION_MAX_QUEUED)
    return TRUE;

  size = g_format_size (queued);
  context.size = size;
  g_propagate_error (error, tincan_session_error_new (TINCAN_SESSION_ERROR_QUEUE_FULL,
                                                      &context));
  return FALSE;
}

/**
 * tincan_session_send:
 * @self: a session
 * @payload: the message; a reference is taken
 * @error: return location for a #GError
 *
 * Frames @payload and queues it. Persistent mode: written in order once
 * connected. Per-message mode: a connection is made for it once the sends
 * before it are done. A SENT entry follows when the whole frame has been
 * written; failures show as ERROR entries.
 *
 * Returns: %TRUE if queued; %FALSE with @error set, nothing queued:
 *   %TINCAN_SESSION_ERROR_NOT_CONNECTED (persistent mode, no connection),
 *   %TINCAN_SESSION_ERROR_INVALID_TARGET (per-message mode),
 *   %TINCAN_SESSION_ERROR_TOO_LARGE (UDP datagram over 65,507 bytes),
 *   %TINCAN_SESSION_ERROR_QUEUE_FULL (more than %TINCAN_SESSION_MAX_QUEUED
 *   would wait to be written), or a
 *   %TINCAN_FRAMING_ERROR from tincan_framing_encode()
 */
gboolean
tincan_session_send (TincanSession  *self,
                     GBytes         *payload,
                     GError        **error)
{
  gboolean active;
  TincanConnectionMode mode;
  TincanTransport transport;
  TincanFraming *framing;
  g_autoptr(GBytes) frame = NULL;
  TincanWriteItem *item;

  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  active = _tincan_session_is_active (self);
  mode = active ? self->active_mode : self->mode;

  if (mode == TINCAN_CONNECTION_PERSISTENT)
    {
      if (!active)
        {
          g_propagate_error (error,
                             tincan_session_error_new (TINCAN_SESSION_ERROR_NOT_CONNECTED, NULL));
          return FALSE;
        }
      transport = self->active_transport;
      framing = self->active_framing;
    }
  else
    {
      if (!tincan_session_validate (self, error))
        return FALSE;
      transport = self->transport;
      framing = self->framing;
    }

  if (transport == TINCAN_TRANSPORT_UDP)
    {
      gsize size = g_bytes_get_size (payload);

      if (size > TINCAN_UDP_MAX_DATAGRAM)
        {
          TincanErrorContext context = { .count = size, .limit = TINCAN_UDP_MAX_DATAGRAM };

          g_propagate_error (error, tincan_session_error_new (TINCAN_SESSION_ERROR_TOO_LARGE,
                                                              &context));
          return FALSE;
        }
      frame = g_bytes_ref (payload);
    }
  else
    {
      frame = tincan_framing_encode (framing, payload, error);
      if (frame == NULL)
        return FALSE;
    }

  if (!check_queue_room (self, g_bytes_get_size (frame), error))
    return FALSE;

  item = tincan_write_item_new (payload, g_steal_pointer (&frame));
  if (mode == TINCAN_CONNECTION_PER_MESSAGE)
    {
      _tincan_per_message_send (self, item);
      return TRUE;
    }

  _tincan_session_send_active (self, item);
  notify_bytes_queued (self);
  return TRUE;
}

/**
 * tincan_session_disconnect:
 * @self: a session
 *
 * Ends the connection now, whatever it is doing (connecting included):
 * pending I/O is cancelled, the socket closed, queued sends are reported as
 * not sent, a STATUS "Disconnected" entry is added and the state is
 * DISCONNECTED. A pending connect fails with %G_IO_ERROR_CANCELLED. Does
 * nothing when there is no connection and nothing queued.
 */
void
tincan_session_disconnect (TincanSession *self)
{
  guint unsent;

  g_return_if_fail (TINCAN_IS_SESSION (self));

  if (!_tincan_session_is_active (self) &&
      tincan_write_queue_length (&self->per_message_queue) == 0)
    return;

  _tincan_session_batch_begin (self);

  unsent = tincan_write_queue_length (&self->per_message_queue);
  tincan_write_queue_clear (&self->per_message_queue);

  if (_tincan_session_is_active (self))
    {
      _tincan_session_drop_connection (self, NULL, TRUE, unsent, _("Disconnected"));
    }
  else
    {
      _tincan_session_add_unsent (self, unsent);
      _tincan_session_add_status (self, _("Disconnected"));
    }

  _tincan_session_batch_end (self);
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

