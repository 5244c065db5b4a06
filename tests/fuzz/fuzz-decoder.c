/* fuzz-decoder.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for TincanDecoder.
 *
 * The first bytes of the input choose the framing and the chunking:
 *   [0] kind: 0 raw, 1 delimiter, 2 length prefix (mod 3)
 *   [1] delimiter: length 1 + (b & 3), keep if b & 4, bytes taken from the
 *       input right after the header; prefix: width 1 << (b & 3), big endian
 *       if b & 4
 *   [2] max frame size: 1 + b % 64, or the default when b is 255
 *   [3] chunking seed
 * The rest is the stream. Checked: chunked and one-shot decoding give the
 * same frames; the payload bytes handed out are the bytes fed less the
 * delimiters and prefixes, counted independently; no piece exceeds max (plus
 * the kept delimiter); the buffer stays bounded; PARTIAL comes only last.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "frame-oracle.h"
#include "tincan-decoder.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  GByteArray *frames; /* flags, length, bytes: for comparing two runs */
  gsize max;
  gsize max_piece;
  gsize prefix_width;
  guint64 bytes;
  guint64 ended_at_delimiter;
  gboolean partial_seen;
} Run;

static void
frame_cb (const guint8     *data,
          gsize             length,
          TincanFrameFlags  flags,
          gpointer          user_data)
{
  Run *run = user_data;
  guint8 flag_byte = (guint8) flags;
  guint64 length64 = length;

  /* Nothing may follow a PARTIAL frame: it is the end of the stream. */
  g_assert_false (run->partial_seen);
  g_assert_true (data != NULL);
  g_assert_cmpuint (flags & ~(guint) (TINCAN_FRAME_PARTIAL | TINCAN_FRAME_TRUNCATED |
                                      TINCAN_FRAME_FINAL), ==, 0);
  g_assert_false ((flags & TINCAN_FRAME_FINAL) && !(flags & TINCAN_FRAME_TRUNCATED));
  g_assert_false ((flags & TINCAN_FRAME_FINAL) && (flags & TINCAN_FRAME_PARTIAL));

  if (flags & TINCAN_FRAME_PARTIAL)
    {
      run->partial_seen = TRUE;
      /* The bytes of an unfinished length prefix come out as they are. */
      if (run->prefix_width == 0 || length >= run->prefix_width || (flags & TINCAN_FRAME_TRUNCATED))
        g_assert_cmpuint (length, <=, run->max);
    }
  else if (flags == TINCAN_FRAME_TRUNCATED)
    g_assert_cmpuint (length, ==, run->max);
  else
    g_assert_cmpuint (length, <=, run->max_piece);

  if (flags == TINCAN_FRAME_COMPLETE || (flags & TINCAN_FRAME_FINAL))
    run->ended_at_delimiter++;
  run->bytes += length;

  g_byte_array_append (run->frames, &flag_byte, 1);
  g_byte_array_append (run->frames, (const guint8 *) &length64, sizeof length64);
  g_byte_array_append (run->frames, data, length);
}

static void
run_init (Run           *run,
          TincanFraming *framing)
{
  gsize delimiter_length = 0;

  tincan_framing_get_delimiter (framing, &delimiter_length);

  memset (run, 0, sizeof *run);
  run->frames = g_byte_array_new ();
  run->max = tincan_framing_get_max_frame_size (framing);
  run->max_piece = run->max + (tincan_framing_get_keep_delimiter (framing) ? delimiter_length : 0);
  run->prefix_width = tincan_framing_get_prefix_width (framing);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TincanFraming) framing = NULL;
  g_autoptr(TincanDecoder) whole = NULL;
  g_autoptr(TincanDecoder) chunked = NULL;
  TincanFramingKind kind;
  guint8 config, seed;
  gsize delimiter_length;
  const guint8 *delimiter;
  gsize bound;
  guint32 state;
  gsize pos;
  Run one, many;

  framing = frame_oracle_read_framing (&data, &size, &config, &seed);
  if (framing == NULL)
    return 0;
  kind = tincan_framing_get_kind (framing);
  delimiter = tincan_framing_get_delimiter (framing, &delimiter_length);

  bound = tincan_framing_get_max_frame_size (framing) + MAX (delimiter_length, 1) - 1 +
          tincan_framing_get_prefix_width (framing);

  run_init (&one, framing);
  run_init (&many, framing);
  whole = tincan_decoder_new (framing);
  chunked = tincan_decoder_new (framing);

  tincan_decoder_feed (whole, data, size, frame_cb, &one);
  g_assert_cmpuint (tincan_decoder_get_pending (whole), <=, bound);
  tincan_decoder_finish (whole, frame_cb, &one);

  /* Chunk sizes from a small xorshift generator: often tiny, sometimes 0. */
  state = 0x9e3779b9u ^ seed;
  for (pos = 0; pos < size;)
    {
      gsize chunk;

      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      chunk = (state & 0x100) ? state % 5 : state % (1 + (gsize) (seed & 0xf) * 8);
      chunk = MIN (chunk, size - pos);

      tincan_decoder_feed (chunked, data + pos, chunk, frame_cb, &many);
      g_assert_cmpuint (tincan_decoder_get_pending (chunked), <=, bound);
      pos += chunk;
    }
  tincan_decoder_finish (chunked, frame_cb, &many);
  g_assert_cmpuint (tincan_decoder_get_pending (chunked), ==, 0);

  g_assert_cmpuint (one.bytes, ==, many.bytes);

  if (kind == TINCAN_FRAMING_RAW)
    {
      /* Raw: the chunks are the frames, so only the bytes must agree. */
      g_assert_cmpuint (one.bytes, ==, size);
    }
  else
    {
      g_assert_cmpmem (one.frames->data, one.frames->len, many.frames->data, many.frames->len);

      if (kind == TINCAN_FRAMING_DELIMITER)
        {
          guint64 n = count_delimiters (data, size, delimiter, delimiter_length);
          gboolean keep = tincan_framing_get_keep_delimiter (framing);

          g_assert_cmpuint (one.ended_at_delimiter, ==, n);
          g_assert_cmpuint (one.bytes, ==, size - (keep ? 0 : n * delimiter_length));
        }
      else
        {
          guint width = tincan_framing_get_prefix_width (framing);
          guint64 n = count_prefixes (data, size, width, tincan_framing_get_big_endian (framing));

          g_assert_cmpuint (one.bytes, ==, size - n * width);
        }
    }

  g_byte_array_unref (one.frames);
  g_byte_array_unref (many.frames);

  return 0;
}
