/* tincan-connection-bar.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The form above the transcript: host, port, transport, framing and mode of
 * one session, and its Connect button. It checks what is typed as it is
 * typed, says inline what is wrong, and configures the session from it while
 * the session is disconnected (a connection's settings cannot change under
 * it). Transport, mode and framing are properties bound to the settings of
 * the same names; the connect button runs "conversation.connect". */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-connection-bar.h"
#include "tincan-enum-drop-down.h"
#include "tincan-payload.h"
#include "tincan-reflow-box.h"

struct _TincanConnectionBar
{
  GtkWidget             parent_instance;

  TincanReflowBox      *form;
  GtkEntry             *host_entry;
  GtkEntry             *port_entry;
  GtkDropDown          *transport_dropdown;
  GtkDropDown          *framing_dropdown;
  GtkMenuButton        *delimiter_button;
  GtkEntry             *delimiter_entry;
  GtkDropDown          *mode_dropdown;
  GtkMenuButton        *options_button;
  GtkCheckButton       *no_proxy_check;
  GtkButton            *connect_button;
  GtkStack             *connect_stack;
  GtkSpinner           *connect_spinner;
  GtkRevealer          *target_error_revealer;
  GtkLabel             *target_error_label;

  GSettings            *settings;
  TincanSession        *session;
  TincanTransport       transport;
  TincanConnectionMode  mode;
  gboolean              no_proxy;
  char                 *framing_name;
  char                 *target_error;
  guint                 host_length;
  GBytes               *added_delimiter;  /* what the framing adds to each sent message */
  gboolean              ready;
  gboolean              initialized;
};

G_DEFINE_FINAL_TYPE (TincanConnectionBar, tincan_connection_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TRANSPORT,
  PROP_MODE,
  PROP_NO_PROXY,
  PROP_FRAMING_NAME,
  PROP_ADDED_DELIMITER,
  PROP_TARGET_ERROR,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The framings offered by name (as tincan_framing_new_from_name () takes
 * them); the list ends with "Custom Delimiter…". Their labels are the
 * framing's own (tincan_framing_dup_label ()). */
static const char *framing_names[] = {
  "raw", "lf", "crlf", "nul", "u8", "u16be", "u16le", "u32be", "u32le", "u64be", "u64le",
};

#define CUSTOM_FRAMING G_N_ELEMENTS (framing_names)

static const char *mode_labels[] = {
  [TINCAN_CONNECTION_PERSISTENT] = N_("Keep connection open"),
  [TINCAN_CONNECTION_PER_MESSAGE] = N_("New connection per message"),
};

static char *
transport_label (AdwEnumListItem *item,
                 gpointer         user_data)
{
  return g_ascii_strup (tincan_transport_to_string (adw_enum_list_item_get_value (item)), -1);
}

static char *
mode_label (AdwEnumListItem *item,
            gpointer         user_data)
{
  return g_strdup (_(mode_labels[adw_enum_list_item_get_value (item)]));
}

static TincanSessionState
get_state (TincanConnectionBar *self)
{
  return self->session ? tincan_session_get_state (self->session) : TINCAN_SESSION_DISCONNECTED;
}

/* Validation */

static TincanFraming *
read_framing (TincanConnectionBar  *self,
              GError              **error)
{
  guint selected = gtk_drop_down_get_selected (self->framing_dropdown);
  const char *text;
  g_autoptr(GBytes) delimiter = NULL;
  TincanPayloadErrorPosition position;
  gsize length;
  const guint8 *data;

  if (selected < CUSTOM_FRAMING)
    return tincan_framing_new_from_name (framing_names[selected], error);

  text = gtk_editable_get_text (GTK_EDITABLE (self->delimiter_entry));
  delimiter = tincan_payload_parse (text, -1, TINCAN_PAYLOAD_FORMAT_TEXT,
                                    TINCAN_LINE_ENDING_NONE, &position, error);
  if (delimiter == NULL)
    return NULL;

  data = g_bytes_get_data (delimiter, &length);
  if (length == 0)
    {
      g_set_error_literal (error, TINCAN_FRAMING_ERROR, TINCAN_FRAMING_ERROR_INVALID,
                           _("Enter a delimiter for the custom framing"));
      return NULL;
    }

  return tincan_framing_new_delimiter (data, length, FALSE);
}

/* The host field also takes a whole target, as the command line does:
 * "host:port", "[v6]:port", "tls://host:port". A bare IPv6 address is a
 * host; anything else with a colon, brackets or a scheme is a target. */
static gboolean
looks_like_target (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (strstr (stripped, "://") != NULL || stripped[0] == '[')
    return TRUE;
  return strchr (stripped, ':') != NULL && !tincan_target_check_host (stripped, NULL);
}

/* What is wrong with the host field, with the real reason: a target is
 * judged by the command line's parser, a host by the host check. */
static gboolean
check_host_field (const char  *text,
                  GError     **error)
{
  g_autoptr(TincanTarget) target = NULL;

  if (!looks_like_target (text))
    return tincan_target_check_host (text, error);

  target = tincan_target_parse (text, TINCAN_TRANSPORT_TCP, error);
  return target != NULL;
}

/* Moves a whole target in the host field into host, port and transport.
 * Returns FALSE with @error only when the field holds a target that does
 * not parse. */
static gboolean
split_host_field (TincanConnectionBar  *self,
                  GError              **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  g_autoptr(TincanTarget) target = NULL;

  if (!looks_like_target (text))
    return TRUE;

  /* Without a scheme, the transport chosen stays. */
  target = tincan_target_parse (text, self->transport, error);
  if (target == NULL)
    return FALSE;

  tincan_connection_bar_set_target (self, target);
  return TRUE;
}

static void
set_ready (TincanConnectionBar *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  gboolean ready = self->target_error == NULL && host[0] != '\0' &&
                   (looks_like_target (host) ||
                    gtk_editable_get_text (GTK_EDITABLE (self->port_entry))[0] != '\0');

  if (self->ready == ready)
    return;

  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
show_target_error (TincanConnectionBar *self,
                   GtkWidget           *culprit,
                   const char          *message)
{
  if (g_strcmp0 (self->target_error, message) != 0)
    {
      g_free (self->target_error);
      self->target_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_ERROR]);
    }

  gtk_label_set_text (self->target_error_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->target_error_revealer, message != NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (self->host_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->port_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->framing_dropdown), "error");
  if (culprit != NULL && message != NULL)
    gtk_widget_add_css_class (culprit, "error");

  set_ready (self);
}

