/* tincan-transcript.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The transcript keeps TincanMessage pointers in an array and hands out a
 * TincanEntry only when a list view asks for an item.
 *
 * Messages arrive in batches from the session; they wait in `pending` until
 * the window flushes them once per frame, so a flood costs one
 * items-changed per frame instead of one per line. When the limit (a count)
 * or the byte budget is reached the oldest entries go, and position 0
 * becomes a note that says how many were removed.
 *
 * Memory must not follow the peer: a message longer than a row can show
 * (TINCAN_RENDER_KEEP) is always kept as a clipped copy, its first bytes
 * plus its length and flags (tincan_message_new_clipped()). The session's
 * counters have counted every byte and the log, which gets the same batch
 * after the transcript, gets the whole message. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-format.h"
#include "tincan-render.h"
#include "tincan-transcript.h"

/* What an entry costs besides its bytes: the message struct, the malloc
 * header and the array slot, rounded up. */
#define ENTRY_OVERHEAD 128
/* At least a few full entries always fit. */
#define MIN_BUDGET     (64 * 1024)
#define DEFAULT_BUDGET (256 * 1024 * 1024)

struct _TincanTranscript
{
  GObject        parent_instance;

  /* Visible entries are items[start .. items->len); the slots before start
   * were trimmed and are compacted away once they are half the array. */
  GPtrArray     *items;
  guint          start;
  GPtrArray     *pending;
  guint64        items_bytes;     /* cost of the visible entries */
  guint64        pending_bytes;
  guint          limit;
  guint64        budget;
  guint64        n_removed;
  TincanMessage *removed_note;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TincanTranscript, tincan_transcript, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_BUDGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint64
entry_cost (TincanMessage *message)
{
  gsize kept;

  tincan_message_get_data (message, &kept);
  return kept + ENTRY_OVERHEAD;
}

static guint
n_visible (TincanTranscript *self)
{
  return self->items->len - self->start;
}

static guint
note_offset (TincanTranscript *self)
{
  return self->n_removed > 0 ? 1 : 0;
}

static GType
tincan_transcript_get_item_type (GListModel *model)
{
  return TINCAN_TYPE_ENTRY;
}

static guint
tincan_transcript_get_n_items (GListModel *model)
{
  TincanTranscript *self = TINCAN_TRANSCRIPT (model);

  return note_offset (self) + n_visible (self);
}

static gpointer
tincan_transcript_get_item (GListModel *model,
                            guint       position)
{
  TincanTranscript *self = TINCAN_TRANSCRIPT (model);
  TincanMessage *message = tincan_transcript_get_message (self, position);

  return message != NULL ? tincan_entry_new (message) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tincan_transcript_get_item_type;
  iface->get_n_items = tincan_transcript_get_n_items;
  iface->get_item = tincan_transcript_get_item;
}

static void
unref_range (GPtrArray *array,
             guint      from,
             guint      to)
{
  for (guint i = from; i < to; i++)
    g_clear_pointer (&g_ptr_array_index (array, i), tincan_message_unref);
}

static void
tincan_transcript_finalize (GObject *object)
{
  TincanTranscript *self = (TincanTranscript *)object;

  unref_range (self->items, self->start, self->items->len);
  unref_range (self->pending, 0, self->pending->len);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->removed_note, tincan_message_unref);

  G_OBJECT_CLASS (tincan_transcript_parent_class)->finalize (object);
}

