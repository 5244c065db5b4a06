/* tincan-a11y.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What GTK 4.8 tells a screen reader, put right where it reads wrong.
 *
 * A GtkDropDown's focusable part is an inner GtkToggleButton that has no name
 * of its own, so AT-SPI falls back to the type name ("GtkToggleButton"), and
 * the selected item inside it is a focusable GtkListItemWidget that is never
 * meant to take the focus. A button with a mnemonic label is named from both
 * its label property and its label child: "_Cancel Cancel". The fix in both
 * cases is an explicit accessible label. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"

/* The popup's rows: labels like the default factory's, and each row (the
 * GtkListItemWidget around the label) named after its label, which GTK 4.8
 * does not do by itself. */
static char *
item_text (GtkDropDown *drop_down,
           GObject     *item)
{
  GtkExpression *expression = gtk_drop_down_get_expression (drop_down);
  g_auto(GValue) value = G_VALUE_INIT;

  if (expression != NULL && gtk_expression_evaluate (expression, item, &value))
    return g_value_dup_string (&value);
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  return g_strdup ("");
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (list_item, label);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             GtkDropDown              *drop_down)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = item_text (drop_down, gtk_list_item_get_item (list_item));
  GtkWidget *row = gtk_widget_get_parent (label);

  gtk_label_set_text (GTK_LABEL (label), text);
  if (row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
fix_inner_widgets (GtkWidget  *widget,
                   const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* The button's picture of the selection: focusable, never focused. */
      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkListItemWidget"))
        gtk_widget_set_focusable (child, FALSE);
      else if (GTK_IS_TOGGLE_BUTTON (child) || GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      else if (GTK_IS_SCROLLED_WINDOW (child))
        gtk_widget_set_focusable (child, FALSE);
      fix_inner_widgets (child, label);
    }
}

/**
 * tincan_a11y_label_drop_down:
 * @label: the name a screen reader says, as for the drop-down itself
 *
 * Gives @drop_down's button and popup list the name of @drop_down, and each
 * row of the list the text it shows. Call it once the model is set.
 */
void
tincan_a11y_label_drop_down (GtkDropDown *drop_down,
                             const char  *label)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (label != NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (row_bind_cb), drop_down, 0);
  gtk_drop_down_set_list_factory (drop_down, factory);
  g_object_unref (factory);

  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  fix_inner_widgets (GTK_WIDGET (drop_down), label);
}

/* GTK's own icon buttons that GTK 4.8 leaves nameless ("GtkImage"). */
static const char *
icon_button_label (GtkWidget *button)
{
  static const struct { const char *icon; const char *label; } icons[] = {
    { "go-previous-symbolic", N_("Back") },
    { "window-close-symbolic", N_("Close") },
    { "edit-find-symbolic", N_("Search") },
  };
  GtkWidget *child = gtk_widget_get_first_child (button);
  const char *icon;

  if (!GTK_IS_IMAGE (child) || (icon = gtk_image_get_icon_name (GTK_IMAGE (child))) == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_str_equal (icon, icons[i].icon))
      return _(icons[i].label);
  return NULL;
}

static void
label (GtkWidget  *widget,
       const char *text)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);
}

/**
 * tincan_a11y_fix_popup:
 *
 * For windows and popovers that GTK and libadwaita build (the shortcuts
 * window, About, a popover menu), what GTK 4.8 would name by type: search
 * entries, icon buttons, a button showing a plain label, the shortcuts
 * window's section menu, About's debugging text; and the focus off scrolled
 * windows and list boxes, which say nothing and whose children take it.
 */
