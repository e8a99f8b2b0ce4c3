/* From waitpid statuses to utrace reports, and from the reports' outcome
 * back to ptrace: which stop a thread is in, what it means for the
 * engines, and how (and whether) the thread goes on.
 *
 * Every stop ends in ut_finish_stop(): owed quiesce reports run, then the
 * thread is either held (an engine wants it stopped, or it waits for its
 * parent's report_clone) or resumed with the cheapest request that still
 * delivers every wanted event.  Work that cannot happen at once -- a held
 * thread let go by utrace_control(), a running thread that must be
 * interrupted -- goes on the kick list, which the loop drains between
 * waitpid events, so reports never nest. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

bool ut_detaching_all;
const struct ut_bp_hooks *ut_bp_hooks;
static struct task_struct *ut_kick_head, *ut_kick_tail;

void ut_kick(struct task_struct *t)
{
	if (t->kicked || t->reaped)
		return;
	t->kicked = true;
	stp_task_get(t);
	t->kick_next = NULL;
	if (ut_kick_tail)
		ut_kick_tail->kick_next = t;
	else
		ut_kick_head = t;
	ut_kick_tail = t;
}

bool ut_task_is_stopped(const struct task_struct *t)
{
	/* A new thread runs no user code before its first stop is handled. */
	return t->state == UT_TS_STOPPED || t->state == UT_TS_NEW;
}

/* Whether a thread with no engines stays traced. */
bool ut_keep_traced(const struct task_struct *t)
{
	const struct stp_proc *p = t->proc;

	if (t->engines)
		return true;
	/* Untraced, a seccomp-filtered thread's filtered syscalls would fail
	 * with ENOSYS. */
	if (p && p->filter)
		return true;
	if (ut_detaching_all)
		return false;
	return t->spawn_hold || t->awaiting_parent || !p || p->pinned;
}

/* The cheapest resume request that still brings every wanted stop. */
static int ut_resume_request(struct task_struct *t)
{
	long nr;

	if (!(t->events & UTRACE_EVENT_SYSCALL))
		return PTRACE_CONT;
	if (!ut_seccomp_mode(t))
		return PTRACE_SYSCALL;
	/* The filter brings the entries; ask for an exit stop only inside a
	 * syscall whose exit someone wants. */
	if (!t->in_syscall || !(t->events & UTRACE_EVENT(SYSCALL_EXIT)))
		return PTRACE_CONT;
	nr = t->sys_nr;
	if (nr < 0 && ut_regs_fetch(t) == 0)
		nr = (long)t->regs.uregs.orig_rax;
	return ut_syscall_wanted(nr) ? PTRACE_SYSCALL : PTRACE_CONT;
}

static void ut_ptrace_detach(struct task_struct *t)
{
	int sig = t->stop == UT_STOP_SIGNAL ? t->inject_sig : 0;
	struct stp_proc *p = t->proc;

	ut_regs_flush(t);
	/* A thread in a group-stop goes back to it: the kernel keeps the stop. */
	ptrace(PTRACE_DETACH, t->tid, 0L, (long)sig);
	t->state = UT_TS_RUNNING;
	ut_detach_engines(t);
	ut_task_forget(t);
	/* Let go, not dead: no exit to report, just nothing left to trace. */
	if (p && p->nthreads == 0)
		ut_proc_free(p);
}

static void ut_resume(struct task_struct *t)
{
	int req, sig = t->inject_sig;

	if (!ut_keep_traced(t)) {
		ut_ptrace_detach(t);
		return;
	}
	if (t->stop == UT_STOP_GROUP) {
		req = PTRACE_LISTEN;
		sig = 0;
	} else {
		req = ut_resume_request(t);
	}
	/* breakpoint hook: a step over a probed instruction, or a hold while
	 * another thread of the process steps. */
	if (ut_bp_hooks && ut_bp_hooks->resume(t, &req, &sig))
		return;
	ut_regs_flush(t);
	t->regs_valid = false;
	t->inject_sig = 0;
	t->held = false;
	t->stop = UT_STOP_NONE;
	t->last_req = req;
	t->state = req == PTRACE_LISTEN ? UT_TS_LISTENING : UT_TS_RUNNING;
	if (ptrace(req, t->tid, 0L, (long)sig) == 0)
		return;
	if (req == PTRACE_LISTEN && errno == EIO) {
		/* The group-stop ended (SIGCONT) before we could listen. */
		t->state = UT_TS_RUNNING;
		t->last_req = ut_resume_request(t);
		ptrace(t->last_req, t->tid, 0L, 0L);
	}
	/* ESRCH: killed in its stop; waitpid will tell. */
}

