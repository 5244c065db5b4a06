/* tincan-test-proxy.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A tiny proxy on 127.0.0.1 for the tests: HTTP CONNECT or SOCKS5 (no
 * authentication). Each client is served on a thread of its own: the
 * proxy's handshake, a direct connection to the destination asked for (on
 * loopback), then both directions copied until either side closes. */
typedef enum
{
  TINCAN_TEST_PROXY_HTTP,
  TINCAN_TEST_PROXY_SOCKS5,
} TincanTestProxyKind;

typedef struct _TincanTestProxy TincanTestProxy;

TincanTestProxy *tincan_test_proxy_new          (TincanTestProxyKind  kind);
void             tincan_test_proxy_free         (TincanTestProxy     *self);
guint16          tincan_test_proxy_get_port     (TincanTestProxy     *self);
/* "http://127.0.0.1:PORT" or "socks5://127.0.0.1:PORT" */
char            *tincan_test_proxy_dup_uri      (TincanTestProxy     *self);
/* Clients that went through the handshake so far. */
guint            tincan_test_proxy_get_n_served (TincanTestProxy     *self);
/* The last destination asked for, as "host:port" (nullable). */
char            *tincan_test_proxy_dup_target   (TincanTestProxy     *self);
/* A resolver that sends every connection through @self. */
GProxyResolver  *tincan_test_proxy_new_resolver (TincanTestProxy     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanTestProxy, tincan_test_proxy_free)

G_END_DECLS
