/* tincan-message.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tincan-message.h"

/* A flood creates millions of these, so a message is one allocation: the
 * struct, followed by the bytes when they were copied in, or a GBytes when
 * the message was created from one, which is then kept as it is.
 *
 * What is stored are the wire bytes: the framing's bytes before the payload
 * (a length prefix), the payload, and the framing's bytes after it (a
 * delimiter), one after the other; data points at the payload. A clipped
 * copy keeps the framing bytes whole and the payload's first bytes. The two
 * framing lengths fit in the padding after kind and flags, so they cost
 * nothing per entry. Only an ERROR entry has a GError and only a RECEIVED
 * entry a round-trip time, so the two share a slot: the connection id is
 * the only field that makes an entry bigger (72 bytes instead of 64). */
struct _TincanMessage
{
  gatomicrefcount  ref_count;
  guint8           kind;
  guint8           flags;
  guint8           prefix_length;   /* framing bytes just before data */
  guint8           suffix_length;   /* framing bytes just after data + length */
  gsize            length;          /* of the payload at data: what is kept */
  gsize            full_length;     /* of the payload: more than length when clipped */
  const guint8    *data;            /* into inline_data, or into bytes */
  GBytes          *bytes;           /* the storage, when made from a GBytes; else NULL */
  union {
    GError        *error;           /* ERROR entries: made from a GError, else NULL */
    TincanConnectionInfo *info;     /* STATUS entries: the connection it made, or NULL */
    gint64         rtt;             /* SENT, RECEIVED: µs since the send answered, or -1 */
  } u;
  /* 4 billion of each is plenty, and two halves keep an entry at 72 bytes
   * (a transcript holds up to 100,000). */
  guint32          connection_id;   /* 0: about no connection */
  guint32          reads;           /* RECEIVED: reads the bytes came in; 0 means 1 */
  gint64           monotonic_time;
  gint64           real_time;
  guint8           inline_data[];
};

G_DEFINE_BOXED_TYPE (TincanMessage, tincan_message, tincan_message_ref, tincan_message_unref)

static TincanMessage *
message_alloc (TincanMessageKind  kind,
               TincanMessageFlags flags,
               gsize              inline_length)
{
  TincanMessage *self;

  g_assert (inline_length <= G_MAXSIZE - sizeof (TincanMessage));

  self = g_malloc (sizeof (TincanMessage) + inline_length);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = (guint8) kind;
  self->flags = (guint8) flags;
  self->prefix_length = 0;
  self->suffix_length = 0;
  self->length = 0;
  self->full_length = 0;
  self->data = self->inline_data;
  self->bytes = NULL;
  if (kind == TINCAN_MESSAGE_KIND_ERROR)
    self->u.error = NULL;
  else if (kind == TINCAN_MESSAGE_KIND_STATUS)
    self->u.info = NULL;
  else
    self->u.rtt = -1;
  self->connection_id = 0;
  self->reads = 0;
  self->monotonic_time = g_get_monotonic_time ();
  self->real_time = g_get_real_time ();

  return self;
}

