/* tincan-message-row.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-message-row.h"
#include "tincan-row-text.h"

struct _TincanMessageRow
{
  GtkWidget  parent_instance;

  GtkImage  *icon;
  TincanRowText *header_text;
  TincanRowText *payload_text;
};

G_DEFINE_FINAL_TYPE (TincanMessageRow, tincan_message_row, GTK_TYPE_WIDGET)

typedef struct
{
  const char *css_class;
  const char *icon_name;
  const char *label;
} DirectionStyle;

/* Direction is told by icon shape and text as well as colour, so it reads
 * the same in dark mode, for colour-blind users and for screen readers. */
static const DirectionStyle styles[] = {
  [TINCAN_DIRECTION_SENT] = { "sent", "go-up-symbolic", N_("Sent") },
  [TINCAN_DIRECTION_RECEIVED] = { "received", "go-down-symbolic", N_("Received") },
  [TINCAN_DIRECTION_STATUS] = { "status", "dialog-information-symbolic", N_("Status") },
  [TINCAN_DIRECTION_ERROR] = { "error", "dialog-error-symbolic", N_("Error") },
};

GtkWidget *
tincan_message_row_new (void)
{
  return g_object_new (TINCAN_TYPE_MESSAGE_ROW, NULL);
}

/**
 * tincan_message_row_bind:
 *
 * Shows @entry rendered as @mode. Cheap by design: the payload is rendered
 * up to a cap, so binding costs the same for a 16 MiB message as for 4 KiB.
 */
void
tincan_message_row_bind (TincanMessageRow *self,
                         TincanEntry      *entry,
                         TincanViewMode    mode)
{
  TincanMessage *message = tincan_entry_get_message (entry);
  TincanDirection direction = tincan_message_get_direction (message);
  const DirectionStyle *style = &styles[direction];
  g_autofree char *time = tincan_render_time (message);
  g_autofree char *summary = tincan_render_summary (message);
  g_autofree char *payload = tincan_render_message (message, mode, TRUE);
  g_autofree char *description = NULL;
  g_autofree char *header = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), styles[i].css_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), style->css_class);

  gtk_image_set_from_icon_name (self->icon, style->icon_name);
  header = summary[0] != '\0' ? g_strdup_printf ("%s  %s", time, summary) : g_strdup (time);
  tincan_row_text_set_text (self->header_text, header);
  tincan_row_text_set_text (self->payload_text, payload);

  description = g_strdup_printf ("%s, %s %s", _(style->label), time, summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(style->label),
                                  -1);
}

const char *
tincan_message_row_get_payload_text (TincanMessageRow *self)
{
  g_return_val_if_fail (TINCAN_IS_MESSAGE_ROW (self), NULL);

  return tincan_row_text_get_text (self->payload_text);
}

static void
tincan_message_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TINCAN_TYPE_MESSAGE_ROW);
  /* dispose_template () only unparents children with an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tincan_message_row_parent_class)->dispose (object);
}

static void
tincan_message_row_class_init (TincanMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_message_row_dispose;

  g_type_ensure (TINCAN_TYPE_ROW_TEXT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, header_text);
  gtk_widget_class_bind_template_child (widget_class, TincanMessageRow, payload_text);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tincan_message_row_init (TincanMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
