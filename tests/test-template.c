/* test-template.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-checksum.h"
#include "tincan-template.h"

/* A string literal and its length, so that tables can hold embedded nuls. */
#define S(x) x, sizeof (x) - 1

/* 2025-12-02T17:42:20.123456Z */
#define FIXED_NOW G_GINT64_CONSTANT (1764697340123456)

static gint64
fixed_clock (gpointer user_data)
{
  return *(const gint64 *) user_data;
}

/* Random bytes that are not: 0x10, 0x11, 0x12, ... from the first call on. */
static guint8 next_random;

static void
counting_random (guint8   *buffer,
                 gsize     length,
                 gpointer  user_data)
{
  for (gsize i = 0; i < length; i++)
    buffer[i] = next_random++;
}

static gint64 now = FIXED_NOW;

static void
assert_bytes (GBytes     *bytes,
              const char *expected,
              gsize       expected_length)
{
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, expected_length);
}

static TincanTemplateContext
fixed_context (guint64 counter)
{
  next_random = 0x10;
  return (TincanTemplateContext) { counter, fixed_clock, counting_random, &now };
}

static GBytes *
expand_text (const char          *input,
             TincanPayloadFormat  format,
             TincanLineEnding     ending,
             guint64              counter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanTemplate) template = NULL;
  TincanTemplateContext context = fixed_context (counter);
  GBytes *bytes;

  template = tincan_template_parse (input, -1, format, ending, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  bytes = tincan_template_expand (template, &context, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static void
assert_expands (const char          *input,
                TincanPayloadFormat  format,
                const char          *expected,
                gsize                expected_length)
{
  g_autoptr(GBytes) bytes = expand_text (input, format, TINCAN_LINE_ENDING_NONE, 0);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  g_test_message ("%s", input);
  g_assert_cmpmem (data, length, expected, expected_length);
}

static void
assert_text (const char *input,
             const char *expected,
             gsize       expected_length)
{
  assert_expands (input, TINCAN_PAYLOAD_FORMAT_TEXT, expected, expected_length);
}

static void
assert_hex (const char *input,
            const char *expected,
            gsize       expected_length)
{
  assert_expands (input, TINCAN_PAYLOAD_FORMAT_HEX, expected, expected_length);
}

/* The published check values of each checksum, over "123456789". */
static void
test_check_values (void)
{
  static const struct
  {
    TincanChecksum kind;
    guint32        check;
    guint          width;
  } checks[] = {
    { TINCAN_CHECKSUM_CRC32, 0xCBF43926, 4 },
    { TINCAN_CHECKSUM_CRC16_MODBUS, 0x4B37, 2 },
    { TINCAN_CHECKSUM_CRC16_CCITT, 0x29B1, 2 },
    { TINCAN_CHECKSUM_SUM8, 0xDD, 1 },
    { TINCAN_CHECKSUM_XOR8, 0x31, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_assert_cmphex (tincan_checksum_compute (checks[i].kind, (const guint8 *) "123456789", 9),
                       ==, checks[i].check);
      g_assert_cmpuint (tincan_checksum_width (checks[i].kind), ==, checks[i].width);
    }

  /* Over nothing: each one's initial value, as the standards define it. */
  g_assert_cmphex (tincan_checksum_compute (TINCAN_CHECKSUM_CRC32, NULL, 0), ==, 0);
  g_assert_cmphex (tincan_checksum_compute (TINCAN_CHECKSUM_CRC16_MODBUS, NULL, 0), ==, 0xFFFF);
}

/* The same values as fields, with their default and explicit byte orders. */
static void
test_checksum_fields (void)
{
  assert_text ("123456789{{crc32}}", S ("123456789\xCB\xF4\x39\x26"));
  assert_text ("123456789{{crc32:be}}", S ("123456789\xCB\xF4\x39\x26"));
  assert_text ("123456789{{crc32:le}}", S ("123456789\x26\x39\xF4\xCB"));
  assert_text ("123456789{{crc16-modbus}}", S ("123456789\x37\x4B"));
  assert_text ("123456789{{crc16-modbus:le}}", S ("123456789\x37\x4B"));
  assert_text ("123456789{{crc16-modbus:be}}", S ("123456789\x4B\x37"));
  assert_text ("123456789{{crc16-ccitt}}", S ("123456789\x29\xB1"));
  assert_text ("123456789{{crc16-ccitt:le}}", S ("123456789\xB1\x29"));
  assert_text ("123456789{{sum8}}", S ("123456789\xDD"));
  assert_text ("123456789{{xor8:le}}", S ("123456789\x31"));
  assert_text ("{{xor8}}", S ("\0"));
}

/* The example: a Modbus RTU "read 10 holding registers" request. */
static void
test_modbus_request (void)
{
  assert_hex ("01 03 00 00 00 0a {{crc16-modbus}}", S ("\x01\x03\x00\x00\x00\x0a\xc5\xcd"));
  assert_hex ("01 03 00 00 00 0a{{crc16-modbus}}", S ("\x01\x03\x00\x00\x00\x0a\xc5\xcd"));
}

/* Computed fields cover regions: from the start or a {{begin}} up to a
 * checksum, from a length to its {{end}} or the end of the message. */
static void
test_regions (void)
{
  /* A length of what follows, in each width. */
  assert_text ("{{len:u8}}abc", S ("\x03" "abc"));
  assert_text ("{{len:u16be}}abc", S ("\x00\x03" "abc"));
  assert_text ("{{len:u16le}}abc", S ("\x03\x00" "abc"));
  assert_text ("{{len:u32be}}abc", S ("\x00\x00\x00\x03" "abc"));
  assert_text ("{{len:u32le}}abc", S ("\x03\x00\x00\x00" "abc"));
  assert_text ("{{len:u8}}", S ("\x00"));
  /* ... up to its {{end}}, and a length before a region. */
  assert_text ("{{len:u8}}abc{{end}}de", S ("\x03" "abcde"));
  assert_text ("x{{len:u8}}{{end}}", S ("x\x00"));
  /* Nested lengths: an {{end}} closes the last open one. */
  assert_text ("{{len:u8}}a{{len:u8}}bc{{end}}d{{end}}e", S ("\x05" "a\x02" "bcde"));
  assert_text ("{{len:u8}}a{{len:u8}}bc{{end}}d", S ("\x05" "a\x02" "bcd"));
  /* A checksum from {{begin}}, not from the start. */
  assert_text ("\\x02{{begin}}123456789{{crc16-ccitt}}\\x03", S ("\x02" "123456789\x29\xB1\x03"));
  /* Nested regions: the inner checksum is over "b", the outer over a + b + it. */
  assert_text ("{{begin}}a{{begin}}b{{sum8}}{{sum8}}", S ("ab\x62\x25"));
  /* A checksum after another covers it; a length covers the checksum in it. */
  assert_text ("ab{{sum8}}{{xor8}}", S ("ab\xC3\xC0"));
  assert_text ("{{len:u8}}{{begin}}ab{{sum8}}", S ("\x03" "ab\xC3"));
  /* A checksum over the length field, which is filled in first. */
  assert_text ("{{len:u8}}ab{{end}}{{sum8}}", S ("\x02" "ab\xC5"));
  /* A length-prefixed frame: STX, length, body, CRC over length and body, ETX. */
  assert_hex ("02 {{begin}}{{len:u16be}} 68 69 {{end}}{{crc16-ccitt}} 03",
              S ("\x02\x00\x02\x68\x69\x95\xAC\x03"));
  /* docs/templates.md's JSON example. */
  assert_text ("{{len:u32le}}{\"cmd\":\"ping\"}", S ("\x0e\x00\x00\x00{\"cmd\":\"ping\"}"));
}

/* A length that runs to the end covers the line ending; a checksum comes before it. */
static void
test_line_ending (void)
{
  g_autoptr(GBytes) a = expand_text ("{{len:u8}}ab", TINCAN_PAYLOAD_FORMAT_TEXT,
                                     TINCAN_LINE_ENDING_CRLF, 0);
  g_autoptr(GBytes) b = expand_text ("ab{{sum8}}", TINCAN_PAYLOAD_FORMAT_TEXT,
                                     TINCAN_LINE_ENDING_LF, 0);
  g_autoptr(GBytes) c = expand_text ("61 {{sum8}}", TINCAN_PAYLOAD_FORMAT_HEX,
                                     TINCAN_LINE_ENDING_CR, 0);

  assert_bytes (a, S ("\x04" "ab\r\n"));
  assert_bytes (b, S ("ab\xC3\n"));
  assert_bytes (c, S ("a\x61\r"));
}

static void
assert_counter (const char *input,
                guint64     counter,
                const char *expected)
{
  g_autoptr(GBytes) bytes = expand_text (input, TINCAN_PAYLOAD_FORMAT_TEXT,
                                         TINCAN_LINE_ENDING_NONE, counter);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, strlen (expected));
}

static void
test_counter (void)
{
  assert_counter ("#{{counter}}", 0, "#1");
  assert_counter ("#{{counter}}", 41, "#42");
  assert_counter ("{{counter:100}}", 0, "100");
  assert_counter ("{{counter:100}}", 7, "107");
  assert_counter ("{{counter:0}}", 0, "0");
  assert_counter ("SEQ {{counter:100}} {{unix}}", 1, "SEQ 101 1764697340");
  assert_counter ("{{counter:18446744073709551615}}", 0, "18446744073709551615");
  /* Past the largest guint64 it wraps, as documented. */
  assert_counter ("{{counter:18446744073709551615}}", 2, "1");
  /* Every {{counter}} of one message has the same value. */
  assert_counter ("{{counter}},{{counter}}", 4, "5,5");
  /* The counter is text: its length, and a length over it, change as it counts. */
  assert_counter ("{{len:u8}}{{counter}}", 8, "\x01" "9");
  assert_counter ("{{len:u8}}{{counter}}", 9, "\x02" "10");
}

static void
test_time (void)
{
  static gint64 before_1970 = G_GINT64_CONSTANT (-1500);
  g_autoptr(TincanTemplate) template = NULL;
  g_autoptr(GBytes) bytes = NULL;
  TincanTemplateContext context = { 0, fixed_clock, counting_random, &before_1970 };

  assert_text ("{{time}}", S ("2025-12-02T17:42:20.123Z"));
  assert_text ("{{unix}}", S ("1764697340"));
  assert_text ("{{unix_ms}}", S ("1764697340123"));
  assert_text ("{{unix}} {{time}}", S ("1764697340 2025-12-02T17:42:20.123Z"));

  /* 1.5 ms before 1970: rounded down, not towards zero. */
  template = tincan_template_parse ("{{time}} {{unix}} {{unix_ms}}", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                    TINCAN_LINE_ENDING_NONE, NULL, NULL);
  g_assert_nonnull (template);
  bytes = tincan_template_expand (template, &context, NULL, NULL);
  g_assert_nonnull (bytes);
  assert_bytes (bytes, S ("1969-12-31T23:59:59.998Z -1 -2"));
}

/* Without a context: the real clock and random bytes, a counter of 0. */
static void
test_default_context (void)
{
  g_autoptr(TincanTemplate) template = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  guint64 unix_seconds;
  const char *data;
  g_autofree char *unix_text = NULL;

  template = tincan_template_parse ("{{counter}} {{random:16}}{{uuid}} {{unix}}", -1,
                                    TINCAN_PAYLOAD_FORMAT_TEXT, TINCAN_LINE_ENDING_NONE,
                                    NULL, NULL);
  g_assert_nonnull (template);
  bytes = tincan_template_expand (template, NULL, NULL, NULL);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 2 + 16 + 36 + 1);
  g_assert_cmpmem (data, 2, "1 ", 2);
  g_assert_cmpint (data[2 + 16 + 14], ==, '4');
  unix_text = g_strndup (data + 2 + 16 + 36 + 1, g_bytes_get_size (bytes) - (2 + 16 + 36 + 1));
  unix_seconds = g_ascii_strtoull (unix_text, NULL, 10);
  g_assert_cmpuint (unix_seconds, >=, before);
  g_assert_cmpuint (unix_seconds, <=, before + 60);
}

static void
test_random_and_uuid (void)
{
  assert_text ("{{random:1}}", S ("\x10"));
  assert_text ("{{random:3}}", S ("\x10\x11\x12"));
  assert_hex ("ff {{random:2}} ff", S ("\xff\x10\x11\xff"));
  /* Bytes 10..1f with the version (4) and variant (10xx) bits set. */
  assert_text ("{{uuid}}", S ("10111213-1415-4617-9819-1a1b1c1d1e1f"));

  {
    g_autoptr(TincanTemplate) template = NULL;
    g_autoptr(GBytes) bytes = NULL;
    TincanTemplateContext context = fixed_context (0);

    template = tincan_template_parse ("{{random:4096}}", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                      TINCAN_LINE_ENDING_NONE, NULL, NULL);
    g_assert_nonnull (template);
    bytes = tincan_template_expand (template, &context, NULL, NULL);
    g_assert_cmpuint (g_bytes_get_size (bytes), ==, 4096);
  }
}

/* "{{{{" writes "{{", in both formats; "}}" alone is ordinary text. */
static void
test_literal_braces (void)
{
  g_autoptr(TincanTemplate) template = NULL;

  assert_text ("{{{{", S ("{{"));
  assert_text ("a{{{{counter}}b", S ("a{{counter}}b"));
  assert_text ("{{{{{{counter}}", S ("{{1"));
  assert_text ("}} {", S ("}} {"));
  assert_hex ("01 {{{{ 02", S ("\x01{{\x02"));

  template = tincan_template_parse ("{{{{", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                    TINCAN_LINE_ENDING_NONE, NULL, NULL);
  g_assert_false (tincan_template_has_fields (template));
  g_assert_false (tincan_template_varies (template));
}

/* Text without "{{" is what tincan_payload_parse() makes of it. */
static void
test_off_without_braces (void)
{
  static const char *inputs[] = { "", "hello\\n", "\\u{41}{", "a } b { c", "\\x7b\\x7b" };

  g_assert_false (tincan_template_text_has_fields ("a { b", -1));
  g_assert_false (tincan_template_text_has_fields ("{", 1));
  g_assert_false (tincan_template_text_has_fields (NULL, 0));
  g_assert_true (tincan_template_text_has_fields ("a {{ b", -1));
  g_assert_true (tincan_template_text_has_fields ("{{{{", -1));
  g_assert_false (tincan_template_text_has_fields ("{{", 1));

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(TincanTemplate) template = NULL;
      g_autoptr(GBytes) expanded = NULL;
      g_autoptr(GBytes) parsed = NULL;

      template = tincan_template_parse (inputs[i], -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                        TINCAN_LINE_ENDING_LF, NULL, NULL);
      g_assert_nonnull (template);
      g_assert_false (tincan_template_has_fields (template));
      expanded = tincan_template_expand (template, NULL, NULL, NULL);
      parsed = tincan_payload_parse (inputs[i], -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                     TINCAN_LINE_ENDING_LF, NULL, NULL);
      g_assert_true (g_bytes_equal (expanded, parsed));
    }
}