/* Applies what the syscall-entry report decided before the thread runs. */
static void ut_apply_entry_result(struct task_struct *t)
{
	if (t->stop != UT_STOP_SYSCALL_ENTRY && t->stop != UT_STOP_SECCOMP)
		return;
	if (!(t->entry_result & UTRACE_SYSCALL_ABORT))
		return;
	t->entry_result = UTRACE_SYSCALL_RUN;
	if (ut_regs_fetch(t) < 0)
		return;
	/* Syscall -1 does not exist: the kernel skips it and returns rax,
	 * which holds -ENOSYS at entry. */
	t->regs.uregs.orig_rax = (unsigned long long)-1;
	t->regs_dirty = true;
}

static void ut_entry_report(struct task_struct *t, u32 resumed)
{
	ut_report_syscall_entry(t, resumed);
	t->entry_rereport = ut_task_wants_stop(t);
}

/* The thread that took a SIGKILL still makes its PTRACE_EVENT_EXIT stop;
 * it must never be held there. */
static bool ut_killed(const struct task_struct *t)
{
	return t->stop == UT_STOP_EXIT && WIFSIGNALED(t->exit_code) &&
	       WTERMSIG(t->exit_code) == SIGKILL;
}

/* Decides what a stopped thread does next: held while any engine wants it
 * stopped (owed reports wait, as utrace has them), else a repeat of a held
 * syscall entry, owed resume reports, and on. */
static void ut_continue(struct task_struct *t)
{
	for (;;) {
		if (t->state != UT_TS_STOPPED)
			return;
		if (ut_task_wants_stop(t) && !ut_detaching_all && !ut_killed(t)) {
			t->held = true;
			return;
		}
		if (t->entry_rereport) {
			/* Let go after a stop at syscall entry: engines see the
			 * entry again, with the registers as they are now. */
			ut_entry_report(t, UTRACE_SYSCALL_RESUMED);
			continue;
		}
		if (t->report_owed) {
			ut_report_quiesce(t);
			continue;
		}
		break;
	}
	t->held = false;
	ut_apply_entry_result(t);
	ut_resume(t);
}

/* The end of a fresh stop, after its event report if any.  A report owed
 * (UTRACE_REPORT, or the QUIESCE report a utrace_control(STOP) promised)
 * is made here, at the stop, before a hold. */
void ut_finish_stop(struct task_struct *t)
{
	if (t->report_owed && t->state == UT_TS_STOPPED)
		ut_report_quiesce(t);
	ut_continue(t);
}

/* Why a running (or listening) thread must come to a stop now. */
static bool ut_needs_stop(struct task_struct *t)
{
	if (!ut_keep_traced(t))
		return true;
	if (t->report_owed && (t->events & UTRACE_EVENT(QUIESCE)))
		return true;
	if (ut_task_wants_stop(t))
		return true;
	/* Engines want syscalls but it runs under PTRACE_CONT without a
	 * filter covering them. */
	if (t->state == UT_TS_RUNNING && t->last_req == PTRACE_CONT &&
	    (t->events & UTRACE_EVENT_SYSCALL) && !ut_seccomp_mode(t))
		return true;
	return false;
}

static void ut_kick_one(struct task_struct *t)
{
	switch (t->state) {
	case UT_TS_STOPPED:
		if (!t->reporting)
			ut_continue(t);
		break;
	case UT_TS_RUNNING:
	case UT_TS_LISTENING:
		/* An exiting thread (a zombie leader waiting for its group)
		 * has no safe point left to stop at. */
		if (!t->interrupt_sent && !t->exit_reported && ut_needs_stop(t) &&
		    ptrace(PTRACE_INTERRUPT, t->tid, 0L, 0L) == 0)
			t->interrupt_sent = true;
		break;
	default:
		break;	/* new: its first stop is on its way */
	}
}

int stp_user_settle(void)
{
	struct stp_proc *p;
	struct task_struct *t;
	bool waiting;

	for (;;) {
		ut_process_kicks();
		waiting = false;
		for (p = ut_procs; p && !waiting; p = p->next)
			for (t = p->threads; t && !waiting; t = t->proc_next)
				waiting = t->interrupt_sent || t->kicked;
		if (!waiting)
			return 0;
		if (ut_wait_one(true) < 0)
			return -ECHILD;
	}
}

