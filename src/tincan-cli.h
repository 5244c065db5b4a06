/* tincan-cli.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-export.h"
#include "tincan-framing.h"
#include "tincan-session.h"
#include "tincan-target.h"

G_BEGIN_DECLS

/* What one `tincan` command line asks for. */
typedef struct
{
  TincanTarget         *target;      /* nullable */
  TincanFraming        *framing;     /* nullable: keep the window's */
  TincanConnectionMode  mode;
  gboolean              mode_set;
  gboolean              local_echo;
  gboolean              no_proxy;    /* TRUE: no proxy; FALSE: keep the window's */
  gboolean              new_window;  /* a window of its own, not a tab in the focused one */
  gboolean              show_help;
  gboolean              show_version;
  char                 *log_path;    /* nullable */
  char                 *workspace_path; /* nullable: open its tabs in a new window */
  gboolean              export_set;  /* --export: write export_log to output_path, no window */
  TincanExportFormat    export_format;
  char                 *export_log;
  char                 *output_path;
} TincanCommandLine;

#define TINCAN_CLI_ERROR (tincan_cli_error_quark ())

typedef enum
{
  TINCAN_CLI_ERROR_BAD_ARGUMENT,
} TincanCliError;

GQuark             tincan_cli_error_quark    (void);
TincanCommandLine *tincan_command_line_parse (char              **argv,
                                              GError            **error);
char              *tincan_command_line_help  (void);
void               tincan_command_line_free  (TincanCommandLine  *self);
gboolean           tincan_command_line_run_export (TincanCommandLine  *self,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanCommandLine, tincan_command_line_free)

G_END_DECLS
