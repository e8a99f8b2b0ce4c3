/* Where events come from: the sched_process_fork/exec/exit/free and
 * raw_syscalls sys_enter/sys_exit tracepoints, found by name and probed
 * in the context of the task concerned (free: in RCU callback context).
 *
 * Syscall cost.  Registering sys_enter/sys_exit makes the kernel set the
 * syscall-tracepoint flag on every task, so every process would pay for
 * syscall tracing while the module is loaded.  utrace only slowed the
 * threads it traced; so does this layer: in UTRACE_SYS_FILTER mode a
 * task's flag is set exactly while one of its engines wants syscall
 * events, and cleared on every other task.  The races:
 * - Tasks forked while the initial walk runs inherit the parent's flag
 *   and may be missed by the walk.  A task whose flag is set but that no
 *   engine wants syscalls from clears its own flag in the probe on its
 *   next syscall, so such a task pays for one syscall at most.
 * - A new child gets its flag in the fork probe, after report_clone had
 *   its chance to attach to it and before it first runs.
 * - Clearing must never race with an engine enabling syscall events on
 *   the same task: every decision is taken under utrace_hash_lock (a task
 *   without state) or the task's utrace->lock (a task with state), the
 *   same locks attach and utrace_set_events hold, so the last decision
 *   is always made with the current event masks.
 * - Another user of sys_enter/sys_exit (perf, ftrace, bpftrace, another
 *   module) needs the flag on every task.  The kernel tells nobody when a
 *   probe is added, so a watchdog looks at the tracepoints' probe lists
 *   every UTRACE_WATCHDOG_PERIOD; while others are there (UTRACE_SYS_SHARED)
 *   every task gets the flag.  Until the watchdog notices a newcomer, that
 *   newcomer misses the syscalls of tasks whose flag was cleared.  At
 *   unload, if others remain, every task gets the flag back. */

#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <asm/unistd.h>

#define UTRACE_WATCHDOG_PERIOD (HZ / 4)

/* Whether to filter syscall-tracepoint flags at all (benchmarks turn it
 * off to measure what every process pays without it). */
static bool stp_utrace_filter_syscalls = true;

static void utrace_apply_flag(struct task_struct *t, bool want)
{
	if (!READ_ONCE(utrace_sys_active))
		return;	/* our probes are not registered: the kernel owns the flags */
	if (want) {
		if (!stp_sys_tp_test(t))
			stp_sys_tp_set(t);
	} else if (stp_sys_tp_test(t)) {
		stp_sys_tp_clear(t);
	}
}

static void utrace_sync_flag_locked(struct utrace *u)
{
	if (u->reaped)
		return;
	utrace_apply_flag(u->task, READ_ONCE(utrace_sys_mode) != UTRACE_SYS_FILTER ||
			  (u->events & UTRACE_EVENT_SYSCALL));
}

static void utrace_sync_task_flag(struct task_struct *t)
{
	struct utrace *u;

	spin_lock(&utrace_hash_lock);
	u = utrace_lookup(t);
	if (u) {
		spin_lock(&u->lock);
		utrace_sync_flag_locked(u);
		spin_unlock(&u->lock);
	} else {
		utrace_apply_flag(t, utrace_sys_mode != UTRACE_SYS_FILTER);
	}
	spin_unlock(&utrace_hash_lock);
}

static void utrace_sync_all_flags(void)
{
	struct task_struct *p, *t;

	rcu_read_lock();
	for_each_process_thread(p, t)
		utrace_sync_task_flag(t);
	rcu_read_unlock();
}

static void utrace_set_sys_mode(enum utrace_sys_mode mode)
{
	spin_lock(&utrace_hash_lock);
	WRITE_ONCE(utrace_sys_mode, mode);
	spin_unlock(&utrace_hash_lock);
	utrace_sync_all_flags();
}

/* ---- the clone flags of a new task ----
 * sched_process_fork does not pass them.  A task forking from a syscall
 * passed them in that syscall (what the program asked for, like utrace's
 * report_clone); a task the kernel made is described by what it shares. */

static unsigned long utrace_clone_flags_shared(struct task_struct *parent,
					       struct task_struct *child)
{
	unsigned long flags = 0;

