/* tincan-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window: a header bar with the view choice and the main menu, toasts,
 * and its tabs, one TincanConversation each (tincan-window-tabs.c).
 * Everything about talking to a server lives in the conversation; the
 * window's actions (tincan-window-actions.c) run the selected one's. The
 * view mode and compact rows are the window's, and every tab in it follows
 * them. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-app-enums.h"
#include "tincan-enum-drop-down.h"
#include "tincan-window-private.h"

G_DEFINE_FINAL_TYPE (TincanWindow, tincan_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_VIEW_MODE,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *view_mode_labels[] = {
  [TINCAN_VIEW_TEXT] = N_("Text"),
  [TINCAN_VIEW_HEX] = N_("Hex Dump"),
  [TINCAN_VIEW_PYTHON] = N_("Python Bytes"),
};

/**
 * tincan_window_new:
 *
 * Returns: (transfer none): a new window with one new tab
 */
TincanWindow *
tincan_window_new (TincanApplication *application)
{
  TincanWindow *self = tincan_window_new_empty (application);

  tincan_window_add_tab (self, NULL);
  return self;
}

/**
 * tincan_window_new_empty:
 *
 * Returns: (transfer none): a new window with no tab, for one to be moved
 *   or restored into
 */
TincanWindow *
tincan_window_new_empty (TincanApplication *application)
{
  return g_object_new (TINCAN_TYPE_WINDOW, "application", application, NULL);
}

/**
 * tincan_window_get_conversation:
 *
 * Returns: (transfer none) (nullable): the conversation of the selected
 *   tab, %NULL while no tab is open
 */
TincanConversation *
tincan_window_get_conversation (TincanWindow *self)
{
  g_return_val_if_fail (TINCAN_IS_WINDOW (self), NULL);

  return self->conversation;
}

static char *
view_mode_label (AdwEnumListItem *item,
                 gpointer         user_data)
{
  return g_strdup (_(view_mode_labels[adw_enum_list_item_get_value (item)]));
}

static void
tincan_window_dispose (GObject *object)
{
  TincanWindow *self = (TincanWindow *)object;

  /* Closing the window detaches its pages: no tab bookkeeping for that. */
  if (self->tab_view != NULL)
    g_signal_handlers_disconnect_by_data (self->tab_view, self);
  g_clear_pointer (&self->peer_binding, g_binding_unbind);
  self->conversation = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->workspace_file);
  g_clear_pointer (&self->workspace, tincan_workspace_unref);

  G_OBJECT_CLASS (tincan_window_parent_class)->dispose (object);
}

/* GtkApplication gives the window its shortcuts window when the window joins
 * the application, after init. */
static void
application_changed_cb (TincanWindow *self)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));

  if (overlay != NULL)
    {
      tincan_a11y_fix_popup (GTK_WIDGET (overlay));
      tincan_a11y_name_mnemonic_buttons (GTK_WIDGET (overlay));
    }
}

static void
set_view_mode (TincanWindow   *self,
               TincanViewMode  mode)
{
  if (self->view_mode == mode)
    return;
  self->view_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

static void
set_compact (TincanWindow *self,
             gboolean      compact)
{
  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

static void
tincan_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TincanWindow *self = TINCAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      g_value_set_enum (value, self->view_mode);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TincanWindow *self = TINCAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_COMPACT:
      set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_window_class_init (TincanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_window_dispose;
  object_class->get_property = tincan_window_get_property;
  object_class->set_property = tincan_window_set_property;

  /* The window's, and every tab in it follows them. */
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, TINCAN_TYPE_VIEW_MODE, TINCAN_VIEW_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TINCAN_TYPE_CONVERSATION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, view_mode_label);

  _tincan_window_class_tabs_init (widget_class);
  _tincan_window_class_workspace_init (widget_class);
  _tincan_window_class_actions_init (klass);
}

/* "win.compact-rows", a check item in the menu: one line per message. Per
 * window, as the view mode is; the setting is where a new window starts.
 * A stateful action of the window's own: a GPropertyAction would hold a
 * reference to the window that owns it. */
static void
compact_rows_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  set_compact (TINCAN_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
compact_changed_cb (TincanWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "compact-rows");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (self->compact));
}

static void
add_compact_action (TincanWindow *self)
{
  const GActionEntry entries[] = {
    { "compact-rows", NULL, NULL, "false", compact_rows_change_state },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect (self, "notify::compact", G_CALLBACK (compact_changed_cb), NULL);
  g_settings_bind (self->settings, "compact-rows", self, "compact",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
}

static void
tincan_window_init (TincanWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* Read once and written on change: two windows keep their own view. */
  g_settings_bind (self->settings, "view-mode", self, "view-mode",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);

  add_compact_action (self);
  tincan_enum_drop_down_bind (self->view_dropdown, self, "view-mode");
  tincan_a11y_label_drop_down (self->view_dropdown, _("View"));
  tincan_a11y_fix_popup (GTK_WIDGET (gtk_menu_button_get_popover (self->menu_button)));
  tincan_a11y_name_mnemonic_buttons (GTK_WIDGET (self->empty_page));
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);

  _tincan_window_tabs_init (self);
  _tincan_window_actions_init (self);
}
