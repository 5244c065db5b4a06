/* tincan-entry.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tincan-message.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_ENTRY (tincan_entry_get_type ())

G_DECLARE_FINAL_TYPE (TincanEntry, tincan_entry, TINCAN, ENTRY, GObject)

TincanEntry   *tincan_entry_new         (TincanMessage *message);
TincanMessage *tincan_entry_get_message (TincanEntry   *self);

G_END_DECLS
