/* Attaching to running processes and letting them go (pt-harness modes
 * attach-serve, detach-one, already, attach, eperm-reasons,
 * seccomp-keep).  The "serve" target answers each stdin line with
 * "pong N" after K getppid calls, so a traced run can be counted exactly
 * and an untraced one shows the process still works. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pt-harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct serve {
	pid_t pid;
	int to;		/* its stdin */
	int from;	/* its stdout */
	char line[256];
	size_t len;
};

static void serve_start(struct serve *s, const char *prog, long k, int nthreads)
{
	char ks[32], ts[32];
	int in[2], out[2];

	snprintf(ks, sizeof(ks), "%ld", k);
	snprintf(ts, sizeof(ts), "%d", nthreads);
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		fatal("pipe: %s", strerror(errno));
	s->pid = fork();
	if (s->pid < 0)
		fatal("fork: %s", strerror(errno));
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(prog, prog, "serve", ks, ts, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->to = in[1];
	s->from = out[0];
	s->len = 0;
}

/* Reads what is there; true once a whole line is in s->line. */
static bool serve_read(struct serve *s)
{
	char c;

	while (s->len < sizeof(s->line) - 1 && read(s->from, &c, 1) == 1) {
		s->line[s->len++] = c;
		if (c == '\n') {
			s->line[s->len] = '\0';
			s->len = 0;
			return true;
		}
	}
	return false;
}

static void on_reply(int fd, short revents, void *data)
{
	struct serve *s = data;

	if (serve_read(s) || (revents & (POLLHUP | POLLERR)))
		stp_user_tracer_exit(0);
}

/* Sends a request and prints the answer; traced, the tracer loop runs
 * while the target works on it. */
static void serve_ping(struct serve *s, bool traced)
{
	s->line[0] = '\0';
	if (write(s->to, "ping\n", 5) != 5)
		fatal("write: %s", strerror(errno));
	if (traced) {
		stp_user_watch_fd(s->from, POLLIN, on_reply, s);
		run();
		stp_user_unwatch_fd(s->from);
	} else {
		while (!serve_read(s))
			;
	}
	printf("%s", s->line[0] ? s->line : "no reply\n");
}

static void serve_end(struct serve *s)
{
	int st;

	close(s->to);
	if (waitpid(s->pid, &st, 0) < 0)
		fatal("waitpid: %s", strerror(errno));
	printf("exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(s->from);
}

/* How many of pid's threads have TracerPid == tracer. */
static int traced_by(pid_t pid, pid_t tracer, int *nthreads)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	*nthreads = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name), tr = -1;

		if (tid <= 0)
			continue;
		(*nthreads)++;
		ut_read_proc_status(tid, NULL, NULL, &tr, NULL);
		n += tr == tracer;
	}
	closedir(d);
	return n;
}

static long getppids;

static u32 count_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	if (stp_syscall_nr(stp_current_task(), regs) == __NR_getppid)
		getppids++;
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops count_ops = { .report_syscall_entry = count_entry };

int do_attach_serve(long k, int nthreads, const char *prog)
{
	struct serve s;
	struct stp_proc *p;
	struct task_struct *t;
	char err[256];
	int want = __NR_getppid, n, all;

	serve_start(&s, prog, k, nthreads);
	serve_ping(&s, false);
	if (stp_user_attach(s.pid, err, sizeof(err)) < 0)
		fatal("%s", err);
	printf("attached %d threads\n", stp_user_traced_threads());
	n = traced_by(s.pid, getpid(), &all);
	printf("traced by us: %s\n", n == all ? "all threads" : "not all threads");
	stp_user_want_syscalls(&want, 1);
	p = ut_proc_find(s.pid);
	for (t = p ? p->threads : NULL; t; t = t->proc_next)
		utrace_engine_put(attach(t, &count_ops, NULL, UTRACE_EVENT(SYSCALL_ENTRY)));
	/* The threads run on: wait until each stops once and goes on under
	 * PTRACE_SYSCALL, or the first request could slip through. */
	stp_user_settle();
	serve_ping(&s, true);
	printf("getppid %ld\n", getppids);
	printf("still traced after detach_all: %d\n", stp_user_detach_all());
	printf("threads traced by anyone: %d\n", all - traced_by(s.pid, 0, &all));
	serve_ping(&s, false);
	serve_end(&s);
	return 0;
}

