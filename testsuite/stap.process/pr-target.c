/* Deterministic targets for the process-probe tier: each mode makes a
 * known set of processes, threads, execs and syscalls, and prints what a
 * probe should see where the kernel is the only judge (return values,
 * ids, memory contents).
 *
 *   getppid N		N getppid() calls
 *   forks N		N children exist at once; each makes one getppid
 *   threads N		N threads exist at once; each makes 3 getppid
 *   vfork N		N vfork()s; each child execs "getppid 1" of this program
 *   execself		execs this program with "getppid 2"
 *   execother PATH N	4 getuid, then execs PATH N
 *   execthread		a second thread execs "getppid 2"; main waits
 *   leaderexit N	N threads outlive the main thread, which exits first
 *   spin T		T threads block; main calls getppid forever
 *   block		says "ready", reads a line from stdin, 3 getppid,
 *			says "got LINE"
 *   retvals		known syscalls; prints "ret NAME VALUE" for each
 *   ids		new session, group and ids; prints them, then a marker
 *   umem		memory for the user_* readers, one marker per case
 *   cmdline ARGS...	a marker, for cmdline_*()
 *   serve T K		T threads block; each stdin line costs K getppid and
 *			is answered "pong N"; at EOF the threads end too
 *   interleave N	a thread sleeps in read() while main makes N getppid
 *
 * A marker is getppid with arguments (the kernel ignores them, the
 * probes see them): syscall(SYS_getppid, MAGIC, case, addr, ...). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pr-marker.h"

static const char *self;

static void die(const char *what)
{
	fprintf(stderr, "pr-target: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One write per line: the probes count write calls too. */
	if (write(1, buf, (size_t)n) != n)
		die("write");
}

static void do_getppid(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void marker(long what, unsigned long a, unsigned long b)
{
	syscall(SYS_getppid, PR_MAGIC, what, a, b, 0L, 0L);
}

static void do_forks(long n)
{
	int gate[2];
	char c;

	if (pipe(gate) < 0)
		die("pipe");
	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (p == 0) {
			close(gate[1]);
			if (read(gate[0], &c, 1) < 0)
				_exit(3);
			syscall(SYS_getppid);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (long i = 0; i < n; i++)
		if (wait(NULL) < 0)
			die("wait");
}

/* A storm without contended futexes, so syscall counts are exact: each
 * thread says its tid, waits for a byte, makes its calls and ends with a
 * bare exit; main waits for each end on a thread pidfd. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

static int storm_tids[2], storm_go[2];

static void *storm_thread(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char c;

	if (write(storm_tids[1], &tid, sizeof(tid)) != sizeof(tid) ||
	    read(storm_go[0], &c, 1) != 1)
		syscall(SYS_exit, 100);
	do_getppid(3);
	syscall(SYS_exit, 0);
	return arg;
}

static void do_threads(long n)
{
	int *fds = calloc((size_t)n, sizeof(*fds));
	pthread_t t;
	pid_t tid;

	if (pipe(storm_tids) < 0 || pipe(storm_go) < 0)
		die("pipe");
	for (long i = 0; i < n; i++)
		if (pthread_create(&t, NULL, storm_thread, NULL))
			die("pthread_create");
	for (long i = 0; i < n; i++) {
		if (read(storm_tids[0], &tid, sizeof(tid)) != sizeof(tid))
			die("read");
		fds[i] = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
		if (fds[i] < 0) {
			fprintf(stderr, "pr-target: thread pidfds need Linux 6.9\n");
			exit(77);
		}
	}
	/* All n exist now; let them go at once. */
	for (long i = 0; i < n; i++)
		if (write(storm_go[1], "", 1) != 1)
			die("write");
	for (long i = 0; i < n; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		if (poll(&p, 1, -1) != 1)
			die("poll");
	}
	free(fds);
}

/* One vfork, apart so nothing of the loop lives in the frame the child
 * borrows. */
static void vfork_once(void)
{
	pid_t p = vfork();

	if (p < 0)
		die("vfork");
	if (p == 0) {
		execl(self, self, "getppid", "1", (char *)NULL);
		_exit(127);
	}
	if (waitpid(p, NULL, 0) < 0)
		die("waitpid");
}

static void do_vfork(long n)
{
	for (long i = 0; i < n; i++)
		vfork_once();
}

static void *exec_thread(void *arg)
{
	(void)arg;
	execl(self, self, "getppid", "2", (char *)NULL);
	die("execl");
	return NULL;
}

static void do_execthread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, exec_thread, NULL))
		die("pthread_create");
	pthread_join(t, NULL);	/* never returns: the exec ends this image */
}

/* Cleared by the kernel when the main thread exits (set_tid_address),
 * so the others know it went first. */
