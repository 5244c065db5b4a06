/* test-decoder.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <stdlib.h>
#include <string.h>

#include "tincan-decoder.h"

/* Frames are compared as text, "FLAGS:bytes|" each, so that a failure shows
 * both lists: FLAGS is C (complete) or the letters T (truncated), F (final),
 * P (partial); bytes outside printable ASCII, '\' and '|' read \xHH. */
static void
append_frame_text (GString          *out,
                   const guint8     *data,
                   gsize             length,
                   TincanFrameFlags  flags)
{
  gsize i;

  if (flags == TINCAN_FRAME_COMPLETE)
    g_string_append_c (out, 'C');
  if (flags & TINCAN_FRAME_TRUNCATED)
    g_string_append_c (out, 'T');
  if (flags & TINCAN_FRAME_FINAL)
    g_string_append_c (out, 'F');
  if (flags & TINCAN_FRAME_PARTIAL)
    g_string_append_c (out, 'P');
  g_string_append_c (out, ':');

  for (i = 0; i < length; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\' && data[i] != '|')
        g_string_append_c (out, (char) data[i]);
      else
        g_string_append_printf (out, "\\x%02x", data[i]);
    }
  g_string_append_c (out, '|');
}

typedef struct
{
  GString *text;
  gsize frames;
  gsize bytes;
  gsize longest;
} Collector;

static void
collector_init (Collector *c)
{
  c->text = g_string_new (NULL);
  c->frames = 0;
  c->bytes = 0;
  c->longest = 0;
}

static char *
collector_steal (Collector *c)
{
  return g_string_free (c->text, FALSE);
}

static void
collect_cb (const guint8     *data,
            gsize             length,
            TincanFrameFlags  flags,
            gpointer          user_data)
{
  Collector *c = user_data;

  g_assert_nonnull (data);
  append_frame_text (c->text, data, length, flags);
  c->frames++;
  c->bytes += length;
  c->longest = MAX (c->longest, length);
}

/* The most the decoder may buffer. */
static gsize
pending_bound (TincanFraming *framing)
{
  gsize delimiter_length = 0;

  tincan_framing_get_delimiter (framing, &delimiter_length);

  return tincan_framing_get_max_frame_size (framing) + MAX (delimiter_length, 1) - 1 +
         tincan_framing_get_prefix_width (framing);
}

/* Decodes @input fed in chunks that end at @cuts (ascending offsets), then
 * finishes the stream. */
static char *
decode_with_cuts (TincanFraming *framing,
                  const guint8  *input,
                  gsize          length,
                  const gsize   *cuts,
                  gsize          n_cuts)
{
  g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
  gsize bound = pending_bound (framing);
  Collector c;
  gsize start = 0;
  gsize i;

  collector_init (&c);

  for (i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : length;

      g_assert_cmpuint (end, >=, start);
      /* An empty GByteArray has no data pointer: feed NULL, 0 then. */
      tincan_decoder_feed (decoder, length > 0 ? input + start : NULL, end - start, collect_cb,
                           &c);
      g_assert_cmpuint (tincan_decoder_get_pending (decoder), <=, bound);
      start = end;
    }

  tincan_decoder_finish (decoder, collect_cb, &c);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 0);

  return collector_steal (&c);
}

static char *
decode_whole (TincanFraming *framing,
              const guint8  *input,
              gsize          length)
{
  return decode_with_cuts (framing, input, length, NULL, 0);
}

static char *
decode_bytewise (TincanFraming *framing,
                 const guint8  *input,
                 gsize          length)
{
  g_autofree gsize *cuts = g_new (gsize, length + 1);
  gsize i;

  for (i = 0; i < length; i++)
    cuts[i] = i;

  return decode_with_cuts (framing, input, length, cuts, length);
}

static void
emit_pieces (GString          *out,
             const guint8     *data,
             gsize             length,
             gsize             extra,
             gsize             max,
             TincanFrameFlags  last_flags)
{
  gboolean cut = FALSE;

  while (length > max)
    {
      append_frame_text (out, data, max, TINCAN_FRAME_TRUNCATED);
      data += max;
      length -= max;
      cut = TRUE;
    }

  if (cut)
    last_flags |= TINCAN_FRAME_TRUNCATED;
  append_frame_text (out, data, length + extra, last_flags);
}

