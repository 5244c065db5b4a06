/* tincan-session-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the files of TincanSession share (tincan-session.c: the GObject,
 * its properties and accessors; tincan-session-batch.c: batching entries and
 * notifications; tincan-session-io.c: connect, send, disconnect and what the
 * connection tells; tincan-per-message.c: per-message mode), and hooks for tests and
 * fuzz targets. Nothing in the application may include it. */

#pragma once

#include "tincan-connection.h"
#include "tincan-connector.h"
#include "tincan-error-text.h"
#include "tincan-session.h"
#include "tincan-write-queue.h"

G_BEGIN_DECLS

/* Per-message mode: the one exchange under way. */
typedef struct
{
  gboolean  awaiting_reply;  /* our frame is sent */
  gboolean  reply_done;
  gboolean  eof;             /* the server closed its side */
  guint64   reply_bytes;
  GSource  *response_timer;
} TincanExchange;

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
  PROP_NO_PROXY,
  PROP_PROXY,
  N_PROPS
};


enum {
  SIGNAL_MESSAGES,
  N_SIGNALS
};

extern GParamSpec *_tincan_session_properties[N_PROPS];
extern guint       _tincan_session_signals[N_SIGNALS];

enum {
  TINCAN_SESSION_DIRTY_BYTES_SENT        = 1 << 0,
  TINCAN_SESSION_DIRTY_BYTES_RECEIVED    = 1 << 1,
  TINCAN_SESSION_DIRTY_MESSAGES_SENT     = 1 << 2,
  TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED = 1 << 3,
};

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
  gboolean              no_proxy;
  GProxyResolver       *proxy_resolver;     /* tests: instead of the default */
  char                 *pinned;

  /* State */
  TincanSessionState    state;
  char                 *peer_address;
  char                 *proxy;              /* "HTTP proxy 127.0.0.1:3128", or NULL */
  gboolean              peer_closed;
  guint64               bytes_sent;
  guint64               bytes_received;
  guint64               messages_sent;
  guint64               messages_received;
  GDateTime            *connected_since;
  TincanTlsProblem     *tls_problem;
  TincanTlsProblem     *accepted_tls_problem; /* of the connection open now */

  /* The connection being made (connector) or in use (connection); "active"
   * while either is set. The active_* fields are what it was made with. */
  TincanConnectionMode  active_mode;
  TincanTransport       active_transport;
  TincanFraming        *active_framing;
  TincanConnector      *connector;
  GCancellable         *connect_cancellable;
  GTask                *connect_task;       /* persistent mode's connect_async() */
  GSource              *user_cancel_source;
  TincanConnection     *connection;
  char                 *endpoint;           /* for sentences, once connected */
  TincanWriteQueue      waiting;            /* sent before the connection is made */
  TincanExchange        exchange;
  TincanWriteQueue      per_message_queue;  /* sends not started */
  guint64               connection_id;      /* of the active connection, 0 when none */
  TincanConnectionInfo *connection_info;    /* of the active connection, once made */
  gint64                connect_began;      /* monotonic: the last connect attempt began */
  gint64                last_sent;          /* monotonic: the last SENT not yet answered, or 0 */

  guint64               queued_told;        /* bytes-queued as last notified */
  GSource              *early_source;       /* EarlySource */
  gint64                early_since;        /* SENT entries added by send() wait since then */

  /* Batching */
  GPtrArray            *pending;            /* TincanMessage */
  GQueue                task_returns;       /* TaskReturn */
  guint                 depth;
  guint                 dirty;              /* TINCAN_SESSION_DIRTY_*: changed in this batch */
  gboolean              emitting;
  gboolean              disposed;
};

/* tincan-session-batch.c */
void     _tincan_session_batch_begin       (TincanSession      *self);
void     _tincan_session_batch_end         (TincanSession      *self);
void     _tincan_session_add_message       (TincanSession      *self,
                                            TincanMessage      *message);
void     _tincan_session_add_reply         (TincanSession      *self,
                                            TincanMessage      *message,
                                            gint64              rtt);
