/* tincan-checksum.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <zlib.h>

#include "tincan-checksum.h"

/* Bit by bit rather than by table: a message is at most a few megabytes and is
 * checksummed once per send, and a loop has no table to get wrong. */
static guint16
crc16_modbus (const guint8 *data,
              gsize         length)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc & 1) ? (crc >> 1) ^ 0xA001 : crc >> 1;
    }
  return crc;
}

static guint16
crc16_ccitt_false (const guint8 *data,
                   gsize         length)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= (guint16) data[i] << 8;
      for (int bit = 0; bit < 8; bit++)
        crc = (crc & 0x8000) ? (guint16) (crc << 1) ^ 0x1021 : (guint16) (crc << 1);
    }
  return crc;
}

/* zlib's crc32() takes a uInt length: longer input goes in pieces. */
static guint32
crc32_zlib (const guint8 *data,
            gsize         length)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  while (length > 0)
    {
      uInt piece = (uInt) MIN (length, (gsize) G_MAXUINT);

      crc = crc32 (crc, data, piece);
      data += piece;
      length -= piece;
    }
  return (guint32) crc;
}

/**
 * tincan_checksum_width:
 * @kind: a checksum
 *
 * Returns: how many bytes the checksum takes in a message: 1, 2 or 4
 */
guint
tincan_checksum_width (TincanChecksum kind)
{
  switch (kind)
    {
    case TINCAN_CHECKSUM_CRC16_MODBUS:
    case TINCAN_CHECKSUM_CRC16_CCITT:
      return 2;
    case TINCAN_CHECKSUM_CRC32:
      return 4;
    case TINCAN_CHECKSUM_SUM8:
    case TINCAN_CHECKSUM_XOR8:
    default:
      return 1;
    }
}

/**
 * tincan_checksum_compute:
 * @kind: a checksum
 * @data: (array length=length): the bytes it covers
 * @length: how many
 *
 * Returns: the checksum of @data, in the low tincan_checksum_width() bytes
 */
guint32
tincan_checksum_compute (TincanChecksum  kind,
                         const guint8   *data,
                         gsize           length)
{
  guint8 acc = 0;

  g_return_val_if_fail (data != NULL || length == 0, 0);

  switch (kind)
    {
    case TINCAN_CHECKSUM_CRC16_MODBUS:
      return crc16_modbus (data, length);
    case TINCAN_CHECKSUM_CRC16_CCITT:
      return crc16_ccitt_false (data, length);
    case TINCAN_CHECKSUM_CRC32:
      return crc32_zlib (data, length);
    case TINCAN_CHECKSUM_SUM8:
      for (gsize i = 0; i < length; i++)
        acc += data[i];
      return acc;
    case TINCAN_CHECKSUM_XOR8:
      for (gsize i = 0; i < length; i++)
        acc ^= data[i];
      return acc;
    default:
      g_return_val_if_reached (0);
    }
}
