/* tincan-window.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One window is one conversation: a connection bar, the transcript, the
 * composer and a status line, around one TincanSession.
 *
 * Received batches go into the transcript's pending queue; a tick callback
 * makes them visible once per frame, so a flood costs one items-changed per
 * frame, and the list keeps following the newest entry only while the user
 * has not scrolled away from the bottom. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-composer.h"
#include "tincan-echo-server.h"
#include "tincan-message-row.h"
#include "tincan-payload.h"
#include "tincan-render.h"
#include "tincan-transcript.h"
#include "tincan-window-private.h"

struct _TincanWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkDropDown          *view_dropdown;
  GtkWidget            *connection_bar;
  GtkEntry             *host_entry;
  GtkEntry             *port_entry;
  GtkDropDown          *transport_dropdown;
  GtkDropDown          *framing_dropdown;
  GtkMenuButton        *delimiter_button;
  GtkEntry             *delimiter_entry;
  GtkDropDown          *mode_dropdown;
  GtkButton            *connect_button;
  GtkSpinner           *connect_spinner;
  GtkLabel             *connect_label;
  GtkRevealer          *target_error_revealer;
  GtkLabel             *target_error_label;
  GtkStack             *stack;
  GtkScrolledWindow    *scrolled_window;
  GtkListView          *list_view;
  GtkRevealer          *jump_revealer;
  TincanComposer       *composer;
  GtkLabel             *state_label;
  GtkLabel             *peer_label;
  GtkLabel             *counts_label;

  GSettings            *settings;
  TincanSession        *session;
  TincanTranscript     *transcript;
  GtkMultiSelection    *selection;
  TincanLog            *log;
  TincanEchoServer     *echo_server;
  GCancellable         *cancellable;
  GtkAdjustment        *vadjustment;

  TincanViewMode        view_mode;
  guint                 tick_id;
  double                last_value;
  double                last_upper;
  gboolean              following;
  gboolean              scroll_pending;
  char                 *target_error;
};

G_DEFINE_FINAL_TYPE (TincanWindow, tincan_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  const char *name;   /* as tincan_framing_new_from_name () takes it */
  const char *label;
} FramingChoice;

static const FramingChoice framing_choices[] = {
  { "raw", N_("Raw") },
  { "lf", N_("Lines (LF)") },
  { "crlf", N_("Lines (CRLF)") },
  { "nul", N_("NUL-terminated") },
  { "u8", N_("Length: 1 byte") },
  { "u16be", N_("Length: 2 bytes BE") },
  { "u16le", N_("Length: 2 bytes LE") },
  { "u32be", N_("Length: 4 bytes BE") },
  { "u32le", N_("Length: 4 bytes LE") },
  { NULL, N_("Custom Delimiter…") },
};

#define CUSTOM_FRAMING (G_N_ELEMENTS (framing_choices) - 1)

TincanWindow *
tincan_window_new (TincanApplication *application)
{
  return g_object_new (TINCAN_TYPE_WINDOW, "application", application, NULL);
}

static gboolean
is_busy (TincanWindow *self)
{
  TincanSessionState state = tincan_session_get_state (self->session);

  return state == TINCAN_SESSION_RESOLVING ||
         state == TINCAN_SESSION_CONNECTING ||
         state == TINCAN_SESSION_TLS_HANDSHAKE;
}

static TincanConnectionMode
get_mode (TincanWindow *self)
{
  return gtk_drop_down_get_selected (self->mode_dropdown) == 1
         ? TINCAN_CONNECTION_PER_MESSAGE : TINCAN_CONNECTION_PERSISTENT;
}

/* Reads the connection bar. Returns %NULL and shows why when it is not a
 * target one can connect to. */