static void
set_added_delimiter (TincanConnectionBar *self,
                     TincanFraming       *framing)
{
  g_autoptr(GBytes) delimiter = NULL;

  /* UDP applies no framing: there the composer's line ending counts. */
  if (tincan_framing_get_kind (framing) == TINCAN_FRAMING_DELIMITER &&
      self->transport != TINCAN_TRANSPORT_UDP)
    {
      gsize length;
      const guint8 *data = tincan_framing_get_delimiter (framing, &length);

      delimiter = g_bytes_new (data, length);
    }

  if (self->added_delimiter == delimiter ||
      (self->added_delimiter != NULL && delimiter != NULL &&
       g_bytes_equal (self->added_delimiter, delimiter)))
    return;

  g_clear_pointer (&self->added_delimiter, g_bytes_unref);
  self->added_delimiter = g_steal_pointer (&delimiter);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDED_DELIMITER]);
}

/**
 * tincan_connection_bar_apply:
 * @quiet: while typing: an empty host or port is not worth an error yet
 *
 * Checks the form, shows what is wrong under it, and configures the session
 * from it while the session is disconnected.
 *
 * Returns: whether the form holds a target one can connect to
 */
gboolean
tincan_connection_bar_apply (TincanConnectionBar *self,
                             gboolean             quiet)
{
  const char *host;
  const char *port_text;
  g_autoptr(TincanFraming) framing = NULL;
  g_autoptr(GError) framing_error = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), FALSE);

  /* The composer shows what the framing adds even while the target is
   * still being typed; a framing error waits for its turn below. */
  framing = read_framing (self, &framing_error);
  if (framing != NULL)
    set_added_delimiter (self, framing);

  /* Typing a whole target is fine; it is split once it is complete. */
  if (!quiet && !split_host_field (self, &error))
    {
      show_target_error (self, GTK_WIDGET (self->host_entry), error->message);
      return FALSE;
    }

  host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_entry));
  if (!check_host_field (host, &error))
    {
      show_target_error (self, GTK_WIDGET (self->host_entry),
                         quiet && host[0] == '\0' ? NULL : error->message);
      return FALSE;
    }
  if (looks_like_target (host))
    {
      /* A whole target that parses is ready as it is. */
      show_target_error (self, NULL, NULL);
      return FALSE;
    }
  if (!tincan_target_parse_port (port_text, &port, &error))
    {
      show_target_error (self, GTK_WIDGET (self->port_entry),
                         quiet && port_text[0] == '\0' ? NULL : error->message);
      return FALSE;
    }
  if (framing == NULL)
    {
      show_target_error (self, GTK_WIDGET (self->framing_dropdown), framing_error->message);
      return FALSE;
    }

  show_target_error (self, NULL, NULL);

  if (self->session != NULL && get_state (self) == TINCAN_SESSION_DISCONNECTED)
    {
      tincan_session_set_host (self->session, host);
      tincan_session_set_port (self->session, port);
      tincan_session_set_transport (self->session, self->transport);
      tincan_session_set_framing (self->session, framing);
      tincan_session_set_mode (self->session, self->mode);
      tincan_session_set_no_proxy (self->session, self->no_proxy);
    }

  return TRUE;
}

