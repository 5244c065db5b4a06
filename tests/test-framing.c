/* test-framing.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <string.h>

#include "tincan-framing.h"

/* Every name the CLI and the settings accept, what it parses to, and how it
 * reads back. */
typedef struct
{
  const char *name;
  const char *canonical;
  TincanFramingKind kind;
  const char *delimiter;
  gsize delimiter_length;
  gboolean keep;
  guint width;
  gboolean big_endian;
  const char *label;
} NameCase;

static const NameCase name_cases[] = {
  { "raw", "raw", TINCAN_FRAMING_RAW, NULL, 0, FALSE, 0, TRUE, "Raw" },
  { "lf", "lf", TINCAN_FRAMING_DELIMITER, "\n", 1, FALSE, 0, TRUE, "Lines (LF)" },
  { "crlf", "crlf", TINCAN_FRAMING_DELIMITER, "\r\n", 2, FALSE, 0, TRUE, "Lines (CRLF)" },
  { "nul", "nul", TINCAN_FRAMING_DELIMITER, "\0", 1, FALSE, 0, TRUE, "NUL-terminated" },
  { "lf:keep", "lf:keep", TINCAN_FRAMING_DELIMITER, "\n", 1, TRUE, 0, TRUE, "Lines (LF, kept)" },
  { "crlf:keep", "crlf:keep", TINCAN_FRAMING_DELIMITER, "\r\n", 2, TRUE, 0, TRUE,
    "Lines (CRLF, kept)" },
  { "nul:keep", "nul:keep", TINCAN_FRAMING_DELIMITER, "\0", 1, TRUE, 0, TRUE,
    "NUL-terminated, kept" },
  { "u8", "u8", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 1, TRUE, "Length prefix, 1 byte" },
  { "u16be", "u16be", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 2, TRUE,
    "Length prefix, 2 bytes, big endian" },
  { "u16le", "u16le", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 2, FALSE,
    "Length prefix, 2 bytes, little endian" },
  { "u32be", "u32be", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 4, TRUE,
    "Length prefix, 4 bytes, big endian" },
  { "u32le", "u32le", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 4, FALSE,
    "Length prefix, 4 bytes, little endian" },
  { "u64be", "u64be", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 8, TRUE,
    "Length prefix, 8 bytes, big endian" },
  { "u64le", "u64le", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 8, FALSE,
    "Length prefix, 8 bytes, little endian" },
  { "delim:0d0a", "crlf", TINCAN_FRAMING_DELIMITER, "\r\n", 2, FALSE, 0, TRUE, "Lines (CRLF)" },
  { "delim:0a", "lf", TINCAN_FRAMING_DELIMITER, "\n", 1, FALSE, 0, TRUE, "Lines (LF)" },
  { "delim:00:keep", "nul:keep", TINCAN_FRAMING_DELIMITER, "\0", 1, TRUE, 0, TRUE,
    "NUL-terminated, kept" },
  { "delim:03", "delim:03", TINCAN_FRAMING_DELIMITER, "\3", 1, FALSE, 0, TRUE, "Delimiter 03" },
  { "delim:0D0A0D0A", "delim:0d0a0d0a", TINCAN_FRAMING_DELIMITER, "\r\n\r\n", 4, FALSE, 0, TRUE,
    "Delimiter 0d 0a 0d 0a" },
  { "delim:ff00:keep", "delim:ff00:keep", TINCAN_FRAMING_DELIMITER, "\377\0", 2, TRUE, 0, TRUE,
    "Delimiter ff 00, kept" },
  { "CRLF", "crlf", TINCAN_FRAMING_DELIMITER, "\r\n", 2, FALSE, 0, TRUE, "Lines (CRLF)" },
  { "U16LE", "u16le", TINCAN_FRAMING_LENGTH_PREFIX, NULL, 0, FALSE, 2, FALSE,
    "Length prefix, 2 bytes, little endian" },
  { "Lf:Keep", "lf:keep", TINCAN_FRAMING_DELIMITER, "\n", 1, TRUE, 0, TRUE, "Lines (LF, kept)" },
};