static TincanFraming *
read_framing (TincanWindow  *self,
              GError       **error)
{
  guint selected = gtk_drop_down_get_selected (self->framing_dropdown);
  const char *text;
  g_autoptr(GBytes) delimiter = NULL;
  TincanPayloadErrorPosition position;
  gsize length;
  const guint8 *data;

  if (selected < CUSTOM_FRAMING)
    return tincan_framing_new_from_name (framing_choices[selected].name, error);

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

static void
show_target_error (TincanWindow *self,
                   GtkWidget    *culprit,
                   const char   *message)
{
  g_free (self->target_error);
  self->target_error = g_strdup (message);

  gtk_label_set_text (self->target_error_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->target_error_revealer, message != NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (self->host_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->port_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->framing_dropdown), "error");
  if (culprit != NULL && message != NULL)
    gtk_widget_add_css_class (culprit, "error");
}

/* Validates the connection bar and configures the session from it. */
static gboolean
apply_target (TincanWindow *self,
              gboolean      quiet)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_entry));
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_entry));
  g_autoptr(TincanFraming) framing = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  if (!tincan_target_check_host (host, &error))
    {
      /* An empty form is not an error worth shouting about while typing. */
      show_target_error (self, GTK_WIDGET (self->host_entry),
                         quiet && host[0] == '\0' ? NULL : error->message);
      return FALSE;
    }
  if (!tincan_target_parse_port (port_text, &port, &error))
    {
      show_target_error (self, GTK_WIDGET (self->port_entry),
                         quiet && port_text[0] == '\0' ? NULL : error->message);
      return FALSE;
    }
  if (!(framing = read_framing (self, &error)))
    {
      show_target_error (self, GTK_WIDGET (self->framing_dropdown), error->message);
      return FALSE;
    }

  show_target_error (self, NULL, NULL);

  /* UDP applies no framing: there the composer's line ending counts. */
  tincan_composer_set_framing_ends_lines (self->composer,
                                          tincan_framing_get_kind (framing) == TINCAN_FRAMING_DELIMITER &&
                                          gtk_drop_down_get_selected (self->transport_dropdown) !=
                                            TINCAN_TRANSPORT_UDP);

  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    {
      tincan_session_set_host (self->session, host);
      tincan_session_set_port (self->session, port);
      tincan_session_set_transport (self->session,
                                    gtk_drop_down_get_selected (self->transport_dropdown));
      tincan_session_set_framing (self->session, framing);
      tincan_session_set_mode (self->session, get_mode (self));
    }

  return TRUE;
}

static void
update_sensitivity (TincanWindow *self)
{
  TincanSessionState state = tincan_session_get_state (self->session);
  gboolean per_message = get_mode (self) == TINCAN_CONNECTION_PER_MESSAGE;
  gboolean idle = state == TINCAN_SESSION_DISCONNECTED;
  gboolean target_ok = self->target_error == NULL &&
                       gtk_editable_get_text (GTK_EDITABLE (self->host_entry))[0] != '\0' &&
                       gtk_editable_get_text (GTK_EDITABLE (self->port_entry))[0] != '\0';
  gboolean can_send;

  /* A per-message session opens a connection for each send, so there is
   * something to send to as soon as the target is valid. */
  if (per_message)
    can_send = target_ok;
  else
    can_send = state == TINCAN_SESSION_CONNECTED || (is_busy (self));

  tincan_composer_set_can_send (self->composer, can_send);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect",
                                 idle ? (!per_message && target_ok) : TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", !idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.local-echo", idle);

  /* While a connection is open its settings cannot change under it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->host_entry), idle || per_message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_entry), idle || per_message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transport_dropdown), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->framing_dropdown), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delimiter_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), idle);
}

static const char *
state_to_string (TincanSessionState state)
{
  switch (state)
    {
    case TINCAN_SESSION_RESOLVING: return _("Resolving…");
    case TINCAN_SESSION_CONNECTING: return _("Connecting…");
    case TINCAN_SESSION_TLS_HANDSHAKE: return _("TLS handshake…");
    case TINCAN_SESSION_CONNECTED: return _("Connected");
    case TINCAN_SESSION_CLOSING: return _("Closing…");
    case TINCAN_SESSION_DISCONNECTED:
    default: return _("Not connected");
    }
}

static void
update_connect_button (TincanWindow *self)
{
  TincanSessionState state = tincan_session_get_state (self->session);
  gboolean busy = is_busy (self);
  const char *label;

  if (busy)
    label = _("_Cancel");
  else if (state == TINCAN_SESSION_DISCONNECTED)
    label = _("_Connect");
  else
    label = _("_Disconnect");

  gtk_label_set_text_with_mnemonic (self->connect_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connect_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  busy ? _("Cancel")
                                       : state == TINCAN_SESSION_DISCONNECTED ? _("Connect")
                                                                              : _("Disconnect"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_spinner), busy);
  gtk_spinner_set_spinning (self->connect_spinner, busy);

  if (state == TINCAN_SESSION_DISCONNECTED)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->connect_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->connect_button), "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->connect_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->connect_button), "destructive-action");
    }
}

static char *
count_text (guint64     messages,
            const char *size)
{
  /* TRANSLATORS: a status bar counter, e.g. "3 messages, 120 bytes" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu message, %s", "%llu messages, %s",
                                       messages),
                          (unsigned long long) messages, size);
}

/* What a server that is not reading leaves in our queue: shown while any
 * waits, so a stalled send is visible before the queue's bound refuses more. */
