/* test-format.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Counts grouped as the locale groups digits (issue 12, item 11). The tests
 * install no locale: a grouping one is used when the machine has it (or
 * LOCPATH points at one built with localedef), and skipped otherwise. */

#include "config.h"

#include <locale.h>

#include "tincan-format.h"

static void
assert_count (guint64     n,
              const char *expected)
{
  g_autofree char *text = tincan_format_count (n);

  g_assert_cmpstr (text, ==, expected);
}

/* C and C.UTF-8 (the tests' own locale) group nothing: the text is unchanged. */
static void
test_ungrouped (void)
{
  const char *locales[] = { "C", "C.UTF-8" };

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_assert_nonnull (setlocale (LC_NUMERIC, locales[i]));
      assert_count (0, "0");
      assert_count (999, "999");
      assert_count (1000000, "1000000");
      assert_count (G_MAXUINT64, "18446744073709551615");
    }
  setlocale (LC_NUMERIC, "");
}

static void
test_grouped (void)
{
  const struct
  {
    const char *locale;
    const char *thousand;
    const char *million;
    const char *max;
  } cases[] = {
    { "en_US.UTF-8", "1,000", "1,000,000", "18,446,744,073,709,551,615" },
    { "de_DE.UTF-8", "1.000", "1.000.000", "18.446.744.073.709.551.615" },
  };
  guint tested = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (setlocale (LC_NUMERIC, cases[i].locale) == NULL)
        continue;

      assert_count (999, "999");
      assert_count (1000, cases[i].thousand);
      assert_count (1000000, cases[i].million);
      assert_count (G_MAXUINT64, cases[i].max);
      tested++;
    }
  setlocale (LC_NUMERIC, "");

  if (tested == 0)
    g_test_skip ("No grouping locale (en_US.UTF-8, de_DE.UTF-8) on this machine");
}

/* Issue 12, item 6: a connect or round-trip time in the unit that reads
 * best, never carrying "1000" into the text. */
static void
test_duration (void)
{
  const struct
  {
    gint64      usec;
    const char *expected;
  } cases[] = {
    { -5, "0 µs" },
    { 0, "0 µs" },
    { 850, "850 µs" },
    { 999, "999 µs" },
    { 1000, "1.0 ms" },
    { 1234, "1.2 ms" },
    { 9949, "9.9 ms" },
    { 9950, "10 ms" },
    { 35400, "35 ms" },
    { 999499, "999 ms" },
    { 999500, "1.00 s" },
    { 1200000, "1.20 s" },
    { 12500000, "12.5 s" },
    { 99950000, "100 s" },
    { 1234000000, "1234 s" },
  };

  g_assert_nonnull (setlocale (LC_NUMERIC, "C.UTF-8"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tincan_format_duration (cases[i].usec);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  setlocale (LC_NUMERIC, "");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/count/ungrouped", test_ungrouped);
  g_test_add_func ("/format/count/grouped", test_grouped);
  g_test_add_func ("/format/duration", test_duration);

  return g_test_run ();
}
