/* tincan-conversation.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-framing.h"
#include "tincan-log.h"
#include "tincan-render.h"
#include "tincan-transcript-view.h"
#include "tincan-session.h"
#include "tincan-target.h"
#include "tincan-transcript.h"
#include "tincan-workspace.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_CONVERSATION (tincan_conversation_get_type ())

G_DECLARE_FINAL_TYPE (TincanConversation, tincan_conversation, TINCAN, CONVERSATION, GtkWidget)

TincanSession    *tincan_conversation_get_session      (TincanConversation   *self);
TincanTranscript *tincan_conversation_get_transcript   (TincanConversation   *self);
const char       *tincan_conversation_get_peer         (TincanConversation   *self);
void              tincan_conversation_focus_default    (TincanConversation   *self);
gboolean          tincan_conversation_get_action_enabled (TincanConversation *self,
                                                          const char         *name);
void              tincan_conversation_set_view_mode    (TincanConversation   *self,
                                                        TincanViewMode        mode);
TincanViewMode    tincan_conversation_get_view_mode    (TincanConversation   *self);
TincanTranscriptView *tincan_conversation_get_transcript_view (TincanConversation *self);
void              tincan_conversation_set_target       (TincanConversation   *self,
                                                        const TincanTarget   *target);
void              tincan_conversation_set_framing      (TincanConversation   *self,
                                                        TincanFraming        *framing);
void              tincan_conversation_set_mode         (TincanConversation   *self,
                                                        TincanConnectionMode  mode);
void              tincan_conversation_set_no_proxy     (TincanConversation   *self,
                                                        gboolean              no_proxy);
void              tincan_conversation_set_name         (TincanConversation   *self,
                                                        const char           *name);
const char       *tincan_conversation_get_name         (TincanConversation   *self);
void              tincan_conversation_copy_settings    (TincanConversation   *self,
                                                        TincanConversation   *source);
char             *tincan_conversation_dup_target       (TincanConversation   *self);
TincanWorkspaceConnection *tincan_conversation_dup_settings (TincanConversation *self);
void              tincan_conversation_apply_settings   (TincanConversation              *self,
                                                        const TincanWorkspaceConnection *settings);
gboolean          tincan_conversation_is_pristine      (TincanConversation   *self);
void              tincan_conversation_set_log          (TincanConversation   *self,
                                                        TincanLog            *log);
gboolean          tincan_conversation_record_to        (TincanConversation   *self,
                                                        GFile                *file,
                                                        gboolean              replace,
                                                        GError              **error);
void              tincan_conversation_stop_recording   (TincanConversation   *self);
void              tincan_conversation_connect          (TincanConversation   *self);
gboolean          tincan_conversation_start_local_echo (TincanConversation   *self,
                                                        GError              **error);

G_END_DECLS
