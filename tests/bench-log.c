/* bench-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the log writer costs per entry: N received entries of a 63-byte
 * payload and an LF, as the LF flood makes them, handed to a TincanLog in
 * batches of 1,024 and written to a file in a fresh directory, against a
 * plain write () of the same file's bytes in 256 KiB pieces (the least any
 * writer must do), in the same run.
 *
 *   meson test -C _build --benchmark log -v
 *   (or: _build/tests/bench-log [--entries N])
 */

#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tincan-log.h"

#define PAYLOAD_LENGTH 63
#define BATCH 1024
#define PLAIN_PIECE (256 * 1024)
#define ROUNDS 3

static guint n_entries = 1000000;

static GPtrArray *
make_entries (void)
{
  GPtrArray *entries = g_ptr_array_new_full (n_entries, (GDestroyNotify) tincan_message_unref);
  guint8 payload[PAYLOAD_LENGTH];

  for (guint i = 0; i < n_entries; i++)
    {
      memset (payload, 'a' + i % 26, sizeof payload);
      g_ptr_array_add (entries,
                       tincan_message_new_framed (TINCAN_MESSAGE_KIND_RECEIVED, 0, NULL, 0,
                                                  payload, sizeof payload,
                                                  (const guint8 *) "\n", 1));
    }
  return entries;
}

/* Seconds from handing the first entry over to the log being on disk. */
static double
time_log (GPtrArray  *entries,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanLog) log = tincan_log_open (path, &error);
  gint64 start;

  g_assert_no_error (error);
  /* Every entry is queued: the writer's pace is what is measured here. */
  tincan_log_set_max_queued (log, G_MAXSIZE);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < entries->len; i += BATCH)
    tincan_log_write (log, (TincanMessage **) entries->pdata + i, MIN (BATCH, entries->len - i));
  if (!tincan_log_wait (log, 120 * G_USEC_PER_SEC, &error))
    g_error ("bench-log: %s", error->message);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Seconds to write @contents to @path with plain write () calls. */
static double
time_plain (const char *contents,
            gsize       length,
            const char *path)
{
  gint64 start;
  int fd;

  /* A new file, as the log's. */
  g_unlink (path);
  start = g_get_monotonic_time ();
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  for (gsize off = 0; off < length;)
    {
      ssize_t w = write (fd, contents + off, MIN (PLAIN_PIECE, length - off));

      g_assert_cmpint (w, >, 0);
      off += w;
    }
  g_assert_cmpint (close (fd), ==, 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *plain_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  double log_best = G_MAXDOUBLE, plain_best = G_MAXDOUBLE, null_best = G_MAXDOUBLE;
  gsize length = 0;

  setlocale (LC_ALL, "");

  if (argc == 3 && g_str_equal (argv[1], "--entries"))
    n_entries = g_ascii_strtoull (argv[2], NULL, 10);
  g_assert_cmpuint (n_entries, >, 0);

  dir = g_dir_make_tmp ("tincan-bench-log-XXXXXX", &error);
  g_assert_no_error (error);
  log_path = g_build_filename (dir, "log.jsonl", NULL);
  plain_path = g_build_filename (dir, "plain.jsonl", NULL);
  entries = make_entries ();

  /* In turns, best of each: this machine's speed drifts. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      double log_seconds, plain_seconds, null_seconds;

      g_unlink (log_path);
      log_seconds = time_log (entries, log_path);
      log_best = MIN (log_best, log_seconds);
      if (contents == NULL)
        {
          g_file_get_contents (log_path, &contents, &length, &error);
          g_assert_no_error (error);
        }
      plain_seconds = time_plain (contents, length, plain_path);
      plain_best = MIN (plain_best, plain_seconds);
      null_seconds = time_log (entries, "/dev/null");
      null_best = MIN (null_best, null_seconds);
    }

  g_print ("log writer: %u received entries of %d bytes + LF, batches of %d, best of %d\n",
           n_entries, PAYLOAD_LENGTH, BATCH, ROUNDS);
  g_print ("  file            %.1f MB, %.1f bytes per entry\n",
           length / 1e6, (double) length / n_entries);
  g_print ("  log             %.3f s, %.0f ns per entry (%.0f entries/s)\n",
           log_best, log_best * 1e9 / n_entries, n_entries / log_best);
  g_print ("  plain write     %.3f s, %.0f ns per entry's bytes\n",
           plain_best, plain_best * 1e9 / n_entries);
  g_print ("  log, /dev/null  %.3f s, %.0f ns per entry (the formatting alone)\n",
           null_best, null_best * 1e9 / n_entries);
  g_print ("  ratio           %.2f (log time / plain write time)\n", log_best / plain_best);
  g_print ("  first line      %.*s", (int) (strchr (contents, '\n') + 1 - contents), contents);

  g_unlink (log_path);
  g_unlink (plain_path);
  g_rmdir (dir);
  return 0;
}
