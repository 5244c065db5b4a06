/* tincan-decoder.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-framing.h"

G_BEGIN_DECLS

typedef enum
{
  TINCAN_FRAME_COMPLETE  = 0,
  /* The stream ended before the frame did: what arrived of it. */
  TINCAN_FRAME_PARTIAL   = 1 << 0,
  /* The frame grew past the maximum frame size: this is one piece of it (at
   * most max_frame_size bytes); the rest follows in further TRUNCATED pieces,
   * the last of which also carries TINCAN_FRAME_FINAL. Nothing is dropped. */
  TINCAN_FRAME_TRUNCATED = 1 << 1,
  TINCAN_FRAME_FINAL     = 1 << 2,
} TincanFrameFlags;

/* Called once per frame. @data is only valid during the call (it points into
 * the caller's chunk or the decoder's buffer): copy what you keep. */
typedef void (*TincanFrameFunc) (const guint8     *data,
                                 gsize             length,
                                 TincanFrameFlags  flags,
                                 gpointer          user_data);

typedef struct _TincanDecoder TincanDecoder;

TincanDecoder *tincan_decoder_new          (TincanFraming   *framing);
void           tincan_decoder_free         (TincanDecoder   *self);
void           tincan_decoder_feed         (TincanDecoder   *self,
                                            const guint8    *data,
                                            gsize            length,
                                            TincanFrameFunc  func,
                                            gpointer         user_data);
void           tincan_decoder_finish       (TincanDecoder   *self,
                                            TincanFrameFunc  func,
                                            gpointer         user_data);
void           tincan_decoder_reset        (TincanDecoder   *self);
gsize          tincan_decoder_get_pending  (TincanDecoder   *self);
TincanFraming *tincan_decoder_get_framing  (TincanDecoder   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanDecoder, tincan_decoder_free)

G_END_DECLS
