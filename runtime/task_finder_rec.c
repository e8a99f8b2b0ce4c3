/* The task finder's records: two pools claimed without locks, reference
 * counts, and the engines that tie thread records to their tasks. */
#include "task_finder_int.h"

/* The platform layer has no atomic add; a compare-and-swap loop is one. */
static int _stp_tf_add(stp_atomic_t *a, int d)
{
	int old = stp_atomic_read(a), seen;

	while ((seen = stp_atomic_cmpxchg(a, old, old + d)) != old)
		old = seen;
	return old + d;
}

static bool _stp_tf_get_unless_zero(stp_atomic_t *a)
{
	int old = stp_atomic_read(a), seen;

	while (old > 0) {
		seen = stp_atomic_cmpxchg(a, old, old + 1);
		if (seen == old)
			return true;
		old = seen;
	}
	return false;
}

static void _stp_tf_full(stp_atomic_t *warned, stp_atomic_t *missed, const char *what,
			 const char *macro, int max)
{
	_stp_tf_add(missed, 1);
	if (!stp_atomic_xchg(warned, 1))
		stp_warn("process probes: more than %d %s to follow, some are not probed"
			 " (raise -D%s)", max, what, macro);
}

/* Claims a free slot, starting at a rotating hint so that a busy pool is
 * not scanned from its start every time. */
static int _stp_tf_claim(stp_atomic_t *hint, int max, stp_atomic_t *(*used)(int i))
{
	unsigned int start = (unsigned int)stp_atomic_inc_return(hint);
	int i;

	for (i = 0; i < max; i++) {
		int slot = (int)((start + (unsigned int)i) % (unsigned int)max);

		if (stp_atomic_cmpxchg(used(slot), 0, 1) == 0)
			return slot;
	}
	return -1;
}

static stp_atomic_t *_stp_tf_proc_used(int i)
{
	return &stp_tf.procs[i].used;
}

static stp_atomic_t *_stp_tf_thread_used(int i)
{
	return &stp_tf.threads[i].used;
}

static struct stp_tf_proc *_stp_tf_proc_new(pid_t tgid, bool in_tree)
{
	int slot = _stp_tf_claim(&stp_tf.proc_hint, STP_TF_MAXPROCS, _stp_tf_proc_used);
	struct stp_tf_proc *p;
	int i;

	if (slot < 0) {
		_stp_tf_full(&stp_tf.warned_procs, &stp_tf.missed_procs, "processes",
			     "STP_TF_MAXPROCS", STP_TF_MAXPROCS);
		return NULL;
	}
	p = &stp_tf.procs[slot];
	p->tgid = tgid;
	p->in_tree = in_tree;
	p->exec_pending = false;
	p->gen = 0;
	for (i = 0; i < STP_TF_MAXMATCH; i++)
		p->match[i] = -1;
	p->events = 0;
	stp_atomic_set(&p->begin, STP_TF_IMG_NONE);
	stp_atomic_set(&p->live, 0);
	/* Published last, with a full barrier: stp_tf_stop's scan takes a
	 * reference only to a record whose fields are set. */
	stp_atomic_xchg(&p->refs, 1);
	_stp_tf_add(&stp_tf.nprocs, 1);
	return p;
}

static void _stp_tf_proc_put(struct stp_tf_proc *p)
{
	if (_stp_tf_add(&p->refs, -1) != 0)
		return;
	_stp_tf_add(&stp_tf.nprocs, -1);
	stp_atomic_xchg(&p->used, 0);
}

static struct stp_tf_thread *_stp_tf_thread_new(struct stp_tf_proc *p, bool main)
{
	int slot = _stp_tf_claim(&stp_tf.thread_hint, STP_TF_MAXTHREADS, _stp_tf_thread_used);
	struct stp_tf_thread *t;

	if (slot < 0) {
		_stp_tf_full(&stp_tf.warned_threads, &stp_tf.missed_threads, "threads",
			     "STP_TF_MAXTHREADS", STP_TF_MAXTHREADS);
		return NULL;
	}
	t = &stp_tf.threads[slot];
	t->task = NULL;
	t->engine = NULL;
	t->proc = p;
	_stp_tf_add(&p->refs, 1);
	t->sys_nr = -1;
	t->gen = p->gen;
	t->events = 0;
	t->main = main;
	t->tbegin_pending = false;
	t->tbegun = false;
	t->exited = false;
	stp_atomic_set(&t->live, 0);
	stp_atomic_xchg(&t->refs, 1);
	_stp_tf_add(&stp_tf.nthreads, 1);
	return t;
}

static void _stp_tf_thread_put(struct stp_tf_thread *t)
{
	if (_stp_tf_add(&t->refs, -1) != 0)
		return;
	if (t->engine)
		utrace_engine_put(t->engine);
	if (t->task)
		stp_task_unref(t->task);
	_stp_tf_proc_put(t->proc);
	_stp_tf_add(&stp_tf.nthreads, -1);
	stp_atomic_xchg(&t->used, 0);
}

static void _stp_tf_thread_unlive(struct stp_tf_thread *t)
{
	if (stp_atomic_xchg(&t->live, 0))
		_stp_tf_thread_put(t);
}

/* Attaches t's engine to task (t then holds references to both, and the
 * attachment one on t) with the events t needs.  On failure t is left to
 * its creator's reference. */
static int _stp_tf_attach(struct stp_tf_thread *t, struct task_struct *task)
{
	struct utrace_engine *e;
	int rc;

	e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, &stp_tf_ops, t);
	if (IS_ERR(e)) {
		/* A task already on its way out is no failure. */
		if (PTR_ERR(e) != -ESRCH)
			_stp_tf_add(&stp_tf.attach_failures, 1);
		return (int)PTR_ERR(e);
	}
	stp_task_ref(task);
	t->task = task;
	t->engine = e;
	_stp_tf_add(&t->refs, 1);
	stp_atomic_set(&t->live, 1);
	rc = _stp_tf_set_events(t);
	if (rc) {
		utrace_control(task, e, UTRACE_DETACH);
		_stp_tf_thread_unlive(t);
		if (rc != -ESRCH)
			_stp_tf_add(&stp_tf.attach_failures, 1);
	}
	return rc;
}

/* Asks utrace for what t needs now; from t's own callbacks or before t's
 * task runs. */
static int _stp_tf_set_events(struct stp_tf_thread *t)
{
	unsigned long ev = _stp_tf_utrace_events(t);
	int rc;

	if (ev == t->events)
		return 0;
	rc = utrace_set_events(t->task, t->engine, ev);
	if (rc == 0)
		t->events = ev;
	return rc;
}

STP_API void stp_tf_stats(struct stp_tf_stats *s)
{
	s->threads = stp_atomic_read(&stp_tf.nthreads);
	s->procs = stp_atomic_read(&stp_tf.nprocs);
	s->missed_threads = stp_atomic_read(&stp_tf.missed_threads);
	s->missed_procs = stp_atomic_read(&stp_tf.missed_procs);
	s->attach_failures = stp_atomic_read(&stp_tf.attach_failures);
}
