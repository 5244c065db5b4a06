/* tincan-message-row.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-render.h"
#include "tincan-transcript.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_MESSAGE_ROW (tincan_message_row_get_type ())

G_DECLARE_FINAL_TYPE (TincanMessageRow, tincan_message_row, TINCAN, MESSAGE_ROW, GtkWidget)

GtkWidget *tincan_message_row_new  (void);
void       tincan_message_row_bind (TincanMessageRow *self,
                                    TincanEntry      *entry,
                                    TincanViewMode    mode);
const char *tincan_message_row_get_payload_text (TincanMessageRow *self);

G_END_DECLS
