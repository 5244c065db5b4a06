/* tincan-render.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tincan-format.h"
#include "tincan-payload.h"
#include "tincan-render.h"

static char *
render_bytes (const guint8   *data,
              gsize           length,
              TincanViewMode  mode)
{
  switch (mode)
    {
    case TINCAN_VIEW_HEX:
      return tincan_payload_render_hexdump (data, length);
    case TINCAN_VIEW_PYTHON:
      return tincan_payload_render_python (data, length);
    case TINCAN_VIEW_TEXT:
    default:
      return tincan_payload_render_text (data, length);
    }
}

/**
 * tincan_render_message:
 * @capped: render at most TINCAN_RENDER_CAP_* bytes and say how many more
 *
 * Status and error entries are their sentence; data is rendered as @mode.
 *
 * Returns: (transfer full): the text a row shows
 */
char *
tincan_render_message (TincanMessage  *message,
                       TincanViewMode  mode,
                       gboolean        capped)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  g_autofree char *body = NULL;
  const guint8 *data;
  gsize kept, length, shown;

  /* A clipped message (the transcript's budget) keeps only its first bytes. */
  data = tincan_message_get_data (message, &kept);
  length = tincan_message_get_length (message);

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    return g_strndup ((const char *) data, kept);

  if (mode == TINCAN_VIEW_HEX)
    shown = capped ? MIN (kept, TINCAN_RENDER_CAP_HEX) : kept;
  else
    /* Text is cut between characters, never inside one; the bytes a clipped
     * message keeps past the cap only tell where that is. */
    shown = tincan_payload_text_cut (data, kept,
                                     capped ? TINCAN_RENDER_CAP_TEXT
                                     : kept < length ? TINCAN_RENDER_EXPAND_TEXT : kept);

  body = render_bytes (data, shown, mode);

  if (shown < length)
    {
      GString *text = g_string_new (body);

      tincan_render_append_more (text, length - shown);
      return g_string_free (text, FALSE);
    }

  return g_steal_pointer (&body);
}

/**
 * tincan_render_append_more:
 * @more: how many bytes of the payload are not shown
 *
 * Appends "\n… 1,904 more bytes" to @text.
 */
void
tincan_render_append_more (GString *text,
                           gsize    more)
{
  g_autofree char *count = tincan_format_count (more);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                             "%s\n… %s more byte",
                                             "%s\n… %s more bytes", more),
                          "", count);
}

/**
 * tincan_render_payload:
 *
 * The bytes of @message that the transcript kept, all of them, as @mode
 * shows them and nothing else: what a copy of the payload holds, so that
 * it parses back (text and hex in the composer, Python in a script). A
 * clipped message gives only its first bytes (tincan_message_new_clipped()).
 *
 * Returns: (transfer full): the rendering
 */
char *
tincan_render_payload (TincanMessage  *message,
                       TincanViewMode  mode)
{
  gsize kept;
  const guint8 *data = tincan_message_get_data (message, &kept);

  return render_bytes (data, kept, mode);
}

/**
 * tincan_render_time:
 *
 * Returns: (transfer full): the local wall-clock time of @message, to the millisecond
 */
