/* tincan-render.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-format.h"
#include "tincan-payload.h"
#include "tincan-render.h"

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
                                     capped || kept < length ? TINCAN_RENDER_CAP_TEXT : kept);

  switch (mode)
    {
    case TINCAN_VIEW_HEX:
      body = tincan_payload_render_hexdump (data, shown);
      break;
    case TINCAN_VIEW_PYTHON:
      body = tincan_payload_render_python (data, shown);
      break;
    case TINCAN_VIEW_TEXT:
    default:
      body = tincan_payload_render_text (data, shown);
      break;
    }

  if (shown < length)
    {
      gsize more = length - shown;
      g_autofree char *count = tincan_format_count (more);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s\n… %s more byte",
                                           "%s\n… %s more bytes", more),
                              body, count);
    }

  return g_steal_pointer (&body);
}

/**
 * tincan_render_time:
 *
 * Returns: (transfer full): the local wall-clock time of @message, to the millisecond
 */
char *
tincan_render_time (TincanMessage *message)
{
  gint64 usec = tincan_message_get_real_time (message);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *hms = NULL;

  if (utc == NULL)
    return g_strdup ("--:--:--.---");

  local = g_date_time_to_local (utc);
  hms = g_date_time_format (local, "%H:%M:%S");

  return g_strdup_printf ("%s.%03d", hms, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

/**
 * tincan_render_summary:
 *
 * Returns: (transfer full): "12 bytes", with "partial" or "truncated" when
 *   the framing could not deliver the whole message
 */
char *
tincan_render_summary (TincanMessage *message)
{
  TincanMessageKind direction = tincan_message_get_kind (message);
  TincanMessageFlags flags = tincan_message_get_flags (message);
  GString *text = g_string_new (NULL);
  g_autofree char *count = NULL;
  gsize length;

  if (direction == TINCAN_MESSAGE_KIND_STATUS || direction == TINCAN_MESSAGE_KIND_ERROR)
    return g_string_free (text, FALSE);

  length = tincan_message_get_length (message);
  count = tincan_format_count (length);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", length),
                          count);
  if (flags & TINCAN_MESSAGE_PARTIAL)
    g_string_append_printf (text, " · %s", _("partial: the stream ended inside this message"));
  if (flags & TINCAN_MESSAGE_TRUNCATED)
    g_string_append_printf (text, " · %s", _("piece of a message over the size limit"));

  return g_string_free (text, FALSE);
}
