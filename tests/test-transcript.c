/* test-transcript.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include <string.h>

#include "tincan-render.h"
#include "tincan-transcript.h"

typedef struct
{
  guint n_signals;
  guint position, removed, added;
  guint n_items_seen;  /* the model's size when the last signal came */
} ChangeLog;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  ChangeLog  *log)
{
  log->n_signals++;
  log->position = position;
  log->removed = removed;
  log->added = added;
  log->n_items_seen = g_list_model_get_n_items (model);
}

static TincanMessage *
make_message (guint i)
{
  g_autofree char *text = g_strdup_printf ("line %u", i);

  return tincan_message_new_text (TINCAN_MESSAGE_KIND_RECEIVED, text);
}

static void
push_n (TincanTranscript *transcript,
        guint             from,
        guint             n)
{
  for (guint i = from; i < from + n; i++)
    {
      g_autoptr(TincanMessage) message = make_message (i);
      tincan_transcript_push (transcript, message);
    }
}

static char *
text_at (TincanTranscript *transcript,
         guint             position)
{
  TincanMessage *message = tincan_transcript_get_message (transcript, position);
  gsize length;
  const guint8 *data;

  g_assert_nonnull (message);
  data = tincan_message_get_data (message, &length);
  return g_strndup ((const char *) data, length);
}

static void
test_batched_append (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (1000);
  ChangeLog log = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  g_signal_connect (transcript, "items-changed", G_CALLBACK (items_changed_cb), &log);

  push_n (transcript, 0, 500);
  g_assert_cmpuint (log.n_signals, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 0);
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript), ==, 500);

  /* One flush, one signal, whatever the batch size. */
  g_assert_true (tincan_transcript_flush (transcript));
  g_assert_cmpuint (log.n_signals, ==, 1);
  g_assert_cmpuint (log.position, ==, 0);
  g_assert_cmpuint (log.added, ==, 500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 500);

  g_assert_false (tincan_transcript_flush (transcript));
  g_assert_cmpuint (log.n_signals, ==, 1);

  first = text_at (transcript, 0);
  last = text_at (transcript, 499);
  g_assert_cmpstr (first, ==, "line 0");
  g_assert_cmpstr (last, ==, "line 499");
  g_assert_null (tincan_transcript_get_message (transcript, 500));
}

static void
test_items_are_entries (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (10);
  g_autoptr(TincanEntry) entry = NULL;

  push_n (transcript, 0, 3);
  tincan_transcript_flush (transcript);

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (transcript)) == TINCAN_TYPE_ENTRY);
  entry = g_list_model_get_item (G_LIST_MODEL (transcript), 1);
  g_assert_true (TINCAN_IS_ENTRY (entry));
  g_assert_true (tincan_entry_get_message (entry) == tincan_transcript_get_message (transcript, 1));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (transcript), 3));
}

static void
test_limit_trims_oldest (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100);
  ChangeLog log = { 0 };
  g_autofree char *note = NULL;
  g_autofree char *oldest = NULL;
  g_autofree char *newest = NULL;

  push_n (transcript, 0, 100);
  tincan_transcript_flush (transcript);
  g_signal_connect (transcript, "items-changed", G_CALLBACK (items_changed_cb), &log);

  push_n (transcript, 100, 30);
  tincan_transcript_flush (transcript);

  /* A removal at the front (30 entries become the note) and an append. */
  g_assert_cmpuint (log.n_signals, ==, 2);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 101);
  g_assert_cmpuint (log.n_items_seen, ==, 101);

  note = text_at (transcript, 0);
  oldest = text_at (transcript, 1);
  newest = text_at (transcript, 100);
  g_assert_cmpstr (note, ==, "30 earlier entries removed");
  g_assert_true (tincan_message_get_kind (tincan_transcript_get_message (transcript, 0)) ==
                 TINCAN_MESSAGE_KIND_STATUS);
  g_assert_cmpstr (oldest, ==, "line 30");
  g_assert_cmpstr (newest, ==, "line 129");
}

