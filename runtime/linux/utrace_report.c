/* Reports: calling the engines of a task for an event, the safe point on
 * the way back to user mode (task_work) where resume reports run and
 * stopped tasks park, and the reap report after the task is gone. */

/* Whether a callback for this event exists in the engine's ops. */
static bool utrace_has_callback(const struct utrace_engine_ops *ops, unsigned long event)
{
	switch (event) {
	case UTRACE_EVENT(QUIESCE):
		return ops->report_quiesce;
	case UTRACE_EVENT(CLONE):
		return ops->report_clone;
	case UTRACE_EVENT(EXEC):
		return ops->report_exec;
	case UTRACE_EVENT(SYSCALL_ENTRY):
		return ops->report_syscall_entry;
	case UTRACE_EVENT(SYSCALL_EXIT):
		return ops->report_syscall_exit;
	case UTRACE_EVENT(EXIT):
		return ops->report_exit;
	case UTRACE_EVENT(DEATH):
		return ops->report_death;
	case UTRACE_EVENT(REAP):
		return ops->report_reap;
	}
	return false;
}

static u32 utrace_call(struct utrace_engine *engine, struct utrace_event *ev, u32 action)
{
	const struct utrace_engine_ops *ops = engine->ops;

	switch (ev->event) {
	case UTRACE_EVENT(CLONE):
		return ops->report_clone(action, engine, ev->clone_flags, ev->child);
	case UTRACE_EVENT(EXEC):
		return ops->report_exec(action, engine, NULL, ev->bprm, ev->regs);
	case UTRACE_EVENT(SYSCALL_ENTRY):
		return ops->report_syscall_entry(action, engine, ev->regs);
	case UTRACE_EVENT(SYSCALL_EXIT):
		return ops->report_syscall_exit(action, engine, ev->regs);
	case UTRACE_EVENT(EXIT):
		return ops->report_exit(action, engine, ev->orig_code, &ev->code);
	case UTRACE_EVENT(DEATH):
		/* Only a detach means something after death. */
		if (utrace_resume_action(ops->report_death(engine, ev->group_dead, ev->signal)) ==
		    UTRACE_DETACH)
			return UTRACE_DETACH;
		return UTRACE_RESUME;
	case UTRACE_EVENT(REAP):
		ops->report_reap(engine, ev->task);
		return UTRACE_RESUME;
	}
	return UTRACE_RESUME;
}

/* One report in progress: the smallest resume action so far and whether
 * some engine asked to abort the syscall. */
struct utrace_report {
	u32 action;
	u32 syscall;
};

/* Whether the engine gets this event's callback now.  In a report over
 * one engine, no barrier of its own: utrace_report() published
 * utrace->reporting with a full barrier before reading any engine's
 * state and flags, and a detacher or utrace_set_events() writes those,
 * then (full barrier) reads utrace->reporting, so either this sees the
 * change or the other side knows the one engine may be called.  Over
 * several engines the other side must know which: the engine is marked
 * in a callback, then (full barrier) its state is read again (see
 * utrace_internal.h). */
static bool utrace_callback_start(struct utrace_engine *engine, unsigned long event, bool mark)
{
	if (!(READ_ONCE(engine->flags) & event) || !utrace_has_callback(engine->ops, event))
		return false;	/* the common no: no barrier */
	if (!mark)
		return !(READ_ONCE(engine->state) & UTRACE_ENGINE_DETACHED);
	WRITE_ONCE(engine->reporting, true);
	smp_mb();
	if ((READ_ONCE(engine->state) & UTRACE_ENGINE_DETACHED) ||
	    !(READ_ONCE(engine->flags) & event)) {
		smp_store_release(&engine->reporting, false);
		return false;
	}
	return true;
}

/* Applies a callback's result; the lock only for a stop or a detach, so
 * that when utrace_barrier() returns their effect is in place. */
static void utrace_callback_finish(struct utrace *u, struct utrace_engine *engine,
				   struct utrace_report *r, u32 ret)
{
	enum utrace_resume_action action = utrace_resume_action(ret);

