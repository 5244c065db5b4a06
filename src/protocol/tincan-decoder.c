/* tincan-decoder.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tincan-decoder.h"

/* How the decoder works
 *
 * Frames that lie wholly inside a fed chunk are handed out in place: the
 * callback gets a pointer into the caller's chunk and nothing is copied. Only
 * the unfinished tail of a chunk is copied into one growable buffer, which is
 * reused for every frame; the next chunk completes it there. Searching is done
 * with memchr (and memcmp for delimiters longer than one byte), so no C loop
 * walks the payload byte by byte.
 *
 * The buffer never holds more than max_frame_size bytes of payload: once a
 * frame is known to be longer, its first max_frame_size bytes go out as a
 * TRUNCATED piece. For a delimiter that is known when max_frame_size + 1
 * bytes have arrived none of which starts a delimiter, which is why the
 * buffer may also hold up to delimiter length - 1 bytes more (they may be the
 * start of a delimiter). The pieces are always the first max_frame_size bytes
 * of what is left of the frame, so they do not depend on how the stream was
 * chunked.
 */

struct _TincanDecoder
{
  TincanFraming *framing;

  /* Copied out of the framing: they are read for every chunk. */
  TincanFramingKind kind;
  gsize max;
  const guint8 *delimiter;
  gsize delimiter_length;
  gboolean keep_delimiter;
  guint prefix_width;
  gboolean big_endian;

  /* The unfinished frame (its payload; for a delimiter, maybe the start of
   * the delimiter too). */
  guint8 *buffer;
  gsize length;
  gsize allocated;

  /* TRUNCATED pieces of the current frame have been handed out. */
  gboolean cutting;

  /* Length prefix: the prefix has been read and the payload is being read;
   * remaining counts the payload bytes not yet handed out, buffered included. */
  gboolean in_payload;
  guint64 remaining;
  guint8 prefix[8];
  guint prefix_length;

  /* The current frame's whole prefix as it arrived (prefix above is where an
   * unfinished one is gathered), for tincan_decoder_get_frame_prefix(). */
  guint8 frame_prefix[8];
  gboolean frame_prefix_valid;

  /* Set while the frame callback runs, to catch re-entrant calls. */
  gboolean busy;
};

/* What an empty frame points at when there is no chunk to point into. */
static const guint8 empty_frame[1];

/**
 * tincan_decoder_new:
 * @framing: how the stream is framed
 *
 * Creates a decoder that cuts a byte stream into frames as @framing says.
 *
 * Returns: (transfer full): a new decoder, to free with tincan_decoder_free()
 */
TincanDecoder *
tincan_decoder_new (TincanFraming *framing)
{
  TincanDecoder *self;

  g_return_val_if_fail (framing != NULL, NULL);

  self = g_new0 (TincanDecoder, 1);
  self->framing = tincan_framing_ref (framing);
  self->kind = tincan_framing_get_kind (framing);
  self->max = tincan_framing_get_max_frame_size (framing);
  self->delimiter = tincan_framing_get_delimiter (framing, &self->delimiter_length);
  self->keep_delimiter = tincan_framing_get_keep_delimiter (framing);
  self->prefix_width = tincan_framing_get_prefix_width (framing);
  self->big_endian = tincan_framing_get_big_endian (framing);

  return self;
}

/**
 * tincan_decoder_free:
 * @self: (transfer full): a decoder
 *
 * Frees @self and whatever it had buffered, without handing it out.
 */
void
tincan_decoder_free (TincanDecoder *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->busy);

  g_free (self->buffer);
  tincan_framing_unref (self->framing);
  g_free (self);
}

static void
buffer_append (TincanDecoder *self,
               const guint8  *data,
               gsize          length)
{
  gsize needed;

  if (length == 0)
    return;

  g_assert (length <= G_MAXSIZE - self->length);
  needed = self->length + length;

  if (needed > self->allocated)
    {
      gsize allocated = MAX (self->allocated, 256);

      /* Double, so that a frame growing over many chunks costs few
       * reallocations; the bound on the buffered bytes bounds this too. */
      while (allocated < needed)
        allocated = allocated > G_MAXSIZE / 2 ? needed : allocated * 2;

      self->buffer = g_realloc (self->buffer, allocated);
      self->allocated = allocated;
    }

  memcpy (self->buffer + self->length, data, length);
  self->length = needed;
}

