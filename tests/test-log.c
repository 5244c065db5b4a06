/* test-log.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <glib/gstdio.h>

#include "tincan-log.h"

static TincanMessage *
make (TincanDirection  direction,
      const char      *data,
      gsize            length)
{
  return tincan_message_new_take_data (direction, 0, (const guint8 *) data, length);
}

static void
test_format (void)
{
  g_autoptr(TincanMessage) message = make (TINCAN_DIRECTION_RECEIVED, "hi\r\n\"\\\xff", 7);
  g_autofree char *line = tincan_log_format_entry (message);

  g_assert_true (g_str_has_prefix (line, "{\"time\": \""));
  g_assert_true (g_str_has_suffix (line, "\"}\n"));
  /* The text is the Text view's rendering, JSON-escaped on top. */
  g_assert_nonnull (strstr (line, "\"dir\": \"received\""));
  g_assert_nonnull (strstr (line, "\"len\": 7"));
  g_assert_nonnull (strstr (line, "\"text\": \"hi\\\\r\\\\n\\\"\\\\\\\\\\\\xff\""));
  g_assert_nonnull (strstr (line, "\"hex\": \"68690d0a225cff\""));
  g_assert_null (strchr (line, '\r'));
  g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);
}

static void
test_time_format (void)
{
  g_autoptr(TincanMessage) message = make (TINCAN_DIRECTION_SENT, "x", 1);
  g_autofree char *line = tincan_log_format_entry (message);
  g_autoptr(GRegex) regex = g_regex_new ("^\\{\"time\": \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\", "
                                         "\"dir\": \"sent\"", 0, 0, NULL);

  g_assert_true (g_regex_match (regex, line, 0, NULL));
}

static void
test_status_sentence (void)
{
  g_autoptr(TincanMessage) message = tincan_message_new_text (TINCAN_DIRECTION_ERROR,
                                                              "Connection refused by 127.0.0.1 port 9");
  g_autofree char *line = tincan_log_format_entry (message);

  g_assert_nonnull (strstr (line, "\"dir\": \"error\""));
  g_assert_nonnull (strstr (line, "\"text\": \"Connection refused by 127.0.0.1 port 9\""));
}

static void
test_write_and_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  TincanLog *log;
  guint n_lines;

  g_assert_no_error (error);
  log = tincan_log_open (path, &error);
  g_assert_no_error (error);

  /* 100 batches of 100: every entry must reach the file, in order. */
  for (guint batch = 0; batch < 100; batch++)
    {
      TincanMessage *messages[100];

      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *text = g_strdup_printf ("%u", batch * 100 + i);
          messages[i] = make (TINCAN_DIRECTION_RECEIVED, text, strlen (text));
        }
      tincan_log_write (log, messages, 100);
      for (guint i = 0; i < 100; i++)
        tincan_message_unref (messages[i]);
    }

  g_assert_true (tincan_log_close (log, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (log);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, ==, 10001);  /* the last is the empty tail */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *expect = g_strdup_printf ("\"text\": \"%u\"", i);
      g_assert_nonnull (strstr (lines[i], expect));
    }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_appends (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;

  g_file_set_contents (path, "earlier\n", -1, &error);
  g_assert_no_error (error);

  {
    g_autoptr(TincanLog) log = tincan_log_open (path, &error);
    g_autoptr(TincanMessage) message = make (TINCAN_DIRECTION_SENT, "x", 1);

    g_assert_no_error (error);
    tincan_log_write (log, &message, 1);
    /* Dropping the last reference closes and flushes too. */
  }

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "earlier\n{\"time\""));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_open_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TincanLog) log = tincan_log_open ("/nonexistent-dir/for/sure/log.jsonl", &error);

  g_assert_null (log);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A write that fails (a full disk) is reported by close(): as an error when
 * asked for one, as a warning when not, never swallowed. */
static void
test_write_error (void)
{
  for (guint with_error = 0; with_error < 2; with_error++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TincanLog) log = tincan_log_open ("/dev/full", &error);
      g_autoptr(TincanMessage) message = make (TINCAN_DIRECTION_SENT, "x", 1);

      g_assert_no_error (error);
      tincan_log_write (log, &message, 1);
      if (with_error)
        {
          g_assert_false (tincan_log_close (log, &error));
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
        }
      else
        {
          g_test_expect_message ("Tincan-Net", G_LOG_LEVEL_WARNING,
                                 "Could not write the traffic log: *");
          g_assert_false (tincan_log_close (log, NULL));
          g_test_assert_expected_messages ();
        }
      /* Closed: finalizing does not warn again. */
      g_assert_finalize_object (g_steal_pointer (&log));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/log/format", test_format);
  g_test_add_func ("/net/log/time-format", test_time_format);
  g_test_add_func ("/net/log/status-sentence", test_status_sentence);
  g_test_add_func ("/net/log/write-and-close", test_write_and_close);
  g_test_add_func ("/net/log/appends", test_appends);
  g_test_add_func ("/net/log/open-error", test_open_error);
  g_test_add_func ("/net/log/write-error", test_write_error);

  return g_test_run ();
}