/* What the session's state allows */

static gboolean
focus_in_form (TincanConnectionBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && focus != GTK_WIDGET (self->connect_button) &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (self->form));
}

static void
update_sensitivity (TincanConnectionBar *self)
{
  gboolean idle = get_state (self) == TINCAN_SESSION_DISCONNECTED;
  gboolean per_message = self->mode == TINCAN_CONNECTION_PER_MESSAGE;

  /* While a connection is open its settings cannot change under it. The
   * focus leaves a field before it turns insensitive (GTK 4.8 would leave
   * that field's text thinking it still has the focus); the button, which
   * stays, takes it until the conversation hands it to the composer. */
  if (!idle && !per_message && focus_in_form (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->connect_button));
  gtk_widget_set_sensitive (GTK_WIDGET (self->host_entry), idle || per_message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_entry), idle || per_message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transport_dropdown), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->framing_dropdown), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delimiter_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->options_button), idle);
}

static void
update_connect_button (TincanConnectionBar *self)
{
  TincanSessionState state = get_state (self);
  gboolean connecting = tincan_session_state_is_connecting (state);
  gboolean idle = state == TINCAN_SESSION_DISCONNECTED;

  /* The stack is as wide as its widest page, so the button keeps its size
   * and nothing beside it moves when the state changes. */
  gtk_stack_set_visible_child_name (self->connect_stack,
                                    connecting ? "cancel" : idle ? "connect" : "disconnect");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connect_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  connecting ? _("Cancel") : idle ? _("Connect") : _("Disconnect"),
                                  -1);
  gtk_spinner_set_spinning (self->connect_spinner, connecting);

  gtk_widget_remove_css_class (GTK_WIDGET (self->connect_button),
                               idle ? "destructive-action" : "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->connect_button),
                            idle ? "suggested-action" : "destructive-action");
}

static void
session_state_changed_cb (TincanConnectionBar *self)
{
  update_connect_button (self);
  update_sensitivity (self);
}

/* Template callbacks */

static void
target_changed_cb (TincanConnectionBar *self)
{
  /* Template widgets emit while the template is built: nothing to do yet. */
  if (!self->initialized)
    return;

  tincan_connection_bar_apply (self, TRUE);
  update_sensitivity (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* A paste (or a drop) arrives as one change of more than one character:
 * a whole target pasted is split at once; one typed is split when it is
 * complete (Enter, Connect, or leaving the field). */
static void
host_changed_cb (TincanConnectionBar *self)
{
  guint length = gtk_entry_get_text_length (self->host_entry);
  gboolean pasted = length > self->host_length + 1;

  self->host_length = length;
  if (pasted && self->initialized)
    split_host_field (self, NULL);
  target_changed_cb (self);
}

static void
host_leave_cb (TincanConnectionBar *self)
{
  split_host_field (self, NULL);
}

static void
target_activate_cb (TincanConnectionBar *self)
{
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
framing_changed_cb (TincanConnectionBar *self)
{
  guint selected = gtk_drop_down_get_selected (self->framing_dropdown);
  g_autoptr(TincanFraming) framing = NULL;
  g_autofree char *name = NULL;

  if (!self->initialized)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_button), selected == CUSTOM_FRAMING);

  /* A custom delimiter that does not parse (yet) leaves the name as it was. */
  if ((framing = read_framing (self, NULL)))
    name = tincan_framing_dup_name (framing);
  if (name != NULL && g_strcmp0 (name, self->framing_name) != 0)
    {
      g_free (self->framing_name);
      self->framing_name = g_steal_pointer (&name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMING_NAME]);
    }

  target_changed_cb (self);
}

