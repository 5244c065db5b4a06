/* tincan-conversation-settings.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A conversation's settings as a whole: what a new tab copies from the
 * current one, and what a workspace keeps of a tab (its form, not its
 * traffic). */

#include "config.h"

#include "tincan-conversation-private.h"

/**
 * tincan_conversation_copy_settings:
 * @source: the conversation whose form to copy
 *
 * Gives @self the target, transport, framing, mode and proxy choice that
 * @source's form holds, as typed (valid or not), but not its name: a copy
 * is not the saved connection the original may be.
 */
void
tincan_conversation_copy_settings (TincanConversation *self,
                                   TincanConversation *source)
{
  TincanConnectionBar *from;
  g_autofree char *host = NULL;

  g_return_if_fail (TINCAN_IS_CONVERSATION (self));
  g_return_if_fail (TINCAN_IS_CONVERSATION (source));

  from = source->connection_bar;
  host = tincan_connection_bar_dup_host (from);
  tincan_connection_bar_set_transport (self->connection_bar,
                                       tincan_connection_bar_get_transport (from));
  tincan_connection_bar_set_framing_name (self->connection_bar,
                                          tincan_connection_bar_get_framing_name (from));
  tincan_connection_bar_set_mode (self->connection_bar, tincan_connection_bar_get_mode (from));
  tincan_connection_bar_set_no_proxy (self->connection_bar,
                                      tincan_connection_bar_get_no_proxy (from));
  tincan_connection_bar_set_address (self->connection_bar, host,
                                     tincan_connection_bar_get_port (from));
}

/**
 * tincan_conversation_is_pristine:
 *
 * Returns: whether nothing happened here yet (never connected, nothing in
 *   the transcript), so that a target given on the command line may use it
 *   instead of opening another tab
 */
gboolean
tincan_conversation_is_pristine (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), FALSE);

  return tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED &&
         g_list_model_get_n_items (G_LIST_MODEL (self->transcript)) == 0 &&
         tincan_transcript_get_n_pending (self->transcript) == 0 &&
         self->log == NULL;
}

/**
 * tincan_conversation_dup_target:
 *
 * Returns: (transfer full) (nullable): the form's target as
 *   tincan_target_to_string () writes it ("example.org:7", "tls://[::1]:443"),
 *   or the host field's text alone while the port field holds no port (it
 *   may hold a whole target being typed); %NULL while the host field is empty
 */
char *
tincan_conversation_dup_target (TincanConversation *self)
{
  g_autofree char *host = NULL;
  TincanTarget target;

  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  host = tincan_connection_bar_dup_host (self->connection_bar);
  if (host[0] == '\0')
    return NULL;

  target.transport = tincan_connection_bar_get_transport (self->connection_bar);
  target.host = host;
  target.port = tincan_connection_bar_get_port (self->connection_bar);
  if (target.port == 0)
    return g_steal_pointer (&host);
  return tincan_target_to_string (&target);
}

/**
 * tincan_conversation_dup_settings:
 *
 * Returns: (transfer full): what a workspace keeps of this conversation's
 *   tab: its name and its form as typed
 */
TincanWorkspaceConnection *
tincan_conversation_dup_settings (TincanConversation *self)
{
  TincanWorkspaceConnection *settings;

  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  settings = tincan_workspace_connection_new ();
  g_free (settings->name);
  settings->name = g_strdup (self->name);
  g_free (settings->host);
  settings->host = tincan_connection_bar_dup_host (self->connection_bar);
  /* A half-typed host ("example.org:", a whole target not yet split) is not
   * one a workspace file may hold: the tab keeps an empty form instead. */
  if (!tincan_target_check_host (settings->host, NULL))
    settings->host[0] = '\0';
  settings->port = tincan_connection_bar_get_port (self->connection_bar);
  settings->transport = tincan_connection_bar_get_transport (self->connection_bar);
  g_free (settings->framing);
  settings->framing = g_strdup (tincan_connection_bar_get_framing_name (self->connection_bar));
  settings->mode = tincan_connection_bar_get_mode (self->connection_bar);
  settings->no_proxy = tincan_connection_bar_get_no_proxy (self->connection_bar);
  return settings;
}

/**
 * tincan_conversation_apply_settings:
 * @settings: a tab or saved connection of a workspace
 *
 * Fills in the form (and the name) from @settings; it does not connect.
 */
void
tincan_conversation_apply_settings (TincanConversation              *self,
                                    const TincanWorkspaceConnection *settings)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));
  g_return_if_fail (settings != NULL);

  tincan_connection_bar_set_transport (self->connection_bar, settings->transport);
  tincan_connection_bar_set_framing_name (self->connection_bar, settings->framing);
  tincan_connection_bar_set_mode (self->connection_bar, settings->mode);
  tincan_connection_bar_set_no_proxy (self->connection_bar, settings->no_proxy);
  tincan_connection_bar_set_address (self->connection_bar, settings->host ?: "", settings->port);
  tincan_conversation_set_name (self, settings->name);
}
