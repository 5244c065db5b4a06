/* test-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real window, under Xvfb, driven through its actions and widgets. */

/* For POLLRDHUP */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tincan-application.h"
#include "tincan-certificate-dialog.h"
#include "tincan-composer.h"
#include "tincan-connection-bar.h"
#include "tincan-echo-server.h"
#include "tincan-format.h"
#include "tincan-message-row.h"
#include "tincan-render.h"
#include "tincan-session-private.h"
#include "tincan-status-bar.h"
#include "tincan-test-proxy.h"
#include "tincan-test-util.h"
#include "tincan-transcript-view.h"
#include "tincan-transcript-save.h"
#include "tincan-window.h"

#define DEADLINE_MS 30000

static TincanApplication *app;

/* What a user sees of a window, reached through its widgets' templates. */

static TincanConversation *
conversation_of (TincanWindow *window)
{
  return tincan_window_get_conversation (window);
}

static gpointer
part_of (TincanWindow *window,
         const char   *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (conversation_of (window)),
                                        TINCAN_TYPE_CONVERSATION, name);
}

static TincanSession *
session_of (TincanWindow *window)
{
  return tincan_conversation_get_session (conversation_of (window));
}

static TincanTranscript *
transcript_of (TincanWindow *window)
{
  return tincan_conversation_get_transcript (conversation_of (window));
}

static TincanComposer *
composer_of (TincanWindow *window)
{
  return TINCAN_COMPOSER (part_of (window, "composer"));
}

static TincanTranscriptView *
transcript_view_of (TincanWindow *window)
{
  return TINCAN_TRANSCRIPT_VIEW (part_of (window, "transcript_view"));
}

static GtkListView *
list_view_of (TincanWindow *window)
{
  return GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (transcript_view_of (window)),
                                                       TINCAN_TYPE_TRANSCRIPT_VIEW, "list_view"));
}

static gboolean
jump_visible (TincanWindow *window)
{
  GObject *revealer = gtk_widget_get_template_child (GTK_WIDGET (transcript_view_of (window)),
                                                     TINCAN_TYPE_TRANSCRIPT_VIEW, "jump_revealer");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static const char *
target_error_of (TincanWindow *window)
{
  return tincan_connection_bar_get_target_error (part_of (window, "connection_bar"));
}

static const char *
counts_text_of (TincanWindow *window)
{
  GObject *label = gtk_widget_get_template_child (part_of (window, "status_bar"),
                                                  TINCAN_TYPE_STATUS_BAR, "counts_label");

  return gtk_label_get_text (GTK_LABEL (label));
}

static TincanWindow *
new_window (void)
{
  TincanWindow *window = tincan_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (TincanWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tincan_test_drain_context (NULL);
}

static gboolean
is_connected (gpointer data)
{
  return tincan_session_get_state (session_of (data)) == TINCAN_SESSION_CONNECTED;
}

typedef struct
{
  TincanWindow    *window;
  TincanMessageKind  direction;
  const char      *bytes;
  gsize            length;
  gboolean         part;      /* bytes is a nul-terminated piece of the entry */
} FindEntry;

static guint
count_entries (FindEntry *find)
{
  TincanTranscript *transcript = transcript_of (find->window);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  guint found = 0;

  for (guint i = 0; i < n; i++)
    {
      TincanMessage *message = tincan_transcript_get_message (transcript, i);
      gsize length;
      const guint8 *bytes = tincan_message_get_data (message, &length);

      if (tincan_message_get_kind (message) != find->direction)
        continue;
      if (find->part ? g_strstr_len ((const char *) bytes, length, find->bytes) != NULL
                     : length == find->length && memcmp (bytes, find->bytes, length) == 0)
        found++;
    }

  return found;
}

static gboolean
has_entry (gpointer data)
{
  return count_entries (data) > 0;
}

static TincanWindow *
connected_window (void)
{
  TincanWindow *window = new_window ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  g_assert_no_error (error);
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);
  return window;
}

/* Types @text in the composer, as text ending in LF, and sends it. */
static void
send_line (TincanComposer *composer,
           const char     *text)
{
  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_LF);
  tincan_composer_set_text (composer, text);
  g_assert_true (tincan_composer_submit (composer));
}

static void
test_echo_round_trip (void)
{
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);
  FindEntry sent = { window, TINCAN_MESSAGE_KIND_SENT, "héllo\n", 7 };
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "héllo\n", 7 };

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_LF);
  tincan_composer_set_text (composer, "héllo");
  g_assert_true (tincan_composer_submit (composer));

  /* Accepted messages leave the composer. */
  {
    g_autofree char *left = tincan_composer_dup_text (composer);
    g_assert_cmpstr (left, ==, "");
  }

  tincan_test_wait_for (NULL, has_entry, &sent, DEADLINE_MS);
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session_of (window)), ==, 7);

  close_window (window);
}

static void
test_hex_error_blocks_sending (void)
{
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);
  TincanSession *session = session_of (window);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_HEX);
  tincan_composer_set_text (composer, "68 6g");

  /* The error shows while typing, with its column, and nothing is sent. */
  g_assert_nonnull (tincan_composer_get_error (composer));
  g_assert_nonnull (strstr (tincan_composer_get_error (composer), "5"));
  g_assert_false (tincan_composer_submit (composer));
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_session_get_messages_sent (session), ==, 0);

  /* Fixing it clears the error and sends. */
  tincan_composer_set_text (composer, "68 69");
  g_assert_null (tincan_composer_get_error (composer));
  g_assert_true (tincan_composer_submit (composer));

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  close_window (window);
}

static void
test_text_escape_error (void)
{
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_text (composer, "ok\\q");
  g_assert_nonnull (tincan_composer_get_error (composer));
  g_assert_false (tincan_composer_submit (composer));

  close_window (window);
}

static void
test_history_recall (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *expected[] = { "two", "one", "one", "two", "draft" };
  const int moves[] = { -1, -1, -1, +1, +1 };
  TincanComposer *composer;
  TincanWindow *window;

  /* Earlier tests sent messages too; start from an empty history. */
  g_settings_reset (settings, "history");
  window = connected_window ();
  composer = composer_of (window);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_text (composer, "one");
  g_assert_true (tincan_composer_submit (composer));
  tincan_composer_set_text (composer, "two");
  g_assert_true (tincan_composer_submit (composer));
  tincan_composer_set_text (composer, "draft");

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      g_autofree char *text = NULL;

      tincan_composer_history_move (composer, moves[i]);
      text = tincan_composer_dup_text (composer);
      g_assert_cmpstr (text, ==, expected[i]);
    }

  close_window (window);
}

/* History is in GSettings: a message over history-entry-limit (4 KiB by
 * default; 16 bytes here) is sent but not kept, and what an earlier version
 * kept in full is dropped when a window starts. */
static void
test_history_entry_limit (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *big = "seventeen bytes!!";
  const char *small = "sixteen bytes!!!";
  const char *stored[] = { "old", big, NULL };
  FindEntry sent = { NULL, TINCAN_MESSAGE_KIND_SENT, "seventeen bytes!!\n", 18 };
  g_auto(GStrv) history = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *recalled = NULL;
  TincanComposer *composer;
  TincanWindow *window;

  g_assert_cmpint (g_settings_get_int (settings, "history-entry-limit"), ==, 4096);
  g_settings_set_int (settings, "history-entry-limit", 16);
  g_settings_set_strv (settings, "history", stored);
  window = connected_window ();
  composer = composer_of (window);
  sent.window = window;
  kept = g_settings_get_strv (settings, "history");
  g_assert_cmpstrv (kept, ((const char *[]) { "old", NULL }));

  /* The limit is on the text as typed, whatever line ending is added. */
  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_LF);
  tincan_composer_set_text (composer, small);
  g_assert_true (tincan_composer_submit (composer));
  tincan_composer_set_text (composer, big);
  g_assert_true (tincan_composer_submit (composer));
  tincan_test_wait_for (NULL, has_entry, &sent, DEADLINE_MS);

  history = g_settings_get_strv (settings, "history");
  g_assert_cmpstrv (history, ((const char *[]) { "old", small, NULL }));

  /* Up recalls the last message kept. */
  tincan_composer_history_move (composer, -1);
  recalled = tincan_composer_dup_text (composer);
  g_assert_cmpstr (recalled, ==, small);

  g_settings_reset (settings, "history");
  g_settings_reset (settings, "history-entry-limit");
  close_window (window);
}

