/* test-payload.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "tincan-payload.h"

/* A string literal and its length, so that tables can hold embedded nuls. */
#define S(x) x, sizeof (x) - 1

/* Fixed, so that a failure of the property tests can be replayed. */
#define ROUND_TRIP_SEED 20260311u

typedef struct
{
  const char          *input;
  gsize                input_length;
  const char          *expected;
  gsize                expected_length;
} GoodCase;

typedef struct
{
  const char          *input;
  gsize                input_length;
  TincanPayloadError   code;
  gsize                offset;
  guint                line;
  guint                column;
} BadCase;

static void
assert_bytes_equal (GBytes     *bytes,
                    const char *expected,
                    gsize       expected_length)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  g_assert_cmpmem (data, length, expected, expected_length);
}

static void
check_good_cases (const GoodCase      *cases,
                  gsize                n_cases,
                  TincanPayloadFormat  format)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      bytes = tincan_payload_parse (cases[i].input, cases[i].input_length, format,
                                    TINCAN_LINE_ENDING_NONE, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (bytes);
      assert_bytes_equal (bytes, cases[i].expected, cases[i].expected_length);
    }
}

static void
check_bad_cases (const BadCase       *cases,
                 gsize                n_cases,
                 TincanPayloadFormat  format)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      TincanPayloadErrorPosition position = { 999, 999, 999 };

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      bytes = tincan_payload_parse (cases[i].input, cases[i].input_length, format,
                                    TINCAN_LINE_ENDING_CRLF, &position, &error);
      g_assert_null (bytes);
      g_assert_error (error, TINCAN_PAYLOAD_ERROR, (int) cases[i].code);
      g_assert_cmpuint (position.offset, ==, cases[i].offset);
      g_assert_cmpuint (position.line, ==, cases[i].line);
      g_assert_cmpuint (position.column, ==, cases[i].column);

      /* Every message says where, in the terms the person sees. */
      {
        g_autofree char *where = g_strdup_printf ("line %u, column %u",
                                                  cases[i].line, cases[i].column);

        g_assert_nonnull (strstr (error->message, where));
      }
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      /* Neither out argument is required. */
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = tincan_payload_parse (cases[i].input, cases[i].input_length, format,
                                    TINCAN_LINE_ENDING_NONE, NULL, NULL);
      g_assert_null (bytes);
    }
}

static const GoodCase text_good[] = {
  { S(""), S("") },
  { S("hello"), S("hello") },
  { S("GET / HTTP/1.0\\r\\n\\r\\n"), S("GET / HTTP/1.0\r\n\r\n") },
  { S("a\\nb"), S("a\nb") },
  { S("a\\rb"), S("a\rb") },
  { S("a\\tb"), S("a\tb") },
  { S("a\\0b"), S("a\0b") },
  { S("a\\\\b"), S("a\\b") },
  { S("\\\\n"), S("\\n") },
  { S("\\\\\\\\"), S("\\\\") },
  { S("\\x41"), S("A") },
  { S("\\x4a\\x4A"), S("JJ") },
  { S("\\x00"), S("\0") },
  { S("\\xff\\xFF\\xfF"), S("\xff\xff\xff") },
  { S("\\x80\\xc0"), S("\x80\xc0") },
  { S("\\x410"), S("A0") },
  { S("\\u{41}"), S("A") },
  { S("\\u{0}"), S("\0") },
  { S("\\u{000041}"), S("A") },
  { S("\\u{e9}\\u{E9}"), S("\xc3\xa9\xc3\xa9") },
  { S("\\u{7ff}\\u{800}"), S("\xdf\xbf\xe0\xa0\x80") },
  { S("\\u{20AC}"), S("\xe2\x82\xac") },
  { S("\\u{D7FF}\\u{e000}"), S("\xed\x9f\xbf\xee\x80\x80") },
  { S("\\u{FFFF}\\u{10000}"), S("\xef\xbf\xbf\xf0\x90\x80\x80") },
  { S("\\u{1F600}"), S("\xf0\x9f\x98\x80") },
  { S("\\u{10FFFF}"), S("\xf4\x8f\xbf\xbf") },
  /* literal characters, newlines included, are their own bytes */
  { S("a\nb"), S("a\nb") },
  { S("a\r\nb\rc"), S("a\r\nb\rc") },
  { S("a\r"), S("a\r") },
  { S("\t \x01\x7f"), S("\t \x01\x7f") },
  { S("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"), S("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80") },
  { S("\xe2\x80\xae"), S("\xe2\x80\xae") },
  /* with an explicit length a nul is just another character */
  { S("a\0b"), S("a\0b") },
  { S("x\\u{41}y\\x42z\\n"), S("xAyBz\n") },
};

