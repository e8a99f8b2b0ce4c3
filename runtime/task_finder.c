/* The task finder (task_finder.h): start, which attaches to the processes
 * that exist already, and stop.  Generated code includes this file once;
 * it brings the finder's other parts and runtime/task_info.c. */
#ifndef RUNTIME_TASK_FINDER_C
#define RUNTIME_TASK_FINDER_C

#include "task_finder_int.h"
#include "task_info.c"
#include "task_finder_rec.c"
#include "task_finder_match.c"
#include "task_finder_ops.c"

/* utrace_barrier's answer when a signal interrupted its wait (kernel). */
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

/* ---- the processes that exist at start ---- */

struct stp_tf_seen {
	pid_t tgid, ppid;
	bool in_tree;
	bool tracked;
};

struct stp_tf_scan {
	struct stp_tf_seen *seen;
	int n, max;
	pid_t *tids;
	int tids_max;
	bool leader_failed;	/* the process's main thread cannot report its BEGIN */
	int err;
};

static int _stp_tf_count_fn(struct task_struct *t, void *data)
{
	(void)t;
	(*(int *)data)++;
	return 0;
}

static int _stp_tf_list_fn(struct task_struct *t, void *data)
{
	struct stp_tf_scan *s = data;

	if (s->n < s->max) {
		s->seen[s->n].tgid = stp_task_tgid(t);
		s->seen[s->n].ppid = stp_task_ppid(t);
		s->seen[s->n].in_tree = false;
		s->seen[s->n].tracked = false;
		s->n++;
	}
	return 0;
}

static struct stp_tf_seen *_stp_tf_seen_find(struct stp_tf_scan *s, pid_t tgid)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->seen[i].tgid == tgid)
			return &s->seen[i];
	return NULL;
}

/* With a target process, the tree is it and its descendants ( a held -c
 * command has none yet); without one, everything. */
static void _stp_tf_tree(struct stp_tf_scan *s)
{
	pid_t target = stp_target_pid();
	bool changed = true;
	int i, pass;

	for (i = 0; i < s->n; i++)
		s->seen[i].in_tree = !stp_tf.has_tree || s->seen[i].tgid == target;
	if (!stp_tf.has_tree || stp_target_held())
		return;
	for (pass = 0; changed && pass < s->n; pass++) {
		changed = false;
		for (i = 0; i < s->n; i++) {
			struct stp_tf_seen *parent;

			if (s->seen[i].in_tree)
				continue;
			parent = _stp_tf_seen_find(s, s->seen[i].ppid);
			if (parent && parent->in_tree) {
				s->seen[i].in_tree = true;
				changed = true;
			}
		}
	}
}

static bool _stp_tf_has_engine(struct task_struct *task)
{
	struct utrace_engine *e = utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, &stp_tf_ops,
						     NULL);

	if (IS_ERR(e))
		return false;
	utrace_engine_put(e);
	return true;
}

/* An engine with nothing to report, only to get hold of a thread the
 * platform does not trace yet (the ptrace platform seizes it). */
static const struct utrace_engine_ops stp_tf_grab_ops;

/* The task of tid, referenced; *grab is set when a temporary engine had
 * to get hold of it (the caller detaches it once its own is on). */
static struct task_struct *_stp_tf_grab(pid_t tid, struct utrace_engine **grab)
{
	struct task_struct *task = stp_task_from_tid(tid);
	struct utrace_engine *e;
	struct pid *pid;

	*grab = NULL;
	if (task)
		return task;
	pid = find_get_pid(tid);
	if (!pid)
		return NULL;
	e = utrace_attach_pid(pid, UTRACE_ATTACH_CREATE, &stp_tf_grab_ops, NULL);
	put_pid(pid);
	if (IS_ERR(e))
		return NULL;
	task = stp_task_from_tid(tid);
	if (!task) {
		utrace_engine_put(e);
		return NULL;
	}
	*grab = e;
	return task;
}

static void _stp_tf_ungrab(struct task_struct *task, struct utrace_engine *grab)
{
	if (!grab)
		return;
	utrace_control(task, grab, UTRACE_DETACH);
	utrace_engine_put(grab);
}

