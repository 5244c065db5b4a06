/* fuzz-session.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the session's receive path: arbitrary chunk
 * sequences go through _tincan_session_feed_for_testing(), the code a socket
 * read runs (handle_input(), the decoder, frame_cb(), handle_eof()), and
 * come out as "messages" batches.
 *
 * Input layout (as in fuzz-decoder.c):
 *   [0] kind: 0 raw, 1 delimiter, 2 length prefix (mod 3)
 *   [1] delimiter: length 1 + (b & 3), keep if b & 4, bytes taken from the
 *       input right after the header; prefix: width 1 << (b & 3), big endian
 *       if b & 4; b & 0x80: the end of stream comes in a call of its own
 *   [2] max frame size: 1 + b % 64, or the default when b is 255
 *   [3] chunking seed
 * The rest is the stream. Checked: bytes-received is the bytes fed; the
 * RECEIVED entries' wire bytes (framing and payload) put together are the
 * stream itself, and their payloads add up to the bytes fed less the
 * delimiters stripped and the whole prefixes (counted independently) less an
 * unfinished prefix at the end; no message exceeds the maximum frame size (plus a
 * kept delimiter; an unfinished prefix comes out as it is); PARTIAL comes
 * only last; messages-received counts the RECEIVED entries; the end of the
 * stream adds one STATUS entry and no ERROR (beside at most two notices: a
 * TLS record seen, a frame announced too long); the session is freed.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "frame-oracle.h"
#include "tincan-session.h"
#include "tincan-session-private.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  GByteArray *received;   /* RECEIVED payloads, concatenated */
  GByteArray *wire;       /* RECEIVED wire bytes, concatenated */
  gsize max;
  gsize max_piece;
  guint prefix_width;
  guint64 messages;
  guint batches;
  guint status;
  guint notices;
  guint errors;
  gboolean partial_seen;
} Run;

static void
append_wire (GByteArray    *wire,
             TincanMessage *message)
{
  gsize length;
  const guint8 *data = tincan_message_get_prefix (message, &length);

  g_byte_array_append (wire, data, (guint) length);
  data = tincan_message_get_data (message, &length);
  g_byte_array_append (wire, data, (guint) length);
  data = tincan_message_get_suffix (message, &length);
  g_byte_array_append (wire, data, (guint) length);
}

