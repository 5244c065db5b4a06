/* tincan-matcher.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How a search query is read. A TEXT query that starts with "hex:" is read
 * as HEX. */
typedef enum /*< enum,prefix=TINCAN_MATCHER >*/
{
  TINCAN_MATCHER_TEXT,   /* plain text; case-insensitive unless it has a capital */
  TINCAN_MATCHER_HEX,    /* bytes in hex: "0d 0a", "0d0a" */
  TINCAN_MATCHER_REGEX,  /* a GRegex over the bytes; smart case too */
} TincanMatcherMode;

#define TINCAN_MATCHER_ERROR (tincan_matcher_error_quark ())

typedef enum /*< enum,prefix=TINCAN_MATCHER_ERROR >*/
{
  TINCAN_MATCHER_ERROR_BAD_HEX,    /* not hex digits, or an odd number of them */
  TINCAN_MATCHER_ERROR_BAD_REGEX,  /* GRegex refused the pattern */
} TincanMatcherError;

/* A match, in byte offsets into the wire bytes (prefix, payload, suffix
 * one after the other): [start, end). */
typedef struct
{
  guint start;
  guint end;
} TincanMatch;

typedef struct _TincanMatcher TincanMatcher;

#define TINCAN_TYPE_MATCHER (tincan_matcher_get_type ())

GType          tincan_matcher_get_type    (void) G_GNUC_CONST;
GQuark         tincan_matcher_error_quark (void);

TincanMatcher *tincan_matcher_new         (const char          *query,
                                           TincanMatcherMode    mode,
                                           GError             **error);
TincanMatcher *tincan_matcher_ref         (TincanMatcher       *self);
void           tincan_matcher_unref       (TincanMatcher       *self);

TincanMatcherMode tincan_matcher_get_mode (const TincanMatcher *self);
gboolean       tincan_matcher_get_caseless (const TincanMatcher *self);

gboolean       tincan_matcher_matches     (const TincanMatcher *self,
                                           const guint8        *prefix,
                                           gsize                prefix_length,
                                           const guint8        *data,
                                           gsize                length,
                                           const guint8        *suffix,
                                           gsize                suffix_length);
guint          tincan_matcher_find_all    (const TincanMatcher *self,
                                           const guint8        *prefix,
                                           gsize                prefix_length,
                                           const guint8        *data,
                                           gsize                length,
                                           const guint8        *suffix,
                                           gsize                suffix_length,
                                           GArray              *matches);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanMatcher, tincan_matcher_unref)

G_END_DECLS