/* One thread of a process that existed at start; true when it is newly
 * followed.  Its BEGIN (or the process's) is asked for with an interrupt:
 * a thread asleep in a syscall should not keep it waiting. */
static bool _stp_tf_track_thread(struct stp_tf_scan *s, struct stp_tf_proc *p, pid_t tid)
{
	bool main = tid == p->tgid, added = false;
	struct utrace_engine *grab;
	struct task_struct *task = _stp_tf_grab(tid, &grab);
	struct stp_tf_thread *t;
	int begin = stp_atomic_read(&p->begin);

	if (!task) {
		s->leader_failed |= main;
		return false;
	}
	if (_stp_tf_has_engine(task))
		goto out;
	t = _stp_tf_thread_new(p, main);
	if (!t) {
		s->leader_failed |= main;
		goto out;
	}
	if (!main && begin != STP_TF_IMG_NONE) {
		if (p->events & STP_TF_EV(STP_TF_THREAD_BEGIN))
			t->tbegin_pending = true;
		else
			t->tbegun = true;
	}
	if (_stp_tf_attach(t, task) == 0) {
		added = true;
		_stp_tf_add(&p->live, 1);
		if (begin == STP_TF_IMG_PENDING && (main || s->leader_failed)) {
			if (utrace_control(task, t->engine, UTRACE_INTERRUPT) < 0)
				s->leader_failed |= main;
		} else if (t->tbegin_pending) {
			utrace_control(task, t->engine, UTRACE_INTERRUPT);
		}
	} else {
		s->leader_failed |= main;
	}
	_stp_tf_thread_put(t);
out:
	_stp_tf_ungrab(task, grab);
	stp_task_unref(task);
	return added;
}

static int _stp_tf_thread_list(struct stp_tf_scan *s, struct task_struct *leader)
{
	int n = stp_task_thread_ids(leader, s->tids, s->tids_max);

	if (n > s->tids_max) {
		int max = n + 64;
		pid_t *tids = stp_alloc((size_t)max * sizeof(*tids));

		if (!tids)
			return -ENOMEM;
		stp_free(s->tids);
		s->tids = tids;
		s->tids_max = max;
		n = stp_task_thread_ids(leader, s->tids, s->tids_max);
		if (n > s->tids_max)
			n = s->tids_max;	/* a storm: the clone reports follow it */
	}
	return n;
}

static void _stp_tf_track_process(struct stp_tf_scan *s, struct task_struct *leader, bool in_tree)
{
	pid_t tgid = stp_task_tgid(leader);
	struct stp_tf_proc *p;
	int pass, i, n, added;

	if (!((in_tree && stp_tf.watch_all) || _stp_tf_pid_target(tgid)))
		return;
	if (_stp_tf_has_engine(leader))
		return;		/* followed already (a PID target listed twice) */
	p = _stp_tf_proc_new(tgid, in_tree);
	if (!p)
		return;
	p->exec_pending = stp_target_held() && tgid == stp_target_pid();
	_stp_tf_match(p, leader, -2);
	stp_atomic_set(&p->begin, _stp_tf_initial_begin(p));
	s->leader_failed = false;
	_stp_tf_track_thread(s, p, tgid);
	/* Threads may be born while we attach; those an attached thread
	 * makes come through report_clone, the others through another look. */
	for (pass = 0; pass < 4; pass++) {
		n = _stp_tf_thread_list(s, leader);
		if (n < 0) {
			s->err = n == -ENOMEM ? n : s->err;
			break;
		}
		for (added = 0, i = 0; i < n; i++)
			if (s->tids[i] != tgid && _stp_tf_track_thread(s, p, s->tids[i]))
				added++;
		if (!added)
			break;
	}
	_stp_tf_proc_put(p);
}

