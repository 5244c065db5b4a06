/* tincan-connection-join.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* TincanConnection's side of joining raw reads (the rule and the buffer are
 * tincan-read-join.c's): where a read goes, the timer's callback, and the
 * flush before an end. */

#include "config.h"

#include "tincan-connection-private.h"

void
_tincan_connection_joined (TincanMessage    *message,
                           TincanFrameFlags  flags,
                           gpointer          user_data)
{
  TincanConnection *self = user_data;

  self->frames_read++;
  EMIT (self, received, message, flags,);
}

/**
 * tincan_connection_flush_joined:
 * @self: a connection
 *
 * Hands out at once what was gathered of a raw message (see
 * tincan_connection_set_join_reads()), as before an end: the owner is
 * about to stop listening.
 */
void
tincan_connection_flush_joined (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));

  tincan_read_join_flush (&self->join, _tincan_connection_joined, self);
}

/* The join's timer: a gap after the last read. Bytes still waiting in the
 * socket (the main loop was busy) mean the reads go on. */
static gboolean
join_due_cb (gpointer user_data)
{
  TincanConnection *self = user_data;
  Dispatch d;

  if (!tincan_read_join_due (&self->join))
    return G_SOURCE_CONTINUE;

  if (_tincan_connection_reading (self) && self->input != NULL &&
      g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->input)))
    {
      tincan_read_join_wait (&self->join);
      return G_SOURCE_CONTINUE;
    }

  d = _tincan_connection_dispatch_begin (self);
  tincan_connection_flush_joined (self);
  _tincan_connection_dispatch_end (self, d);
  return G_SOURCE_CONTINUE;
}

/**
 * tincan_connection_set_join_reads:
 * @self: a connection with raw framing, not started
 *
 * Reads that follow each other with no pause become one received message
 * (the rule is in tincan-read-join.c), rather than one message per read.
 * The session asks for it; the echo server does not (it echoes each read).
 */
void
tincan_connection_set_join_reads (TincanConnection *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION (self));
  g_return_if_fail (self->raw && !self->started);

  if (!tincan_read_join_active (&self->join))
    tincan_read_join_init (&self->join, tincan_framing_get_max_frame_size (self->framing),
                           self->context, join_due_cb, self);
}

/* Joined raw reads go straight into the message being gathered. */
guint8 *
_tincan_connection_read_destination (TincanConnection *self,
                                     gsize            *room)
{
  guint8 *into = NULL;

  if (tincan_read_join_active (&self->join))
    into = tincan_read_join_reserve (&self->join, READ_BUFFER_SIZE, room);
  if (into == NULL)
    {
      *room = READ_BUFFER_SIZE;
      into = self->buffer;
    }
  return into;
}
