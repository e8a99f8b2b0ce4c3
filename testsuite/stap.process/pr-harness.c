/* Plays the generated code of a script with process probes: probe
 * descriptors with handlers that count and check, a table for
 * runtime/utrace-probes.c, and the runtime core, the task finder and the
 * ptrace platform built into one program, as pass 4 builds a module.
 *
 *   pr-harness [OPTIONS] MODE [ARGS] -- CMD...
 *	starts CMD as -c does (held before its exec, target()), runs, stops
 *   pr-harness [OPTIONS] -x MODE [ARGS] -- CMD...
 *	starts CMD untraced, waits for its "serving PID" line, attaches as -x
 *
 * OPTIONS: --no-seccomp; --target=any|self|path:PATH|pid:N (what the
 * probes name: process, process(TARGET PID), process("PATH"),
 * process(N)); --events=LIST of begin,end,thread.begin,thread.end,
 * syscall,syscall.return (default all).
 *
 * MODES (output: one "key value..." line per fact, for ctx.exp-style
 * parsing; WARNING:/ERROR: lines are the runtime's control messages)
 *   life       begin/end/thread counts and the order checks
 *   count      per-syscall "sys NR entries returns errors" lines too
 *   retvals    "ret NAME VALUE" for each syscall.return of the target
 *   ctx        the process-context helpers at pr-target's markers
 *   kill N     SIGKILLs the target at its Nth getppid
 *   unregister stops the probes while the target blocks in read(),
 *              then feeds it a line
 *   serve N    (-x) sends N lines, each answered "pong", then EOF */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define STP_USER_NCPUS 2
#define MAXERRORS 1000
#include "runtime.h"
#include "utrace-probes.c"
#include "syscalls/syscall_names.c"
#include "syscalls/errno_names.c"
#include "user/tracer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pr-marker.h"

#define STP_LOCALS_SIZE 64

static void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pr-harness: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* ---- the transport: records to stdout, control messages as stapio
 * prints them ---- */

int stp_transport_record(const char *data, size_t len)
{
	fwrite(data, 1, len, stdout);
	return 0;
}

static int pr_exit_requests;

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	if (type == STP_MSG_WARNING)
		printf("WARNING: %.*s\n", (int)len, text);
	else if (type == STP_MSG_ERROR)
		printf("ERROR: %.*s\n", (int)len, text);
	else if (type == STP_MSG_SYSTEM)
		printf("SYSTEM: %.*s\n", (int)len, text);
	else if (type == STP_MSG_REQUEST_EXIT)
		pr_exit_requests++;
	return 0;
}

static pid_t pr_target;
static int pr_status = -1, pr_exec_errno;
static int pr_mode_kill_at = -1;
static int pr_to_target = -1;	/* -x: the target's stdin */

/* The tapset's embedded-C functions, as pass 3 would emit them
 * (tapset-c.awk); STAP_ERROR reports at tap_loc, the call site. */
static const struct stp_loc *tap_loc;
#include "tapset_fns.c"

#include "pr-checks.c"
#include "pr-ctx.c"

/* ---- the target ---- */

static void on_target_exit(pid_t pid, int status, int exec_errno, void *data)
{
	(void)data;
	if (pid != pr_target)
		return;
	pr_status = status;
	pr_exec_errno = exec_errno;
	stp_user_tracer_exit(0);
}

static void on_child_exit(pid_t pid, int status, void *data)
{
	on_target_exit(pid, status, 0, data);
}

static const struct stp_user_hooks pr_hooks = {
	.target_exit = on_target_exit,
	.child_exit = on_child_exit,
};

static void print_status(void)
{
	if (pr_exec_errno)
		printf("status exec failed: %s\n", strerror(pr_exec_errno));
	else if (WIFEXITED(pr_status))
		printf("status exited %d\n", WEXITSTATUS(pr_status));
	else if (WIFSIGNALED(pr_status))
		printf("status killed %d\n", WTERMSIG(pr_status));
	else
		printf("status unknown 0x%x\n", pr_status);
}

/* -x: the target runs untraced first, with a pipe for stdin and one for
 * stdout; its "serving PID" line says it is ready. */
static pid_t start_untraced(char **argv, FILE **out)
{
	int in[2], o[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC) < 0)
		fatal("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	pr_to_target = in[1];
	*out = fdopen(o[0], "r");
	return pid;
}

/* ---- main ---- */

static void usage(void)
{
	fatal("usage: pr-harness [--no-seccomp] [--target=T] [--events=E] [-x] MODE [ARG] -- CMD...");
}

int main(int argc, char **argv)
{
	const char *target = "any", *events = NULL, *mode;
	bool attach = false;
	long mode_arg = 0;
	char err[256];
	char **cmd;
	FILE *target_out = NULL;
	int i, rc, n;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--no-seccomp"))
			stp_user_use_seccomp(false);
		else if (!strncmp(argv[i], "--target=", 9))
			target = argv[i] + 9;
		else if (!strncmp(argv[i], "--events=", 9))
			events = argv[i] + 9;
		else if (!strcmp(argv[i], "-x"))
			attach = true;
		else
			usage();
	}
	if (i >= argc)
		usage();
	mode = argv[i++];
	if (i < argc && strcmp(argv[i], "--"))
		mode_arg = strtol(argv[i++], NULL, 10);
	if (i >= argc || strcmp(argv[i], "--") || i + 1 >= argc)
		usage();
	cmd = &argv[i + 1];

	if (stp_user_tracer_init() < 0)
		fatal("tracer init failed");
	stp_user_set_hooks(&pr_hooks);
	if (attach) {
		char line[64];
		int pid = 0;

		pr_target = start_untraced(cmd, &target_out);
		if (!fgets(line, sizeof(line), target_out) || sscanf(line, "serving %d", &pid) != 1)
			fatal("the target did not start");
		if (stp_user_attach(pr_target, err, sizeof(err)) < 0)
			fatal("%s", err);
		stp_target_set(pr_target, false);
	} else {
		pr_prepare(mode);
		pr_target = stp_user_spawn(cmd, NULL, err, sizeof(err));
		if (pr_target < 0)
			fatal("%s", err);
		stp_target_set(pr_target, true);
	}
	if (!strcmp(mode, "kill"))
		pr_mode_kill_at = (int)mode_arg;
	n = pr_build_table(target, events, mode);

	rc = stp_runtime_init();
	if (rc)
		fatal("runtime init: %s", strerror(-rc));
	stp_session_started();
	rc = stp_utrace_probes_start(pr_table, (unsigned int)n);
	if (rc)
		fatal("stp_utrace_probes_start: %s", strerror(-rc));
	if (!attach && stp_user_release(pr_target) < 0)
		fatal("release failed");

	if (!strcmp(mode, "unregister")) {
		pr_unregister(pr_target);
	} else if (!strcmp(mode, "serve")) {
		pr_serve(target_out, mode_arg);
	} else {
		rc = stp_user_tracer_run();
		if (rc < 0)
			fatal("loop: %s", strerror(-rc));
	}

	stp_utrace_probes_stop();
	pr_after_stop();
	stp_runtime_quiesce();
	stp_session_stopping();
	stp_session_report();
	stp_runtime_exit();
	n = stp_user_detach_all();
	pr_report(mode);
	if (strcmp(mode, "serve"))
		print_status();
	if (n)
		printf("traced after detach_all %d\n", n);
	return 0;
}
