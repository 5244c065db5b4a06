/* test-cli.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <sys/wait.h>

#include "tincan-cli.h"

typedef struct
{
  const char *args;        /* split on spaces; argv[0] is added */
  gboolean    ok;
  const char *target;      /* tincan_target_to_string, or NULL for none */
  const char *framing;     /* tincan_framing_dup_name, or NULL for unset */
  int         mode;        /* -1 unset */
  gboolean    local_echo;
  const char *log;
  const char *error_part;  /* a piece the error must name */
  gboolean    no_proxy;
} CliCase;

static const CliCase cases[] = {
  { "", TRUE, NULL, NULL, -1 },
  { "localhost:7", TRUE, "localhost:7", NULL, -1 },
  { "127.0.0.1:9000", TRUE, "127.0.0.1:9000", NULL, -1 },
  { "[::1]:7", TRUE, "[::1]:7", NULL, -1 },
  { "tcp://example.org:80", TRUE, "example.org:80", NULL, -1 },
  { "tls://example.org:443", TRUE, "tls://example.org:443", NULL, -1 },
  { "udp://[::1]:53", TRUE, "udp://[::1]:53", NULL, -1 },
  { "UDP://host:1", TRUE, "udp://host:1", NULL, -1 },
  { "--framing=lf host:1", TRUE, "host:1", "lf", -1 },
  { "--no-proxy host:1", TRUE, "host:1", NULL, -1, .no_proxy = TRUE },
  { "--framing crlf host:1", TRUE, "host:1", "crlf", -1 },
  { "-f nul host:1", TRUE, "host:1", "nul", -1 },
  { "--framing=raw host:1", TRUE, "host:1", "raw", -1 },
  { "--framing=u8 host:1", TRUE, "host:1", "u8", -1 },
  { "--framing=u16be host:1", TRUE, "host:1", "u16be", -1 },
  { "--framing=u16le host:1", TRUE, "host:1", "u16le", -1 },
  { "--framing=u32be host:1", TRUE, "host:1", "u32be", -1 },
  { "--framing=u32le host:1", TRUE, "host:1", "u32le", -1 },
  { "--mode=persistent host:1", TRUE, "host:1", NULL, TINCAN_CONNECTION_PERSISTENT },
  { "--mode=per-message host:1", TRUE, "host:1", NULL, TINCAN_CONNECTION_PER_MESSAGE },
  { "--local-echo", TRUE, NULL, NULL, -1, TRUE },
  { "--local-echo --framing=lf", TRUE, NULL, "lf", -1, TRUE },
  { "--log=out.jsonl host:1", TRUE, "host:1", NULL, -1, FALSE, "out.jsonl" },
  { "--log /tmp/x.jsonl --local-echo", TRUE, NULL, NULL, -1, TRUE, "/tmp/x.jsonl" },
  { "host:1 --mode=per-message", TRUE, "host:1", NULL, TINCAN_CONNECTION_PER_MESSAGE },
  /* --export reads a log: no target. */
  { "--export=pcapng --output=out.pcapng in.jsonl", TRUE, NULL, NULL, -1 },
  { "--export=csv in.jsonl", FALSE, .error_part = "--output" },
  { "--export=csv --output= in.jsonl", FALSE, .error_part = "--output" },
  { "--output=out.csv host:1", FALSE, .error_part = "--export" },
  { "--export=xml --output=out in.jsonl", FALSE, .error_part = "“xml”" },
  { "--export=csv --output=out", FALSE, .error_part = "log" },
  { "--export=csv --output=out a.jsonl b.jsonl", FALSE, .error_part = "one log" },
  { "--export=csv --output=out --local-echo a.jsonl", FALSE, .error_part = "no target" },
  /* Bad input: each names what is wrong. */
  { "--framing=lines host:1", FALSE, .error_part = "lines" },
  { "--framing= host:1", FALSE, .error_part = "--framing" },
  { "--framing", FALSE, .error_part = "framing" },
  { "--mode=sometimes host:1", FALSE, .error_part = "sometimes" },
  { "--mode", FALSE, .error_part = "mode" },
  { "--log=", FALSE, .error_part = "--log" },
  { "--bogus", FALSE, .error_part = "--bogus" },
  { "-x", FALSE, .error_part = "-x" },
  { "host:1 other:2", FALSE, .error_part = "other:2" },
  { "--local-echo host:1", FALSE, .error_part = "host:1" },
  { "host", FALSE, .error_part = "host" },
  { "host:", FALSE, .error_part = "host:" },
  { ":80", FALSE, .error_part = ":80" },
  { "host:0", FALSE, .error_part = "0" },
  { "host:65536", FALSE, .error_part = "65536" },
  { "host:-1", FALSE, .error_part = "-1" },
  { "host:http", FALSE, .error_part = "http" },
  { "ftp://host:21", FALSE, .error_part = "ftp" },
  { "::1:80", FALSE, .error_part = "::1:80" },
  { "[::1:80", FALSE, .error_part = "[::1:80" },
  { "[1.2.3.4]:80", FALSE, .error_part = "1.2.3.4" },
  { "ho%st:80", FALSE, .error_part = "ho%st" },
  { "ho\tst:80", FALSE, .error_part = "ho" },
  { "a..b:80", FALSE, .error_part = "a..b" },
  /* GOption converts arguments from the locale's encoding: UTF-8 here. */
  { "bücher.example:80", TRUE, "bücher.example:80", NULL, -1 },
  { "--mode=persistent tls://bücher.example:443", TRUE, "tls://bücher.example:443", NULL,
    TINCAN_CONNECTION_PERSISTENT },
  /* fuzz-cli: GOption's own error for a non-UTF-8 argument named nothing. */
  { "\xff\xfe:1", FALSE, .error_part = "“\\xff\\xfe:1”" },
  { "--framing=\xff host:1", FALSE, .error_part = "“--framing=\\xff”" },
};