/* Drops the first @count buffered bytes. Only used to drop a handed-out piece,
 * which leaves less than a delimiter's length behind, so the move is short. */
static void
buffer_consume (TincanDecoder *self,
                gsize          count)
{
  g_assert (count <= self->length);

  if (count < self->length)
    memmove (self->buffer, self->buffer + count, self->length - count);
  self->length -= count;
}

static const guint8 *
find_delimiter (TincanDecoder *self,
                const guint8  *data,
                gsize          length)
{
  const guint8 *delimiter = self->delimiter;
  gsize delimiter_length = self->delimiter_length;
  const guint8 *p = data;
  const guint8 *last;

  if (delimiter_length == 1)
    return memchr (data, delimiter[0], length);

  if (length < delimiter_length)
    return NULL;

  last = data + (length - delimiter_length);
  while (p <= last)
    {
      p = memchr (p, delimiter[0], (gsize) (last - p) + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p + 1, delimiter + 1, delimiter_length - 1) == 0)
        return p;
      p++;
    }

  return NULL;
}

/* Whether a frame with @length bytes buffered and no delimiter found in them
 * is known to be longer than max: no delimiter can start in its first max + 1
 * bytes any more. */
static inline gboolean
delimited_exceeds_max (TincanDecoder *self,
                       gsize          length)
{
  return length >= self->delimiter_length && length - self->delimiter_length >= self->max;
}

/* Hands out the frame whose content is [@data, @data + @length), followed in
 * memory by the delimiter: in one piece, or in pieces of max bytes. */
static void
emit_delimited (TincanDecoder   *self,
                const guint8    *data,
                gsize            length,
                TincanFrameFunc  func,
                gpointer         user_data)
{
  TincanFrameFlags flags;

  while (length > self->max)
    {
      self->cutting = TRUE;
      func (data, self->max, TINCAN_FRAME_TRUNCATED, user_data);
      data += self->max;
      length -= self->max;
    }

  flags = self->cutting ? TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE;
  self->cutting = FALSE;
  func (data, length + (self->keep_delimiter ? self->delimiter_length : 0), flags, user_data);
}

/* [@data, @data + @length) starts a frame and holds no whole delimiter: hand
 * out what is known to be too long, keep the rest. */
static void
stash_tail (TincanDecoder   *self,
            const guint8    *data,
            gsize            length,
            TincanFrameFunc  func,
            gpointer         user_data)
{
  g_assert (self->length == 0);

  while (delimited_exceeds_max (self, length))
    {
      self->cutting = TRUE;
      func (data, self->max, TINCAN_FRAME_TRUNCATED, user_data);
      data += self->max;
      length -= self->max;
    }

  buffer_append (self, data, length);
}

/* Tops the buffer up to max bytes from @data (from *@used on) and hands those
 * max bytes out as a TRUNCATED piece. The caller has made sure the frame has
 * that many bytes. */
static void
emit_buffered_piece (TincanDecoder   *self,
                     const guint8    *data,
                     gsize           *used,
                     TincanFrameFunc  func,
                     gpointer         user_data)
{
  if (self->length < self->max)
    {
      gsize take = self->max - self->length;

      buffer_append (self, data + *used, take);
      *used += take;
    }

  self->cutting = TRUE;
  func (self->buffer, self->max, TINCAN_FRAME_TRUNCATED, user_data);
  buffer_consume (self, self->max);
}

/* Continues the buffered frame with a new chunk. Returns how many bytes of
 * the chunk it used: all of them, or up to the end of the delimiter that
 * finished the frame (the buffer is then empty). */