/* Public API */

/**
 * tincan_connection_bar_set_session:
 * @session: (nullable): the session the form configures
 */
void
tincan_connection_bar_set_session (TincanConnectionBar *self,
                                   TincanSession       *session)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));
  g_return_if_fail (session == NULL || TINCAN_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::state",
                             G_CALLBACK (session_state_changed_cb), self, G_CONNECT_SWAPPED);

  session_state_changed_cb (self);
  target_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tincan_connection_bar_set_target (TincanConnectionBar *self,
                                  const TincanTarget  *target)
{
  g_autofree char *port = NULL;

  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));
  g_return_if_fail (target != NULL);

  port = g_strdup_printf ("%u", target->port);
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), target->host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_entry), port);
  tincan_connection_bar_set_transport (self, target->transport);
}

void
tincan_connection_bar_set_transport (TincanConnectionBar *self,
                                     TincanTransport      transport)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  if (self->transport == transport)
    return;

  self->transport = transport;

  /* A datagram is its own frame: framing does not apply to UDP. Said as a
   * description, not a tooltip: a tooltip would cover the open list. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->framing_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  transport == TINCAN_TRANSPORT_UDP
                                  ? _("UDP: each datagram is one message; framing is not applied")
                                  : _("How the byte stream is cut into messages"),
                                  -1);
  target_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

TincanTransport
tincan_connection_bar_get_transport (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), TINCAN_TRANSPORT_TCP);

  return self->transport;
}

void
tincan_connection_bar_set_mode (TincanConnectionBar  *self,
                                TincanConnectionMode  mode)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  if (self->mode == mode)
    return;

  self->mode = mode;
  target_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

TincanConnectionMode
tincan_connection_bar_get_mode (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), TINCAN_CONNECTION_PERSISTENT);

  return self->mode;
}

/* No proxy: this tab connects directly, whatever the system's proxy
 * settings say (the options menu's check button). */
void
tincan_connection_bar_set_no_proxy (TincanConnectionBar *self,
                                    gboolean             no_proxy)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  no_proxy = !!no_proxy;
  if (self->no_proxy == no_proxy)
    return;

  self->no_proxy = no_proxy;
  target_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_PROXY]);
}

gboolean
tincan_connection_bar_get_no_proxy (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), FALSE);

  return self->no_proxy;
}

/**
 * tincan_connection_bar_set_framing:
 *
 * Selects @framing: by name when it is offered, else as a custom delimiter
 * when it is one (anything else is left as it was).
 */
void
tincan_connection_bar_set_framing (TincanConnectionBar *self,
                                   TincanFraming       *framing)
{
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  const guint8 *delimiter;
  gsize length;

  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));
  g_return_if_fail (framing != NULL);

  name = tincan_framing_dup_name (framing);
  for (guint i = 0; i < CUSTOM_FRAMING; i++)
    {
      if (g_str_equal (framing_names[i], name))
        {
          gtk_drop_down_set_selected (self->framing_dropdown, i);
          return;
        }
    }

  delimiter = tincan_framing_get_delimiter (framing, &length);
  if (delimiter == NULL)
    return;
  escaped = tincan_payload_render_text (delimiter, length);
  gtk_editable_set_text (GTK_EDITABLE (self->delimiter_entry), escaped);
  gtk_drop_down_set_selected (self->framing_dropdown, CUSTOM_FRAMING);
}

/**
 * tincan_connection_bar_set_address:
 * @host: what the host field holds
 * @port: the port, or 0 for an empty port field
 *
 * Fills in the form as a saved tab or connection left it, valid or not.
 */
void
tincan_connection_bar_set_address (TincanConnectionBar *self,
                                   const char          *host,
                                   guint16              port)
{
  g_autofree char *text = port > 0 ? g_strdup_printf ("%u", port) : g_strdup ("");

  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));
  g_return_if_fail (host != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_entry), text);
}

/**
 * tincan_connection_bar_dup_host:
 *
 * Returns: (transfer full): the host field's text, without surrounding spaces
 */
char *
tincan_connection_bar_dup_host (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_entry))));
}