/**
 * tincan_message_new:
 * @kind: what the entry is
 * @flags: how the frame came about
 * @bytes: the payload (for STATUS and ERROR entries, the UTF-8 sentence)
 *
 * Creates a message that keeps a reference to @bytes (nothing is copied).
 * The creation times are taken now.
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new (TincanMessageKind   kind,
                    TincanMessageFlags  flags,
                    GBytes             *bytes)
{
  TincanMessage *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = message_alloc (kind, flags, 0);
  self->bytes = g_bytes_ref (bytes);
  self->data = g_bytes_get_data (bytes, &self->length);
  self->full_length = self->length;

  return self;
}

/**
 * tincan_message_new_take_data:
 * @kind: what the entry is
 * @flags: how the frame came about
 * @data: (array length=length) (nullable): the payload
 * @length: length of @data
 *
 * Creates a message holding a copy of @data. Despite the name, @data is
 * copied (into the same allocation as the message): the caller keeps it.
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_take_data (TincanMessageKind   kind,
                              TincanMessageFlags  flags,
                              const guint8       *data,
                              gsize               length)
{
  return tincan_message_new_framed (kind, flags, NULL, 0, data, length, NULL, 0);
}

/**
 * tincan_message_new_framed:
 * @kind: what the entry is, SENT or RECEIVED
 * @flags: how the frame came about
 * @prefix: (array length=prefix_length) (nullable): the framing's bytes
 *   before the payload on the wire (a length prefix)
 * @prefix_length: length of @prefix, at most %TINCAN_MESSAGE_MAX_FRAMING
 * @data: (array length=length) (nullable): the payload
 * @length: length of @data
 * @suffix: (array length=suffix_length) (nullable): the framing's bytes
 *   after the payload on the wire (a delimiter)
 * @suffix_length: length of @suffix, at most %TINCAN_MESSAGE_MAX_FRAMING
 *
 * Creates a message holding a copy of the wire bytes: @prefix, @data and
 * @suffix, one after the other (in one allocation with the message).
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_framed (TincanMessageKind   kind,
                           TincanMessageFlags  flags,
                           const guint8       *prefix,
                           gsize               prefix_length,
                           const guint8       *data,
                           gsize               length,
                           const guint8       *suffix,
                           gsize               suffix_length)
{
  TincanMessage *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (prefix != NULL || prefix_length == 0, NULL);
  g_return_val_if_fail (suffix != NULL || suffix_length == 0, NULL);
  g_return_val_if_fail (prefix_length <= TINCAN_MESSAGE_MAX_FRAMING, NULL);
  g_return_val_if_fail (suffix_length <= TINCAN_MESSAGE_MAX_FRAMING, NULL);
  g_return_val_if_fail (length <= G_MAXSIZE - 2 * TINCAN_MESSAGE_MAX_FRAMING, NULL);

  self = message_alloc (kind, flags, prefix_length + length + suffix_length);
  if (prefix_length > 0)
    memcpy (self->inline_data, prefix, prefix_length);
  if (length > 0)
    memcpy (self->inline_data + prefix_length, data, length);
  if (suffix_length > 0)
    memcpy (self->inline_data + prefix_length + length, suffix, suffix_length);
  self->prefix_length = (guint8) prefix_length;
  self->suffix_length = (guint8) suffix_length;
  self->data = self->inline_data + prefix_length;
  self->length = length;
  self->full_length = length;

  return self;
}

/**
 * tincan_message_new_wire:
 * @kind: what the entry is, SENT or RECEIVED
 * @wire: the bytes as they crossed the wire; a reference is taken
 * @prefix_length: how many of its first bytes are the framing's (a length
 *   prefix), at most %TINCAN_MESSAGE_MAX_FRAMING
 * @suffix_length: how many of its last bytes are the framing's (a
 *   delimiter), at most %TINCAN_MESSAGE_MAX_FRAMING
 *
 * Creates a message that keeps a reference to @wire (nothing is copied):
 * the payload is what lies between the framing's bytes.
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_wire (TincanMessageKind  kind,
                         GBytes            *wire,
                         gsize              prefix_length,
                         gsize              suffix_length)
{
  TincanMessage *self;

  g_return_val_if_fail (wire != NULL, NULL);
  g_return_val_if_fail (prefix_length <= TINCAN_MESSAGE_MAX_FRAMING, NULL);
  g_return_val_if_fail (suffix_length <= TINCAN_MESSAGE_MAX_FRAMING, NULL);
  g_return_val_if_fail (prefix_length + suffix_length <= g_bytes_get_size (wire), NULL);

  self = tincan_message_new (kind, TINCAN_MESSAGE_NONE, wire);
  self->prefix_length = (guint8) prefix_length;
  self->suffix_length = (guint8) suffix_length;
  self->data += prefix_length;
  self->length -= prefix_length + suffix_length;
  self->full_length = self->length;

  return self;
}

/**
 * tincan_message_new_text:
 * @kind: what the entry is, usually STATUS or ERROR
 * @text: a UTF-8 sentence
 *
 * Creates a message holding a copy of @text (without its NUL).
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_text (TincanMessageKind kind,
                         const char      *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return tincan_message_new_take_data (kind, TINCAN_MESSAGE_NONE,
                                       (const guint8 *) text, strlen (text));
}

/**
 * tincan_message_new_error:
 * @error: what went wrong; its message is the sentence the entry shows
 *
 * Creates an ERROR entry that keeps a copy of @error, so that its reader
 * can tell failures apart by domain and code (tincan_message_get_error())
 * and still show the text (tincan_message_get_data()).
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_error (const GError *error)
{
  TincanMessage *self;

  g_return_val_if_fail (error != NULL, NULL);

  self = tincan_message_new_text (TINCAN_MESSAGE_KIND_ERROR, error->message);
  self->u.error = g_error_copy (error);

  return self;
}

/**
 * tincan_message_new_clipped:
 * @message: the whole message
 * @keep: how many of its first bytes to keep
 *
 * Makes a copy of @message that keeps only its first @keep bytes but the
 * rest of what it says: kind, flags, times, error, connection id, round-trip
 * time, reads and the full length
 * (tincan_message_get_length()). The window keeps such copies of long
 * messages, which it can show only in part anyway; the log gets the whole one.
 *
 * Returns: (transfer full): a new message, to release with tincan_message_unref()
 */