	if (child->mm && child->mm == parent->mm)
		flags |= CLONE_VM;
	if (child->files && child->files == parent->files)
		flags |= CLONE_FILES;
	if (child->fs && child->fs == parent->fs)
		flags |= CLONE_FS;
	if (child->sighand == parent->sighand)
		flags |= CLONE_SIGHAND;
	if (same_thread_group(child, parent))
		flags |= CLONE_THREAD;
	else
		flags |= child->exit_signal & CSIGNAL;
	return flags;
}

static unsigned long utrace_clone_flags(struct task_struct *parent, struct task_struct *child)
{
#ifdef CONFIG_X86_64
	if (parent == current && !(parent->flags & PF_KTHREAD) && !in_ia32_syscall()) {
		struct pt_regs *regs = task_pt_regs(parent);
		unsigned long args[6];
		struct clone_args __user *uargs;
		u64 flags, exit_signal;

		switch (syscall_get_nr(parent, regs)) {
		case __NR_fork:
			return SIGCHLD;
		case __NR_vfork:
			return CLONE_VFORK | CLONE_VM | SIGCHLD;
		case __NR_clone:
			stp_syscall_get_args(parent, regs, args);
			return args[0];
		case __NR_clone3:
			stp_syscall_get_args(parent, regs, args);
			uargs = (struct clone_args __user *)args[0];
			if (!stp_copy_nofault(&flags, &uargs->flags, sizeof(flags)) &&
			    !stp_copy_nofault(&exit_signal, &uargs->exit_signal,
					      sizeof(exit_signal)))
				return flags | (exit_signal & CSIGNAL);
			break;
		}
	}
#endif
	return utrace_clone_flags_shared(parent, child);
}

/* ---- tracepoint probes ---- */

/* The state of the task running this probe: alive until it is reaped,
 * which cannot happen while it runs, so no reference is needed after.
 * Tracepoint probes run with preemption off, which is an RCU read-side
 * section already. */
static struct utrace *utrace_current(void)
{
	struct utrace *u;

	hlist_for_each_entry_rcu(u, utrace_bucket(current), node, !preemptible())
		if (u->task == current)
			return u;
	return NULL;
}

static void utrace_fork_probe(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct utrace *u;

	if (READ_ONCE(utrace_shutdown))
		return;
	u = utrace_current();
	if (u && (READ_ONCE(u->events) & UTRACE_EVENT(CLONE))) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(CLONE),
			.regs = task_pt_regs(current),
			.child = child,
			.clone_flags = utrace_clone_flags(parent, child),
		};

		utrace_report(u, &ev, UTRACE_RESUME, false);
	}

	/* The child has not run yet: it gets its flag now. */
	spin_lock(&utrace_hash_lock);
	u = utrace_lookup(child);
	if (u) {
		spin_lock(&u->lock);
		/* Its first trip to user mode returns from the fork, which
		 * it never entered: that is no syscall exit to report. */
		u->fresh = u->events & UTRACE_EVENT(SYSCALL_EXIT);
		utrace_sync_flag_locked(u);
		spin_unlock(&u->lock);
	} else {
		utrace_apply_flag(child, utrace_sys_mode != UTRACE_SYS_FILTER);
	}
	spin_unlock(&utrace_hash_lock);
}

static void utrace_exec_probe(void *data, struct task_struct *task, pid_t old_pid,
			      struct linux_binprm *bprm)
{
	struct utrace *u;

	if (READ_ONCE(utrace_shutdown))
		return;
	u = utrace_current();
	if (u && (READ_ONCE(u->events) & UTRACE_EVENT(EXEC))) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(EXEC),
			.regs = task_pt_regs(current),
			.bprm = bprm,
		};

		utrace_report(u, &ev, UTRACE_RESUME, false);
	}
}

static void utrace_exit_common(struct task_struct *task, bool group_dead)
{
	struct utrace *u;

	if (READ_ONCE(utrace_shutdown))
		return;
	/* Taken for every exit: attach checks PF_EXITING under this lock,
	 * so after this no state can appear for the task. */
	spin_lock(&utrace_hash_lock);
	u = utrace_lookup(task);
	if (u) {
		spin_lock(&u->lock);
		u->exiting = true;
		spin_unlock(&u->lock);
	}
	spin_unlock(&utrace_hash_lock);
	if (!u)
		return;

	if (READ_ONCE(u->events) & UTRACE_EVENT(EXIT)) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(EXIT),
			.orig_code = task->exit_code,
			.code = task->exit_code,
		};

		utrace_report(u, &ev, UTRACE_RESUME, false);
		if (ev.code != ev.orig_code)
			task->exit_code = ev.code;
	}
	if (READ_ONCE(u->events) & UTRACE_EVENT(DEATH)) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(DEATH),
			.group_dead = group_dead,
			.signal = thread_group_leader(task) ? task->exit_signal : -1,
		};

		utrace_report(u, &ev, UTRACE_RESUME, false);
	}
	spin_lock(&u->lock);
	u->dead = true;
	spin_unlock(&u->lock);
}