static void
test_invalid_target_inline (void)
{
  TincanWindow *window = new_window ();
  g_autoptr(TincanTarget) target = g_new0 (TincanTarget, 1);

  target->host = g_strdup ("bad host");
  target->port = 80;
  tincan_conversation_set_target (conversation_of (window), target);

  g_assert_nonnull (target_error_of (window));
  tincan_conversation_connect (conversation_of (window));
  g_assert_cmpint (tincan_session_get_state (session_of (window)), ==,
                   TINCAN_SESSION_DISCONNECTED);

  close_window (window);
}

static void
emit_lines (TincanWindow *window,
            guint         from,
            guint         n)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);

  for (guint i = from; i < from + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u", i);
      g_ptr_array_add (batch, tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0,
                                                            (const guint8 *) text, strlen (text)));
    }

  g_signal_emit_by_name (session_of (window), "messages", batch);
}

typedef struct
{
  TincanWindow *window;
  guint         n_items;
} FollowWait;

static GtkAdjustment *
vadjustment (TincanWindow *window)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view_of (window)));
}

static gboolean
at_bottom (TincanWindow *window)
{
  GtkAdjustment *adj = vadjustment (window);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 4.0;
}

static gboolean
flushed_and_at_bottom (gpointer data)
{
  FollowWait *wait = data;
  TincanTranscript *transcript = transcript_of (wait->window);

  return g_list_model_get_n_items (G_LIST_MODEL (transcript)) == wait->n_items &&
         gtk_adjustment_get_upper (vadjustment (wait->window)) >
           gtk_adjustment_get_page_size (vadjustment (wait->window)) &&
         at_bottom (wait->window);
}

/* Whether the row showing the newest entry is on screen. */
static gboolean
last_row_visible (TincanWindow *window)
{
  GtkWidget *list = GTK_WIDGET (list_view_of (window));
  TincanTranscript *transcript = transcript_of (window);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  g_autofree char *want = g_strdup_printf ("line %u", n - 1);
  int height = gtk_widget_get_height (list);

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;

      if (row == NULL || !TINCAN_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (child))
        continue;
      if (g_strcmp0 (tincan_message_row_get_payload_text (TINCAN_MESSAGE_ROW (row)), want) != 0)
        continue;
      if (!gtk_widget_compute_bounds (child, list, &bounds))
        return FALSE;
      return bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= height + 1;
    }

  return FALSE;
}

static gboolean
last_row_shown (gpointer data)
{
  return last_row_visible (data);
}

static void
test_follow_and_jump (void)
{
  TincanWindow *window = new_window ();
  FollowWait wait = { window, 3000 };

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  emit_lines (window, 0, 1000);
  emit_lines (window, 1000, 2000);

  /* Following: the view lands on the very last row. */
  tincan_test_wait_for (NULL, flushed_and_at_bottom, &wait, DEADLINE_MS);
  tincan_test_wait_for (NULL, last_row_shown, window, DEADLINE_MS);
  g_assert_true (tincan_transcript_view_get_following (transcript_view_of (window)));
  g_assert_false (jump_visible (window));

  /* The user scrolls up: following stops, the jump button appears, and new
   * lines do not drag the view down. */
  gtk_adjustment_set_value (vadjustment (window), 0);
  tincan_test_drain_context (NULL);
  g_assert_false (tincan_transcript_view_get_following (transcript_view_of (window)));
  g_assert_true (jump_visible (window));

  emit_lines (window, 3000, 500);
  wait.n_items = 3500;
  while (g_list_model_get_n_items (G_LIST_MODEL (transcript_of (window))) < 3500)
    g_main_context_iteration (NULL, TRUE);
  tincan_test_drain_context (NULL);
  g_assert_false (tincan_transcript_view_get_following (transcript_view_of (window)));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (window)), <, 100);

  /* Jump to latest: back at the last row, following again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.jump-to-latest", NULL);
  tincan_test_wait_for (NULL, flushed_and_at_bottom, &wait, DEADLINE_MS);
  tincan_test_wait_for (NULL, last_row_shown, window, DEADLINE_MS);
  g_assert_true (tincan_transcript_view_get_following (transcript_view_of (window)));
  g_assert_false (jump_visible (window));

  close_window (window);
}

/* The row showing the newest entry, if it is on screen. */
static TincanMessageRow *
last_row (TincanWindow *window)
{
  GtkWidget *list = GTK_WIDGET (list_view_of (window));
  TincanTranscript *transcript = transcript_of (window);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (transcript));
  TincanMessage *newest = tincan_transcript_get_message (transcript, n - 1);

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      TincanEntry *entry;

      if (row == NULL || !TINCAN_IS_MESSAGE_ROW (row) || !gtk_widget_get_mapped (child))
        continue;
      entry = tincan_message_row_get_entry (TINCAN_MESSAGE_ROW (row));
      if (entry != NULL && tincan_entry_get_message (entry) == newest)
        return TINCAN_MESSAGE_ROW (row);
    }

  return NULL;
}

static gboolean
newest_row_mapped (gpointer data)
{
  return last_row (data) != NULL;
}

/* Issue 12, item 6: the reply's row says how long it took ("+0.3 ms"),
 * after the time, and names its connection in its accessible description
 * (and its tooltip, made from the same text when asked). */
static void
test_reply_shows_rtt (void)
{
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "rtt\n", 4 };
  TincanTranscript *transcript = transcript_of (window);
  TincanMessageRow *row;
  TincanMessage *message;
  g_autofree char *time = NULL;
  g_autofree char *rtt = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *connection = NULL;

  send_line (composer, "rtt");
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);
  tincan_test_wait_for (NULL, newest_row_mapped, window, DEADLINE_MS);

  message = tincan_transcript_get_message (transcript,
                                           g_list_model_get_n_items (G_LIST_MODEL (transcript)) - 1);
  g_assert_cmpint (tincan_message_get_kind (message), ==, TINCAN_MESSAGE_KIND_RECEIVED);
  g_assert_cmpint (tincan_message_get_rtt (message), >=, 0);
  row = last_row (window);
  g_assert_nonnull (row);

  time = tincan_render_time (message);
  rtt = tincan_render_rtt (message);
  g_assert_true (g_str_has_prefix (rtt, "+"));
  g_assert_true (g_str_has_suffix (rtt, " ms") || g_str_has_suffix (rtt, " µs"));
  expected = g_strdup_printf ("%s  %s  ", time, rtt);
  g_assert_true (g_str_has_prefix (tincan_message_row_get_header_text (row), expected));

  tooltip = g_strdup_printf ("Connection %" G_GUINT64_FORMAT,
                             tincan_message_get_connection_id (message));
  g_assert_cmpuint (tincan_message_get_connection_id (message), >, 0);
  connection = tincan_message_row_dup_connection_text (row);
  g_assert_cmpstr (connection, ==, tooltip);

  close_window (window);
}

/* Switching the view renders the rows shown again, in place: the list keeps
 * its factory and its rows. */
