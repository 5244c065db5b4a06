/* tincan-connection.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tincan-connection-private.h"
#include "tincan-decoder.h"

/* Reading: one pollable source for the whole connection (rather than a
 * read_async per read: no GTask, no source to create and no read bound to
 * find nothing, each of which costs a syscall or a main-context wakeup per
 * message). When it fires, the connection queues its read job
 * (tincan-budget.c) and stops polling: the jobs of all connections of the
 * process take turns, a step each (a few 64 KiB reads, or a batch of up to
 * 32 datagrams through recvmmsg), within one slice of main-loop time, so
 * that the window answers and paints however many connections are busy.
 * The job goes on while reads find data; when the socket is empty, polling
 * starts again. Datagrams the kernel dropped (a full receive buffer) are
 * reported, at most once a second while they go on.
 *
 * Writing: see tincan-connection-write.c.
 *
 * Lifetime: the sources hold no reference; each dispatch holds one, and
 * dispose destroys the sources. An asynchronous close holds a reference
 * until the socket is closed. */

/* One step of the read job: small, so that busy connections take turns
 * often within a slice; large enough that the owner's batch per step
 * (its notifications) costs little beside the decoding. */
#define READS_PER_STEP            4
/* How often kernel drops are reported while they go on. */
#define DROP_REPORT_INTERVAL_US   G_USEC_PER_SEC
/* A raw chunk at least this long becomes the message's storage instead of
 * being copied; shorter ones are copied so the buffer stays small. */
#define STEAL_THRESHOLD           (8 * 1024)

/* How long a TLS close may take to send its close_notify. */
#define CLOSE_TIMEOUT_MS          2000

G_DEFINE_FINAL_TYPE (TincanConnection, tincan_connection, G_TYPE_OBJECT)

void
_tincan_connection_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Dispatches: a reference, and the owner's batch, around each. */

Dispatch
_tincan_connection_dispatch_begin (TincanConnection *self)
{
  Dispatch d = { self->handler, self->user_data };

  g_object_ref (self);
  if (d.handler != NULL && d.handler->begin != NULL)
    d.handler->begin (d.user_data);
  return d;
}

void
_tincan_connection_dispatch_end (TincanConnection *self,
              Dispatch          d)
{
  if (d.handler != NULL && d.handler->end != NULL)
    d.handler->end (d.user_data);
  g_object_unref (self);
}

gboolean
_tincan_connection_reading (TincanConnection *self)
{
  return !self->read_stopped && !self->paused && !self->closing && self->handler != NULL;
}

/* Reading */

typedef struct
{
  TincanConnection *self;
  const guint8     *chunk;
  gsize             chunk_length;
} FrameContext;

/* The first @length bytes of the read buffer become a message's storage
 * instead of being copied, and reading goes on in a new buffer. Shrinking a
 * block in place does not copy. */
static GBytes *
steal_buffer (TincanConnection *self,
              gsize             length)
{
  guint8 *owned = length < READ_BUFFER_SIZE ? g_realloc (self->buffer, length) : self->buffer;

  self->buffer = g_malloc (READ_BUFFER_SIZE);
  return g_bytes_new_take (owned, length);
}

/* Whether @data (a whole read) may become the message's storage. */
static TincanMessage *
message_new (TincanConnection   *self,
             const guint8       *data,
             gsize               length,
             TincanMessageFlags  flags,
             gboolean            may_steal)
{
  if (may_steal && length >= STEAL_THRESHOLD && data == self->buffer)
    {
      g_autoptr(GBytes) bytes = steal_buffer (self, length);

      return tincan_message_new (TINCAN_MESSAGE_KIND_RECEIVED, flags, bytes);
    }

  return tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, flags, data, length);
}

/* Told once per connection: a frame announced longer than the maximum is
 * almost always a framing that does not fit the protocol. */
static void
check_announced_length (TincanConnection *self)
{
  guint64 announced;

  if (self->long_frame_told || self->decoder == NULL)
    return;

  announced = tincan_decoder_get_announced_length (self->decoder);
  if (announced <= tincan_framing_get_max_frame_size (self->framing))
    return;

  self->long_frame_told = TRUE;
  EMIT (self, notice, TINCAN_CONNECTION_NOTICE_FRAME_TOO_LONG, announced,);
}

