/* Plays the generated code of a script with probes on up-target's own
 * functions: probe descriptors whose handlers count hits and read
 * arguments and return values through loc2c-generated C (made at build
 * time by dwquery, as pass 3 will make it), a runtime/uprobes.h table
 * whose offsets come from the debuginfo layer (as pass 2 finds them), and
 * the runtime core with the ptrace platform in one program.
 *
 *   up-harness [-x] [--target=tree|pid|any] MODE [ARG] -- CMD...
 *
 * CMD[0] is the probed program (up-target, built as the harness's
 * variant: UP_ACC names its generated accessors).  -x starts CMD untraced
 * and attaches when it prints "serving PID".  MODES:
 *   count     up_add, up_add.return, up_fact, up_fact.return
 *   lib       up_lib_mul and its .return in up-lib.so (next to CMD[0])
 *   sdt       process.mark("tick") with its semaphore
 *   jump      up_deep.return, up_jumper.return, up_add.return
 *   bt        print_ubacktrace() and friends at up_bt_leaf
 *   serve N   (-x) N request lines, then the probes stop, then one more
 *             line with the target let go; the text is compared with
 *             the file while it still runs
 * Output: "key value..." lines; the target's own lines pass through. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define STP_USER_NCPUS 2
#define MAXERRORS 1000
#include "runtime.h"
#include "uprobes.c"
#include "unwind.c"
#include "loc2c.h"
#include "user/tracer.h"
#include "translate/debuginfo.h"
#include "translate/unwind_data.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STP_LOCALS_SIZE 64

#include UP_ACC
/* The symbols and CFI pass 3 embeds: up-target's and libc's (as -d would
 * bring it), made by up-udata. */
#include UP_UDATA

static void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("up-harness: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

int stp_transport_record(const char *data, size_t len)
{
	fwrite(data, 1, len, stdout);
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	if (type == STP_MSG_WARNING)
		printf("WARNING: %.*s\n", (int)len, text);
	else if (type == STP_MSG_ERROR)
		printf("ERROR: %.*s\n", (int)len, text);
	return 0;
}

#include "up-probes.c"
#include "up-bt.c"

static pid_t up_target;
static int up_status = -1;

static void on_target_exit(pid_t pid, int status, int exec_errno, void *data)
{
	(void)data;
	(void)exec_errno;
	if (pid != up_target)
		return;
	up_status = status;
	stp_user_tracer_exit(0);
}

static void on_child_exit(pid_t pid, int status, void *data)
{
	on_target_exit(pid, status, 0, data);
}

static const struct stp_user_hooks up_hooks = {
	.target_exit = on_target_exit,
	.child_exit = on_child_exit,
};

static FILE *up_target_out;
static int up_to_target = -1;

static pid_t start_untraced(char **argv)
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
	up_to_target = in[1];
	up_target_out = fdopen(o[0], "r");
	return pid;
}

/* The -x target's output, read from the tracer's loop (the target stops
 * at breakpoints while it works): a "calls" line ends one request. */
static char up_obuf[4096];
static size_t up_olen;

static void on_target_out(int fd, short revents, void *data)
{
	ssize_t r;
	char *nl;

	(void)revents;
	(void)data;
	r = read(fd, up_obuf + up_olen, sizeof(up_obuf) - 1 - up_olen);
	if (r <= 0) {
		stp_user_unwatch_fd(fd);
		stp_user_tracer_exit(1);
		return;
	}
	up_olen += (size_t)r;
	up_obuf[up_olen] = '\0';
	while ((nl = strchr(up_obuf, '\n'))) {
		bool done = !strncmp(up_obuf, "calls ", 6);

		fwrite(up_obuf, 1, (size_t)(nl + 1 - up_obuf), stdout);
		up_olen -= (size_t)(nl + 1 - up_obuf);
		memmove(up_obuf, nl + 1, up_olen + 1);
		if (done)
			stp_user_tracer_exit(0);
	}
}

static void serve_one(void)
{
	if (write(up_to_target, "go\n", 3) != 3)
		fatal("write to target: %s", strerror(errno));
	if (stp_user_tracer_run() != 0)
		fatal("the target stopped answering");
}

