/* test-target.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "tincan-target.h"

#define OK (-1)
#define TCP TINCAN_TRANSPORT_TCP
#define TLS TINCAN_TRANSPORT_TLS
#define UDP TINCAN_TRANSPORT_UDP

typedef struct
{
  const char       *text;
  TincanTransport   default_transport;
  int               code;        /* a TincanTargetError, or OK */
  TincanTransport   transport;
  const char       *host;
  guint16           port;
  const char       *canonical;   /* tincan_target_to_string() */
} TargetCase;

#define LABEL63 "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abc"
/* 250 characters: 3 × 63 + 3 dots + 58 */
#define NAME250 LABEL63 "." LABEL63 "." LABEL63 "." "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefgh"

static const TargetCase cases[] = {
  /* good */
  { "example.org:7", TCP, OK, TCP, "example.org", 7, "example.org:7" },
  { "localhost:80", TCP, OK, TCP, "localhost", 80, "localhost:80" },
  { "127.0.0.1:8080", TCP, OK, TCP, "127.0.0.1", 8080, "127.0.0.1:8080" },
  { "0.0.0.0:1", TCP, OK, TCP, "0.0.0.0", 1, "0.0.0.0:1" },
  { "255.255.255.255:65535", TCP, OK, TCP, "255.255.255.255", 65535, "255.255.255.255:65535" },
  { "[::1]:443", TCP, OK, TCP, "::1", 443, "[::1]:443" },
  { "[::]:1", TCP, OK, TCP, "::", 1, "[::]:1" },
  { "[2001:db8::1]:8080", TCP, OK, TCP, "2001:db8::1", 8080, "[2001:db8::1]:8080" },
  { "[1:2:3:4:5:6:7:8]:9", TCP, OK, TCP, "1:2:3:4:5:6:7:8", 9, "[1:2:3:4:5:6:7:8]:9" },
  { "[1::]:9", TCP, OK, TCP, "1::", 9, "[1::]:9" },
  { "[::ffff:1.2.3.4]:80", TCP, OK, TCP, "::ffff:1.2.3.4", 80, "[::ffff:1.2.3.4]:80" },
  { "[1:2:3:4:5:6:1.2.3.4]:80", TCP, OK, TCP, "1:2:3:4:5:6:1.2.3.4", 80, "[1:2:3:4:5:6:1.2.3.4]:80" },
  { "[FE80::ABCD]:80", TCP, OK, TCP, "FE80::ABCD", 80, "[FE80::ABCD]:80" },
  { "[fe80::1%eth0]:22", TCP, OK, TCP, "fe80::1%eth0", 22, "[fe80::1%eth0]:22" },
  { "[febf::1%wlp2s0]:22", TCP, OK, TCP, "febf::1%wlp2s0", 22, "[febf::1%wlp2s0]:22" },
  { "[ff02::1%en_0.1]:5353", UDP, OK, UDP, "ff02::1%en_0.1", 5353, "udp://[ff02::1%en_0.1]:5353" },
  { "tls://example.org:443", TCP, OK, TLS, "example.org", 443, "tls://example.org:443" },
  { "TLS://example.org:443", TCP, OK, TLS, "example.org", 443, "tls://example.org:443" },
  { "Udp://[::1]:53", TCP, OK, UDP, "::1", 53, "udp://[::1]:53" },
  { "udp://10.0.0.1:53", TCP, OK, UDP, "10.0.0.1", 53, "udp://10.0.0.1:53" },
  { "tcp://example.org:7", UDP, OK, TCP, "example.org", 7, "example.org:7" },
  { "example.org:7", UDP, OK, UDP, "example.org", 7, "udp://example.org:7" },
  { "example.org:7", TLS, OK, TLS, "example.org", 7, "tls://example.org:7" },
  { "example.org.:7", TCP, OK, TCP, "example.org.", 7, "example.org.:7" },
  { "my_host:1", TCP, OK, TCP, "my_host", 1, "my_host:1" },
  { "a-b.c-d:65535", TCP, OK, TCP, "a-b.c-d", 65535, "a-b.c-d:65535" },
  { "1host.example:7", TCP, OK, TCP, "1host.example", 7, "1host.example:7" },
  { "xn--bcher-kva.example:80", TCP, OK, TCP, "xn--bcher-kva.example", 80, "xn--bcher-kva.example:80" },
  { "b\xc3\xbc" "cher.example:80", TCP, OK, TCP, "b\xc3\xbc" "cher.example", 80, "b\xc3\xbc" "cher.example:80" },
  { "\xe4\xbe\x8b\xe3\x81\x88.jp:80", TCP, OK, TCP, "\xe4\xbe\x8b\xe3\x81\x88.jp", 80, "\xe4\xbe\x8b\xe3\x81\x88.jp:80" },
  { "  example.org:7\n", TCP, OK, TCP, "example.org", 7, "example.org:7" },
  { "example.org:007", TCP, OK, TCP, "example.org", 7, "example.org:7" },
  { LABEL63 ".example:1", TCP, OK, TCP, LABEL63 ".example", 1, LABEL63 ".example:1" },
  { NAME250 ".io:1", TCP, OK, TCP, NAME250 ".io", 1, NAME250 ".io:1" },
  { NAME250 ".io.:1", TCP, OK, TCP, NAME250 ".io.", 1, NAME250 ".io.:1" },

  /* no host */
  { "", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },
  { "   ", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },
  { ":80", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },
  { ":65536", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },
  { "tcp://:80", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },
  { "[]:80", TCP, TINCAN_TARGET_ERROR_EMPTY_HOST },

  /* no port */
  { "example.org", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "tls://example.org", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "1.2.3.4", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "::1", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "::", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "2001:db8::1", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "::1:80", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "fe80::1%eth0", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },
  { "[::1]", TCP, TINCAN_TARGET_ERROR_MISSING_PORT },

  /* bad port */
  { "example.org:", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "[::1]:", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:-1", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:+5", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org: 7", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:7a", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:0x10", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:http", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "tcp://example.org:80/", TCP, TINCAN_TARGET_ERROR_BAD_PORT },
  { "example.org:0", TCP, TINCAN_TARGET_ERROR_PORT_RANGE },
  { "example.org:65536", TCP, TINCAN_TARGET_ERROR_PORT_RANGE },
  { "example.org:99999999999999999999", TCP, TINCAN_TARGET_ERROR_PORT_RANGE },
  { "[::1]:0", TCP, TINCAN_TARGET_ERROR_PORT_RANGE },

  /* bad scheme */
  { "http://example.org:80", TCP, TINCAN_TARGET_ERROR_BAD_SCHEME },
  { "ftp://[::1]:21", TCP, TINCAN_TARGET_ERROR_BAD_SCHEME },
  { "://example.org:80", TCP, TINCAN_TARGET_ERROR_BAD_SCHEME },
  { "tcps://example.org:80", TCP, TINCAN_TARGET_ERROR_BAD_SCHEME },
  { "tc p://example.org:80", TCP, TINCAN_TARGET_ERROR_BAD_SCHEME },

  /* bad host */
  { "exa mple.org:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "exa\tmple.org:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a\x01" "b:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a\xe2\x80\xae" "b:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a\xe2\x80\x8b" "b:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a\xc2\xa0" "b:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "\xff:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a..b:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { ".a:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { ".:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a..:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "-a.com:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a-.com:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a.-com:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "ex!ample:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "user@host:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "host/path:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "b\xc3\xbc\xe2\x80\xa8" "cher:7", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { LABEL63 "x.example:1", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { NAME250 ".com:1", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1.2.3.256:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1.2.3:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1.2.3.4.5:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1.2.3.4.:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "01.2.3.4:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1234.1.1.1:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "1..2.3:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "80:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1.2.3.4]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[example.org]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1]x", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1]80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[:::1]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1::2::3]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1:2:3:4:5:6:7:8:9]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1:2:3:4:5:6:7]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1:2:3:4:5:6:7:8::]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[12345::1]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::g]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1:]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[:1]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1.2.3]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1.2.3.4:5]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[1:2:3:4:5:6:7:1.2.3.4]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[fe80::1%]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[fe80::1%eth/0]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[fe80::1%et h0]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[2001:db8::1%eth0]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "[::1%lo]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a%eth0:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "2001:db8::1:99999", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "a:b:c", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "tcp:example.org:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
  { "]:80", TCP, TINCAN_TARGET_ERROR_BAD_HOST },
};