static void
test_view_mode_rerenders_rows (void)
{
  TincanWindow *window = new_window ();
  FollowWait wait = { window, 50 };
  GtkListItemFactory *factory;
  TincanMessageRow *row;
  g_autofree char *hex = tincan_payload_render_hexdump ((const guint8 *) "line 49", 7);

  emit_lines (window, 0, 50);
  tincan_test_wait_for (NULL, flushed_and_at_bottom, &wait, DEADLINE_MS);
  tincan_test_wait_for (NULL, last_row_shown, window, DEADLINE_MS);
  factory = gtk_list_view_get_factory (list_view_of (window));
  row = last_row (window);
  g_assert_nonnull (row);
  g_assert_cmpstr (tincan_message_row_get_payload_text (row), ==, "line 49");

  tincan_conversation_set_view_mode (conversation_of (window), TINCAN_VIEW_HEX);
  g_assert_true (gtk_list_view_get_factory (list_view_of (window)) == factory);
  g_assert_true (last_row (window) == row);
  g_assert_cmpint (tincan_message_row_get_view_mode (row), ==, TINCAN_VIEW_HEX);
  g_assert_cmpstr (tincan_message_row_get_payload_text (row), ==, hex);

  tincan_conversation_set_view_mode (conversation_of (window), TINCAN_VIEW_TEXT);
  g_assert_cmpstr (tincan_message_row_get_payload_text (row), ==, "line 49");

  close_window (window);
}

/* Issue 12, item 4: compact rows, one line per message, switched from the
 * window's menu action: at least 35 rows in an 850 px window, the payload's
 * first line with " …" when more lines follow. */
typedef struct
{
  TincanWindow *window;
  int           height;   /* the row's before */
} CompactWait;

/* The newest row is compact and laid out again: lower than before. */
static gboolean
row_is_compact (gpointer data)
{
  CompactWait *wait = data;
  TincanMessageRow *row = last_row (wait->window);

  return row != NULL && gtk_widget_has_css_class (GTK_WIDGET (row), "compact") &&
         gtk_widget_get_height (gtk_widget_get_parent (GTK_WIDGET (row))) < wait->height &&
         strchr (tincan_message_row_get_payload_text (row), '\n') == NULL;
}

static gboolean
has_last_row (gpointer data)
{
  return last_row (data) != NULL;
}

static void
test_compact_rows (void)
{
  TincanWindow *window = new_window ();
  FollowWait wait = { window, 51 };
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  TincanMessageRow *row;
  CompactWait compact_wait = { window, 0 };
  int normal, compact, chrome;

  emit_lines (window, 0, 50);
  g_ptr_array_add (batch, tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0,
                                                        (const guint8 *) "a\r\nb", 4));
  g_signal_emit_by_name (session_of (window), "messages", batch);
  tincan_test_wait_for (NULL, flushed_and_at_bottom, &wait, DEADLINE_MS);
  tincan_test_wait_for (NULL, has_last_row, window, DEADLINE_MS);
  row = last_row (window);
  g_assert_cmpstr (tincan_message_row_get_payload_text (row), ==, "a\\r\\n\nb");
  normal = gtk_widget_get_height (gtk_widget_get_parent (GTK_WIDGET (row)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compact-rows", NULL));
  g_assert_true (tincan_transcript_view_get_compact (transcript_view_of (window)));
  compact_wait.height = normal;
  tincan_test_wait_for (NULL, row_is_compact, &compact_wait, DEADLINE_MS);
  row = last_row (window);
  g_assert_cmpstr (tincan_message_row_get_payload_text (row), ==, "a\\r\\n …");
  compact = gtk_widget_get_height (gtk_widget_get_parent (GTK_WIDGET (row)));
  chrome = gtk_widget_get_height (GTK_WIDGET (window)) -
           gtk_widget_get_height (GTK_WIDGET (list_view_of (window)));
  g_test_message ("row height: %d px, compact %d px; %d rows in an 850 px window",
                  normal, compact, (850 - chrome) / compact);
  g_assert_cmpint ((850 - chrome) / compact, >=, 35);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compact-rows", NULL));
  g_assert_false (tincan_transcript_view_get_compact (transcript_view_of (window)));
  close_window (window);
}

/* Issue 12, item 4: a row cut at its cap expands on Enter (the list's
 * activate-item action, which a double click also runs) up to 64 KiB, and
 * collapses again. */
static gboolean
row_text_is (gpointer data)
{
  FindEntry *want = data;
  TincanMessageRow *row = last_row (want->window);

  return row != NULL && g_strcmp0 (tincan_message_row_get_payload_text (row), want->bytes) == 0;
}

static void
test_expand_capped_row (void)
{
  TincanWindow *window = new_window ();
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  g_autofree char *big = g_strnfill (70000, 'a');
  g_autofree char *more_capped = tincan_format_count (70000 - 4096);
  g_autofree char *more_expanded = tincan_format_count (70000 - 65536);
  g_autofree char *capped = g_strdup_printf ("%.4096s\n… %s more bytes", big, more_capped);
  g_autofree char *expanded = g_strdup_printf ("%.65536s\n… %s more bytes", big, more_expanded);
  FindEntry want = { window, TINCAN_MESSAGE_KIND_RECEIVED, NULL, 0 };
  guint position;

  g_ptr_array_add (batch, tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, 0,
                                                        (const guint8 *) big, 70000));
  g_signal_emit_by_name (session_of (window), "messages", batch);
  tincan_test_wait_for (NULL, has_last_row, window, DEADLINE_MS);
  position = g_list_model_get_n_items (G_LIST_MODEL (transcript_of (window))) - 1;
  want.bytes = capped;
  tincan_test_wait_for (NULL, row_text_is, &want, DEADLINE_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list_view_of (window)),
                                             "list.activate-item", "u", position));
  want.bytes = expanded;
  tincan_test_wait_for (NULL, row_text_is, &want, DEADLINE_MS);

  /* it stays expanded when its row is made again (the view switched back and forth) */
  tincan_conversation_set_view_mode (conversation_of (window), TINCAN_VIEW_HEX);
  tincan_conversation_set_view_mode (conversation_of (window), TINCAN_VIEW_TEXT);
  tincan_test_wait_for (NULL, row_text_is, &want, DEADLINE_MS);

  g_assert_false (tincan_transcript_view_toggle_expanded (transcript_view_of (window), position));
  want.bytes = capped;
  tincan_test_wait_for (NULL, row_text_is, &want, DEADLINE_MS);

  /* a status row has nothing to expand */
  g_assert_false (tincan_transcript_view_toggle_expanded (transcript_view_of (window), 0) &&
                  tincan_message_get_kind (tincan_transcript_get_message (transcript_of (window), 0))
                    == TINCAN_MESSAGE_KIND_STATUS);
  close_window (window);
}

static void
test_log_json_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "log.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_auto(GStrv) lines = NULL;
  TincanWindow *window = new_window ();
  TincanComposer *composer = composer_of (window);
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "ping\n", 5 };
  g_autoptr(TincanLog) log = tincan_log_open (path, &error);
  guint n_entries;

  g_assert_no_error (error);
  tincan_conversation_set_log (conversation_of (window), log);

  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);
  send_line (composer, "ping");
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);

  /* Closing the window hands the log over; its writer then writes
   * everything that reached the transcript. */
  tincan_transcript_flush (transcript_of (window));
  n_entries = g_list_model_get_n_items (G_LIST_MODEL (transcript_of (window)));
  close_window (window);
  g_assert_true (tincan_log_wait (log, DEADLINE_MS * G_GINT64_CONSTANT (1000), &error));
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  /* The header, the entries and the empty tail. */
  g_assert_cmpuint (g_strv_length (lines) - 2, >=, n_entries);
  g_assert_nonnull (strstr (contents, "\"dir\": \"sent\", \"len\": 5, \"text\": \"ping\\\\n\", \"wire\": 5, \"hex\": \"70696e670a\""));
  g_assert_nonnull (strstr (contents, "\"dir\": \"received\", \"len\": 5"));
  g_assert_nonnull (strstr (contents, "\"dir\": \"status\""));

  if (python != NULL)
    {
      const char *check = "import json, sys\n"
                          "n = 0\n"
                          "lines = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
                          /* The header first: which format the records have. */
                          "head = json.loads(lines[0])\n"
                          "assert head['log'] == 'tincan' and head['format'] == 3, head\n"
                          "for line in lines[1:]:\n"
                          "    o = json.loads(line)\n"
                          /* A connection's ends, before the entry that announces it. */
                          "    if 'connection' in o:\n"
                          "        assert set(o) == {'connection', 'transport', 'local', 'peer'}, o\n"
                          "        continue\n"
                          "    keys = {'time', 'dir', 'len', 'text', 'hex'}\n"
                          "    framed = o['dir'] in ('sent', 'received')\n"
                          "    extra = {'wire', 'before', 'after', 'partial', 'truncated'}\n"
                          /* conn: the connection, on every record about one;
                           * rtt_us: a reply's round-trip time (issue 12, items 6, 10). */
                          "    keys |= {'conn'} if framed else set()\n"
                          "    extra |= {'rtt_us'} if o['dir'] == 'received' else set()\n"
                          "    extra = extra if framed else {'conn'}\n"
                          "    assert keys <= set(o) <= keys | extra, o\n"
                          "    assert o.get('conn', 1) > 0 and o.get('rtt_us', 0) >= 0, o\n"
                          "    assert len(bytes.fromhex(o['hex'])) == o['len'], o\n"
                          /* The wire bytes, rebuilt: the framing's, around the payload. */
                          "    wire = bytes.fromhex(o.get('before', '') + o['hex'] + o.get('after', ''))\n"
                          "    assert not framed or len(wire) == o['wire'], o\n"
                          "    n += 1\n"
                          "assert n > 0\n";
      const char *argv[] = { python, "-c", check, path, NULL };
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);
    }

  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  const char *path;
  const char *text;
} FileHas;

