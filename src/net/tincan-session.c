/* tincan-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "tincan-address.h"
#include "tincan-decoder.h"
#include "tincan-error-text.h"
#include "tincan-session.h"
#include "tincan-session-private.h"
#include "tincan-write-queue.h"

/* How the session works
 *
 * Everything that touches a socket lives in a Connection, a reference-counted
 * struct owned by the session while it is current. Every pending operation
 * (connect, read, write source, timer, close) holds a reference to the
 * Connection, never to the session; the Connection points back at the
 * session. Ending a connection or disposing the session "detaches" it: the
 * back-pointer is cleared, its cancellable cancelled, its sources destroyed
 * and its stream closed. Callbacks that run afterwards find no session and
 * only drop their reference. So a session can be dropped at any moment,
 * even mid-handshake, and is finalized at once; the one exception is a
 * pending tincan_session_connect_async(), whose GTask holds the session like
 * any GIO operation does, so that its callback gets a live source object.
 *
 * Entries reach the UI only through the "messages" signal, one batch per
 * main-loop dispatch: every entry point (a public call or a callback) is
 * bracketed by batch_begin()/batch_end(); entries are collected in
 * self->pending and emitted at the outermost batch_end(), followed by the
 * property notifications (frozen meanwhile, so a counter is notified at most
 * once per batch) and by the completion of a connect GTask.
 *
 * Reading: one pollable source per connection (rather than a read_async
 * per read: no GTask, no source to create and no read bound to find nothing,
 * each of which costs a syscall or a main-context wakeup per message). When
 * it fires, a 64 KiB buffer is filled with non-blocking reads; while reads
 * fill it the socket probably holds more, so up to READS_PER_DISPATCH reads
 * (at most READ_BYTES_PER_DISPATCH bytes) are decoded in the same dispatch
 * before the batch goes out. That keeps batches large under a flood and
 * bounds the work done between two frames the UI paints.
 *
 * Writing: a FIFO of encoded frames, written with
 * g_pollable_output_stream_writev_nonblocking(), up to WRITE_FRAMES_PER_CALL (tincan-write-queue.c)
 * frames per call, from the session's flush source (so that any number of
 * send() calls made in one dispatch are gathered) and, when the socket is
 * full, from the stream's pollable source. A send() into an empty queue is
 * written at once. The bytes written are known synchronously, so a SENT
 * entry means the whole frame went into the socket, and a frame cut short by
 * a disconnect is never reported as sent.
 *
 * UDP: no framing. Each datagram received is one message and each send is
 * one datagram, since the datagram already is the frame (a delimiter or
 * length prefix would only be noise the peer does not expect).
 */

#define READ_BUFFER_SIZE          (64 * 1024)
#define READS_PER_DISPATCH        16
#define READ_BYTES_PER_DISPATCH   (1024 * 1024)
/* A raw chunk at least this long becomes the message's storage instead of
 * being copied; shorter ones are copied so the buffer stays small. */
#define STEAL_THRESHOLD           (8 * 1024)
#define WRITE_BYTES_PER_DISPATCH  (1024 * 1024)

/* SENT entries of a frame that send() could write at once go out with the
 * next batch (usually the reply's), or after this long. */
#define EARLY_FLUSH_DELAY_US      1000

/* How long a TLS close may take to send its close_notify. */
#define CLOSE_TIMEOUT_MS          2000

#define DEFAULT_CONNECT_TIMEOUT_MS  10000
#define DEFAULT_RESPONSE_TIMEOUT_MS 2000

typedef struct _Connection Connection;

struct _Connection
{
  TincanSession            *session;        /* unowned; NULL once detached */
  GMainContext             *context;
  GCancellable             *cancellable;    /* all I/O of this connection */

  TincanConnectionMode      mode;
  TincanTransport           transport;
  char                     *host;
  guint16                   port;
  TincanFraming            *framing;
  char                     *pinned;         /* normalized fingerprint, or NULL */
  guint                     connect_timeout_ms;
  guint                     response_timeout_ms;

  /* Connecting */
  GTask                    *connect_task;   /* persistent mode only */
  GSource                  *connect_timer;
  GSource                  *user_cancel_source;
  GSocketClient            *client;
  GSocketAddressEnumerator *enumerator;
  GInetSocketAddress       *address;        /* being tried, then connected */
  GTlsConnection           *tls;
  gulong                    accept_handler;
  TincanTlsProblem         *tls_problem;

  /* Connected */
  gboolean                  connected;
  GIOStream                 *stream;
  GInputStream             *input;
  GOutputStream            *output;
  TincanDecoder            *decoder;        /* NULL for UDP */
  guint8                   *buffer;
  GSource                  *read_source;    /* while reading */
  gboolean                  read_stopped;
  gboolean                  eof;

  /* Writing */
  TincanWriteQueue          queue;
  GSource                  *writable_source; /* while the socket is full */
  GSource                  *close_timer;

  /* Per-message mode */
  gboolean                  awaiting_reply; /* our frame is sent */
  gboolean                  reply_done;
  gboolean                  closing;
  guint64                   reply_bytes;
  guint64                   reply_frames;
  GSource                  *response_timer;
};

typedef struct
{
  GTask  *task;
  GError *error;   /* NULL: success */
} TaskReturn;

struct _TincanSession
{
  GObject               parent_instance;

  /* Configuration */
  char                 *host;
  guint                 port;
  TincanTransport       transport;
  TincanFraming        *framing;
  TincanConnectionMode  mode;
  guint                 connect_timeout;
  guint                 response_timeout;
  char                 *pinned;

  /* State */
  TincanSessionState    state;
  char                 *peer_address;
  gboolean              peer_closed;
  guint64               bytes_sent;
  guint64               bytes_received;
  guint64               messages_sent;
  guint64               messages_received;
  GDateTime            *connected_since;
  TincanTlsProblem     *tls_problem;

  Connection           *conn;
  TincanWriteQueue      per_message_queue; /* sends not started */
  guint64               queued_told;    /* bytes-queued as last notified */
  GSource              *flush_source;   /* FlushSource */
  gint64                early_since;    /* SENT entries added by send() wait since then */

  /* Batching */
  GPtrArray            *pending;        /* TincanMessage */
  GQueue                task_returns;   /* TaskReturn */
  guint                 depth;
  guint                 dirty;          /* counter properties changed in this batch */
  gboolean              emitting;
  gboolean              disposed;
};

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

enum {
  DIRTY_BYTES_SENT        = 1 << 0,
  DIRTY_BYTES_RECEIVED    = 1 << 1,
  DIRTY_MESSAGES_SENT     = 1 << 2,
  DIRTY_MESSAGES_RECEIVED = 1 << 3,
};

G_DEFINE_FINAL_TYPE (TincanSession, tincan_session, G_TYPE_OBJECT)

static void connection_start        (TincanSession *self,
                                     Connection    *conn);
static void connection_read         (Connection    *conn);
static void session_ensure_flush    (TincanSession *self,
                                     GMainContext  *context);
static void connection_write        (TincanSession *self,
                                     Connection    *conn);
static void per_message_start_next  (TincanSession *self);
static void per_message_finish      (TincanSession *self,
                                     Connection    *conn);

