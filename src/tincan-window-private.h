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
  AdwTabBar            *tab_bar;
  AdwTabView           *tab_view;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  GtkBox               *empty_box;

  GSettings            *settings;
  TincanViewMode        view_mode;
  gboolean              compact;

  /* The selected tab's conversation, which the win.* actions run on;
   * NULL while no tab is open. */
  TincanConversation   *conversation;
  GBinding             *peer_binding;
  AdwTabPage           *menu_page;     /* the tab whose context menu is open */
  gboolean              closing_page;  /* a detach is a close, not a move */

  GFile                *workspace_file;  /* nullable */
  TincanWorkspace      *workspace;       /* as last opened or saved; nullable */
};

void _tincan_window_class_actions_init (TincanWindowClass *klass);
void _tincan_window_actions_init       (TincanWindow      *self);
void _tincan_window_sync_actions       (TincanWindow      *self);

/* tincan-window-workspace.c */
void _tincan_window_class_workspace_init (GtkWidgetClass *widget_class);
void _tincan_window_update_title         (TincanWindow   *self);

/* tincan-window-tabs.c */
void _tincan_window_class_tabs_init    (GtkWidgetClass    *widget_class);
void _tincan_window_tabs_init          (TincanWindow      *self);

G_END_DECLS
