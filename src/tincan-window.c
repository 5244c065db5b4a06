/* tincan-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-window.h"

struct _TincanWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (TincanWindow, tincan_window, ADW_TYPE_APPLICATION_WINDOW)

TincanWindow *
tincan_window_new (TincanApplication *application)
{
  return g_object_new (TINCAN_TYPE_WINDOW, "application", application, NULL);
}

static void
tincan_window_dispose (GObject *object)
{
  TincanWindow *self = (TincanWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tincan_window_parent_class)->dispose (object);
}

static void
tincan_window_class_init (TincanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-window.ui");
}

static void
tincan_window_init (TincanWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
