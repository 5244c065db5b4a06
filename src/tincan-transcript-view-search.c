/* tincan-transcript-view-search.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The transcript view's side of the search (issue 14, "Find and filter"):
 * the query's matches highlighted in the rows (they follow the view's
 * "matcher"), the current match and going to the next or previous one, and
 * "Show only matching", where the list shows a TincanTranscriptFilter
 * instead of the transcript. The filter exists only while a search is
 * open; it costs 4 bytes per match.
 *
 * Positions: with the filter shown, a list position is a match's index;
 * _tincan_transcript_view_message_at() turns a list position into its
 * message whichever model is shown. */

#include "config.h"

#include "tincan-transcript-view-private.h"

enum {
  SEARCH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
search_changed (TincanTranscriptView *self)
{
  g_signal_emit (self, signals[SEARCH_CHANGED], 0);
}

TincanMessage *
_tincan_transcript_view_message_at (TincanTranscriptView *self,
                                    guint                 position)
{
  if (self->transcript == NULL)
    return NULL;
  if (self->show_only && self->filter != NULL)
    {
      if (position >= tincan_transcript_filter_get_n_matches (self->filter))
        return NULL;
      position = tincan_transcript_filter_get_position (self->filter, position);
    }
  return tincan_transcript_get_message (self->transcript, position);
}

static guint
n_matches (TincanTranscriptView *self)
{
  return self->filter != NULL ? tincan_transcript_filter_get_n_matches (self->filter) : 0;
}

/* Shows match @index: scrolled into view and selected. The focus stays in
 * the search entry, so that Enter goes on to the next one. */
static void
show_match (TincanTranscriptView *self,
            guint                 index)
{
  guint position = self->show_only ? index
                                   : tincan_transcript_filter_get_position (self->filter, index);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  self->current = (int) index;
  if (position + 1 < n)
    _tincan_transcript_view_set_following (self, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  search_changed (self);
}

/* While a search goes on, "N matches…" is told at most this often: each
 * change of the bar's text costs the window a relayout and a frame between
 * the filter's steps, and a million entries are searched in about 15 steps. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)

static void
filter_changed_cb (TincanTranscriptView *self)
{
  guint n = n_matches (self);
  gint64 now = g_get_monotonic_time ();

  if (self->current >= (int) n)
    self->current = n > 0 ? (int) n - 1 : -1;
  /* The search goes from the oldest entry: its first find is match 1, and
   * the view goes there as soon as it is found. */
  if (self->pick_current && n > 0)
    {
      self->pick_current = FALSE;
      show_match (self, 0);
      self->last_progress = now;
      return;
    }
  if (!tincan_transcript_filter_is_complete (self->filter) &&
      now - self->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  self->last_progress = now;
  search_changed (self);
}

/* The current match stays the same entry when the limit trims older ones. */
static void
filter_items_changed_cb (TincanTranscriptView *self,
                         guint                 position,
                         guint                 removed,
                         guint                 added)
{
  if (self->current >= 0 && position <= (guint) self->current)
    {
      if (position + removed > (guint) self->current)
        self->current = -1;  /* it went */
      else
        self->current += (int) added - (int) removed;
    }

  /* In "Show only matching", matches that arrive during a flood come after
   * the transcript's flush: the list follows them too. */
  if (self->show_only && self->following)
    _tincan_transcript_view_follow (self);
}

static void
show_model (TincanTranscriptView *self,
            gboolean              show_only)
{
  GListModel *model = show_only ? G_LIST_MODEL (self->filter) : G_LIST_MODEL (self->transcript);

  if (self->show_only == show_only)
    return;
  self->show_only = show_only;
  gtk_multi_selection_set_model (self->selection, model);
  if (self->following)
    _tincan_transcript_view_follow (self);
  else if (self->current >= 0)
    show_match (self, (guint) self->current);
}

static void
ensure_filter (TincanTranscriptView *self)
{
  if (self->filter != NULL)
    return;

  self->filter = tincan_transcript_filter_new (self->transcript);
  g_signal_connect_object (self->filter, "notify::n-matches", G_CALLBACK (filter_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter, "notify::complete", G_CALLBACK (filter_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter, "items-changed", G_CALLBACK (filter_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/**
 * tincan_transcript_view_set_search:
 * @matcher: (nullable): the query, or %NULL for none
 * @kinds: which entries it looks at
 * @show_only: whether the list shows only the entries found
 *
 * Highlights @matcher's matches and finds them; a new query makes its
 * first (oldest) match current and shows it.
 */
void
tincan_transcript_view_set_search (TincanTranscriptView *self,
                                   TincanMatcher        *matcher,
                                   TincanShowKinds       kinds,
                                   gboolean              show_only)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (self->transcript != NULL);

  ensure_filter (self);
  if (self->matcher != matcher)
    {
      g_clear_pointer (&self->matcher, tincan_matcher_unref);
      self->matcher = matcher != NULL ? tincan_matcher_ref (matcher) : NULL;
      _tincan_transcript_view_notify_matcher (self);
    }
  if (matcher != tincan_transcript_filter_get_matcher (self->filter) ||
      kinds != tincan_transcript_filter_get_kinds (self->filter))
    {
      self->current = -1;
      self->pick_current = matcher != NULL;
      tincan_transcript_filter_set_matcher (self->filter, matcher);
      tincan_transcript_filter_set_kinds (self->filter, kinds);
    }
  show_model (self, show_only);
  self->last_progress = 0;  /* the new query's first count is told at once */
  filter_changed_cb (self);
}

/**
 * tincan_transcript_view_end_search:
 *
 * Clears the highlights and shows every entry again.
 */
void
tincan_transcript_view_end_search (TincanTranscriptView *self)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  if (self->filter == NULL)
    return;

  show_model (self, FALSE);
  if (self->matcher != NULL)
    {
      g_clear_pointer (&self->matcher, tincan_matcher_unref);
      _tincan_transcript_view_notify_matcher (self);
    }
  g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->filter);
  self->current = -1;
  self->pick_current = FALSE;
  search_changed (self);
}

TincanMatcher *
tincan_transcript_view_get_matcher (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), NULL);

  return self->matcher;
}

/**
 * tincan_transcript_view_find_next:
 * @backwards: to the previous match rather than the next
 *
 * Makes the next (or previous) match current, wrapping around at the ends,
 * and shows it.
 *
 * Returns: %FALSE when there is no match to go to
 */
gboolean
tincan_transcript_view_find_next (TincanTranscriptView *self,
                                  gboolean              backwards)
{
  guint n;
  guint index;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  if (self->matcher == NULL || (n = n_matches (self)) == 0)
    return FALSE;

  self->pick_current = FALSE;
  if (self->current < 0)
    index = backwards ? n - 1 : 0;
  else if (backwards)
    index = self->current == 0 ? n - 1 : (guint) self->current - 1;
  else
    index = (guint) self->current + 1 >= n ? 0 : (guint) self->current + 1;
  show_match (self, index);
  return TRUE;
}

/**
 * tincan_transcript_view_get_search_counts:
 * @current: (out) (optional): index of the current match, or -1
 * @n_found: (out) (optional): how many matches were found so far
 * @complete: (out) (optional): whether every entry has been searched
 * @n_shown: (out) (optional): how many entries the list shows
 * @n_total: (out) (optional): how many entries the transcript has
 *
 * Returns: whether a search with a query is open
 */
gboolean
tincan_transcript_view_get_search_counts (TincanTranscriptView *self,
                                          int                  *current,
                                          guint                *n_found,
                                          gboolean             *complete,
                                          guint                *n_shown,
                                          guint                *n_total)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  if (current != NULL)
    *current = self->current;
  if (n_found != NULL)
    *n_found = n_matches (self);
  if (complete != NULL)
    *complete = self->filter == NULL || tincan_transcript_filter_is_complete (self->filter);
  if (n_shown != NULL)
    *n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n_total != NULL)
    *n_total = self->transcript != NULL
             ? g_list_model_get_n_items (G_LIST_MODEL (self->transcript)) : 0;
  return self->matcher != NULL;
}

void
_tincan_transcript_view_search_dispose (TincanTranscriptView *self)
{
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->matcher, tincan_matcher_unref);
}

void
_tincan_transcript_view_class_search_init (GtkWidgetClass *widget_class)
{
  /**
   * TincanTranscriptView::search-changed:
   *
   * The search's count, its current match or what the list shows changed.
   */
  signals[SEARCH_CHANGED] = g_signal_new ("search-changed",
                                          G_TYPE_FROM_CLASS (widget_class),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}
