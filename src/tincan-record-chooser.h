/* tincan-record-chooser.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void   tincan_file_chooser_run      (GtkWidget            *parent,
                                     const char           *title,
                                     GtkFileChooserAction  action,
                                     const char           *accept_label,
                                     const char           *current_name,
                                     const char           *filter_name,
                                     const char           *pattern,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
void   tincan_record_chooser_run    (GtkWidget            *parent,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GFile *tincan_record_chooser_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
