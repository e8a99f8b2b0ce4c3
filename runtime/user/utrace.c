/* The utrace engine API (runtime/utrace.h) on the ptrace tracer: engines,
 * their reference counts, and the report passes that call them.
 *
 * Reports run synchronously in the single tracer thread while the task sits
 * in a ptrace-stop, so a callback is never "in progress" on another CPU:
 * utrace_control(DETACH) takes effect at once and utrace_barrier() has
 * nothing to wait for.  What ptrace does with the outcome of a report
 * (hold the task, resume it, with which request) is utrace_stop.c's job. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <stdlib.h>

struct task_struct *ut_current;

void ut_recalc_events(struct task_struct *t)
{
	struct utrace_engine *e;
	unsigned long ev = 0;

	for (e = t->engines; e; e = e->next)
		if (!e->detached)
			ev |= e->flags;
	t->events = ev;
}

/* Detached engines leave the list here, never while a report walks it. */
static void ut_sweep(struct task_struct *t)
{
	struct utrace_engine **pp = &t->engines, *e;

	while ((e = *pp)) {
		if (e->detached) {
			*pp = e->next;
			e->next = NULL;
			e->task = NULL;
			utrace_engine_put(e);	/* the attachment's reference */
		} else {
			pp = &e->next;
		}
	}
	ut_recalc_events(t);
}

static void ut_engine_detach(struct utrace_engine *e)
{
	struct task_struct *t = e->task;

	e->detached = true;
	e->wants_stop = false;
	if (!t->reporting) {
		ut_sweep(t);
		ut_kick(t);	/* it may be free to run, or to be let go */
	}
}

bool ut_task_wants_stop(struct task_struct *t)
{
	struct utrace_engine *e;

	if (t->spawn_hold || t->awaiting_parent)
		return true;
	for (e = t->engines; e; e = e->next)
		if (!e->detached && e->wants_stop)
			return true;
	return false;
}

void utrace_engine_get(struct utrace_engine *engine)
{
	engine->refs++;
}

void utrace_engine_put(struct utrace_engine *engine)
{
	if (--engine->refs > 0)
		return;
	if (engine->release)
		engine->release(engine->data);
	free(engine);
}

static bool ut_engine_matches(const struct utrace_engine *e, int flags,
			      const struct utrace_engine_ops *ops, void *data)
{
	if (e->detached)
		return false;
	if ((flags & UTRACE_ATTACH_MATCH_OPS) && e->ops != ops)
		return false;
	if ((flags & UTRACE_ATTACH_MATCH_DATA) && e->data != data)
		return false;
	return true;
}

struct utrace_engine *utrace_attach_task(struct task_struct *target, int flags,
					 const struct utrace_engine_ops *ops, void *data)
{
	struct utrace_engine *e, **pp;

	if (!target || target->dead || target->reaped)
		return ERR_PTR(-ESRCH);
	if (!(flags & UTRACE_ATTACH_CREATE) || (flags & UTRACE_ATTACH_EXCLUSIVE)) {
		for (e = target->engines; e; e = e->next) {
			if (!ut_engine_matches(e, flags, ops, data))
				continue;
			if (flags & UTRACE_ATTACH_CREATE)
				return ERR_PTR(-EEXIST);
			utrace_engine_get(e);
			return e;
		}
		if (!(flags & UTRACE_ATTACH_CREATE))
			return ERR_PTR(-ENOENT);
	}
	if (!ops)
		return ERR_PTR(-EINVAL);
	if (target->exit_reported)
		return ERR_PTR(-ESRCH);
	e = calloc(1, sizeof(*e));
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->ops = ops;
	e->data = data;
	e->release = ops->release;
	e->refs = 2;		/* the attachment's and the caller's */
	e->task = target;
	/* Attached during a report on this task: it sees the next one. */
	e->attaching = target->reporting;
	for (pp = &target->engines; *pp; pp = &(*pp)->next)
		;
	*pp = e;
	target->detach_pending = false;
	return e;
}

struct utrace_engine *utrace_attach_pid(struct pid *pid, int flags,
					const struct utrace_engine_ops *ops, void *data)
{
	struct task_struct *t;
	int err;

	if (!pid)
		return ERR_PTR(-ESRCH);
	t = ut_task_find(pid->nr);
	if (!t) {
		if (!(flags & UTRACE_ATTACH_CREATE))
			return ERR_PTR(-ENOENT);
		/* Like the kernel's, this reaches any thread we may trace. */
		t = ut_seize_thread(pid->nr, &err);
		if (!t)
			return ERR_PTR(err);
	}
	return utrace_attach_task(t, flags, ops, data);
}

static bool ut_engine_on(const struct task_struct *t, const struct utrace_engine *e)
{
	return e && !e->detached && e->task == t;
}