	if (action == UTRACE_DETACH || action == UTRACE_STOP) {
		spin_lock(&u->lock);
		if (!(engine->state & UTRACE_ENGINE_DETACHED)) {
			if (action == UTRACE_DETACH) {
				utrace_mark_detached_locked(u, engine);
				/* unlinked when the report ends */
				WRITE_ONCE(u->dirty, true);
			} else
				utrace_set_stop_locked(u, engine);
		}
		spin_unlock(&u->lock);
	}
	/* Stepping is not supported here: it resumes. */
	if (action == UTRACE_SINGLESTEP || action == UTRACE_BLOCKSTEP)
		action = UTRACE_RESUME;
	if (action < utrace_resume_action(r->action))
		r->action = action;
	if ((ret & UTRACE_SYSCALL_MASK) == UTRACE_SYSCALL_ABORT)
		r->syscall = UTRACE_SYSCALL_ABORT;
	/* No wakeup: utrace_barrier() polls, so callbacks pay nothing. */
	smp_store_release(&engine->reporting, false);
}

/* Calls every engine that wants ev (report_quiesce first for engines that
 * want QUIESCE) in attach order, in the reporting task's context, and
 * returns the smallest resume action (with UTRACE_SYSCALL_ABORT for a
 * syscall entry).  At a safe point (the task_work handler) the caller
 * acts on the result; elsewhere a stop, report or interrupt is queued for
 * the task's next return to user mode.  The lock is taken only when
 * another thread changes the engine list or something must be queued:
 * atomic operations are what a traced syscall would otherwise pay most. */
static u32 utrace_report(struct utrace *u, struct utrace_event *ev, u32 action,
			 bool at_safe_point)
{
	struct utrace_report r = { .action = action, .syscall = 0 };
	struct utrace_engine *engine;
	LIST_HEAD(gone);
	bool mark;

	/* Only this task (or, once it is dead, the reap work) reports, so
	 * reporting is ours to read.  Set, it means a callback made its own
	 * task report again: that inner event is not reported. */
	if (u->reporting || READ_ONCE(u->reaped))
		return action;
	/* Released: whoever sees it set sees the reports ended before. */
	smp_store_release(&u->reporting, true);
	smp_mb();
	if (smp_load_acquire(&u->modifying) || READ_ONCE(u->dirty)) {
		spin_lock(&u->lock);
		if (u->dirty)
			utrace_tidy_locked(u, &gone);
		spin_unlock(&u->lock);
	}

	/* The list stays as it is now until the report ends. */
	mark = !list_is_singular(&u->attached);
	list_for_each_entry(engine, &u->attached, entry) {
		if (ev->event != UTRACE_EVENT(REAP) &&
		    utrace_callback_start(engine, UTRACE_EVENT(QUIESCE), mark))
			utrace_callback_finish(u, engine, &r,
					       engine->ops->report_quiesce(r.action | r.syscall,
									   engine, ev->event));
		if (ev->event && utrace_callback_start(engine, ev->event, mark))
			utrace_callback_finish(u, engine, &r,
					       utrace_call(engine, ev, r.action | r.syscall));
	}

	/* The count first: utrace_barrier() takes a change of it, or reporting
	 * clear, as the end of the report it waits for.  No wakeup: it polls,
	 * so reports pay nothing for it. */
	smp_store_release(&u->reports, u->reports + 1);
	smp_store_release(&u->reporting, false);
	if (READ_ONCE(u->nstop))
		r.action = UTRACE_STOP;
	if (READ_ONCE(u->dirty) ||
	    (!at_safe_point && utrace_resume_action(r.action) < UTRACE_RESUME)) {
		spin_lock(&u->lock);
		if (u->dirty)
			utrace_tidy_locked(u, &gone);
		if (!at_safe_point && utrace_resume_action(r.action) < UTRACE_RESUME)
			utrace_request_locked(u, utrace_resume_action(r.action));
		spin_unlock(&u->lock);
	}

	if (!list_empty(&gone))
		utrace_put_engines(&gone);
	return r.action | r.syscall;
}

/* Asks the task to come to its safe point (the task_work handler) on its
 * next return to user mode; an interrupt also breaks an interruptible
 * sleep, like a signal that has no handler.  A task past its exit has no
 * safe point left, and task_work_add() refuses it. */
static void utrace_request_locked(struct utrace *u, enum utrace_resume_action action)
{
	struct callback_head *work;
	bool *queued;
	int mode;

	if (u->exiting || u->reaped || READ_ONCE(utrace_shutdown))
		return;
	if (action < u->resume)
		u->resume = action;
	if (action == UTRACE_INTERRUPT) {
		work = &u->work_signal;
		queued = &u->signal_queued;
		mode = STP_TWA_SIGNAL;
	} else {
		work = &u->work_resume;
		queued = &u->resume_queued;
		mode = STP_TWA_RESUME;
	}
	if (*queued)
		return;
	/* Counted before it can run, so the count never dips below the
	 * number of handlers still to finish. */
	atomic_inc(&utrace_works);
	if (task_work_add(u->task, work, mode)) {
		atomic_dec(&utrace_works);
		return;
	}
	*queued = true;
}

