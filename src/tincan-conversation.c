/* tincan-conversation.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One conversation with one server: the connection bar that configures a
 * TincanSession, the transcript of what went each way, the composer and the
 * status bar. It owns the session, the transcript, the traffic log and the
 * built-in echo server it may start; a window (later, a tab) only hosts it.
 *
 * The session's batches go to the transcript and the log as they come; the
 * transcript view shows them once per frame and says so ("flushed"), which
 * is when the status bar's counters are refreshed. What can be done now is
 * said through the "conversation.*" actions' enabled state. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-a11y.h"
#include "tincan-certificate-dialog.h"
#include "tincan-composer.h"
#include "tincan-connection-bar.h"
#include "tincan-conversation-private.h"
#include "tincan-echo-server.h"
#include "tincan-format.h"
#include "tincan-status-bar.h"
#include "tincan-transcript-save.h"
#include "tincan-transcript-view.h"


G_DEFINE_FINAL_TYPE (TincanConversation, tincan_conversation, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEW_MODE,
  PROP_PEER,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIONS_CHANGED,
  SETTINGS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_tincan_conversation_actions_changed (TincanConversation *self)
{
  g_signal_emit (self, signals[ACTIONS_CHANGED], 0);
}

static void
settings_changed (TincanConversation *self)
{
  g_signal_emit (self, signals[SETTINGS_CHANGED], 0);
}

static void
update_actions (TincanConversation *self)
{
  TincanSessionState state = tincan_session_get_state (self->session);
  gboolean per_message = tincan_connection_bar_get_mode (self->connection_bar) ==
                         TINCAN_CONNECTION_PER_MESSAGE;
  gboolean idle = state == TINCAN_SESSION_DISCONNECTED;
  gboolean ready = tincan_connection_bar_get_ready (self->connection_bar);
  /* A per-message session opens a connection for each send, so there is
   * something to send to as soon as the target is valid; otherwise what is
   * sent while connecting waits in the queue. */

  gboolean can_send = per_message ? ready
                                   : state == TINCAN_SESSION_CONNECTED ||
                                     tincan_session_state_is_connecting (state);

  tincan_composer_set_can_send (self->composer, can_send);
  tincan_transcript_view_set_can_send (self->transcript_view, can_send);
  self->can_connect = idle ? (!per_message && ready) : TRUE;
  /* Cancel (Esc) stops a connect that is pending, never an open session. */
  self->can_cancel = tincan_session_state_is_connecting (state);
  self->can_local_echo = idle;
  /* Per message, there is no Connect to press: say what to do instead. */
  tincan_composer_set_placeholder (self->composer,
                                   per_message
                                   ? _("Type a message; Enter sends it on a new connection")
                                   : _("Type a message; Enter sends it"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.connect", self->can_connect);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.cancel", self->can_cancel);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.local-echo",
                                 self->can_local_echo);
  g_signal_emit (self, signals[ACTIONS_CHANGED], 0);
}

/**
 * tincan_conversation_get_action_enabled:
 * @name: "connect", "cancel" or "local-echo"
 *
 * Returns: whether "conversation.@name" can run now (the others always can)
 */
gboolean
tincan_conversation_get_action_enabled (TincanConversation *self,
                                        const char         *name)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_equal (name, "connect"))
    return self->can_connect;
  if (g_str_equal (name, "cancel"))
    return self->can_cancel;
  if (g_str_equal (name, "local-echo"))
    return self->can_local_echo;
  if (g_str_equal (name, "stop-recording"))
    return self->log != NULL;
  return TRUE;
}

static void
update_peer (TincanConversation *self)
{
  const char *peer = tincan_session_get_peer_address (self->session);

  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    peer = NULL;
  if (g_strcmp0 (peer, self->peer) == 0)
    return;

  g_free (self->peer);
  self->peer = g_strdup (peer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER]);
}

