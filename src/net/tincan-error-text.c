/* tincan-error-text.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-error-text.h"
#include "tincan-format.h"

G_DEFINE_QUARK (tincan-session-error-quark, tincan_session_error)

/* "10", "0.5": for "Timed out after 10 s". */
static char *
format_seconds (guint msec)
{
  return g_strdup_printf ("%g", msec / 1000.0);
}

static char *
describe_timeout (TincanSessionError        code,
                  const TincanErrorContext *c)
{
  g_autofree char *seconds = format_seconds (c->msec);

  switch ((int) code)
    {
    case TINCAN_SESSION_ERROR_TIMED_OUT:
      return g_strdup_printf (_("Timed out after %s s connecting to %s port %u"),
                              seconds, c->host, c->port);
    case TINCAN_SESSION_ERROR_NO_REPLY:
      return g_strdup_printf (_("No reply within %s s"), seconds);
    case TINCAN_SESSION_ERROR_TLS_NO_ANSWER:
      /* The TCP connection was made: saying only "timed out" sends people
       * looking for a network problem. */
      return g_strdup_printf (_("Connected to %s, but the server did not answer the TLS handshake "
                                "within %s s: is this a plain TCP port?"), c->endpoint, seconds);
    case TINCAN_SESSION_ERROR_SEND_STALLED:
    default:
      return g_strdup_printf (_("The server took no more of the message for %s s; it was not "
                                "sent whole"), seconds);
    }
}

static char *
describe_connect (TincanSessionError        code,
                  const TincanErrorContext *c)
{
  switch ((int) code)
    {
    case TINCAN_SESSION_ERROR_BAD_CERTIFICATE:
      return g_strdup_printf (_("Refused the certificate of %s. %s"), c->endpoint, c->detail);
    case TINCAN_SESSION_ERROR_RESOLVE_FAILED:
      if (c->cause == NULL)
        return g_strdup_printf (_("No such host: %s"), c->host);
      return g_strdup_printf (_("No such host: %s (%s)"), c->host, c->cause);
    case TINCAN_SESSION_ERROR_UNREACHABLE:
      return g_strdup_printf (_("%s is unreachable (%s)"), c->endpoint, c->cause);
    case TINCAN_SESSION_ERROR_NOT_TLS:
      return g_strdup_printf (_("%s does not speak TLS (%s); choose TCP to see what it sends"),
                              c->endpoint, c->cause);
    case TINCAN_SESSION_ERROR_TLS_REFUSED:
      return g_strdup_printf (_("The TLS handshake with %s failed (%s)"), c->endpoint, c->cause);
    case TINCAN_SESSION_ERROR_TLS_FAILED:
      return g_strdup_printf (_("The TLS handshake with %s failed (%s); if that port does not "
                                "speak TLS, choose TCP"), c->endpoint, c->cause);
    case TINCAN_SESSION_ERROR_CONNECT_FAILED:
    default:
      return g_strdup_printf (_("Could not connect to %s (%s)"), c->endpoint, c->cause);
    }
}

static char *
describe_transfer (TincanSessionError        code,
                   const TincanErrorContext *c)
{
  switch ((int) code)
    {
    case TINCAN_SESSION_ERROR_REFUSED:
      /* Only a connected UDP socket learns of a refusal after the connect. */
      if (c->udp)
        return g_strdup_printf (_("Connection refused by %s (nothing is listening)"),
                                c->endpoint);
      return g_strdup_printf (_("Connection refused by %s"), c->endpoint);
    case TINCAN_SESSION_ERROR_UNREACHABLE_PORT:
      return g_strdup_printf (_("Nothing is listening at %s (the system reported the port "
                                "unreachable); the next datagrams still go there"), c->endpoint);
    case TINCAN_SESSION_ERROR_PEER_RESET:
      if (c->endpoint == NULL)
        return g_strdup (_("Connection reset by the server"));
      return g_strdup_printf (_("Connection reset by %s"), c->endpoint);
    case TINCAN_SESSION_ERROR_PEER_CLOSED:
      return g_strdup (_("Connection closed by the server"));
    case TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY:
      return g_strdup (_("The server closed the connection without replying"));
    case TINCAN_SESSION_ERROR_RECEIVE_FAILED:
      return g_strdup_printf (_("Could not receive from %s (%s)"), c->endpoint, c->cause);
    case TINCAN_SESSION_ERROR_SEND_FAILED:
    default:
      return g_strdup_printf (_("Could not send to %s (%s)"), c->endpoint, c->cause);
    }
}

/**
 * tincan_session_error_describe:
 * @code: what went wrong
 * @context: what the sentence names
 *
 * Returns: (transfer full): the sentence for @code, as the transcript shows it
 */
