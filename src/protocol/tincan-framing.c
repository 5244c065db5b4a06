/* tincan-framing.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tincan-framing.h"
#include "tincan-payload.h"

struct _TincanFraming
{
  gatomicrefcount ref_count;

  TincanFramingKind kind;
  gsize max_frame_size;

  /* TINCAN_FRAMING_DELIMITER */
  guint8 delimiter[TINCAN_FRAMING_MAX_DELIMITER_LENGTH];
  gsize delimiter_length;
  gboolean keep_delimiter;

  /* TINCAN_FRAMING_LENGTH_PREFIX */
  guint prefix_width;
  gboolean big_endian;
};

G_DEFINE_BOXED_TYPE (TincanFraming, tincan_framing, tincan_framing_ref, tincan_framing_unref)

G_DEFINE_QUARK (tincan-framing-error-quark, tincan_framing_error)

/* The delimiters that have a short name of their own. */
static const struct
{
  const char *name;
  const char *bytes;
  gsize length;
} named_delimiters[] = {
  { "lf", "\n", 1 },
  { "crlf", "\r\n", 2 },
  { "nul", "\0", 1 },
};

static const struct
{
  const char *name;
  guint width;
  gboolean big_endian;
} named_prefixes[] = {
  { "u8", 1, TRUE },
  { "u16be", 2, TRUE },
  { "u16le", 2, FALSE },
  { "u32be", 4, TRUE },
  { "u32le", 4, FALSE },
  { "u64be", 8, TRUE },
  { "u64le", 8, FALSE },
};

#define KEEP_SUFFIX ":keep"

static TincanFraming *
framing_alloc (TincanFramingKind kind)
{
  TincanFraming *self = g_new0 (TincanFraming, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->max_frame_size = TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE;
  /* A 1-byte prefix has no byte order; fix the flag so that equal() holds. */
  self->big_endian = TRUE;

  return self;
}

/**
 * tincan_framing_new_raw:
 *
 * Creates a framing without boundaries: every chunk read from the connection
 * is one message, and messages are sent as they are.
 *
 * Returns: (transfer full): a new framing
 */
TincanFraming *
tincan_framing_new_raw (void)
{
  return framing_alloc (TINCAN_FRAMING_RAW);
}

/**
 * tincan_framing_new_delimiter:
 * @delimiter: (array length=length): the bytes that end a message
 * @length: length of @delimiter, 1 to %TINCAN_FRAMING_MAX_DELIMITER_LENGTH
 * @keep_delimiter: whether decoded messages still end with the delimiter
 *
 * Creates a framing where every message ends with @delimiter. The bytes are
 * copied.
 *
 * Returns: (transfer full): a new framing
 */
TincanFraming *
tincan_framing_new_delimiter (const guint8 *delimiter,
                              gsize         length,
                              gboolean      keep_delimiter)
{
  TincanFraming *self;

  g_return_val_if_fail (delimiter != NULL, NULL);
  g_return_val_if_fail (length >= 1 && length <= TINCAN_FRAMING_MAX_DELIMITER_LENGTH, NULL);

  self = framing_alloc (TINCAN_FRAMING_DELIMITER);
  memcpy (self->delimiter, delimiter, length);
  self->delimiter_length = length;
  self->keep_delimiter = !!keep_delimiter;

  return self;
}

/**
 * tincan_framing_new_length_prefix:
 * @width: size of the length field in bytes: 1, 2, 4 or 8
 * @big_endian: byte order of the length field (ignored when @width is 1)
 *
 * Creates a framing where every message is preceded by its length (of the
 * payload alone, not counting the prefix).
 *
 * Returns: (transfer full): a new framing
 */
TincanFraming *
tincan_framing_new_length_prefix (guint    width,
                                  gboolean big_endian)
{
  TincanFraming *self;

  g_return_val_if_fail (width == 1 || width == 2 || width == 4 || width == 8, NULL);

  self = framing_alloc (TINCAN_FRAMING_LENGTH_PREFIX);
  self->prefix_width = width;
  self->big_endian = width == 1 ? TRUE : !!big_endian;

  return self;
}

static void
set_invalid_name_error (GError     **error,
                        const char  *name)
{
  g_autofree char *shown = tincan_payload_quote (name, -1);

  g_set_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_INVALID,
               _("Unknown framing “%s”. Valid framings are raw, lf, crlf, nul, u8, u16be, u16le, "
                 "u32be, u32le, u64be, u64le and delim:HEX (for example delim:0d0a); add :keep "
                 "to lf, crlf, nul or delim:HEX to keep the delimiter in received messages."),
               shown);
}

