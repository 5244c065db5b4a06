/* tincan-target.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-payload.h"
#include "tincan-target.h"

G_DEFINE_QUARK (tincan-target-error-quark, tincan_target_error)

/* Host names longer than this cannot exist in DNS (RFC 1035). */
#define MAX_HOST_NAME 253
#define MAX_LABEL 63

static gboolean
is_ipv4 (const char *s,
         gsize       length)
{
  const char *end = s + length;
  const char *p = s;
  guint parts = 0;

  for (;;)
    {
      const char *start = p;
      guint value = 0;

      while (p < end && g_ascii_isdigit (*p) && p - start < 3)
        value = value * 10 + (guint) (*p++ - '0');

      /* Leading zeros are refused: inet_aton() would read them as octal. */
      if (p == start || value > 255 || (p - start > 1 && *start == '0'))
        return FALSE;

      parts++;

      if (p == end)
        break;
      if (*p != '.' || parts == 4)
        return FALSE;
      p++;
    }

  return parts == 4;
}

/* An IPv6 address in any RFC 4291 text form: eight groups, "::" for a run of
 * zero groups, and optionally a dotted quad for the last 32 bits. */
static gboolean
is_ipv6 (const char *s,
         gsize       length)
{
  const char *end = s + length;
  const char *p = s;
  gboolean compressed = FALSE;
  guint groups = 0;

  if (length >= 2 && p[0] == ':' && p[1] == ':')
    {
      compressed = TRUE;
      p += 2;
    }

  while (p < end)
    {
      const char *q = p;

      while (q < end && g_ascii_isxdigit (*q))
        q++;

      if (q < end && *q == '.')
        {
          if (!is_ipv4 (p, end - p))
            return FALSE;
          groups += 2;
          break;
        }

      if (q == p || q - p > 4)
        return FALSE;
      groups++;
      p = q;

      if (p == end)
        break;
      if (*p++ != ':' || p == end)
        return FALSE;
      if (*p == ':')
        {
          if (compressed)
            return FALSE;
          compressed = TRUE;
          p++;
        }
    }

  return compressed ? groups <= 7 : groups == 8;
}

/* Zones name an interface; they only mean something for addresses whose
 * scope is one link: unicast fe80::/10 and link-local multicast ffX2::. */
static gboolean
is_link_local_ipv6 (const char *s)
{
  guint first = 0;

  for (const char *p = s; g_ascii_isxdigit (*p); p++)
    first = first << 4 | (guint) g_ascii_xdigit_value (*p);

  return (first & 0xFFC0) == 0xFE80 || (first & 0xFF0F) == 0xFF02;
}

static gboolean
check_ipv6 (const char  *host,
            GError     **error)
{
  const char *percent = strchr (host, '%');
  gsize length = percent != NULL ? (gsize) (percent - host) : strlen (host);
  g_autofree char *shown = tincan_payload_quote (host, -1);

  if (!is_ipv6 (host, length))
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("“%s” is not a valid IPv6 address"), shown);
      return FALSE;
    }

  if (percent == NULL)
    return TRUE;

  if (percent[1] == '\0')
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("The zone after “%%” in “%s” is empty; name an interface, as in “%%eth0”"),
                   shown);
      return FALSE;
    }

  for (const char *p = percent + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("The zone in “%s” may only contain letters, digits, “.”, “-” and “_”"),
                       shown);
          return FALSE;
        }
    }

  if (!is_link_local_ipv6 (host))
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("“%s” has a zone, but zones are only allowed on link-local IPv6 addresses (fe80::/10)"),
                   shown);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_label (const char  *label,
             gsize        length,
             GError     **error)
{
  g_autofree char *shown = tincan_payload_quote (label, length);
  const char *end = label + length;

  if (g_utf8_strlen (label, length) > MAX_LABEL)
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("The part “%s” of the host name is longer than 63 characters"), shown);
      return FALSE;
    }

  if (label[0] == '-' || end[-1] == '-')
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("The part “%s” of the host name starts or ends with “-”"), shown);
      return FALSE;
    }

  for (const char *p = label; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ok;

      /* Non-ASCII names are checked only loosely: GIO's IDNA conversion
       * decides what is valid there, and reports it when connecting. */
      if (c < 0x80)
        ok = g_ascii_isalnum (c) || c == '-' || c == '_';
      else
        ok = g_unichar_isgraph (c);

      if (!ok)
        {
          g_autofree char *what = tincan_payload_quote (p, g_utf8_next_char (p) - p);

          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("“%s” is not allowed in a host name"), what);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_host_name (const char  *host,
                 GError     **error)
{
  gsize length = strlen (host);
  const char *end;
  const char *p;

  /* One trailing dot marks a fully qualified name; it is not a label. */
  if (length > 1 && host[length - 1] == '.')
    length--;
  end = host + length;

  if (g_utf8_strlen (host, length) > MAX_HOST_NAME)
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                           _("The host name is longer than 253 characters"));
      return FALSE;
    }

  for (p = host; ; p++)
    {
      const char *dot = memchr (p, '.', end - p);
      const char *label_end = dot != NULL ? dot : end;

      if (label_end == p)
        {
          g_autofree char *shown = tincan_payload_quote (host, -1);

          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("“%s” has an empty part: a dot at the start or two dots in a row"),
                       shown);
          return FALSE;
        }

      if (!check_label (p, label_end - p, error))
        return FALSE;

      if (dot == NULL)
        break;
      p = dot;
    }

  return TRUE;
}

