/* tincan-certificate-dialog.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Explains a certificate the TLS handshake refused: why, whose it is, when
 * it is valid and its SHA-256, so a person can compare it with what the
 * server should present. The "connect" response means: trust exactly this
 * certificate (tincan_certificate_dialog_get_problem()->fingerprint) for
 * this session only. The same details are shown again, read only, while a
 * connection accepted that way lasts. */

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "tincan-a11y.h"
#include "tincan-certificate-dialog.h"
#include "tincan-payload.h"

struct _TincanCertificateDialog
{
  AdwMessageDialog  parent_instance;

  TincanTlsProblem *problem;
};

G_DEFINE_FINAL_TYPE (TincanCertificateDialog, tincan_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = date != NULL ? g_date_time_to_local (date) : NULL;

  /* An unambiguous date: certificates are read by people all over the world. */
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (_("unknown"));
}

/* The names come from the peer: shown escaped exactly as payloads are
 * (controls, bidi overrides and isolates, invisible characters), so that
 * "CN=<U+202E>gro.elpmaxe<U+202C>" cannot read as "CN=example.org". */
static char *
escape_name (const char *name)
{
  if (name == NULL)
    return g_strdup (_("unknown"));

  return tincan_payload_render_text ((const guint8 *) name, strlen (name));
}

static char *
describe (const TincanTlsProblem *problem)
{
  g_autofree char *why = tincan_tls_problem_describe (problem);
  g_autofree char *from = format_date (problem->not_before);
  g_autofree char *until = format_date (problem->not_after);
  g_autofree char *subject = escape_name (problem->subject);
  g_autofree char *issuer = escape_name (problem->issuer);

  return g_strdup_printf (_("%s\n\n"
                            "Subject: %s\n"
                            "Issuer: %s\n"
                            "Valid from %s until %s"),
                          why, subject, issuer, from, until);
}

/* A label for what must be read exactly: never hyphenated (Pango breaks a
 * long word with a hyphen that is not in it, "E7:8A:D-" over "F:5B"),
 * wrapped between any two characters, selectable to be compared. */
static GtkWidget *
exact_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

/* The fingerprint, then the advice: below the body (AdwMessageDialog's
 * extra child), where its label can be told how to wrap. */
static GtkWidget *
make_details (const TincanTlsProblem *problem,
              const char             *advice_text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_autofree char *fingerprint = g_strdup_printf ("SHA-256: %s", problem->fingerprint);
  GtkWidget *advice = gtk_label_new (advice_text);

  gtk_label_set_wrap (GTK_LABEL (advice), TRUE);
  gtk_label_set_justify (GTK_LABEL (advice), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), exact_label (fingerprint));
  gtk_box_append (GTK_BOX (box), advice);
  return box;
}

/* The responses are added here, not in the template: the read-only dialog
 * (@accepted) has other ones, and AdwMessageDialog 1.2 cannot remove one. */
static GtkWidget *
dialog_new (GtkWindow              *parent,
            const TincanTlsProblem *problem,
            gboolean                accepted)
{
  AdwMessageDialog *self;
  g_autofree char *body = describe (problem);
  const char *advice = accepted
    ? _("You chose to connect anyway: this window trusts this certificate until it is "
        "closed, although it could not be verified.")
    : _("Connect anyway only if you know this is the certificate the server should "
        "present. It is trusted for this window’s session only.");
  const char *default_response = accepted ? "close" : "cancel";

  self = g_object_new (TINCAN_TYPE_CERTIFICATE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  TINCAN_CERTIFICATE_DIALOG (self)->problem = tincan_tls_problem_copy (problem);
  adw_message_dialog_set_body (self, body);
  adw_message_dialog_set_extra_child (self, make_details (problem, advice));

  if (accepted)
    {
      adw_message_dialog_set_heading (self, _("Untrusted Certificate Accepted"));
      adw_message_dialog_add_response (self, "close", _("_Close"));
    }
  else
    {
      adw_message_dialog_add_responses (self,
                                        "cancel", _("_Cancel"),
                                        "connect", _("Connect _Anyway"),
                                        NULL);
      adw_message_dialog_set_response_appearance (self, "connect", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (self, default_response);
  adw_message_dialog_set_close_response (self, default_response);
  tincan_a11y_name_mnemonic_buttons (GTK_WIDGET (self));

  return GTK_WIDGET (self);
}

/**
 * tincan_certificate_dialog_new:
 * @parent: the window the dialog belongs to
 * @problem: (transfer none): what the handshake found; copied
 *
 * Asks whether to connect anyway ("connect" response) or not ("cancel").
 *
 * Returns: (transfer none): a new dialog, not yet presented
 */
GtkWidget *
tincan_certificate_dialog_new (GtkWindow              *parent,
                               const TincanTlsProblem *problem)
{
  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  return dialog_new (parent, problem, FALSE);
}

/**
 * tincan_certificate_dialog_new_accepted:
 * @parent: the window the dialog belongs to
 * @problem: (transfer none): what is wrong with the certificate of the
 *   connection open now; copied
 *
 * The same details, read only, for a certificate already accepted with
 * Connect Anyway: its one response is "close".
 *
 * Returns: (transfer none): a new dialog, not yet presented
 */
GtkWidget *
tincan_certificate_dialog_new_accepted (GtkWindow              *parent,
                                        const TincanTlsProblem *problem)
{
  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  return dialog_new (parent, problem, TRUE);
}

/**
 * tincan_certificate_dialog_get_problem:
 *
 * Returns: (transfer none): the problem the dialog explains
 */
const TincanTlsProblem *
tincan_certificate_dialog_get_problem (TincanCertificateDialog *self)
{
  g_return_val_if_fail (TINCAN_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->problem;
}

static void
tincan_certificate_dialog_finalize (GObject *object)
{
  TincanCertificateDialog *self = (TincanCertificateDialog *)object;

  g_clear_pointer (&self->problem, tincan_tls_problem_free);

  G_OBJECT_CLASS (tincan_certificate_dialog_parent_class)->finalize (object);
}

static void
tincan_certificate_dialog_class_init (TincanCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tincan_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/tincan-certificate-dialog.ui");
}

static void
tincan_certificate_dialog_init (TincanCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
