/* Starting the -c target: fork, PTRACE_SEIZE, hold it just before execve
 * until the probes are armed, then hand it its seccomp filter and let it
 * exec.
 *
 * The child talks to the tracer over two pipes.  cfg: one byte once the
 * tracer has seized it (so it never runs untraced past that point), then
 * the filter program at release.  err (close-on-exec): errno, when execve
 * or the filter fails.  In between it stops itself with SIGSTOP, which
 * the tracer swallows: that stop is the hold. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "utrace_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct ut_filter_msg {
	uint32_t len;
	struct sock_filter prog[BPF_MAXINSNS];
};

static void ut_msg(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int ut_executable(const char *path)
{
	struct stat st;

	if (access(path, X_OK) < 0)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISREG(st.st_mode) ? 0 : -EACCES;
}

/* Resolves name as execvp would, so the child makes exactly one execve
 * (the program's first syscall as far as probes can tell) and a missing
 * command is an error here rather than an exit status later. */
static int ut_find_program(const char *name, char *out, size_t len)
{
	const char *path, *p, *end;
	int r, best = -ENOENT;

	if (strchr(name, '/')) {
		r = ut_executable(name);
		if (r == 0)
			snprintf(out, len, "%s", name);
		return r;
	}
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		int n;

		end = strchrnul(p, ':');
		n = (int)(end - p);
		if ((size_t)snprintf(out, len, "%.*s%s%s", n, p, n ? "/" : "", name) < len) {
			r = ut_executable(out);
			if (r == 0)
				return 0;
			if (r == -EACCES)
				best = r;
		}
		if (!*end)
			break;
	}
	return best;
}

static int ut_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void ut_child_fail(int errfd, int e)
{
	ssize_t r = write(errfd, &e, sizeof(e));

	(void)r;
	_exit(127);
}

static int ut_install_filter(struct sock_fprog *fp)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fp) == 0)
		return 0;
	if (errno != EACCES)
		return -1;
	/* Without CAP_SYS_ADMIN a filter needs no_new_privs.  That costs a
	 * traced program nothing: exec under ptrace grants no privileges
	 * anyway. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fp);
}

static void ut_spawn_child(const char *path, char *const argv[], char *const envp[],
			   int cfgfd, int errfd)
{
	static struct ut_filter_msg msg;
	/* The tracer process ignores the signals stapio turns into STOP, and
	 * ignored stays ignored across exec: the command gets the defaults,
	 * as staprun's own -c command does (staprun/target.c). */
	static const int dfl[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR2, SIGPIPE };
	struct sigaction sa;
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		sigaction(dfl[i], &sa, NULL);
	sigprocmask(SIG_SETMASK, &ut_orig_sigmask, NULL);
	if (read(cfgfd, &c, 1) != 1)
		_exit(127);	/* the tracer could not seize us */
	raise(SIGSTOP);		/* held here until stp_user_release */
	if (ut_read_full(cfgfd, &msg.len, sizeof(msg.len)) < 0 || msg.len > BPF_MAXINSNS)
		ut_child_fail(errfd, EIO);
	if (msg.len) {
		struct sock_fprog fp = { .len = (unsigned short)msg.len, .filter = msg.prog };

		if (ut_read_full(cfgfd, msg.prog, msg.len * sizeof(msg.prog[0])) < 0)
			ut_child_fail(errfd, EIO);
		if (ut_install_filter(&fp) < 0)
			ut_child_fail(errfd, errno);
	}
	close(cfgfd);
	execve(path, argv, envp ? envp : environ);
	ut_child_fail(errfd, errno);
}

/* Waits for the child's SIGSTOP: it only reads a pipe and raises, so
 * nothing else can come first but its death. */
static int ut_wait_hold(pid_t pid)
{
	int status;

	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -ECHILD;
		if (WIFSTOPPED(status) && (status >> 16) == 0 && WSTOPSIG(status) == SIGSTOP)
			return 0;
		if (WIFSTOPPED(status))
			ptrace(PTRACE_CONT, pid, 0L,
			       (long)((status >> 16) == 0 ? WSTOPSIG(status) : 0));
	}
}

