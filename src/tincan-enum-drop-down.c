/* tincan-enum-drop-down.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A drop-down over an AdwEnumListModel shows the values of an enum; its
 * selection is a position in that model, which is not the value. These
 * bindings translate between the two, so widgets keep real enum properties
 * (bound to GSettings keys of the same enum) and no position stands for a
 * value.
 *
 * One model per enum type serves every drop-down: the models never change,
 * and libadwaita 1.2 does not release a model's items when it finalizes it. */

#include "config.h"

#include "tincan-enum-drop-down.h"

static gboolean
value_to_position (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      drop_down)
{
  AdwEnumListModel *model = ADW_ENUM_LIST_MODEL (gtk_drop_down_get_model (drop_down));

  g_value_set_uint (to, adw_enum_list_model_find_position (model, g_value_get_enum (from)));
  return TRUE;
}

static gboolean
position_to_value (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      drop_down)
{
  g_autoptr(AdwEnumListItem) item = g_list_model_get_item (gtk_drop_down_get_model (drop_down),
                                                           g_value_get_uint (from));

  if (item == NULL)
    return FALSE;

  g_value_set_enum (to, adw_enum_list_item_get_value (item));
  return TRUE;
}

static GListModel *
get_model (GType enum_type)
{
  static GHashTable *models;
  AdwEnumListModel *model;

  g_assert (g_type_is_a (enum_type, G_TYPE_ENUM));

  if (models == NULL)
    models = g_hash_table_new (NULL, NULL);

  model = g_hash_table_lookup (models, GSIZE_TO_POINTER (enum_type));
  if (model == NULL)
    {
      model = adw_enum_list_model_new (enum_type);
      g_hash_table_insert (models, GSIZE_TO_POINTER (enum_type), model);
    }

  return G_LIST_MODEL (model);
}

/**
 * tincan_enum_drop_down_bind:
 * @drop_down: a drop-down
 * @object: the object that owns @property
 * @property: an enum property
 *
 * Makes @drop_down list the values of @property's enum type and keeps its
 * selection and @property in step, both ways, starting from @property.
 *
 * Returns: (transfer none): the binding; it goes with either object
 */
GBinding *
tincan_enum_drop_down_bind (GtkDropDown *drop_down,
                            gpointer     object,
                            const char  *property)
{
  GParamSpec *pspec;

  g_return_val_if_fail (GTK_IS_DROP_DOWN (drop_down), NULL);
  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_return_val_if_fail (pspec != NULL && G_IS_PARAM_SPEC_ENUM (pspec), NULL);

  gtk_drop_down_set_model (drop_down, get_model (pspec->value_type));

  /* No reference on @drop_down: the binding cannot outlive its target. */
  return g_object_bind_property_full (object, property, drop_down, "selected",
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                      value_to_position, position_to_value,
                                      drop_down, NULL);
}
