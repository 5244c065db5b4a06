/* tincan-transcript-filter.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The entries of a transcript that a search finds, as a GListModel: the
 * list the window shows with "Show only matching", and the positions that
 * "12 of 480" and Next/Previous go through.
 *
 * Memory: one guint32 per match (the entry's position in the transcript),
 * nothing per entry that does not match.
 *
 * Time: a new query is matched in steps of TINCAN_FILTER_STEP_USEC in an
 * idle source, from the oldest entry up, so the window keeps painting while
 * a million entries are searched; `scanned` is how far it got. Entries the
 * transcript appends during a flood are past that frontier and are matched
 * by the next step; the entries it trims go from the front, which shifts
 * the positions kept. Entries are immutable, so nothing matched is matched
 * again unless the query changes. */

#include "config.h"

#include "tincan-app-enums.h"
#include "tincan-transcript-filter.h"

/* Changes this small before the frontier (the "N earlier entries removed"
 * note replaced at position 0) are matched at once; bigger ones rescan. */
#define MATCH_AT_ONCE 64
/* Entries matched between two looks at the clock. */
#define CLOCK_STRIDE 1024

struct _TincanTranscriptFilter
{
  GObject           parent_instance;

  TincanTranscript *transcript;
  TincanMatcher    *matcher;     /* NULL: every entry of the kinds */
  TincanShowKinds   kinds;
  GArray           *positions;   /* of guint32, ascending */
  guint             scanned;     /* transcript entries [0, scanned) are matched */
  gboolean          complete;
  GSource          *idle;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TincanTranscriptFilter, tincan_transcript_filter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_TRANSCRIPT,
  PROP_MATCHER,
  PROP_KINDS,
  PROP_N_MATCHES,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define POSITION(self, i) g_array_index ((self)->positions, guint32, (i))

/* GListModel */

static GType
tincan_transcript_filter_get_item_type (GListModel *model)
{
  return TINCAN_TYPE_ENTRY;
}

static guint
tincan_transcript_filter_get_n_items (GListModel *model)
{
  return TINCAN_TRANSCRIPT_FILTER (model)->positions->len;
}

static gpointer
tincan_transcript_filter_get_item (GListModel *model,
                                   guint       index)
{
  TincanTranscriptFilter *self = TINCAN_TRANSCRIPT_FILTER (model);
  TincanMessage *message;

  if (index >= self->positions->len)
    return NULL;
  message = tincan_transcript_get_message (self->transcript, POSITION (self, index));
  return message != NULL ? tincan_entry_new (message) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tincan_transcript_filter_get_item_type;
  iface->get_n_items = tincan_transcript_filter_get_n_items;
  iface->get_item = tincan_transcript_filter_get_item;
}

/* Matching */

static TincanShowKinds
kind_of (TincanMessage *message)
{
  switch (tincan_message_get_kind (message))
    {
    case TINCAN_MESSAGE_KIND_SENT:
      return TINCAN_SHOW_SENT;
    case TINCAN_MESSAGE_KIND_RECEIVED:
      return TINCAN_SHOW_RECEIVED;
    case TINCAN_MESSAGE_KIND_STATUS:
    case TINCAN_MESSAGE_KIND_ERROR:
    default:
      return TINCAN_SHOW_NOTES;
    }
}

/**
 * tincan_transcript_filter_passes:
 *
 * Returns: whether @message is of the kinds shown and the query finds it
 */
gboolean
tincan_transcript_filter_passes (TincanTranscriptFilter *self,
                                 TincanMessage          *message)
{
  const guint8 *prefix, *data, *suffix;
  gsize prefix_length, length, suffix_length;

  if ((kind_of (message) & self->kinds) == 0)
    return FALSE;
  if (self->matcher == NULL)
    return TRUE;

  prefix = tincan_message_get_prefix (message, &prefix_length);
  data = tincan_message_get_data (message, &length);
  suffix = tincan_message_get_suffix (message, &suffix_length);
  return tincan_matcher_matches (self->matcher, prefix, prefix_length, data, length,
                                 suffix, suffix_length);
}

static gboolean
passes_at (TincanTranscriptFilter *self,
           guint                   position)
{
  return tincan_transcript_filter_passes (self, tincan_transcript_get_message (self->transcript,
                                                                               position));
}

static guint
transcript_length (TincanTranscriptFilter *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->transcript));
}

static void
update_complete (TincanTranscriptFilter *self)
{
  gboolean complete = self->scanned >= transcript_length (self);

  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
emit_changed (TincanTranscriptFilter *self,
              guint                   index,
              guint                   removed,
              guint                   added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), index, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
}

