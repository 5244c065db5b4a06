/* tincan-datagram-reader.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading a UDP socket in batches (recvmmsg), with the kernel's count of the
 * datagrams it dropped because the socket's buffer was full (SO_RXQ_OVFL).
 * Inside src/net/ only. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most datagrams one call reads. */
#define TINCAN_DATAGRAM_BATCH 32

typedef struct _TincanDatagramReader TincanDatagramReader;

/* Called for each datagram read; DATA is valid during the call only. */
typedef void (*TincanDatagramFunc) (const guint8 *data,
                                    gsize         length,
                                    gpointer      user_data);

TincanDatagramReader *tincan_datagram_reader_new          (GSocket               *socket);
void                  tincan_datagram_reader_free         (TincanDatagramReader  *self);
int                   tincan_datagram_reader_read         (TincanDatagramReader  *self,
                                                           TincanDatagramFunc     func,
                                                           gpointer               user_data,
                                                           GError               **error);
guint64               tincan_datagram_reader_take_dropped (TincanDatagramReader  *self);
gsize                 tincan_datagram_reader_get_buffer_size (TincanDatagramReader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanDatagramReader, tincan_datagram_reader_free)

G_END_DECLS
