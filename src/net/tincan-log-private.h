/* tincan-log-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-log.h"

/* Between the log's writer (tincan-log.c) and its formatting
 * (tincan-log-format.c); nothing else includes this. */

G_BEGIN_DECLS

/* Entries are rendered and written in pieces of this many bytes of payload,
 * so a 16 MiB entry never becomes one 64 MB string. */
#define PIECE_SIZE (256 * 1024)

/* The seconds of an entry's time, formatted once per second: a flood logs
 * a million entries within a second or two, and a GDateTime made and
 * formatted per entry was a large part of the writer's time. */
typedef struct
{
  gint64 second;       /* what stamp says; G_MININT64 before the first */
  char   stamp[32];    /* "2026-11-25T12:00:00" */
  gsize  stamp_length;
} TincanLogTimeCache;

/* Where formatted text goes: a buffer that, with a stream, is written out
 * whenever it holds a piece's worth. After a failed write it only counts.
 * The writer keeps one for its life, so the buffer and the time stay. */
typedef struct
{
  GString            *out;
  GOutputStream      *stream;  /* NULL: format only */
  GError             *error;
  TincanLogTimeCache  time;
} TincanLogSink;

void _tincan_log_sink_init     (TincanLogSink  *sink,
                               GOutputStream  *stream,
                               gsize           size);
void _tincan_log_sink_clear    (TincanLogSink  *sink);
void _tincan_log_sink_write    (TincanLogSink  *sink,
                               gsize           at_least);
void _tincan_log_append_entry  (TincanLogSink  *sink,
                               TincanMessage  *message);
void _tincan_log_append_gap    (TincanLogSink  *sink,
                               guint64         gap);
void _tincan_log_append_header (TincanLogSink  *sink,
                               gint64          started);
void _tincan_log_append_uint   (GString            *out,
                               guint64             value);
const char *_tincan_log_direction_name (TincanMessageKind kind);
void _tincan_log_append_time   (TincanLogTimeCache *cache,
                               GString            *out,
                               gint64              usec);

G_END_DECLS