static void
test_take_and_restore (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (12);
  TincanTranscriptSnapshot *snapshot;
  ChangeLog log = { 0 };
  g_autofree char *note = NULL;
  g_autofree char *oldest = NULL;
  g_autofree char *newest = NULL;

  push_n (transcript, 0, 10);
  tincan_transcript_flush (transcript);
  push_n (transcript, 10, 2);   /* still pending: taken too */
  g_signal_connect (transcript, "items-changed", G_CALLBACK (items_changed_cb), &log);

  snapshot = tincan_transcript_take (transcript);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 0);
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript), ==, 0);
  g_assert_cmpuint (log.n_items_seen, ==, 0);

  /* What came after the clear stays after what comes back; the limit of 12
   * drops the oldest 3 of the 15, and the note says so. */
  push_n (transcript, 100, 3);
  tincan_transcript_flush (transcript);
  tincan_transcript_restore (transcript, snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 13);
  g_assert_cmpuint (log.n_items_seen, ==, 13);
  g_assert_cmpuint (log.position, ==, 0);
  g_assert_cmpuint (log.removed, ==, 3);
  g_assert_cmpuint (log.added, ==, 13);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 3);
  note = text_at (transcript, 0);
  oldest = text_at (transcript, 1);
  newest = text_at (transcript, 12);
  g_assert_cmpstr (note, ==, "3 earlier entries removed");
  g_assert_cmpstr (oldest, ==, "line 3");
  g_assert_cmpstr (newest, ==, "line 102");
}

static void
test_signals_describe_model (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (50);
  guint n_before;

  /* A mirror that applies every items-changed must end up the same size:
   * each signal must describe the model as it is when emitted. */
  for (guint round = 0; round < 20; round++)
    {
      ChangeLog log = { 0 };
      gulong id;

      n_before = g_list_model_get_n_items (G_LIST_MODEL (transcript));
      id = g_signal_connect (transcript, "items-changed", G_CALLBACK (items_changed_cb), &log);
      push_n (transcript, round * 37, 37);
      tincan_transcript_flush (transcript);
      g_signal_handler_disconnect (transcript, id);

      g_assert_cmpuint (log.n_signals, >=, 1);
      g_assert_cmpuint (log.n_signals, <=, 2);
      g_assert_cmpuint (log.n_items_seen, ==, g_list_model_get_n_items (G_LIST_MODEL (transcript)));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), <=, 51);
      g_assert_cmpuint (n_before, <=, 51);
    }

  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 20 * 37 - 50);
}

static void
set_count (gpointer data)
{
  (*(guint *) data)++;
}

static void
test_pending_bounded (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100);
  g_autofree char *oldest = NULL;

  /* A window that never paints must not hoard a flood. */
  push_n (transcript, 0, 10000);
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript), <, 200);

  tincan_transcript_flush (transcript);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 101);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 9900);
  oldest = text_at (transcript, 1);
  g_assert_cmpstr (oldest, ==, "line 9900");
}

/* The limit is a property (the window binds it to transcript-limit): a
 * change is notified once and takes effect at the next flush. */
static void
test_limit_property (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100);
  guint notified = 0;
  guint limit = 0;

  g_signal_connect_swapped (transcript, "notify::limit", G_CALLBACK (set_count), &notified);
  g_object_set (transcript, "limit", 10, NULL);
  g_object_set (transcript, "limit", 10, NULL);
  g_object_get (transcript, "limit", &limit, NULL);
  g_assert_cmpuint (limit, ==, 10);
  g_assert_cmpuint (notified, ==, 1);

  push_n (transcript, 0, 25);
  tincan_transcript_flush (transcript);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 11);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 15);
}

static void
test_clear (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (10);
  ChangeLog log = { 0 };

  push_n (transcript, 0, 25);
  tincan_transcript_flush (transcript);
  push_n (transcript, 25, 5);
  g_signal_connect (transcript, "items-changed", G_CALLBACK (items_changed_cb), &log);

  tincan_transcript_clear (transcript);
  g_assert_cmpuint (log.n_signals, ==, 1);
  g_assert_cmpuint (log.removed, ==, 11);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (transcript)), ==, 0);
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript), ==, 0);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 0);
  g_assert_false (tincan_transcript_flush (transcript));
}

