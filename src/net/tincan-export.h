/* tincan-export.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-message.h"

G_BEGIN_DECLS

/* What "Save Transcript..." and `tincan --export` write (docs/export.md). */
typedef enum
{
  TINCAN_EXPORT_TEXT,     /* one line per entry, as the rows show it */
  TINCAN_EXPORT_CSV,      /* RFC 4180: time, direction, connection, length, rtt, text, hex */
  TINCAN_EXPORT_JSONL,    /* the log's format (docs/log-format.md) */
  TINCAN_EXPORT_HEXDUMP,  /* xxd lines under a header per entry */
  TINCAN_EXPORT_C,        /* C arrays, as Wireshark's Follow Stream gives them */
  TINCAN_EXPORT_PCAPNG,   /* a capture with synthesised IP and TCP or UDP headers */
} TincanExportFormat;

/* Called on the thread that exports, every few thousand entries and at the end. */
typedef void (*TincanExportProgressFunc) (guint    done,
                                          guint    total,
                                          gpointer user_data);

gboolean    tincan_export_format_from_name     (const char                *name,
                                                TincanExportFormat        *format);
const char *tincan_export_format_to_name       (TincanExportFormat         format);
GHashTable *tincan_export_collect_connections  (TincanMessage * const     *messages,
                                                guint                      n_messages);
gboolean    tincan_export_write                (TincanExportFormat         format,
                                                TincanMessage * const     *messages,
                                                guint                      n_messages,
                                                GHashTable                *connections,
                                                GOutputStream             *stream,
                                                TincanExportProgressFunc   progress,
                                                gpointer                   user_data,
                                                GCancellable              *cancellable,
                                                GError                   **error);
gboolean    tincan_export_write_file           (TincanExportFormat         format,
                                                TincanMessage * const     *messages,
                                                guint                      n_messages,
                                                GHashTable                *connections,
                                                const char                *path,
                                                TincanExportProgressFunc   progress,
                                                gpointer                   user_data,
                                                GCancellable              *cancellable,
                                                GError                   **error);
void        tincan_export_file_async           (TincanExportFormat         format,
                                                GPtrArray                 *messages,
                                                GHashTable                *connections,
                                                const char                *path,
                                                TincanExportProgressFunc   progress,
                                                gpointer                   progress_data,
                                                GCancellable              *cancellable,
                                                GAsyncReadyCallback        callback,
                                                gpointer                   user_data);
gboolean    tincan_export_file_finish          (GAsyncResult              *result,
                                                GError                   **error);

G_END_DECLS