bool ut_process_kicks(void)
{
	struct task_struct *t;
	bool any = false;

	while ((t = ut_kick_head)) {
		ut_kick_head = t->kick_next;
		if (!ut_kick_head)
			ut_kick_tail = NULL;
		t->kick_next = NULL;
		t->kicked = false;
		any = true;
		if (!t->reaped && !t->dead)
			ut_kick_one(t);
		stp_task_put(t);
	}
	return any;
}

void ut_mark_stopped(struct task_struct *t, int stop)
{
	t->state = UT_TS_STOPPED;
	t->stop = stop;
	/* A new stop: whatever a held syscall entry owed is moot now. */
	t->entry_rereport = false;
	t->entry_result = UTRACE_SYSCALL_RUN;
	t->regs_valid = false;
	t->regs_dirty = false;
	t->inject_sig = 0;
	t->held = false;
	/* Any ptrace-stop answers an outstanding PTRACE_INTERRUPT: the kernel
	 * drops the pending trap at every stop (ptrace_stop() clears
	 * JOBCTL_TRAP_STOP), so a trap, a clone event or a syscall stop that
	 * came first is all the interrupt will ever bring.  Left set, nobody
	 * would interrupt the thread again, and whoever waits for it to stop
	 * (a breakpoint step, stp_user_settle) would wait for good.  An
	 * interrupt sent after the stop but before we saw it still brings a
	 * PTRACE_EVENT_STOP later: an ordinary stop, resumed as any other. */
	t->interrupt_sent = false;
}

/* ---- syscalls ---- */

static void ut_syscall_entry(struct task_struct *t)
{
	long nr;

	t->sys_nr = -1;
	if (!(t->events & UTRACE_EVENT_SYSCALL) || ut_regs_fetch(t) < 0)
		return;
	nr = t->sys_nr = (long)t->regs.uregs.orig_rax;
	/* A -c target's own setup before exec is ours, not the program's:
	 * its story starts at the execve. */
	if (t->prelude && nr != __NR_execve)
		return;
	if (ut_syscall_wanted(nr))
		ut_entry_report(t, 0);
}

static void ut_syscall_exit(struct task_struct *t)
{
	long nr = t->sys_nr;

	t->sys_nr = -1;
	if (!(t->events & UTRACE_EVENT(SYSCALL_EXIT)) || ut_regs_fetch(t) < 0)
		return;
	/* An aborted syscall has orig_rax -1 by now; the entry knew better. */
	if (nr < 0)
		nr = (long)t->regs.uregs.orig_rax;
	if (t->prelude && nr != __NR_execve)
		return;		/* the exec failed: what follows is ours again */
	if (ut_syscall_wanted(nr)) {
		/* rt_sigreturn and restarts rewrite orig_rax: during the
		 * report, stp_syscall_nr() answers with the entry's number. */
		t->sys_nr = nr;
		ut_report_syscall_exit(t);
		t->sys_nr = -1;
	}
}

static void ut_syscall_stop(struct task_struct *t)
{
	if (!t->in_syscall) {
		ut_mark_stopped(t, UT_STOP_SYSCALL_ENTRY);
		t->in_syscall = true;
		ut_syscall_entry(t);
	} else {
		ut_mark_stopped(t, UT_STOP_SYSCALL_EXIT);
		t->in_syscall = false;
		ut_syscall_exit(t);
	}
	ut_finish_stop(t);
}

static void ut_seccomp_stop(struct task_struct *t)
{
	ut_mark_stopped(t, UT_STOP_SECCOMP);
	t->in_syscall = true;
	if (ut_regs_fetch(t) == 0)
		ut_untraced_clone(t);
	/* Without a covering filter the thread runs under PTRACE_SYSCALL and
	 * its syscall-entry stop, just before this one, did the reporting. */
	if (ut_seccomp_mode(t))
		ut_syscall_entry(t);
	ut_finish_stop(t);
}

/* ---- exec, exit, death ---- */

static void ut_exit_once(struct task_struct *t, long code)
{
	if (t->exit_reported)
		return;
	t->exit_reported = true;
	t->exit_code = (int)code;
	if (t->proc && --t->proc->live == 0)
		t->group_dead = true;
	ut_report_exit(t, code);
}