void
_tincan_conversation_update_status (TincanConversation *self)
{
  g_autofree char *log_mark = _tincan_conversation_log_mark (self);
  g_autoptr(GError) log_error = self->log != NULL ? tincan_log_dup_error (self->log) : NULL;

  if (self->session == NULL)   /* disposed */
    return;
  tincan_status_bar_update (self->status_bar, self->session);
  tincan_status_bar_set_log_mark (self->status_bar, log_mark);
  /* A failed log has stopped recording: the mark says so instead. */
  tincan_status_bar_set_recording (self->status_bar,
                                   self->log != NULL && log_error == NULL ? self->log_file : NULL);
  tincan_status_bar_set_certificate_warning (
    self->status_bar, tincan_session_get_accepted_tls_problem (self->session) != NULL);
}

static void
session_state_changed_cb (TincanConversation *self)
{
  update_actions (self);
  update_peer (self);
  _tincan_conversation_update_status (self);
}

static void
session_messages_cb (TincanConversation *self,
                     GPtrArray          *messages)
{
  for (guint i = 0; i < messages->len; i++)
    tincan_transcript_push (self->transcript, g_ptr_array_index (messages, i));

  if (self->log != NULL)
    tincan_log_write (self->log, (TincanMessage **) messages->pdata, messages->len);

  gtk_stack_set_visible_child_name (self->stack, "transcript");
  tincan_transcript_view_schedule_flush (self->transcript_view);
}

/* The search: the bar's query goes to the transcript view, the view's
 * counts come back to the bar and the status bar. */
static void
update_search (TincanConversation *self)
{
  int current;
  guint n_matches, n_shown, n_total;
  gboolean complete;

  tincan_transcript_view_get_search_counts (self->transcript_view, &current, &n_matches,
                                            &complete, &n_shown, &n_total);
  tincan_search_bar_set_counts (self->search_bar, current, n_matches, complete);
  tincan_status_bar_set_filter_counts (self->status_bar,
                                       tincan_search_bar_is_open (self->search_bar) &&
                                       tincan_search_bar_get_show_only (self->search_bar),
                                       n_shown, n_total);
}

static void
search_bar_changed_cb (TincanConversation *self)
{
  tincan_transcript_view_set_search (self->transcript_view,
                                     tincan_search_bar_get_matcher (self->search_bar),
                                     tincan_search_bar_get_kinds (self->search_bar),
                                     tincan_search_bar_get_show_only (self->search_bar));
  update_search (self);
}

static void
search_bar_closed_cb (TincanConversation *self)
{
  tincan_transcript_view_end_search (self->transcript_view);
  update_search (self);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);
  gboolean was_open = tincan_search_bar_is_open (self->search_bar);

  tincan_search_bar_open (self->search_bar);
  if (!was_open)
    search_bar_changed_cb (self);
}

/* F3 with the bar closed opens it (with the last query, if any). */
static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);

  if (!tincan_search_bar_is_open (self->search_bar))
    {
      find_action (widget, action_name, parameter);
      return;
    }
  tincan_transcript_view_find_next (self->transcript_view,
                                    g_str_equal (action_name, "conversation.find-previous"));
}

static void
transcript_flushed_cb (TincanConversation *self)
{
  /* Entries again, after a Clear was undone on the empty page. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->transcript)) > 0)
    gtk_stack_set_visible_child_name (self->stack, "transcript");
  _tincan_conversation_update_status (self);
  if (tincan_search_bar_is_open (self->search_bar))
    update_search (self);
}

/* Connecting */

static void
certificate_response_cb (TincanConversation      *self,
                         const char              *response,
                         TincanCertificateDialog *dialog)
{
  if (g_strcmp0 (response, "connect") != 0)
    return;

  /* Trust exactly this certificate, for this session only. */
  tincan_session_pin_certificate (self->session,
                                  tincan_certificate_dialog_get_problem (dialog)->fingerprint);
  tincan_conversation_connect (self);
}

static void
show_certificate_problem (TincanConversation *self)
{
  const TincanTlsProblem *problem = tincan_session_get_tls_problem (self->session);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (problem == NULL || !GTK_IS_WINDOW (root))
    return;

  dialog = tincan_certificate_dialog_new (GTK_WINDOW (root), problem);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The details of the certificate accepted with Connect Anyway, again, for
 * as long as that connection lasts. */
static void
show_certificate_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);
  const TincanTlsProblem *problem = tincan_session_get_accepted_tls_problem (self->session);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (problem == NULL || !GTK_IS_WINDOW (root))
    return;

  gtk_window_present (GTK_WINDOW (tincan_certificate_dialog_new_accepted (GTK_WINDOW (root),
                                                                          problem)));
}

