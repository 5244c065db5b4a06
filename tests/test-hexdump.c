/* test-hexdump.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tincan-hexdump.h"
#include "tincan-payload.h"

/* The bytes of every dump below: 40 bytes, text and binary. */
static const char dumped[] = "hello world, this is a test of dumps\n\x00\x01\xff";
#define DUMPED_LENGTH (sizeof dumped - 1)

/* As each tool printed them (xxd, hexdump -C, od -A x -t x1z, and
 * Wireshark's Copy as Hex Dump). */
static const char *const dumps[] = {
  "00000000: 6865 6c6c 6f20 776f 726c 642c 2074 6869  hello world, thi\n"
  "00000010: 7320 6973 2061 2074 6573 7420 6f66 2064  s is a test of d\n"
  "00000020: 756d 7073 0a00 01ff                      umps....\n",

  "00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  |hello world, thi|\n"
  "00000010  73 20 69 73 20 61 20 74  65 73 74 20 6f 66 20 64  |s is a test of d|\n"
  "00000020  75 6d 70 73 0a 00 01 ff                           |umps....|\n"
  "00000028\n",

  "000000 68 65 6c 6c 6f 20 77 6f 72 6c 64 2c 20 74 68 69  >hello world, thi<\n"
  "000010 73 20 69 73 20 61 20 74 65 73 74 20 6f 66 20 64  >s is a test of d<\n"
  "000020 75 6d 70 73 0a 00 01 ff                          >umps....<\n"
  "000028\n",

  "0000   68 65 6c 6c 6f 20 77 6f 72 6c 64 2c 20 74 68 69   hello world, thi\n"
  "0010   73 20 69 73 20 61 20 74 65 73 74 20 6f 66 20 64   s is a test of d\n"
  "0020   75 6d 70 73 0a 00 01 ff                           umps....",
};

static GBytes *
parse_hex (const char *input)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = tincan_payload_parse (input, -1, TINCAN_PAYLOAD_FORMAT_HEX,
                                        TINCAN_LINE_ENDING_NONE, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_bytes (GBytes     *bytes,
              const void *expected,
              gsize       length)
{
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);

  g_assert_cmpmem (data, n, expected, length);
}

static void
test_tools (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dumps); i++)
    {
      g_autoptr(GBytes) bytes = NULL;

      g_test_message ("dump %u", i);
      bytes = parse_hex (dumps[i]);
      assert_bytes (bytes, dumped, DUMPED_LENGTH);
    }
}

/* Tincan's own Hex dump view, copied and pasted back, gives the bytes,
 * whatever they are: text columns that read as hex included. */
static void
test_own_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  guint8 data[100];

  for (guint i = 0; i < 3000; i++)
    {
      gsize length = g_rand_int_range (rand, 1, sizeof data + 1);
      g_autofree char *dump = NULL;
      g_autoptr(GBytes) back = NULL;
      /* Half the time only hex letters and digits: the text column then
       * reads as hex too. */
      const char *alphabet = i % 2 ? "0123456789abcdef " : NULL;

      for (gsize j = 0; j < length; j++)
        data[j] = alphabet ? alphabet[g_rand_int_range (rand, 0, 17)] : g_rand_int_range (rand, 0, 256);
      dump = tincan_payload_render_hexdump (data, length);
      back = parse_hex (dump);
      assert_bytes (back, data, length);
    }
}

/* What is not a dump is read as plain hex, as before. */
static void
test_not_dumps (void)
{
  const struct { const char *input; const char *bytes; gsize length; } cases[] = {
    { "0000 1111", "\x00\x00\x11\x11", 4 },
    { "0000:0001", "\x00\x00\x00\x01", 4 },
    { "6869", "hi", 2 },
    { "00000010: 6869", "\x00\x00\x00\x10\x68\x69", 6 },  /* one line, not at 0 */
    { "0000 41\n0002 42", "\x00\x00\x41\x00\x02\x42", 6 }, /* the offsets do not add up */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = NULL;

      g_test_message ("case %u: %s", i, cases[i].input);
      g_assert_null (tincan_hexdump_blank_decorations (cases[i].input, strlen (cases[i].input)));
      bytes = parse_hex (cases[i].input);
      assert_bytes (bytes, cases[i].bytes, cases[i].length);
    }
}

/* The decorations become spaces byte for byte: positions still match. */
static void
test_blank_keeps_positions (void)
{
  const char *dump = dumps[0];
  g_autofree char *blank = tincan_hexdump_blank_decorations (dump, strlen (dump));

  g_assert_nonnull (blank);
  g_assert_cmpuint (strlen (blank), ==, strlen (dump));
  g_assert_true (g_str_has_prefix (blank, "          6865 6c6c"));
  g_assert_null (strstr (blank, "hello"));
  g_assert_null (strstr (blank, "00000010"));
  for (gsize i = 0; dump[i] != '\0'; i++)
    if (dump[i] == '\n')
      g_assert_cmpint (blank[i], ==, '\n');
}

/* A single line says it is a dump with xxd's colon or a marked text
 * column; an xxd line of a short message is one. */
static void
test_single_lines (void)
{
  g_autoptr(GBytes) xxd = parse_hex ("00000000: 6869 0a                                hi.");
  g_autoptr(GBytes) canonical = parse_hex ("00000000  68 69 0a                                          |hi.|");

  assert_bytes (xxd, "hi\n", 3);
  assert_bytes (canonical, "hi\n", 3);
}

/* Where tincan_payload_hexdump_position() says a byte is drawn, its hex
 * digits and its character are, whatever its place on the last line. */
static void
test_positions (void)
{
  for (gsize length = 1; length <= 40; length++)
    {
      g_autofree guint8 *data = g_malloc (length);
      g_autofree char *dump = NULL;

      for (gsize i = 0; i < length; i++)
        data[i] = (guint8) g_test_rand_int ();
      dump = tincan_payload_render_hexdump (data, length);
      for (gsize i = 0; i < length; i++)
        {
          gsize hex, ascii;
          char digits[3];
          char c = data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '.';

          tincan_payload_hexdump_position (i, &hex, &ascii);
          g_snprintf (digits, sizeof digits, "%02x", data[i]);
          g_assert_cmpuint (ascii, <, strlen (dump));
          g_assert_cmpmem (dump + hex, 2, digits, 2);
          g_assert_cmpint (dump[ascii], ==, c);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/hexdump/tools", test_tools);
  g_test_add_func ("/protocol/hexdump/own-round-trip", test_own_round_trip);
  g_test_add_func ("/protocol/hexdump/not-dumps", test_not_dumps);
  g_test_add_func ("/protocol/hexdump/blank-keeps-positions", test_blank_keeps_positions);
  g_test_add_func ("/protocol/hexdump/single-lines", test_single_lines);
  g_test_add_func ("/protocol/hexdump/positions", test_positions);

  return g_test_run ();
}