static void ut_proc_died(struct stp_proc *p, int status)
{
	pid_t tgid = p->tgid;
	bool p_target = p->target;
	int e = 0;

	if (p->spawned && p->spawn_errfd >= 0 &&
	    read(p->spawn_errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	/* Its orphans inherit its pinning and filter: claim them first. */
	ut_claim_orphans_of(tgid);
	ut_proc_free(p);
	if (e == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 127)
		e = 0;
	if (p_target)
		ut_notify_target_exit(tgid, status, e);
}

void ut_task_died(struct task_struct *t, int status)
{
	struct stp_proc *p = t->proc;
	int sig;

	stp_task_get(t);
	t->state = UT_TS_DEAD;
	t->held = false;
	ut_orphan_del(t);
	if (ut_bp_hooks)
		ut_bp_hooks->died(t);	/* breakpoint hook */
	/* SIGKILL skips the PTRACE_EVENT_EXIT stop: report the exit now. */
	ut_exit_once(t, status);
	t->dead = true;
	sig = p && t->tid == p->tgid ? p->exit_signal : -1;
	ut_report_death(t, t->group_dead, sig);
	ut_report_reap(t);
	ut_task_forget(t);
	if (p && p->nthreads == 0)
		ut_proc_died(p, status);
	stp_task_put(t);
}

static void ut_exec_event(struct task_struct *t)
{
	unsigned long former = (unsigned long)t->tid;
	struct task_struct *execer;
	pid_t leader = t->tid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &former) == 0 && (pid_t)former != leader) {
		/* A non-leader thread exec'd and took the leader's pid.  The
		 * old leader is gone without a waitpid status of its own. */
		execer = ut_task_find((pid_t)former);
		if (execer) {
			ut_task_died(t, t->exit_reported ? t->exit_code : 0);
			ut_task_rekey(execer, leader);
			t = execer;
		}
	}
	ut_mark_stopped(t, UT_STOP_EVENT);
	t->in_syscall = true;
	t->sys_nr = -1;
	t->prelude = false;
	ut_task_changed_image(t);
	/* Threads killed by the exec cannot report their clones any more. */
	if (t->proc)
		ut_claim_orphans_of(t->proc->tgid);
	if (ut_bp_hooks)
		ut_bp_hooks->exec(t);	/* breakpoint hook: a new image */
	ut_report_exec(t);
	ut_finish_stop(t);
}

static void ut_exit_event(struct task_struct *t)
{
	unsigned long code = 0;

	ut_mark_stopped(t, UT_STOP_EXIT);
	ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &code);
	ut_exit_once(t, (long)code);
	ut_finish_stop(t);
}

/* ---- waitpid statuses ---- */

static bool ut_is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void ut_on_stop(struct task_struct *t, int status)
{
	int sig = WSTOPSIG(status), ev = (int)((unsigned int)status >> 16);

	if (sig == (SIGTRAP | 0x80)) {
		ut_syscall_stop(t);
		return;
	}
	switch (ev) {
	case 0:
		ut_mark_stopped(t, UT_STOP_SIGNAL);
		t->in_syscall = false;
		t->inject_sig = sig;	/* signals pass through untouched */
		if (ut_bp_hooks)
			ut_bp_hooks->signal_stop(t);	/* breakpoint hook: traps */
		break;
	case PTRACE_EVENT_STOP:
		/* PTRACE_INTERRUPT, a new thread's first stop, or a group-stop
		 * (then with the stopping signal). */
		ut_mark_stopped(t, ut_is_stop_signal(sig) ? UT_STOP_GROUP : UT_STOP_INTERRUPT);
		t->in_syscall = false;
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		ut_clone_event(t, ev);
		return;
	case PTRACE_EVENT_EXEC:
		ut_exec_event(t);
		return;
	case PTRACE_EVENT_EXIT:
		ut_exit_event(t);
		return;
	case PTRACE_EVENT_SECCOMP:
		ut_seccomp_stop(t);
		return;
	default:
		ut_mark_stopped(t, UT_STOP_INTERRUPT);
		break;
	}
	ut_finish_stop(t);
}

void ut_handle_status(pid_t pid, int status)
{
	struct task_struct *t = ut_task_find(pid);

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (t)
			ut_task_died(t, status);
		else
			ut_notify_child_exit(pid, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	if (!t) {
		ut_new_orphan(pid, status);
		return;
	}
	ut_on_stop(t, status);
}
