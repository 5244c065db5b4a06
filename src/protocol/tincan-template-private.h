/* tincan-template-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-checksum.h"
#include "tincan-template.h"

G_BEGIN_DECLS

/* What tincan-template.c (parsing) and tincan-template-expand.c share. */

/* COUNTER to UUID, the fields that vary from one send to the next, stay together. */
typedef enum
{
  TINCAN_TEMPLATE_PART_LITERAL,
  TINCAN_TEMPLATE_PART_COUNTER,
  TINCAN_TEMPLATE_PART_TIME,
  TINCAN_TEMPLATE_PART_UNIX,
  TINCAN_TEMPLATE_PART_UNIX_MS,
  TINCAN_TEMPLATE_PART_RANDOM,
  TINCAN_TEMPLATE_PART_UUID,
  TINCAN_TEMPLATE_PART_LEN,
  TINCAN_TEMPLATE_PART_END,
  TINCAN_TEMPLATE_PART_BEGIN,
  TINCAN_TEMPLATE_PART_CHECKSUM,
} TincanTemplatePartKind;

/* A part that has no partner: a length that runs to the end of the message, a
 * checksum that covers it from the start. */
#define TINCAN_TEMPLATE_NO_PARTNER G_MAXSIZE

/* One piece of a parsed template: literal bytes or a field. */
typedef struct
{
  TincanTemplatePartKind      kind;
  guint8                      width;          /* len and checksums: bytes written */
  gboolean                    little_endian;  /* len and checksums */
  TincanChecksum              checksum;
  guint64                     value;          /* counter: start; random: how many bytes */
  gsize                       start;          /* literal: offset in self->literals */
  gsize                       length;         /* literal: how many bytes */
  gsize                       partner;        /* len: its {{end}}; checksum: its {{begin}} */
  gsize                       most_before;    /* the most bytes before it, for the bounds */
  TincanPayloadErrorPosition  at;             /* where the field is, for expand-time errors */
} TincanTemplatePart;

struct _TincanTemplate
{
  gatomicrefcount  ref_count;
  GArray          *parts;       /* of TincanTemplatePart */
  GByteArray      *literals;    /* the bytes of every literal part, one after the other */
  gsize            field_bytes; /* the most bytes the fields add */
  gboolean         has_fields;
  gboolean         varies;
};

void        _tincan_template_set_error      (GError                           **error,
                                             TincanPayloadErrorPosition        *position,
                                             const TincanPayloadErrorPosition  *at,
                                             TincanTemplateError                code,
                                             const char                        *format,
                                             ...) G_GNUC_PRINTF (5, 6);
const char *_tincan_template_len_width_name (const TincanTemplatePart                *part);

G_END_DECLS
