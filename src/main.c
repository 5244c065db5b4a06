/* main.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib/gi18n.h>

#include "tincan-application.h"
#include "tincan-log.h"

/* The exit status when a log given with --log lost entries or failed. */
#define TINCAN_EXIT_LOG_FAILED 3
#define LOG_FINISH_TIMEOUT (2 * G_USEC_PER_SEC)

/* Run from the build tree (no `meson install`), the schema is not installed:
 * use the one compiled into the build folder rather than abort. */
static void
find_uninstalled_schema (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe ? g_path_get_dirname (exe) : NULL;

  if (g_strcmp0 (exe_dir, BUILD_BIN_DIR) == 0 && g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", BUILD_SCHEMA_DIR, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TincanApplication) app = NULL;
  g_autofree char *report = NULL;
  int status;

  /* Without the user's locale, GOption converts arguments from ASCII (so
   * "bücher.example" is refused) and g_print turns "–" and "…" into "?". */
  setlocale (LC_ALL, "");
  /* A log on a pipe whose reader went away must fail with EPIPE, which the
   * window reports, rather than kill the whole app. */
  signal (SIGPIPE, SIG_IGN);

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  find_uninstalled_schema ();

  app = tincan_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* Closed logs drain on their own; give them a moment, never forever (a
   * pipe nobody reads), and say what did not reach them. */
  report = tincan_log_finish_all (LOG_FINISH_TIMEOUT);
  if (report != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (report, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_printerr ("tincan: %s\n", lines[i]);
      if (status == 0)
        status = TINCAN_EXIT_LOG_FAILED;
    }

  return status;
}
