/* The task finder's utrace callbacks: every engine it attaches uses these,
 * with its thread record as the engine's data.  Each runs in the
 * reported thread's context and must not sleep. */
#include "task_finder_int.h"

/* CLONE_THREAD, from the kernel's uapi <linux/sched.h>: utrace.h passes
 * the clone flags through unchanged on both platforms. */
#define STP_TF_CLONE_THREAD 0x00010000UL

/* Whether a callback may act: the finder runs and the attachment is
 * still ours. */
static bool _stp_tf_may_act(struct stp_tf_thread *t)
{
	return stp_atomic_read(&stp_tf.state) == STP_TF_RUNNING && stp_atomic_read(&t->live);
}

/* Counts the callback in (stp_tf_stop waits for it) and says whether it
 * may act. */
static bool _stp_tf_enter(struct stp_tf_thread *t)
{
	_stp_tf_add(&stp_tf.active, 1);
	return _stp_tf_may_act(t);
}

static void _stp_tf_leave(void)
{
	_stp_tf_add(&stp_tf.active, -1);
}

/* The finder is stopping (or the record let go): this engine goes. */
static u32 _stp_tf_let_go(struct stp_tf_thread *t)
{
	_stp_tf_thread_unlive(t);
	_stp_tf_leave();
	return UTRACE_DETACH;
}

/* The syscall callbacks are the hot path, and two atomic updates of one
 * shared word were a good part of what a traced syscall cost: one that
 * may act is not counted.  Nothing is lost: it creates no record and
 * uses only t's, and t stays live until stp_tf_stop takes t->live,
 * detaches the engine and waits in utrace_barrier() for the callback in
 * progress before the reference goes (_stp_tf_detach).  The other ways
 * t->live goes are t's own callbacks, which do not overlap this one, and
 * reap, after the task's last syscall.  One that may not act lets go of
 * t itself, counted in like every other callback; what it saw does not
 * change back. */
static u32 _stp_tf_hot_let_go(struct stp_tf_thread *t)
{
	_stp_tf_add(&stp_tf.active, 1);
	return _stp_tf_let_go(t);
}

/* The BEGIN and THREAD_BEGIN owed to t's image and t, before anything
 * else is reported from it. */
static void _stp_tf_run_pending(struct stp_tf_thread *t)
{
	struct stp_tf_proc *p = t->proc;

	if (stp_atomic_read(&p->begin) == STP_TF_IMG_PENDING &&
	    stp_atomic_cmpxchg(&p->begin, STP_TF_IMG_PENDING, STP_TF_IMG_DONE) ==
		    STP_TF_IMG_PENDING)
		_stp_tf_fire(t, STP_TF_BEGIN, NULL, -1);
	if (t->tbegin_pending) {
		t->tbegin_pending = false;
		t->tbegun = true;
		_stp_tf_fire(t, STP_TF_THREAD_BEGIN, NULL, -1);
	}
	if (t->events & UTRACE_EVENT(QUIESCE))
		_stp_tf_set_events(t);
}

static u32 _stp_tf_report_quiesce(u32 action, struct utrace_engine *engine, unsigned long event)
{
	struct stp_tf_thread *t = engine->data;

	(void)action;
	if (!_stp_tf_enter(t))
		return _stp_tf_let_go(t);
	/* Before an exec report the task already runs its new image: what
	 * was owed to the old one is dropped there, not made here. */
	if (event != UTRACE_EVENT(EXEC))
		_stp_tf_run_pending(t);
	_stp_tf_leave();
	return UTRACE_RESUME;
}

/* A thread of t's process that is not its main thread: it inherits the
 * image's state. */
