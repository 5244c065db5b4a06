/* tincan-session.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-framing.h"
#include "tincan-net-enums.h"
#include "tincan-message.h"
#include "tincan-target.h"
#include "tincan-tls-problem.h"

G_BEGIN_DECLS

typedef enum /*< enum,prefix=TINCAN_SESSION >*/
{
  TINCAN_SESSION_DISCONNECTED,
  TINCAN_SESSION_RESOLVING,
  TINCAN_SESSION_CONNECTING,
  TINCAN_SESSION_TLS_HANDSHAKE,
  TINCAN_SESSION_CONNECTED,
  TINCAN_SESSION_CLOSING,
} TincanSessionState;

typedef enum /*< enum,prefix=TINCAN_CONNECTION >*/
{
  TINCAN_CONNECTION_PERSISTENT,  /* connect once, send many, read continuously */
  TINCAN_CONNECTION_PER_MESSAGE, /* each send: connect, send, collect the reply, close */
} TincanConnectionMode;

#define TINCAN_SESSION_ERROR (tincan_session_error_quark ())

typedef enum /*< enum,prefix=TINCAN_SESSION_ERROR >*/
{
  TINCAN_SESSION_ERROR_INVALID_TARGET, /* bad host or port: refused before any I/O */
  TINCAN_SESSION_ERROR_NOT_CONNECTED,  /* persistent mode, send while disconnected */
  TINCAN_SESSION_ERROR_TOO_LARGE,      /* UDP datagram over 65,507 bytes */
  TINCAN_SESSION_ERROR_BAD_CERTIFICATE,/* see tincan_session_get_tls_problem() */
  TINCAN_SESSION_ERROR_TIMED_OUT,      /* connecting took longer than connect-timeout */
  TINCAN_SESSION_ERROR_NO_REPLY,       /* per-message mode: response timeout with no frame */
  TINCAN_SESSION_ERROR_BUSY,           /* connect while already connecting/connected */
  TINCAN_SESSION_ERROR_QUEUE_FULL,     /* the server is not taking what is queued */
  TINCAN_SESSION_ERROR_RESOLVE_FAILED, /* no such host */
  TINCAN_SESSION_ERROR_REFUSED,        /* nothing listens on that port */
  TINCAN_SESSION_ERROR_UNREACHABLE,    /* no route to the host or network */
  TINCAN_SESSION_ERROR_NOT_TLS,        /* the server answered, but not in TLS */
  TINCAN_SESSION_ERROR_TLS_REFUSED,    /* the server wants something of us (a certificate…) */
  TINCAN_SESSION_ERROR_TLS_FAILED,     /* any other handshake failure, often a plain port */
  TINCAN_SESSION_ERROR_CONNECT_FAILED, /* any other connect failure */
  TINCAN_SESSION_ERROR_PEER_RESET,     /* the server reset the connection */
  TINCAN_SESSION_ERROR_PEER_CLOSED,    /* a write found the server gone */
  TINCAN_SESSION_ERROR_RECEIVE_FAILED, /* any other read failure */
  TINCAN_SESSION_ERROR_SEND_FAILED,    /* any other write failure */
  TINCAN_SESSION_ERROR_SEND_STALLED,   /* per-message mode: the server stopped reading */
  TINCAN_SESSION_ERROR_CLOSED_WITHOUT_REPLY, /* per-message mode: closed, no byte back */
  TINCAN_SESSION_ERROR_UNSENT,         /* queued messages dropped by a disconnect */
  TINCAN_SESSION_ERROR_DATAGRAMS_DROPPED, /* UDP: the kernel's receive buffer overflowed */
  TINCAN_SESSION_ERROR_TLS_NO_ANSWER,  /* TCP connected, the handshake timed out: a plain port? */
  TINCAN_SESSION_ERROR_UNREACHABLE_PORT, /* UDP: an ICMP port unreachable; sending goes on */
} TincanSessionError;

/* The largest UDP payload: 65,535 minus the UDP header (8) and, over
 * IPv4, the IP header (20), which IPv6 counts outside its payload length. */
#define TINCAN_UDP_MAX_DATAGRAM 65507
#define TINCAN_UDP6_MAX_DATAGRAM 65527

/* Bytes that may wait to be written before send() refuses more: a server
 * that never reads must not make us hold unbounded memory. A single message
 * of any size is still taken when nothing waits. */
#define TINCAN_SESSION_MAX_QUEUED (64 * 1024 * 1024)

#define TINCAN_TYPE_SESSION (tincan_session_get_type ())

G_DECLARE_FINAL_TYPE (TincanSession, tincan_session, TINCAN, SESSION, GObject)