/* The connect callback holds the conversation weakly: a pending connect must
 * not keep a closed window alive (dispose cancels the connect). */
static void
connect_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(TincanConversation) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  gboolean connected;

  g_weak_ref_clear (weak);
  g_free (weak);

  connected = tincan_session_connect_finish (TINCAN_SESSION (object), result, &error);
  if (self == NULL)
    return;

  if (connected)
    {
      tincan_composer_grab_focus (self->composer);
      return;
    }

  if (g_error_matches (error, TINCAN_SESSION_ERROR, TINCAN_SESSION_ERROR_BAD_CERTIFICATE) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_certificate_problem (self);
}

/**
 * tincan_conversation_connect:
 *
 * Connects to the target in the connection bar, as the Connect button does.
 */
void
tincan_conversation_connect (TincanConversation *self)
{
  GWeakRef *weak;

  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  if (tincan_session_get_state (self->session) != TINCAN_SESSION_DISCONNECTED)
    return;
  if (!tincan_connection_bar_apply (self->connection_bar, FALSE))
    return;

  tincan_connection_bar_remember_address (self->connection_bar);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  tincan_session_connect_async (self->session, self->cancellable, connect_ready_cb, weak);
}

static void
connection_bar_activate_cb (TincanConversation *self)
{
  if (tincan_connection_bar_get_mode (self->connection_bar) == TINCAN_CONNECTION_PERSISTENT)
    tincan_conversation_connect (self);
  else if (tincan_connection_bar_apply (self->connection_bar, FALSE))
    tincan_composer_grab_focus (self->composer);
}

/**
 * tincan_conversation_start_local_echo:
 *
 * Starts the built-in echo server on a free loopback port, fills in the
 * connection bar and connects to it, so a first run works with nothing else.
 */
gboolean
tincan_conversation_start_local_echo (TincanConversation  *self,
                                      GError             **error)
{
  TincanTarget target = { .host = (char *) "127.0.0.1", .transport = TINCAN_TRANSPORT_TCP };

  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), FALSE);

  if (self->echo_server == NULL)
    {
      g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);

      if (!tincan_echo_server_start (server, "127.0.0.1", 0, error))
        return FALSE;
      self->echo_server = g_steal_pointer (&server);
    }

  target.port = tincan_echo_server_get_port (self->echo_server);
  tincan_connection_bar_set_target (self->connection_bar, &target);
  if (tincan_connection_bar_get_mode (self->connection_bar) == TINCAN_CONNECTION_PER_MESSAGE)
    connection_bar_activate_cb (self);   /* nothing to connect: the composer is next */
  else
    tincan_conversation_connect (self);
  gtk_stack_set_visible_child_name (self->stack, "transcript");

  return TRUE;
}

/* Sending */

static void
toast (TincanConversation *self,
       const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  /* libadwaita 1.2 reads the title as markup: an error may quote a "<". */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    tincan_a11y_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
  else
    g_warning ("%s", text);
}

/* Sends @payload with the framing and target of the connection bar now.
 * Returns: %FALSE with @error set, or with none when the connection bar
 * said what is wrong itself */
