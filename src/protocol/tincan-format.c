/* tincan-format.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Counts as a person reads them: every count the window shows goes through
 * here, so that "1,000,000 messages" is grouped as the locale groups digits
 * (issue 12, item 11). Here rather than in the app because the net layer's
 * sentences (tincan-error-text.c) count too. */

#include "config.h"

#include "tincan-format.h"

/**
 * tincan_format_count:
 * @n: a count of messages, bytes, entries...
 *
 * Writes @n with the digit grouping of the current LC_NUMERIC locale:
 * "1,000,000" in en_US, "1.000.000" in de_DE, "1000000" in C and C.UTF-8.
 * Not for numbers that are names, such as ports.
 *
 * Returns: (transfer full): the number as text
 */
char *
tincan_format_count (guint64 n)
{
  /* glibc's ' flag: the grouping and separator of LC_NUMERIC. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}