/* Small helpers */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static char *
format_inet_address (GInetSocketAddress *address)
{
  return g_inet_address_to_string (g_inet_socket_address_get_address (address));
}

/* "127.0.0.1 port 7", "example.org (93.184.216.34) port 80": for sentences. */
static char *
describe_endpoint (Connection *conn)
{
  g_autofree char *ip = NULL;

  if (conn->address == NULL)
    return g_strdup_printf (_("%s port %u"), conn->host, conn->port);

  ip = format_inet_address (conn->address);
  if (g_hostname_is_ip_address (conn->host))
    return g_strdup_printf (_("%s port %u"), ip, g_inet_socket_address_get_port (conn->address));

  return g_strdup_printf (_("%s (%s) port %u"), conn->host, ip,
                          g_inet_socket_address_get_port (conn->address));
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

/* Connections */

static Connection *
connection_ref (Connection *conn)
{
  return g_rc_box_acquire (conn);
}

static void
connection_clear (gpointer data)
{
  Connection *conn = data;

  /* Only a detached connection can lose its last reference: detaching
   * destroys the sources and disconnects the handlers that point here. */
  g_assert (conn->session == NULL);
  g_assert (conn->connect_task == NULL);
  g_assert (conn->writable_source == NULL);
  g_assert (conn->read_source == NULL);
  g_assert (conn->connect_timer == NULL);
  g_assert (conn->response_timer == NULL);
  g_assert (conn->user_cancel_source == NULL);

  tincan_write_queue_clear (&conn->queue);
  g_clear_object (&conn->client);
  g_clear_object (&conn->enumerator);
  g_clear_object (&conn->address);
  g_clear_object (&conn->tls);
  g_clear_pointer (&conn->tls_problem, tincan_tls_problem_free);
  g_clear_object (&conn->input);
  g_clear_object (&conn->output);
  g_clear_object (&conn->stream);
  g_clear_pointer (&conn->decoder, tincan_decoder_free);
  g_clear_pointer (&conn->buffer, g_free);
  g_clear_pointer (&conn->framing, tincan_framing_unref);
  g_free (conn->host);
  g_free (conn->pinned);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->context, g_main_context_unref);
}

static void
connection_unref (Connection *conn)
{
  g_rc_box_release_full (conn, connection_clear);
}

static void
connection_unref_closure (gpointer  data,
                          GClosure *closure)
{
  connection_unref (data);
}

static Connection *
connection_new (TincanSession        *self,
                TincanConnectionMode  mode,
                TincanTransport       transport,
                const char           *host,
                guint                 port,
                TincanFraming        *framing)
{
  Connection *conn = g_rc_box_new0 (Connection);

  conn->session = self;
  conn->context = g_main_context_ref_thread_default ();
  conn->cancellable = g_cancellable_new ();
  conn->mode = mode;
  conn->transport = transport;
  conn->host = g_strdup (host);
  conn->port = (guint16) port;
  conn->framing = tincan_framing_ref (framing);
  conn->pinned = g_strdup (self->pinned);
  conn->connect_timeout_ms = self->connect_timeout;
  conn->response_timeout_ms = self->response_timeout;
  tincan_write_queue_init (&conn->queue);

  return conn;
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  Connection *conn = user_data;

  /* The TLS close_notify could not be sent (the peer does not read and the
   * socket is full). shutdown(), unlike close(), wakes up the thread that
   * waits on the socket, so that the close fails and finishes. */
  clear_source (&conn->close_timer);
  g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (conn->stream)),
                     TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

/* For the close callbacks: whatever happened, the socket is closed now. */
static void
connection_close_finish (Connection   *conn,
                         GAsyncResult *result)
{
  /* A failed TLS close (the peer is gone) is of no interest. */
  g_io_stream_close_finish (conn->stream, result, NULL);
  clear_source (&conn->close_timer);
  g_socket_close (g_socket_connection_get_socket (G_SOCKET_CONNECTION (conn->stream)), NULL);
}

static void
connection_close_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Connection *conn = user_data;

  connection_close_finish (conn, result);
  connection_unref (conn);
}

/* Closes the stream; @callback gets a reference to @conn and must call
 * connection_close_finish(). */
static void
connection_close_stream (Connection          *conn,
                         GAsyncReadyCallback  callback)
{
  g_assert (conn->stream != NULL);

  if (conn->tls != NULL)
    {
      conn->close_timer = g_timeout_source_new (CLOSE_TIMEOUT_MS);
      g_source_set_static_name (conn->close_timer, "[tincan] close timeout");
      g_source_set_callback (conn->close_timer, close_timeout_cb, connection_ref (conn),
                             (GDestroyNotify) connection_unref);
      g_source_attach (conn->close_timer, conn->context);
    }

  /* No cancellable: the close must happen even though the connection's I/O
   * is cancelled. For TLS it sends close_notify, for TCP it just closes. */
  g_io_stream_close_async (conn->stream, G_PRIORITY_DEFAULT, NULL,
                           callback, connection_ref (conn));
}

/* Stops everything the connection does and cuts it from the session. The
 * caller has dealt with the connect task. */
static void
connection_detach (Connection *conn)
{
  g_assert (conn->connect_task == NULL);

  conn->session = NULL;
  g_cancellable_cancel (conn->cancellable);

  clear_source (&conn->connect_timer);
  clear_source (&conn->user_cancel_source);
  clear_source (&conn->writable_source);
  clear_source (&conn->read_source);
  clear_source (&conn->response_timer);

  if (conn->tls != NULL && conn->accept_handler != 0)
    g_clear_signal_handler (&conn->accept_handler, conn->tls);

  if (!conn->closing && conn->stream != NULL)
    {
      conn->closing = TRUE;
      connection_close_stream (conn, connection_close_cb);
    }

  tincan_write_queue_clear (&conn->queue);
}

/* Batching and notification */

static void
batch_begin (TincanSession *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  self->depth++;
}

static guint64
bytes_queued (TincanSession *self)
{
  guint64 size = tincan_write_queue_unwritten (&self->per_message_queue);

  if (self->conn != NULL)
    size += tincan_write_queue_unwritten (&self->conn->queue);
  return size;
}

static void
notify_bytes_queued (TincanSession *self)
{
  guint64 size = bytes_queued (self);

  if (size != self->queued_told)
    {
      self->queued_told = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_QUEUED]);
    }
}

static void
batch_end (TincanSession *self)
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

      if (self->dirty & DIRTY_BYTES_SENT)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
      if (self->dirty & DIRTY_BYTES_RECEIVED)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
      if (self->dirty & DIRTY_MESSAGES_SENT)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_SENT]);
      if (self->dirty & DIRTY_MESSAGES_RECEIVED)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_RECEIVED]);
      self->dirty = 0;
      notify_bytes_queued (self);

      self->emitting = FALSE;
    }

  g_object_thaw_notify (G_OBJECT (self));

  /* Connect callbacks last, when the entries and the state are out. */
  if (self->depth == 0)
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

  g_object_unref (self);
}

static void
add_entry (TincanSession *self,
           TincanMessage *message)
{
  g_ptr_array_add (self->pending, message);
}