static gboolean
file_has (gpointer data)
{
  FileHas *has = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (has->path, &contents, NULL, NULL) && strstr (contents, has->text);
}

/* Record to File... (issue 14): the window says it records, and where,
 * with Stop; a file chosen in the save dialog is replaced, not appended to. */
static void
test_record_to_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "flood.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  TincanWindow *window = connected_window ();
  TincanConversation *conversation = conversation_of (window);
  TincanStatusBar *status_bar = part_of (window, "status_bar");
  FileHas has_ping = { path, "\"hex\": \"70696e670a\"" };
  FindEntry started = { window, TINCAN_MESSAGE_KIND_STATUS, "Recording to", 0, TRUE };
  FindEntry stopped = { window, TINCAN_MESSAGE_KIND_STATUS, "Stopped recording to", 0, TRUE };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "what was there before\n", -1, &error));
  g_assert_null (tincan_status_bar_get_recording_text (status_bar));
  g_assert_false (tincan_conversation_get_action_enabled (conversation, "stop-recording"));

  g_assert_true (tincan_conversation_record_to (conversation, file, TRUE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (tincan_status_bar_get_recording_text (status_bar),
                            "Recording to flood.jsonl, "));
  g_assert_true (tincan_conversation_get_action_enabled (conversation, "stop-recording"));
  tincan_test_wait_for (NULL, has_entry, &started, DEADLINE_MS);

  send_line (composer_of (window), "ping");
  tincan_test_wait_for (NULL, file_has, &has_ping, DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-recording", NULL);
  g_assert_null (tincan_status_bar_get_recording_text (status_bar));
  g_assert_false (tincan_conversation_get_action_enabled (conversation, "stop-recording"));
  tincan_test_wait_for (NULL, has_entry, &stopped, DEADLINE_MS);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_null (strstr (contents, "what was there before"));
  g_assert_true (g_str_has_prefix (contents, "{\"log\": \"tincan\""));

  /* A file that cannot be written is an error, and nothing changes. */
  g_clear_object (&file);
  file = g_file_new_for_path ("/nonexistent-dir/x.jsonl");
  g_assert_false (tincan_conversation_record_to (conversation, file, TRUE, &error));
  g_assert_nonnull (error);
  g_assert_null (tincan_status_bar_get_recording_text (status_bar));

  close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Save Transcript (issue 14): what the window shows, in the format asked,
 * written in a thread; the dialog in front of it is the platform's. */
static void
test_save_transcript (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "saved.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *contents = NULL;
  TincanWindow *window = connected_window ();
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "a,\"b\"\n", 6 };
  FileHas done = { path, "a,\"\"b\"\"" };

  g_assert_no_error (error);
  send_line (composer_of (window), "a,\"b\"");
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);

  tincan_transcript_flush (transcript_of (window));
  messages = tincan_transcript_dup_messages (transcript_of (window));
  g_assert_cmpuint (messages->len, ==, g_list_model_get_n_items (G_LIST_MODEL (transcript_of (window))));
  tincan_transcript_save_to (GTK_WIDGET (conversation_of (window)), messages, TINCAN_EXPORT_CSV, file);
  tincan_test_wait_for (NULL, file_has, &done, DEADLINE_MS);

  /* RFC 4180: the quotes doubled, the field quoted; a header line first. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_test_message ("%s", contents);
  g_assert_true (g_str_has_prefix (contents, "time,direction,connection,length,rtt,text,hex"));
  g_assert_nonnull (strstr (contents, ",sent,"));
  g_assert_nonnull (strstr (contents, ",received,"));

  close_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_copy_rows (void)
{
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "copy me\n", 8 };
  GtkSelectionModel *selection;
  g_autofree char *text = NULL;

  send_line (composer, "copy me");
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);
  tincan_transcript_flush (transcript_of (window));

  /* Select everything and copy: the rows as shown, one line each. */
  selection = gtk_list_view_get_model (list_view_of (window));
  gtk_selection_model_select_all (selection);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy", NULL);

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 clipboard_read_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (strstr (text, "→ copy me\\n\n"));
  g_assert_nonnull (strstr (text, "← copy me\\n\n"));
  g_assert_nonnull (strstr (text, "· Connected to 127.0.0.1"));

  close_window (window);
}

static void
test_framing_ends_lines (void)
{
  TincanWindow *window = new_window ();
  TincanComposer *composer = composer_of (window);
  g_autoptr(TincanFraming) lf = tincan_framing_new_from_name ("lf", NULL);
  FindEntry sent = { window, TINCAN_MESSAGE_KIND_SENT, "one line", 8 };
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "one line", 8 };
  g_autoptr(GError) error = NULL;

  /* With LF framing the framing ends the message: the composer's own LF
   * must not be added too (the encoder would refuse the message). */
  tincan_conversation_set_framing (conversation_of (window), lf);
  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_LF);
  tincan_composer_set_text (composer, "one line");
  g_assert_null (tincan_composer_get_error (composer));
  g_assert_true (tincan_composer_submit (composer));
  tincan_test_wait_for (NULL, has_entry, &sent, DEADLINE_MS);
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session_of (window)), ==, 9);

  close_window (window);
}

static GtkWidget *
composer_part (TincanWindow *window,
               const char   *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (composer_of (window)),
                                                    TINCAN_TYPE_COMPOSER, name));
}

static void
assert_ending_shown (TincanWindow *window,
                     const char   *expected,
                     gboolean      by_framing)
{
  g_autofree char *shown = tincan_composer_dup_ending_text (composer_of (window));
  GtkWidget *framing_button = composer_part (window, "framing_ending_button");

  g_assert_cmpstr (shown, ==, expected);
  g_assert_true (gtk_widget_get_visible (composer_part (window, "ending_dropdown")) == !by_framing);
  g_assert_true (gtk_widget_get_visible (framing_button) == by_framing);
  g_assert_false (gtk_widget_get_sensitive (framing_button));
  if (by_framing)
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (framing_button),
                              "The framing adds its delimiter"));
}

/* Issue 12, item 2: under a delimiter framing the line-ending control read
 * "LF" while CRLF went out. It shows what is added: the framing's delimiter,
 * greyed out, or the composer's own ending where the framing adds none. */
