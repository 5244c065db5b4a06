/* tincan-framing.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tincan-protocol-enums.h"

G_BEGIN_DECLS

#define TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE (16 * 1024 * 1024)
/* The longest delimiter tincan_framing_new_delimiter() accepts, in bytes. */
#define TINCAN_FRAMING_MAX_DELIMITER_LENGTH 64

typedef enum /*< enum,prefix=TINCAN_FRAMING >*/
{
  TINCAN_FRAMING_RAW,           /* each read chunk is one message */
  TINCAN_FRAMING_DELIMITER,     /* messages end with a byte sequence */
  TINCAN_FRAMING_LENGTH_PREFIX, /* a 1/2/4/8-byte length, then that many bytes */
} TincanFramingKind;

#define TINCAN_FRAMING_ERROR (tincan_framing_error_quark ())

typedef enum /*< enum,prefix=TINCAN_FRAMING_ERROR >*/
{
  TINCAN_FRAMING_ERROR_TOO_LARGE,         /* payload length does not fit the prefix */
  TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER,/* payload would be cut short by the receiver */
  TINCAN_FRAMING_ERROR_INVALID,           /* bad framing name or settings */
} TincanFramingError;

/* An immutable, reference-counted framing configuration, shared by the encoder
 * and the decoder. */
typedef struct _TincanFraming TincanFraming;

#define TINCAN_TYPE_FRAMING (tincan_framing_get_type ())

GType              tincan_framing_get_type           (void) G_GNUC_CONST;
GQuark             tincan_framing_error_quark        (void);

TincanFraming     *tincan_framing_new_raw            (void);
TincanFraming     *tincan_framing_new_delimiter      (const guint8        *delimiter,
                                                      gsize                length,
                                                      gboolean             keep_delimiter);
TincanFraming     *tincan_framing_new_length_prefix  (guint                width,
                                                      gboolean             big_endian);
TincanFraming     *tincan_framing_new_from_name      (const char          *name,
                                                      GError             **error);
TincanFraming     *tincan_framing_copy_with_max_frame_size (const TincanFraming *self,
                                                      gsize                max_frame_size);
TincanFraming     *tincan_framing_ref                (TincanFraming       *self);
void               tincan_framing_unref              (TincanFraming       *self);

TincanFramingKind  tincan_framing_get_kind           (const TincanFraming *self);
const guint8      *tincan_framing_get_delimiter      (const TincanFraming *self,
                                                      gsize               *length);
gboolean           tincan_framing_get_keep_delimiter (const TincanFraming *self);
guint              tincan_framing_get_prefix_width   (const TincanFraming *self);
gboolean           tincan_framing_get_big_endian     (const TincanFraming *self);
gsize              tincan_framing_get_max_frame_size (const TincanFraming *self);
char              *tincan_framing_dup_name           (const TincanFraming *self);
char              *tincan_framing_dup_label          (const TincanFraming *self);
gboolean           tincan_framing_equal              (const TincanFraming *a,
                                                      const TincanFraming *b);

GBytes            *tincan_framing_encode             (const TincanFraming *self,
                                                      GBytes              *payload,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanFraming, tincan_framing_unref)

G_END_DECLS
