/* tincan-connection-bar.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-session.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_CONNECTION_BAR (tincan_connection_bar_get_type ())

G_DECLARE_FINAL_TYPE (TincanConnectionBar, tincan_connection_bar,
                      TINCAN, CONNECTION_BAR, GtkWidget)

void                  tincan_connection_bar_set_session      (TincanConnectionBar  *self,
                                                              TincanSession        *session);
void                  tincan_connection_bar_set_target       (TincanConnectionBar  *self,
                                                              const TincanTarget   *target);
void                  tincan_connection_bar_set_address      (TincanConnectionBar  *self,
                                                              const char           *host,
                                                              guint16               port);
char                 *tincan_connection_bar_dup_host         (TincanConnectionBar  *self);
guint16               tincan_connection_bar_get_port         (TincanConnectionBar  *self);
void                  tincan_connection_bar_set_transport    (TincanConnectionBar  *self,
                                                              TincanTransport       transport);
TincanTransport       tincan_connection_bar_get_transport    (TincanConnectionBar  *self);
void                  tincan_connection_bar_set_mode         (TincanConnectionBar  *self,
                                                              TincanConnectionMode  mode);
TincanConnectionMode  tincan_connection_bar_get_mode         (TincanConnectionBar  *self);
void                  tincan_connection_bar_set_no_proxy     (TincanConnectionBar  *self,
                                                              gboolean              no_proxy);
gboolean              tincan_connection_bar_get_no_proxy     (TincanConnectionBar  *self);
void                  tincan_connection_bar_set_framing      (TincanConnectionBar  *self,
                                                              TincanFraming        *framing);
void                  tincan_connection_bar_set_framing_name (TincanConnectionBar  *self,
                                                              const char           *name);
const char           *tincan_connection_bar_get_framing_name (TincanConnectionBar  *self);
GBytes               *tincan_connection_bar_get_added_delimiter (TincanConnectionBar *self);
const char           *tincan_connection_bar_get_target_error (TincanConnectionBar  *self);
gboolean              tincan_connection_bar_get_ready        (TincanConnectionBar  *self);
gboolean              tincan_connection_bar_apply            (TincanConnectionBar  *self,
                                                              gboolean              quiet);
void                  tincan_connection_bar_remember_address (TincanConnectionBar  *self);
void                  tincan_connection_bar_focus_host       (TincanConnectionBar  *self);

G_END_DECLS
