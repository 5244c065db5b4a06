/* tincan-search-bar.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The find bar above the transcript (issue 14, "Find and filter"): the
 * query and how to read it (text with smart case, "hex:" or the Hex toggle,
 * Regex), which kinds of entries to search, "Show Only Matching", and
 * "12 of 480". It compiles the query and says "changed"; the conversation
 * hands the result to the transcript view and brings back the counts.
 *
 * Enter and Shift+Enter go to the next and previous match (through the
 * conversation's find-next and find-previous actions, which F3 and
 * Shift+F3 also run). Esc closes the bar wherever the focus is in it, and
 * does nothing else: the focus goes back where it was before Ctrl+F. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-format.h"
#include "tincan-reflow-box.h"
#include "tincan-search-bar.h"

struct _TincanSearchBar
{
  GtkWidget        parent_instance;

  GtkSearchBar    *search_bar;
  GtkSearchEntry  *entry;
  GtkLabel        *count_label;
  GtkToggleButton *regex_button;
  GtkToggleButton *hex_button;
  GtkToggleButton *sent_button;
  GtkToggleButton *received_button;
  GtkToggleButton *notes_button;
  GtkToggleButton *only_button;

  TincanMatcher   *matcher;
  char            *query;          /* what matcher was compiled from */
  TincanMatcherMode mode;
  GError          *error;          /* why the query does not compile */
  GtkWidget       *return_focus;   /* weak: the focus before Ctrl+F */
};

G_DEFINE_FINAL_TYPE (TincanSearchBar, tincan_search_bar, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_return_focus (TincanSearchBar *self,
                  GtkWidget       *widget)
{
  if (self->return_focus != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->return_focus), (gpointer *) &self->return_focus);
  self->return_focus = widget;
  if (widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->return_focus);
}

static TincanMatcherMode
query_mode (TincanSearchBar *self)
{
  if (gtk_toggle_button_get_active (self->regex_button))
    return TINCAN_MATCHER_REGEX;
  if (gtk_toggle_button_get_active (self->hex_button))
    return TINCAN_MATCHER_HEX;
  return TINCAN_MATCHER_TEXT;
}

static void
show_error (TincanSearchBar *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label),
                               self->error != NULL ? self->error->message : NULL);
  if (self->error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "dim-label");
      gtk_label_set_text (self->count_label, self->error->message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
    }
}

static void
query_changed_cb (TincanSearchBar *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  /* GtkSearchEntry says search-changed again after a pause: the same query
   * must not start the search over (and lose the current match). */
  if (g_strcmp0 (query, self->query) == 0 && query_mode (self) == self->mode)
    return;
  g_free (self->query);
  self->query = g_strdup (query);
  self->mode = query_mode (self);

  g_clear_pointer (&self->matcher, tincan_matcher_unref);
  g_clear_error (&self->error);
  self->matcher = tincan_matcher_new (query, query_mode (self), &self->error);
  show_error (self);
  if (self->matcher == NULL && self->error == NULL)
    gtk_label_set_text (self->count_label, "");

  g_signal_emit (self, signals[CHANGED], 0);
}

/* Which kinds, and Show Only Matching: the same query. */
static void
options_changed_cb (TincanSearchBar *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Regex and Hex read the query in two ways: at most one is on. */
static void
mode_toggled_cb (TincanSearchBar *self,
                 GtkToggleButton *button)
{
  GtkToggleButton *other = button == self->regex_button ? self->hex_button : self->regex_button;

  if (gtk_toggle_button_get_active (button) && gtk_toggle_button_get_active (other))
    gtk_toggle_button_set_active (other, FALSE);  /* comes back here, and changes once */
  else
    query_changed_cb (self);
}

static void
entry_activate_cb (TincanSearchBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "conversation.find-next", NULL);
}

static void
entry_next_cb (TincanSearchBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "conversation.find-next", NULL);
}

static void
entry_previous_cb (TincanSearchBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "conversation.find-previous", NULL);
}

static void
search_mode_changed_cb (TincanSearchBar *self)
{
  GtkWidget *focus = self->return_focus;

  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;

  /* Back where the user was, if that is still there to go back to. */
  if (focus != NULL && gtk_widget_get_root (focus) == gtk_widget_get_root (GTK_WIDGET (self)) &&
      gtk_widget_is_visible (focus))
    gtk_widget_grab_focus (focus);
  set_return_focus (self, NULL);
  g_signal_emit (self, signals[CLOSED], 0);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  tincan_search_bar_close (TINCAN_SEARCH_BAR (widget));
  return TRUE;
}

/* GTK 4.8 names GtkSearchBar's close button after its icon's type
 * ("GtkImage"): the one button of the bar that is not in the template. */
static void
name_close_button (TincanSearchBar *self,
                   GtkWidget       *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (TINCAN_IS_REFLOW_BOX (child))
        continue;
      if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close find bar"),
                                        -1);
      else
        name_close_button (self, child);
    }
}

static void
tincan_search_bar_dispose (GObject *object)
{
  TincanSearchBar *self = (TincanSearchBar *)object;

  set_return_focus (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_SEARCH_BAR);
  g_clear_pointer (&self->matcher, tincan_matcher_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tincan_search_bar_parent_class)->dispose (object);
}

