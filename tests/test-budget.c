/* test-budget.c
 *
 * Copyright 2026 The Tincan Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tincan-budget.h"
#include "tincan-test-util.h"

/* A job owner: counts its steps, wants STEPS of them, and records the order
 * of all owners' steps in a shared string. */
typedef struct
{
  GObject    parent_instance;
  TincanJob  job;
  char       name;
  guint      steps;
  guint      wanted;
  GString   *order;
  gboolean  *finalized;
  gboolean   cancel_in_step;
  gint64     busy_usec;
} Owner;

typedef GObjectClass OwnerClass;

static GType owner_get_type (void);

G_DEFINE_TYPE (Owner, owner, G_TYPE_OBJECT)

static void
owner_finalize (GObject *object)
{
  Owner *self = (Owner *) object;

  if (self->finalized != NULL)
    *self->finalized = TRUE;
  G_OBJECT_CLASS (owner_parent_class)->finalize (object);
}

static void
owner_class_init (OwnerClass *klass)
{
  klass->finalize = owner_finalize;
}

static void
owner_init (Owner *self)
{
}

static gboolean
owner_step (gpointer data)
{
  Owner *self = data;
  gint64 until = g_get_monotonic_time () + self->busy_usec;

  /* The work a step stands for (reading and decoding, in the app). */
  while (g_get_monotonic_time () < until)
    ;
  self->steps++;
  if (self->order != NULL)
    g_string_append_c (self->order, self->name);
  if (self->cancel_in_step)
    tincan_job_cancel (&self->job);
  return self->steps < self->wanted;
}

static Owner *
owner_new (char     name,
           guint    wanted,
           GString *order)
{
  Owner *self = g_object_new (owner_get_type (), NULL);

  self->name = name;
  self->wanted = wanted;
  self->order = order;
  tincan_job_init (&self->job, owner_step, G_OBJECT (self));
  return self;
}

static gboolean
all_done (gpointer data)
{
  Owner **owners = data;

  for (guint i = 0; owners[i] != NULL; i++)
    if (tincan_job_is_pending (&owners[i]->job))
      return FALSE;
  return TRUE;
}

/* Jobs take turns, one step each, in the order they were queued. */
static void
test_turns (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GString) order = g_string_new (NULL);
  Owner *owners[4] = { owner_new ('a', 3, order), owner_new ('b', 1, order),
                       owner_new ('c', 2, order), NULL };

  for (guint i = 0; owners[i] != NULL; i++)
    tincan_job_queue (&owners[i]->job, context);

  tincan_test_wait_for (context, all_done, owners, 5000);
  g_assert_cmpstr (order->str, ==, "abcaca");

  for (guint i = 0; owners[i] != NULL; i++)
    g_object_unref (owners[i]);
  tincan_test_pop_context (context);
}

typedef struct
{
  Owner  **owners;
  guint    max_steps_between;
  guint    last_total;
  guint    runs;
} Watch;

static guint
total_steps (Owner **owners)
{
  guint total = 0;

  for (guint i = 0; owners[i] != NULL; i++)
    total += owners[i]->steps;
  return total;
}

static gboolean
watch_cb (gpointer data)
{
  Watch *watch = data;
  guint total = total_steps (watch->owners);

  watch->max_steps_between = MAX (watch->max_steps_between, total - watch->last_total);
  watch->last_total = total;
  watch->runs++;
  return G_SOURCE_CONTINUE;
}

/* The slice is shared: with a slice too short for more than one step, each
 * dispatch runs one step, however many jobs are busy, and the main loop
 * gets to its other sources (X events and drawing, in the app) in between;
 * a read source per connection would have run all 20 first. The watch is
 * an idle at the runner's priority: it runs once per main-loop iteration
 * that runs the jobs (one at a higher priority would starve them). */
