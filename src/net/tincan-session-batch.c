/* tincan-session-batch.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* TincanSession's batching: entries are collected in self->pending and go
 * out in one "messages" signal at the end of the outermost batch, with the
 * property notifications (frozen meanwhile, so a counter is notified at most
 * once per batch) and then the completion of a connect GTask. Every entry
 * point, public call or callback, is one batch. */

#include "config.h"

#include "tincan-address.h"
#include "tincan-session-private.h"

#define properties _tincan_session_properties
#define signals    _tincan_session_signals

/* SENT entries of a frame that send() could write at once go out with the
 * next batch (usually the reply's), or after this long. */
#define EARLY_FLUSH_DELAY_US 1000

typedef struct
{
  GTask  *task;
  GError *error;   /* NULL: success */
} TaskReturn;

/* Batching and notification */

void
_tincan_session_batch_begin (TincanSession *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  self->depth++;
}

guint64
_tincan_session_bytes_queued (TincanSession *self)
{
  guint64 size = tincan_write_queue_unwritten (&self->per_message_queue) +
                 tincan_write_queue_unwritten (&self->waiting);

  if (self->connection != NULL)
    size += tincan_connection_get_bytes_unwritten (self->connection);
  return size;
}

void
_tincan_session_notify_bytes_queued (TincanSession *self)
{
  guint64 size = _tincan_session_bytes_queued (self);

  if (size != self->queued_told)
    {
      self->queued_told = size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_QUEUED]);
    }
}

static void
notify_counters (TincanSession *self)
{
  if (self->dirty & TINCAN_SESSION_DIRTY_BYTES_SENT)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  if (self->dirty & TINCAN_SESSION_DIRTY_BYTES_RECEIVED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
  if (self->dirty & TINCAN_SESSION_DIRTY_MESSAGES_SENT)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_SENT]);
  if (self->dirty & TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_RECEIVED]);
  self->dirty = 0;
  _tincan_session_notify_bytes_queued (self);
}

/* Connect callbacks last, when the entries and the state are out. */
static void
return_tasks (TincanSession *self)
{
  TaskReturn *ret;

  while ((ret = g_queue_pop_head (&self->task_returns)) != NULL)
    {
      if (ret->error != NULL)
        g_task_return_error (ret->task, ret->error);
      else
        g_task_return_boolean (ret->task, TRUE);
      g_object_unref (ret->task);
      g_free (ret);
    }
}

void
_tincan_session_batch_end (TincanSession *self)
{
  g_assert (self->depth > 0);

  if (--self->depth == 0 && !self->emitting)
    {
      self->emitting = TRUE;

      /* A handler may add entries (by calling disconnect(), say): they go
       * out in a following batch, never inside the current one. */
      while (self->pending->len > 0 && !self->disposed)
        {
          g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);

          self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
          g_signal_emit (self, signals[SIGNAL_MESSAGES], 0, batch);
        }
      self->early_since = 0;
      notify_counters (self);

      self->emitting = FALSE;
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (self->depth == 0)
    return_tasks (self);

  g_object_unref (self);
}

/* Takes @message, which nobody else has seen, and stamps it with the
 * active connection (none between connections). */
void
_tincan_session_add_message (TincanSession *self,
                             TincanMessage *message)
{
  _tincan_session_add_reply (self, message, -1);
}

/* The same, for a RECEIVED entry with its round-trip time (-1: none). */
void
_tincan_session_add_reply (TincanSession *self,
                           TincanMessage *message,
                           gint64         rtt)
{
  _tincan_message_set_exchange (message, self->connection_id, rtt);
  g_ptr_array_add (self->pending, message);
}

void
_tincan_session_add_status (TincanSession *self,
                            const char    *text)
{
  _tincan_session_add_message (self, tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, text));
}

void
_tincan_session_add_error (TincanSession            *self,
                           TincanSessionError        code,
                           const TincanErrorContext *context)
{
  g_autoptr(GError) error = tincan_session_error_new (code, context);

  _tincan_session_add_message (self, tincan_message_new_error (error));
}

/* Sends that a disconnect or a failure dropped. */
void
_tincan_session_add_unsent (TincanSession *self,
                            guint          unsent)
{
  TincanErrorContext context = { .count = unsent };

  _tincan_session_add_error (self, TINCAN_SESSION_ERROR_UNSENT, &context);
}

/* Takes @task and @error (NULL: success). */
void
_tincan_session_queue_task_return (TincanSession *self,
                                   GTask         *task,
                                   GError        *error)
{
  TaskReturn *ret = g_new0 (TaskReturn, 1);

  ret->task = task;
  ret->error = error;
  g_queue_push_tail (&self->task_returns, ret);
}

