/* tincan-application.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-application.h"
#include "tincan-cli.h"
#include "tincan-window.h"

struct _TincanApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (TincanApplication, tincan_application, ADW_TYPE_APPLICATION)

TincanApplication *
tincan_application_new (const char        *application_id,
                        GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (TINCAN_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

static void
tincan_application_activate (GApplication *app)
{
  GtkWindow *window;

  g_assert (TINCAN_IS_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (tincan_window_new (TINCAN_APPLICATION (app)));

  gtk_window_present (window);
}

static gboolean
apply_command_line (TincanConversation  *conversation,
                    TincanCommandLine   *options,
                    GFile               *cwd,
                    GError             **error)
{
  if (options->log_path != NULL)
    {
      /* A relative path is relative to where `tincan` was run, which for a
       * remote invocation is not our working directory. */
      g_autoptr(GFile) file = g_file_resolve_relative_path (cwd, options->log_path);

      if (!tincan_conversation_record_to (conversation, file, FALSE, error))
        return FALSE;
    }

  if (options->framing != NULL)
    tincan_conversation_set_framing (conversation, options->framing);
  if (options->mode_set)
    tincan_conversation_set_mode (conversation, options->mode);
  if (options->no_proxy)
    tincan_conversation_set_no_proxy (conversation, TRUE);

  if (options->local_echo)
    return tincan_conversation_start_local_echo (conversation, error);

  if (options->target != NULL)
    {
      tincan_conversation_set_target (conversation, options->target);
      tincan_conversation_connect (conversation);
    }

  return TRUE;
}

static char *
parse_error_text (const GError *error)
{
  return g_strdup_printf ("tincan: %s\n%s\n", error->message,
                          _("Run “tincan --help” to see the options."));
}

/* A window with the tabs of the workspace at @path (one new tab when it has
 * none); nothing opens when the file cannot be read or is not a workspace. */
static TincanWindow *
open_workspace (TincanApplication  *app,
                GFile              *cwd,
                const char         *path,
                GError            **error)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (cwd, path);
  g_autoptr(TincanWorkspace) workspace = tincan_workspace_load (file, error);
  TincanWindow *window;

  if (workspace == NULL)
    return NULL;

  window = tincan_window_new_empty (app);
  tincan_window_open_workspace (window, file, workspace);
  return window;
}

/* Whether the command line asks for a conversation of its own. */
static gboolean
wants_a_tab (const TincanCommandLine *options)
{
  return options->target != NULL || options->local_echo || options->log_path != NULL ||
         options->framing != NULL || options->mode_set || options->no_proxy;
}

/* In the primary instance, for every invocation. --help, --version and bad
 * arguments never get here: local_command_line () answered them in the
 * process that was run. What it asks for opens as a tab of the focused
 * window (the selected tab itself when nothing happened there yet, as the
 * first window's tab), or with --new-window in a window of its own. */
static int
tincan_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *command_line)
{
  g_auto(GStrv) argv = g_application_command_line_get_arguments (command_line, NULL);
  g_autoptr(TincanCommandLine) options = NULL;
  g_autoptr(GFile) cwd = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  TincanWindow *window = TINCAN_IS_WINDOW (active) ? TINCAN_WINDOW (active) : NULL;
  TincanConversation *conversation;
  gboolean new_window;
  gboolean new_tab = FALSE;

  if (!(options = tincan_command_line_parse (argv, &error)))
    {
      g_autofree char *text = parse_error_text (error);

      g_application_command_line_printerr (command_line, "%s", text);
      return 2;
    }

  cwd = g_file_new_for_path (g_application_command_line_get_cwd (command_line) ?: ".");
  new_window = options->new_window || window == NULL || options->workspace_path != NULL;

  if (options->workspace_path != NULL)
    {
      if (!(window = open_workspace (TINCAN_APPLICATION (app), cwd, options->workspace_path,
                                     &error)))
        {
          g_application_command_line_printerr (command_line, "tincan: %s\n", error->message);
          return 2;
        }
    }
  else if (new_window)
    window = tincan_window_new (TINCAN_APPLICATION (app));
  conversation = tincan_window_get_conversation (window);
  if (options->workspace_path != NULL && wants_a_tab (options))
    conversation = tincan_window_add_tab (window, NULL);
  if (!new_window && wants_a_tab (options) &&
      (conversation == NULL || !tincan_conversation_is_pristine (conversation)))
    {
      conversation = tincan_window_add_tab (window, NULL);
      new_tab = TRUE;
    }
  gtk_window_present (GTK_WINDOW (window));

  if (conversation != NULL && !apply_command_line (conversation, options, cwd, &error))
    {
      g_application_command_line_printerr (command_line, "tincan: %s\n", error->message);
      if (new_window)
        gtk_window_destroy (GTK_WINDOW (window));
      else if (new_tab)
        tincan_window_close_tab (window, conversation);
      return 2;
    }

  return 0;
}

/* Help, the version and bad arguments are answered right here, before any
 * display or bus is needed; the rest goes to the primary instance. */
static gboolean
tincan_application_local_command_line (GApplication   *app,
                                       char         ***arguments,
                                       int            *exit_status)
{
  g_autoptr(TincanCommandLine) options = NULL;
  g_autoptr(GError) error = NULL;

  /* GApplication's own options (--gapplication-service) are its business. */
  if (g_strv_contains ((const char * const *) *arguments, "--gapplication-service"))
    return G_APPLICATION_CLASS (tincan_application_parent_class)->local_command_line (app, arguments,
                                                                                     exit_status);

  if (!(options = tincan_command_line_parse (*arguments, &error)))
    {
      g_autofree char *text = parse_error_text (error);

      g_printerr ("%s", text);
      *exit_status = 2;
      return TRUE;
    }

  if (options->show_help || options->show_version)
    {
      g_autofree char *help = options->show_help ? tincan_command_line_help () : NULL;

      g_print ("%s\n", help ? help : "tincan " PACKAGE_VERSION);
      *exit_status = 0;
      return TRUE;
    }

  /* Logs captured elsewhere (in CI) are exported with no display and no bus. */
  if (options->export_set)
    {
      if (tincan_command_line_run_export (options, &error))
        *exit_status = 0;
      else
        {
          g_printerr ("tincan: %s\n", error->message);
          *exit_status = 2;
        }
      return TRUE;
    }

  return G_APPLICATION_CLASS (tincan_application_parent_class)->local_command_line (app, arguments,
                                                                                   exit_status);
}

static void
tincan_application_class_init (TincanApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = tincan_application_activate;
  app_class->command_line = tincan_application_command_line;
  app_class->local_command_line = tincan_application_local_command_line;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TincanWindow *window = tincan_window_new (TINCAN_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Tincan Authors", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  GtkWidget *about;

  /* Run from the build folder, the icon is not installed: use the source's. */
  if (!gtk_icon_theme_has_icon (theme, APP_ID))
    gtk_icon_theme_add_search_path (theme, SOURCE_ICON_DIR);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Tincan"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Tincan Authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/tincan/tincan",
                        "issue-url", "https://github.com/tincan/tincan/issues",
                        "comments", _("Talk to network servers by hand: TCP, TLS and UDP, "
                                      "text, escapes and hex, framing, and a built-in echo server."),
                        "developers", developers,
                        "copyright", _("© 2026 The Tincan Authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  tincan_a11y_fix_popup (about);
  tincan_a11y_name_mnemonic_buttons (about);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "about", about_action },
};

static void
tincan_application_init (TincanApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<primary>n", NULL });
}
