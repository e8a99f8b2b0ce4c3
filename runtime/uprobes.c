/* The neutral half of runtime/uprobes.h: checking the table, deciding
 * which processes a probe is for, and running a hit's handler with what
 * its accessors answer.  The platform half places the probes:
 * runtime/linux/uprobes.c (inode uprobes) or runtime/user/breakpoint.c
 * (ptrace breakpoints).  Generated code includes this file once, after
 * runtime.h. */
#ifndef RUNTIME_UPROBES_C
#define RUNTIME_UPROBES_C

#include "uprobes.h"
#include "unwind.h"
#include "context.h"
#include "task_info.c"

/* What the running handler's accessors answer, per CPU slot. */
struct stp_uprobe_hit {
	const struct stp_uprobe *up;
	unsigned long addr;
	unsigned long bias;
	unsigned long ret_to;
};

static struct {
	const struct stp_uprobe *probes;
	unsigned int n;
	struct stp_uprobe_hit *hit;
	stp_atomic_t hits, inserted, removed, ret_missed, ret_dropped, sem_incs, failures;
	stp_atomic_t warned;
#ifdef __KERNEL__
	char (*pathbuf)[PATH_MAX];	/* per CPU, for d_path */
#endif
} stp_ups;

/* Whether task's process is the target or one of its descendants (the
 * platform knows its process tree). */
static bool _stp_uprobe_in_tree(struct task_struct *task);

static bool _stp_uprobe_wanted(const struct stp_uprobe *u, struct task_struct *task)
{
	if (u->pid)
		return stp_task_tgid(task) == u->pid;
	if (!stp_target_pid())
		return true;
	return _stp_uprobe_in_tree(task);
}

/* Runs u's handler for a hit at addr (for a return: the function's entry,
 * and ret_to where it returns). */
static void _stp_uprobe_run(const struct stp_uprobe *u, struct task_struct *task,
			    struct pt_regs *regs, unsigned long addr, unsigned long ret_to)
{
	unsigned int cpu = stp_cpu_get();
	struct stp_uprobe_hit *h = &stp_ups.hit[cpu];

	h->up = u;
	h->addr = addr;
	h->bias = addr - u->vaddr;
	h->ret_to = ret_to;
	stp_atomic_inc_return(&stp_ups.hits);
	stp_probe_run(u->probe, task, regs);
	h->up = NULL;
	stp_cpu_put(cpu);
}

/* A placement failed: counted, and said once per run (a probe that cannot
 * be placed in one process usually cannot in any). */
static void _stp_uprobe_failed(const char *path, unsigned long offset, int err)
{
	stp_atomic_inc_return(&stp_ups.failures);
	if (stp_atomic_xchg(&stp_ups.warned, 1) == 0)
		stp_warn("cannot place a probe at %s+%#lx (error %d)", path, offset, err);
}

static bool _stp_uprobe_valid(const struct stp_uprobe *u)
{
	return u->probe && u->path && u->path[0] == '/' && u->pid >= 0;
}

static bool _stp_uprobe_ret_info(const struct stp_context *c, unsigned long *from,
				 unsigned long *to);

/* The platform's half. */
static int _stp_uprobes_platform_start(void);
static void _stp_uprobes_platform_stop(void);

#ifdef __KERNEL__
#include "linux/uprobes.c"
#else
#include "user/breakpoint.c"
#endif

STP_API int stp_uprobes_start(const struct stp_uprobe *probes, unsigned int n)
{
	unsigned int i;
	int rc;

	if (stp_ups.probes)
		return -EBUSY;
	for (i = 0; i < n; i++)
		if (!_stp_uprobe_valid(&probes[i]))
			return -EINVAL;
	stp_ups.hit = stp_alloc(stp_ncpus() * sizeof(*stp_ups.hit));
	if (!stp_ups.hit)
		return -ENOMEM;
	stp_ups.probes = probes;
	stp_ups.n = n;
	stp_unwind_ret_fixup = stp_uprobe_real_return;
	stp_unwind_ret_info = _stp_uprobe_ret_info;
	rc = _stp_uprobes_platform_start();
	if (rc) {
		stp_free(stp_ups.hit);
		stp_ups.hit = NULL;
		stp_ups.probes = NULL;
		stp_ups.n = 0;
	}
	return rc;
}

STP_API void stp_uprobes_stop(void)
{
	if (!stp_ups.probes)
		return;
	_stp_uprobes_platform_stop();
	stp_free(stp_ups.hit);
	stp_ups.hit = NULL;
	stp_ups.probes = NULL;
	stp_ups.n = 0;
}

STP_API void stp_uprobes_stats(struct stp_uprobe_stats *s)
{
	s->hits = stp_atomic_read(&stp_ups.hits);
	s->inserted = stp_atomic_read(&stp_ups.inserted);
	s->removed = stp_atomic_read(&stp_ups.removed);
	s->ret_missed = stp_atomic_read(&stp_ups.ret_missed);
	s->ret_dropped = stp_atomic_read(&stp_ups.ret_dropped);
	s->sem_incs = stp_atomic_read(&stp_ups.sem_incs);
	s->failures = stp_atomic_read(&stp_ups.failures);
}

static const struct stp_uprobe_hit *_stp_uprobe_hit(const struct stp_context *c)
{
	if (!stp_ups.hit || !stp_ups.hit[c->cpu].up)
		return NULL;
	return &stp_ups.hit[c->cpu];
}

STP_API unsigned long stp_uprobe_bias(const struct stp_context *c)
{
	const struct stp_uprobe_hit *h = _stp_uprobe_hit(c);

	return h ? h->bias : 0;
}

STP_API unsigned long stp_uprobe_addr(const struct stp_context *c)
{
	const struct stp_uprobe_hit *h = _stp_uprobe_hit(c);

	return h ? h->addr : 0;
}

STP_API unsigned long stp_uprobe_ret_addr(const struct stp_context *c)
{
	const struct stp_uprobe_hit *h = _stp_uprobe_hit(c);

	return h ? h->ret_to : 0;
}

static bool _stp_uprobe_ret_info(const struct stp_context *c, unsigned long *from,
				 unsigned long *to)
{
	const struct stp_uprobe_hit *h = _stp_uprobe_hit(c);

	if (!h || !h->ret_to)
		return false;
	*from = h->addr;
	*to = h->ret_to;
	return true;
}

STP_API const struct stp_uprobe *stp_uprobe_current(const struct stp_context *c)
{
	const struct stp_uprobe_hit *h = _stp_uprobe_hit(c);

	return h ? h->up : NULL;
}

#endif