static const BadCase text_bad[] = {
  { S("\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("abcd\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 4, 1, 5 },
  { S("\\X41"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\U{41}"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\a"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\1"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\\""), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\ "), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("ab\\\ncd"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 2, 1, 3 },
  { S("\\\xc3\xa9"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\\0"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 0, 1, 1 },
  { S("\\"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("ab\\"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 2, 1, 3 },
  { S("\\x"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\x4"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("ok \\x4"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 3, 1, 4 },
  { S("\\u"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\u41"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\u(41)"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\u{"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\u{41"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\u{10FFFF"), TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE, 0, 1, 1 },
  { S("\\xZZ"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\x4g"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\x 41"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\x4\n"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\x4\xc3\xa9"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\u{12G}"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\u{ 41}"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\u{41 }"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\u{0x41}"), TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, 0, 1, 1 },
  { S("\\u{}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{D800}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{dbff}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{DFFF}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{110000}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{FFFFFF}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{1234567}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{0000041}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\\u{00000000000000000000041"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 0, 1, 1 },
  { S("\xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("ab\xc0\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 2, 1, 3 },
  { S("\xc1\xbf"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\xe0\x80\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\xc3\xa9\xed\xa0\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 2, 1, 2 },
  { S("\xf0\x80\x80\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\xf4\x90\x80\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\xf5\x80\x80\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("x\xe2\x82"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 1, 1, 2 },
  { S("x\xe2\x82y"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 1, 1, 2 },
  { S("\xf0\x9f\x98"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  { S("\xc3"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
  /* a broken character inside an escape is a UTF-8 error at that byte */
  { S("\\\xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 1, 1, 2 },
  { S("\\x4\xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 3, 1, 4 },
  { S("\\u{4\xff}"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 4, 1, 5 },
  /* positions: lines as GtkTextBuffer counts them, columns in characters */
  { S("line1\nab\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 8, 2, 3 },
  { S("x\r\n\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 3, 2, 1 },
  { S("x\r\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 2, 2, 1 },
  { S("x\n\n\r\n\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 5, 4, 1 },
  { S("a\xe2\x80\xa9\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 4, 2, 1 },
  { S("\xc3\xa9\xe2\x82\xac\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 5, 1, 3 },
  { S("\xf0\x9f\x98\x80\n\xf0\x9f\x98\x80\xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 9, 2, 2 },
  { S("\\u{41}\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 6, 1, 7 },
  { S("\\x41\\n\\q"), TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE, 6, 1, 7 },
  { S("\\n\n\\u{D800}"), TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT, 3, 2, 1 },
};

static void
test_text_good (void)
{
  check_good_cases (text_good, G_N_ELEMENTS (text_good), TINCAN_PAYLOAD_FORMAT_TEXT);
}

static void
test_text_bad (void)
{
  check_bad_cases (text_bad, G_N_ELEMENTS (text_bad), TINCAN_PAYLOAD_FORMAT_TEXT);
}

static void
test_text_nul_terminated (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GError) error = NULL;

  /* -1 stops at the first nul */
  bytes = tincan_payload_parse ("ab\\n\0cd", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (bytes, S("ab\n"));

  empty = tincan_payload_parse (NULL, 0, TINCAN_PAYLOAD_FORMAT_TEXT,
                                TINCAN_LINE_ENDING_LF, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (empty, S("\n"));
}

typedef struct
{
  const char *input;
  const char *message;
} MessageCase;

/* The messages people will read, word for word (in the C locale). */
static const MessageCase messages[] = {
  { "abcd\\q", "Unknown escape “\\q” at line 1, column 5 (write “\\\\” for a backslash)" },
  { "\\\n", "Unknown escape: a backslash followed by U+000A at line 1, column 1 (write “\\\\” for a backslash)" },
  { "ab\\", "Incomplete escape “\\” at line 1, column 3: nothing follows the backslash" },
  { "\\x4", "Incomplete escape “\\x4” at line 1, column 1: “\\x” needs two hex digits" },
  { "\\u41", "Incomplete escape “\\u” at line 1, column 1: write the code point in braces, as in “\\u{e9}”" },
  { "\\u{41", "Incomplete escape “\\u{41” at line 1, column 1: the closing “}” is missing" },
  { "\\xZZ", "Escape “\\x” at line 1, column 1: “Z” is not a hex digit" },
  { "\\u{12G}", "Escape “\\u{12” at line 1, column 1: “G” is not a hex digit" },
  { "\\x4 ", "Escape “\\x4” at line 1, column 1: U+0020 is not a hex digit" },
  { "\\u{}", "Empty escape “\\u{}” at line 1, column 1: write 1 to 6 hex digits" },
  { "\\u{D800}", "Escape “\\u{D800}” at line 1, column 1 is a UTF-16 surrogate, not a character" },
  { "\\u{110000}", "Escape “\\u{110000}” at line 1, column 1 is beyond U+10FFFF, the last Unicode code point" },
  { "\\u{1234567}", "Escape “\\u{1234567…” at line 1, column 1 has more than 6 hex digits" },
  { "ok\n\xc3\xa9\xff", "Byte 0xFF at line 2, column 2 is not valid UTF-8" },
};

static const MessageCase hex_messages[] = {
  { "6869 0a 6", "Odd number of hex digits: “6” at line 1, column 9 has no partner" },
  { "68 6g", "Not a hex digit: “g” at line 1, column 5" },
  { "68 \xc3\xa9", "Not a hex digit: “é” at line 1, column 4" },
  { "68\n0x", "Not a hex byte: “0x” at line 2, column 1 is not followed by hex digits" },
  { "0X 68", "Not a hex byte: “0X” at line 1, column 1 is not followed by hex digits" },
  { "68\x01", "Not a hex digit: U+0001 at line 1, column 3" },
};

static void
check_messages (const MessageCase   *cases,
                gsize                n_cases,
                TincanPayloadFormat  format)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      bytes = tincan_payload_parse (cases[i].input, -1, format,
                                    TINCAN_LINE_ENDING_NONE, NULL, &error);
      g_assert_null (bytes);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_text_messages (void)
{
  check_messages (messages, G_N_ELEMENTS (messages), TINCAN_PAYLOAD_FORMAT_TEXT);
}

static void
test_hex_messages (void)
{
  check_messages (hex_messages, G_N_ELEMENTS (hex_messages), TINCAN_PAYLOAD_FORMAT_HEX);
}

static const GoodCase hex_good[] = {
  { S(""), S("") },
  { S("   \t\n "), S("") },
  { S(",:-"), S("") },
  { S("68 69"), S("hi") },
  { S("6869"), S("hi") },
  { S("0x68,0x69"), S("hi") },
  { S("0x68, 0x69"), S("hi") },
  { S("0X68"), S("h") },
  { S("0x6869"), S("hi") },
  { S("68:69"), S("hi") },
  { S("68-69"), S("hi") },
  { S("68\t69\n6a\r\n6B"), S("hijk") },
  { S("  68  "), S("h") },
  { S("DEADbeef"), S("\xde\xad\xbe\xef") },
  { S("00 ff 7F 80"), S("\0\xff\x7f\x80") },
  { S("0x00"), S("\0") },
  { S("00"), S("\0") },
  { S("0000"), S("\0\0") },
  { S("68,,69--6a::6b"), S("hijk") },
  /* a no-break space, as pasted from a web page, is still a space */
  { S("68\xc2\xa0" "69"), S("hi") },
  { S("68\xe2\x80\x83" "69"), S("hi") },
};

static const BadCase hex_bad[] = {
  { S("6g"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 1, 1, 2 },
  { S("g6"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 0, 1, 1 },
  { S("68;69"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 2, 1, 3 },
  { S("68 \xc3\xa9"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 3, 1, 4 },
  { S("\xc3\xa9\xc3\xa9 zz"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 0, 1, 1 },
  { S("68\n6g"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 4, 2, 2 },
  { S("0xg1"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 2, 1, 3 },
  { S("0x0x12"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 3, 1, 4 },
  { S("120x34"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 3, 1, 4 },
  { S("0x"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 0, 1, 1 },
  { S("0x 68"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 0, 1, 1 },
  { S("68 0x,"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 3, 1, 4 },
  { S("\\x68"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 0, 1, 1 },
  { S("68\0"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 2, 1, 3 },
  { S("686g"), TINCAN_PAYLOAD_ERROR_NOT_HEX, 3, 1, 4 },
  { S("6"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 0, 1, 1 },
  { S("68 0"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 3, 1, 4 },
  { S("686"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 2, 1, 3 },
  { S("6 8"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 0, 1, 1 },
  { S("6869 6"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 5, 1, 6 },
  { S("6869 0a 6"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 8, 1, 9 },
  { S("0x6"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 2, 1, 3 },
  { S("0x686,69"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 4, 1, 5 },
  { S("68\r\n69\n\xc2\xa0" "abc"), TINCAN_PAYLOAD_ERROR_ODD_DIGITS, 11, 3, 4 },
  { S("68 \xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 3, 1, 4 },
  { S("6\xff"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 1, 1, 2 },
  { S("\xed\xa0\x80"), TINCAN_PAYLOAD_ERROR_INVALID_UTF8, 0, 1, 1 },
};

static void
test_hex_good (void)
{
  check_good_cases (hex_good, G_N_ELEMENTS (hex_good), TINCAN_PAYLOAD_FORMAT_HEX);
}

static void
test_hex_bad (void)
{
  check_bad_cases (hex_bad, G_N_ELEMENTS (hex_bad), TINCAN_PAYLOAD_FORMAT_HEX);
}

static void
test_line_endings (void)
{
  static const struct {
    TincanLineEnding ending;
    const char *bytes;
  } endings[] = {
    { TINCAN_LINE_ENDING_NONE, "" },
    { TINCAN_LINE_ENDING_LF, "\n" },
    { TINCAN_LINE_ENDING_CR, "\r" },
    { TINCAN_LINE_ENDING_CRLF, "\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
    {
      g_autoptr(GBytes) text = NULL;
      g_autoptr(GBytes) hex = NULL;
      g_autoptr(GBytes) empty = NULL;
      g_autofree char *expected = g_strconcat ("hi", endings[i].bytes, NULL);
      TincanPayloadErrorPosition position = { 7, 7, 7 };

      g_assert_cmpstr (tincan_line_ending_to_bytes (endings[i].ending), ==, endings[i].bytes);

      text = tincan_payload_parse ("hi", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                   endings[i].ending, &position, NULL);
      assert_bytes_equal (text, expected, strlen (expected));

      /* The ending is appended after escapes are read, not parsed itself. */
      hex = tincan_payload_parse ("68 69", -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                  endings[i].ending, &position, NULL);
      assert_bytes_equal (hex, expected, strlen (expected));

      empty = tincan_payload_parse ("", -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                    endings[i].ending, &position, NULL);
      assert_bytes_equal (empty, endings[i].bytes, strlen (endings[i].bytes));

      /* success leaves the position alone */
      g_assert_cmpuint (position.offset, ==, 7);
      g_assert_cmpuint (position.line, ==, 7);
      g_assert_cmpuint (position.column, ==, 7);
    }
}

typedef struct
{
  const char *data;
  gsize       length;
  const char *expected;
} RenderCase;

static const RenderCase render_text_cases[] = {
  { S(""), "" },
  { S("hello, world!"), "hello, world!" },
  { S("a\\b"), "a\\\\b" },
  { S("\n\r\t\0"), "\\n\\r\\t\\0" },
  { S("GET /\r\n"), "GET /\\r\\n" },
  { S("\x01\x1b[31m\x7f"), "\\x01\\x1b[31m\\x7f" },
  { S("\x1f\x0b\x0c\x08"), "\\x1f\\x0b\\x0c\\x08" },
  { S("h\xc3\xa9llo \xe2\x82\xac\xf0\x9f\x98\x80"), "h\xc3\xa9llo \xe2\x82\xac\xf0\x9f\x98\x80" },
  { S("\xef\xbf\xbd"), "\xef\xbf\xbd" },
  /* not UTF-8: each byte of the broken sequence escaped on its own */
  { S("\xff\xfe"), "\\xff\\xfe" },
  { S("\xc0\x80"), "\\xc0\\x80" },
  { S("\xc1\xbf"), "\\xc1\\xbf" },
  { S("\xe0\x80\xaf"), "\\xe0\\x80\\xaf" },
  { S("\xed\xa0\x80"), "\\xed\\xa0\\x80" },
  { S("\xed\xbf\xbf"), "\\xed\\xbf\\xbf" },
  { S("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf" },
  { S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80" },
  { S("\xf5\x80"), "\\xf5\\x80" },
  { S("x\xe2\x82"), "x\\xe2\\x82" },
  { S("x\xf0\x9f\x98"), "x\\xf0\\x9f\\x98" },
  { S("\xe2\x82" "A\xe2\x82\xac"), "\\xe2\\x82A\xe2\x82\xac" },
  { S("\xc3\xc3\xa9"), "\\xc3\xc3\xa9" },
  /* valid, but would mislead a reader */
  { S("\xc2\x80\xc2\x85\xc2\x9f"), "\\u{80}\\u{85}\\u{9f}" },
  { S("\xe2\x80\x8e\xe2\x80\x8f"), "\\u{200e}\\u{200f}" },
  { S("a\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae" "b"),
    "a\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}b" },
  { S("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"), "\\u{2066}\\u{2067}\\u{2068}\\u{2069}" },
  { S("\xd8\x9c"), "\\u{61c}" },
  { S("\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf"),
    "\\u{200b}\\u{200c}\\u{200d}\\u{2060}\\u{feff}" },
  { S("\xe2\x80\xa8\xe2\x80\xa9"), "\\u{2028}\\u{2029}" },
  /* other invisible format characters: soft hyphen, a tag character */
  { S("\xc2\xad\xf3\xa0\x81\x81"), "\\u{ad}\\u{e0041}" },
  /* spaces that look like U+0020 (issue 11, item 6): NBSP, EM SPACE, NARROW NBSP,
   * IDEOGRAPHIC SPACE, the braille blank */
  { S("a\xc2\xa0" "b\xe2\x80\x83" "c\xe2\x80\xaf" "d\xe3\x80\x80" "e\xe2\xa0\x80" "f"),
    "a\\u{a0}b\\u{2003}c\\u{202f}d\\u{3000}e\\u{2800}f" },
  /* invisible: variation selectors (also the supplement), combining grapheme joiner,
   * Hangul filler; a visible combining mark stays */
  { S("a\xef\xb8\x8f\xf3\xa0\x84\x80" "b\xcd\x8f\xe3\x85\xa4" "e\xcc\x81"),
    "a\\u{fe0f}\\u{e0100}b\\u{34f}\\u{3164}e\xcc\x81" },
};

static void
test_render_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (render_text_cases); i++)
    {
      g_autofree char *shown = tincan_payload_render_text ((const guint8 *) render_text_cases[i].data,
                                                           render_text_cases[i].length);

      g_assert_cmpstr (shown, ==, render_text_cases[i].expected);
    }

  {
    g_autofree char *none = tincan_payload_render_text (NULL, 0);

    g_assert_cmpstr (none, ==, "");
  }
}

static const RenderCase render_hexdump_cases[] = {
  { S(""), "" },
  { S("hi\r\n"), "00000000: 6869 0d0a                                hi.." },
  { S("abc"), "00000000: 6162 63                                  abc" },
  { S("0123456789abcdef"), "00000000: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef" },
  { S("0123456789abcdefg"),
    "00000000: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n"
    "00000010: 67                                       g" },
  { S("\x00\x01" "ABC\x7f\x80\xff ~xyz0123456789!"),
    "00000000: 0001 4142 437f 80ff 207e 7879 7a30 3132  ..ABC... ~xyz012\n"
    "00000010: 3334 3536 3738 3921                      3456789!" },
  { S("0123456789abcdef0123456789abcdef"),
    "00000000: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\n"
    "00000010: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef" },
};

static void
test_render_hexdump (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (render_hexdump_cases); i++)
    {
      g_autofree char *shown = tincan_payload_render_hexdump ((const guint8 *) render_hexdump_cases[i].data,
                                                              render_hexdump_cases[i].length);

      g_assert_cmpstr (shown, ==, render_hexdump_cases[i].expected);
    }
}

static void
test_render_hexdump_long (void)
{
  guint8 data[4096];
  g_autofree char *shown = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = i & 0xFF;

  shown = tincan_payload_render_hexdump (data, sizeof data);
  lines = g_strsplit (shown, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, sizeof data / 16);
  g_assert_cmpstr (lines[0], ==, "00000000: 0001 0203 0405 0607 0809 0a0b 0c0d 0e0f  ................");
  g_assert_cmpstr (lines[4], ==, "00000040: 4041 4243 4445 4647 4849 4a4b 4c4d 4e4f  @ABCDEFGHIJKLMNO");
  g_assert_cmpstr (lines[255], ==, "00000ff0: f0f1 f2f3 f4f5 f6f7 f8f9 fafb fcfd feff  ................");
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), ==, 67);
}

/* What the composer is given by Edit and Send: text when it reads as text. */
static void
test_is_printable (void)
{
  static const struct { const char *data; gsize length; gboolean printable; } cases[] = {
    { S(""), TRUE },
    { S("hello world\r\n"), TRUE },
    { S("tab\there \\ back"), TRUE },
    { S("h\xc3\xa9 \xe2\x82\xac"), TRUE },           /* é € */
    { S("nul\0"), FALSE },
    { S("\x1b[31m"), FALSE },
    { S("\x7f"), FALSE },
    { S("\xff\xfe"), FALSE },                        /* not UTF-8 */
    { S("\xc3"), FALSE },                             /* cut short */
    { S("nb\xc2\xa0sp"), FALSE },                     /* looks like a space */
    { S("\xe2\x80\xae" "evil"), FALSE },             /* a bidi override */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (tincan_payload_is_printable ((const guint8 *) cases[i].data,
                                                    cases[i].length), ==, cases[i].printable);
    }
}

/* Expected values are what Python 3 prints for repr() of the same bytes. */
static const RenderCase render_python_cases[] = {
  { S(""), "b''" },
  { S("hi\r\n"), "b'hi\\r\\n'" },
  { S("\x00\xff"), "b'\\x00\\xff'" },
  { S("it's"), "b\"it's\"" },
  { S("it's \"x\""), "b'it\\'s \"x\"'" },
  { S("say \"hi\""), "b'say \"hi\"'" },
  { S("'"), "b\"'\"" },
  { S("\"'"), "b'\"\\''" },
  { S("\\"), "b'\\\\'" },
  { S("\t\x7f\x80"), "b'\\t\\x7f\\x80'" },
  { S("\x0b\x0c"), "b'\\x0b\\x0c'" },
  { S("\x1b[31m"), "b'\\x1b[31m'" },
  { S("h\xc3\xa9"), "b'h\\xc3\\xa9'" },
  { S(" ~"), "b' ~'" },
};

static void
test_render_python (void)
{
  g_autofree char *all = NULL;
  guint8 every[256];

  for (guint i = 0; i < G_N_ELEMENTS (render_python_cases); i++)
    {
      g_autofree char *shown = tincan_payload_render_python ((const guint8 *) render_python_cases[i].data,
                                                             render_python_cases[i].length);

      g_assert_cmpstr (shown, ==, render_python_cases[i].expected);
    }

  /* python3 -c 'print(repr(bytes(range(256))))' */
  for (guint i = 0; i < 256; i++)
    every[i] = i;
  all = tincan_payload_render_python (every, sizeof every);
  g_assert_cmpstr (all, ==,
    "b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f"
    "\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f"
    " !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~\\x7f"
    "\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f"
    "\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f"
    "\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf"
    "\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf"
    "\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf"
    "\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf"
    "\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef"
    "\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'");
}

static const RenderCase render_hex_cases[] = {
  { S(""), "" },
  { S("hi"), "6869" },
  { S("\x00\x0f\xf0\xff\r\n"), "000ff0ff0d0a" },
};

static void
test_render_hex (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (render_hex_cases); i++)
    {
      g_autofree char *shown = tincan_payload_render_hex ((const guint8 *) render_hex_cases[i].data,
                                                          render_hex_cases[i].length);
      g_autoptr(GBytes) back = NULL;

      g_assert_cmpstr (shown, ==, render_hex_cases[i].expected);

      back = tincan_payload_parse (shown, -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                   TINCAN_LINE_ENDING_NONE, NULL, NULL);
      assert_bytes_equal (back, render_hex_cases[i].data, render_hex_cases[i].length);
    }
}

/* Code points render_text() must never print as themselves. */
static gboolean
is_misleading (gunichar c)
{
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
         c == 0x061C || (c >= 0x200B && c <= 0x200F) ||
         c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
         c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
         c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x3000 ||
         c == 0x2800 || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* The contract of render_text(): what it shows parses back to the same
 * bytes, is valid UTF-8, and shows no control or bidi character raw. */
static void
assert_round_trip (const guint8 *data,
                   gsize         length)
{
  g_autofree char *shown = tincan_payload_render_text (data, length);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize back_length;
  const guint8 *back_data;

  g_assert_true (g_utf8_validate (shown, -1, NULL));
  for (const char *p = shown; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (is_misleading (g_utf8_get_char (p)));

  back = tincan_payload_parse (shown, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                               TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  back_data = g_bytes_get_data (back, &back_length);
  g_assert_cmpmem (back_data, back_length, data, length);
}

static void
test_round_trip_single_bytes (void)
{
  for (guint b = 0; b < 256; b++)
    {
      guint8 byte = b;

      assert_round_trip (&byte, 1);
    }
}

static void
test_round_trip_two_bytes (void)
{
  for (guint b = 0; b < 65536; b++)
    {
      guint8 pair[2] = { b >> 8, b & 0xFF };

      assert_round_trip (pair, 2);
    }
}

static const char *const tricky[] = {
  "\xc0\x80",                  /* overlong nul */
  "\xc1\xbf",                  /* overlong 7F */
  "\xe0\x80\x80",              /* overlong 3-byte */
  "\xe0\x9f\xbf",
  "\xf0\x80\x80\x80",          /* overlong 4-byte */
  "\xed\xa0\x80",              /* lone high surrogate */
  "\xed\xbf\xbf",              /* lone low surrogate */
  "\xed\xa0\xbd\xed\xb8\x80",  /* CESU-8 surrogate pair */
  "\xf4\x90\x80\x80",          /* above U+10FFFF */
  "\xf4\x8f\xbf\xbf",          /* U+10FFFF itself */
  "\xf5\x80\x80\x80",
  "\xf8\x88\x80\x80\x80",      /* old 5-byte form */
  "\xfe\xff",
  "\xe2\x82",                  /* truncated at the end */
  "\xf0\x9f\x98",
  "\xc3",
  "a\xe2\x82\\x",
  "\\x41\\u{41}\\\\",          /* text that looks like escapes */
  "\\u{d800}",
  "\xe2\x80\xae\xe2\x81\xa6",
  "\xef\xbb\xbf",
  "\xc2\x85\xc2\xa0",
  "\x1b]0;title\x07",
  "\r\n\t\x7f",
};

static void
test_round_trip_tricky (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (tricky); i++)
    {
      assert_round_trip ((const guint8 *) tricky[i], strlen (tricky[i]));
      /* and glued to plain text on both sides */
      {
        g_autofree char *glued = g_strconcat ("ab", tricky[i], "cd", NULL);

        assert_round_trip ((const guint8 *) glued, strlen (glued));
      }
    }

  /* a nul in the middle */
  assert_round_trip ((const guint8 *) "a\0\xff", 3);
}

/* Pieces random strings are made of: bytes that start, end or break UTF-8
 * sequences, characters that look like escapes, and code points that
 * render_text() has to escape. */
static const guint8 interesting_bytes[] = {
  0x00, '\n', '\r', '\t', 0x1b, 0x7f, '\\', 'x', 'u', '{', '}', '0', 'n', 'A',
  0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef,
  0xf0, 0xf4, 0xf5, 0xff,
};

static const gunichar interesting_chars[] = {
  0x80, 0x85, 0x9f, 0xa0, 0xad, 0xe9, 0x061c, 0x200b, 0x200d, 0x200e, 0x2028,
  0x2029, 0x202e, 0x2060, 0x2066, 0x20ac, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff,
  0x1f600, 0xe0041, 0x10ffff, 0x2003, 0x3000, 0x2800, 0xfe0f, 0xe0100,
};

static gsize
random_bytes (GRand  *rand,
              guint8 *buf,
              gsize   length)
{
  gsize n = 0;

  while (n < length)
    {
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          buf[n++] = g_rand_int_range (rand, 0, 256);
          break;
        case 1:
          buf[n++] = interesting_bytes[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting_bytes))];
          break;
        case 2:
          buf[n++] = g_rand_int_range (rand, 0x20, 0x7f);
          break;
        default:
          {
            char utf8[6];
            gunichar c = interesting_chars[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting_chars))];
            gsize k = g_unichar_to_utf8 (c, utf8);

            /* cut at the end of the buffer, on purpose: truncated sequences */
            k = MIN (k, length - n);
            memcpy (buf + n, utf8, k);
            n += k;
          }
          break;
        }
    }

  return n;
}

static void
test_round_trip_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (ROUND_TRIP_SEED);
  guint8 buf[64];

  g_test_message ("round trip seed: %u", ROUND_TRIP_SEED);

  for (guint i = 0; i < 5000; i++)
    {
      gsize length = random_bytes (rand, buf, g_rand_int_range (rand, 0, sizeof buf + 1));

      assert_round_trip (buf, length);
    }
}

static void
test_round_trip_hex_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (ROUND_TRIP_SEED);
  guint8 buf[64];

  g_test_message ("hex round trip seed: %u", ROUND_TRIP_SEED);

  for (guint i = 0; i < 2000; i++)
    {
      gsize length = random_bytes (rand, buf, g_rand_int_range (rand, 0, sizeof buf + 1));
      g_autofree char *hex = tincan_payload_render_hex (buf, length);
      g_autofree char *python = tincan_payload_render_python (buf, length);
      g_autoptr(GBytes) back = NULL;

      back = tincan_payload_parse (hex, -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                   TINCAN_LINE_ENDING_NONE, NULL, NULL);
      assert_bytes_equal (back, (const char *) buf, length);

      /* the Python literal is printable ASCII between its quotes */
      for (const char *p = python; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p < 0x7f);
    }
}

typedef struct
{
  const char *data;
  gsize       length;
  gsize       cap;
  gsize       cut;
} CutCase;

/* Issue 11, item 6: the row cap never splits a character, and only a valid
 * one moves the cut. */
static const CutCase cut_cases[] = {
  { S("abc"), 5, 3 },
  { S("abcdef"), 3, 3 },
  { S("a\xe2\x82\xac"), 2, 1 },            /* inside "€": before it */
  { S("a\xe2\x82\xac"), 3, 1 },
  { S("a\xe2\x82\xac" "b"), 4, 4 },        /* just after it */
  { S("a\xf0\x9f\x98\x80"), 4, 1 },       /* inside a 4-byte character */
  { S("a\xf0\x9f\x98\x80"), 2, 1 },
  { S("\xe2\x82\xe2\x82\xac"), 1, 1 },   /* invalid: cut anywhere */
  { S("\xe2\x82" "abc"), 1, 1 },
  { S("\x82\x82\x82\x82\x82"), 3, 3 },   /* continuation bytes only */
  { S("\xc3\xa9"), 1, 0 },
};

static void
test_text_cut (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cut_cases); i++)
    g_assert_cmpuint (tincan_payload_text_cut ((const guint8 *) cut_cases[i].data,
                                               cut_cases[i].length, cut_cases[i].cap),
                      ==, cut_cases[i].cut);
}

/* A long plain text is the common case; render it often enough that a
 * per-byte slow path would show up in the test time. */
static void
test_render_text_large (void)
{
  gsize length = 4 * 1024 * 1024;
  g_autofree guint8 *data = g_malloc (length);
  g_autofree char *shown = NULL;
  g_autoptr(GBytes) back = NULL;

  for (gsize i = 0; i < length; i++)
    data[i] = "Lorem ipsum dolor sit amet, \xc3\xa9t\xc3\xa9\n"[i % 32];

  shown = tincan_payload_render_text (data, length);
  g_assert_cmpuint (strlen (shown), >, length);

  back = tincan_payload_parse (shown, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                               TINCAN_LINE_ENDING_NONE, NULL, NULL);
  assert_bytes_equal (back, (const char *) data, length);
}

static void
test_empty_and_invalid (void)
{
  g_autofree char *text = tincan_payload_render_text (NULL, 0);
  g_autofree char *dump = tincan_payload_render_hexdump (NULL, 0);
  g_autofree char *python = tincan_payload_render_python (NULL, 0);
  g_autofree char *hex = tincan_payload_render_hex (NULL, 0);
  const char *ending;

  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (dump, ==, "");
  g_assert_cmpstr (python, ==, "b''");
  g_assert_cmpstr (hex, ==, "");

  /* A value outside the enum is a programming error, not a crash. */
  g_test_expect_message ("Tincan-Protocol", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
  ending = tincan_line_ending_to_bytes ((TincanLineEnding) 42);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ending, ==, "");
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (TINCAN_PAYLOAD_ERROR), ==, "tincan-payload-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/payload/text/good", test_text_good);
  g_test_add_func ("/protocol/payload/text/bad", test_text_bad);
  g_test_add_func ("/protocol/payload/text/nul-terminated", test_text_nul_terminated);
  g_test_add_func ("/protocol/payload/text/messages", test_text_messages);
  g_test_add_func ("/protocol/payload/hex/good", test_hex_good);
  g_test_add_func ("/protocol/payload/hex/bad", test_hex_bad);
  g_test_add_func ("/protocol/payload/hex/messages", test_hex_messages);
  g_test_add_func ("/protocol/payload/line-endings", test_line_endings);
  g_test_add_func ("/protocol/payload/error-quark", test_error_quark);
  g_test_add_func ("/protocol/payload/empty-and-invalid", test_empty_and_invalid);
  g_test_add_func ("/protocol/payload/render/text", test_render_text);
  g_test_add_func ("/protocol/payload/render/text-large", test_render_text_large);
  g_test_add_func ("/protocol/payload/render/text-cut", test_text_cut);
  g_test_add_func ("/protocol/payload/render/hexdump", test_render_hexdump);
  g_test_add_func ("/protocol/payload/render/hexdump-long", test_render_hexdump_long);
  g_test_add_func ("/protocol/payload/render/python", test_render_python);
  g_test_add_func ("/protocol/payload/render/hex", test_render_hex);
  g_test_add_func ("/protocol/payload/render/is-printable", test_is_printable);
  g_test_add_func ("/protocol/payload/round-trip/single-bytes", test_round_trip_single_bytes);
  g_test_add_func ("/protocol/payload/round-trip/two-bytes", test_round_trip_two_bytes);
  g_test_add_func ("/protocol/payload/round-trip/tricky", test_round_trip_tricky);
  g_test_add_func ("/protocol/payload/round-trip/random", test_round_trip_random);
  g_test_add_func ("/protocol/payload/round-trip/hex-random", test_round_trip_hex_random);

  return g_test_run ();
}