static char **
split_args (const char *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit (args, " ", -1);

  g_strv_builder_add (builder, "tincan");
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_strv_builder_add (builder, words[i]);

  return g_strv_builder_end (builder);
}

static void
test_case (gconstpointer data)
{
  const CliCase *c = data;
  g_auto(GStrv) argv = split_args (c->args);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanCommandLine) options = tincan_command_line_parse (argv, &error);

  if (!c->ok)
    {
      g_assert_null (options);
      g_assert_nonnull (error);
      if (strstr (error->message, c->error_part) == NULL)
        g_error ("“%s”: error “%s” does not name “%s”", c->args, error->message, c->error_part);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (options);

  if (c->target == NULL)
    g_assert_null (options->target);
  else
    {
      g_autofree char *target = NULL;

      g_assert_nonnull (options->target);
      target = tincan_target_to_string (options->target);
      g_assert_cmpstr (target, ==, c->target);
    }

  if (c->framing == NULL)
    g_assert_null (options->framing);
  else
    {
      g_autofree char *name = tincan_framing_dup_name (options->framing);
      g_assert_cmpstr (name, ==, c->framing);
    }

  g_assert_cmpint (options->mode_set ? (int) options->mode : -1, ==, c->mode);
  g_assert_cmpint (options->local_echo, ==, c->local_echo);
  g_assert_cmpint (options->no_proxy, ==, c->no_proxy);
  g_assert_cmpstr (options->log_path, ==, c->log);
}

static void
test_help (void)
{
  g_auto(GStrv) argv = split_args ("--help");
  g_autoptr(TincanCommandLine) options = tincan_command_line_parse (argv, NULL);
  g_autofree char *help = tincan_command_line_help ();

  g_assert_nonnull (options);
  g_assert_true (options->show_help);
  g_assert_nonnull (strstr (help, "--framing"));
  g_assert_nonnull (strstr (help, "--local-echo"));
  g_assert_nonnull (strstr (help, "--log"));
  g_assert_nonnull (strstr (help, "tls://"));
}

/* A 100 KB argument is quoted shortened, not echoed back whole. */
static void
test_long_arguments (void)
{
  /* Around the long word: what comes before and after it. */
  static const char *around[][2] = {
    { "", ":80" }, { "--mode=", "" }, { "--framing=", "" }, { "a:1 ", ":2" }, { "-", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (around); i++)
    {
      g_autofree char *word = g_strnfill (100 * 1024, 'x');
      g_autofree char *args = g_strconcat (around[i][0], word, around[i][1], NULL);
      g_auto(GStrv) argv = split_args (args);
      g_autoptr(GError) error = NULL;
      g_autoptr(TincanCommandLine) options = tincan_command_line_parse (argv, &error);

      g_assert_null (options);
      g_assert_nonnull (error);
      g_assert_cmpuint (strlen (error->message), <, 600);
      g_assert_nonnull (strstr (error->message, "xxx…"));
    }
}

/* What only main () decides: the locale. Run the real program, in the
 * UTF-8 locale the suite sets, on what it answers without a display. */
static void
run_tincan (const char  *arg1,
            const char  *arg2,
            char       **out,
            char       **err,
            int         *status)
{
  const char *argv[] = { BUILD_BIN_DIR "/tincan", arg1, arg2, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &wait_status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);
}

static void
test_process_utf8 (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  int status;

  /* The target is parsed (and accepted) before --help is answered. */
  run_tincan ("--help", "bücher.example:80", &out, &err, &status);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "[OPTION…]"));

  run_tincan ("bücher.example:0", NULL, &out2, &err2, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "“bücher.example:0”"));
  g_assert_nonnull (strstr (err2, "(1–65535)"));
  g_assert_null (strchr (err2, '?'));
}

static void
test_process_long_target (void)
{
  g_autofree char *word = g_strnfill (100 * 1024, 'x');
  g_autofree char *target = g_strconcat (word, ":80", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_tincan (target, NULL, &out, &err, &status);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpuint (strlen (err), <, 600);
  g_assert_nonnull (strstr (err, "xxx…"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/app/cli/%s/%u", cases[i].ok ? "good" : "bad", i);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/app/cli/help", test_help);
  g_test_add_func ("/app/cli/long-arguments", test_long_arguments);
  g_test_add_func ("/app/cli/process/utf8", test_process_utf8);
  g_test_add_func ("/app/cli/process/long-target", test_process_long_target);

  return g_test_run ();
}