static char *
sent_count_text (TincanSession *session)
{
  g_autofree char *size = g_format_size (tincan_session_get_bytes_sent (session));
  g_autofree char *counts = count_text (tincan_session_get_messages_sent (session), size);
  g_autofree char *waiting = NULL;
  guint64 queued = tincan_session_get_bytes_queued (session);

  if (queued == 0)
    return g_steal_pointer (&counts);

  waiting = g_format_size (queued);
  /* TRANSLATORS: the sent counter, then bytes not yet taken by the server,
   * e.g. "3 messages, 4.2 MB (60.0 MB waiting)" */
  return g_strdup_printf (_("%s (%s waiting)"), counts, waiting);
}

static void
update_status (TincanWindow *self)
{
  TincanSessionState state = tincan_session_get_state (self->session);
  const char *peer = tincan_session_get_peer_address (self->session);
  g_autofree char *received = g_format_size (tincan_session_get_bytes_received (self->session));
  g_autofree char *counts = NULL;
  g_autofree char *sent_text = NULL;
  g_autofree char *received_text = NULL;
  g_autofree char *peer_text = NULL;
  const char *transport = tincan_session_get_transport (self->session) == TINCAN_TRANSPORT_TLS
                          ? _("TLS") : tincan_session_get_transport (self->session) == TINCAN_TRANSPORT_UDP
                          ? _("UDP, no encryption") : _("TCP, no encryption");

  if (state == TINCAN_SESSION_CONNECTED && tincan_session_get_peer_closed (self->session))
    gtk_label_set_text (self->state_label, _("Connected (server finished sending)"));
  else
    gtk_label_set_text (self->state_label, state_to_string (state));

  if (peer != NULL && state != TINCAN_SESSION_DISCONNECTED)
    peer_text = g_strdup_printf ("%s · %s", peer, transport);
  gtk_label_set_text (self->peer_label, peer_text ? peer_text : "");

  counts = g_strdup_printf ("↑ %s   ↓ %s",
                            sent_text = sent_count_text (self->session),
                            received_text = count_text (tincan_session_get_messages_received (self->session),
                                                        received));
  gtk_label_set_text (self->counts_label, counts);

  adw_window_title_set_subtitle (self->window_title,
                                 state == TINCAN_SESSION_DISCONNECTED || peer == NULL ? "" : peer);
}

static void
session_state_changed_cb (TincanWindow *self)
{
  update_connect_button (self);
  update_sensitivity (self);
  update_status (self);
}

static void
session_bytes_queued_changed_cb (TincanWindow *self)
{
  update_status (self);
}

/* Scrolling */

static gboolean
at_bottom (TincanWindow *self)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = gtk_adjustment_get_page_size (self->vadjustment);
  double upper = gtk_adjustment_get_upper (self->vadjustment);

  return value + page >= upper - 4.0;
}

static void
set_following (TincanWindow *self,
               gboolean      following)
{
  self->following = following;
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);
}

static void
scroll_to_end (TincanWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->transcript));

  if (n == 0)
    return;

  /* GTK 4.8 has no gtk_list_view_scroll_to (); the list's own action brings
   * the row into view, and the adjustment is pinned to the end on the next
   * tick once the row heights are known. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
  gtk_adjustment_set_value (self->vadjustment,
                            gtk_adjustment_get_upper (self->vadjustment) -
                            gtk_adjustment_get_page_size (self->vadjustment));
}

static void
vadjustment_value_changed_cb (TincanWindow  *self,
                              GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (at_bottom (self))
    set_following (self, TRUE);
  else if (value < self->last_value && upper == self->last_upper)
    set_following (self, FALSE);  /* the user scrolled up */

  self->last_value = value;
  self->last_upper = upper;
}