/* The decoder's rules, written out the slow and obvious way, over the whole
 * stream at once: the oracle for the property tests. */
static char *
reference_decode (TincanFraming *framing,
                  const guint8  *input,
                  gsize          length)
{
  GString *out = g_string_new (NULL);
  gsize max = tincan_framing_get_max_frame_size (framing);
  gsize pos = 0;

  if (tincan_framing_get_kind (framing) == TINCAN_FRAMING_DELIMITER)
    {
      gsize dlen;
      const guint8 *delimiter = tincan_framing_get_delimiter (framing, &dlen);
      gboolean keep = tincan_framing_get_keep_delimiter (framing);

      while (pos < length)
        {
          gsize q;

          for (q = pos; q + dlen <= length; q++)
            if (memcmp (input + q, delimiter, dlen) == 0)
              break;

          if (q + dlen > length)
            {
              emit_pieces (out, input + pos, length - pos, 0, max, TINCAN_FRAME_PARTIAL);
              break;
            }

          if (q - pos > max)
            emit_pieces (out, input + pos, q - pos, keep ? dlen : 0, max, TINCAN_FRAME_FINAL);
          else
            emit_pieces (out, input + pos, q - pos, keep ? dlen : 0, max, TINCAN_FRAME_COMPLETE);
          pos = q + dlen;
        }
    }
  else
    {
      guint width = tincan_framing_get_prefix_width (framing);
      gboolean big_endian = tincan_framing_get_big_endian (framing);

      g_assert_cmpint (tincan_framing_get_kind (framing), ==, TINCAN_FRAMING_LENGTH_PREFIX);

      while (pos < length)
        {
          guint64 frame_length = 0;
          gboolean cut = FALSE;
          guint i;

          if (length - pos < width)
            {
              append_frame_text (out, input + pos, length - pos, TINCAN_FRAME_PARTIAL);
              break;
            }

          for (i = 0; i < width; i++)
            {
              guint8 b = input[pos + (big_endian ? i : width - 1 - i)];

              frame_length = frame_length << 8 | b;
            }
          pos += width;

          if (frame_length <= length - pos)
            {
              emit_pieces (out, input + pos, frame_length, 0, max,
                           frame_length > max ? TINCAN_FRAME_FINAL : TINCAN_FRAME_COMPLETE);
              pos += frame_length;
              continue;
            }

          /* The stream ends inside the payload: full pieces, then the rest. */
          while (length - pos >= max)
            {
              append_frame_text (out, input + pos, max, TINCAN_FRAME_TRUNCATED);
              pos += max;
              cut = TRUE;
            }
          append_frame_text (out, input + pos, length - pos,
                             TINCAN_FRAME_PARTIAL | (cut ? TINCAN_FRAME_TRUNCATED : 0));
          break;
        }
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *framing;
  gsize max; /* 0: the default */
  const char *input;
  gsize input_length;
  const char *expected;
} DecodeCase;

#define IN(s) s, sizeof s - 1

static const DecodeCase decode_cases[] = {
  /* Delimiters */
  { "lf", 0, IN ("a\nb\n"), "C:a|C:b|" },
  { "lf", 0, IN ("\n\n"), "C:|C:|" },
  { "lf", 0, IN ("abc"), "P:abc|" },
  { "lf", 0, IN (""), "" },
  { "lf", 0, IN ("hello\nwor"), "C:hello|P:wor|" },
  { "lf:keep", 0, IN ("a\nb\n"), "C:a\\x0a|C:b\\x0a|" },
  { "lf:keep", 0, IN ("a\nb"), "C:a\\x0a|P:b|" },
  { "lf:keep", 0, IN ("\n"), "C:\\x0a|" },
  { "crlf", 0, IN ("a\r\nb\r\n"), "C:a|C:b|" },
  { "crlf", 0, IN ("a\rb\nc\r\n"), "C:a\\x0db\\x0ac|" },
  { "crlf", 0, IN ("a\r\r\n"), "C:a\\x0d|" },
  { "crlf", 0, IN ("a\r"), "P:a\\x0d|" },
  { "crlf", 0, IN ("\r\n\r\n\r"), "C:|C:|P:\\x0d|" },
  { "crlf:keep", 0, IN ("x\r\ny\r\n"), "C:x\\x0d\\x0a|C:y\\x0d\\x0a|" },
  { "nul", 0, IN ("a\0b\0\0"), "C:a|C:b|C:|" },
  { "nul:keep", 0, IN ("a\0b"), "C:a\\x00|P:b|" },
  { "delim:616161", 0, IN ("baaaab"), "C:b|P:ab|" },
  { "delim:6162", 0, IN ("aab"), "C:a|" },
  { "delim:616261", 0, IN ("ababa"), "C:|P:ba|" },
  { "delim:616261:keep", 0, IN ("xabababa"), "C:xaba|C:baba|" },
  { "delim:0d0a0d0a", 0, IN ("GET /\r\nHost: x\r\n\r\nbody"), "C:GET /\\x0d\\x0aHost: x|P:body|" },
  { "delim:0d0a0d0a", 0, IN ("a\r\n\r\r\n\r\n"), "C:a\\x0d\\x0a\\x0d|" },
  /* Delimiters, max frame size 8 */
  { "lf", 8, IN ("12345678\n"), "C:12345678|" },
  { "lf", 8, IN ("1234567\n"), "C:1234567|" },
  { "lf", 8, IN ("123456789\n"), "T:12345678|TF:9|" },
  { "lf", 8, IN ("1234567812345678\n"), "T:12345678|TF:12345678|" },
  { "lf", 8, IN ("12345678123456789\n"), "T:12345678|T:12345678|TF:9|" },
  { "lf", 8, IN ("123456789\nok\n"), "T:12345678|TF:9|C:ok|" },
  { "lf", 8, IN ("12345678"), "P:12345678|" },
  { "lf", 8, IN ("123456789abc"), "T:12345678|TP:9abc|" },
  { "lf", 8, IN ("1234567812345678"), "T:12345678|TP:12345678|" },
  { "lf:keep", 8, IN ("12345678\n"), "C:12345678\\x0a|" },
  { "lf:keep", 8, IN ("123456789\n"), "T:12345678|TF:9\\x0a|" },
  { "crlf", 8, IN ("12345678\r\n"), "C:12345678|" },
  { "crlf", 8, IN ("123456789\r\n"), "T:12345678|TF:9|" },
  { "crlf", 8, IN ("1234567\r\r\n"), "C:1234567\\x0d|" },
  { "crlf", 8, IN ("12345678\r\r\n"), "T:12345678|TF:\\x0d|" },
  { "crlf", 8, IN ("123456789"), "T:12345678|TP:9|" },
  { "crlf", 8, IN ("12345678\r"), "T:12345678|TP:\\x0d|" },
  { "crlf:keep", 8, IN ("123456789\r\nab\r\n"), "T:12345678|TF:9\\x0d\\x0a|C:ab\\x0d\\x0a|" },
  { "lf", 1, IN ("ab\n\nc"), "T:a|TF:b|C:|P:c|" },
  { "delim:616161", 2, IN ("xxaaxaaa"), "T:xx|T:aa|TF:x|" },
  { "delim:616161", 2, IN ("xaaaaa"), "C:x|P:aa|" },
  { "delim:0d0a0d0a", 3, IN ("abcdefg\r\n\r\r\n\r\n"), "T:abc|T:def|T:g\\x0d\\x0a|TF:\\x0d|" },
  /* Length prefixes */
  { "u8", 0, IN ("\3abc\0\1x"), "C:abc|C:|C:x|" },
  { "u16be", 0, IN ("\0\3abc\0\0"), "C:abc|C:|" },
  { "u16le", 0, IN ("\3\0abc"), "C:abc|" },
  { "u32be", 0, IN ("\0\0\0\2hi\0\0\0\0"), "C:hi|C:|" },
  { "u32le", 0, IN ("\2\0\0\0hi"), "C:hi|" },
  { "u64be", 0, IN ("\0\0\0\0\0\0\0\2hi"), "C:hi|" },
  { "u64le", 0, IN ("\2\0\0\0\0\0\0\0hi\0\0\0\0\0\0\0\0"), "C:hi|C:|" },
  { "u16be", 0, IN ("\1\0"), "P:|" },
  { "u16be", 0, IN ("\0\5ab"), "P:ab|" },
  { "u16be", 0, IN ("\0"), "P:\\x00|" },
  { "u64le", 0, IN ("\1\2\3"), "P:\\x01\\x02\\x03|" },
  { "u16be", 0, IN ("\0\3"), "P:|" },
  { "u16le", 0, IN ("\1\0a\1"), "C:a|P:\\x01|" },
  { "u32le", 0, IN ("\0\0\0\0"), "C:|" },
  /* Length prefixes, max frame size 8 */
  { "u8", 8, IN ("\x08" "12345678"), "C:12345678|" },
  { "u8", 8, IN ("\x07" "1234567"), "C:1234567|" },
  { "u8", 8, IN ("\x09" "123456789"), "T:12345678|TF:9|" },
  { "u8", 8, IN ("\x10" "1234567812345678"), "T:12345678|TF:12345678|" },
  { "u8", 8, IN ("\x0a" "123456789"), "T:12345678|TP:9|" },
  { "u8", 8, IN ("\x10" "12345678"), "T:12345678|TP:|" },
  { "u8", 8, IN ("\x08" "1234567"), "P:1234567|" },
  { "u8", 4, IN ("\x06" "abcdef\x02gh"), "T:abcd|TF:ef|C:gh|" },
  /* 2^63 and 2^64 - 1 announced: pieces, and the stream ends inside. */
  { "u64be", 8, IN ("\x80\0\0\0\0\0\0\0" "12345678abcdefghWXYZ"),
    "T:12345678|T:abcdefgh|TP:WXYZ|" },
  { "u64le", 8, IN ("\xff\xff\xff\xff\xff\xff\xff\xff" "0123456789"), "T:01234567|TP:89|" },
  { "u64le", 8, IN ("\0\0\0\0\0\0\0\x80" "12345678"), "T:12345678|TP:|" },
};

static TincanFraming *
framing_for_case (const char *name,
                  gsize       max)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (name, &error);

  g_assert_no_error (error);
  if (max == 0)
    return g_steal_pointer (&framing);

  return tincan_framing_copy_with_max_frame_size (framing, max);
}

