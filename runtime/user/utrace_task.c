/* Traced threads and processes: the tid table, thread groups, struct pid,
 * and the task accessors runtime/utrace.h promises (pid, comm, exe path,
 * syscall registers, user memory). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#define UT_HASH_SIZE 1024

static struct task_struct *ut_hash[UT_HASH_SIZE];
struct stp_proc *ut_procs;
int ut_nthreads;

static unsigned int ut_hashfn(pid_t tid)
{
	return (unsigned int)tid % UT_HASH_SIZE;
}

struct task_struct *ut_task_find(pid_t tid)
{
	struct task_struct *t;

	for (t = ut_hash[ut_hashfn(tid)]; t; t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void ut_hash_add(struct task_struct *t)
{
	struct task_struct **head = &ut_hash[ut_hashfn(t->tid)];

	t->hash_next = *head;
	*head = t;
}

static void ut_hash_del(struct task_struct *t)
{
	struct task_struct **pp;

	for (pp = &ut_hash[ut_hashfn(t->tid)]; *pp; pp = &(*pp)->hash_next) {
		if (*pp == t) {
			*pp = t->hash_next;
			t->hash_next = NULL;
			return;
		}
	}
}

struct task_struct *ut_task_new(pid_t tid)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t) {
		/* The tracer cannot follow a thread it has no record of, and
		 * limping on would lose events silently. */
		fprintf(stderr, "stap: out of memory tracing thread %d\n", (int)tid);
		abort();
	}
	t->tid = tid;
	t->refs = 1;		/* the table's */
	t->state = UT_TS_NEW;
	t->sys_nr = -1;
	t->last_req = -1;
	ut_hash_add(t);
	ut_nthreads++;
	return t;
}

void ut_task_rekey(struct task_struct *t, pid_t tid)
{
	ut_hash_del(t);
	t->tid = tid;
	ut_hash_add(t);
}

static void ut_proc_del_thread(struct task_struct *t)
{
	struct stp_proc *p = t->proc;
	struct task_struct **pp;

	if (!p)
		return;
	for (pp = &p->threads; *pp; pp = &(*pp)->proc_next) {
		if (*pp == t) {
			*pp = t->proc_next;
			break;
		}
	}
	t->proc_next = NULL;
	p->nthreads--;
	if (!t->exit_reported)
		p->live--;
}

void ut_task_forget(struct task_struct *t)
{
	ut_hash_del(t);
	ut_proc_del_thread(t);
	ut_nthreads--;
	t->reaped = true;
	stp_task_put(t);
}

void stp_task_get(struct task_struct *t)
{
	t->refs++;
}

void stp_task_put(struct task_struct *t)
{
	if (--t->refs > 0)
		return;
	/* The proc pointer may outlive its process: nothing reads it once
	 * the task is reaped. */
	free(t);
}

struct stp_proc *ut_proc_find(pid_t tgid)
{
	struct stp_proc *p;

	for (p = ut_procs; p; p = p->next)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

struct stp_proc *ut_proc_new(pid_t tgid)
{
	struct stp_proc *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "stap: out of memory tracing process %d\n", (int)tgid);
		abort();
	}
	p->tgid = tgid;
	p->exit_signal = SIGCHLD;
	p->spawn_errfd = -1;
	p->spawn_cfgfd = -1;
	p->next = ut_procs;
	ut_procs = p;
	return p;
}

void ut_proc_add(struct stp_proc *p, struct task_struct *t)
{
	t->proc = p;
	t->proc_next = p->threads;
	p->threads = t;
	p->nthreads++;
	if (!t->exit_reported)
		p->live++;
}

void ut_proc_free(struct stp_proc *p)
{
	struct stp_proc **pp;
	struct task_struct *t;

	for (pp = &ut_procs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	/* Tasks still referenced elsewhere must not reach freed memory. */
	for (t = p->threads; t; t = t->proc_next)
		t->proc = NULL;
	if (p->spawn_errfd >= 0)
		close(p->spawn_errfd);
	if (p->spawn_cfgfd >= 0)
		close(p->spawn_cfgfd);
	free(p->exe);
	free(p);
}

void ut_task_changed_image(struct task_struct *t)
{
	t->comm_valid = false;
	if (t->proc) {
		free(t->proc->exe);
		t->proc->exe = NULL;
	}
}

int ut_regs_fetch(struct task_struct *t)
{
	if (t->regs_valid)
		return 0;
	if (t->state != UT_TS_STOPPED)
		return -ESRCH;
	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &t->regs.uregs) < 0)
		return -errno;
	t->regs_valid = true;
	return 0;
}

int ut_regs_flush(struct task_struct *t)
{
	if (!t->regs_dirty)
		return 0;
	t->regs_dirty = false;
	if (ptrace(PTRACE_SETREGS, t->tid, 0L, &t->regs.uregs) < 0)
		return -errno;
	return 0;
}

