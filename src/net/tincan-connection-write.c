/* tincan-connection-write.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* TincanConnection's writer: a FIFO of encoded frames, written with one
 * non-blocking writev() or send() per call (tincan-write-queue.c), from the
 * connection's flush source (so that any number of sends made in one
 * dispatch are gathered) and, when the socket is full, from the stream's
 * pollable source. The bytes written are known synchronously, so "sent"
 * means the whole frame went into the socket, and a frame cut short by a
 * close is never reported as sent. */

#include "config.h"

#include "tincan-connection-private.h"

#define WRITE_BYTES_PER_DISPATCH  (1024 * 1024)

static void connection_write (TincanConnection *self);

static gboolean
writable_cb (GObject  *stream,
             gpointer  user_data)
{
  TincanConnection *self = user_data;
  Dispatch d;

  _tincan_connection_clear_source (&self->writable_source);
  if (self->closing)
    return G_SOURCE_REMOVE;

  d = _tincan_connection_dispatch_begin (self);
  connection_write (self);
  _tincan_connection_dispatch_end (self, d);

  return G_SOURCE_REMOVE;
}

static void
wait_until_writable (TincanConnection *self)
{
  g_assert (self->writable_source == NULL);

  self->writable_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->output), NULL);
  g_source_set_static_name (self->writable_source, "[tincan] writable");
  g_source_set_callback (self->writable_source, G_SOURCE_FUNC (writable_cb), self, NULL);
  g_source_attach (self->writable_source, self->context);

  EMIT (self, blocked,);
}

/* Whether the flush source should run the writer. */
static gboolean
write_wanted (TincanConnection *self)
{
  return self->started && !self->closing && self->writable_source == NULL &&
         tincan_write_queue_length (&self->queue) > 0;
}

/* The flush source: writes what was queued, in a dispatch of its own. Its
 * prepare() looks at the queue, so arming it costs nothing (no wakeup
 * write, no source to attach per send). */

typedef struct
{
  GSource           source;
  TincanConnection *connection;   /* unowned: dispose destroys the source */
} FlushSource;

static gboolean
flush_prepare (GSource *source,
               gint    *timeout)
{
  *timeout = -1;
  if (!write_wanted (((FlushSource *) source)->connection))
    return FALSE;
  *timeout = 0;
  return TRUE;
}

static gboolean
flush_check (GSource *source)
{
  return write_wanted (((FlushSource *) source)->connection);
}

static gboolean
flush_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  TincanConnection *self = ((FlushSource *) source)->connection;
  Dispatch d = _tincan_connection_dispatch_begin (self);

  if (write_wanted (self))
    connection_write (self);
  _tincan_connection_dispatch_end (self, d);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  flush_prepare,
  flush_check,
  flush_dispatch,
  NULL, NULL, NULL
};

/* @written more bytes went out: report the frames that are now complete. */
static void
account_written (TincanConnection *self,
                 gsize             written)
{
  gboolean datagram_done = FALSE;
  TincanWriteItem *item;

  self->bytes_written += written;
  if (written > 0)
    EMIT (self, wrote, written,);

  while (!datagram_done && !self->closing &&
         (item = tincan_write_queue_advance (&self->queue, &written)) != NULL)
    {
      /* A datagram is written whole or not at all, one per call: an empty
       * one behind it was not written by this call. */
      datagram_done = self->decoder == NULL;

      self->frames_written++;
      EMIT (self, sent, item,);
      tincan_write_item_free (item);
    }
}

/* One write of the frames at the head of the queue, without blocking. */
static GPollableReturn
write_once (TincanConnection  *self,
            gsize             *written,
            gsize             *total,
            GError           **error)
{
  return tincan_write_queue_write (&self->queue, self->stream, self->decoder == NULL,
                                   written, total, error);
}

static void
connection_write (TincanConnection *self)
{
  gsize this_dispatch = 0;

  if (!self->started || self->closing || self->writable_source != NULL)
    return;

  while (tincan_write_queue_length (&self->queue) > 0)
    {
      g_autoptr(GError) error = NULL;
      gsize written;
      gsize total;
      GPollableReturn ret;

      ret = write_once (self, &written, &total, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          wait_until_writable (self);
          return;
        }
      /* The refusal of an earlier datagram: this one was not sent, and the
       * socket has forgotten the refusal; try it again. */
      if (ret == G_POLLABLE_RETURN_FAILED && _tincan_connection_port_unreachable (self, error, TRUE))
        {
          if (self->closing || self->handler == NULL)
            return;
          continue;
        }
      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          self->read_stopped = TRUE;
          EMIT (self, failed, error, TRUE,);
          return;
        }

      this_dispatch += written;
      account_written (self, written);

      /* The owner may have closed the connection meanwhile. */
      if (self->closing || self->handler == NULL)
        return;

      if (written < total)
        {
          wait_until_writable (self);
          return;
        }

      /* Let the UI paint; the flush source goes on in the next dispatch. */
      if (this_dispatch >= WRITE_BYTES_PER_DISPATCH)
        return;
    }
}

/**
 * tincan_connection_send:
 * @self: a connection
 * @item: (transfer full): the frame to write
 * @write_now: whether to try writing it before returning, when nothing
 *   else waits (spares a dispatch; anything but a complete write, errors
 *   included, is left to the flush source)
 *
 * Queues @item; "sent" follows once all of it is in the socket.
 */
void
tincan_connection_send (TincanConnection *self,
                        TincanWriteItem  *item,
                        gboolean          write_now)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));
  g_return_if_fail (item != NULL);

  tincan_write_queue_push (&self->queue, item);

  if (write_now && tincan_write_queue_length (&self->queue) == 1 && self->started &&
      !self->closing && self->writable_source == NULL)
    {
      gsize written;
      gsize total;

      if (write_once (self, &written, &total, NULL) == G_POLLABLE_RETURN_OK)
        account_written (self, written);
    }
}

/**
 * tincan_connection_take_queue:
 * @self: a connection
 * @queue: frames queued before the connection was made; left empty
 *
 * Moves @queue's frames behind those of @self, in order.
 */
void
tincan_connection_take_queue (TincanConnection *self,
                              TincanWriteQueue *queue)
{
  TincanWriteItem *item;

  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  while ((item = tincan_write_queue_pop (queue)) != NULL)
    tincan_write_queue_push (&self->queue, item);
}

/**
 * tincan_connection_flush:
 * @self: a started connection
 *
 * Writes what is queued now, rather than in the flush source's dispatch.
 */
void
tincan_connection_flush (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  connection_write (self);
}

guint
tincan_connection_get_queue_length (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return tincan_write_queue_length (&self->queue);
}

/* Bytes queued and not written yet. */
guint64
tincan_connection_get_bytes_unwritten (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), 0);
  return tincan_write_queue_unwritten (&self->queue);
}

/* Whether a write waits for the socket to take more. */
gboolean
tincan_connection_is_blocked (TincanConnection *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION (self), FALSE);

  return self->writable_source != NULL;
}

/* The flush source runs the writer from now on. */
void
_tincan_connection_start_writing (TincanConnection *self)
{
  self->flush_source = g_source_new (&flush_source_funcs, sizeof (FlushSource));
  ((FlushSource *) self->flush_source)->connection = self;
  g_source_set_static_name (self->flush_source, "[tincan] flush");
  g_source_attach (self->flush_source, self->context);
}
