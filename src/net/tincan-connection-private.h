/* tincan-connection-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the files of TincanConnection share: tincan-connection.c (the type,
 * reading, closing), tincan-connection-write.c (the writer) and
 * tincan-connection-join.c (joining raw reads). */

#pragma once

#include "tincan-connection.h"
#include "tincan-budget.h"
#include "tincan-datagram-reader.h"
#include "tincan-decoder.h"
#include "tincan-read-join.h"

G_BEGIN_DECLS

/* What one read of a stream asks for. */
#define READ_BUFFER_SIZE (64 * 1024)

struct _TincanConnection
{
  GObject                        parent_instance;

  GMainContext                  *context;
  GCancellable                  *cancellable;     /* all I/O but the close */
  GIOStream                     *stream;          /* NULL: a testing connection */
  GInputStream                  *input;
  GOutputStream                 *output;
  GSocket                       *socket;
  gboolean                       tls;
  TincanFraming                 *framing;         /* NULL for datagrams */
  gboolean                       raw;
  /* The decoder handed out TRUNCATED pieces of a frame not yet finished:
   * the next piece is not the frame's first (no length prefix before it). */
  gboolean                       in_cut_frame;
  TincanDecoder                 *decoder;         /* NULL for datagrams */
  TincanReadJoin                 join;            /* raw reads joined, when asked for */
  guint8                        *buffer;

  const TincanConnectionHandler *handler;         /* NULL once detached */
  gpointer                       user_data;

  GSource                       *read_source;     /* while waiting for input */
  TincanJob                      read_job;        /* while reading it */
  TincanDatagramReader          *datagrams;       /* datagram sockets only */
  guint64                        drops_unreported;
  gint64                         drops_reported_at;
  GSource                       *writable_source; /* while the socket is full */
  GSource                       *flush_source;
  GSource                       *close_timer;
  TincanWriteQueue               queue;

  gboolean                       started;
  gboolean                       read_stopped;
  gboolean                       paused;
  gboolean                       eof;
  gboolean                       closing;
  gboolean                       first_bytes_seen; /* looked at for a TLS record */
  gboolean                       long_frame_told;

  guint64                        bytes_read;
  guint64                        bytes_written;
  guint64                        frames_read;
  guint64                        frames_written;
  guint64                        datagrams_dropped;
};

/* Calls the handler's @member, if there is a handler (none once detached). */
#define EMIT(self, member, ...) \
  G_STMT_START { \
    if ((self)->handler != NULL && (self)->handler->member != NULL) \
      (self)->handler->member ((self), __VA_ARGS__ (self)->user_data); \
  } G_STMT_END

/* What a dispatch began with: end() goes to the same owner even if the
 * connection was detached meanwhile. */
typedef struct
{
  const TincanConnectionHandler *handler;
  gpointer                       user_data;
} Dispatch;

void     _tincan_connection_clear_source    (GSource          **source);
Dispatch _tincan_connection_dispatch_begin  (TincanConnection  *self);
void     _tincan_connection_dispatch_end    (TincanConnection  *self,
                                             Dispatch           d);
gboolean _tincan_connection_reading         (TincanConnection  *self);
void     _tincan_connection_start_writing   (TincanConnection  *self);
void     _tincan_connection_joined          (TincanMessage     *message,
                                             TincanFrameFlags   flags,
                                             gpointer           user_data);
guint8  *_tincan_connection_read_destination (TincanConnection *self,
                                             gsize            *room);
gboolean _tincan_connection_port_unreachable (TincanConnection *self,
                                             const GError     *error,
                                             gboolean          writing);

G_END_DECLS
