/* tincan-transcript-filter.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-matcher.h"
#include "tincan-transcript.h"

G_BEGIN_DECLS

/* Which entries the search looks at. */
typedef enum /*< flags,prefix=TINCAN_SHOW >*/
{
  TINCAN_SHOW_SENT     = 1 << 0,
  TINCAN_SHOW_RECEIVED = 1 << 1,
  TINCAN_SHOW_NOTES    = 1 << 2,  /* status and error entries */
} TincanShowKinds;

#define TINCAN_SHOW_ALL (TINCAN_SHOW_SENT | TINCAN_SHOW_RECEIVED | TINCAN_SHOW_NOTES)

/* How long one step of matching may take in the main loop. */
#define TINCAN_FILTER_STEP_USEC 12000

#define TINCAN_TYPE_TRANSCRIPT_FILTER (tincan_transcript_filter_get_type ())

G_DECLARE_FINAL_TYPE (TincanTranscriptFilter, tincan_transcript_filter,
                      TINCAN, TRANSCRIPT_FILTER, GObject)

TincanTranscriptFilter *tincan_transcript_filter_new          (TincanTranscript       *transcript);
TincanTranscript       *tincan_transcript_filter_get_transcript (TincanTranscriptFilter *self);
void                    tincan_transcript_filter_set_matcher  (TincanTranscriptFilter *self,
                                                               TincanMatcher          *matcher);
TincanMatcher          *tincan_transcript_filter_get_matcher  (TincanTranscriptFilter *self);
void                    tincan_transcript_filter_set_kinds    (TincanTranscriptFilter *self,
                                                               TincanShowKinds         kinds);
TincanShowKinds         tincan_transcript_filter_get_kinds    (TincanTranscriptFilter *self);
gboolean                tincan_transcript_filter_passes       (TincanTranscriptFilter *self,
                                                               TincanMessage          *message);
guint                   tincan_transcript_filter_get_n_matches (TincanTranscriptFilter *self);
gboolean                tincan_transcript_filter_is_complete  (TincanTranscriptFilter *self);
gboolean                tincan_transcript_filter_step         (TincanTranscriptFilter *self,
                                                               gint64                  budget_usec);
guint                   tincan_transcript_filter_get_position (TincanTranscriptFilter *self,
                                                               guint                   index);
guint                   tincan_transcript_filter_find         (TincanTranscriptFilter *self,
                                                               guint                   position);

G_END_DECLS