static int _stp_tf_track_fn(struct task_struct *t, void *data)
{
	struct stp_tf_scan *s = data;
	struct stp_tf_seen *seen = _stp_tf_seen_find(s, stp_task_tgid(t));
	bool in_tree;

	if (seen) {
		if (seen->tracked)
			return 0;
		seen->tracked = true;
		in_tree = seen->in_tree;
	} else {
		/* Born since the list was made: its parent's tree is its own. */
		struct stp_tf_seen *parent = _stp_tf_seen_find(s, stp_task_ppid(t));

		in_tree = !stp_tf.has_tree || (parent && parent->in_tree && !stp_target_held());
	}
	_stp_tf_track_process(s, t, in_tree);
	return s->err;
}

/* PID targets the platform does not list (the ptrace platform lists only
 * what it traces): get hold of them by pid. */
static void _stp_tf_track_pids(struct stp_tf_scan *s)
{
	unsigned int i;

	for (i = 0; i < stp_tf.ntargets && !s->err; i++) {
		const struct stp_tf_target *tg = &stp_tf.targets[i];
		struct stp_tf_seen *seen;
		struct utrace_engine *grab;
		struct task_struct *task;

		if (tg->kind != STP_TF_PID)
			continue;
		seen = _stp_tf_seen_find(s, tg->pid);
		if (seen && seen->tracked)
			continue;
		task = _stp_tf_grab(tg->pid, &grab);
		if (!task)
			continue;
		if (!_stp_tf_has_engine(task))
			_stp_tf_track_process(s, task, !stp_tf.has_tree ||
							       tg->pid == stp_target_pid());
		_stp_tf_ungrab(task, grab);
		stp_task_unref(task);
	}
}

static int _stp_tf_scan(void)
{
	struct stp_tf_scan s = { 0 };
	int count = 0, rc;

	stp_for_each_process(_stp_tf_count_fn, &count);
	s.max = count + 64;	/* room for processes born meanwhile */
	s.seen = stp_alloc((size_t)s.max * sizeof(*s.seen));
	s.tids_max = 64;
	s.tids = stp_alloc((size_t)s.tids_max * sizeof(*s.tids));
	if (!s.seen || !s.tids) {
		rc = -ENOMEM;
		goto out;
	}
	stp_for_each_process(_stp_tf_list_fn, &s);
	_stp_tf_tree(&s);
	stp_for_each_process(_stp_tf_track_fn, &s);
	_stp_tf_track_pids(&s);
	rc = s.err;
out:
	stp_free(s.seen);
	stp_free(s.tids);
	return rc;
}

/* ---- start and stop ---- */

static void _stp_tf_free(void)
{
	stp_free(stp_tf.threads);
	stp_free(stp_tf.procs);
	stp_free(stp_tf.path_bufs);
	stp_tf.threads = NULL;
	stp_tf.procs = NULL;
	stp_tf.path_bufs = NULL;
}

static void _stp_tf_setup(const struct stp_tf_target *targets, unsigned int n, stp_tf_fn fn)
{
	unsigned int i, all = 0;
	size_t longest = 0;
	bool paths = false;

	stp_tf.targets = targets;
	stp_tf.ntargets = n;
	stp_tf.fn = fn;
	stp_tf.any = -1;
	for (i = 0; i < n; i++) {
		all |= targets[i].events;
		if (targets[i].kind == STP_TF_ANY && stp_tf.any < 0)
			stp_tf.any = (int)i;
		if (targets[i].kind == STP_TF_PATH) {
			size_t len = strlen(targets[i].path);

			paths = true;
			if (len > longest)
				longest = len;
		}
	}
	stp_tf.watch_all = stp_tf.any >= 0 || paths;
	stp_tf.track_exec = paths || (all & (STP_TF_EV(STP_TF_BEGIN) | STP_TF_EV(STP_TF_END) |
					     STP_TF_EV(STP_TF_THREAD_BEGIN) |
					     STP_TF_EV(STP_TF_THREAD_END)));
	stp_tf.track_exit = all & (STP_TF_EV(STP_TF_END) | STP_TF_EV(STP_TF_THREAD_END));
	stp_tf.has_tree = stp_target_pid() > 0;
	/* One more byte than the longest target tells a longer path apart. */
	stp_tf.path_len = paths ? longest + 2 : 0;
	stp_atomic_set(&stp_tf.active, 0);
	stp_atomic_set(&stp_tf.nthreads, 0);
	stp_atomic_set(&stp_tf.nprocs, 0);
	stp_atomic_set(&stp_tf.missed_threads, 0);
	stp_atomic_set(&stp_tf.missed_procs, 0);
	stp_atomic_set(&stp_tf.attach_failures, 0);
	stp_atomic_set(&stp_tf.warned_threads, 0);
	stp_atomic_set(&stp_tf.warned_procs, 0);
}