static void
test_parse_table (void)
{
  guint good = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TargetCase *c = &cases[i];
      g_autoptr(TincanTarget) target = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      target = tincan_target_parse (c->text, c->default_transport, &error);

      if (c->code != OK)
        {
          g_assert_null (target);
          g_assert_error (error, TINCAN_TARGET_ERROR, c->code);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpstr (error->message, !=, "");
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (target);
      g_assert_cmpint (target->transport, ==, c->transport);
      g_assert_cmpstr (target->host, ==, c->host);
      g_assert_cmpuint (target->port, ==, c->port);

      /* what to_string() writes, parse() reads back */
      {
        g_autofree char *text = tincan_target_to_string (target);
        g_autoptr(TincanTarget) again = NULL;

        g_assert_cmpstr (text, ==, c->canonical);
        again = tincan_target_parse (text, TCP, &error);
        g_assert_no_error (error);
        g_assert_cmpint (again->transport, ==, target->transport);
        g_assert_cmpstr (again->host, ==, target->host);
        g_assert_cmpuint (again->port, ==, target->port);
      }

      g_assert_true (tincan_target_check_host (target->host, NULL));
      good++;
    }

  g_assert_cmpuint (good, >=, 20);
  g_assert_cmpuint (G_N_ELEMENTS (cases) - good, >=, 40);
}

