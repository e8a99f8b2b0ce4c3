/* Hits and the step over the displaced instruction.
 *
 * After the handlers, the thread must execute the instruction the int3
 * replaced.  The tracer puts the original byte back, single-steps the
 * thread over it, and writes the int3 again.  While the byte is back,
 * another thread of the process could run through the probed address
 * unseen, so every other thread is stopped first (PTRACE_INTERRUPT on
 * those running) and kept stopped until the step is done; hits that come
 * meanwhile queue up and step in turn.
 *
 * Chosen over executing a copy of the instruction out of line (Linux's
 * uprobes, SystemTap's dyninst) because that needs an x86 instruction
 * decoder to relocate pc-relative operands and fix calls, jumps and
 * returns, and any instruction it does not know is a probe that cannot be
 * placed; stepping the original in place is right for every instruction.
 * It costs nothing in a single-threaded process, and in a multi-threaded
 * one an interrupt and a stop per other running thread per hit. */
#include "breakpoint.h"

#include <signal.h>
#include <sys/ptrace.h>

static struct ut_bp_thread *_ut_bp_thread_of(struct task_struct *t)
{
	return _ut_bp_thread(t, false);
}

/* Runs the site's entry probes that are for this process, and arms its
 * return probes. */
static void _ut_bp_fire(struct ut_bp_proc *p, struct task_struct *t, int site, unsigned long addr)
{
	const struct ut_bp_site *s = &ut_bp.sites[site];
	struct task_struct *prev = ut_current;
	bool want_ret = false;
	unsigned int i;

	ut_current = t;
	for (i = 0; i < s->n; i++) {
		const struct stp_uprobe *u = &stp_ups.probes[ut_bp.order[s->first + i]];

		if (!_stp_uprobe_wanted(u, t))
			continue;
		if (u->ret)
			want_ret = true;
		else
			_stp_uprobe_run(u, t, &t->regs, addr, 0);
	}
	ut_current = prev;
	if (want_ret) {
		struct ut_bp_thread *bt = _ut_bp_thread(t, true);

		if (bt)
			_ut_bp_ret_push(bt, p, t, site, addr);
	}
}

/* Whether u may run the process's code before it stops again.  NEW runs
 * nothing before its first stop; LISTENING is in a group-stop and stops
 * again for us before it runs.  A thread resumed after its exit report
 * runs only the kernel's exit path, and a zombie leader stays there until
 * the whole group is gone: it never stops again, so waiting for it (or
 * interrupting it) would hold the process for good. */
static bool _ut_bp_may_run(const struct task_struct *u)
{
	return u->state == UT_TS_RUNNING && !u->dead && !u->exit_reported;
}

static bool _ut_bp_others_stopped(struct task_struct *self)
{
	struct task_struct *u;

	for (u = self->proc ? self->proc->threads : NULL; u; u = u->proc_next)
		if (u != self && !u->reaped && _ut_bp_may_run(u))
			return false;
	return true;
}

static void _ut_bp_freeze_others(struct task_struct *self)
{
	struct task_struct *u;

	for (u = self->proc ? self->proc->threads : NULL; u; u = u->proc_next) {
		if (u == self || !_ut_bp_may_run(u) || u->interrupt_sent)
			continue;
		/* The utrace layer's own flag: the thread's next stop clears it,
		 * and the layer sends no second interrupt meanwhile. */
		if (ptrace(PTRACE_INTERRUPT, u->tid, 0L, 0L) == 0)
			u->interrupt_sent = true;
	}
}

/* The first waiter steps once every other thread is stopped. */
static void _ut_bp_try_next(struct ut_bp_proc *p)
{
	struct ut_bp_thread *w = p->waiters;

	if (p->stepper || !w || !w->task)
		return;
	if (_ut_bp_others_stopped(w->task))
		ut_kick(w->task);
	else
		_ut_bp_freeze_others(w->task);
}

static void _ut_bp_unfreeze(struct ut_bp_proc *p)
{
	struct ut_bp_thread *bt;

	p->freezing = false;
	for (bt = ut_bp.threads; bt; bt = bt->next) {
		if (!bt->frozen || !bt->task || stp_task_tgid(bt->task) != p->tgid)
			continue;
		bt->frozen = false;
		ut_kick(bt->task);
	}
}

/* After a step or when a stepper or waiter is gone: the next one, or
 * everyone goes. */
static void _ut_bp_after_step(struct ut_bp_proc *p)
{
	if (p->waiters)
		_ut_bp_try_next(p);
	else if (!p->stepper)
		_ut_bp_unfreeze(p);
}

static void _ut_bp_unwait(struct ut_bp_proc *p, struct ut_bp_thread *bt)
{
	struct ut_bp_thread **pp;

	for (pp = &p->waiters; *pp; pp = &(*pp)->wnext) {
		if (*pp == bt) {
			*pp = bt->wnext;
			break;
		}
	}
	bt->wnext = NULL;
}

static void _ut_bp_step_done(struct ut_bp_proc *p, struct ut_bp_thread *bt)
{
	unsigned char int3 = STP_BP_INT3;

	if (_ut_bp_find(p, bt->step_addr))
		_ut_bp_write(p, bt->step_addr, &int3, 1);
	bt->state = UT_BPT_NONE;
	if (p->stepper == bt)
		p->stepper = NULL;
	_ut_bp_after_step(p);
}

/* A fault the stepped instruction itself raised: it did not execute, and
 * stepping again would fault again. */
static bool _ut_bp_sync_fault(struct task_struct *t, int sig)
{
	siginfo_t si;

	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE)
		return false;
	return ptrace(PTRACE_GETSIGINFO, t->tid, 0L, &si) == 0 && si.si_code > 0;
}

