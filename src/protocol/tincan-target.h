/* tincan-target.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tincan-protocol-enums.h"

G_BEGIN_DECLS

typedef enum /*< enum,prefix=TINCAN_TRANSPORT >*/
{
  TINCAN_TRANSPORT_TCP,
  TINCAN_TRANSPORT_TLS,
  TINCAN_TRANSPORT_UDP,
} TincanTransport;

#define TINCAN_TARGET_ERROR (tincan_target_error_quark ())

typedef enum /*< enum,prefix=TINCAN_TARGET_ERROR >*/
{
  TINCAN_TARGET_ERROR_EMPTY_HOST,
  TINCAN_TARGET_ERROR_BAD_HOST,
  TINCAN_TARGET_ERROR_MISSING_PORT,
  TINCAN_TARGET_ERROR_BAD_PORT,
  TINCAN_TARGET_ERROR_PORT_RANGE,
  TINCAN_TARGET_ERROR_BAD_SCHEME,
} TincanTargetError;

/* A parsed "host:port", "[v6]:port" or "scheme://host:port". */
typedef struct
{
  TincanTransport  transport;
  char            *host;      /* without brackets: "::1", "example.org" */
  guint16          port;
} TincanTarget;

GQuark        tincan_target_error_quark   (void);
TincanTarget *tincan_target_parse         (const char        *text,
                                           TincanTransport    default_transport,
                                           GError           **error);
gboolean      tincan_target_check_host    (const char        *host,
                                           GError           **error);
gboolean      tincan_target_parse_port    (const char        *text,
                                           guint16           *port,
                                           GError           **error);
char         *tincan_target_to_string     (const TincanTarget *self);
void          tincan_target_free          (TincanTarget      *self);
const char   *tincan_transport_to_string  (TincanTransport    transport);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTarget, tincan_target_free)

G_END_DECLS