static void
test_names (gconstpointer data)
{
  const NameCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanFraming) framing = NULL;
  g_autoptr(TincanFraming) again = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  const guint8 *delimiter;
  gsize delimiter_length = 99;

  framing = tincan_framing_new_from_name (c->name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (framing);

  g_assert_cmpint (tincan_framing_get_kind (framing), ==, c->kind);
  delimiter = tincan_framing_get_delimiter (framing, &delimiter_length);
  g_assert_cmpuint (delimiter_length, ==, c->delimiter_length);
  if (c->delimiter != NULL)
    g_assert_cmpmem (delimiter, delimiter_length, c->delimiter, c->delimiter_length);
  else
    g_assert_null (delimiter);
  g_assert_cmpint (tincan_framing_get_keep_delimiter (framing), ==, c->keep);
  g_assert_cmpuint (tincan_framing_get_prefix_width (framing), ==, c->width);
  g_assert_cmpint (tincan_framing_get_big_endian (framing), ==, c->big_endian);
  g_assert_cmpuint (tincan_framing_get_max_frame_size (framing), ==,
                    TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);

  name = tincan_framing_dup_name (framing);
  g_assert_cmpstr (name, ==, c->canonical);
  label = tincan_framing_dup_label (framing);
  g_assert_cmpstr (label, ==, c->label);

  /* The name reads back into an equal framing. */
  again = tincan_framing_new_from_name (name, &error);
  g_assert_no_error (error);
  g_assert_true (tincan_framing_equal (framing, again));
  g_assert_true (tincan_framing_equal (again, framing));
}

typedef struct
{
  const char *name;
  const char *message_part;
} InvalidNameCase;

static const InvalidNameCase invalid_name_cases[] = {
  { "", "Valid framings are raw, lf, crlf, nul, u8, u16be, u16le, u32be, u32le, u64be, u64le "
        "and delim:HEX" },
  { "line", "Unknown framing “line”" },
  { "u16", "u64le" },
  { "u24be", "delim:HEX" },
  { "u8be", "Unknown framing" },
  { "raw:keep", "Unknown framing “raw:keep”" },
  { "u32be:keep", "Unknown framing" },
  { "lf:kept", "Unknown framing" },
  { " lf", "Unknown framing" },
  { "delim", "Unknown framing" },
  { "delim:", "Invalid delimiter in framing “delim:”" },
  { "delim:0", "1 to 64 bytes as pairs of hex digits" },
  { "delim:0g", "Invalid delimiter" },
  { "delim:0d 0a", "Invalid delimiter" },
  { "delim::keep", "Invalid delimiter" },
  { "delim:0a:keep:keep", "Invalid delimiter" },
};

static void
test_invalid_names (gconstpointer data)
{
  const InvalidNameCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanFraming) framing = NULL;

  framing = tincan_framing_new_from_name (c->name, &error);
  g_assert_null (framing);
  g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, c->message_part));
}

static void
test_longest_delimiter (void)
{
  g_autoptr(GString) name = g_string_new ("delim:");
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanFraming) framing = NULL;
  g_autofree char *dup = NULL;
  gsize length = 0;
  guint i;

  for (i = 0; i < TINCAN_FRAMING_MAX_DELIMITER_LENGTH; i++)
    g_string_append_printf (name, "%02x", i + 1);

  framing = tincan_framing_new_from_name (name->str, &error);
  g_assert_no_error (error);
  tincan_framing_get_delimiter (framing, &length);
  g_assert_cmpuint (length, ==, TINCAN_FRAMING_MAX_DELIMITER_LENGTH);
  dup = tincan_framing_dup_name (framing);
  g_assert_cmpstr (dup, ==, name->str);

  /* One byte more is refused. */
  g_clear_pointer (&framing, tincan_framing_unref);
  g_string_append (name, "ff");
  framing = tincan_framing_new_from_name (name->str, &error);
  g_assert_null (framing);
  g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 to 64 bytes"));
}

