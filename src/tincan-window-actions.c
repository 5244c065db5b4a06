/* tincan-window-actions.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's actions and their keys. What acts on a conversation is the
 * conversation's own action ("conversation.clear"); the window's action of
 * the same name ("win.clear") runs it on the conversation the window shows,
 * so that menus and shortcuts outside the conversation reach it, and a
 * window with tabs needs to change only which conversation that is. */

#include "config.h"

#include "tincan-window-private.h"

#define WIN_PREFIX "win."

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  g_autofree char *name = NULL;

  g_assert (g_str_has_prefix (action_name, WIN_PREFIX));

  name = g_strconcat ("conversation.", action_name + strlen (WIN_PREFIX), NULL);
  gtk_widget_activate_action_variant (GTK_WIDGET (self->conversation), name, parameter);
}

void
_tincan_window_class_actions_init (TincanWindowClass *klass)
{
  static const char *forwarded[] = {
    "win.connect", "win.cancel", "win.clear", "win.copy", "win.jump-to-latest", "win.local-echo",
  };
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK,
                                       "win.jump-to-latest", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}
