/* frame-oracle.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "frame-oracle.h"

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
