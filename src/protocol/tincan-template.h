/* tincan-template.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tincan-payload.h"

G_BEGIN_DECLS

#define TINCAN_TEMPLATE_ERROR (tincan_template_error_quark ())

/* Errors of the template syntax. Those of the literal parts between fields stay
 * TINCAN_PAYLOAD_ERROR, with their position in the whole text. */
typedef enum /*< enum,prefix=TINCAN_TEMPLATE_ERROR >*/
{
  TINCAN_TEMPLATE_ERROR_UNTERMINATED,    /* "{{counter" with no "}}" on its line */
  TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,   /* "{{counter2}}" */
  TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,    /* "{{random:0}}", "{{len}}", "{{crc32:up}}" */
  TINCAN_TEMPLATE_ERROR_UNMATCHED_BEGIN, /* "{{begin}}" with no checksum after it */
  TINCAN_TEMPLATE_ERROR_UNMATCHED_END,   /* "{{end}}" with no open "{{len:…}}" */
  TINCAN_TEMPLATE_ERROR_TOO_LONG,        /* fields would add, or checksums cover, too much */
  /* The two errors tincan_template_expand() can give: */
  TINCAN_TEMPLATE_ERROR_LENGTH_OVERFLOW, /* "{{len:u8}}" over 256 bytes or more */
  TINCAN_TEMPLATE_ERROR_TIME_RANGE,      /* the clock reads a time outside years 1..9999 */
} TincanTemplateError;

/* The most bytes {{random:N}} writes, and the most all the fields of one
 * template may add to its literal bytes, so that the memory an expansion takes
 * is bounded by the length of the text; and the most bytes all its checksums
 * may cover together, so that no text of many checksums over a long message
 * keeps an expansion busy for long. */
#define TINCAN_TEMPLATE_MAX_RANDOM 4096
#define TINCAN_TEMPLATE_MAX_FIELD_BYTES (1024 * 1024)
#define TINCAN_TEMPLATE_MAX_CHECKSUM_BYTES (16 * 1024 * 1024)

/**
 * TincanTemplateContext:
 * @counter: how many messages were sent before this one: {{counter:S}} writes S + @counter
 *   (modulo 2^64); S is 1 unless given
 * @clock: (nullable): returns the time in microseconds since 1970 UTC; %NULL for
 *   g_get_real_time(). Read once per expansion, so that {{time}} and {{unix}} agree.
 * @random: (nullable): fills a buffer with random bytes; %NULL for g_random_int()
 * @user_data: passed to @clock and @random
 *
 * What changes from one expansion to the next, injectable so that tests are exact.
 */
typedef struct
{
  guint64    counter;
  gint64   (*clock)  (gpointer user_data);
  void     (*random) (guint8   *buffer,
                      gsize     length,
                      gpointer  user_data);
  gpointer   user_data;
} TincanTemplateContext;

typedef struct _TincanTemplate TincanTemplate;

#define TINCAN_TYPE_TEMPLATE (tincan_template_get_type ())

GType             tincan_template_get_type       (void) G_GNUC_CONST;
GQuark            tincan_template_error_quark    (void);

gboolean          tincan_template_text_has_fields (const char                 *input,
                                                   gssize                      length);

TincanTemplate   *tincan_template_parse          (const char                  *input,
                                                  gssize                       length,
                                                  TincanPayloadFormat          format,
                                                  TincanLineEnding             ending,
                                                  TincanPayloadErrorPosition  *position,
                                                  GError                     **error);
TincanTemplate   *tincan_template_ref            (TincanTemplate              *self);
void              tincan_template_unref          (TincanTemplate              *self);

gboolean          tincan_template_has_fields     (const TincanTemplate        *self);
gboolean          tincan_template_varies         (const TincanTemplate        *self);

GBytes           *tincan_template_expand         (const TincanTemplate        *self,
                                                  const TincanTemplateContext *context,
                                                  TincanPayloadErrorPosition  *position,
                                                  GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTemplate, tincan_template_unref)

G_END_DECLS
