/* fuzz-target.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-target.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* The target parser must never crash, and what it accepts must read back
 * the same through tincan_target_to_string(). */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(TincanTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  target = tincan_target_parse (text, TINCAN_TRANSPORT_UDP, &error);
  if (target != NULL)
    {
      g_autofree char *canonical = tincan_target_to_string (target);
      g_autoptr(TincanTarget) again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (target->host);
      g_assert_cmpuint (target->port, >=, 1);
      g_assert_true (tincan_target_check_host (target->host, NULL));

      again = tincan_target_parse (canonical, TINCAN_TRANSPORT_TCP, NULL);
      g_assert_nonnull (again);
      g_assert_cmpint (again->transport, ==, target->transport);
      g_assert_cmpstr (again->host, ==, target->host);
      g_assert_cmpuint (again->port, ==, target->port);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TINCAN_TARGET_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  /* The pieces the window calls on their own. */
  if (tincan_target_parse_port (text, &port, NULL))
    g_assert_cmpuint (port, >=, 1);
  tincan_target_check_host (text, NULL);

  return 0;
}