static void
tincan_transcript_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TincanTranscript *self = TINCAN_TRANSCRIPT (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_BUDGET:
      g_value_set_uint64 (value, self->budget);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_transcript_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TincanTranscript *self = TINCAN_TRANSCRIPT (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      tincan_transcript_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_BUDGET:
      tincan_transcript_set_budget (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_transcript_class_init (TincanTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tincan_transcript_finalize;
  object_class->get_property = tincan_transcript_get_property;
  object_class->set_property = tincan_transcript_set_property;

  /**
   * TincanTranscript:limit:
   *
   * How many entries are kept at most; a change takes effect at the next flush.
   */
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, 100000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * TincanTranscript:budget:
   *
   * How many bytes the entries may take at most (their kept bytes plus a
   * fixed overhead each); a change takes effect at the next push or flush.
   */
  properties[PROP_BUDGET] =
    g_param_spec_uint64 ("budget", NULL, NULL, MIN_BUDGET, G_MAXUINT64, DEFAULT_BUDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tincan_transcript_init (TincanTranscript *self)
{
  /* No free functions: slots are moved and trimmed by hand, see unref_range (). */
  self->items = g_ptr_array_new ();
  self->pending = g_ptr_array_new ();
  self->budget = DEFAULT_BUDGET;
}

/**
 * tincan_transcript_new:
 * @limit: how many entries to keep at most (>= 1)
 *
 * Returns: (transfer full): a new, empty transcript
 */
TincanTranscript *
tincan_transcript_new (guint limit)
{
  TincanTranscript *self = g_object_new (TINCAN_TYPE_TRANSCRIPT, NULL);

  self->limit = MAX (limit, 1);

  return self;
}

/**
 * tincan_transcript_set_limit:
 *
 * Sets how many entries are kept; takes effect at the next flush.
 */
void
tincan_transcript_set_limit (TincanTranscript *self,
                             guint             limit)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT (self));

  limit = MAX (limit, 1);
  if (self->limit == limit)
    return;

  self->limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

/**
 * tincan_transcript_set_budget:
 *
 * Sets how many bytes the entries may take (see #TincanTranscript:budget).
 */
void
tincan_transcript_set_budget (TincanTranscript *self,
                              guint64           budget)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT (self));

  budget = MAX (budget, MIN_BUDGET);
  if (self->budget == budget)
    return;

  self->budget = budget;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
}

guint64
tincan_transcript_get_budget (TincanTranscript *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), 0);

  return self->budget;
}

/* Drops the oldest pending entries until at most @count entries taking at
 * most @bytes are left; they count as removed. */
static void
drop_pending_to_fit (TincanTranscript *self,
                     guint             count,
                     guint64           bytes)
{
  guint excess = 0;

  if (self->pending->len > count)
    excess = self->pending->len - count;
  for (guint i = 0; i < excess; i++)
    self->pending_bytes -= entry_cost (g_ptr_array_index (self->pending, i));
  while (excess < self->pending->len && self->pending_bytes > bytes)
    self->pending_bytes -= entry_cost (g_ptr_array_index (self->pending, excess++));

  if (excess == 0)
    return;

  unref_range (self->pending, 0, excess);
  g_ptr_array_remove_range (self->pending, 0, excess);
  self->n_removed += excess;
}

/**
 * tincan_transcript_push:
 * @message: (transfer none): the entry to add
 *
 * Queues @message; it becomes visible at the next tincan_transcript_flush().
 * A message longer than TINCAN_RENDER_KEEP is kept as a clipped copy (the
 * caller's @message is not changed). Pending entries beyond the limit or
 * the budget are counted as removed at once (a quarter over, so that the
 * cost is amortised), so a window that is not painting (hidden, minimised)
 * does not hoard a flood.
 */
void
tincan_transcript_push (TincanTranscript *self,
                        TincanMessage    *message)
{
  TincanMessage *kept;

  g_return_if_fail (TINCAN_IS_TRANSCRIPT (self));
  g_return_if_fail (message != NULL);

  if (tincan_message_get_length (message) > TINCAN_RENDER_KEEP)
    kept = tincan_message_new_clipped (message, TINCAN_RENDER_KEEP);
  else
    kept = tincan_message_ref (message);
  g_ptr_array_add (self->pending, kept);
  self->pending_bytes += entry_cost (kept);

  if (self->pending->len >= 2 * self->limit ||
      self->pending_bytes > self->budget + self->budget / 4)
    drop_pending_to_fit (self, self->limit, self->budget);
}