static gboolean
send_payload (TincanConversation  *self,
              GBytes              *payload,
              GError             **error)
{
  if (tincan_connection_bar_get_mode (self->connection_bar) == TINCAN_CONNECTION_PER_MESSAGE &&
      !tincan_connection_bar_apply (self->connection_bar, FALSE))
    return FALSE;

  return tincan_session_send (self->session, payload, error);
}

static gboolean
composer_submit_cb (TincanConversation *self,
                    GBytes             *payload,
                    TincanComposer     *composer)
{
  g_autoptr(GError) error = NULL;

  if (send_payload (self, payload, &error))
    return TRUE;

  if (error != NULL)
    tincan_composer_show_error (composer, error->message);
  return FALSE;
}

/* The row menu's Resend: the payload as it was, with today's framing. */
static void
transcript_resend_cb (TincanConversation *self,
                      TincanMessage      *message)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);
  g_autoptr(GBytes) payload = g_bytes_new (data, length);

  if (!send_payload (self, payload, &error) && error != NULL)
    toast (self, error->message);
}

/* The row menu's Edit and Send. */
static void
transcript_edit_cb (TincanConversation *self,
                    TincanMessage      *message)
{
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);

  tincan_composer_edit_payload (self->composer, data, length);
  tincan_composer_grab_focus (self->composer);
}

/* Actions */

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);

  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    tincan_conversation_connect (self);
  else
    tincan_session_disconnect (self->session);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);

  if (!tincan_session_state_is_connecting (tincan_session_get_state (self->session)))
    return;

  g_cancellable_cancel (self->cancellable);
  tincan_session_disconnect (self->session);
}

static void
focus_host_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  tincan_connection_bar_focus_host (TINCAN_CONVERSATION (widget)->connection_bar);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);

  tincan_transcript_view_clear (self->transcript_view);
  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TincanConversation *self = TINCAN_CONVERSATION (widget);
  g_autoptr(GPtrArray) messages = NULL;

  tincan_transcript_flush (self->transcript);
  messages = tincan_transcript_dup_messages (self->transcript);
  /* With Show Only Matching, what the filter shows: the same test the
   * list's filter makes, over the same snapshot. */
  if (tincan_search_bar_is_open (self->search_bar) &&
      tincan_search_bar_get_show_only (self->search_bar))
    {
      g_autoptr(TincanTranscriptFilter) filter = tincan_transcript_filter_new (self->transcript);
      guint kept = 0;

      tincan_transcript_filter_set_matcher (filter, tincan_search_bar_get_matcher (self->search_bar));
      tincan_transcript_filter_set_kinds (filter, tincan_search_bar_get_kinds (self->search_bar));
      for (guint i = 0; i < messages->len; i++)
        if (tincan_transcript_filter_passes (filter, g_ptr_array_index (messages, i)))
          {
            TincanMessage *tmp = g_ptr_array_index (messages, kept);

            g_ptr_array_index (messages, kept++) = g_ptr_array_index (messages, i);
            g_ptr_array_index (messages, i) = tmp;
          }
      g_ptr_array_set_size (messages, kept);
    }
  tincan_transcript_save_run (widget, messages);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tincan_transcript_view_copy_and_tell (TINCAN_CONVERSATION (widget)->transcript_view);
}

static void
jump_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tincan_transcript_view_jump_to_latest (TINCAN_CONVERSATION (widget)->transcript_view);
}

static void
local_echo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (!tincan_conversation_start_local_echo (TINCAN_CONVERSATION (widget), &error))
    toast (TINCAN_CONVERSATION (widget), error->message);
}

/* Configuration, for the command line */

/**
 * tincan_conversation_set_name:
 * @name: (nullable): a name for the tab, or %NULL (or "") for none
 */
void
tincan_conversation_set_name (TincanConversation *self,
                              const char         *name)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (name, self->name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  settings_changed (self);
}

const char *
tincan_conversation_get_name (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  return self->name;
}

void
tincan_conversation_set_target (TincanConversation *self,
                                const TincanTarget *target)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));
  g_return_if_fail (target != NULL);

  tincan_connection_bar_set_target (self->connection_bar, target);
}

