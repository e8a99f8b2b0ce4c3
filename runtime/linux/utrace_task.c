/* Per-task state of the kernel utrace layer: the hash keyed by task,
 * allocation, reference counting, and the summaries kept under its lock. */

static struct hlist_head *utrace_bucket(struct task_struct *t)
{
	return &utrace_hash[hash_ptr(t, UTRACE_HASH_BITS)];
}

/* Under rcu_read_lock() or utrace_hash_lock. */
static struct utrace *utrace_lookup(struct task_struct *t)
{
	struct utrace *u;

	hlist_for_each_entry_rcu(u, utrace_bucket(t), node, lockdep_is_held(&utrace_hash_lock))
		if (u->task == t)
			return u;
	return NULL;
}

/* Callers of the API do not say whether they may sleep; a mempool with
 * a reserve keeps atomic-context attaches (report_clone attaching to the
 * new child) from failing when the page allocator is short. */
static gfp_t utrace_gfp(void)
{
	if (preemptible() && !rcu_preempt_depth())
		return GFP_KERNEL;
	return GFP_ATOMIC | __GFP_NOWARN;
}

static void *utrace_alloc(mempool_t *pool, size_t size)
{
	void *p = mempool_alloc(pool, utrace_gfp());

	if (!p) {
		atomic_long_inc(&utrace_enomem);
		pr_warn_ratelimited("ustap utrace: out of memory attaching in atomic context\n");
		return NULL;
	}
	memset(p, 0, size);
	return p;
}

static struct utrace *utrace_new(struct task_struct *t)
{
	struct utrace *u = utrace_alloc(utrace_pool, sizeof(*u));

	if (!u)
		return NULL;
	spin_lock_init(&u->lock);
	kref_init(&u->kref);		/* the hash's reference */
	u->task = t;
	INIT_LIST_HEAD(&u->attached);
	INIT_LIST_HEAD(&u->attaching);
	u->resume = UTRACE_RESUME;
	init_task_work(&u->work_resume, utrace_resume_workfn);
	init_task_work(&u->work_signal, utrace_signal_workfn);
	INIT_WORK(&u->reap_work, utrace_reap_workfn);
	return u;
}

static void utrace_free_rcu(struct rcu_head *rcu)
{
	mempool_free(container_of(rcu, struct utrace, rcu), utrace_pool);
}

static void utrace_release(struct kref *kref)
{
	call_rcu(&container_of(kref, struct utrace, kref)->rcu, utrace_free_rcu);
}

static void utrace_put(struct utrace *u)
{
	kref_put(&u->kref, utrace_release);
}

static void utrace_engine_release(struct kref *kref)
{
	struct utrace_engine *engine = container_of(kref, struct utrace_engine, kref);

	if (engine->ops && engine->ops->release)
		engine->ops->release(engine->data);
	utrace_put(engine->utrace);
	mempool_free(engine, utrace_engine_pool);
	atomic_dec(&utrace_live_engines);
}

/* Drops the list references of engines unlinked under the lock; release
 * callbacks run here, outside any of the layer's locks. */
static void utrace_put_engines(struct list_head *gone)
{
	struct utrace_engine *engine, *next;

	list_for_each_entry_safe(engine, next, gone, entry) {
		list_del_init(&engine->entry);
		kref_put(&engine->kref, utrace_engine_release);
	}
}

/* Keeps u->events the union of live engines' masks, and the task's
 * syscall-tracepoint flag in step with it. */
static void utrace_recompute_locked(struct utrace *u)
{
	struct utrace_engine *engine;
	unsigned long events = 0;

	list_for_each_entry(engine, &u->attached, entry)
		if (!(engine->state & UTRACE_ENGINE_DETACHED))
			events |= engine->flags;
	list_for_each_entry(engine, &u->attaching, entry)
		if (!(engine->state & UTRACE_ENGINE_DETACHED))
			events |= engine->flags;
	WRITE_ONCE(u->events, events);
	utrace_sync_flag_locked(u);
}

