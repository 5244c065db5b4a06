/* tincan-address.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tincan-address.h"

/**
 * tincan_format_address:
 * @inet: an IPv4 or IPv6 address
 * @port: a port
 *
 * Returns: (transfer full): "127.0.0.1:7" or "[::1]:7": compact, for the
 *   status bar and the echo server's address
 */
char *
tincan_format_address (GInetAddress *inet,
                       guint16       port)
{
  g_autofree char *host = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);

  return g_strdup_printf ("%s:%u", host, port);
}

/**
 * tincan_format_socket_address:
 * @address: an address and port
 *
 * Returns: (transfer full): tincan_format_address() of its parts
 */
char *
tincan_format_socket_address (GInetSocketAddress *address)
{
  return tincan_format_address (g_inet_socket_address_get_address (address),
                                g_inet_socket_address_get_port (address));
}
