/* The workloads of the stap.procrun tier: deterministic programs that
 * scripts run with -c or attach to with -x.  Each mode makes a fixed set
 * of syscalls and prints, on stdout, "want ..." lines: what a probe
 * should see (values it passed, results it got, its ids).
 *
 *   pt-work mix N M K       N getpid, M writes to /dev/null, K open/close
 *                           of /dev/null, one failed open, a forked child
 *                           making N getppid and M writes
 *   pt-work forks N         N children that exit at once
 *   pt-work threads N       N threads alive together, then joined
 *   pt-work vfork N PROG    N vfork children that exec PROG 1
 *   pt-work exec PROG N     4 getuid, then exec PROG N
 *   pt-work execthread PROG N   the same exec from a second thread
 *   pt-work window          argument and return values between markers
 *   pt-work ids             pid, tid, ppid of itself, a thread, a child
 *   pt-work selfkill N      3 sleeping threads; N getppid, then SIGKILL
 *   pt-work longrun FILE [ignore]  writes its pid to FILE, then getppid
 *                           every 10 ms forever (ignore: SIGINT and
 *                           SIGTERM ignored and blocked)
 *   pt-work serve FILE      writes its pid to FILE, getppid every 5 ms
 *                           until SIGUSR1, then checks every result
 *   pt-work stopchild       a child stops itself with SIGSTOP; the
 *                           parent sees the stop, continues it, reaps it
 *   pt-work readfifo FIFO FILE  writes its pid to FILE, then sits in one
 *                           read() of FIFO until a line comes; prints it
 *
 * Markers: getpgid(MARK_ON) and getpgid(MARK_OFF) (both fail with ESRCH)
 * bracket the calls a "window" script prints; getpgid(MARK_IDS) is where
 * an "ids" script prints its ids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARK_ON 0x7e570001L
#define MARK_OFF 0x7e570002L
#define MARK_IDS 0x7e570003L

static void die(const char *what)
{
	fprintf(stderr, "pt-work: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void marker(long what)
{
	syscall(SYS_getpgid, what);
}

static void wait_ok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "pt-work: child %d status 0x%x\n", pid, st);
		exit(2);
	}
}

static void do_mix(long n, long m, long k)
{
	int null = open("/dev/null", O_WRONLY);
	pid_t child;

	if (null < 0)
		die("/dev/null");
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	for (long i = 0; i < m; i++)
		if (write(null, "x", 1) != 1)
			die("write");
	for (long i = 0; i < k; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			die("open");
		close(fd);
	}
	if (open("/nonexistent/pt-work", O_RDONLY) >= 0 || errno != ENOENT)
		die("open of a missing file");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		for (long i = 0; i < m; i++)
			if (write(null, "y", 1) != 1)
				_exit(3);
		_exit(0);
	}
	wait_ok(child);
	close(null);
}

static void do_forks(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t c = fork();
		if (c < 0)
			die("fork");
		if (c == 0)
			_exit(0);
		wait_ok(c);
	}
}

/* All threads alive at once: each waits on a barrier before it ends. */
static pthread_barrier_t bar;

static void *storm_thread(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	pthread_barrier_wait(&bar);
	return NULL;
}

static void do_threads(long n)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));

	if (!t)
		die("calloc");
	pthread_barrier_init(&bar, NULL, (unsigned)n + 1);
	for (long i = 0; i < n; i++)
		if ((errno = pthread_create(&t[i], NULL, storm_thread, NULL)))
			die("pthread_create");
	pthread_barrier_wait(&bar);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
}

static void __attribute__((noinline)) vfork_once(const char *prog)
{
	pid_t c = vfork();

	if (c < 0)
		die("vfork");
	if (c == 0) {
		execl(prog, prog, "1", (char *)NULL);
		_exit(127);
	}
	wait_ok(c);
}

static void do_vfork(long n, const char *prog)
{
	for (long i = 0; i < n; i++)
		vfork_once(prog);
}

static const char *exec_prog, *exec_arg;

static void exec_it(void)
{
	for (int i = 0; i < 4; i++)
		syscall(SYS_getuid);
	execl(exec_prog, exec_prog, exec_arg, (char *)NULL);
	die("execl");
}

static void *exec_thread(void *arg)
{
	(void)arg;
	exec_it();
	return NULL;
}

static void do_execthread(void)
{
	pthread_t t;

	if ((errno = pthread_create(&t, NULL, exec_thread, NULL)))
		die("pthread_create");
	for (;;)
		pause();
}

