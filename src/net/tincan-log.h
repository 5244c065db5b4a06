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

/* How many bytes of entries may wait for the writer (each entry counts its
 * length plus TINCAN_LOG_ENTRY_OVERHEAD); what does not fit is counted, not
 * queued. */
#define TINCAN_LOG_DEFAULT_MAX_QUEUED (64 * 1024 * 1024)
#define TINCAN_LOG_ENTRY_OVERHEAD 128

/* The number in each log's first record, {"log": "tincan", "format": N, ...}
 * (docs/log-format.md). It changes when a field changes meaning or goes
 * away; new fields come without a new number. */
#define TINCAN_LOG_FORMAT 3

#define TINCAN_LOG_ERROR (tincan_log_error_quark ())

typedef enum
{
  TINCAN_LOG_ERROR_NOT_WRITTEN,   /* the file did not keep up: entries were dropped */
  TINCAN_LOG_ERROR_TIMED_OUT,     /* the writer still had entries at the deadline */
} TincanLogError;

GQuark tincan_log_error_quark (void);

#define TINCAN_TYPE_LOG (tincan_log_get_type ())

G_DECLARE_FINAL_TYPE (TincanLog, tincan_log, TINCAN, LOG, GObject)

TincanLog    *tincan_log_open              (const char     *path,
                                            GError        **error);
TincanLog    *tincan_log_create            (const char     *path,
                                            GError        **error);
void          tincan_log_set_max_queued    (TincanLog      *self,
                                            gsize           max_queued);
gsize         tincan_log_get_max_queued    (TincanLog      *self);
void          tincan_log_write             (TincanLog      *self,
                                            TincanMessage **messages,
                                            guint           n_messages);
guint64       tincan_log_get_not_written   (TincanLog      *self);
GError       *tincan_log_dup_error         (TincanLog      *self);
const char   *tincan_log_get_display_name  (TincanLog      *self);
void          tincan_log_close             (TincanLog      *self);
gboolean      tincan_log_wait              (TincanLog      *self,
                                            gint64          timeout_usec,
                                            GError        **error);
char         *tincan_log_finish_all        (gint64          timeout_usec);
char         *tincan_log_format_entry      (TincanMessage  *message);

G_END_DECLS
