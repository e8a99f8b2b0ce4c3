/* The utrace API proper: attach, set_events, control, barrier, engine
 * references.  Semantics and error codes are those runtime/utrace.h lists;
 * doc/kernel-runtime.md says where the kernel platform is narrower. */

static bool utrace_engine_matches(struct utrace_engine *engine, int flags,
				  const struct utrace_engine_ops *ops, void *data)
{
	if (engine->state & UTRACE_ENGINE_DETACHED)
		return false;
	if ((flags & UTRACE_ATTACH_MATCH_OPS) && engine->ops != ops)
		return false;
	if ((flags & UTRACE_ATTACH_MATCH_DATA) && engine->data != data)
		return false;
	return true;
}

static struct utrace_engine *utrace_find_engine_locked(struct utrace *u, int flags,
						       const struct utrace_engine_ops *ops,
						       void *data)
{
	struct utrace_engine *engine;

	list_for_each_entry(engine, &u->attached, entry)
		if (utrace_engine_matches(engine, flags, ops, data))
			return engine;
	list_for_each_entry(engine, &u->attaching, entry)
		if (utrace_engine_matches(engine, flags, ops, data))
			return engine;
	return NULL;
}

static struct utrace_engine *utrace_lookup_engine(struct task_struct *target, int flags,
						  const struct utrace_engine_ops *ops, void *data)
{
	struct utrace_engine *engine = NULL;
	struct utrace *u;

	rcu_read_lock();
	u = utrace_lookup(target);
	if (u) {
		spin_lock(&u->lock);
		if (!u->reaped)
			engine = utrace_find_engine_locked(u, flags, ops, data);
		if (engine)
			kref_get(&engine->kref);
		spin_unlock(&u->lock);
	}
	rcu_read_unlock();
	if (engine)
		return engine;
	return ERR_PTR(target->flags & PF_EXITING ? -ESRCH : -ENOENT);
}

struct utrace_engine *utrace_attach_task(struct task_struct *target, int flags,
					 const struct utrace_engine_ops *ops, void *data)
{
	struct utrace_engine *engine;
	struct utrace *u, *made = NULL;
	int err;

	if (!target)
		return ERR_PTR(-ESRCH);
	if (flags & ~(UTRACE_ATTACH_MATCH_MASK | UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE))
		return ERR_PTR(-EINVAL);
	/* Kernel threads and io_uring workers never return to user mode:
	 * they have no safe point and no user state to trace. */
	if (target->flags & (PF_KTHREAD | PF_IO_WORKER))
		return ERR_PTR(-EPERM);
	if (!(flags & UTRACE_ATTACH_CREATE))
		return utrace_lookup_engine(target, flags, ops, data);
	if (!ops)
		return ERR_PTR(-EINVAL);

	engine = utrace_alloc(utrace_engine_pool, sizeof(*engine));
	if (!engine)
		return ERR_PTR(-ENOMEM);
	kref_init(&engine->kref);	/* the list's reference */
	kref_get(&engine->kref);	/* the caller's */
	INIT_LIST_HEAD(&engine->entry);
	engine->ops = ops;
	engine->data = data;

	for (;;) {
		spin_lock(&utrace_hash_lock);
		/* PF_EXITING is set before the exit tracepoint takes this
		 * lock, so state made here is always seen by that probe. */
		if (READ_ONCE(utrace_shutdown) || (target->flags & PF_EXITING)) {
			err = -ESRCH;
			goto fail_locked;
		}
		u = utrace_lookup(target);
		if (u || made)
			break;
		spin_unlock(&utrace_hash_lock);
		made = utrace_new(target);
		if (!made) {
			err = -ENOMEM;
			goto fail;
		}
	}
	if (!u) {
		u = made;
		made = NULL;
		hlist_add_head_rcu(&u->node, utrace_bucket(target));
	}

	spin_lock(&u->lock);
	if (u->exiting || u->reaped) {
		err = -ESRCH;
		goto fail_both;
	}
	if ((flags & UTRACE_ATTACH_EXCLUSIVE) && utrace_find_engine_locked(u, flags, ops, data)) {
		err = -EEXIST;
		goto fail_both;
	}
	kref_get(&u->kref);
	engine->utrace = u;
	/* During a report the new engine waits for the next event. */
	if (utrace_list_busy_locked(u)) {
		list_add_tail(&engine->entry, &u->attaching);
		WRITE_ONCE(u->dirty, true);
	} else {
		list_add_tail(&engine->entry, &u->attached);
	}
	utrace_list_done_locked(u);
	atomic_inc(&utrace_live_engines);
	spin_unlock(&u->lock);
	spin_unlock(&utrace_hash_lock);
	if (made)
		mempool_free(made, utrace_pool);
	return engine;

fail_both:
	spin_unlock(&u->lock);
fail_locked:
	spin_unlock(&utrace_hash_lock);
fail:
	if (made)
		mempool_free(made, utrace_pool);
	mempool_free(engine, utrace_engine_pool);
	return ERR_PTR(err);
}

struct utrace_engine *utrace_attach_pid(struct pid *pid, int flags,
					const struct utrace_engine_ops *ops, void *data)
{
	struct utrace_engine *engine;
	struct task_struct *task = get_pid_task(pid, PIDTYPE_PID);

	if (!task)
		return ERR_PTR(-ESRCH);
	engine = utrace_attach_task(task, flags, ops, data);
	put_task_struct(task);
	return engine;
}