void
tincan_conversation_set_framing (TincanConversation *self,
                                 TincanFraming      *framing)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));
  g_return_if_fail (framing != NULL);

  tincan_connection_bar_set_framing (self->connection_bar, framing);
}

void
tincan_conversation_set_mode (TincanConversation   *self,
                              TincanConnectionMode  mode)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  tincan_connection_bar_set_mode (self->connection_bar, mode);
}

/* @no_proxy: whether this conversation connects without the system's proxy */
void
tincan_conversation_set_no_proxy (TincanConversation *self,
                                  gboolean            no_proxy)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  tincan_connection_bar_set_no_proxy (self->connection_bar, no_proxy);
}

TincanSession *
tincan_conversation_get_session (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  return self->session;
}

TincanTranscript *
tincan_conversation_get_transcript (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  return self->transcript;
}

/**
 * tincan_conversation_get_peer:
 *
 * Returns: (nullable): the address of the peer while a connection is open
 *   or being made
 */
const char *
tincan_conversation_get_peer (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  return self->peer;
}

void
tincan_conversation_set_view_mode (TincanConversation *self,
                                   TincanViewMode      mode)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  if (tincan_transcript_view_get_view_mode (self->transcript_view) == mode)
    return;

  tincan_transcript_view_set_view_mode (self->transcript_view, mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

/**
 * tincan_conversation_get_transcript_view:
 *
 * Returns: (transfer none): the view of the transcript, for the window's
 *   view settings (compact rows)
 */
TincanTranscriptView *
tincan_conversation_get_transcript_view (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), NULL);

  return self->transcript_view;
}

TincanViewMode
tincan_conversation_get_view_mode (TincanConversation *self)
{
  g_return_val_if_fail (TINCAN_IS_CONVERSATION (self), TINCAN_VIEW_TEXT);

  return tincan_transcript_view_get_view_mode (self->transcript_view);
}

/* GObject */

static void
tincan_conversation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TincanConversation *self = TINCAN_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      g_value_set_enum (value, tincan_conversation_get_view_mode (self));
      break;
    case PROP_PEER:
      g_value_set_string (value, self->peer);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_conversation_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TincanConversation *self = TINCAN_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      tincan_conversation_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_NAME:
      tincan_conversation_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tincan_conversation_dispose (GObject *object)
{
  TincanConversation *self = (TincanConversation *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  /* The session goes first, so nothing arrives for a half-gone conversation. */
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      tincan_connection_bar_set_session (self->connection_bar, NULL);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->echo_server);
  /* Handed over, never waited for: the writer drains and exits on its own,
   * and what it could not write is said at the end of the process. */
  tincan_conversation_set_log (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_CONVERSATION);
  /* dispose_template () only unparents children with an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->transcript);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tincan_conversation_parent_class)->dispose (object);
}

static void
tincan_conversation_finalize (GObject *object)
{
  TincanConversation *self = (TincanConversation *)object;

  g_clear_pointer (&self->peer, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (tincan_conversation_parent_class)->finalize (object);
}

/**
 * tincan_conversation_focus_default:
 *
 * Typed text must go somewhere from the start: into the host field while
 * there is nothing to talk to, into the composer once there is.
 */
void
tincan_conversation_focus_default (TincanConversation *self)
{
  g_return_if_fail (TINCAN_IS_CONVERSATION (self));

  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED &&
      (tincan_connection_bar_get_mode (self->connection_bar) == TINCAN_CONNECTION_PERSISTENT ||
       !tincan_connection_bar_get_ready (self->connection_bar)))
    tincan_connection_bar_focus_host (self->connection_bar);
  else
    tincan_composer_grab_focus (self->composer);
}