/* Parks the current task until no engine holds it stopped, SIGKILL
 * arrives, or the module unloads.  TASK_KILLABLE: only a fatal signal
 * wakes it, and the hung-task detector ignores it.  Returns the resume
 * action requested while it was stopped. */
static enum utrace_resume_action utrace_stop(struct utrace *u)
{
	enum utrace_resume_action req;

	spin_lock(&u->lock);
	u->stopped = true;
	while (utrace_stop_wanted_locked(u) && !fatal_signal_pending(current) &&
	       !READ_ONCE(utrace_shutdown)) {
		/* The state is set before the lock drops, so a waker that
		 * changes the condition under the lock cannot be missed. */
		set_current_state(TASK_KILLABLE);
		spin_unlock(&u->lock);
		schedule();
		spin_lock(&u->lock);
	}
	__set_current_state(TASK_RUNNING);
	u->stopped = false;
	req = u->resume;
	u->resume = UTRACE_RESUME;
	spin_unlock(&u->lock);
	return req;
}

/* The safe point: resume reports (report_quiesce with event 0) when a
 * report or interrupt was asked for, then the stop while any engine
 * holds it, and again after a stop if asked for meanwhile. */
static void utrace_safe_point(struct utrace *u, enum utrace_resume_action req)
{
	for (;;) {
		struct utrace_event ev = { .event = 0 };
		bool stop;

		if (req <= UTRACE_REPORT && (READ_ONCE(u->events) & UTRACE_EVENT(QUIESCE)))
			utrace_report(u, &ev, UTRACE_RESUME, true);
		spin_lock(&u->lock);
		stop = utrace_stop_wanted_locked(u);
		spin_unlock(&u->lock);
		if (!stop || fatal_signal_pending(current) || READ_ONCE(utrace_shutdown))
			return;
		req = utrace_stop(u);
	}
}

static void utrace_work_done(void)
{
	/* Last access to module data before the return into task_work_run;
	 * unload waits for the count, then for module text to be left. */
	if (atomic_dec_and_test(&utrace_works))
		wake_up_all(&utrace_wait);
}

static void utrace_resume_common(struct utrace *u, bool *queued)
{
	enum utrace_resume_action req;

	spin_lock(&u->lock);
	*queued = false;
	req = u->resume;
	u->resume = UTRACE_RESUME;
	spin_unlock(&u->lock);
	/* An exiting task runs its task_works from do_exit(): no stop then. */
	if (!READ_ONCE(utrace_shutdown) && !(current->flags & PF_EXITING))
		utrace_safe_point(u, req);
	utrace_work_done();
}

static void utrace_resume_workfn(struct callback_head *cb)
{
	struct utrace *u = container_of(cb, struct utrace, work_resume);

	utrace_resume_common(u, &u->resume_queued);
}

static void utrace_signal_workfn(struct callback_head *cb)
{
	struct utrace *u = container_of(cb, struct utrace, work_signal);

	utrace_resume_common(u, &u->signal_queued);
}

/* After sched_process_free: report_reap in process context, then the
 * task's state goes.  Holds a task reference taken by the tracepoint. */
static void utrace_reap_workfn(struct work_struct *work)
{
	struct utrace *u = container_of(work, struct utrace, reap_work);
	struct task_struct *task = u->task;
	struct utrace_engine *engine, *next;
	LIST_HEAD(gone);

	if (!READ_ONCE(utrace_shutdown) && (READ_ONCE(u->events) & UTRACE_EVENT(REAP))) {
		struct utrace_event ev = { .event = UTRACE_EVENT(REAP), .task = task };

		utrace_report(u, &ev, UTRACE_RESUME, true);
	}

	spin_lock(&utrace_hash_lock);
	hlist_del_rcu(&u->node);
	spin_unlock(&utrace_hash_lock);

	spin_lock(&u->lock);
	u->reaped = true;
	list_splice_tail_init(&u->attaching, &u->attached);
	list_for_each_entry_safe(engine, next, &u->attached, entry) {
		utrace_mark_detached_locked(u, engine);
		list_move_tail(&engine->entry, &gone);
	}
	WRITE_ONCE(u->events, 0);
	spin_unlock(&u->lock);

	utrace_put_engines(&gone);
	put_task_struct(task);
	utrace_put(u);
}