/* The engine's state, locked, if it belongs to target and is attached;
 * otherwise NULL with *err set. */
static struct utrace *utrace_engine_lock(struct task_struct *target,
					 struct utrace_engine *engine, int *err)
{
	struct utrace *u;

	if (IS_ERR_OR_NULL(engine) || !engine->utrace) {
		*err = -EINVAL;
		return NULL;
	}
	u = engine->utrace;
	spin_lock(&u->lock);
	if ((engine->state & UTRACE_ENGINE_DETACHED) || u->reaped || u->task != target) {
		spin_unlock(&u->lock);
		*err = -ESRCH;
		return NULL;
	}
	return u;
}

int utrace_set_events(struct task_struct *target, struct utrace_engine *engine,
		      unsigned long eventmask)
{
	unsigned long old, passed = 0;
	struct utrace *u;
	int err = 0;

	if (eventmask & ~((1UL << _UTRACE_NEVENTS) - 1))
		return -EINVAL;
#ifdef UTRACE_NO_SYSCALL_EXIT
	if (eventmask & UTRACE_EVENT(SYSCALL_EXIT))
		return -EINVAL;	/* this module has no sys_exit probe */
#endif
	u = utrace_engine_lock(target, engine, &err);
	if (!u)
		return err;
	old = engine->flags;
	WRITE_ONCE(engine->flags, eventmask);
	utrace_recompute_locked(u);
	smp_mb();	/* the new mask before reading u->reporting */
	/* Events that can no longer happen to this task. */
	if (u->exiting)
		passed = ~(UTRACE_EVENT(DEATH) | UTRACE_EVENT(REAP));
	if (u->dead)
		passed = ~UTRACE_EVENT(REAP);
	if (eventmask & passed)
		err = -EALREADY;
	else if ((old & ~eventmask) && target != current && utrace_callback_running_locked(u, engine))
		err = -EINPROGRESS;	/* a callback for a dropped event may run now */
	spin_unlock(&u->lock);
	return err;
}

int utrace_control(struct task_struct *target, struct utrace_engine *engine,
		   enum utrace_resume_action action)
{
	struct utrace *u;
	LIST_HEAD(gone);
	int err = 0;

	if ((unsigned int)action >= UTRACE_RESUME_MAX)
		return -EINVAL;
	if (action == UTRACE_SINGLESTEP || action == UTRACE_BLOCKSTEP)
		return -EOPNOTSUPP;
	u = utrace_engine_lock(target, engine, &err);
	if (!u)
		return err;

	switch (action) {
	case UTRACE_DETACH:
		utrace_detach_locked(u, engine, &gone);
		if (target != current && utrace_callback_running_locked(u, engine))
			err = -EINPROGRESS;	/* utrace_barrier() waits for it */
		else if (u->dead)
			err = -EALREADY;	/* report_death already ran */
		utrace_wake_locked(u);
		break;
	case UTRACE_STOP:
		if (u->exiting) {
			err = -ESRCH;
			break;
		}
		utrace_set_stop_locked(u, engine);
		if (!u->stopped) {
			utrace_request_locked(u, UTRACE_STOP);
			err = -EINPROGRESS;
		}
		break;
	case UTRACE_INTERRUPT:
	case UTRACE_REPORT:
		if (u->exiting) {
			err = -ESRCH;
			break;
		}
		utrace_clear_stop_locked(u, engine);
		if (u->stopped) {
			/* The report follows when the stop ends. */
			if (action < u->resume)
				u->resume = action;
			utrace_wake_locked(u);
		} else {
			utrace_request_locked(u, action);
		}
		break;
	default:	/* UTRACE_RESUME */
		utrace_clear_stop_locked(u, engine);
		utrace_wake_locked(u);
		break;
	}
	spin_unlock(&u->lock);
	utrace_put_engines(&gone);
	return err;
}

int utrace_barrier(struct task_struct *target, struct utrace_engine *engine)
{
	struct utrace *u;
	int err = 0;

	if (IS_ERR_OR_NULL(engine) || !engine->utrace)
		return -EINVAL;
	u = engine->utrace;
	if (u->task != target)
		return -ESRCH;
	/* The target's own callbacks cannot run elsewhere meanwhile.  A
	 * callback in progress is waited for by polling once a tick, which
	 * spares every callback a wakeup check.  The report seen here
	 * published the count of those before it, so a new count means it
	 * ended. */
	if (target != current && smp_load_acquire(&u->reporting)) {
		unsigned long seen = smp_load_acquire(&u->reports);

		for (;;) {
			bool running;

			spin_lock(&u->lock);
			running = smp_load_acquire(&u->reports) == seen &&
				  utrace_callback_running_locked(u, engine);
			spin_unlock(&u->lock);
			if (!running)
				break;
			if (!preemptible() || rcu_preempt_depth()) {
				cpu_relax();
				continue;
			}
			if (fatal_signal_pending(current))
				return -ERESTARTSYS;
			schedule_timeout_killable(1);
		}
	}
	spin_lock(&u->lock);
	if ((engine->state & UTRACE_ENGINE_DETACHED) || u->reaped)
		err = -ESRCH;
	spin_unlock(&u->lock);
	return err;
}

void utrace_engine_get(struct utrace_engine *engine)
{
	kref_get(&engine->kref);
}

void utrace_engine_put(struct utrace_engine *engine)
{
	kref_put(&engine->kref, utrace_engine_release);
}

unsigned long stp_utrace_alloc_failures(void)
{
	return atomic_long_read(&utrace_enomem);
}