static void
test_constructors (void)
{
  g_autoptr(TincanFraming) raw = tincan_framing_new_raw ();
  g_autoptr(TincanFraming) lf = tincan_framing_new_delimiter ((const guint8 *) "\n", 1, FALSE);
  g_autoptr(TincanFraming) lf_keep = tincan_framing_new_delimiter ((const guint8 *) "\n", 1, TRUE);
  g_autoptr(TincanFraming) u8_le = tincan_framing_new_length_prefix (1, FALSE);
  g_autoptr(TincanFraming) u8 = tincan_framing_new_from_name ("u8", NULL);
  g_autoptr(TincanFraming) u16le = tincan_framing_new_length_prefix (2, FALSE);
  g_autofree char *name = NULL;

  g_assert_cmpint (tincan_framing_get_kind (raw), ==, TINCAN_FRAMING_RAW);
  g_assert_cmpint (tincan_framing_get_kind (lf), ==, TINCAN_FRAMING_DELIMITER);
  g_assert_false (tincan_framing_get_keep_delimiter (lf));
  g_assert_true (tincan_framing_get_keep_delimiter (lf_keep));
  g_assert_false (tincan_framing_equal (lf, lf_keep));

  /* A 1-byte prefix has no byte order. */
  g_assert_true (tincan_framing_get_big_endian (u8_le));
  g_assert_true (tincan_framing_equal (u8, u8_le));
  name = tincan_framing_dup_name (u16le);
  g_assert_cmpstr (name, ==, "u16le");
}

static void
test_equal (void)
{
  const char *names[] = { "raw", "lf", "lf:keep", "crlf", "nul", "delim:0d", "delim:0d0a0d",
                          "u8", "u16be", "u16le", "u32be", "u32le", "u64be", "u64le" };
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    for (j = 0; j < G_N_ELEMENTS (names); j++)
      {
        g_autoptr(TincanFraming) a = tincan_framing_new_from_name (names[i], NULL);
        g_autoptr(TincanFraming) b = tincan_framing_new_from_name (names[j], NULL);

        g_assert_cmpint (tincan_framing_equal (a, b), ==, i == j);
      }
}

static void
test_max_frame_size (void)
{
  g_autoptr(TincanFraming) lf = tincan_framing_new_from_name ("crlf:keep", NULL);
  g_autoptr(TincanFraming) small = tincan_framing_copy_with_max_frame_size (lf, 8);
  g_autoptr(TincanFraming) small2 = tincan_framing_copy_with_max_frame_size (lf, 8);
  g_autoptr(TincanFraming) one = tincan_framing_copy_with_max_frame_size (small, 1);
  g_autoptr(TincanFraming) back = tincan_framing_copy_with_max_frame_size (
    one, TINCAN_FRAMING_DEFAULT_MAX_FRAME_SIZE);
  g_autofree char *name = tincan_framing_dup_name (small);
  gsize length = 0;

  g_assert_cmpuint (tincan_framing_get_max_frame_size (lf), ==, 16 * 1024 * 1024);
  g_assert_cmpuint (tincan_framing_get_max_frame_size (small), ==, 8);
  g_assert_cmpuint (tincan_framing_get_max_frame_size (one), ==, 1);

  /* Only the maximum differs. */
  g_assert_cmpint (tincan_framing_get_kind (small), ==, TINCAN_FRAMING_DELIMITER);
  g_assert_cmpmem (tincan_framing_get_delimiter (small, &length), 2, "\r\n", 2);
  g_assert_cmpuint (length, ==, 2);
  g_assert_true (tincan_framing_get_keep_delimiter (small));
  g_assert_cmpstr (name, ==, "crlf:keep");

  g_assert_false (tincan_framing_equal (lf, small));
  g_assert_true (tincan_framing_equal (small, small2));
  g_assert_false (tincan_framing_equal (small, one));
  g_assert_true (tincan_framing_equal (lf, back));
}

static void
test_boxed (void)
{
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name ("u32le", NULL);
  TincanFraming *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (TINCAN_TYPE_FRAMING));

  /* Copying a boxed framing shares it: it is immutable. */
  copy = g_boxed_copy (TINCAN_TYPE_FRAMING, framing);
  g_assert_true (copy == framing);
  g_boxed_free (TINCAN_TYPE_FRAMING, copy);

  g_value_init (&value, TINCAN_TYPE_FRAMING);
  g_value_set_boxed (&value, framing);
  g_assert_true (g_value_get_boxed (&value) == framing);
  g_value_unset (&value);

  /* Still alive: the copy and the GValue only held references. */
  g_assert_cmpuint (tincan_framing_get_prefix_width (framing), ==, 4);
}

/* Encoding: framing name, payload, and the bytes to send or the error. */
typedef struct
{
  const char *framing;
  const char *payload;
  gsize payload_length;
  const char *expected;
  gsize expected_length;
  int error_code; /* -1: no error */
  const char *message_part;
} EncodeCase;