typedef struct
{
  const char *text;
  const char *message;
} MessageCase;

/* The messages people will read, word for word (in the C locale). */
static const MessageCase messages[] = {
  { "example.org:0", "Port 0 is out of range (1–65535)" },
  { "example.org:65536", "Port 65536 is out of range (1–65535)" },
  { "example.org:7a", "“7a” is not a port number: use only the digits 0–9" },
  { "example.org:", "Enter a port number from 1 to 65535" },
  { "http://example.org:80", "Unknown scheme “http”: use tcp://, tls:// or udp://" },
  { "://example.org:80", "Nothing comes before “://”: use tcp://, tls:// or udp://" },
  { "", "Enter a host and a port, as in “example.org:7”" },
  { ":80", "Enter a host before the “:”" },
  { "[]:80", "Enter an IPv6 address between the brackets" },
  { "example.org", "Add a port after the host, as in “example.org:7”" },
  { "::1", "Put the IPv6 address in brackets and add a port, as in “[::1]:7”" },
  { "[::1]", "Add a port after the address, as in “[::1]:7”" },
  { "2001:db8::1:99999", "Put the IPv6 address in brackets before the port, as in “[2001:db8::1]:99999”" },
  { "a:b:c", "“a:b:c” is neither “host:port” nor “[IPv6 address]:port”" },
  { "[::1:80", "The “[” before the address has no matching “]”" },
  { "[::1]x", "Expected “:” and a port after “]”, not “x”" },
  { "[1.2.3.4]:80", "Brackets are only for IPv6 addresses: write “1.2.3.4” without them" },
  { "[::g]:80", "“::g” is not a valid IPv6 address" },
  { "[fe80::1%]:80", "The zone after “%” in “fe80::1%” is empty; name an interface, as in “%eth0”" },
  { "[fe80::1%a/b]:80", "The zone in “fe80::1%a/b” may only contain letters, digits, “.”, “-” and “_”" },
  { "[::1%lo]:80", "“::1%lo” has a zone, but zones are only allowed on link-local IPv6 addresses (fe80::/10)" },
  { "1.2.3:80", "“1.2.3” is not a valid IPv4 address" },
  { "exa mple:80", "The host “exa mple” contains a space" },
  { "a\x1b" "b:80", "The host “a\\x1bb” contains an invisible control character" },
  { "a\xe2\x80\xae" "b:80", "The host “a\\u{202e}b” contains an invisible control character" },
  { "\xff:80", "The host “\\xff” is not valid UTF-8" },
  { "a..b:80", "“a..b” has an empty part: a dot at the start or two dots in a row" },
  { "-a:80", "The part “-a” of the host name starts or ends with “-”" },
  { "a!:80", "“!” is not allowed in a host name" },
  { LABEL63 "x:80", "The part “abcdefghijabcdefghijabcdefghijabcdefghijabcdefg…” of the host name is longer than 63 characters" },
  { NAME250 ".com:1", "The host name is longer than 253 characters" },
};

