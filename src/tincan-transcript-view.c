/* tincan-transcript-view.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The transcript as a list of rows, and the two things that keep a flood
 * cheap to watch.
 *
 * Batches wait in the transcript's pending queue; a tick callback makes them
 * visible once per frame (tincan_transcript_flush()), so a flood costs one
 * items-changed per frame instead of one per line, and emits "flushed" so
 * the conversation can refresh its counters at the same rate.
 *
 * The list follows the newest entry only while the user has not scrolled
 * away from the bottom; then a "Jump to Latest" button appears.
 *
 * Copies and the row menu (reusing a message) are in
 * tincan-transcript-view-menu.c. */

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "tincan-a11y.h"
#include "tincan-message-row.h"

#include "tincan-transcript-view-private.h"

G_DEFINE_FINAL_TYPE (TincanTranscriptView, tincan_transcript_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TRANSCRIPT,
  PROP_VIEW_MODE,
  PROP_COMPACT,
  PROP_FOLLOWING,
  PROP_MATCHER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FLUSHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Scrolling */

static gboolean
at_bottom (TincanTranscriptView *self)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = gtk_adjustment_get_page_size (self->vadjustment);
  double upper = gtk_adjustment_get_upper (self->vadjustment);

  return value + page >= upper - 4.0;
}

void
_tincan_transcript_view_notify_matcher (TincanTranscriptView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHER]);
}

static void
set_following (TincanTranscriptView *self,
               gboolean              following)
{
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);

  if (self->following == following)
    return;

  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

/* GTK 4.8 has no gtk_list_view_scroll_to (); the list's own action brings
 * the row into view once the list is laid out. With @pin, the adjustment is
 * also set to its end: only once the rows have been allocated since the last
 * change, because GTK 4.8 looks the new value up among the rows it has
 * allocated and warns ("failed to scroll to given position") when the rows
 * just appended or dropped have none yet. */
static void
scroll_to_end (TincanTranscriptView *self,
               gboolean              pin)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n == 0)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
  if (pin)
    gtk_adjustment_set_value (self->vadjustment,
                              gtk_adjustment_get_upper (self->vadjustment) -
                              gtk_adjustment_get_page_size (self->vadjustment));
}

static void
vadjustment_value_changed_cb (TincanTranscriptView *self,
                              GtkAdjustment        *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (at_bottom (self))
    set_following (self, TRUE);
  else if (value < self->last_value && upper == self->last_upper)
    set_following (self, FALSE);  /* the user scrolled up */

  self->last_value = value;
  self->last_upper = upper;
}

static void
vadjustment_changed_cb (TincanTranscriptView *self,
                        GtkAdjustment        *adjustment)
{
  self->last_upper = gtk_adjustment_get_upper (adjustment);
}

/* Flushing in turns.
 *
 * A flush makes the list view bind a few hundred rows (GTK 4.8 keeps up to
 * 200 around the anchor) and lay them out: 10-30 ms. The frame clocks of all
 * windows fire in the same main-loop iteration, so N busy views used to stall
 * the process N times as long as one (issue 11, item 8). One view flushes per
 * iteration, for the whole process; views that wait queue up and go first,
 * oldest first, so each busy view shows new entries every N frames. The
 * iteration is told by g_source_get_time(), which GLib caches for one
 * iteration. */
static GQueue turn_queue = G_QUEUE_INIT;
static gint64 turn_iteration = -1;

static void
leave_turn (TincanTranscriptView *self)
{
  if (self->turn_link.data == NULL)
    return;
  g_queue_unlink (&turn_queue, &self->turn_link);
  self->turn_link.data = NULL;
}

