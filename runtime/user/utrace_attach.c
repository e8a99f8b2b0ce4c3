/* Attaching to running processes (-x, utrace_attach_pid) and letting
 * everything go at the end.
 *
 * PTRACE_SEIZE leaves a thread running, so attaching disturbs nothing
 * until an engine asks for something.  When the kernel says no, the
 * message says why: another tracer, Yama's ptrace_scope, or credentials. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define UT_CAP_SYS_PTRACE 19

const char *ut_yama_scope_path = "/proc/sys/kernel/yama/ptrace_scope";

struct task_struct *ut_seize_thread(pid_t tid, int *err)
{
	struct task_struct *t;
	struct stp_proc *p;
	pid_t tgid = 0, tracer = 0;
	int r;

	r = ut_read_proc_status(tid, &tgid, NULL, &tracer, NULL);
	if (r < 0) {
		*err = r;
		return NULL;
	}
	if (tracer && tracer != getpid()) {
		*err = -EPERM;
		return NULL;
	}
	if (ptrace(PTRACE_SEIZE, tid, 0L, (long)UT_PTRACE_OPTIONS) < 0) {
		*err = -errno;
		return NULL;
	}
	t = ut_task_new(tid);
	/* Seized threads run on as if resumed with PTRACE_CONT. */
	t->state = UT_TS_RUNNING;
	t->last_req = PTRACE_CONT;
	p = ut_proc_find(tgid);
	if (!p)
		p = ut_proc_new(tgid);
	ut_proc_add(p, t);
	return t;
}

static int ut_read_int_file(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static bool ut_have_cap(int cap)
{
	char line[256];
	unsigned long long caps = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps & (1ULL << cap);
}

static void ut_comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(buf, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static uid_t ut_uid_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0 ? st.st_uid : (uid_t)-1;
}

/* The reason an attach failed with EPERM, as one clause.  scope is Yama's
 * ptrace_scope (-1: no Yama); cap whether we hold CAP_SYS_PTRACE. */
void ut_eperm_reason(char *buf, size_t len, int scope, bool cap, bool other_user)
{
	switch (scope) {
	case 3:
		snprintf(buf, len, "kernel.yama.ptrace_scope is 3: attaching is disabled "
			 "(use -c to start the program instead)");
		return;
	case 2:
		if (!cap) {
			snprintf(buf, len, "kernel.yama.ptrace_scope is 2: only processes with "
				 "CAP_SYS_PTRACE may attach (run stap as root)");
			return;
		}
		break;
	case 1:
		if (!cap) {
			snprintf(buf, len, "kernel.yama.ptrace_scope is 1: only a parent may "
				 "trace its descendants (run stap as root, use -c, or set "
				 "kernel.yama.ptrace_scope to 0)");
			return;
		}
		break;
	default:
		break;
	}
	if (other_user && !cap)
		snprintf(buf, len, "it belongs to another user (run stap as root)");
	else
		snprintf(buf, len, "%s", strerror(EPERM));
}

static int ut_attach_error(char *err, size_t len, pid_t pid, int e)
{
	char reason[256], comm[64];
	pid_t tracer = 0;

	if (e == -EPERM) {
		ut_read_proc_status(pid, NULL, NULL, &tracer, NULL);
		if (tracer && tracer != getpid()) {
			ut_comm_of(tracer, comm, sizeof(comm));
			snprintf(reason, sizeof(reason),
				 "it is already traced by process %d (%s)", (int)tracer, comm);
		} else {
			ut_eperm_reason(reason, sizeof(reason), ut_read_int_file(ut_yama_scope_path),
					ut_have_cap(UT_CAP_SYS_PTRACE),
					ut_uid_of(pid) != geteuid());
		}
	} else if (e == -ESRCH) {
		snprintf(reason, sizeof(reason), "no such process");
	} else {
		snprintf(reason, sizeof(reason), "%s", strerror(-e));
	}
	if (err && len)
		snprintf(err, len, "cannot trace process %d: %s", (int)pid, reason);
	return e;
}

/* Seizes every thread of tgid not traced yet; returns how many, or
 * -errno.  Threads created meanwhile by unseized threads are missed, so
 * the caller repeats until a pass finds none. */
static int ut_seize_threads(pid_t tgid, int *err_tid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0, e;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	d = opendir(path);
	if (!d)
		return -ESRCH;
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid <= 0 || ut_task_find(tid))
			continue;
		if (ut_seize_thread(tid, &e)) {
			n++;
		} else if (e != -ESRCH) {
			*err_tid = tid;
			n = e;
			break;
		}
	}
	closedir(d);
	return n;
}

int stp_user_attach(pid_t pid, char *err, size_t errlen)
{
	struct stp_proc *p;
	struct task_struct *t;
	pid_t tgid = 0, tracer = 0;
	int r, err_tid = pid;

	if (err && errlen)
		err[0] = '\0';
	r = stp_user_tracer_init();
	if (r < 0)
		return ut_attach_error(err, errlen, pid, r);
	if (pid <= 0 || ut_read_proc_status(pid, &tgid, NULL, &tracer, NULL) < 0)
		return ut_attach_error(err, errlen, pid, -ESRCH);
	if (tgid == getpid()) {
		if (err && errlen)
			snprintf(err, errlen, "cannot trace process %d: it is the tracer itself",
				 (int)pid);
		return -EINVAL;
	}
	if (tracer && tracer != getpid())
		return ut_attach_error(err, errlen, pid, -EPERM);
	do {
		r = ut_seize_threads(tgid, &err_tid);
	} while (r > 0);
	p = ut_proc_find(tgid);
	if (r < 0) {
		if (p) {
			/* Let go of the threads already seized. */
			p->pinned = false;
			for (t = p->threads; t; t = t->proc_next)
				ut_kick(t);
		}
		return ut_attach_error(err, errlen, err_tid, r);
	}
	if (!p)
		return ut_attach_error(err, errlen, pid, -ESRCH);
	p->pinned = true;
	p->target = true;
	return 0;
}

/* A -c target never released never ran its command: it does not start
 * now either. */
static void ut_kill_held_targets(void)
{
	struct stp_proc *p, *next;
	int status;

	for (p = ut_procs; p; p = next) {
		struct task_struct *t = ut_task_find(p->tgid);

		next = p->next;
		if (!t || !t->spawn_hold)
			continue;
		kill(t->tid, SIGKILL);
		/* It may still make its PTRACE_EVENT_EXIT stop on the way. */
		while (waitpid(t->tid, &status, __WALL) == t->tid && WIFSTOPPED(status))
			ptrace(PTRACE_CONT, t->tid, 0L, 0L);
		ut_task_died(t, status);
	}
}

static bool ut_any_detachable(void)
{
	struct stp_proc *p;
	struct task_struct *t;

	for (p = ut_procs; p; p = p->next)
		for (t = p->threads; t; t = t->proc_next)
			if (!ut_keep_traced(t))
				return true;
	return false;
}

int stp_user_detach_all(void)
{
	struct stp_proc *p;
	struct task_struct *t;

	ut_detaching_all = true;
	ut_claim_all_orphans();
	for (p = ut_procs; p; p = p->next) {
		p->pinned = false;
		for (t = p->threads; t; t = t->proc_next) {
			/* A -c target never released never ran its command:
			 * it does not start now either. */
			ut_detach_engines(t);
			ut_kick(t);
		}
	}
	ut_kill_held_targets();
	ut_process_kicks();
	while (ut_any_detachable())
		if (ut_wait_one(true) < 0)
			break;
	ut_detaching_all = false;
	return ut_nthreads;
}
