/* tincan-cli.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The command line is parsed here rather than by GApplication so that the
 * same code serves the first instance and every remote invocation, and so
 * that tests can drive it with a table of argument vectors. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-cli.h"
#include "tincan-export.h"
#include "tincan-log-reader.h"
#include "tincan-payload.h"

G_DEFINE_QUARK (tincan-cli-error-quark, tincan_cli_error)

typedef struct
{
  char     *framing;
  char     *mode;
  char     *log;
  char     *export;
  char     *output;
  char     *workspace;
  gboolean  local_echo;
  gboolean  no_proxy;
  gboolean  new_window;
  gboolean  help;
  gboolean  version;
  GStrv     rest;
} RawOptions;

static GOptionContext *
make_context (RawOptions *raw)
{
  const GOptionEntry entries[] = {
    { "framing", 'f', 0, G_OPTION_ARG_STRING, &raw->framing,
      N_("How messages are cut: raw, lf, crlf, nul, u8, u16be, u16le, u32be, u32le, u64be, u64le, or delim:HEX"), N_("FRAMING") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &raw->mode,
      N_("persistent (keep the connection open) or per-message (one connection each)"), N_("MODE") },
    { "local-echo", 'e', 0, G_OPTION_ARG_NONE, &raw->local_echo,
      N_("Start the built-in echo server and connect to it"), NULL },
    { "no-proxy", 0, 0, G_OPTION_ARG_NONE, &raw->no_proxy,
      N_("Connect directly, ignoring the system’s proxy settings and http_proxy"), NULL },
    { "new-window", 0, 0, G_OPTION_ARG_NONE, &raw->new_window,
      N_("Open a new window instead of a tab in the focused one"), NULL },
    { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, &raw->workspace,
      N_("Open the tabs of the workspace FILE in a new window, not connected"), N_("FILE") },
    { "log", 'l', 0, G_OPTION_ARG_FILENAME, &raw->log,
      N_("Append every transcript entry to FILE as JSON Lines"), N_("FILE") },
    { "export", 0, 0, G_OPTION_ARG_STRING, &raw->export,
      N_("Write the log given instead of a target as text, csv, jsonl, hexdump, c or pcapng, then exit"),
      N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &raw->output,
      N_("Where --export writes: FILE"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &raw->version, N_("Show the version"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &raw->help, N_("Show this help"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &raw->rest, NULL, N_("[TARGET]") },
    { NULL }
  };
  GOptionContext *context;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Talk to network servers by hand.\n\n"
      "TARGET is host:port, [IPv6 address]:port, or tcp://, tls:// or udp://host:port."));
  g_option_context_set_description (context,
    _("Examples:\n"
      "  tincan localhost:7\n"
      "  tincan --framing=lf tls://example.org:443\n"
      "  tincan --mode=per-message --log=traffic.jsonl udp://[::1]:9000\n"
      "  tincan --local-echo\n"
      "  tincan --export=pcapng --output=traffic.pcapng traffic.jsonl"));
  /* --help is ours: GOption would print and exit() the whole primary instance. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return context;
}

static void
raw_options_clear (RawOptions *raw)
{
  g_clear_pointer (&raw->framing, g_free);
  g_clear_pointer (&raw->mode, g_free);
  g_clear_pointer (&raw->log, g_free);
  g_clear_pointer (&raw->export, g_free);
  g_clear_pointer (&raw->output, g_free);
  g_clear_pointer (&raw->workspace, g_free);
  g_clear_pointer (&raw->rest, g_strfreev);
}

/**
 * tincan_command_line_help:
 *
 * Returns: (transfer full): the --help text
 */
char *
tincan_command_line_help (void)
{
  RawOptions raw = { 0 };
  g_autoptr(GOptionContext) context = make_context (&raw);

  return g_option_context_get_help (context, TRUE, NULL);
}

static gboolean
bad_argument (GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad_argument (GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TINCAN_CLI_ERROR, TINCAN_CLI_ERROR_BAD_ARGUMENT, message);
  return FALSE;
}

/* --export=FORMAT --output=FILE LOG: no target, no connection. */
static gboolean
convert_export (RawOptions         *raw,
                TincanCommandLine  *self,
                GError            **error)
{
  guint n_rest = raw->rest ? g_strv_length (raw->rest) : 0;

  if (raw->export == NULL)
    return raw->output == NULL || bad_argument (error, _("--output is for --export; give --export too"));

  if (!tincan_export_format_from_name (raw->export, &self->export_format))
    {
      g_autofree char *shown = tincan_payload_quote (raw->export, -1);

      return bad_argument (error,
                           _("--export: “%s” is not a format; use text, csv, jsonl, hexdump, c or pcapng"),
                           shown);
    }
  if (raw->output == NULL || raw->output[0] == '\0')
    return bad_argument (error, _("--export needs --output=FILE, the file to write"));
  if (n_rest != 1 || raw->local_echo)
    return bad_argument (error, _("--export reads one log: give its file name, and no target"));

  self->export_set = TRUE;
  self->output_path = g_steal_pointer (&raw->output);
  self->export_log = g_strdup (raw->rest[0]);
  return TRUE;
}