static void _stp_tf_new_thread(struct stp_tf_thread *t, struct task_struct *child)
{
	struct stp_tf_proc *p = t->proc;
	struct stp_tf_thread *c = _stp_tf_thread_new(p, false);

	if (!c)
		return;
	if (stp_atomic_read(&p->begin) != STP_TF_IMG_NONE) {
		if (p->events & STP_TF_EV(STP_TF_THREAD_BEGIN))
			c->tbegin_pending = true;
		else
			c->tbegun = true;
	}
	if (_stp_tf_attach(c, child) == 0) {
		_stp_tf_add(&p->live, 1);
		/* It runs no code before this report: THREAD_BEGIN comes first. */
		if (c->tbegin_pending)
			utrace_control(child, c->engine, UTRACE_REPORT);
	}
	_stp_tf_thread_put(c);
}

static int _stp_tf_path_of(const struct stp_tf_proc *p)
{
	int i;

	for (i = 0; i < STP_TF_MAXMATCH && p->match[i] >= 0; i++)
		if (stp_tf.targets[p->match[i]].kind == STP_TF_PATH)
			return p->match[i];
	return -1;
}

/* A new process: a copy of t's image, so it matches what t's image does
 * (its pid aside), without reading its executable here. */
static void _stp_tf_new_process(struct stp_tf_thread *t, struct task_struct *child)
{
	struct stp_tf_proc *p = t->proc, *np;
	struct stp_tf_thread *c;
	pid_t tgid = stp_task_tid(child);

	if (!((p->in_tree && stp_tf.watch_all) || _stp_tf_pid_target(tgid)))
		return;
	np = _stp_tf_proc_new(tgid, p->in_tree);
	if (!np)
		return;
	_stp_tf_match(np, child, _stp_tf_path_of(p));
	stp_atomic_set(&np->begin, _stp_tf_initial_begin(np));
	c = _stp_tf_thread_new(np, true);
	if (c) {
		if (_stp_tf_attach(c, child) == 0) {
			stp_atomic_set(&np->live, 1);
			if (stp_atomic_read(&np->begin) == STP_TF_IMG_PENDING)
				utrace_control(child, c->engine, UTRACE_REPORT);
		}
		_stp_tf_thread_put(c);
	}
	_stp_tf_proc_put(np);
}

static u32 _stp_tf_report_clone(u32 action, struct utrace_engine *engine,
				unsigned long clone_flags, struct task_struct *child)
{
	struct stp_tf_thread *t = engine->data;

	(void)action;
	if (!_stp_tf_enter(t))
		return _stp_tf_let_go(t);
	_stp_tf_run_pending(t);
	if (clone_flags & STP_TF_CLONE_THREAD)
		_stp_tf_new_thread(t, child);
	else
		_stp_tf_new_process(t, child);
	_stp_tf_leave();
	return UTRACE_RESUME;
}

/* t is now the only thread, the main one, of a new image: the old image
 * ends (and t's part in it), the new one begins if it matches. */
static u32 _stp_tf_report_exec(u32 action, struct utrace_engine *engine,
			       const struct linux_binfmt *fmt, const struct linux_binprm *bprm,
			       struct pt_regs *regs)
{
	struct stp_tf_thread *t = engine->data;
	struct stp_tf_proc *p = t->proc;

	(void)action;
	(void)fmt;
	(void)bprm;
	(void)regs;
	if (!_stp_tf_enter(t))
		return _stp_tf_let_go(t);
	t->tbegin_pending = false;
	if (!t->main && t->tbegun)
		_stp_tf_fire(t, STP_TF_THREAD_END, NULL, -1);
	t->main = true;
	t->tbegun = false;
	if (stp_atomic_xchg(&p->begin, STP_TF_IMG_NONE) == STP_TF_IMG_DONE)
		_stp_tf_fire(t, STP_TF_END, NULL, -1);

	/* Threads of the old image that report their exit late are not
	 * counted against the new one. */
	p->gen++;
	t->gen = p->gen;
	stp_atomic_set(&p->live, 1);
	p->exec_pending = false;
	_stp_tf_match(p, t->task, -2);
	if (_stp_tf_matched(p)) {
		stp_atomic_set(&p->begin, STP_TF_IMG_DONE);
		_stp_tf_fire(t, STP_TF_BEGIN, NULL, -1);
	}
	_stp_tf_set_events(t);
	_stp_tf_leave();
	return UTRACE_RESUME;
}

