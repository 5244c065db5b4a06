/* tincan-window-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* The window's instance, shared by tincan-window.c and tincan-window-actions.c. */

#include "tincan-conversation.h"
#include "tincan-window.h"

G_BEGIN_DECLS

struct _TincanWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkDropDown          *view_dropdown;
  GtkMenuButton        *menu_button;
  TincanConversation   *conversation;

  GSettings            *settings;
};

void _tincan_window_class_actions_init (TincanWindowClass *klass);
void _tincan_window_actions_init       (TincanWindow      *self);

G_END_DECLS
