/* test-row-text.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the window shows of hostile text (issue 11, items 5 and 6): rows lay
 * bytes out left to right in the order they came and keep their marks inside
 * the row; the certificate dialog escapes the names a peer chose and says
 * why a certificate for an IP address without subjectAltName is refused.
 * Checked by laying out and drawing the real widgets. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tincan-certificate-dialog.h"
#include "tincan-row-text.h"
#include "tincan-test-util.h"

static gboolean
is_allocated (gpointer user_data)
{
  return gtk_widget_get_width (GTK_WIDGET (user_data)) > 0;
}

/* A row text in a window, drawn once. */
static TincanRowText *
show_row_text (GtkWindow  **window_out,
               const char  *text)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TincanRowText *row = g_object_new (TINCAN_TYPE_ROW_TEXT, NULL);

  gtk_widget_add_css_class (GTK_WIDGET (row), "monospace");
  /* as tall as its text, as in a row */
  gtk_widget_set_valign (GTK_WIDGET (row), GTK_ALIGN_START);
  tincan_row_text_set_text (row, text);
  gtk_window_set_child (window, GTK_WIDGET (row));
  gtk_window_set_default_size (window, 600, 200);
  gtk_window_present (window);
  tincan_test_wait_for (NULL, is_allocated, row, 5000);

  *window_out = window;
  return row;
}

/* Whether every character of the layout's line is drawn to the right of the
 * one before it (bidi controls, which show nothing, aside). */
static gboolean
laid_out_in_order (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  int last_x = G_MININT;
  int last_y = G_MININT;

  pango_layout_set_width (layout, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      PangoRectangle pos;

      if (c == 0x202D || c == 0x202C)
        continue;
      pango_layout_index_to_pos (layout, p - text, &pos);
      if (pos.y != last_y)
        last_x = G_MININT;   /* a new line */
      last_y = pos.y;
      if (pos.x <= last_x)
        return FALSE;
      last_x = pos.x;
    }

  return TRUE;
}

/* Issue 11, item 6: an Arabic word with digits, an arrow and an escape was
 * laid out right to left, the digits reversed and the arrow flipped. */
static void
test_left_to_right (void)
{
  const char *line = "مرحبا 1 2 3 -> [a] (b) \\x41";
  GtkWindow *window = NULL;
  TincanRowText *row = show_row_text (&window, line);
  PangoLayout *layout = tincan_row_text_get_layout (row);
  PangoRectangle first;

  /* The text and what assistive technology reads stay as given. */
  g_assert_cmpstr (tincan_row_text_get_text (row), ==, line);
  g_assert_true (laid_out_in_order (layout));
  pango_layout_index_to_pos (layout, strlen ("\u202D"), &first);
  g_assert_cmpint (first.x, ==, 0);

  /* Each line on its own. */
  tincan_row_text_set_text (row, "abc\nمرحبا 1 2 3");
  g_assert_cmpint (pango_layout_get_line_count (tincan_row_text_get_layout (row)), ==, 2);
  g_assert_true (laid_out_in_order (layout));

  /* Sentences (status and error rows) get the usual bidi layout, which
   * would misrepresent bytes: the check above can fail. */
  tincan_row_text_set_text (row, line);
  tincan_row_text_set_literal (row, FALSE);
  g_assert_false (laid_out_in_order (tincan_row_text_get_layout (row)));

  gtk_window_destroy (window);
}

/* Issue 11, item 6: a stack of combining marks painted over the row's header. */
static void
test_marks_clipped (void)
{
  GString *text = g_string_new ("e");
  GtkWindow *window = NULL;
  TincanRowText *row;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  graphene_rect_t bounds;

  /* all the combining diacritical marks, above and below, several times */
  for (guint i = 0; i < 300; i++)
    g_string_append_unichar (text, 0x0300 + i % 0x70);
  row = show_row_text (&window, text->str);
  g_string_free (text, TRUE);

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (row)->snapshot (GTK_WIDGET (row), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  g_test_message ("drawn %g,%g %gx%g in %dx%d", bounds.origin.x, bounds.origin.y,
                  bounds.size.width, bounds.size.height,
                  gtk_widget_get_width (GTK_WIDGET (row)), gtk_widget_get_height (GTK_WIDGET (row)));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                     gtk_widget_get_width (GTK_WIDGET (row)));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (row)));
  gsk_render_node_unref (node);

  gtk_window_destroy (window);
}

