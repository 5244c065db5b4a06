/* tincan-session-io.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session's side of its connection, with the public calls that drive it
 * (connect, send, disconnect): it starts a TincanConnector, turns its
 * progress into state and STATUS entries, makes a TincanConnection of the
 * stream, turns what the connection tells into entries and counters, and
 * ends it. Per-message mode's part is in tincan-per-message.c. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-format.h"
#include "tincan-session-private.h"

/* Connection ids: unique in the process, whichever session opens one. */
G_LOCK_DEFINE_STATIC (connection_ids);
static guint64 last_connection_id;

static guint64
new_connection_id (void)
{
  guint64 id;

  G_LOCK (connection_ids);
  id = ++last_connection_id;
  G_UNLOCK (connection_ids);

  return id;
}

gboolean
_tincan_session_is_active (TincanSession *self)
{
  return self->connector != NULL || self->connection != NULL;
}

static gboolean
per_message (TincanSession *self)
{
  return self->active_mode == TINCAN_CONNECTION_PER_MESSAGE;
}

static void
clear_user_cancel_source (TincanSession *self)
{
  if (self->user_cancel_source != NULL)
    {
      g_source_destroy (self->user_cancel_source);
      g_clear_pointer (&self->user_cancel_source, g_source_unref);
    }
}

/* What the connection tells */

static void
connection_begin (gpointer user_data)
{
  _tincan_session_batch_begin (user_data);
}

static void
connection_end (gpointer user_data)
{
  _tincan_session_batch_end (user_data);
}

static void
connection_read (TincanConnection *connection,
                 gsize             length,
                 gpointer          user_data)
{
  TincanSession *self = user_data;

  self->bytes_received += length;
  self->dirty |= TINCAN_SESSION_DIRTY_BYTES_RECEIVED;
  self->exchange.reply_bytes += length;
}

static void
connection_received (TincanConnection *connection,
                     TincanMessage    *message,
                     TincanFrameFlags  flags,
                     gpointer          user_data)
{
  TincanSession *self = user_data;
  gint64 rtt = -1;

  /* The first frame after a send answers it (see tincan_message_get_rtt()). */
  if (self->last_sent != 0)
    rtt = MAX (tincan_message_get_monotonic_time (message) - self->last_sent, 0);
  self->last_sent = 0;
  _tincan_session_add_reply (self, message, rtt);
  self->messages_received++;
  self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED;

  if (per_message (self))
    _tincan_per_message_received (self, flags);
}

static void
connection_read_done (TincanConnection *connection,
                      gpointer          user_data)
{
  if (per_message (user_data))
    _tincan_per_message_read_done (user_data);
}

static void
connection_wrote (TincanConnection *connection,
                  gsize             length,
                  gpointer          user_data)
{
  TincanSession *self = user_data;

  self->bytes_sent += length;
  self->dirty |= TINCAN_SESSION_DIRTY_BYTES_SENT;
}

static void
connection_sent (TincanConnection *connection,
                 TincanWriteItem  *item,
                 gpointer          user_data)
{
  TincanSession *self = user_data;

  gsize framing_length = g_bytes_get_size (item->frame) - g_bytes_get_size (item->payload);
  TincanMessage *message;

  /* Made as the write completes: its time is when the frame was out. */
  message = tincan_message_new_wire (TINCAN_MESSAGE_KIND_SENT, item->frame, item->prefix_length,
                                     framing_length - item->prefix_length);
  self->last_sent = tincan_message_get_monotonic_time (message);
  _tincan_session_add_message (self, message);
  self->messages_sent++;
  self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_SENT;

  if (per_message (self))
    _tincan_per_message_sent (self);
}

static void
connection_dropped (TincanConnection *connection,
                    guint64           count,
                    gpointer          user_data)
{
  TincanErrorContext context = { .count = count };

  _tincan_session_add_error (user_data, TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED, &context);
}

static void
connection_blocked (TincanConnection *connection,
                    gpointer          user_data)
{
  if (per_message (user_data))
    _tincan_per_message_blocked (user_data);
}

static void
connection_eof (TincanConnection *connection,
                gpointer          user_data)
{
  TincanSession *self = user_data;

  self->exchange.eof = TRUE;
  if (per_message (self))
    {
      _tincan_per_message_eof (self);
      return;
    }

  /* TCP half-close: the server is done sending, but may still read. The
   * connection stays open for sending; if the server closed completely, the
   * next write fails and says so. */
  _tincan_session_add_status (self, _tincan_session_eof_text (self));
  _tincan_session_set_peer_closed (self, TRUE);
}

