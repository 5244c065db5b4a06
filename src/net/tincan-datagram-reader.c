/* tincan-datagram-reader.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>

#include "tincan-datagram-reader.h"

/* The largest UDP payload over IPv6 (65,535 - 8); IPv4's is smaller. */
#define DATAGRAM_MAX 65527

/* What the socket's receive buffer is asked for. Linux grants at most its
 * net.core.rmem_max (often 208 KiB, doubled for bookkeeping): a datagram
 * flood outruns that in milliseconds, so a bigger buffer is only half the
 * cure; reading in batches is the other half. */
#define RECEIVE_BUFFER_WISH (8 * 1024 * 1024)

/* The batch's buffers, one set per thread that reads datagrams: readers of
 * one thread never run at the same time, and TINCAN_DATAGRAM_BATCH times
 * 64 KiB per connection would be 2 MiB for every UDP tab. */
typedef struct
{
  guint8         data[TINCAN_DATAGRAM_BATCH][DATAGRAM_MAX + 1];
  char           control[TINCAN_DATAGRAM_BATCH][CMSG_SPACE (sizeof (guint32))];
  struct iovec   iov[TINCAN_DATAGRAM_BATCH];
  struct mmsghdr headers[TINCAN_DATAGRAM_BATCH];
} Batch;

struct _TincanDatagramReader
{
  GSocket  *socket;
  guint32   kernel_drops;     /* the socket's drop counter, last seen */
  guint64   untaken_drops;    /* drops not yet reported */
  gboolean  counts_drops;
};

static GPrivate batch_key = G_PRIVATE_INIT (g_free);

static Batch *
thread_batch (void)
{
  Batch *batch = g_private_get (&batch_key);

  if (batch == NULL)
    {
      batch = g_new (Batch, 1);
      g_private_set (&batch_key, batch);
    }

  for (guint i = 0; i < TINCAN_DATAGRAM_BATCH; i++)
    {
      batch->iov[i] = (struct iovec) { batch->data[i], sizeof batch->data[i] };
      batch->headers[i] = (struct mmsghdr) {
        .msg_hdr = {
          .msg_iov = &batch->iov[i],
          .msg_iovlen = 1,
          .msg_control = batch->control[i],
          .msg_controllen = sizeof batch->control[i],
        },
      };
    }
  return batch;
}

TincanDatagramReader *
tincan_datagram_reader_new (GSocket *socket)
{
  TincanDatagramReader *self;
  int fd;
  int on = 1;
  int wish = RECEIVE_BUFFER_WISH;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  self = g_new0 (TincanDatagramReader, 1);
  self->socket = g_object_ref (socket);
  fd = g_socket_get_fd (socket);

  self->counts_drops = setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) == 0;
  /* Best effort: the kernel caps it, and a smaller buffer still works. */
  (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &wish, sizeof wish);

  return self;
}

void
tincan_datagram_reader_free (TincanDatagramReader *self)
{
  if (self == NULL)
    return;

  g_object_unref (self->socket);
  g_free (self);
}

/* The socket's drop counter comes with each datagram: the number the
 * kernel had dropped when that datagram was queued. */
static void
note_drop_counter (TincanDatagramReader *self,
                   struct msghdr        *header)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR (header); c != NULL; c = CMSG_NXTHDR (header, c))
    {
      guint32 counter;

      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL)
        continue;
      memcpy (&counter, CMSG_DATA (c), sizeof counter);
      /* Unsigned arithmetic: right across the counter's wrap. */
      self->untaken_drops += (guint32) (counter - self->kernel_drops);
      self->kernel_drops = counter;
    }
}

/* Drops after the last datagram queued show up with the next one to
 * arrive, if any does: when the socket runs dry, ask for the counter. */
static void
poll_drop_counter (TincanDatagramReader *self)
{
  guint32 info[SK_MEMINFO_VARS];
  socklen_t length = sizeof info;

  if (getsockopt (g_socket_get_fd (self->socket), SOL_SOCKET, SO_MEMINFO, info, &length) != 0 ||
      length < (SK_MEMINFO_DROPS + 1) * sizeof (guint32))
    return;

  self->untaken_drops += (guint32) (info[SK_MEMINFO_DROPS] - self->kernel_drops);
  self->kernel_drops = info[SK_MEMINFO_DROPS];
}

/* Reads up to TINCAN_DATAGRAM_BATCH waiting datagrams without blocking and
 * calls FUNC for each. Returns how many were read (0: none was waiting), or
 * -1 with ERROR set (an ICMP error on a connected socket, for instance
 * G_IO_ERROR_CONNECTION_REFUSED for "port unreachable"). */
int
tincan_datagram_reader_read (TincanDatagramReader  *self,
                             TincanDatagramFunc     func,
                             gpointer               user_data,
                             GError               **error)
{
  Batch *batch = thread_batch ();
  int count;
  int saved_errno;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (func != NULL, -1);

  do
    count = recvmmsg (g_socket_get_fd (self->socket), batch->headers, TINCAN_DATAGRAM_BATCH,
                      MSG_DONTWAIT, NULL);
  while (count < 0 && errno == EINTR);

  if (count < 0)
    {
      saved_errno = errno;
      if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
        {
          if (self->counts_drops)
            poll_drop_counter (self);
          return 0;
        }
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return -1;
    }

  for (int i = 0; i < count; i++)
    {
      note_drop_counter (self, &batch->headers[i].msg_hdr);
      func (batch->data[i], batch->headers[i].msg_len, user_data);
    }

  return count;
}

/* The datagrams the kernel dropped for this socket since the last call,
 * because its receive buffer was full. */
guint64
tincan_datagram_reader_take_dropped (TincanDatagramReader *self)
{
  guint64 dropped;

  g_return_val_if_fail (self != NULL, 0);

  dropped = self->untaken_drops;
  self->untaken_drops = 0;
  return dropped;
}

/* The receive buffer the kernel granted, in bytes (its own bookkeeping
 * included, as SO_RCVBUF reports it). */
gsize
tincan_datagram_reader_get_buffer_size (TincanDatagramReader *self)
{
  int size = 0;
  socklen_t length = sizeof size;

  g_return_val_if_fail (self != NULL, 0);

  if (getsockopt (g_socket_get_fd (self->socket), SOL_SOCKET, SO_RCVBUF, &size, &length) != 0)
    return 0;
  return (gsize) size;
}
