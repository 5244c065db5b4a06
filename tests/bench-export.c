/* bench-export.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What each export format costs: N entries of a 63-byte payload and an LF
 * (64 wire bytes), sent and received in turns on one TCP connection,
 * exported with tincan_export_write_file () to a new file in a fresh
 * directory, against the baseline of writing the same entries' wire bytes
 * raw to the same kind of file (a GUnixOutputStream over a new file, in
 * 256 KiB pieces), in the same run. Target: under 2 s per format for a
 * million entries.
 *
 *   meson test -C _build --benchmark export -v
 *   (or: _build/tests/bench-export [--entries N])
 */

#include <fcntl.h>
#include <locale.h>

#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "tincan-export.h"

#define PAYLOAD_LENGTH 63
#define PLAIN_PIECE (256 * 1024)
#define ROUNDS 3
#define TARGET_SECONDS 2.0

static guint n_entries = 1000000;

static GPtrArray *
make_entries (void)
{
  GPtrArray *entries = g_ptr_array_new_full (n_entries + 1, (GDestroyNotify) tincan_message_unref);
  g_autoptr(TincanConnectionInfo) info =
    tincan_connection_info_new (1, TINCAN_TRANSPORT_TCP, "127.0.0.1:51234", "127.0.0.1:7");
  TincanMessage *connected = tincan_message_new_text (TINCAN_MESSAGE_KIND_STATUS, "Connected");
  guint8 payload[PAYLOAD_LENGTH];

  _tincan_message_set_exchange (connected, 1, -1);
  _tincan_message_set_connection_info (connected, info);
  g_ptr_array_add (entries, connected);
  for (guint i = 0; i < n_entries; i++)
    {
      TincanMessageKind kind = i % 2 ? TINCAN_MESSAGE_KIND_RECEIVED : TINCAN_MESSAGE_KIND_SENT;
      TincanMessage *message;

      memset (payload, 'a' + i % 26, sizeof payload);
      message = tincan_message_new_framed (kind, 0, NULL, 0, payload, sizeof payload,
                                           (const guint8 *) "\n", 1);
      _tincan_message_set_exchange (message, 1, i % 2 ? 120 : -1);
      g_ptr_array_add (entries, message);
    }
  return entries;
}

static double
time_export (TincanExportFormat  format,
             GPtrArray          *entries,
             const char         *path,
             goffset            *size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  gint64 start;
  double seconds;

  g_unlink (path);
  start = g_get_monotonic_time ();
  if (!tincan_export_write_file (format, (TincanMessage * const *) entries->pdata, entries->len,
                                 NULL, path, NULL, NULL, NULL, &error))
    g_error ("bench-export: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  *size = g_file_info_get_size (info);
  return seconds;
}

/* The least an exporter must do: the wire bytes, gathered and written. */
static double
time_raw (GPtrArray  *entries,
          const char *path)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) piece = g_string_sized_new (PLAIN_PIECE + 1024);
  gint64 start;
  int fd;

  g_unlink (path);
  start = g_get_monotonic_time ();
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  g_assert_cmpint (fd, >=, 0);
  stream = g_unix_output_stream_new (fd, TRUE);
  for (guint i = 0; i < entries->len; i++)
    {
      gsize prefix, length, suffix;
      const guint8 *wire = tincan_message_get_prefix (g_ptr_array_index (entries, i), &prefix);

      tincan_message_get_data (g_ptr_array_index (entries, i), &length);
      tincan_message_get_suffix (g_ptr_array_index (entries, i), &suffix);
      g_string_append_len (piece, (const char *) wire, prefix + length + suffix);
      if (piece->len >= PLAIN_PIECE || i + 1 == entries->len)
        {
          g_output_stream_write_all (stream, piece->str, piece->len, NULL, NULL, &error);
          g_assert_no_error (error);
          g_string_truncate (piece, 0);
        }
    }
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  static const TincanExportFormat formats[] = {
    TINCAN_EXPORT_TEXT, TINCAN_EXPORT_CSV, TINCAN_EXPORT_JSONL, TINCAN_EXPORT_HEXDUMP,
    TINCAN_EXPORT_C, TINCAN_EXPORT_PCAPNG,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  double best[G_N_ELEMENTS (formats)];
  goffset sizes[G_N_ELEMENTS (formats)];
  double raw_best = G_MAXDOUBLE;
  gboolean slow = FALSE;

  setlocale (LC_ALL, "");

  if (argc == 3 && g_str_equal (argv[1], "--entries"))
    n_entries = g_ascii_strtoull (argv[2], NULL, 10);
  g_assert_cmpuint (n_entries, >, 0);

  dir = g_dir_make_tmp ("tincan-bench-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "export", NULL);
  entries = make_entries ();
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    best[f] = G_MAXDOUBLE;

  /* In turns, best of each: this machine's speed drifts. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      raw_best = MIN (raw_best, time_raw (entries, path));
      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        best[f] = MIN (best[f], time_export (formats[f], entries, path, &sizes[f]));
    }
  g_unlink (path);
  g_rmdir (dir);

  g_print ("export: %u entries of %d bytes + LF, sent and received in turns, best of %d\n",
           n_entries, PAYLOAD_LENGTH, ROUNDS);
  g_print ("  %-8s %.3f s  (baseline: the wire bytes, raw, %.1f MB)\n", "raw", raw_best,
           n_entries * (PAYLOAD_LENGTH + 1) / 1e6);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_print ("  %-8s %.3f s  %6.1f MB  %.0f ns per entry  %.1f x raw\n",
               tincan_export_format_to_name (formats[f]), best[f], sizes[f] / 1e6,
               best[f] * 1e9 / n_entries, best[f] / raw_best);
      slow |= n_entries >= 1000000 && best[f] > TARGET_SECONDS;
    }
  if (slow)
    g_print ("  over the target of %.1f s for a format\n", TARGET_SECONDS);
  return slow ? 1 : 0;
}
