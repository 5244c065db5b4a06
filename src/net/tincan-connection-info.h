/* tincan-connection-info.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-target.h"

G_BEGIN_DECLS

/* What a connection was, fixed when it was made: its id (the entries'
 * connection id), transport and both ends, "127.0.0.1:51234" or
 * "[::1]:6379". Immutable and reference counted, so that entries, the
 * log's writer thread and an exporter can share one. */
typedef struct _TincanConnectionInfo TincanConnectionInfo;

#define TINCAN_TYPE_CONNECTION_INFO (tincan_connection_info_get_type ())

GType                 tincan_connection_info_get_type      (void) G_GNUC_CONST;
TincanConnectionInfo *tincan_connection_info_new           (guint64               id,
                                                            TincanTransport       transport,
                                                            const char           *local,
                                                            const char           *peer);
TincanConnectionInfo *tincan_connection_info_new_for_stream (guint64              id,
                                                            TincanTransport       transport,
                                                            GIOStream            *stream);
TincanConnectionInfo *tincan_connection_info_ref           (TincanConnectionInfo *self);
void                  tincan_connection_info_unref         (TincanConnectionInfo *self);
guint64               tincan_connection_info_get_id        (const TincanConnectionInfo *self);
TincanTransport       tincan_connection_info_get_transport (const TincanConnectionInfo *self);
const char           *tincan_connection_info_get_local     (const TincanConnectionInfo *self);
const char           *tincan_connection_info_get_peer      (const TincanConnectionInfo *self);
GInetSocketAddress   *tincan_connection_info_parse_address (const char           *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanConnectionInfo, tincan_connection_info_unref)

G_END_DECLS