int utrace_set_events(struct task_struct *target, struct utrace_engine *engine,
		      unsigned long eventmask)
{
	unsigned long old, death_events = UTRACE_EVENT(DEATH) | UTRACE_EVENT(QUIESCE);

	if (!ut_engine_on(target, engine))
		return -ESRCH;
	old = engine->flags;
	/* Death has been reported: asking for it (or a quiesce before it)
	 * now asks for an event that already passed. */
	if (target->dead && (eventmask & ~old & death_events))
		return -EALREADY;
	engine->flags = eventmask;
	ut_recalc_events(target);
	if ((old ^ eventmask) & (UTRACE_EVENT_SYSCALL | UTRACE_EVENT(QUIESCE)))
		ut_kick(target);	/* the ptrace resume request may change */
	return 0;
}

int utrace_control(struct task_struct *target, struct utrace_engine *engine,
		   enum utrace_resume_action action)
{
	if (!ut_engine_on(target, engine))
		return -ESRCH;
	if (target->dead) {
		if (action != UTRACE_DETACH)
			return -ESRCH;
		/* Death was reported; reap is the engine's last report. */
		return -EALREADY;
	}
	switch (action) {
	case UTRACE_DETACH:
		ut_engine_detach(engine);
		return 0;
	case UTRACE_STOP:
		engine->wants_stop = true;
		if (ut_task_is_stopped(target))
			return 0;
		/* PTRACE_INTERRUPT: it stops at the next safe point, where
		 * QUIESCE engines hear about it. */
		target->report_owed = true;
		ut_kick(target);
		return -EINPROGRESS;
	case UTRACE_INTERRUPT:
	case UTRACE_REPORT:
		engine->wants_stop = false;
		target->report_owed = true;
		ut_kick(target);
		return 0;
	case UTRACE_RESUME:
		engine->wants_stop = false;
		ut_kick(target);
		return 0;
	case UTRACE_SINGLESTEP:
	case UTRACE_BLOCKSTEP:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

int utrace_barrier(struct task_struct *target, struct utrace_engine *engine)
{
	/* One thread runs every callback, and a callback that calls this on
	 * its own engine is the only one in progress: nothing to wait for. */
	if (!engine || engine->detached || engine->task != target)
		return -ESRCH;
	return 0;
}

/* ---- report passes ---- */

enum ut_kind {
	UT_K_QUIESCE,
	UT_K_CLONE,
	UT_K_EXEC,
	UT_K_SYSCALL_ENTRY,
	UT_K_SYSCALL_EXIT,
	UT_K_EXIT,
	UT_K_DEATH,
};

struct ut_report {
	enum ut_kind kind;
	unsigned long event;	/* UTRACE_EVENT(); 0 for a resume report */
	u32 action;		/* smallest resume action so far */
	u32 result;		/* the last callback's non-resume bits */
	unsigned long clone_flags;
	struct task_struct *child;
	long orig_code;
	bool group_dead;
	int signal;
	u32 resumed;
};

/* Folds one callback's answer in; true when the engine is now detached. */
static bool ut_finish(struct ut_report *r, struct utrace_engine *e, u32 ret)
{
	enum utrace_resume_action a = utrace_resume_action(ret);

	r->result = ret & ~UTRACE_RESUME_MASK;
	if (a == UTRACE_DETACH) {
		e->detached = true;
		e->wants_stop = false;
	}
	if (e->detached)
		return true;
	/* No stepping on this platform: those ask for nothing more than
	 * a resume. */
	if (a >= UTRACE_SINGLESTEP)
		a = UTRACE_RESUME;
	if (a < r->action)
		r->action = a;
	/* Only STOP is sticky: any other answer lets go of this engine's stop. */
	e->wants_stop = a == UTRACE_STOP;
	return false;
}

static bool ut_has_callback(const struct ut_report *r, const struct utrace_engine_ops *ops)
{
	switch (r->kind) {
	case UT_K_QUIESCE:
		return false;	/* called before the event, not as it */
	case UT_K_CLONE:
		return ops->report_clone;
	case UT_K_EXEC:
		return ops->report_exec;
	case UT_K_SYSCALL_ENTRY:
		return ops->report_syscall_entry;
	case UT_K_SYSCALL_EXIT:
		return ops->report_syscall_exit;
	case UT_K_EXIT:
		return ops->report_exit;
	case UT_K_DEATH:
		return ops->report_death;
	}
	return false;
}

static u32 ut_call(struct ut_report *r, struct utrace_engine *e, struct task_struct *t)
{
	const struct utrace_engine_ops *ops = e->ops;
	long code;

	switch (r->kind) {
	case UT_K_CLONE:
		return ops->report_clone(r->action, e, r->clone_flags, r->child);
	case UT_K_EXEC:
		return ops->report_exec(r->action, e, NULL, NULL, stp_task_regs(t));
	case UT_K_SYSCALL_ENTRY:
		return ops->report_syscall_entry(r->resumed | r->result | r->action, e,
						 stp_task_regs(t));
	case UT_K_SYSCALL_EXIT:
		return ops->report_syscall_exit(r->action, e, stp_task_regs(t));
	case UT_K_EXIT:
		/* ptrace cannot change an exit code: a new *code is ignored. */
		code = r->orig_code;
		return ops->report_exit(r->action, e, r->orig_code, &code);
	case UT_K_DEATH:
		return ops->report_death(e, r->group_dead, r->signal);
	case UT_K_QUIESCE:
		break;
	}
	return r->action;
}

static void ut_run_report(struct task_struct *t, struct ut_report *r)
{
	struct task_struct *prev = ut_current;
	struct utrace_engine *e;

	r->action = UTRACE_RESUME;
	r->result = 0;
	/* Engines attached before this report start now. */
	for (e = t->engines; e; e = e->next)
		e->attaching = false;
	if (t->events & UTRACE_EVENT(QUIESCE))
		t->report_owed = false;	/* the quiesce callbacks below are it */
	stp_task_get(t);
	t->reporting = true;
	ut_current = t;
	for (e = t->engines; e; e = e->next) {
		unsigned long want;

		if (e->attaching || e->detached)
			continue;
		want = e->flags;
		if ((want & UTRACE_EVENT(QUIESCE)) && e->ops->report_quiesce) {
			if (ut_finish(r, e, e->ops->report_quiesce(r->action, e, r->event)))
				continue;
			want = e->flags;
		}
		if (e->wants_stop)
			r->action = UTRACE_STOP;
		if (!r->event || !(want & r->event) || !ut_has_callback(r, e->ops))
			continue;
		ut_finish(r, e, ut_call(r, e, t));
	}
	ut_current = prev;
	t->reporting = false;
	ut_sweep(t);
	if (r->action == UTRACE_REPORT || r->action == UTRACE_INTERRUPT)
		t->report_owed = true;
	stp_task_put(t);
}

void ut_report_quiesce(struct task_struct *t)
{
	struct ut_report r = { .kind = UT_K_QUIESCE, .event = 0 };

	if (!(t->events & UTRACE_EVENT(QUIESCE))) {
		t->report_owed = false;	/* nobody to report to */
		return;
	}
	ut_run_report(t, &r);
}

void ut_report_clone(struct task_struct *t, unsigned long flags, struct task_struct *child)
{
	struct ut_report r = { .kind = UT_K_CLONE, .event = UTRACE_EVENT(CLONE),
			       .clone_flags = flags, .child = child };

	if (t->events & UTRACE_EVENT(CLONE))
		ut_run_report(t, &r);
}

void ut_report_exec(struct task_struct *t)
{
	struct ut_report r = { .kind = UT_K_EXEC, .event = UTRACE_EVENT(EXEC) };

	if (t->events & UTRACE_EVENT(EXEC))
		ut_run_report(t, &r);
}

void ut_report_syscall_entry(struct task_struct *t, u32 resumed)
{
	struct ut_report r = { .kind = UT_K_SYSCALL_ENTRY,
			       .event = UTRACE_EVENT(SYSCALL_ENTRY), .resumed = resumed };

	t->entry_result = UTRACE_SYSCALL_RUN;
	if (!(t->events & UTRACE_EVENT(SYSCALL_ENTRY)))
		return;
	ut_run_report(t, &r);
	t->entry_result = r.result & UTRACE_SYSCALL_MASK;
}

void ut_report_syscall_exit(struct task_struct *t)
{
	struct ut_report r = { .kind = UT_K_SYSCALL_EXIT, .event = UTRACE_EVENT(SYSCALL_EXIT) };

	if (t->events & UTRACE_EVENT(SYSCALL_EXIT))
		ut_run_report(t, &r);
}

void ut_report_exit(struct task_struct *t, long code)
{
	struct ut_report r = { .kind = UT_K_EXIT, .event = UTRACE_EVENT(EXIT), .orig_code = code };

	if (t->events & UTRACE_EVENT(EXIT))
		ut_run_report(t, &r);
}

void ut_report_death(struct task_struct *t, bool group_dead, int signal)
{
	struct ut_report r = { .kind = UT_K_DEATH, .event = UTRACE_EVENT(DEATH),
			       .group_dead = group_dead, .signal = signal };

	if (t->events & UTRACE_EVENT(DEATH))
		ut_run_report(t, &r);
}

/* The task is gone for good: REAP engines hear it, then every engine is
 * detached (and released once its last reference goes). */
void ut_report_reap(struct task_struct *t)
{
	struct task_struct *prev = ut_current;
	struct utrace_engine *e;

	stp_task_get(t);
	t->reporting = true;
	ut_current = t;
	for (e = t->engines; e; e = e->next) {
		if (e->detached)
			continue;
		if ((e->flags & UTRACE_EVENT(REAP)) && e->ops->report_reap)
			e->ops->report_reap(e, t);
		e->detached = true;
		e->wants_stop = false;
	}
	/* Engines attached by a report_reap are detached too. */
	for (e = t->engines; e; e = e->next)
		e->detached = true;
	ut_current = prev;
	t->reporting = false;
	t->reaped = true;
	ut_sweep(t);
	stp_task_put(t);
}

void ut_detach_engines(struct task_struct *t)
{
	struct utrace_engine *e;

	for (e = t->engines; e; e = e->next) {
		e->detached = true;
		e->wants_stop = false;
	}
	if (!t->reporting)
		ut_sweep(t);
}