static void
test_ending_shows_framing (void)
{
  TincanWindow *window = new_window ();
  TincanComposer *composer = composer_of (window);
  TincanConnectionBar *bar = part_of (window, "connection_bar");
  g_autoptr(TincanFraming) crlf = tincan_framing_new_from_name ("crlf", NULL);
  g_autoptr(TincanFraming) u16 = tincan_framing_new_from_name ("u16be", NULL);
  g_autoptr(TincanFraming) bars = tincan_framing_new_from_name ("delim:7c7c", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  FindEntry echo = { window, TINCAN_MESSAGE_KIND_RECEIVED, "one line", 8 };
  g_autoptr(GError) error = NULL;

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_LF);
  tincan_conversation_set_framing (conversation_of (window), u16);
  assert_ending_shown (window, "LF", FALSE);
  tincan_conversation_set_framing (conversation_of (window), bars);
  assert_ending_shown (window, "|| (framing)", TRUE);
  tincan_conversation_set_framing (conversation_of (window), crlf);
  assert_ending_shown (window, "CRLF (framing)", TRUE);

  /* UDP applies no framing: the composer's ending is what goes out. */
  tincan_connection_bar_set_transport (bar, TINCAN_TRANSPORT_UDP);
  assert_ending_shown (window, "LF", FALSE);
  tincan_connection_bar_set_transport (bar, TINCAN_TRANSPORT_TCP);
  assert_ending_shown (window, "CRLF (framing)", TRUE);

  /* And what it says is what crossed the wire: the text and CRLF, no LF. */
  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  g_assert_no_error (error);
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);
  assert_ending_shown (window, "CRLF (framing)", TRUE);
  tincan_composer_set_text (composer, "one line");
  g_assert_true (tincan_composer_submit (composer));
  tincan_test_wait_for (NULL, has_entry, &echo, DEADLINE_MS);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session_of (window)), ==, 10);

  close_window (window);
  g_settings_reset (settings, "last-framing");
  g_settings_reset (settings, "last-transport");
}

static void
select_ending (TincanWindow     *window,
               TincanLineEnding  ending)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (composer_part (window, "ending_dropdown"));
  AdwEnumListModel *endings = ADW_ENUM_LIST_MODEL (gtk_drop_down_get_model (dropdown));

  gtk_drop_down_set_selected (dropdown, adw_enum_list_model_find_position (endings, ending));
}

static gboolean
sent_bytes_reach (gpointer data)
{
  FindEntry *find = data;

  return tincan_session_get_bytes_sent (session_of (find->window)) >= find->length;
}

/* Issue 12, item 2: in hex, 10 typed bytes went out as 12, ending in \r\n.
 * Hex keeps its own line ending, none until the user picks one in hex. */
static void
test_hex_sends_typed_bytes (void)
{
  TincanWindow *window = new_window ();
  TincanComposer *composer = composer_of (window);
  TincanSession *session = session_of (window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  FindEntry sent = { window, TINCAN_MESSAGE_KIND_SENT, NULL, 10 };
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Raw framing adds nothing: the composer's ending is all there is. */
  tincan_conversation_set_framing (conversation_of (window), raw);
  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  g_assert_no_error (error);
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_CRLF);
  assert_ending_shown (window, "CRLF", FALSE);

  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_HEX);
  assert_ending_shown (window, "No ending", FALSE);
  tincan_composer_set_text (composer, "00 01 02 03 04 05 06 07 08 09");
  g_assert_true (tincan_composer_submit (composer));
  tincan_test_wait_for (NULL, sent_bytes_reach, &sent, DEADLINE_MS);
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session), ==, 10);

  /* Picked in hex, an ending is hex's own: text keeps CRLF. */
  select_ending (window, TINCAN_LINE_ENDING_LF);
  g_assert_cmpint (tincan_composer_get_hex_line_ending (composer), ==, TINCAN_LINE_ENDING_LF);
  g_assert_cmpint (tincan_composer_get_line_ending (composer), ==, TINCAN_LINE_ENDING_CRLF);
  stored = g_settings_get_string (settings, "hex-line-ending");
  g_assert_cmpstr (stored, ==, "lf");
  tincan_composer_set_text (composer, "0a0b");
  g_assert_true (tincan_composer_submit (composer));
  sent.length = 13;
  tincan_test_wait_for (NULL, sent_bytes_reach, &sent, DEADLINE_MS);
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session), ==, 13);

  /* Each format shows its own. */
  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  assert_ending_shown (window, "CRLF", FALSE);
  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_HEX);
  assert_ending_shown (window, "LF", FALSE);

  close_window (window);
  g_settings_reset (settings, "hex-line-ending");
  g_settings_reset (settings, "line-ending");
  g_settings_reset (settings, "payload-format");
  g_settings_reset (settings, "last-framing");
}

/* A locale that groups digits if the machine has one (the tests install
 * none; LOCPATH may point at one built with localedef), else the tests' own. */
static const char *
use_grouping_locale (void)
{
  const char *locales[] = { "en_US.UTF-8", "de_DE.UTF-8" };

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (setlocale (LC_NUMERIC, locales[i]) != NULL)
      return locales[i];
  return setlocale (LC_NUMERIC, NULL);
}

static TincanMessage *
find_sent_of_length (TincanWindow *window,
                     gsize         length)
{
  TincanTranscript *transcript = transcript_of (window);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (transcript)); i++)
    {
      TincanMessage *message = tincan_transcript_get_message (transcript, i);

      if (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_SENT &&
          tincan_message_get_length (message) == length)
        return message;
    }
  return NULL;
}

typedef struct
{
  TincanWindow *window;
  const char   *text;
} FindCounts;

static gboolean
counts_show (gpointer data)
{
  FindCounts *find = data;

  return strstr (counts_text_of (find->window), find->text) != NULL;
}

/* Issue 12, item 11: counts use the locale's digit grouping: the status
 * bar's counters, a row's byte count and what a clipped row leaves out. */
static void
test_counts_grouped (void)
{
  const char *locale = use_grouping_locale ();
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *thousand = g_strdup_printf ("↑ 1%s000 messages", sep);
  /* The window's framing is LF: its delimiter is part of the count. */
  g_autofree char *bytes = g_strdup_printf ("6%s001 bytes: 6%s000 + LF", sep, sep);
  g_autofree char *more = g_strdup_printf ("1%s904 more bytes", sep);
  g_autofree char *big = g_strnfill (6000, 'a');
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) one = g_bytes_new_static ("x", 1);
  TincanWindow *window = connected_window ();
  TincanComposer *composer = composer_of (window);
  FindCounts counts = { window, thousand };
  TincanMessage *sent;

  g_test_message ("LC_NUMERIC %s, thousands separator “%s”", locale, sep);
  for (guint i = 0; i < 999; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tincan_session_send (session_of (window), one, &error));
      g_assert_no_error (error);
    }
  tincan_composer_set_format (composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (composer, TINCAN_LINE_ENDING_NONE);
  tincan_composer_set_text (composer, big);
  g_assert_true (tincan_composer_submit (composer));
  tincan_test_wait_for (NULL, counts_show, &counts, DEADLINE_MS);

  tincan_transcript_flush (transcript_of (window));
  sent = find_sent_of_length (window, 6000);
  g_assert_nonnull (sent);
  summary = tincan_render_summary (sent);
  g_assert_cmpstr (summary, ==, bytes);
  body = tincan_render_message (sent, TINCAN_VIEW_TEXT, TRUE);
  g_assert_true (g_str_has_suffix (body, more));

  close_window (window);
  setlocale (LC_NUMERIC, "");
}