TincanMessage *
tincan_message_new_clipped (const TincanMessage *message,
                            gsize                keep)
{
  TincanMessage *self;

  g_return_val_if_fail (message != NULL, NULL);

  keep = MIN (keep, message->length);
  self = tincan_message_new_framed (message->kind, message->flags,
                                    message->data - message->prefix_length,
                                    message->prefix_length, message->data, keep,
                                    message->data + message->length, message->suffix_length);
  self->full_length = message->full_length;
  self->monotonic_time = message->monotonic_time;
  self->real_time = message->real_time;
  self->connection_id = message->connection_id;
  self->reads = message->reads;
  if (message->kind == TINCAN_MESSAGE_KIND_STATUS)
    self->u.info = message->u.info ? tincan_connection_info_ref (message->u.info) : NULL;
  else if (message->kind != TINCAN_MESSAGE_KIND_ERROR)
    self->u.rtt = message->u.rtt;
  else if (message->u.error != NULL)
    self->u.error = g_error_copy (message->u.error);

  return self;
}

/**
 * tincan_message_ref:
 * @self: a message
 *
 * Returns: (transfer full): @self, with one more reference (thread-safe)
 */
TincanMessage *
tincan_message_ref (TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * tincan_message_unref:
 * @self: (transfer full): a message
 *
 * Drops a reference; the last one frees the message (thread-safe).
 */
void
tincan_message_unref (TincanMessage *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->bytes != NULL)
        g_bytes_unref (self->bytes);
      if (self->kind == TINCAN_MESSAGE_KIND_ERROR && self->u.error != NULL)
        g_error_free (self->u.error);
      if (self->kind == TINCAN_MESSAGE_KIND_STATUS && self->u.info != NULL)
        tincan_connection_info_unref (self->u.info);
      g_free (self);
    }
}

/**
 * tincan_message_get_kind:
 * @self: a message
 *
 * Returns: whether the entry was sent, received, a status or an error
 */
TincanMessageKind
tincan_message_get_kind (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_MESSAGE_KIND_STATUS);

  return (TincanMessageKind) self->kind;
}

/**
 * tincan_message_get_flags:
 * @self: a message
 *
 * Returns: whether the frame was cut (TRUNCATED) or ended early (PARTIAL)
 */
TincanMessageFlags
tincan_message_get_flags (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_MESSAGE_NONE);

  return (TincanMessageFlags) self->flags;
}

/**
 * tincan_message_dup_bytes:
 * @self: a message
 *
 * The payload (what tincan_message_get_data() gives) as a GBytes: the
 * message's own storage when that is exactly the payload, else a GBytes
 * over part of it or a copy.
 *
 * Returns: (transfer full): the payload
 */
