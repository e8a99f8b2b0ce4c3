/* The utrace API on the kernel, built on the sched_process_* and
 * raw_syscalls tracepoints and task_work (runtime/utrace.h is the
 * contract; doc/kernel-runtime.md describes this implementation).
 *
 * Generated code includes this file once, so its parts are one
 * translation unit: everything but the API is static to the module, and
 * each module carries its own copy of the layer. */
#ifndef RUNTIME_LINUX_UTRACE_C
#define RUNTIME_LINUX_UTRACE_C
/* module_glue.h: user memory is then read through this layer. */
#ifndef STP_UTRACE_INCLUDED
#define STP_UTRACE_INCLUDED
#endif

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/rcupdate.h>

#include "../runtime_defs.h"	/* STP_HOT; the layer is also built alone */
#include "../utrace.h"
#include "utrace_compat.h"
#include "utrace_internal.h"
#include "utrace_task.c"
#include "utrace_report.c"
#include "utrace_engine.c"
#include "utrace_events.c"
#include "utrace_access.c"

#define UTRACE_POOL_MIN 16

int stp_utrace_init(void)
{
	int err = -ENOMEM;

	utrace_pool = mempool_create_kmalloc_pool(UTRACE_POOL_MIN, sizeof(struct utrace));
	utrace_engine_pool = mempool_create_kmalloc_pool(UTRACE_POOL_MIN,
							 sizeof(struct utrace_engine));
	utrace_wq = alloc_workqueue("ustap_utrace", 0, 0);
	if (!utrace_pool || !utrace_engine_pool || !utrace_wq)
		goto fail;
	stp_tw_cancel_init();
	if (!stp_tw_cancel)
		pr_warn("ustap utrace: " STP_TW_CANCEL_SYMBOL
			" not found; unloading will wait for traced tasks to reach user mode\n");
	WRITE_ONCE(utrace_shutdown, false);
	err = utrace_register_tps();
	if (err)
		goto fail;
	return 0;

fail:
	if (utrace_wq)
		destroy_workqueue(utrace_wq);
	mempool_destroy(utrace_engine_pool);
	mempool_destroy(utrace_pool);
	utrace_wq = NULL;
	utrace_engine_pool = NULL;
	utrace_pool = NULL;
	return err;
}

/* Detaches every engine and takes back what task_work still holds. */
static void utrace_shutdown_all(struct list_head *gone)
{
	struct utrace_engine *engine, *next;
	struct utrace *u;
	size_t i;

	spin_lock(&utrace_hash_lock);
	for (i = 0; i < ARRAY_SIZE(utrace_hash); i++) {
		hlist_for_each_entry(u, &utrace_hash[i], node) {
			spin_lock(&u->lock);
			list_for_each_entry_safe(engine, next, &u->attached, entry)
				if (!(engine->state & UTRACE_ENGINE_DETACHED))
					utrace_detach_locked(u, engine, gone);
			list_for_each_entry_safe(engine, next, &u->attaching, entry)
				if (!(engine->state & UTRACE_ENGINE_DETACHED))
					utrace_detach_locked(u, engine, gone);
			if (u->stopped)
				wake_up_process(u->task);
			if (u->resume_queued && stp_tw_cancel_cb(u->task, &u->work_resume)) {
				u->resume_queued = false;
				atomic_dec(&utrace_works);
			}
			if (u->signal_queued && stp_tw_cancel_cb(u->task, &u->work_signal)) {
				u->signal_queued = false;
				atomic_dec(&utrace_works);
			}
			spin_unlock(&u->lock);
		}
	}
	spin_unlock(&utrace_hash_lock);
}

/* Works not taken back run when their task next leaves the kernel (or
 * exits); a parked task leaves at once. */
static void utrace_wait_works(void)
{
	while (!wait_event_timeout(utrace_wait, atomic_read(&utrace_works) == 0, 10 * HZ))
		pr_warn("ustap utrace: unload waits for %d task(s) to leave the kernel\n",
			atomic_read(&utrace_works));
}

/* Frees what is left in the hash once nothing else can touch it. */
static void utrace_free_all(void)
{
	struct utrace_engine *engine, *next;
	struct utrace *u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(utrace_hash); i++) {
		for (;;) {
			LIST_HEAD(gone);

			spin_lock(&utrace_hash_lock);
			u = hlist_empty(&utrace_hash[i]) ? NULL :
				hlist_entry(utrace_hash[i].first, struct utrace, node);
			if (u)
				hlist_del_rcu(&u->node);
			spin_unlock(&utrace_hash_lock);
			if (!u)
				break;
			spin_lock(&u->lock);
			u->reaped = true;
			list_splice_tail_init(&u->attaching, &u->attached);
			list_for_each_entry_safe(engine, next, &u->attached, entry)
				list_move_tail(&engine->entry, &gone);
			spin_unlock(&u->lock);
			utrace_put_engines(&gone);
			utrace_put(u);
		}
	}
}

void stp_utrace_exit(void)
{
	LIST_HEAD(gone);

	if (!utrace_pool)
		return;
	WRITE_ONCE(utrace_shutdown, true);
	cancel_delayed_work_sync(&utrace_watchdog);
	/* Tracepoint probes run with preemption off: after this, none is
	 * still acting on a shutdown flag it read as false. */
	synchronize_rcu();

	utrace_shutdown_all(&gone);
	utrace_wait_works();
	utrace_put_engines(&gone);

	WRITE_ONCE(utrace_sys_active, false);
	utrace_unregister_tps();
	utrace_restore_flags();
	destroy_workqueue(utrace_wq);	/* runs the reap works still queued */
	utrace_free_all();

	/* A task that ran the last work may still be returning through
	 * module text; RCU callbacks free the task states. */
	stp_sync_module_text();
	rcu_barrier();
	if (atomic_read(&utrace_live_engines))
		pr_err("ustap utrace: %d engine reference(s) still held at unload\n",
		       atomic_read(&utrace_live_engines));
	mempool_destroy(utrace_engine_pool);
	mempool_destroy(utrace_pool);
	utrace_engine_pool = NULL;
	utrace_pool = NULL;
	utrace_wq = NULL;
}

#endif
