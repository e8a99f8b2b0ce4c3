/* ktp: a test program whose system calls the utrace tests predict.
 *
 *   ktp [-n] COMMAND ARGS...
 *
 * Unless -n is given it first blocks in read(0, 1 byte): the gate.  The
 * test attaches while ktp sits there, then writes a byte, so exactly the
 * calls after the gate are seen (plus the gate read's own exit).  Raw
 * syscall() keeps libc from adding calls of its own.
 *
 *   calls N        N getppid, 7 getuid, openat /dev/null, 3 write, close
 *   spin           getppid forever
 *   forks N K      N raw forks; each child K getppid and exit; reap all
 *   threads N K    N pthreads, each K getppid; join all
 *   exec_thread    a second thread execs "ktp -n calls 5"; the first pauses
 *   vfork          vfork; the child execs "ktp -n calls 3"; wait for it
 *   exec PROG ...  execv(PROG, ...) (after the gate)
 *   pause          pause() forever
 *   block          read(0) again, then 10 getppid; prints "done"
 *   zombie         a child exits at once; print its pid; wait for a byte
 *                  on stdin before reaping it
 *   abort          print getppid's result and errno */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char self[4096];

static long sys(long nr)
{
	return syscall(nr);
}

static void say(const char *fmt, long a, long b)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), fmt, a, b);

	if (write(1, buf, n) != n)
		_exit(3);
}

static void getppids(long n)
{
	for (long i = 0; i < n; i++)
		sys(SYS_getppid);
}

static void *thread_calls(void *arg)
{
	getppids((long)arg);
	return NULL;
}

static void *thread_exec(void *arg)
{
	char *argv[] = { self, "-n", "calls", "5", NULL };

	(void)arg;
	execv(self, argv);
	_exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;
	char c;

	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 2;
	if (i < argc && !strcmp(argv[i], "-n"))
		i++;
	else if (syscall(SYS_read, 0, &c, 1) < 0)
		return 2;
	if (i >= argc)
		return 2;
	const char *cmd = argv[i++];

	if (!strcmp(cmd, "calls") && i < argc) {
		long n = atol(argv[i]);

		getppids(n);
		for (int k = 0; k < 7; k++)
			sys(SYS_getuid);
		long fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);
		for (int k = 0; k < 3; k++)
			syscall(SYS_write, fd, "x", 1);
		syscall(SYS_close, fd);
		syscall(SYS_exit_group, 0);
	} else if (!strcmp(cmd, "spin")) {
		for (;;)
			sys(SYS_getppid);
	} else if (!strcmp(cmd, "forks") && i + 1 < argc) {
		long n = atol(argv[i]), k = atol(argv[i + 1]);

		for (long f = 0; f < n; f++) {
			if (sys(SYS_fork) == 0) {
				getppids(k);
				syscall(SYS_exit_group, 0);
			}
		}
		for (long f = 0; f < n; f++)
			syscall(SYS_wait4, -1, NULL, 0, NULL);
		syscall(SYS_exit_group, 0);
	} else if (!strcmp(cmd, "threads") && i + 1 < argc) {
		long n = atol(argv[i]), k = atol(argv[i + 1]);
		pthread_t *t = calloc(n, sizeof(*t));

		for (long f = 0; f < n; f++)
			if (pthread_create(&t[f], NULL, thread_calls, (void *)k))
				return 2;
		for (long f = 0; f < n; f++)
			pthread_join(t[f], NULL);
		syscall(SYS_exit_group, 0);
	} else if (!strcmp(cmd, "exec_thread")) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_exec, NULL))
			return 2;
		for (;;)
			pause();
	} else if (!strcmp(cmd, "vfork")) {
		char *cargv[] = { self, "-n", "calls", "3", NULL };
		pid_t pid = vfork();

		if (pid == 0) {
			execv(self, cargv);
			_exit(2);
		}
		int st;
		waitpid(pid, &st, 0);
		syscall(SYS_exit_group, WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	} else if (!strcmp(cmd, "exec") && i < argc) {
		execv(argv[i], argv + i);
		return 2;
	} else if (!strcmp(cmd, "pause")) {
		for (;;)
			pause();
	} else if (!strcmp(cmd, "block")) {
		if (syscall(SYS_read, 0, &c, 1) < 0)
			return 2;
		getppids(10);
		say("done\n", 0, 0);
		return 0;
	} else if (!strcmp(cmd, "zombie")) {
		long pid = sys(SYS_fork);

		if (pid == 0)
			syscall(SYS_exit_group, 0);
		say("%ld\n", pid, 0);
		if (syscall(SYS_read, 0, &c, 1) < 0)
			return 2;
		syscall(SYS_wait4, pid, NULL, 0, NULL);
		return 0;
	} else if (!strcmp(cmd, "abort")) {
		errno = 0;
		long r = sys(SYS_getppid);

		say("getppid=%ld errno=%ld\n", r, errno);
		return 0;
	}
	return 2;
}