static void
test_decode_case (gconstpointer data)
{
  const DecodeCase *c = data;
  g_autoptr(TincanFraming) framing = framing_for_case (c->framing, c->max);
  const guint8 *input = (const guint8 *) c->input;
  gsize n = c->input_length;
  g_autofree char *whole = decode_whole (framing, input, n);
  g_autofree char *bytewise = decode_bytewise (framing, input, n);
  g_autofree char *reference = reference_decode (framing, input, n);
  gsize i, j;

  g_assert_cmpstr (whole, ==, c->expected);
  g_assert_cmpstr (bytewise, ==, c->expected);
  /* The oracle of the property tests agrees with the table. */
  g_assert_cmpstr (reference, ==, c->expected);

  /* Every 2-way and 3-way split (empty chunks included) gives the same. */
  for (i = 0; i <= n; i++)
    for (j = i; j <= n; j++)
      {
        gsize cuts[2] = { i, j };
        g_autofree char *split = decode_with_cuts (framing, input, n, cuts, 2);

        g_assert_cmpstr (split, ==, c->expected);
      }
}

/* Raw: chunks are frames; empty chunks are nothing; long ones are cut. */
static void
test_raw (void)
{
  g_autoptr(TincanFraming) framing = tincan_framing_new_raw ();
  g_autoptr(TincanFraming) small = tincan_framing_copy_with_max_frame_size (framing, 4);
  g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
  g_autoptr(TincanDecoder) small_decoder = tincan_decoder_new (small);
  g_autofree char *text = NULL;
  Collector c;

  collector_init (&c);
  tincan_decoder_feed (decoder, (const guint8 *) "abc", 3, collect_cb, &c);
  tincan_decoder_feed (decoder, (const guint8 *) "", 0, collect_cb, &c);
  tincan_decoder_feed (decoder, NULL, 0, collect_cb, &c);
  tincan_decoder_feed (decoder, (const guint8 *) "d\ne\0", 4, collect_cb, &c);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 0);
  tincan_decoder_finish (decoder, collect_cb, &c);
  tincan_decoder_feed (small_decoder, (const guint8 *) "abcd", 4, collect_cb, &c);
  tincan_decoder_feed (small_decoder, (const guint8 *) "efghijklm", 9, collect_cb, &c);
  tincan_decoder_feed (small_decoder, (const guint8 *) "n", 1, collect_cb, &c);
  tincan_decoder_finish (small_decoder, collect_cb, &c);
  text = collector_steal (&c);

  g_assert_cmpstr (text, ==, "C:abc|C:d\\x0ae\\x00|C:abcd|T:efgh|T:ijkl|TF:m|C:n|");
}

