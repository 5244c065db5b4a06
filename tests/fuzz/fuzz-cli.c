/* fuzz-cli.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for tincan_command_line_parse(): the input, split at NUL
 * bytes, is the argument list after the program name. tincan-cli.c uses GLib
 * only, so it is compiled in here directly rather than linking the GTK app
 * library. Checked: a result or an error, never both nor neither; errors
 * are ours or GOption's, with a UTF-8 message when the arguments are UTF-8;
 * what a result holds is consistent (a target never with --local-echo, a
 * non-empty log path).
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tincan-cli.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define MAX_ARGS 64

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TincanCommandLine) options = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_utf8 = TRUE;
  gsize start = 0;
  gsize i;

  g_ptr_array_add (args, g_strdup ("tincan"));
  for (i = 0; i <= size && args->len < MAX_ARGS; i++)
    {
      if (i == size || data[i] == '\0')
        {
          char *arg = g_strndup ((const char *) data + start, i - start);

          all_utf8 = all_utf8 && g_utf8_validate (arg, -1, NULL);
          g_ptr_array_add (args, arg);
          start = i + 1;
        }
    }
  g_ptr_array_add (args, NULL);

  options = tincan_command_line_parse ((char **) args->pdata, &error);

  if (options == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TINCAN_CLI_ERROR || error->domain == G_OPTION_ERROR);
      g_assert_nonnull (error->message);
      if (all_utf8)
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert_null (error);
      g_assert_false (options->target != NULL && options->local_echo);
      g_assert_true (options->log_path == NULL || options->log_path[0] != '\0');
      g_assert_true (options->mode == TINCAN_CONNECTION_PERSISTENT ||
                     options->mode == TINCAN_CONNECTION_PER_MESSAGE);
      g_assert_true (options->mode_set || options->mode == TINCAN_CONNECTION_PERSISTENT);
    }

  return 0;
}
