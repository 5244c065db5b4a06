/* tincan-export-pcapng.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Entries as a pcapng capture that Wireshark follows as streams: a
 * synthesised link (LINKTYPE_RAW: each packet is an IP packet), IPv4 or
 * IPv6 and TCP or UDP headers with the connection's real ends. A TCP
 * connection gets a handshake before its first entry and a FIN from each
 * side after its last, with sequence and acknowledgement numbers that count
 * the bytes each side sent. The payload of a packet is an entry's wire
 * bytes (framing included): what crossed the wire.
 *
 * TLS connections are written as TCP with the plaintext: Tincan never saw
 * the records on the wire, only what they carried.
 *
 * Status and error entries become packet comments (opt_comment): on a
 * packet without payload of their connection (an ACK, or an empty datagram),
 * or, for entries about no connection, on an IP packet of protocol 253 (for
 * experiments, RFC 3692) between two documentation addresses, which opens
 * no TCP or UDP stream and so leaves the streams' numbers alone.
 *
 * Timestamps are microseconds (the default if_tsresol, so the interface
 * block has no options). */

#include "config.h"

#include <string.h>

#include "tincan-export-private.h"

#define BLOCK_SHB 0x0A0D0D0Au
#define BLOCK_IDB 0x00000001u
#define BLOCK_EPB 0x00000006u
#define LINKTYPE_RAW 101
#define OPT_COMMENT 1

#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_EXPERIMENT 253

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* The most payload in one packet: an IPv4 packet's length is 16 bits and
 * its headers take 40 bytes; longer entries are cut into segments. */
#define MAX_SEGMENT 65000

/* For entries whose connection has no record (a format 1 or 2 log): TEST-NET-1. */
static const guint8 documentation_client[4] = { 192, 0, 2, 1 };
static const guint8 documentation_server[4] = { 192, 0, 2, 2 };

typedef struct
{
  gboolean v6;
  gboolean udp;
  guint8   client[16];
  guint8   server[16];
  guint16  client_port;
  guint16  server_port;
  guint32  client_seq;   /* the next sequence number of each side */
  guint32  server_seq;
  gboolean open;
  guint    last;         /* the index of the connection's last entry */
} Flow;

struct _TincanPcapng
{
  TincanLogSink         *sink;
  TincanMessage * const *messages;
  GHashTable            *connections;  /* id -> TincanConnectionInfo */
  GHashTable            *flows;        /* id -> Flow */
  guint16                ip_id;
};

typedef struct
{
  guint8        header[60];   /* IP and TCP or UDP */
  gsize         header_length;
  const guint8 *payload;
  gsize         payload_length;
} Packet;

static void
put16 (guint8  *p,
       guint16  value)
{
  p[0] = value >> 8;
  p[1] = value & 0xFF;
}

static void
put32 (guint8  *p,
       guint32  value)
{
  put16 (p, value >> 16);
  put16 (p + 2, value & 0xFFFF);
}

/* The sink's numbers are little-endian: the section header's byte-order
 * magic says so (readers swap when it reads 0x4D3C2B1A). */
static void
append_le32 (GString *out,
             guint32  value)
{
  guint32 le = GUINT32_TO_LE (value);

  g_string_append_len (out, (const char *) &le, 4);
}

static void
append_le16 (GString *out,
             guint16  value)
{
  guint16 le = GUINT16_TO_LE (value);

  g_string_append_len (out, (const char *) &le, 2);
}

static void
append_padding (GString *out,
                gsize    length)
{
  static const char zeros[4] = { 0 };

  g_string_append_len (out, zeros, (4 - length % 4) % 4);
}

static gsize
padded (gsize length)
{
  return (length + 3) & ~(gsize) 3;
}

/* The Internet checksum (RFC 1071): the ones' complement sum of 16-bit
 * words. Written by hand because zlib has only CRCs and Adler-32, and GLib
 * none: IP, TCP and UDP use this one. Call with even lengths except for the
 * last piece. */
static guint32
checksum_add (guint32       sum,
              const guint8 *data,
              gsize         length)
{
  gsize i;

  for (i = 0; i + 1 < length; i += 2)
    sum += (guint32) data[i] << 8 | data[i + 1];
  if (i < length)
    sum += (guint32) data[i] << 8;
  return sum;
}

static guint16
checksum_fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xFFFF) + (sum >> 16);
  return (guint16) ~sum;
}