static void
vadjustment_changed_cb (TincanWindow  *self,
                        GtkAdjustment *adjustment)
{
  self->last_upper = gtk_adjustment_get_upper (adjustment);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  gboolean changed = tincan_transcript_flush (self->transcript);

  if (changed)
    {
      update_status (self);
      gtk_stack_set_visible_child_name (self->stack, "transcript");
    }

  /* Scroll once per flush, then check on the next frames, once the rows
   * have their real heights, that the view really is at the end: a second
   * jump rebinds every row, so it is only made when needed. */
  if (self->following && changed)
    {
      scroll_to_end (self);
      self->scroll_pending = TRUE;
    }
  else if (self->following && self->scroll_pending)
    {
      if (at_bottom (self))
        self->scroll_pending = FALSE;
      else
        scroll_to_end (self);
    }
  else
    {
      self->scroll_pending = FALSE;
    }

  if (!changed && !self->scroll_pending)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
schedule_flush (TincanWindow *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
session_messages_cb (TincanWindow *self,
                     GPtrArray    *messages)
{
  for (guint i = 0; i < messages->len; i++)
    tincan_transcript_push (self->transcript, g_ptr_array_index (messages, i));

  if (self->log != NULL)
    tincan_log_write (self->log, (TincanMessage **) messages->pdata, messages->len);

  schedule_flush (self);
}

/* Rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              TincanWindow             *self)
{
  gtk_list_item_set_child (item, tincan_message_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             TincanWindow             *self)
{
  tincan_message_row_bind (TINCAN_MESSAGE_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item),
                           self->view_mode);
}

static void
rebind_rows (TincanWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  /* A new factory makes the list view rebuild only the rows it shows. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
}

static void
view_changed_cb (TincanWindow *self)
{
  TincanViewMode mode = gtk_drop_down_get_selected (self->view_dropdown);

  /* Template widgets emit while the template is built: nothing to do yet. */
  if (self->session == NULL)
    return;

  if (mode == self->view_mode && gtk_list_view_get_factory (self->list_view) != NULL)
    return;

  self->view_mode = mode;
  g_settings_set_string (self->settings, "view-mode", tincan_view_mode_to_string (mode));
  rebind_rows (self);
}

/* Connection bar */

static void
target_changed_cb (TincanWindow *self)
{
  /* Template widgets emit while the template is built: nothing to do yet. */
  if (self->session == NULL)
    return;

  apply_target (self, TRUE);
  update_sensitivity (self);
}

static void
tls_response_cb (TincanWindow     *self,
                 const char       *response,
                 AdwMessageDialog *dialog)
{
  const TincanTlsProblem *problem = tincan_session_get_tls_problem (self->session);

  if (g_strcmp0 (response, "connect") != 0 || problem == NULL)
    return;

  /* Trust exactly this certificate, for this session only. */
  tincan_session_pin_certificate (self->session, problem->fingerprint);
  tincan_window_connect (self);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = date != NULL ? g_date_time_to_local (date) : NULL;

  /* An unambiguous date: certificates are read by people all over the world. */
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (_("unknown"));
}

static void
show_tls_problem (TincanWindow *self)
{
  const TincanTlsProblem *problem = tincan_session_get_tls_problem (self->session);
  g_autofree char *why = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (problem == NULL)
    return;

  why = tincan_tls_problem_describe (problem);
  from = format_date (problem->not_before);
  until = format_date (problem->not_after);
  body = g_strdup_printf (_("%s\n\n"
                            "Subject: %s\n"
                            "Issuer: %s\n"
                            "Valid from %s until %s\n"
                            "SHA-256: %s\n\n"
                            "Connect anyway only if you know this is the certificate the server "
                            "should present. It is trusted for this window’s session only."),
                          why,
                          problem->subject ? problem->subject : _("unknown"),
                          problem->issuer ? problem->issuer : _("unknown"),
                          from, until, problem->fingerprint);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Untrusted Certificate"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "connect", _("Connect _Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (tls_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The connect callback holds the window weakly: a pending connect must not
 * keep a closed window alive (its dispose cancels the connect). */
static void
connect_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(TincanWindow) self = g_weak_ref_get (weak);
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
    show_tls_problem (self);
}

/**
 * tincan_window_connect:
 *
 * Connects to the target in the connection bar, as the Connect button does.
 */
void
tincan_window_connect (TincanWindow *self)
{
  GWeakRef *weak;

  g_return_if_fail (TINCAN_IS_WINDOW (self));

  if (tincan_session_get_state (self->session) != TINCAN_SESSION_DISCONNECTED)
    return;
  if (!apply_target (self, FALSE))
    return;

  g_settings_set_string (self->settings, "last-host",
                         gtk_editable_get_text (GTK_EDITABLE (self->host_entry)));
  g_settings_set_int (self->settings, "last-port", tincan_session_get_port (self->session));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  tincan_session_connect_async (self->session, self->cancellable, connect_ready_cb, weak);
}

static void
target_activate_cb (TincanWindow *self)
{
  if (get_mode (self) == TINCAN_CONNECTION_PERSISTENT)
    tincan_window_connect (self);
  else if (apply_target (self, FALSE))
    tincan_composer_grab_focus (self->composer);
}

static void
rebuild_framing_model (TincanWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (framing_choices); i++)
    gtk_string_list_append (list, _(framing_choices[i].label));
  gtk_drop_down_set_model (self->framing_dropdown, G_LIST_MODEL (list));
}

static void
framing_changed_cb (TincanWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->framing_dropdown);
  g_autoptr(TincanFraming) framing = NULL;

  /* Template widgets emit while the template is built: nothing to do yet. */
  if (self->session == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->delimiter_button), selected == CUSTOM_FRAMING);
  if (selected < CUSTOM_FRAMING)
    g_settings_set_string (self->settings, "last-framing", framing_choices[selected].name);
  else if ((framing = read_framing (self, NULL)))
    {
      g_autofree char *name = tincan_framing_dup_name (framing);
      g_settings_set_string (self->settings, "last-framing", name);
    }

  target_changed_cb (self);
}

