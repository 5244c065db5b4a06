/* tincan-window-tabs.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's tabs: one TincanConversation per AdwTabPage. A page shows its
 * conversation's name or target, a spinner while connecting, a mark for what
 * arrived while it was not looked at, and a warning icon after an error; its
 * tooltip has the whole target and the state. What a page shows follows its
 * conversation wherever the page goes: the glue is made once, on the page,
 * and AdwTabView moves the same page object between windows. What belongs to
 * the window (its view mode and compact rows) is bound when a page is
 * attached and undone when it leaves.
 *
 * Closing the last tab leaves the window open on a page that offers a new
 * one; dragging the last tab out to another window closes the window, as a
 * browser does. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-window-private.h"

#define VIEW_BINDING "tincan-window-view-binding"
#define COMPACT_BINDING "tincan-window-compact-binding"

static const char *state_labels[] = {
  [TINCAN_SESSION_DISCONNECTED] = N_("Disconnected"),
  [TINCAN_SESSION_RESOLVING] = N_("Resolving…"),
  [TINCAN_SESSION_CONNECTING] = N_("Connecting…"),
  [TINCAN_SESSION_TLS_HANDSHAKE] = N_("TLS handshake…"),
  [TINCAN_SESSION_CONNECTED] = N_("Connected"),
  [TINCAN_SESSION_CLOSING] = N_("Closing…"),
};

static TincanConversation *
page_conversation (AdwTabPage *page)
{
  return TINCAN_CONVERSATION (adw_tab_page_get_child (page));
}

/* The tooltip's target always has its scheme: "tcp://example.org:7". */
static char *
page_tooltip (TincanConversation *conversation,
              TincanSessionState  state)
{
  g_autofree char *target = tincan_conversation_dup_target (conversation);
  TincanTransport transport = tincan_session_get_transport (tincan_conversation_get_session (conversation));
  const char *name = tincan_conversation_get_name (conversation);
  g_autofree char *full = NULL;

  if (target == NULL)
    full = g_strdup (_("No target yet"));
  else if (strstr (target, "://") == NULL && transport == TINCAN_TRANSPORT_TCP)
    full = g_strconcat ("tcp://", target, NULL);
  else
    full = g_strdup (target);

  if (name != NULL)
    return g_markup_printf_escaped ("<b>%s</b>\n%s\n%s", name, full, _(state_labels[state]));
  return g_markup_printf_escaped ("%s\n%s", full, _(state_labels[state]));
}

static void
update_page (AdwTabPage *page)
{
  TincanConversation *conversation = page_conversation (page);
  TincanSessionState state = tincan_session_get_state (tincan_conversation_get_session (conversation));
  g_autofree char *target = tincan_conversation_dup_target (conversation);
  g_autofree char *tooltip = page_tooltip (conversation, state);
  const char *name = tincan_conversation_get_name (conversation);

  adw_tab_page_set_title (page, name ?: target ?: _("New Tab"));
  adw_tab_page_set_tooltip (page, tooltip);
  adw_tab_page_set_loading (page, tincan_session_state_is_connecting (state));

  /* A new attempt takes the last error's mark away. */
  if (tincan_session_state_is_connecting (state))
    {
      adw_tab_page_set_indicator_icon (page, NULL);
      adw_tab_page_set_indicator_tooltip (page, "");
    }
}

static void
session_messages_cb (TincanSession *session,
                     GPtrArray     *messages,
                     AdwTabPage    *page)
{
  const TincanMessage *error = NULL;

  for (guint i = 0; i < messages->len; i++)
    {
      const TincanMessage *message = g_ptr_array_index (messages, i);

      if (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_ERROR)
        error = message;
    }

  if (!adw_tab_page_get_selected (page))
    adw_tab_page_set_needs_attention (page, TRUE);

  if (error != NULL)
    {
      g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning-symbolic");
      const GError *gerror = tincan_message_get_error (error);

      adw_tab_page_set_indicator_icon (page, icon);
      adw_tab_page_set_indicator_tooltip (page, gerror != NULL ? gerror->message : "");
    }
}

/* Made once per page, on the page: it goes with it to another window. */
static void
setup_page (AdwTabPage *page)
{
  TincanConversation *conversation = page_conversation (page);
  TincanSession *session = tincan_conversation_get_session (conversation);

  g_signal_connect_object (session, "notify::state", G_CALLBACK (update_page), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "messages", G_CALLBACK (session_messages_cb), page, 0);
  g_signal_connect_object (conversation, "settings-changed", G_CALLBACK (update_page), page,
                           G_CONNECT_SWAPPED);
  update_page (page);
}

/**
 * tincan_window_add_tab:
 * @source: (nullable): a conversation whose settings the new one copies
 *
 * Opens a tab at the end and selects it.
 *
 * Returns: (transfer none): the new tab's conversation
 */