GBytes *
tincan_message_dup_bytes (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->bytes == NULL)
    return g_bytes_new (self->data, self->length);
  if (self->prefix_length == 0 && self->length == g_bytes_get_size (self->bytes))
    return g_bytes_ref (self->bytes);

  return g_bytes_new_from_bytes (self->bytes, self->prefix_length, self->length);
}

/**
 * tincan_message_get_data:
 * @self: a message
 * @length: (out) (optional): where to store the length
 *
 * Returns: (transfer none) (array length=length): the payload (only its
 *   first bytes for a clipped copy), valid as long as @self; not NUL-terminated
 */
const guint8 *
tincan_message_get_data (const TincanMessage *self,
                         gsize               *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (length != NULL)
    *length = self->length;

  return self->data;
}

/**
 * tincan_message_get_length:
 * @self: a message
 *
 * Returns: how many bytes the message had; for a clipped copy
 *   (tincan_message_new_clipped()) more than tincan_message_get_data() holds
 */
gsize
tincan_message_get_length (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->full_length;
}

/**
 * tincan_message_get_prefix:
 * @self: a message
 * @length: (out) (optional): where to store the length
 *
 * Returns: (transfer none) (array length=length): the framing's bytes that
 *   came before the payload on the wire (a length prefix; empty for other
 *   framings and for the later pieces of a cut frame)
 */
const guint8 *
tincan_message_get_prefix (const TincanMessage *self,
                           gsize               *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (length != NULL)
    *length = self->prefix_length;

  return self->data - self->prefix_length;
}

/**
 * tincan_message_get_suffix:
 * @self: a message
 * @length: (out) (optional): where to store the length
 *
 * Returns: (transfer none) (array length=length): the framing's bytes that
 *   came after the payload on the wire (a delimiter the framing does not
 *   keep; empty for other framings, for all pieces but the last of a cut
 *   frame, and for a frame the stream ended in)
 */
const guint8 *
tincan_message_get_suffix (const TincanMessage *self,
                           gsize               *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (length != NULL)
    *length = self->suffix_length;

  return self->data + self->length;
}

/**
 * tincan_message_get_wire_length:
 * @self: a message
 *
 * Returns: how many bytes crossed the wire for @self: the framing's bytes
 *   and the whole payload (tincan_message_get_length()); 0 for STATUS and
 *   ERROR entries
 */
gsize
tincan_message_get_wire_length (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->kind != TINCAN_MESSAGE_KIND_SENT && self->kind != TINCAN_MESSAGE_KIND_RECEIVED)
    return 0;

  return self->prefix_length + self->full_length + self->suffix_length;
}

/**
 * tincan_message_get_monotonic_time:
 * @self: a message
 *
 * Returns: g_get_monotonic_time() when @self was created, for measuring
 *   intervals between entries
 */
gint64
tincan_message_get_monotonic_time (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->monotonic_time;
}

/**
 * tincan_message_get_real_time:
 * @self: a message
 *
 * Returns: g_get_real_time() when @self was created, for showing a time of day
 */
gint64
tincan_message_get_real_time (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->real_time;
}

/**
 * tincan_message_get_error:
 * @self: a message
 *
 * Returns: (transfer none) (nullable): the failure an ERROR entry reports,
 *   %NULL for other entries (and for ERROR entries made from plain text)
 */
const GError *
tincan_message_get_error (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->kind != TINCAN_MESSAGE_KIND_ERROR)
    return NULL;

  return self->u.error;
}

/**
 * tincan_message_get_connection_id:
 * @self: a message
 *
 * Returns: the number of the connection the entry is about (its sent and
 *   received frames, its status and error sentences), unique in the process
 *   and counted from 1; 0 when the entry concerns no connection
 */
guint64
tincan_message_get_connection_id (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->connection_id;
}

/**
 * tincan_message_get_rtt:
 * @self: a message
 *
 * The round-trip time of a RECEIVED entry: the first one after a send on
 * the same connection carries the time from the end of that send's write
 * (see tincan_message_get_monotonic_time() of its SENT entry) to this
 * entry's creation.
 *
 * Returns: microseconds, or -1 when the entry carries none
 */