#ifdef STP_TP_SCHED_EXIT_GROUP_DEAD
static void utrace_exit_probe(void *data, struct task_struct *task, bool group_dead)
{
	utrace_exit_common(task, group_dead);
}
#else
static void utrace_exit_probe(void *data, struct task_struct *task)
{
	/* signal->live was decremented just before the tracepoint. */
	utrace_exit_common(task, atomic_read(&task->signal->live) == 0);
}
#endif

/* RCU callback context: take a task reference and finish in a work item. */
static void utrace_free_probe(void *data, struct task_struct *task)
{
	struct utrace *u;

	rcu_read_lock();
	u = utrace_lookup(task);
	if (u) {
		get_task_struct(task);
		queue_work(utrace_wq, &u->reap_work);
	}
	rcu_read_unlock();
}

/* A task whose flag is set although no engine wants its syscalls. */
static void utrace_unwanted_syscall(void)
{
	if (READ_ONCE(utrace_sys_mode) == UTRACE_SYS_FILTER && !READ_ONCE(utrace_shutdown))
		utrace_sync_task_flag(current);
}

STP_HOT static void utrace_sys_enter_probe(void *data, struct pt_regs *regs, long id)
{
	struct utrace *u = utrace_current();
	unsigned long events = u ? READ_ONCE(u->events) : 0;

	if (unlikely(!(events & UTRACE_EVENT_SYSCALL))) {
		utrace_unwanted_syscall();
		return;
	}
	if (unlikely(READ_ONCE(u->fresh)))
		WRITE_ONCE(u->fresh, false);
	if ((events & UTRACE_EVENT(SYSCALL_ENTRY)) && !READ_ONCE(utrace_shutdown)) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(SYSCALL_ENTRY),
			.regs = regs,
		};
		u32 ret = utrace_report(u, &ev, UTRACE_RESUME | UTRACE_SYSCALL_RUN, false);

		if ((ret & UTRACE_SYSCALL_MASK) == UTRACE_SYSCALL_ABORT)
			stp_syscall_abort(regs);
	}
}

STP_HOT static void utrace_sys_exit_probe(void *data, struct pt_regs *regs, long ret)
{
	struct utrace *u = utrace_current();
	unsigned long events = u ? READ_ONCE(u->events) : 0;

	if (unlikely(!(events & UTRACE_EVENT_SYSCALL))) {
		utrace_unwanted_syscall();
		return;
	}
	if (unlikely(READ_ONCE(u->fresh))) {
		WRITE_ONCE(u->fresh, false);
		return;
	}
	if ((events & UTRACE_EVENT(SYSCALL_EXIT)) && !READ_ONCE(utrace_shutdown)) {
		struct utrace_event ev = {
			.event = UTRACE_EVENT(SYSCALL_EXIT),
			.regs = regs,
		};

		utrace_report(u, &ev, UTRACE_RESUME, false);
	}
}

/* ---- registration ---- */

struct utrace_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool watch_only;	/* not probed: only looked at for others' probes */
	bool registered;
};

/* A module whose engines never ask for syscall exits (the generated code
 * knows: no .syscall.return probe) defines UTRACE_NO_SYSCALL_EXIT, and a
 * traced syscall does not pay for a sys_exit probe that would find
 * nothing to report. */
#ifdef UTRACE_NO_SYSCALL_EXIT
#define UTRACE_SYS_EXIT_WATCH_ONLY true
#else
#define UTRACE_SYS_EXIT_WATCH_ONLY false
#endif

/* sched_process_free first on and last off: while any state exists, a
 * task cannot be freed without the layer knowing. */
