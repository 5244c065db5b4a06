/* tincan-transcript-view-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-transcript-filter.h"
#include "tincan-transcript-view.h"

G_BEGIN_DECLS

typedef enum {
  SELECT_NONE,
  SELECT_ONE,
  SELECT_EXTEND,
} SelectOnMove;

struct _TincanTranscriptView
{
  GtkWidget          parent_instance;

  GtkOverlay        *overlay;
  GtkScrolledWindow *scrolled_window;
  GtkListView       *list_view;
  GtkRevealer       *jump_revealer;
  GMenuModel        *row_menu_model;
  GtkWidget         *row_menu;
  TincanMessage     *menu_message;   /* the row the menu is for */
  gboolean           can_send;

  TincanTranscript  *transcript;
  GtkMultiSelection *selection;
  GtkAdjustment     *vadjustment;

  TincanViewMode     view_mode;
  gboolean           compact;
  GHashTable        *expanded;       /* TincanMessage → itself, reffed */
  guint              tick_id;
  AdwToast          *clear_toast;   /* weak: the last Clear's undo, while shown */
  /* In turn_queue while it waits for its turn to flush (see take_turn ()). */
  GList              turn_link;
  double             last_value;
  double             last_upper;
  gboolean           following;
  gboolean           scroll_pending;
  SelectOnMove       select_on_move;

  /* The search (tincan-transcript-view-search.c) */
  TincanMatcher          *matcher;     /* highlighted in the rows */
  TincanTranscriptFilter *filter;      /* while a search is open */
  gboolean                show_only;   /* the list shows the filter */
  int                     current;     /* index of the current match, or -1 */
  gboolean                pick_current; /* a new query: show its first match */
  gint64                  last_progress; /* when the count was last told mid-search */
};

GtkWidget *_tincan_transcript_view_focused_widget   (TincanTranscriptView *self);
GtkWidget *_tincan_transcript_view_entry_row        (TincanTranscriptView *self);

void       _tincan_transcript_view_class_menu_init  (GtkWidgetClass       *widget_class);
void       _tincan_transcript_view_menu_init        (TincanTranscriptView *self);
void       _tincan_transcript_view_menu_dispose     (TincanTranscriptView *self);

void           _tincan_transcript_view_class_search_init (GtkWidgetClass       *widget_class);
void           _tincan_transcript_view_search_dispose    (TincanTranscriptView *self);
TincanMessage *_tincan_transcript_view_message_at        (TincanTranscriptView *self,
                                                          guint                 position);
void           _tincan_transcript_view_set_following     (TincanTranscriptView *self,
                                                          gboolean              following);
void           _tincan_transcript_view_follow            (TincanTranscriptView *self);
void           _tincan_transcript_view_notify_matcher    (TincanTranscriptView *self);

gboolean _tincan_transcript_view_is_expanded (TincanTranscriptView *self,
                                              TincanMessage        *message);

G_END_DECLS
