/* tincan-test-client.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The client of tests/test-session.c and tests/test-hostile.c: a
 * TincanSession whose emissions are kept, so that a test can wait for them
 * and then look at all of them. */

#include <string.h>

#include "tincan-payload.h"
#include "tincan-test-client.h"
#include "tincan-test-util.h"

static void
session_messages_cb (TincanSession    *session,
                     GPtrArray        *messages,
                     TincanTestClient *client)
{
  g_assert_cmpuint (messages->len, >, 0);

  client->n_batches++;
  client->max_batch = MAX (client->max_batch, messages->len);
  for (guint i = 0; i < messages->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (messages, i);
      const GError *error = tincan_message_get_error (message);

      /* Every failure the session reports says what it is, and its entry
       * shows the error's sentence. */
      if (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_ERROR)
        {
          g_autofree char *text = tincan_test_message_dup_text (message);

          g_assert_nonnull (error);
          g_assert_true (error->domain == TINCAN_SESSION_ERROR);
          g_assert_cmpstr (text, ==, error->message);
        }
      else
        {
          g_assert_null (error);
        }
      g_ptr_array_add (client->entries, tincan_message_ref (message));
    }
}

static void
session_state_changed_cb (TincanSession    *session,
                          GParamSpec       *pspec,
                          TincanTestClient *client)
{
  TincanSessionState state = tincan_session_get_state (session);

  g_array_append_val (client->states, state);
}

/**
 * tincan_test_client_new_with_framing:
 * @framing: (nullable): the framing; NULL keeps the session's default
 *
 * Returns: (transfer full): a client of a new session set up with these
 * arguments, on the thread-default main context. Free it with
 * tincan_test_client_free().
 */
TincanTestClient *
tincan_test_client_new_with_framing (TincanTransport       transport,
                                     const char           *host,
                                     guint                 port,
                                     TincanFraming        *framing,
                                     TincanConnectionMode  mode)
{
  TincanTestClient *client = g_new0 (TincanTestClient, 1);

  client->context = g_main_context_ref_thread_default ();
  client->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tincan_message_unref);
  client->states = g_array_new (FALSE, FALSE, sizeof (TincanSessionState));
  client->session = tincan_session_new ();
  tincan_session_set_transport (client->session, transport);
  tincan_session_set_host (client->session, host);
  tincan_session_set_port (client->session, port);
  if (framing != NULL)
    tincan_session_set_framing (client->session, framing);
  tincan_session_set_mode (client->session, mode);
  g_signal_connect (client->session, "messages", G_CALLBACK (session_messages_cb), client);
  g_signal_connect (client->session, "notify::state",
                    G_CALLBACK (session_state_changed_cb), client);

  return client;
}

/* The same, with the framing named as tincan_framing_new_from_name() wants
 * it; a bad name fails the test. */
TincanTestClient *
tincan_test_client_new (TincanTransport       transport,
                        const char           *host,
                        guint                 port,
                        const char           *framing_name,
                        TincanConnectionMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanFraming) framing = tincan_framing_new_from_name (framing_name, &error);

  g_assert_no_error (error);

  return tincan_test_client_new_with_framing (transport, host, port, framing, mode);
}

/* Fails the test if anything else still holds the session (a test that
 * needs the session to outlive the client steals it first: the field may be
 * NULL). */
void
tincan_test_client_free (TincanTestClient *client)
{
  if (client->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->session, client);
      g_assert_finalize_object (client->session);
    }
  g_ptr_array_unref (client->entries);
  g_array_unref (client->states);
  g_clear_error (&client->connect_error);
  g_main_context_unref (client->context);
  g_free (client);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TincanTestClient *client = user_data;

  g_clear_error (&client->connect_error);
  client->connect_ok = tincan_session_connect_finish (TINCAN_SESSION (source), result,
                                                      &client->connect_error);
  client->connect_done = TRUE;
}

/* Starts a connect; its end sets connect_done, connect_ok and connect_error. */
void
tincan_test_client_connect_start (TincanTestClient *client,
                                  GCancellable     *cancellable)
{
  client->connect_done = FALSE;
  client->connect_ok = FALSE;
  tincan_session_connect_async (client->session, cancellable, connect_cb, client);
}