/* Random streams, random framings, random chunkings: the decoder always
 * agrees with the reference. */
static void
test_random_chunkings (void)
{
  const char *names[] = { "lf", "lf:keep", "crlf", "crlf:keep", "nul", "delim:6161",
                          "delim:616161:keep", "delim:616261", "delim:0d0a0d0a", "u8", "u16be",
                          "u16le", "u32be", "u32le", "u64be", "u64le" };
  const gsize maxes[] = { 1, 2, 3, 5, 8, 16, 64, 0 };
  guint32 seed = 20260101;
  g_autoptr(GRand) rand = NULL;
  const char *env = g_getenv ("TINCAN_TEST_SEED");
  guint round;
  guint chunkings = 0;

  if (env != NULL)
    seed = (guint32) strtoul (env, NULL, 10);
  g_test_message ("random seed %u (set TINCAN_TEST_SEED to repeat)", seed);
  rand = g_rand_new_with_seed (seed);

  for (round = 0; round < 1500; round++)
    {
      const char *name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
      gsize max = maxes[g_rand_int_range (rand, 0, G_N_ELEMENTS (maxes))];
      g_autoptr(TincanFraming) framing = framing_for_case (name, max);
      g_autoptr(GByteArray) input = g_byte_array_new ();
      g_autofree char *expected = NULL;
      g_autofree char *whole = NULL;
      gsize effective_max = tincan_framing_get_max_frame_size (framing);
      guint n_frames = g_rand_int_range (rand, 0, 12);
      guint i, k;

      if (tincan_framing_get_kind (framing) == TINCAN_FRAMING_DELIMITER)
        {
          /* Bytes drawn mostly from the delimiter's own, so that partial and
           * overlapping delimiters are common. */
          gsize dlen;
          const guint8 *delimiter = tincan_framing_get_delimiter (framing, &dlen);
          guint length = g_rand_int_range (rand, 0, 120);

          for (i = 0; i < length; i++)
            {
              guint8 b = g_rand_boolean (rand) ? delimiter[g_rand_int_range (rand, 0, dlen)]
                                               : (guint8) g_rand_int_range (rand, 'x', 'z' + 1);
              g_byte_array_append (input, &b, 1);
            }
        }
      else
        {
          guint width = tincan_framing_get_prefix_width (framing);
          gboolean big_endian = tincan_framing_get_big_endian (framing);

          for (i = 0; i < n_frames; i++)
            {
              gint32 longest = (gint32) MIN (effective_max, 20) * 3;
              guint64 length = (guint64) g_rand_int_range (rand, 0, longest + 1);
              guint8 prefix[8];

              for (k = 0; k < width; k++)
                prefix[big_endian ? width - 1 - k : k] = (guint8) (length >> (8 * k));
              g_byte_array_append (input, prefix, width);
              for (k = 0; k < length; k++)
                {
                  guint8 b = (guint8) g_rand_int_range (rand, 0, 256);
                  g_byte_array_append (input, &b, 1);
                }
            }
          /* Sometimes cut the stream short. */
          if (input->len > 0 && g_rand_boolean (rand))
            g_byte_array_set_size (input, g_rand_int_range (rand, 0, input->len));
        }

      expected = reference_decode (framing, input->data, input->len);
      whole = decode_whole (framing, input->data, input->len);
      g_assert_cmpstr (whole, ==, expected);

      for (k = 0; k < 3; k++)
        {
          g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
          g_autofree char *chunked = NULL;
          gsize at = 0;

          while (input->len > 0)
            {
              /* Mostly small chunks, sometimes empty or long ones. */
              at += g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, 4)
                                          : (gsize) g_rand_int_range (rand, 0, 40);
              if (at >= input->len)
                break;
              g_array_append_val (cuts, at);
            }

          chunked = decode_with_cuts (framing, input->data, input->len,
                                      (const gsize *) (void *) cuts->data, cuts->len);
          g_assert_cmpstr (chunked, ==, expected);
          chunkings++;
        }
    }

  g_assert_cmpuint (chunkings, >=, 500);
}

