/* test-transcript-filter.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search's filter model (issue 14, "Find and filter"): what it holds
 * equals a plain pass over the transcript after every kind of change (new
 * query, appends while it matches, trims at the limit, clear), and its
 * signals describe the model as it is. */

#include "config.h"

#include "tincan-transcript-filter.h"

static void
push_line (TincanTranscript  *transcript,
           TincanMessageKind  kind,
           guint              i)
{
  g_autofree char *text = g_strdup_printf ("%s %u", i % 3 == 0 ? "PING" : "pong", i);
  g_autoptr(TincanMessage) message = tincan_message_new_text (kind, text);

  tincan_transcript_push (transcript, message);
}

static void
push_n (TincanTranscript *transcript,
        guint             from,
        guint             n)
{
  for (guint i = from; i < from + n; i++)
    push_line (transcript, i % 2 ? TINCAN_MESSAGE_KIND_SENT : TINCAN_MESSAGE_KIND_RECEIVED, i);
}

static TincanMatcher *
compile (const char *query)
{
  g_autoptr(GError) error = NULL;
  TincanMatcher *matcher = tincan_matcher_new (query, TINCAN_MATCHER_TEXT, &error);

  g_assert_no_error (error);
  return matcher;
}

/* The filter equals a plain pass over the transcript. */
static void
assert_filter_exact (TincanTranscriptFilter *filter)
{
  TincanTranscript *transcript = tincan_transcript_filter_get_transcript (filter);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  guint index = 0;

  g_assert_true (tincan_transcript_filter_is_complete (filter));
  for (guint position = 0; position < n; position++)
    {
      TincanMessage *message = tincan_transcript_get_message (transcript, position);
      g_autoptr(TincanEntry) entry = NULL;

      if (!tincan_transcript_filter_passes (filter, message))
        continue;
      g_assert_cmpuint (index, <, tincan_transcript_filter_get_n_matches (filter));
      g_assert_cmpuint (tincan_transcript_filter_get_position (filter, index), ==, position);
      entry = g_list_model_get_item (G_LIST_MODEL (filter), index);
      g_assert_true (tincan_entry_get_message (entry) == message);
      index++;
    }
  g_assert_cmpuint (index, ==, tincan_transcript_filter_get_n_matches (filter));
  g_assert_cmpuint (index, ==, g_list_model_get_n_items (G_LIST_MODEL (filter)));
}

static void
run_to_end (TincanTranscriptFilter *filter)
{
  while (!tincan_transcript_filter_step (filter, 0))
    ;
}

/* A mirror of the model kept only from its signals: if a signal lies, the
 * mirror's size drifts from the model's. */
typedef struct
{
  guint n_items;
  guint n_signals;
} Mirror;

static void
mirror_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->n_items);
  mirror->n_items = mirror->n_items - removed + added;
  g_assert_cmpuint (mirror->n_items, ==, g_list_model_get_n_items (model));
  mirror->n_signals++;
}

static void
test_query (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (100000);
  g_autoptr(TincanTranscriptFilter) filter = tincan_transcript_filter_new (transcript);
  g_autoptr(TincanMatcher) ping = compile ("ping");
  g_autoptr(TincanMatcher) seven = compile ("7");
  Mirror mirror = { 0, 0 };

  g_signal_connect (filter, "items-changed", G_CALLBACK (mirror_items_changed_cb), &mirror);
  push_n (transcript, 0, 30000);
  tincan_transcript_flush (transcript);
  run_to_end (filter);
  /* No query: every entry. */
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 30000);

  tincan_transcript_filter_set_matcher (filter, ping);
  g_assert_false (tincan_transcript_filter_is_complete (filter));
  run_to_end (filter);
  /* Smart case: "ping" finds "PING", every third line. */
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 10000);
  assert_filter_exact (filter);

  tincan_transcript_filter_set_matcher (filter, seven);
  run_to_end (filter);
  assert_filter_exact (filter);
  g_assert_cmpuint (tincan_transcript_filter_find (filter, 0), ==, 0);
  g_assert_cmpuint (tincan_transcript_filter_get_position (filter, 0), ==, 7);
  g_assert_cmpuint (tincan_transcript_filter_find (filter, 8), ==, 1);
  g_assert_cmpuint (tincan_transcript_filter_get_position (filter, 1), ==, 17);
  g_assert_cmpuint (tincan_transcript_filter_find (filter, 30000),
                    ==, tincan_transcript_filter_get_n_matches (filter));
  g_assert_cmpuint (mirror.n_items, ==, tincan_transcript_filter_get_n_matches (filter));
}

