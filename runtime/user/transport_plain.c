/* A tracer that traces nothing: it runs the -c command after the probes
 * are armed and waits for it or for STOP.  Modules whose probes need no
 * ptrace (begin, end, timers) use it instead of the ptrace runtime's
 * stp_tracer_run, and it shows that runtime the steps its loop must take
 * (see runtime/user/transport.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "transport.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The command waits on a pipe before exec, so its pid is known to the
 * begin probes (target()) and it runs no code before they are armed. */
static pid_t stp_plain_fork_held(const char *cmd, int *gate)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (pid == 0) {
		sigset_t none;
		char go;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		close(p[1]);
		if (read(p[0], &go, 1) != 1)
			_exit(127);
		stp_user_exec_target(cmd);
	}
	close(p[0]);
	*gate = p[1];
	return pid;
}

int stp_tracer_run(struct stp_user_run *run)
{
	const char *cmd = run->args->target_cmd;
	pid_t child = 0;
	int gate = -1, pidfd = -1;

	if (cmd) {
		child = stp_plain_fork_held(cmd, &gate);
		if (child < 0) {
			stp_transport_ctl(STP_MSG_ERROR, "Couldn't start the -c command", 29);
			return child;
		}
	}
	int rc = stp_user_arm(child ? child : run->target_pid);
	if (rc) {
		if (child) {
			close(gate);
			waitpid(child, NULL, 0);
		}
		return rc;
	}
	if (child) {
		pidfd = (int)syscall(SYS_pidfd_open, child, 0);
		if (write(gate, "g", 1) != 1)
			rc = -errno;
		close(gate);
	}
	while (!stp_user_poll()) {
		struct pollfd p[2] = {
			{ .fd = run->ctl_fd, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		/* Without pidfd_open the command is polled for once a second. */
		int timeout = child && pidfd < 0 ? 1000 : -1;
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (child) {
			int st;
			pid_t w = waitpid(child, &st, WNOHANG);
			if (w == child) {
				stp_user_target_exited(child, st);
				child = 0;
				if (pidfd >= 0)
					close(pidfd);
				pidfd = -1;
			}
		}
	}
	if (child) {
		/* The session is over before the command: end it too. */
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}