/**
 * tincan_transcript_filter_step:
 * @budget_usec: how long to match at most (the clock is read every
 *   thousand entries or so)
 *
 * Matches entries past the frontier; the idle source calls it, tests and
 * the benchmark may too.
 *
 * Returns: %TRUE when every entry is matched
 */
gboolean
tincan_transcript_filter_step (TincanTranscriptFilter *self,
                               gint64                  budget_usec)
{
  gint64 deadline = g_get_monotonic_time () + budget_usec;
  guint n = transcript_length (self);
  guint before = self->positions->len;

  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), TRUE);

  while (self->scanned < n)
    {
      guint end = MIN (n, self->scanned + CLOCK_STRIDE);

      for (; self->scanned < end; self->scanned++)
        if (passes_at (self, self->scanned))
          {
            guint32 position = self->scanned;

            g_array_append_val (self->positions, position);
          }
      if (g_get_monotonic_time () >= deadline)
        break;
    }

  emit_changed (self, before, 0, self->positions->len - before);
  update_complete (self);
  return self->complete;
}

static gboolean
idle_cb (gpointer user_data)
{
  TincanTranscriptFilter *self = user_data;

  if (!tincan_transcript_filter_step (self, TINCAN_FILTER_STEP_USEC))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->idle, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
schedule (TincanTranscriptFilter *self)
{
  update_complete (self);
  if (self->complete || self->idle != NULL)
    return;

  self->idle = g_idle_source_new ();
  g_source_set_priority (self->idle, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->idle, idle_cb, self, NULL);
  g_source_set_static_name (self->idle, "[tincan] transcript filter");
  g_source_attach (self->idle, g_main_context_get_thread_default ());
}

static void
unschedule (TincanTranscriptFilter *self)
{
  if (self->idle == NULL)
    return;
  g_source_destroy (self->idle);
  g_clear_pointer (&self->idle, g_source_unref);
}

/* Index of the first match at @position or after it. */
static guint
lower_bound (TincanTranscriptFilter *self,
             guint                   position)
{
  guint low = 0, high = self->positions->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (POSITION (self, mid) < position)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

static void
rescan_from (TincanTranscriptFilter *self,
             guint                   position)
{
  guint first = lower_bound (self, position);
  guint old = self->positions->len;

  g_array_set_size (self->positions, first);
  self->scanned = MIN (self->scanned, position);
  emit_changed (self, first, old - first, 0);
  schedule (self);
}

static void
transcript_items_changed_cb (TincanTranscriptFilter *self,
                             guint                   position,
                             guint                   removed,
                             guint                   added,
                             GListModel             *model)
{
  guint first, last, inserted = 0;

  /* Past the frontier (an append): the next step gets to it. */
  if (position >= self->scanned)
    {
      schedule (self);
      return;
    }
  if (position + removed > self->scanned || added > MATCH_AT_ONCE)
    {
      rescan_from (self, position);
      return;
    }

  first = lower_bound (self, position);
  last = lower_bound (self, position + removed);
  g_array_remove_range (self->positions, first, last - first);
  for (guint i = first; i < self->positions->len; i++)
    POSITION (self, i) = POSITION (self, i) - removed + added;
  self->scanned = self->scanned - removed + added;
  for (guint i = 0; i < added; i++)
    if (passes_at (self, position + i))
      {
        guint32 at = position + i;

        g_array_insert_val (self->positions, first + inserted, at);
        inserted++;
      }

  emit_changed (self, first, last - first, inserted);
  schedule (self);
}

/* GObject */

static void
tincan_transcript_filter_dispose (GObject *object)
{
  TincanTranscriptFilter *self = (TincanTranscriptFilter *)object;

  unschedule (self);
  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_func (self->transcript, transcript_items_changed_cb, self);
  g_clear_object (&self->transcript);

  G_OBJECT_CLASS (tincan_transcript_filter_parent_class)->dispose (object);
}

static void
tincan_transcript_filter_finalize (GObject *object)
{
  TincanTranscriptFilter *self = (TincanTranscriptFilter *)object;

  g_clear_pointer (&self->matcher, tincan_matcher_unref);
  g_clear_pointer (&self->positions, g_array_unref);

  G_OBJECT_CLASS (tincan_transcript_filter_parent_class)->finalize (object);
}

static void
tincan_transcript_filter_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TincanTranscriptFilter *self = TINCAN_TRANSCRIPT_FILTER (object);

  switch (prop_id)
    {
    case PROP_TRANSCRIPT:
      g_value_set_object (value, self->transcript);
      break;
    case PROP_MATCHER:
      g_value_set_boxed (value, self->matcher);
      break;
    case PROP_KINDS:
      g_value_set_flags (value, self->kinds);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->positions->len);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_transcript_filter_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  TincanTranscriptFilter *self = TINCAN_TRANSCRIPT_FILTER (object);

  switch (prop_id)
    {
    case PROP_TRANSCRIPT:
      self->transcript = g_value_dup_object (value);
      g_signal_connect_object (self->transcript, "items-changed",
                               G_CALLBACK (transcript_items_changed_cb), self, G_CONNECT_SWAPPED);
      break;
    case PROP_MATCHER:
      tincan_transcript_filter_set_matcher (self, g_value_get_boxed (value));
      break;
    case PROP_KINDS:
      tincan_transcript_filter_set_kinds (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_transcript_filter_constructed (GObject *object)
{
  G_OBJECT_CLASS (tincan_transcript_filter_parent_class)->constructed (object);

  schedule (TINCAN_TRANSCRIPT_FILTER (object));
}

static void
tincan_transcript_filter_class_init (TincanTranscriptFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tincan_transcript_filter_dispose;
  object_class->finalize = tincan_transcript_filter_finalize;
  object_class->constructed = tincan_transcript_filter_constructed;
  object_class->get_property = tincan_transcript_filter_get_property;
  object_class->set_property = tincan_transcript_filter_set_property;

  properties[PROP_TRANSCRIPT] =
    g_param_spec_object ("transcript", NULL, NULL, TINCAN_TYPE_TRANSCRIPT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCHER] =
    g_param_spec_boxed ("matcher", NULL, NULL, TINCAN_TYPE_MATCHER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KINDS] =
    g_param_spec_flags ("kinds", NULL, NULL, TINCAN_TYPE_SHOW_KINDS, TINCAN_SHOW_ALL,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * TincanTranscriptFilter:complete:
   *
   * Whether every entry has been matched, so that the count is final.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tincan_transcript_filter_init (TincanTranscriptFilter *self)
{
  self->kinds = TINCAN_SHOW_ALL;
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->complete = TRUE;
}

/**
 * tincan_transcript_filter_new:
 *
 * Returns: (transfer full): a filter over @transcript that passes every
 *   entry until a matcher or kinds are set
 */
TincanTranscriptFilter *
tincan_transcript_filter_new (TincanTranscript *transcript)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT (transcript), NULL);

  return g_object_new (TINCAN_TYPE_TRANSCRIPT_FILTER, "transcript", transcript, NULL);
}

TincanTranscript *
tincan_transcript_filter_get_transcript (TincanTranscriptFilter *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), NULL);

  return self->transcript;
}

/**
 * tincan_transcript_filter_set_matcher:
 * @matcher: (nullable): the query, or %NULL for every entry of the kinds
 *
 * Starts matching again from the oldest entry.
 */
void
tincan_transcript_filter_set_matcher (TincanTranscriptFilter *self,
                                      TincanMatcher          *matcher)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self));

  if (self->matcher == matcher)
    return;
  g_clear_pointer (&self->matcher, tincan_matcher_unref);
  self->matcher = matcher != NULL ? tincan_matcher_ref (matcher) : NULL;
  rescan_from (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHER]);
}

