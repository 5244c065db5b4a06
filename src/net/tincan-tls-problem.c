/* tincan-tls-problem.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tincan-tls-problem.h"

/**
 * tincan_tls_problem_new:
 * @certificate: the certificate the server showed
 * @flags: what validation found wrong with it
 * @host: the identity that was expected
 *
 * Returns: (transfer full): what to show and what to pin
 */
TincanTlsProblem *
tincan_tls_problem_new (GTlsCertificate      *certificate,
                        GTlsCertificateFlags  flags,
                        const char           *host)
{
  TincanTlsProblem *problem = g_new0 (TincanTlsProblem, 1);

  problem->flags = flags;
  problem->certificate = g_object_ref (certificate);
  problem->subject = g_tls_certificate_get_subject_name (certificate);
  problem->issuer = g_tls_certificate_get_issuer_name (certificate);
  problem->not_before = g_tls_certificate_get_not_valid_before (certificate);
  problem->not_after = g_tls_certificate_get_not_valid_after (certificate);
  problem->fingerprint = tincan_tls_certificate_dup_fingerprint (certificate);
  problem->host = g_strdup (host);

  return problem;
}


/**
 * tincan_tls_problem_copy:
 * @self: a TLS problem
 *
 * Returns: (transfer full): a deep copy of @self
 */
TincanTlsProblem *
tincan_tls_problem_copy (const TincanTlsProblem *self)
{
  TincanTlsProblem *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TincanTlsProblem, 1);
  copy->flags = self->flags;
  copy->certificate = self->certificate ? g_object_ref (self->certificate) : NULL;
  copy->subject = g_strdup (self->subject);
  copy->issuer = g_strdup (self->issuer);
  copy->not_before = self->not_before ? g_date_time_ref (self->not_before) : NULL;
  copy->not_after = self->not_after ? g_date_time_ref (self->not_after) : NULL;
  copy->fingerprint = g_strdup (self->fingerprint);
  copy->host = g_strdup (self->host);

  return copy;
}

/**
 * tincan_tls_problem_free:
 * @self: (nullable): a TLS problem
 *
 * Frees @self and what it holds.
 */
void
tincan_tls_problem_free (TincanTlsProblem *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->certificate);
  g_free (self->subject);
  g_free (self->issuer);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_free (self->fingerprint);
  g_free (self->host);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (TincanTlsProblem, tincan_tls_problem,
                     tincan_tls_problem_copy, tincan_tls_problem_free)

static char *
format_day (GDateTime *date)
{
  if (date == NULL)
    return g_strdup (_("an unknown date"));

  return g_date_time_format (date, "%Y-%m-%d");
}

/* Whether @certificate has a subjectAltName with DNS or IP entries. */
static gboolean
has_alt_names (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GPtrArray) names = NULL;

  if (certificate == NULL)
    return TRUE;  /* unknown: say nothing about it */

  g_object_get (certificate, "ip-addresses", &addresses, "dns-names", &names, NULL);
  return (addresses != NULL && addresses->len > 0) || (names != NULL && names->len > 0);
}

/**
 * tincan_tls_problem_describe:
 * @self: a TLS problem
 *
 * Explains in plain words why the certificate was refused: one sentence per
 * problem found, in one string.
 *
 * Returns: (transfer full): the explanation
 */
char *
tincan_tls_problem_describe (const TincanTlsProblem *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GTlsCertificateFlags flags;

  g_return_val_if_fail (self != NULL, NULL);

  flags = self->flags;

#define ADD_SENTENCE(s) G_STMT_START { \
    if (text->len > 0) g_string_append_c (text, ' '); \
    g_string_append (text, (s)); \
  } G_STMT_END

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    ADD_SENTENCE (_("The certificate is not trusted (unknown authority): it is self-signed or "
                    "signed by an authority this computer does not know."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *s = NULL;

      /* An IP address is matched only against the IP entries of the
       * subjectAltName, never against the subject's CN: a certificate
       * whose subject reads CN=127.0.0.1 is not "for another host". */
      if (self->host != NULL && g_hostname_is_ip_address (self->host) &&
          !has_alt_names (self->certificate))
        s = g_strdup_printf (_("The certificate has no subjectAltName, and an IP address such "
                               "as “%s” is checked only against the IP address entries of one, "
                               "never against the subject’s common name (CN)."),
                             self->host);
      else
        s = g_strdup_printf (_("The certificate is for another host, not for “%s”."),
                             self->host ? self->host : "");
      ADD_SENTENCE (s);
    }
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      g_autofree char *day = format_day (self->not_before);
      g_autofree char *s = NULL;

      s = g_strdup_printf (_("The certificate is not valid yet: it is valid from %s."), day);
      ADD_SENTENCE (s);
    }
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autofree char *day = format_day (self->not_after);
      g_autofree char *s = NULL;

      s = g_strdup_printf (_("The certificate expired on %s."), day);
      ADD_SENTENCE (s);
    }
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    ADD_SENTENCE (_("The certificate has been revoked."));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    ADD_SENTENCE (_("The certificate uses an insecure algorithm."));
  if ((flags & G_TLS_CERTIFICATE_GENERIC_ERROR) || text->len == 0)
    ADD_SENTENCE (_("The certificate could not be verified."));

#undef ADD_SENTENCE

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "AB:CD:…": the SHA-256 of the DER form, as browsers show it. */
char *
tincan_tls_certificate_dup_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  GString *text;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return g_strdup ("");

  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_length);

  text = g_string_sized_new (digest_length * 3);
  for (gsize i = 0; i < digest_length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (text, FALSE);
}

/* Accepts "ab:cd…", "ABCD…", with or without separators; returns the
 * canonical "AB:CD:…" form, or NULL if it is not 32 bytes of hex. */
char *
tincan_tls_fingerprint_normalize (const char *fingerprint)
{
  GString *text = g_string_new (NULL);
  guint digits = 0;

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isxdigit (*p))
        break;
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (text, ':');
      g_string_append_c (text, g_ascii_toupper (*p));
      digits++;
    }

  if (digits != 64)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  return g_string_free (text, FALSE);
}

