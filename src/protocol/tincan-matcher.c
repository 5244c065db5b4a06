/* tincan-matcher.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search of the transcript, over bytes: a query is compiled once into
 * the bytes to look for (plain text and hex) or a GRegex in raw mode (a
 * payload need not be UTF-8), then run over each entry's wire bytes, so a
 * match may start in a length prefix and end in the payload.
 *
 * Smart case: a query with no capital letter ignores case. The folding is
 * ASCII's, byte for byte, like the rest of the wire view: "é" does not
 * find "É" (a payload's bytes need not be text at all). */

#define _GNU_SOURCE  /* memmem () */

#include "config.h"

#include <string.h>


#include "tincan-matcher.h"
#include "tincan-payload.h"

struct _TincanMatcher
{
  gatomicrefcount    ref_count;
  TincanMatcherMode  mode;       /* HEX for a "hex:" text query */
  gboolean           caseless;
  GBytes            *needle;     /* TEXT and HEX; lowered when caseless */
  GRegex            *regex;      /* REGEX */
};

G_DEFINE_BOXED_TYPE (TincanMatcher, tincan_matcher, tincan_matcher_ref, tincan_matcher_unref)
G_DEFINE_QUARK (tincan-matcher-error-quark, tincan_matcher_error)

#define HEX_PREFIX "hex:"