static gsize
continue_delimited (TincanDecoder   *self,
                    const guint8    *data,
                    gsize            length,
                    TincanFrameFunc  func,
                    gpointer         user_data)
{
  gsize delimiter_length = self->delimiter_length;
  /* Positions below are counted from the start of the buffer, as if the
   * unused part of the chunk, data + used, followed the buffer. */
  gsize end_of_content = 0;
  gsize end_of_delimiter;
  gsize used = 0;
  gsize frame_length;
  gsize from_chunk;
  gboolean found = FALSE;
  TincanFrameFlags flags;

  /* A delimiter may have begun at the end of the previous chunk (CR | LF).
   * The buffer holds no whole delimiter, so only one starting in its last
   * delimiter_length - 1 bytes is possible; look in those and the chunk's
   * first bytes. */
  if (delimiter_length > 1)
    {
      guint8 junction[2 * (TINCAN_FRAMING_MAX_DELIMITER_LENGTH - 1)];
      gsize tail = MIN (self->length, delimiter_length - 1);
      gsize head = MIN (length, delimiter_length - 1);
      const guint8 *hit;

      memcpy (junction, self->buffer + self->length - tail, tail);
      memcpy (junction + tail, data, head);
      hit = find_delimiter (self, junction, tail + head);
      if (hit != NULL && (gsize) (hit - junction) < tail)
        {
          found = TRUE;
          end_of_content = self->length - tail + (gsize) (hit - junction);
        }
    }

  if (!found)
    {
      const guint8 *hit = find_delimiter (self, data, length);

      if (hit != NULL)
        {
          found = TRUE;
          end_of_content = self->length + (gsize) (hit - data);
        }
    }

  if (!found)
    {
      /* The whole chunk belongs to the frame. */
      while (delimited_exceeds_max (self, self->length + (length - used)))
        {
          emit_buffered_piece (self, data, &used, func, user_data);
          if (self->length == 0)
            {
              stash_tail (self, data + used, length - used, func, user_data);
              return length;
            }
        }

      buffer_append (self, data + used, length - used);
      return length;
    }

  end_of_delimiter = end_of_content + delimiter_length;

  while (end_of_content > self->max)
    {
      emit_buffered_piece (self, data, &used, func, user_data);
      end_of_content -= self->max;
      end_of_delimiter -= self->max;

      if (self->length == 0)
        {
          /* The rest of the frame lies in the chunk: no need to copy it. */
          emit_delimited (self, data + used, end_of_content, func, user_data);
          return used + end_of_delimiter;
        }
    }

  /* The buffer holds no whole delimiter, so this one ends in the chunk. */
  g_assert (end_of_delimiter > self->length);
  from_chunk = end_of_delimiter - self->length;
  frame_length = self->keep_delimiter ? end_of_delimiter : end_of_content;
  if (frame_length > self->length)
    buffer_append (self, data + used, frame_length - self->length);
  used += from_chunk;

  flags = self->cutting ? TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE;
  self->cutting = FALSE;
  self->length = 0;
  func (self->buffer, frame_length, flags, user_data);

  return used;
}

static void
feed_delimited (TincanDecoder   *self,
                const guint8    *data,
                gsize            length,
                TincanFrameFunc  func,
                gpointer         user_data)
{
  const guint8 *p = data;
  const guint8 *end = data + length;

  if (self->length > 0)
    p += continue_delimited (self, data, length, func, user_data);

  while (p < end)
    {
      const guint8 *hit = find_delimiter (self, p, (gsize) (end - p));

      if (hit == NULL)
        {
          stash_tail (self, p, (gsize) (end - p), func, user_data);
          break;
        }

      emit_delimited (self, p, (gsize) (hit - p), func, user_data);
      p = hit + self->delimiter_length;
    }
}

static guint64
read_prefix (TincanDecoder *self,
             const guint8  *p)
{
  guint16 u16;
  guint32 u32;
  guint64 u64;

  switch (self->prefix_width)
    {
    case 1:
      return p[0];

    case 2:
      memcpy (&u16, p, sizeof u16);
      return self->big_endian ? GUINT16_FROM_BE (u16) : GUINT16_FROM_LE (u16);

    case 4:
      memcpy (&u32, p, sizeof u32);
      return self->big_endian ? GUINT32_FROM_BE (u32) : GUINT32_FROM_LE (u32);

    case 8:
    default:
      memcpy (&u64, p, sizeof u64);
      return self->big_endian ? GUINT64_FROM_BE (u64) : GUINT64_FROM_LE (u64);
    }
}