/**
 * tincan_target_check_host:
 * @host: a host as it is stored in #TincanTarget (no brackets)
 * @error: return location for a #TINCAN_TARGET_ERROR
 *
 * Checks that @host is an IPv4 address, an IPv6 address (a zone only on
 * link-local ones) or a plausible host name. Non-ASCII names pass if they are
 * made of visible characters; converting them is GIO's business. Nothing is
 * looked up.
 *
 * Returns: %TRUE if @host is usable, %FALSE with @error set
 *   (EMPTY_HOST or BAD_HOST) if not
 */
gboolean
tincan_target_check_host (const char  *host,
                          GError     **error)
{
  g_autofree char *shown = NULL;
  gboolean all_digits = TRUE;
  gboolean has_digit = FALSE;

  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (host[0] == '\0')
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_EMPTY_HOST,
                           _("Enter a host name or address"));
      return FALSE;
    }

  shown = tincan_payload_quote (host, -1);

  if (!g_utf8_validate (host, -1, NULL))
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("The host “%s” is not valid UTF-8"), shown);
      return FALSE;
    }

  for (const char *p = host; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c))
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("The host “%s” contains a space"), shown);
          return FALSE;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("The host “%s” contains an invisible control character"), shown);
          return FALSE;
        }
      if (g_ascii_isdigit (c))
        has_digit = TRUE;
      else if (c != '.')
        all_digits = FALSE;
    }

  if (host[0] == '[')
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("Write the host “%s” without brackets"), shown);
      return FALSE;
    }

  if (strchr (host, ':') != NULL)
    return check_ipv6 (host, error);

  if (strchr (host, '%') != NULL)
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("“%s” has a zone, but zones are only allowed on link-local IPv6 addresses (fe80::/10)"),
                   shown);
      return FALSE;
    }

  /* Nothing but digits and dots is meant as an address; the resolver would
   * read "1.2.3" or "010.1.1.1" in surprising ways, so only a plain dotted
   * quad is accepted. */
  if (all_digits && has_digit)
    {
      if (!is_ipv4 (host, strlen (host)))
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("“%s” is not a valid IPv4 address"), shown);
          return FALSE;
        }
      return TRUE;
    }

  return check_host_name (host, error);
}

/**
 * tincan_target_parse_port:
 * @text: a port as typed, decimal digits only
 * @port: (out) (optional): the port, set only on success
 * @error: return location for a #TINCAN_TARGET_ERROR
 *
 * Nothing but the digits is accepted: no sign, no spaces. Leading zeros are
 * harmless ("007" is 7).
 *
 * Returns: %TRUE if @text is a port from 1 to 65535, %FALSE with @error set
 *   (BAD_PORT or PORT_RANGE) if not
 */
