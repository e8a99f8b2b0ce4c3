/* Deterministic target programs for the ptrace tier: each mode makes a
 * known set of syscalls, threads, processes and signals, so a tracer's
 * counts can be checked against strace's and the program's output against
 * an untraced run.
 *
 *   getppid N		N getppid() calls
 *   mix N		N rounds of six cheap syscalls (getppid getpid getuid
 *			getgid geteuid getegid)
 *   forks N		N children forked at once, each exits; all waited for
 *   threads N		N threads created at once, each makes 3 getppid
 *   vfork N		N vfork()s, each child execs "getppid 1" of this program
 *   leaderexit N	N threads outlive the leader, which exits first
 *   execthread		a second thread execs "getppid 2" while main waits
 *   signals		handled, ignored, blocked and queued signals; a fault
 *   sigblock		all signals blocked, several sent, then collected
 *   stopcont SIG	a child stops itself with SIG, the parent watches
 *			it stop, continues it and reaps it
 *   untraced		children made with CLONE_UNTRACED (clone, clone3)
 *   abort		prints what syscall(SYS_getppid) returns
 *   serve K T		T helper threads block; each stdin line costs K
 *			getppid and is answered "pong N"; EOF ends it
 *   traced-child	forks a child and traces it (as a debugger would);
 *			prints both pids and waits for stdin EOF
 *   spin T		T threads block, main calls getppid forever
 *   readline		reads one line from stdin and prints it
 *   readlines		read()s stdin until EOF, prints how many reads */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self;

static void die(const char *what)
{
	fprintf(stderr, "pt-target: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void do_getppid(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void do_mix(long n)
{
	for (long i = 0; i < n; i++) {
		syscall(SYS_getppid);
		syscall(SYS_getpid);
		syscall(SYS_getuid);
		syscall(SYS_getgid);
		syscall(SYS_geteuid);
		syscall(SYS_getegid);
	}
}

/* Every child waits at a pipe until all are forked, then they are let go
 * one at a time, each reaped before the next goes.  A child exiting while
 * the parent forks or waits for another one sends SIGCHLD, which a traced
 * parent receives even when ignored, and the interrupted fork or wait4 is
 * restarted: an extra call that depends on timing. */
static void do_forks(int n)
{
	int *code = calloc((size_t)n, sizeof(*code));
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int i, j, st, bad = 0, go[2];
	char c;

	if (pipe(go) < 0)
		die("pipe");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			if (read(go[0], &c, 1) != 1)
				_exit(100);
			syscall(SYS_getppid);
			_exit(i % 7);
		}
	}
	for (i = 0; i < n; i++) {
		pid_t pid;

		if (write(go[1], "", 1) != 1)
			die("write");
		pid = waitpid(-1, &st, 0);
		if (pid < 0)
			die("waitpid");
		for (j = 0; j < n && pids[j] != pid; j++)
			;
		if (j == n || !WIFEXITED(st) || code[j]++ || WEXITSTATUS(st) != j % 7)
			bad++;
	}
	printf("forks %d bad %d\n", n, bad);
	free(pids);
	free(code);
}

/* Threads are made deterministic the same way: each reports its tid,
 * blocks on a pipe until all exist (one read each, blocking or not), and
 * ends with a bare exit syscall; main waits for each exit on a thread
 * pidfd opened while the thread surely lived (one poll each).
 * pthread_barrier_wait and pthread_join would make a timing-dependent
 * number of futex calls, and an exit racing with exit_group would make
 * the count of exit calls depend on timing too. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
static int thread_go[2], thread_tids[2];

static void *thread_body(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char c;

	if (write(thread_tids[1], &tid, sizeof(tid)) != sizeof(tid))
		syscall(SYS_exit, 101);
	if (read(thread_go[0], &c, 1) != 1)
		syscall(SYS_exit, 100);
	do_getppid(3);
	syscall(SYS_exit, 0);
	return arg;
}

static void do_threads(int n)
{
	int *fds = calloc((size_t)n, sizeof(*fds));
	pthread_t th;
	pid_t tid;
	int i;

	if (pipe(thread_go) < 0 || pipe(thread_tids) < 0)
		die("pipe");
	for (i = 0; i < n; i++)
		if (pthread_create(&th, NULL, thread_body, NULL))
			die("pthread_create");
	for (i = 0; i < n; i++) {
		if (read(thread_tids[0], &tid, sizeof(tid)) != sizeof(tid))
			die("read");
		fds[i] = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
		if (fds[i] < 0) {
			fprintf(stderr, "pt-target: thread pidfds need Linux 6.9: %s\n",
				strerror(errno));
			exit(77);
		}
	}
	for (i = 0; i < n; i++)
		if (write(thread_go[1], "", 1) != 1)
			die("write");
	for (i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = fds[i], .events = POLLIN };

		if (poll(&pfd, 1, -1) != 1)
			die("poll");
	}
	printf("threads %d\n", n);
	free(fds);
}

/* Its own frame, so nothing of the caller's can be clobbered while the
 * child borrows the stack. */
