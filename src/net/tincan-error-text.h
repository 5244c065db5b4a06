/* tincan-error-text.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one place where a TINCAN_SESSION_ERROR code becomes the English
 * sentence a person reads. Inside src/net/ (and its tests) only. */

#pragma once

#include "tincan-session.h"

G_BEGIN_DECLS

/* What a sentence may name. Unused fields stay zero/NULL. */
typedef struct
{
  const char *endpoint;  /* "127.0.0.1 port 7"; NULL: "the server" */
  const char *host;      /* as typed */
  guint       port;
  guint       msec;      /* the timeout that ran out */
  guint64     count;     /* messages not sent, bytes of a message */
  guint       limit;     /* the largest datagram */
  const char *size;      /* "66.2 MB" */
  const char *cause;     /* the underlying error's own message */
  const char *detail;    /* why a certificate was refused */
  gboolean    udp;       /* refusals: a datagram socket saw ECONNREFUSED */
} TincanErrorContext;

char   *tincan_session_error_describe (TincanSessionError        code,
                                       const TincanErrorContext *context);
GError *tincan_session_error_new      (TincanSessionError        code,
                                       const TincanErrorContext *context);
TincanSessionError tincan_session_error_from_connect (const GError *cause);

G_END_DECLS
