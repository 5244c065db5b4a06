/* tincan-test-util.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Returns TRUE when the condition waited for holds. */
typedef gboolean (*TincanTestCondition) (gpointer user_data);

/* Iterate @context (NULL: the global default) until *flag is TRUE. At the
 * deadline the test fails at the caller's line with a message naming the
 * flag. No sleeping: the context blocks in poll() until something happens. */
#define tincan_test_wait_until(context, flag, timeout_ms) \
  tincan_test_wait_until_impl ((context), (flag), (timeout_ms), #flag, \
                               __FILE__, __LINE__, G_STRFUNC)

/* The same, for any condition: @condition is checked before each iteration. */
#define tincan_test_wait_for(context, condition, user_data, timeout_ms) \
  tincan_test_wait_for_impl ((context), (condition), (user_data), (timeout_ms), #condition, \
                             __FILE__, __LINE__, G_STRFUNC)

gboolean  tincan_test_iterate_until           (GMainContext        *context,
                                               TincanTestCondition  condition,
                                               gpointer             user_data,
                                               guint                timeout_ms);
void      tincan_test_wait_until_impl         (GMainContext        *context,
                                               gboolean            *flag,
                                               guint                timeout_ms,
                                               const char          *what,
                                               const char          *file,
                                               int                  line,
                                               const char          *func);
void      tincan_test_wait_for_impl           (GMainContext        *context,
                                               TincanTestCondition  condition,
                                               gpointer             user_data,
                                               guint                timeout_ms,
                                               const char          *what,
                                               const char          *file,
                                               int                  line,
                                               const char          *func);

/* Dispatches whatever is ready on @context without blocking, until nothing is.
 * Use it after cancelling I/O, so that the cancelled callbacks run and free
 * their data before the test ends (and valgrind looks). */
void      tincan_test_drain_context           (GMainContext        *context);

GMainContext *tincan_test_push_context        (void);
void      tincan_test_pop_context             (GMainContext        *context);

/* Whether a socket can be bound to ::1 here (containers often lack IPv6). */
gboolean  tincan_test_have_ipv6_loopback      (void);

/* A loopback TCP port that never completes a handshake: its listener's
 * accept queue is full, so Linux drops every further SYN and a connect to it
 * stays in progress until the client gives up. That is what an overloaded
 * server, or one behind a DROP firewall rule, looks like. */
typedef struct
{
  int     listen_fd;
  int     filler_fd;   /* the one connection that fills the queue */
  guint16 port;
} TincanTestBlackhole;

TincanTestBlackhole   *tincan_test_blackhole_new        (void);
void                   tincan_test_blackhole_free       (TincanTestBlackhole    *self);

void      tincan_test_run_for                 (GMainContext        *context,
                                               guint                msec);
guint16   tincan_test_free_port               (GSocketType          type);
gsize     tincan_test_read_status_kib         (const char          *field);
gsize     tincan_test_read_rss_kib            (void);

/* A self-signed certificate made at test time with the openssl command. */
typedef struct
{
  char            *dir;          /* temporary directory holding the files */
  char            *cert_file;    /* PEM certificate */
  char            *key_file;     /* PEM private key (unencrypted) */
  GTlsCertificate *certificate;  /* both, loaded */
} TincanTestCertificate;

TincanTestCertificate *tincan_test_certificate_new      (const char             *host_name,
                                                         GError                **error);
void                   tincan_test_certificate_free     (TincanTestCertificate  *self);
GTlsCertificate       *tincan_test_make_certificate     (const char             *host_name,
                                                         GError                **error);
char                  *tincan_test_certificate_dup_fingerprint (GTlsCertificate *certificate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTestCertificate, tincan_test_certificate_free)

/* The longest main-loop stall while it runs: how late a high-priority timer
 * of @interval_ms fires, at worst (worst_us). */
typedef struct
{
  guint  interval_ms;
  gint64 expected;
  gint64 worst_us;
  guint  source_id;
} TincanTestStallProbe;

void      tincan_test_stall_probe_start       (TincanTestStallProbe *probe,
                                               guint                 interval_ms);
void      tincan_test_stall_probe_stop        (TincanTestStallProbe *probe);

G_END_DECLS
