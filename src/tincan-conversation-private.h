/* tincan-conversation-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-composer.h"
#include "tincan-connection-bar.h"
#include "tincan-conversation.h"
#include "tincan-echo-server.h"
#include "tincan-log.h"
#include "tincan-search-bar.h"
#include "tincan-session.h"
#include "tincan-status-bar.h"
#include "tincan-transcript.h"
#include "tincan-transcript-view.h"

G_BEGIN_DECLS

struct _TincanConversation
{
  GtkWidget             parent_instance;

  TincanConnectionBar  *connection_bar;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  TincanTranscriptView *transcript_view;
  TincanComposer       *composer;
  TincanStatusBar      *status_bar;
  TincanSearchBar      *search_bar;

  GSettings            *settings;
  TincanSession        *session;
  TincanTranscript     *transcript;
  TincanLog            *log;
  GFile                *log_file;     /* what the log writes, for the status bar */
  gboolean              told_log_failed;
  gboolean              told_log_behind;
  TincanEchoServer     *echo_server;
  GCancellable         *cancellable;
  char                 *peer;
  char                 *name;         /* nullable */

  /* What the "conversation.*" actions allow now, for the window's copies. */
  gboolean              can_connect;
  gboolean              can_cancel;
  gboolean              can_local_echo;
};

void   _tincan_conversation_update_status   (TincanConversation *self);
void   _tincan_conversation_actions_changed (TincanConversation *self);

/* tincan-conversation-log.c */
char  *_tincan_conversation_log_mark        (TincanConversation *self);
void   _tincan_conversation_class_log_init  (GtkWidgetClass     *widget_class);

G_END_DECLS
