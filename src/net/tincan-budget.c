/* tincan-budget.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tincan-budget.h"

/* 8 ms of input handling, then the rest of the main loop: well inside a
 * 60 Hz frame, and long enough that one dispatch handles hundreds of
 * 64 KiB reads, so the per-iteration cost of the main loop stays small. */
#define DEFAULT_SLICE_USEC (8 * 1000)

/* The jobs of one main context, and the one source that runs them. */
typedef struct
{
  GSource  source;
  GQueue   jobs;
} Runner;

static gint64 slice_usec = DEFAULT_SLICE_USEC;

/* GMainContext -> Runner. Contexts other than the default one exist in tests
 * and benchmarks; each gets its runner. The lock guards the table only: the
 * jobs of a context are touched on the thread that runs it. */
static GHashTable *runners;
static GMutex runners_lock;

static gboolean
runner_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  Runner *runner = (Runner *) source;
  gint64 deadline = g_get_monotonic_time () + slice_usec;

  while (runner->jobs.head != NULL && g_get_monotonic_time () < deadline)
    {
      GList *link = g_queue_pop_head_link (&runner->jobs);
      TincanJob *job = link->data;
      gboolean more;

      /* The queue's reference keeps the owner alive through its step, even if
       * the step closes it. */
      job->queued = FALSE;
      job->running = TRUE;
      more = job->func (job->owner);
      job->running = FALSE;

      if (more && !job->cancelled)
        {
          job->queued = TRUE;
          g_queue_push_tail_link (&runner->jobs, &job->link);
        }
      else
        {
          g_object_unref (job->owner);
        }
    }

  g_source_set_ready_time (source, runner->jobs.head != NULL ? 0 : -1);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs runner_funcs = {
  .dispatch = runner_dispatch,
};

static Runner *
runner_for (GMainContext *context)
{
  Runner *runner;

  g_mutex_lock (&runners_lock);
  if (runners == NULL)
    runners = g_hash_table_new (NULL, NULL);
  runner = g_hash_table_lookup (runners, context);
  if (runner == NULL)
    {
      /* One per context, for the life of the process: a context that
       * ever had network input is likely to have more. */
      runner = (Runner *) g_source_new (&runner_funcs, sizeof (Runner));
      g_queue_init (&runner->jobs);
      g_source_set_static_name (&runner->source, "[tincan] network input");
      /* Below GTK's redraw (G_PRIORITY_HIGH_IDLE + 20): under a flood
       * there is always input, and every frame still gets drawn. */
      g_source_set_priority (&runner->source, G_PRIORITY_DEFAULT_IDLE);
      g_source_attach (&runner->source, context);
      g_hash_table_insert (runners, g_main_context_ref (context), runner);
    }
  g_mutex_unlock (&runners_lock);

  return runner;
}

void
tincan_job_init (TincanJob     *job,
                 TincanJobFunc  func,
                 GObject       *owner)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (func != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));

  *job = (TincanJob) { .func = func, .owner = owner };
  job->link.data = job;
}

/* Gives JOB turns in CONTEXT (NULL: the default context) until its step
 * returns FALSE or it is cancelled. Queueing a job that is pending does
 * nothing. */
void
tincan_job_queue (TincanJob    *job,
                  GMainContext *context)
{
  Runner *runner;

  g_return_if_fail (job != NULL && job->func != NULL);

  if (job->queued || job->running)
    {
      job->cancelled = FALSE;
      return;
    }

  if (context == NULL)
    context = g_main_context_default ();
  runner = runner_for (context);

  job->context = context;
  job->cancelled = FALSE;
  job->queued = TRUE;
  g_object_ref (job->owner);
  g_queue_push_tail_link (&runner->jobs, &job->link);
  g_source_set_ready_time (&runner->source, 0);
}

/* Takes JOB out of its turns. From inside its own step, the step's return
 * value is then ignored. */
void
tincan_job_cancel (TincanJob *job)
{
  g_return_if_fail (job != NULL);

  if (job->running)
    {
      job->cancelled = TRUE;
      return;
    }
  if (!job->queued)
    return;

  g_queue_unlink (&runner_for (job->context)->jobs, &job->link);
  job->queued = FALSE;
  g_object_unref (job->owner);
}

gboolean
tincan_job_is_pending (TincanJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);

  return (job->queued || job->running) && !job->cancelled;
}

gint64
tincan_budget_get_slice (void)
{
  return slice_usec;
}

/* The main-loop time all jobs of a context share before the loop gets to
 * its other sources; for tests and benchmarks. */
void
tincan_budget_set_slice (gint64 usec)
{
  g_return_if_fail (usec > 0);

  slice_usec = usec;
}