TincanConversation *
tincan_window_add_tab (TincanWindow       *self,
                       TincanConversation *source)
{
  TincanConversation *conversation;
  AdwTabPage *page;

  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (source == NULL || TINCAN_IS_CONVERSATION (source), NULL);

  conversation = g_object_new (TINCAN_TYPE_CONVERSATION, NULL);
  if (source != NULL)
    tincan_conversation_copy_settings (conversation, source);

  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (conversation));
  setup_page (page);
  adw_tab_view_set_selected_page (self->tab_view, page);
  return conversation;
}

/**
 * tincan_window_close_tab:
 *
 * Closes @conversation's tab, and with it its connection.
 */
void
tincan_window_close_tab (TincanWindow       *self,
                         TincanConversation *conversation)
{
  AdwTabPage *page;

  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (TINCAN_IS_CONVERSATION (conversation));

  page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (conversation));
  g_return_if_fail (page != NULL);
  adw_tab_view_close_page (self->tab_view, page);
}

guint
tincan_window_get_n_tabs (TincanWindow *self)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), 0);

  return adw_tab_view_get_n_pages (self->tab_view);
}

/**
 * tincan_window_get_tab:
 *
 * Returns: (transfer none): the conversation of the tab at @position
 */
TincanConversation *
tincan_window_get_tab (TincanWindow *self,
                       guint         position)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);
  g_return_val_if_fail ((int) position < adw_tab_view_get_n_pages (self->tab_view), NULL);

  return page_conversation (adw_tab_view_get_nth_page (self->tab_view, position));
}

void
tincan_window_select_tab (TincanWindow       *self,
                          TincanConversation *conversation)
{
  AdwTabPage *page;

  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (TINCAN_IS_CONVERSATION (conversation));

  page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (conversation));
  g_return_if_fail (page != NULL);
  adw_tab_view_set_selected_page (self->tab_view, page);
}

/**
 * tincan_window_dup_workspace:
 *
 * Returns: (transfer full): a workspace with this window's tabs (their
 *   settings, not their traffic) and which one is selected
 */
TincanWorkspace *
tincan_window_dup_workspace (TincanWindow *self)
{
  TincanWorkspace *workspace;
  AdwTabPage *selected;

  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);

  workspace = tincan_workspace_new ();
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    g_ptr_array_add (tincan_workspace_get_tabs (workspace),
                     tincan_conversation_dup_settings (tincan_window_get_tab (self, i)));
  selected = adw_tab_view_get_selected_page (self->tab_view);
  if (selected != NULL)
    tincan_workspace_set_selected_tab (workspace,
                                       adw_tab_view_get_page_position (self->tab_view, selected));
  return workspace;
}

/**
 * tincan_window_add_workspace_tabs:
 *
 * Opens a tab for each of @workspace's, filled in and not connected (one
 * click, or Ctrl+Shift+Return, connects), and selects the one it had
 * selected.
 */
void
tincan_window_add_workspace_tabs (TincanWindow    *self,
                                  TincanWorkspace *workspace)
{
  GPtrArray *tabs;
  guint first;
  guint selected;

  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (workspace != NULL);

  tabs = tincan_workspace_get_tabs (workspace);
  first = tincan_window_get_n_tabs (self);
  for (guint i = 0; i < tabs->len; i++)
    tincan_conversation_apply_settings (tincan_window_add_tab (self, NULL),
                                        g_ptr_array_index (tabs, i));
  if (tabs->len == 0)
    return;
  selected = MIN (tincan_workspace_get_selected_tab (workspace), tabs->len - 1);
  tincan_window_select_tab (self, tincan_window_get_tab (self, first + selected));
}

AdwTabView *
tincan_window_get_tab_view (TincanWindow *self)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);

  return self->tab_view;
}

/* Template callbacks */

static void
selected_page_changed_cb (TincanWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  g_clear_pointer (&self->peer_binding, g_binding_unbind);
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_func (self->conversation, _tincan_window_sync_actions, self);

  self->conversation = page != NULL ? page_conversation (page) : NULL;
  gtk_stack_set_visible_child_name (self->content_stack, page != NULL ? "tabs" : "empty");

  if (self->conversation != NULL)
    {
      adw_tab_page_set_needs_attention (page, FALSE);
      self->peer_binding = g_object_bind_property (self->conversation, "peer",
                                                   self->window_title, "subtitle",
                                                   G_BINDING_SYNC_CREATE);
      g_signal_connect_object (self->conversation, "actions-changed",
                               G_CALLBACK (_tincan_window_sync_actions), self, G_CONNECT_SWAPPED);
      tincan_conversation_focus_default (self->conversation);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->empty_page));
    }

  _tincan_window_sync_actions (self);
}