/* Values a "window" script prints: its .syscall lines ("call NAME
 * ARG1 ARG2 ARG3 | $$parms") and .syscall.return lines ("ret NAME
 * $return errno_str returnstr(1)"), in order.  Printed after the window
 * closes: its own writes are not in it. */
static char wbuf[4096];
static size_t wlen;

static void want(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void want(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wlen += (size_t)vsnprintf(wbuf + wlen, sizeof(wbuf) - wlen, fmt, ap);
	va_end(ap);
}

static void do_window(void)
{
	static char buf[32] = "window";
	static const char missing[] = "/nonexistent/pt-work";
	int null = open("/dev/null", O_WRONLY);
	long r;
	int e;

	if (null < 0)
		die("/dev/null");
	marker(MARK_ON);
	r = syscall(SYS_lseek, (long)null, 12345L, (long)SEEK_SET, 0x44L, 0x55L, 0x66L);
	want("want call lseek %d 12345 0 | $arg1=%#x $arg2=0x3039 $arg3=0x0 $arg4=0x44 $arg5=0x55 $arg6=0x66\n",
	     null, null);
	want("want ret lseek %ld - %ld\n", r, r);
	r = syscall(SYS_write, (long)null, buf, 6L, 0L, 0L, 0L);
	want("want call write %d %lu 6 | $arg1=%#x $arg2=%#lx $arg3=0x6 $arg4=0x0 $arg5=0x0 $arg6=0x0\n",
	     null, (unsigned long)buf, null, (unsigned long)buf);
	want("want ret write %ld - %ld\n", r, r);
	r = syscall(SYS_openat, (long)AT_FDCWD, missing, (long)O_RDONLY, 0L, 0L, 0L);
	e = errno;
	want("want call openat %d %lu %d | $arg1=%#lx $arg2=%#lx $arg3=0x0 $arg4=0x0 $arg5=0x0 $arg6=0x0\n",
	     AT_FDCWD, (unsigned long)missing, O_RDONLY, (unsigned long)(long)AT_FDCWD,
	     (unsigned long)missing);
	want("want ret openat %ld ENOENT %ld (ENOENT)\n", r < 0 ? -(long)e : r, r < 0 ? -(long)e : r);
	r = syscall(SYS_close, 12345L, 0L, 0L, 0L, 0L, 0L);
	e = errno;
	want("want call close 12345 0 0 | $arg1=0x3039 $arg2=0x0 $arg3=0x0 $arg4=0x0 $arg5=0x0 $arg6=0x0\n");
	want("want ret close %ld EBADF %ld (EBADF)\n", r < 0 ? -(long)e : r, r < 0 ? -(long)e : r);
	r = syscall(SYS_getpid, 0L, 0L, 0L, 0L, 0L, 0L);
	want("want call getpid 0 0 0 | $arg1=0x0 $arg2=0x0 $arg3=0x0 $arg4=0x0 $arg5=0x0 $arg6=0x0\n");
	want("want ret getpid %ld - %ld\n", r, r);
	marker(MARK_OFF);
	close(null);
	fputs(wbuf, stdout);
	fflush(stdout);
}

static void say_ids(const char *who)
{
	say("want ids %s pid %ld tid %ld ppid %ld\n", who, (long)getpid(), (long)syscall(SYS_gettid),
	    (long)getppid());
	marker(MARK_IDS);
}

static void *ids_thread(void *arg)
{
	(void)arg;
	say_ids("thread");
	return NULL;
}

static void do_ids(void)
{
	pthread_t t;
	pid_t c;

	say("want target %ld\n", (long)getpid());
	say_ids("main");
	if ((errno = pthread_create(&t, NULL, ids_thread, NULL)))
		die("pthread_create");
	pthread_join(t, NULL);
	c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		say_ids("child");
		_exit(0);
	}
	wait_ok(c);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void do_selfkill(long n)
{
	pthread_t t;

	for (int i = 0; i < 3; i++)
		if ((errno = pthread_create(&t, NULL, sleeper, NULL)))
			die("pthread_create");
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

static void write_pid(const char *file)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) || rename(tmp, file))
		die(file);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void do_longrun(const char *file, int ignore)
{
	if (ignore) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGINT);
		sigaddset(&s, SIGTERM);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		sigprocmask(SIG_BLOCK, &s, NULL);
	}
	write_pid(file);
	for (;;) {
		syscall(SYS_getppid);
		nap(10);
	}
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

