/* tincan-window.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-application.h"
#include "tincan-conversation.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_WINDOW (tincan_window_get_type ())

G_DECLARE_FINAL_TYPE (TincanWindow, tincan_window, TINCAN, WINDOW, AdwApplicationWindow)

TincanWindow       *tincan_window_new              (TincanApplication  *application);
TincanWindow       *tincan_window_new_empty        (TincanApplication  *application);
TincanConversation *tincan_window_get_conversation (TincanWindow       *self);

/* tincan-window-tabs.c */
TincanConversation *tincan_window_add_tab          (TincanWindow       *self,
                                                    TincanConversation *source);
void                tincan_window_close_tab        (TincanWindow       *self,
                                                    TincanConversation *conversation);
guint               tincan_window_get_n_tabs       (TincanWindow       *self);
TincanConversation *tincan_window_get_tab          (TincanWindow       *self,
                                                    guint               position);
void                tincan_window_select_tab       (TincanWindow       *self,
                                                    TincanConversation *conversation);
AdwTabView         *tincan_window_get_tab_view     (TincanWindow       *self);
TincanWorkspace    *tincan_window_dup_workspace    (TincanWindow       *self);
void                tincan_window_add_workspace_tabs (TincanWindow     *self,
                                                    TincanWorkspace    *workspace);

/* tincan-window-workspace.c */
void                tincan_window_open_workspace   (TincanWindow       *self,
                                                    GFile              *file,
                                                    TincanWorkspace    *workspace);
GFile              *tincan_window_get_workspace_file (TincanWindow     *self);
gboolean            tincan_window_get_workspace_changed (TincanWindow  *self);

G_END_DECLS
