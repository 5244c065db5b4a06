/* tincan-transcript-view.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-render.h"
#include "tincan-transcript.h"
#include "tincan-transcript-filter.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_TRANSCRIPT_VIEW (tincan_transcript_view_get_type ())

G_DECLARE_FINAL_TYPE (TincanTranscriptView, tincan_transcript_view,
                      TINCAN, TRANSCRIPT_VIEW, GtkWidget)

void              tincan_transcript_view_set_transcript (TincanTranscriptView *self,
                                                         TincanTranscript     *transcript);
void              tincan_transcript_view_set_view_mode  (TincanTranscriptView *self,
                                                         TincanViewMode        mode);
TincanViewMode    tincan_transcript_view_get_view_mode  (TincanTranscriptView *self);
void              tincan_transcript_view_set_compact    (TincanTranscriptView *self,
                                                         gboolean              compact);
gboolean          tincan_transcript_view_get_compact    (TincanTranscriptView *self);
gboolean          tincan_transcript_view_toggle_expanded (TincanTranscriptView *self,
                                                          guint                 position);
gboolean          tincan_transcript_view_get_following  (TincanTranscriptView *self);
void              tincan_transcript_view_schedule_flush (TincanTranscriptView *self);
void              tincan_transcript_view_jump_to_latest (TincanTranscriptView *self);
void              tincan_transcript_view_clear          (TincanTranscriptView *self);
/* What one copy holds at most. */
#define TINCAN_COPY_MAX_MESSAGES 10000
#define TINCAN_COPY_MAX_BYTES    (4 * 1024 * 1024)

char             *tincan_transcript_view_copy_selection (TincanTranscriptView *self);
char             *tincan_transcript_view_copy_payloads  (TincanTranscriptView *self);
void              tincan_transcript_view_copy_and_tell  (TincanTranscriptView *self);

void              tincan_transcript_view_set_can_send   (TincanTranscriptView *self,
                                                         gboolean              can_send);
gboolean          tincan_transcript_view_open_row_menu  (TincanTranscriptView *self,
                                                         guint                 position);
GtkPopover       *tincan_transcript_view_get_row_menu   (TincanTranscriptView *self);

/* The search: tincan-transcript-view-search.c */
void              tincan_transcript_view_set_search     (TincanTranscriptView *self,
                                                         TincanMatcher        *matcher,
                                                         TincanShowKinds       kinds,
                                                         gboolean              show_only);
void              tincan_transcript_view_end_search     (TincanTranscriptView *self);
TincanMatcher    *tincan_transcript_view_get_matcher    (TincanTranscriptView *self);
gboolean          tincan_transcript_view_find_next      (TincanTranscriptView *self,
                                                         gboolean              backwards);
gboolean          tincan_transcript_view_get_search_counts (TincanTranscriptView *self,
                                                            int                  *current,
                                                            guint                *n_found,
                                                            gboolean             *complete,
                                                            guint                *n_shown,
                                                            guint                *n_total);

G_END_DECLS