/* A TLS server that gets plain bytes answers with an alert record (0x15,
 * then version 3.x) before it closes: seen in the first bytes of a plain
 * stream, that says "try TLS" better than the close does. Looked at once. */
static gboolean
first_bytes_look_like_tls (TincanConnection *self,
                           const guint8     *data,
                           gsize             length)
{
  if (self->first_bytes_seen || self->tls || self->decoder == NULL)
    return FALSE;

  self->first_bytes_seen = TRUE;
  return length >= 3 && (data[0] == 0x15 || data[0] == 0x16) && data[1] == 0x03 &&
         data[2] <= 0x04;
}

/* ECONNREFUSED on a connected datagram socket: an ICMP port unreachable
 * came back for an earlier datagram. The socket still works (nc -u goes
 * on too): tell the owner and carry on. Returns whether it was that. */
gboolean
_tincan_connection_port_unreachable (TincanConnection *self,
                                     const GError     *error,
                                     gboolean          writing)
{
  if (self->decoder != NULL ||
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return FALSE;

  EMIT (self, notice, TINCAN_CONNECTION_NOTICE_PORT_UNREACHABLE, writing,);
  return TRUE;
}

/* A decoded frame as it crossed the wire: the length prefix before its first
 * piece, the delimiter after its last one (unless the framing keeps it in
 * the payload), so that every byte read belongs to exactly one entry. */
static TincanMessage *
framed_message_new (TincanConnection   *self,
                    const guint8       *data,
                    gsize               length,
                    TincanFrameFlags    frame_flags,
                    TincanMessageFlags  flags)
{
  gboolean first = !self->in_cut_frame;
  gboolean last = (frame_flags & TINCAN_FRAME_PARTIAL) ||
                  !(frame_flags & TINCAN_FRAME_TRUNCATED) || (frame_flags & TINCAN_FRAME_FINAL);
  const guint8 *prefix = NULL;
  const guint8 *suffix = NULL;
  gsize prefix_length = 0;
  gsize suffix_length = 0;

  self->in_cut_frame = !last;

  switch (tincan_framing_get_kind (self->framing))
    {
    case TINCAN_FRAMING_LENGTH_PREFIX:
      if (first)
        prefix = tincan_decoder_get_frame_prefix (self->decoder, &prefix_length);
      if (first && prefix == NULL && (frame_flags & TINCAN_FRAME_PARTIAL))
        {
          /* The stream ended inside a length prefix: these are its bytes. */
          prefix = data;
          prefix_length = length;
          length = 0;
        }
      break;

    case TINCAN_FRAMING_DELIMITER:
      if (last && !(frame_flags & TINCAN_FRAME_PARTIAL) &&
          !tincan_framing_get_keep_delimiter (self->framing))
        suffix = tincan_framing_get_delimiter (self->framing, &suffix_length);
      break;

    case TINCAN_FRAMING_RAW:
    default:
      break;
    }

  return tincan_message_new_framed (TINCAN_MESSAGE_KIND_RECEIVED, flags, prefix, prefix_length,
                                    data, length, suffix, suffix_length);
}

static void
frame_cb (const guint8     *data,
          gsize             length,
          TincanFrameFlags  flags,
          gpointer          user_data)
{
  FrameContext *ctx = user_data;
  TincanConnection *self = ctx->self;
  TincanMessageFlags message_flags = TINCAN_MESSAGE_NONE;
  /* A raw chunk that is one whole message: the decoder is done with the
   * buffer (nothing follows the frame). */
  gboolean may_steal = data == ctx->chunk && length == ctx->chunk_length &&
                       flags == TINCAN_FRAME_COMPLETE && self->raw;

  if (flags & TINCAN_FRAME_PARTIAL)
    message_flags |= TINCAN_MESSAGE_PARTIAL;
  if (flags & TINCAN_FRAME_TRUNCATED)
    message_flags |= TINCAN_MESSAGE_TRUNCATED;
  if (may_steal)
    ctx->chunk = NULL;
  if (flags & TINCAN_FRAME_TRUNCATED)
    check_announced_length (self);

  self->frames_read++;
  if (self->raw)
    EMIT (self, received, message_new (self, data, length, message_flags, may_steal), flags,);
  else
    EMIT (self, received, framed_message_new (self, data, length, flags, message_flags), flags,);
}

/**
 * tincan_connection_finish_decoder:
 * @self: a connection
 *
 * Hands out what arrived of an unfinished frame, flagged PARTIAL: the
 * stream ended, or the owner stops waiting for the rest.
 */
void
tincan_connection_finish_decoder (TincanConnection *self)
{
  FrameContext ctx = { self, NULL, 0 };

  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  tincan_connection_flush_joined (self);
  if (self->decoder != NULL)
    tincan_decoder_finish (self->decoder, frame_cb, &ctx);
}

static void
handle_eof (TincanConnection *self)
{
  self->read_stopped = TRUE;
  self->eof = TRUE;
  tincan_connection_finish_decoder (self);
  EMIT (self, eof,);
}

static void
handle_read_error (TincanConnection *self,
                   const GError     *error)
{
  self->read_stopped = TRUE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A TLS peer that closes the TCP connection without close_notify: treat
   * it as the end of the stream, like most clients do. */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    {
      handle_eof (self);
      return;
    }

  tincan_connection_finish_decoder (self);
  EMIT (self, failed, error, FALSE,);
}

/* One chunk read (into the read buffer, or into the join's): count it,
 * decode it. */
static void
process_chunk (TincanConnection *self,
               const guint8     *data,
               gsize             length)
{
  self->bytes_read += length;
  EMIT (self, read, length,);

  if (self->decoder == NULL)
    {
      /* A datagram is one message. */
      self->frames_read++;
      EMIT (self, received, message_new (self, data, length, TINCAN_MESSAGE_NONE, TRUE),
            TINCAN_FRAME_COMPLETE,);
    }
  else
    {
      FrameContext ctx = { self, data, length };
      gboolean tls_record = first_bytes_look_like_tls (self, data, length);

      if (data != self->buffer)
        tincan_read_join_commit (&self->join, length);
      else if (tincan_read_join_active (&self->join))
        tincan_read_join_add (&self->join, data, length, _tincan_connection_joined, self);
      else
        tincan_decoder_feed (self->decoder, data, length, frame_cb, &ctx);
      if (tls_record && _tincan_connection_reading (self))
        EMIT (self, notice, TINCAN_CONNECTION_NOTICE_TLS_RECORD, 0,);
      /* A frame still arriving, announced too long: before its pieces. */
      if (_tincan_connection_reading (self))
        check_announced_length (self);
    }
}

static void
datagram_cb (const guint8 *data,
             gsize         length,
             gpointer      user_data)
{
  TincanConnection *self = user_data;

  if (!_tincan_connection_reading (self))
    return;

  self->bytes_read += length;
  EMIT (self, read, length,);
  self->frames_read++;
  EMIT (self, received, message_new (self, data, length, TINCAN_MESSAGE_NONE, FALSE),
        TINCAN_FRAME_COMPLETE,);
}

/* Kernel drops go to the owner at most once per DROP_REPORT_INTERVAL_US
 * while they go on, and at once when the socket runs dry. */
static void
report_drops (TincanConnection *self,
              gboolean          dry)
{
  gint64 now;

  self->drops_unreported += tincan_datagram_reader_take_dropped (self->datagrams);
  if (self->drops_unreported == 0)
    return;

  now = g_get_monotonic_time ();
  if (!dry && now - self->drops_reported_at < DROP_REPORT_INTERVAL_US)
    return;

  self->drops_reported_at = now;
  self->datagrams_dropped += self->drops_unreported;
  EMIT (self, dropped, self->drops_unreported,);
  self->drops_unreported = 0;
}

/* One step of reading datagrams: one recvmmsg. Returns whether the socket
 * may hold more. */
static gboolean
read_datagrams (TincanConnection *self)
{
  g_autoptr(GError) error = NULL;
  int n = tincan_datagram_reader_read (self->datagrams, datagram_cb, self, &error);

  if (n < 0 && _tincan_connection_port_unreachable (self, error, FALSE))
    return _tincan_connection_reading (self);
  if (n < 0)
    {
      handle_read_error (self, error);
      return FALSE;
    }
  if (_tincan_connection_reading (self))
    report_drops (self, n == 0);
  return n > 0;
}

/* One step of reading a stream: up to READS_PER_STEP reads. Returns whether
 * the stream may hold more. */
static gboolean
read_stream (TincanConnection *self)
{
  for (guint reads = 0; reads < READS_PER_STEP; reads++)
    {
      g_autoptr(GError) error = NULL;
      gsize room = READ_BUFFER_SIZE;
      guint8 *into = _tincan_connection_read_destination (self, &room);
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->input),
                                                           into, room, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (n < 0)
        {
          handle_read_error (self, error);
          return FALSE;
        }
      if (n == 0)
        {
          handle_eof (self);
          return FALSE;
        }

      process_chunk (self, into, (gsize) n);
      if (!_tincan_connection_reading (self))
        return FALSE;

      /* A short read emptied the socket: do not ask again for nothing. A
       * TLS read returns one record at most, and may leave decrypted bytes
       * behind that poll() cannot see: ask until it says so. */
      if (!self->tls && (gsize) n < room)
        return FALSE;
    }
  return TRUE;
}