static gboolean
has_capital (const char *query)
{
  for (const char *p = query; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isupper (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The "hex:" prefix is blanked rather than cut, so that the payload
 * parser's columns still count from the start of the query. */
static GBytes *
parse_hex (const char  *query,
           gboolean     prefixed,
           GError     **error)
{
  g_autofree char *input = g_strdup (query);
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (prefixed)
    memset (input, ' ', strlen (HEX_PREFIX));
  bytes = tincan_payload_parse (input, -1, TINCAN_PAYLOAD_FORMAT_HEX, TINCAN_LINE_ENDING_NONE,
                                NULL, &local_error);
  if (bytes == NULL)
    g_set_error_literal (error, TINCAN_MATCHER_ERROR, TINCAN_MATCHER_ERROR_BAD_HEX,
                         local_error->message);
  return bytes;
}

static GRegex *
compile_regex (const char  *query,
               gboolean     caseless,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GRegexCompileFlags flags = G_REGEX_RAW | G_REGEX_OPTIMIZE;
  GRegex *regex;

  if (caseless)
    flags |= G_REGEX_CASELESS;
  regex = g_regex_new (query, flags, 0, &local_error);
  /* GLib's message names the pattern, the offset and what is wrong:
   * "Error while compiling regular expression ‘a(’ at char 2: missing
   * terminating ) for subpattern". */
  if (regex == NULL)
    g_set_error_literal (error, TINCAN_MATCHER_ERROR, TINCAN_MATCHER_ERROR_BAD_REGEX,
                         local_error->message);
  return regex;
}

/**
 * tincan_matcher_new:
 * @query: what the user typed, UTF-8
 * @mode: how to read it; a TEXT query that starts with "hex:" is read as HEX
 *   (the prefix is allowed in HEX mode too)
 * @error: a %TINCAN_MATCHER_ERROR when the query cannot be compiled
 *
 * Returns: (transfer full) (nullable): a matcher, or %NULL when the query
 *   looks for nothing (empty, or hex with no digits; @error is not set) or
 *   is wrong (@error is set, with the position in its message)
 */
TincanMatcher *
tincan_matcher_new (const char         *query,
                    TincanMatcherMode   mode,
                    GError            **error)
{
  g_autoptr(TincanMatcher) self = NULL;
  gboolean prefixed;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  prefixed = mode != TINCAN_MATCHER_REGEX && g_ascii_strncasecmp (query, HEX_PREFIX,
                                                                  strlen (HEX_PREFIX)) == 0;
  if (prefixed)
    mode = TINCAN_MATCHER_HEX;
  if (*query == '\0')
    return NULL;

  self = g_new0 (TincanMatcher, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->mode = mode;
  self->caseless = mode != TINCAN_MATCHER_HEX && !has_capital (query);

  switch (mode)
    {
    case TINCAN_MATCHER_HEX:
      if ((self->needle = parse_hex (query, prefixed, error)) == NULL)
        return NULL;
      break;
    case TINCAN_MATCHER_REGEX:
      if ((self->regex = compile_regex (query, self->caseless, error)) == NULL)
        return NULL;
      break;
    case TINCAN_MATCHER_TEXT:
    default:
      if (self->caseless)
        {
          char *lowered = g_ascii_strdown (query, -1);

          self->needle = g_bytes_new_take (lowered, strlen (lowered));
        }
      else
        {
          self->needle = g_bytes_new (query, strlen (query));
        }
      break;
    }

  if (self->needle != NULL && g_bytes_get_size (self->needle) == 0)
    return NULL;

  return g_steal_pointer (&self);
}

TincanMatcher *
tincan_matcher_ref (TincanMatcher *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tincan_matcher_unref (TincanMatcher *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->needle, g_bytes_unref);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_free (self);
}

/**
 * tincan_matcher_get_mode:
 *
 * Returns: how the query was read (HEX for a "hex:" text query)
 */
TincanMatcherMode
tincan_matcher_get_mode (const TincanMatcher *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_MATCHER_TEXT);

  return self->mode;
}

/**
 * tincan_matcher_get_caseless:
 *
 * Returns: whether the matcher ignores case (a query with no capital)
 */
gboolean
tincan_matcher_get_caseless (const TincanMatcher *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->caseless;
}

/* Searching */

static const guint8 *
find_caseless (const guint8 *haystack,
               gsize         length,
               const guint8 *needle,
               gsize         needle_length)
{
  guint8 lower = needle[0];
  guint8 upper = (guint8) g_ascii_toupper (lower);
  const guint8 *last;

  if (needle_length > length)
    return NULL;

  last = haystack + length - needle_length;
  for (const guint8 *p = haystack; p <= last; p++)
    {
      gsize i;

      if (*p != lower && *p != upper)
        continue;
      for (i = 1; i < needle_length; i++)
        if ((guint8) g_ascii_tolower (p[i]) != needle[i])
          break;
      if (i == needle_length)
        return p;
    }
  return NULL;
}

static const guint8 *
find_bytes (const TincanMatcher *self,
            const guint8        *haystack,
            gsize                length)
{
  gsize needle_length;
  const guint8 *needle = g_bytes_get_data (self->needle, &needle_length);

  if (self->caseless)
    return find_caseless (haystack, length, needle, needle_length);
  return memmem (haystack, length, needle, needle_length);
}

/* Calls @found for each match in @wire, until it returns FALSE. */
typedef gboolean (*FoundFunc) (guint start, guint end, gpointer user_data);

static void
search (const TincanMatcher *self,
        const guint8        *wire,
        gsize                length,
        FoundFunc            found,
        gpointer             user_data)
{
  g_autoptr(GMatchInfo) info = NULL;
  gsize needle_length;
  gsize at = 0;

  if (self->regex == NULL)
    {
      const guint8 *hit;

      needle_length = g_bytes_get_size (self->needle);
      while (at < length && (hit = find_bytes (self, wire + at, length - at)) != NULL)
        {
          at = (gsize) (hit - wire);
          if (!found ((guint) at, (guint) (at + needle_length), user_data))
            return;
          at += needle_length;
        }
      return;
    }

  g_regex_match_full (self->regex, (const char *) wire, (gssize) length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      if (!found ((guint) start, (guint) end, user_data))
        return;
    }
}

/* The wire bytes in one piece: in place when the pieces follow each other
 * in memory (a message's own storage), else copied into @buffer. */
static const guint8 *
join_wire (const guint8  *prefix,
           gsize          prefix_length,
           const guint8  *data,
           gsize          length,
           const guint8  *suffix,
           gsize          suffix_length,
           guint8        *buffer,
           gsize          buffer_size,
           guint8       **allocated)
{
  gsize total = prefix_length + length + suffix_length;
  guint8 *out;

  *allocated = NULL;
  if ((prefix_length == 0 || prefix + prefix_length == data) &&
      (suffix_length == 0 || data + length == suffix))
    return prefix_length > 0 ? prefix : data;
  if (length == 0 && prefix_length == 0)
    return suffix;

  out = total <= buffer_size ? buffer : (*allocated = g_malloc (total));
  if (prefix_length > 0)
    memcpy (out, prefix, prefix_length);
  if (length > 0)
    memcpy (out + prefix_length, data, length);
  if (suffix_length > 0)
    memcpy (out + prefix_length + length, suffix, suffix_length);
  return out;
}

/* Runs search () over the three pieces as one. */
static void
search_pieces (const TincanMatcher *self,
               const guint8        *prefix,
               gsize                prefix_length,
               const guint8        *data,
               gsize                length,
               const guint8        *suffix,
               gsize                suffix_length,
               FoundFunc            found,
               gpointer             user_data)
{
  guint8 buffer[512];
  g_autofree guint8 *allocated = NULL;
  const guint8 *wire = join_wire (prefix, prefix_length, data, length, suffix, suffix_length,
                                  buffer, sizeof buffer, &allocated);

  search (self, wire, prefix_length + length + suffix_length, found, user_data);
}

static gboolean
stop_at_first (guint    start,
               guint    end,
               gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

/**
 * tincan_matcher_matches:
 * @prefix: (array length=prefix_length) (nullable): the framing's bytes before the payload
 * @data: (array length=length) (nullable): the payload
 * @suffix: (array length=suffix_length) (nullable): the framing's bytes after it
 *
 * Returns: whether the query is found in the wire bytes, the three pieces
 *   one after the other (a match may straddle them)
 */
gboolean
tincan_matcher_matches (const TincanMatcher *self,
                        const guint8        *prefix,
                        gsize                prefix_length,
                        const guint8        *data,
                        gsize                length,
                        const guint8        *suffix,
                        gsize                suffix_length)
{
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  search_pieces (self, prefix, prefix_length, data, length, suffix, suffix_length,
                 stop_at_first, &found);
  return found;
}

static gboolean
add_match (guint    start,
           guint    end,
           gpointer user_data)
{
  GArray *matches = user_data;
  TincanMatch match = { start, end };

  /* An empty regex match ("^", "x*") says the entry matches, but there is
   * nothing to draw. */
  if (end > start)
    g_array_append_val (matches, match);
  return TRUE;
}

/**
 * tincan_matcher_find_all:
 * @matches: (element-type TincanMatch): where to append the matches, in
 *   order, not overlapping, none empty
 *
 * Like tincan_matcher_matches(), but finds every match, for highlighting.
 *
 * Returns: how many matches were appended
 */
guint
tincan_matcher_find_all (const TincanMatcher *self,
                         const guint8        *prefix,
                         gsize                prefix_length,
                         const guint8        *data,
                         gsize                length,
                         const guint8        *suffix,
                         gsize                suffix_length,
                         GArray              *matches)
{
  guint before;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (matches != NULL, 0);

  before = matches->len;
  search_pieces (self, prefix, prefix_length, data, length, suffix, suffix_length,
                 add_match, matches);
  return matches->len - before;
}
