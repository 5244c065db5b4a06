/* test-row-menu.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Issue 12, item 5: a message in the transcript can be reused. The real
 * window, connected to its built-in echo server, driven through the row
 * menu's actions; what the clipboard holds and what goes out are read back
 * from the clipboard and the transcript. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "tincan-application.h"
#include "tincan-composer.h"
#include "tincan-payload.h"
#include "tincan-test-util.h"
#include "tincan-transcript-view.h"
#include "tincan-window.h"

#define DEADLINE_MS 30000

static TincanApplication *app;

/* Bytes that are not text and fill more than one line of a hex dump. */
static const guint8 binary[] = {
  0x00, 0x01, 0x02, 0xff, 0xfe, 0x7f, 0x1b, '[', '3', '1', 'm', 'h', 'i', '\r', '\n', 0x80,
  0xc3, 0xa9, 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0,
  0xd0, 0xe0, 0xf0, 0x0b,
};

typedef struct
{
  TincanWindow         *window;
  TincanConversation   *conversation;
  TincanTranscriptView *view;
  TincanComposer       *composer;
} Fixture;

static gpointer
child (TincanConversation *conversation,
       const char         *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (conversation), TINCAN_TYPE_CONVERSATION, name);
}

static gboolean
is_connected (gpointer data)
{
  Fixture *f = data;

  return tincan_session_get_state (tincan_conversation_get_session (f->conversation)) ==
         TINCAN_SESSION_CONNECTED;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->window = tincan_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
  f->conversation = tincan_window_get_conversation (f->window);
  f->view = child (f->conversation, "transcript_view");
  f->composer = child (f->conversation, "composer");
  tincan_conversation_set_view_mode (f->conversation, TINCAN_VIEW_TEXT);

  g_assert_true (tincan_conversation_start_local_echo (f->conversation, &error));
  g_assert_no_error (error);
  tincan_test_wait_for (NULL, is_connected, f, DEADLINE_MS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  tincan_test_drain_context (NULL);
}

/* Where the @nth entry of @kind (0 the first) with exactly @data stands in
 * the transcript, or -1. */
static int
find_entry (Fixture           *f,
            TincanMessageKind  kind,
            const guint8      *data,
            gsize              length,
            guint              nth)
{
  TincanTranscript *transcript = tincan_conversation_get_transcript (f->conversation);

  tincan_transcript_flush (transcript);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (transcript)); i++)
    {
      TincanMessage *message = tincan_transcript_get_message (transcript, i);
      gsize got_length;
      const guint8 *got = tincan_message_get_data (message, &got_length);

      if (tincan_message_get_kind (message) == kind && got_length == length &&
          memcmp (got, data, length) == 0 && nth-- == 0)
        return (int) i;
    }

  return -1;
}

typedef struct
{
  Fixture           *f;
  TincanMessageKind  kind;
  const guint8      *data;
  gsize              length;
  guint              nth;
} Wanted;

static gboolean
entry_arrived (gpointer data)
{
  Wanted *w = data;

  return find_entry (w->f, w->kind, w->data, w->length, w->nth) >= 0;
}

/* Waits for the @nth entry of @kind with @data; returns its position. */
static guint
wait_for_entry (Fixture           *f,
                TincanMessageKind  kind,
                const guint8      *data,
                gsize              length,
                guint              nth)
{
  Wanted w = { f, kind, data, length, nth };

  tincan_test_wait_for (NULL, entry_arrived, &w, DEADLINE_MS);
  return find_entry (f, kind, data, length, nth);
}

/* Submits what the composer holds, and waits for it to go out as the
 * second message of @data. */
static void
submit_again (Fixture      *f,
              const guint8 *data,
              gsize         length)
{
  g_assert_null (tincan_composer_get_error (f->composer));
  g_assert_true (tincan_composer_submit (f->composer));
  wait_for_entry (f, TINCAN_MESSAGE_KIND_SENT, data, length, 1);
}