static void
add_text (TincanSession   *self,
          TincanDirection  direction,
          const char      *text)
{
  add_entry (self, tincan_message_new_text (direction, text));
}

static void
add_error (TincanSession *self,
           const GError  *error)
{
  add_entry (self, tincan_message_new_error (error));
}

static void
add_session_error (TincanSession            *self,
                   TincanSessionError        code,
                   const TincanErrorContext *context)
{
  g_autoptr(GError) error = tincan_session_error_new (code, context);

  add_error (self, error);
}

/* Sends that a disconnect or a failure dropped. */
static void
add_unsent (TincanSession *self,
            guint          unsent)
{
  TincanErrorContext context = { .count = unsent };

  add_session_error (self, TINCAN_SESSION_ERROR_UNSENT, &context);
}

static void
queue_task_return (TincanSession *self,
                   GTask         *task,
                   GError        *error)
{
  TaskReturn *ret = g_new0 (TaskReturn, 1);

  ret->task = task;
  ret->error = error;
  g_queue_push_tail (&self->task_returns, ret);
}

static void
set_state (TincanSession      *self,
           TincanSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_peer_address (TincanSession *self,
                  const char    *peer)
{
  if (g_strcmp0 (self->peer_address, peer) == 0)
    return;

  g_free (self->peer_address);
  self->peer_address = g_strdup (peer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_ADDRESS]);
}

static void
set_peer_closed (TincanSession *self,
                 gboolean       peer_closed)
{
  if (self->peer_closed == peer_closed)
    return;

  self->peer_closed = peer_closed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_CLOSED]);
}

static void
set_connected_since (TincanSession *self,
                     GDateTime     *since)
{
  if (self->connected_since == since)
    return;

  g_clear_pointer (&self->connected_since, g_date_time_unref);
  self->connected_since = since ? g_date_time_ref (since) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED_SINCE]);
}

static void
set_tls_problem (TincanSession    *self,
                 TincanTlsProblem *problem)
{
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  self->tls_problem = problem;
}

static void
reset_counters (TincanSession *self)
{
  if (self->bytes_sent != 0)
    self->dirty |= DIRTY_BYTES_SENT;
  if (self->bytes_received != 0)
    self->dirty |= DIRTY_BYTES_RECEIVED;
  if (self->messages_sent != 0)
    self->dirty |= DIRTY_MESSAGES_SENT;
  if (self->messages_received != 0)
    self->dirty |= DIRTY_MESSAGES_RECEIVED;

  self->bytes_sent = self->bytes_received = 0;
  self->messages_sent = self->messages_received = 0;
}

/* Ending connections */

/* Drops the current connection. @error (nullable) becomes an ERROR entry
 * unless @quiet; frames still queued are reported as not sent (persistent
 * mode: in per-message mode the error speaks for its one message); @status
 * (nullable) is added last. A pending connect task gets @error (or
 * CANCELLED). */
static void
session_drop_connection (TincanSession *self,
                         const GError  *error,
                         gboolean       quiet,
                         guint          extra_unsent,
                         const char    *status)
{
  Connection *conn = self->conn;
  guint unsent = extra_unsent;

  g_assert (conn != NULL);
  self->conn = NULL;

  if (error != NULL && !quiet)
    add_error (self, error);

  if (conn->mode == TINCAN_CONNECTION_PERSISTENT || extra_unsent > 0)
    unsent += tincan_write_queue_length (&conn->queue);
  if (unsent > 0)
    add_unsent (self, unsent);

  if (conn->connect_task != NULL)
    {
      GError *task_error;

      if (error != NULL)
        task_error = g_error_copy (error);
      else
        task_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("Disconnected before the connection was made"));
      queue_task_return (self, g_steal_pointer (&conn->connect_task), task_error);
    }

  connection_detach (conn);
  connection_unref (conn);

  if (status != NULL)
    add_text (self, TINCAN_DIRECTION_STATUS, status);

  set_state (self, TINCAN_SESSION_DISCONNECTED);
  set_connected_since (self, NULL);
}

/* The connection failed: end it; in per-message mode go on with the next
 * queued send. */
static void
session_fail (TincanSession *self,
              Connection    *conn,
              const GError  *error)
{
  gboolean per_message = conn->mode == TINCAN_CONNECTION_PER_MESSAGE;

  g_assert (self->conn == conn);

  session_drop_connection (self, error, FALSE, 0, NULL);
  if (per_message)
    per_message_start_next (self);
}

/* Connecting */

static void
connect_timeout_cb_finish (TincanSession *self,
                           Connection    *conn)
{
  TincanErrorContext context = {
    .host = conn->host, .port = conn->port, .msec = conn->connect_timeout_ms,
  };
  g_autoptr(GError) error = tincan_session_error_new (TINCAN_SESSION_ERROR_TIMED_OUT, &context);

  session_fail (self, conn, error);
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;

  clear_source (&conn->connect_timer);
  if (self == NULL || conn->connected)
    return G_SOURCE_REMOVE;

  /* Our own timer, not g_socket_client_set_timeout(), which would also time
   * out idle reads later. Ending the connection cancels the connect. */
  batch_begin (self);
  connect_timeout_cb_finish (self, conn);
  batch_end (self);

  return G_SOURCE_REMOVE;
}

static gboolean
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;
  g_autoptr(GError) error = NULL;

  clear_source (&conn->user_cancel_source);
  if (self == NULL || conn->connected)
    return G_SOURCE_REMOVE;

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Connecting to %s port %u was cancelled"), conn->host, conn->port);
  batch_begin (self);
  session_drop_connection (self, error, TRUE, 0, _("Disconnected"));
  batch_end (self);

  return G_SOURCE_REMOVE;
}

/* A connect failure as a TINCAN_SESSION_ERROR: the cause's own message
 * goes into the sentence. */
