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
 * struct, followed by the bytes when they were copied in. A GBytes is only
 * made when someone asks for one (tincan_message_get_bytes()), except when
 * the message was created from a GBytes, which is then kept as it is. */
struct _TincanMessage
{
  gatomicrefcount  ref_count;
  guint8           kind;
  guint8           flags;
  gsize            length;          /* of data: what is kept */
  gsize            full_length;     /* of the message: more than length when clipped */
  const guint8    *data;            /* into inline_data, or into bytes */
  GBytes          *bytes;           /* may be NULL until asked for; set atomically */
  GError          *error;           /* ERROR entries made from a GError, else NULL */
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
  self->length = 0;
  self->full_length = 0;
  self->data = self->inline_data;
  self->bytes = NULL;
  self->error = NULL;
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
  TincanMessage *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self = message_alloc (kind, flags, length);
  if (length > 0)
    memcpy (self->inline_data, data, length);
  self->length = length;
  self->full_length = length;

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
  self->error = g_error_copy (error);

  return self;
}

/**
 * tincan_message_new_clipped:
 * @message: the whole message
 * @keep: how many of its first bytes to keep
 *
 * Makes a copy of @message that keeps only its first @keep bytes but the
 * rest of what it says: kind, flags, times, error and the full length
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
  self = tincan_message_new_take_data (message->kind, message->flags, message->data, keep);
  self->full_length = message->full_length;
  self->monotonic_time = message->monotonic_time;
  self->real_time = message->real_time;
  if (message->error != NULL)
    self->error = g_error_copy (message->error);

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
      if (self->error != NULL)
        g_error_free (self->error);
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
 * tincan_message_get_bytes:
 * @self: a message
 *
 * The payload as a GBytes. For a message made from data (rather than from a
 * GBytes) the GBytes is made, with a copy, on the first call and kept.
 * tincan_message_get_data() never copies.
 *
 * Returns: (transfer none): the payload, valid as long as @self
 */
GBytes *
tincan_message_get_bytes (const TincanMessage *self)
{
  TincanMessage *mutable_self = (TincanMessage *) self;
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  bytes = g_atomic_pointer_get (&mutable_self->bytes);
  if (bytes != NULL)
    return bytes;

  /* Messages are shared between threads (the log writer), so two threads may
   * race here: the loser drops its copy. */
  bytes = g_bytes_new (self->data, self->length);
  if (!g_atomic_pointer_compare_and_exchange (&mutable_self->bytes, NULL, bytes))
    {
      g_bytes_unref (bytes);
      bytes = g_atomic_pointer_get (&mutable_self->bytes);
    }

  return bytes;
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

  return self->error;
}