/* Connects and waits for the end; returns whether it succeeded (the error
 * is in connect_error). */
gboolean
tincan_test_client_connect (TincanTestClient *client)
{
  tincan_test_client_connect_start (client, NULL);
  tincan_test_wait_until (client->context, &client->connect_done,
                          TINCAN_TEST_CLIENT_TIMEOUT_MS);

  return client->connect_ok;
}

/* Sends a copy of @data; the session must accept it. */
void
tincan_test_client_send (TincanTestClient *client,
                         const void       *data,
                         gsize             length)
{
  g_autoptr(GBytes) payload = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_session_send (client->session, payload, &error));
  g_assert_no_error (error);
}

void
tincan_test_client_send_text (TincanTestClient *client,
                              const char       *text)
{
  tincan_test_client_send (client, text, strlen (text));
}

guint
tincan_test_client_count_entries (TincanTestClient *client,
                                  TincanMessageKind   direction)
{
  guint n = 0;

  for (guint i = 0; i < client->entries->len; i++)
    if (tincan_message_get_kind (g_ptr_array_index (client->entries, i)) == direction)
      n++;

  return n;
}

/* Returns: (transfer none) (nullable): the entry of @direction numbered
 * @nth from 0, or NULL if there are fewer. */
TincanMessage *
tincan_test_client_nth_entry (TincanTestClient *client,
                              TincanMessageKind   direction,
                              guint             nth)
{
  for (guint i = 0; i < client->entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (client->entries, i);

      if (tincan_message_get_kind (message) == direction && nth-- == 0)
        return message;
    }

  return NULL;
}

/* Sum of the wire bytes (framing included) of the entries of @direction. */
guint64
tincan_test_client_wire_bytes (TincanTestClient *client,
                               TincanMessageKind   direction)
{
  guint64 total = 0;

  for (guint i = 0; i < client->entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (client->entries, i);

      if (tincan_message_get_kind (message) == direction)
        total += tincan_message_get_wire_length (message);
    }

  return total;
}

/* Returns: (transfer full): the RECEIVED entries, concatenated. */
GBytes *
tincan_test_client_dup_received (TincanTestClient *client)
{
  GByteArray *all = g_byte_array_new ();

  for (guint i = 0; i < client->entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (client->entries, i);
      gsize length;
      const guint8 *data;

      if (tincan_message_get_kind (message) != TINCAN_MESSAGE_KIND_RECEIVED)
        continue;
      data = tincan_message_get_data (message, &length);
      g_byte_array_append (all, data, length);
    }

  return g_byte_array_free_to_bytes (all);
}

/* Whether some entry of @direction is exactly @text (or starts with it). */
gboolean
tincan_test_client_has_entry (TincanTestClient *client,
                              TincanMessageKind   direction,
                              const char       *text,
                              gboolean          prefix_only)
{
  for (guint i = 0; i < client->entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (client->entries, i);
      g_autofree char *got = NULL;

      if (tincan_message_get_kind (message) != direction)
        continue;
      got = tincan_test_message_dup_text (message);
      if (prefix_only ? g_str_has_prefix (got, text) : g_str_equal (got, text))
        return TRUE;
    }

  return FALSE;
}

/* How many ERROR entries carry a TINCAN_SESSION_ERROR with @code. */
guint
tincan_test_client_count_errors (TincanTestClient   *client,
                                 TincanSessionError  code)
{
  guint count = 0;

  for (guint i = 0; i < client->entries->len; i++)
    {
      const GError *error = tincan_message_get_error (g_ptr_array_index (client->entries, i));

      if (g_error_matches (error, TINCAN_SESSION_ERROR, code))
        count++;
    }

  return count;
}

/* Fails the test, after dumping the entries, unless some ERROR entry
 * carries a TINCAN_SESSION_ERROR with @code. */
