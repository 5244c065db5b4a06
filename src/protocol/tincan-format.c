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

#include <glib/gi18n-lib.h>

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

/**
 * tincan_format_duration:
 * @usec: a duration in microseconds, such as a connect or round-trip time
 *
 * Writes @usec with about two or three significant digits, in the unit
 * that reads best: "850 µs", "1.2 ms", "35 ms", "1.20 s", "12.5 s",
 * "1,234 s". The thresholds are where rounding would carry into the next
 * unit, so that 999.7 µs reads "1.0 ms", never "1000 µs".
 *
 * Returns: (transfer full): the duration as text
 */
char *
tincan_format_duration (gint64 usec)
{
  g_autofree char *count = NULL;

  usec = MAX (usec, 0);
  if (usec < 1000)
    /* TRANSLATORS: a duration in microseconds, e.g. "850 µs" */
    return g_strdup_printf (_("%d µs"), (int) usec);
  if (usec < 9950)
    /* TRANSLATORS: a duration in milliseconds, e.g. "1.2 ms" or "35 ms" */
    return g_strdup_printf (_("%.1f ms"), usec / 1000.0);
  if (usec < 999500)
    return g_strdup_printf (_("%.0f ms"), usec / 1000.0);
  if (usec < 9995000)
    /* TRANSLATORS: a duration in seconds, e.g. "1.20 s" or "12.5 s" */
    return g_strdup_printf (_("%.2f s"), usec / 1e6);
  if (usec < 99950000)
    return g_strdup_printf (_("%.1f s"), usec / 1e6);

  count = tincan_format_count ((guint64) ((usec + 500000) / 1000000));
  /* TRANSLATORS: a duration in whole seconds, grouped: "1,234 s" */
  return g_strdup_printf (_("%s s"), count);
}