static void
transport_changed_cb (TincanWindow *self)
{
  static const char *names[] = { "tcp", "tls", "udp" };
  guint selected = gtk_drop_down_get_selected (self->transport_dropdown);

  /* Template widgets emit while the template is built: nothing to do yet. */
  if (self->session == NULL)
    return;

  if (selected < G_N_ELEMENTS (names))
    g_settings_set_string (self->settings, "last-transport", names[selected]);

  /* A datagram is its own frame: framing does not apply to UDP. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->framing_dropdown),
                               selected == TINCAN_TRANSPORT_UDP
                               ? _("UDP: each datagram is one message; framing is not applied")
                               : _("How the byte stream is cut into messages"));
  target_changed_cb (self);
}

static void
mode_changed_cb (TincanWindow *self)
{
  if (self->session == NULL)
    return;

  g_settings_set_string (self->settings, "last-mode",
                         get_mode (self) == TINCAN_CONNECTION_PER_MESSAGE ? "per-message"
                                                                          : "persistent");
  target_changed_cb (self);
}

/* Composer */

static gboolean
composer_submit_cb (TincanWindow   *self,
                    GBytes         *payload,
                    TincanComposer *composer)
{
  g_autoptr(GError) error = NULL;

  if (get_mode (self) == TINCAN_CONNECTION_PER_MESSAGE && !apply_target (self, FALSE))
    return FALSE;

  if (!tincan_session_send (self->session, payload, &error))
    {
      tincan_composer_show_error (composer, error->message);
      return FALSE;
    }

  return TRUE;
}

/* Actions */

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);

  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    tincan_window_connect (self);
  else
    tincan_session_disconnect (self->session);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  tincan_session_disconnect (self->session);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);

  tincan_transcript_clear (self->transcript);
  if (tincan_session_get_state (self->session) == TINCAN_SESSION_DISCONNECTED)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  set_following (self, TRUE);
}

static void
jump_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);

  set_following (self, TRUE);
  scroll_to_end (self);
  schedule_flush (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GString *text = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      TincanMessage *message = tincan_transcript_get_message (self->transcript, position);
      g_autofree char *time = NULL;
      g_autofree char *body = NULL;

      if (message == NULL)
        continue;

      time = tincan_render_time (message);
      body = tincan_render_message (message, self->view_mode, FALSE);
      g_string_append_printf (text, "%s %s %s\n", time,
                              tincan_message_get_direction (message) == TINCAN_DIRECTION_SENT ? "→" :
                              tincan_message_get_direction (message) == TINCAN_DIRECTION_RECEIVED ? "←" : "·",
                              body);
    }

  if (text->len > 0)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  g_string_free (text, TRUE);
}

