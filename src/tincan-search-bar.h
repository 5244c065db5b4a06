/* tincan-search-bar.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tincan-transcript-filter.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_SEARCH_BAR (tincan_search_bar_get_type ())

G_DECLARE_FINAL_TYPE (TincanSearchBar, tincan_search_bar, TINCAN, SEARCH_BAR, GtkWidget)

void             tincan_search_bar_open          (TincanSearchBar *self);
void             tincan_search_bar_close         (TincanSearchBar *self);
gboolean         tincan_search_bar_is_open       (TincanSearchBar *self);
TincanMatcher   *tincan_search_bar_get_matcher   (TincanSearchBar *self);
TincanShowKinds  tincan_search_bar_get_kinds     (TincanSearchBar *self);
gboolean         tincan_search_bar_get_show_only (TincanSearchBar *self);
void             tincan_search_bar_set_counts    (TincanSearchBar *self,
                                                  int              current,
                                                  guint            n_matches,
                                                  gboolean         complete);
const char      *tincan_search_bar_get_count_text (TincanSearchBar *self);

G_END_DECLS