pid_t stp_user_spawn(char *const argv[], char *const envp[], char *err, size_t errlen)
{
	char path[PATH_MAX];
	int cfg[2], errp[2], r;
	struct stp_proc *p;
	struct task_struct *t;
	pid_t pid;

	ut_msg(err, errlen, "%s", "");
	r = stp_user_tracer_init();
	if (r < 0) {
		ut_msg(err, errlen, "cannot start the tracer: %s", strerror(-r));
		return r;
	}
	if (!argv || !argv[0] || !argv[0][0]) {
		ut_msg(err, errlen, "no command to run");
		return -EINVAL;
	}
	r = ut_find_program(argv[0], path, sizeof(path));
	if (r < 0) {
		ut_msg(err, errlen, "cannot run '%s': %s", argv[0], strerror(-r));
		return r;
	}
	if (pipe2(cfg, O_CLOEXEC) < 0) {
		r = -errno;
		ut_msg(err, errlen, "cannot run '%s': %s", argv[0], strerror(-r));
		return r;
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		r = -errno;
		close(cfg[0]);
		close(cfg[1]);
		ut_msg(err, errlen, "cannot run '%s': %s", argv[0], strerror(-r));
		return r;
	}
	pid = fork();
	if (pid == 0) {
		close(cfg[1]);
		close(errp[0]);
		ut_spawn_child(path, argv, envp, cfg[0], errp[1]);
	}
	r = pid < 0 ? -errno : 0;
	close(cfg[0]);
	close(errp[1]);
	if (r == 0 && ptrace(PTRACE_SEIZE, pid, 0L,
			     (long)(UT_PTRACE_OPTIONS | PTRACE_O_EXITKILL)) < 0) {
		r = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
	}
	if (r == 0 && write(cfg[1], "", 1) != 1)
		r = -EPIPE;
	if (r == 0)
		r = ut_wait_hold(pid);
	if (r < 0) {
		close(cfg[1]);
		close(errp[0]);
		ut_msg(err, errlen, "cannot run '%s': %s", argv[0], strerror(-r));
		return r;
	}
	p = ut_proc_new(pid);
	p->pinned = p->target = p->spawned = true;
	p->spawn_cfgfd = cfg[1];
	p->spawn_errfd = errp[0];
	fcntl(p->spawn_errfd, F_SETFL, O_NONBLOCK);
	t = ut_task_new(pid);
	ut_proc_add(p, t);
	/* In its SIGSTOP signal-delivery-stop, which it will never get. */
	t->state = UT_TS_STOPPED;
	t->stop = UT_STOP_INTERRUPT;
	t->held = true;
	t->spawn_hold = true;
	t->prelude = true;
	return pid;
}

int stp_user_release(pid_t pid)
{
	static struct ut_filter_msg msg;
	struct task_struct *t = ut_task_find(pid);
	const struct stp_filter *f;
	struct stp_proc *p;
	size_t n;
	int len;

	if (!t || !t->spawn_hold || !(p = t->proc) || p->spawn_cfgfd < 0)
		return -ESRCH;
	f = ut_filter_snapshot();
	len = f ? ut_filter_program(f, msg.prog, BPF_MAXINSNS) : 0;
	if (len < 0) {
		f = NULL;	/* cannot happen with UT_NR_MAX ranges; stay correct */
		len = 0;
	}
	msg.len = (uint32_t)len;
	/* At most 32 KiB into an empty pipe: it cannot block. */
	n = sizeof(msg.len) + (size_t)len * sizeof(msg.prog[0]);
	if (write(p->spawn_cfgfd, &msg, n) != (ssize_t)n)
		f = NULL;	/* the child died; its death will be reported */
	close(p->spawn_cfgfd);
	p->spawn_cfgfd = -1;
	p->filter = len ? f : NULL;
	t->spawn_hold = false;
	ut_kick(t);
	return 0;
}