static TincanTlsProblem *
make_problem (const char *subject,
              const char *issuer)
{
  TincanTlsProblem *problem = g_new0 (TincanTlsProblem, 1);

  problem->flags = G_TLS_CERTIFICATE_UNKNOWN_CA;
  problem->subject = g_strdup (subject);
  problem->issuer = g_strdup (issuer);
  problem->fingerprint = g_strdup ("AB:CD");
  problem->host = g_strdup ("example.org");

  return problem;
}

/* Issue 11, item 5: a subject of CN=<U+202E>gro.elpmaxe<U+202C> read as
 * "CN=example.org". */
static void
test_certificate_names_escaped (void)
{
  g_autoptr(TincanTlsProblem) problem =
    make_problem ("CN=\u202Egro.elpmaxe\u202C", "CN=evil\u2066\u00A0CA\uFE0F\u200B\x1b[0m");
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  GtkWidget *dialog = tincan_certificate_dialog_new (parent, problem);
  const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));

  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, "Subject: CN=\\u{202e}gro.elpmaxe\\u{202c}\n"));
  g_assert_nonnull (strstr (body, "Issuer: CN=evil\\u{2066}\\u{a0}CA\\u{fe0f}\\u{200b}\\x1b[0m\n"));
  for (const char *p = body; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c == '\n' || (c >= 0x20 && c != 0x7F));
      g_assert_true (c != 0x202E && c != 0x202C && c != 0x2066 && c != 0xA0 && c != 0xFE0F &&
                     c != 0x200B);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
}

/* Issue 12, item 3: the fingerprint wrapped as "E7:8A:D-" over "F:5B". It is
 * a label of its own: monospace, selectable, wrapped between characters,
 * never hyphenated. */
static void
test_certificate_fingerprint (void)
{
  g_autoptr(TincanTlsProblem) problem = make_problem ("CN=a", "CN=b");
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  GtkWidget *dialog;
  GtkWidget *details;
  GtkLabel *label;
  PangoAttrIterator *iter;
  PangoAttribute *attr;

  g_free (problem->fingerprint);
  problem->fingerprint = g_strdup ("E7:8A:DF:5B:00:11:22:33:44:55:66:77:88:99:AA:BB:"
                                   "CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:10:32:54:76");
  dialog = tincan_certificate_dialog_new (parent, problem);
  details = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  label = GTK_LABEL (gtk_widget_get_first_child (details));

  g_assert_null (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "SHA-256"));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "SHA-256: E7:8A:DF:5B:00:11:22:33:44:55:66:77:"
                   "88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:10:32:54:76");
  g_assert_true (gtk_label_get_selectable (label));
  g_assert_true (gtk_label_get_wrap (label));
  g_assert_cmpint (gtk_label_get_wrap_mode (label), ==, PANGO_WRAP_CHAR);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "monospace"));
  iter = pango_attr_list_get_iterator (gtk_label_get_attributes (label));
  attr = pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
  g_assert_nonnull (attr);
  g_assert_false (((PangoAttrInt *) attr)->value);
  pango_attr_iterator_destroy (iter);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
}

/* A self-signed certificate with CN=127.0.0.1 and no subjectAltName. */
static GTlsCertificate *
make_certificate_without_alt_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tincan-test-cn-XXXXXX", &error);
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *err = NULL;
  GTlsCertificate *certificate;
  int status;

  g_assert_no_error (error);
  cert_file = g_build_filename (dir, "cert.pem", NULL);
  key_file = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
      "-keyout", key_file, "-out", cert_file, NULL
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }
  certificate = g_tls_certificate_new_from_file (cert_file, &error);
  g_assert_no_error (error);
  g_unlink (cert_file);
  g_unlink (key_file);
  g_rmdir (dir);

  return certificate;
}

