/* tincan-read-join.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tincan-read-join.h"

/* The rule. Raw framing has no boundaries of its own, and a server's reply
 * (an HTTP response, say) comes in as many reads as the socket and the 64 KiB
 * read buffer cut it into. So reads that follow each other with no pause are
 * one message: it ends when
 *   - no read came for TINCAN_READ_JOIN_GAP_US (5 ms) and nothing is waiting
 *     in the socket (the owner checks that, so that a main loop busy with
 *     painting, which reads late, does not cut a message), or
 *   - it reaches the maximum frame size: that piece goes out flagged
 *     TRUNCATED and the rest of the run follows as its continuation, the last
 *     piece TRUNCATED | FINAL, as the decoder cuts any frame, or
 *   - the stream ends, fails or is closed.
 * Python's http.server sends a 165 kB file as headers and 64 KiB writes that
 * arrive less than 0.2 ms apart on loopback; 5 ms leaves room for a busy
 * machine's scheduling and is still no pause a person could notice. The
 * message's time is that of its first read, so that round-trip times do not
 * include the wait.
 *
 * Cost: one timer per connection, armed once per message and moved only when
 * it fires (reads just note their time). Reads go straight into the buffer
 * of the message (tincan_read_join_reserve()), which never holds more than
 * the maximum frame size; a message of 8 KiB or more takes the buffer over,
 * smaller ones are copied out of it. */

#define STEAL_THRESHOLD (8 * 1024)
#define FIRST_ALLOCATION (64 * 1024)

static gboolean
join_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  /* A source with a ready time only is dispatched until it is disarmed. */
  g_source_set_ready_time (source, -1);
  return callback != NULL ? callback (user_data) : G_SOURCE_CONTINUE;
}

static GSourceFuncs join_source_funcs = {
  NULL, NULL, join_source_dispatch, NULL, NULL, NULL
};

/**
 * tincan_read_join_init:
 * @self: a join, zeroed
 * @max: the framing's maximum frame size: no message is longer
 * @context: where the timer runs
 * @due: called (on @context) a gap after a read; it calls
 *   tincan_read_join_due(), then tincan_read_join_wait() or _flush(), and
 *   returns %G_SOURCE_CONTINUE
 * @due_data: for @due, which must outlive the join
 */
void
tincan_read_join_init (TincanReadJoin *self,
                       gsize           max,
                       GMainContext   *context,
                       GSourceFunc     due,
                       gpointer        due_data)
{
  g_return_if_fail (self->timer == NULL);
  g_return_if_fail (max > 0);

  self->max = max;
  self->timer = g_source_new (&join_source_funcs, sizeof (GSource));
  g_source_set_static_name (self->timer, "[tincan] read join");
  g_source_set_priority (self->timer, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->timer, due, due_data, NULL);
  g_source_attach (self->timer, context);
}

/* Drops what was gathered, unsaid, and the timer. */
void
tincan_read_join_clear (TincanReadJoin *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_pointer (&self->data, g_free);
  self->length = self->allocated = 0;
  self->reads = 0;
  self->cut = FALSE;
}

/* Whether reads are joined (init was called and clear was not). */
gboolean
tincan_read_join_active (TincanReadJoin *self)
{
  return self->timer != NULL;
}

static void
emit (TincanReadJoin     *self,
      TincanFrameFlags    flags,
      TincanReadJoinFunc  func,
      gpointer            user_data)
{
  TincanMessageFlags message_flags =
    (flags & TINCAN_FRAME_TRUNCATED) ? TINCAN_MESSAGE_TRUNCATED : TINCAN_MESSAGE_NONE;
  TincanMessage *message;

  if (self->length >= STEAL_THRESHOLD)
    {
      g_autoptr(GBytes) bytes = NULL;

      bytes = g_bytes_new_take (g_realloc (self->data, self->length), self->length);
      self->data = NULL;
      self->allocated = 0;
      message = tincan_message_new (TINCAN_MESSAGE_KIND_RECEIVED, message_flags, bytes);
    }
  else
    message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, message_flags,
                                            self->data, self->length);

  tincan_message_set_arrival (message, self->reads, self->first_monotonic, self->first_real);
  self->length = 0;
  self->reads = 0;
  func (message, flags, user_data);
}

/* Makes room for @length more bytes (within max). */
static void
grow (TincanReadJoin *self,
      gsize           length)
{
  gsize needed = self->length + length;

  g_assert (needed <= self->max);
  if (needed > self->allocated)
    {
      gsize allocated = MAX (self->allocated, MIN (FIRST_ALLOCATION, self->max));

      while (allocated < needed)
        allocated = MIN (allocated * 2, self->max);
      self->data = g_realloc (self->data, allocated);
      self->allocated = allocated;
    }
}