TincanMatcher *
tincan_transcript_filter_get_matcher (TincanTranscriptFilter *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), NULL);

  return self->matcher;
}

void
tincan_transcript_filter_set_kinds (TincanTranscriptFilter *self,
                                    TincanShowKinds         kinds)
{
  g_return_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self));

  if (self->kinds == kinds)
    return;
  self->kinds = kinds;
  rescan_from (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KINDS]);
}

TincanShowKinds
tincan_transcript_filter_get_kinds (TincanTranscriptFilter *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), TINCAN_SHOW_ALL);

  return self->kinds;
}

guint
tincan_transcript_filter_get_n_matches (TincanTranscriptFilter *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), 0);

  return self->positions->len;
}

gboolean
tincan_transcript_filter_is_complete (TincanTranscriptFilter *self)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), TRUE);

  return self->complete;
}

/**
 * tincan_transcript_filter_get_position:
 * @index: a match, below tincan_transcript_filter_get_n_matches()
 *
 * Returns: the match's position in the transcript
 */
guint
tincan_transcript_filter_get_position (TincanTranscriptFilter *self,
                                       guint                   index)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), 0);
  g_return_val_if_fail (index < self->positions->len, 0);

  return POSITION (self, index);
}

/**
 * tincan_transcript_filter_find:
 * @position: a position in the transcript
 *
 * Returns: the index of the first match at @position or after it, or the
 *   number of matches when there is none
 */
guint
tincan_transcript_filter_find (TincanTranscriptFilter *self,
                               guint                   position)
{
  g_return_val_if_fail (TINCAN_IS_TRANSCRIPT_FILTER (self), 0);

  return lower_bound (self, position);
}