static void start_reading (TincanConnection *self);

/* The read job's step (tincan-budget.c): the owner's batch around it. */
static gboolean
read_step (gpointer owner)
{
  TincanConnection *self = owner;
  gboolean more;
  Dispatch d;

  if (!_tincan_connection_reading (self))
    return FALSE;

  d = _tincan_connection_dispatch_begin (self);
  more = self->datagrams != NULL ? read_datagrams (self) : read_stream (self);
  if (_tincan_connection_reading (self))
    {
      EMIT (self, read_done,);
      /* The socket looks empty: wait for it again. */
      if (!more && _tincan_connection_reading (self))
        start_reading (self);
    }
  _tincan_connection_dispatch_end (self, d);

  return more && _tincan_connection_reading (self);
}

static gboolean
read_ready_cb (GObject  *stream,
               gpointer  user_data)
{
  TincanConnection *self = user_data;

  g_clear_pointer (&self->read_source, g_source_unref);
  if (_tincan_connection_reading (self))
    tincan_job_queue (&self->read_job, self->context);
  return G_SOURCE_REMOVE;
}

/* Polling runs below GTK's redraw priority (G_PRIORITY_HIGH_IDLE + 20),
 * like the read job: under a flood the stream is always readable. */
static void
start_reading (TincanConnection *self)
{
  /* A job that is queued as well does no harm: the source then queues it
   * again, which does nothing. */
  if (self->read_source != NULL)
    return;

  self->read_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->input), NULL);
  g_source_set_static_name (self->read_source, "[tincan] read");
  g_source_set_priority (self->read_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (read_ready_cb), self, NULL);
  g_source_attach (self->read_source, self->context);
}

