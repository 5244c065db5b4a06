/* tincan-composer-private.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tincan-composer.h"

G_BEGIN_DECLS

struct _TincanComposer
{
  GtkWidget      parent_instance;

  GtkScrolledWindow *scroller;
  GtkWidget     *held_box;
  GtkLabel      *held_label;
  GtkTextView   *text_view;
  GtkLabel      *placeholder_label;
  GtkDropDown   *format_dropdown;
  GtkDropDown   *ending_dropdown;
  GtkWidget     *framing_ending_button;
  GtkLabel      *framing_ending_label;
  GtkButton     *send_button;
  GtkRevealer   *error_revealer;
  GtkLabel      *error_label;
  GtkTextTag    *error_tag;
  GtkTextMark   *error_mark;     /* where error_tag is applied, if anywhere */
  guint          validate_id;

  GSettings     *settings;
  TincanPayloadFormat format;
  TincanLineEnding line_ending;      /* of text */
  TincanLineEnding hex_line_ending;
  GBytes        *framing_delimiter;  /* added by the framing, if any */
  GPtrArray     *history;
  char          *draft;          /* what was typed before browsing history */
  guint          history_index;  /* == history->len when not browsing */
  char          *error;
  char          *held;           /* the text, when it has a line too long to show */
  gboolean       can_send;
  gboolean       recalling;
};

/* tincan-composer-held.c: a text with a line too long for the text view */
void      _tincan_composer_held_init   (TincanComposer *self);
gboolean  _tincan_composer_is_held     (TincanComposer *self);
void      _tincan_composer_release     (TincanComposer *self);
void      _tincan_composer_revalidate  (TincanComposer *self);

G_END_DECLS
