/* Drives the ptrace utrace engine (runtime/user) directly, for the
 * stap.ptrace tier and bench/ptrace-bench.
 *
 *   pt-harness [--no-seccomp] [--entry|--exit|--both] [--want=NR,...] count -- CMD...
 *	counts syscalls of CMD and all its threads and children:
 *	"NR entries exits errors" per syscall, then "status ..."
 *   pt-harness life -- CMD...
 *	counts clones, execs, exits, deaths and reaps
 *   pt-harness kill N -- CMD...
 *	holds CMD's main thread at its Nth getppid and SIGKILLs CMD
 *   pt-harness sem NAME TARGET
 *	one utrace-semantics check (NAME below) against TARGET (pt-target)
 *   pt-harness attach-serve K T TARGET | detach-one K TARGET
 *	attaches to a running "TARGET serve K T", checks, lets go
 *   pt-harness already TARGET
 *	attach to a child another process traces must fail, and say why
 *   pt-harness attach PID
 *	attaches to PID and prints the result (for the EPERM checks)
 *   pt-harness loop idle|quiet|busy TARGET
 *	timers and fds in the loop, with no tracee, a quiet one, a busy one
 *   pt-harness eperm-reasons
 *	the EPERM explanations for each Yama scope
 *   pt-harness seccomp-keep TARGET
 *	a filtered -c target stays traced after detach_all and works on */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pt-harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t target;
int target_status = -1;
int target_errno;
int failures;

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pt-harness: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void check(bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok - %s\n", what);
		return;
	}
	failures++;
	printf("FAIL - %s (", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

static void on_target_exit(pid_t pid, int status, int exec_errno, void *data)
{
	if (pid != target)
		return;
	target_status = status;
	target_errno = exec_errno;
	stp_user_tracer_exit(0);
}

/* A -c target let go by stp_user_detach_all is still our child: its end
 * comes as an untraced child's. */
static void on_child_exit(pid_t pid, int status, void *data)
{
	on_target_exit(pid, status, 0, data);
}

static const struct stp_user_hooks hooks = {
	.target_exit = on_target_exit,
	.child_exit = on_child_exit,
};

void print_status(void)
{
	if (target_errno)
		printf("status exec failed: %s\n", strerror(target_errno));
	else if (WIFEXITED(target_status))
		printf("status exited %d\n", WEXITSTATUS(target_status));
	else if (WIFSIGNALED(target_status))
		printf("status killed %d\n", WTERMSIG(target_status));
	else
		printf("status unknown 0x%x\n", target_status);
}

static void init(void)
{
	int r = stp_user_tracer_init();

	if (r < 0)
		fatal("init: %s", strerror(-r));
	stp_user_set_hooks(&hooks);
	setvbuf(stdout, NULL, _IONBF, 0);
}

struct task_struct *spawn(char **argv)
{
	char err[256];

	target = stp_user_spawn(argv, NULL, err, sizeof(err));
	if (target < 0)
		fatal("%s", err);
	return ut_task_find(target);
}

void run(void)
{
	int r = stp_user_tracer_run();

	if (r < 0)
		fatal("loop: %s", strerror(-r));
}

struct utrace_engine *attach(struct task_struct *t, const struct utrace_engine_ops *ops,
				    void *data, unsigned long events)
{
	struct utrace_engine *e = utrace_attach_task(t, UTRACE_ATTACH_CREATE, ops, data);

	if (IS_ERR(e))
		fatal("attach to %d: %s", (int)stp_task_tid(t), strerror((int)-PTR_ERR(e)));
	if (utrace_set_events(t, e, events))
		fatal("set_events failed");
	return e;
}

/* ---- the observer: counts everything, follows every child ---- */

static struct {
	long clone_threads, clone_procs, clone_vforks, execs, exits, deaths, group_deaths, reaps;
	long entries[UT_NR_MAX], exits_nr[UT_NR_MAX], errors[UT_NR_MAX];
} C;
static unsigned long obs_events;
static const struct utrace_engine_ops obs_ops;
static const struct utrace_engine_ops *obs_child_ops = &obs_ops;

static void obs_attach(struct task_struct *t)
{
	utrace_engine_put(attach(t, obs_child_ops, NULL, obs_events));
}

static u32 obs_clone(u32 action, struct utrace_engine *e, unsigned long flags,
		     struct task_struct *child)
{
	if (flags & CLONE_THREAD)
		C.clone_threads++;
	else if (flags & CLONE_VFORK)
		C.clone_vforks++;
	else
		C.clone_procs++;
	obs_attach(child);
	return UTRACE_RESUME;
}

static u32 obs_exec(u32 action, struct utrace_engine *e, const struct linux_binfmt *fmt,
		    const struct linux_binprm *bprm, struct pt_regs *regs)
{
	C.execs++;
	return UTRACE_RESUME;
}

static u32 obs_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	long nr = stp_syscall_nr(stp_current_task(), regs);

	if (nr >= 0 && nr < UT_NR_MAX)
		C.entries[nr]++;
	return UTRACE_RESUME;
}

