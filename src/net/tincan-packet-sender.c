/* tincan-packet-sender.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Packet Sender's export of saved packets (a JSON array of objects) as a
 * workspace: each packet a message of the library, each distinct target a
 * saved connection. A packet Tincan cannot take is skipped and described, so
 * that one odd packet does not cost the user the other hundred. The mapping is
 * in docs/workspace.md. */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tincan-workspace.h"

/* What one packet says, once checked. */
typedef struct
{
  const char      *name;
  const char      *host;
  guint16          port;
  TincanTransport  transport;
  char            *hex;
  guint            repeat_ms;
} Packet;

static void
packet_clear (Packet *self)
{
  g_clear_pointer (&self->hex, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Packet, packet_clear)

/* A string member; NULL when it is missing or not a string. */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A member as a string, whether Packet Sender wrote it as one or as a number;
 * NULL when it is missing or is neither. */
static char *
dup_member_text (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strstrip (g_strdup (json_node_get_string (node)));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup (g_ascii_dtostr (text, sizeof text, json_node_get_double (node)));
    default:
      return NULL;
    }
}

static gboolean
read_transport (JsonObject       *object,
                TincanTransport  *transport,
                char            **why)
{
  const char *kind = member_string (object, "tcporudp");

  if (kind == NULL)
    *why = g_strdup (_("it has no “tcporudp” kind"));
  else if (g_ascii_strcasecmp (kind, "TCP") == 0)
    *transport = TINCAN_TRANSPORT_TCP;
  else if (g_ascii_strcasecmp (kind, "UDP") == 0)
    *transport = TINCAN_TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (kind, "SSL") == 0)
    *transport = TINCAN_TRANSPORT_TLS;
  else
    *why = g_strdup_printf (_("Tincan does not send “%s” packets, only TCP, UDP and SSL"), kind);
  return *why == NULL;
}

static gboolean
read_target (JsonObject  *object,
             Packet      *packet,
             char       **why)
{
  g_autofree char *port = dup_member_text (object, "port");
  g_autoptr(GError) error = NULL;

  packet->host = member_string (object, "toip");
  if (packet->host == NULL || packet->host[0] == '\0')
    *why = g_strdup (_("it has no “toip” address"));
  else if (!tincan_target_check_host (packet->host, &error))
    *why = g_strdup_printf (_("its address is not usable: %s"), error->message);
  else if (port == NULL)
    *why = g_strdup (_("it has no “port”"));
  else if (!tincan_target_parse_port (port, &packet->port, &error))
    *why = g_strdup_printf (_("its port is not usable: %s"), error->message);
  return *why == NULL;
}

static gboolean
read_payload (JsonObject  *object,
              Packet      *packet,
              char       **why)
{
  const char *hex = member_string (object, "hexstring");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (hex == NULL)
    {
      *why = g_strdup (_("it has no “hexstring”"));
      return FALSE;
    }
  /* Packet Sender's "48 65 6c 6c 6f" is already Tincan's hex syntax; what
   * Tincan's parser takes, the composer will send. */
  bytes = tincan_payload_parse (hex, -1, TINCAN_PAYLOAD_FORMAT_HEX, TINCAN_LINE_ENDING_NONE, NULL,
                                &error);
  if (bytes == NULL)
    {
      *why = g_strdup_printf (_("its “hexstring” is not hex: %s"), error->message);
      return FALSE;
    }
  packet->hex = g_strstrip (g_strdup (hex));
  return TRUE;
}

/* "repeat" is seconds, maybe fractional, as a number or a string; 0 or none
 * does not repeat. */
static gboolean
read_repeat (JsonObject  *object,
             Packet      *packet,
             char       **why)
{
  g_autofree char *text = dup_member_text (object, "repeat");
  char *end = NULL;
  double seconds;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  seconds = g_ascii_strtod (text, &end);
  if (*end != '\0' || !isfinite (seconds) || seconds < 0 || seconds * 1000 > G_MAXUINT)
    {
      *why = g_strdup_printf (_("its “repeat” of “%s” is not a number of seconds"), text);
      return FALSE;
    }
  packet->repeat_ms = (guint) (seconds * 1000 + 0.5);
  return TRUE;
}

static gboolean
read_packet (JsonObject  *object,
             Packet      *packet,
             char       **why)
{
  packet->name = member_string (object, "name");
  if (packet->name == NULL)
    packet->name = "";
  return read_transport (object, &packet->transport, why) &&
         read_target (object, packet, why) &&
         read_payload (object, packet, why) &&
         read_repeat (object, packet, why);
}

