/* test-search.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Find and filter in the real window (issue 14): Ctrl+F's bar, "1 of N",
 * next and previous (also to a match far away), highlights in the rows,
 * a bad query, "Show Only Matching" with "Showing N of M" while entries
 * keep coming, and closing the bar. Keys are the AT-SPI test's
 * (tests/ui/test-keyboard-flow.py); here the window's actions. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "tincan-application.h"
#include "tincan-format.h"
#include "tincan-message-row.h"
#include "tincan-search-bar.h"
#include "tincan-status-bar.h"
#include "tincan-test-util.h"
#include "tincan-transcript-view.h"
#include "tincan-window.h"

#define DEADLINE_MS 30000

static TincanApplication *app;

typedef struct
{
  TincanWindow         *window;
  TincanConversation   *conversation;
  TincanTranscriptView *view;
  TincanSearchBar      *bar;
  GtkListView          *list;
} Fixture;

static gpointer
child_of (gpointer     widget,
          GType        type,
          const char  *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);
}

static void
fixture_open (Fixture *f)
{
  f->window = tincan_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  f->conversation = tincan_window_get_conversation (f->window);
  f->view = child_of (f->conversation, TINCAN_TYPE_CONVERSATION, "transcript_view");
  f->bar = child_of (f->conversation, TINCAN_TYPE_CONVERSATION, "search_bar");
  f->list = child_of (f->view, TINCAN_TYPE_TRANSCRIPT_VIEW, "list_view");
  gtk_stack_set_visible_child_name (child_of (f->conversation, TINCAN_TYPE_CONVERSATION, "stack"),
                                    "transcript");
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  tincan_test_drain_context (NULL);
}

static void
emit_lines (Fixture *f,
            guint    from,
            guint    n)
{
  TincanSession *session = tincan_conversation_get_session (f->conversation);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);

  for (guint i = from; i < from + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u", i);

      g_ptr_array_add (batch, tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0,
                                                            (const guint8 *) text, strlen (text)));
    }
  g_signal_emit_by_name (session, "messages", batch);
}

static gboolean
all_flushed (gpointer data)
{
  Fixture *f = data;
  TincanTranscript *transcript = tincan_conversation_get_transcript (f->conversation);

  return tincan_transcript_get_n_pending (transcript) == 0;
}

static void
type_query (Fixture    *f,
            const char *query)
{
  GtkEditable *entry = child_of (f->bar, TINCAN_TYPE_SEARCH_BAR, "entry");

  gtk_editable_set_text (entry, query);
  /* GtkSearchEntry says search-changed after a pause; say it now. */
  g_signal_emit_by_name (entry, "search-changed");
}

typedef struct
{
  Fixture    *f;
  const char *text;
} CountWait;

static gboolean
count_says (gpointer data)
{
  CountWait *wait = data;

  return g_strcmp0 (tincan_search_bar_get_count_text (wait->f->bar), wait->text) == 0;
}

static void
wait_count (Fixture    *f,
            const char *text)
{
  CountWait wait = { f, text };

  if (!tincan_test_iterate_until (NULL, count_says, &wait, 3000))
    g_printerr ("count: %s, not %s\n", tincan_search_bar_get_count_text (f->bar), text);
  tincan_test_wait_for (NULL, count_says, &wait, DEADLINE_MS);
}

/* The row on screen, wholly in view, that shows @text, or NULL. */
static TincanMessageRow *
row_in_view (Fixture    *f,
             const char *text)
{
  GtkWidget *list = GTK_WIDGET (f->list);
  int height = gtk_widget_get_height (list);

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;

      if (row == NULL || !TINCAN_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (child))
        continue;
      if (g_strcmp0 (tincan_message_row_get_payload_text (TINCAN_MESSAGE_ROW (row)), text) != 0)
        continue;
      if (!gtk_widget_compute_bounds (child, list, &bounds) || bounds.origin.y < 0 ||
          bounds.origin.y + bounds.size.height > height + 1)
        continue;
      if ((gtk_widget_get_state_flags (child) & GTK_STATE_FLAG_SELECTED) == 0)
        continue;
      return TINCAN_MESSAGE_ROW (row);
    }
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *text;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  return row_in_view (wait->f, wait->text) != NULL;
}

