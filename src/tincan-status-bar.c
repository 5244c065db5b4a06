/* tincan-status-bar.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One line under the composer: the session's state, the peer and how it is
 * reached, and what went each way. The counters change with every batch, so
 * the conversation updates the bar when the state changes and otherwise
 * once per painted frame, not once per batch. */

#include "config.h"

#include <glib/gi18n.h>

#include "tincan-format.h"
#include "tincan-reflow-box.h"
#include "tincan-status-bar.h"

struct _TincanStatusBar
{
  GtkWidget      parent_instance;

  GtkLabel      *state_label;
  GtkLabel      *peer_label;
  GtkLabel      *counts_label;
  GtkLabel      *log_label;
  GtkLabel      *filter_label;
  GtkWidget     *certificate_button;
  GtkWidget     *recording_box;
  GtkLabel      *recording_label;

  GFile         *recording;      /* the file being recorded to, if any */
  GCancellable  *size_cancellable;
  guint          size_id;
};

G_DEFINE_FINAL_TYPE (TincanStatusBar, tincan_status_bar, GTK_TYPE_WIDGET)

/* The labels a person reads for each state. */
static const char *state_labels[] = {
  [TINCAN_SESSION_DISCONNECTED] = N_("Not connected"),
  [TINCAN_SESSION_RESOLVING] = N_("Resolving…"),
  [TINCAN_SESSION_CONNECTING] = N_("Connecting…"),
  [TINCAN_SESSION_TLS_HANDSHAKE] = N_("TLS handshake…"),
  [TINCAN_SESSION_CONNECTED] = N_("Connected"),
  [TINCAN_SESSION_CLOSING] = N_("Closing…"),
};

/* How the peer is reached, said plainly where there is no encryption. */
static const char *transport_labels[] = {
  [TINCAN_TRANSPORT_TCP] = N_("TCP, no encryption"),
  [TINCAN_TRANSPORT_TLS] = N_("TLS"),
  [TINCAN_TRANSPORT_UDP] = N_("UDP, no encryption"),
};

static char *
count_text (guint64     messages,
            const char *size)
{
  g_autofree char *count = tincan_format_count (messages);

  /* TRANSLATORS: a status bar counter, e.g. "3 messages, 120 bytes"; the
   * first %s is the number of messages, grouped as the locale groups digits */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message, %s", "%s messages, %s",
                                       messages),
                          count, size);
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

static char *
received_count_text (TincanSession *session)
{
  g_autofree char *size = g_format_size (tincan_session_get_bytes_received (session));

  return count_text (tincan_session_get_messages_received (session), size);
}

/* "127.0.0.1:7 · TCP, no encryption", and the proxy when there is one in
 * the way: the peer is then the host asked for, never the proxy. */
static char *
peer_text_new (TincanSession *session,
               const char    *peer)
{
  const char *transport = _(transport_labels[tincan_session_get_transport (session)]);
  const char *proxy = tincan_session_get_proxy (session);

  if (proxy == NULL)
    return g_strdup_printf ("%s · %s", peer, transport);

  /* TRANSLATORS: the peer, how it is reached, the proxy, e.g.
   * "127.0.0.1:7 · TCP, no encryption · through the HTTP proxy 127.0.0.1:3128" */
  return g_strdup_printf (_("%s · %s · through the %s"), peer, transport, proxy);
}

/**
 * tincan_status_bar_update:
 * @session: the session to show
 *
 * Shows @session's state and counters as they are now.
 */
void
tincan_status_bar_update (TincanStatusBar *self,
                          TincanSession   *session)
{
  TincanSessionState state;
  const char *peer;
  g_autofree char *peer_text = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  g_autofree char *counts = NULL;

  g_return_if_fail (TINCAN_IS_STATUS_BAR (self));
  g_return_if_fail (TINCAN_IS_SESSION (session));

  state = tincan_session_get_state (session);
  peer = tincan_session_get_peer_address (session);

  if (state == TINCAN_SESSION_CONNECTED && tincan_session_get_peer_closed (session))
    gtk_label_set_text (self->state_label, _("Connected (server finished sending)"));
  else
    gtk_label_set_text (self->state_label, _(state_labels[state]));

  if (peer != NULL && state != TINCAN_SESSION_DISCONNECTED)
    peer_text = peer_text_new (session, peer);
  gtk_label_set_text (self->peer_label, peer_text ? peer_text : "");
  /* Selectable, so focusable: an empty one would be a nameless stop. */
  gtk_widget_set_visible (GTK_WIDGET (self->peer_label), peer_text != NULL && peer_text[0] != '\0');

  sent = sent_count_text (session);
  received = received_count_text (session);
  counts = g_strdup_printf ("↑ %s   ↓ %s", sent, received);
  gtk_label_set_text (self->counts_label, counts);
}

/**
 * tincan_status_bar_set_log_mark:
 * @text: (nullable): what is wrong with the traffic log, or %NULL when
 *   nothing is
 */
void
tincan_status_bar_set_log_mark (TincanStatusBar *self,
                                const char      *text)
{
  g_return_if_fail (TINCAN_IS_STATUS_BAR (self));

  gtk_label_set_text (self->log_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->log_label), text != NULL);
}

/**
 * tincan_status_bar_set_filter_counts:
 * @filtered: whether the transcript shows only what a search found
 * @shown: how many entries it shows
 * @total: how many it has
 *
 * "Showing 480 of 1,000,000" while the transcript is filtered.
 */