/* Whatever the framing, what is encoded decodes to the same payloads. */
static void
test_round_trip (void)
{
  const char *names[] = { "raw", "lf", "lf:keep", "crlf", "crlf:keep", "nul", "nul:keep",
                          "delim:0d0a0d0a", "delim:616261", "delim:ff", "u8", "u16be", "u16le",
                          "u32be", "u32le", "u64be", "u64le" };
  guint32 seed = 4242;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize i;

  g_test_message ("random seed %u", seed);

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (names[i], NULL);
      g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
      g_autoptr(GByteArray) stream = g_byte_array_new ();
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *decoded = NULL;
      gboolean raw = tincan_framing_get_kind (framing) == TINCAN_FRAMING_RAW;
      gboolean keep = tincan_framing_get_keep_delimiter (framing);
      gsize dlen = 0;
      const guint8 *delimiter = tincan_framing_get_delimiter (framing, &dlen);
      guint accepted = 0;
      guint n;
      Collector c;

      collector_init (&c);

      for (n = 0; n < 300; n++)
        {
          guint length = g_rand_int_range (rand, 0, 256); /* fits u8 */
          g_autofree guint8 *payload = g_malloc (MAX (length + dlen, 1));
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GBytes) encoded = NULL;
          g_autoptr(GError) error = NULL;
          guint k;

          for (k = 0; k < length; k++)
            payload[k] = (guint8) g_rand_int_range (rand, 0, 256);
          bytes = g_bytes_new (payload, length);

          encoded = tincan_framing_encode (framing, bytes, &error);
          if (encoded == NULL)
            {
              /* Only a payload the delimiter would cut may be refused. */
              g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER);
              continue;
            }
          g_assert_no_error (error);
          accepted++;

          if (keep)
            memcpy (payload + length, delimiter, dlen);
          if (!raw || length > 0)
            append_frame_text (expected, payload, length + (keep ? dlen : 0),
                               TINCAN_FRAME_COMPLETE);

          if (raw)
            tincan_decoder_feed (decoder, g_bytes_get_data (encoded, NULL),
                                 g_bytes_get_size (encoded), collect_cb, &c);
          else
            g_byte_array_append (stream, g_bytes_get_data (encoded, NULL),
                                 g_bytes_get_size (encoded));
        }

      /* Feed the stream in random chunks. */
      for (n = 0; n < stream->len;)
        {
          guint length = (guint) g_rand_int_range (rand, 1, 700);

          length = MIN (length, stream->len - n);

          tincan_decoder_feed (decoder, stream->data + n, length, collect_cb, &c);
          n += length;
        }
      tincan_decoder_finish (decoder, collect_cb, &c);
      decoded = collector_steal (&c);

      g_test_message ("%s: %u payloads", names[i], accepted);
      g_assert_cmpuint (accepted, >=, 100);
      g_assert_cmpstr (decoded, ==, expected->str);
    }
}

