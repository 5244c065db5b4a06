/* tincan-write-queue.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "tincan-write-queue.h"

/* At most this much goes into one writev(): enough to fill a socket
 * buffer, little enough to keep the vector on the stack. */
#define WRITE_FRAMES_PER_CALL 64
#define WRITE_BYTES_PER_CALL  (256 * 1024)

/**
 * tincan_write_item_new:
 * @payload: what the user sent
 * @frame: (transfer full): @payload framed for the wire
 *
 * Returns: (transfer full): an item for a write queue
 */
TincanWriteItem *
tincan_write_item_new (GBytes *payload,
                       GBytes *frame)
{
  TincanWriteItem *item = g_new0 (TincanWriteItem, 1);

  item->payload = g_bytes_ref (payload);
  item->frame = frame;
  return item;
}

void
tincan_write_item_free (TincanWriteItem *item)
{
  g_bytes_unref (item->payload);
  g_bytes_unref (item->frame);
  g_free (item->host);
  g_clear_pointer (&item->framing, tincan_framing_unref);
  g_free (item);
}

void
tincan_write_queue_init (TincanWriteQueue *queue)
{
  g_queue_init (&queue->items);
  queue->head_offset = 0;
  queue->size = 0;
}

/* The queue keeps the size of what it holds, for bytes-queued. */
void
tincan_write_queue_push (TincanWriteQueue *queue,
                         TincanWriteItem  *item)
{
  g_queue_push_tail (&queue->items, item);
  queue->size += g_bytes_get_size (item->frame);
}

/* Takes the head item, written or not. */
TincanWriteItem *
tincan_write_queue_pop (TincanWriteQueue *queue)
{
  TincanWriteItem *item = g_queue_pop_head (&queue->items);

  if (item != NULL)
    queue->size -= g_bytes_get_size (item->frame);
  queue->head_offset = 0;
  return item;
}

void
tincan_write_queue_clear (TincanWriteQueue *queue)
{
  g_queue_clear_full (&queue->items, (GDestroyNotify) tincan_write_item_free);
  queue->size = 0;
  queue->head_offset = 0;
}

guint
tincan_write_queue_length (TincanWriteQueue *queue)
{
  return queue->items.length;
}

/* Bytes still to be written. */
guint64
tincan_write_queue_unwritten (TincanWriteQueue *queue)
{
  return queue->size - queue->head_offset;
}

/**
 * tincan_write_queue_advance:
 * @queue: a queue
 * @written: (inout): bytes written since the last call; what is left of them
 *
 * Counts written bytes against the head frame.
 *
 * Returns: (transfer full) (nullable): the head item if @written completed
 *   it (call again for the next one), %NULL once the bytes are used up
 */
TincanWriteItem *
tincan_write_queue_advance (TincanWriteQueue *queue,
                            gsize            *written)
{
  TincanWriteItem *item = g_queue_peek_head (&queue->items);
  gsize remaining;

  if (item == NULL)
    return NULL;

  remaining = g_bytes_get_size (item->frame) - queue->head_offset;
  if (*written < remaining)
    {
      queue->head_offset += *written;
      *written = 0;
      return NULL;
    }

  *written -= remaining;
  return tincan_write_queue_pop (queue);
}

/* Straight to the socket: GIO treats an empty write as a no-op, but an
 * empty datagram is a datagram. */
static GPollableReturn
send_datagram (GIOStream     *stream,
               GOutputVector *vector,
               gsize         *written,
               GError       **error)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  ssize_t n;
  int saved_errno;

  do
    {
      n = send (g_socket_get_fd (socket), vector->buffer, vector->size,
                MSG_NOSIGNAL | MSG_DONTWAIT);
      saved_errno = errno;
    }
  while (n < 0 && saved_errno == EINTR);

  if (n >= 0)
    {
      *written = (gsize) n;
      return G_POLLABLE_RETURN_OK;
    }

  if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
    return G_POLLABLE_RETURN_WOULD_BLOCK;

  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return G_POLLABLE_RETURN_FAILED;
}

/**
 * tincan_write_queue_write:
 * @queue: a queue that is not empty
 * @stream: a connected stream with a pollable output
 * @datagram: whether @stream is a UDP socket (one write, one datagram)
 * @written: (out): bytes written
 * @total: (out): bytes tried
 * @error: return location for a #GError
 *
 * One write of the frames at the head of @queue (one datagram for UDP),
 * without blocking. Nothing leaves the queue: see
 * tincan_write_queue_advance().
 */
GPollableReturn
tincan_write_queue_write (TincanWriteQueue *queue,
                          GIOStream        *stream,
                          gboolean          datagram,
                          gsize            *written,
                          gsize            *total,
                          GError          **error)
{
  GOutputVector vectors[WRITE_FRAMES_PER_CALL];
  guint n_vectors = 0;

  *written = 0;
  *total = 0;

  for (GList *l = queue->items.head;
       l != NULL && n_vectors < WRITE_FRAMES_PER_CALL && *total < WRITE_BYTES_PER_CALL;
       l = l->next)
    {
      TincanWriteItem *item = l->data;
      gsize length;
      const guint8 *data = g_bytes_get_data (item->frame, &length);

      if (n_vectors == 0)
        {
          data += queue->head_offset;
          length -= queue->head_offset;
        }

      vectors[n_vectors].buffer = data;
      vectors[n_vectors].size = length;
      n_vectors++;
      *total += length;

      /* One write on a datagram socket is one datagram. */
      if (datagram)
        break;
    }

  if (datagram)
    return send_datagram (stream, &vectors[0], written, error);

  return g_pollable_output_stream_writev_nonblocking (
           G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream)),
           vectors, n_vectors, written, NULL, error);
}