static __attribute__((noinline)) void vfork_one(void)
{
	pid_t pid = vfork();
	int st;

	if (pid < 0)
		die("vfork");
	if (pid == 0) {
		execl(self, self, "getppid", "1", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		die("vfork child");
}

/* The leader leaves first (a bare exit, as pthread_exit in main does):
 * it stays a zombie until the other threads are gone. */
static int leader_go[2];

static void *leader_body(void *arg)
{
	char c;

	if (read(leader_go[0], &c, 1) != 1)
		syscall(SYS_exit, 100);
	do_getppid(2);
	syscall(SYS_exit, 0);
	return arg;
}

static void do_leaderexit(int n)
{
	pthread_t th;

	if (pipe(leader_go) < 0)
		die("pipe");
	for (int i = 0; i < n; i++)
		if (pthread_create(&th, NULL, leader_body, NULL))
			die("pthread_create");
	printf("leader exits first\n");
	fflush(stdout);
	for (int i = 0; i < n; i++)
		if (write(leader_go[1], "", 1) != 1)
			die("write");
	syscall(SYS_exit, 0);
}

static void do_vfork(int n)
{
	for (int i = 0; i < n; i++)
		vfork_one();
	printf("vforks %d\n", n);
}

static void *exec_body(void *arg)
{
	execl(self, self, "getppid", "2", (char *)NULL);
	die("execl");
	return arg;
}

static void do_execthread(void)
{
	pthread_t th;

	fflush(stdout);
	if (pthread_create(&th, NULL, exec_body, NULL))
		die("pthread_create");
	for (;;)
		pause();	/* the exec ends this thread */
}

static volatile sig_atomic_t usr1_count, rt_sum, segv_seen;
static sigjmp_buf segv_jump;

static void on_usr1(int sig)
{
	usr1_count++;
}

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	rt_sum = rt_sum * 100 + si->si_value.sival_int;
}

static void on_segv(int sig)
{
	segv_seen = 1;
	siglongjmp(segv_jump, 1);
}

static void do_signals(void)
{
	struct sigaction sa;
	sigset_t set, pending;
	union sigval v;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = NULL;
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);

	for (i = 0; i < 5; i++)
		kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);

	/* Queued real-time signals keep their values, in order. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 1; i <= 3; i++) {
		v.sival_int = 10 + i;
		sigqueue(getpid(), SIGRTMIN, v);
	}
	kill(getpid(), SIGHUP);
	sigpending(&pending);
	printf("pending HUP %d RTMIN %d\n", sigismember(&pending, SIGHUP),
	       sigismember(&pending, SIGRTMIN));
	sigdelset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	if (sigsetjmp(segv_jump, 1) == 0) {
		volatile int *volatile bad = (int *)8;

		*bad = 1;
	}
	printf("usr1 %d rt %d segv %d\n", (int)usr1_count, (int)rt_sum, (int)segv_seen);
}

static void do_sigblock(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1, SIGQUIT };
	sigset_t all, pending;
	siginfo_t si;
	size_t i;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		kill(getpid(), sigs[i]);
	sigpending(&pending);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		printf("pending %s %d\n", strsignal(sigs[i]), sigismember(&pending, sigs[i]));
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct timespec zero = { 0, 0 };

		if (sigtimedwait(&all, &si, &zero) < 0)
			die("sigtimedwait");
		printf("took %s from %s\n", strsignal(si.si_signo),
		       si.si_pid == getpid() ? "self" : "elsewhere");
	}
}

static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void do_stopcont(int sig)
{
	pid_t pid;
	int st, go[2];
	char s;

	/* The child exits only when told, after its parent saw it continue:
	 * an exit first would hide the continued state from waitpid. */
	if (pipe(go) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* A group of its own whose parent (us) is in another group of
		 * the session is not orphaned, so SIGTSTP stops it even when
		 * the tests run without a terminal (POSIX discards SIGTSTP for
		 * orphaned groups). */
		setpgid(0, 0);
		raise(sig);
		_exit(read(go[0], &s, 1) == 1 ? 3 : 4);
	}
	/* Never hang a test run: a child that did not stop fails instead. */
	alarm(60);
	if (waitpid(pid, &st, WUNTRACED) < 0)
		die("waitpid");
	if (WIFSTOPPED(st))
		printf("stopped by %s\n", strsignal(WSTOPSIG(st)));
	else
		printf("not stopped: status 0x%x\n", st);
	/* A stopped child stays stopped: 'T', or 't' while a tracer listens. */
	s = state_of(pid);
	printf("state %s\n", s == 'T' || s == 't' ? "stopped" : "running");
	kill(pid, SIGCONT);
	if (waitpid(pid, &st, WCONTINUED) < 0)
		die("waitpid");
	printf("%s\n", WIFCONTINUED(st) ? "continued" : "not continued");
	if (write(go[1], "", 1) != 1)
		die("write");
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	printf("exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* A child made with CLONE_UNTRACED (as LeakSanitizer and debuggers make
 * theirs), by clone and by clone3. */
