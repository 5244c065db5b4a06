/* test-tabs.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's tabs (issue 15): open with the current tab's settings, switch,
 * close down to the empty page, move a tab to a new window, and the marks a
 * tab shows for what happened while it was not looked at. */

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "tincan-application.h"
#include "tincan-test-util.h"
#include "tincan-window.h"

#define DEADLINE_MS 30000

static TincanApplication *app;

static TincanWindow *
new_window (void)
{
  TincanWindow *window = tincan_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (TincanWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tincan_test_drain_context (NULL);
}

static AdwTabPage *
page_of (TincanWindow       *window,
         TincanConversation *conversation)
{
  return adw_tab_view_get_page (tincan_window_get_tab_view (window), GTK_WIDGET (conversation));
}

static void
test_open_switch_close (void)
{
  TincanWindow *window = new_window ();
  TincanConversation *first = tincan_window_get_conversation (window);
  TincanConversation *second;
  g_autoptr(TincanTarget) target = tincan_target_parse ("tls://[::1]:6379", TINCAN_TRANSPORT_TCP,
                                                        NULL);
  GtkStack *stack;
  g_autofree char *copied = NULL;

  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 1);
  tincan_conversation_set_target (first, target);
  tincan_conversation_set_name (first, "Cache");
  g_assert_cmpstr (adw_tab_page_get_title (page_of (window, first)), ==, "Cache");

  /* Ctrl+T's action: a new tab with this tab's settings, not its name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-tab", NULL));
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 2);
  second = tincan_window_get_conversation (window);
  g_assert_true (second != first);
  copied = tincan_conversation_dup_target (second);
  g_assert_cmpstr (copied, ==, "tls://[::1]:6379");
  g_assert_null (tincan_conversation_get_name (second));
  g_assert_cmpstr (adw_tab_page_get_title (page_of (window, second)), ==, "tls://[::1]:6379");
  g_assert_nonnull (strstr (adw_tab_page_get_tooltip (page_of (window, second)), "Disconnected"));

  /* Switching changes what the window's actions run on. */
  g_assert_true (adw_tab_view_select_previous_page (tincan_window_get_tab_view (window)));
  g_assert_true (tincan_window_get_conversation (window) == first);
  tincan_window_select_tab (window, second);
  g_assert_true (tincan_window_get_conversation (window) == second);

  /* Ctrl+W closes the selected tab; the last one leaves the empty page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 1);
  g_assert_true (tincan_window_get_conversation (window) == first);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 0);
  g_assert_null (tincan_window_get_conversation (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), TINCAN_TYPE_WINDOW,
                                                    "content_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  /* With no tab, the conversation's actions cannot run... */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL) &&
                  tincan_window_get_conversation (window) != NULL);
  /* ...and a new tab can be opened from there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-tab", NULL));
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "tabs");

  close_window (window);
}

static guint
count_windows (void)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

/* What dragging a tab out does, through the tab's menu: the same
 * conversation, now in a window of its own that it follows. */
static void
test_move_to_new_window (void)
{
  TincanWindow *window = new_window ();
  TincanConversation *moved;
  TincanWindow *other;
  guint before = count_windows ();

  moved = tincan_window_add_tab (window, NULL);
  g_object_set (window, "view-mode", TINCAN_VIEW_HEX, NULL);
  g_assert_cmpint (tincan_conversation_get_view_mode (moved), ==, TINCAN_VIEW_HEX);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tab.move-to-new-window", NULL));
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (count_windows (), ==, before + 1);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 1);
  other = TINCAN_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (moved), TINCAN_TYPE_WINDOW));
  g_assert_true (other != window);
  g_assert_true (tincan_window_get_conversation (other) == moved);

  /* It follows its new window's view, not the old one's. */
  g_object_set (other, "view-mode", TINCAN_VIEW_PYTHON, NULL);
  g_assert_cmpint (tincan_conversation_get_view_mode (moved), ==, TINCAN_VIEW_PYTHON);
  g_object_set (window, "view-mode", TINCAN_VIEW_TEXT, NULL);
  g_assert_cmpint (tincan_conversation_get_view_mode (moved), ==, TINCAN_VIEW_PYTHON);

  /* The last tab moved out of a window closes it. */
  adw_tab_view_transfer_page (tincan_window_get_tab_view (other), page_of (other, moved),
                              tincan_window_get_tab_view (window), 1);
  tincan_test_drain_context (NULL);
  g_assert_cmpuint (count_windows (), ==, before);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 2);

  close_window (window);
}

static gboolean
needs_attention (gpointer data)
{
  return adw_tab_page_get_needs_attention (data);
}

static gboolean
page_idle (gpointer data)
{
  return !adw_tab_page_get_loading (data) &&
         tincan_session_get_state (tincan_conversation_get_session (
           TINCAN_CONVERSATION (adw_tab_page_get_child (data)))) == TINCAN_SESSION_CONNECTED;
}