#define S(s) s, sizeof s - 1
#define OK(s) s, sizeof s - 1, -1, NULL
#define FAIL(code, part) NULL, 0, TINCAN_FRAMING_ERROR_##code, part

static const EncodeCase encode_cases[] = {
  { "raw", S ("hello"), OK ("hello") },
  { "raw", S (""), OK ("") },
  { "raw", S ("a\nb\0c"), OK ("a\nb\0c") },
  { "lf", S ("hello"), OK ("hello\n") },
  { "lf", S (""), OK ("\n") },
  { "lf:keep", S ("hello"), OK ("hello\n") },
  { "crlf", S ("hello"), OK ("hello\r\n") },
  { "crlf", S ("a\rb\nc"), OK ("a\rb\nc\r\n") },
  { "crlf", S ("ends in CR\r"), OK ("ends in CR\r\r\n") },
  { "nul", S ("hello"), OK ("hello\0") },
  { "delim:0d0a0d0a", S ("GET / HTTP/1.0"), OK ("GET / HTTP/1.0\r\n\r\n") },
  { "delim:0d0a0d0a", S ("x\r\n\r"), OK ("x\r\n\r\r\n\r\n") },
  { "lf", S ("hello\n"), FAIL (CONTAINS_DELIMITER, "delimiter (0a) at byte offset 5") },
  { "lf", S ("\n"), FAIL (CONTAINS_DELIMITER, "at byte offset 0:") },
  { "lf:keep", S ("a\nb"), FAIL (CONTAINS_DELIMITER, "at byte offset 1") },
  { "crlf", S ("one\r\ntwo"), FAIL (CONTAINS_DELIMITER, "delimiter (0d 0a) at byte offset 3") },
  { "nul", S ("a\0"), FAIL (CONTAINS_DELIMITER, "delimiter (00) at byte offset 1") },
  /* The payload's tail and the delimiter together read as an early delimiter. */
  { "delim:6161", S ("xa"),
    FAIL (CONTAINS_DELIMITER, "from byte offset 1, and the delimiter (61 61)") },
  { "delim:0d0a0d0a", S ("GET / HTTP/1.0\r\n"),
    FAIL (CONTAINS_DELIMITER, "from byte offset 14") },
  { "delim:0d0a0d0a", S ("x\r\n\r\ny"),
    FAIL (CONTAINS_DELIMITER, "(0d 0a 0d 0a) at byte offset 1") },
  { "u8", S (""), OK ("\0") },
  { "u8", S ("hi"), OK ("\2hi") },
  { "u16be", S ("hi"), OK ("\0\2hi") },
  { "u16le", S ("hi"), OK ("\2\0hi") },
  { "u32be", S ("hi"), OK ("\0\0\0\2hi") },
  { "u32le", S ("hi"), OK ("\2\0\0\0hi") },
  { "u64be", S ("hi"), OK ("\0\0\0\0\0\0\0\2hi") },
  { "u64le", S ("hi"), OK ("\2\0\0\0\0\0\0\0hi") },
  { "u64le", S (""), OK ("\0\0\0\0\0\0\0\0") },
};

static void
test_encode (gconstpointer data)
{
  const EncodeCase *c = data;
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (c->framing, NULL);
  g_autoptr(GBytes) payload = g_bytes_new_static (c->payload, c->payload_length);
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (framing);
  encoded = tincan_framing_encode (framing, payload, &error);

  if (c->error_code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (encoded);
      g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded),
                       c->expected, c->expected_length);
    }
  else
    {
      g_assert_null (encoded);
      g_assert_error (error, TINCAN_FRAMING_ERROR, c->error_code);
      if (strstr (error->message, c->message_part) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, c->message_part);
    }
}

