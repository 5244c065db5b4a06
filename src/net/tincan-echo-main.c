/* tincan-echo-main.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* tincan-echo: Tincan's built-in echo server as a command-line tool. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "tincan-echo-server.h"

#define DEFAULT_PORT 7777

/* Exit statuses: 2 for a bad command line, as most tools do; 1 when the
 * arguments were fine but the server could not start. */
#define EXIT_USAGE 2

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information."), g_get_prgname ());
  g_printerr ("\n");

  return EXIT_USAGE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = DEFAULT_PORT;
  gboolean udp = FALSE;
  gboolean version = FALSE;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *bind_address = NULL;
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(TincanEchoServer) server = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  TincanTransport transport;
  const char *scheme;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on, 0 for any free port (default: 7777)"), N_("PORT") },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &bind_address,
      N_("IPv4 or IPv6 address to listen on (default: 127.0.0.1)"), N_("ADDRESS") },
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &udp,
      N_("Echo UDP datagrams instead of a TCP stream"), NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file,
      N_("Serve TLS with this PEM certificate (needs --tls-key)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("PEM private key of the TLS certificate"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("tincan-echo");

  option_context = g_option_context_new (NULL);
  g_option_context_set_summary (option_context,
                                _("Send back everything clients send, over TCP, TLS or UDP."));
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return usage_error ("%s", error->message);

  if (version)
    {
      g_print ("tincan-echo %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc > 1)
    return usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (port < 0 || port > G_MAXUINT16)
    return usage_error (_("Port %d is out of range (0 to 65535)"), port);

  if (bind_address != NULL)
    {
      inet = g_inet_address_new_from_string (bind_address);
      if (inet == NULL)
        return usage_error (_("“%s” is not an IPv4 or IPv6 address"), bind_address);
    }

  if ((cert_file == NULL) != (key_file == NULL))
    return usage_error (_("--tls-cert and --tls-key go together"));

  if (cert_file != NULL && udp)
    return usage_error (_("TLS over UDP (DTLS) is not supported"));

  if (cert_file != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
      if (certificate == NULL)
        return usage_error (_("Cannot load the TLS certificate: %s"), error->message);
    }

  if (udp)
    {
      transport = TINCAN_TRANSPORT_UDP;
      scheme = "udp";
    }
  else if (certificate != NULL)
    {
      transport = TINCAN_TRANSPORT_TLS;
      scheme = "tls";
    }
  else
    {
      transport = TINCAN_TRANSPORT_TCP;
      scheme = "tcp";
    }

  server = tincan_echo_server_new (transport);
  tincan_echo_server_set_tls_certificate (server, certificate);

  if (!tincan_echo_server_start (server, bind_address, port, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* Not translated: scripts and tests read this line to learn the port. */
  address = tincan_echo_server_dup_address (server);
  g_print ("Listening on %s://%s\n", scheme, address);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  tincan_echo_server_stop (server);

  return EXIT_SUCCESS;
}
