/* Process probes (utrace-probes.h): the probe table becomes task finder
 * targets, and each task finder event runs the probes listed for it.
 * Generated code includes this file once, after runtime.h. */
#ifndef RUNTIME_UTRACE_PROBES_C
#define RUNTIME_UTRACE_PROBES_C

#include "utrace-probes.h"
#include "context.h"

static void _stp_up_fire(unsigned int target, enum stp_tf_event ev, struct task_struct *task,
			 struct pt_regs *regs, long nr);
#define STP_TF_LIKELY_FN _stp_up_fire
#include "task_finder.c"

static struct {
	struct stp_tf_target *targets;
	unsigned int ntargets;
	/* Probes grouped by (target, event), in table order: the group of
	 * k = target * STP_TF_NEVENTS + event is lists[first[k] .. first[k+1]). */
	const struct stp_utrace_probe **lists;
	unsigned int *first;
	/* The syscall number of the handler running on each CPU, for $syscall. */
	long *cur_nr;
	int *want;
} stp_up;

static bool _stp_up_same_target(const struct stp_tf_target *tg, const struct stp_utrace_probe *p)
{
	if (tg->kind != p->kind)
		return false;
	if (p->kind == STP_TF_PID)
		return tg->pid == p->pid;
	if (p->kind == STP_TF_PATH)
		return !strcmp(tg->path, p->path);
	return true;
}

static bool _stp_up_is_syscall(const struct stp_utrace_probe *p)
{
	return p->event == STP_TF_SYSCALL || p->event == STP_TF_SYSCALL_RETURN;
}