static void
test_one_budget_for_all (void)
{
  GMainContext *context = tincan_test_push_context ();
  Owner *owners[21] = { NULL };
  Watch watch = { .owners = owners };
  g_autoptr(GSource) idle = g_idle_source_new ();
  gint64 slice = tincan_budget_get_slice ();

  tincan_budget_set_slice (1);
  for (guint i = 0; i < 20; i++)
    {
      owners[i] = owner_new ('a' + i, 50, NULL);
      owners[i]->busy_usec = 2;
    }
  for (guint i = 0; i < 20; i++)
    tincan_job_queue (&owners[i]->job, context);

  g_source_set_priority (idle, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (idle, watch_cb, &watch, NULL);
  g_source_attach (idle, context);

  tincan_test_wait_for (context, all_done, owners, 10000);
  g_source_destroy (idle);
  tincan_budget_set_slice (slice);

  g_assert_cmpuint (total_steps (owners), ==, 20 * 50);
  g_assert_cmpuint (watch.max_steps_between, <=, 1);
  g_assert_cmpuint (watch.runs, >=, 20 * 50 / 2);

  for (guint i = 0; owners[i] != NULL; i++)
    g_object_unref (owners[i]);
  tincan_test_pop_context (context);
}

/* With the default slice, many steps run in one dispatch. */
static void
test_slice_batches (void)
{
  GMainContext *context = tincan_test_push_context ();
  Owner *owners[2] = { owner_new ('a', 1000, NULL), NULL };
  Watch watch = { .owners = owners };
  g_autoptr(GSource) idle = g_idle_source_new ();

  tincan_job_queue (&owners[0]->job, context);
  g_source_set_priority (idle, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (idle, watch_cb, &watch, NULL);
  g_source_attach (idle, context);

  tincan_test_wait_for (context, all_done, owners, 10000);
  g_source_destroy (idle);

  g_assert_cmpuint (owners[0]->steps, ==, 1000);
  g_assert_cmpuint (watch.max_steps_between, >, 1);

  g_object_unref (owners[0]);
  tincan_test_pop_context (context);
}

static void
test_cancel_queued (void)
{
  GMainContext *context = tincan_test_push_context ();
  gboolean finalized = FALSE;
  Owner *owner = owner_new ('a', 5, NULL);

  owner->finalized = &finalized;
  tincan_job_queue (&owner->job, context);
  g_assert_true (tincan_job_is_pending (&owner->job));
  tincan_job_cancel (&owner->job);
  g_assert_false (tincan_job_is_pending (&owner->job));
  tincan_test_drain_context (context);
  g_assert_cmpuint (owner->steps, ==, 0);

  /* The queue gave its reference back. */
  g_object_unref (owner);
  g_assert_true (finalized);
  tincan_test_pop_context (context);
}

/* A step that cancels its own job ends it, whatever it returns; and the
 * owner outlives the step even when the step's caller let go of it. */
static void
test_cancel_in_step (void)
{
  GMainContext *context = tincan_test_push_context ();
  gboolean finalized = FALSE;
  Owner *owner = owner_new ('a', 5, NULL);

  owner->finalized = &finalized;
  owner->cancel_in_step = TRUE;
  tincan_job_queue (&owner->job, context);
  g_object_unref (owner);
  g_assert_false (finalized);

  tincan_test_wait_until (context, &finalized, 5000);
  g_assert_true (finalized);
  tincan_test_pop_context (context);
}

/* Queueing a pending job again does not give it two turns. */
static void
test_queue_twice (void)
{
  GMainContext *context = tincan_test_push_context ();
  g_autoptr(GString) order = g_string_new (NULL);
  Owner *owners[3] = { owner_new ('a', 2, order), owner_new ('b', 2, order), NULL };

  tincan_job_queue (&owners[0]->job, context);
  tincan_job_queue (&owners[1]->job, context);
  tincan_job_queue (&owners[0]->job, context);
  tincan_test_wait_for (context, all_done, owners, 5000);
  g_assert_cmpstr (order->str, ==, "abab");

  g_object_unref (owners[0]);
  g_object_unref (owners[1]);
  tincan_test_pop_context (context);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/budget/turns", test_turns);
  g_test_add_func ("/net/budget/one-budget-for-all", test_one_budget_for_all);
  g_test_add_func ("/net/budget/slice-batches", test_slice_batches);
  g_test_add_func ("/net/budget/cancel-queued", test_cancel_queued);
  g_test_add_func ("/net/budget/cancel-in-step", test_cancel_in_step);
  g_test_add_func ("/net/budget/queue-twice", test_queue_twice);

  return g_test_run ();
}