int do_detach_one(long k, const char *prog)
{
	struct serve s;
	struct utrace_engine *e;
	struct task_struct *t;
	struct pid *pid;
	int want = __NR_getppid, r, all;

	serve_start(&s, prog, k, 2);
	serve_ping(&s, false);
	pid = find_get_pid(s.pid);
	e = utrace_attach_pid(pid, UTRACE_ATTACH_CREATE, &count_ops, NULL);
	put_pid(pid);
	if (IS_ERR(e))
		fatal("utrace_attach_pid: %s", strerror((int)-PTR_ERR(e)));
	t = ut_task_find(s.pid);
	stp_user_want_syscalls(&want, 1);
	utrace_set_events(t, e, UTRACE_EVENT(SYSCALL_ENTRY));
	stp_user_settle();
	printf("traced threads %d, by us %d\n", stp_user_traced_threads(),
	       traced_by(s.pid, getpid(), &all));
	serve_ping(&s, true);
	printf("getppid %ld\n", getppids);
	r = utrace_control(t, e, UTRACE_DETACH);
	utrace_engine_put(e);
	/* The last engine is gone: the thread is let go at its next stop. */
	ut_process_kicks();
	while (stp_user_traced_threads() > 0)
		if (ut_wait_one(true) < 0)
			break;
	printf("detach %d, traced threads %d, by anyone %d\n", r, stp_user_traced_threads(),
	       all - traced_by(s.pid, 0, &all));
	serve_ping(&s, false);
	serve_end(&s);
	return 0;
}

int do_already(const char *prog)
{
	char line[128], err[256];
	int in[2], out[2], child = 0, tracer = 0, r, st;
	pid_t pid;
	FILE *f;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		fatal("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(prog, prog, "traced-child", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "child %d tracer %d", &child, &tracer) != 2)
		fatal("traced-child said nothing");
	printf("%s", line);
	r = stp_user_attach(child, err, sizeof(err));
	printf("attach %s: %s\n", r == -EPERM ? "EPERM" : r ? strerror(-r) : "ok", err);
	close(in[1]);
	waitpid(pid, &st, 0);
	fclose(f);
	return 0;
}

int do_attach_pid(pid_t pid)
{
	char err[256];
	int r = stp_user_attach(pid, err, sizeof(err));

	if (r < 0) {
		printf("%s\n", err);
		return 1;
	}
	printf("attached, then %d threads traced after detach_all\n", stp_user_detach_all());
	return 0;
}

int do_eperm_reasons(void)
{
	char buf[256];

	for (int scope = -1; scope <= 3; scope++) {
		for (int cap = 0; cap <= 1; cap++) {
			ut_eperm_reason(buf, sizeof(buf), scope, cap, true);
			printf("scope %d cap %d: %s\n", scope, cap, buf);
		}
	}
	return 0;
}

static bool exec_seen;

static u32 keep_exec(u32 action, struct utrace_engine *e, const struct linux_binfmt *fmt,
		     const struct linux_binprm *bprm, struct pt_regs *regs)
{
	exec_seen = true;
	stp_user_tracer_exit(0);
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops keep_ops = {
	.report_exec = keep_exec,
	.report_syscall_entry = count_entry,
};

int do_seccomp_keep(const char *prog)
{
	char *argv[] = { (char *)prog, "readline", NULL };
	int p[2], want = __NR_read;
	struct task_struct *t;

	if (pipe2(p, O_CLOEXEC) < 0 || dup2(p[0], 0) < 0)
		fatal("pipe: %s", strerror(errno));
	close(p[0]);
	stp_user_want_syscalls(&want, 1);
	t = spawn(argv);
	utrace_engine_put(attach(t, &keep_ops, NULL,
				 UTRACE_EVENT(EXEC) | UTRACE_EVENT(SYSCALL_ENTRY)));
	stp_user_release(target);
	run();		/* until its exec */
	printf("exec %s, filter %s\n", exec_seen ? "seen" : "missed",
	       t->proc && t->proc->filter ? "installed" : "none");
	printf("still traced after detach_all: %d\n", stp_user_detach_all());
	/* Its engines are gone; its filtered read must still work. */
	if (write(p[1], "hello\n", 6) != 6)
		fatal("write: %s", strerror(errno));
	close(p[1]);
	run();		/* until it exits */
	print_status();
	return 0;
}
