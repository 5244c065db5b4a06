/* tincan-a11y.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void tincan_a11y_label_drop_down (GtkDropDown *drop_down,
                                  const char  *label);
void tincan_a11y_name_mnemonic_buttons (GtkWidget *widget);
void tincan_a11y_fix_tab_bar           (GtkWidget *widget);
void tincan_a11y_fix_popup             (GtkWidget *widget);
void tincan_a11y_add_toast             (AdwToastOverlay *overlay,
                                        AdwToast        *toast);

G_END_DECLS
