/* tincan-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window: a header bar with the view choice and the main menu, toasts,
 * and the one TincanConversation it hosts. Everything about talking to a
 * server lives in the conversation; the window's actions
 * (tincan-window-actions.c) run the conversation's. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-app-enums.h"
#include "tincan-enum-drop-down.h"
#include "tincan-window-private.h"

G_DEFINE_FINAL_TYPE (TincanWindow, tincan_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *view_mode_labels[] = {
  [TINCAN_VIEW_TEXT] = N_("Text"),
  [TINCAN_VIEW_HEX] = N_("Hex Dump"),
  [TINCAN_VIEW_PYTHON] = N_("Python Bytes"),
};

TincanWindow *
tincan_window_new (TincanApplication *application)
{
  return g_object_new (TINCAN_TYPE_WINDOW, "application", application, NULL);
}

/**
 * tincan_window_get_conversation:
 *
 * Returns: (transfer none): the conversation the window shows
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

  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_WINDOW);
  g_clear_object (&self->settings);

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
tincan_window_class_init (TincanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_window_dispose;

  g_type_ensure (TINCAN_TYPE_CONVERSATION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, conversation);
  gtk_widget_class_bind_template_callback (widget_class, view_mode_label);

  _tincan_window_class_actions_init (klass);
}

/* "win.compact-rows", a check item in the menu: one line per message. Per
 * window, as the view mode is; the setting is where a new window starts. */
static void
add_compact_action (TincanWindow *self)
{
  TincanTranscriptView *view = tincan_conversation_get_transcript_view (self->conversation);
  g_autoptr(GPropertyAction) action = g_property_action_new ("compact-rows", view, "compact");

  g_settings_bind (self->settings, "compact-rows", view, "compact",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
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
  g_settings_bind (self->settings, "view-mode", self->conversation, "view-mode",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);

  add_compact_action (self);
  tincan_enum_drop_down_bind (self->view_dropdown, self->conversation, "view-mode");
  tincan_a11y_label_drop_down (self->view_dropdown, _("View"));
  tincan_a11y_fix_popup (GTK_WIDGET (gtk_menu_button_get_popover (self->menu_button)));
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  g_object_bind_property (self->conversation, "peer", self->window_title, "subtitle",
                          G_BINDING_SYNC_CREATE);

  _tincan_window_actions_init (self);
  /* Set before the window is shown, so that showing it gives the focus. */
  tincan_conversation_focus_default (self->conversation);
}
