/* stp_tracer_run for modules built for the ptrace runtime: the transport's
 * session (runtime/user/transport.h) driven by the ptrace tracer's event
 * loop (runtime/user/tracer.h).
 *
 * The -c command is started by the tracer itself, held before exec, so the
 * probes are armed (engines attached by the task finder) before it runs
 * any of its code; an -x process is attached before arming.  The loop
 * then serves ptrace events, timers and stapio's socket until STOP. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "transport.h"
#include "tracer.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

static pid_t run_child;		/* the -c command, until it ends */

static void stp_run_error(const char *text)
{
	stp_transport_ctl(STP_MSG_ERROR, text, strlen(text));
}

static void on_target_exit(pid_t pid, int status, int exec_errno, void *data)
{
	(void)data;
	if (pid != run_child)
		return;
	run_child = 0;
	if (exec_errno) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot run the -c command: %s", strerror(exec_errno));
		stp_run_error(msg);
	}
	stp_user_target_exited(pid, status);
}

static void on_control(int fd, short revents, void *data)
{
	(void)fd;
	(void)revents;
	(void)data;
	if (stp_user_poll())
		stp_user_tracer_exit(0);
}

/* A plain command line is exec'd itself, so target() is the command's own
 * pid (as SystemTap does); anything that needs a shell runs under sh -c.
 * The same rule as stp_user_exec_target, decided before the fork because
 * stp_user_spawn takes an argv. */
static pid_t spawn_command(const char *cmd)
{
	char err[512];
	wordexp_t w;
	bool split = wordexp(cmd, &w, WRDE_NOCMD) == 0;
	char *shell[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	pid_t pid;

	if (split && w.we_wordc > 0)
		pid = stp_user_spawn(w.we_wordv, NULL, err, sizeof(err));
	else
		pid = stp_user_spawn(shell, NULL, err, sizeof(err));
	if (split)
		wordfree(&w);
	if (pid < 0)
		stp_run_error(err);
	return pid;
}

int stp_tracer_run(struct stp_user_run *run)
{
	const char *cmd = run->args->target_cmd;
	pid_t target = run->target_pid;
	char err[512];
	int rc = stp_user_tracer_init();

	if (rc)
		return rc;
	struct stp_user_hooks hooks = { .target_exit = on_target_exit };
	stp_user_set_hooks(&hooks);
	rc = stp_user_watch_fd(run->ctl_fd, POLLIN, on_control, NULL);
	if (rc)
		return rc;
	if (cmd) {
		target = spawn_command(cmd);
		if (target < 0)
			return (int)target;
		run_child = target;
	} else if (target > 0) {
		rc = stp_user_attach(target, err, sizeof(err));
		if (rc) {
			stp_run_error(err);
			return rc;
		}
	}
	/* Begin probes run and the task finder attaches its engines here. */
	rc = stp_user_arm(target > 0 ? target : 0);
	if (rc) {
		stp_user_detach_all();	/* a held -c command never runs */
		return rc;
	}
	if (target > 0 && !cmd)
		stp_user_settle();	/* -x: engines live before we go on */
	if (cmd)
		stp_user_release(target);

	rc = stp_user_tracer_run();
	if (rc == -ECHILD)
		rc = 0;
	/* The session ended before the -c command: it ends too, as with
	 * SystemTap; an -x process is let go and runs on. */
	if (run_child > 0)
		kill(run_child, SIGKILL);
	stp_user_detach_all();
	return rc < 0 ? rc : 0;
}
