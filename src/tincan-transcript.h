/* tincan-transcript.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-entry.h"
#include "tincan-message.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_TRANSCRIPT (tincan_transcript_get_type ())

G_DECLARE_FINAL_TYPE (TincanTranscript, tincan_transcript, TINCAN, TRANSCRIPT, GObject)

/* What a cleared transcript held, for an undo. */
typedef struct _TincanTranscriptSnapshot TincanTranscriptSnapshot;

TincanTranscript *tincan_transcript_new            (guint              limit);
void              tincan_transcript_set_limit      (TincanTranscript  *self,
                                                    guint              limit);
void              tincan_transcript_set_budget     (TincanTranscript  *self,
                                                    guint64            budget);
guint64           tincan_transcript_get_budget     (TincanTranscript  *self);
void              tincan_transcript_push           (TincanTranscript  *self,
                                                    TincanMessage     *message);
gboolean          tincan_transcript_flush          (TincanTranscript  *self);
guint             tincan_transcript_get_n_pending  (TincanTranscript  *self);
void              tincan_transcript_clear          (TincanTranscript  *self);
TincanTranscriptSnapshot *
                  tincan_transcript_take           (TincanTranscript  *self);
void              tincan_transcript_restore        (TincanTranscript  *self,
                                                    TincanTranscriptSnapshot *snapshot);
void              tincan_transcript_snapshot_free  (TincanTranscriptSnapshot *snapshot);
guint64           tincan_transcript_get_n_removed  (TincanTranscript  *self);
TincanMessage    *tincan_transcript_get_message    (TincanTranscript  *self,
                                                    guint              position);
GPtrArray        *tincan_transcript_dup_messages   (TincanTranscript  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTranscriptSnapshot, tincan_transcript_snapshot_free)

G_END_DECLS