/* Parses the hex digits of "delim:HEX" into @out; returns the byte count, or 0
 * when @hex is empty, odd, not hex or too long. */
static gsize
parse_delimiter_hex (const char *hex,
                     gsize       hex_length,
                     guint8     *out)
{
  gsize i;

  if (hex_length == 0 || hex_length % 2 != 0 ||
      hex_length / 2 > TINCAN_FRAMING_MAX_DELIMITER_LENGTH)
    return 0;

  for (i = 0; i < hex_length; i += 2)
    {
      int hi = g_ascii_xdigit_value (hex[i]);
      int lo = g_ascii_xdigit_value (hex[i + 1]);

      if (hi < 0 || lo < 0)
        return 0;
      out[i / 2] = (guint8) (hi << 4 | lo);
    }

  return hex_length / 2;
}

/**
 * tincan_framing_new_from_name:
 * @name: a framing name as used on the command line and in the settings
 * @error: return location for a #GError
 *
 * Parses one of "raw", "lf", "crlf", "nul", "u8", "u16be", "u16le", "u32be",
 * "u32le", "u64be", "u64le" or "delim:HEX" (a custom delimiter given as pairs
 * of hex digits, for example "delim:0d0a"). Delimiter framings strip the
 * delimiter from received messages unless the name ends with ":keep"
 * ("lf:keep", "delim:03:keep"). Names are matched without regard to ASCII case.
 * The maximum frame size is not part of the name: it is the default.
 *
 * Returns: (transfer full): a new framing, or %NULL with @error set to
 *   %TINCAN_FRAMING_ERROR_INVALID (the message lists the valid names)
 */
TincanFraming *
tincan_framing_new_from_name (const char  *name,
                              GError     **error)
{
  g_autofree char *lower = NULL;
  gboolean keep = FALSE;
  gsize length;
  gsize i;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  length = strlen (lower);

  if (g_str_has_suffix (lower, KEEP_SUFFIX))
    {
      keep = TRUE;
      length -= strlen (KEEP_SUFFIX);
      lower[length] = '\0';
    }

  if (!keep && strcmp (lower, "raw") == 0)
    return tincan_framing_new_raw ();

  for (i = 0; i < G_N_ELEMENTS (named_delimiters); i++)
    {
      if (strcmp (lower, named_delimiters[i].name) == 0)
        return tincan_framing_new_delimiter ((const guint8 *) named_delimiters[i].bytes,
                                             named_delimiters[i].length, keep);
    }

  for (i = 0; !keep && i < G_N_ELEMENTS (named_prefixes); i++)
    {
      if (strcmp (lower, named_prefixes[i].name) == 0)
        return tincan_framing_new_length_prefix (named_prefixes[i].width,
                                                 named_prefixes[i].big_endian);
    }

  if (g_str_has_prefix (lower, "delim:"))
    {
      guint8 delimiter[TINCAN_FRAMING_MAX_DELIMITER_LENGTH];
      const char *hex = lower + strlen ("delim:");
      gsize delimiter_length = parse_delimiter_hex (hex, length - strlen ("delim:"), delimiter);

      if (delimiter_length == 0)
        {
          g_autofree char *shown = tincan_payload_quote (name, -1);

          g_set_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_INVALID,
                       _("Invalid delimiter in framing “%s”: give 1 to %d bytes as pairs of hex "
                         "digits, for example delim:0d0a."),
                       shown, TINCAN_FRAMING_MAX_DELIMITER_LENGTH);
          return NULL;
        }

      return tincan_framing_new_delimiter (delimiter, delimiter_length, keep);
    }

  set_invalid_name_error (error, name);
  return NULL;
}