/* The tab bar makes a tab's widgets when the page arrives, after us. */
static gboolean
fix_tab_bar_idle (gpointer data)
{
  TincanWindow *self = data;

  if (self->tab_bar != NULL)
    tincan_a11y_fix_tab_bar (GTK_WIDGET (self->tab_bar));
  return G_SOURCE_REMOVE;
}

static void
page_attached_cb (TincanWindow *self,
                  AdwTabPage   *page)
{
  TincanConversation *conversation = page_conversation (page);
  GBinding *binding;

  binding = g_object_bind_property (self, "view-mode", conversation, "view-mode",
                                    G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (conversation), VIEW_BINDING, binding);
  binding = g_object_bind_property (self, "compact",
                                    tincan_conversation_get_transcript_view (conversation),
                                    "compact", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (conversation), COMPACT_BINDING, binding);
  g_idle_add_full (G_PRIORITY_DEFAULT, fix_tab_bar_idle, g_object_ref (self), g_object_unref);
  g_signal_connect_object (conversation, "settings-changed",
                           G_CALLBACK (_tincan_window_update_title), self, G_CONNECT_SWAPPED);
  _tincan_window_sync_actions (self);
  _tincan_window_update_title (self);
}

static gboolean
close_if_empty_idle (gpointer data)
{
  TincanWindow *self = data;

  if (self->tab_view != NULL && adw_tab_view_get_n_pages (self->tab_view) == 0)
    gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
page_detached_cb (TincanWindow *self,
                  AdwTabPage   *page)
{
  GObject *conversation = G_OBJECT (page_conversation (page));
  gboolean closed = self->closing_page;

  g_binding_unbind (g_object_steal_data (conversation, VIEW_BINDING));
  g_binding_unbind (g_object_steal_data (conversation, COMPACT_BINDING));
  g_signal_handlers_disconnect_by_func (conversation, _tincan_window_update_title, self);
  self->closing_page = FALSE;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  /* Its last tab went to another window: nothing is left here. Not now:
   * the tab view is still in the middle of the transfer. */
  if (adw_tab_view_get_n_pages (self->tab_view) == 0 && !closed)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_if_empty_idle, g_object_ref (self), g_object_unref);
  _tincan_window_sync_actions (self);
  _tincan_window_update_title (self);
}

static gboolean
close_page_cb (TincanWindow *self,
               AdwTabPage   *page)
{
  self->closing_page = TRUE;
  return GDK_EVENT_PROPAGATE;   /* the default handler closes it */
}

static void
setup_menu_cb (TincanWindow *self,
               AdwTabPage   *page)
{
  self->menu_page = page;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.move-to-new-window",
                                 adw_tab_view_get_n_pages (self->tab_view) > 1);
}

/* A tab dropped outside every window opens one of its own. */
static AdwTabView *
create_window_cb (TincanWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  TincanWindow *window = tincan_window_new_empty (TINCAN_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  return window->tab_view;
}

/* Actions */

static AdwTabPage *
action_page (TincanWindow *self)
{
  return self->menu_page ?: adw_tab_view_get_selected_page (self->tab_view);
}

static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);

  tincan_window_add_tab (self, self->conversation);
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  AdwTabPage *page = g_str_equal (action_name, "tab.close")
                     ? action_page (self) : adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static void
move_to_new_window_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  AdwTabPage *page = action_page (self);
  AdwTabView *view;

  if (page == NULL || adw_tab_view_get_n_pages (self->tab_view) < 2)
    return;

  view = create_window_cb (self);
  adw_tab_view_transfer_page (self->tab_view, page, view, 0);
}

void
_tincan_window_class_tabs_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, empty_box);
  gtk_widget_class_bind_template_callback (widget_class, selected_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_attached_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_detached_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_menu_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_window_cb);

  gtk_widget_class_install_action (widget_class, "win.new-tab", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "tab.close", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "tab.move-to-new-window", NULL,
                                   move_to_new_window_action);
}

void
_tincan_window_tabs_init (TincanWindow *self)
{
  /* Ctrl+Home and Ctrl+End stay the text's (and Ctrl+End is the
   * transcript's "jump to latest"). */
  adw_tab_view_set_shortcuts (self->tab_view,
                              ADW_TAB_VIEW_SHORTCUT_ALL_SHORTCUTS
                              & ~(ADW_TAB_VIEW_SHORTCUT_CONTROL_HOME
                                  | ADW_TAB_VIEW_SHORTCUT_CONTROL_END
                                  | ADW_TAB_VIEW_SHORTCUT_CONTROL_SHIFT_HOME
                                  | ADW_TAB_VIEW_SHORTCUT_CONTROL_SHIFT_END));
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
  tincan_a11y_fix_popup (GTK_WIDGET (self->empty_page));
  tincan_a11y_fix_tab_bar (GTK_WIDGET (self->tab_bar));
}
