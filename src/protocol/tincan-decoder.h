/* tincan-decoder.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-framing.h"

G_BEGIN_DECLS

/* How a frame handed to a TincanFrameFunc came about.
 *
 * COMPLETE (no flag): a whole frame; for a delimiter framing without the
 *   delimiter unless the framing keeps it. May be empty.
 * TRUNCATED: the frame is longer than the maximum frame size ("max"), so it
 *   comes in pieces, all flagged TRUNCATED: each but the last is exactly max
 *   bytes. Nothing is dropped and the stream stays in step. For a delimiter,
 *   the length that counts is that of the bytes before the delimiter; for a
 *   length prefix, the announced length. A frame of exactly max bytes is
 *   COMPLETE.
 * FINAL: with TRUNCATED, the last piece of a cut frame: the one that ends at
 *   the delimiter (and carries it if the framing keeps it; then, and only
 *   then, a piece can be up to max + delimiter length bytes) or that reaches
 *   the announced length. 1 to max bytes of payload.
 * PARTIAL: set only by tincan_decoder_finish(): the stream ended inside a
 *   frame and this is what had arrived of it (possibly nothing, when a length
 *   prefix was read but none of its payload; or the bytes of an unfinished
 *   length prefix). With TRUNCATED: the rest (possibly nothing) of a frame
 *   that was being cut. Never with FINAL.
 *
 * Raw framing: a fed chunk is a COMPLETE frame; a chunk longer than max is cut
 * into TRUNCATED pieces like any frame.
 */
typedef enum
{
  TINCAN_FRAME_COMPLETE  = 0,
  TINCAN_FRAME_PARTIAL   = 1 << 0,
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
const guint8  *tincan_decoder_get_frame_prefix (TincanDecoder *self,
                                            gsize           *length);
TincanFraming *tincan_decoder_get_framing  (TincanDecoder   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanDecoder, tincan_decoder_free)

G_END_DECLS