gboolean
tincan_target_parse_port (const char  *text,
                          guint16     *port,
                          GError     **error)
{
  g_autofree char *shown = NULL;
  guint value = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text[0] == '\0')
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_PORT,
                           _("Enter a port number from 1 to 65535"));
      return FALSE;
    }

  shown = tincan_payload_quote (text, -1);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_PORT,
                       _("“%s” is not a port number: use only the digits 0–9"), shown);
          return FALSE;
        }
      /* Saturate rather than overflow on absurdly long numbers. */
      value = MIN (value * 10 + (guint) (*p - '0'), G_MAXUINT16 + 1);
    }

  if (value == 0 || value > G_MAXUINT16)
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_PORT_RANGE,
                   _("Port %s is out of range (1–65535)"), shown);
      return FALSE;
    }

  if (port != NULL)
    *port = (guint16) value;

  return TRUE;
}

static gboolean
parse_scheme (const char       *scheme,
              gsize             length,
              TincanTransport  *transport,
              GError          **error)
{
  static const struct {
    const char *name;
    TincanTransport transport;
  } schemes[] = {
    { "tcp", TINCAN_TRANSPORT_TCP },
    { "tls", TINCAN_TRANSPORT_TLS },
    { "udp", TINCAN_TRANSPORT_UDP },
  };
  g_autofree char *shown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (length == strlen (schemes[i].name) &&
          g_ascii_strncasecmp (scheme, schemes[i].name, length) == 0)
        {
          *transport = schemes[i].transport;
          return TRUE;
        }
    }

  if (length == 0)
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_SCHEME,
                           _("Nothing comes before “://”: use tcp://, tls:// or udp://"));
      return FALSE;
    }

  shown = tincan_payload_quote (scheme, length);
  g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_SCHEME,
               _("Unknown scheme “%s”: use tcp://, tls:// or udp://"), shown);
  return FALSE;
}

/* The end of both parsers: the port, then the target. Takes @host. */
static TincanTarget *
target_new (TincanTransport   transport,
            char             *host,
            const char       *port_text,
            GError          **error)
{
  g_autofree char *owned = host;
  TincanTarget *target;
  guint16 port;

  if (!tincan_target_parse_port (port_text, &port, error))
    return NULL;

  target = g_new0 (TincanTarget, 1);
  target->transport = transport;
  target->host = g_steal_pointer (&owned);
  target->port = port;

  return target;
}

/* "[v6]" or "[v6]:port": brackets are the one way to give an IPv6 address a
 * port, and they hold nothing else. */
static TincanTarget *
parse_bracketed (const char       *rest,
                 TincanTransport   transport,
                 GError          **error)
{
  const char *close = strchr (rest, ']');
  g_autofree char *host = NULL;
  g_autofree char *shown = NULL;

  if (close == NULL)
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                           _("The “[” before the address has no matching “]”"));
      return NULL;
    }

  host = g_strndup (rest + 1, close - rest - 1);
  shown = tincan_payload_quote (host, -1);

  if (host[0] == '\0')
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_EMPTY_HOST,
                           _("Enter an IPv6 address between the brackets"));
      return NULL;
    }

  if (strchr (host, ':') == NULL)
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("Brackets are only for IPv6 addresses: write “%s” without them"), shown);
      return NULL;
    }

  if (!tincan_target_check_host (host, error))
    return NULL;

  if (close[1] == '\0')
    {
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_MISSING_PORT,
                   _("Add a port after the address, as in “[%s]:7”"), shown);
      return NULL;
    }

  if (close[1] != ':')
    {
      g_autofree char *after = tincan_payload_quote (close + 1, -1);

      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("Expected “:” and a port after “]”, not “%s”"), after);
      return NULL;
    }

  return target_new (transport, g_steal_pointer (&host), close + 2, error);
}

/**
 * tincan_target_parse:
 * @text: what the person typed: "host:port", "[v6]:port", optionally after
 *   "tcp://", "tls://" or "udp://" (any case)
 * @default_transport: the transport when @text has no scheme
 * @error: return location for a #TINCAN_TARGET_ERROR
 *
 * Whitespace around @text is ignored, since it comes in with pasted text;
 * whitespace inside is an error. A bare IPv6 address is refused with
 * MISSING_PORT: "::1:80" could be an address or an address and a port, so a
 * port needs brackets around the address.
 *
 * Returns: (transfer full) (nullable): the target, free with
 *   tincan_target_free(), or %NULL with @error set
 */
