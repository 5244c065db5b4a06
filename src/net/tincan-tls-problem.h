/* tincan-tls-problem.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What was wrong with a server's certificate, kept after a failed handshake so
 * the UI can explain it and offer to pin it. */
typedef struct
{
  GTlsCertificateFlags  flags;
  GTlsCertificate      *certificate;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;  /* may be NULL */
  GDateTime            *not_after;   /* may be NULL */
  char                 *fingerprint; /* SHA-256, "AB:CD:..." upper-case hex */
  char                 *host;        /* the identity that was expected */
} TincanTlsProblem;

#define TINCAN_TYPE_TLS_PROBLEM (tincan_tls_problem_get_type ())
GType             tincan_tls_problem_get_type  (void) G_GNUC_CONST;
TincanTlsProblem *tincan_tls_problem_copy      (const TincanTlsProblem *self);
void              tincan_tls_problem_free      (TincanTlsProblem       *self);
char             *tincan_tls_problem_describe  (const TincanTlsProblem *self);
TincanTlsProblem *tincan_tls_problem_new       (GTlsCertificate        *certificate,
                                                GTlsCertificateFlags    flags,
                                                const char             *host);

char             *tincan_tls_certificate_dup_fingerprint (GTlsCertificate *certificate);
char             *tincan_tls_fingerprint_normalize       (const char      *fingerprint);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTlsProblem, tincan_tls_problem_free)

G_END_DECLS