void
tincan_status_bar_set_filter_counts (TincanStatusBar *self,
                                     gboolean         filtered,
                                     guint64          shown,
                                     guint64          total)
{
  g_autofree char *shown_text = tincan_format_count (shown);
  g_autofree char *total_text = tincan_format_count (total);
  g_autofree char *text = NULL;

  g_return_if_fail (TINCAN_IS_STATUS_BAR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->filter_label), filtered);
  if (!filtered)
    return;
  /* TRANSLATORS: the transcript shows only what a search found:
   * "Showing 480 of 1,000,000" (entries). */
  text = g_strdup_printf (_("Showing %s of %s"), shown_text, total_text);
  gtk_label_set_text (self->filter_label, text);
}

/**
 * tincan_status_bar_get_filter_text:
 *
 * Returns: (nullable): the "Showing N of M" shown, if any
 */
const char *
tincan_status_bar_get_filter_text (TincanStatusBar *self)
{
  g_return_val_if_fail (TINCAN_IS_STATUS_BAR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->filter_label)))
    return NULL;
  return gtk_label_get_text (self->filter_label);
}

/**
 * tincan_status_bar_get_log_mark:
 *
 * Returns: (nullable): the log mark shown, if any
 */
const char *
tincan_status_bar_get_log_mark (TincanStatusBar *self)
{
  g_return_val_if_fail (TINCAN_IS_STATUS_BAR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->log_label)))
    return NULL;
  return gtk_label_get_text (self->log_label);
}

/**
 * tincan_status_bar_set_certificate_warning:
 * @shown: whether the connection open now has a certificate that was
 *   accepted although it could not be verified
 *
 * The warning is a button that runs "conversation.show-certificate".
 */
void
tincan_status_bar_set_certificate_warning (TincanStatusBar *self,
                                           gboolean         shown)
{
  g_return_if_fail (TINCAN_IS_STATUS_BAR (self));

  gtk_widget_set_visible (self->certificate_button, shown);
}

gboolean
tincan_status_bar_get_certificate_warning (TincanStatusBar *self)
{
  g_return_val_if_fail (TINCAN_IS_STATUS_BAR (self), FALSE);

  return gtk_widget_get_visible (self->certificate_button);
}

/* Recording */

/* The file's size is what a person expects to see grow ("12 MB"); it is
 * read off the file, asynchronously, once a second. */
#define RECORDING_REFRESH_SECONDS 1

static void
show_recording (TincanStatusBar *self,
                guint64          size)
{
  g_autofree char *name = g_file_get_basename (self->recording);
  g_autofree char *shown = g_filename_display_name (name);
  g_autofree char *bytes = g_format_size (size);
  g_autofree char *text = NULL;

  /* TRANSLATORS: the status bar while recording: "Recording to flood.jsonl, 12 MB" */
  text = g_strdup_printf (_("Recording to %s, %s"), shown, bytes);
  gtk_label_set_text (self->recording_label, text);
  /* Narrow, the label is shortened in the middle. */
  gtk_widget_set_tooltip_text (self->recording_box, text);
}

static void
size_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  TincanStatusBar *self = user_data;

  /* Cancelled when the bar goes or the recording changes: self may be gone. */
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return;
  show_recording (self, g_file_info_get_size (info));
}

static gboolean
refresh_size_cb (gpointer user_data)
{
  TincanStatusBar *self = user_data;

  g_file_query_info_async (self->recording, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT_IDLE,
                           self->size_cancellable, size_cb, self);
  return G_SOURCE_CONTINUE;
}

static void
stop_refreshing (TincanStatusBar *self)
{
  g_clear_handle_id (&self->size_id, g_source_remove);
  g_cancellable_cancel (self->size_cancellable);
  g_clear_object (&self->size_cancellable);
}

/**
 * tincan_status_bar_set_recording:
 * @file: (nullable): the file the traffic is recorded to, or %NULL
 *
 * Shows "Recording to NAME, SIZE" with a Stop button (which runs
 * "conversation.stop-recording") while @file is set.
 */
void
tincan_status_bar_set_recording (TincanStatusBar *self,
                                 GFile           *file)
{
  g_return_if_fail (TINCAN_IS_STATUS_BAR (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->recording == file ||
      (self->recording != NULL && file != NULL && g_file_equal (self->recording, file)))
    return;

  stop_refreshing (self);
  g_set_object (&self->recording, file);
  gtk_widget_set_visible (self->recording_box, file != NULL);
  if (file == NULL)
    return;

  show_recording (self, 0);
  self->size_cancellable = g_cancellable_new ();
  self->size_id = g_timeout_add_seconds (RECORDING_REFRESH_SECONDS, refresh_size_cb, self);
  refresh_size_cb (self);
}

/**
 * tincan_status_bar_get_recording_text:
 *
 * Returns: (nullable): "Recording to NAME, SIZE" while recording
 */
const char *
tincan_status_bar_get_recording_text (TincanStatusBar *self)
{
  g_return_val_if_fail (TINCAN_IS_STATUS_BAR (self), NULL);

  return self->recording != NULL ? gtk_label_get_text (self->recording_label) : NULL;
}

static void
tincan_status_bar_dispose (GObject *object)
{
  TincanStatusBar *self = TINCAN_STATUS_BAR (object);
  GtkWidget *child;

  stop_refreshing (self);
  g_clear_object (&self->recording);
  gtk_widget_dispose_template (GTK_WIDGET (object), TINCAN_TYPE_STATUS_BAR);
  /* dispose_template () only unparents children with an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tincan_status_bar_parent_class)->dispose (object);
}

static void
tincan_status_bar_class_init (TincanStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tincan_status_bar_dispose;

  g_type_ensure (TINCAN_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tincan-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, state_label);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, peer_label);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, counts_label);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, log_label);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, filter_label);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, certificate_button);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, recording_box);
  gtk_widget_class_bind_template_child (widget_class, TincanStatusBar, recording_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
tincan_status_bar_init (TincanStatusBar *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
}