/* A tab in the background that gets traffic is marked until it is looked at. */
static void
test_background_activity (void)
{
  TincanWindow *window = new_window ();
  TincanConversation *background = tincan_window_get_conversation (window);
  TincanConversation *front = tincan_window_add_tab (window, NULL);
  AdwTabPage *page = page_of (window, background);
  g_autoptr(GError) error = NULL;

  g_assert_false (adw_tab_page_get_needs_attention (page));
  g_assert_true (tincan_conversation_start_local_echo (background, &error));
  g_assert_no_error (error);
  tincan_test_wait_for (NULL, needs_attention, page, DEADLINE_MS);
  tincan_test_wait_for (NULL, page_idle, page, DEADLINE_MS);
  g_assert_false (adw_tab_page_get_needs_attention (page_of (window, front)));

  tincan_window_select_tab (window, background);
  g_assert_false (adw_tab_page_get_needs_attention (page));

  /* Closing a connected tab closes its connection with it. */
  g_object_ref (background);
  tincan_window_close_tab (window, background);
  tincan_test_drain_context (NULL);
  g_assert_finalize_object (background);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 1);

  close_window (window);
}

static TincanWorkspaceConnection *
make_tab (const char           *name,
          const char           *host,
          guint16               port,
          TincanTransport       transport,
          const char           *framing,
          TincanConnectionMode  mode,
          gboolean              no_proxy)
{
  TincanWorkspaceConnection *tab = tincan_workspace_connection_new ();

  g_free (tab->name);
  tab->name = g_strdup (name);
  g_free (tab->host);
  tab->host = g_strdup (host);
  tab->port = port;
  tab->transport = transport;
  g_free (tab->framing);
  tab->framing = g_strdup (framing);
  tab->mode = mode;
  tab->no_proxy = no_proxy;
  return tab;
}

/* A workspace's tabs open filled in and not connected, and the window gives
 * back the same workspace, also through a file. */
static void
test_workspace_round_trip (void)
{
  g_autoptr(TincanWorkspace) workspace = tincan_workspace_new ();
  g_autoptr(TincanWorkspace) back = NULL;
  g_autoptr(TincanWorkspace) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-tabs-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "lab.tincan-workspace", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GPtrArray *tabs = tincan_workspace_get_tabs (workspace);
  TincanWindow *window;

  g_assert_no_error (error);
  g_ptr_array_add (tabs, make_tab ("Cache", "::1", 6379, TINCAN_TRANSPORT_TLS, "crlf",
                                   TINCAN_CONNECTION_PER_MESSAGE, TRUE));
  g_ptr_array_add (tabs, make_tab (NULL, "", 0, TINCAN_TRANSPORT_TCP, "raw",
                                   TINCAN_CONNECTION_PERSISTENT, FALSE));
  g_ptr_array_add (tabs, make_tab (NULL, "example.org", 7, TINCAN_TRANSPORT_UDP, "delim:03",
                                   TINCAN_CONNECTION_PERSISTENT, FALSE));
  tincan_workspace_set_selected_tab (workspace, 2);

  window = tincan_window_new_empty (app);
  gtk_window_present (GTK_WINDOW (window));
  tincan_window_add_workspace_tabs (window, workspace);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 3);
  g_assert_true (tincan_window_get_conversation (window) == tincan_window_get_tab (window, 2));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (tincan_session_get_state (tincan_conversation_get_session (
                       tincan_window_get_tab (window, i))), ==, TINCAN_SESSION_DISCONNECTED);
  g_assert_cmpstr (adw_tab_page_get_title (page_of (window, tincan_window_get_tab (window, 0))),
                   ==, "Cache");

  back = tincan_window_dup_workspace (window);
  g_assert_true (tincan_workspace_equal (back, workspace));

  g_assert_true (tincan_workspace_save (back, file, &error));
  g_assert_no_error (error);
  reread = tincan_workspace_load (file, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_workspace_equal (reread, workspace));

  close_window (window);

  /* Opened from its file, the window names it; a change marks it unsaved,
   * switching tabs does not. */
  window = tincan_window_new_empty (app);
  gtk_window_present (GTK_WINDOW (window));
  tincan_window_open_workspace (window, file, reread);
  g_assert_cmpuint (tincan_window_get_n_tabs (window), ==, 3);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "lab — Tincan");
  g_assert_false (tincan_window_get_workspace_changed (window));
  tincan_window_select_tab (window, tincan_window_get_tab (window, 0));
  g_assert_false (tincan_window_get_workspace_changed (window));
  tincan_conversation_set_name (tincan_window_get_tab (window, 1), "Scratch");
  g_assert_true (tincan_window_get_workspace_changed (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "• lab — Tincan");
  close_window (window);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }

  app = tincan_application_new ("io.github.tincan.Tincan.TestTabs", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/ui/tabs/open-switch-close", test_open_switch_close);
  g_test_add_func ("/ui/tabs/move-to-new-window", test_move_to_new_window);
  g_test_add_func ("/ui/tabs/background-activity", test_background_activity);
  g_test_add_func ("/ui/tabs/workspace-round-trip", test_workspace_round_trip);

  return g_test_run ();
}