static void
append_section_header (TincanLogSink *sink)
{
  GString *out = sink->out;

  append_le32 (out, BLOCK_SHB);
  append_le32 (out, 28);
  append_le32 (out, 0x1A2B3C4D);
  append_le16 (out, 1);
  append_le16 (out, 0);
  /* The section's length: unknown (-1), as it is written as it goes. */
  append_le32 (out, 0xFFFFFFFF);
  append_le32 (out, 0xFFFFFFFF);
  append_le32 (out, 28);

  append_le32 (out, BLOCK_IDB);
  append_le32 (out, 20);
  append_le16 (out, LINKTYPE_RAW);
  append_le16 (out, 0);
  append_le32 (out, 0);  /* snaplen: no limit */
  append_le32 (out, 20);
}

/* An Enhanced Packet Block with @packet, and the sentences of @comments
 * (nullable) as its options. */
static void
append_packet_block (TincanLogSink *sink,
                     gint64         usec,
                     const Packet  *packet,
                     const char    *comment)
{
  GString *out = sink->out;
  gsize length = packet->header_length + packet->payload_length;
  gsize comment_length = comment ? strlen (comment) : 0;
  gsize options = comment ? 4 + padded (MIN (comment_length, G_MAXUINT16)) + 4 : 0;
  guint64 stamp = (guint64) MAX (usec, 0);

  comment_length = MIN (comment_length, G_MAXUINT16);
  append_le32 (out, BLOCK_EPB);
  append_le32 (out, 32 + padded (length) + options);
  append_le32 (out, 0);
  append_le32 (out, stamp >> 32);
  append_le32 (out, stamp & 0xFFFFFFFF);
  append_le32 (out, length);
  append_le32 (out, length);
  g_string_append_len (out, (const char *) packet->header, packet->header_length);
  g_string_append_len (out, (const char *) packet->payload, packet->payload_length);
  append_padding (out, length);
  if (comment != NULL)
    {
      append_le16 (out, OPT_COMMENT);
      append_le16 (out, comment_length);
      g_string_append_len (out, comment, comment_length);
      append_padding (out, comment_length);
      append_le32 (out, 0);  /* opt_endofopt */
    }
  append_le32 (out, 32 + padded (length) + options);
}

/* The IP header at the start of @packet, for @l4_length bytes after it;
 * returns its length. */
static gsize
put_ip (TincanPcapng *self,
        guint8       *p,
        gboolean      v6,
        const guint8 *source,
        const guint8 *destination,
        guint8        protocol,
        gsize         l4_length)
{
  if (v6)
    {
      memset (p, 0, 40);
      p[0] = 0x60;
      put16 (p + 4, l4_length);
      p[6] = protocol;
      p[7] = 64;
      memcpy (p + 8, source, 16);
      memcpy (p + 24, destination, 16);
      return 40;
    }

  memset (p, 0, 20);
  p[0] = 0x45;
  put16 (p + 2, 20 + l4_length);
  put16 (p + 4, self->ip_id++);
  p[6] = 0x40;  /* don't fragment */
  p[8] = 64;
  p[9] = protocol;
  memcpy (p + 12, source, 4);
  memcpy (p + 16, destination, 4);
  put16 (p + 10, checksum_fold (checksum_add (0, p, 20)));
  return 20;
}

/* The pseudo-header's sum (RFC 793, RFC 8200 section 8.1) for the TCP or
 * UDP checksum. */
static guint32
pseudo_sum (gboolean      v6,
            const guint8 *source,
            const guint8 *destination,
            guint8        protocol,
            gsize         l4_length)
{
  gsize address_length = v6 ? 16 : 4;
  guint8 tail[8] = { 0 };
  guint32 sum;

  sum = checksum_add (0, source, address_length);
  sum = checksum_add (sum, destination, address_length);
  put32 (tail, l4_length);
  tail[7] = protocol;
  return checksum_add (sum, tail, sizeof tail);
}

