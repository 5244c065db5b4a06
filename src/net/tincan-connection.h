/* tincan-connection.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One open stream or connected datagram socket: its decoder, read loop,
 * write queue and close. The client session owns one per connection, the
 * echo server one per accepted client. It knows nothing of sessions: what
 * happens on it is told to its owner through a TincanConnectionHandler. */

#pragma once

#include <gio/gio.h>

#include "tincan-decoder.h"
#include "tincan-framing.h"
#include "tincan-message.h"
#include "tincan-write-queue.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_CONNECTION (tincan_connection_get_type ())

G_DECLARE_FINAL_TYPE (TincanConnection, tincan_connection, TINCAN, CONNECTION, GObject)

/* What the owner may want to tell the user once per connection, or each
 * time (PORT_UNREACHABLE); nothing stops. */
typedef enum
{
  /* A plain stream's first bytes look like a TLS record (an alert or a
   * handshake): the server probably expects TLS. */
  TINCAN_CONNECTION_NOTICE_TLS_RECORD,
  /* A length prefix announced a frame longer than the maximum frame size:
   * @value is the announced length; the frame comes in TRUNCATED pieces. */
  TINCAN_CONNECTION_NOTICE_FRAME_TOO_LONG,
  /* A datagram socket was told (ICMP) that nothing listens at the peer's
   * port; reading and writing go on. @value is whether a write saw it. */
  TINCAN_CONNECTION_NOTICE_PORT_UNREACHABLE,
} TincanConnectionNotice;

/* What the owner is told. Every member may be NULL. begin() and end()
 * bracket each dispatch of the connection's sources (a read, a write, the
 * end of a close), so that the owner can gather what one dispatch does. A
 * callback may close or detach the connection; the connection then stops at
 * once and calls nothing more of this dispatch but end(). */
typedef struct
{
  void (*begin)    (gpointer user_data);
  void (*end)      (gpointer user_data);
  /* @length bytes were read (before they are decoded). */
  void (*read)     (TincanConnection *connection,
                    gsize             length,
                    gpointer          user_data);
  /* A frame, a piece of one, or a datagram: @message is the owner's. */
  void (*received) (TincanConnection *connection,
                    TincanMessage    *message,
                    TincanFrameFlags  flags,
                    gpointer          user_data);
  /* A read dispatch is over and reading goes on. */
  void (*read_done)(TincanConnection *connection,
                    gpointer          user_data);
  /* @length more bytes went into the socket. */
  void (*wrote)    (TincanConnection *connection,
                    gsize             length,
                    gpointer          user_data);
  /* @item (the connection's) is written completely. */
  void (*sent)     (TincanConnection *connection,
                    TincanWriteItem  *item,
                    gpointer          user_data);
  /* The socket is full: a write waits for it. */
  void (*blocked)  (TincanConnection *connection,
                    gpointer          user_data);
  /* The peer closed its sending side; what had arrived of a frame is out. */
  void (*eof)      (TincanConnection *connection,
                    gpointer          user_data);
  /* A read or write failed (never for a cancellation): the connection has
   * stopped reading and writing; the owner closes or detaches it. */
  void (*failed)   (TincanConnection *connection,
                    const GError     *error,
                    gboolean          writing,
                    gpointer          user_data);
  /* The kernel dropped @count datagrams for this socket since the last
   * call: they came faster than they were read. */
  void (*dropped)  (TincanConnection *connection,
                    guint64           count,
                    gpointer          user_data);
  /* Something worth saying happened; see TincanConnectionNotice. */
  void (*notice)   (TincanConnection       *connection,
                    TincanConnectionNotice  notice,
                    guint64                 value,
                    gpointer                user_data);
  /* tincan_connection_close() is done: the socket is closed. */
  void (*closed)   (TincanConnection *connection,
                    gpointer          user_data);
} TincanConnectionHandler;

TincanConnection *tincan_connection_new            (GIOStream                     *stream,
                                                    TincanFraming                 *framing);
void              tincan_connection_set_handler    (TincanConnection              *self,
                                                    const TincanConnectionHandler *handler,
                                                    gpointer                       user_data);
void              tincan_connection_set_join_reads (TincanConnection              *self);
void              tincan_connection_start          (TincanConnection              *self);
void              tincan_connection_stop_reading   (TincanConnection              *self);
void              tincan_connection_set_paused     (TincanConnection              *self,
                                                    gboolean                       paused);
void              tincan_connection_finish_decoder (TincanConnection              *self);
void              tincan_connection_flush_joined   (TincanConnection              *self);

void              tincan_connection_send           (TincanConnection              *self,
                                                    TincanWriteItem               *item,
                                                    gboolean                       write_now);
void              tincan_connection_take_queue     (TincanConnection              *self,
                                                    TincanWriteQueue              *queue);
void              tincan_connection_flush          (TincanConnection              *self);
guint             tincan_connection_get_queue_length (TincanConnection            *self);
guint64           tincan_connection_get_bytes_unwritten (TincanConnection         *self);
gboolean          tincan_connection_is_blocked     (TincanConnection              *self);

void              tincan_connection_close          (TincanConnection              *self);
void              tincan_connection_detach         (TincanConnection              *self);
gboolean          tincan_connection_is_closing     (TincanConnection              *self);

gboolean          tincan_connection_is_datagram    (TincanConnection              *self);
TincanFraming    *tincan_connection_get_framing    (TincanConnection              *self);
GSocket          *tincan_connection_get_socket     (TincanConnection              *self);
guint64           tincan_connection_get_datagrams_dropped (TincanConnection        *self);
guint64           tincan_connection_get_bytes_read (TincanConnection              *self);
guint64           tincan_connection_get_bytes_written (TincanConnection           *self);
guint64           tincan_connection_get_frames_read (TincanConnection             *self);
guint64           tincan_connection_get_frames_written (TincanConnection          *self);

/* Tests and fuzz targets only: a connection with no stream (framing must
 * not be NULL), whose input is handed in as if it had been read. */
TincanConnection *_tincan_connection_new_for_testing  (TincanFraming              *framing);
void              _tincan_connection_feed_for_testing (TincanConnection           *self,
                                                       const guint8               *data,
                                                       gsize                       len,
                                                       gboolean                    eof);

G_END_DECLS
