/* tincan-row-text.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-render.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_ROW_TEXT (tincan_row_text_get_type ())

G_DECLARE_FINAL_TYPE (TincanRowText, tincan_row_text, TINCAN, ROW_TEXT, GtkWidget)

void        tincan_row_text_set_text (TincanRowText *self,
                                      const char    *text);
const char *tincan_row_text_get_text (TincanRowText *self);
void        tincan_row_text_set_single_line (TincanRowText *self,
                                             gboolean       single_line);
void        tincan_row_text_set_literal (TincanRowText *self,
                                         gboolean       literal);
void        tincan_row_text_set_dim (TincanRowText    *self,
                                     const TincanSpan *spans,
                                     guint             n_spans);
void        tincan_row_text_set_marks (TincanRowText    *self,
                                       const TincanSpan *spans,
                                       guint             n_spans);
GArray     *tincan_row_text_get_marks (TincanRowText    *self);
PangoLayout *tincan_row_text_get_layout (TincanRowText *self);

G_END_DECLS
