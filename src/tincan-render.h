/* tincan-render.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-matcher.h"
#include "tincan-message.h"
#include "tincan-app-enums.h"

G_BEGIN_DECLS

typedef enum /*< enum,prefix=TINCAN_VIEW >*/
{
  TINCAN_VIEW_TEXT,
  TINCAN_VIEW_HEX,
  TINCAN_VIEW_PYTHON,
} TincanViewMode;

/* What one row shows at most, so that a 16 MiB message cannot stall the UI;
 * the full bytes go to the log. */
#define TINCAN_RENDER_CAP_TEXT 4096
#define TINCAN_RENDER_CAP_HEX  1024
/* What an expanded row shows at most (Enter or a double click on a row
 * cut at the cap above); the rest is in a copy of the log. */
#define TINCAN_RENDER_EXPAND_TEXT (64 * 1024)
#define TINCAN_RENDER_EXPAND_HEX  (16 * 1024)
/* What the transcript keeps of a longer message: what an expanded row
 * shows, plus the 3 bytes that tell whether a character straddles the text
 * cap. The transcript's byte budget counts it. */
#define TINCAN_RENDER_KEEP     (MAX (TINCAN_RENDER_EXPAND_TEXT, TINCAN_RENDER_EXPAND_HEX) + 3)

char           *tincan_render_message        (TincanMessage  *message,
                                              TincanViewMode  mode,
                                              gboolean        capped);
char           *tincan_render_payload        (TincanMessage  *message,
                                              TincanViewMode  mode);
char           *tincan_render_time           (TincanMessage  *message);
void            tincan_render_append_more    (GString        *text,
                                              gsize           more);

/* A span of a rendering, in byte offsets: [start, end). */
typedef struct
{
  guint start;
  guint end;
} TincanSpan;

gsize           tincan_render_cap            (TincanViewMode  mode,
                                              gboolean        expanded);
gboolean        tincan_render_is_capped      (TincanMessage  *message,
                                              TincanViewMode  mode);
char           *tincan_render_row            (TincanMessage  *message,
                                              TincanViewMode  mode,
                                              gsize           cap,
                                              GArray         *dim);
char           *tincan_render_row_marked     (TincanMessage  *message,
                                              TincanViewMode  mode,
                                              gsize           cap,
                                              GArray         *dim,
                                              GArray         *matches,
                                              GArray         *marked);
char           *tincan_render_summary        (TincanMessage  *message);
char           *tincan_render_length         (TincanMessage  *message);
char           *tincan_render_rtt            (TincanMessage  *message);

G_END_DECLS