/* Hands out the next @length payload bytes of the current frame. */
static void
emit_payload (TincanDecoder   *self,
              const guint8    *data,
              gsize            length,
              TincanFrameFunc  func,
              gpointer         user_data)
{
  TincanFrameFlags flags;

  self->remaining -= length;
  if (self->remaining > 0)
    {
      self->cutting = TRUE;
      flags = TINCAN_FRAME_TRUNCATED;
    }
  else
    {
      flags = self->cutting ? TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE;
      self->cutting = FALSE;
      self->in_payload = FALSE;
    }

  func (data, length, flags, user_data);
}

static void
feed_length_prefix (TincanDecoder   *self,
                    const guint8    *data,
                    gsize            length,
                    TincanFrameFunc  func,
                    gpointer         user_data)
{
  const guint8 *p = data;
  const guint8 *end = data + length;
  guint width = self->prefix_width;

  while (p < end)
    {
      gsize available;
      gsize piece;

      if (!self->in_payload)
        {
          guint64 frame_length;

          if (self->prefix_length == 0 && (gsize) (end - p) >= width)
            {
              frame_length = read_prefix (self, p);
              memcpy (self->frame_prefix, p, width);
              p += width;
            }
          else
            {
              gsize take = MIN (width - self->prefix_length, (gsize) (end - p));

              memcpy (self->prefix + self->prefix_length, p, take);
              self->prefix_length += take;
              p += take;
              if (self->prefix_length < width)
                break;

              frame_length = read_prefix (self, self->prefix);
              memcpy (self->frame_prefix, self->prefix, width);
              self->prefix_length = 0;
            }

          self->frame_prefix_valid = TRUE;
          if (frame_length == 0)
            {
              func (p, 0, TINCAN_FRAME_COMPLETE, user_data);
              continue;
            }

          self->in_payload = TRUE;
          self->remaining = frame_length;
        }

      /* The next piece: the rest of the frame, or max bytes of it. */
      piece = (gsize) MIN (self->remaining, (guint64) self->max);
      available = (gsize) (end - p);

      if (self->length == 0 && available >= piece)
        {
          emit_payload (self, p, piece, func, user_data);
          p += piece;
        }
      else
        {
          gsize take = MIN (piece - self->length, available);

          buffer_append (self, p, take);
          p += take;
          if (self->length < piece)
            break;

          self->length = 0;
          emit_payload (self, self->buffer, piece, func, user_data);
        }
    }
}

static void
feed_raw (TincanDecoder   *self,
          const guint8    *data,
          gsize            length,
          TincanFrameFunc  func,
          gpointer         user_data)
{
  if (length == 0)
    return;

  /* A chunk is never buffered, but those who read the frames may still rely
   * on no frame being longer than max. */
  while (length > self->max)
    {
      self->cutting = TRUE;
      func (data, self->max, TINCAN_FRAME_TRUNCATED, user_data);
      data += self->max;
      length -= self->max;
    }

  func (data, length,
        self->cutting ? TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE,
        user_data);
  self->cutting = FALSE;
}

/**
 * tincan_decoder_feed:
 * @self: a decoder
 * @data: (array length=length): the next bytes of the stream
 * @length: length of @data
 * @func: (scope call): called once for every frame @data completes, in order
 * @user_data: data for @func
 *
 * Feeds the next chunk of the stream. The frames are the same however the
 * stream is cut into chunks (except with raw framing, where a chunk is a
 * frame). The data handed to @func is only valid during the call; @func must
 * not feed, finish, reset or free @self.
 */
void
tincan_decoder_feed (TincanDecoder   *self,
                     const guint8    *data,
                     gsize            length,
                     TincanFrameFunc  func,
                     gpointer         user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (func != NULL);
  g_return_if_fail (!self->busy);

  if (length == 0)
    return;

  self->busy = TRUE;

  switch (self->kind)
    {
    case TINCAN_FRAMING_DELIMITER:
      feed_delimited (self, data, length, func, user_data);
      break;

    case TINCAN_FRAMING_LENGTH_PREFIX:
      feed_length_prefix (self, data, length, func, user_data);
      break;

    case TINCAN_FRAMING_RAW:
    default:
      feed_raw (self, data, length, func, user_data);
      break;
    }

  self->busy = FALSE;
}