/* Every getppid must answer the parent, every nanosleep 0 or EINTR
 * (SIGUSR1), and the loop must see SIGUSR1. */
static void do_serve(const char *file)
{
	long n = 0, bad = 0;
	pid_t parent = getppid();
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	write_pid(file);
	while (!usr1) {
		struct timespec ts = { 0, 5000000L };
		if (syscall(SYS_getppid) != parent)
			bad++;
		if (nanosleep(&ts, NULL) < 0 && errno != EINTR)
			bad++;
		n++;
	}
	say("served %s bad %ld\n", n > 0 ? "yes" : "no", bad);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* The child must not exit before its parent has seen WCONTINUED: an exit
 * ends the "continued" state for good (waitpid reports the zombie instead,
 * traced or not), so the child waits for the pipe to close first.  Without
 * that, a loaded machine runs the child to its end between the parent's
 * kill() and waitpid() about 1 time in 40 even untraced. */
static void do_stopchild(void)
{
	int st, fds[2];
	char b;
	pid_t c;

	if (pipe(fds))
		die("pipe");
	c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		close(fds[1]);
		raise(SIGSTOP);
		for (int i = 0; i < 5; i++)
			syscall(SYS_getppid);
		while (read(fds[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(7);
	}
	close(fds[0]);
	if (waitpid(c, &st, WUNTRACED) != c)
		die("waitpid WUNTRACED");
	say("child %s\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP ? "stopped by SIGSTOP" : "not stopped");
	if (kill(c, SIGCONT))
		die("SIGCONT");
	/* A lost notification must not hang the run: give up after 20 s. */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	alarm(20);
	if (waitpid(c, &st, WCONTINUED) != c) {
		if (errno != EINTR)
			die("waitpid WCONTINUED");
		st = 0;
	}
	alarm(0);
	say("child %s\n", WIFCONTINUED(st) ? "continued" : "not continued");
	close(fds[1]);
	if (waitpid(c, &st, 0) != c)
		die("waitpid");
	say("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Opened read-write, the fifo never blocks the open nor reads an end of
 * file: the process waits in read() itself, where a tracer may leave it. */
static void do_readfifo(const char *fifo, const char *file)
{
	char line[256];
	size_t len = 0;
	int fd = open(fifo, O_RDWR);

	if (fd < 0)
		die(fifo);
	write_pid(file);
	while (len < sizeof(line) - 1) {
		ssize_t n = read(fd, line + len, sizeof(line) - 1 - len);

		if (n < 0 && errno == EINTR)
			die("read interrupted");
		if (n <= 0)
			die("read");
		len += (size_t)n;
		if (line[len - 1] == '\n')
			break;
	}
	line[len] = 0;
	say("read %s", line);
}

static long num(int argc, char **argv, int i)
{
	if (i >= argc) {
		fprintf(stderr, "pt-work: missing argument %d\n", i);
		exit(2);
	}
	return strtol(argv[i], NULL, 10);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "mix"))
		do_mix(num(argc, argv, 2), num(argc, argv, 3), num(argc, argv, 4));
	else if (!strcmp(m, "forks"))
		do_forks(num(argc, argv, 2));
	else if (!strcmp(m, "threads"))
		do_threads(num(argc, argv, 2));
	else if (!strcmp(m, "vfork") && argc > 3)
		do_vfork(num(argc, argv, 2), argv[3]);
	else if ((!strcmp(m, "exec") || !strcmp(m, "execthread")) && argc > 3) {
		exec_prog = argv[2];
		exec_arg = argv[3];
		if (!strcmp(m, "exec"))
			exec_it();
		do_execthread();
	} else if (!strcmp(m, "window"))
		do_window();
	else if (!strcmp(m, "ids"))
		do_ids();
	else if (!strcmp(m, "selfkill"))
		do_selfkill(num(argc, argv, 2));
	else if (!strcmp(m, "longrun") && argc > 2)
		do_longrun(argv[2], argc > 3 && !strcmp(argv[3], "ignore"));
	else if (!strcmp(m, "serve") && argc > 2)
		do_serve(argv[2]);
	else if (!strcmp(m, "stopchild"))
		do_stopchild();
	else if (!strcmp(m, "readfifo") && argc > 3)
		do_readfifo(argv[2], argv[3]);
	else {
		fprintf(stderr, "pt-work: unknown mode '%s'\n", m);
		return 2;
	}
	return 0;
}