STP_HOT static u32 _stp_tf_report_syscall_entry(u32 action, struct utrace_engine *engine,
						struct pt_regs *regs)
{
	struct stp_tf_thread *t = engine->data;

	if (unlikely(!_stp_tf_may_act(t)))
		return _stp_tf_hot_let_go(t);
	/* A repeat report of an entry another engine held: already seen. */
	if (!(action & UTRACE_SYSCALL_RESUMED)) {
		_stp_tf_run_pending(t);
		t->sys_nr = stp_syscall_nr(t->task, regs);
		if (t->proc->events & STP_TF_EV(STP_TF_SYSCALL))
			_stp_tf_fire(t, STP_TF_SYSCALL, regs, t->sys_nr);
	}
	return UTRACE_RESUME;
}

STP_HOT static u32 _stp_tf_report_syscall_exit(u32 action, struct utrace_engine *engine,
					       struct pt_regs *regs)
{
	struct stp_tf_thread *t = engine->data;
	long nr;

	(void)action;
	if (unlikely(!_stp_tf_may_act(t)))
		return _stp_tf_hot_let_go(t);
	/* The number the thread entered with: registers can say otherwise by
	 * now (rt_sigreturn, restarts), and a return with no entry seen (the
	 * engine came while the thread was inside the syscall) has only
	 * them to go by. */
	nr = t->sys_nr >= 0 ? t->sys_nr : stp_syscall_nr(t->task, regs);
	/* A held -c command before its exec returning from a syscall it
	 * entered before the probes started is the launcher's wait for
	 * the go-ahead (the kernel's staprun holds it asleep in read()),
	 * not the command's: no return without its entry there. */
	if (t->proc->exec_pending && t->sys_nr < 0) {
		_stp_tf_run_pending(t);
		return UTRACE_RESUME;
	}
	t->sys_nr = -1;
	_stp_tf_run_pending(t);
	if (t->proc->events & STP_TF_EV(STP_TF_SYSCALL_RETURN))
		_stp_tf_fire(t, STP_TF_SYSCALL_RETURN, regs, nr);
	return UTRACE_RESUME;
}

static u32 _stp_tf_report_exit(u32 action, struct utrace_engine *engine, long orig_code,
			       long *code)
{
	struct stp_tf_thread *t = engine->data;
	struct stp_tf_proc *p = t->proc;

	(void)action;
	(void)orig_code;
	(void)code;
	if (!_stp_tf_enter(t))
		return _stp_tf_let_go(t);
	if (!t->exited) {
		t->exited = true;
		/* Whatever began is seen to begin before it ends. */
		_stp_tf_run_pending(t);
		if (!t->main && t->tbegun)
			_stp_tf_fire(t, STP_TF_THREAD_END, NULL, -1);
		t->tbegun = false;
		if (t->gen == p->gen && _stp_tf_add(&p->live, -1) == 0 &&
		    stp_atomic_cmpxchg(&p->begin, STP_TF_IMG_DONE, STP_TF_IMG_ENDED) ==
			    STP_TF_IMG_DONE)
			_stp_tf_fire(t, STP_TF_END, NULL, -1);
	}
	_stp_tf_leave();
	return UTRACE_RESUME;
}

static void _stp_tf_report_reap(struct utrace_engine *engine, struct task_struct *task)
{
	struct stp_tf_thread *t = engine->data;

	(void)task;
	_stp_tf_add(&stp_tf.active, 1);
	_stp_tf_thread_unlive(t);
	_stp_tf_leave();
}

static const struct utrace_engine_ops stp_tf_ops = {
	.report_quiesce = _stp_tf_report_quiesce,
	.report_clone = _stp_tf_report_clone,
	.report_exec = _stp_tf_report_exec,
	.report_syscall_entry = _stp_tf_report_syscall_entry,
	.report_syscall_exit = _stp_tf_report_syscall_exit,
	.report_exit = _stp_tf_report_exit,
	.report_reap = _stp_tf_report_reap,
};