static volatile int leader_alive = 1;

static void *outliver(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&leader_alive, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &leader_alive, FUTEX_WAIT, 1, NULL, NULL, 0);
	/* The kernel wakes one waiter; that one wakes the others. */
	syscall(SYS_futex, &leader_alive, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
	do_getppid(2);
	return NULL;
}

static void do_leaderexit(long n)
{
	pthread_t t;

	for (long i = 0; i < n; i++)
		if (pthread_create(&t, NULL, outliver, NULL))
			die("pthread_create");
	syscall(SYS_set_tid_address, &leader_alive);
	pthread_exit(NULL);
}

static int block_pipe[2];

static void *blocker(void *arg)
{
	char c;

	(void)arg;
	if (read(block_pipe[0], &c, 1) < 0)
		die("read");
	return NULL;
}

static void start_blockers(long n, pthread_t *t)
{
	if (pipe(block_pipe) < 0)
		die("pipe");
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, blocker, NULL))
			die("pthread_create");
}

static pid_t reader_tid;

static void *reader(void *arg)
{
	int *p = arg;
	char c;

	__atomic_store_n(&reader_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	if (read(p[0], &c, 1) != 1)
		die("read");
	return NULL;
}

/* Syscalls of two threads interleave: the reader's read() returns only
 * after main's getppid calls, once main sees it asleep. */
static void do_interleave(long n)
{
	char path[64];
	pthread_t t;
	int p[2];

	if (pipe(p) < 0)
		die("pipe");
	if (pthread_create(&t, NULL, reader, p))
		die("pthread_create");
	while (!__atomic_load_n(&reader_tid, __ATOMIC_ACQUIRE))
		sched_yield();
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)reader_tid);
	for (;;) {
		char buf[512], *e;
		int fd = open(path, O_RDONLY);
		ssize_t k = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close(fd);
		if (k <= 0)
			die("stat");
		buf[k] = '\0';
		e = strrchr(buf, ')');
		if (e && e[1] == ' ' && e[2] == 'S')
			break;
		sched_yield();
	}
	do_getppid(n);
	if (write(p[1], "x", 1) != 1)
		die("write");
	pthread_join(t, NULL);
}

static void do_spin(long n)
{
	pthread_t t[64];

	start_blockers(n < 64 ? n : 64, t);
	for (;;)
		syscall(SYS_getppid);
}

static void do_block(void)
{
	char line[128];
	ssize_t n;

	say("ready\n");
	n = read(0, line, sizeof(line) - 1);
	if (n < 0)
		die("read");
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	do_getppid(3);
	say("got %s\n", line);
}

static void do_serve(long threads, long k)
{
	pthread_t t[64];
	char line[128];
	long n = 0;
	FILE *in = fdopen(0, "r");

	if (threads > 64)
		threads = 64;
	start_blockers(threads, t);
	say("serving %d\n", (int)getpid());
	while (fgets(line, sizeof(line), in)) {
		do_getppid(k);
		say("pong %ld\n", ++n);
	}
	/* EOF on the pipe ends every blocker. */
	close(block_pipe[1]);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
}

/* Each result straight from the kernel (raw syscalls: no libc errno). */
static void do_retvals(void)
{
	long r;

	r = syscall(SYS_getpid);
	say("ret getpid %ld\n", r);
	r = syscall(SYS_openat, AT_FDCWD, "/nonexistent/pr-target", O_RDONLY);
	say("ret openat %ld\n", r < 0 ? -(long)errno : r);
	r = syscall(SYS_write, 1, "hello\n", 6);
	say("ret write %ld\n", r);
	r = syscall(SYS_close, -1);
	say("ret close %ld\n", r < 0 ? -(long)errno : r);
	r = syscall(SYS_getppid);
	say("ret getppid %ld\n", r);
	r = syscall(SYS_dup, 1);
	say("ret dup %ld\n", r);
	r = syscall(SYS_close, r);
	say("ret close %ld\n", r);
}

static void proc_line(const char *file, const char *key)
{
	char path[64], buf[4096];
	int fd;
	ssize_t n;
	char *p, *e;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, key);
	if (!p)
		return;
	e = strchr(p, '\n');
	if (e)
		*e = '\0';
	say("proc %s\n", p);
}

