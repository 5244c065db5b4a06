/* tincan-session-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Hooks into TincanSession for tests and fuzz targets only. Nothing in the
 * application may call them: they bypass the socket entirely. */

#pragma once

#include "tincan-session.h"

G_BEGIN_DECLS

void _tincan_session_feed_for_testing (TincanSession *self,
                                       const guint8  *data,
                                       gsize          len,
                                       gboolean       eof);

G_END_DECLS
