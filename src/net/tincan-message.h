/* tincan-message.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tincan-connection-info.h"
#include "tincan-net-enums.h"

G_BEGIN_DECLS

/* What an entry is: a frame sent or received, or a sentence about the
 * connection (STATUS) or a failure (ERROR). */
typedef enum /*< enum,prefix=TINCAN_MESSAGE_KIND >*/
{
  TINCAN_MESSAGE_KIND_SENT,
  TINCAN_MESSAGE_KIND_RECEIVED,
  TINCAN_MESSAGE_KIND_STATUS,   /* connection events: "Connected to ...", "Closed by server" */
  TINCAN_MESSAGE_KIND_ERROR,    /* a failure, with its sentence */
} TincanMessageKind;

typedef enum /*< flags,prefix=TINCAN_MESSAGE >*/
{
  TINCAN_MESSAGE_NONE      = 0,
  TINCAN_MESSAGE_PARTIAL   = 1 << 0, /* the stream ended inside this frame */
  TINCAN_MESSAGE_TRUNCATED = 1 << 1, /* a piece of a frame over the maximum frame size */
} TincanMessageFlags;

/* One transcript entry: immutable, reference counted, cheap (no GObject) so
 * that a flood of small frames costs little. For STATUS and ERROR entries
 * the bytes are the UTF-8 sentence. */
typedef struct _TincanMessage TincanMessage;

/* The most framing bytes on either side of a payload: a delimiter is at most
 * TINCAN_FRAMING_MAX_DELIMITER_LENGTH (64) bytes, a length prefix 8. */
#define TINCAN_MESSAGE_MAX_FRAMING 64

#define TINCAN_TYPE_MESSAGE (tincan_message_get_type ())

GType               tincan_message_get_type       (void) G_GNUC_CONST;

TincanMessage      *tincan_message_new            (TincanMessageKind    kind,
                                                   TincanMessageFlags   flags,
                                                   GBytes              *bytes);
TincanMessage      *tincan_message_new_take_data  (TincanMessageKind    kind,
                                                   TincanMessageFlags   flags,
                                                   const guint8        *data,
                                                   gsize                length);
TincanMessage      *tincan_message_new_framed     (TincanMessageKind    kind,
                                                   TincanMessageFlags   flags,
                                                   const guint8        *prefix,
                                                   gsize                prefix_length,
                                                   const guint8        *data,
                                                   gsize                length,
                                                   const guint8        *suffix,
                                                   gsize                suffix_length);
TincanMessage      *tincan_message_new_wire       (TincanMessageKind    kind,
                                                   GBytes              *wire,
                                                   gsize                prefix_length,
                                                   gsize                suffix_length);
TincanMessage      *tincan_message_new_text       (TincanMessageKind    kind,
                                                   const char          *text);
TincanMessage      *tincan_message_new_error      (const GError        *error);
TincanMessage      *tincan_message_new_clipped    (const TincanMessage *message,
                                                   gsize                keep);
TincanMessage      *tincan_message_ref            (TincanMessage       *self);
void                tincan_message_unref          (TincanMessage       *self);

TincanMessageKind   tincan_message_get_kind       (const TincanMessage *self);
TincanMessageFlags  tincan_message_get_flags      (const TincanMessage *self);
GBytes             *tincan_message_dup_bytes      (const TincanMessage *self);
const guint8       *tincan_message_get_data       (const TincanMessage *self,
                                                   gsize               *length);
gsize               tincan_message_get_length     (const TincanMessage *self);
const guint8       *tincan_message_get_prefix     (const TincanMessage *self,
                                                   gsize               *length);
const guint8       *tincan_message_get_suffix     (const TincanMessage *self,
                                                   gsize               *length);
gsize               tincan_message_get_wire_length (const TincanMessage *self);
gint64              tincan_message_get_monotonic_time (const TincanMessage *self);
gint64              tincan_message_get_real_time  (const TincanMessage *self);
const GError       *tincan_message_get_error      (const TincanMessage *self);
guint64             tincan_message_get_connection_id (const TincanMessage *self);
gint64              tincan_message_get_rtt        (const TincanMessage *self);

/* For the session only, before the message is shared. */
void                _tincan_message_set_exchange  (TincanMessage       *self,
                                                   guint64              connection_id,
                                                   gint64               rtt);
const TincanConnectionInfo *tincan_message_get_connection_info (const TincanMessage *self);
void                _tincan_message_set_connection_info (TincanMessage  *self,
                                                   TincanConnectionInfo *info);
void                _tincan_message_set_read_back (TincanMessage  *self,
                                                   gint64          real_time,
                                                   guint64         reads);
guint64             tincan_message_get_reads      (const TincanMessage *self);
void                tincan_message_set_arrival    (TincanMessage       *self,
                                                   guint64              reads,
                                                   gint64               monotonic_time,
                                                   gint64               real_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanMessage, tincan_message_unref)

G_END_DECLS