static void _ut_bp_hit(struct ut_bp_proc *p, struct task_struct *t, struct ut_bp_ins *ins,
		       unsigned long addr)
{
	struct ut_bp_thread *bt, **pp;

	/* The registers at the probed address, pc included: what handlers
	 * and the step see. */
	t->regs.uregs.rip = addr;
	t->regs_dirty = true;
	t->inject_sig = 0;
	if (ins->kind == UT_BP_RBRK)
		_ut_bp_sync(p, t);	/* ins is stale after this */
	else if (ut_bp.armed)
		_ut_bp_fire(p, t, ins->site, addr);
	if (!_ut_bp_find(p, addr))
		return;		/* taken out meanwhile: the original is back */
	bt = _ut_bp_thread(t, true);
	if (!bt)
		return;
	bt->state = UT_BPT_WANT_STEP;
	bt->step_addr = addr;
	bt->stashed_sig = 0;
	for (pp = &p->waiters; *pp; pp = &(*pp)->wnext)
		;
	*pp = bt;
	bt->wnext = NULL;
	p->freezing = true;
}

/* A signal-delivery-stop: a hit, a step's end, a return through the
 * trampoline, or a signal to keep until the step is done (inject_sig 0
 * swallows it). */
static void _ut_bp_signal_stop(struct task_struct *t)
{
	struct ut_bp_proc *p = _ut_bp_proc(stp_task_tgid(t), false);
	struct ut_bp_thread *bt;
	struct ut_bp_ins *ins;
	unsigned char cur;
	unsigned long addr;
	int sig = t->inject_sig;

	if (!p)
		return;
	bt = _ut_bp_thread_of(t);
	if (bt && bt->state == UT_BPT_STEPPING) {
		if (sig == SIGTRAP) {
			t->inject_sig = bt->stashed_sig;
			bt->stashed_sig = 0;
			_ut_bp_step_done(p, bt);
		} else if (_ut_bp_sync_fault(t, sig)) {
			_ut_bp_step_done(p, bt);	/* delivered, at the probed address */
		} else {
			/* Delivered after the step (the one of a kind that
			 * counts: standard signals do not queue anyway). */
			if (!bt->stashed_sig)
				bt->stashed_sig = sig;
			t->inject_sig = 0;
		}
		return;
	}
	if (sig != SIGTRAP && sig != SIGSEGV)
		return;
	if (ut_regs_fetch(t) < 0)
		return;
	if (sig == SIGSEGV) {
		if (t->regs.uregs.rip == STP_BP_TRAMPOLINE) {
			bt = _ut_bp_thread_of(t);
			if (bt && _ut_bp_ret_hit(bt, p, t))
				t->inject_sig = 0;
		}
		return;
	}
	addr = (unsigned long)t->regs.uregs.rip - 1;
	ins = _ut_bp_find(p, addr);
	if (ins) {
		_ut_bp_hit(p, t, ins, addr);
		return;
	}
	/* A hit on a breakpoint taken out after the int3 ran, before its trap
	 * was collected: run the original instruction. */
	if (_ut_bp_gone(p, addr) && _ut_bp_read(p, addr, &cur, 1) == 0 && cur != STP_BP_INT3) {
		t->regs.uregs.rip = addr;
		t->regs_dirty = true;
		t->inject_sig = 0;
	}
}

static bool _ut_bp_resume(struct task_struct *t, int *req, int *sig)
{
	struct ut_bp_proc *p = _ut_bp_proc(stp_task_tgid(t), false);
	struct ut_bp_thread *bt;
	struct ut_bp_ins *ins;

	if (!p)
		return false;
	bt = _ut_bp_thread_of(t);
	if (bt && bt->state == UT_BPT_STEPPING) {
		*req = PTRACE_SINGLESTEP;
		*sig = 0;
		return false;
	}
	if (bt && bt->state == UT_BPT_WANT_STEP) {
		if (p->stepper || p->waiters != bt) {
			/* Its turn comes; its stop may be the last the first
			 * waiter was waiting for. */
			_ut_bp_try_next(p);
			return true;
		}
		if (!_ut_bp_others_stopped(t)) {
			_ut_bp_freeze_others(t);
			return true;
		}
		ins = _ut_bp_find(p, bt->step_addr);
		if (ins)
			_ut_bp_write(p, bt->step_addr, &ins->orig, 1);
		p->waiters = bt->wnext;
		bt->wnext = NULL;
		if (!ins) {
			/* Taken out meanwhile: nothing to step over. */
			bt->state = UT_BPT_NONE;
			_ut_bp_after_step(p);
			return _ut_bp_resume(t, req, sig);
		}
		p->stepper = bt;
		bt->state = UT_BPT_STEPPING;
		*req = PTRACE_SINGLESTEP;
		*sig = 0;
		return false;
	}
	if (p->freezing) {
		bt = bt ? bt : _ut_bp_thread(t, true);
		if (!bt)
			return false;
		bt->frozen = true;
		_ut_bp_try_next(p);
		return true;
	}
	return false;
}

/* The thread is gone (or its image is): whatever it was doing here ends. */
static void _ut_bp_thread_gone(struct ut_bp_thread *bt)
{
	struct ut_bp_proc *p = bt->task ? _ut_bp_proc(stp_task_tgid(bt->task), false) : NULL;
	bool was = bt->state != UT_BPT_NONE;

	if (p && p->stepper == bt)
		_ut_bp_step_done(p, bt);
	if (p)
		_ut_bp_unwait(p, bt);
	bt->state = UT_BPT_NONE;
	bt->frozen = false;
	bt->nrets = 0;
	if (p && was)
		_ut_bp_after_step(p);
}