/* Reads a few fields of /proc/TID/status; any pointer may be NULL. */
int ut_read_proc_status(pid_t tid, pid_t *tgid, pid_t *ppid, pid_t *tracer, int *seccomp)
{
	char path[64], line[256];
	FILE *f;
	int v;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		if (tgid && sscanf(line, "Tgid: %d", &v) == 1)
			*tgid = v;
		else if (ppid && sscanf(line, "PPid: %d", &v) == 1)
			*ppid = v;
		else if (tracer && sscanf(line, "TracerPid: %d", &v) == 1)
			*tracer = v;
		else if (seccomp && sscanf(line, "Seccomp: %d", &v) == 1)
			*seccomp = v;
	}
	fclose(f);
	return 0;
}

/* ---- struct pid ---- */

struct pid *find_get_pid(pid_t nr)
{
	char path[64];
	struct pid *pid;

	if (nr <= 0)
		return NULL;
	if (!ut_task_find(nr)) {
		/* /proc/TID exists for every thread, listed or not. */
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)nr);
		if (access(path, F_OK) < 0)
			return NULL;
	}
	pid = malloc(sizeof(*pid));
	if (!pid)
		return NULL;
	pid->nr = nr;
	pid->count = 1;
	return pid;
}

void put_pid(struct pid *pid)
{
	if (pid && --pid->count == 0)
		free(pid);
}

/* ---- accessors (runtime/utrace.h) ---- */

struct task_struct *stp_current_task(void)
{
	return ut_current;
}

pid_t stp_task_tgid(struct task_struct *t)
{
	return t->proc ? t->proc->tgid : t->tid;
}

pid_t stp_task_tid(struct task_struct *t)
{
	return t->tid;
}

pid_t stp_task_ppid(struct task_struct *t)
{
	pid_t ppid = 0;

	/* Read each time: a parent's death reparents without any event. */
	ut_read_proc_status(stp_task_tgid(t), NULL, &ppid, NULL, NULL);
	return ppid;
}

int stp_task_exe_path(struct task_struct *t, char *buf, size_t len)
{
	struct stp_proc *p = t->proc;
	char path[64], target[4096];
	ssize_t n;

	if (!len)
		return -EINVAL;
	if (!p || !p->exe) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)stp_task_tgid(t));
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		if (!p)
			goto copy;
		p->exe = strdup(target);
		if (!p->exe)
			return -ENOMEM;
	}
	snprintf(target, sizeof(target), "%s", p->exe);
copy:
	if (strlen(target) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, target);
	return 0;
}

void stp_task_comm(struct task_struct *t, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	if (!len)
		return;
	/* Cached until exec: prctl(PR_SET_NAME) changes it without any ptrace
	 * event, and reading /proc at every execname() would cost three
	 * syscalls per probe hit. */
	if (!t->comm_valid) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm",
			 (int)stp_task_tgid(t), (int)t->tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, t->comm, sizeof(t->comm) - 1);
		if (fd >= 0)
			close(fd);
		if (n < 0)
			n = 0;
		t->comm[n] = '\0';
		if (n > 0 && t->comm[n - 1] == '\n')
			t->comm[n - 1] = '\0';
		t->comm_valid = n > 0;
	}
	snprintf(buf, len, "%s", t->comm);
}

int stp_for_each_process(int (*fn)(struct task_struct *t, void *data), void *data)
{
	struct stp_proc *p;
	struct task_struct *t;
	int ret;

	for (p = ut_procs; p; p = p->next) {
		t = ut_task_find(p->tgid);
		if (!t || t->proc != p || t->dead)
			continue;
		ret = fn(t, data);
		if (ret)
			return ret;
	}
	return 0;
}

long stp_syscall_nr(struct task_struct *t, struct pt_regs *regs)
{
	if (t && t->stop == UT_STOP_SYSCALL_EXIT && t->sys_nr >= 0 && regs == &t->regs)
		return t->sys_nr;
	return (long)regs->uregs.orig_rax;
}

void stp_syscall_args(struct task_struct *t, struct pt_regs *regs, unsigned long args[6])
{
	const struct user_regs_struct *r = &regs->uregs;

	args[0] = r->rdi;
	args[1] = r->rsi;
	args[2] = r->rdx;
	args[3] = r->r10;
	args[4] = r->r8;
	args[5] = r->r9;
}

long stp_syscall_return(struct task_struct *t, struct pt_regs *regs)
{
	return (long)regs->uregs.rax;
}

struct pt_regs *stp_task_regs(struct task_struct *t)
{
	if (ut_regs_fetch(t) < 0)
		return NULL;
	return &t->regs;
}

int stp_task_read(struct task_struct *t, void *dst, unsigned long src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)src, n };

	if (!n)
		return 0;
	if (process_vm_readv(t->tid, &local, 1, &remote, 1, 0) != (ssize_t)n)
		return -EFAULT;
	return 0;
}

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	if (!ut_current)
		return -EFAULT;
	return stp_task_read(ut_current, dst, src, n);
}

int stp_user_traced_threads(void)
{
	return ut_nthreads;
}