GQuark                tincan_session_error_quark          (void);
gboolean              tincan_session_state_is_connecting  (TincanSessionState    state);

TincanSession        *tincan_session_new                  (void);

/* Configuration (properties of the same names); changes apply at the next connect
 * (per-message mode: at the next send). Host: a name or address without brackets,
 * "" when none, checked by tincan_session_validate(); port: 0 when unset, anything
 * outside 1-65535 is refused by validation; framing: %NULL sets raw, not applied
 * to UDP (each datagram is a message), a reference is taken; connect timeout:
 * resolving, connecting and the TLS handshake together, in ms, 0 for no limit;
 * response timeout: per-message mode, how long to wait for (more of) a reply, in
 * ms, from the send and again from each chunk received. */
void                  tincan_session_set_host             (TincanSession        *self,
                                                           const char           *host);
const char           *tincan_session_get_host             (TincanSession        *self);
void                  tincan_session_set_port             (TincanSession        *self,
                                                           guint                 port);
guint                 tincan_session_get_port             (TincanSession        *self);
void                  tincan_session_set_transport        (TincanSession        *self,
                                                           TincanTransport       transport);
TincanTransport       tincan_session_get_transport        (TincanSession        *self);
void                  tincan_session_set_framing          (TincanSession        *self,
                                                           TincanFraming        *framing);
TincanFraming        *tincan_session_get_framing          (TincanSession        *self);
void                  tincan_session_set_mode             (TincanSession        *self,
                                                           TincanConnectionMode  mode);
TincanConnectionMode  tincan_session_get_mode             (TincanSession        *self);
void                  tincan_session_set_connect_timeout  (TincanSession        *self,
                                                           guint                 msec);
guint                 tincan_session_get_connect_timeout  (TincanSession        *self);
void                  tincan_session_set_response_timeout (TincanSession        *self,
                                                           guint                 msec);
guint                 tincan_session_get_response_timeout (TincanSession        *self);
/* No proxy: TCP and TLS connect directly, whatever the desktop's proxy
 * settings or the http_proxy variables say. */
void                  tincan_session_set_no_proxy         (TincanSession        *self,
                                                           gboolean              no_proxy);
gboolean              tincan_session_get_no_proxy         (TincanSession        *self);

/* State and counters (read-only properties, notified when they change, at most once
 * per batch). State: in per-message mode it cycles through connecting, connected,
 * closing, disconnected for each send. Peer address: the address being tried or
 * connected to, as "127.0.0.1:7" or "[::1]:7", kept after a disconnect until the
 * next connect. Peer closed: the server closed its side (nothing more will arrive,
 * sending may still work). Bytes and messages sent and received: framing included,
 * since the last persistent connect (per-message mode: since the session was
 * created); messages sent are frames written completely (SENT entries). Bytes
 * queued: given to send() and not written yet, up to TINCAN_SESSION_MAX_QUEUED, 0
 * once the connection ends. TLS problem: why the last TLS connect refused the
 * server's certificate, cleared by the next connect. */
TincanSessionState    tincan_session_get_state            (TincanSession        *self);
const char           *tincan_session_get_peer_address     (TincanSession        *self);
gboolean              tincan_session_get_peer_closed      (TincanSession        *self);
const TincanConnectionInfo *tincan_session_get_connection_info (TincanSession  *self);
guint64               tincan_session_get_bytes_sent       (TincanSession        *self);
guint64               tincan_session_get_bytes_received   (TincanSession        *self);
guint64               tincan_session_get_messages_sent    (TincanSession        *self);
guint64               tincan_session_get_messages_received(TincanSession        *self);
guint64               tincan_session_get_bytes_queued     (TincanSession        *self);
GDateTime            *tincan_session_get_connected_since  (TincanSession        *self);
const TincanTlsProblem *tincan_session_get_tls_problem    (TincanSession        *self);
/* Proxy: "HTTP proxy 127.0.0.1:3128" while connecting or connected through
 * a proxy, NULL otherwise; the peer address is then the host asked for. */
const char           *tincan_session_get_proxy            (TincanSession        *self);
const TincanTlsProblem *tincan_session_get_accepted_tls_problem (TincanSession   *self);

gboolean              tincan_session_validate             (TincanSession        *self,
                                                           GError              **error);
void                  tincan_session_connect_async        (TincanSession        *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean              tincan_session_connect_finish       (TincanSession        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
gboolean              tincan_session_send                 (TincanSession        *self,
                                                           GBytes               *payload,
                                                           GError              **error);
void                  tincan_session_disconnect           (TincanSession        *self);
void                  tincan_session_pin_certificate      (TincanSession        *self,
                                                           const char           *fingerprint);

G_END_DECLS