static GError *
make_connect_error (Connection   *conn,
                    const GError *cause)
{
  g_autofree char *endpoint = describe_endpoint (conn);
  g_autofree char *why = NULL;
  TincanErrorContext context = {
    .endpoint = endpoint, .host = conn->host, .port = conn->port, .cause = cause->message,
    .udp = conn->transport == TINCAN_TRANSPORT_UDP,
  };
  TincanSessionError code = tincan_session_error_from_connect (cause);

  if (conn->tls_problem != NULL && cause->domain == G_TLS_ERROR)
    {
      code = TINCAN_SESSION_ERROR_BAD_CERTIFICATE;
      why = tincan_tls_problem_describe (conn->tls_problem);
      context.detail = why;
    }

  if (g_error_matches (cause, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    context.cause = NULL;

  return tincan_session_error_new (code, &context);
}

/* A read or write failure as a TINCAN_SESSION_ERROR. */
static GError *
make_transfer_error (Connection   *conn,
                     const GError *cause,
                     gboolean      writing)
{
  g_autofree char *endpoint = describe_endpoint (conn);
  TincanErrorContext context = { .endpoint = endpoint, .cause = cause->message, .udp = TRUE };
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
connection_established (TincanSession     *self,
                        Connection        *conn,
                        GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *tls_version = NULL;

  clear_source (&conn->connect_timer);
  clear_source (&conn->user_cancel_source);

  conn->stream = G_IO_STREAM (connection);
  conn->input = g_object_ref (g_io_stream_get_input_stream (conn->stream));
  conn->output = g_object_ref (g_io_stream_get_output_stream (conn->stream));

  /* Reading drains and writing is done without blocking: both need
   * pollable streams, which sockets and GTlsConnection streams are. */
  if (!G_IS_POLLABLE_INPUT_STREAM (conn->input) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (conn->input)) ||
      !G_IS_POLLABLE_OUTPUT_STREAM (conn->output) ||
      !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (conn->output)))
    {
      g_autofree char *endpoint = describe_endpoint (conn);
      TincanErrorContext context = {
        .endpoint = endpoint, .cause = _("it cannot be used without blocking"),
      };
      g_autoptr(GError) error = NULL;

      error = tincan_session_error_new (TINCAN_SESSION_ERROR_CONNECT_FAILED, &context);
      session_fail (self, conn, error);
      return;
    }

  /* Each send is written as soon as possible already, gathered by us:
   * Nagle's algorithm would only hold a lone small message back. */
  if (conn->transport != TINCAN_TRANSPORT_UDP)
    g_socket_set_option (g_socket_connection_get_socket (connection),
                         IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    g_set_object (&conn->address, G_INET_SOCKET_ADDRESS (remote));

  if (conn->tls != NULL)
    {
      g_clear_signal_handler (&conn->accept_handler, conn->tls);
      tls_version = tls_version_name (g_tls_connection_get_protocol_version (conn->tls));
    }

  conn->connected = TRUE;
  conn->buffer = g_malloc (READ_BUFFER_SIZE);
  if (conn->transport != TINCAN_TRANSPORT_UDP)
    conn->decoder = tincan_decoder_new (conn->framing);

  if (conn->address != NULL)
    {
      g_autofree char *peer = tincan_format_socket_address (conn->address);

      set_peer_address (self, peer);
    }

  now = g_date_time_new_now_local ();
  set_connected_since (self, now);
  set_state (self, TINCAN_SESSION_CONNECTED);

  /* Per-message mode stays quiet: its transcript is the messages. */
  if (conn->mode == TINCAN_CONNECTION_PERSISTENT)
    {
      g_autofree char *endpoint = describe_endpoint (conn);
      g_autofree char *text = NULL;

      if (conn->transport == TINCAN_TRANSPORT_UDP)
        text = g_strdup_printf (_("Connected to %s (UDP)"), endpoint);
      else if (tls_version != NULL)
        text = g_strdup_printf (_("Connected to %s (%s)"), endpoint, tls_version);
      else
        text = g_strdup_printf (_("Connected to %s"), endpoint);
      add_text (self, TINCAN_DIRECTION_STATUS, text);
    }

  if (conn->connect_task != NULL)
    queue_task_return (self, g_steal_pointer (&conn->connect_task), NULL);

  connection_read (conn);
  connection_write (self, conn);
}

static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Connection *conn = user_data;
  g_autofree char *fingerprint = tincan_tls_certificate_dup_fingerprint (certificate);
  TincanTlsProblem *problem;

  if (conn->pinned != NULL && strcmp (fingerprint, conn->pinned) == 0)
    return TRUE;

  problem = tincan_tls_problem_new (certificate, errors, conn->host);

  g_clear_pointer (&conn->tls_problem, tincan_tls_problem_free);
  conn->tls_problem = problem;

  return FALSE;
}

static void
client_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;
  gboolean quiet = conn->mode == TINCAN_CONNECTION_PER_MESSAGE;

  if (self == NULL)
    return;

  batch_begin (self);

  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVING:
      set_state (self, TINCAN_SESSION_RESOLVING);
      if (!quiet && !g_hostname_is_ip_address (conn->host))
        {
          g_autofree char *text = g_strdup_printf (_("Resolving %s…"), conn->host);

          add_text (self, TINCAN_DIRECTION_STATUS, text);
        }
      break;

    case G_SOCKET_CLIENT_CONNECTING:
      {
        g_autoptr(GSocketAddress) address = NULL;

        set_state (self, TINCAN_SESSION_CONNECTING);

        /* The address being tried, so that a refusal can name it. */
        if (G_IS_SOCKET_CONNECTION (connection))
          address = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
        if (G_IS_INET_SOCKET_ADDRESS (address))
          {
            g_autofree char *peer = NULL;

            g_set_object (&conn->address, G_INET_SOCKET_ADDRESS (address));
            peer = tincan_format_socket_address (conn->address);
            set_peer_address (self, peer);
          }

        if (!quiet)
          {
            g_autofree char *endpoint = describe_endpoint (conn);
            g_autofree char *text = g_strdup_printf (_("Connecting to %s…"), endpoint);

            add_text (self, TINCAN_DIRECTION_STATUS, text);
          }
      }
      break;

    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
      set_state (self, TINCAN_SESSION_TLS_HANDSHAKE);
      if (G_IS_TLS_CLIENT_CONNECTION (connection))
        {
          if (conn->tls != NULL && conn->accept_handler != 0)
            g_clear_signal_handler (&conn->accept_handler, conn->tls);
          g_set_object (&conn->tls, G_TLS_CONNECTION (connection));
          /* The handler holds a reference: it can run in a handshake that
           * outlives a detached connection. */
          conn->accept_handler =
            g_signal_connect_data (connection, "accept-certificate",
                                   G_CALLBACK (accept_certificate_cb), connection_ref (conn),
                                   connection_unref_closure, 0);
        }
      break;

    case G_SOCKET_CLIENT_RESOLVED:
    case G_SOCKET_CLIENT_CONNECTED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    case G_SOCKET_CLIENT_COMPLETE:
    default:
      break;
    }

  batch_end (self);
}

static void
client_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  TincanSession *self;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_signal_handlers_disconnect_by_func (source, client_event_cb, conn);

  self = conn->session;
  if (self == NULL)
    {
      /* Detached meanwhile: dropping the connection closes its socket. */
      connection_unref (conn);
      return;
    }

  batch_begin (self);

  if (connection != NULL)
    {
      connection_established (self, conn, g_steal_pointer (&connection));
    }
  else
    {
      g_autoptr(GError) sentence = make_connect_error (conn, error);

      if (sentence->domain == TINCAN_SESSION_ERROR &&
          sentence->code == TINCAN_SESSION_ERROR_BAD_CERTIFICATE)
        set_tls_problem (self, g_steal_pointer (&conn->tls_problem));

      session_fail (self, conn, sentence);
    }

  batch_end (self);
  connection_unref (conn);
}