static void
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
test_messages_released (void)
{
  TincanTranscript *transcript = tincan_transcript_new (5);
  gboolean trimmed_freed = FALSE, kept_freed = FALSE;
  g_autoptr(GBytes) trimmed_bytes = g_bytes_new_with_free_func ("a", 1, set_flag, &trimmed_freed);
  g_autoptr(GBytes) kept_bytes = g_bytes_new_with_free_func ("b", 1, set_flag, &kept_freed);
  TincanMessage *trimmed = tincan_message_new (TINCAN_MESSAGE_KIND_SENT, 0, trimmed_bytes);
  TincanMessage *kept = tincan_message_new (TINCAN_MESSAGE_KIND_SENT, 0, kept_bytes);

  g_clear_pointer (&trimmed_bytes, g_bytes_unref);
  g_clear_pointer (&kept_bytes, g_bytes_unref);

  tincan_transcript_push (transcript, trimmed);
  tincan_transcript_flush (transcript);
  g_clear_pointer (&trimmed, tincan_message_unref);
  g_assert_false (trimmed_freed);

  /* Trimming releases the oldest entry... */
  push_n (transcript, 0, 5);
  tincan_transcript_flush (transcript);
  g_assert_true (trimmed_freed);

  /* ...and finalizing releases the rest. */
  tincan_transcript_push (transcript, kept);
  tincan_transcript_flush (transcript);
  g_clear_pointer (&kept, tincan_message_unref);
  g_assert_false (kept_freed);
  g_assert_finalize_object (transcript);
  g_assert_true (kept_freed);
}

/* Issue 11, item 1: a long message is kept as what a row shows plus its
 * length and flags; the caller's message (which goes to the log) is whole. */
static void
test_long_message_clipped (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100);
  gsize length = 1024 * 1024;
  g_autofree guint8 *data = g_malloc (length);
  g_autoptr(TincanMessage) whole = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *shown = NULL;
  TincanMessage *kept;
  gsize kept_length;

  memset (data, 'a', length);
  whole = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_TRUNCATED,
                                        data, length);
  tincan_transcript_push (transcript, whole);
  tincan_transcript_flush (transcript);

  kept = tincan_transcript_get_message (transcript, 0);
  g_assert_true (kept != whole);
  tincan_message_get_data (kept, &kept_length);
  g_assert_cmpuint (kept_length, ==, TINCAN_RENDER_KEEP);
  g_assert_cmpuint (tincan_message_get_length (kept), ==, length);
  g_assert_cmpint (tincan_message_get_flags (kept), ==, TINCAN_MESSAGE_TRUNCATED);
  g_assert_cmpint (tincan_message_get_real_time (kept), ==, tincan_message_get_real_time (whole));
  tincan_message_get_data (whole, &kept_length);
  g_assert_cmpuint (kept_length, ==, length);

  summary = tincan_render_summary (kept);
  g_assert_true (g_str_has_prefix (summary, "1048576 bytes"));
  shown = tincan_render_message (kept, TINCAN_VIEW_TEXT, TRUE);
  g_assert_true (g_str_has_suffix (shown, "\n… 1044480 more bytes"));
}

/* Issue 12, item 4: a raw reply joined from several reads says so, also
 * once clipped; one read says nothing. */
static void
test_reads_in_summary (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (10);
  g_autofree guint8 *data = g_malloc0 (165000);
  g_autoptr(TincanMessage) joined =
    tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, data, 165000);
  g_autoptr(TincanMessage) single =
    tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0, data, 10);
  g_autofree char *summary = NULL;
  g_autofree char *single_summary = NULL;
  TincanMessage *kept;

  tincan_message_set_arrival (joined, 3, tincan_message_get_monotonic_time (joined),
                              tincan_message_get_real_time (joined));
  tincan_transcript_push (transcript, joined);
  tincan_transcript_flush (transcript);
  kept = tincan_transcript_get_message (transcript, 0);
  g_assert_true (kept != joined);
  g_assert_cmpuint (tincan_message_get_reads (kept), ==, 3);

  summary = tincan_render_summary (kept);
  g_assert_cmpstr (summary, ==, "165000 bytes · 3 reads");
  single_summary = tincan_render_summary (single);
  g_assert_cmpstr (single_summary, ==, "10 bytes");
  g_assert_cmpuint (tincan_message_get_reads (single), ==, 1);
}

