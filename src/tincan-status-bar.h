/* tincan-status-bar.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-session.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_STATUS_BAR (tincan_status_bar_get_type ())

G_DECLARE_FINAL_TYPE (TincanStatusBar, tincan_status_bar, TINCAN, STATUS_BAR, GtkWidget)

void        tincan_status_bar_update        (TincanStatusBar *self,
                                             TincanSession   *session);
void        tincan_status_bar_set_log_mark  (TincanStatusBar *self,
                                             const char      *text);
const char *tincan_status_bar_get_log_mark  (TincanStatusBar *self);
void        tincan_status_bar_set_certificate_warning (TincanStatusBar *self,
                                                       gboolean         shown);
gboolean    tincan_status_bar_get_certificate_warning (TincanStatusBar *self);
void        tincan_status_bar_set_recording (TincanStatusBar *self,
                                             GFile           *file);
const char *tincan_status_bar_get_recording_text (TincanStatusBar *self);

void        tincan_status_bar_set_filter_counts (TincanStatusBar *self,
                                                 gboolean         filtered,
                                                 guint64          shown,
                                                 guint64          total);
const char *tincan_status_bar_get_filter_text   (TincanStatusBar *self);

G_END_DECLS