/**
 * tincan_connection_bar_get_port:
 *
 * Returns: the port the port field holds, or 0 when it holds none that parses
 */
guint16
tincan_connection_bar_get_port (TincanConnectionBar *self)
{
  guint16 port = 0;

  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), 0);

  if (!tincan_target_parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_entry)), &port,
                                 NULL))
    return 0;
  return port;
}

/**
 * tincan_connection_bar_set_framing_name:
 * @name: a name as tincan_framing_new_from_name () takes it; one it does
 *   not take is ignored
 */
void
tincan_connection_bar_set_framing_name (TincanConnectionBar *self,
                                        const char          *name)
{
  g_autoptr(TincanFraming) framing = NULL;

  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  if (name != NULL && (framing = tincan_framing_new_from_name (name, NULL)))
    tincan_connection_bar_set_framing (self, framing);
}

/**
 * tincan_connection_bar_get_framing_name:
 *
 * Returns: the name of the last framing the form held that was valid
 */
const char *
tincan_connection_bar_get_framing_name (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), NULL);

  return self->framing_name;
}

/**
 * tincan_connection_bar_get_added_delimiter:
 *
 * Returns: (transfer none) (nullable): the delimiter the framing adds to
 *   every sent message, so that the composer adds no line ending of its
 *   own; %NULL when the framing adds none (raw, length prefix, UDP)
 */
GBytes *
tincan_connection_bar_get_added_delimiter (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), NULL);

  return self->added_delimiter;
}

/**
 * tincan_connection_bar_get_target_error:
 *
 * Returns: (nullable): what is wrong with the form, as shown under it
 */
const char *
tincan_connection_bar_get_target_error (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), NULL);

  return self->target_error;
}

/**
 * tincan_connection_bar_get_ready:
 *
 * Returns: whether host and port are filled in and nothing is wrong
 */
gboolean
tincan_connection_bar_get_ready (TincanConnectionBar *self)
{
  g_return_val_if_fail (TINCAN_IS_CONNECTION_BAR (self), FALSE);

  return self->ready;
}

/**
 * tincan_connection_bar_focus_host:
 *
 * Puts the keyboard focus in the host field with its text selected, as a
 * browser's Ctrl+L does with the address bar.
 */
void
tincan_connection_bar_focus_host (TincanConnectionBar *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->host_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->host_entry), 0, -1);
}

/**
 * tincan_connection_bar_remember_address:
 *
 * Saves host and port, to be offered again at the next start.
 */
void
tincan_connection_bar_remember_address (TincanConnectionBar *self)
{
  g_return_if_fail (TINCAN_IS_CONNECTION_BAR (self));

  g_settings_set_string (self->settings, "last-host",
                         gtk_editable_get_text (GTK_EDITABLE (self->host_entry)));
  if (self->session != NULL)
    g_settings_set_int (self->settings, "last-port", tincan_session_get_port (self->session));
}

/* GObject */

static void
tincan_connection_bar_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TincanConnectionBar *self = TINCAN_CONNECTION_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_NO_PROXY:
      g_value_set_boolean (value, self->no_proxy);
      break;
    case PROP_FRAMING_NAME:
      g_value_set_string (value, self->framing_name);
      break;
    case PROP_ADDED_DELIMITER:
      g_value_set_boxed (value, self->added_delimiter);
      break;
    case PROP_TARGET_ERROR:
      g_value_set_string (value, self->target_error);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_connection_bar_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TincanConnectionBar *self = TINCAN_CONNECTION_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tincan_connection_bar_set_session (self, g_value_get_object (value));
      break;
    case PROP_TRANSPORT:
      tincan_connection_bar_set_transport (self, g_value_get_enum (value));
      break;
    case PROP_MODE:
      tincan_connection_bar_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_NO_PROXY:
      tincan_connection_bar_set_no_proxy (self, g_value_get_boolean (value));
      break;
    case PROP_FRAMING_NAME:
      tincan_connection_bar_set_framing_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_connection_bar_dispose (GObject *object)
{
  TincanConnectionBar *self = (TincanConnectionBar *)object;

  tincan_connection_bar_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_CONNECTION_BAR);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tincan_connection_bar_parent_class)->dispose (object);
}