gint64
tincan_message_get_rtt (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, -1);

  if (self->kind == TINCAN_MESSAGE_KIND_ERROR || self->kind == TINCAN_MESSAGE_KIND_STATUS)
    return -1;

  return self->u.rtt;
}

/**
 * _tincan_message_set_exchange:
 * @self: a message nobody else has seen yet
 * @connection_id: the connection it is about, or 0
 * @rtt: microseconds since the send it answers, or -1 (ignored for ERROR entries)
 *
 * For the session, which stamps its entries before it hands them out: a
 * message is immutable once shared.
 */
void
_tincan_message_set_exchange (TincanMessage *self,
                              guint64        connection_id,
                              gint64         rtt)
{
  g_return_if_fail (self != NULL);

  self->connection_id = (guint32) connection_id;
  if (self->kind == TINCAN_MESSAGE_KIND_SENT || self->kind == TINCAN_MESSAGE_KIND_RECEIVED)
    self->u.rtt = rtt;
}

/**
 * tincan_message_get_connection_info:
 * @self: a message
 *
 * Returns: (transfer none) (nullable): on the STATUS entry that says a
 *   connection was made, what that connection is (its ends and transport);
 *   %NULL on every other entry
 */
const TincanConnectionInfo *
tincan_message_get_connection_info (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->kind == TINCAN_MESSAGE_KIND_STATUS ? self->u.info : NULL;
}

/**
 * _tincan_message_set_connection_info:
 * @self: a STATUS message nobody else has seen yet
 * @info: (transfer none): the connection it announces
 */
void
_tincan_message_set_connection_info (TincanMessage        *self,
                                     TincanConnectionInfo *info)
{
  g_return_if_fail (self != NULL && self->kind == TINCAN_MESSAGE_KIND_STATUS);
  g_return_if_fail (self->u.info == NULL);

  self->u.info = tincan_connection_info_ref (info);
}

/**
 * tincan_message_get_reads:
 * @self: a message
 *
 * Returns: how many reads a RECEIVED entry's bytes came in: more than 1
 *   only when raw framing joined reads that came with no pause (see
 *   tincan-read-join.c); 1 for every other entry
 */
guint64
tincan_message_get_reads (const TincanMessage *self)
{
  g_return_val_if_fail (self != NULL, 1);

  return self->kind == TINCAN_MESSAGE_KIND_RECEIVED ? MAX (self->reads, 1) : 1;
}

/**
 * tincan_message_set_arrival:
 * @self: a RECEIVED message not yet handed to anyone
 * @reads: how many reads its bytes came in
 * @monotonic_time: g_get_monotonic_time() at the first of them
 * @real_time: g_get_real_time() at the first of them
 *
 * For the one who makes a message of joined reads, before it shares it: the
 * entry's time is when its first byte came, not when the reads were joined.
 */
void
tincan_message_set_arrival (TincanMessage *self,
                            guint64        reads,
                            gint64         monotonic_time,
                            gint64         real_time)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->kind == TINCAN_MESSAGE_KIND_RECEIVED);

  self->reads = (guint32) MIN (reads, G_MAXUINT32);
  self->monotonic_time = monotonic_time;
  self->real_time = real_time;
}

/**
 * _tincan_message_set_read_back:
 * @self: a message nobody else has seen yet
 * @real_time: when it was made, as the log says (g_get_real_time() units)
 * @reads: for a RECEIVED entry, the reads it came in; else ignored
 *
 * For the log reader, which makes entries of records written long ago.
 */
void
_tincan_message_set_read_back (TincanMessage *self,
                               gint64         real_time,
                               guint64        reads)
{
  g_return_if_fail (self != NULL);

  self->real_time = real_time;
  if (self->kind == TINCAN_MESSAGE_KIND_RECEIVED)
    self->reads = (guint32) MIN (reads, G_MAXUINT32);
}