static gboolean
convert (RawOptions         *raw,
         TincanCommandLine  *self,
         GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  guint n_rest = raw->rest ? g_strv_length (raw->rest) : 0;

  if (raw->framing != NULL &&
      !(self->framing = tincan_framing_new_from_name (raw->framing, &local_error)))
    return bad_argument (error, _("--framing: %s"), local_error->message);

  if (raw->mode != NULL)
    {
      if (g_str_equal (raw->mode, "persistent"))
        self->mode = TINCAN_CONNECTION_PERSISTENT;
      else if (g_str_equal (raw->mode, "per-message"))
        self->mode = TINCAN_CONNECTION_PER_MESSAGE;
      else
        {
          g_autofree char *shown = tincan_payload_quote (raw->mode, -1);

          return bad_argument (error, _("--mode: “%s” is not a mode; use persistent or per-message"),
                               shown);
        }
      self->mode_set = TRUE;
    }

  if (raw->log != NULL && raw->log[0] == '\0')
    return bad_argument (error, _("--log: the file name is empty"));

  if (!convert_export (raw, self, error))
    return FALSE;
  if (self->export_set)
    n_rest = 0;

  if (n_rest > 1)
    {
      g_autofree char *first = tincan_payload_quote (raw->rest[0], -1);
      g_autofree char *second = tincan_payload_quote (raw->rest[1], -1);

      return bad_argument (error, _("Too many targets: “%s” and “%s”; give one"), first, second);
    }

  if (n_rest == 1)
    {
      g_autofree char *shown = tincan_payload_quote (raw->rest[0], -1);

      if (raw->local_echo)
        return bad_argument (error, _("--local-echo connects to its own server; leave out the target “%s”"),
                             shown);
      if (raw->rest[0][0] == '-')
        return bad_argument (error, _("Unknown option “%s”"), shown);
      if (!(self->target = tincan_target_parse (raw->rest[0], TINCAN_TRANSPORT_TCP, &local_error)))
        return bad_argument (error, _("Target “%s”: %s"), shown, local_error->message);
    }

  self->local_echo = raw->local_echo;
  self->no_proxy = raw->no_proxy;
  self->new_window = raw->new_window;
  self->show_help = raw->help;
  self->show_version = raw->version;
  self->log_path = g_steal_pointer (&raw->log);
  self->workspace_path = g_steal_pointer (&raw->workspace);

  return TRUE;
}

/**
 * tincan_command_line_parse:
 * @argv: (array zero-terminated=1): the arguments, argv[0] the program name
 *
 * Returns: (transfer full) (nullable): what was asked for, or %NULL with
 *   @error set to a sentence that names the bad argument
 */
TincanCommandLine *
tincan_command_line_parse (char   **argv,
                           GError **error)
{
  g_autoptr(TincanCommandLine) self = g_new0 (TincanCommandLine, 1);
  g_auto(GStrv) args = g_strdupv (argv);
  RawOptions raw = { 0 };
  g_autoptr(GOptionContext) context = make_context (&raw);
  g_autoptr(GError) parse_error = NULL;
  gboolean ok;

  g_return_val_if_fail (argv != NULL, NULL);

  ok = g_option_context_parse_strv (context, &args, &parse_error);
  if (!ok && g_error_matches (parse_error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
    {
      /* GOption only says "Invalid byte sequence in conversion input" for a
       * non-UTF-8 string argument (found by fuzz-cli): name the argument,
       * its bad bytes escaped as payloads show them. */
      g_autofree char *shown = NULL;

      for (guint i = 1; argv[i] != NULL && shown == NULL; i++)
        if (!g_utf8_validate (argv[i], -1, NULL))
          shown = tincan_payload_quote (argv[i], -1);
      bad_argument (error, _("“%s” is not valid UTF-8 text"), shown ? shown : "");
    }
  else if (!ok)
    {
      /* GOption's own errors ("Unknown option -x…") quote arguments whole. */
      g_autoptr(GString) message = g_string_new (parse_error->message);

      for (guint i = 1; argv[i] != NULL; i++)
        {
          g_autofree char *shown = tincan_payload_quote (argv[i], -1);

          if (!g_str_equal (shown, argv[i]))
            g_string_replace (message, argv[i], shown, 0);
        }
      g_set_error_literal (error, parse_error->domain, parse_error->code, message->str);
    }
  ok = ok && convert (&raw, self, error);
  raw_options_clear (&raw);

  return ok ? g_steal_pointer (&self) : NULL;
}

void
tincan_command_line_free (TincanCommandLine *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->target, tincan_target_free);
  g_clear_pointer (&self->framing, tincan_framing_unref);
  g_clear_pointer (&self->log_path, g_free);
  g_clear_pointer (&self->workspace_path, g_free);
  g_clear_pointer (&self->export_log, g_free);
  g_clear_pointer (&self->output_path, g_free);
  g_free (self);
}

/**
 * tincan_command_line_run_export:
 * @self: a command line with export_set
 *
 * Reads the log and writes the export, with no display: all or nothing
 * (tincan_export_write_file()).
 *
 * Returns: %TRUE, or %FALSE with @error set to a sentence that names the
 *   file (and for a bad log line, the line)
 */
gboolean
tincan_command_line_run_export (TincanCommandLine  *self,
                                GError            **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) connections = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (self != NULL && self->export_set, FALSE);

  shown = g_filename_display_name (self->export_log);
  if (!tincan_log_read_file (self->export_log, &messages, &connections, NULL, &local_error))
    {
      if (local_error->domain == TINCAN_LOG_READER_ERROR)
        /* TRANSLATORS: a log's file name, and "Line 3: ..." */
        return bad_argument (error, _("%s: %s"), shown, local_error->message);
      return bad_argument (error, _("Cannot read the log “%s”: %s"), shown, local_error->message);
    }

  return tincan_export_write_file (self->export_format,
                                   (TincanMessage * const *) messages->pdata, messages->len,
                                   connections, self->output_path, NULL, NULL, NULL, error);
}