static void
udp_resolved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  TincanSession *self;

  address = g_socket_address_enumerator_next_finish (G_SOCKET_ADDRESS_ENUMERATOR (source),
                                                     result, &error);
  self = conn->session;
  if (self == NULL)
    {
      connection_unref (conn);
      return;
    }

  batch_begin (self);

  if (address == NULL && error == NULL)
    error = g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                         _("No address found for %s"), conn->host);

  if (address != NULL)
    {
      if (G_IS_INET_SOCKET_ADDRESS (address))
        {
          g_autofree char *peer = NULL;

          g_set_object (&conn->address, G_INET_SOCKET_ADDRESS (address));
          peer = tincan_format_socket_address (conn->address);
          set_peer_address (self, peer);
        }
      set_state (self, TINCAN_SESSION_CONNECTING);

      /* A connected UDP socket: the kernel filters datagrams from other
       * peers, and an ICMP port unreachable comes back as ECONNREFUSED. */
      socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                             G_SOCKET_PROTOCOL_UDP, &error);
      if (socket != NULL && !g_socket_connect (socket, address, conn->cancellable, &error))
        g_clear_object (&socket);
    }

  if (socket != NULL)
    {
      connection_established (self, conn,
                              g_socket_connection_factory_create_connection (socket));
    }
  else
    {
      g_autoptr(GError) sentence = make_connect_error (conn, error);

      session_fail (self, conn, sentence);
    }

  batch_end (self);
  connection_unref (conn);
}

static void
connection_start (TincanSession *self,
                  Connection    *conn)
{
  g_autoptr(GSocketConnectable) connectable = NULL;

  g_assert (self->conn == NULL);
  self->conn = conn;
  session_ensure_flush (self, conn->context);

  set_tls_problem (self, NULL);
  set_peer_closed (self, FALSE);
  set_peer_address (self, NULL);
  set_connected_since (self, NULL);
  set_state (self, TINCAN_SESSION_RESOLVING);

  if (conn->connect_timeout_ms > 0)
    {
      conn->connect_timer = g_timeout_source_new (conn->connect_timeout_ms);
      g_source_set_static_name (conn->connect_timer, "[tincan] connect timeout");
      g_source_set_callback (conn->connect_timer, connect_timeout_cb, connection_ref (conn),
                             (GDestroyNotify) connection_unref);
      g_source_attach (conn->connect_timer, conn->context);
    }

  /* IPv6 literals ("::1") work as they are; brackets were removed by the
   * target parser. */
  connectable = g_network_address_new (conn->host, conn->port);

  if (conn->transport == TINCAN_TRANSPORT_UDP)
    {
      if (conn->mode == TINCAN_CONNECTION_PERSISTENT && !g_hostname_is_ip_address (conn->host))
        {
          g_autofree char *text = g_strdup_printf (_("Resolving %s…"), conn->host);

          add_text (self, TINCAN_DIRECTION_STATUS, text);
        }
      conn->enumerator = g_socket_connectable_enumerate (connectable);
      g_socket_address_enumerator_next_async (conn->enumerator, conn->cancellable,
                                              udp_resolved_cb, connection_ref (conn));
      return;
    }

  /* Happy Eyeballs and the proxy resolver come with GSocketClient; the
   * TLS validation flags stay at their default (validate everything). */
  conn->client = g_socket_client_new ();
  if (conn->transport == TINCAN_TRANSPORT_TLS)
    g_socket_client_set_tls (conn->client, TRUE);
  g_signal_connect (conn->client, "event", G_CALLBACK (client_event_cb), conn);
  g_socket_client_connect_async (conn->client, connectable, conn->cancellable,
                                 client_connect_cb, connection_ref (conn));
}

/* Reading */

typedef struct
{
  TincanSession *self;
  Connection    *conn;
  const guint8  *chunk;
  gsize          chunk_length;
} FrameContext;

/* The first @length bytes of the read buffer become a message's storage
 * instead of being copied, and reading goes on in a new buffer. Shrinking a
 * block in place does not copy. */
static GBytes *
steal_buffer (Connection *conn,
              gsize       length)
{
  guint8 *owned = length < READ_BUFFER_SIZE ? g_realloc (conn->buffer, length) : conn->buffer;

  conn->buffer = g_malloc (READ_BUFFER_SIZE);
  return g_bytes_new_take (owned, length);
}

static void
frame_cb (const guint8     *data,
          gsize             length,
          TincanFrameFlags  flags,
          gpointer          user_data)
{
  FrameContext *ctx = user_data;
  Connection *conn = ctx->conn;
  TincanMessageFlags message_flags = TINCAN_MESSAGE_NONE;
  TincanMessage *message;

  if (flags & TINCAN_FRAME_PARTIAL)
    message_flags |= TINCAN_MESSAGE_PARTIAL;
  if (flags & TINCAN_FRAME_TRUNCATED)
    message_flags |= TINCAN_MESSAGE_TRUNCATED;

  if (data == ctx->chunk && length == ctx->chunk_length && length >= STEAL_THRESHOLD &&
      data == conn->buffer && flags == TINCAN_FRAME_COMPLETE &&
      tincan_framing_get_kind (conn->framing) == TINCAN_FRAMING_RAW)
    {
      /* A raw chunk that is one whole message: the decoder is done with
       * the buffer (nothing follows the frame). */
      g_autoptr(GBytes) bytes = steal_buffer (conn, length);

      ctx->chunk = NULL;
      message = tincan_message_new (TINCAN_DIRECTION_RECEIVED, message_flags, bytes);
    }
  else
    {
      message = tincan_message_new_take_data (TINCAN_DIRECTION_RECEIVED, message_flags,
                                              data, length);
    }

  add_entry (ctx->self, message);
  ctx->self->messages_received++;
  ctx->self->dirty |= DIRTY_MESSAGES_RECEIVED;

  conn->reply_frames++;
  if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE && conn->awaiting_reply &&
      tincan_framing_get_kind (conn->framing) != TINCAN_FRAMING_RAW &&
      (flags == TINCAN_FRAME_COMPLETE || (flags & TINCAN_FRAME_FINAL)))
    conn->reply_done = TRUE;
}

static void
datagram_received (TincanSession *self,
                   Connection    *conn,
                   gsize          length)
{
  TincanMessage *message;

  if (length >= STEAL_THRESHOLD)
    {
      g_autoptr(GBytes) bytes = steal_buffer (conn, length);

      message = tincan_message_new (TINCAN_DIRECTION_RECEIVED, TINCAN_MESSAGE_NONE, bytes);
    }
  else
    {
      message = tincan_message_new_take_data (TINCAN_DIRECTION_RECEIVED, TINCAN_MESSAGE_NONE,
                                              conn->buffer, length);
    }

  add_entry (self, message);
  self->messages_received++;
  self->dirty |= DIRTY_MESSAGES_RECEIVED;

  conn->reply_frames++;
  if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE && conn->awaiting_reply)
    conn->reply_done = TRUE;
}

static gboolean response_timeout_cb (gpointer user_data);

/* Per-message mode: the server closed after our frame was out. Without
 * raw framing, no byte back means there was no reply. */
static void
per_message_closed_by_peer (TincanSession *self,
                   Connection    *conn)
{
  if (conn->reply_bytes == 0 && tincan_framing_get_kind (conn->framing) != TINCAN_FRAMING_RAW)
    add_session_error (self, TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY, NULL);
  per_message_finish (self, conn);
}

