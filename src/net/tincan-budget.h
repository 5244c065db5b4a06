/* tincan-budget.h
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One budget of main-loop time for all network input of the process.
 *
 * Every connection that has input to handle queues a job; the jobs of a main
 * context take turns, one bounded step each, in one GSource below GTK's redraw
 * priority, until the slice of time is used. Then the main loop gets to its
 * other sources (X events, painting) before the next slice. So the time the
 * window cannot answer is one slice whatever the number of busy connections,
 * where a read source per connection would add their dispatches up. */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One bounded step of work (a read and what it decodes). Returns TRUE while
 * there is more to do: the job then waits for its next turn. */
typedef gboolean (*TincanJobFunc) (gpointer owner);

typedef struct
{
  /*< private >*/
  GList          link;
  TincanJobFunc  func;
  GObject       *owner;       /* not a reference, except while queued */
  GMainContext  *context;
  guint          queued : 1;
  guint          running : 1;
  guint          cancelled : 1;
} TincanJob;

void     tincan_job_init         (TincanJob     *job,
                                  TincanJobFunc  func,
                                  GObject       *owner);
void     tincan_job_queue        (TincanJob     *job,
                                  GMainContext  *context);
void     tincan_job_cancel       (TincanJob     *job);
gboolean tincan_job_is_pending   (TincanJob     *job);

gint64   tincan_budget_get_slice (void);
void     tincan_budget_set_slice (gint64         usec);

G_END_DECLS