static void
run_tincan (const char * const *args,
            int                *exit_status,
            char              **out,
            char              **err)
{
  g_autofree char *bus = g_find_program_in_path ("dbus-run-session");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* A private session bus, so the instance is ours and goes when we do. */
  g_ptr_array_add (argv, bus);
  g_ptr_array_add (argv, (char *) "--");
  g_ptr_array_add (argv, (char *) BUILD_BIN_DIR "/tincan");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_bad_arguments_exit_2 (void)
{
  const char *cases[][3] = {
    { "--bogus", NULL, "--bogus" },
    { "--framing=lines", NULL, "lines" },
    { "host:0", NULL, "0" },
    { "a:1", "b:2", "b:2" },
  };
  g_autofree char *bus = g_find_program_in_path ("dbus-run-session");

  if (bus == NULL)
    {
      g_test_skip ("dbus-run-session is not installed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { cases[i][0], cases[i][1], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      run_tincan (args, &status, &out, &err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, cases[i][2]));
    }
}

/* --help and --version are answered in the process that was run, on
 * stdout, and open no window. */
static void
test_help_exits_0 (void)
{
  const char *cases[][2] = {
    { "--help", "--local-echo" },
    { "--version", "tincan " PACKAGE_VERSION "\n" },
  };
  g_autofree char *bus = g_find_program_in_path ("dbus-run-session");

  if (bus == NULL)
    {
      g_test_skip ("dbus-run-session is not installed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { cases[i][0], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      run_tincan (args, &status, &out, &err);
      g_assert_cmpint (status, ==, 0);
      g_assert_null (strstr (err, "tincan:"));
      g_assert_nonnull (strstr (out, cases[i][1]));
    }
}

/* Closing the window in the middle of things: nothing may crash, leak the
 * window, or run a callback on it afterwards. The peers are plain sockets in
 * threads, each bounded in time and size. */

typedef enum
{
  PEER_FLOOD,       /* writes LF lines until the client goes (at most 256 MiB) */
  PEER_SILENT,      /* accepts, never reads or writes, until the client goes (at most 20 s) */
} PeerKind;

typedef struct
{
  PeerKind  kind;
  int       listener;
  guint16   port;
  GThread  *thread;
} Peer;

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;
  struct pollfd pfd = { .fd = peer->listener, .events = POLLIN };
  char chunk[64 * 64];
  int fd;

  if (poll (&pfd, 1, 20000) <= 0)
    return NULL;
  fd = accept (peer->listener, NULL, NULL);
  if (fd < 0)
    return NULL;

  for (guint i = 0; i < sizeof chunk; i++)
    chunk[i] = (i % 64 == 63) ? '\n' : 'a' + i % 26;

  if (peer->kind == PEER_FLOOD)
    {
      for (gsize sent = 0; sent < 256 * 1024 * 1024;)
        {
          ssize_t w = send (fd, chunk, sizeof chunk, MSG_NOSIGNAL);
          if (w <= 0)
            break;
          sent += w;
        }
    }
  else
    {
      /* Read nothing; wait until the client closes, at most 20 s. */
      pfd.fd = fd;
      pfd.events = POLLRDHUP;
      poll (&pfd, 1, 20000);
    }

  close (fd);
  return NULL;
}

static void
peer_start (Peer     *peer,
            PeerKind  kind)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;

  peer->kind = kind;
  peer->listener = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (bind (peer->listener, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (peer->listener, 0), ==, 0);
  g_assert_cmpint (getsockname (peer->listener, (struct sockaddr *) &addr, &len), ==, 0);
  peer->port = ntohs (addr.sin_port);
  peer->thread = g_thread_new ("peer", peer_thread, peer);
}

static void
peer_stop (Peer *peer)
{
  /* Closing the listener wakes a thread still waiting to accept. */
  shutdown (peer->listener, SHUT_RDWR);
  g_thread_join (peer->thread);
  close (peer->listener);
}

static void
connect_to_port (TincanWindow    *window,
                 guint16          port,
                 TincanTransport  transport)
{
  g_autoptr(TincanTarget) target = g_new0 (TincanTarget, 1);
  g_autoptr(TincanFraming) lf = tincan_framing_new_from_name ("lf", NULL);

  target->host = g_strdup ("127.0.0.1");
  target->port = port;
  target->transport = transport;
  tincan_conversation_set_target (conversation_of (window), target);
  tincan_conversation_set_framing (conversation_of (window), lf);
  tincan_conversation_set_mode (conversation_of (window), TINCAN_CONNECTION_PERSISTENT);
  tincan_conversation_connect (conversation_of (window));
}

static const char *
peer_text_of (TincanWindow *window)
{
  GObject *label = gtk_widget_get_template_child (part_of (window, "status_bar"),
                                                  TINCAN_TYPE_STATUS_BAR, "peer_label");

  return gtk_label_get_text (GTK_LABEL (label));
}

/* Through a proxy, the row and the status bar name the server asked for
 * and the proxy; the options menu's "without a proxy" goes around it. */
static void
test_proxy_route (void)
{
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);
  g_autoptr(TincanTestProxy) proxy = tincan_test_proxy_new (TINCAN_TEST_PROXY_HTTP);
  g_autoptr(GProxyResolver) resolver = tincan_test_proxy_new_resolver (proxy);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  TincanWindow *window = new_window ();
  GtkCheckButton *no_proxy;
  g_autofree char *row = NULL;
  g_autofree char *through = NULL;
  g_autofree char *direct = NULL;
  FindEntry connected = { window, TINCAN_MESSAGE_KIND_STATUS, NULL, 0, TRUE };
  guint port;

  g_assert_true (tincan_echo_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  port = tincan_echo_server_get_port (server);
  no_proxy = GTK_CHECK_BUTTON (gtk_widget_get_template_child (part_of (window, "connection_bar"),
                                                              TINCAN_TYPE_CONNECTION_BAR,
                                                              "no_proxy_check"));
  gtk_check_button_set_active (no_proxy, FALSE);
  _tincan_session_set_proxy_resolver_for_testing (session_of (window), resolver);

  row = g_strdup_printf ("Connected to 127.0.0.1 port %u through the HTTP proxy 127.0.0.1:%u",
                         port, tincan_test_proxy_get_port (proxy));
  through = g_strdup_printf ("127.0.0.1:%u · TCP, no encryption · through the HTTP proxy "
                             "127.0.0.1:%u", port, tincan_test_proxy_get_port (proxy));
  direct = g_strdup_printf ("127.0.0.1:%u · TCP, no encryption", port);

  connect_to_port (window, port, TINCAN_TRANSPORT_TCP);
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);
  connected.bytes = row;
  tincan_test_wait_for (NULL, has_entry, &connected, DEADLINE_MS);
  g_assert_cmpstr (peer_text_of (window), ==, through);
  g_assert_cmpuint (tincan_test_proxy_get_n_served (proxy), ==, 1);

  /* The option is the tab's: it applies from the next connect on. */
  tincan_session_disconnect (session_of (window));
  gtk_check_button_set_active (no_proxy, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "last-no-proxy"));
  tincan_conversation_connect (conversation_of (window));
  tincan_test_wait_for (NULL, is_connected, window, DEADLINE_MS);
  g_assert_cmpstr (peer_text_of (window), ==, direct);
  g_assert_cmpuint (tincan_test_proxy_get_n_served (proxy), ==, 1);

  g_settings_reset (settings, "last-no-proxy");
  close_window (window);
  tincan_echo_server_stop (server);
}

static TincanWindow *
window_for_port (guint16          port,
                 TincanTransport  transport)
{
  TincanWindow *window = new_window ();

  connect_to_port (window, port, transport);
  return window;
}

static gboolean
in_state (gpointer data)
{
  TincanWindow *window = data;
  TincanSessionState state = tincan_session_get_state (session_of (window));

  return (int) state == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "want-state"));
}

static void
wait_for_state (TincanWindow       *window,
                TincanSessionState  state)
{
  g_object_set_data (G_OBJECT (window), "want-state", GINT_TO_POINTER (state));
  tincan_test_wait_for (NULL, in_state, window, DEADLINE_MS);
}

static void
close_and_check (TincanWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  /* Cancelled operations finish now; none may touch the window. */
  tincan_test_drain_context (NULL);
}

/* Mid-flood. A low mark: under AddressSanitizer (with the slow unwinder
 * tests/meson.build asks for) the window takes in about 3,000 lines a
 * second, a hundredth of its normal rate. */
static gboolean
flooding (gpointer data)
{
  return tincan_session_get_messages_received (session_of (data)) > 2000;
}

