/* tincan-test-util.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tincan-test-util.h"

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates @context until @condition holds or the deadline passes; returns
 * whether it holds. For a caller that has more to say at a timeout. */
gboolean
tincan_test_iterate_until (GMainContext        *context,
                           TincanTestCondition  condition,
                           gpointer             user_data,
                           guint                timeout_ms)
{
  g_autoptr(GSource) deadline = NULL;
  gboolean timed_out = FALSE;
  gboolean done;

  if (context == NULL)
    context = g_main_context_default ();

  /* The deadline is a source on the same context, so a blocking iteration
   * wakes up for it even when nothing else happens. */
  deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline, deadline_cb, &timed_out, NULL);
  g_source_attach (deadline, context);

  while (!(done = condition (user_data)) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);

  return done;
}

void
tincan_test_wait_for_impl (GMainContext        *context,
                           TincanTestCondition  condition,
                           gpointer             user_data,
                           guint                timeout_ms,
                           const char          *what,
                           const char          *file,
                           int                  line,
                           const char          *func)
{
  if (!tincan_test_iterate_until (context, condition, user_data, timeout_ms))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf ("%s: timed out after %u ms waiting for %s",
                                 g_test_get_path (), timeout_ms, what);
      g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
    }
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
tincan_test_wait_until_impl (GMainContext *context,
                             gboolean     *flag,
                             guint         timeout_ms,
                             const char   *what,
                             const char   *file,
                             int           line,
                             const char   *func)
{
  tincan_test_wait_for_impl (context, flag_is_set, flag, timeout_ms, what, file, line, func);
}

/* A private main context, thread-default until popped: each test's
 * servers and clients run on it, so nothing leaks from one test to the next. */
GMainContext *
tincan_test_push_context (void)
{
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);

  return context;
}

/* Lets cancelled operations finish, then drops the context. */
void
tincan_test_pop_context (GMainContext *context)
{
  tincan_test_drain_context (context);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

void
tincan_test_drain_context (GMainContext *context)
{
  if (context == NULL)
    context = g_main_context_default ();

  while (g_main_context_iteration (context, FALSE))
    ;
}

gboolean
tincan_test_have_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (socket == NULL)
    return FALSE;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  address = g_inet_socket_address_new (loopback, 0);

  return g_socket_bind (socket, address, FALSE, NULL);
}

/**
 * tincan_test_blackhole_new:
 *
 * Opens a listener with a backlog of 0 on 127.0.0.1 and fills its accept
 * queue with one connection that is never accepted.
 *
 * The queue only counts as full once the kernel has processed the filler's
 * final ACK, which can lag behind the filler's connect() returning when the
 * machine is busy. A SYN that arrives before that is answered, and its
 * connect succeeds (the client side completes on the SYN-ACK alone), so
 * this waits until the listener is readable: the filler is queued.
 *
 * Returns: (transfer full): the black hole; free with
 *   tincan_test_blackhole_free().
 */