typedef struct
{
  gsize frames;
  gsize bytes;
  gsize longest;
  TincanFrameFlags flags_seen;
} Counter;

static void
count_cb (const guint8     *data,
          gsize             length,
          TincanFrameFlags  flags,
          gpointer          user_data)
{
  Counter *c = user_data;

  c->frames++;
  c->bytes += length;
  c->longest = MAX (c->longest, length);
  c->flags_seen |= flags;
}

/* 64 MiB that never ends a frame, in 64 KiB chunks, with max 1 MiB: memory
 * stays at about max, and every byte comes out. */
static void
test_memory_bound (void)
{
  const char *names[] = { "lf", "delim:0d0a0d0a", "u32be", "u64le" };
  const gsize total = 64 * 1024 * 1024;
  const gsize chunk = 64 * 1024;
  const gsize max = 1024 * 1024;
  g_autofree guint8 *data = g_malloc (chunk);
  gsize i;

  memset (data, 'x', chunk);
  /* A delimiter's first byte now and then makes the decoder keep a possible
   * delimiter start at chunk ends. */
  data[chunk - 1] = '\r';
  data[chunk / 2] = '\r';

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TincanFraming) base = tincan_framing_new_from_name (names[i], NULL);
      g_autoptr(TincanFraming) framing = tincan_framing_copy_with_max_frame_size (base, max);
      g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
      guint width = tincan_framing_get_prefix_width (framing);
      gsize dlen = 0;
      gsize fed;
      Counter c = { 0, };

      tincan_framing_get_delimiter (framing, &dlen);

      if (width > 0)
        {
          /* A prefix announcing exactly the 64 MiB that follow. */
          guint8 prefix[8];
          gboolean big_endian = tincan_framing_get_big_endian (framing);
          guint k;

          for (k = 0; k < width; k++)
            prefix[big_endian ? width - 1 - k : k] = (guint8) ((guint64) total >> (8 * k));
          tincan_decoder_feed (decoder, prefix, width, count_cb, &c);
        }

      for (fed = 0; fed < total; fed += chunk)
        {
          tincan_decoder_feed (decoder, data, chunk, count_cb, &c);
          g_assert_cmpuint (tincan_decoder_get_pending (decoder), <=, max + dlen);
        }
      tincan_decoder_finish (decoder, count_cb, &c);

      g_assert_cmpuint (c.bytes, ==, total);
      g_assert_cmpuint (c.longest, ==, max);
      g_assert_cmpuint (c.frames, ==, total / max);
      if (width > 0)
        g_assert_cmpint (c.flags_seen, ==, TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_FINAL);
      else
        g_assert_cmpint (c.flags_seen, ==, TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_PARTIAL);
    }
}