/* No more polling and no more turns, until start_reading(). */
static void
stop_polling (TincanConnection *self)
{
  _tincan_connection_clear_source (&self->read_source);
  tincan_job_cancel (&self->read_job);
}

/**
 * tincan_connection_stop_reading:
 * @self: a connection
 *
 * Reads nothing more; the rest of the chunk being decoded is still handed
 * out. Writing goes on.
 */
void
tincan_connection_stop_reading (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  self->read_stopped = TRUE;
  stop_polling (self);
}

/**
 * tincan_connection_set_paused:
 * @self: a connection
 * @paused: whether to stop reading for now
 *
 * Back pressure: a paused connection reads nothing until it is resumed
 * (the rest of the chunk being decoded is still handed out).
 */
void
tincan_connection_set_paused (TincanConnection *self,
                              gboolean          paused)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  if (self->paused == paused)
    return;

  self->paused = paused;
  if (paused)
    stop_polling (self);
  else if (self->started && self->stream != NULL && _tincan_connection_reading (self))
    start_reading (self);
}

/* Closing */

static gboolean
close_timeout_cb (gpointer user_data)
{
  TincanConnection *self = user_data;

  /* The TLS close_notify could not be sent (the peer does not read and the
   * socket is full). shutdown(), unlike close(), wakes up the thread that
   * waits on the socket, so that the close fails and finishes. */
  g_clear_pointer (&self->close_timer, g_source_unref);
  g_socket_shutdown (self->socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TincanConnection) self = user_data;
  Dispatch d;

  /* A failed TLS close (the peer is gone) is of no interest. */
  g_io_stream_close_finish (self->stream, result, NULL);
  _tincan_connection_clear_source (&self->close_timer);
  g_socket_close (self->socket, NULL);

  d = _tincan_connection_dispatch_begin (self);
  EMIT (self, closed,);
  _tincan_connection_dispatch_end (self, d);
}