static void
tincan_connection_bar_finalize (GObject *object)
{
  TincanConnectionBar *self = (TincanConnectionBar *)object;

  g_clear_pointer (&self->framing_name, g_free);
  g_clear_pointer (&self->target_error, g_free);
  g_clear_pointer (&self->added_delimiter, g_bytes_unref);

  G_OBJECT_CLASS (tincan_connection_bar_parent_class)->finalize (object);
}

static void
tincan_connection_bar_class_init (TincanConnectionBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tincan_connection_bar_dispose;
  object_class->finalize = tincan_connection_bar_finalize;
  object_class->get_property = tincan_connection_bar_get_property;
  object_class->set_property = tincan_connection_bar_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TINCAN_TYPE_SESSION, rw);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, TINCAN_TYPE_TRANSPORT, TINCAN_TRANSPORT_TCP, rw);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, TINCAN_TYPE_CONNECTION_MODE,
                       TINCAN_CONNECTION_PERSISTENT, rw);
  properties[PROP_NO_PROXY] =
    g_param_spec_boolean ("no-proxy", NULL, NULL, FALSE, rw);
  properties[PROP_FRAMING_NAME] =
    g_param_spec_string ("framing-name", NULL, NULL, "raw", rw);
  properties[PROP_ADDED_DELIMITER] =
    g_param_spec_boxed ("added-delimiter", NULL, NULL, G_TYPE_BYTES, ro);
  properties[PROP_TARGET_ERROR] =
    g_param_spec_string ("target-error", NULL, NULL, NULL, ro);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TincanConnectionBar::activate:
   *
   * Enter was pressed in the host or port entry.
   */
  signals[ACTIVATE] = g_signal_new ("activate",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  /**
   * TincanConnectionBar::changed:
   *
   * What the form holds changed: host, port, transport, framing, mode or
   * the proxy choice (as typed, valid or not).
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  g_type_ensure (TINCAN_TYPE_REFLOW_BOX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-connection-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, form);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, host_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, port_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, transport_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, framing_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, delimiter_button);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, delimiter_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, options_button);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, no_proxy_check);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, connect_button);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, connect_stack);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, target_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TincanConnectionBar, target_error_label);
  gtk_widget_class_bind_template_callback (widget_class, transport_label);
  gtk_widget_class_bind_template_callback (widget_class, mode_label);
  gtk_widget_class_bind_template_callback (widget_class, target_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, host_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, host_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, target_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, framing_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionbar");
}

static void
restore_address (TincanConnectionBar *self)
{
  g_autofree char *host = g_settings_get_string (self->settings, "last-host");
  int port = g_settings_get_int (self->settings, "last-port");

  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host);
  if (port > 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", port);
      gtk_editable_set_text (GTK_EDITABLE (self->port_entry), text);
    }
}

static void
tincan_connection_bar_init (TincanConnectionBar *self)
{
  g_autoptr(GtkStringList) framings = gtk_string_list_new (NULL);
  /* Read once and written on change: two windows do not pull each other's
   * form around. */
  const GSettingsBindFlags flags = G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES;
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  for (guint i = 0; i < CUSTOM_FRAMING; i++)
    {
      g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (framing_names[i], NULL);
      g_autofree char *label = tincan_framing_dup_label (framing);

      gtk_string_list_append (framings, label);
    }
  gtk_string_list_append (framings, _("Custom Delimiter…"));
  gtk_drop_down_set_model (self->framing_dropdown, G_LIST_MODEL (framings));
  self->framing_name = g_strdup ("raw");

  tincan_enum_drop_down_bind (self->transport_dropdown, self, "transport");
  tincan_enum_drop_down_bind (self->mode_dropdown, self, "mode");
  tincan_a11y_label_drop_down (self->transport_dropdown, _("Transport"));
  tincan_a11y_label_drop_down (self->framing_dropdown, _("Framing"));
  tincan_a11y_label_drop_down (self->mode_dropdown, _("Connection mode"));
  self->initialized = TRUE;

  self->settings = g_settings_new (APP_ID);
  restore_address (self);
  g_settings_bind (self->settings, "last-transport", self, "transport", flags);
  g_settings_bind (self->settings, "last-mode", self, "mode", flags);
  g_settings_bind (self->settings, "last-no-proxy", self, "no-proxy", flags);
  g_object_bind_property (self, "no-proxy", self->no_proxy_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_settings_bind (self->settings, "last-framing", self, "framing-name", flags);

  session_state_changed_cb (self);
  target_changed_cb (self);
}