/* 4 GiB announced with the default max: 16 MiB pieces as soon as they are in. */
static void
test_huge_prefix (void)
{
  const gsize chunk = 64 * 1024;
  const gsize total = 64 * 1024 * 1024;
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name ("u64be", NULL);
  g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
  g_autofree guint8 *data = g_malloc0 (chunk);
  const guint8 prefix[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
  Counter c = { 0, };
  gsize fed;

  g_assert_cmpuint (tincan_decoder_get_announced_length (decoder), ==, 0);
  tincan_decoder_feed (decoder, prefix, sizeof prefix, count_cb, &c);
  /* Known from the prefix on, before any piece is cut. */
  g_assert_cmpuint (tincan_decoder_get_announced_length (decoder), ==, G_GUINT64_CONSTANT (1) << 32);
  for (fed = 0; fed < total; fed += chunk)
    {
      tincan_decoder_feed (decoder, data, chunk, count_cb, &c);
      g_assert_cmpuint (tincan_decoder_get_pending (decoder), <=,
                        TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);
    }

  g_assert_cmpuint (c.frames, ==, 4);
  g_assert_cmpuint (c.bytes, ==, total);
  g_assert_cmpuint (c.longest, ==, TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);
  g_assert_cmpint (c.flags_seen, ==, TINCAN_FRAME_TRUNCATED);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 0);

  tincan_decoder_finish (decoder, count_cb, &c);
  g_assert_cmpuint (c.frames, ==, 5);
  g_assert_cmpint (c.flags_seen, ==, TINCAN_FRAME_TRUNCATED | TINCAN_FRAME_PARTIAL);
  g_assert_cmpuint (tincan_decoder_get_announced_length (decoder), ==, 0);

  /* A finished frame's length stays until the next prefix. */
  {
    const guint8 frames[] = { 0, 0, 0, 0, 0, 0, 0, 2, 'h', 'i' };

    tincan_decoder_feed (decoder, frames, sizeof frames, count_cb, &c);
    g_assert_cmpuint (tincan_decoder_get_announced_length (decoder), ==, 2);
  }
}

typedef struct
{
  const guint8 *chunk;
  gsize chunk_length;
  guint in_chunk;
  guint in_buffer;
  GHashTable *buffers;
} PointerCheck;

static void
pointer_cb (const guint8     *data,
            gsize             length,
            TincanFrameFlags  flags,
            gpointer          user_data)
{
  PointerCheck *check = user_data;

  if (data >= check->chunk && data + length <= check->chunk + check->chunk_length)
    check->in_chunk++;
  else
    {
      check->in_buffer++;
      g_hash_table_add (check->buffers, (gpointer) data);
    }
}

/* Frames inside a chunk are not copied; frames across chunks are assembled in
 * one buffer that is reused, not allocated per frame. */
