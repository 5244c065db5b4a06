/* test-datagram-reader.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sys/socket.h>

#include "tincan-datagram-reader.h"
#include "tincan-test-util.h"

typedef struct
{
  GSocket *receiver;
  GSocket *sender;
} Pair;

/* Two connected UDP sockets on 127.0.0.1. */
static void
pair_open (Pair *pair)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) receiver_address = NULL;
  g_autoptr(GSocketAddress) sender_address = NULL;
  g_autoptr(GError) error = NULL;

  pair->receiver = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                 G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  pair->sender = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (pair->receiver, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_bind (pair->sender, any, FALSE, &error);
  g_assert_no_error (error);
  receiver_address = g_socket_get_local_address (pair->receiver, &error);
  sender_address = g_socket_get_local_address (pair->sender, &error);
  g_socket_connect (pair->receiver, sender_address, NULL, &error);
  g_assert_no_error (error);
  g_socket_connect (pair->sender, receiver_address, NULL, &error);
  g_assert_no_error (error);
}

static void
pair_close (Pair *pair)
{
  g_clear_object (&pair->receiver);
  g_clear_object (&pair->sender);
}

static void
send_datagram (Pair   *pair,
               guint8  fill,
               gsize   length)
{
  g_autofree guint8 *data = g_malloc (MAX (length, 1));
  g_autoptr(GError) error = NULL;

  memset (data, fill, length);
  g_assert_cmpint (g_socket_send (pair->sender, (const char *) data, length, NULL, &error),
                   ==, (gssize) length);
  g_assert_no_error (error);
}

typedef struct
{
  GArray *lengths;
  GArray *fills;
  gboolean intact;
} Seen;

static void
seen_cb (const guint8 *data,
         gsize         length,
         gpointer      user_data)
{
  Seen *seen = user_data;
  guint8 fill = length > 0 ? data[0] : 0;

  for (gsize i = 0; i < length; i++)
    if (data[i] != fill)
      seen->intact = FALSE;
  g_array_append_val (seen->lengths, length);
  g_array_append_val (seen->fills, fill);
}

static void
seen_init (Seen *seen)
{
  seen->lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  seen->fills = g_array_new (FALSE, FALSE, sizeof (guint8));
  seen->intact = TRUE;
}

static void
seen_clear (Seen *seen)
{
  g_array_unref (seen->lengths);
  g_array_unref (seen->fills);
}

/* Reads until nothing is waiting; returns the number of calls that read. */
static guint
read_all (TincanDatagramReader *reader,
          Seen                 *seen)
{
  g_autoptr(GError) error = NULL;
  guint calls = 0;
  int n;

  while ((n = tincan_datagram_reader_read (reader, seen_cb, seen, &error)) > 0)
    calls++;
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  return calls;
}

/* 100 datagrams come out whole, in order, in batches; sizes from an empty
 * datagram to the largest IPv4 allows. */
static void
test_batches (void)
{
  Pair pair;
  Seen seen;
  g_autoptr(TincanDatagramReader) reader = NULL;
  const gsize sizes[] = { 0, 1, 1500, 65507 };

  pair_open (&pair);
  seen_init (&seen);
  reader = tincan_datagram_reader_new (pair.receiver);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    send_datagram (&pair, 'A' + i, sizes[i]);
  for (guint i = 0; i < 96; i++)
    send_datagram (&pair, i, 64);

  g_assert_cmpuint (read_all (reader, &seen), <=, 100 / TINCAN_DATAGRAM_BATCH + 1);
  g_assert_cmpuint (seen.lengths->len, ==, 100);
  g_assert_true (seen.intact);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_assert_cmpuint (g_array_index (seen.lengths, gsize, i), ==, sizes[i]);
  for (guint i = 0; i < 96; i++)
    g_assert_cmpuint (g_array_index (seen.fills, guint8, 4 + i), ==, i);
  g_assert_cmpuint (tincan_datagram_reader_take_dropped (reader), ==, 0);

  seen_clear (&seen);
  pair_close (&pair);
}

/* A receive buffer that overflows: every datagram is either read or
 * counted as dropped by the kernel, including drops after the last one
 * that was queued. */
static void
test_drops_counted (void)
{
  Pair pair;
  Seen seen;
  g_autoptr(TincanDatagramReader) reader = NULL;
  int small = 4096;
  guint64 dropped;

  pair_open (&pair);
  seen_init (&seen);
  reader = tincan_datagram_reader_new (pair.receiver);
  g_assert_cmpint (setsockopt (g_socket_get_fd (pair.receiver), SOL_SOCKET, SO_RCVBUF,
                               &small, sizeof small), ==, 0);

  for (guint i = 0; i < 200; i++)
    send_datagram (&pair, 'x', 1000);
  read_all (reader, &seen);
  dropped = tincan_datagram_reader_take_dropped (reader);

  g_assert_cmpuint (seen.lengths->len, <, 200);
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (seen.lengths->len + dropped, ==, 200);
  /* Taken means reported once. */
  g_assert_cmpuint (tincan_datagram_reader_take_dropped (reader), ==, 0);

  seen_clear (&seen);
  pair_close (&pair);
}

/* An ICMP port unreachable comes back on a connected socket as an error. */
static void
test_port_unreachable (void)
{
  Pair pair;
  Seen seen;
  g_autoptr(TincanDatagramReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  pair_open (&pair);
  seen_init (&seen);
  reader = tincan_datagram_reader_new (pair.receiver);
  /* The peer goes away: its port is closed, and the kernel answers with
   * port unreachable. */
  g_clear_object (&pair.sender);
  {
    g_autoptr(GError) send_error = NULL;

    g_socket_send (pair.receiver, "x", 1, NULL, &send_error);
    g_assert_no_error (send_error);
  }

  n = tincan_datagram_reader_read (reader, seen_cb, &seen, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  seen_clear (&seen);
  pair_close (&pair);
}

/* The buffer asked for is larger than the default, within the kernel's cap. */
static void
test_buffer_raised (void)
{
  Pair pair;
  g_autoptr(TincanDatagramReader) reader = NULL;
  int before = 0;
  socklen_t length = sizeof before;

  pair_open (&pair);
  g_assert_cmpint (getsockopt (g_socket_get_fd (pair.receiver), SOL_SOCKET, SO_RCVBUF,
                               &before, &length), ==, 0);
  reader = tincan_datagram_reader_new (pair.receiver);
  g_assert_cmpuint (tincan_datagram_reader_get_buffer_size (reader), >=, (gsize) before);
  pair_close (&pair);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/datagram-reader/batches", test_batches);
  g_test_add_func ("/net/datagram-reader/drops-counted", test_drops_counted);
  g_test_add_func ("/net/datagram-reader/port-unreachable", test_port_unreachable);
  g_test_add_func ("/net/datagram-reader/buffer-raised", test_buffer_raised);

  return g_test_run ();
}
