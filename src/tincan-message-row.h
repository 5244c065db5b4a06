/* tincan-message-row.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-entry.h"
#include "tincan-render.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_MESSAGE_ROW (tincan_message_row_get_type ())

G_DECLARE_FINAL_TYPE (TincanMessageRow, tincan_message_row, TINCAN, MESSAGE_ROW, GtkWidget)

void            tincan_message_row_set_entry        (TincanMessageRow *self,
                                                     TincanEntry      *entry);
TincanEntry    *tincan_message_row_get_entry        (TincanMessageRow *self);
void            tincan_message_row_set_view_mode    (TincanMessageRow *self,
                                                     TincanViewMode    mode);
TincanViewMode  tincan_message_row_get_view_mode    (TincanMessageRow *self);
const char     *tincan_message_row_get_payload_text (TincanMessageRow *self);
const char     *tincan_message_row_get_header_text  (TincanMessageRow *self);
char           *tincan_message_row_dup_connection_text (TincanMessageRow *self);

void              tincan_message_row_set_compact     (TincanMessageRow *self,
                                                      gboolean          compact);

void              tincan_message_row_set_matcher     (TincanMessageRow *self,
                                                      TincanMatcher    *matcher);
GArray           *tincan_message_row_get_marks       (TincanMessageRow *self);

void              tincan_message_row_set_expanded    (TincanMessageRow *self,
                                                      gboolean          expanded);

G_END_DECLS