static u32 obs_sysexit(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	struct task_struct *t = stp_current_task();
	long nr = stp_syscall_nr(t, regs), ret = stp_syscall_return(t, regs);

	if (nr >= 0 && nr < UT_NR_MAX) {
		C.exits_nr[nr]++;
		if (ret < 0 && ret > -4096)
			C.errors[nr]++;
	}
	return UTRACE_RESUME;
}

static u32 obs_exit(u32 action, struct utrace_engine *e, long orig_code, long *code)
{
	C.exits++;
	return UTRACE_RESUME;
}

static u32 obs_death(struct utrace_engine *e, bool group_dead, int signal)
{
	C.deaths++;
	if (group_dead)
		C.group_deaths++;
	return UTRACE_RESUME;
}

static void obs_reap(struct utrace_engine *e, struct task_struct *t)
{
	C.reaps++;
}

static const struct utrace_engine_ops obs_ops = {
	.report_clone = obs_clone,
	.report_exec = obs_exec,
	.report_syscall_entry = obs_entry,
	.report_syscall_exit = obs_sysexit,
	.report_exit = obs_exit,
	.report_death = obs_death,
	.report_reap = obs_reap,
};

static void parse_want(const char *list)
{
	int nrs[UT_NR_MAX], n = 0;
	char *copy, *tok, *save = NULL;

	if (!strcmp(list, "all")) {
		stp_user_want_syscalls(NULL, -1);
		return;
	}
	copy = strdup(list);

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (n < UT_NR_MAX)
			nrs[n++] = atoi(tok);
	if (stp_user_want_syscalls(nrs, n) < 0)
		fatal("bad --want list '%s'", list);
	free(copy);
}

static int do_count(unsigned long sys, char **argv)
{
	struct task_struct *t;
	int nr;

	obs_events = UTRACE_EVENT(CLONE) | sys;
	t = spawn(argv);
	obs_attach(t);
	stp_user_release(target);
	run();
	for (nr = 0; nr < UT_NR_MAX; nr++)
		if (C.entries[nr] || C.exits_nr[nr])
			printf("%d %ld %ld %ld\n", nr, C.entries[nr], C.exits_nr[nr], C.errors[nr]);
	print_status();
	return 0;
}

static int do_life(char **argv)
{
	struct task_struct *t;

	obs_events = UTRACE_EVENT(CLONE) | UTRACE_EVENT(EXEC) | UTRACE_EVENT(EXIT) |
		     UTRACE_EVENT(DEATH) | UTRACE_EVENT(REAP);
	t = spawn(argv);
	obs_attach(t);
	stp_user_release(target);
	run();
	printf("clone-threads %ld\nclone-procs %ld\nclone-vforks %ld\nexecs %ld\n"
	       "exits %ld\ndeaths %ld\ngroup-deaths %ld\nreaps %ld\n",
	       C.clone_threads, C.clone_procs, C.clone_vforks, C.execs,
	       C.exits, C.deaths, C.group_deaths, C.reaps);
	print_status();
	printf("traced %d\n", stp_user_traced_threads());
	return 0;
}

/* ---- kill: SIGKILL breaks a UTRACE_STOP and ends everything ---- */

static long kill_at;

static u32 kill_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	struct task_struct *t = stp_current_task();

	obs_entry(action, e, regs);
	if (stp_task_tid(t) == target && C.entries[__NR_getppid] == kill_at) {
		kill(target, SIGKILL);
		return UTRACE_STOP;
	}
	return UTRACE_RESUME;
}

/* Tries to hold every exiting thread: SIGKILL must win anyway. */
static u32 kill_exit(u32 action, struct utrace_engine *e, long orig_code, long *code)
{
	C.exits++;
	return UTRACE_STOP;
}

static const struct utrace_engine_ops kill_ops = {
	.report_clone = obs_clone,
	.report_syscall_entry = kill_entry,
	.report_exit = kill_exit,
	.report_death = obs_death,
	.report_reap = obs_reap,
};

static int do_kill(long n, char **argv)
{
	struct task_struct *t;
	int want = __NR_getppid;

	kill_at = n;
	stp_user_want_syscalls(&want, 1);
	t = spawn(argv);
	/* Threads exist before the main thread's Nth getppid: attach to
	 * them as they are born. */
	obs_events = UTRACE_EVENT(CLONE) | UTRACE_EVENT(SYSCALL_ENTRY) | UTRACE_EVENT(EXIT) |
		     UTRACE_EVENT(DEATH) | UTRACE_EVENT(REAP);
	obs_child_ops = &kill_ops;
	utrace_engine_put(attach(t, &kill_ops, NULL, obs_events));
	stp_user_release(target);
	run();
	printf("getppid %ld\nexits %ld\ndeaths %ld\nreaps %ld\n", C.entries[__NR_getppid],
	       C.exits, C.deaths, C.reaps);
	print_status();
	printf("traced %d\n", stp_user_traced_threads());
	return 0;
}