/* Issue 11, item 1: entries take at most the budget, oldest dropped first. */
static void
test_budget_trims_oldest (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100000);
  g_autofree guint8 *data = g_malloc0 (4000);
  guint64 budget = 1024 * 1024;
  guint n_items;

  tincan_transcript_set_budget (transcript, budget);
  for (guint round = 0; round < 4; round++)
    {
      for (guint i = 0; i < 500; i++)
        {
          g_autoptr(TincanMessage) message = NULL;

          data[0] = (guint8) i;
          message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED,
                                                  TINCAN_MESSAGE_NONE, data, 4000);
          tincan_transcript_push (transcript, message);
        }
      tincan_transcript_flush (transcript);
    }

  /* 2,000 entries of about 4 KiB do not fit 1 MiB: about 250 do, and the
   * note says how many went. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  g_assert_cmpuint ((guint64) (n_items - 1) * 4000, <=, budget);
  g_assert_cmpuint (n_items, >, 200);
  g_assert_cmpuint (tincan_transcript_get_n_removed (transcript), ==, 2000 - (n_items - 1));
  /* the newest is kept */
  g_assert_cmpuint (tincan_message_get_data (tincan_transcript_get_message (transcript, n_items - 1),
                                             NULL)[0], ==, 499 & 0xFF);
}

/* Without flushes (a window that does not paint) pending entries stay
 * within the budget too. */
static void
test_pending_within_budget (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100000);
  g_autofree guint8 *data = g_malloc0 (64 * 1024);

  tincan_transcript_set_budget (transcript, 1024 * 1024);
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(TincanMessage) message =
        tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_NONE,
                                      data, 64 * 1024);
      tincan_transcript_push (transcript, message);
    }

  /* Each is clipped to 4 KiB, so 5,000 of them (320 MiB sent) keep about
   * 1.25 MiB at most: some 300 entries. */
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript), <=,
                    (1024 * 1024 + 1024 * 1024 / 4) / TINCAN_RENDER_KEEP);
  g_assert_cmpuint (tincan_transcript_get_n_pending (transcript) +
                    tincan_transcript_get_n_removed (transcript), ==, 5000);
}

/* Issue 11, item 6: the row cap falls between characters. */
static void
test_cap_on_character_boundary (void)
{
  GString *line = g_string_new (NULL);
  g_autoptr(TincanMessage) message = NULL;
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (10);
  g_autofree char *shown = NULL;
  g_autofree char *shown_kept = NULL;

  while (line->len < 5100)
    g_string_append (line, "\xe2\x82\xac");
  message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_NONE,
                                          (const guint8 *) line->str, line->len);
  g_assert_cmpuint (line->len, ==, 5100);

  /* 4,096 is not a multiple of 3: the cut goes back to 4,095 bytes, 1,365 "€". */
  shown = tincan_render_message (message, TINCAN_VIEW_TEXT, TRUE);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_null (strstr (shown, "\\x"));
  g_assert_true (g_str_has_suffix (shown, "\xe2\x82\xac\n… 1005 more bytes"));

  /* the same from the clipped copy the transcript keeps */
  tincan_transcript_push (transcript, message);
  tincan_transcript_flush (transcript);
  shown_kept = tincan_render_message (tincan_transcript_get_message (transcript, 0),
                                      TINCAN_VIEW_TEXT, TRUE);
  g_assert_cmpstr (shown_kept, ==, shown);
  g_string_free (line, TRUE);
}

/* Issue 12, items 1 and 4: a row draws the wire bytes, the framing's dim. */
static char *
render_row (TincanMessage  *message,
            TincanViewMode  mode,
            gsize           cap,
            const char     *dim_expected)
{
  g_autoptr(GArray) dim = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  char *text = tincan_render_row (message, mode, cap, dim);
  GString *dims = g_string_new (NULL);

  /* the dim parts, "|" between them */
  for (guint i = 0; i < dim->len; i++)
    {
      TincanSpan *span = &g_array_index (dim, TincanSpan, i);

      g_assert_cmpuint (span->start, <, span->end);
      g_assert_cmpuint (span->end, <=, strlen (text));
      if (i > 0)
        g_assert_cmpuint (span->start, >=, g_array_index (dim, TincanSpan, i - 1).end);
      g_string_append_printf (dims, "%s%.*s", i > 0 ? "|" : "",
                              (int) (span->end - span->start), text + span->start);
    }
  g_assert_cmpstr (dims->str, ==, dim_expected);
  g_string_free (dims, TRUE);
  return text;
}

static TincanMessage *
framed (const char *prefix,
        gsize       prefix_length,
        const char *payload,
        const char *suffix)
{
  return tincan_message_new_framed (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_NONE,
                                    (const guint8 *) prefix, prefix_length,
                                    (const guint8 *) payload, strlen (payload),
                                    (const guint8 *) suffix, strlen (suffix));
}

