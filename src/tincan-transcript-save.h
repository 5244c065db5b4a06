/* tincan-transcript-save.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-export.h"

G_BEGIN_DECLS

void tincan_transcript_save_run  (GtkWidget          *parent,
                                  GPtrArray          *messages);
void tincan_transcript_save_to   (GtkWidget          *parent,
                                  GPtrArray          *messages,
                                  TincanExportFormat  format,
                                  GFile              *file);

G_END_DECLS
