/* tincan-workspace.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tincan-payload.h"
#include "tincan-session.h"
#include "tincan-target.h"

G_BEGIN_DECLS

/* The newest format this code reads and the one it writes (docs/workspace.md). */
#define TINCAN_WORKSPACE_FORMAT_VERSION 1

#define TINCAN_WORKSPACE_ERROR (tincan_workspace_error_quark ())

typedef enum /*< enum,prefix=TINCAN_WORKSPACE_ERROR >*/
{
  TINCAN_WORKSPACE_ERROR_PARSE,   /* not key file syntax, not UTF-8, a group or key twice,
                                     no [Workspace] first; Packet Sender: not a JSON array
                                     of objects */
  TINCAN_WORKSPACE_ERROR_UNKNOWN, /* a group or key this version does not know */
  TINCAN_WORKSPACE_ERROR_VALUE,   /* a value that is not allowed, or a required key missing */
  TINCAN_WORKSPACE_ERROR_VERSION, /* made by a newer Tincan */
  TINCAN_WORKSPACE_ERROR_READ,    /* the file could not be read */
  TINCAN_WORKSPACE_ERROR_WRITE,   /* the file could not be written */
} TincanWorkspaceError;

/* Both an open tab and a saved connection. Strings are UTF-8. */
typedef struct
{
  char                 *name;       /* NULL or "": unnamed */
  char                 *host;       /* "" in a tab whose form is empty */
  guint16               port;       /* 0: none (tabs only) */
  TincanTransport       transport;
  char                 *framing;    /* a framing name: tincan_framing_new_from_name() */
  TincanConnectionMode  mode;
  gboolean              no_proxy;
} TincanWorkspaceConnection;

/* One message of the library. */
typedef struct
{
  char                *name;
  char                *payload;      /* the composer's syntax: text with escapes, or hex */
  TincanPayloadFormat  format;
  TincanLineEnding     ending;
  char                *description;  /* NULL: none */
  guint                repeat_ms;    /* 0: does not repeat */
} TincanWorkspaceMessage;

typedef struct _TincanWorkspace TincanWorkspace;

#define TINCAN_TYPE_WORKSPACE_CONNECTION (tincan_workspace_connection_get_type ())
#define TINCAN_TYPE_WORKSPACE_MESSAGE (tincan_workspace_message_get_type ())
#define TINCAN_TYPE_WORKSPACE (tincan_workspace_get_type ())

GQuark                     tincan_workspace_error_quark       (void);

GType                      tincan_workspace_connection_get_type (void) G_GNUC_CONST;
TincanWorkspaceConnection *tincan_workspace_connection_new    (void);
TincanWorkspaceConnection *tincan_workspace_connection_copy   (const TincanWorkspaceConnection *self);
void                       tincan_workspace_connection_free   (TincanWorkspaceConnection *self);
gboolean                   tincan_workspace_connection_equal  (const TincanWorkspaceConnection *a,
                                                               const TincanWorkspaceConnection *b);

GType                      tincan_workspace_message_get_type  (void) G_GNUC_CONST;
TincanWorkspaceMessage    *tincan_workspace_message_new       (void);
TincanWorkspaceMessage    *tincan_workspace_message_copy      (const TincanWorkspaceMessage *self);
void                       tincan_workspace_message_free      (TincanWorkspaceMessage *self);
gboolean                   tincan_workspace_message_equal     (const TincanWorkspaceMessage *a,
                                                               const TincanWorkspaceMessage *b);

GType             tincan_workspace_get_type          (void) G_GNUC_CONST;
TincanWorkspace  *tincan_workspace_new               (void);
TincanWorkspace  *tincan_workspace_ref               (TincanWorkspace  *self);
void              tincan_workspace_unref             (TincanWorkspace  *self);
TincanWorkspace  *tincan_workspace_copy              (TincanWorkspace  *self);

GPtrArray        *tincan_workspace_get_tabs          (TincanWorkspace  *self);
GPtrArray        *tincan_workspace_get_connections   (TincanWorkspace  *self);
GPtrArray        *tincan_workspace_get_messages      (TincanWorkspace  *self);
guint             tincan_workspace_get_selected_tab  (TincanWorkspace  *self);
void              tincan_workspace_set_selected_tab  (TincanWorkspace  *self,
                                                      guint             index);
gboolean          tincan_workspace_equal             (TincanWorkspace  *a,
                                                      TincanWorkspace  *b);

TincanWorkspace  *tincan_workspace_new_from_data     (const char       *data,
                                                      gsize             length,
                                                      GError          **error);
char             *tincan_workspace_to_data           (TincanWorkspace  *self,
                                                      gsize            *length);

gboolean          tincan_workspace_save              (TincanWorkspace  *self,
                                                      GFile            *file,
                                                      GError          **error);
TincanWorkspace  *tincan_workspace_load              (GFile            *file,
                                                      GError          **error);
void              tincan_workspace_save_async        (TincanWorkspace     *self,
                                                      GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          tincan_workspace_save_finish       (GAsyncResult        *result,
                                                      GError             **error);
void              tincan_workspace_load_async        (GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
TincanWorkspace  *tincan_workspace_load_finish       (GAsyncResult        *result,
                                                      GError             **error);

TincanWorkspace  *tincan_workspace_import_packet_sender (const char    *data,
                                                         gsize          length,
                                                         char        ***problems,
                                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanWorkspaceConnection, tincan_workspace_connection_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanWorkspaceMessage, tincan_workspace_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TincanWorkspace, tincan_workspace_unref)

G_END_DECLS