static gboolean
take_turn (TincanTranscriptView *self)
{
  GSource *source = g_main_current_source ();
  gboolean waiting = self->turn_link.data != NULL;
  gint64 iteration;

  if (source == NULL)
    return TRUE;

  /* A view that stopped ticking (unmapped, or nothing left to show) has no
   * turn to wait for. */
  if (turn_queue.head != NULL && turn_queue.head != &self->turn_link)
    {
      TincanTranscriptView *head = turn_queue.head->data;

      if (head->tick_id == 0 || !gtk_widget_get_mapped (GTK_WIDGET (head)))
        leave_turn (head);
    }

  iteration = g_source_get_time (source);
  if (iteration != turn_iteration && (turn_queue.head == NULL || turn_queue.head == &self->turn_link))
    {
      turn_iteration = iteration;
      leave_turn (self);
      return TRUE;
    }

  if (!waiting)
    {
      self->turn_link.data = self;
      g_queue_push_tail_link (&turn_queue, &self->turn_link);
    }
  return FALSE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  gboolean changed;

  /* Only a flush waits for its turn: the checks after one are cheap. */
  if (self->transcript != NULL && tincan_transcript_get_n_pending (self->transcript) > 0 &&
      !take_turn (self))
    return G_SOURCE_CONTINUE;

  changed = self->transcript != NULL && tincan_transcript_flush (self->transcript);

  if (changed)
    g_signal_emit (self, signals[FLUSHED], 0);

  /* Scroll once per flush, then check on the next frames, once the rows
   * have their real heights, that the view really is at the end: a second
   * jump rebinds every row, so it is only made when needed. */
  if (self->following && changed)
    {
      scroll_to_end (self, FALSE);
      self->scroll_pending = TRUE;
    }
  else if (self->following && self->scroll_pending)
    {
      if (at_bottom (self))
        self->scroll_pending = FALSE;
      else
        scroll_to_end (self, TRUE);
    }
  else
    {
      self->scroll_pending = FALSE;
    }

  if (!changed && !self->scroll_pending)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/**
 * tincan_transcript_view_schedule_flush:
 *
 * Makes what was pushed to the transcript visible at the next frame (and
 * follows it there, unless the user scrolled away).
 */
void
tincan_transcript_view_schedule_flush (TincanTranscriptView *self)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

void
_tincan_transcript_view_set_following (TincanTranscriptView *self,
                                       gboolean              following)
{
  set_following (self, following);
}

/* Scrolls to the end now and checks on the next frames that it stays there
 * (see tick_cb ()). */
void
_tincan_transcript_view_follow (TincanTranscriptView *self)
{
  scroll_to_end (self, FALSE);
  self->scroll_pending = TRUE;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

void
tincan_transcript_view_jump_to_latest (TincanTranscriptView *self)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  set_following (self, TRUE);
  scroll_to_end (self, FALSE);
  self->scroll_pending = TRUE;
  tincan_transcript_view_schedule_flush (self);
}

static void
undo_clear_cb (AdwToast             *toast,
               TincanTranscriptView *self)
{
  TincanTranscriptSnapshot *snapshot = g_object_steal_data (G_OBJECT (toast), "snapshot");

  if (snapshot == NULL || self->transcript == NULL)
    {
      g_clear_pointer (&snapshot, tincan_transcript_snapshot_free);
      return;
    }

  tincan_transcript_restore (self->transcript, snapshot);
  set_following (self, TRUE);
  scroll_to_end (self, FALSE);
  self->scroll_pending = TRUE;
  tincan_transcript_view_schedule_flush (self);
  g_signal_emit (self, signals[FLUSHED], 0);
}

/**
 * tincan_transcript_view_clear:
 *
 * Empties the transcript and follows what comes next. A toast offers to
 * undo it while it is shown; until it goes, it keeps what was cleared
 * (within the transcript's budget), and Undo puts it back before what came
 * since.
 */
void
tincan_transcript_view_clear (TincanTranscriptView *self)
{
  g_autoptr(TincanTranscriptSnapshot) snapshot = NULL;
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  if (self->transcript == NULL)
    return;

  /* One undo at a time: the earlier toast takes its entries with it. */
  if (self->clear_toast != NULL)
    adw_toast_dismiss (self->clear_toast);
  snapshot = tincan_transcript_take (self->transcript);
  set_following (self, TRUE);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  toast = adw_toast_new (_("Transcript cleared"));
  /* No mnemonic: GTK 4.8 would read it out twice ("_Undo Undo"). */
  adw_toast_set_button_label (toast, _("Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "snapshot", g_steal_pointer (&snapshot),
                          (GDestroyNotify) tincan_transcript_snapshot_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clear_cb), self, 0);
  g_set_weak_pointer (&self->clear_toast, toast);
  tincan_a11y_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Properties */

/**
 * tincan_transcript_view_set_transcript:
 * @transcript: (transfer none): the entries to show
 */
void
tincan_transcript_view_set_transcript (TincanTranscriptView *self,
                                       TincanTranscript     *transcript)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (transcript == NULL || TINCAN_IS_TRANSCRIPT (transcript));

  if (!g_set_object (&self->transcript, transcript))
    return;

  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (transcript));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSCRIPT]);
}

