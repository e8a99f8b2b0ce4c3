/* The ptrace platform's half of runtime/uprobes.h (included by
 * runtime/uprobes.c): the probe table as files and sites, the per-process
 * and per-thread records, and the stop machine's hooks (utrace_int.h's
 * struct ut_bp_hooks): exec, fork, death.  breakpoint_maps.c places the
 * breakpoints, breakpoint_step.c handles hits, breakpoint_ret.c returns. */
#ifndef RUNTIME_USER_BREAKPOINT_C
#define RUNTIME_USER_BREAKPOINT_C

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "breakpoint.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "breakpoint_mem.c"
#include "breakpoint_maps.c"
#include "breakpoint_step.c"
#include "breakpoint_ret.c"

static bool _stp_uprobe_in_tree(struct task_struct *task)
{
	/* The tracer pins the -c/-x target and everything it forks. */
	return task->proc && task->proc->pinned;
}

static struct ut_bp_proc *_ut_bp_proc(pid_t tgid, bool create)
{
	struct ut_bp_proc *p;

	for (p = ut_bp.procs; p; p = p->next)
		if (p->tgid == tgid)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	p->memfd = -1;
	p->next = ut_bp.procs;
	ut_bp.procs = p;
	return p;
}

static void _ut_bp_proc_free(struct ut_bp_proc *p)
{
	struct ut_bp_proc **pp;

	for (pp = &ut_bp.procs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	if (p->memfd >= 0)
		close(p->memfd);
	free(p->ins);
	free(p->sems);
	free(p->gone);
	free(p);
}

static struct ut_bp_thread *_ut_bp_thread(struct task_struct *t, bool create)
{
	struct ut_bp_thread *bt;

	for (bt = ut_bp.threads; bt; bt = bt->next)
		if (bt->task == t)
			return bt;
	if (!create)
		return NULL;
	bt = calloc(1, sizeof(*bt));
	if (!bt)
		return NULL;
	bt->tid = t->tid;
	bt->task = t;
	stp_task_get(t);
	bt->next = ut_bp.threads;
	ut_bp.threads = bt;
	return bt;
}

static void _ut_bp_thread_free(struct ut_bp_thread *bt)
{
	struct ut_bp_thread **pp;

	for (pp = &ut_bp.threads; *pp; pp = &(*pp)->next) {
		if (*pp == bt) {
			*pp = bt->next;
			break;
		}
	}
	stp_task_put(bt->task);
	free(bt);
}

/* ---- hooks ---- */

static void _ut_bp_exec(struct task_struct *t)
{
	struct ut_bp_proc *p = _ut_bp_proc(stp_task_tgid(t), true);
	struct ut_bp_thread *bt;

	if (!p)
		return;
	/* The old image's threads, breakpoints and returns went with it. */
	for (bt = ut_bp.threads; bt; bt = bt->next) {
		if (bt->task && stp_task_tgid(bt->task) == p->tgid) {
			bt->state = UT_BPT_NONE;
			bt->frozen = false;
			bt->wnext = NULL;
			bt->nrets = 0;
			bt->tid = bt->task->tid;
		}
	}
	p->stepper = NULL;
	p->waiters = NULL;
	p->freezing = false;
	p->nins = p->nsems = p->ngone = 0;
	if (_ut_bp_mem_open(p) == 0 && ut_bp.armed)
		_ut_bp_sync(p, t);
}

/* Whether any breakpoint of p is for the child. */
static bool _ut_bp_child_wanted(struct ut_bp_proc *p, struct task_struct *child)
{
	int i;

	for (i = 0; i < p->nins; i++)
		if (p->ins[i].kind == UT_BP_PROBE &&
		    _ut_bp_site_wanted(&ut_bp.sites[p->ins[i].site], child))
			return true;
	return false;
}

static void _ut_bp_fork(struct stp_proc *parent, struct task_struct *child, unsigned long flags)
{
	struct ut_bp_proc *pp = parent ? _ut_bp_proc(parent->tgid, false) : NULL, *cp;
	struct ut_bp_thread *pt = NULL, *ct, *bt;
	int i;

	if (!pp || !pp->nins)
		return;
	cp = _ut_bp_proc(child->tid, true);
	if (!cp || _ut_bp_mem_open(cp) < 0)
		return;
	cp->ins = malloc((size_t)pp->nins * sizeof(*cp->ins));
	cp->sems = malloc((size_t)(pp->nsems ? pp->nsems : 1) * sizeof(*cp->sems));
	if (!cp->ins || !cp->sems)
		return;
	memcpy(cp->ins, pp->ins, (size_t)pp->nins * sizeof(*cp->ins));
	memcpy(cp->sems, pp->sems, (size_t)pp->nsems * sizeof(*cp->sems));
	cp->nins = cp->capins = pp->nins;
	cp->nsems = cp->capsems = pp->nsems;
	/* The forking thread's pending returns are on the child's stack too. */
	for (bt = ut_bp.threads; bt; bt = bt->next)
		if (bt->task && bt->task->proc == parent && bt->task->stop == UT_STOP_EVENT &&
		    bt->nrets)
			pt = bt;
	ct = pt ? _ut_bp_thread(child, true) : NULL;
	if (ct) {
		memcpy(ct->rets, pt->rets, (size_t)pt->nrets * sizeof(pt->rets[0]));
		ct->nrets = pt->nrets;
	}
	if (flags & CLONE_VM)
		return;		/* the same memory: nothing to take out */
	if (_ut_bp_child_wanted(cp, child))
		return;
	/* Not a target: the copied int3s and return addresses come out. */
	if (ct)
		_ut_bp_ret_restore(ct, cp);
	for (i = 0; i < cp->nins; i++)
		_ut_bp_uninsert(cp, &cp->ins[i]);
	for (i = 0; i < cp->nsems; i++)
		_ut_bp_sem_sub(cp, &cp->sems[i]);
	cp->nins = cp->nsems = 0;
	if (ct)
		ct->nrets = 0;
}

static void _ut_bp_died(struct task_struct *t)
{
	struct ut_bp_thread *bt = _ut_bp_thread(t, false);
	struct ut_bp_proc *p = _ut_bp_proc(stp_task_tgid(t), false);
	struct task_struct *u;

	if (bt) {
		_ut_bp_thread_gone(bt);
		_ut_bp_thread_free(bt);
	}
	if (!p)
		return;
	for (u = t->proc ? t->proc->threads : NULL; u; u = u->proc_next) {
		if (u != t && !u->dead) {
			/* A waiter may have been waiting for this one to stop. */
			_ut_bp_try_next(p);
			return;
		}
	}
	_ut_bp_proc_free(p);
}

static const struct ut_bp_hooks _ut_bp_hooks = {
	.signal_stop = _ut_bp_signal_stop,
	.resume = _ut_bp_resume,
	.exec = _ut_bp_exec,
	.fork = _ut_bp_fork,
	.died = _ut_bp_died,
};

/* ---- the table ---- */

static int _ut_bp_file_index(const char *path)
{
	struct stat st;
	int f;

	for (f = 0; f < ut_bp.nfiles; f++)
		if (!strcmp(ut_bp.files[f].path, path))
			return f;
	if (stat(path, &st) < 0)
		return -ENOENT;
	f = ut_bp.nfiles++;
	ut_bp.files[f].path = path;
	ut_bp.files[f].dev = makedev(major(st.st_dev), minor(st.st_dev));
	ut_bp.files[f].ino = st.st_ino;
	return f;
}

static int _ut_bp_build(void)
{
	unsigned int i, k = 0, n = stp_ups.n ? stp_ups.n : 1;
	int s, f;

	ut_bp.files = calloc(n, sizeof(*ut_bp.files));
	ut_bp.sites = calloc(n, sizeof(*ut_bp.sites));
	ut_bp.order = calloc(n, sizeof(*ut_bp.order));
	if (!ut_bp.files || !ut_bp.sites || !ut_bp.order)
		return -ENOMEM;
	for (i = 0; i < stp_ups.n; i++) {
		const struct stp_uprobe *u = &stp_ups.probes[i];

		f = _ut_bp_file_index(u->path);
		if (f < 0)
			return f;
		for (s = 0; s < ut_bp.nsites; s++)
			if (ut_bp.sites[s].file == f && ut_bp.sites[s].offset == u->offset)
				break;
		if (s == ut_bp.nsites) {
			ut_bp.sites[s].file = f;
			ut_bp.sites[s].offset = u->offset;
			ut_bp.sites[s].vaddr = u->vaddr;
			ut_bp.nsites++;
		}
		ut_bp.sites[s].n++;
		if (u->ret)
			ut_bp.sites[s].has_ret = true;
		else
			ut_bp.sites[s].has_entry = true;
	}
	/* Probes grouped by site, in table order within a site. */
	for (s = 0; s < ut_bp.nsites; s++) {
		ut_bp.sites[s].first = k;
		for (i = 0; i < stp_ups.n; i++) {
			const struct stp_uprobe *u = &stp_ups.probes[i];

			if (!strcmp(u->path, ut_bp.files[ut_bp.sites[s].file].path) &&
			    u->offset == ut_bp.sites[s].offset)
				ut_bp.order[k++] = i;
		}
	}
	return 0;
}

static void _ut_bp_free_table(void)
{
	free(ut_bp.files);
	free(ut_bp.sites);
	free(ut_bp.order);
	ut_bp.files = NULL;
	ut_bp.sites = NULL;
	ut_bp.order = NULL;
	ut_bp.nfiles = ut_bp.nsites = 0;
}

static int _stp_uprobes_platform_start(void)
{
	struct stp_proc *sp;
	int rc;

	rc = _ut_bp_build();
	if (rc) {
		_ut_bp_free_table();
		return rc;
	}
	ut_bp.armed = true;
	ut_bp_hooks = &_ut_bp_hooks;
	/* Processes traced already (-x, or a -c command not released yet,
	 * whose image is still the tracer's: its exec places them). */
	for (sp = ut_procs; sp; sp = sp->next) {
		struct task_struct *t = ut_task_find(sp->tgid);
		struct ut_bp_proc *p;

		if (!t || t->dead || t->prelude || t->spawn_hold)
			continue;
		p = _ut_bp_proc(sp->tgid, true);
		if (p)
			_ut_bp_sync(p, t);
	}
	return 0;
}

/* Everything comes out while the processes may be running; the hooks stay
 * (ut_bp.armed false: no handler runs) for traps and returns already on
 * their way, until the tracer lets the processes go. */
static void _stp_uprobes_platform_stop(void)
{
	struct ut_bp_proc *p;
	struct ut_bp_thread *bt;

	ut_bp.armed = false;
	for (p = ut_bp.procs; p; p = p->next) {
		_ut_bp_remove_all(p);
		p->stepper = NULL;
		p->waiters = NULL;
	}
	for (bt = ut_bp.threads; bt; bt = bt->next) {
		p = bt->task ? _ut_bp_proc(stp_task_tgid(bt->task), false) : NULL;
		if (p)
			_ut_bp_ret_restore(bt, p);
		/* A stepping thread has the original byte already; a waiting
		 * one runs it from the probed address. */
		bt->state = UT_BPT_NONE;
		bt->wnext = NULL;
	}
	for (p = ut_bp.procs; p; p = p->next)
		_ut_bp_unfreeze(p);
	/* Draining needs the records, not the table (no handler runs). */
	_ut_bp_free_table();
}

STP_API unsigned long stp_uprobe_real_return(struct task_struct *t, unsigned long slot)
{
	return t ? _ut_bp_ret_real(t->tid, slot) : 0;
}

STP_API unsigned long stp_uprobe_module_bias(const char *path, int *ok)
{
	char mpath[64], line[4352], mp[4096];
	unsigned long start, end, pgoff, bias = 0;
	struct task_struct *t = ut_current;
	int n;
	FILE *fp;

	*ok = 0;
	if (!t)
		return 0;
	/* The thread's own view: a leader that exited has no maps left. */
	snprintf(mpath, sizeof(mpath), "/proc/%d/maps", (int)t->tid);
	fp = fopen(mpath, "re");
	if (!fp)
		return 0;
	/* File offset 0 is mapped at the lowest PT_LOAD's page plus the bias. */
	while (fgets(line, sizeof(line), fp)) {
		n = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*x:%*x %*u %n", &start, &end, &pgoff, &n) < 3 ||
		    n <= 0 || line[n] != '/' || pgoff != 0)
			continue;
		snprintf(mp, sizeof(mp), "%s", line + n);
		mp[strcspn(mp, "\n")] = '\0';
		if (!strcmp(mp, path)) {
			bias = start - _ut_elf_lowest(path);
			*ok = 1;
			break;
		}
	}
	fclose(fp);
	return bias;
}

#endif