/* Escapes and hex between fields read as they do without fields. */
static void
test_literal_syntax (void)
{
  assert_text ("\\x01{{sum8}}\\u{e9}\\n", S ("\x01\x01\xc3\xa9\n"));
  assert_text ("é{{len:u8}}ü", S ("\xc3\xa9\x02\xc3\xbc"));
  assert_hex ("0x01,0x02:{{xor8}}-03", S ("\x01\x02\x03\x03"));
  assert_hex ("01\n{{sum8}}\n02", S ("\x01\x01\x02"));
}

static void
test_flags (void)
{
  static const struct
  {
    const char *input;
    gboolean    has_fields;
    gboolean    varies;
  } cases[] = {
    { "plain", FALSE, FALSE },
    { "{{crc32}}", TRUE, FALSE },
    { "{{len:u8}}x{{end}}", TRUE, FALSE },
    { "{{counter}}", TRUE, TRUE },
    { "{{time}}", TRUE, TRUE },
    { "{{unix_ms}}", TRUE, TRUE },
    { "{{random:1}}", TRUE, TRUE },
    { "{{uuid}}", TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TincanTemplate) template = NULL;

      template = tincan_template_parse (cases[i].input, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                        TINCAN_LINE_ENDING_NONE, NULL, NULL);
      g_assert_nonnull (template);
      g_assert_cmpint (tincan_template_has_fields (template), ==, cases[i].has_fields);
      g_assert_cmpint (tincan_template_varies (template), ==, cases[i].varies);
    }
}