static void
test_zero_copy (void)
{
  const char *names[] = { "crlf", "u16be" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (names[i], NULL);
      g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
      g_autoptr(GBytes) line = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GByteArray) stream = g_byte_array_new ();
      g_autoptr(GHashTable) buffers = g_hash_table_new (NULL, NULL);
      PointerCheck check = { NULL, 0, 0, 0, buffers };
      guint8 payload[100];
      gsize offset;
      guint n;

      memset (payload, 'p', sizeof payload);
      bytes = g_bytes_new_static (payload, sizeof payload);
      line = tincan_framing_encode (framing, bytes, NULL);
      for (n = 0; n < 1000; n++)
        g_byte_array_append (stream, g_bytes_get_data (line, NULL), g_bytes_get_size (line));

      /* Warm up with one 1000-frame chunk: all in place. */
      check.chunk = stream->data;
      check.chunk_length = stream->len;
      tincan_decoder_feed (decoder, stream->data, stream->len, pointer_cb, &check);
      g_assert_cmpuint (check.in_chunk, ==, 1000);
      g_assert_cmpuint (check.in_buffer, ==, 0);

      /* Then in 250-byte chunks: about every other frame spans two. */
      for (offset = 0; offset < stream->len; offset += 250)
        {
          check.chunk = stream->data + offset;
          check.chunk_length = MIN (250, stream->len - offset);
          tincan_decoder_feed (decoder, check.chunk, check.chunk_length, pointer_cb, &check);
        }
      g_assert_cmpuint (check.in_chunk + check.in_buffer, ==, 2000);
      g_assert_cmpuint (check.in_buffer, >=, 300);
      g_assert_cmpuint (g_hash_table_size (buffers), ==, 1);
      g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 0);
    }
}

static void
reset_cb (const guint8     *data,
          gsize             length,
          TincanFrameFlags  flags,
          gpointer          user_data)
{
  TincanDecoder *decoder = user_data;

  g_test_expect_message ("Tincan-Protocol", G_LOG_LEVEL_CRITICAL, "*!self->busy*");
  tincan_decoder_reset (decoder);
  g_test_assert_expected_messages ();
}

static void
test_reset (void)
{
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name ("u16le", NULL);
  g_autoptr(TincanDecoder) decoder = tincan_decoder_new (framing);
  g_autofree char *text = NULL;
  Collector c;

  g_assert_true (tincan_decoder_get_framing (decoder) == framing);

  collector_init (&c);
  tincan_decoder_feed (decoder, (const guint8 *) "\5\0abc", 5, collect_cb, &c);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 3);
  tincan_decoder_reset (decoder);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 0);

  /* Half a prefix counts as pending too. */
  tincan_decoder_feed (decoder, (const guint8 *) "\2", 1, collect_cb, &c);
  g_assert_cmpuint (tincan_decoder_get_pending (decoder), ==, 1);
  tincan_decoder_reset (decoder);

  /* A fresh stream after the reset. */
  tincan_decoder_feed (decoder, (const guint8 *) "\2\0hi", 4, collect_cb, &c);
  tincan_decoder_finish (decoder, collect_cb, &c);
  /* Finishing again has nothing to give. */
  tincan_decoder_finish (decoder, collect_cb, &c);
  text = collector_steal (&c);
  g_assert_cmpstr (text, ==, "C:hi|");

  /* The callback may not re-enter the decoder. */
  tincan_decoder_feed (decoder, (const guint8 *) "\0\0", 2, reset_cb, decoder);
}

int
main (int argc, char *argv[])
{
  gsize i;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/decoder/case/%s/%" G_GSIZE_FORMAT,
                                               decode_cases[i].framing, i);
      g_test_add_data_func (path, &decode_cases[i], test_decode_case);
    }
  g_test_add_func ("/protocol/decoder/raw", test_raw);
  g_test_add_func ("/protocol/decoder/random-chunkings", test_random_chunkings);
  g_test_add_func ("/protocol/decoder/round-trip", test_round_trip);
  g_test_add_func ("/protocol/decoder/memory-bound", test_memory_bound);
  g_test_add_func ("/protocol/decoder/huge-prefix", test_huge_prefix);
  g_test_add_func ("/protocol/decoder/zero-copy", test_zero_copy);
  g_test_add_func ("/protocol/decoder/reset", test_reset);

  return g_test_run ();
}
