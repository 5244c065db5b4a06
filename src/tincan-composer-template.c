/* tincan-composer-template.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Templates in the composer (issue 16): a message with a "{{" is a template
 * (docs/templates.md): its fields ({{counter}}, {{time}}, {{len:u16be}},
 * {{crc16-modbus}}...) are filled in as it is sent, anew for each send, and
 * {{counter}} counts this conversation's sends. Under the text, a preview
 * shows the exact bytes the next send would write, as text with escapes, or
 * in hex when they are not text; a bad field is marked where it is, as a bad
 * escape is. A message without "{{" is read as before. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-composer-private.h"
#include "tincan-format.h"
#include "tincan-template.h"

/* What the preview shows of a long message: the rest is counted. */
#define PREVIEW_CAP 512

static void
show_preview (TincanComposer *self,
              GBytes         *bytes,
              gboolean        varies)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean text = tincan_payload_is_printable (data, length);
  gsize shown = text ? tincan_payload_text_cut (data, length, PREVIEW_CAP) : MIN (length, PREVIEW_CAP / 4);
  g_autofree char *count = tincan_format_count (length);
  g_autofree char *rest = tincan_format_count (length - shown);
  g_autofree char *rendered = text ? tincan_payload_render_text (data, shown)
                                   : tincan_payload_render_hex (data, shown);
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;

  if (varies)
    /* TRANSLATORS: above the bytes a template would send now: "Next send, 14 bytes, in hex:" */
    header = g_strdup_printf (text ? _("Next send, %s bytes:") : _("Next send, %s bytes, in hex:"),
                              count);
  else
    header = g_strdup_printf (text ? _("Sends %s bytes:") : _("Sends %s bytes, in hex:"), count);
  body = shown < length ? g_strdup_printf (_("%s … %s more bytes"), rendered, rest)
                        : g_steal_pointer (&rendered);

  gtk_label_set_text (self->preview_label, header);
  tincan_row_text_set_text (self->preview_text, body);
  gtk_widget_set_visible (self->preview_box, TRUE);
}

/**
 * _tincan_composer_parse:
 * @text: the composer's text
 * @ending: the line ending the composer adds
 *
 * The bytes a send of @text writes now: a template's fields filled in with
 * this conversation's count of sends so far. Shows the preview (or hides it
 * for a text without fields, or one with an error).
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error and
 *   @position set
 */
GBytes *
_tincan_composer_parse (TincanComposer              *self,
                        const char                  *text,
                        TincanLineEnding             ending,
                        TincanPayloadErrorPosition  *position,
                        GError                     **error)
{
  g_autoptr(TincanTemplate) template = NULL;
  TincanTemplateContext context = { .counter = self->sends };
  GBytes *bytes;

  gtk_widget_set_visible (self->preview_box, FALSE);
  if (!tincan_template_text_has_fields (text, -1))
    return tincan_payload_parse (text, -1, self->format, ending, position, error);

  template = tincan_template_parse (text, -1, self->format, ending, position, error);
  if (template == NULL)
    return NULL;
  bytes = tincan_template_expand (template, &context, position, error);
  if (bytes != NULL)
    show_preview (self, bytes, tincan_template_varies (template));
  return bytes;
}

void
_tincan_composer_template_init (TincanComposer *self)
{
  /* The preview stands for bytes: laid out left to right, as rows are. */
  tincan_row_text_set_literal (self->preview_text, TRUE);
}

/**
 * _tincan_composer_count_send:
 *
 * A message was sent: {{counter}} goes one up, and the preview follows.
 */
void
_tincan_composer_count_send (TincanComposer *self)
{
  self->sends++;
}