static void
test_row_framing_text (void)
{
  g_autoptr(TincanMessage) crlf = framed (NULL, 0, "PING", "\r\n");
  g_autoptr(TincanMessage) u16 = framed ("\x00\x04", 2, "PING", "");
  g_autofree char *a = render_row (crlf, TINCAN_VIEW_TEXT, TINCAN_RENDER_CAP_TEXT, "\\r\\n");
  g_autofree char *b = render_row (u16, TINCAN_VIEW_TEXT, TINCAN_RENDER_CAP_TEXT, "\\0\\x04");

  g_assert_cmpstr (a, ==, "PING\\r\\n");
  g_assert_cmpstr (b, ==, "\\0\\x04PING");
}

/* Line breaks in the payload break the row's line, the escape kept and dim
 * at its end; none after the last one. */
static void
test_row_lines (void)
{
  g_autoptr(TincanMessage) raw = framed (NULL, 0, "HTTP/1.0 200 OK\r\nA: b\r\n\r\nbody\n", "");
  g_autoptr(TincanMessage) lf = framed (NULL, 0, "a\nb", "\n");
  g_autofree char *a = render_row (raw, TINCAN_VIEW_TEXT, TINCAN_RENDER_CAP_TEXT,
                                   "\\r\\n|\\r\\n|\\r\\n|\\n");
  g_autofree char *b = render_row (lf, TINCAN_VIEW_TEXT, TINCAN_RENDER_CAP_TEXT, "\\n|\\n");

  g_assert_cmpstr (a, ==, "HTTP/1.0 200 OK\\r\\n\nA: b\\r\\n\n\\r\\n\nbody\\n");
  g_assert_cmpstr (b, ==, "a\\n\nb\\n");
}

static void
test_row_framing_hex (void)
{
  g_autoptr(TincanMessage) u16 = framed ("\x00\x04", 2, "PING", "");
  g_autoptr(TincanMessage) crlf = framed (NULL, 0, "0123456789abcdef", "\r\n");
  g_autofree char *a = render_row (u16, TINCAN_VIEW_HEX, TINCAN_RENDER_CAP_HEX, "00|04|.|.");
  g_autofree char *b = render_row (crlf, TINCAN_VIEW_HEX, TINCAN_RENDER_CAP_HEX, "0d|0a|.|.");

  g_assert_cmpstr (a, ==, "00000000: 0004 5049 4e47                           ..PING");
  g_assert_cmpstr (b, ==, "00000000: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n"
                          "00000010: 0d0a                                     ..");
}

static void
test_row_framing_python (void)
{
  g_autoptr(TincanMessage) u16 = framed ("\x00\x04", 2, "PING", "");
  g_autoptr(TincanMessage) lf = framed (NULL, 0, "PING", "\n");
  g_autofree char *a = render_row (u16, TINCAN_VIEW_PYTHON, TINCAN_RENDER_CAP_TEXT, "b'\\x00\\x04'");
  g_autofree char *b = render_row (lf, TINCAN_VIEW_PYTHON, TINCAN_RENDER_CAP_TEXT, "b'\\n'");

  /* adjacent literals: Python joins them into the wire bytes */
  g_assert_cmpstr (a, ==, "b'\\x00\\x04' b'PING'");
  g_assert_cmpstr (b, ==, "b'PING' b'\\n'");
}

/* Issue 14: where a row draws the search's matches, as "|"-joined pieces of
 * its text. */
static char *
marked_pieces (TincanMessage  *message,
               TincanViewMode  mode,
               const char     *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanMatcher) matcher = tincan_matcher_new (query, TINCAN_MATCHER_TEXT, &error);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (TincanMatch));
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (TincanSpan));
  const guint8 *prefix, *data, *suffix;
  gsize prefix_length, length, suffix_length;
  g_autofree char *text = NULL;
  GString *pieces = g_string_new (NULL);

  g_assert_no_error (error);
  prefix = tincan_message_get_prefix (message, &prefix_length);
  data = tincan_message_get_data (message, &length);
  suffix = tincan_message_get_suffix (message, &suffix_length);
  tincan_matcher_find_all (matcher, prefix, prefix_length, data, length, suffix, suffix_length,
                           matches);
  text = tincan_render_row_marked (message, mode, tincan_render_cap (mode, FALSE), NULL,
                                   matches, marked);
  for (guint i = 0; i < marked->len; i++)
    {
      TincanSpan *span = &g_array_index (marked, TincanSpan, i);

      g_assert_cmpuint (span->start, <, span->end);
      g_assert_cmpuint (span->end, <=, strlen (text));
      g_string_append_printf (pieces, "%s%.*s", i > 0 ? "|" : "",
                              (int) (span->end - span->start), text + span->start);
    }
  return g_string_free (pieces, FALSE);
}