/* A read or write failure as a TINCAN_SESSION_ERROR. */
static GError *
make_transfer_error (TincanSession *self,
                     const GError  *cause,
                     gboolean       writing)
{
  TincanErrorContext context = { .endpoint = self->endpoint, .cause = cause->message, .udp = TRUE };
  TincanSessionError code = writing ? TINCAN_SESSION_ERROR_SEND_FAILED
                                    : TINCAN_SESSION_ERROR_RECEIVE_FAILED;

  /* After the connect, only a connected UDP socket learns of a refusal. */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    code = TINCAN_SESSION_ERROR_REFUSED;
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    /* ECONNRESET on a read; EPIPE or ECONNRESET on a write: the server is gone. */
    code = writing ? TINCAN_SESSION_ERROR_PEER_CLOSED : TINCAN_SESSION_ERROR_PEER_RESET;

  if (code == TINCAN_SESSION_ERROR_PEER_RESET)
    context.endpoint = NULL;

  return tincan_session_error_new (code, &context);
}

static void
connection_failed (TincanConnection *connection,
                   const GError     *error,
                   gboolean          writing,
                   gpointer          user_data)
{
  TincanSession *self = user_data;
  g_autoptr(GError) sentence = make_transfer_error (self, error, writing);

  _tincan_session_fail (self, sentence);
}

static void
connection_closed (TincanConnection *connection,
                   gpointer          user_data)
{
  TincanSession *self = user_data;

  if (self->connection == connection && per_message (self))
    _tincan_per_message_closed (self);
}

static const TincanConnectionHandler connection_handler = {
  .begin = connection_begin,
  .end = connection_end,
  .read = connection_read,
  .received = connection_received,
  .read_done = connection_read_done,
  .wrote = connection_wrote,
  .sent = connection_sent,
  .blocked = connection_blocked,
  .dropped = connection_dropped,
  .notice = _tincan_session_connection_notice,
  .eof = connection_eof,
  .failed = connection_failed,
  .closed = connection_closed,
};

/* Connecting */

static void
connector_progress_cb (TincanConnector    *connector,
                       TincanSessionState  state,
                       gpointer            user_data)
{
  TincanSession *self = user_data;
  const char *host = tincan_connector_get_host (connector);
  gboolean quiet = per_message (self);

  _tincan_session_batch_begin (self);
  _tincan_session_set_state (self, state);

  if (state == TINCAN_SESSION_RESOLVING && !quiet && !g_hostname_is_ip_address (host))
    {
      g_autofree char *text = g_strdup_printf (_("Resolving %s…"), host);

      _tincan_session_add_status (self, text);
    }
  else if (state == TINCAN_SESSION_CONNECTING)
    {
      /* The connect time counts from the attempt that succeeds. */
      self->connect_began = g_get_monotonic_time ();
      _tincan_session_show_route (self, connector);

      if (!quiet && self->active_transport != TINCAN_TRANSPORT_UDP)
        {
          g_autofree char *endpoint = tincan_connector_dup_route (connector);
          g_autofree char *text = g_strdup_printf (_("Connecting to %s…"), endpoint);

          _tincan_session_add_status (self, text);
        }
    }

  _tincan_session_batch_end (self);
}

/* "Connected to 127.0.0.1 port 7 in 0.4 ms"; per-message mode numbers its
 * connections, one per send: "Connection 4 to 127.0.0.1 port 7 made in 0.4 ms". */
static char *
connected_text (TincanSession   *self,
                TincanConnector *connector)
{
  const char *tls_version = tincan_connector_get_tls_version (connector);
  gboolean udp = self->active_transport == TINCAN_TRANSPORT_UDP;
  g_autofree char *took = tincan_format_duration (g_get_monotonic_time () - self->connect_began);
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->connection_id);

  if (!per_message (self))
    {
      if (udp)
        return _tincan_session_udp_ready_text (self, connector);
      if (tls_version != NULL)
        /* TRANSLATORS: the endpoint, the TLS version, the connect time:
         * "Connected to 127.0.0.1 port 7 (TLS 1.3) in 2.1 ms" */
        return g_strdup_printf (_("Connected to %s (%s) in %s"), self->endpoint, tls_version,
                                took);
      /* TRANSLATORS: the endpoint and the connect time: "Connected to
       * 127.0.0.1 port 7 in 0.4 ms" */
      return g_strdup_printf (_("Connected to %s in %s"), self->endpoint, took);
    }

  if (udp)
    tls_version = "UDP";
  if (tls_version != NULL)
    /* TRANSLATORS: the connection's number, the endpoint, the TLS version
     * (or UDP), the connect time: "Connection 4 to 127.0.0.1 port 7
     * (TLS 1.3) made in 2.1 ms" */
    return g_strdup_printf (_("Connection %s to %s (%s) made in %s"), id, self->endpoint,
                            tls_version, took);
  /* TRANSLATORS: the connection's number, the endpoint, the connect time:
   * "Connection 4 to 127.0.0.1 port 7 made in 0.4 ms" */
  return g_strdup_printf (_("Connection %s to %s made in %s"), id, self->endpoint, took);
}