static void
tincan_search_bar_class_init (TincanSearchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_search_bar_dispose;

  /**
   * TincanSearchBar::changed:
   *
   * The query, how it is read, the kinds searched or "Show Only Matching"
   * changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TincanSearchBar::closed:
   *
   * The bar was closed (Esc, its close button, Ctrl+F's toggle).
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TINCAN_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-search-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, entry);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, regex_button);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, hex_button);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, sent_button);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, received_button);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, notes_button);
  gtk_widget_class_bind_template_child (widget_class, TincanSearchBar, only_button);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, options_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_changed_cb);

  /* Wherever the focus is in the bar, Esc closes it and goes no further
   * (the window's Esc cancels a connect). */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tincan_search_bar_init (TincanSearchBar *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));
  name_close_button (self, GTK_WIDGET (self->search_bar));

  /* The template's handler for these is query_changed_cb; Regex and Hex
   * go through mode_toggled_cb instead, which keeps one of them on. */
  g_signal_handlers_disconnect_by_func (self->regex_button, query_changed_cb, self);
  g_signal_handlers_disconnect_by_func (self->hex_button, query_changed_cb, self);
  g_signal_connect_object (self->regex_button, "toggled", G_CALLBACK (mode_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hex_button, "toggled", G_CALLBACK (mode_toggled_cb), self,
                           G_CONNECT_SWAPPED);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                      gtk_named_action_new ("conversation.find-previous")));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                      gtk_named_action_new ("conversation.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->entry), shortcuts);
}

/**
 * tincan_search_bar_open:
 *
 * Shows the bar (if hidden) and puts the focus in its entry, the query
 * selected; Esc brings the focus back to where it is now.
 */
void
tincan_search_bar_open (TincanSearchBar *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (TINCAN_IS_SEARCH_BAR (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    set_return_focus (self, focus);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
tincan_search_bar_close (TincanSearchBar *self)
{
  g_return_if_fail (TINCAN_IS_SEARCH_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

gboolean
tincan_search_bar_is_open (TincanSearchBar *self)
{
  g_return_val_if_fail (TINCAN_IS_SEARCH_BAR (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

/**
 * tincan_search_bar_get_matcher:
 *
 * Returns: (transfer none) (nullable): the compiled query, %NULL when there
 *   is none or it is wrong (the bar says why)
 */
TincanMatcher *
tincan_search_bar_get_matcher (TincanSearchBar *self)
{
  g_return_val_if_fail (TINCAN_IS_SEARCH_BAR (self), NULL);

  return self->matcher;
}

TincanShowKinds
tincan_search_bar_get_kinds (TincanSearchBar *self)
{
  TincanShowKinds kinds = 0;

  g_return_val_if_fail (TINCAN_IS_SEARCH_BAR (self), TINCAN_SHOW_ALL);

  if (gtk_toggle_button_get_active (self->sent_button))
    kinds |= TINCAN_SHOW_SENT;
  if (gtk_toggle_button_get_active (self->received_button))
    kinds |= TINCAN_SHOW_RECEIVED;
  if (gtk_toggle_button_get_active (self->notes_button))
    kinds |= TINCAN_SHOW_NOTES;
  return kinds;
}

gboolean
tincan_search_bar_get_show_only (TincanSearchBar *self)
{
  g_return_val_if_fail (TINCAN_IS_SEARCH_BAR (self), FALSE);

  return gtk_toggle_button_get_active (self->only_button);
}

/**
 * tincan_search_bar_set_counts:
 * @current: index of the current match, or -1
 * @n_matches: how many were found so far
 * @complete: whether the whole transcript was searched
 *
 * "12 of 480", "480 matches", "No matches"; "…" while the search goes on.
 */
void
tincan_search_bar_set_counts (TincanSearchBar *self,
                              int              current,
                              guint            n_matches,
                              gboolean         complete)
{
  g_autofree char *n_text = tincan_format_count (n_matches);
  g_autofree char *text = NULL;

  g_return_if_fail (TINCAN_IS_SEARCH_BAR (self));

  if (self->matcher == NULL)
    return;

  if (current >= 0)
    {
      g_autofree char *current_text = tincan_format_count ((guint64) current + 1);

      /* TRANSLATORS: the current search match and how many there are: "12 of 480". */
      text = g_strdup_printf (_("%s of %s"), current_text, n_text);
    }
  else if (n_matches > 0)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s match", "%s matches", n_matches),
                              n_text);
    }
  else
    {
      text = g_strdup (complete ? _("No matches") : "");
    }
  if (!complete)
    {
      char *more = g_strconcat (text, "…", NULL);

      g_free (text);
      text = more;
    }
  gtk_label_set_text (self->count_label, text);
}

/* What the count label says (for tests). */
const char *
tincan_search_bar_get_count_text (TincanSearchBar *self)
{
  g_return_val_if_fail (TINCAN_IS_SEARCH_BAR (self), NULL);

  return gtk_label_get_text (self->count_label);
}
