/* Per-task state of the kernel utrace layer and the rules that keep it
 * consistent.  Shared by the runtime/linux/utrace_*.c parts, which are
 * compiled as one unit through runtime/linux/utrace.c.
 *
 * Locking:
 * - utrace_hash_lock guards the hash (insert, remove) and serializes
 *   creating a task's state with that task's exit: attach checks
 *   PF_EXITING under it and the exit tracepoint takes it, so no state is
 *   created for a task after its exit was seen.  It also orders every
 *   decision about a task's syscall-tracepoint flag (utrace_events.c).
 * - utrace->lock guards the engine lists, engine state and flags, and the
 *   task's report/stop/work state.  Order: utrace_hash_lock, then
 *   utrace->lock.  Neither is taken in hard or soft interrupt context.
 * - Only the task itself walks utrace->attached without the lock, while
 *   utrace->reporting is set; then nobody else changes that list.  Engines
 *   attached meanwhile wait on utrace->attaching (utrace->dirty set) and
 *   join when the report ends or the next begins; engines detached
 *   meanwhile are only marked, and the reporter unlinks them.  That is how
 *   an engine attached during an event sees the next event and never half
 *   of this one.  The reporter takes no lock unless it must: it sets
 *   reporting, then (full barrier) reads utrace->modifying; whoever changes
 *   the list holds the lock, sets modifying, then (full barrier) reads
 *   reporting.  One sees the other: either the modifier leaves the list
 *   alone, or the reporter waits for the lock before walking.
 * - A callback starts without the lock.  Over a single engine (the list
 *   walked is one entry: the usual case, and the one a traced syscall
 *   pays for) it has no barrier of its own: the one after setting
 *   utrace->reporting comes before the reporter reads the engine's state
 *   and flags; a detacher (or utrace_set_events) writes those, then
 *   (after a full barrier) reads utrace->reporting.  One sees the other,
 *   so after a detach either no callback starts or the detacher knows
 *   the task reports and its one engine may be called (-EINPROGRESS;
 *   utrace_barrier waits for the report to end: reporting clear, or
 *   utrace->reports moved on).  Over several engines the detacher must
 *   know which one is called, so the reporter sets engine->reporting,
 *   then (after a full barrier) checks that the engine is not detached,
 *   and the detacher reads engine->reporting after its barrier.  The list
 *   does not change during a report, so both sides agree on which case
 *   holds (utrace_callback_running_locked).
 *
 * Lifetime: the hash holds one reference to a task's state and each
 * engine one more, so an engine handle always reaches valid state (a
 * reaped task's state answers -ESRCH).  The state is freed an RCU grace
 * period after its last reference, because tracepoints look it up under
 * RCU.  A task's state leaves the hash when the task is reaped
 * (sched_process_free, finished in a work item) or at module unload. */
#ifndef RUNTIME_LINUX_UTRACE_INTERNAL_H
#define RUNTIME_LINUX_UTRACE_INTERNAL_H

#include <linux/spinlock.h>
#include <linux/rculist.h>
#include <linux/workqueue.h>
#include <linux/mempool.h>
#include <linux/hash.h>
#include <linux/wait.h>
#include <linux/binfmts.h>

/* Engine state bits (utrace_engine.state). */
#define UTRACE_ENGINE_DETACHED	0x1	/* no more callbacks; unlinked soon */
#define UTRACE_ENGINE_STOP	0x2	/* holds its task stopped (sticky) */

struct utrace {
	spinlock_t lock;
	struct kref kref;
	struct task_struct *task;	/* not a reference: valid until reaped */
	struct hlist_node node;		/* in utrace_hash */
	struct list_head attached;	/* engines in attach order */
	struct list_head attaching;	/* attached during a report */
	unsigned long events;		/* union of the engines' event masks */
	unsigned int nstop;		/* attached engines holding the task stopped */
	enum utrace_resume_action resume; /* smallest request for the next safe point */
	unsigned long reports;		/* reports ended; only the reporter writes */
	bool reporting;			/* a report walks 'attached' */
	bool modifying;			/* someone holding the lock changes 'attached' */
	bool dirty;			/* engines wait for the reporter to (un)link them */
	bool stopped;			/* parked in utrace_stop() */
	bool fresh;			/* new child: its fork return is no syscall exit */
	bool exiting;			/* exit seen: no new engines, no stops */
	bool dead;			/* death reported */
	bool reaped;			/* gone: every call answers -ESRCH */
	bool resume_queued;		/* work_resume is on the task's task_work list */
	bool signal_queued;		/* work_signal is */
	struct callback_head work_resume; /* safe point on return to user mode */
	struct callback_head work_signal; /* the same, breaking interruptible sleeps */
	struct work_struct reap_work;
	struct rcu_head rcu;
};

/* What an event hands to the engines' callbacks. */
struct utrace_event {
	unsigned long event;		/* one UTRACE_EVENT() bit, 0 for a resume report */
	struct pt_regs *regs;
	unsigned long clone_flags;
	struct task_struct *child;
	const struct linux_binprm *bprm;
	long orig_code;
	long code;
	bool group_dead;
	int signal;
	struct task_struct *task;	/* report_reap */
};

/* How the syscall-tracepoint flag of tasks is managed (utrace_events.c). */
enum utrace_sys_mode {
	UTRACE_SYS_FILTER,	/* set only on tasks an engine wants syscalls from */
	UTRACE_SYS_SHARED,	/* another user has the tracepoints: set on all */
	UTRACE_SYS_ALL,		/* filtering turned off: set on all */
};

#define UTRACE_HASH_BITS 10

static DEFINE_SPINLOCK(utrace_hash_lock);
static struct hlist_head utrace_hash[1 << UTRACE_HASH_BITS];
static mempool_t *utrace_pool;
static mempool_t *utrace_engine_pool;
static struct workqueue_struct *utrace_wq;
static DECLARE_WAIT_QUEUE_HEAD(utrace_wait);	/* unload waits here for task_works */
static atomic_t utrace_works = ATOMIC_INIT(0);	/* task_works queued or running */
static atomic_long_t utrace_enomem = ATOMIC_LONG_INIT(0);
static atomic_t utrace_live_engines = ATOMIC_INIT(0);	/* allocated, not yet released */
static bool utrace_shutdown;			/* unloading: no new work */
static enum utrace_sys_mode utrace_sys_mode;	/* changes under utrace_hash_lock */
static bool utrace_sys_active;			/* our syscall probes are registered */

/* utrace_task.c */
static struct utrace *utrace_lookup(struct task_struct *t);
static void utrace_put(struct utrace *u);
static gfp_t utrace_gfp(void);
static void utrace_put_engines(struct list_head *gone);
static void utrace_recompute_locked(struct utrace *u);
static bool utrace_stop_wanted_locked(struct utrace *u);

/* utrace_report.c */
static void utrace_request_locked(struct utrace *u, enum utrace_resume_action action);
static u32 utrace_report(struct utrace *u, struct utrace_event *ev, u32 action, bool at_safe_point);
static void utrace_reap_workfn(struct work_struct *work);
static void utrace_resume_workfn(struct callback_head *cb);
static void utrace_signal_workfn(struct callback_head *cb);

/* utrace_events.c */
static void utrace_sync_flag_locked(struct utrace *u);

#endif