/**
 * tincan_decoder_finish:
 * @self: a decoder
 * @func: (scope call): called for the unfinished frame, if any
 * @user_data: data for @func
 *
 * Ends the stream. If a frame was begun but not finished, @func gets what
 * arrived of it, flagged %TINCAN_FRAME_PARTIAL (and %TINCAN_FRAME_TRUNCATED
 * if pieces of it have gone out already, or if it has to be cut because it
 * is longer than max). That includes a length prefix whose payload never
 * came (an empty PARTIAL frame) and the bytes of an incomplete length prefix.
 * Then @self is reset and can decode a new stream.
 */
void
tincan_decoder_finish (TincanDecoder   *self,
                       TincanFrameFunc  func,
                       gpointer         user_data)
{
  const guint8 *data;
  gsize length;
  gsize max;

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);
  g_return_if_fail (!self->busy);

  data = self->buffer != NULL ? self->buffer : empty_frame;
  length = self->length;
  max = self->max;

  if (self->kind == TINCAN_FRAMING_LENGTH_PREFIX && !self->in_payload)
    {
      /* The bytes of an unfinished prefix are not a frame that could be too
       * long: they go out in one piece, even with a max below 8. */
      data = self->prefix;
      length = self->prefix_length;
      max = G_MAXSIZE;
      self->frame_prefix_valid = FALSE;
    }

  if (length > 0 || self->cutting || self->in_payload)
    {
      self->busy = TRUE;

      /* Only a delimiter frame can hold more than max here: the bytes that
       * might have begun a delimiter turn out to be content. */
      while (length > max)
        {
          self->cutting = TRUE;
          func (data, self->max, TINCAN_FRAME_TRUNCATED, user_data);
          data += self->max;
          length -= self->max;
        }

      func (data, length,
            TINCAN_FRAME_PARTIAL | (self->cutting ? TINCAN_FRAME_TRUNCATED : 0),
            user_data);

      self->busy = FALSE;
    }

  tincan_decoder_reset (self);
}

/**
 * tincan_decoder_reset:
 * @self: a decoder
 *
 * Drops any unfinished frame without handing it out and frees the buffer, so
 * that @self can decode a new stream.
 */
void
tincan_decoder_reset (TincanDecoder *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->busy);

  g_clear_pointer (&self->buffer, g_free);
  self->length = 0;
  self->allocated = 0;
  self->cutting = FALSE;
  self->in_payload = FALSE;
  self->remaining = 0;
  self->prefix_length = 0;
  self->frame_prefix_valid = FALSE;
}

/**
 * tincan_decoder_get_pending:
 * @self: a decoder
 *
 * Returns: how many bytes of an unfinished frame (or length prefix) are
 *   buffered: at most the maximum frame size plus the delimiter length - 1
 */
gsize
tincan_decoder_get_pending (TincanDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length + self->prefix_length;
}

/**
 * tincan_decoder_get_frame_prefix:
 * @self: a decoder
 * @length: (out): where to store the prefix's length
 *
 * For a frame callback that wants the wire bytes: called during a
 * #TincanFrameFunc call with a length-prefix framing, gives the length
 * prefix of the frame the piece belongs to, as it arrived. It came just
 * before the frame's first piece (a COMPLETE frame, the first TRUNCATED
 * piece, or a PARTIAL one that does not follow TRUNCATED pieces).
 *
 * Returns: (array length=length) (nullable): the prefix, valid during the
 *   call; %NULL with other framings, and when the piece is itself the bytes
 *   of an unfinished prefix (PARTIAL, from tincan_decoder_finish())
 */
const guint8 *
tincan_decoder_get_frame_prefix (TincanDecoder *self,
                                 gsize         *length)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  *length = 0;
  if (self->kind != TINCAN_FRAMING_LENGTH_PREFIX || !self->frame_prefix_valid)
    return NULL;

  *length = self->prefix_width;
  return self->frame_prefix;
}

/**
 * tincan_decoder_get_framing:
 * @self: a decoder
 *
 * Returns: (transfer none): the framing @self was created with
 */
TincanFraming *
tincan_decoder_get_framing (TincanDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->framing;
}