/**
 * tincan_framing_copy_with_max_frame_size:
 * @self: a framing
 * @max_frame_size: the new maximum frame size in bytes, at least 1
 *
 * Creates a copy of @self that differs only in its maximum frame size: the
 * most a decoder keeps of one incoming frame before it hands the frame on in
 * pieces. The encoder does not use it.
 *
 * Returns: (transfer full): a new framing
 */
TincanFraming *
tincan_framing_copy_with_max_frame_size (const TincanFraming *self,
                                         gsize                max_frame_size)
{
  TincanFraming *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (max_frame_size >= 1, NULL);

  copy = g_memdup2 (self, sizeof *self);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->max_frame_size = max_frame_size;

  return copy;
}

/**
 * tincan_framing_ref:
 * @self: a framing
 *
 * Returns: (transfer full): @self with one more reference
 */
TincanFraming *
tincan_framing_ref (TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * tincan_framing_unref:
 * @self: (transfer full): a framing
 *
 * Drops one reference; the last one frees @self.
 */
void
tincan_framing_unref (TincanFraming *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

TincanFramingKind
tincan_framing_get_kind (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_FRAMING_RAW);

  return self->kind;
}

/**
 * tincan_framing_get_delimiter:
 * @self: a framing
 * @length: (out) (optional): return location for the delimiter length
 *
 * Returns: (transfer none) (nullable): the delimiter, owned by @self, or %NULL
 *   (and 0 in @length) unless @self is a delimiter framing
 */
const guint8 *
tincan_framing_get_delimiter (const TincanFraming *self,
                              gsize               *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (length != NULL)
    *length = self->delimiter_length;

  return self->kind == TINCAN_FRAMING_DELIMITER ? self->delimiter : NULL;
}

gboolean
tincan_framing_get_keep_delimiter (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->keep_delimiter;
}

/* Returns 0 unless @self is a length-prefix framing. */
guint
tincan_framing_get_prefix_width (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->prefix_width;
}

gboolean
tincan_framing_get_big_endian (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->big_endian;
}

gsize
tincan_framing_get_max_frame_size (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);

  return self->max_frame_size;
}

static const char *
find_delimiter_name (const TincanFraming *self)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (named_delimiters); i++)
    {
      if (self->delimiter_length == named_delimiters[i].length &&
          memcmp (self->delimiter, named_delimiters[i].bytes, self->delimiter_length) == 0)
        return named_delimiters[i].name;
    }

  return NULL;
}

/* "0d 0a" when @separator is " ", "0d0a" when it is "". */
static char *
dup_delimiter_hex (const TincanFraming *self,
                   const char          *separator)
{
  GString *str = g_string_new (NULL);
  gsize i;

  for (i = 0; i < self->delimiter_length; i++)
    g_string_append_printf (str, "%s%02x", i > 0 ? separator : "", self->delimiter[i]);

  return g_string_free (str, FALSE);
}

/**
 * tincan_framing_dup_name:
 * @self: a framing
 *
 * Gives the name that tincan_framing_new_from_name() parses back into an equal
 * framing (apart from the maximum frame size, which names do not carry). The
 * shortest name is used: a "delim:0a" framing is named "lf".
 *
 * Returns: (transfer full): the name
 */