TincanTarget *
tincan_target_parse (const char       *text,
                     TincanTransport   default_transport,
                     GError          **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *host = NULL;
  g_autofree char *shown = NULL;
  TincanTransport transport = default_transport;
  const char *rest;
  const char *colon;
  const char *scheme_end;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (default_transport <= TINCAN_TRANSPORT_UDP, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = g_strstrip (g_strdup (text));

  if (copy[0] == '\0')
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_EMPTY_HOST,
                           _("Enter a host and a port, as in “example.org:7”"));
      return NULL;
    }

  rest = copy;
  if ((scheme_end = strstr (copy, "://")) != NULL)
    {
      if (!parse_scheme (copy, scheme_end - copy, &transport, error))
        return NULL;
      rest = scheme_end + 3;
    }

  if (rest[0] == '[')
    return parse_bracketed (rest, transport, error);

  shown = tincan_payload_quote (rest, -1);
  colon = strchr (rest, ':');

  if (colon == NULL)
    {
      if (!tincan_target_check_host (rest, error))
        return NULL;
      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_MISSING_PORT,
                   _("Add a port after the host, as in “%s:7”"), shown);
      return NULL;
    }

  if (strchr (colon + 1, ':') != NULL)
    {
      const char *last = strrchr (rest, ':');
      g_autofree char *before = NULL;

      if (tincan_target_check_host (rest, NULL))
        {
          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_MISSING_PORT,
                       _("Put the IPv6 address in brackets and add a port, as in “[%s]:7”"),
                       shown);
          return NULL;
        }

      before = g_strndup (rest, last - rest);
      if (is_ipv6 (before, strlen (before)))
        {
          g_autofree char *shown_before = tincan_payload_quote (before, -1);
          g_autofree char *shown_port = tincan_payload_quote (last + 1, -1);

          g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                       _("Put the IPv6 address in brackets before the port, as in “[%s]:%s”"),
                       shown_before, shown_port);
          return NULL;
        }

      g_set_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST,
                   _("“%s” is neither “host:port” nor “[IPv6 address]:port”"), shown);
      return NULL;
    }

  host = g_strndup (rest, colon - rest);
  if (host[0] == '\0')
    {
      g_set_error_literal (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_EMPTY_HOST,
                           _("Enter a host before the “:”"));
      return NULL;
    }

  if (!tincan_target_check_host (host, error))
    return NULL;

  return target_new (transport, g_steal_pointer (&host), colon + 1, error);
}

/**
 * tincan_target_to_string:
 * @self: a target
 *
 * Formats @self so that tincan_target_parse() with TCP as the default reads
 * it back: "example.org:7", "tls://[::1]:443". The scheme is left out for TCP.
 *
 * Returns: (transfer full): the text, free with g_free()
 */
char *
tincan_target_to_string (const TincanTarget *self)
{
  const char *scheme = "";
  gboolean bracket;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->host != NULL, NULL);

  if (self->transport == TINCAN_TRANSPORT_TLS)
    scheme = "tls://";
  else if (self->transport == TINCAN_TRANSPORT_UDP)
    scheme = "udp://";

  bracket = strchr (self->host, ':') != NULL;

  return g_strdup_printf ("%s%s%s%s:%u", scheme,
                          bracket ? "[" : "", self->host, bracket ? "]" : "",
                          self->port);
}

/**
 * tincan_target_free:
 * @self: (nullable): a target
 *
 * Frees @self and its host.
 */
void
tincan_target_free (TincanTarget *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self);
}

/**
 * tincan_transport_to_string:
 * @transport: a transport
 *
 * Returns: (transfer none): "tcp", "tls" or "udp", the scheme names that
 *   tincan_target_parse() reads
 */
const char *
tincan_transport_to_string (TincanTransport transport)
{
  switch (transport)
    {
    case TINCAN_TRANSPORT_TCP:
      return "tcp";
    case TINCAN_TRANSPORT_TLS:
      return "tls";
    case TINCAN_TRANSPORT_UDP:
      return "udp";
    default:
      g_return_val_if_reached (NULL);
    }
}
