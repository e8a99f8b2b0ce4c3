/* The tracer's event loop: waitpid events, watched fds and timers on one
 * thread.
 *
 * A tracee stop costs two context switches and the tracer's syscalls, so
 * the loop blocks where strace does, in one wait4 per stop -- no poll, no
 * signalfd read, no peek.  Watched fds (O_ASYNC, owned by this thread)
 * and the timer (a POSIX timer aimed at this thread) raise SIGIO instead.
 * The wake-up test and the wait4 are one stretch of code the handler
 * knows (ut_wait4, below): a SIGIO that lands after the test but before
 * the kernel has taken the wait moves the thread out of the stretch, one
 * that lands during the wait restarts at the syscall instruction and is
 * moved out the same way, and one that lands after wait4 returned leaves
 * the reaped event in place.  So nothing is lost either way, as with
 * musl's cancellation points.  With no tracee at all (wait has nothing to
 * wait for) the loop sleeps in ppoll on the fds instead. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define UT_WAKE_SIG SIGIO

sigset_t ut_orig_sigmask;
bool ut_loop_ready;
static bool ut_exit_requested;
static int ut_exit_code;
static struct stp_user_hooks ut_hooks;
static pid_t ut_tid;

static volatile sig_atomic_t ut_wake_pending;

struct ut_watch {
	int fd;
	short events;
	bool dead;
	int old_flags;
	stp_user_fd_fn fn;
	void *data;
};
static struct ut_watch *ut_watches;
static int ut_nwatches, ut_watch_cap;
static struct pollfd *ut_pollfds;

struct ut_timer {
	struct ut_timer *next;
	int id;
	bool dead;
	uint64_t due, period;
	stp_user_timer_fn fn;
	void *data;
};
static struct ut_timer *ut_timers;
static int ut_timer_ids;
static timer_t ut_posix_timer;
static uint64_t ut_armed_for;	/* the deadline the POSIX timer is set to, 0: none */

/* long ut_wait4(volatile sig_atomic_t *pending, int *status): 0 when
 * *pending was set, else wait4(-1, status, __WALL, NULL) as the raw
 * syscall returns it (a pid, or -errno). */
extern const char ut_wait4_test[], ut_wait4_syscall[], ut_wait4_woken[];
long ut_wait4(volatile sig_atomic_t *pending, int *status);
__asm__(
	".text\n"
	".p2align 4\n"
	".type ut_wait4, @function\n"
	"ut_wait4:\n"
	"ut_wait4_test:\n"
	"	movl (%rdi), %eax\n"
	"	testl %eax, %eax\n"
	"	jnz ut_wait4_woken\n"
	"	movq $-1, %rdi\n"
	"	movl $0x40000000, %edx\n"	/* __WALL */
	"	xorl %r10d, %r10d\n"
	"	movl $61, %eax\n"		/* __NR_wait4 */
	"ut_wait4_syscall:\n"
	"	syscall\n"
	"	ret\n"
	"ut_wait4_woken:\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	".size ut_wait4, .-ut_wait4\n");

static void ut_wake(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *ip = &uc->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	ut_wake_pending = 1;
	if ((uintptr_t)*ip >= (uintptr_t)ut_wait4_test &&
	    (uintptr_t)*ip <= (uintptr_t)ut_wait4_syscall)
		*ip = (greg_t)(uintptr_t)ut_wait4_woken;
}

int stp_user_tracer_init(void)
{
	struct sigaction sa;
	struct sigevent sev;
	sigset_t set;

	if (ut_loop_ready)
		return 0;
	ut_tid = (pid_t)syscall(SYS_gettid);
	/* An ignored SIGCHLD would make the kernel reap children behind
	 * waitpid's back. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	/* SA_RESTART: a SIGIO outside the wait must not fail anyone's read,
	 * and one inside it comes back at the syscall instruction, which
	 * ut_wake moves out of the wait. */
	sa.sa_sigaction = ut_wake;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	if (sigaction(UT_WAKE_SIG, &sa, NULL) < 0)
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, UT_WAKE_SIG);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_UNBLOCK, &set, &ut_orig_sigmask) < 0)
		return -errno;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = UT_WAKE_SIG;
	sev._sigev_un._tid = ut_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &ut_posix_timer) < 0)
		return -errno;
	if (!ut_pollfds) {
		ut_pollfds = calloc(1, sizeof(*ut_pollfds));
		if (!ut_pollfds)
			return -ENOMEM;
	}
	ut_loop_ready = true;
	return 0;
}