void
tincan_test_client_assert_has_error (TincanTestClient   *client,
                                     TincanSessionError  code)
{
  if (tincan_test_client_count_errors (client, code) == 0)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (TINCAN_TYPE_SESSION_ERROR);
      GEnumValue *value = g_enum_get_value (klass, code);

      tincan_test_client_dump_entries (client);
      g_error ("no ERROR entry %s", value != NULL ? value->value_name : "(unknown code)");
    }
}

/* The same, for an entry whose sentence names what @context holds (the
 * count, the timeout, the endpoint): the session filled in the right facts. */
void
tincan_test_client_assert_has_error_with (TincanTestClient         *client,
                                          TincanSessionError        code,
                                          const TincanErrorContext *context)
{
  g_autofree char *expected = tincan_session_error_describe (code, context);

  tincan_test_client_assert_has_error (client, code);
  for (guint i = 0; i < client->entries->len; i++)
    {
      const GError *error = tincan_message_get_error (g_ptr_array_index (client->entries, i));

      if (g_error_matches (error, TINCAN_SESSION_ERROR, code) &&
          g_str_equal (error->message, expected))
        return;
    }

  tincan_test_client_dump_entries (client);
  g_error ("no ERROR entry “%s”", expected);
}

/* @error is @code, and says what @context holds: the sentence itself is
 * the wording table's test (test-session.c), not the caller's. */