/* Sends @data through the composer, as hex, and waits for its echo. */
static guint
send_and_echo (Fixture      *f,
               const guint8 *data,
               gsize         length)
{
  g_autofree char *hex = tincan_payload_render_hex (data, length);

  tincan_composer_set_format (f->composer, TINCAN_PAYLOAD_FORMAT_HEX);
  tincan_composer_set_line_ending (f->composer, TINCAN_LINE_ENDING_NONE);
  tincan_composer_set_text (f->composer, hex);
  g_assert_true (tincan_composer_submit (f->composer));
  return wait_for_entry (f, TINCAN_MESSAGE_KIND_RECEIVED, data, length, 0);
}

/* The clipboard is ours: its content is read as it was set. */
static char *
clipboard_text (Fixture *f)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->view));
  GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  gdk_content_provider_get_value (content, &value, &error);
  g_assert_no_error (error);
  return g_value_dup_string (&value);
}

static void
clear_clipboard (Fixture *f)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->view)), "");
}

/* The menu's item for @label, found by its text. */
static GtkWidget *
find_item (GtkWidget  *widget,
           const char *label)
{
  g_autofree char *text = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "text") != NULL)
    g_object_get (widget, "text", &text, NULL);
  if (g_strcmp0 (text, label) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_item (c, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether the open menu offers @label: its item is there and can be used. */
static gboolean
offered (Fixture    *f,
         const char *label)
{
  GtkWidget *item = find_item (GTK_WIDGET (tincan_transcript_view_get_row_menu (f->view)), label);

  g_assert_nonnull (item);
  return gtk_widget_is_sensitive (item);
}

static void
open_menu (Fixture *f,
           guint    position)
{
  GtkPopover *menu = tincan_transcript_view_get_row_menu (f->view);

  gtk_popover_popdown (menu);
  g_assert_true (tincan_transcript_view_open_row_menu (f->view, position));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
}

static void
activate (Fixture    *f,
          const char *action)
{
  gtk_popover_popdown (tincan_transcript_view_get_row_menu (f->view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
}

/* Copy Payload as Hex gives the Hex view's dump, and that dump pasted into
 * the Hex composer sends the same bytes. */
static void
test_copy_hex_round_trip (Fixture       *f,
                          gconstpointer  data)
{
  guint position = send_and_echo (f, binary, sizeof binary);
  g_autofree char *expected = tincan_payload_render_hexdump (binary, sizeof binary);
  g_autofree char *copied = NULL;

  open_menu (f, position);
  activate (f, "row.copy-hex");
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, expected);
  g_assert_nonnull (strchr (copied, '\n'));   /* more than one line of dump */

  tincan_composer_set_format (f->composer, TINCAN_PAYLOAD_FORMAT_HEX);
  tincan_composer_set_line_ending (f->composer, TINCAN_LINE_ENDING_NONE);
  tincan_composer_set_text (f->composer, copied);
  submit_again (f, binary, sizeof binary);
  wait_for_entry (f, TINCAN_MESSAGE_KIND_RECEIVED, binary, sizeof binary, 1);
}

/* Text and Python bytes are the views' renderings of the whole payload;
 * Copy Row is the row as shown, on one line. */
static void
test_copy_text_python_row (Fixture       *f,
                           gconstpointer  data)
{
  static const guint8 line[] = "it's \"here\"\t\\ é\n";
  guint position = send_and_echo (f, line, sizeof line - 1);
  g_autofree char *text = NULL;
  g_autofree char *python = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GBytes) parsed = NULL;
  g_autoptr(GError) error = NULL;

  open_menu (f, position);
  g_assert_true (offered (f, "Copy Payload as Text"));
  activate (f, "row.copy-text");
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, "it's \"here\"\\t\\\\ é\\n");
  /* Text parses back to the same bytes. */
  parsed = tincan_payload_parse (text, -1, TINCAN_PAYLOAD_FORMAT_TEXT, TINCAN_LINE_ENDING_NONE,
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (parsed, NULL), g_bytes_get_size (parsed),
                   line, sizeof line - 1);

  activate (f, "row.copy-python");
  python = clipboard_text (f);
  g_assert_cmpstr (python, ==, "b'it\\'s \"here\"\\t\\\\ \\xc3\\xa9\\n'");

  activate (f, "row.copy-row");
  row = clipboard_text (f);
  g_assert_true (g_str_has_suffix (row, " ← it's \"here\"\\t\\\\ é\\n"));
  g_assert_cmpint (row[2], ==, ':');           /* "07:23:54.213 ← ..." */
  g_assert_null (strchr (row, '\n'));
}

/* Resend sends the payload again, with the framing of now. */
static void
test_resend (Fixture       *f,
             gconstpointer  data)
{
  static const guint8 ping[] = "ping\n";
  guint sent;

  send_and_echo (f, ping, 5);
  sent = wait_for_entry (f, TINCAN_MESSAGE_KIND_SENT, ping, 5, 0);

  open_menu (f, sent);
  g_assert_true (offered (f, "Resend"));
  activate (f, "row.resend");
  wait_for_entry (f, TINCAN_MESSAGE_KIND_SENT, ping, 5, 1);
  wait_for_entry (f, TINCAN_MESSAGE_KIND_RECEIVED, ping, 5, 1);

  /* Nothing to send to: no Resend. */
  tincan_session_disconnect (tincan_conversation_get_session (f->conversation));
  open_menu (f, sent);
  g_assert_false (offered (f, "Resend"));
  g_assert_true (offered (f, "Edit and Send"));
}

static gboolean
composer_focused (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (f->composer));
}