/**
 * tincan_transcript_view_set_view_mode:
 *
 * How payloads are shown; the rows follow this property (each row shown
 * renders itself again), the list is not rebuilt.
 */
void
tincan_transcript_view_set_view_mode (TincanTranscriptView *self,
                                      TincanViewMode        mode)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  if (self->view_mode == mode)
    return;

  self->view_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

/**
 * tincan_transcript_view_set_compact:
 *
 * Whether rows take one line each (time, direction, length, the payload's
 * first line) rather than a header over the whole payload; the rows follow
 * it as they follow the view mode.
 */
void
tincan_transcript_view_set_compact (TincanTranscriptView *self,
                                    gboolean              compact)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

gboolean
tincan_transcript_view_get_compact (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  return self->compact;
}

TincanViewMode
tincan_transcript_view_get_view_mode (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), TINCAN_VIEW_TEXT);

  return self->view_mode;
}

/**
 * tincan_transcript_view_get_following:
 *
 * Returns: whether the list keeps the newest entry in view
 */
gboolean
tincan_transcript_view_get_following (TincanTranscriptView *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  return self->following;
}

static void
tincan_transcript_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRANSCRIPT:
      g_value_set_object (value, self->transcript);
      break;
    case PROP_VIEW_MODE:
      g_value_set_enum (value, self->view_mode);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    case PROP_MATCHER:
      g_value_set_boxed (value, self->matcher);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_transcript_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRANSCRIPT:
      tincan_transcript_view_set_transcript (self, g_value_get_object (value));
      break;
    case PROP_VIEW_MODE:
      tincan_transcript_view_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_COMPACT:
      tincan_transcript_view_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Actions */

static void
jump_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tincan_transcript_view_jump_to_latest (TINCAN_TRANSCRIPT_VIEW (widget));
}

/* Keyboard
 *
 * GTK 4.8's list view makes every row a Tab stop and enters at the row it
 * last tracked, wherever that is; Home, End and the page keys move the focus
 * without selecting. Here the list is one stop: Tab enters it on the
 * selected row in view, else the last row in view, and the next Tab leaves
 * it; the moving keys select the row they land on. */

GtkWidget *
_tincan_transcript_view_focused_widget (TincanTranscriptView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return root != NULL ? gtk_root_get_focus (root) : NULL;
}

/* The row the focus should enter on: the last selected row in view, else
 * the last row wholly in view. */
GtkWidget *
_tincan_transcript_view_entry_row (TincanTranscriptView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->list_view));
  GtkWidget *last = NULL;
  GtkWidget *selected = NULL;
  double last_y = -1;
  double selected_y = -1;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_get_focusable (row) ||
          !gtk_widget_compute_bounds (row, GTK_WIDGET (self->list_view), &bounds))
        continue;
      if (bounds.origin.y < 0 || bounds.origin.y + bounds.size.height > height + 1)
        continue;
      if (bounds.origin.y > last_y)
        {
          last_y = bounds.origin.y;
          last = row;
        }
      if ((gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) &&
          bounds.origin.y > selected_y)
        {
          selected_y = bounds.origin.y;
          selected = row;
        }
    }

  return selected != NULL ? selected : last;
}

