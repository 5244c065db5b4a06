/* tincan-window-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* For tests, which drive the real window: reach what a user sees. */

#include "tincan-composer.h"
#include "tincan-session.h"
#include "tincan-transcript.h"
#include "tincan-window.h"

G_BEGIN_DECLS

TincanTranscript *_tincan_window_get_transcript (TincanWindow *self);
TincanSession    *_tincan_window_get_session    (TincanWindow *self);
TincanComposer   *_tincan_window_get_composer   (TincanWindow *self);
GtkListView      *_tincan_window_get_list_view  (TincanWindow *self);
gboolean          _tincan_window_get_following  (TincanWindow *self);
gboolean          _tincan_window_jump_visible   (TincanWindow *self);
const char       *_tincan_window_get_target_error (TincanWindow *self);
const char       *_tincan_window_get_counts_text (TincanWindow *self);

G_END_DECLS
