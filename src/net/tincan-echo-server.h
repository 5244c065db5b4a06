/* tincan-echo-server.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-target.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_ECHO_SERVER (tincan_echo_server_get_type ())

G_DECLARE_FINAL_TYPE (TincanEchoServer, tincan_echo_server, TINCAN, ECHO_SERVER, GObject)

TincanEchoServer *tincan_echo_server_new                  (TincanTransport    transport);
void              tincan_echo_server_set_tls_certificate  (TincanEchoServer  *self,
                                                           GTlsCertificate   *certificate);
gboolean          tincan_echo_server_start                (TincanEchoServer  *self,
                                                           const char        *bind_address,
                                                           guint16            port,
                                                           GError           **error);
void              tincan_echo_server_stop                 (TincanEchoServer  *self);
gboolean          tincan_echo_server_is_running           (TincanEchoServer  *self);
TincanTransport   tincan_echo_server_get_transport        (TincanEchoServer  *self);
guint16           tincan_echo_server_get_port             (TincanEchoServer  *self);
char             *tincan_echo_server_dup_address          (TincanEchoServer  *self);
guint64           tincan_echo_server_get_bytes_echoed     (TincanEchoServer  *self);
guint             tincan_echo_server_get_n_connections    (TincanEchoServer  *self);

G_END_DECLS
