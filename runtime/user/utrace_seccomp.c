/* Which syscalls the probes want, and the seccomp filter that makes a -c
 * target stop at those only (SECCOMP_RET_TRACE -> PTRACE_EVENT_SECCOMP).
 *
 * A filter can never be removed or loosened, so each installed filter is
 * an immutable snapshot of the want set at release time.  A thread runs in
 * "seccomp mode" while its filter covers the current want set; otherwise
 * it falls back to PTRACE_SYSCALL like any attached thread. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static struct stp_filter ut_want = { .all = true };
static bool ut_want_explicit;	/* the platform said which syscalls it wants */
static bool ut_seccomp_enabled = true;
static int ut_seccomp_avail = -1;	/* -1: not probed yet */
static const struct stp_filter *ut_last_filter;

static bool ut_bit(const struct stp_filter *f, long nr)
{
	return f->bits[nr / 8] & (1u << (nr % 8));
}

static bool ut_want_empty(void)
{
	size_t i;

	if (ut_want.all)
		return false;
	for (i = 0; i < sizeof(ut_want.bits); i++)
		if (ut_want.bits[i])
			return false;
	return true;
}

static void ut_kick_all(void)
{
	struct stp_proc *p;
	struct task_struct *t;

	for (p = ut_procs; p; p = p->next)
		for (t = p->threads; t; t = t->proc_next)
			if (t->events & UTRACE_EVENT_SYSCALL)
				ut_kick(t);
}

int stp_user_want_syscalls(const int *nrs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (nrs[i] < 0 || nrs[i] >= UT_NR_MAX)
			return -EINVAL;
	ut_want_explicit = true;
	memset(ut_want.bits, 0, sizeof(ut_want.bits));
	ut_want.all = n < 0;
	for (i = 0; i < n; i++)
		ut_want.bits[nrs[i] / 8] |= (unsigned char)(1u << (nrs[i] % 8));
	/* Threads whose filter no longer covers the set must fall back. */
	ut_kick_all();
	return 0;
}

bool ut_syscall_wanted(long nr)
{
	if (ut_want.all)
		return true;
	if (nr < 0 || nr >= UT_NR_MAX)
		return false;
	return ut_bit(&ut_want, nr);
}

static bool ut_seccomp_available(void)
{
	unsigned int action = SECCOMP_RET_TRACE;

	if (ut_seccomp_avail < 0)
		ut_seccomp_avail = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
	return ut_seccomp_avail;
}

bool stp_user_use_seccomp(bool on)
{
	ut_seccomp_enabled = on;
	return ut_seccomp_on();
}

bool ut_seccomp_on(void)
{
	return ut_seccomp_enabled && ut_seccomp_available();
}

static bool ut_covers(const struct stp_filter *f, const struct stp_filter *want)
{
	size_t i;

	if (f->all)
		return true;
	if (want->all)
		return false;
	for (i = 0; i < sizeof(f->bits); i++)
		if (want->bits[i] & ~f->bits[i])
			return false;
	return true;
}

bool ut_seccomp_mode(const struct task_struct *t)
{
	const struct stp_filter *f = t->proc ? t->proc->filter : NULL;

	return f && ut_covers(f, &ut_want);
}

/* The filter for a target released now, or NULL for none: no filter when
 * seccomp is off, the platform never said what it wants (it may want
 * everything, and then a filter only adds stops), or it wants nothing. */
const struct stp_filter *ut_filter_snapshot(void)
{
	struct stp_filter f = ut_want, *copy;

	if (!ut_seccomp_on() || !ut_want_explicit || ut_want_empty())
		return NULL;
	/* clone and clone3 always stop: a CLONE_UNTRACED child would inherit
	 * the filter without a tracer, and every filtered syscall it made
	 * would fail with ENOSYS (see ut_untraced_clone). */
	f.bits[__NR_clone / 8] |= 1u << (__NR_clone % 8);
	f.bits[__NR_clone3 / 8] |= 1u << (__NR_clone3 % 8);
	if (ut_last_filter && !memcmp(ut_last_filter, &f, sizeof(f)))
		return ut_last_filter;
	/* Kept for the tracer's life: threads hold on to their filter. */
	copy = malloc(sizeof(*copy));
	if (!copy)
		return NULL;
	*copy = f;
	ut_last_filter = copy;
	return copy;
}

/* At a seccomp stop of a filtered thread: a clone asking for an untraced
 * child gets a traced one instead.  Untraced, the child would keep the
 * filter with no tracer to answer it, and hang or crash on ENOSYS; traced,
 * it runs (a debugger-like child that wanted to ptrace its parent gets
 * EPERM, as under any tracer). */
void ut_untraced_clone(struct task_struct *t)
{
	struct user_regs_struct *r = &t->regs.uregs;
	unsigned long long flags;
	struct iovec local, remote;

	if (!t->regs_valid)
		return;
	if ((long)r->orig_rax == __NR_clone && (r->rdi & CLONE_UNTRACED)) {
		r->rdi &= ~(unsigned long long)CLONE_UNTRACED;
		t->regs_dirty = true;
	} else if ((long)r->orig_rax == __NR_clone3 &&
		   stp_task_read(t, &flags, r->rdi, sizeof(flags)) == 0 &&
		   (flags & CLONE_UNTRACED)) {
		flags &= ~(unsigned long long)CLONE_UNTRACED;
		local.iov_base = &flags;
		local.iov_len = sizeof(flags);
		remote.iov_base = (void *)r->rdi;
		remote.iov_len = sizeof(flags);
		process_vm_writev(t->tid, &local, 1, &remote, 1, 0);
	}
}

/* A thread met without its parent: if the kernel says it runs under a
 * filter, it is one of ours (only -c targets get one). */
const struct stp_filter *ut_filter_guess(pid_t tid)
{
	int mode = 0;

	if (!ut_last_filter || ut_read_proc_status(tid, NULL, NULL, NULL, &mode) < 0)
		return NULL;
	return mode == SECCOMP_MODE_FILTER ? ut_last_filter : NULL;
}

/* Writes the BPF program for f into prog (max instructions); returns the
 * count or -E2BIG.  Each range of wanted numbers costs three instructions
 * and jumps only locally, so no jump offset can overflow its 8 bits. */
int ut_filter_program(const struct stp_filter *f, void *prog, int max)
{
	struct sock_filter *p = prog;
	int n = 0;
	long lo, hi;

#define UT_EMIT(code, k, jt, jf) do {						\
		if (n >= max)							\
			return -E2BIG;						\
		p[n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);		\
	} while (0)

	if (f->all) {
		UT_EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
		return n;
	}
	/* Numbers mean other syscalls under another ABI (int 0x80): those
	 * pass, unreported. */
	UT_EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	UT_EMIT(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	UT_EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
	UT_EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	for (lo = 0; lo < UT_NR_MAX; lo = hi + 1) {
		if (!ut_bit(f, lo)) {
			hi = lo;
			continue;
		}
		for (hi = lo; hi + 1 < UT_NR_MAX && ut_bit(f, hi + 1); hi++)
			;
		if (lo == hi) {
			UT_EMIT(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)lo, 0, 1);
		} else {
			UT_EMIT(BPF_JMP | BPF_JGE | BPF_K, (unsigned int)lo, 0, 2);
			UT_EMIT(BPF_JMP | BPF_JGT | BPF_K, (unsigned int)hi, 1, 0);
		}
		UT_EMIT(BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	}
	UT_EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
#undef UT_EMIT
	return n;
}