/* ---- loop: timers and fds, with and without busy tracees ---- */

static int ticks, tick_id, loop_pipe[2];
static char loop_got;

static void loop_exit(void *data)
{
	stp_user_tracer_exit(7);
}

static void loop_fd(int fd, short revents, void *data)
{
	if (read(fd, &loop_got, 1) != 1)
		fatal("read");
	stp_user_unwatch_fd(fd);
	stp_user_timer_add(2000000, 0, loop_exit, NULL);
}

static void loop_tick(void *data)
{
	if (++ticks < 5)
		return;
	stp_user_timer_del(tick_id);
	if (write(loop_pipe[1], "x", 1) != 1)
		fatal("write");
}

static void loop_never(void *data)
{
	fatal("a deleted timer fired");
}

static long busy_reports;

static u32 busy_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	busy_reports++;
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops busy_ops = { .report_syscall_entry = busy_entry };

/* how: "idle" (no tracee), "quiet" (a tracee that never stops), "busy"
 * (a tracee stopping at every getppid: timers and fds must not starve). */
static int do_loop(const char *how, const char *prog)
{
	char *argv[] = { (char *)prog, "spin", "0", NULL };
	int want = __NR_getppid, code;

	if (pipe2(loop_pipe, O_CLOEXEC) < 0)
		fatal("pipe");
	if (strcmp(how, "idle")) {
		struct task_struct *t;

		/* Quiet: no filter, no engine, so the tracee never stops. */
		if (!strcmp(how, "busy"))
			stp_user_want_syscalls(&want, 1);
		t = spawn(argv);
		if (!strcmp(how, "busy"))
			utrace_engine_put(attach(t, &busy_ops, NULL, UTRACE_EVENT(SYSCALL_ENTRY)));
		stp_user_release(target);
	}
	tick_id = stp_user_timer_add(1000000, 1000000, loop_tick, NULL);
	stp_user_timer_del(stp_user_timer_add(3600000000000ull, 0, loop_never, NULL));
	stp_user_watch_fd(loop_pipe[0], POLLIN, loop_fd, NULL);
	code = stp_user_tracer_run();
	printf("ticks %d, fd read %c, loop returned %d\n", ticks, loop_got, code);
	if (target > 0) {
		kill(target, SIGKILL);
		run();
		printf("busy tracee reported: %s\n", busy_reports ? "yes" : "no");
		print_status();
	}
	return 0;
}

static void usage(void)
{
	fatal("usage: pt-harness [--no-seccomp] [--entry|--exit|--both] [--want=NR,...] "
	      "MODE ARGS...");
}

int main(int argc, char **argv)
{
	unsigned long sys = UTRACE_EVENT_SYSCALL;
	const char *mode;
	int i;

	init();
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2) && argv[i][2]; i++) {
		if (!strcmp(argv[i], "--no-seccomp"))
			stp_user_use_seccomp(false);
		else if (!strcmp(argv[i], "--entry"))
			sys = UTRACE_EVENT(SYSCALL_ENTRY);
		else if (!strcmp(argv[i], "--exit"))
			sys = UTRACE_EVENT(SYSCALL_EXIT);
		else if (!strcmp(argv[i], "--both"))
			sys = UTRACE_EVENT_SYSCALL;
		else if (!strncmp(argv[i], "--want=", 7))
			parse_want(argv[i] + 7);
		else
			usage();
	}
	if (i >= argc)
		usage();
	mode = argv[i++];
	/* Modes that run a command take it after "--". */
	if (i < argc && !strcmp(argv[i], "--") && !strcmp(mode, "count"))
		return do_count(sys, argv + i + 1);
	if (i < argc && !strcmp(argv[i], "--") && !strcmp(mode, "life"))
		return do_life(argv + i + 1);
	if (!strcmp(mode, "kill") && i + 2 < argc && !strcmp(argv[i + 1], "--"))
		return do_kill(atol(argv[i]), argv + i + 2);
	if (!strcmp(mode, "sem") && i + 1 < argc)
		return do_sem(argv[i], argv[i + 1]) ? 1 : 0;
	if (!strcmp(mode, "attach-serve") && i + 2 < argc)
		return do_attach_serve(atol(argv[i]), atoi(argv[i + 1]), argv[i + 2]);
	if (!strcmp(mode, "detach-one") && i + 1 < argc)
		return do_detach_one(atol(argv[i]), argv[i + 1]);
	if (!strcmp(mode, "already") && i < argc)
		return do_already(argv[i]);
	if (!strcmp(mode, "attach") && i < argc)
		return do_attach_pid(atoi(argv[i]));
	if (!strcmp(mode, "loop") && i + 1 < argc)
		return do_loop(argv[i], argv[i + 1]);
	if (!strcmp(mode, "eperm-reasons"))
		return do_eperm_reasons();
	if (!strcmp(mode, "seccomp-keep") && i < argc)
		return do_seccomp_keep(argv[i]);
	usage();
	return 2;
}