static void
test_messages (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(TincanTarget) target = NULL;
      g_autoptr(GError) error = NULL;

      target = tincan_target_parse (messages[i].text, TCP, &error);
      g_assert_null (target);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, messages[i].message);
    }
}

static void
test_check_host (void)
{
  static const struct {
    const char *host;
    int code;
  } hosts[] = {
    { "example.org", OK },
    { "localhost", OK },
    { "1.2.3.4", OK },
    { "::1", OK },
    { "::ffff:1.2.3.4", OK },
    { "fe80::1%eth0", OK },
    { "b\xc3\xbc" "cher.example", OK },
    { "a", OK },
    { "a.", OK },
    { "", TINCAN_TARGET_ERROR_EMPTY_HOST },
    { ".", TINCAN_TARGET_ERROR_BAD_HOST },
    { "[::1]", TINCAN_TARGET_ERROR_BAD_HOST },
    { "[example.org]", TINCAN_TARGET_ERROR_BAD_HOST },
    { "example.org:80", TINCAN_TARGET_ERROR_BAD_HOST },
    { " example.org", TINCAN_TARGET_ERROR_BAD_HOST },
    { "example.org\n", TINCAN_TARGET_ERROR_BAD_HOST },
    { "256.1.1.1", TINCAN_TARGET_ERROR_BAD_HOST },
    { "123", TINCAN_TARGET_ERROR_BAD_HOST },
    { "a%b", TINCAN_TARGET_ERROR_BAD_HOST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = tincan_target_check_host (hosts[i].host, &error);

      if (hosts[i].code == OK)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, TINCAN_TARGET_ERROR, hosts[i].code);
          g_assert_false (ok);
        }
    }

  /* the error is optional */
  g_assert_false (tincan_target_check_host ("a..b", NULL));
}