guint
tincan_transcript_get_n_pending (TincanTranscript *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), 0);

  return self->pending->len;
}

static void
update_removed_note (TincanTranscript *self)
{
  g_autofree char *text = NULL;
  g_autofree char *count = tincan_format_count (self->n_removed);

  g_clear_pointer (&self->removed_note, tincan_message_unref);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s earlier entry removed",
                                       "%s earlier entries removed",
                                       self->n_removed),
                          count);
  self->removed_note = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, text);
}

/* Drops the oldest visible entries so that the pending ones fit the limit
 * and the budget. Returns how many visible entries went. */
static guint
trim_for_pending (TincanTranscript *self)
{
  guint visible = n_visible (self);
  guint incoming = self->pending->len;
  guint excess = 0;

  if ((guint64) visible + incoming > self->limit)
    excess = MIN (visible, visible + incoming - self->limit);
  for (guint i = 0; i < excess; i++)
    self->items_bytes -= entry_cost (g_ptr_array_index (self->items, self->start + i));
  while (excess < visible && self->items_bytes + self->pending_bytes > self->budget)
    self->items_bytes -= entry_cost (g_ptr_array_index (self->items, self->start + excess++));

  if (excess == 0)
    return 0;

  unref_range (self->items, self->start, self->start + excess);
  self->start += excess;
  self->n_removed += excess;

  if (self->start > self->items->len / 2)
    {
      g_ptr_array_remove_range (self->items, 0, self->start);
      self->start = 0;
    }

  return excess;
}

/**
 * tincan_transcript_flush:
 *
 * Makes pending entries visible: one items-changed for what the limit
 * removed (if anything) and one for what was added.
 *
 * Returns: %TRUE if the model changed
 */
gboolean
tincan_transcript_flush (TincanTranscript *self)
{
  guint had_note, old_visible, trimmed, incoming, position;
  guint64 old_removed;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), FALSE);

  if (self->pending->len == 0)
    return FALSE;

  had_note = note_offset (self);
  old_removed = self->n_removed;
  old_visible = n_visible (self);

  /* Entries that would be trimmed straight away never become visible. */
  drop_pending_to_fit (self, self->limit, self->budget);
  incoming = self->pending->len;

  /* Each items-changed must describe the model as it is when emitted:
   * remove first, then append. */
  trimmed = trim_for_pending (self);
  if (self->n_removed != old_removed)
    {
      update_removed_note (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, had_note + trimmed, 1);
    }

  position = note_offset (self) + old_visible - trimmed;
  for (guint i = 0; i < incoming; i++)
    g_ptr_array_add (self->items, g_ptr_array_index (self->pending, i));
  g_ptr_array_set_size (self->pending, 0);
  self->items_bytes += self->pending_bytes;
  self->pending_bytes = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, incoming);

  return TRUE;
}

struct _TincanTranscriptSnapshot
{
  GPtrArray *messages;   /* oldest first, pending ones last */
  guint64    n_removed;
};

void
tincan_transcript_snapshot_free (TincanTranscriptSnapshot *snapshot)
{
  g_ptr_array_unref (snapshot->messages);
  g_free (snapshot);
}

/* Moves every entry, pending ones too, out of the transcript into @into. */
static void
move_all (TincanTranscript *self,
          GPtrArray        *into)
{
  for (guint i = self->start; i < self->items->len; i++)
    g_ptr_array_add (into, g_ptr_array_index (self->items, i));
  for (guint i = 0; i < self->pending->len; i++)
    g_ptr_array_add (into, g_ptr_array_index (self->pending, i));
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->pending, 0);
  self->start = 0;
  self->items_bytes = 0;
  self->pending_bytes = 0;
}

/**
 * tincan_transcript_take:
 *
 * Removes every entry, pending ones too, and forgets the removed count, as
 * tincan_transcript_clear() does, but hands them over, for an undo.
 *
 * Returns: (transfer full): what the transcript held
 */