void
tincan_test_assert_session_error (const GError             *error,
                                  TincanSessionError        code,
                                  const TincanErrorContext *context)
{
  g_autofree char *expected = tincan_session_error_describe (code, context);

  g_assert_error (error, TINCAN_SESSION_ERROR, (gint) code);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Whether notify::state ever reported @state. */
gboolean
tincan_test_client_state_seen (TincanTestClient   *client,
                               TincanSessionState  state)
{
  for (guint i = 0; i < client->states->len; i++)
    if (g_array_index (client->states, TincanSessionState, i) == state)
      return TRUE;

  return FALSE;
}

/* Every entry so far, as test messages (the first 200 bytes of each, with
 * control characters escaped): what a failing test prints. */
void
tincan_test_client_dump_entries (TincanTestClient *client)
{
  static const char *names[] = { "SENT", "RECEIVED", "STATUS", "ERROR" };

  for (guint i = 0; i < client->entries->len; i++)
    {
      TincanMessage *message = g_ptr_array_index (client->entries, i);
      gsize length;
      const guint8 *data = tincan_message_get_data (message, &length);
      g_autofree char *text = tincan_payload_render_text (data, MIN (length, 200));

      g_test_message ("entry %u: %s %s (%x)", i, names[tincan_message_get_kind (message)],
                      text, tincan_message_get_flags (message));
    }
}

static void
assert_has_entry (TincanTestClient *client,
                  TincanMessageKind   direction,
                  const char       *text,
                  gboolean          prefix_only)
{
  if (!tincan_test_client_has_entry (client, direction, text, prefix_only))
    {
      tincan_test_client_dump_entries (client);
      g_error ("no entry %s “%s”", prefix_only ? "starting with" : "equal to", text);
    }
}

/* Fails the test, after dumping the entries, unless some entry of
 * @direction is exactly @text. */
void
tincan_test_client_assert_has_entry (TincanTestClient *client,
                                     TincanMessageKind   direction,
                                     const char       *text)
{
  assert_has_entry (client, direction, text, FALSE);
}

/* The same for an entry that starts with @prefix. */
void
tincan_test_client_assert_has_entry_prefix (TincanTestClient *client,
                                            TincanMessageKind   direction,
                                            const char       *prefix)
{
  assert_has_entry (client, direction, prefix, TRUE);
}

typedef struct
{
  TincanTestClient *client;
  TincanMessageKind   direction;
  guint             count;
} CountCondition;

static gboolean
count_reached (gpointer user_data)
{
  CountCondition *condition = user_data;

  return tincan_test_client_count_entries (condition->client, condition->direction)
         >= condition->count;
}

/* Use tincan_test_client_wait_for_entries(). */
void
tincan_test_client_wait_for_entries_at (TincanTestClient *client,
                                        TincanMessageKind   direction,
                                        guint             count,
                                        const char       *what,
                                        const char       *file,
                                        int               line,
                                        const char       *func)
{
  CountCondition condition = { client, direction, count };

  tincan_test_wait_for_impl (client->context, count_reached, &condition,
                             TINCAN_TEST_CLIENT_TIMEOUT_MS, what, file, line, func);
}

typedef struct
{
  TincanTestClient   *client;
  TincanSessionState  state;
} StateCondition;

static gboolean
state_reached (gpointer user_data)
{
  StateCondition *condition = user_data;

  return tincan_session_get_state (condition->client->session) == condition->state;
}

/* Use tincan_test_client_wait_for_state(). At a timeout, the entries so far
 * and the state say what happened. */
void
tincan_test_client_wait_for_state_at (TincanTestClient   *client,
                                      TincanSessionState  state,
                                      const char         *what,
                                      const char         *file,
                                      int                 line,
                                      const char         *func)
{
  StateCondition condition = { client, state };
  g_autofree char *message = NULL;

  if (tincan_test_iterate_until (client->context, state_reached, &condition,
                                 TINCAN_TEST_CLIENT_TIMEOUT_MS))
    return;

  tincan_test_client_dump_entries (client);
  message = g_strdup_printf ("%s: timed out after %u ms waiting for %s; the state is %d, "
                             "%" G_GUINT64_FORMAT " bytes received",
                             g_test_get_path (), TINCAN_TEST_CLIENT_TIMEOUT_MS, what,
                             tincan_session_get_state (client->session),
                             tincan_session_get_bytes_received (client->session));
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

typedef struct
{
  TincanTestClient *client;
  guint64           bytes;
} BytesCondition;

static gboolean
received_bytes_reached (gpointer user_data)
{
  BytesCondition *condition = user_data;
  GPtrArray *entries = condition->client->entries;
  guint64 total = 0;

  for (guint i = 0; i < entries->len; i++)
    if (tincan_message_get_kind (g_ptr_array_index (entries, i)) == TINCAN_MESSAGE_KIND_RECEIVED)
      total += tincan_message_get_length (g_ptr_array_index (entries, i));

  return total >= condition->bytes;
}

/* Use tincan_test_client_wait_for_received_bytes(): waits until the RECEIVED
 * entries hold at least @bytes. */
void
tincan_test_client_wait_for_received_bytes_at (TincanTestClient *client,
                                               guint64           bytes,
                                               const char       *what,
                                               const char       *file,
                                               int               line,
                                               const char       *func)
{
  BytesCondition condition = { client, bytes };

  tincan_test_wait_for_impl (client->context, received_bytes_reached, &condition,
                             TINCAN_TEST_CLIENT_TIMEOUT_MS, what, file, line, func);
}

/* Entries */

/* Returns: (transfer full): the data of @message as a string (it may hold
 * NUL bytes: then the string stops at the first). */
char *
tincan_test_message_dup_text (TincanMessage *message)
{
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);

  return g_strndup ((const char *) data, length);
}

/* Fails the test unless @message is there and holds exactly @expected. */
void
tincan_test_assert_message_data (TincanMessage *message,
                                 const void    *expected,
                                 gsize          expected_length)
{
  gsize length;
  const guint8 *data;

  g_assert_nonnull (message);
  data = tincan_message_get_data (message, &length);
  g_assert_cmpmem (data, length, expected, expected_length);
}

/* The same, and its flags must be @flags. */
void
tincan_test_assert_message (TincanMessage      *message,
                            const void         *expected,
                            gsize               expected_length,
                            TincanMessageFlags  flags)
{
  tincan_test_assert_message_data (message, expected, expected_length);
  g_assert_cmpint (tincan_message_get_flags (message), ==, flags);
}

/* Sessions without a client, ports, time and memory */

/* A GAsyncReadyCallback for tincan_session_connect_async() that fails the
 * test unless the connect succeeded, then sets the gboolean @user_data. */
void
tincan_test_session_connect_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tincan_session_connect_finish (TINCAN_SESSION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}