/* A read of @length bytes is in place after the bytes gathered. */
static void
note_read (TincanReadJoin *self,
           gsize           length,
           gint64          now,
           gboolean        counted)
{
  if (self->length == 0 && self->reads == 0)
    {
      self->first_monotonic = now;
      self->first_real = g_get_real_time ();
    }
  self->length += length;
  if (!counted)
    self->reads++;
}

/* Armed once per message; a read only notes its time (see _due()). */
static void
arm (TincanReadJoin *self,
     gint64          now)
{
  self->last_read = now;
  if (g_source_get_ready_time (self->timer) == -1)
    g_source_set_ready_time (self->timer, now + TINCAN_READ_JOIN_GAP_US);
}

/**
 * tincan_read_join_reserve:
 * @self: an active join
 * @want: how many bytes the next read may bring
 * @room: (out): how many it may bring here
 *
 * Reading straight after the bytes gathered spares a copy: the read then
 * goes to tincan_read_join_commit(). %NULL when a piece is full: read
 * elsewhere and tincan_read_join_add(), which cuts it.
 *
 * Returns: (nullable): where to read @room bytes at most
 */
guint8 *
tincan_read_join_reserve (TincanReadJoin *self,
                          gsize           want,
                          gsize          *room)
{
  g_return_val_if_fail (tincan_read_join_active (self), NULL);

  *room = MIN (want, self->max - self->length);
  if (*room == 0)
    return NULL;
  grow (self, *room);
  return self->data + self->length;
}

/**
 * tincan_read_join_commit:
 * @self: an active join
 * @length: how many bytes a read put where tincan_read_join_reserve() said
 *
 * Gathers that read and (re)starts the wait for the gap.
 */
void
tincan_read_join_commit (TincanReadJoin *self,
                         gsize           length)
{
  gint64 now;

  g_return_if_fail (tincan_read_join_active (self));
  g_return_if_fail (self->length + length <= MIN (self->allocated, self->max));

  if (length == 0)
    return;

  now = g_get_monotonic_time ();
  note_read (self, length, now, FALSE);
  arm (self, now);
}

/**
 * tincan_read_join_add:
 * @self: an active join
 * @data: (array length=length): the bytes of one read
 * @length: length of @data
 * @func: gets each piece that reaches the maximum frame size (TRUNCATED),
 *   and owns it
 * @user_data: for @func
 *
 * Gathers one read and (re)starts the wait for the gap.
 */
void
tincan_read_join_add (TincanReadJoin     *self,
                      const guint8       *data,
                      gsize               length,
                      TincanReadJoinFunc  func,
                      gpointer            user_data)
{
  gint64 now;
  gboolean counted = FALSE;

  g_return_if_fail (tincan_read_join_active (self));

  if (length == 0)
    return;

  now = g_get_monotonic_time ();
  while (length > 0)
    {
      gsize take;

      /* Full, and more comes: the piece goes out, the rest continues it. */
      if (self->length == self->max)
        {
          self->cut = TRUE;
          emit (self, TINCAN_FRAME_TRUNCATED, func, user_data);
          counted = FALSE;
        }

      take = MIN (length, self->max - self->length);
      grow (self, take);
      memcpy (self->data + self->length, data, take);
      note_read (self, take, now, counted);
      counted = TRUE;
      data += take;
      length -= take;
    }
  arm (self, now);
}

/**
 * tincan_read_join_due:
 * @self: an active join
 *
 * In the timer's callback: whether the gap has passed since the last read.
 * If not, the timer is moved to a gap after it.
 *
 * Returns: whether the gap has passed
 */
gboolean
tincan_read_join_due (TincanReadJoin *self)
{
  g_return_val_if_fail (tincan_read_join_active (self), FALSE);

  if (self->length == 0)
    return FALSE;

  if (g_get_monotonic_time () - self->last_read >= TINCAN_READ_JOIN_GAP_US)
    return TRUE;

  g_source_set_ready_time (self->timer, self->last_read + TINCAN_READ_JOIN_GAP_US);
  return FALSE;
}

/* Bytes are waiting to be read: look again a gap later. */
void
tincan_read_join_wait (TincanReadJoin *self)
{
  g_return_if_fail (tincan_read_join_active (self));

  g_source_set_ready_time (self->timer, g_get_monotonic_time () + TINCAN_READ_JOIN_GAP_US);
}

/**
 * tincan_read_join_flush:
 * @self: a join
 * @func: gets the message gathered, if any, and owns it
 * @user_data: for @func
 *
 * Hands out what was gathered as one message: COMPLETE, or TRUNCATED |
 * FINAL when it continues a piece cut at the maximum frame size.
 */
void
tincan_read_join_flush (TincanReadJoin     *self,
                        TincanReadJoinFunc  func,
                        gpointer            user_data)
{
  if (!tincan_read_join_active (self))
    return;

  g_source_set_ready_time (self->timer, -1);
  if (self->length == 0)
    return;

  emit (self, self->cut ? TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE,
        func, user_data);
  self->cut = FALSE;
}
