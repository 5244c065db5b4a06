/* tincan-connection-info.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tincan-address.h"
#include "tincan-connection-info.h"

struct _TincanConnectionInfo
{
  gatomicrefcount  ref_count;
  TincanTransport  transport;
  guint64          id;
  char            *local;
  char            *peer;
};

G_DEFINE_BOXED_TYPE (TincanConnectionInfo, tincan_connection_info,
                     tincan_connection_info_ref, tincan_connection_info_unref)

/**
 * tincan_connection_info_new:
 * @id: the connection's id, from 1
 * @transport: TCP, TLS or UDP
 * @local: our end, "127.0.0.1:51234" or "[::1]:51234"
 * @peer: the server's end, in the same form
 *
 * Returns: (transfer full): a new info, to release with tincan_connection_info_unref()
 */
TincanConnectionInfo *
tincan_connection_info_new (guint64          id,
                            TincanTransport  transport,
                            const char      *local,
                            const char      *peer)
{
  TincanConnectionInfo *self;

  g_return_val_if_fail (local != NULL && peer != NULL, NULL);

  self = g_new0 (TincanConnectionInfo, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->id = id;
  self->transport = transport;
  self->local = g_strdup (local);
  self->peer = g_strdup (peer);

  return self;
}

static char *
dup_end (GSocketConnection *connection,
         gboolean           local)
{
  g_autoptr(GSocketAddress) address = NULL;

  address = local ? g_socket_connection_get_local_address (connection, NULL)
                  : g_socket_connection_get_remote_address (connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("");

  return tincan_format_socket_address (G_INET_SOCKET_ADDRESS (address));
}

/**
 * tincan_connection_info_new_for_stream:
 * @id: the connection's id
 * @transport: TCP, TLS or UDP
 * @stream: the connected stream: a #GSocketConnection, or a #GTlsConnection over one
 *
 * Returns: (transfer full): the info of @stream's two ends ("" for an end
 *   that is not an internet address, as through a proxy's local socket)
 */
TincanConnectionInfo *
tincan_connection_info_new_for_stream (guint64          id,
                                       TincanTransport  transport,
                                       GIOStream       *stream)
{
  g_autoptr(GIOStream) base = NULL;
  g_autofree char *local = NULL;
  g_autofree char *peer = NULL;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  if (G_IS_TLS_CONNECTION (stream))
    g_object_get (stream, "base-io-stream", &base, NULL);
  else
    base = g_object_ref (stream);

  if (G_IS_SOCKET_CONNECTION (base))
    {
      local = dup_end (G_SOCKET_CONNECTION (base), TRUE);
      peer = dup_end (G_SOCKET_CONNECTION (base), FALSE);
    }

  return tincan_connection_info_new (id, transport, local ? local : "", peer ? peer : "");
}

TincanConnectionInfo *
tincan_connection_info_ref (TincanConnectionInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tincan_connection_info_unref (TincanConnectionInfo *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->local);
  g_free (self->peer);
  g_free (self);
}

guint64
tincan_connection_info_get_id (const TincanConnectionInfo *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->id;
}

TincanTransport
tincan_connection_info_get_transport (const TincanConnectionInfo *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_TRANSPORT_TCP);

  return self->transport;
}

/**
 * tincan_connection_info_get_local:
 *
 * Returns: (transfer none): our end, "127.0.0.1:51234", or "" when unknown
 */
const char *
tincan_connection_info_get_local (const TincanConnectionInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->local;
}

/**
 * tincan_connection_info_get_peer:
 *
 * Returns: (transfer none): the server's end, "[::1]:6379", or "" when unknown
 */
const char *
tincan_connection_info_get_peer (const TincanConnectionInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->peer;
}

/**
 * tincan_connection_info_parse_address:
 * @text: "127.0.0.1:51234" or "[::1]:6379", as the getters give
 *
 * Returns: (transfer full) (nullable): the address, or %NULL when @text is
 *   not one (an empty end among them)
 */
GInetSocketAddress *
tincan_connection_info_parse_address (const char *text)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *colon;
  guint64 port;

  g_return_val_if_fail (text != NULL, NULL);

  colon = strrchr (text, ':');
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &port, NULL))
    return NULL;
  if (text[0] == '[' && colon > text + 1 && colon[-1] == ']')
    host = g_strndup (text + 1, colon - text - 2);
  else
    host = g_strndup (text, colon - text);
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL || (text[0] == '[') != (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6))
    return NULL;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet, (guint16) port));
}