STP_API int stp_tf_start(const struct stp_tf_target *targets, unsigned int n, stp_tf_fn fn)
{
	int rc;

	if (stp_atomic_read(&stp_tf.state) != STP_TF_STOPPED)
		return -EBUSY;
	_stp_tf_setup(targets, n, fn);
	stp_tf.threads = stp_alloc(STP_TF_MAXTHREADS * sizeof(*stp_tf.threads));
	stp_tf.procs = stp_alloc(STP_TF_MAXPROCS * sizeof(*stp_tf.procs));
	if (stp_tf.path_len)
		stp_tf.path_bufs = stp_alloc(stp_ncpus() * stp_tf.path_len);
	if (!stp_tf.threads || !stp_tf.procs || (stp_tf.path_len && !stp_tf.path_bufs)) {
		_stp_tf_free();
		return -ENOMEM;
	}
	stp_atomic_set(&stp_tf.state, STP_TF_RUNNING);
	rc = _stp_tf_scan();
	if (rc) {
		stp_tf_stop();
		return rc;
	}
	stp_task_settle();
	return 0;
}

/* Callbacks in progress, counted by their entry and exit: one that began
 * before the state changed may still be creating records. */
static bool _stp_tf_wait_idle(void)
{
	int i;

	for (i = 0; i < 10000 && stp_atomic_read(&stp_tf.active); i++)
		stp_msleep(1);
	return stp_atomic_read(&stp_tf.active) == 0;
}

/* False when a callback may still run (t's reference then stays): the
 * syscall callbacks are not counted in stp_tf.active, so this wait is
 * all that covers them. */
static bool _stp_tf_detach(struct stp_tf_thread *t)
{
	int rc, tries;

	if (!stp_atomic_xchg(&t->live, 0))
		return true;
	rc = utrace_control(t->task, t->engine, UTRACE_DETACH);
	/* A callback may be running on another CPU: wait for it, as the
	 * record goes as soon as the last reference does. */
	for (tries = 0; rc == -EINPROGRESS && tries < 1000; tries++) {
		rc = utrace_barrier(t->task, t->engine);
		if (rc == -ERESTARTSYS || rc == -EINPROGRESS) {
			rc = -EINPROGRESS;
			stp_msleep(1);
		}
	}
	/* Better leaked than freed under a callback that never ended. */
	if (rc == -EINPROGRESS)
		return false;
	_stp_tf_thread_put(t);
	return true;
}

STP_API void stp_tf_stop(void)
{
	bool idle;
	int i;

	if (stp_atomic_cmpxchg(&stp_tf.state, STP_TF_RUNNING, STP_TF_STOPPING) != STP_TF_RUNNING)
		return;
	idle = _stp_tf_wait_idle();
	for (i = 0; i < STP_TF_MAXTHREADS; i++) {
		struct stp_tf_thread *t = &stp_tf.threads[i];

		if (!stp_atomic_read(&t->used) || !_stp_tf_get_unless_zero(&t->refs))
			continue;
		if (!_stp_tf_detach(t))
			idle = false;
		_stp_tf_thread_put(t);
	}
	idle = _stp_tf_wait_idle() && idle;
	/* Records still referenced now belong to callbacks that never ended:
	 * better leaked than freed under them. */
	if (idle && stp_atomic_read(&stp_tf.nthreads) == 0 && stp_atomic_read(&stp_tf.nprocs) == 0)
		_stp_tf_free();
	else
		stp_warn("process probes: %d threads and %d processes still referenced at stop",
			 stp_atomic_read(&stp_tf.nthreads), stp_atomic_read(&stp_tf.nprocs));
	stp_atomic_set(&stp_tf.state, STP_TF_STOPPED);
}

#endif
