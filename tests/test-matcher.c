/* test-matcher.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search's matcher (issue 14, "Find and filter"): smart case, hex and
 * regular expressions over wire bytes, matches that straddle the framing,
 * invalid UTF-8, and the errors of a bad query. */

#include "config.h"

#include <string.h>

#include "tincan-matcher.h"

static TincanMatcher *
compile (const char        *query,
         TincanMatcherMode  mode)
{
  g_autoptr(GError) error = NULL;
  TincanMatcher *matcher = tincan_matcher_new (query, mode, &error);

  g_assert_no_error (error);
  g_assert_nonnull (matcher);
  return matcher;
}

static gboolean
matches_text (TincanMatcher *matcher,
              const char    *text)
{
  return tincan_matcher_matches (matcher, NULL, 0, (const guint8 *) text, strlen (text), NULL, 0);
}

/* The matches in @wire cut into three pieces at @cut1 and @cut2, copied
 * apart so that they do not follow each other in memory, as "a-b,c-d". */
static char *
find_split (TincanMatcher *matcher,
            const guint8  *wire,
            gsize          length,
            gsize          cut1,
            gsize          cut2)
{
  g_autofree guint8 *prefix = g_memdup2 (wire, cut1);
  g_autofree guint8 *data = g_memdup2 (wire + cut1, cut2 - cut1);
  g_autofree guint8 *suffix = g_memdup2 (wire + cut2, length - cut2);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (TincanMatch));
  GString *text = g_string_new (NULL);
  guint n;

  n = tincan_matcher_find_all (matcher, prefix, cut1, data, cut2 - cut1, suffix, length - cut2,
                               found);
  g_assert_cmpuint (n, ==, found->len);
  g_assert_cmpint (n > 0, ==, tincan_matcher_matches (matcher, prefix, cut1, data, cut2 - cut1,
                                                       suffix, length - cut2));
  for (guint i = 0; i < found->len; i++)
    {
      TincanMatch *m = &g_array_index (found, TincanMatch, i);

      g_string_append_printf (text, "%s%u-%u", i > 0 ? "," : "", m->start, m->end);
    }
  return g_string_free (text, FALSE);
}

static void
assert_all_cuts (TincanMatcher *matcher,
                 const char    *wire,
                 const char    *expected)
{
  gsize length = strlen (wire);

  for (gsize cut1 = 0; cut1 <= length; cut1++)
    for (gsize cut2 = cut1; cut2 <= length; cut2++)
      {
        g_autofree char *found = find_split (matcher, (const guint8 *) wire, length, cut1, cut2);

        g_assert_cmpstr (found, ==, expected);
      }
}

static void
test_smart_case (void)
{
  g_autoptr(TincanMatcher) lower = compile ("hello", TINCAN_MATCHER_TEXT);
  g_autoptr(TincanMatcher) capital = compile ("Hello", TINCAN_MATCHER_TEXT);

  g_assert_true (tincan_matcher_get_caseless (lower));
  g_assert_true (matches_text (lower, "say HeLLo there"));
  g_assert_true (matches_text (lower, "hello"));
  g_assert_false (matches_text (lower, "hell o"));
  g_assert_false (matches_text (lower, "hell"));

  g_assert_false (tincan_matcher_get_caseless (capital));
  g_assert_true (matches_text (capital, "say Hello"));
  g_assert_false (matches_text (capital, "say hello"));
  g_assert_false (matches_text (capital, "say HELLO"));
}

static void
test_find_all (void)
{
  g_autoptr(TincanMatcher) matcher = compile ("ab", TINCAN_MATCHER_TEXT);
  g_autoptr(TincanMatcher) overlapping = compile ("aa", TINCAN_MATCHER_TEXT);

  assert_all_cuts (matcher, "xabyABzab", "1-3,4-6,7-9");
  /* Matches do not overlap: "aaa" holds one "aa". */
  assert_all_cuts (overlapping, "aaaaa", "0-2,2-4");
  assert_all_cuts (matcher, "", "");
}

/* Issue 14: a match across the prefix/payload and payload/suffix boundaries
 * counts, whatever the pieces. */
static void
test_boundaries (void)
{
  g_autoptr(TincanMatcher) crlf = compile ("hex: 0d 0a", TINCAN_MATCHER_TEXT);
  g_autoptr(TincanMatcher) length_and_text = compile ("hex: 00 04 50", TINCAN_MATCHER_TEXT);
  g_autoptr(TincanMatcher) regex = compile ("G\\r\\n$", TINCAN_MATCHER_REGEX);
  const char wire[] = "\x00\x04PING\r\n";

  g_assert_cmpint (tincan_matcher_get_mode (crlf), ==, TINCAN_MATCHER_HEX);
  assert_all_cuts (crlf, "PING\r\nPONG\r\n", "4-6,10-12");
  assert_all_cuts (regex, "PING\r\nPONG\r\n", "9-12");

  for (gsize cut1 = 0; cut1 <= 8; cut1++)
    for (gsize cut2 = cut1; cut2 <= 8; cut2++)
      {
        g_autofree char *found = find_split (length_and_text, (const guint8 *) wire, 8, cut1, cut2);

        g_assert_cmpstr (found, ==, "0-3");
      }
}