/* The match is scrolled into view and selected, its bytes highlighted. */
static void
assert_current_row (Fixture    *f,
                    const char *text,
                    guint       mark_start,
                    guint       mark_end)
{
  RowWait wait = { f, text };
  TincanMessageRow *row;
  GArray *marks;

  tincan_test_wait_for (NULL, row_shown, &wait, DEADLINE_MS);
  row = row_in_view (f, text);
  marks = tincan_message_row_get_marks (row);
  g_assert_cmpuint (marks->len, ==, 1);
  g_assert_cmpuint (g_array_index (marks, TincanSpan, 0).start, ==, mark_start);
  g_assert_cmpuint (g_array_index (marks, TincanSpan, 0).end, ==, mark_end);
}

static void
test_find_next_previous (void)
{
  Fixture f;

  fixture_open (&f);
  emit_lines (&f, 0, 5000);
  tincan_test_wait_for (NULL, all_flushed, &f, DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find", NULL);
  g_assert_true (tincan_search_bar_is_open (f.bar));
  /* "line 42", "line 420".."line 429", "line 4200".."line 4299". */
  type_query (&f, "Line 42");
  wait_count (&f, "No matches");
  type_query (&f, "line 42");
  wait_count (&f, "1 of 111");
  assert_current_row (&f, "line 42", 0, 7);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-next", NULL);
  wait_count (&f, "2 of 111");
  assert_current_row (&f, "line 420", 0, 7);
  g_assert_false (tincan_transcript_view_get_following (f.view));

  /* Back past the first: the last match, 4,000 rows away. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-previous", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-previous", NULL);
  wait_count (&f, "111 of 111");
  assert_current_row (&f, "line 4299", 0, 7);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-next", NULL);
  wait_count (&f, "1 of 111");
  assert_current_row (&f, "line 42", 0, 7);

  /* Hex finds the same bytes: "42" is 34 32. */
  type_query (&f, "hex: 34 32 39 39");
  wait_count (&f, "1 of 1");
  assert_current_row (&f, "line 4299", 5, 9);

  fixture_close (&f);
}

/* The limit trims older entries: the current match stays the same entry,
 * its number goes down. */
static void
test_current_survives_trim (void)
{
  Fixture f;

  fixture_open (&f);
  tincan_transcript_set_limit (tincan_conversation_get_transcript (f.conversation), 1000);
  emit_lines (&f, 0, 1000);
  tincan_test_wait_for (NULL, all_flushed, &f, DEADLINE_MS);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find", NULL);
  /* "line 9", "line 90".."line 99", "line 900".."line 999". */
  type_query (&f, "line 9");
  wait_count (&f, "1 of 111");
  for (guint i = 0; i < 11; i++)
    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-next", NULL);
  wait_count (&f, "12 of 111");
  assert_current_row (&f, "line 900", 0, 6);

  /* The 100 oldest go, with 11 matches. */
  emit_lines (&f, 1000, 100);
  tincan_test_wait_for (NULL, all_flushed, &f, DEADLINE_MS);
  wait_count (&f, "1 of 100");
  assert_current_row (&f, "line 900", 0, 6);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-next", NULL);
  wait_count (&f, "2 of 100");
  assert_current_row (&f, "line 901", 0, 6);

  fixture_close (&f);
}

static void
test_bad_query (void)
{
  Fixture f;
  GtkToggleButton *regex;
  GtkToggleButton *hex;

  fixture_open (&f);
  emit_lines (&f, 0, 10);
  tincan_test_wait_for (NULL, all_flushed, &f, DEADLINE_MS);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find", NULL);
  regex = child_of (f.bar, TINCAN_TYPE_SEARCH_BAR, "regex_button");
  hex = child_of (f.bar, TINCAN_TYPE_SEARCH_BAR, "hex_button");

  gtk_toggle_button_set_active (regex, TRUE);
  type_query (&f, "line (");
  g_assert_nonnull (strstr (tincan_search_bar_get_count_text (f.bar), "at char 6"));
  g_assert_null (tincan_transcript_view_get_matcher (f.view));

  type_query (&f, "^line [0-4]$");
  wait_count (&f, "1 of 5");

  /* Hex and Regex: one at a time. */
  gtk_toggle_button_set_active (hex, TRUE);
  g_assert_false (gtk_toggle_button_get_active (regex));
  g_assert_nonnull (strstr (tincan_search_bar_get_count_text (f.bar), "Not a hex digit"));

  fixture_close (&f);
}

static const char *
filter_text (Fixture *f)
{
  return tincan_status_bar_get_filter_text (child_of (f->conversation, TINCAN_TYPE_CONVERSATION,
                                                      "status_bar"));
}

static void
assert_filter_text (Fixture *f,
                    guint64  shown,
                    guint64  total)
{
  g_autofree char *shown_text = tincan_format_count (shown);
  g_autofree char *total_text = tincan_format_count (total);
  g_autofree char *expected = g_strdup_printf ("Showing %s of %s", shown_text, total_text);

  g_assert_cmpstr (filter_text (f), ==, expected);
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (f->list)));
}