static void do_untraced(void)
{
	struct clone_args {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
			 tls;
	} args = { .flags = CLONE_UNTRACED, .exit_signal = SIGCHLD };
	pid_t pid;
	int st;

	for (int i = 0; i < 2; i++) {
		if (i == 0)
			pid = (pid_t)syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
		else
			pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		if (pid < 0)
			die("clone");
		if (pid == 0)
			_exit(syscall(SYS_getppid) > 0 ? 0 : 9);
		if (waitpid(pid, &st, 0) < 0)
			die("waitpid");
		if (WIFEXITED(st))
			printf("%s child exited %d\n", i ? "clone3" : "clone", WEXITSTATUS(st));
		else
			printf("%s child killed by signal %d\n", i ? "clone3" : "clone",
			       WTERMSIG(st));
	}
}

static void do_abort(void)
{
	long r = syscall(SYS_getppid);

	if (r < 0)
		printf("getppid failed: %s\n", strerror(errno));
	else
		printf("getppid %s\n", r == getppid() ? "ok" : "wrong");
}

static void *block_body(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void start_blockers(int n)
{
	pthread_t th;

	for (int i = 0; i < n; i++)
		if (pthread_create(&th, NULL, block_body, NULL))
			die("pthread_create");
}

static void do_serve(long k, int nthreads)
{
	char line[256];
	long n = 0;

	start_blockers(nthreads);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		do_getppid(k);
		printf("pong %ld\n", ++n);
	}
	exit(0);
}

static void do_traced_child(void)
{
	char buf[64];
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (ptrace(PTRACE_SEIZE, pid, 0L, 0L) < 0)
		die("PTRACE_SEIZE");
	printf("child %d tracer %d\n", (int)pid, (int)getpid());
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	kill(pid, SIGKILL);
	waitpid(pid, &st, __WALL);
}

static void do_spin(int nthreads)
{
	start_blockers(nthreads);
	for (;;)
		syscall(SYS_getppid);
}

static void do_readline(void)
{
	char line[256];

	if (!fgets(line, sizeof(line), stdin))
		die("fgets");
	printf("read %s", line);
}

/* Lines until EOF, each with its own read(): no stdio buffering. */
static void do_readlines(void)
{
	char line[256];
	ssize_t r;
	int n = 0;

	while ((r = read(0, line, sizeof(line))) > 0)
		n++;
	if (r < 0)
		die("read");
	printf("reads %d\n", n);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 1;

	self = "/proc/self/exe";
	if (!strcmp(mode, "getppid"))
		do_getppid(n);
	else if (!strcmp(mode, "mix"))
		do_mix(n);
	else if (!strcmp(mode, "forks"))
		do_forks((int)n);
	else if (!strcmp(mode, "threads"))
		do_threads((int)n);
	else if (!strcmp(mode, "vfork"))
		do_vfork((int)n);
	else if (!strcmp(mode, "leaderexit"))
		do_leaderexit((int)n);
	else if (!strcmp(mode, "execthread"))
		do_execthread();
	else if (!strcmp(mode, "signals"))
		do_signals();
	else if (!strcmp(mode, "sigblock"))
		do_sigblock();
	else if (!strcmp(mode, "stopcont"))
		do_stopcont(argc > 2 && !strcmp(argv[2], "TSTP") ? SIGTSTP : SIGSTOP);
	else if (!strcmp(mode, "untraced"))
		do_untraced();
	else if (!strcmp(mode, "abort"))
		do_abort();
	else if (!strcmp(mode, "serve"))
		do_serve(n, argc > 3 ? atoi(argv[3]) : 0);
	else if (!strcmp(mode, "traced-child"))
		do_traced_child();
	else if (!strcmp(mode, "spin"))
		do_spin((int)n);
	else if (!strcmp(mode, "readlines"))
		do_readlines();
	else if (!strcmp(mode, "readline"))
		do_readline();
	else {
		fprintf(stderr, "pt-target: unknown mode '%s'\n", mode);
		return 2;
	}
	return 0;
}