static void
test_ref_counting (void)
{
  TincanTemplate *template = tincan_template_parse ("{{sum8}}", -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                                    TINCAN_LINE_ENDING_NONE, NULL, NULL);
  TincanTemplate *copy = g_boxed_copy (TINCAN_TYPE_TEMPLATE, template);

  g_assert_true (copy == template);
  tincan_template_unref (template);
  g_assert_true (tincan_template_has_fields (copy));
  g_boxed_free (TINCAN_TYPE_TEMPLATE, copy);
}

typedef struct
{
  const char          *input;
  TincanPayloadFormat  format;
  GQuark               domain;
  gint                 code;
  gsize                offset;
  guint                line;
  guint                column;
  const char          *quoted;   /* what the message must contain */
} BadCase;

#define TEXT TINCAN_PAYLOAD_FORMAT_TEXT
#define HEX TINCAN_PAYLOAD_FORMAT_HEX

/* Every parse error, at its position in the whole text. */
static void
test_parse_errors (void)
{
  const BadCase cases[] = {
    { "ab{{counter", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
      2, 1, 3, "line 1, column 3" },
    { "{{coun\nter}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
      0, 1, 1, "“{{”" },
    { "x\r\n{{sum8}}{{", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
      11, 2, 9, "line 2, column 9" },
    { "{{", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
      0, 1, 1, "column 1" },
    { "{{{", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNTERMINATED,
      0, 1, 1, "column 1" },
    { "x\n  {{nope}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      4, 2, 3, "“{{nope}}” at line 2, column 3" },
    { "é\u2029ü{{}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      7, 2, 2, "“{{}}”" },
    { "{{ counter }}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      0, 1, 1, "“{{ counter }}”" },
    { "{{Counter}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      0, 1, 1, "Counter" },
    { "{{a\tb}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      0, 1, 1, "“{{a\\x09b}}”" },
    { "{{\xff\xc3}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      0, 1, 1, "“{{\\xFF\\xC3}}”" },
    { "{{é}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      0, 1, 1, "“{{é}}”" },
    { "{{counter:x}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "“{{counter:x}}”" },
    { "{{counter:-1}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "counter" },
    { "{{counter:}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "counter" },
    { "{{counter:18446744073709551616}}", TEXT, TINCAN_TEMPLATE_ERROR,
      TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT, 0, 1, 1, "counter" },
    { "{{random}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "1 to 4096" },
    { "ab {{random:0}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      3, 1, 4, "“{{random:0}}”" },
    { "{{random:4097}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "4097" },
    { "{{len}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "u16be" },
    { "{{len:u24}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "u24" },
    { "{{crc32:LE}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "“le” or “be”" },
    { "{{sum8:}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "sum8" },
    { "{{time:ms}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "no argument" },
    { "{{end:1}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_BAD_ARGUMENT,
      0, 1, 1, "no argument" },
    { "ab{{end}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNMATCHED_END,
      2, 1, 3, "“{{end}}”" },
    { "{{len:u8}}{{end}}{{end}}", TEXT, TINCAN_TEMPLATE_ERROR,
      TINCAN_TEMPLATE_ERROR_UNMATCHED_END, 17, 1, 18, "column 18" },
    { "a\n{{begin}}{{begin}}{{crc32}}", TEXT, TINCAN_TEMPLATE_ERROR,
      TINCAN_TEMPLATE_ERROR_UNMATCHED_BEGIN, 2, 2, 1, "“{{begin}}” at line 2, column 1" },
    { "{{crc32}}{{begin}}", TEXT, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNMATCHED_BEGIN,
      9, 1, 10, "column 10" },
    /* Errors of the literal parts, counted in the whole text. */
    { "é{{counter}}\\q", TEXT, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE,
      13, 1, 13, "line 1, column 13" },
    { "{{sum8}}\n\\x4{{sum8}}", TEXT, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,
      9, 2, 1, "line 2, column 1" },
    { "{{sum8}}\xff", TEXT, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_INVALID_UTF8,
      8, 1, 9, "column 9" },
    { "01 {{crc32}} 0g", HEX, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_NOT_HEX,
      14, 1, 15, "line 1, column 15" },
    { "01 0{{sum8}}2", HEX, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_ODD_DIGITS,
      3, 1, 4, "column 4" },
    { "01\n{{sum8}} 0{{xor8}}", HEX, TINCAN_PAYLOAD_ERROR, TINCAN_PAYLOAD_ERROR_ODD_DIGITS,
      12, 2, 10, "line 2, column 10" },
    /* Template errors in hex mode too. */
    { "01 {{crc16}}", HEX, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_UNKNOWN_FIELD,
      3, 1, 4, "“{{crc16}}”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TincanTemplate) template = NULL;
      TincanPayloadErrorPosition position = { 999, 999, 999 };

      g_test_message ("case %u", i);
      template = tincan_template_parse (cases[i].input, -1, cases[i].format,
                                        TINCAN_LINE_ENDING_CRLF, &position, &error);
      g_assert_null (template);
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_cmpuint (position.offset, ==, cases[i].offset);
      g_assert_cmpuint (position.line, ==, cases[i].line);
      g_assert_cmpuint (position.column, ==, cases[i].column);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, cases[i].quoted));
    }
}

/* Fields may add at most TINCAN_TEMPLATE_MAX_FIELD_BYTES in all: 256 fields of
 * 4096 random bytes fill it, the next is an error at its own "{{". */
static void
test_too_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanTemplate) template = NULL;
  TincanPayloadErrorPosition position = { 0, 0, 0 };
  gsize last;

  for (guint i = 0; i < TINCAN_TEMPLATE_MAX_FIELD_BYTES / TINCAN_TEMPLATE_MAX_RANDOM; i++)
    g_string_append (text, "{{random:4096}}");
  template = tincan_template_parse (text->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  g_clear_pointer (&template, tincan_template_unref);

  last = text->len;
  g_string_append (text, "{{uuid}}");
  template = tincan_template_parse (text->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, &position,
                                    &error);
  g_assert_null (template);
  g_assert_error (error, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_TOO_LONG);
  g_assert_cmpuint (position.offset, ==, last);
  g_assert_cmpuint (position.line, ==, 1);
  g_assert_cmpuint (position.column, ==, last + 1);
}

/* Checksums may cover at most TINCAN_TEMPLATE_MAX_CHECKSUM_BYTES together: 15
 * over a 1 MiB text fit, the 16th is an error at its "{{". */
static void
test_too_much_checksum (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanTemplate) template = NULL;
  TincanPayloadErrorPosition position = { 0, 0, 0 };
  gsize last;

  g_string_set_size (text, 1024 * 1024);
  memset (text->str, 'a', text->len);
  for (guint i = 0; i < 15; i++)
    g_string_append (text, "{{sum8}}");
  template = tincan_template_parse (text->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  g_clear_pointer (&template, tincan_template_unref);

  last = text->len;
  g_string_append (text, "{{sum8}}");
  template = tincan_template_parse (text->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, &position,
                                    &error);
  g_assert_null (template);
  g_assert_error (error, TINCAN_TEMPLATE_ERROR, TINCAN_TEMPLATE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "16 MiB"));
  g_assert_cmpuint (position.offset, ==, last);
  g_assert_cmpuint (position.column, ==, last + 1);
  g_clear_error (&error);

  /* From a {{begin}} a checksum covers only its region. */
  g_string_set_size (text, 1024 * 1024);
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "{{begin}}x{{sum8}}");
  template = tincan_template_parse (text->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
}

static void
assert_expand_error (const char                  *input,
                     gint64                       clock_value,
                     gint                         code,
                     gsize                        offset,
                     guint                        column,
                     const char                  *quoted)
{
  g_autoptr(TincanTemplate) template = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TincanTemplateContext context = { 0, fixed_clock, counting_random, &clock_value };
  TincanPayloadErrorPosition position = { 999, 999, 999 };

  g_test_message ("%s", input);
  template = tincan_template_parse (input, -1, TEXT, TINCAN_LINE_ENDING_NONE, NULL, &error);
  g_assert_no_error (error);
  bytes = tincan_template_expand (template, &context, &position, &error);
  g_assert_null (bytes);
  g_assert_error (error, TINCAN_TEMPLATE_ERROR, code);
  g_assert_cmpuint (position.offset, ==, offset);
  g_assert_cmpuint (position.line, ==, 1);
  g_assert_cmpuint (position.column, ==, column);
  g_assert_nonnull (strstr (error->message, quoted));
}

/* The only errors of expand(): a length too big for its width, a clock out of range. */
static void
test_expand_errors (void)
{
  g_autoptr(GString) big = g_string_new ("ab{{len:u8}}");
  g_autoptr(TincanTemplate) fits = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_string_append (big, "{{random:255}}");
  fits = tincan_template_parse (big->str, -1, TEXT, TINCAN_LINE_ENDING_NONE, NULL, NULL);
  bytes = tincan_template_expand (fits, NULL, NULL, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 2 + 1 + 255);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (bytes, NULL))[2], ==, 255);

  g_string_append (big, "x");
  assert_expand_error (big->str, FIXED_NOW, TINCAN_TEMPLATE_ERROR_LENGTH_OVERFLOW, 2, 3,
                       "“{{len:u8}}” at line 1, column 3: 256 bytes follow, and it holds at most 255");
  g_string_assign (big, "{{len:u16le}}");
  for (guint i = 0; i < 16; i++)
    g_string_append (big, "{{random:4096}}");
  assert_expand_error (big->str, FIXED_NOW, TINCAN_TEMPLATE_ERROR_LENGTH_OVERFLOW, 0, 1,
                       "“{{len:u16le}}” at line 1, column 1: 65536 bytes follow");
  assert_expand_error ("x{{time}}", G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC,
                       TINCAN_TEMPLATE_ERROR_TIME_RANGE, 1, 2, "“{{time}}”");
  assert_expand_error ("{{time}}", G_MININT64, TINCAN_TEMPLATE_ERROR_TIME_RANGE, 0, 1,
                       "1 to 9999");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/template/check-values", test_check_values);
  g_test_add_func ("/protocol/template/checksum-fields", test_checksum_fields);
  g_test_add_func ("/protocol/template/modbus-request", test_modbus_request);
  g_test_add_func ("/protocol/template/regions", test_regions);
  g_test_add_func ("/protocol/template/line-ending", test_line_ending);
  g_test_add_func ("/protocol/template/counter", test_counter);
  g_test_add_func ("/protocol/template/time", test_time);
  g_test_add_func ("/protocol/template/default-context", test_default_context);
  g_test_add_func ("/protocol/template/random-and-uuid", test_random_and_uuid);
  g_test_add_func ("/protocol/template/literal-braces", test_literal_braces);
  g_test_add_func ("/protocol/template/off-without-braces", test_off_without_braces);
  g_test_add_func ("/protocol/template/literal-syntax", test_literal_syntax);
  g_test_add_func ("/protocol/template/flags", test_flags);
  g_test_add_func ("/protocol/template/ref-counting", test_ref_counting);
  g_test_add_func ("/protocol/template/parse-errors", test_parse_errors);
  g_test_add_func ("/protocol/template/too-long", test_too_long);
  g_test_add_func ("/protocol/template/too-much-checksum", test_too_much_checksum);
  g_test_add_func ("/protocol/template/expand-errors", test_expand_errors);

  return g_test_run ();
}