static gboolean
tincan_transcript_view_focus (GtkWidget        *widget,
                              GtkDirectionType  direction)
{
  TincanTranscriptView *self = TINCAN_TRANSCRIPT_VIEW (widget);
  GtkWidget *focus = _tincan_transcript_view_focused_widget (self);
  GtkWidget *jump_button = gtk_revealer_get_child (self->jump_revealer);
  gboolean in_list = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view));
  gboolean on_jump = focus != NULL && (focus == jump_button ||
                                       gtk_widget_is_ancestor (focus, jump_button));
  GtkWidget *row;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (tincan_transcript_view_parent_class)->focus (widget, direction);

  if (in_list)
    {
      /* Leaving: forward by way of the jump button while it shows. */
      if (direction == GTK_DIR_TAB_FORWARD && gtk_revealer_get_reveal_child (self->jump_revealer))
        return gtk_widget_grab_focus (jump_button);
      return FALSE;
    }
  if (on_jump && direction == GTK_DIR_TAB_FORWARD)
    return FALSE;

  if ((row = _tincan_transcript_view_entry_row (self)) == NULL)
    return FALSE;
  return gtk_widget_grab_focus (row);
}

static gboolean
is_moving_key (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
    case GDK_KEY_End: case GDK_KEY_KP_End:
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The list moves the focus in its own key binding, after this handler; the
 * row it lands on is selected when the window's focus changes. */
static gboolean
list_key_pressed_cb (TincanTranscriptView  *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  self->select_on_move = SELECT_NONE;
  if (is_moving_key (keyval) && (mods & ~GDK_SHIFT_MASK) == 0)
    self->select_on_move = (mods & GDK_SHIFT_MASK) ? SELECT_EXTEND : SELECT_ONE;

  return FALSE;
}

static void
focus_widget_changed_cb (TincanTranscriptView *self)
{
  GtkWidget *focus = _tincan_transcript_view_focused_widget (self);
  SelectOnMove select = self->select_on_move;

  self->select_on_move = SELECT_NONE;
  if (select != SELECT_NONE && focus != NULL &&
      gtk_widget_get_parent (focus) == GTK_WIDGET (self->list_view))
    gtk_widget_activate_action (focus, "listitem.select", "(bb)", FALSE, select == SELECT_EXTEND);
}

static void
tincan_transcript_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tincan_transcript_view_parent_class)->root (widget);

  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-widget",
                           G_CALLBACK (focus_widget_changed_cb), widget, G_CONNECT_SWAPPED);
}

static void
tincan_transcript_view_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), focus_widget_changed_cb,
                                        widget);

  GTK_WIDGET_CLASS (tincan_transcript_view_parent_class)->unroot (widget);
}

/* Rows */

/* A signal factory, not a GtkBuilderListItemFactory: under a flood GTK 4.8
 * makes about 200 rows per frame (the rows it keeps around the anchor move
 * with every flush), and parsing the list item's XML for each one was a
 * large part of a frame (issue 11, item 8). */
