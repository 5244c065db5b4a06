/* tincan-echo-server-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What tincan-echo-server.c (listening, UDP, the GObject) and
 * tincan-echo-client.c (one accepted TCP or TLS client) share. */

#pragma once

#include "tincan-echo-server.h"

G_BEGIN_DECLS

typedef struct _EchoClient EchoClient;

struct _TincanEchoServer
{
  GObject             parent_instance;

  TincanTransport     transport;
  GTlsCertificate    *certificate;

  /* Everything below is set only while running; cancellable != NULL means
   * running. */
  GMainContext       *context;
  GCancellable       *cancellable;
  GInetSocketAddress *local_address;
  GSocketListener    *listener;
  GSource            *accept_retry_source;
  GSocket            *udp_socket;
  GSource            *udp_source;
  guint8             *udp_buffer;
  GQueue              clients;          /* EchoClient, each holding one reference */

  guint64             bytes_echoed;
};

void _tincan_echo_server_notify_clients (TincanEchoServer  *self);
void _tincan_echo_server_add_echoed     (TincanEchoServer  *self,
                                         gsize              length);
void _tincan_echo_client_add            (TincanEchoServer  *self,
                                         GSocketConnection *connection);
void _tincan_echo_client_abort          (EchoClient        *client);

G_END_DECLS
