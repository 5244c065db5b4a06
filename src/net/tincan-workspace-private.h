/* tincan-workspace-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-workspace.h"

G_BEGIN_DECLS

guint    _tincan_workspace_saved_selected_tab (TincanWorkspace  *self);
gboolean _tincan_workspace_write_data         (const char       *data,
                                               gsize             length,
                                               GFile            *file,
                                               GCancellable     *cancellable,
                                               GError          **error);

G_END_DECLS