char *
tincan_render_time (TincanMessage *message)
{
  /* A flood's entries share their second: formatting it once per second
   * keeps binding a screenful of rows cheap (a GDateTime in the local zone
   * and its formatting cost more than the rest of a row). */
  static gint64 cached_second = G_MININT64;
  static char cached_hms[16];
  G_LOCK_DEFINE_STATIC (cache);
  gint64 usec = tincan_message_get_real_time (message);
  gint64 second = usec / G_USEC_PER_SEC;
  char hms[sizeof cached_hms] = "";

  G_LOCK (cache);
  if (second == cached_second)
    memcpy (hms, cached_hms, sizeof hms);
  G_UNLOCK (cache);

  if (hms[0] == '\0')
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (second);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *formatted = local != NULL ? g_date_time_format (local, "%H:%M:%S") : NULL;

      if (formatted == NULL || strlen (formatted) >= sizeof hms)
        return g_strdup ("--:--:--.---");
      g_strlcpy (hms, formatted, sizeof hms);
      G_LOCK (cache);
      cached_second = second;
      memcpy (cached_hms, hms, sizeof hms);
      G_UNLOCK (cache);
    }

  return g_strdup_printf ("%s.%03d", hms, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

/**
 * tincan_render_rtt:
 *
 * Returns: (transfer full) (nullable): the round-trip time of a reply,
 *   "+850 µs", "+1.2 ms", "+35 ms", "+1.20 s"; %NULL when @message has none
 */
char *
tincan_render_rtt (TincanMessage *message)
{
  gint64 rtt = tincan_message_get_rtt (message);
  g_autofree char *duration = NULL;

  if (rtt < 0)
    return NULL;

  duration = tincan_format_duration (rtt);
  /* TRANSLATORS: a reply's round-trip time, the time since the send it
   * answers, e.g. "+1.2 ms" */
  return g_strdup_printf (_("+%s"), duration);
}

/**
 * tincan_render_summary:
 *
 * Returns: (transfer full): "12 bytes", with "partial" or "truncated" when
 *   the framing could not deliver the whole message
 */
/* The framing's delimiter as users name it, else its bytes in hex. */
static char *
dup_suffix_name (const guint8 *suffix,
                 gsize         length)
{
  static const struct { const char *bytes; const char *name; } names[] = {
    { "\n", "LF" }, { "\r\n", "CRLF" }, { "\r", "CR" }, { "\0", "NUL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (length == MAX (strlen (names[i].bytes), 1) && memcmp (suffix, names[i].bytes, length) == 0)
      return g_strdup (names[i].name);

  return tincan_payload_render_hex (suffix, length);
}

/* ": 4 + CRLF" or ": 2-byte length + 4": what of the wire bytes is payload
 * and what the framing added, so the count matches what went out. */
static void
append_framing_part (GString       *text,
                     TincanMessage *message)
{
  gsize prefix_length, suffix_length;
  const guint8 *suffix = tincan_message_get_suffix (message, &suffix_length);
  g_autofree char *payload = tincan_format_count (tincan_message_get_length (message));

  tincan_message_get_prefix (message, &prefix_length);
  if (prefix_length > 0)
    /* Translators: the length prefix's size, then the payload's byte count,
     * e.g. ": 2-byte length + 4" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ": %lu-byte length + %s",
                                               ": %lu-byte length + %s", prefix_length),
                            (gulong) prefix_length, payload);
  else if (suffix_length > 0)
    {
      g_autofree char *name = dup_suffix_name (suffix, suffix_length);

      /* Translators: the payload's byte count, then the delimiter, e.g. ": 4 + CRLF" */
      g_string_append_printf (text, _(": %s + %s"), payload, name);
    }
}

/**
 * tincan_render_length:
 *
 * Returns: (transfer full): "6 bytes", the wire bytes; "" for status and
 *   error entries
 */
char *
tincan_render_length (TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  gsize length = tincan_message_get_wire_length (message);
  g_autofree char *count = NULL;

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    return g_strdup ("");

  count = tincan_format_count (length);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", length), count);
}

char *
tincan_render_summary (TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  TincanMessageFlags flags = tincan_message_get_flags (message);
  GString *text = g_string_new (NULL);
  g_autofree char *length = NULL;
  guint64 reads;

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    return g_string_free (text, FALSE);

  length = tincan_render_length (message);
  g_string_append (text, length);
  append_framing_part (text, message);
  reads = tincan_message_get_reads (message);
  if (reads > 1)
    {
      g_autofree char *reads_count = tincan_format_count (reads);

      /* Translators: how many socket reads a received message came in
       * (raw framing joins reads with no pause between them), e.g. "· 3 reads" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %s read", " · %s reads",
                                                 reads), reads_count);
    }
  if (flags & TINCAN_MESSAGE_PARTIAL)
    g_string_append_printf (text, " · %s", _("partial: the stream ended inside this message"));
  if (flags & TINCAN_MESSAGE_TRUNCATED)
    g_string_append_printf (text, " · %s", _("piece of a message over the size limit"));

  return g_string_free (text, FALSE);
}