static bool _stp_up_in_set(const struct stp_utrace_probe *p, long nr)
{
	unsigned int lo = 0, hi = p->nsyscalls;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (p->syscalls[mid] == nr)
			return true;
		if (p->syscalls[mid] < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void _stp_up_fire(unsigned int target, enum stp_tf_event ev, struct task_struct *task,
			 struct pt_regs *regs, long nr)
{
	unsigned int k = target * STP_TF_NEVENTS + (unsigned int)ev, i;

	for (i = stp_up.first[k]; i < stp_up.first[k + 1]; i++) {
		const struct stp_utrace_probe *p = stp_up.lists[i];
		unsigned int cpu;

		if (p->syscalls && !_stp_up_in_set(p, nr))
			continue;
		/* Held across the handler, so the CPU is the handler's own. */
		cpu = stp_cpu_get();
		stp_up.cur_nr[cpu] = nr;
		stp_probe_run(p->probe, task, regs);
		stp_cpu_put(cpu);
	}
}

/* The union of the syscall sets, for the platform: -1 for all of them, or
 * how many distinct numbers stp_up.want holds. */
static int _stp_up_want(const struct stp_utrace_probe *probes, unsigned int n)
{
	unsigned int i, j, total = 0;
	int k = 0;

	for (i = 0; i < n; i++) {
		if (!_stp_up_is_syscall(&probes[i]))
			continue;
		if (!probes[i].syscalls)
			return -1;
		total += probes[i].nsyscalls;
	}
	if (!total)
		return 0;
	stp_up.want = stp_alloc(total * sizeof(int));
	if (!stp_up.want)
		return -ENOMEM;
	/* Insertion into a sorted array: the sets are small, and this runs
	 * once. */
	for (i = 0; i < n; i++) {
		if (!_stp_up_is_syscall(&probes[i]))
			continue;
		for (j = 0; j < probes[i].nsyscalls; j++) {
			int nr = probes[i].syscalls[j], at = k;

			while (at > 0 && stp_up.want[at - 1] > nr)
				at--;
			if (at > 0 && stp_up.want[at - 1] == nr)
				continue;
			memmove(&stp_up.want[at + 1], &stp_up.want[at], (size_t)(k - at) * sizeof(int));
			stp_up.want[at] = nr;
			k++;
		}
	}
	return k;
}

static void _stp_up_free(void)
{
	stp_free(stp_up.targets);
	stp_free(stp_up.lists);
	stp_free(stp_up.first);
	stp_free(stp_up.cur_nr);
	stp_free(stp_up.want);
	memset(&stp_up, 0, sizeof(stp_up));
}

STP_API int stp_utrace_probes_start(const struct stp_utrace_probe *probes, unsigned int n)
{
	unsigned int i, t, groups;
	int want, rc = -ENOMEM;

	if (stp_up.targets)
		return -EBUSY;
	stp_up.targets = stp_alloc((n ? n : 1) * sizeof(*stp_up.targets));
	stp_up.lists = stp_alloc((n ? n : 1) * sizeof(*stp_up.lists));
	stp_up.cur_nr = stp_alloc(stp_ncpus() * sizeof(*stp_up.cur_nr));
	if (!stp_up.targets || !stp_up.lists || !stp_up.cur_nr)
		goto fail;
	for (i = 0; i < n; i++) {
		const struct stp_utrace_probe *p = &probes[i];

		if (p->event >= STP_TF_NEVENTS || p->kind > STP_TF_PID ||
		    (p->kind == STP_TF_PATH && !p->path) || (p->kind == STP_TF_PID && p->pid <= 0) ||
		    (p->syscalls && !_stp_up_is_syscall(p))) {
			rc = -EINVAL;
			goto fail;
		}
		for (t = 0; t < stp_up.ntargets; t++)
			if (_stp_up_same_target(&stp_up.targets[t], p))
				break;
		if (t == stp_up.ntargets) {
			stp_up.targets[t].kind = probes[i].kind;
			stp_up.targets[t].pid = probes[i].pid;
			stp_up.targets[t].path = probes[i].path;
			stp_up.ntargets++;
		}
		stp_up.targets[t].events |= STP_TF_EV(probes[i].event);
	}
	groups = stp_up.ntargets * STP_TF_NEVENTS;
	stp_up.first = stp_alloc((groups + 1) * sizeof(*stp_up.first));
	if (!stp_up.first)
		goto fail;
	/* Counting sort by group keeps the table's order within a group. */
	for (i = 0; i < n; i++)
		for (t = 0; t < stp_up.ntargets; t++)
			if (_stp_up_same_target(&stp_up.targets[t], &probes[i]))
				stp_up.first[t * STP_TF_NEVENTS + probes[i].event + 1]++;
	for (i = 0; i < groups; i++)
		stp_up.first[i + 1] += stp_up.first[i];
	for (i = 0; i < n; i++) {
		for (t = 0; t < stp_up.ntargets; t++) {
			unsigned int k = t * STP_TF_NEVENTS + probes[i].event, at;

			if (!_stp_up_same_target(&stp_up.targets[t], &probes[i]))
				continue;
			for (at = stp_up.first[k]; stp_up.lists[at]; at++)
				;
			stp_up.lists[at] = &probes[i];
		}
	}
	want = _stp_up_want(probes, n);
	if (want == -ENOMEM)
		goto fail;
	rc = stp_task_want_syscalls(want > 0 ? stp_up.want : NULL, want);
	if (rc)
		goto fail;
	rc = stp_tf_start(stp_up.targets, stp_up.ntargets, _stp_up_fire);
	if (rc)
		goto fail;
	return 0;
fail:
	_stp_up_free();
	return rc;
}

STP_API void stp_utrace_probes_stop(void)
{
	if (!stp_up.targets)
		return;
	stp_tf_stop();
	_stp_up_free();
}

/* ---- context variables ---- */

STP_API int64_t stp_up_syscall_nr(const struct stp_context *c)
{
	return stp_up.cur_nr ? stp_up.cur_nr[c->cpu] : -1;
}

STP_API int64_t stp_up_syscall_arg(const struct stp_context *c, int n)
{
	unsigned long args[6];

	if (!c->regs || n < 1 || n > 6)
		return 0;
	stp_syscall_args(c->task, c->regs, args);
	return (int64_t)args[n - 1];
}

STP_API int64_t stp_up_syscall_return(const struct stp_context *c)
{
	if (!c->regs)
		return 0;
	return stp_syscall_return(c->task, c->regs);
}

/* "0x0" for 0 too, as SystemTap's %#llx prints it (C's prints "0"). */
STP_API void stp_up_syscall_parms(const struct stp_context *c, char *dst)
{
	unsigned long a[6] = { 0 };

	if (c->regs)
		stp_syscall_args(c->task, c->regs, a);
	snprintf(dst, MAXSTRINGLEN,
		 "$arg1=0x%lx $arg2=0x%lx $arg3=0x%lx $arg4=0x%lx $arg5=0x%lx $arg6=0x%lx", a[0],
		 a[1], a[2], a[3], a[4], a[5]);
}

#endif