static void
restart_response_timer (Connection *conn)
{
  clear_source (&conn->response_timer);

  conn->response_timer = g_timeout_source_new (MAX (conn->response_timeout_ms, 1));
  g_source_set_static_name (conn->response_timer, "[tincan] response timeout");
  g_source_set_callback (conn->response_timer, response_timeout_cb, connection_ref (conn),
                         (GDestroyNotify) connection_unref);
  g_source_attach (conn->response_timer, conn->context);
}

static void
finish_decoder (TincanSession *self,
                Connection    *conn)
{
  FrameContext ctx = { self, conn, NULL, 0 };

  if (conn->decoder != NULL)
    tincan_decoder_finish (conn->decoder, frame_cb, &ctx);
}

static void
handle_eof (TincanSession *self,
            Connection    *conn)
{
  conn->eof = TRUE;

  /* What had arrived of an unfinished frame goes out flagged PARTIAL. */
  finish_decoder (self, conn);

  if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE)
    {
      /* Before our frame is out, wait for it: the reply is then complete
       * at once (see account_written()). */
      if (conn->awaiting_reply)
        {
          per_message_closed_by_peer (self, conn);
        }
      return;
    }

  /* TCP half-close: the server is done sending, but may still read. The
   * connection stays open for sending; if the server closed completely, the
   * next write fails and says so. */
  add_text (self, TINCAN_DIRECTION_STATUS,
            _("The server closed its side of the connection; nothing more will arrive"));
  set_peer_closed (self, TRUE);
}

static void
handle_read_error (TincanSession *self,
                   Connection    *conn,
                   const GError  *error)
{
  g_autoptr(GError) sentence = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A TLS peer that closes the TCP connection without close_notify: treat
   * it as the end of the stream, like most clients do. */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    {
      handle_eof (self, conn);
      return;
    }

  finish_decoder (self, conn);

  sentence = make_transfer_error (conn, error, FALSE);
  session_fail (self, conn, sentence);
}

/* One chunk read: count it, decode it. */
static void
process_chunk (TincanSession *self,
               Connection    *conn,
               gsize          length)
{
  self->bytes_received += length;
  self->dirty |= DIRTY_BYTES_RECEIVED;
  conn->reply_bytes += length;

  if (conn->transport == TINCAN_TRANSPORT_UDP)
    {
      datagram_received (self, conn, length);
    }
  else
    {
      FrameContext ctx = { self, conn, conn->buffer, length };

      tincan_decoder_feed (conn->decoder, conn->buffer, length, frame_cb, &ctx);
    }
}

/* Takes @first_error. */
static void
handle_input (TincanSession *self,
              Connection    *conn,
              gssize         n,
              GError        *first_error)
{
  g_autoptr(GError) error = first_error;
  gboolean udp = conn->transport == TINCAN_TRANSPORT_UDP;
  /* A TLS read returns one record at most, and may leave decrypted bytes
   * behind that poll() cannot see. */
  gboolean always_drain = udp || conn->tls != NULL;
  guint reads = 1;
  gsize total = 0;

  for (;;)
    {
      if (n < 0)
        {
          conn->read_stopped = TRUE;
          handle_read_error (self, conn, error);
          return;
        }

      /* For UDP, 0 bytes is an empty datagram, not the end. */
      if (n == 0 && !udp)
        {
          conn->read_stopped = TRUE;
          handle_eof (self, conn);
          return;
        }

      total += (gsize) n;
      process_chunk (self, conn, (gsize) n);

      if (conn->reply_done)
        {
          conn->read_stopped = TRUE;
          per_message_finish (self, conn);
          return;
        }

      /* A short read emptied the socket: do not ask again for nothing. */
      if (reads >= READS_PER_DISPATCH || total >= READ_BYTES_PER_DISPATCH ||
          (!always_drain && n < READ_BUFFER_SIZE))
        break;

      g_clear_error (&error);
      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (conn->input),
                                                    conn->buffer, READ_BUFFER_SIZE,
                                                    NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      reads++;
    }

  if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE && conn->awaiting_reply)
    restart_response_timer (conn);
}

static gboolean
read_ready_cb (GObject  *stream,
               gpointer  user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;
  GError *error = NULL;
  gssize n;

  if (self == NULL || conn->closing || conn->read_stopped)
    {
      clear_source (&conn->read_source);
      return G_SOURCE_REMOVE;
    }

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (conn->input),
                                                conn->buffer, READ_BUFFER_SIZE, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_error_free (error);
      return G_SOURCE_CONTINUE;
    }

  batch_begin (self);
  handle_input (self, conn, n, error);
  batch_end (self);

  /* The session may be gone now; the connection is still ours. */
  if (conn->read_stopped || conn->read_source == NULL)
    {
      clear_source (&conn->read_source);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* One source for the whole connection, rather than a read_async per read:
 * no GTask and no source to create per read, and no read that is bound to
 * find nothing. The source fires while the stream is readable.
 *
 * It runs below GTK's redraw priority (G_PRIORITY_HIGH_IDLE + 20): under a
 * flood the stream is always readable, and at the default priority reading
 * would starve painting; this way every frame gets drawn and reading takes
 * the time in between. */
static void
connection_read (Connection *conn)
{
  g_assert (conn->read_source == NULL);

  conn->read_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (conn->input), NULL);
  g_source_set_static_name (conn->read_source, "[tincan] read");
  g_source_set_priority (conn->read_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (conn->read_source, G_SOURCE_FUNC (read_ready_cb),
                         connection_ref (conn), (GDestroyNotify) connection_unref);
  g_source_attach (conn->read_source, conn->context);
}

/* Writing */

static gboolean
writable_cb (GObject  *stream,
             gpointer  user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;

  clear_source (&conn->writable_source);
  if (self == NULL || conn->closing)
    return G_SOURCE_REMOVE;

  batch_begin (self);
  connection_write (self, conn);
  batch_end (self);

  return G_SOURCE_REMOVE;
}

static void
wait_until_writable (Connection *conn)
{
  g_assert (conn->writable_source == NULL);

  conn->writable_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (conn->output), NULL);
  g_source_set_static_name (conn->writable_source, "[tincan] writable");
  g_source_set_callback (conn->writable_source, G_SOURCE_FUNC (writable_cb),
                         connection_ref (conn), (GDestroyNotify) connection_unref);
  g_source_attach (conn->writable_source, conn->context);

  /* Per-message mode: a server that stops reading must not hold the
   * exchange, and the sends queued behind it, forever. No progress for the
   * response timeout ends it (see response_timeout_cb()). */
  if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE && !conn->awaiting_reply)
    restart_response_timer (conn);
}

/* Whether the flush source should run the writer. */
static gboolean
write_wanted (TincanSession *self)
{
  Connection *conn = self->conn;

  return conn != NULL && conn->connected && !conn->closing && conn->writable_source == NULL &&
         tincan_write_queue_length (&conn->queue) > 0;
}

/* The flush source: writes what send() queued and emits what send() wrote,
 * in a dispatch of its own. Its prepare() looks at the session, so arming it
 * costs nothing (no wakeup write, no source to attach per send). */

typedef struct
{
  GSource        source;
  TincanSession *session;   /* unowned; NULL once the session is disposed */
} FlushSource;

