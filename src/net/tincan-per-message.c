/* tincan-per-message.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Per-message mode: each send connects, writes its frame, collects the
 * reply and closes, one exchange at a time, in the order of the sends. The
 * reply ends with a complete frame (not with raw framing, which cannot tell),
 * with a datagram, when the server closes, or after the response timeout
 * without anything new. Each exchange is a connection of its own: a STATUS
 * row says it was made (with the connect time) and another that it closed. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-session-private.h"

static gboolean response_timeout_cb (gpointer user_data);

static void
clear_response_timer (TincanSession *self)
{
  if (self->exchange.response_timer != NULL)
    {
      g_source_destroy (self->exchange.response_timer);
      g_clear_pointer (&self->exchange.response_timer, g_source_unref);
    }
}

/* Counted from our frame being out, and again from each chunk received;
 * while our frame is being written, from the socket filling up. */
static void
restart_response_timer (TincanSession *self)
{
  clear_response_timer (self);

  self->exchange.response_timer = g_timeout_source_new (MAX (self->response_timeout, 1));
  g_source_set_static_name (self->exchange.response_timer, "[tincan] response timeout");
  g_source_set_callback (self->exchange.response_timer, response_timeout_cb, self, NULL);
  g_source_attach (self->exchange.response_timer, g_main_context_get_thread_default ());
}

void
_tincan_per_message_reset (TincanSession *self)
{
  clear_response_timer (self);
  self->exchange = (TincanExchange) { 0 };
}

/* Raw framing cannot tell where a reply ends (a datagram always can). */
static gboolean
reply_has_no_end (TincanSession *self)
{
  TincanFraming *framing = tincan_connection_get_framing (self->connection);

  return framing != NULL && tincan_framing_get_kind (framing) == TINCAN_FRAMING_RAW;
}

/* The reply is complete (or will not come): close, then the next send. */
static void
finish (TincanSession *self)
{
  if (tincan_connection_is_closing (self->connection))
    return;

  clear_response_timer (self);
  _tincan_session_set_state (self, TINCAN_SESSION_CLOSING);
  tincan_connection_close (self->connection);
}

/* The server closed after our frame was out. Without raw framing, no byte
 * back means there was no reply. */
static void
closed_by_peer (TincanSession *self)
{
  if (self->exchange.reply_bytes == 0 && !reply_has_no_end (self))
    _tincan_session_add_error (self, TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY, NULL);
  finish (self);
}

void
_tincan_per_message_received (TincanSession    *self,
                              TincanFrameFlags  flags)
{
  if (!self->exchange.awaiting_reply)
    return;

  if (tincan_connection_is_datagram (self->connection) ||
      (!reply_has_no_end (self) &&
       (flags == TINCAN_FRAME_COMPLETE || (flags & TINCAN_FRAME_FINAL))))
    {
      self->exchange.reply_done = TRUE;
      finish (self);
    }
}

void
_tincan_per_message_read_done (TincanSession *self)
{
  if (self->exchange.awaiting_reply)
    restart_response_timer (self);
}

void
_tincan_per_message_sent (TincanSession *self)
{
  self->exchange.awaiting_reply = TRUE;
  if (self->exchange.eof)
    {
      closed_by_peer (self);
      return;
    }

  /* Frames that came before ours was out do not count as the reply. */
  restart_response_timer (self);
}

/* A server that stops reading must not hold the exchange, and the sends
 * queued behind it, forever: no progress for the response timeout ends it. */
void
_tincan_per_message_blocked (TincanSession *self)
{
  if (!self->exchange.awaiting_reply)
    restart_response_timer (self);
}

/* Before our frame is out, wait for it: the reply is then complete at once
 * (see _tincan_per_message_sent()). */
void
_tincan_per_message_eof (TincanSession *self)
{
  if (self->exchange.awaiting_reply)
    closed_by_peer (self);
}

void
_tincan_per_message_closed (TincanSession *self)
{
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, self->connection_id);
  /* TRANSLATORS: the connection's number, as in "Connection 4 to ... made in 0.4 ms" */
  g_autofree char *text = g_strdup_printf (_("Connection %s closed"), id);

  _tincan_session_drop_connection (self, NULL, TRUE, 0, text);
  _tincan_per_message_start_next (self);
}

static gboolean
response_timeout_cb (gpointer user_data)
{
  TincanSession *self = user_data;
  TincanErrorContext context = { .msec = self->response_timeout };

  g_clear_pointer (&self->exchange.response_timer, g_source_unref);
  if (self->connection == NULL || tincan_connection_is_closing (self->connection))
    return G_SOURCE_REMOVE;

  _tincan_session_batch_begin (self);

  if (!self->exchange.awaiting_reply)
    {
      /* Our frame is still being written: the server stopped reading. */
      _tincan_session_add_error (self, TINCAN_SESSION_ERROR_SEND_STALLED, &context);
    }
  else if (reply_has_no_end (self))
    {
      /* Silence ends a raw reply, and is no failure. */
      if (self->exchange.reply_bytes == 0)
        {
          g_autofree char *text = NULL;

          text = tincan_session_error_describe (TINCAN_SESSION_ERROR_NO_REPLY, &context);
          _tincan_session_add_status (self, text);
        }
    }
  else
    {
      tincan_connection_finish_decoder (self->connection);
      _tincan_session_add_error (self, TINCAN_SESSION_ERROR_NO_REPLY, &context);
    }

  finish (self);
  _tincan_session_batch_end (self);

  return G_SOURCE_REMOVE;
}

void
_tincan_per_message_start_next (TincanSession *self)
{
  TincanWriteItem *item;

  if (_tincan_session_is_active (self) || self->disposed)
    return;

  item = tincan_write_queue_pop (&self->per_message_queue);
  if (item == NULL)
    return;

  _tincan_session_start_connect (self, TINCAN_CONNECTION_PER_MESSAGE, item->transport,
                                 item->host, item->port, item->framing);
  _tincan_session_send_active (self, item);
}

/* Queues @item (with the target as it is now) behind the sends not started. */
void
_tincan_per_message_send (TincanSession   *self,
                          TincanWriteItem *item)
{
  item->host = g_strdup (self->host);
  item->port = self->port;
  item->transport = self->transport;
  item->framing = tincan_framing_ref (self->framing);
  tincan_write_queue_push (&self->per_message_queue, item);

  _tincan_session_batch_begin (self);
  _tincan_per_message_start_next (self);
  _tincan_session_batch_end (self);
}