static void
write_segment (TincanPcapng *self,
               Flow         *flow,
               gboolean      from_client,
               guint8        tcp_flags,
               const guint8 *payload,
               gsize         length,
               gint64        usec,
               const char   *comment)
{
  const guint8 *source = from_client ? flow->client : flow->server;
  const guint8 *destination = from_client ? flow->server : flow->client;
  guint8 protocol = flow->udp ? PROTO_UDP : PROTO_TCP;
  gsize l4_header = flow->udp ? 8 : 20;
  Packet packet = { .payload = payload, .payload_length = length };
  guint8 *l4;
  guint32 sum;
  guint16 checksum;

  packet.header_length = put_ip (self, packet.header, flow->v6, source, destination, protocol,
                                 l4_header + length);
  l4 = packet.header + packet.header_length;
  memset (l4, 0, l4_header);
  put16 (l4, from_client ? flow->client_port : flow->server_port);
  put16 (l4 + 2, from_client ? flow->server_port : flow->client_port);
  if (flow->udp)
    {
      put16 (l4 + 4, l4_header + length);
    }
  else
    {
      put32 (l4 + 4, from_client ? flow->client_seq : flow->server_seq);
      put32 (l4 + 8, tcp_flags & TCP_ACK ? (from_client ? flow->server_seq : flow->client_seq) : 0);
      l4[12] = 5 << 4;
      l4[13] = tcp_flags;
      put16 (l4 + 14, 65535);
    }
  packet.header_length += l4_header;

  sum = pseudo_sum (flow->v6, source, destination, protocol, l4_header + length);
  sum = checksum_add (sum, l4, l4_header);
  sum = checksum_add (sum, payload, length);
  checksum = checksum_fold (sum);
  /* In UDP, 0 means "no checksum": a sum of 0 is sent as its other form. */
  if (flow->udp && checksum == 0)
    checksum = 0xFFFF;
  put16 (l4 + (flow->udp ? 6 : 16), checksum);

  append_packet_block (self->sink, usec, &packet, comment);
  _tincan_log_sink_write (self->sink, PIECE_SIZE);
}

/* The payload of @from_client's side, cut into segments, each counted in
 * that side's sequence number. */
static void
write_data (TincanPcapng *self,
            Flow         *flow,
            gboolean      from_client,
            const guint8 *data,
            gsize         length,
            gint64        usec)
{
  for (gsize start = 0; start < length; start += MAX_SEGMENT)
    {
      gsize n = MIN (MAX_SEGMENT, length - start);

      write_segment (self, flow, from_client, TCP_PSH | TCP_ACK, data + start, n, usec, NULL);
      if (from_client)
        flow->client_seq += n;
      else
        flow->server_seq += n;
    }
}

static gboolean
address_bytes (const char *text,
               guint8     *bytes,
               guint16    *port,
               gboolean   *v6)
{
  g_autoptr(GInetSocketAddress) address = tincan_connection_info_parse_address (text);
  GInetAddress *inet;

  if (address == NULL)
    return FALSE;

  inet = g_inet_socket_address_get_address (address);
  *v6 = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;
  memcpy (bytes, g_inet_address_to_bytes (inet), g_inet_address_get_native_size (inet));
  *port = g_inet_socket_address_get_port (address);
  return TRUE;
}

/* The ends of connection @id: its record's, or documentation addresses
 * with a port per connection when it has none (or an end is not an IP
 * address). The sequence numbers start at numbers made of the id, so that
 * two exports of one log are the same file. */
static void
flow_init (Flow                       *flow,
           guint64                     id,
           const TincanConnectionInfo *info)
{
  gboolean client_v6 = FALSE, server_v6 = FALSE;

  flow->udp = info != NULL && tincan_connection_info_get_transport (info) == TINCAN_TRANSPORT_UDP;
  if (info == NULL ||
      !address_bytes (tincan_connection_info_get_local (info), flow->client, &flow->client_port,
                      &client_v6) ||
      !address_bytes (tincan_connection_info_get_peer (info), flow->server, &flow->server_port,
                      &server_v6) ||
      client_v6 != server_v6)
    {
      client_v6 = FALSE;
      memcpy (flow->client, documentation_client, 4);
      memcpy (flow->server, documentation_server, 4);
      flow->client_port = 49152 + id % 16384;
      flow->server_port = 9;
    }
  flow->v6 = client_v6;
  flow->client_seq = (guint32) (id * 0x01000193u);
  flow->server_seq = (guint32) (id * 0x9E3779B1u);
}

static Flow *
flow_for (TincanPcapng *self,
          guint64       id,
          gint64        usec)
{
  Flow *flow = g_hash_table_lookup (self->flows, &id);

  if (flow->open || flow->udp)
    return flow;

  /* SYN, SYN-ACK, ACK: each SYN counts one in its side's numbers. */
  flow->open = TRUE;
  write_segment (self, flow, TRUE, TCP_SYN, NULL, 0, usec, NULL);
  flow->client_seq++;
  write_segment (self, flow, FALSE, TCP_SYN | TCP_ACK, NULL, 0, usec, NULL);
  flow->server_seq++;
  write_segment (self, flow, TRUE, TCP_ACK, NULL, 0, usec, NULL);
  return flow;
}

/* A FIN from each side, the client's first (we closed, or saw the close),
 * then the last ACK. */