static void
test_kinds (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (1000);
  g_autoptr(TincanTranscriptFilter) filter = tincan_transcript_filter_new (transcript);
  g_autoptr(TincanMatcher) pong = compile ("pong");
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "pong failed");
  g_autoptr(TincanMessage) failure = tincan_message_new_error (error);

  push_n (transcript, 0, 10);
  push_line (transcript, TINCAN_MESSAGE_KIND_STATUS, 9);
  tincan_transcript_push (transcript, failure);
  tincan_transcript_flush (transcript);

  tincan_transcript_filter_set_kinds (filter, TINCAN_SHOW_SENT);
  run_to_end (filter);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 5);
  assert_filter_exact (filter);

  tincan_transcript_filter_set_kinds (filter, TINCAN_SHOW_NOTES);
  run_to_end (filter);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 2);

  tincan_transcript_filter_set_matcher (filter, pong);
  run_to_end (filter);
  /* "PING 9"'s status is not a pong, the error is. */
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 1);
  g_assert_cmpuint (tincan_transcript_filter_get_position (filter, 0), ==, 11);

  tincan_transcript_filter_set_kinds (filter, TINCAN_SHOW_RECEIVED | TINCAN_SHOW_SENT);
  run_to_end (filter);
  assert_filter_exact (filter);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 6);
}

/* A flood: entries arrive while the query is being matched, and the limit
 * trims the oldest (with the "earlier entries removed" note at 0). */
static void
test_flood (void)
{
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (5000);
  g_autoptr(TincanTranscriptFilter) filter = tincan_transcript_filter_new (transcript);
  g_autoptr(TincanMatcher) ping = compile ("PING");
  g_autoptr(TincanMatcher) removed = compile ("removed");
  Mirror mirror = { 0, 0 };
  guint next = 0;

  g_signal_connect (filter, "items-changed", G_CALLBACK (mirror_items_changed_cb), &mirror);
  tincan_transcript_filter_set_matcher (filter, ping);
  for (guint round = 0; round < 40; round++)
    {
      push_n (transcript, next, 700);
      next += 700;
      tincan_transcript_flush (transcript);
      /* One short step: part of what came is matched, the rest waits. */
      tincan_transcript_filter_step (filter, 0);
      if (round % 7 == 6)
        {
          run_to_end (filter);
          assert_filter_exact (filter);
        }
    }
  run_to_end (filter);
  assert_filter_exact (filter);
  g_assert_cmpuint (mirror.n_items, ==, tincan_transcript_filter_get_n_matches (filter));

  /* The note is an entry like the others. */
  tincan_transcript_filter_set_matcher (filter, removed);
  run_to_end (filter);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 1);
  push_n (transcript, next, 10);
  tincan_transcript_flush (transcript);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 1);
  g_assert_cmpuint (tincan_transcript_filter_get_position (filter, 0), ==, 0);

  tincan_transcript_clear (transcript);
  run_to_end (filter);
  g_assert_cmpuint (tincan_transcript_filter_get_n_matches (filter), ==, 0);
  g_assert_cmpuint (mirror.n_items, ==, 0);
}

static void
complete_cb (TincanTranscriptFilter *filter,
             GParamSpec             *pspec,
             gboolean               *complete)
{
  *complete = tincan_transcript_filter_is_complete (filter);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("The filter did not finish in time");
  return G_SOURCE_REMOVE;
}

/* In the main loop the filter matches on its own, in steps. */
static void
test_idle (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(TincanTranscript) transcript = tincan_transcript_new (200000);
  g_autoptr(TincanTranscriptFilter) filter = NULL;
  g_autoptr(TincanMatcher) ping = compile ("ping 1");
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (20);
  gboolean complete = FALSE;
  guint steps = 0;

  g_main_context_push_thread_default (context);
  g_source_set_callback (deadline, deadline_cb, NULL, NULL);
  g_source_attach (deadline, context);

  push_n (transcript, 0, 200000);
  tincan_transcript_flush (transcript);
  filter = tincan_transcript_filter_new (transcript);
  g_signal_connect (filter, "notify::complete", G_CALLBACK (complete_cb), &complete);
  tincan_transcript_filter_set_matcher (filter, ping);
  g_assert_false (tincan_transcript_filter_is_complete (filter));
  while (!complete)
    {
      g_main_context_iteration (context, TRUE);
      steps++;
    }
  assert_filter_exact (filter);
  g_assert_cmpuint (steps, >=, 1);

  g_source_destroy (deadline);
  g_clear_object (&filter);
  g_main_context_pop_thread_default (context);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/transcript-filter/query", test_query);
  g_test_add_func ("/app/transcript-filter/kinds", test_kinds);
  g_test_add_func ("/app/transcript-filter/flood", test_flood);
  g_test_add_func ("/app/transcript-filter/idle", test_idle);

  return g_test_run ();
}