void
tincan_a11y_fix_popup (GtkWidget *widget)
{
  const char *text;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_SEARCH_ENTRY (widget))
    label (widget, _("Search"));
  else if (GTK_IS_SCROLLED_WINDOW (widget) || GTK_IS_LIST_BOX (widget))
    gtk_widget_set_focusable (widget, FALSE);
  else if (GTK_IS_TEXT_VIEW (widget) && !gtk_text_view_get_editable (GTK_TEXT_VIEW (widget)))
    label (widget, _("Debugging information"));
  else if (GTK_IS_MENU_BUTTON (widget) && gtk_widget_get_first_child (widget) != NULL)
    label (gtk_widget_get_first_child (widget), _("Sections"));
  else if (GTK_IS_BUTTON (widget) && (text = icon_button_label (widget)))
    label (widget, text);
  else if (GTK_IS_BUTTON (widget) && GTK_IS_LABEL (gtk_widget_get_first_child (widget)) &&
           !gtk_label_get_use_underline (GTK_LABEL (gtk_widget_get_first_child (widget))))
    label (widget, gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tincan_a11y_fix_popup (child);
}

/**
 * tincan_a11y_fix_tab_bar:
 *
 * What libadwaita 1.2's tab bar leaves nameless or named by type: its
 * scrolled window and the tab box's focusable parts ("AdwGizmo") get the
 * name "Tabs", each tab's close button "Close". Call it again when tabs
 * were added: each tab brings its own widgets.
 */
void
tincan_a11y_fix_tab_bar (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_SCROLLED_WINDOW (widget) ||
      (g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwGizmo") && gtk_widget_get_focusable (widget)))
    label (widget, _("Tabs"));
  else if (GTK_IS_BUTTON (widget) && icon_button_label (widget) != NULL)
    label (widget, icon_button_label (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tincan_a11y_fix_tab_bar (child);
}

static GtkWidget *
find_mnemonic_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_label_get_use_underline (GTK_LABEL (child)))
        return child;
      if ((found = find_mnemonic_label (child)))
        return found;
    }

  return NULL;
}

/**
 * tincan_a11y_name_mnemonic_buttons:
 * @widget: a widget whose buttons (itself included) to name
 *
 * GTK 4.8 names a button with a mnemonic label after the label twice, once
 * from the button and once from the label ("_Cancel Cancel"): this makes
 * the label's text, without the underscore, the button's one name. For buttons made where no template reaches,
 * such as an AdwMessageDialog's responses; call it once they exist. A button
 * with a label of its own for screen readers is left alone.
 */
void
tincan_a11y_name_mnemonic_buttons (GtkWidget *widget)
{
  GtkWidget *label;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget) && (label = find_mnemonic_label (widget)))
    {
      /* The label's text is without the underscore. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_label_get_text (GTK_LABEL (label)), -1);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tincan_a11y_name_mnemonic_buttons (child);
}

/* The toast widgets the overlay shows now: AdwToastWidget is private. */
static void
fix_shown_toasts (GtkWidget *overlay)
{
  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (G_OBJECT_TYPE_NAME (child), "AdwToastWidget"))
      {
        tincan_a11y_fix_popup (child);
        tincan_a11y_name_mnemonic_buttons (child);
      }
}

static gboolean
fix_toasts_idle (gpointer data)
{
  GtkWidget *overlay = g_weak_ref_get (data);

  if (overlay != NULL)
    fix_shown_toasts (overlay);
  g_clear_object (&overlay);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* A toast that waited in the queue is shown once the one before it goes. */
static void
toast_dismissed_cb (AdwToast  *toast,
                    GtkWidget *overlay)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, overlay);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fix_toasts_idle, ref, weak_ref_free);
}

/**
 * tincan_a11y_add_toast:
 * @toast: (transfer full): the toast
 *
 * Adds @toast to @overlay, named right: libadwaita 1.2's toast has an
 * unnamed close button ("GtkImage" to a screen reader) and a button label
 * with a mnemonic, read twice ("Undo Undo").
 */
void
tincan_a11y_add_toast (AdwToastOverlay *overlay,
                       AdwToast        *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), overlay, 0);
  adw_toast_overlay_add_toast (overlay, toast);
  fix_shown_toasts (GTK_WIDGET (overlay));
}
