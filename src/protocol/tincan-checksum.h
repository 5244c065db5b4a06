/* tincan-checksum.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The checksums a template can fill in (docs/templates.md). */
typedef enum
{
  TINCAN_CHECKSUM_CRC16_MODBUS, /* CRC-16/MODBUS: reflected 0x8005, init 0xFFFF */
  TINCAN_CHECKSUM_CRC16_CCITT,  /* CRC-16/CCITT-FALSE: 0x1021, init 0xFFFF */
  TINCAN_CHECKSUM_CRC32,        /* CRC-32 as zlib's crc32() computes it */
  TINCAN_CHECKSUM_SUM8,         /* the bytes added, modulo 256 */
  TINCAN_CHECKSUM_XOR8,         /* the bytes xored together */
} TincanChecksum;

guint    tincan_checksum_width   (TincanChecksum  kind);
guint32  tincan_checksum_compute (TincanChecksum  kind,
                                  const guint8   *data,
                                  gsize           length);

G_END_DECLS