static struct utrace_tp utrace_tps[] = {
	{ "sched_process_free", utrace_free_probe },
	{ "sched_process_fork", utrace_fork_probe },
	{ "sched_process_exec", utrace_exec_probe },
	{ "sched_process_exit", utrace_exit_probe },
	{ "sys_enter", utrace_sys_enter_probe },
	{ "sys_exit", utrace_sys_exit_probe, .watch_only = UTRACE_SYS_EXIT_WATCH_ONLY },
};
#define UTRACE_TP_SYS_ENTER 4
#define UTRACE_TP_SYS_EXIT 5

static void utrace_find_tp(struct tracepoint *tp, void *priv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(utrace_tps); i++)
		if (!strcmp(tp->name, utrace_tps[i].name))
			utrace_tps[i].tp = tp;
}

/* Whether a probe other than ours is on the tracepoint. */
static bool utrace_tp_shared(struct utrace_tp *t)
{
#ifdef STP_HAVE_TP_FUNCS
	struct tracepoint_func *f;
	bool others = false;

	rcu_read_lock_sched();
	f = rcu_dereference_sched(t->tp->funcs);
	for (; f && f->func; f++)
		if (f->func != t->probe)
			others = true;
	rcu_read_unlock_sched();
	return others;
#else
	return true;	/* cannot tell: never filter */
#endif
}

static bool utrace_sys_shared(void)
{
	return utrace_tp_shared(&utrace_tps[UTRACE_TP_SYS_ENTER]) ||
		utrace_tp_shared(&utrace_tps[UTRACE_TP_SYS_EXIT]);
}

static void utrace_watchdog_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(utrace_watchdog, utrace_watchdog_fn);

static void utrace_watchdog_fn(struct work_struct *work)
{
	bool shared = utrace_sys_shared();

	if (READ_ONCE(utrace_shutdown))
		return;
	if (shared && utrace_sys_mode == UTRACE_SYS_FILTER)
		utrace_set_sys_mode(UTRACE_SYS_SHARED);
	else if (!shared && utrace_sys_mode == UTRACE_SYS_SHARED)
		utrace_set_sys_mode(UTRACE_SYS_FILTER);
	schedule_delayed_work(&utrace_watchdog, UTRACE_WATCHDOG_PERIOD);
}

static void utrace_unregister_tps(void)
{
	int i;

	for (i = ARRAY_SIZE(utrace_tps) - 1; i >= 0; i--) {
		if (!utrace_tps[i].registered)
			continue;
		tracepoint_probe_unregister(utrace_tps[i].tp, utrace_tps[i].probe, NULL);
		utrace_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();
}

static int utrace_register_tps(void)
{
	size_t i;
	int err;

	for_each_kernel_tracepoint(utrace_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(utrace_tps); i++) {
		if (!utrace_tps[i].tp) {
			pr_err("ustap utrace: tracepoint %s not found\n", utrace_tps[i].name);
			err = -ENOENT;
			goto fail;
		}
		if (utrace_tps[i].watch_only)
			continue;
		err = tracepoint_probe_register(utrace_tps[i].tp, utrace_tps[i].probe, NULL);
		if (err) {
			pr_err("ustap utrace: cannot probe tracepoint %s: %d\n",
			       utrace_tps[i].name, err);
			goto fail;
		}
		utrace_tps[i].registered = true;
	}

	WRITE_ONCE(utrace_sys_active, true);
	if (stp_utrace_filter_syscalls) {
		utrace_set_sys_mode(utrace_sys_shared() ? UTRACE_SYS_SHARED : UTRACE_SYS_FILTER);
		schedule_delayed_work(&utrace_watchdog, UTRACE_WATCHDOG_PERIOD);
	} else {
		utrace_set_sys_mode(UTRACE_SYS_ALL);
	}
	return 0;

fail:
	utrace_unregister_tps();
	return err;
}

/* After our probes are gone: if others still use the syscall
 * tracepoints, every task needs its flag back (the kernel clears them
 * all only when the last probe goes). */
static void utrace_restore_flags(void)
{
	struct task_struct *p, *t;

	if (utrace_sys_mode != UTRACE_SYS_FILTER)
		return;
#ifdef STP_HAVE_TP_FUNCS
	if (!rcu_access_pointer(utrace_tps[UTRACE_TP_SYS_ENTER].tp->funcs) &&
	    !rcu_access_pointer(utrace_tps[UTRACE_TP_SYS_EXIT].tp->funcs))
		return;
#endif
	rcu_read_lock();
	for_each_process_thread(p, t)
		stp_sys_tp_set(t);
	rcu_read_unlock();
}