/* Edit and Send fills the composer in a format that round-trips and
 * focuses it: binary as hex... */
static void
test_edit_binary (Fixture       *f,
                  gconstpointer  data)
{
  guint position = send_and_echo (f, binary, sizeof binary);
  g_autofree char *hex = tincan_payload_render_hex (binary, sizeof binary);
  g_autofree char *text = NULL;

  tincan_composer_set_format (f->composer, TINCAN_PAYLOAD_FORMAT_TEXT);
  tincan_composer_set_line_ending (f->composer, TINCAN_LINE_ENDING_LF);
  open_menu (f, position);
  activate (f, "row.edit");
  text = tincan_composer_dup_text (f->composer);
  g_assert_cmpstr (text, ==, hex);
  g_assert_cmpint (tincan_composer_get_format (f->composer), ==, TINCAN_PAYLOAD_FORMAT_HEX);
  /* Hex has its own line ending, none: the text's LF stays for text. */
  g_assert_cmpint (tincan_composer_get_format_line_ending (f->composer), ==, TINCAN_LINE_ENDING_NONE);
  g_assert_cmpint (tincan_composer_get_line_ending (f->composer), ==, TINCAN_LINE_ENDING_LF);
  g_assert_true (composer_focused (f));
  submit_again (f, binary, sizeof binary);
}

/* ...and text as text, without the line ending the composer adds back. */
static void
test_edit_text (Fixture       *f,
                gconstpointer  data)
{
  static const guint8 hello[] = "GET / HTTP/1.0\r\n";
  guint position = send_and_echo (f, hello, sizeof hello - 1);
  g_autofree char *text = NULL;

  tincan_composer_set_format (f->composer, TINCAN_PAYLOAD_FORMAT_HEX);
  tincan_composer_set_line_ending (f->composer, TINCAN_LINE_ENDING_CRLF);
  open_menu (f, position);
  activate (f, "row.edit");
  text = tincan_composer_dup_text (f->composer);
  g_assert_cmpstr (text, ==, "GET / HTTP/1.0");
  g_assert_cmpint (tincan_composer_get_format (f->composer), ==, TINCAN_PAYLOAD_FORMAT_TEXT);
  g_assert_cmpint (tincan_composer_get_line_ending (f->composer), ==, TINCAN_LINE_ENDING_CRLF);
  g_assert_true (composer_focused (f));
  submit_again (f, hello, sizeof hello - 1);
}