static void
local_echo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TincanWindow *self = TINCAN_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!tincan_window_start_local_echo (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/**
 * tincan_window_start_local_echo:
 *
 * Starts the built-in echo server on a free loopback port, fills in the
 * connection bar and connects to it, so a first run works with nothing else.
 */
gboolean
tincan_window_start_local_echo (TincanWindow  *self,
                                GError       **error)
{
  g_autofree char *port = NULL;

  g_return_val_if_fail (TINCAN_IS_WINDOW (self), FALSE);

  if (self->echo_server == NULL)
    {
      g_autoptr(TincanEchoServer) server = tincan_echo_server_new (TINCAN_TRANSPORT_TCP);

      if (!tincan_echo_server_start (server, "127.0.0.1", 0, error))
        return FALSE;
      self->echo_server = g_steal_pointer (&server);
    }

  port = g_strdup_printf ("%u", tincan_echo_server_get_port (self->echo_server));
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), "127.0.0.1");
  gtk_editable_set_text (GTK_EDITABLE (self->port_entry), port);
  gtk_drop_down_set_selected (self->transport_dropdown, TINCAN_TRANSPORT_TCP);
  tincan_window_connect (self);
  gtk_stack_set_visible_child_name (self->stack, "transcript");

  return TRUE;
}

void
tincan_window_set_target (TincanWindow       *self,
                          const TincanTarget *target)
{
  g_autofree char *port = NULL;

  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (target != NULL);

  port = g_strdup_printf ("%u", target->port);
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), target->host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_entry), port);
  gtk_drop_down_set_selected (self->transport_dropdown, target->transport);
}