char *
tincan_session_error_describe (TincanSessionError        code,
                               const TincanErrorContext *context)
{
  static const TincanErrorContext empty = { 0 };
  const TincanErrorContext *c = context != NULL ? context : &empty;
  /* Counts grouped as the locale groups digits: "1,000 datagrams". */
  g_autofree char *count = tincan_format_count (c->count);
  g_autofree char *limit = tincan_format_count (c->limit);

  switch (code)
    {
    case TINCAN_SESSION_ERROR_INVALID_TARGET:
      /* The target parser's own sentence. */
      return g_strdup (c->cause);
    case TINCAN_SESSION_ERROR_NOT_CONNECTED:
      return g_strdup (_("Not connected: connect first"));
    case TINCAN_SESSION_ERROR_BUSY:
      return g_strdup (_("Already connected or connecting: disconnect first"));
    case TINCAN_SESSION_ERROR_TOO_LARGE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The message is %s byte; a UDP datagram holds at most %s",
                                           "The message is %s bytes; a UDP datagram holds at most %s",
                                           c->count),
                              count, limit);
    case TINCAN_SESSION_ERROR_QUEUE_FULL:
      /* TRANSLATORS: %s is a size, e.g. "66.2 MB" */
      return g_strdup_printf (_("Not sent: the queue already holds %s that the server has not "
                                "taken yet"), c->size);
    case TINCAN_SESSION_ERROR_UNSENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s queued message was not sent",
                                           "%s queued messages were not sent", c->count),
                              count);
    case TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s datagram was dropped by the system: they came "
                                           "faster than they could be read",
                                           "%s datagrams were dropped by the system: they came "
                                           "faster than they could be read", c->count),
                              count);
    case TINCAN_SESSION_ERROR_TIMED_OUT:
    case TINCAN_SESSION_ERROR_NO_REPLY:
    case TINCAN_SESSION_ERROR_SEND_STALLED:
    case TINCAN_SESSION_ERROR_TLS_NO_ANSWER:
      return describe_timeout (code, c);
    case TINCAN_SESSION_ERROR_BAD_CERTIFICATE:
    case TINCAN_SESSION_ERROR_RESOLVE_FAILED:
    case TINCAN_SESSION_ERROR_UNREACHABLE:
    case TINCAN_SESSION_ERROR_NOT_TLS:
    case TINCAN_SESSION_ERROR_TLS_REFUSED:
    case TINCAN_SESSION_ERROR_TLS_FAILED:
    case TINCAN_SESSION_ERROR_CONNECT_FAILED:
      return describe_connect (code, c);
    case TINCAN_SESSION_ERROR_REFUSED:
    case TINCAN_SESSION_ERROR_UNREACHABLE_PORT:
    case TINCAN_SESSION_ERROR_PEER_RESET:
    case TINCAN_SESSION_ERROR_PEER_CLOSED:
    case TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY:
    case TINCAN_SESSION_ERROR_RECEIVE_FAILED:
    case TINCAN_SESSION_ERROR_SEND_FAILED:
    default:
      return describe_transfer (code, c);
    }
}

/**
 * tincan_session_error_new:
 * @code: what went wrong
 * @context: what the sentence names
 *
 * Returns: (transfer full): a %TINCAN_SESSION_ERROR with @code, whose message
 *   is the sentence
 */
GError *
tincan_session_error_new (TincanSessionError        code,
                          const TincanErrorContext *context)
{
  g_autofree char *text = tincan_session_error_describe (code, context);

  return g_error_new_literal (TINCAN_SESSION_ERROR, code, text);
}

/**
 * tincan_session_error_from_connect:
 * @cause: why resolving, connecting or the handshake failed
 *
 * Returns: the code that names @cause (the certificate case is decided by
 *   the caller, which knows whether the certificate was looked at)
 */
TincanSessionError
tincan_session_error_from_connect (const GError *cause)
{
  if (cause->domain == G_RESOLVER_ERROR)
    return TINCAN_SESSION_ERROR_RESOLVE_FAILED;
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return TINCAN_SESSION_ERROR_REFUSED;
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    return TINCAN_SESSION_ERROR_PEER_RESET;
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return TINCAN_SESSION_ERROR_UNREACHABLE;
  if (g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    return TINCAN_SESSION_ERROR_NOT_TLS;
  /* The server wants something of us, not a different protocol. */
  if (g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) ||
      g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_INAPPROPRIATE_FALLBACK))
    return TINCAN_SESSION_ERROR_TLS_REFUSED;
  /* GnuTLS reports most plain-text answers (an HTTP error, our own
   * ClientHello echoed back) as an unexpected packet, not as NOT_TLS, and
   * its message never says why. The usual cause is a port without TLS. */
  if (cause->domain == G_TLS_ERROR)
    return TINCAN_SESSION_ERROR_TLS_FAILED;
  return TINCAN_SESSION_ERROR_CONNECT_FAILED;
}