static void
test_parse_port (void)
{
  static const struct {
    const char *text;
    int code;
    guint16 port;
  } ports[] = {
    { "1", OK, 1 },
    { "7", OK, 7 },
    { "443", OK, 443 },
    { "65535", OK, 65535 },
    { "0065535", OK, 65535 },
    { "", TINCAN_TARGET_ERROR_BAD_PORT },
    { " 7", TINCAN_TARGET_ERROR_BAD_PORT },
    { "7 ", TINCAN_TARGET_ERROR_BAD_PORT },
    { "-1", TINCAN_TARGET_ERROR_BAD_PORT },
    { "+5", TINCAN_TARGET_ERROR_BAD_PORT },
    { "7a", TINCAN_TARGET_ERROR_BAD_PORT },
    { "1e3", TINCAN_TARGET_ERROR_BAD_PORT },
    { "\xd9\xa7", TINCAN_TARGET_ERROR_BAD_PORT },   /* ARABIC-INDIC DIGIT SEVEN */
    { "0", TINCAN_TARGET_ERROR_PORT_RANGE },
    { "000", TINCAN_TARGET_ERROR_PORT_RANGE },
    { "65536", TINCAN_TARGET_ERROR_PORT_RANGE },
    { "4294967297", TINCAN_TARGET_ERROR_PORT_RANGE },
    { "99999999999999999999999999999999", TINCAN_TARGET_ERROR_PORT_RANGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 port = 4242;
      gboolean ok = tincan_target_parse_port (ports[i].text, &port, &error);

      if (ports[i].code == OK)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (port, ==, ports[i].port);
        }
      else
        {
          g_assert_error (error, TINCAN_TARGET_ERROR, ports[i].code);
          g_assert_false (ok);
          g_assert_cmpuint (port, ==, 4242);
        }
    }

  /* both out arguments are optional */
  g_assert_true (tincan_target_parse_port ("80", NULL, NULL));
  g_assert_false (tincan_target_parse_port ("0", NULL, NULL));
}

static void
test_transport_to_string (void)
{
  g_assert_cmpstr (tincan_transport_to_string (TINCAN_TRANSPORT_TCP), ==, "tcp");
  g_assert_cmpstr (tincan_transport_to_string (TINCAN_TRANSPORT_TLS), ==, "tls");
  g_assert_cmpstr (tincan_transport_to_string (TINCAN_TRANSPORT_UDP), ==, "udp");

  /* a value outside the enum is a programming error, not a crash */
  g_test_expect_message ("Tincan-Protocol", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
  g_assert_null (tincan_transport_to_string ((TincanTransport) 42));
  g_test_assert_expected_messages ();

  /* each name is a scheme parse() accepts */
  for (TincanTransport t = TINCAN_TRANSPORT_TCP; t <= TINCAN_TRANSPORT_UDP; t++)
    {
      g_autofree char *text = g_strdup_printf ("%s://h:1", tincan_transport_to_string (t));
      g_autoptr(TincanTarget) target = tincan_target_parse (text, TINCAN_TRANSPORT_TCP, NULL);

      g_assert_nonnull (target);
      g_assert_cmpint (target->transport, ==, t);
    }
}

static void
test_to_string (void)
{
  TincanTarget target = { TINCAN_TRANSPORT_TLS, (char *) "::1", 443 };
  g_autofree char *tls = tincan_target_to_string (&target);
  g_autofree char *tcp = NULL;

  g_assert_cmpstr (tls, ==, "tls://[::1]:443");

  target.transport = TINCAN_TRANSPORT_TCP;
  target.host = (char *) "example.org";
  target.port = 7;
  tcp = tincan_target_to_string (&target);
  g_assert_cmpstr (tcp, ==, "example.org:7");

  /* freeing nothing is allowed, like g_free() */
  tincan_target_free (NULL);
}

static void
test_long_input (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanTarget) target = NULL;

  /* A pasted wall of text gets a short message, not the wall quoted back. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "ab ");
  g_string_append (text, ":80");

  target = tincan_target_parse (text->str, TCP, &error);
  g_assert_error (error, TINCAN_TARGET_ERROR, TINCAN_TARGET_ERROR_BAD_HOST);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 120);
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (TINCAN_TARGET_ERROR), ==, "tincan-target-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/target/parse", test_parse_table);
  g_test_add_func ("/protocol/target/messages", test_messages);
  g_test_add_func ("/protocol/target/check-host", test_check_host);
  g_test_add_func ("/protocol/target/parse-port", test_parse_port);
  g_test_add_func ("/protocol/target/to-string", test_to_string);
  g_test_add_func ("/protocol/target/transport-to-string", test_transport_to_string);
  g_test_add_func ("/protocol/target/long-input", test_long_input);
  g_test_add_func ("/protocol/target/error-quark", test_error_quark);

  return g_test_run ();
}
