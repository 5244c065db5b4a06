/* tincan-address.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *tincan_format_address     (GInetAddress       *inet,
                                 guint16             port);
char *tincan_format_socket_address (GInetSocketAddress *address);

G_END_DECLS