static void
test_close_during_flood (void)
{
  Peer peer = { 0 };
  TincanWindow *window;

  peer_start (&peer, PEER_FLOOD);
  window = window_for_port (peer.port, TINCAN_TRANSPORT_TCP);
  tincan_test_wait_for (NULL, flooding, window, DEADLINE_MS);
  close_and_check (window);
  peer_stop (&peer);
}

static void
test_close_during_handshake (void)
{
  Peer peer = { 0 };
  TincanWindow *window;

  peer_start (&peer, PEER_SILENT);
  window = window_for_port (peer.port, TINCAN_TRANSPORT_TLS);
  wait_for_state (window, TINCAN_SESSION_TLS_HANDSHAKE);
  close_and_check (window);
  peer_stop (&peer);
}

static TincanCertificateDialog *
shown_certificate_dialog (const char *response)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TINCAN_IS_CERTIFICATE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (window), response))
        return TINCAN_CERTIFICATE_DIALOG (window);
    }

  return NULL;
}

static gboolean
certificate_dialog_shown (gpointer response)
{
  return shown_certificate_dialog (response) != NULL;
}

/* Issue 12, item 8: after Connect Anyway, a warning stays in the status bar
 * for as long as that connection lasts, and shows the certificate again. */
static void
test_untrusted_certificate_warning (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = tincan_test_make_certificate ("127.0.0.1", &error);
  g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TLS);
  g_autofree char *fingerprint = NULL;
  TincanStatusBar *status_bar;
  TincanCertificateDialog *dialog;
  GObject *button;
  TincanWindow *window;

  g_assert_no_error (error);
  tincan_echo_server_set_tls_certificate (server, certificate);
  g_assert_true (tincan_echo_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  window = window_for_port (tincan_echo_server_get_port (server), TINCAN_TRANSPORT_TLS);
  status_bar = part_of (window, "status_bar");
  button = gtk_widget_get_template_child (GTK_WIDGET (status_bar), TINCAN_TYPE_STATUS_BAR,
                                          "certificate_button");
  tincan_test_wait_for (NULL, certificate_dialog_shown, "connect", DEADLINE_MS);
  dialog = shown_certificate_dialog ("connect");
  fingerprint = g_strdup (tincan_certificate_dialog_get_problem (dialog)->fingerprint);
  g_assert_false (tincan_status_bar_get_certificate_warning (status_bar));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  wait_for_state (window, TINCAN_SESSION_CONNECTED);
  g_assert_true (tincan_status_bar_get_certificate_warning (status_bar));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));

  /* The warning opens the same details, read only. */
  g_signal_emit_by_name (button, "clicked");
  tincan_test_wait_for (NULL, certificate_dialog_shown, "close", DEADLINE_MS);
  dialog = shown_certificate_dialog ("close");
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "connect"));
  g_assert_cmpstr (tincan_certificate_dialog_get_problem (dialog)->fingerprint, ==, fingerprint);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Untrusted Certificate Accepted");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");

  /* Gone with the connection. */
  tincan_session_disconnect (session_of (window));
  wait_for_state (window, TINCAN_SESSION_DISCONNECTED);
  g_assert_false (tincan_status_bar_get_certificate_warning (status_bar));

  close_window (window);
}

static void
test_close_while_connecting (void)
{
  TincanTestBlackhole *hole = tincan_test_blackhole_new ();
  TincanWindow *window;

  window = window_for_port (hole->port, TINCAN_TRANSPORT_TCP);
  wait_for_state (window, TINCAN_SESSION_CONNECTING);
  close_and_check (window);
  tincan_test_blackhole_free (hole);
}

static void
test_close_with_blocked_queue (void)
{
  Peer peer = { 0 };
  TincanWindow *window;
  TincanSession *session;
  g_autofree guint8 *big = g_malloc0 (1024 * 1024);
  g_autoptr(GBytes) payload = g_bytes_new_take (g_steal_pointer (&big), 1024 * 1024);
  g_autofree char *size = NULL;
  g_autofree char *waiting = NULL;

  peer_start (&peer, PEER_SILENT);
  window = window_for_port (peer.port, TINCAN_TRANSPORT_TCP);
  wait_for_state (window, TINCAN_SESSION_CONNECTED);

  /* 16 MiB to a server that never reads: most of it stays queued. */
  session = session_of (window);
  for (guint i = 0; i < 16; i++)
    g_assert_true (tincan_session_send (session, payload, NULL));
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_session_get_bytes_sent (session), <, 16 * 1024 * 1024);

  /* The status bar says how much waits. */
  g_assert_cmpuint (tincan_session_get_bytes_queued (session), >, 0);
  size = g_format_size (tincan_session_get_bytes_queued (session));
  waiting = g_strdup_printf ("(%s waiting)", size);
  g_assert_nonnull (strstr (counts_text_of (window), waiting));

  close_and_check (window);
  peer_stop (&peer);
}

/* A log the window cannot keep: said in an error row, once, and by a mark
 * in the status bar that keeps the count. */

static const char *
log_mark_of (TincanWindow *window)
{
  return tincan_status_bar_get_log_mark (part_of (window, "status_bar"));
}

static gboolean
has_log_mark (gpointer data)
{
  return log_mark_of (data) != NULL;
}

static void
test_log_write_fails (void)
{
  g_autoptr(GError) error = NULL;
  TincanWindow *window = new_window ();
  g_autoptr(TincanLog) log = tincan_log_open ("/dev/full", &error);
  FindEntry row = { window, TINCAN_MESSAGE_KIND_ERROR, "Could not write the log file “/dev/full”: ",
                    .part = TRUE };
  g_autofree char *mark = NULL;

  g_assert_no_error (error);
  g_assert_null (log_mark_of (window));
  tincan_conversation_set_log (conversation_of (window), log);
  /* "Connected to …" is the first entry, and the first failed write. */
  g_assert_true (tincan_conversation_start_local_echo (conversation_of (window), &error));
  tincan_test_wait_for (NULL, has_entry, &row, DEADLINE_MS);
  tincan_test_wait_for (NULL, has_log_mark, window, DEADLINE_MS);
  g_assert_cmpuint (count_entries (&row), ==, 1);

  tincan_transcript_flush (transcript_of (window));
  mark = g_strdup_printf ("The log file failed: %" G_GUINT64_FORMAT " %s not written",
                          tincan_log_get_not_written (log),
                          tincan_log_get_not_written (log) == 1 ? "entry" : "entries");
  g_assert_cmpstr (log_mark_of (window), ==, mark);

  close_and_check (window);
  g_assert_false (tincan_log_wait (log, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_free (tincan_log_finish_all (0));
}

/* A log on a pipe nobody reads, under a flood: entries over the queue's
 * bound are dropped and counted, the window says so, and closing it does
 * not wait for the stuck writer. */
static void
test_log_not_keeping_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TincanLog) log = NULL;
  g_autofree char *mark = NULL;
  FindEntry row = { NULL, TINCAN_MESSAGE_KIND_ERROR,
                    "is not keeping up. Entries that do not fit in its queue (", .part = TRUE };
  Peer peer = { 0 };
  TincanWindow *window;
  int fds[2];
  char buffer[65536];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  path = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
  log = tincan_log_open (path, &error);
  g_assert_no_error (error);
  close (fds[1]);
  tincan_log_set_max_queued (log, 1000 * 1000);

  peer_start (&peer, PEER_FLOOD);
  window = new_window ();
  row.window = window;
  tincan_conversation_set_log (conversation_of (window), log);
  /* Stop the flood once the window was told, so that its row is not
   * pushed out of the transcript by the next 100,000 lines. */
  g_signal_connect_swapped (log, "problem", G_CALLBACK (tincan_session_disconnect),
                            session_of (window));
  connect_to_port (window, peer.port, TINCAN_TRANSPORT_TCP);
  tincan_test_wait_for (NULL, has_entry, &row, DEADLINE_MS);
  g_assert_cmpuint (tincan_log_get_not_written (log), >, 0);

  /* The mark is as current as the counters: refreshed with every frame. */
  tincan_test_drain_context (NULL);
  tincan_transcript_flush (transcript_of (window));
  tincan_test_drain_context (NULL);
  mark = g_strdup_printf ("The log file is not keeping up: %" G_GUINT64_FORMAT " entries not written",
                          tincan_log_get_not_written (log));
  g_assert_cmpstr (log_mark_of (window), ==, mark);
  g_assert_cmpuint (count_entries (&row), ==, 1);

  /* Closing returns while the writer is still stuck in write (). */
  close_and_check (window);
  g_assert_false (tincan_log_wait (log, 100 * 1000, &error));
  g_assert_error (error, TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_TIMED_OUT);
  g_clear_error (&error);

  while (read (fds[0], buffer, sizeof buffer) > 0)
    ;
  close (fds[0]);
  g_assert_false (tincan_log_wait (log, DEADLINE_MS * G_GINT64_CONSTANT (1000), &error));
  g_assert_error (error, TINCAN_LOG_ERROR, TINCAN_LOG_ERROR_NOT_WRITTEN);
  g_free (tincan_log_finish_all (0));
  peer_stop (&peer);
}

