/* tincan-write-queue.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The frames waiting to be written on one connection (or, in per-message
 * mode, waiting for a connection), and the non-blocking write of the ones
 * at its head. Inside src/net/ only. */

#pragma once

#include <gio/gio.h>

#include "tincan-framing.h"
#include "tincan-target.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes          *payload;   /* what the user sent: the SENT entry shows this */
  GBytes          *frame;     /* what goes on the wire: prefix, payload, suffix */
  guint8           prefix_length; /* the framing's bytes before the payload in frame */

  /* Per-message mode: the target as it was at the time of the send. */
  char            *host;
  guint            port;
  TincanTransport  transport;
  TincanFraming   *framing;
} TincanWriteItem;

typedef struct
{
  GQueue   items;         /* TincanWriteItem */
  gsize    head_offset;   /* bytes of the head frame already written */
  guint64  size;          /* bytes of the frames in the queue */
} TincanWriteQueue;

TincanWriteItem *tincan_write_item_new     (GBytes           *payload,
                                            GBytes           *frame);
void             tincan_write_item_free    (TincanWriteItem  *item);

void             tincan_write_queue_init   (TincanWriteQueue *queue);
void             tincan_write_queue_push   (TincanWriteQueue *queue,
                                            TincanWriteItem  *item);
TincanWriteItem *tincan_write_queue_pop    (TincanWriteQueue *queue);
void             tincan_write_queue_clear  (TincanWriteQueue *queue);
guint            tincan_write_queue_length (TincanWriteQueue *queue);
guint64          tincan_write_queue_unwritten (TincanWriteQueue *queue);
TincanWriteItem *tincan_write_queue_advance (TincanWriteQueue *queue,
                                            gsize            *written);
GPollableReturn  tincan_write_queue_write  (TincanWriteQueue *queue,
                                            GIOStream        *stream,
                                            gboolean          datagram,
                                            gsize            *written,
                                            gsize            *total,
                                            GError          **error);

G_END_DECLS