static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  gtk_list_item_set_child (item, g_object_new (TINCAN_TYPE_MESSAGE_ROW, NULL));
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  tincan_message_row_set_entry (TINCAN_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  tincan_message_row_set_entry (TINCAN_MESSAGE_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Lifecycle */

static void
tincan_transcript_view_dispose (GObject *object)
{
  TincanTranscriptView *self = (TincanTranscriptView *)object;

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  leave_turn (self);
  g_clear_weak_pointer (&self->clear_toast);

  _tincan_transcript_view_menu_dispose (self);
  _tincan_transcript_view_search_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_TRANSCRIPT_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (tincan_transcript_view_parent_class)->dispose (object);
}

static void
tincan_transcript_view_class_init (TincanTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_transcript_view_dispose;
  widget_class->focus = tincan_transcript_view_focus;
  widget_class->root = tincan_transcript_view_root;
  widget_class->unroot = tincan_transcript_view_unroot;

  /* The rows are declared in the template's list item factory. */
  g_type_ensure (TINCAN_TYPE_MESSAGE_ROW);
  object_class->get_property = tincan_transcript_view_get_property;
  object_class->set_property = tincan_transcript_view_set_property;

  properties[PROP_TRANSCRIPT] =
    g_param_spec_object ("transcript", NULL, NULL, TINCAN_TYPE_TRANSCRIPT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, TINCAN_TYPE_VIEW_MODE, TINCAN_VIEW_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * TincanTranscriptView:matcher:
   *
   * The search whose matches the rows highlight, or %NULL
   * (tincan_transcript_view_set_search()).
   */
  properties[PROP_MATCHER] =
    g_param_spec_boxed ("matcher", NULL, NULL, TINCAN_TYPE_MATCHER,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TincanTranscriptView::flushed:
   *
   * Pending entries have just become visible (at most once per frame).
   */
  signals[FLUSHED] = g_signal_new ("flushed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-transcript-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanTranscriptView, overlay);
  gtk_widget_class_bind_template_child (widget_class, TincanTranscriptView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TincanTranscriptView, list_view);
  gtk_widget_class_bind_template_child (widget_class, TincanTranscriptView, jump_revealer);
  gtk_widget_class_bind_template_callback (widget_class, list_key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "transcript.jump-to-latest", NULL, jump_action);
  _tincan_transcript_view_class_menu_init (widget_class);
  _tincan_transcript_view_class_search_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* Expanded rows: a row cut at its cap (4 KiB of text) shows up to the
 * transcript's copy (64 KiB) after Enter or a double click, and goes back
 * the same way. Kept per message, as rows are recycled; a few at a time,
 * since each holds its message. */
#define MAX_EXPANDED 32

gboolean
_tincan_transcript_view_is_expanded (TincanTranscriptView *self,
                                     TincanMessage        *message)
{
  return g_hash_table_contains (self->expanded, message);
}

static void
refresh_rows_of (TincanTranscriptView *self,
                 TincanMessage        *message)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      TincanEntry *entry;

      if (row == NULL || !TINCAN_IS_MESSAGE_ROW (row))
        continue;
      entry = tincan_message_row_get_entry (TINCAN_MESSAGE_ROW (row));
      if (entry != NULL && tincan_entry_get_message (entry) == message)
        tincan_message_row_set_expanded (TINCAN_MESSAGE_ROW (row),
                                         _tincan_transcript_view_is_expanded (self, message));
    }
}

/**
 * tincan_transcript_view_toggle_expanded:
 * @position: the entry's position in the transcript
 *
 * Expands the row at @position when it is cut at its cap, or collapses it.
 *
 * Returns: whether the row is expanded now
 */
gboolean
tincan_transcript_view_toggle_expanded (TincanTranscriptView *self,
                                        guint                 position)
{
  TincanMessage *message;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_VIEW (self), FALSE);

  message = self->transcript != NULL ? _tincan_transcript_view_message_at (self, position)
                                     : NULL;
  if (message == NULL || !tincan_render_is_capped (message, self->view_mode))
    return FALSE;

  if (!g_hash_table_remove (self->expanded, message))
    {
      if (g_hash_table_size (self->expanded) >= MAX_EXPANDED)
        g_hash_table_remove_all (self->expanded);
      g_hash_table_add (self->expanded, tincan_message_ref (message));
    }
  refresh_rows_of (self, message);
  return _tincan_transcript_view_is_expanded (self, message);
}

static void
list_activate_cb (TincanTranscriptView *self,
                  guint                 position)
{
  tincan_transcript_view_toggle_expanded (self, position);
}

static void
tincan_transcript_view_init (TincanTranscriptView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->following = TRUE;
  self->current = -1;
  self->expanded = g_hash_table_new_full (NULL, NULL,
                                          (GDestroyNotify) tincan_message_unref, NULL);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (list_activate_cb), self,
                           G_CONNECT_SWAPPED);
  _tincan_transcript_view_menu_init (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->selection = gtk_multi_selection_new (NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (self->vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
}
