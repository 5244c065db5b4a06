/* tincan-payload.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tincan-protocol-enums.h"

G_BEGIN_DECLS

/* What the user typed is read as ... */
typedef enum /*< enum,prefix=TINCAN_PAYLOAD_FORMAT >*/
{
  TINCAN_PAYLOAD_FORMAT_TEXT, /* UTF-8 with escapes \n \r \t \0 \\ \xHH \u{H..} */
  TINCAN_PAYLOAD_FORMAT_HEX,  /* "68 69", "6869", "0x68,0x69", "68:69" */
} TincanPayloadFormat;

typedef enum /*< enum,prefix=TINCAN_LINE_ENDING >*/
{
  TINCAN_LINE_ENDING_NONE,
  TINCAN_LINE_ENDING_LF,
  TINCAN_LINE_ENDING_CR,
  TINCAN_LINE_ENDING_CRLF,
} TincanLineEnding;

#define TINCAN_PAYLOAD_ERROR (tincan_payload_error_quark ())

typedef enum /*< enum,prefix=TINCAN_PAYLOAD_ERROR >*/
{
  TINCAN_PAYLOAD_ERROR_UNKNOWN_ESCAPE,   /* "\q" */
  TINCAN_PAYLOAD_ERROR_INCOMPLETE_ESCAPE,/* "\" at the end, "\x4", "\u{41" */
  TINCAN_PAYLOAD_ERROR_BAD_ESCAPE_DIGIT, /* "\xZZ", "\u{12G}" */
  TINCAN_PAYLOAD_ERROR_BAD_CODE_POINT,   /* "\u{D800}", "\u{110000}", "\u{}" */
  TINCAN_PAYLOAD_ERROR_INVALID_UTF8,     /* the input text itself is not UTF-8 */
  TINCAN_PAYLOAD_ERROR_NOT_HEX,          /* hex mode: "6g" */
  TINCAN_PAYLOAD_ERROR_ODD_DIGITS,       /* hex mode: "686" */
} TincanPayloadError;

/* Where a parse error is: byte offset into the input, and the 1-based line and
 * column (in characters) a person would count in the composer. */
typedef struct
{
  gsize offset;
  guint line;
  guint column;
} TincanPayloadErrorPosition;

GQuark            tincan_payload_error_quark     (void);

GBytes           *tincan_payload_parse           (const char                  *input,
                                                  gssize                       length,
                                                  TincanPayloadFormat          format,
                                                  TincanLineEnding             ending,
                                                  TincanPayloadErrorPosition  *position,
                                                  GError                     **error);

const char       *tincan_line_ending_to_bytes    (TincanLineEnding             ending);

char             *tincan_payload_render_text     (const guint8                *data,
                                                  gsize                        length);
char             *tincan_payload_render_hexdump  (const guint8                *data,
                                                  gsize                        length);
void              tincan_payload_append_hexdump  (GString                     *s,
                                                  const guint8                *data,
                                                  gsize                        length);
void              tincan_payload_hexdump_position (gsize                      index,
                                                   gsize                     *hex,
                                                   gsize                     *ascii);
char             *tincan_payload_render_python   (const guint8                *data,
                                                  gsize                        length);
char             *tincan_payload_render_hex      (const guint8                *data,
                                                  gsize                        length);
void              tincan_payload_append_text     (GString                     *s,
                                                  const guint8                *data,
                                                  gsize                        length);
void              tincan_payload_append_hex      (GString                     *s,
                                                  const guint8                *data,
                                                  gsize                        length);
char             *tincan_payload_quote           (const char                  *text,
                                                  gssize                       length);
gboolean          tincan_payload_is_printable    (const guint8                *data,
                                                  gsize                        length);
gsize             tincan_payload_text_cut        (const guint8                *data,
                                                  gsize                        length,
                                                  gsize                        cap);

G_END_DECLS
