/* tincan-session-notes.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the session says about the way to the peer (the address used, the
 * proxy in the way) and about what the connection noticed on it (a TLS
 * server spoken to in plain TCP, a frame announced too long, a datagram
 * port that nobody listens on): the sentences and the properties behind
 * the status bar. Part of TincanSession (see tincan-session-private.h). */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-address.h"
#include "tincan-format.h"
#include "tincan-session-private.h"

/* The peer as the status bar shows it, and the proxy in the way if any:
 * through a proxy, the peer is the host and port asked for (the proxy
 * resolves it), never the proxy's own address. */
void
_tincan_session_show_route (TincanSession   *self,
                            TincanConnector *connector)
{
  g_autofree char *proxy = tincan_connector_dup_proxy (connector);

  _tincan_session_set_proxy (self, proxy);
  if (proxy != NULL)
    {
      const char *host = tincan_connector_get_host (connector);
      guint16 port = tincan_connector_get_port (connector);
      g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);
      g_autofree char *peer = literal != NULL ? tincan_format_address (literal, port)
                                              : g_strdup_printf ("%s:%u", host, port);

      _tincan_session_set_peer_text (self, peer);
    }
  else if (tincan_connector_get_address (connector) != NULL)
    {
      _tincan_session_set_peer_address (self, tincan_connector_get_address (connector));
    }
}

/* "Sending to localhost (127.0.0.1) port 9 (UDP)": UDP connects to no one,
 * and of a name's addresses only one is used (see the connector). */
char *
_tincan_session_udp_ready_text (TincanSession   *self,
                                TincanConnector *connector)
{
  const char *others = tincan_connector_get_other_addresses (connector);

  if (others == NULL)
    return g_strdup_printf (_("Sending to %s (UDP)"), self->endpoint);

  /* TRANSLATORS: the endpoint, the host name, its other addresses, e.g.
   * "Sending to localhost (127.0.0.1) port 9 (UDP); localhost is also ::1:
   * type that as the host to send there" */
  return g_strdup_printf (_("Sending to %s (UDP); %s is also %s: type that as the host to send "
                            "there"), self->endpoint, tincan_connector_get_host (connector),
                          others);
}

/* "16 MiB", "1000 bytes": a maximum frame size, exactly. */
static char *
format_limit (gsize size)
{
  g_autofree char *mib = tincan_format_count (size / (1024 * 1024));
  g_autofree char *kib = tincan_format_count (size / 1024);
  g_autofree char *bytes = tincan_format_count (size);

  if (size % (1024 * 1024) == 0)
    return g_strdup_printf (_("%s MiB"), mib);
  if (size % 1024 == 0)
    return g_strdup_printf (_("%s KiB"), kib);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", size), bytes);
}

static void
frame_too_long (TincanSession *self,
                guint64        announced)
{
  TincanFraming *framing = tincan_connection_get_framing (self->connection);
  g_autofree char *count = tincan_format_count (announced);
  g_autofree char *limit = format_limit (tincan_framing_get_max_frame_size (framing));
  g_autofree char *text = NULL;

  /* TRANSLATORS: "The server announced a 4,294,967,295-byte frame, more than the
   * 16 MiB limit: …" */
  text = g_strdup_printf (_("The server announced a %s-byte frame, more than the %s limit: "
                            "shown in pieces. Wrong framing?"), count, limit);
  _tincan_session_add_status (self, text);
}

void
_tincan_session_connection_notice (TincanConnection       *connection,
                                   TincanConnectionNotice  notice,
                                   guint64                 value,
                                   gpointer                user_data)
{
  TincanSession *self = user_data;
  TincanErrorContext context = { .endpoint = self->endpoint, .udp = TRUE };
  g_autoptr(GError) refused = NULL;

  switch (notice)
    {
    case TINCAN_CONNECTION_NOTICE_TLS_RECORD:
      _tincan_session_add_status (self, _("This looks like a TLS server (its first bytes are a "
                                          "TLS record): try TLS"));
      break;

    case TINCAN_CONNECTION_NOTICE_FRAME_TOO_LONG:
      frame_too_long (self, value);
      break;

    case TINCAN_CONNECTION_NOTICE_PORT_UNREACHABLE:
    default:
      /* Per-message mode: the refusal is the exchange's answer. */
      if (self->active_mode == TINCAN_CONNECTION_PER_MESSAGE)
        {
          refused = tincan_session_error_new (TINCAN_SESSION_ERROR_REFUSED, &context);
          _tincan_session_fail (self, refused);
          break;
        }
      _tincan_session_add_error (self, TINCAN_SESSION_ERROR_UNREACHABLE_PORT, &context);
      break;
    }
}

/* The server closed its side. A TLS server that gets plain text from us
 * (GnuTLS's does) closes without a byte: say that it may be one. */
const char *
_tincan_session_eof_text (TincanSession *self)
{
  if (self->active_transport == TINCAN_TRANSPORT_TCP && self->bytes_received == 0 &&
      self->messages_sent > 0)
    return _("The server closed its side of the connection without sending anything, as a TLS "
             "server does with plain text: try TLS?");

  return _("The server closed its side of the connection; nothing more will arrive");
}