char *
tincan_framing_dup_name (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case TINCAN_FRAMING_DELIMITER:
      {
        const char *name = find_delimiter_name (self);
        g_autofree char *hex = NULL;
        const char *suffix = self->keep_delimiter ? KEEP_SUFFIX : "";

        if (name != NULL)
          return g_strconcat (name, suffix, NULL);

        hex = dup_delimiter_hex (self, "");
        return g_strconcat ("delim:", hex, suffix, NULL);
      }

    case TINCAN_FRAMING_LENGTH_PREFIX:
      if (self->prefix_width == 1)
        return g_strdup ("u8");
      return g_strdup_printf ("u%u%s", self->prefix_width * 8, self->big_endian ? "be" : "le");

    case TINCAN_FRAMING_RAW:
    default:
      return g_strdup ("raw");
    }
}

/**
 * tincan_framing_dup_label:
 * @self: a framing
 *
 * Gives a short, translated description for the user interface, such as
 * "Lines (LF)" or "Length prefix, 2 bytes, big endian".
 *
 * Returns: (transfer full): the label
 */
char *
tincan_framing_dup_label (const TincanFraming *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case TINCAN_FRAMING_DELIMITER:
      {
        const char *name = find_delimiter_name (self);
        g_autofree char *hex = NULL;

        if (g_strcmp0 (name, "lf") == 0)
          return g_strdup (self->keep_delimiter ? _("Lines (LF, kept)") : _("Lines (LF)"));
        if (g_strcmp0 (name, "crlf") == 0)
          return g_strdup (self->keep_delimiter ? _("Lines (CRLF, kept)") : _("Lines (CRLF)"));
        if (g_strcmp0 (name, "nul") == 0)
          return g_strdup (self->keep_delimiter ? _("NUL-terminated, kept") : _("NUL-terminated"));

        hex = dup_delimiter_hex (self, " ");
        /* TRANSLATORS: %s is a byte sequence in hex, such as "0d 0a" */
        return g_strdup_printf (self->keep_delimiter ? _("Delimiter %s, kept") : _("Delimiter %s"),
                                hex);
      }

    case TINCAN_FRAMING_LENGTH_PREFIX:
      if (self->prefix_width == 1)
        return g_strdup (_("Length prefix, 1 byte"));
      if (self->big_endian)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Length prefix, %u byte, big endian",
                                             "Length prefix, %u bytes, big endian",
                                             self->prefix_width),
                                self->prefix_width);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Length prefix, %u byte, little endian",
                                           "Length prefix, %u bytes, little endian",
                                           self->prefix_width),
                              self->prefix_width);

    case TINCAN_FRAMING_RAW:
    default:
      return g_strdup (_("Raw"));
    }
}

/**
 * tincan_framing_equal:
 * @a: a framing
 * @b: another framing
 *
 * Returns: whether @a and @b frame messages the same way and have the same
 *   maximum frame size
 */
gboolean
tincan_framing_equal (const TincanFraming *a,
                      const TincanFraming *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->kind != b->kind || a->max_frame_size != b->max_frame_size)
    return FALSE;

  switch (a->kind)
    {
    case TINCAN_FRAMING_DELIMITER:
      return a->delimiter_length == b->delimiter_length &&
             memcmp (a->delimiter, b->delimiter, a->delimiter_length) == 0 &&
             a->keep_delimiter == b->keep_delimiter;

    case TINCAN_FRAMING_LENGTH_PREFIX:
      return a->prefix_width == b->prefix_width && a->big_endian == b->big_endian;

    case TINCAN_FRAMING_RAW:
    default:
      return TRUE;
    }
}

/* Finds the first place in @haystack where @needle starts; the first byte is
 * found with memchr, which is what makes this fast. */
static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         haystack_length,
            const guint8 *needle,
            gsize         needle_length)
{
  const guint8 *p = haystack;
  const guint8 *last;

  if (haystack_length < needle_length)
    return NULL;

  last = haystack + (haystack_length - needle_length);
  while (p <= last)
    {
      p = memchr (p, needle[0], (gsize) (last - p) + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p + 1, needle + 1, needle_length - 1) == 0)
        return p;
      p++;
    }

  return NULL;
}

static char *
format_size (guint64 size)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, size);
}

