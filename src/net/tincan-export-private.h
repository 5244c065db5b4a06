/* tincan-export-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-export.h"
#include "tincan-log-private.h"

/* Between the exporters (tincan-export.c) and the pcapng one
 * (tincan-export-pcapng.c); nothing else includes this. */

G_BEGIN_DECLS

typedef struct _TincanPcapng TincanPcapng;

TincanPcapng *_tincan_pcapng_new    (TincanLogSink         *sink,
                                     TincanMessage * const *messages,
                                     guint                  n_messages,
                                     GHashTable            *connections);
void          _tincan_pcapng_entry  (TincanPcapng          *self,
                                     guint                  index);
void          _tincan_pcapng_free   (TincanPcapng          *self);

G_END_DECLS