static gboolean
select_framing_by_name (TincanWindow *self,
                        const char   *name)
{
  for (guint i = 0; i < CUSTOM_FRAMING; i++)
    {
      if (g_strcmp0 (framing_choices[i].name, name) == 0)
        {
          gtk_drop_down_set_selected (self->framing_dropdown, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
tincan_window_set_framing (TincanWindow  *self,
                           TincanFraming *framing)
{
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  const guint8 *delimiter;
  gsize length;

  g_return_if_fail (TINCAN_IS_WINDOW (self));
  g_return_if_fail (framing != NULL);

  name = tincan_framing_dup_name (framing);
  if (select_framing_by_name (self, name))
    return;

  /* Anything else is shown as a custom delimiter when it is one. */
  delimiter = tincan_framing_get_delimiter (framing, &length);
  if (delimiter == NULL)
    return;
  escaped = tincan_payload_render_text (delimiter, length);
  gtk_editable_set_text (GTK_EDITABLE (self->delimiter_entry), escaped);
  gtk_drop_down_set_selected (self->framing_dropdown, CUSTOM_FRAMING);
}

void
tincan_window_set_mode (TincanWindow         *self,
                        TincanConnectionMode  mode)
{
  g_return_if_fail (TINCAN_IS_WINDOW (self));

  gtk_drop_down_set_selected (self->mode_dropdown, mode == TINCAN_CONNECTION_PER_MESSAGE);
}

/**
 * tincan_window_set_log:
 * @log: (nullable): where every transcript entry is appended as JSON Lines
 */
void
tincan_window_set_log (TincanWindow *self,
                       TincanLog    *log)
{
  g_return_if_fail (TINCAN_IS_WINDOW (self));

  g_set_object (&self->log, log);
}

/* Lifecycle */

static void
restore_settings (TincanWindow *self)
{
  g_autofree char *host = g_settings_get_string (self->settings, "last-host");
  g_autofree char *transport = g_settings_get_string (self->settings, "last-transport");
  g_autofree char *framing = g_settings_get_string (self->settings, "last-framing");
  g_autofree char *mode = g_settings_get_string (self->settings, "last-mode");
  g_autofree char *view = g_settings_get_string (self->settings, "view-mode");
  int port = g_settings_get_int (self->settings, "last-port");
  TincanViewMode view_mode = TINCAN_VIEW_TEXT;

  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host);
  if (port > 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", port);
      gtk_editable_set_text (GTK_EDITABLE (self->port_entry), text);
    }
  gtk_drop_down_set_selected (self->transport_dropdown,
                              g_str_equal (transport, "tls") ? TINCAN_TRANSPORT_TLS :
                              g_str_equal (transport, "udp") ? TINCAN_TRANSPORT_UDP :
                              TINCAN_TRANSPORT_TCP);
  if (!select_framing_by_name (self, framing))
    {
      g_autoptr(TincanFraming) custom = tincan_framing_new_from_name (framing, NULL);
      if (custom != NULL)
        tincan_window_set_framing (self, custom);
    }
  tincan_window_set_mode (self, g_str_equal (mode, "per-message")
                                ? TINCAN_CONNECTION_PER_MESSAGE : TINCAN_CONNECTION_PERSISTENT);
  tincan_view_mode_from_string (view, &view_mode);
  gtk_drop_down_set_selected (self->view_dropdown, view_mode);
  tincan_transcript_set_limit (self->transcript,
                               g_settings_get_uint (self->settings, "transcript-limit"));
}

static void
tincan_window_dispose (GObject *object)
{
  TincanWindow *self = (TincanWindow *)object;

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  /* The session goes first, so nothing arrives for a half-gone window. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->echo_server);
  if (self->log != NULL)
    tincan_log_close (self->log, NULL);
  g_clear_object (&self->log);

  gtk_widget_dispose_template (GTK_WIDGET (self), TINCAN_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->transcript);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tincan_window_parent_class)->dispose (object);
}

static void
tincan_window_finalize (GObject *object)
{
  TincanWindow *self = (TincanWindow *)object;

  g_clear_pointer (&self->target_error, g_free);

  G_OBJECT_CLASS (tincan_window_parent_class)->finalize (object);
}

static void
tincan_window_class_init (TincanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_window_dispose;
  object_class->finalize = tincan_window_finalize;

  g_type_ensure (TINCAN_TYPE_COMPOSER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, connection_bar);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, host_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, port_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, transport_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, framing_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, delimiter_button);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, delimiter_entry);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, connect_label);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, target_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, target_error_label);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, peer_label);
  gtk_widget_class_bind_template_child (widget_class, TincanWindow, counts_label);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, target_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, target_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, transport_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, framing_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "win.jump-to-latest", NULL, jump_action);
  gtk_widget_class_install_action (widget_class, "win.local-echo", NULL, local_echo_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK,
                                       "win.jump-to-latest", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.connect", NULL);
}

static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     TincanWindow          *self)
{
  if ((keyval == GDK_KEY_c || keyval == GDK_KEY_C) && (state & GDK_CONTROL_MASK))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.copy", NULL);
      return TRUE;
    }
  return FALSE;
}

static void
tincan_window_init (TincanWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Before the session exists, so its notify does not overwrite the setting. */
  rebuild_framing_model (self);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->following = TRUE;
  self->transcript = tincan_transcript_new (100000);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->transcript)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (self->vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);

  self->session = tincan_session_new ();
  g_signal_connect_object (self->session, "messages",
                           G_CALLBACK (session_messages_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (session_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::peer-closed",
                           G_CALLBACK (session_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::bytes-queued",
                           G_CALLBACK (session_bytes_queued_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "submit",
                           G_CALLBACK (composer_submit_cb), self, G_CONNECT_SWAPPED);

  restore_settings (self);
  view_changed_cb (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  session_state_changed_cb (self);
  target_changed_cb (self);
}

/* For tests */

TincanTranscript *
_tincan_window_get_transcript (TincanWindow *self)
{
  return self->transcript;
}

TincanSession *
_tincan_window_get_session (TincanWindow *self)
{
  return self->session;
}

TincanComposer *
_tincan_window_get_composer (TincanWindow *self)
{
  return self->composer;
}

GtkListView *
_tincan_window_get_list_view (TincanWindow *self)
{
  return self->list_view;
}

gboolean
_tincan_window_get_following (TincanWindow *self)
{
  return self->following;
}

gboolean
_tincan_window_jump_visible (TincanWindow *self)
{
  return gtk_revealer_get_reveal_child (self->jump_revealer);
}

const char *
_tincan_window_get_target_error (TincanWindow *self)
{
  return self->target_error;
}

const char *
_tincan_window_get_counts_text (TincanWindow *self)
{
  return gtk_label_get_text (self->counts_label);
}