static GBytes *
encode_delimiter (const TincanFraming  *self,
                  GBytes               *payload,
                  GError              **error)
{
  gsize payload_length;
  const guint8 *payload_data = g_bytes_get_data (payload, &payload_length);
  gsize dlen = self->delimiter_length;
  const guint8 *hit;
  guint8 *out;

  out = g_malloc (payload_length + dlen);
  if (payload_length > 0)
    memcpy (out, payload_data, payload_length);
  memcpy (out + payload_length, self->delimiter, dlen);

  /* The receiver cuts at the first delimiter in the stream, so that must be
   * the one we append. Search all of payload + delimiter except the final
   * byte: that also catches a payload whose tail and the start of the
   * delimiter together read as the delimiter ("a" + "aa" for delimiter "aa"). */
  hit = find_bytes (out, payload_length + dlen - 1, self->delimiter, dlen);
  if (hit != NULL)
    {
      g_autofree char *hex = dup_delimiter_hex (self, " ");
      g_autofree char *offset = format_size ((guint64) (hit - out));

      if ((gsize) (hit - out) + dlen <= payload_length)
        g_set_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER,
                     _("The message contains the delimiter (%s) at byte offset %s: the receiver "
                       "would cut the message there."),
                     hex, offset);
      else
        g_set_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER,
                     _("The end of the message, from byte offset %s, and the delimiter (%s) "
                       "together contain the delimiter early: the receiver would cut the "
                       "message there."),
                     offset, hex);
      g_free (out);
      return NULL;
    }

  return g_bytes_new_take (out, payload_length + dlen);
}

static GBytes *
encode_length_prefix (const TincanFraming  *self,
                      GBytes               *payload,
                      GError              **error)
{
  gsize payload_length;
  const guint8 *payload_data = g_bytes_get_data (payload, &payload_length);
  guint width = self->prefix_width;
  guint64 length = payload_length;
  guint64 limit = width == 8 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (width * 8)) - 1;
  guint8 *out;
  guint i;

  if (length > limit)
    {
      g_autofree char *size = format_size (length);
      g_autofree char *max = format_size (limit);

      g_set_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_TOO_LARGE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The message is %s byte; a %u-byte length prefix can announce "
                                "at most %s bytes.",
                                "The message is %s bytes; a %u-byte length prefix can announce "
                                "at most %s bytes.",
                                (gulong) MIN (payload_length, G_MAXULONG)),
                   size, width, max);
      return NULL;
    }

  out = g_malloc (width + payload_length);
  for (i = 0; i < width; i++)
    {
      guint shift = self->big_endian ? (width - 1 - i) * 8 : i * 8;

      out[i] = (guint8) (length >> shift);
    }
  if (payload_length > 0)
    memcpy (out + width, payload_data, payload_length);

  return g_bytes_new_take (out, width + payload_length);
}

/**
 * tincan_framing_encode:
 * @self: a framing
 * @payload: the message to send
 * @error: return location for a #GError
 *
 * Frames @payload for sending: raw framing sends it unchanged, a delimiter
 * framing appends the delimiter, a length-prefix framing puts the payload
 * length in front. The maximum frame size is not checked: it limits what this
 * side accepts, not what the peer may accept.
 *
 * Returns: (transfer full): the bytes to send (for raw framing, @payload
 *   itself with a new reference), or %NULL with @error set to
 *   %TINCAN_FRAMING_ERROR_CONTAINS_DELIMITER when the receiver would find the
 *   delimiter before the end of the message, or %TINCAN_FRAMING_ERROR_TOO_LARGE
 *   when the length does not fit the prefix
 */
GBytes *
tincan_framing_encode (const TincanFraming  *self,
                       GBytes               *payload,
                       GError              **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (self->kind)
    {
    case TINCAN_FRAMING_DELIMITER:
      return encode_delimiter (self, payload, error);

    case TINCAN_FRAMING_LENGTH_PREFIX:
      return encode_length_prefix (self, payload, error);

    case TINCAN_FRAMING_RAW:
    default:
      return g_bytes_ref (payload);
    }
}