/* Issue 11, item 5: for CN=127.0.0.1 and no subjectAltName the dialog said
 * "is for another host" beside a Subject line reading CN=127.0.0.1. */
static void
test_certificate_ip_without_alt_name (void)
{
  g_autoptr(GTlsCertificate) certificate = make_certificate_without_alt_name ();
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(TincanTlsProblem) problem = NULL;
  g_autofree char *why = NULL;
  GTlsCertificateFlags flags;

  /* The TLS backend refuses it for this identity... */
  flags = g_tls_certificate_verify (certificate, identity, NULL);
  g_assert_true (flags & G_TLS_CERTIFICATE_BAD_IDENTITY);

  /* ...and the reason given is the real one. */
  problem = tincan_tls_problem_new (certificate, flags, "127.0.0.1");
  g_assert_cmpstr (problem->subject, ==, "CN=127.0.0.1");
  why = tincan_tls_problem_describe (problem);
  g_test_message ("%s", why);
  g_assert_null (strstr (why, "another host"));
  g_assert_nonnull (strstr (why, "The certificate has no subjectAltName, and an IP address such "
                                 "as “127.0.0.1” is checked only against"));
}

/* Issue 12, items 1 and 3: dim spans land on their text in the layout,
 * whose lines have a left-to-right override added; nothing is hyphenated. */
static void
test_dim_and_no_hyphens (void)
{
  GtkWindow *window;
  TincanRowText *row = show_row_text (&window, "ab\\r\\n\ncd\\n");
  const TincanSpan spans[] = { { 2, 6 }, { 9, 11 } };
  const char *expected[] = { "\\r\\n", "\\n" };
  PangoLayout *layout;
  const char *text;
  PangoAttrIterator *iter;
  guint n = 0;
  gboolean hyphens_off = FALSE;

  tincan_row_text_set_dim (row, spans, G_N_ELEMENTS (spans));
  layout = tincan_row_text_get_layout (row);
  text = pango_layout_get_text (layout);
  iter = pango_attr_list_get_iterator (pango_layout_get_attributes (layout));
  do
    {
      PangoAttribute *alpha = pango_attr_iterator_get (iter, PANGO_ATTR_FOREGROUND_ALPHA);
      PangoAttribute *hyphens = pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);

      if (hyphens != NULL && !((PangoAttrInt *) hyphens)->value && hyphens->start_index == 0)
        hyphens_off = TRUE;
      if (alpha != NULL)
        {
          g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
          g_assert_cmpmem (text + alpha->start_index, alpha->end_index - alpha->start_index,
                           expected[n], strlen (expected[n]));
          g_assert_cmpuint (((PangoAttrInt *) alpha)->value, <, 65535);
          n++;
        }
    }
  while (pango_attr_iterator_next (iter));
  pango_attr_iterator_destroy (iter);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  g_assert_true (hyphens_off);

  /* new text clears them */
  tincan_row_text_set_text (row, "x");
  iter = pango_attr_list_get_iterator (pango_layout_get_attributes (layout));
  g_assert_null (pango_attr_iterator_get (iter, PANGO_ATTR_FOREGROUND_ALPHA));
  pango_attr_iterator_destroy (iter);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/row-text/left-to-right", test_left_to_right);
  g_test_add_func ("/ui/row-text/marks-clipped", test_marks_clipped);
  g_test_add_func ("/ui/row-text/dim-and-no-hyphens", test_dim_and_no_hyphens);
  g_test_add_func ("/ui/certificate/names-escaped", test_certificate_names_escaped);
  g_test_add_func ("/ui/certificate/fingerprint", test_certificate_fingerprint);
  g_test_add_func ("/ui/certificate/ip-without-alt-name", test_certificate_ip_without_alt_name);

  return g_test_run ();
}