/* The biggest payload a prefix can announce passes; one byte more fails. */
static void
test_encode_prefix_limits (void)
{
  const struct
  {
    const char *framing;
    gsize limit;
    const char *prefix;
    const char *message;
  } cases[] = {
    { "u8", 255, "\377",
      "The message is 256 bytes; a 1-byte length prefix can announce at most 255 bytes." },
    { "u16be", 65535, "\377\377",
      "The message is 65536 bytes; a 2-byte length prefix can announce at most 65535 bytes." },
    { "u16le", 65535, "\377\377",
      "The message is 65536 bytes; a 2-byte length prefix can announce at most 65535 bytes." },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (cases[i].framing, NULL);
      g_autofree guint8 *data = g_malloc0 (cases[i].limit + 1);
      g_autoptr(GBytes) fits = g_bytes_new_static (data, cases[i].limit);
      g_autoptr(GBytes) too_big = g_bytes_new_static (data, cases[i].limit + 1);
      g_autoptr(GBytes) encoded = NULL;
      g_autoptr(GBytes) refused = NULL;
      g_autoptr(GError) error = NULL;
      guint width = tincan_framing_get_prefix_width (framing);

      encoded = tincan_framing_encode (framing, fits, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (encoded), ==, width + cases[i].limit);
      g_assert_cmpmem (g_bytes_get_data (encoded, NULL), width, cases[i].prefix, width);

      refused = tincan_framing_encode (framing, too_big, &error);
      g_assert_null (refused);
      g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_TOO_LARGE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* A 4 GiB payload would not fit a 32-bit prefix. The GBytes only claims that
 * size: encode refuses it by its length without reading it. */
static void
test_encode_u32_too_large (void)
{
#if GLIB_SIZEOF_SIZE_T > 4
  const char *names[] = { "u32be", "u32le" };
  static const guint8 small[16];
  g_autoptr(GBytes) huge = g_bytes_new_static (small, (gsize) G_MAXUINT32 + 1);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) encoded = tincan_framing_encode (framing, huge, &error);

      g_assert_null (encoded);
      g_assert_error (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_TOO_LARGE);
      g_assert_cmpstr (error->message, ==,
                       "The message is 4294967296 bytes; a 4-byte length prefix can announce at "
                       "most 4294967295 bytes.");
    }
#else
  g_test_skip ("gsize cannot hold 4 GiB");
#endif
}

/* The max frame size guards what we receive, not what we send. */
static void
test_encode_ignores_max_frame_size (void)
{
  const char *names[] = { "raw", "lf", "u8" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (names[i], NULL);
      g_autoptr(TincanFraming) tiny = tincan_framing_copy_with_max_frame_size (framing, 1);
      g_autoptr(GBytes) payload = g_bytes_new_static ("twelve bytes", 12);
      g_autoptr(GBytes) encoded = NULL;
      g_autoptr(GError) error = NULL;

      encoded = tincan_framing_encode (tiny, payload, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (encoded), >=, 12);
    }
}

/* Raw framing hands the payload on as it is. */
static void
test_encode_raw_shares (void)
{
  g_autoptr(TincanFraming) framing = tincan_framing_new_raw ();
  g_autoptr(GBytes) payload = g_bytes_new ("abc", 3);
  g_autoptr(GBytes) encoded = tincan_framing_encode (framing, payload, NULL);

  g_assert_true (g_bytes_equal (payload, encoded));
}

int
main (int argc, char *argv[])
{
  gsize i;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/framing/name/%s", name_cases[i].name);
      g_test_add_data_func (path, &name_cases[i], test_names);
    }
  for (i = 0; i < G_N_ELEMENTS (invalid_name_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/framing/invalid-name/%" G_GSIZE_FORMAT,
                                               i);
      g_test_add_data_func (path, &invalid_name_cases[i], test_invalid_names);
    }
  g_test_add_func ("/protocol/framing/longest-delimiter", test_longest_delimiter);
  g_test_add_func ("/protocol/framing/constructors", test_constructors);
  g_test_add_func ("/protocol/framing/equal", test_equal);
  g_test_add_func ("/protocol/framing/max-frame-size", test_max_frame_size);
  g_test_add_func ("/protocol/framing/boxed", test_boxed);
  for (i = 0; i < G_N_ELEMENTS (encode_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/framing/encode/%s/%" G_GSIZE_FORMAT,
                                               encode_cases[i].framing, i);
      g_test_add_data_func (path, &encode_cases[i], test_encode);
    }
  g_test_add_func ("/protocol/framing/encode-prefix-limits", test_encode_prefix_limits);
  g_test_add_func ("/protocol/framing/encode-u32-too-large", test_encode_u32_too_large);
  g_test_add_func ("/protocol/framing/encode-ignores-max-frame-size",
                   test_encode_ignores_max_frame_size);
  g_test_add_func ("/protocol/framing/encode-raw-shares", test_encode_raw_shares);

  return g_test_run ();
}