/* Raw framing: a reply that comes in several reads with no pause is one
 * entry (an HTTP response is one reply), not one entry per read. */
static void
set_handler (TincanSession *self)
{
  TincanFraming *framing = tincan_connection_get_framing (self->connection);

  tincan_connection_set_handler (self->connection, &connection_handler, self);
  if (framing != NULL && tincan_framing_get_kind (framing) == TINCAN_FRAMING_RAW)
    tincan_connection_set_join_reads (self->connection);
}

static void
established (TincanSession *self,
             GIOStream     *stream)
{
  g_autoptr(TincanConnector) connector = g_steal_pointer (&self->connector);
  gboolean udp = self->active_transport == TINCAN_TRANSPORT_UDP;

  clear_user_cancel_source (self);
  self->connection = tincan_connection_new (stream, udp ? NULL : self->active_framing);
  set_handler (self);
  self->endpoint = tincan_connector_dup_route (connector);

  _tincan_session_show_route (self, connector);
  g_clear_pointer (&self->accepted_tls_problem, tincan_tls_problem_free);
  self->accepted_tls_problem = tincan_connector_steal_accepted_tls_problem (connector);
  _tincan_session_set_connected_since (self, TRUE);
  _tincan_session_set_state (self, TINCAN_SESSION_CONNECTED);

  {
    g_autofree char *text = connected_text (self, connector);
    TincanMessage *status = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, text);

    /* On the entry that announces it, so that the log and an export get
     * the connection's ends in the same order as its entries. */
    g_clear_pointer (&self->connection_info, tincan_connection_info_unref);
    self->connection_info = tincan_connection_info_new_for_stream (self->connection_id,
                                                                   self->active_transport,
                                                                   stream);
    _tincan_message_set_connection_info (status, self->connection_info);
    _tincan_session_add_message (self, status);
  }

  if (self->connect_task != NULL)
    _tincan_session_queue_task_return (self, g_steal_pointer (&self->connect_task), NULL);

  tincan_connection_take_queue (self->connection, &self->waiting);
  tincan_connection_start (self->connection);
  tincan_connection_flush (self->connection);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(TincanSession) self = g_weak_ref_get (weak);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);

  stream = tincan_connector_connect_finish (TINCAN_CONNECTOR (source), result, &error);

  /* A connect that was dropped: dropping its stream closes the socket. */
  if (self == NULL || self->disposed || self->connector != TINCAN_CONNECTOR (source))
    return;

  _tincan_session_batch_begin (self);

  if (stream != NULL)
    {
      established (self, stream);
    }
  else
    {
      if (g_error_matches (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_BAD_CERTIFICATE))
        _tincan_session_set_tls_problem (self, tincan_connector_steal_tls_problem (self->connector));
      _tincan_session_fail (self, error);
    }

  _tincan_session_batch_end (self);
}

void
_tincan_session_start_connect (TincanSession        *self,
                               TincanConnectionMode  mode,
                               TincanTransport       transport,
                               const char           *host,
                               guint                 port,
                               TincanFraming        *framing)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_assert (!_tincan_session_is_active (self));

  self->active_mode = mode;
  self->active_transport = transport;
  g_clear_pointer (&self->active_framing, tincan_framing_unref);
  self->active_framing = tincan_framing_ref (framing);
  _tincan_per_message_reset (self);
  _tincan_session_ensure_early_source (self);
  self->connection_id = new_connection_id ();
  self->connect_began = g_get_monotonic_time ();
  self->last_sent = 0;

  _tincan_session_set_tls_problem (self, NULL);
  _tincan_session_set_peer_closed (self, FALSE);
  _tincan_session_set_peer_address (self, NULL);
  _tincan_session_set_proxy (self, NULL);
  _tincan_session_set_connected_since (self, FALSE);
  _tincan_session_set_state (self, TINCAN_SESSION_RESOLVING);

  self->connector = tincan_connector_new (transport, host, (guint16) port,
                                          self->connect_timeout, self->pinned);
  tincan_connector_set_proxy (self->connector, !self->no_proxy, self->proxy_resolver);
  tincan_connector_set_progress_func (self->connector, connector_progress_cb, self);
  self->connect_cancellable = g_cancellable_new ();
  g_weak_ref_init (weak, self);
  tincan_connector_connect_async (self->connector, self->connect_cancellable, connect_cb, weak);
}

