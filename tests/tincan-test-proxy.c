/* tincan-test-proxy.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tincan-test-proxy.h"

/* Blocking I/O on the service's worker threads keeps each handshake a few
 * straight lines; the copying is g_io_stream_splice_async() on a main
 * context of the thread's own. */

struct _TincanTestProxy
{
  TincanTestProxyKind  kind;
  GSocketService      *service;
  guint16              port;
  GCancellable        *cancellable;  /* ends the copying when the test is done */
  GMutex               lock;
  GCond                idle;
  guint                n_running;     /* worker threads serving a client */
  guint                n_served;
  char                *target;
};

static gboolean
read_exactly (GIOStream *stream,
              void      *buffer,
              gsize      length,
              GCancellable *cancellable)
{
  gsize read = 0;

  return g_input_stream_read_all (g_io_stream_get_input_stream (stream), buffer, length, &read,
                                  cancellable, NULL) && read == length;
}

static gboolean
write_all (GIOStream    *stream,
           const void   *data,
           gsize         length,
           GCancellable *cancellable)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, length, NULL,
                                    cancellable, NULL);
}

/* "CONNECT host:port HTTP/1.1", headers, an empty line: returns "host:port". */
static char *
http_handshake (GIOStream    *stream,
                GCancellable *cancellable)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  char c;

  while (!g_str_has_suffix (request->str, "\r\n\r\n"))
    {
      if (request->len > 8192 || !read_exactly (stream, &c, 1, cancellable))
        return NULL;
      g_string_append_c (request, c);
    }

  words = g_strsplit (request->str, " ", 3);
  if (g_strv_length (words) < 3 || strcmp (words[0], "CONNECT") != 0)
    return NULL;
  return g_strdup (words[1]);
}

/* The SOCKS5 greeting (no authentication) and CONNECT request: returns
 * "host:port", with brackets for IPv6. */
static char *
socks5_handshake (GIOStream    *stream,
                  GCancellable *cancellable)
{
  static const guint8 no_auth[] = { 0x05, 0x00 };
  guint8 head[4];
  guint8 methods[255];
  guint8 address[256];
  guint8 port[2];
  g_autofree char *host = NULL;
  guint16 port_number;

  if (!read_exactly (stream, head, 2, cancellable) || head[0] != 0x05 ||
      !read_exactly (stream, methods, head[1], cancellable) ||
      !write_all (stream, no_auth, sizeof no_auth, cancellable) ||
      !read_exactly (stream, head, 4, cancellable) || head[0] != 0x05 || head[1] != 0x01)
    return NULL;

  switch (head[3])
    {
    case 0x01:
    case 0x04:
      {
        gsize size = head[3] == 0x01 ? 4 : 16;
        g_autoptr(GInetAddress) inet = NULL;
        g_autofree char *text = NULL;

        if (!read_exactly (stream, address, size, cancellable))
          return NULL;
        inet = g_inet_address_new_from_bytes (address, size == 4 ? G_SOCKET_FAMILY_IPV4
                                                                 : G_SOCKET_FAMILY_IPV6);
        text = g_inet_address_to_string (inet);
        host = size == 4 ? g_strdup (text) : g_strdup_printf ("[%s]", text);
      }
      break;

    case 0x03:
      if (!read_exactly (stream, address, 1, cancellable) ||
          !read_exactly (stream, address + 1, address[0], cancellable))
        return NULL;
      host = g_strndup ((const char *) address + 1, address[0]);
      break;

    default:
      return NULL;
    }

  if (!read_exactly (stream, port, 2, cancellable))
    return NULL;
  port_number = (guint16) (port[0] << 8 | port[1]);
  return g_strdup_printf ("%s:%u", host, port_number);
}

static void
splice_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_io_stream_splice_finish (result, NULL);
  *done = TRUE;
}

/* Both directions, until either side is done or the test ends. */
static void
relay (GIOStream    *client,
       GIOStream    *destination,
       GCancellable *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  gboolean done = FALSE;

  g_main_context_push_thread_default (context);
  g_io_stream_splice_async (client, destination,
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, cancellable, splice_cb, &done);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
}

static void serve (TincanTestProxy *self, GIOStream *stream);

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  TincanTestProxy *self = user_data;

  g_mutex_lock (&self->lock);
  self->n_running++;
  g_mutex_unlock (&self->lock);

  serve (self, G_IO_STREAM (connection));

  g_mutex_lock (&self->lock);
  self->n_running--;
  g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static void
serve (TincanTestProxy *self,
       GIOStream       *stream)
{
  g_autofree char *target = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) destination = NULL;
  static const char http_ok[] = "HTTP/1.0 200 Connection established\r\n\r\n";
  static const guint8 socks_ok[] = { 0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0 };

  if (self->kind == TINCAN_TEST_PROXY_HTTP)
    target = http_handshake (stream, self->cancellable);
  else
    target = socks5_handshake (stream, self->cancellable);
  if (target == NULL)
    return;

  g_mutex_lock (&self->lock);
  g_free (self->target);
  self->target = g_strdup (target);
  self->n_served++;
  g_mutex_unlock (&self->lock);

  g_socket_client_set_enable_proxy (client, FALSE);
  destination = g_socket_client_connect_to_host (client, target, 0, self->cancellable, NULL);
  if (destination == NULL)
    return;

  if (self->kind == TINCAN_TEST_PROXY_HTTP ? write_all (stream, http_ok, strlen (http_ok),
                                                        self->cancellable)
                                           : write_all (stream, socks_ok, sizeof socks_ok,
                                                        self->cancellable))
    relay (stream, G_IO_STREAM (destination), self->cancellable);
}

TincanTestProxy *
tincan_test_proxy_new (TincanTestProxyKind kind)
{
  TincanTestProxy *self = g_new0 (TincanTestProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->kind = kind;
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "run", G_CALLBACK (run_cb), self);
  g_socket_service_start (self->service);

  return self;
}

/* Ends the copying and waits for the worker threads. */
void
tincan_test_proxy_free (TincanTestProxy *self)
{
  g_cancellable_cancel (self->cancellable);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_mutex_lock (&self->lock);
  while (self->n_running > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_object_unref (self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_free (self->target);
  g_free (self);
}

guint16
tincan_test_proxy_get_port (TincanTestProxy *self)
{
  return self->port;
}

char *
tincan_test_proxy_dup_uri (TincanTestProxy *self)
{
  return g_strdup_printf ("%s://127.0.0.1:%u",
                          self->kind == TINCAN_TEST_PROXY_HTTP ? "http" : "socks5", self->port);
}

guint
tincan_test_proxy_get_n_served (TincanTestProxy *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_served;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
tincan_test_proxy_dup_target (TincanTestProxy *self)
{
  char *target;

  g_mutex_lock (&self->lock);
  target = g_strdup (self->target);
  g_mutex_unlock (&self->lock);
  return target;
}

GProxyResolver *
tincan_test_proxy_new_resolver (TincanTestProxy *self)
{
  g_autofree char *uri = tincan_test_proxy_dup_uri (self);

  return g_simple_proxy_resolver_new (uri, NULL);
}