void     _tincan_session_add_status        (TincanSession      *self,
                                            const char         *text);
void     _tincan_session_add_error         (TincanSession      *self,
                                            TincanSessionError  code,
                                            const TincanErrorContext *context);
void     _tincan_session_add_unsent        (TincanSession      *self,
                                            guint               unsent);
void     _tincan_session_queue_task_return (TincanSession      *self,
                                            GTask              *task,
                                            GError             *error);
void     _tincan_session_set_state         (TincanSession      *self,
                                            TincanSessionState  state);
void     _tincan_session_set_peer_address  (TincanSession      *self,
                                            GInetSocketAddress *address);
void     _tincan_session_set_peer_text     (TincanSession      *self,
                                            const char         *peer);
void     _tincan_session_set_proxy         (TincanSession      *self,
                                            const char         *proxy);
void     _tincan_session_set_peer_closed   (TincanSession      *self,
                                            gboolean            peer_closed);
void     _tincan_session_set_connected_since (TincanSession    *self,
                                            gboolean            now);
void     _tincan_session_set_tls_problem   (TincanSession      *self,
                                            TincanTlsProblem   *problem);
void     _tincan_session_reset_counters    (TincanSession      *self);
guint64  _tincan_session_bytes_queued      (TincanSession      *self);

void     _tincan_session_ensure_early_source (TincanSession    *self);
void     _tincan_session_remove_early_source (TincanSession    *self);
void     _tincan_session_notify_bytes_queued (TincanSession    *self);

/* tincan-session-io.c */
gboolean _tincan_session_is_active         (TincanSession      *self);
void     _tincan_session_start_connect     (TincanSession      *self,
                                            TincanConnectionMode mode,
                                            TincanTransport     transport,
                                            const char         *host,
                                            guint               port,
                                            TincanFraming      *framing);
void     _tincan_session_watch_cancellable (TincanSession      *self,
                                            GCancellable       *cancellable);
void     _tincan_session_send_active       (TincanSession      *self,
                                            TincanWriteItem    *item);
void     _tincan_session_drop_connection   (TincanSession      *self,
                                            const GError       *error,
                                            gboolean            quiet,
                                            guint               extra_unsent,
                                            const char         *status);
void     _tincan_session_fail              (TincanSession      *self,
                                            const GError       *error);
void     _tincan_session_detach            (TincanSession      *self);

/* tincan-session-notes.c */
void     _tincan_session_show_route        (TincanSession      *self,
                                            TincanConnector    *connector);
char    *_tincan_session_udp_ready_text    (TincanSession      *self,
                                            TincanConnector    *connector);
const char *_tincan_session_eof_text        (TincanSession      *self);
void     _tincan_session_connection_notice (TincanConnection   *connection,
                                            TincanConnectionNotice notice,
                                            guint64             value,
                                            gpointer            user_data);

/* tincan-per-message.c */
void     _tincan_per_message_send          (TincanSession      *self,
                                            TincanWriteItem    *item);
void     _tincan_per_message_start_next    (TincanSession      *self);
void     _tincan_per_message_reset         (TincanSession      *self);
void     _tincan_per_message_received      (TincanSession      *self,
                                            TincanFrameFlags    flags);
void     _tincan_per_message_read_done     (TincanSession      *self);
void     _tincan_per_message_sent          (TincanSession      *self);
void     _tincan_per_message_blocked       (TincanSession      *self);
void     _tincan_per_message_eof           (TincanSession      *self);
void     _tincan_per_message_closed        (TincanSession      *self);

/* Tests only: a proxy resolver instead of the default one. */
void     _tincan_session_set_proxy_resolver_for_testing (TincanSession  *self,
                                                         GProxyResolver *resolver);

/* Tests and fuzz targets only: bypass the socket entirely. */
void     _tincan_session_feed_for_testing  (TincanSession      *self,
                                            const guint8       *data,
                                            gsize               len,
                                            gboolean            eof);

G_END_DECLS