static gboolean
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  TincanSession *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->user_cancel_source, g_source_unref);
  if (self->connector == NULL)
    return G_SOURCE_REMOVE;

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Connecting to %s port %u was cancelled"),
                       tincan_connector_get_host (self->connector),
                       tincan_connector_get_port (self->connector));
  _tincan_session_batch_begin (self);
  _tincan_session_drop_connection (self, error, TRUE, 0, _("Disconnected"));
  _tincan_session_batch_end (self);

  return G_SOURCE_REMOVE;
}

/* The caller's cancellable of a persistent connect ends the attempt. */
void
_tincan_session_watch_cancellable (TincanSession *self,
                                   GCancellable  *cancellable)
{
  self->user_cancel_source = g_cancellable_source_new (cancellable);
  g_source_set_static_name (self->user_cancel_source, "[tincan] connect cancelled");
  g_source_set_callback (self->user_cancel_source, G_SOURCE_FUNC (user_cancelled_cb), self, NULL);
  g_source_attach (self->user_cancel_source, g_main_context_get_thread_default ());
}

/* Queues @item on the active connection, or until it is made. */
void
_tincan_session_send_active (TincanSession   *self,
                             TincanWriteItem *item)
{
  if (self->connection == NULL)
    {
      tincan_write_queue_push (&self->waiting, item);
      return;
    }

  /* Alone in the queue and nothing waiting to be reported: written now,
   * which spares a dispatch. Its SENT entry still goes out from a dispatch
   * (see early_ready()), usually with the reply. */
  tincan_connection_send (self->connection, item, self->early_since == 0);
  if (self->pending->len > 0 && self->depth == 0 && self->early_since == 0)
    self->early_since = g_get_monotonic_time ();
}

/* Ending */

static GError *
disconnected_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              _("Disconnected before the connection was made"));
}

/* Stops and forgets the connection and the connect, quietly; a connect
 * task still pending (only when disposing) is returned at once. */
void
_tincan_session_detach (TincanSession *self)
{
  if (self->connect_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

      g_task_return_error (task, disconnected_error ());
    }

  if (self->connector != NULL)
    {
      tincan_connector_set_progress_func (self->connector, NULL, NULL);
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connector);
    }
  g_clear_object (&self->connect_cancellable);

  if (self->connection != NULL)
    {
      tincan_connection_detach (self->connection);
      g_clear_object (&self->connection);
    }

  clear_user_cancel_source (self);
  g_clear_pointer (&self->endpoint, g_free);
  tincan_write_queue_clear (&self->waiting);
  _tincan_per_message_reset (self);

  if (self->disposed)
    _tincan_session_remove_early_source (self);
}

/* Drops the active connection. @error (nullable) becomes an ERROR entry
 * unless @quiet; frames still queued are reported as not sent (persistent
 * mode: in per-message mode the error speaks for its one message); @status
 * (nullable) is added last. A pending connect task gets @error (or
 * CANCELLED). */
void
_tincan_session_drop_connection (TincanSession *self,
                                 const GError  *error,
                                 gboolean       quiet,
                                 guint          extra_unsent,
                                 const char    *status)
{
  guint unsent = extra_unsent;

  g_assert (_tincan_session_is_active (self));

  /* Raw bytes gathered but not yet shown came before the end. */
  if (self->connection != NULL)
    tincan_connection_flush_joined (self->connection);

  if (error != NULL && !quiet)
    _tincan_session_add_message (self, tincan_message_new_error (error));

  if (!per_message (self) || extra_unsent > 0)
    {
      unsent += tincan_write_queue_length (&self->waiting);
      if (self->connection != NULL)
        unsent += tincan_connection_get_queue_length (self->connection);
    }
  if (unsent > 0)
    _tincan_session_add_unsent (self, unsent);

  if (self->connect_task != NULL)
    {
      GError *task_error;

      task_error = error != NULL ? g_error_copy (error) : disconnected_error ();
      _tincan_session_queue_task_return (self, g_steal_pointer (&self->connect_task), task_error);
    }

  _tincan_session_detach (self);

  if (status != NULL)
    _tincan_session_add_status (self, status);

  g_clear_pointer (&self->accepted_tls_problem, tincan_tls_problem_free);
  self->connection_id = 0;
  g_clear_pointer (&self->connection_info, tincan_connection_info_unref);
  self->last_sent = 0;
  _tincan_session_set_state (self, TINCAN_SESSION_DISCONNECTED);
  _tincan_session_set_connected_since (self, FALSE);
}

