/* tincan-connector.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes one connection: resolves, connects (TCP, TLS or connected UDP),
 * does the TLS handshake with certificate pinning, within a timeout, and
 * says how far it got. What it makes is a GIOStream for a TincanConnection.
 * Failures are TINCAN_SESSION_ERROR codes whose message is the sentence. */

#pragma once

#include <gio/gio.h>

#include "tincan-session.h"
#include "tincan-tls-problem.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_CONNECTOR (tincan_connector_get_type ())

G_DECLARE_FINAL_TYPE (TincanConnector, tincan_connector, TINCAN, CONNECTOR, GObject)

/* Progress: RESOLVING, CONNECTING (the address being tried is then
 * tincan_connector_get_address()), TLS_HANDSHAKE. */
typedef void (*TincanConnectorProgressFunc) (TincanConnector    *connector,
                                             TincanSessionState  state,
                                             gpointer            user_data);

TincanConnector    *tincan_connector_new              (TincanTransport               transport,
                                                       const char                   *host,
                                                       guint16                       port,
                                                       guint                         timeout_ms,
                                                       const char                   *pinned);
void                tincan_connector_set_progress_func (TincanConnector             *self,
                                                       TincanConnectorProgressFunc   func,
                                                       gpointer                      user_data);
void                tincan_connector_set_proxy        (TincanConnector              *self,
                                                       gboolean                      enable,
                                                       GProxyResolver               *resolver);
void                tincan_connector_connect_async    (TincanConnector              *self,
                                                       GCancellable                 *cancellable,
                                                       GAsyncReadyCallback           callback,
                                                       gpointer                      user_data);
GIOStream          *tincan_connector_connect_finish   (TincanConnector              *self,
                                                       GAsyncResult                 *result,
                                                       GError                      **error);

const char         *tincan_connector_get_host         (TincanConnector              *self);
guint16             tincan_connector_get_port         (TincanConnector              *self);
TincanTransport     tincan_connector_get_transport    (TincanConnector              *self);
GInetSocketAddress *tincan_connector_get_address      (TincanConnector              *self);
char               *tincan_connector_dup_endpoint     (TincanConnector              *self);
gboolean            tincan_connector_is_proxied       (TincanConnector              *self);
char               *tincan_connector_dup_proxy        (TincanConnector              *self);
char               *tincan_connector_dup_route        (TincanConnector              *self);
const char         *tincan_connector_get_other_addresses (TincanConnector           *self);
const char         *tincan_connector_get_tls_version  (TincanConnector              *self);
TincanTlsProblem   *tincan_connector_steal_tls_problem (TincanConnector             *self);
TincanTlsProblem   *tincan_connector_steal_accepted_tls_problem (TincanConnector    *self);

G_END_DECLS