/* Stops all I/O but the close, which it starts. */
static void
start_close (TincanConnection *self)
{
  /* What was gathered of a raw message still goes out. */
  if (self->join.length > 0 && self->handler != NULL)
    {
      Dispatch d = _tincan_connection_dispatch_begin (self);

      tincan_connection_flush_joined (self);
      _tincan_connection_dispatch_end (self, d);
    }
  tincan_read_join_clear (&self->join);

  self->closing = TRUE;
  self->read_stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  stop_polling (self);
  _tincan_connection_clear_source (&self->writable_source);
  _tincan_connection_clear_source (&self->flush_source);

  if (self->stream == NULL)
    return;

  g_main_context_push_thread_default (self->context);
  if (self->tls)
    {
      self->close_timer = g_timeout_source_new (CLOSE_TIMEOUT_MS);
      g_source_set_static_name (self->close_timer, "[tincan] close timeout");
      g_source_set_callback (self->close_timer, close_timeout_cb, self, NULL);
      g_source_attach (self->close_timer, self->context);
    }

  /* No cancellable: the close must happen even though the connection's I/O
   * is cancelled. For TLS it sends close_notify, for TCP it just closes. */
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, close_cb,
                           g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
}

/**
 * tincan_connection_close:
 * @self: a connection
 *
 * Stops reading and writing (what is queued is not written), closes the
 * stream (with a TLS close_notify, given up after 2 s), then calls the
 * handler's closed(). Does nothing if it is closing already.
 */
void
tincan_connection_close (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  if (!self->closing)
    start_close (self);
}

/**
 * tincan_connection_detach:
 * @self: a connection
 *
 * Cuts the connection from its owner: the handler is called no more, the
 * queue is dropped, and the stream is closed in the background unless a
 * close is under way. The owner can drop its reference at once.
 */
void
tincan_connection_detach (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  self->handler = NULL;
  self->user_data = NULL;
  if (!self->closing)
    start_close (self);
  tincan_write_queue_clear (&self->queue);
}

gboolean
tincan_connection_is_closing (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), FALSE);
  return self->closing;
}

/* GObject */

static void
tincan_connection_dispose (GObject *object)
{
  TincanConnection *self = TINCAN_CONNECTION (object);

  tincan_connection_detach (self);

  G_OBJECT_CLASS (tincan_connection_parent_class)->dispose (object);
}

static void
tincan_connection_finalize (GObject *object)
{
  TincanConnection *self = TINCAN_CONNECTION (object);

  g_assert (self->close_timer == NULL);

  tincan_write_queue_clear (&self->queue);
  tincan_read_join_clear (&self->join);
  g_clear_pointer (&self->decoder, tincan_decoder_free);
  g_clear_pointer (&self->datagrams, tincan_datagram_reader_free);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->framing, tincan_framing_unref);
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->socket);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tincan_connection_parent_class)->finalize (object);
}

static void
tincan_connection_class_init (TincanConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tincan_connection_dispose;
  object_class->finalize = tincan_connection_finalize;
}

static void
tincan_connection_init (TincanConnection *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->buffer = g_malloc (READ_BUFFER_SIZE);
  tincan_write_queue_init (&self->queue);
  tincan_job_init (&self->read_job, read_step, G_OBJECT (self));
}

/* The socket under a socket connection, a TLS connection over one, or
 * GSocketClient's wrapper around a TLS connection. */
static GSocket *
find_socket (GIOStream *stream)
{
  g_autoptr(GIOStream) base = NULL;

  if (G_IS_SOCKET_CONNECTION (stream))
    return g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)));

  if (G_IS_TLS_CONNECTION (stream))
    g_object_get (stream, "base-io-stream", &base, NULL);
  return base != NULL ? find_socket (base) : NULL;
}

static gboolean
find_tls (GIOStream *stream)
{
  if (G_IS_TCP_WRAPPER_CONNECTION (stream))
    stream = g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (stream));

  return G_IS_TLS_CONNECTION (stream);
}

static void
set_framing (TincanConnection *self,
             TincanFraming    *framing)
{
  if (framing == NULL)
    return;

  self->framing = tincan_framing_ref (framing);
  self->raw = tincan_framing_get_kind (framing) == TINCAN_FRAMING_RAW;
  self->decoder = tincan_decoder_new (framing);
}

/**
 * tincan_connection_new:
 * @stream: (transfer none): a connected stream over a socket; its input and
 *   output must be pollable
 * @framing: (nullable): how the byte stream is cut into frames; %NULL for a
 *   datagram socket, where each datagram is one frame
 *
 * Makes a connection on @stream, attached to the thread-default main
 * context. It does nothing until tincan_connection_start().
 *
 * Returns: (transfer full): a new connection
 */