void stp_user_set_hooks(const struct stp_user_hooks *hooks)
{
	if (hooks)
		ut_hooks = *hooks;
	else
		memset(&ut_hooks, 0, sizeof(ut_hooks));
}

void ut_notify_target_exit(pid_t pid, int status, int exec_errno)
{
	if (ut_hooks.target_exit)
		ut_hooks.target_exit(pid, status, exec_errno, ut_hooks.data);
}

void ut_notify_child_exit(pid_t pid, int status)
{
	if (ut_hooks.child_exit)
		ut_hooks.child_exit(pid, status, ut_hooks.data);
}

void stp_user_tracer_exit(int code)
{
	ut_exit_requested = true;
	ut_exit_code = code;
}

/* ---- fds ---- */

int stp_user_watch_fd(int fd, short events, stp_user_fd_fn fn, void *data)
{
	struct f_owner_ex owner = { F_OWNER_TID, 0 };
	struct ut_watch *w;
	int i, flags;

	if (fd < 0 || !fn)
		return -EINVAL;
	if (!ut_loop_ready)
		return -EINVAL;
	for (i = 0; i < ut_nwatches; i++)
		if (ut_watches[i].fd == fd && !ut_watches[i].dead)
			return -EEXIST;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -errno;
	owner.pid = ut_tid;
	if (fcntl(fd, F_SETOWN_EX, &owner) < 0 || fcntl(fd, F_SETSIG, UT_WAKE_SIG) < 0 ||
	    fcntl(fd, F_SETFL, flags | O_ASYNC) < 0)
		return -errno;
	if (ut_nwatches == ut_watch_cap) {
		int cap = ut_watch_cap ? 2 * ut_watch_cap : 8;
		struct pollfd *pfds;

		w = realloc(ut_watches, cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		ut_watches = w;
		pfds = realloc(ut_pollfds, cap * sizeof(*pfds));
		if (!pfds)
			return -ENOMEM;
		ut_pollfds = pfds;
		ut_watch_cap = cap;
	}
	w = &ut_watches[ut_nwatches++];
	w->fd = fd;
	w->events = events;
	w->dead = false;
	w->old_flags = flags;
	w->fn = fn;
	w->data = data;
	/* It may be ready already: SIGIO only tells of what comes next. */
	ut_wake_pending = 1;
	return 0;
}

void stp_user_unwatch_fd(int fd)
{
	int i;

	/* Marked, not removed: the loop may be walking the array. */
	for (i = 0; i < ut_nwatches; i++) {
		if (ut_watches[i].fd == fd && !ut_watches[i].dead) {
			ut_watches[i].dead = true;
			fcntl(fd, F_SETFL, ut_watches[i].old_flags);
		}
	}
}

static void ut_watch_compact(void)
{
	int i, j = 0;

	for (i = 0; i < ut_nwatches; i++)
		if (!ut_watches[i].dead)
			ut_watches[j++] = ut_watches[i];
	ut_nwatches = j;
}

static int ut_fill_pollfds(void)
{
	int i;

	ut_watch_compact();
	for (i = 0; i < ut_nwatches; i++) {
		ut_pollfds[i].fd = ut_watches[i].fd;
		ut_pollfds[i].events = ut_watches[i].events;
		ut_pollfds[i].revents = 0;
	}
	return ut_nwatches;
}

static void ut_dispatch_fds(int n)
{
	int i;

	for (i = 0; i < n && !ut_exit_requested; i++) {
		struct ut_watch *w = &ut_watches[i];

		if (ut_pollfds[i].revents && !w->dead) {
			/* Level-triggered for the callback: look again next
			 * round in case it left data behind. */
			ut_wake_pending = 1;
			w->fn(w->fd, ut_pollfds[i].revents, w->data);
		}
	}
}

/* ---- timers ---- */

static uint64_t ut_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t ut_next_due(void)
{
	struct ut_timer *tm;
	uint64_t next = 0;

	for (tm = ut_timers; tm; tm = tm->next)
		if (!tm->dead && (!next || tm->due < next))
			next = tm->due;
	return next;
}

static void ut_arm_timer(void)
{
	struct itimerspec its;
	uint64_t next = ut_next_due();

	if (next == ut_armed_for)
		return;
	memset(&its, 0, sizeof(its));
	if (next) {
		its.it_value.tv_sec = (time_t)(next / 1000000000u);
		its.it_value.tv_nsec = (long)(next % 1000000000u);
	}
	timer_settime(ut_posix_timer, TIMER_ABSTIME, &its, NULL);
	ut_armed_for = next;
}

int stp_user_timer_add(uint64_t first_ns, uint64_t period_ns, stp_user_timer_fn fn, void *data)
{
	struct ut_timer *tm;

	if (!fn || !ut_loop_ready)
		return -EINVAL;
	tm = calloc(1, sizeof(*tm));
	if (!tm)
		return -ENOMEM;
	tm->id = ++ut_timer_ids;
	tm->due = ut_now() + first_ns;
	if (!tm->due)
		tm->due = 1;
	tm->period = period_ns;
	tm->fn = fn;
	tm->data = data;
	tm->next = ut_timers;
	ut_timers = tm;
	if (first_ns == 0)
		ut_wake_pending = 1;	/* due now: no need to sleep on it */
	else
		ut_arm_timer();
	return tm->id;
}

void stp_user_timer_del(int id)
{
	struct ut_timer *tm;

	for (tm = ut_timers; tm; tm = tm->next)
		if (tm->id == id)
			tm->dead = true;
}

/* Runs the due timers; returns ns until the next one (-1: none). */
static int64_t ut_run_timers(void)
{
	struct ut_timer *tm, **pp;
	uint64_t now = ut_now(), next;

	for (tm = ut_timers; tm && !ut_exit_requested; tm = tm->next) {
		if (tm->dead || tm->due > now)
			continue;
		if (tm->period) {
			/* Skip missed periods rather than firing in a burst. */
			tm->due += tm->period * ((now - tm->due) / tm->period + 1);
		} else {
			tm->dead = true;
		}
		tm->fn(tm->data);
	}
	for (pp = &ut_timers; (tm = *pp);) {
		if (tm->dead) {
			*pp = tm->next;
			free(tm);
		} else {
			pp = &tm->next;
		}
	}
	ut_arm_timer();
	next = ut_next_due();
	if (!next)
		return -1;
	now = ut_now();
	return next > now ? (int64_t)(next - now) : 0;
}

/* ---- the loop ---- */

/* Handles one waitpid event: 1, none ready: 0, no children: -ECHILD. */
int ut_wait_one(bool block)
{
	int status;
	pid_t pid;

	pid = waitpid(-1, &status, __WALL | (block ? 0 : WNOHANG));
	if (pid < 0)
		return errno == ECHILD ? -ECHILD : 0;
	if (pid == 0)
		return 0;
	ut_handle_status(pid, status);
	ut_process_kicks();
	return 1;
}

/* Waits for a tracee event or a SIGIO: the pid with its status, 0 when
 * woken, -1 with errno. */
static pid_t ut_block_wait(int *status)
{
	long r = ut_wait4(&ut_wake_pending, status);

	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (pid_t)r;
}

/* Nothing to waitpid for: sleep on the fds and the next timer. */
static int ut_idle_wait(int64_t wait_ns)
{
	struct timespec ts, *tsp = NULL;
	int n = ut_fill_pollfds();

	if (wait_ns >= 0) {
		ts.tv_sec = wait_ns / 1000000000;
		ts.tv_nsec = wait_ns % 1000000000;
		tsp = &ts;
	}
	if (!n && !tsp)
		return -ECHILD;		/* nothing could ever wake us */
	if (ppoll(ut_pollfds, (nfds_t)n, tsp, NULL) > 0)
		ut_dispatch_fds(n);
	return 0;
}

int stp_user_tracer_run(void)
{
	int status;
	pid_t pid;

	if (!ut_loop_ready)
		return -EINVAL;
	/* An exit asked for before (from a hook run by stp_user_settle, say)
	 * counts: the request is consumed when the loop returns. */
	while (!ut_exit_requested) {
		ut_process_kicks();
		if (ut_exit_requested)
			break;
		if (ut_wake_pending) {
			int n;

			ut_wake_pending = 0;
			n = ut_fill_pollfds();
			if (n && poll(ut_pollfds, (nfds_t)n, 0) > 0)
				ut_dispatch_fds(n);
			ut_run_timers();
			continue;
		}
		pid = ut_block_wait(&status);
		if (pid > 0) {
			ut_handle_status(pid, status);
			continue;
		}
		if (pid < 0 && errno == ECHILD) {
			int r = ut_idle_wait(ut_run_timers());

			if (r < 0)
				return r;
		}
		/* 0: woken by SIGIO; EINTR: another signal came. */
	}
	ut_exit_requested = false;
	return ut_exit_code;
}