/* A status row has no payload; a message longer than the transcript keeps
 * is copied in part and cannot be sent again. */
static void
test_what_cannot_be_reused (Fixture       *f,
                            gconstpointer  data)
{
  TincanTranscript *transcript = tincan_conversation_get_transcript (f->conversation);
  g_autofree guint8 *big = g_malloc (3 * TINCAN_RENDER_KEEP);
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(TincanMessage) message = NULL;

  /* The first entry: "Connecting to 127.0.0.1 port …" */
  tincan_transcript_flush (transcript);
  g_assert_cmpint (tincan_message_get_kind (tincan_transcript_get_message (transcript, 0)), ==,
                   TINCAN_MESSAGE_KIND_STATUS);
  open_menu (f, 0);
  g_assert_false (offered (f, "Copy Payload as Text"));
  g_assert_false (offered (f, "Copy Payload as Hex"));
  g_assert_false (offered (f, "Copy Payload as Python Bytes"));
  g_assert_false (offered (f, "Resend"));
  g_assert_false (offered (f, "Edit and Send"));
  g_assert_true (offered (f, "Copy Row"));

  memset (big, 'x', 3 * TINCAN_RENDER_KEEP);
  message = tincan_message_new_take_data (TINCAN_MESSAGE_KIND_RECEIVED, TINCAN_MESSAGE_NONE,
                                          big, 3 * TINCAN_RENDER_KEEP);
  tincan_transcript_push (transcript, message);
  tincan_transcript_flush (transcript);
  open_menu (f, g_list_model_get_n_items (G_LIST_MODEL (transcript)) - 1);
  g_assert_true (offered (f, "Copy Payload as Text"));
  g_assert_false (offered (f, "Resend"));
  g_assert_false (offered (f, "Edit and Send"));

  activate (f, "row.copy-text");
  copied = clipboard_text (f);
  expected = g_strnfill (TINCAN_RENDER_KEEP, 'x');
  g_assert_cmpstr (copied, ==, expected);
}

/* Ctrl+C copies the selected payloads alone, Ctrl+Shift+C the rows. */
static void
test_ctrl_c (Fixture       *f,
             gconstpointer  data)
{
  static const guint8 one[] = "one\n";
  static const guint8 two[] = "two";
  guint first = send_and_echo (f, one, 4);
  guint second = send_and_echo (f, two, 3);
  GtkSelectionModel *selection;
  g_autofree char *payloads = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *note = NULL;

  selection = gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_template_child (
    GTK_WIDGET (f->view), TINCAN_TYPE_TRANSCRIPT_VIEW, "list_view")));
  gtk_selection_model_select_item (selection, first, TRUE);
  clear_clipboard (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "transcript.copy", NULL));
  payloads = clipboard_text (f);
  g_assert_cmpstr (payloads, ==, "one\\n");
  g_clear_pointer (&payloads, g_free);

  gtk_selection_model_select_item (selection, second, FALSE);
  note = tincan_transcript_view_copy_payloads (f->view);
  g_assert_null (note);
  payloads = clipboard_text (f);
  g_assert_cmpstr (payloads, ==, "one\\n\ntwo");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "transcript.copy-rows", NULL));
  rows = clipboard_text (f);
  g_assert_nonnull (strstr (rows, " ← one\\n\n"));
  g_assert_true (g_str_has_suffix (rows, " ← two\n"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  app = tincan_application_new ("io.github.tincan.Tincan.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

#define ADD(path, func) \
  g_test_add ("/ui/row-menu/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("copy-hex-round-trip", test_copy_hex_round_trip);
  ADD ("copy-text-python-row", test_copy_text_python_row);
  ADD ("resend", test_resend);
  ADD ("edit-binary", test_edit_binary);
  ADD ("edit-text", test_edit_text);
  ADD ("what-cannot-be-reused", test_what_cannot_be_reused);
  ADD ("ctrl-c", test_ctrl_c);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