/* The form, the composer's choices and the view are enum properties bound
 * to their settings: a change is written as the enum's nick, and the next
 * window starts from it. */
static void
test_settings_round_trip (void)
{
  const char *keys[] = {
    "last-transport", "last-mode", "last-framing", "payload-format", "line-ending", "view-mode",
  };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TincanFraming) u16 = tincan_framing_new_from_name ("u16be", NULL);
  TincanWindow *window = new_window ();
  TincanWindow *next;
  g_autofree char *transport = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *framing = NULL;
  g_autofree char *format = NULL;
  g_autofree char *ending = NULL;
  g_autofree char *view = NULL;
  TincanConnectionBar *bar;
  GtkDropDown *view_dropdown;
  AdwEnumListModel *views;

  tincan_conversation_set_mode (conversation_of (window), TINCAN_CONNECTION_PER_MESSAGE);
  tincan_conversation_set_framing (conversation_of (window), u16);
  tincan_connection_bar_set_transport (part_of (window, "connection_bar"), TINCAN_TRANSPORT_UDP);
  tincan_composer_set_format (composer_of (window), TINCAN_PAYLOAD_FORMAT_HEX);
  tincan_composer_set_line_ending (composer_of (window), TINCAN_LINE_ENDING_CRLF);
  /* The view drop-down lists the enum: pick Python by its value, not a position. */
  view_dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                TINCAN_TYPE_WINDOW,
                                                                "view_dropdown"));
  views = ADW_ENUM_LIST_MODEL (gtk_drop_down_get_model (view_dropdown));
  gtk_drop_down_set_selected (view_dropdown,
                              adw_enum_list_model_find_position (views, TINCAN_VIEW_PYTHON));
  g_assert_cmpint (tincan_conversation_get_view_mode (conversation_of (window)), ==,
                   TINCAN_VIEW_PYTHON);

  transport = g_settings_get_string (settings, "last-transport");
  mode = g_settings_get_string (settings, "last-mode");
  framing = g_settings_get_string (settings, "last-framing");
  format = g_settings_get_string (settings, "payload-format");
  ending = g_settings_get_string (settings, "line-ending");
  view = g_settings_get_string (settings, "view-mode");
  g_assert_cmpstr (transport, ==, "udp");
  g_assert_cmpstr (mode, ==, "per-message");
  g_assert_cmpstr (framing, ==, "u16be");
  g_assert_cmpstr (format, ==, "hex");
  g_assert_cmpstr (ending, ==, "crlf");
  g_assert_cmpstr (view, ==, "python");

  next = new_window ();
  bar = part_of (next, "connection_bar");
  g_assert_cmpint (tincan_connection_bar_get_transport (bar), ==, TINCAN_TRANSPORT_UDP);
  g_assert_cmpint (tincan_connection_bar_get_mode (bar), ==, TINCAN_CONNECTION_PER_MESSAGE);
  g_assert_cmpstr (tincan_connection_bar_get_framing_name (bar), ==, "u16be");
  g_assert_cmpint (tincan_composer_get_format (composer_of (next)), ==, TINCAN_PAYLOAD_FORMAT_HEX);
  g_assert_cmpint (tincan_composer_get_line_ending (composer_of (next)), ==,
                   TINCAN_LINE_ENDING_CRLF);
  g_assert_cmpint (tincan_conversation_get_view_mode (conversation_of (next)), ==,
                   TINCAN_VIEW_PYTHON);

  /* Read once: a window does not follow another's later changes. */
  tincan_composer_set_format (composer_of (window), TINCAN_PAYLOAD_FORMAT_TEXT);
  g_assert_cmpint (tincan_composer_get_format (composer_of (next)), ==, TINCAN_PAYLOAD_FORMAT_HEX);

  close_window (next);
  close_window (window);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static void
test_window_finalizes (void)
{
  TincanWindow *window = connected_window ();

  g_object_ref (window);
  close_window (window);
  g_assert_finalize_object (window);
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

  g_test_add_func ("/ui/window/echo-round-trip", test_echo_round_trip);
  g_test_add_func ("/ui/window/reply-shows-rtt", test_reply_shows_rtt);
  g_test_add_func ("/ui/window/hex-error-blocks-sending", test_hex_error_blocks_sending);
  g_test_add_func ("/ui/window/text-escape-error", test_text_escape_error);
  g_test_add_func ("/ui/window/history-recall", test_history_recall);
  g_test_add_func ("/ui/window/history-entry-limit", test_history_entry_limit);
  g_test_add_func ("/ui/window/invalid-target-inline", test_invalid_target_inline);
  g_test_add_func ("/ui/window/follow-and-jump", test_follow_and_jump);
  g_test_add_func ("/ui/window/view-mode-rerenders-rows", test_view_mode_rerenders_rows);
  g_test_add_func ("/ui/window/compact-rows", test_compact_rows);
  g_test_add_func ("/ui/window/expand-capped-row", test_expand_capped_row);
  g_test_add_func ("/ui/window/log-json-lines", test_log_json_lines);
  g_test_add_func ("/ui/window/record-to-file", test_record_to_file);
  g_test_add_func ("/ui/window/save-transcript", test_save_transcript);
  g_test_add_func ("/ui/window/copy-rows", test_copy_rows);
  g_test_add_func ("/ui/window/framing-ends-lines", test_framing_ends_lines);
  g_test_add_func ("/ui/window/line-ending/shows-framing", test_ending_shows_framing);
  g_test_add_func ("/ui/window/line-ending/hex-sends-typed-bytes", test_hex_sends_typed_bytes);
  g_test_add_func ("/ui/window/counts-grouped", test_counts_grouped);
  g_test_add_func ("/ui/window/settings-round-trip", test_settings_round_trip);
  g_test_add_func ("/ui/cli/bad-arguments-exit-2", test_bad_arguments_exit_2);
  g_test_add_func ("/ui/cli/help-exits-0", test_help_exits_0);
  g_test_add_func ("/ui/window/finalizes", test_window_finalizes);
  g_test_add_func ("/ui/window/proxy-route", test_proxy_route);
  g_test_add_func ("/ui/window/close/during-flood", test_close_during_flood);
  g_test_add_func ("/ui/window/close/during-handshake", test_close_during_handshake);
  g_test_add_func ("/ui/window/close/while-connecting", test_close_while_connecting);
  g_test_add_func ("/ui/window/close/with-blocked-queue", test_close_with_blocked_queue);
  /* After the close tests: the flood sets the remembered framing to LF. */
  g_test_add_func ("/ui/window/untrusted-certificate-warning",
                   test_untrusted_certificate_warning);
  g_test_add_func ("/ui/window/log-write-fails", test_log_write_fails);
  g_test_add_func ("/ui/window/log-not-keeping-up", test_log_not_keeping_up);

  return g_test_run ();
}
