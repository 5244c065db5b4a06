/* tincan-log-reader.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-message.h"

G_BEGIN_DECLS

#define TINCAN_LOG_READER_ERROR (tincan_log_reader_error_quark ())

typedef enum
{
  TINCAN_LOG_READER_ERROR_BAD_LINE,   /* the message names the line and says why */
} TincanLogReaderError;

GQuark   tincan_log_reader_error_quark (void);
gboolean tincan_log_read_stream        (GInputStream  *stream,
                                        GPtrArray    **messages,
                                        GHashTable   **connections,
                                        GCancellable  *cancellable,
                                        GError       **error);
gboolean tincan_log_read_file          (const char    *path,
                                        GPtrArray    **messages,
                                        GHashTable   **connections,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