static bool utrace_stop_wanted_locked(struct utrace *u)
{
	return u->nstop;
}

static void utrace_set_stop_locked(struct utrace *u, struct utrace_engine *engine)
{
	if (!(engine->state & (UTRACE_ENGINE_STOP | UTRACE_ENGINE_DETACHED))) {
		WRITE_ONCE(engine->state, engine->state | UTRACE_ENGINE_STOP);
		u->nstop++;
	}
}

static void utrace_clear_stop_locked(struct utrace *u, struct utrace_engine *engine)
{
	if (engine->state & UTRACE_ENGINE_STOP) {
		WRITE_ONCE(engine->state, engine->state & ~UTRACE_ENGINE_STOP);
		u->nstop--;
	}
}

/* Under u->lock, before changing u->attached: true when the task walks
 * the list now, so the change must wait for the reporter (see the locking
 * notes in utrace_internal.h).  utrace_list_done_locked() ends it. */
static bool utrace_list_busy_locked(struct utrace *u)
{
	WRITE_ONCE(u->modifying, true);
	smp_mb();
	return READ_ONCE(u->reporting);
}

static void utrace_list_done_locked(struct utrace *u)
{
	smp_store_release(&u->modifying, false);
}

/* Marks an engine detached: no callback starts after this (see the
 * locking notes in utrace_internal.h). */
static void utrace_mark_detached_locked(struct utrace *u, struct utrace_engine *engine)
{
	utrace_clear_stop_locked(u, engine);
	WRITE_ONCE(engine->state, UTRACE_ENGINE_DETACHED);
	WRITE_ONCE(engine->flags, 0);
	smp_mb();	/* the state before our caller reads u->reporting */
}

/* Under u->lock, after the caller's full barrier (the state or mask it
 * changed first): whether a callback of the engine may run now on the
 * task.  A report over several engines marks each callback; one over a
 * single engine marks none, and then that engine may be called for as
 * long as the report runs.  The list does not change while a report
 * runs, so what is attached now is what the report walks. */
static bool utrace_callback_running_locked(struct utrace *u, struct utrace_engine *engine)
{
	if (!READ_ONCE(u->reporting))
		return false;
	if (READ_ONCE(engine->reporting))
		return true;
	return list_is_singular(&u->attached) &&
	       list_first_entry(&u->attached, struct utrace_engine, entry) == engine;
}

/* Detaches and unlinks the engine, or leaves the unlinking to the task
 * walking the list now. */
static void utrace_detach_locked(struct utrace *u, struct utrace_engine *engine,
				 struct list_head *gone)
{
	utrace_mark_detached_locked(u, engine);
	if (utrace_list_busy_locked(u))
		WRITE_ONCE(u->dirty, true);
	else
		list_move_tail(&engine->entry, gone);
	utrace_list_done_locked(u);
	utrace_recompute_locked(u);
}

/* Unlinks detached engines and lets waiting ones join, once no report
 * walks the list. */
static void utrace_tidy_locked(struct utrace *u, struct list_head *gone)
{
	struct utrace_engine *engine, *next;

	WRITE_ONCE(u->dirty, false);
	list_for_each_entry_safe(engine, next, &u->attached, entry)
		if (engine->state & UTRACE_ENGINE_DETACHED)
			list_move_tail(&engine->entry, gone);
	list_for_each_entry_safe(engine, next, &u->attaching, entry)
		if (engine->state & UTRACE_ENGINE_DETACHED)
			list_move_tail(&engine->entry, gone);
	list_splice_tail_init(&u->attaching, &u->attached);
	utrace_recompute_locked(u);
}

/* Wakes the task parked in utrace_stop() once no engine holds it. */
static void utrace_wake_locked(struct utrace *u)
{
	if (u->stopped && !utrace_stop_wanted_locked(u))
		wake_up_process(u->task);
}
