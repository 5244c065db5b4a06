/* tincan-read-join.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Raw framing: reads that follow each other with no pause become one
 * received message (see tincan-read-join.c for the rule). Inside src/net/
 * only: a TincanConnection embeds one. */

#pragma once

#include <gio/gio.h>

#include "tincan-decoder.h"
#include "tincan-message.h"

G_BEGIN_DECLS

/* How long no read may come before the reads gathered are one message. */
#define TINCAN_READ_JOIN_GAP_US 5000

typedef void (*TincanReadJoinFunc) (TincanMessage    *message,
                                    TincanFrameFlags  flags,
                                    gpointer          user_data);

typedef struct
{
  guint8   *data;             /* the bytes gathered, at most max */
  gsize     length;
  gsize     allocated;
  gsize     max;              /* the framing's maximum frame size */
  guint64   reads;            /* that brought the bytes gathered */
  gboolean  cut;              /* pieces of this run went out at max already */
  gint64    first_monotonic;  /* the first read of the message */
  gint64    first_real;
  gint64    last_read;        /* monotonic time of the last read */
  GSource  *timer;            /* dispatched a gap after the last read, or NULL */
} TincanReadJoin;

void     tincan_read_join_init     (TincanReadJoin     *self,
                                    gsize               max,
                                    GMainContext       *context,
                                    GSourceFunc         due,
                                    gpointer            due_data);
void     tincan_read_join_clear    (TincanReadJoin     *self);
gboolean tincan_read_join_active   (TincanReadJoin     *self);
void     tincan_read_join_add      (TincanReadJoin     *self,
                                    const guint8       *data,
                                    gsize               length,
                                    TincanReadJoinFunc  func,
                                    gpointer            user_data);
guint8  *tincan_read_join_reserve  (TincanReadJoin     *self,
                                    gsize               want,
                                    gsize              *room);
void     tincan_read_join_commit   (TincanReadJoin     *self,
                                    gsize               length);
gboolean tincan_read_join_due      (TincanReadJoin     *self);
void     tincan_read_join_wait     (TincanReadJoin     *self);
void     tincan_read_join_flush    (TincanReadJoin     *self,
                                    TincanReadJoinFunc  func,
                                    gpointer            user_data);

G_END_DECLS
