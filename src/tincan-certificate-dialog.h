/* tincan-certificate-dialog.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tincan-tls-problem.h"

G_BEGIN_DECLS

#define TINCAN_TYPE_CERTIFICATE_DIALOG (tincan_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TincanCertificateDialog, tincan_certificate_dialog,
                      TINCAN, CERTIFICATE_DIALOG, AdwMessageDialog)

GtkWidget              *tincan_certificate_dialog_new         (GtkWindow               *parent,
                                                               const TincanTlsProblem  *problem);
GtkWidget              *tincan_certificate_dialog_new_accepted (GtkWindow              *parent,
                                                                const TincanTlsProblem *problem);
const TincanTlsProblem *tincan_certificate_dialog_get_problem (TincanCertificateDialog *self);

G_END_DECLS
