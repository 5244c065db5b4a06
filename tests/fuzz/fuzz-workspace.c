/* fuzz-workspace.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tincan-workspace.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Any input reads or fails with a line-naming error; what reads saves to text
 * that reads back equal and saves to the same bytes. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanWorkspace) workspace = NULL;
  g_autoptr(TincanWorkspace) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize length = 0, again_length = 0;

  workspace = tincan_workspace_new_from_data ((const char *) data, size, &error);
  if (workspace == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TINCAN_WORKSPACE_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "Line "));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);
  text = tincan_workspace_to_data (workspace, &length);
  back = tincan_workspace_new_from_data (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_workspace_equal (workspace, back));
  again = tincan_workspace_to_data (back, &again_length);
  g_assert_cmpmem (text, length, again, again_length);
  return 0;
}
