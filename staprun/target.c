/* Starting commands: the -c target and system() requests. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "target.h"
#include "msg.h"
#include "privilege.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <wordexp.h>

void child_reset(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR2, SIGPIPE };
	sigset_t none;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	priv_drop();
}

/* SystemTap's way: a plain command line is split like the shell would
 * (no command substitution) and exec'd itself, so target() is the
 * command's own pid; anything needing a shell runs under /bin/sh -c. */
static void exec_command(const char *cmd)
{
	wordexp_t w;

	if (wordexp(cmd, &w, WRDE_NOCMD | WRDE_SHOWERR) == 0 && w.we_wordc > 0)
		execvp(w.we_wordv[0], w.we_wordv);
	else
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	if (errno == ENOENT)
		fprintf(stderr, "%s: command not found\n", cmd);
	else
		fprintf(stderr, "%s: %s\n", cmd, strerror(errno));
	_exit(127);
}

pid_t target_fork_held(const char *cmd, int *gate)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0) {
		err("Couldn't start '%s': %s", cmd, strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		err("Couldn't start '%s': %s", cmd, strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char go;
		child_reset();
		close(p[1]);
		/* EOF instead of a byte: staprun gave up, so never run. */
		if (read(p[0], &go, 1) != 1)
			_exit(127);
		exec_command(cmd);
	}
	close(p[0]);
	*gate = p[1];
	return pid;
}

void target_release(int gate)
{
	if (write(gate, "g", 1) != 1)
		err("Couldn't release the -c command: %s", strerror(errno));
	close(gate);
}