TincanTestBlackhole *
tincan_test_blackhole_new (void)
{
  TincanTestBlackhole *self = g_new0 (TincanTestBlackhole, 1);
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t length = sizeof address;
  struct pollfd queued = { 0 };

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  self->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (self->listen_fd, >=, 0);
  g_assert_cmpint (bind (self->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (self->listen_fd, 0), ==, 0);
  g_assert_cmpint (getsockname (self->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  self->port = ntohs (address.sin_port);

  self->filler_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (self->filler_fd, >=, 0);
  g_assert_cmpint (connect (self->filler_fd, (struct sockaddr *) &address, sizeof address), ==, 0);

  queued.fd = self->listen_fd;
  queued.events = POLLIN;
  g_assert_cmpint (poll (&queued, 1, 10000), ==, 1);

  return self;
}

void
tincan_test_blackhole_free (TincanTestBlackhole *self)
{
  close (self->filler_fd);
  close (self->listen_fd);
  g_free (self);
}

/**
 * tincan_test_certificate_new:
 * @host_name: the name (or IP address literal) the certificate is for
 * @error: return location for an error
 *
 * Generates a self-signed EC P-256 certificate for @host_name (as common name
 * and subject alternative name, DNS or IP as fits) and its key into a new
 * temporary directory, using the openssl command, and loads them.
 *
 * Returns: (transfer full): the files and the loaded certificate, or %NULL if
 *   openssl failed (its stderr is in the message) or the files do not load.
 *   Free with tincan_test_certificate_free(), which deletes the files.
 */
TincanTestCertificate *
tincan_test_certificate_new (const char  *host_name,
                             GError     **error)
{
  g_autoptr(TincanTestCertificate) self = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *alt_name = NULL;
  g_autofree char *openssl_stderr = NULL;
  int wait_status;

  g_return_val_if_fail (host_name != NULL && *host_name != '\0', NULL);

  self = g_new0 (TincanTestCertificate, 1);
  self->dir = g_dir_make_tmp ("tincan-test-cert-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;

  self->cert_file = g_build_filename (self->dir, "cert.pem", NULL);
  self->key_file = g_build_filename (self->dir, "key.pem", NULL);
  subject = g_strdup_printf ("/CN=%s", host_name);
  alt_name = g_strdup_printf ("subjectAltName=%s:%s",
                              g_hostname_is_ip_address (host_name) ? "IP" : "DNS",
                              host_name);

  {
    const char *argv[] = {
      "openssl", "req", "-x509",
      "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "2",
      "-subj", subject,
      "-addext", alt_name,
      "-keyout", self->key_file,
      "-out", self->cert_file,
      NULL
    };

    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &openssl_stderr, &wait_status, error))
      return NULL;
  }

  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "openssl req failed (%s): ", g_strstrip (openssl_stderr));
      return NULL;
    }

  self->certificate = g_tls_certificate_new_from_files (self->cert_file, self->key_file, error);
  if (self->certificate == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * tincan_test_certificate_free:
 * @self: (nullable): a test certificate
 *
 * Deletes the files and the directory, and frees @self.
 */
void
tincan_test_certificate_free (TincanTestCertificate *self)
{
  if (self == NULL)
    return;

  if (self->cert_file != NULL)
    g_remove (self->cert_file);
  if (self->key_file != NULL)
    g_remove (self->key_file);
  if (self->dir != NULL)
    g_rmdir (self->dir);

  g_clear_object (&self->certificate);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->dir);
  g_free (self);
}

/**
 * tincan_test_make_certificate:
 * @host_name: the name (or IP address literal) the certificate is for
 * @error: return location for an error
 *
 * Like tincan_test_certificate_new() when only the loaded certificate is
 * needed; the files are deleted at once.
 *
 * Returns: (transfer full): a certificate with its private key, or %NULL
 */
GTlsCertificate *
tincan_test_make_certificate (const char  *host_name,
                              GError     **error)
{
  g_autoptr(TincanTestCertificate) files = tincan_test_certificate_new (host_name, error);

  if (files == NULL)
    return NULL;

  return g_object_ref (files->certificate);
}

/**
 * tincan_test_certificate_dup_fingerprint:
 * @certificate: a certificate
 *
 * Returns: (transfer full): the SHA-256 of the DER form, lowercase hex, the
 *   way a client pins a self-signed certificate
 */
char *
tincan_test_certificate_dup_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_assert (der != NULL);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static gboolean
flag_set_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates @context for @msec. Only for a test that asserts that something
 * does NOT happen within that time, or to let cancelled operations (some
 * finish in glib-networking's threads) call back before the test looks. */
void
tincan_test_run_for (GMainContext *context,
                     guint         msec)
{
  gboolean done = FALSE;
  GSource *source = g_timeout_source_new (msec);

  g_source_set_callback (source, flag_set_cb, &done, NULL);
  g_source_attach (source, context);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
}

/* A free loopback port: bound, then released. Good enough on loopback in a
 * test. */
guint16
tincan_test_free_port (GSocketType type)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or 0 where /proc
 * says nothing. */
gsize
tincan_test_read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, key);
  if (line == NULL)
    return 0;

  return (gsize) g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* This process's resident set in KiB. */
gsize
tincan_test_read_rss_kib (void)
{
  return tincan_test_read_status_kib ("VmRSS");
}

static gboolean
stall_probe_cb (gpointer data)
{
  TincanTestStallProbe *probe = data;
  gint64 now = g_get_monotonic_time ();

  if (probe->expected != 0)
    probe->worst_us = MAX (probe->worst_us, now - probe->expected);
  probe->expected = now + probe->interval_ms * 1000;
  return G_SOURCE_CONTINUE;
}

/* Starts a high-priority timer on the default main context; its lateness
 * at worst is the longest stall (worst_us), until tincan_test_stall_probe_stop(). */
void
tincan_test_stall_probe_start (TincanTestStallProbe *probe,
                               guint                 interval_ms)
{
  *probe = (TincanTestStallProbe) { interval_ms, 0, 0, 0 };
  probe->source_id = g_timeout_add_full (G_PRIORITY_HIGH, interval_ms, stall_probe_cb, probe,
                                         NULL);
}

void
tincan_test_stall_probe_stop (TincanTestStallProbe *probe)
{
  g_clear_handle_id (&probe->source_id, g_source_remove);
}
