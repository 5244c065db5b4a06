/* test-transcript.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

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
  g_test_add_func ("/app/transcript/messages-released", test_messages_released);

  return g_test_run ();
}
