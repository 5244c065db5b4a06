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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/count/ungrouped", test_ungrouped);
  g_test_add_func ("/format/count/grouped", test_grouped);

  return g_test_run ();
}