/* The saved connection for @packet's target: found, or added named after it. */
static void
add_connection (TincanWorkspace *workspace,
                GHashTable      *targets,
                const Packet    *packet)
{
  GPtrArray *connections = tincan_workspace_get_connections (workspace);
  TincanWorkspaceConnection *connection;
  g_autofree char *key = g_strdup_printf ("%d %s %u", packet->transport, packet->host,
                                          packet->port);

  if (g_hash_table_contains (targets, key))
    return;
  connection = tincan_workspace_connection_new ();
  connection->name = g_strdup (packet->name);
  g_free (connection->host);
  connection->host = g_strdup (packet->host);
  connection->port = packet->port;
  connection->transport = packet->transport;
  /* Packet Sender connects, sends, reads the reply and closes for each packet. */
  connection->mode = TINCAN_CONNECTION_PER_MESSAGE;
  g_ptr_array_add (connections, connection);
  g_hash_table_add (targets, g_steal_pointer (&key));
}

static void
add_message (TincanWorkspace *workspace,
             Packet          *packet)
{
  TincanWorkspaceMessage *message = tincan_workspace_message_new ();

  g_free (message->name);
  message->name = g_strdup (packet->name);
  g_free (message->payload);
  message->payload = g_steal_pointer (&packet->hex);
  message->format = TINCAN_PAYLOAD_FORMAT_HEX;
  message->ending = TINCAN_LINE_ENDING_NONE;
  message->repeat_ms = packet->repeat_ms;
  g_ptr_array_add (tincan_workspace_get_messages (workspace), message);
}

static JsonArray *
parse_array (JsonParser  *parser,
             const char  *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_PARSE,
                   _("This is not a Packet Sender export: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  array = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      {
        g_set_error (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_PARSE,
                     _("This is not a Packet Sender export: item %u of its list is not a "
                       "packet."), i + 1);
        return NULL;
      }
  if (array == NULL)
    g_set_error_literal (error, TINCAN_WORKSPACE_ERROR, TINCAN_WORKSPACE_ERROR_PARSE,
                         _("This is not a Packet Sender export: it is not a list of packets."));
  return array;
}

/**
 * tincan_workspace_import_packet_sender:
 * @data: the text of a Packet Sender packet export (JSON)
 * @length: its length, or -1 when @data ends with a NUL
 * @problems: (out) (optional) (transfer full): one sentence for each packet
 *   that was skipped, naming it by its place (from 1) and name; empty when
 *   every packet was taken
 * @error: a #TINCAN_WORKSPACE_ERROR_PARSE when @data is not a JSON array of
 *   objects
 *
 * Each packet becomes a hex message of the library (its "hexstring", its
 * "repeat" in milliseconds), and each distinct transport, host and port a
 * saved connection named after the first packet that uses it. Fields that
 * Tincan has no use for are ignored.
 *
 * Returns: (transfer full) (nullable): a workspace with connections and
 *   messages but no tabs, or %NULL
 */
TincanWorkspace *
tincan_workspace_import_packet_sender (const char   *data,
                                       gsize         length,
                                       char       ***problems,
                                       GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(TincanWorkspace) workspace = NULL;
  g_autoptr(GHashTable) targets = NULL;
  g_autoptr(GStrvBuilder) sentences = NULL;
  JsonArray *array;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  array = parse_array (parser, data != NULL ? data : "", (gssize) length, error);
  if (array == NULL)
    return NULL;
  workspace = tincan_workspace_new ();
  targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sentences = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_auto(Packet) packet = { NULL, };
      g_autofree char *why = NULL;
      g_autofree char *sentence = NULL;

      if (!read_packet (json_array_get_object_element (array, i), &packet, &why))
        {
          /* TRANSLATORS: a packet's place in the file, its name, and why it was not imported */
          sentence = g_strdup_printf (_("Packet %u (“%s”) was skipped: %s."), i + 1, packet.name,
                                      why);
          g_strv_builder_add (sentences, sentence);
          continue;
        }
      add_connection (workspace, targets, &packet);
      add_message (workspace, &packet);
    }
  if (problems != NULL)
    *problems = g_strv_builder_end (sentences);
  return g_steal_pointer (&workspace);
}