TincanTranscriptSnapshot *
tincan_transcript_take (TincanTranscript *self)
{
  TincanTranscriptSnapshot *snapshot;
  guint old_n;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), NULL);

  old_n = tincan_transcript_get_n_items (G_LIST_MODEL (self));
  snapshot = g_new0 (TincanTranscriptSnapshot, 1);
  snapshot->messages = g_ptr_array_new_full (n_visible (self) + self->pending->len,
                                             (GDestroyNotify) tincan_message_unref);
  snapshot->n_removed = self->n_removed;
  move_all (self, snapshot->messages);
  self->n_removed = 0;
  g_clear_pointer (&self->removed_note, tincan_message_unref);

  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  return snapshot;
}

/**
 * tincan_transcript_restore:
 * @snapshot: (transfer full): what tincan_transcript_take() returned
 *
 * Puts the entries of @snapshot back, before those that came since; the
 * limit and the budget still hold, the oldest going first.
 */
void
tincan_transcript_restore (TincanTranscript         *self,
                           TincanTranscriptSnapshot *snapshot)
{
  g_autoptr(GPtrArray) all = NULL;
  guint old_n, excess = 0;
  guint64 bytes = 0;

  g_return_if_fail (TINCAN_IS_TRANSCRIPT (self));
  g_return_if_fail (snapshot != NULL);

  old_n = tincan_transcript_get_n_items (G_LIST_MODEL (self));
  all = g_ptr_array_new ();
  g_ptr_array_extend_and_steal (all, g_steal_pointer (&snapshot->messages));
  move_all (self, all);
  self->n_removed += snapshot->n_removed;
  g_free (snapshot);

  for (guint i = 0; i < all->len; i++)
    bytes += entry_cost (g_ptr_array_index (all, i));
  if (all->len > self->limit)
    excess = all->len - self->limit;
  for (guint i = 0; i < excess; i++)
    bytes -= entry_cost (g_ptr_array_index (all, i));
  while (excess < all->len && bytes > self->budget)
    bytes -= entry_cost (g_ptr_array_index (all, excess++));
  unref_range (all, 0, excess);
  g_ptr_array_remove_range (all, 0, excess);
  self->n_removed += excess;

  g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&all));
  self->items_bytes = bytes;
  if (self->n_removed > 0)
    update_removed_note (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              tincan_transcript_get_n_items (G_LIST_MODEL (self)));
}

/**
 * tincan_transcript_dup_messages:
 *
 * Returns: (transfer full) (element-type TincanMessage): the entries shown
 *   now, oldest first, the "N earlier entries removed" note included (a
 *   snapshot for Save Transcript: entries are immutable)
 */
GPtrArray *
tincan_transcript_dup_messages (TincanTranscript *self)
{
  GPtrArray *messages;
  guint n;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), NULL);

  n = tincan_transcript_get_n_items (G_LIST_MODEL (self));
  messages = g_ptr_array_new_full (n, (GDestroyNotify) tincan_message_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (messages, tincan_message_ref (tincan_transcript_get_message (self, i)));
  return messages;
}

/**
 * tincan_transcript_clear:
 *
 * Removes every entry, pending ones too, and forgets the removed count.
 */
void
tincan_transcript_clear (TincanTranscript *self)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT (self));

  tincan_transcript_snapshot_free (tincan_transcript_take (self));
}

guint64
tincan_transcript_get_n_removed (TincanTranscript *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), 0);

  return self->n_removed;
}

/**
 * tincan_transcript_get_message:
 *
 * Returns: (transfer none) (nullable): the message at @position, the
 *   "N earlier entries removed" note at 0 when entries were removed
 */
TincanMessage *
tincan_transcript_get_message (TincanTranscript *self,
                               guint             position)
{
  guint offset;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (self), NULL);

  offset = note_offset (self);
  if (position < offset)
    return self->removed_note;
  if (position - offset >= n_visible (self))
    return NULL;

  return g_ptr_array_index (self->items, self->start + position - offset);
}