typedef struct
{
  Fixture *f;
  guint    n;
} ShownWait;

static gboolean
shows_n_at_end (gpointer data)
{
  ShownWait *wait = data;

  return n_shown (wait->f) == wait->n && tincan_transcript_view_get_following (wait->f->view);
}

/* Show Only Matching: the list is the matches, the status bar says how many
 * of how many, and matches that arrive are shown and followed. */
static void
test_show_only (void)
{
  Fixture f;
  GtkToggleButton *only;
  ShownWait wait;

  fixture_open (&f);
  emit_lines (&f, 0, 3000);
  tincan_test_wait_for (NULL, all_flushed, &f, DEADLINE_MS);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find", NULL);
  g_assert_null (filter_text (&f));

  type_query (&f, "7$");
  gtk_toggle_button_set_active (child_of (f.bar, TINCAN_TYPE_SEARCH_BAR, "regex_button"), TRUE);
  wait_count (&f, "1 of 300");
  only = child_of (f.bar, TINCAN_TYPE_SEARCH_BAR, "only_button");
  gtk_toggle_button_set_active (only, TRUE);
  g_assert_cmpuint (n_shown (&f), ==, 300);
  assert_filter_text (&f, 300, 3000);

  /* Back to following, then a flood of more. */
  tincan_transcript_view_jump_to_latest (f.view);
  emit_lines (&f, 3000, 2000);
  wait = (ShownWait) { &f, 500 };
  tincan_test_wait_for (NULL, shows_n_at_end, &wait, DEADLINE_MS);
  wait_count (&f, "1 of 500");
  {
    RowWait row = { &f, "line 4997" };

    /* The newest match is in view (not selected: row_in_view wants it so). */
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (gtk_list_view_get_model (f.list)),
                                     499, TRUE);
    tincan_test_wait_for (NULL, row_shown, &row, DEADLINE_MS);
  }
  assert_filter_text (&f, 500, 5000);

  /* Received only: nothing is sent here, so the same; Sent only: none. */
  gtk_toggle_button_set_active (child_of (f.bar, TINCAN_TYPE_SEARCH_BAR, "received_button"),
                                FALSE);
  wait_count (&f, "No matches");
  g_assert_cmpuint (n_shown (&f), ==, 0);

  /* Closing the bar shows everything again. */
  tincan_search_bar_close (f.bar);
  g_assert_cmpuint (n_shown (&f), ==, 5000);
  g_assert_null (filter_text (&f));
  g_assert_null (tincan_transcript_view_get_matcher (f.view));

  fixture_close (&f);
}

/* Esc in the bar is the bar's: it closes, the focus goes back, nothing
 * else happens. */
static void
test_close_returns_focus (void)
{
  Fixture f;
  GtkWidget *host;
  GtkWidget *focus;

  fixture_open (&f);
  host = child_of (f.conversation, TINCAN_TYPE_CONVERSATION, "connection_bar");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.focus-host", NULL);
  tincan_test_drain_context (NULL);
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, host));

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)),
                                         GTK_WIDGET (f.bar)));
  tincan_search_bar_close (f.bar);
  tincan_test_drain_context (NULL);
  g_assert_false (tincan_search_bar_is_open (f.bar));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == focus);

  fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }

  app = tincan_application_new ("io.github.tincan.Tincan.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/ui/search/find-next-previous", test_find_next_previous);
  g_test_add_func ("/ui/search/current-survives-trim", test_current_survives_trim);
  g_test_add_func ("/ui/search/bad-query", test_bad_query);
  g_test_add_func ("/ui/search/show-only", test_show_only);
  g_test_add_func ("/ui/search/close-returns-focus", test_close_returns_focus);

  return g_test_run ();
}
