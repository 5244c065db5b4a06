/* tincan-test-client.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-error-text.h"
#include "tincan-session.h"

G_BEGIN_DECLS

/* The deadline of every wait below. Generous: the suites also run under
 * valgrind and on loaded machines. */
#define TINCAN_TEST_CLIENT_TIMEOUT_MS 60000

/* A session under test and everything it emitted, for the net tests. Not a
 * GObject: the tests read the fields directly. */
typedef struct
{
  GMainContext  *context;        /* thread-default when the client was made */
  TincanSession *session;
  GPtrArray     *entries;        /* every TincanMessage, in order */
  guint          n_batches;      /* "messages" emissions */
  guint          max_batch;      /* the largest of them */
  GArray        *states;         /* TincanSessionState, at each notify::state */

  gboolean       connect_done;
  gboolean       connect_ok;
  GError        *connect_error;
} TincanTestClient;

TincanTestClient *tincan_test_client_new              (TincanTransport       transport,
                                                       const char           *host,
                                                       guint                 port,
                                                       const char           *framing_name,
                                                       TincanConnectionMode  mode);
TincanTestClient *tincan_test_client_new_with_framing (TincanTransport       transport,
                                                       const char           *host,
                                                       guint                 port,
                                                       TincanFraming        *framing,
                                                       TincanConnectionMode  mode);
void              tincan_test_client_free             (TincanTestClient     *client);

void              tincan_test_client_connect_start    (TincanTestClient     *client,
                                                       GCancellable         *cancellable);
gboolean          tincan_test_client_connect          (TincanTestClient     *client);
void              tincan_test_client_send             (TincanTestClient     *client,
                                                       const void           *data,
                                                       gsize                 length);
void              tincan_test_client_send_text        (TincanTestClient     *client,
                                                       const char           *text);

guint             tincan_test_client_count_entries    (TincanTestClient     *client,
                                                       TincanMessageKind       direction);
TincanMessage    *tincan_test_client_nth_entry        (TincanTestClient     *client,
                                                       TincanMessageKind       direction,
                                                       guint                 nth);
guint64           tincan_test_client_wire_bytes       (TincanTestClient     *client,
                                                       TincanMessageKind       direction);
GBytes           *tincan_test_client_dup_received     (TincanTestClient     *client);
gboolean          tincan_test_client_has_entry        (TincanTestClient     *client,
                                                       TincanMessageKind       direction,
                                                       const char           *text,
                                                       gboolean              prefix_only);
guint             tincan_test_client_count_errors     (TincanTestClient     *client,
                                                       TincanSessionError    code);
void              tincan_test_client_assert_has_error (TincanTestClient     *client,
                                                       TincanSessionError    code);
void              tincan_test_client_assert_has_error_with (TincanTestClient         *client,
                                                            TincanSessionError        code,
                                                            const TincanErrorContext *context);
void              tincan_test_assert_session_error    (const GError             *error,
                                                       TincanSessionError        code,
                                                       const TincanErrorContext *context);
gboolean          tincan_test_client_state_seen       (TincanTestClient     *client,
                                                       TincanSessionState    state);
void              tincan_test_client_dump_entries     (TincanTestClient     *client);

void              tincan_test_client_assert_has_entry (TincanTestClient     *client,
                                                       TincanMessageKind       direction,
                                                       const char           *text);
void              tincan_test_client_assert_has_entry_prefix (TincanTestClient *client,
                                                              TincanMessageKind   direction,
                                                              const char       *prefix);

/* Macros, so that a timeout names the test's line rather than the helper's. */
#define tincan_test_client_wait_for_entries(client, direction, count) \
  tincan_test_client_wait_for_entries_at ((client), (direction), (count), \
                                          #count " " #direction " entries", \
                                          __FILE__, __LINE__, G_STRFUNC)
#define tincan_test_client_wait_for_state(client, state) \
  tincan_test_client_wait_for_state_at ((client), (state), "state " #state, \
                                        __FILE__, __LINE__, G_STRFUNC)
#define tincan_test_client_wait_for_received_bytes(client, bytes) \
  tincan_test_client_wait_for_received_bytes_at ((client), (bytes), #bytes " bytes received", \
                                                 __FILE__, __LINE__, G_STRFUNC)

void              tincan_test_client_wait_for_entries_at (TincanTestClient   *client,
                                                          TincanMessageKind     direction,
                                                          guint               count,
                                                          const char         *what,
                                                          const char         *file,
                                                          int                 line,
                                                          const char         *func);
void              tincan_test_client_wait_for_state_at   (TincanTestClient   *client,
                                                          TincanSessionState  state,
                                                          const char         *what,
                                                          const char         *file,
                                                          int                 line,
                                                          const char         *func);
void              tincan_test_client_wait_for_received_bytes_at (TincanTestClient *client,
                                                                 guint64           bytes,
                                                                 const char       *what,
                                                                 const char       *file,
                                                                 int               line,
                                                                 const char       *func);

/* Entries */

char             *tincan_test_message_dup_text        (TincanMessage        *message);
void              tincan_test_assert_message_data     (TincanMessage        *message,
                                                       const void           *expected,
                                                       gsize                 expected_length);
void              tincan_test_assert_message          (TincanMessage        *message,
                                                       const void           *expected,
                                                       gsize                 expected_length,
                                                       TincanMessageFlags    flags);

/* Sessions without a client */

void              tincan_test_session_connect_cb      (GObject              *source,
                                                       GAsyncResult         *result,
                                                       gpointer              user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTestClient, tincan_test_client_free)

G_END_DECLS