static gboolean
flush_ready (FlushSource *flush,
             gint        *timeout)
{
  TincanSession *self = flush->session;
  gint64 remaining;

  if (timeout != NULL)
    *timeout = -1;
  if (self == NULL)
    return FALSE;

  if (write_wanted (self))
    {
      if (timeout != NULL)
        *timeout = 0;
      return TRUE;
    }

  if (self->early_since == 0)
    return FALSE;

  remaining = self->early_since + EARLY_FLUSH_DELAY_US - g_source_get_time (&flush->source);
  if (remaining <= 0)
    {
      if (timeout != NULL)
        *timeout = 0;
      return TRUE;
    }

  if (timeout != NULL)
    *timeout = (gint) ((remaining + 999) / 1000);
  return FALSE;
}

static gboolean
flush_prepare (GSource *source,
               gint    *timeout)
{
  return flush_ready ((FlushSource *) source, timeout);
}

static gboolean
flush_check (GSource *source)
{
  return flush_ready ((FlushSource *) source, NULL);
}

static gboolean
flush_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  TincanSession *self = ((FlushSource *) source)->session;

  if (self == NULL)
    return G_SOURCE_CONTINUE;

  batch_begin (self);
  if (write_wanted (self))
    connection_write (self, self->conn);
  batch_end (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  flush_prepare,
  flush_check,
  flush_dispatch,
  NULL, NULL, NULL
};

static void
session_ensure_flush (TincanSession *self,
                      GMainContext  *context)
{
  if (self->flush_source != NULL && g_source_get_context (self->flush_source) == context)
    return;

  if (self->flush_source != NULL)
    {
      ((FlushSource *) self->flush_source)->session = NULL;
      clear_source (&self->flush_source);
    }

  self->flush_source = g_source_new (&flush_source_funcs, sizeof (FlushSource));
  ((FlushSource *) self->flush_source)->session = self;
  g_source_set_static_name (self->flush_source, "[tincan] flush");
  g_source_attach (self->flush_source, context);
}

/* @written more bytes went out: report the frames that are now complete. */
static void
account_written (TincanSession *self,
                 Connection    *conn,
                 gsize          written)
{
  gboolean udp_done = FALSE;
  TincanWriteItem *item;

  self->bytes_sent += written;
  if (written > 0)
    self->dirty |= DIRTY_BYTES_SENT;

  while (!udp_done && (item = tincan_write_queue_advance (&conn->queue, &written)) != NULL)
    {
      /* A datagram is written whole or not at all, one per call: an empty
       * one behind it was not written by this call. */
      udp_done = conn->transport == TINCAN_TRANSPORT_UDP;

      add_entry (self, tincan_message_new (TINCAN_DIRECTION_SENT, TINCAN_MESSAGE_NONE,
                                           item->payload));
      self->messages_sent++;
      self->dirty |= DIRTY_MESSAGES_SENT;
      tincan_write_item_free (item);

      if (conn->mode == TINCAN_CONNECTION_PER_MESSAGE)
        {
          conn->awaiting_reply = TRUE;
          if (conn->eof)
            {
              per_message_closed_by_peer (self, conn);
              return;
            }
          /* Frames that came before ours was out do not count as the reply. */
          restart_response_timer (conn);
        }
    }
}

static void
handle_write_error (TincanSession *self,
                    Connection    *conn,
                    const GError  *error)
{
  g_autoptr(GError) sentence = make_transfer_error (conn, error, TRUE);

  session_fail (self, conn, sentence);
}

/* One write of the frames at the head of the queue, without blocking. */
static GPollableReturn
write_once (Connection  *conn,
            gsize       *written,
            gsize       *total,
            GError     **error)
{
  return tincan_write_queue_write (&conn->queue, conn->stream,
                                   conn->transport == TINCAN_TRANSPORT_UDP,
                                   written, total, error);
}

static void
connection_write (TincanSession *self,
                  Connection    *conn)
{
  gsize this_dispatch = 0;

  if (!conn->connected || conn->closing || conn->writable_source != NULL)
    return;

  while (tincan_write_queue_length (&conn->queue) > 0)
    {
      g_autoptr(GError) error = NULL;
      gsize written;
      gsize total;
      GPollableReturn ret;

      ret = write_once (conn, &written, &total, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          wait_until_writable (conn);
          return;
        }
      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          handle_write_error (self, conn, error);
          return;
        }

      this_dispatch += written;
      account_written (self, conn, written);

      /* Accounting may have ended a per-message exchange. */
      if (self->conn != conn || conn->closing)
        return;

      if (written < total)
        {
          wait_until_writable (conn);
          return;
        }

      /* Let the UI paint; the flush source goes on in the next dispatch. */
      if (this_dispatch >= WRITE_BYTES_PER_DISPATCH)
        return;
    }
}

/* Per-message mode */

static void
per_message_close_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;

  connection_close_finish (conn, result);

  if (self != NULL && self->conn == conn)
    {
      batch_begin (self);
      session_drop_connection (self, NULL, TRUE, 0, NULL);
      per_message_start_next (self);
      batch_end (self);
    }

  connection_unref (conn);
}

/* The reply is complete (or will not come): close, then the next send. */
static void
per_message_finish (TincanSession *self,
           Connection    *conn)
{
  g_assert (conn->mode == TINCAN_CONNECTION_PER_MESSAGE);

  if (conn->closing)
    return;

  conn->closing = TRUE;
  clear_source (&conn->response_timer);
  clear_source (&conn->writable_source);
  clear_source (&conn->read_source);
  g_cancellable_cancel (conn->cancellable);
  set_state (self, TINCAN_SESSION_CLOSING);

  connection_close_stream (conn, per_message_close_cb);
}

static gboolean
response_timeout_cb (gpointer user_data)
{
  Connection *conn = user_data;
  TincanSession *self = conn->session;
  TincanErrorContext context = { .msec = conn->response_timeout_ms };

  clear_source (&conn->response_timer);
  if (self == NULL || conn->closing)
    return G_SOURCE_REMOVE;

  batch_begin (self);

  if (!conn->awaiting_reply)
    {
      /* Our frame is still being written: the server stopped reading. */
      add_session_error (self, TINCAN_SESSION_ERROR_SEND_STALLED, &context);
      per_message_finish (self, conn);
      batch_end (self);

      return G_SOURCE_REMOVE;
    }

  if (conn->transport != TINCAN_TRANSPORT_UDP &&
      tincan_framing_get_kind (conn->framing) == TINCAN_FRAMING_RAW)
    {
      /* Raw framing cannot tell where a reply ends: silence ends it, and is
       * no failure. */
      if (conn->reply_bytes == 0)
        {
          g_autofree char *text = NULL;

          text = tincan_session_error_describe (TINCAN_SESSION_ERROR_NO_REPLY, &context);
          add_text (self, TINCAN_DIRECTION_STATUS, text);
        }
    }
  else
    {
      finish_decoder (self, conn);
      add_session_error (self, TINCAN_SESSION_ERROR_NO_REPLY, &context);
    }

  per_message_finish (self, conn);
  batch_end (self);

  return G_SOURCE_REMOVE;
}