static gboolean
is_notice (TincanMessage *message)
{
  gsize length;
  const char *text = (const char *) tincan_message_get_data (message, &length);
  static const char *const notices[] = {
    "This looks like a TLS server", "The server announced a ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (notices); i++)
    if (length >= strlen (notices[i]) && memcmp (text, notices[i], strlen (notices[i])) == 0)
      return TRUE;
  return FALSE;
}

static void
messages_cb (TincanSession *session,
             GPtrArray     *batch,
             gpointer       user_data)
{
  Run *run = user_data;
  guint i;

  g_assert_cmpuint (batch->len, >, 0);
  run->batches++;

  for (i = 0; i < batch->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (batch, i);
      TincanMessageFlags flags = tincan_message_get_flags (message);
      gsize length = 0;
      const guint8 *data = tincan_message_get_data (message, &length);

      switch (tincan_message_get_kind (message))
        {
        case TINCAN_MESSAGE_KIND_RECEIVED:
          /* Only the end of the stream may follow a PARTIAL frame. */
          g_assert_false (run->partial_seen);
          g_assert_true (data != NULL || length == 0);
          if (flags & TINCAN_MESSAGE_PARTIAL)
            {
              run->partial_seen = TRUE;
              g_assert_cmpuint (length, <=, MAX (run->max, run->prefix_width));
            }
          else
            g_assert_cmpuint (length, <=, run->max_piece);
          g_byte_array_append (run->received, data, (guint) length);
          append_wire (run->wire, message);
          run->messages++;
          break;

        case TINCAN_MESSAGE_KIND_STATUS:
          /* What the session notices about the bytes (at most once each
           * per connection) is no end of the stream. */
          if (is_notice (message))
            run->notices++;
          else
            run->status++;
          break;

        case TINCAN_MESSAGE_KIND_ERROR:
          run->errors++;
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* As G_DEBUG=fatal-criticals would: a g_return_if_fail() is a finding. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TincanFraming) framing = NULL;
  TincanSession *session;
  TincanFramingKind kind;
  guint8 config, seed;
  gsize delimiter_length;
  const guint8 *delimiter;
  gboolean keep;
  gboolean separate_eof;
  guint64 expected;
  guint32 state;
  guint calls = 0;
  gsize pos;
  Run run;

  framing = frame_oracle_read_framing (&data, &size, &config, &seed);
  if (framing == NULL)
    return 0;
  separate_eof = (config & 0x80) != 0;
  kind = tincan_framing_get_kind (framing);
  delimiter = tincan_framing_get_delimiter (framing, &delimiter_length);
  keep = delimiter != NULL && tincan_framing_get_keep_delimiter (framing);

  memset (&run, 0, sizeof run);
  run.received = g_byte_array_new ();
  run.wire = g_byte_array_new ();
  run.max = tincan_framing_get_max_frame_size (framing);
  run.max_piece = run.max + (keep ? delimiter_length : 0);
  run.prefix_width = tincan_framing_get_prefix_width (framing);

  session = tincan_session_new ();
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  tincan_session_set_framing (session, framing);
  g_signal_connect (session, "messages", G_CALLBACK (messages_cb), &run);

  /* Chunk sizes from a small xorshift generator: often tiny, sometimes 0,
   * sometimes the whole rest (so that a large raw read can be one chunk). */
  state = 0x9e3779b9u ^ seed;
  for (pos = 0; pos < size;)
    {
      gsize chunk;
      gboolean last;

      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      if ((state & 0x300) == 0x300)
        chunk = size - pos;
      else if (state & 0x100)
        chunk = state % 5;
      else
        chunk = state % (1 + (gsize) (seed & 0xf) * 64);
      chunk = MIN (chunk, size - pos);
      last = pos + chunk == size;

      _tincan_session_feed_for_testing (session, data + pos, chunk, last && !separate_eof);
      calls++;
      pos += chunk;
      g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, pos);
      g_assert_cmpuint (run.batches, <=, calls);
    }

  if (size == 0 || separate_eof)
    {
      g_assert_cmpuint (run.status, ==, 0);
      _tincan_session_feed_for_testing (session, NULL, 0, TRUE);
    }

  g_assert_cmpuint (tincan_session_get_bytes_received (session), ==, size);
  g_assert_cmpuint (tincan_session_get_messages_received (session), ==, run.messages);
  g_assert_true (tincan_session_get_peer_closed (session));
  g_assert_cmpuint (run.status, ==, 1);
  g_assert_cmpuint (run.notices, <=, 2);
  g_assert_cmpuint (run.errors, ==, 0);

  if (kind == TINCAN_FRAMING_RAW)
    expected = size;
  else if (kind == TINCAN_FRAMING_DELIMITER)
    expected = size - (keep ? 0 : count_delimiters (data, size, delimiter, delimiter_length) *
                                   delimiter_length);
  else
    expected = size - count_prefixes (data, size, run.prefix_width,
                                      tincan_framing_get_big_endian (framing)) * run.prefix_width;
  /* Every byte read is in exactly one entry, in order. */
  g_assert_cmpmem (run.wire->data, run.wire->len, data, size);
  if (kind == TINCAN_FRAMING_LENGTH_PREFIX)
    /* The bytes of a prefix the stream ended in are framing, not payload. */
    g_assert_cmpuint (run.received->len, <=, expected);
  else
    g_assert_cmpuint (run.received->len, ==, expected);

  /* Nothing is dropped or reordered: with nothing stripped, the payloads
   * put together are the stream. */
  if (kind == TINCAN_FRAMING_RAW || keep)
    g_assert_cmpmem (run.received->data, run.received->len, data, size);

  g_object_unref (session);
  g_assert_null (session);
  g_byte_array_unref (run.received);
  g_byte_array_unref (run.wire);

  return 0;
}
