/* tincan-log.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-message.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_LOG (tincan_log_get_type ())

G_DECLARE_FINAL_TYPE (TincanLog, tincan_log, TINCAN, LOG, GObject)

TincanLog *tincan_log_open          (const char     *path,
                                     GError        **error);
void       tincan_log_write         (TincanLog      *self,
                                     TincanMessage **messages,
                                     guint           n_messages);
gboolean   tincan_log_close         (TincanLog      *self,
                                     GError        **error);
char      *tincan_log_format_entry  (TincanMessage  *message);

G_END_DECLS