static void
flow_close (TincanPcapng *self,
            Flow         *flow,
            gint64        usec)
{
  if (flow->udp)
    return;

  write_segment (self, flow, TRUE, TCP_FIN | TCP_ACK, NULL, 0, usec, NULL);
  flow->client_seq++;
  write_segment (self, flow, FALSE, TCP_FIN | TCP_ACK, NULL, 0, usec, NULL);
  flow->server_seq++;
  write_segment (self, flow, TRUE, TCP_ACK, NULL, 0, usec, NULL);
}

static void
write_unattached_comment (TincanPcapng *self,
                          const char   *comment,
                          gint64        usec)
{
  Packet packet = { .payload = NULL, .payload_length = 0 };

  packet.header_length = put_ip (self, packet.header, FALSE, documentation_client,
                                 documentation_server, PROTO_EXPERIMENT, 0);
  append_packet_block (self->sink, usec, &packet, comment);
}

/* "status: Connected to ..." or "error: ...": what the row says, with what it is. */
static char *
comment_for (TincanMessage *message)
{
  gsize length;
  const guint8 *data = tincan_message_get_data (message, &length);
  g_autofree char *text = g_utf8_make_valid ((const char *) data, length);

  return g_strconcat (tincan_message_get_kind (message) == TINCAN_MESSAGE_KIND_ERROR
                      ? "error: " : "status: ", text, NULL);
}

TincanPcapng *
_tincan_pcapng_new (TincanLogSink         *sink,
                    TincanMessage * const *messages,
                    guint                  n_messages,
                    GHashTable            *connections)
{
  TincanPcapng *self = g_new0 (TincanPcapng, 1);

  self->sink = sink;
  self->messages = messages;
  self->connections = connections;
  self->flows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);

  /* Where each connection ends, so that its FIN comes right after its last entry. */
  for (guint i = 0; i < n_messages; i++)
    {
      guint64 id = tincan_message_get_connection_id (messages[i]);
      Flow *flow;

      if (id == 0)
        continue;
      flow = g_hash_table_lookup (self->flows, &id);
      if (flow == NULL)
        {
          guint64 *key;

          /* The key lives in the value, after the Flow, at an offset
           * rounded up so that it is aligned for a guint64. */
          gsize offset = (sizeof (Flow) + G_ALIGNOF (guint64) - 1) & ~(G_ALIGNOF (guint64) - 1);

          flow = g_malloc0 (offset + sizeof (guint64));
          key = (guint64 *) (void *) ((char *) flow + offset);
          *key = id;
          flow_init (flow, id, g_hash_table_lookup (connections, &id));
          g_hash_table_insert (self->flows, key, flow);
        }
      flow->last = i;
    }

  append_section_header (sink);
  return self;
}

void
_tincan_pcapng_entry (TincanPcapng *self,
                      guint         index)
{
  TincanMessage *message = self->messages[index];
  TincanMessageKind kind = tincan_message_get_kind (message);
  guint64 id = tincan_message_get_connection_id (message);
  gint64 usec = tincan_message_get_real_time (message);
  Flow *flow;

  if (id == 0)
    {
      g_autofree char *comment = comment_for (message);

      write_unattached_comment (self, comment, usec);
      return;
    }

  flow = flow_for (self, id, usec);
  if (kind == TINCAN_MESSAGE_KIND_SENT || kind == TINCAN_MESSAGE_KIND_RECEIVED)
    {
      gsize prefix_length, length, suffix_length;
      const guint8 *prefix = tincan_message_get_prefix (message, &prefix_length);
      const guint8 *suffix = tincan_message_get_suffix (message, &suffix_length);
      gboolean from_client = kind == TINCAN_MESSAGE_KIND_SENT;

      tincan_message_get_data (message, &length);
      /* The prefix, payload and suffix lie one after the other in the
       * entry's storage: its wire bytes. */
      g_assert (prefix + prefix_length + length == suffix);
      if (flow->udp)
        write_segment (self, flow, from_client, 0, prefix, prefix_length + length + suffix_length,
                       usec, NULL);
      else
        write_data (self, flow, from_client, prefix, prefix_length + length + suffix_length, usec);
    }
  else
    {
      g_autofree char *comment = comment_for (message);

      write_segment (self, flow, TRUE, TCP_ACK, NULL, 0, usec, comment);
    }

  if (flow->last == index)
    flow_close (self, flow, usec);
}

void
_tincan_pcapng_free (TincanPcapng *self)
{
  g_hash_table_unref (self->flows);
  g_free (self);
}