static void
per_message_start_next (TincanSession *self)
{
  TincanWriteItem *item;
  Connection *conn;

  if (self->conn != NULL || self->disposed)
    return;

  item = tincan_write_queue_pop (&self->per_message_queue);
  if (item == NULL)
    return;

  conn = connection_new (self, TINCAN_CONNECTION_PER_MESSAGE, item->transport, item->host,
                         item->port, item->framing);
  tincan_write_queue_push (&conn->queue, item);
  connection_start (self, conn);
}

/* GObject */

static void
tincan_session_dispose (GObject *object)
{
  TincanSession *self = TINCAN_SESSION (object);

  self->disposed = TRUE;

  if (self->conn != NULL)
    {
      Connection *conn = g_steal_pointer (&self->conn);

      /* Only reachable through g_object_run_dispose(): a pending connect
       * task holds a reference. Its callback still gets a reply. */
      if (conn->connect_task != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&conn->connect_task);

          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("Disconnected before the connection was made"));
        }
      connection_detach (conn);
      connection_unref (conn);
    }

  tincan_write_queue_clear (&self->per_message_queue);
  if (self->pending != NULL)
    g_ptr_array_set_size (self->pending, 0);

  if (self->flush_source != NULL)
    {
      ((FlushSource *) self->flush_source)->session = NULL;
      clear_source (&self->flush_source);
    }

  G_OBJECT_CLASS (tincan_session_parent_class)->dispose (object);
}

static void
tincan_session_finalize (GObject *object)
{
  TincanSession *self = TINCAN_SESSION (object);

  g_assert (g_queue_is_empty (&self->task_returns));

  g_free (self->host);
  g_clear_pointer (&self->framing, tincan_framing_unref);
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
      g_value_set_uint64 (value, bytes_queued (self));
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

  return bytes_queued (self);
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
  Connection *conn;

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

  if (self->conn != NULL)
    {
      g_task_return_error (task, tincan_session_error_new (TINCAN_SESSION_ERROR_BUSY, NULL));
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  batch_begin (self);

  reset_counters (self);
  conn = connection_new (self, TINCAN_CONNECTION_PERSISTENT, self->transport, self->host,
                         self->port, self->framing);
  conn->connect_task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      conn->user_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (conn->user_cancel_source, "[tincan] connect cancelled");
      g_source_set_callback (conn->user_cancel_source, G_SOURCE_FUNC (user_cancelled_cb),
                             connection_ref (conn), (GDestroyNotify) connection_unref);
      g_source_attach (conn->user_cancel_source, conn->context);
    }

  connection_start (self, conn);

  batch_end (self);
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
  guint64 queued = bytes_queued (self);
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
  Connection *conn;
  TincanConnectionMode mode;
  TincanTransport transport;
  TincanFraming *framing;
  g_autoptr(GBytes) frame = NULL;
  TincanWriteItem *item;

  g_return_val_if_fail (TINCAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = self->conn;
  mode = conn != NULL ? conn->mode : self->mode;

  if (mode == TINCAN_CONNECTION_PERSISTENT)
    {
      if (conn == NULL)
        {
          g_propagate_error (error,
                             tincan_session_error_new (TINCAN_SESSION_ERROR_NOT_CONNECTED, NULL));
          return FALSE;
        }
      transport = conn->transport;
      framing = conn->framing;
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

  if (mode == TINCAN_CONNECTION_PERSISTENT)
    {
      tincan_write_queue_push (&conn->queue, item);

      /* Alone in the queue and nothing waiting to be reported: write it now,
       * which spares a dispatch. Its SENT entry still goes out from a
       * dispatch (see flush_ready()), usually with the reply. Anything but
       * a complete write is left to the flush source, errors included. */
      if (tincan_write_queue_length (&conn->queue) == 1 && self->early_since == 0 &&
          conn->connected && !conn->closing && conn->writable_source == NULL)
        {
          gsize written;
          gsize total;

          if (write_once (conn, &written, &total, NULL) == G_POLLABLE_RETURN_OK)
            {
              account_written (self, conn, written);
              if (self->pending->len > 0 && self->depth == 0)
                self->early_since = g_get_monotonic_time ();
            }
        }
      notify_bytes_queued (self);
      return TRUE;
    }

  item->host = g_strdup (self->host);
  item->port = self->port;
  item->transport = self->transport;
  item->framing = tincan_framing_ref (self->framing);
  tincan_write_queue_push (&self->per_message_queue, item);

  batch_begin (self);
  per_message_start_next (self);
  batch_end (self);

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

  if (self->conn == NULL && tincan_write_queue_length (&self->per_message_queue) == 0)
    return;

  batch_begin (self);

  unsent = tincan_write_queue_length (&self->per_message_queue);
  tincan_write_queue_clear (&self->per_message_queue);

  if (self->conn != NULL)
    {
      session_drop_connection (self, NULL, TRUE, unsent, _("Disconnected"));
    }
  else
    {
      add_unsent (self, unsent);
      add_text (self, TINCAN_DIRECTION_STATUS, _("Disconnected"));
    }

  batch_end (self);
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

/* Tests and fuzzing */

/**
 * _tincan_session_feed_for_testing:
 * @self: a disconnected session, or one that this function connected
 * @data: (array length=len): bytes as if read from the peer
 * @len: length of @data
 * @eof: whether the peer then closes its side
 *
 * For tests and fuzz targets only (see tincan-session-private.h): runs
 * @data through the code a socket read runs (handle_input(), so
 * process_chunk(), the decoder and frame_cb(); with @eof, handle_eof() and
 * finish_decoder()), with no socket. The first call makes a fake persistent
 * TCP connection with the session's framing: no stream, no sources, nothing
 * to write to (so do not send() on it). @data is cut into reads shorter
 * than the read buffer, each one handle_input() call, since a full buffer
 * would make handle_input() read the (missing) stream again. Entries go
 * out in one "messages" batch per call, as after one read dispatch.
 * Feeding after @eof is a programming error.
 */
void
_tincan_session_feed_for_testing (TincanSession *self,
                                  const guint8  *data,
                                  gsize          len,
                                  gboolean       eof)
{
  Connection *conn;

  g_return_if_fail (TINCAN_IS_SESSION (self));
  g_return_if_fail (data != NULL || len == 0);

  if (self->conn == NULL)
    {
      conn = connection_new (self, TINCAN_CONNECTION_PERSISTENT, TINCAN_TRANSPORT_TCP,
                             self->host, self->port, self->framing);
      conn->connected = TRUE;
      conn->buffer = g_malloc (READ_BUFFER_SIZE);
      conn->decoder = tincan_decoder_new (conn->framing);
      self->conn = conn;
      reset_counters (self);
    }
  conn = self->conn;
  g_return_if_fail (conn->input == NULL && conn->decoder != NULL);
  g_return_if_fail (!conn->read_stopped);

  batch_begin (self);
  set_state (self, TINCAN_SESSION_CONNECTED);
  while (len > 0)
    {
      gsize n = MIN (len, READ_BUFFER_SIZE - 1);

      memcpy (conn->buffer, data, n);
      handle_input (self, conn, (gssize) n, NULL);
      data += n;
      len -= n;
    }
  if (eof)
    handle_input (self, conn, 0, NULL);
  batch_end (self);
}
