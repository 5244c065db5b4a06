/* frame-oracle.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "frame-oracle.h"

/* The first four bytes of an input are a kind (raw, delimiter or length
 * prefix), a configuration byte, a maximum frame size (255: the default)
 * and a seed for the caller; the delimiter kind is followed by its 1–4
 * bytes. Moves *data and *size past them. Returns (transfer full) the
 * framing, or NULL when the input is too short. */
TincanFraming *
frame_oracle_read_framing (const guint8 **data,
                           gsize         *size,
                           guint8        *config,
                           guint8        *seed)
{
  g_autoptr(TincanFraming) base = NULL;
  guint8 kind, max_byte;

  if (*size < 4)
    return NULL;

  kind = (*data)[0] % 3;
  *config = (*data)[1];
  max_byte = (*data)[2];
  *seed = (*data)[3];
  *data += 4;
  *size -= 4;

  if (kind == 0)
    base = tincan_framing_new_raw ();
  else if (kind == 1)
    {
      gsize delimiter_length = 1 + (*config & 3);

      if (*size < delimiter_length)
        return NULL;
      base = tincan_framing_new_delimiter (*data, delimiter_length, (*config & 4) != 0);
      *data += delimiter_length;
      *size -= delimiter_length;
    }
  else
    base = tincan_framing_new_length_prefix (1u << (*config & 3), (*config & 4) != 0);

  return max_byte == 255 ? tincan_framing_ref (base)
                         : tincan_framing_copy_with_max_frame_size (base, 1 + max_byte % 64);
}

/* Left-to-right count of the delimiters the stream holds, the slow way. */
guint64
count_delimiters (const guint8 *data,
                  gsize         size,
                  const guint8 *delimiter,
                  gsize         delimiter_length)
{
  guint64 count = 0;
  gsize pos = 0;

  while (pos + delimiter_length <= size)
    {
      if (memcmp (data + pos, delimiter, delimiter_length) == 0)
        {
          count++;
          pos += delimiter_length;
        }
      else
        pos++;
    }

  return count;
}

/* How many length prefixes the stream holds in full, the slow way. */
guint64
count_prefixes (const guint8 *data,
                gsize         size,
                guint         width,
                gboolean      big_endian)
{
  guint64 count = 0;
  gsize pos = 0;

  while (size - pos >= width)
    {
      guint64 length = 0;
      guint i;

      for (i = 0; i < width; i++)
        length = length << 8 | data[pos + (big_endian ? i : width - 1 - i)];
      pos += width;
      count++;
      if (length > size - pos)
        break;
      pos += (gsize) length;
    }

  return count;
}
