/* New threads and processes: the clone event in the parent, the child's
 * first stop (which may come first: an "orphan" until its parent
 * reports), and the thread group and inheritance each child gets.
 *
 * As in utrace, a child runs no code before its parent's report_clone has
 * returned, so engines can attach to it there; it gets no engines
 * otherwise. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int ut_norphans;

static void ut_claim(struct task_struct *child, struct stp_proc *parent, unsigned long flags,
		     pid_t tgid)
{
	struct stp_proc *p;

	if (child->proc)
		return;
	if (flags & CLONE_THREAD) {
		p = parent ? parent : ut_proc_find(tgid);
		if (!p)
			p = ut_proc_new(tgid);
	} else {
		p = ut_proc_find(child->tid);
		if (!p)
			p = ut_proc_new(child->tid);
		p->exit_signal = (int)(flags & CSIGNAL);
		/* The tree of a -c or -x target stays traced; a seccomp filter
		 * is inherited by every child. */
		p->pinned = parent ? parent->pinned : true;
		p->filter = parent ? parent->filter : ut_filter_guess(child->tid);
	}
	ut_proc_add(p, child);
	/* breakpoint hook: the child's memory holds the parent's int3s. */
	if (ut_bp_hooks && !(flags & CLONE_THREAD))
		ut_bp_hooks->fork(parent, child, flags);
}

static unsigned long ut_clone_flags(struct task_struct *t, int ev)
{
	unsigned long flags;
	unsigned long long args[5];
	const struct user_regs_struct *r;

	switch (ev) {
	case PTRACE_EVENT_FORK:
		flags = SIGCHLD;
		break;
	case PTRACE_EVENT_VFORK:
		flags = CLONE_VFORK | CLONE_VM | SIGCHLD;
		break;
	default:
		flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			CLONE_SYSVSEM;
		break;
	}
	/* The exact flags are in the parent's arguments. */
	if (ut_regs_fetch(t) < 0)
		return flags;
	r = &t->regs.uregs;
	switch ((long)r->orig_rax) {
	case __NR_clone:
		flags = r->rdi;
		break;
	case __NR_clone3:
		/* struct clone_args: flags at 0, exit_signal at 32. */
		if (stp_task_read(t, args, r->rdi, sizeof(args)) == 0)
			flags = (unsigned long)(args[0] | (args[4] & CSIGNAL));
		break;
	default:
		break;
	}
	return flags;
}

/* Orphans have no proc yet, so they are listed apart. */
static struct task_struct **ut_orphans;
static int ut_orphans_cap;

static void ut_orphan_add(struct task_struct *t)
{
	if (ut_norphans == ut_orphans_cap) {
		int cap = ut_orphans_cap ? 2 * ut_orphans_cap : 16;
		struct task_struct **n = realloc(ut_orphans, cap * sizeof(*n));

		if (!n) {
			fprintf(stderr, "stap: out of memory tracing thread %d\n", (int)t->tid);
			abort();
		}
		ut_orphans = n;
		ut_orphans_cap = cap;
	}
	t->orphan = true;
	stp_task_get(t);
	ut_orphans[ut_norphans++] = t;
}

void ut_orphan_del(struct task_struct *t)
{
	int i;

	if (!t->orphan)
		return;
	t->orphan = false;
	for (i = 0; i < ut_norphans; i++) {
		if (ut_orphans[i] == t) {
			ut_orphans[i] = ut_orphans[--ut_norphans];
			stp_task_put(t);
			return;
		}
	}
}

void ut_clone_event(struct task_struct *t, int ev)
{
	unsigned long msg = 0, flags;
	struct task_struct *child;

	ut_mark_stopped(t, UT_STOP_EVENT);
	t->in_syscall = true;
	t->sys_nr = -1;
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0 || msg == 0) {
		ut_finish_stop(t);
		return;
	}
	flags = ut_clone_flags(t, ev);
	child = ut_task_find((pid_t)msg);
	if (!child) {
		child = ut_task_new((pid_t)msg);
	} else {
		ut_orphan_del(child);
	}
	ut_claim(child, t->proc, flags, stp_task_tgid(t));
	/* As in utrace, the child runs no code before report_clone returns,
	 * so engines can attach to it there. */
	child->awaiting_parent = true;
	stp_task_get(child);
	ut_report_clone(t, flags, child);
	child->awaiting_parent = false;
	ut_kick(child);
	stp_task_put(child);
	ut_finish_stop(t);
}

static bool ut_proc_alive(pid_t tgid)
{
	struct stp_proc *p = ut_proc_find(tgid);

	return p && p->live > 0;
}

static void ut_claim_orphan(struct task_struct *t)
{
	struct stp_proc *parent = ut_proc_find(t->orphan_ptgid);
	bool thread = t->orphan_tgid != t->tid;

	stp_task_get(t);
	ut_orphan_del(t);
	ut_claim(t, thread ? NULL : parent, thread ? CLONE_THREAD : SIGCHLD, t->orphan_tgid);
	t->awaiting_parent = false;
	ut_kick(t);
	stp_task_put(t);
}

/* A new thread stopped before its parent's clone event: it waits for it,
 * unless the parent can no longer report (it died or exec'd). */
void ut_new_orphan(pid_t pid, int status)
{
	struct task_struct *t = ut_task_new(pid);
	pid_t tgid = pid, ppid = 0;

	ut_read_proc_status(pid, &tgid, &ppid, NULL, NULL);
	ut_orphan_add(t);
	t->awaiting_parent = true;
	t->orphan_tgid = tgid;
	t->orphan_ptgid = tgid != pid ? tgid : ppid;
	if ((status >> 16) == 0) {
		ut_mark_stopped(t, UT_STOP_SIGNAL);
		t->inject_sig = WSTOPSIG(status);
	} else {
		ut_mark_stopped(t, WSTOPSIG(status) == SIGTRAP ? UT_STOP_INTERRUPT : UT_STOP_GROUP);
	}
	t->held = true;
	if (!ut_proc_alive(t->orphan_ptgid) || ut_detaching_all)
		ut_claim_orphan(t);
}

void ut_claim_orphans_of(pid_t tgid)
{
	int i = 0;

	while (i < ut_norphans) {
		if (ut_orphans[i]->orphan_ptgid == tgid || ut_detaching_all)
			ut_claim_orphan(ut_orphans[i]);	/* swaps the last one in */
		else
			i++;
	}
}

void ut_claim_all_orphans(void)
{
	while (ut_norphans)
		ut_claim_orphan(ut_orphans[0]);
}