static void
test_row_marks (void)
{
  g_autoptr(TincanMessage) u16 = framed ("\x00\x04", 2, "PING", "");
  g_autoptr(TincanMessage) lines = framed (NULL, 0, "ab\r\ncd", "\r\n");
  g_autoptr(TincanMessage) status = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS,
                                                             "Connected to x");
  g_autoptr(TincanMessage) utf8 = framed (NULL, 0, "caf\xc3\xa9", "");
  struct {
    TincanMessage  *message;
    TincanViewMode  mode;
    const char     *query;
    const char     *expected;
  } cases[] = {
    /* Across the prefix and the payload, escapes and all. */
    { u16, TINCAN_VIEW_TEXT, "hex: 04 50", "\\x04|P" },
    { u16, TINCAN_VIEW_TEXT, "ing", "ING" },
    /* Across a line break drawn as its escape and a new line. */
    { lines, TINCAN_VIEW_TEXT, "b\r\nc", "b|\\r\\n|c" },
    { lines, TINCAN_VIEW_TEXT, "hex: 0d 0a", "\\r\\n|\\r\\n" },
    /* The hex and text cells of each byte. */
    { u16, TINCAN_VIEW_HEX, "hex: 04 50", "04|50|.|P" },
    { status, TINCAN_VIEW_TEXT, "connected", "Connected" },
    /* A match inside a character shows its bytes. */
    { utf8, TINCAN_VIEW_TEXT, "hex: c3", "\\xc3" },
    { utf8, TINCAN_VIEW_TEXT, "caf\xc3\xa9", "café" },
    /* The Python view draws none: a cut literal would read as two. */
    { u16, TINCAN_VIEW_PYTHON, "ping", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *pieces = marked_pieces (cases[i].message, cases[i].mode, cases[i].query);

      g_assert_cmpstr (pieces, ==, cases[i].expected);
    }
}

/* A capped row says how much is not shown, and the delimiter after it is
 * not drawn as if it came next. */
static void
test_row_capped (void)
{
  g_autofree char *big = g_strnfill (10, 'a');
  g_autoptr(TincanMessage) message = framed (NULL, 0, big, "\r\n");
  g_autofree char *text = render_row (message, TINCAN_VIEW_TEXT, 4, "");

  g_assert_cmpstr (text, ==, "aaaa\n… 6 more bytes");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/transcript/batched-append", test_batched_append);
  g_test_add_func ("/app/transcript/items-are-entries", test_items_are_entries);
  g_test_add_func ("/app/transcript/limit-trims-oldest", test_limit_trims_oldest);
  g_test_add_func ("/app/transcript/signals-describe-model", test_signals_describe_model);
  g_test_add_func ("/app/transcript/pending-bounded", test_pending_bounded);
  g_test_add_func ("/app/transcript/limit-property", test_limit_property);
  g_test_add_func ("/app/transcript/clear", test_clear);
  g_test_add_func ("/app/transcript/take-and-restore", test_take_and_restore);
  g_test_add_func ("/app/transcript/messages-released", test_messages_released);
  g_test_add_func ("/app/transcript/long-message-clipped", test_long_message_clipped);
  g_test_add_func ("/app/transcript/budget-trims-oldest", test_budget_trims_oldest);
  g_test_add_func ("/app/transcript/reads-in-summary", test_reads_in_summary);
  g_test_add_func ("/app/transcript/pending-within-budget", test_pending_within_budget);
  g_test_add_func ("/app/transcript/cap-on-character-boundary", test_cap_on_character_boundary);
  g_test_add_func ("/app/render/row/framing-text", test_row_framing_text);
  g_test_add_func ("/app/render/row/lines", test_row_lines);
  g_test_add_func ("/app/render/row/framing-hex", test_row_framing_hex);
  g_test_add_func ("/app/render/row/framing-python", test_row_framing_python);
  g_test_add_func ("/app/render/row/capped", test_row_capped);
  g_test_add_func ("/app/render/row/marks", test_row_marks);

  return g_test_run ();
}
