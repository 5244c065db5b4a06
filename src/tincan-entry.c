/* tincan-entry.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The list item a transcript hands out for one message. The transcript
 * keeps bare message pointers and makes an entry only when a list view asks
 * for an item, so a million messages cost a pointer each, not a GObject
 * each. */

#include "config.h"

#include "tincan-entry.h"

struct _TincanEntry
{
  GObject        parent_instance;
  TincanMessage *message;
};

G_DEFINE_FINAL_TYPE (TincanEntry, tincan_entry, G_TYPE_OBJECT)

static void
tincan_entry_finalize (GObject *object)
{
  TincanEntry *self = (TincanEntry *)object;

  g_clear_pointer (&self->message, tincan_message_unref);

  G_OBJECT_CLASS (tincan_entry_parent_class)->finalize (object);
}

static void
tincan_entry_class_init (TincanEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tincan_entry_finalize;
}

static void
tincan_entry_init (TincanEntry *self)
{
}

/**
 * tincan_entry_new:
 * @message: (transfer none): the message the entry stands for
 *
 * Returns: (transfer full): a new entry holding a reference to @message
 */
TincanEntry *
tincan_entry_new (TincanMessage *message)
{
  TincanEntry *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (TINCAN_TYPE_ENTRY, NULL);
  self->message = tincan_message_ref (message);

  return self;
}

/**
 * tincan_entry_get_message:
 *
 * Returns: (transfer none): the message this entry stands for
 */
TincanMessage *
tincan_entry_get_message (TincanEntry *self)
{
  g_return_val_if_fail (TINCAN_IS_ENTRY (self), NULL);

  return self->message;
}