TincanConnection *
tincan_connection_new (GIOStream     *stream,
                       TincanFraming *framing)
{
  TincanConnection *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  self = g_object_new (TINCAN_TYPE_CONNECTION, NULL);
  self->stream = g_object_ref (stream);
  self->input = g_object_ref (g_io_stream_get_input_stream (stream));
  self->output = g_object_ref (g_io_stream_get_output_stream (stream));
  self->socket = find_socket (stream);
  self->tls = find_tls (stream);
  set_framing (self, framing);

  g_return_val_if_fail (self->socket != NULL, self);
  if (self->decoder == NULL)
    self->datagrams = tincan_datagram_reader_new (self->socket);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (self->input) &&
                        G_IS_POLLABLE_OUTPUT_STREAM (self->output), self);

  return self;
}

/**
 * tincan_connection_set_handler:
 * @self: a connection
 * @handler: (nullable): what to call; must outlive its use (a static table)
 * @user_data: passed to each call
 */
void
tincan_connection_set_handler (TincanConnection              *self,
                               const TincanConnectionHandler *handler,
                               gpointer                       user_data)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  self->handler = handler;
  self->user_data = user_data;
}

/**
 * tincan_connection_start:
 * @self: a connection
 *
 * Starts reading, and writing what is queued from the next dispatch on.
 */
void
tincan_connection_start (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));
  g_return_if_fail (!self->started && self->stream != NULL);

  self->started = TRUE;
  start_reading (self);

  _tincan_connection_start_writing (self);
}

gboolean
tincan_connection_is_datagram (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), FALSE);

  return self->decoder == NULL;
}

/* Returns: (transfer none) (nullable): the framing; %NULL for datagrams */
TincanFraming *
tincan_connection_get_framing (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), NULL);
  return self->framing;
}

/* Returns: (transfer none) (nullable): the socket under the stream */
GSocket *
tincan_connection_get_socket (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), NULL);
  return self->socket;
}

/* The datagrams the kernel dropped for this socket (a full receive
 * buffer), as reported to the handler so far. */
guint64
tincan_connection_get_datagrams_dropped (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return self->datagrams_dropped;
}

guint64
tincan_connection_get_bytes_read (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return self->bytes_read;
}

guint64
tincan_connection_get_bytes_written (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return self->bytes_written;
}

guint64
tincan_connection_get_frames_read (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return self->frames_read;
}

guint64
tincan_connection_get_frames_written (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return self->frames_written;
}

/* Tests and fuzzing */

TincanConnection *
_tincan_connection_new_for_testing (TincanFraming *framing)
{
  TincanConnection *self;

  g_return_val_if_fail (framing != NULL, NULL);

  self = g_object_new (TINCAN_TYPE_CONNECTION, NULL);
  set_framing (self, framing);
  return self;
}

/**
 * _tincan_connection_feed_for_testing:
 * @self: a connection from _tincan_connection_new_for_testing()
 * @data: (array length=len): bytes as if read from the peer
 * @len: length of @data
 * @eof: whether the peer then closes its side
 *
 * Runs @data through the code a socket read runs, cut into reads shorter
 * than the read buffer (a full one would make the loop read the missing
 * stream again), all in one dispatch. Feeding after @eof is an error.
 */
void
_tincan_connection_feed_for_testing (TincanConnection *self,
                                     const guint8     *data,
                                     gsize             len,
                                     gboolean          eof)
{
  Dispatch d;

  g_return_if_fail (TINCAN_IS_CONNECTION (self));
  g_return_if_fail (self->stream == NULL && !self->read_stopped);
  g_return_if_fail (data != NULL || len == 0);

  d = _tincan_connection_dispatch_begin (self);
  while (len > 0 && _tincan_connection_reading (self))
    {
      gsize n = MIN (len, READ_BUFFER_SIZE - 1);

      memcpy (self->buffer, data, n);
      process_chunk (self, self->buffer, n);
      if (_tincan_connection_reading (self))
        EMIT (self, read_done,);
      data += n;
      len -= n;
    }
  if (eof && _tincan_connection_reading (self))
    handle_eof (self);
  _tincan_connection_dispatch_end (self, d);
}