void
_tincan_session_set_state (TincanSession      *self,
                           TincanSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* @address: (nullable): NULL clears the peer address. */
void
_tincan_session_set_peer_address (TincanSession      *self,
                                  GInetSocketAddress *address)
{
  g_autofree char *peer = NULL;

  if (address != NULL)
    peer = tincan_format_socket_address (address);
  _tincan_session_set_peer_text (self, peer);
}

/* @peer: (nullable): "127.0.0.1:7", "[::1]:7", "example.org:7" */
void
_tincan_session_set_peer_text (TincanSession *self,
                               const char    *peer)
{
  if (g_strcmp0 (self->peer_address, peer) == 0)
    return;

  g_free (self->peer_address);
  self->peer_address = g_strdup (peer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_ADDRESS]);
}

void
_tincan_session_set_proxy (TincanSession *self,
                           const char    *proxy)
{
  if (g_strcmp0 (self->proxy, proxy) == 0)
    return;

  g_free (self->proxy);
  self->proxy = g_strdup (proxy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROXY]);
}

void
_tincan_session_set_peer_closed (TincanSession *self,
                                 gboolean       peer_closed)
{
  if (self->peer_closed == peer_closed)
    return;

  self->peer_closed = peer_closed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_CLOSED]);
}

/* @now: TRUE for now, FALSE for not connected. */
void
_tincan_session_set_connected_since (TincanSession *self,
                                     gboolean       now)
{
  if (!now && self->connected_since == NULL)
    return;

  g_clear_pointer (&self->connected_since, g_date_time_unref);
  if (now)
    self->connected_since = g_date_time_new_now_local ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED_SINCE]);
}

/* Takes @problem. */
void
_tincan_session_set_tls_problem (TincanSession    *self,
                                 TincanTlsProblem *problem)
{
  g_clear_pointer (&self->tls_problem, tincan_tls_problem_free);
  self->tls_problem = problem;
}

void
_tincan_session_reset_counters (TincanSession *self)
{
  if (self->bytes_sent != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_BYTES_SENT;
  if (self->bytes_received != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_BYTES_RECEIVED;
  if (self->messages_sent != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_SENT;
  if (self->messages_received != 0)
    self->dirty |= TINCAN_SESSION_DIRTY_MESSAGES_RECEIVED;

  self->bytes_sent = self->bytes_received = 0;
  self->messages_sent = self->messages_received = 0;
}

/* The early source: emits the SENT entries that send() added outside any
 * dispatch, EARLY_FLUSH_DELAY_US after the first. Its prepare() looks at the
 * session, so arming it costs nothing. */

typedef struct
{
  GSource        source;
  TincanSession *session;   /* unowned; NULL once the session is disposed */
} EarlySource;

static gboolean
early_ready (EarlySource *early,
             gint        *timeout)
{
  TincanSession *self = early->session;
  gint64 remaining;

  *timeout = -1;
  if (self == NULL || self->early_since == 0)
    return FALSE;

  remaining = self->early_since + EARLY_FLUSH_DELAY_US - g_source_get_time (&early->source);
  *timeout = remaining <= 0 ? 0 : (gint) ((remaining + 999) / 1000);
  return remaining <= 0;
}

static gboolean
early_prepare (GSource *source,
               gint    *timeout)
{
  return early_ready ((EarlySource *) source, timeout);
}

static gboolean
early_check (GSource *source)
{
  gint timeout;

  return early_ready ((EarlySource *) source, &timeout);
}

static gboolean
early_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  TincanSession *self = ((EarlySource *) source)->session;

  if (self != NULL)
    {
      /* The batch's end emits what waits. */
      _tincan_session_batch_begin (self);
      _tincan_session_batch_end (self);
    }

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs early_source_funcs = {
  early_prepare,
  early_check,
  early_dispatch,
  NULL, NULL, NULL
};

void
_tincan_session_ensure_early_source (TincanSession *self)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  if (self->early_source != NULL && g_source_get_context (self->early_source) == context)
    return;

  _tincan_session_remove_early_source (self);
  self->early_source = g_source_new (&early_source_funcs, sizeof (EarlySource));
  ((EarlySource *) self->early_source)->session = self;
  g_source_set_static_name (self->early_source, "[tincan] early flush");
  g_source_attach (self->early_source, context);
}

void
_tincan_session_remove_early_source (TincanSession *self)
{
  if (self->early_source != NULL)
    {
      ((EarlySource *) self->early_source)->session = NULL;
      g_source_destroy (self->early_source);
      g_clear_pointer (&self->early_source, g_source_unref);
    }
}
