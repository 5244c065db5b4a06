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
 * window with tabs needs to change only which conversation that is.
 *
 * The window's shortcuts are caught in the capture phase, before the focused
 * widget sees the key: the composer's text view would otherwise take
 * Ctrl+Shift+Return as a new line and Ctrl+End as "end of the message". Esc
 * is the exception: it stays in the bubble phase, so that an open popover or
 * menu closes first, and "win.cancel" is enabled only while a connect is
 * pending, so that an idle or open session lets the key through untouched. */

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

  if (self->conversation == NULL)
    return;
  name = g_strconcat ("conversation.", action_name + strlen (WIN_PREFIX), NULL);
  gtk_widget_activate_action_variant (GTK_WIDGET (self->conversation), name, parameter);
}

static const char *forwarded[] = {
  "win.connect", "win.cancel", "win.clear", "win.copy", "win.jump-to-latest", "win.local-echo",
  "win.focus-host", "win.record", "win.stop-recording", "win.find", "win.find-next",
  "win.find-previous", "win.save",
};

/* Forwarded actions follow the enabled state of the selected conversation's
 * own, so that a disabled one lets its key through (a shortcut whose action
 * cannot run does not consume the key); with no tab open, none can run. */
void
_tincan_window_sync_actions (TincanWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    {
      const char *name = forwarded[i] + strlen (WIN_PREFIX);
      gboolean enabled = self->conversation != NULL &&
                         tincan_conversation_get_action_enabled (self->conversation, name);

      gtk_widget_action_set_enabled (GTK_WIDGET (self), forwarded[i], enabled);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", self->conversation != NULL);
}

void
_tincan_window_actions_init (TincanWindow *self)
{
  static const struct {
    guint keyval;
    GdkModifierType mods;
    const char *action;
  } keys[] = {
    { GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.connect" },
    { GDK_KEY_KP_Enter, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.connect" },
    { GDK_KEY_End, GDK_CONTROL_MASK, "win.jump-to-latest" },
    { GDK_KEY_KP_End, GDK_CONTROL_MASK, "win.jump-to-latest" },
    { GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-host" },
    { GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.clear" },
    { GDK_KEY_f, GDK_CONTROL_MASK, "win.find" },
    { GDK_KEY_F3, 0, "win.find-next" },
    { GDK_KEY_F3, GDK_SHIFT_MASK, "win.find-previous" },
    { GDK_KEY_s, GDK_CONTROL_MASK, "win.save" },
    { GDK_KEY_t, GDK_CONTROL_MASK, "win.new-tab" },
    { GDK_KEY_w, GDK_CONTROL_MASK, "win.close-tab" },
    { GDK_KEY_o, GDK_CONTROL_MASK, "win.open-workspace" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval,
                                                                                    keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  _tincan_window_sync_actions (self);
}

void
_tincan_window_class_actions_init (TincanWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}
