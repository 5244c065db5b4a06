/* tincan-composer-ending.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The composer's line-ending control: what is added to every message
 * (issue 12, item 2: it read "LF" while the framing sent CRLF, and hex sent
 * two bytes more than were typed). Each format keeps its own ending: text
 * (with its escapes) defaults to LF, hex to none, so hex sends exactly the
 * bytes typed unless the user picks an ending while in hex. Under a
 * delimiter framing the framing ends every message and the composer adds
 * nothing: the drop-down gives way to a greyed-out button that names the
 * delimiter. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tincan-composer-private.h"

/* Whether @data ends with @ending's bytes; @length less them in @stripped. */
gboolean
_tincan_composer_ends_with (TincanLineEnding  ending,
           const guint8     *data,
           gsize             length,
           gsize            *stripped)
{
  const char *bytes = tincan_line_ending_to_bytes (ending);
  gsize n = strlen (bytes);

  *stripped = length;
  if (n == 0 || length < n || memcmp (data + length - n, bytes, n) != 0)
    return FALSE;
  *stripped = length - n;
  return TRUE;
}


/**
 * tincan_composer_get_line_ending:
 *
 * Returns: the line ending chosen for text; it is added only when the
 *   framing does not end messages itself
 */
TincanLineEnding
tincan_composer_get_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->line_ending;
}

/**
 * tincan_composer_get_hex_line_ending:
 *
 * Returns: the line ending chosen for hex, none unless the user picked one
 */
TincanLineEnding
tincan_composer_get_hex_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->hex_line_ending;
}

/**
 * tincan_composer_get_format_line_ending:
 *
 * Returns: the line ending of the current format, the one the drop-down
 *   shows and sets
 */
TincanLineEnding
tincan_composer_get_format_line_ending (TincanComposer *self)
{
  g_return_val_if_fail (TINCAN_IS_COMPOSER (self), TINCAN_LINE_ENDING_NONE);

  return self->format == TINCAN_PAYLOAD_FORMAT_HEX ? self->hex_line_ending : self->line_ending;
}

void
_tincan_composer_set_ending_of (TincanComposer      *self,
               TincanPayloadFormat  format,
               TincanLineEnding     ending)
{
  gboolean hex = format == TINCAN_PAYLOAD_FORMAT_HEX;
  TincanLineEnding *slot = hex ? &self->hex_line_ending : &self->line_ending;

  if (*slot == ending)
    return;

  *slot = ending;
  _tincan_composer_revalidate (self);
  g_object_notify (G_OBJECT (self), hex ? "hex-line-ending" : "line-ending");
  if (format == self->format)
    g_object_notify (G_OBJECT (self), "format-line-ending");
}

void
tincan_composer_set_line_ending (TincanComposer   *self,
                                 TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  _tincan_composer_set_ending_of (self, TINCAN_PAYLOAD_FORMAT_TEXT, ending);
}

void
tincan_composer_set_hex_line_ending (TincanComposer   *self,
                                     TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  _tincan_composer_set_ending_of (self, TINCAN_PAYLOAD_FORMAT_HEX, ending);
}

void
tincan_composer_set_format_line_ending (TincanComposer   *self,
                                        TincanLineEnding  ending)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  _tincan_composer_set_ending_of (self, self->format, ending);
}

TincanLineEnding
_tincan_composer_get_added_ending (TincanComposer *self)
{
  if (self->framing_delimiter != NULL)
    return TINCAN_LINE_ENDING_NONE;
  return tincan_composer_get_format_line_ending (self);
}

/* The delimiter named as the drop-down names endings ("CRLF"); any other
 * bytes as the custom delimiter is typed, text with escapes. */
static char *
dup_delimiter_name (GBytes *delimiter)
{
  g_autoptr(GEnumClass) endings = g_type_class_ref (TINCAN_TYPE_LINE_ENDING);
  gsize length;
  const guint8 *data = g_bytes_get_data (delimiter, &length);

  for (TincanLineEnding e = TINCAN_LINE_ENDING_LF; e <= TINCAN_LINE_ENDING_CRLF; e++)
    {
      const char *bytes = tincan_line_ending_to_bytes (e);

      if (strlen (bytes) == length && memcmp (bytes, data, length) == 0)
        return g_ascii_strup (g_enum_get_value (endings, e)->value_nick, -1);
    }
  if (length == 1 && data[0] == '\0')
    return g_strdup ("NUL");

  return tincan_payload_render_text (data, length);
}

void
_tincan_composer_update_ending_control (TincanComposer *self)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->ending_dropdown), self->framing_delimiter == NULL);
  gtk_widget_set_visible (self->framing_ending_button, self->framing_delimiter != NULL);
  if (self->framing_delimiter == NULL)
    return;

  name = dup_delimiter_name (self->framing_delimiter);
  /* TRANSLATORS: in place of the line-ending choice when the framing ends
   * every message; %s is its delimiter, e.g. "CRLF" */
  label = g_strdup_printf (_("%s (framing)"), name);
  /* TRANSLATORS: %s is the framing's delimiter, e.g. "CRLF" */
  why = g_strdup_printf (_("The framing adds its delimiter, %s, to every message"), name);
  gtk_label_set_text (self->framing_ending_label, label);
  gtk_widget_set_tooltip_text (self->framing_ending_button, why);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->framing_ending_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
}

/**
 * tincan_composer_set_framing_delimiter:
 * @delimiter: (nullable): the delimiter the framing adds to every message
 *
 * With a delimiter framing the framing itself ends every message, so the
 * composer adds no line ending of its own (it would contain the delimiter
 * and be refused) and shows the delimiter instead.
 */
void
tincan_composer_set_framing_delimiter (TincanComposer *self,
                                       GBytes         *delimiter)
{
  g_return_if_fail (TINCAN_IS_COMPOSER (self));

  if (self->framing_delimiter == delimiter ||
      (self->framing_delimiter != NULL && delimiter != NULL &&
       g_bytes_equal (self->framing_delimiter, delimiter)))
    return;

  g_clear_pointer (&self->framing_delimiter, g_bytes_unref);
  self->framing_delimiter = delimiter != NULL ? g_bytes_ref (delimiter) : NULL;
  _tincan_composer_update_ending_control (self);
  _tincan_composer_revalidate (self);
  g_object_notify (G_OBJECT (self), "framing-delimiter");
}