/* Pieces that follow each other in memory are searched in place, as they
 * are in a message's own storage. */
static void
test_contiguous (void)
{
  g_autoptr(TincanMatcher) matcher = compile ("hex: 0a 00", TINCAN_MATCHER_HEX);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (TincanMatch));
  const guint8 wire[] = { 0x00, 0x01, 0x0a, 0x00, 0x0a };

  g_assert_cmpuint (tincan_matcher_find_all (matcher, wire, 2, wire + 2, 2, wire + 4, 1, found),
                    ==, 1);
  g_assert_cmpuint (g_array_index (found, TincanMatch, 0).start, ==, 2);
  g_assert_cmpuint (g_array_index (found, TincanMatch, 0).end, ==, 4);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(TincanMatcher) text = compile ("ok", TINCAN_MATCHER_TEXT);
  g_autoptr(TincanMatcher) regex = compile ("o.k", TINCAN_MATCHER_REGEX);
  g_autoptr(TincanMatcher) hex = compile ("ff fe", TINCAN_MATCHER_HEX);
  g_autoptr(TincanMatcher) dot = compile ("\\xff.", TINCAN_MATCHER_REGEX);

  assert_all_cuts (text, "\xff\xfeOK\xc3", "2-4");
  assert_all_cuts (regex, "\xc3o\xffk\xc3", "1-4");
  assert_all_cuts (hex, "a\xff\xfe\xff\xfe", "1-3,3-5");
  /* Raw mode: "." is one byte, not one character. */
  assert_all_cuts (dot, "\xff\xc3\xa9", "0-2");
  /* Bytes with a NUL in them. */
  g_assert_true (tincan_matcher_matches (text, NULL, 0, (const guint8 *) "\0ok", 3, NULL, 0));
}

static void
test_regex (void)
{
  g_autoptr(TincanMatcher) lower = compile ("^pon?g", TINCAN_MATCHER_REGEX);
  g_autoptr(TincanMatcher) capital = compile ("P[A-Z]+", TINCAN_MATCHER_REGEX);
  g_autoptr(TincanMatcher) empty = compile ("^", TINCAN_MATCHER_REGEX);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (TincanMatch));

  g_assert_true (tincan_matcher_get_caseless (lower));
  g_assert_true (matches_text (lower, "PONG"));
  g_assert_true (matches_text (lower, "pog"));
  g_assert_false (matches_text (lower, " pong"));
  g_assert_false (tincan_matcher_get_caseless (capital));
  assert_all_cuts (capital, "PING pong PONG", "0-4,10-14");

  /* An empty match says the entry matches; there is nothing to highlight. */
  g_assert_true (matches_text (empty, "x"));
  g_assert_cmpuint (tincan_matcher_find_all (empty, NULL, 0, (const guint8 *) "x", 1, NULL, 0,
                                             found), ==, 0);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (tincan_matcher_new ("", TINCAN_MATCHER_TEXT, &error));
  g_assert_no_error (error);
  g_assert_null (tincan_matcher_new ("hex:", TINCAN_MATCHER_TEXT, &error));
  g_assert_no_error (error);
  g_assert_null (tincan_matcher_new ("  ", TINCAN_MATCHER_HEX, &error));
  g_assert_no_error (error);
  g_assert_null (tincan_matcher_new ("", TINCAN_MATCHER_REGEX, &error));
  g_assert_no_error (error);
}

static void
assert_error (const char         *query,
              TincanMatcherMode   mode,
              TincanMatcherError  code,
              const char         *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (tincan_matcher_new (query, mode, &error));
  g_assert_error (error, TINCAN_MATCHER_ERROR, (int) code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not say “%s”", error->message, fragment);
}

static void
test_bad_queries (void)
{
  assert_error ("0d 0g", TINCAN_MATCHER_HEX, TINCAN_MATCHER_ERROR_BAD_HEX, "column 5");
  /* After the prefix, columns still count from the start of the query. */
  assert_error ("hex: 0d 0g", TINCAN_MATCHER_TEXT, TINCAN_MATCHER_ERROR_BAD_HEX, "column 10");
  assert_error ("HEX:0d0", TINCAN_MATCHER_TEXT, TINCAN_MATCHER_ERROR_BAD_HEX, "Odd number");
  assert_error ("a(b", TINCAN_MATCHER_REGEX, TINCAN_MATCHER_ERROR_BAD_REGEX, "at char 3");
  assert_error ("x{2,1}", TINCAN_MATCHER_REGEX, TINCAN_MATCHER_ERROR_BAD_REGEX, "order");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/matcher/smart-case", test_smart_case);
  g_test_add_func ("/matcher/find-all", test_find_all);
  g_test_add_func ("/matcher/boundaries", test_boundaries);
  g_test_add_func ("/matcher/contiguous", test_contiguous);
  g_test_add_func ("/matcher/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/matcher/regex", test_regex);
  g_test_add_func ("/matcher/empty", test_empty);
  g_test_add_func ("/matcher/bad-queries", test_bad_queries);

  return g_test_run ();
}