int main(int argc, char **argv)
{
	const char *target = "tree", *mode;
	bool attach = false;
	long mode_arg = 0, i;
	char err[256], **cmd;
	int rc, n, left;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-x"))
			attach = true;
		else if (!strncmp(argv[i], "--target=", 9))
			target = argv[i] + 9;
		else
			fatal("bad option %s", argv[i]);
	}
	if (i >= argc)
		fatal("no mode");
	mode = argv[i++];
	if (i < argc && strcmp(argv[i], "--"))
		mode_arg = strtol(argv[i++], NULL, 10);
	if (i >= argc || strcmp(argv[i], "--") || i + 1 >= argc)
		fatal("no command");
	cmd = &argv[i + 1];

	if (stp_user_tracer_init() < 0)
		fatal("tracer init failed");
	stp_user_set_hooks(&up_hooks);
	if (attach) {
		char line[64];
		int pid = 0;

		up_target = start_untraced(cmd);
		if (!fgets(line, sizeof(line), up_target_out) || sscanf(line, "serving %d", &pid) != 1)
			fatal("the target did not start");
		if (stp_user_attach(up_target, err, sizeof(err)) < 0)
			fatal("%s", err);
		stp_target_set(up_target, false);
		fcntl(fileno(up_target_out), F_SETFD, FD_CLOEXEC);
		if (stp_user_watch_fd(fileno(up_target_out), POLLIN, on_target_out, NULL) < 0)
			fatal("cannot watch the target's output");
	} else {
		up_target = stp_user_spawn(cmd, NULL, err, sizeof(err));
		if (up_target < 0)
			fatal("%s", err);
		stp_target_set(up_target, true);
	}
	n = up_build_table(cmd[0], mode, target, up_target);

	stp_usym_init(up_umodules, sizeof(up_umodules) / sizeof(up_umodules[0]));
	rc = stp_runtime_init();
	if (rc)
		fatal("runtime init: %s", strerror(-rc));
	stp_session_started();
	rc = stp_uprobes_start(up_table, (unsigned int)n);
	if (rc)
		fatal("stp_uprobes_start: %s", strerror(-rc));
	if (!attach && stp_user_release(up_target) < 0)
		fatal("release failed");

	if (!strcmp(mode, "serve")) {
		for (i = 0; i < mode_arg; i++)
			serve_one();
		printf("while armed: ");
		up_compare_text(up_target, cmd[0]);
		stp_uprobes_stop();
		up_report(mode);
		up_compare_text(up_target, cmd[0]);
		stp_runtime_quiesce();
		stp_session_stopping();
		stp_runtime_exit();
		left = stp_user_detach_all();
		printf("traced after detach_all %d\n", left);
		up_compare_text(up_target, cmd[0]);
		/* Let go: it must go on serving, unharmed. */
		stp_user_unwatch_fd(fileno(up_target_out));
		fcntl(fileno(up_target_out), F_SETFL, 0);
		if (up_olen)
			printf("after detach: %s", up_obuf);
		if (write(up_to_target, "go\n", 3) == 3) {
			char line[256];

			if (fgets(line, sizeof(line), up_target_out))
				printf("after detach: %s", line);
		}
		close(up_to_target);
		while (fgets(err, sizeof(err), up_target_out))
			printf("after detach: %s", err);
		waitpid(up_target, &up_status, 0);
		printf("status exited %d\n", WIFEXITED(up_status) ? WEXITSTATUS(up_status) : -1);
		return 0;
	}
	rc = stp_user_tracer_run();
	if (rc < 0)
		fatal("loop: %s", strerror(-rc));
	stp_uprobes_stop();
	stp_runtime_quiesce();
	stp_session_stopping();
	stp_session_report();
	stp_runtime_exit();
	left = stp_user_detach_all();
	up_report(mode);
	if (WIFEXITED(up_status))
		printf("status exited %d\n", WEXITSTATUS(up_status));
	else if (WIFSIGNALED(up_status))
		printf("status killed %d\n", WTERMSIG(up_status));
	if (left)
		printf("traced after detach_all %d\n", left);
	return 0;
}
