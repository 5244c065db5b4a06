/* tincan-window.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-application.h"
#include "tincan-framing.h"
#include "tincan-log.h"
#include "tincan-session.h"
#include "tincan-target.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_WINDOW (tincan_window_get_type ())

G_DECLARE_FINAL_TYPE (TincanWindow, tincan_window, TINCAN, WINDOW, AdwApplicationWindow)

TincanWindow *tincan_window_new            (TincanApplication    *application);
void          tincan_window_set_target     (TincanWindow         *self,
                                            const TincanTarget   *target);
void          tincan_window_set_framing    (TincanWindow         *self,
                                            TincanFraming        *framing);
void          tincan_window_set_mode       (TincanWindow         *self,
                                            TincanConnectionMode  mode);
void          tincan_window_set_log        (TincanWindow         *self,
                                            TincanLog            *log);
void          tincan_window_connect        (TincanWindow         *self);
gboolean      tincan_window_start_local_echo (TincanWindow       *self,
                                            GError              **error);

G_END_DECLS
