/* tincan-composer.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-payload.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_COMPOSER (tincan_composer_get_type ())

G_DECLARE_FINAL_TYPE (TincanComposer, tincan_composer, TINCAN, COMPOSER, GtkWidget)

void                tincan_composer_set_can_send   (TincanComposer      *self,
                                                    gboolean             can_send);
gboolean            tincan_composer_submit         (TincanComposer      *self);
void                tincan_composer_show_error     (TincanComposer      *self,
                                                    const char          *message);
char               *tincan_composer_dup_text       (TincanComposer      *self);
void                tincan_composer_set_text       (TincanComposer      *self,
                                                    const char          *text);
void                tincan_composer_edit_payload   (TincanComposer      *self,
                                                    const guint8        *data,
                                                    gsize                length);
gboolean            tincan_composer_get_validation_pending (TincanComposer *self);
void                tincan_composer_history_move   (TincanComposer      *self,
                                                    int                  direction);
TincanPayloadFormat tincan_composer_get_format     (TincanComposer      *self);
void                tincan_composer_set_format     (TincanComposer      *self,
                                                    TincanPayloadFormat  format);
TincanLineEnding    tincan_composer_get_line_ending(TincanComposer      *self);
void                tincan_composer_set_line_ending(TincanComposer      *self,
                                                    TincanLineEnding     ending);
TincanLineEnding    tincan_composer_get_hex_line_ending (TincanComposer *self);
void                tincan_composer_set_hex_line_ending (TincanComposer *self,
                                                    TincanLineEnding     ending);
TincanLineEnding    tincan_composer_get_format_line_ending (TincanComposer *self);
void                tincan_composer_set_format_line_ending (TincanComposer *self,
                                                    TincanLineEnding     ending);
void                tincan_composer_set_framing_delimiter (TincanComposer *self,
                                                    GBytes              *delimiter);
char               *tincan_composer_dup_ending_text (TincanComposer     *self);
const char         *tincan_composer_get_error      (TincanComposer      *self);
void                tincan_composer_grab_focus     (TincanComposer      *self);
void                tincan_composer_set_placeholder (TincanComposer     *self,
                                                    const char         *text);

G_END_DECLS