/* The connection failed: end it; in per-message mode go on with the next
 * queued send. */
void
_tincan_session_fail (TincanSession *self,
                      const GError  *error)
{
  gboolean was_per_message = per_message (self);

  _tincan_session_drop_connection (self, error, FALSE, 0, NULL);
  if (was_per_message)
    _tincan_per_message_start_next (self);
}

/* Public API */

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

/* The largest datagram the peer can be sent. Before the address family is
 * known (per-message mode to a host name), the IPv6 limit: an IPv4 peer's
 * kernel then refuses a larger datagram, and that is an error row. */
static guint
udp_limit (TincanSession *self)
{
  GSocket *socket = self->connection != NULL ? tincan_connection_get_socket (self->connection) : NULL;
  g_autoptr(GInetAddress) literal = NULL;

  if (socket != NULL)
    return g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6 ? TINCAN_UDP6_MAX_DATAGRAM
                                                                : TINCAN_UDP_MAX_DATAGRAM;

  literal = self->host != NULL ? g_inet_address_new_from_string (self->host) : NULL;
  if (literal != NULL && g_inet_address_get_family (literal) == G_SOCKET_FAMILY_IPV4)
    return TINCAN_UDP_MAX_DATAGRAM;
  return TINCAN_UDP6_MAX_DATAGRAM;
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

      guint limit = udp_limit (self);

      if (size > limit)
        {
          TincanErrorContext context = { .count = size, .limit = limit };

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
  if (transport != TINCAN_TRANSPORT_UDP &&
      tincan_framing_get_kind (framing) == TINCAN_FRAMING_LENGTH_PREFIX)
    item->prefix_length = (guint8) tincan_framing_get_prefix_width (framing);
  if (mode == TINCAN_CONNECTION_PER_MESSAGE)
    {
      _tincan_per_message_send (self, item);
      return TRUE;
    }

  _tincan_session_send_active (self, item);
  _tincan_session_notify_bytes_queued (self);
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

/* Tests and fuzzing */

/**
 * _tincan_session_feed_for_testing:
 * @self: a disconnected session, or one that this function connected
 * @data: (array length=len): bytes as if read from the peer
 * @len: length of @data
 * @eof: whether the peer then closes its side
 *
 * For tests and fuzz targets only (see tincan-session-private.h): runs
 * @data through the code a socket read runs (the connection's read loop,
 * decoder and frame handling, then the session's handler; with @eof, the
 * end of the stream), with no socket. The first call makes a fake
 * persistent TCP connection with the session's framing: no stream, no
 * sources, nothing to write to (so do not send() on it). Entries go out in
 * one "messages" batch per call, as after one read dispatch. Feeding after
 * @eof is a programming error.
 */
void
_tincan_session_feed_for_testing (TincanSession *self,
                                  const guint8  *data,
                                  gsize          len,
                                  gboolean       eof)
{
  g_return_if_fail (TINCAN_IS_SESSION (self));
  g_return_if_fail (data != NULL || len == 0);

  if (self->connection == NULL)
    {
      g_return_if_fail (self->connector == NULL);
      self->active_mode = TINCAN_CONNECTION_PERSISTENT;
      self->active_transport = TINCAN_TRANSPORT_TCP;
      g_clear_pointer (&self->active_framing, tincan_framing_unref);
      self->active_framing = tincan_framing_ref (self->framing);
      self->connection = _tincan_connection_new_for_testing (self->framing);
      self->connection_id = new_connection_id ();
      set_handler (self);
      _tincan_session_reset_counters (self);
    }

  _tincan_session_batch_begin (self);
  _tincan_session_set_state (self, TINCAN_SESSION_CONNECTED);
  _tincan_connection_feed_for_testing (self->connection, data, len, eof);
  _tincan_session_batch_end (self);
}
