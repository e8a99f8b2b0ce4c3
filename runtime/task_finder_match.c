/* Which targets a process image matches, what its threads ask utrace for,
 * and calling the client. */
#include "task_finder_int.h"

/* The PATH target task's executable is, or -1.  The path is read into
 * this CPU's buffer: an exec report may run where nothing may sleep, and
 * a PATH_MAX buffer does not belong on a kernel stack.  A path longer
 * than the buffer cannot equal any target, and the read says so. */
static int _stp_tf_match_path(struct task_struct *task)
{
	unsigned int cpu, i;
	int found = -1;
	char *buf;

	if (!stp_tf.path_bufs)
		return -1;
	cpu = stp_cpu_get();
	buf = stp_tf.path_bufs + (size_t)cpu * stp_tf.path_len;
	if (stp_task_exe_path(task, buf, stp_tf.path_len) == 0) {
		for (i = 0; i < stp_tf.ntargets; i++) {
			const struct stp_tf_target *tg = &stp_tf.targets[i];

			if (tg->kind == STP_TF_PATH && !strcmp(tg->path, buf)) {
				found = (int)i;
				break;
			}
		}
	}
	stp_cpu_put(cpu);
	return found;
}

static int _stp_tf_pid_index(pid_t tgid)
{
	unsigned int i;

	for (i = 0; i < stp_tf.ntargets; i++)
		if (stp_tf.targets[i].kind == STP_TF_PID && stp_tf.targets[i].pid == tgid)
			return (int)i;
	return -1;
}

static bool _stp_tf_pid_target(pid_t tgid)
{
	return _stp_tf_pid_index(tgid) >= 0;
}

/* path_target: the PATH target of the image when already known (a fork
 * child runs its parent's image), -2 to read task's executable. */
static void _stp_tf_match(struct stp_tf_proc *p, struct task_struct *task, int path_target)
{
	int k = 0, i;

	for (i = 0; i < STP_TF_MAXMATCH; i++)
		p->match[i] = -1;
	p->events = 0;
	if (p->in_tree) {
		if (stp_tf.any >= 0)
			p->match[k++] = stp_tf.any;
		if (path_target == -2)
			path_target = _stp_tf_match_path(task);
		if (path_target >= 0)
			p->match[k++] = path_target;
	}
	i = _stp_tf_pid_index(p->tgid);
	if (i >= 0)
		p->match[k++] = i;
	for (i = 0; i < k; i++)
		p->events |= stp_tf.targets[p->match[i]].events;
}

static bool _stp_tf_matched(const struct stp_tf_proc *p)
{
	return p->match[0] >= 0;
}

/* The image state a process starts in: a BEGIN to make at its first
 * report; none to make (no target wants one) but an END owed; or nothing
 * at all (a held -c command, or no match). */
static int _stp_tf_initial_begin(const struct stp_tf_proc *p)
{
	if (p->exec_pending || !_stp_tf_matched(p))
		return STP_TF_IMG_NONE;
	if (p->events & STP_TF_EV(STP_TF_BEGIN))
		return STP_TF_IMG_PENDING;
	return STP_TF_IMG_DONE;
}

static unsigned long _stp_tf_utrace_events(const struct stp_tf_thread *t)
{
	struct stp_tf_proc *p = t->proc;
	unsigned long ev = UTRACE_EVENT(CLONE) | UTRACE_EVENT(REAP);

	if (stp_tf.track_exec || p->exec_pending)
		ev |= UTRACE_EVENT(EXEC);
	if (stp_tf.track_exit)
		ev |= UTRACE_EVENT(EXIT);
	/* The entry is needed for the return too: it records the number. */
	if (p->events & (STP_TF_EV(STP_TF_SYSCALL) | STP_TF_EV(STP_TF_SYSCALL_RETURN)))
		ev |= UTRACE_EVENT(SYSCALL_ENTRY);
	if (p->events & STP_TF_EV(STP_TF_SYSCALL_RETURN))
		ev |= UTRACE_EVENT(SYSCALL_EXIT);
	if (t->tbegin_pending || stp_atomic_read(&p->begin) == STP_TF_IMG_PENDING)
		ev |= UTRACE_EVENT(QUIESCE);
	return ev;
}

/* A user of the finder that includes it may name the function it will
 * pass to stp_tf_start() in STP_TF_LIKELY_FN: that one is called
 * directly, as an indirect call costs a retpoline in the kernel. */
#ifdef STP_TF_LIKELY_FN
#define STP_TF_CALL_FN(...)                          \
	(likely(stp_tf.fn == STP_TF_LIKELY_FN) ?     \
		 STP_TF_LIKELY_FN(__VA_ARGS__) :      \
		 stp_tf.fn(__VA_ARGS__))
#else
#define STP_TF_CALL_FN(...) stp_tf.fn(__VA_ARGS__)
#endif

static void _stp_tf_fire(struct stp_tf_thread *t, enum stp_tf_event ev, struct pt_regs *regs,
			 long nr)
{
	const struct stp_tf_proc *p = t->proc;
	int i;

	for (i = 0; i < STP_TF_MAXMATCH && p->match[i] >= 0; i++)
		if (stp_tf.targets[p->match[i]].events & STP_TF_EV(ev))
			STP_TF_CALL_FN((unsigned int)p->match[i], ev, t->task, regs, nr);
}