static void do_ids(void)
{
	char comm[64] = "";
	char path[64];
	int fd;
	ssize_t n;

	if (setsid() < 0)
		die("setsid");
	if (setresgid(1001, 1002, 1003) < 0)
		die("setresgid");
	if (setresuid(2001, 2002, 2003) < 0)
		die("setresuid");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
	fd = open(path, O_RDONLY);
	n = fd < 0 ? 0 : read(fd, comm, sizeof(comm) - 1);
	if (fd >= 0)
		close(fd);
	comm[n > 0 ? n - 1 : 0] = '\0';
	say("want pid %d tid %d ppid %d pgrp %d sid %d\n", (int)getpid(), (int)gettid(),
	    (int)getppid(), (int)getpgrp(), (int)getsid(0));
	say("want uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
	    (int)getegid());
	say("want pexecname %s\n", comm);
	proc_line("status", "Uid:");
	proc_line("status", "Gid:");
	marker(PR_M_IDS, 0, 0);
}

/* Cases for the user_* readers; the probe prints what it read. */
static void do_umem(void)
{
	static const char hello[] = "hello, world";
	static const char quoted[] = "a\"b\\c\n\t\x01\xff \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc0\x80.";
	static const union {
		int64_t l;
		unsigned char b[8];
	} num = { .l = -0x123456789abcdefLL };
	long page = sysconf(_SC_PAGESIZE);
	/* Four pages, the second and the fourth unmapped: "tail" ends just
	 * before the first hole, an int just before the second. */
	char *area = mmap(NULL, (size_t)(4 * page), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *edge, *intedge, *longstr;

	if (area == MAP_FAILED)
		die("mmap");
	if (munmap(area + page, (size_t)page) < 0 || munmap(area + 3 * page, (size_t)page) < 0)
		die("munmap");
	edge = area + page - 5;
	memcpy(edge, "tail", 5);
	intedge = area + 3 * page - 4;
	memcpy(intedge, &(int32_t){ -5 }, 4);
	longstr = malloc(1001);
	memset(longstr, 'x', 1000);
	longstr[1000] = '\0';

	marker(PR_M_STRING, (unsigned long)hello, 0);
	marker(PR_M_STRING, (unsigned long)edge, 0);
	marker(PR_M_STRING, (unsigned long)longstr, 0);
	marker(PR_M_STRING_N, (unsigned long)hello, 5);
	marker(PR_M_STRING, 1, 0);
	marker(PR_M_STRING, (unsigned long)(area + page), 0);
	marker(PR_M_QUOTED, (unsigned long)quoted, 0);
	marker(PR_M_QUOTED, (unsigned long)longstr, 0);
	marker(PR_M_QUOTED, 1, 0);
	marker(PR_M_INTS, (unsigned long)num.b, 0);
	marker(PR_M_INTS, (unsigned long)intedge, 0);
	say("want long %lld int %d short %d char %d\n", (long long)num.l,
	    *(const int32_t *)num.b, *(const int16_t *)num.b, *(const int8_t *)num.b);
	say("want hole %p\n", (void *)(area + page));
	say("want intedge %p\n", (void *)intedge);
}

static long arg(char **argv, int i)
{
	if (!argv[i]) {
		fprintf(stderr, "pr-target: missing argument\n");
		exit(2);
	}
	return strtol(argv[i], NULL, 10);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	self = argv[0];
	if (!strcmp(mode, "getppid"))
		do_getppid(arg(argv, 2));
	else if (!strcmp(mode, "forks"))
		do_forks(arg(argv, 2));
	else if (!strcmp(mode, "threads"))
		do_threads(arg(argv, 2));
	else if (!strcmp(mode, "vfork"))
		do_vfork(arg(argv, 2));
	else if (!strcmp(mode, "execself"))
		execl(self, self, "getppid", "2", (char *)NULL), die("execl");
	else if (!strcmp(mode, "execother")) {
		for (int i = 0; i < 4; i++)
			syscall(SYS_getuid);
		if (argc < 4)
			return 2;
		execl(argv[2], argv[2], argv[3], (char *)NULL);
		die("execl");
	} else if (!strcmp(mode, "execthread"))
		do_execthread();
	else if (!strcmp(mode, "leaderexit"))
		do_leaderexit(arg(argv, 2));
	else if (!strcmp(mode, "spin"))
		do_spin(arg(argv, 2));
	else if (!strcmp(mode, "block"))
		do_block();
	else if (!strcmp(mode, "retvals"))
		do_retvals();
	else if (!strcmp(mode, "ids"))
		do_ids();
	else if (!strcmp(mode, "umem"))
		do_umem();
	else if (!strcmp(mode, "cmdline"))
		marker(PR_M_CMDLINE, 0, 0);
	else if (!strcmp(mode, "interleave"))
		do_interleave(arg(argv, 2));
	else if (!strcmp(mode, "serve"))
		do_serve(arg(argv, 2), arg(argv, 3));
	else {
		fprintf(stderr, "pr-target: unknown mode '%s'\n", mode);
		return 2;
	}
	return 0;
}