static void
tincan_conversation_class_init (TincanConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_conversation_dispose;
  object_class->finalize = tincan_conversation_finalize;
  object_class->get_property = tincan_conversation_get_property;
  object_class->set_property = tincan_conversation_set_property;

  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, TINCAN_TYPE_VIEW_MODE, TINCAN_VIEW_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PEER] =
    g_param_spec_string ("peer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* What the user named it (a saved connection's name), for its tab. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TincanConversation::actions-changed:
   *
   * What tincan_conversation_get_action_enabled () says may have changed.
   */
  signals[ACTIONS_CHANGED] = g_signal_new ("actions-changed",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  /**
   * TincanConversation::settings-changed:
   *
   * What a workspace keeps of this conversation changed: its name or what
   * its form holds.
   */
  signals[SETTINGS_CHANGED] = g_signal_new ("settings-changed",
                                            G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);

  g_type_ensure (TINCAN_TYPE_COMPOSER);
  g_type_ensure (TINCAN_TYPE_SEARCH_BAR);
  g_type_ensure (TINCAN_TYPE_CONNECTION_BAR);
  g_type_ensure (TINCAN_TYPE_STATUS_BAR);
  g_type_ensure (TINCAN_TYPE_TRANSCRIPT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-conversation.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, connection_bar);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, stack);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, transcript_view);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, composer);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, status_bar);
  gtk_widget_class_bind_template_child (widget_class, TincanConversation, search_bar);
  gtk_widget_class_bind_template_callback (widget_class, search_bar_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_bar_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_search);
  gtk_widget_class_bind_template_callback (widget_class, connection_bar_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, transcript_flushed_cb);
  gtk_widget_class_bind_template_callback (widget_class, composer_submit_cb);
  gtk_widget_class_bind_template_callback (widget_class, transcript_resend_cb);
  gtk_widget_class_bind_template_callback (widget_class, transcript_edit_cb);

  gtk_widget_class_install_action (widget_class, "conversation.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "conversation.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "conversation.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "conversation.save", NULL, save_action);
  _tincan_conversation_class_log_init (widget_class);
  gtk_widget_class_install_action (widget_class, "conversation.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "conversation.jump-to-latest", NULL, jump_action);
  gtk_widget_class_install_action (widget_class, "conversation.local-echo", NULL,
                                   local_echo_action);
  gtk_widget_class_install_action (widget_class, "conversation.focus-host", NULL,
                                   focus_host_action);
  gtk_widget_class_install_action (widget_class, "conversation.show-certificate", NULL,
                                   show_certificate_action);
  gtk_widget_class_install_action (widget_class, "conversation.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "conversation.find-next", NULL,
                                   find_next_action);
  gtk_widget_class_install_action (widget_class, "conversation.find-previous", NULL,
                                   find_next_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conversation");
}

static void
tincan_conversation_init (TincanConversation *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  tincan_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conversation.stop-recording", FALSE);
  /* The status page scrolls its content; the button in it takes the focus. */
  gtk_widget_set_focusable (gtk_widget_get_first_child (GTK_WIDGET (self->empty_page)), FALSE);
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  self->settings = g_settings_new (APP_ID);
  self->transcript = tincan_transcript_new (100000);
  g_settings_bind (self->settings, "transcript-limit", self->transcript, "limit",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "transcript-budget", self->transcript, "budget",
                   G_SETTINGS_BIND_GET);
  tincan_transcript_view_set_transcript (self->transcript_view, self->transcript);

  self->session = tincan_session_new ();
  g_signal_connect_object (self->session, "messages",
                           G_CALLBACK (session_messages_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (session_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::peer-address",
                           G_CALLBACK (update_peer), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::peer-closed",
                           G_CALLBACK (_tincan_conversation_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::bytes-queued",
                           G_CALLBACK (_tincan_conversation_update_status), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->connection_bar, "notify::ready",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection_bar, "notify::mode",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection_bar, "changed",
                           G_CALLBACK (settings_changed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->connection_bar, "added-delimiter",
                          self->composer, "framing-delimiter", G_BINDING_SYNC_CREATE);
  tincan_connection_bar_set_session (self->connection_bar, self->session);

  session_state_changed_cb (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
