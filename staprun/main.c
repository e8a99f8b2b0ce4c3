/* staprun: checks and loads a module, then runs stapio on it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "chan.h"
#include "kmod.h"
#include "modinfo.h"
#include "msg.h"
#include "options.h"
#include "output.h"
#include "privilege.h"
#include "stapio.h"
#include "usermod.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* A bare name is looked up where administrators install modules. */
static int resolve(const char *arg, char *path)
{
	char want[PATH_MAX];

	if (strchr(arg, '/') || ends_with(arg, ".ko") || ends_with(arg, ".so"))
		snprintf(want, sizeof(want), "%s", arg);
	else
		snprintf(want, sizeof(want), "/lib/modules/%s/systemtap/%s.ko", kmod_release(), arg);
	if (!realpath(want, path)) {
		err("Unable to canonicalize path \"%s\": %s", want, strerror(errno));
		return -1;
	}
	return 0;
}

/* -D: the parent stays until the child has started the probes, so load
 * errors still reach the terminal and the exit status; then it prints
 * the child's pid and leaves. */
static int daemon_fork(void)
{
	int p[2];
	char b;

	if (pipe2(p, O_CLOEXEC) < 0) {
		err("Failed to daemonize stapio: %s", strerror(errno));
		exit(1);
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		err("Failed to daemonize stapio: %s", strerror(errno));
		exit(1);
	}
	if (pid == 0) {
		close(p[0]);
		return p[1];
	}
	close(p[1]);
	ssize_t n;
	while ((n = read(p[0], &b, 1)) < 0 && errno == EINTR)
		;
	if (n == 1) {
		printf("%d\n", (int)pid);
		exit(0);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

/* Signals wait in a signalfd from here on, so one that arrives between
 * loading the module and attaching to it cannot leave it loaded. */
static void block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static struct output *open_output(const struct options *o)
{
	return output_open(o->outfile, o->fsize_bytes, o->fnum_max);
}

static int run_attached(const struct options *o)
{
	char name[MOD_NAME_MAX + 8];

	snprintf(name, sizeof(name), "%s", o->module);
	if (ends_with(name, ".ko"))
		name[strlen(name) - 3] = 0;
	if (!modname_valid(name)) {
		err("Invalid module name '%s'.", o->module);
		return 1;
	}
	if (priv_check_attach() < 0)
		return 1;
	if (!kmod_loaded(name)) {
		err("Module %s is not loaded.", name);
		return 1;
	}
	struct output *out = open_output(o);
	if (!out)
		return 1;
	block_signals();
	struct chan *c = chan_kernel_open(name);
	if (!c) {
		output_close(out);
		return 1;
	}
	struct stapio_params sp = {
		.kind = STAPIO_KERNEL, .modname = name, .attach = true,
		.stop_at_once = o->remove, .daemon_fd = -1,
	};
	int rc = stapio_run(c, o, out, &sp);
	output_close(out);
	return rc;
}

static int run_kernel(const struct options *o, const char *path, int fd, struct modinfo *mi)
{
	char *params = NULL;

	if (priv_check_load(path) < 0 || kmod_check(path, mi, o, &params) < 0)
		return 1;
	struct output *out = open_output(o);
	if (!out)
		return 1;
	/* Blocked first: an interrupt while the -D parent waits reaches the
	 * child's loop (which stops cleanly) instead of killing either. */
	block_signals();
	int daemon_fd = o->daemon ? daemon_fork() : -1;
	int rc = kmod_load(path, fd, mi, params);
	free(params);
	close(fd);
	if (rc < 0) {
		output_close(out);
		return 1;
	}
	struct chan *c = chan_kernel_open(mi->name);
	if (!c) {
		kmod_unload(mi->name, false);
		output_close(out);
		return 1;
	}
	struct stapio_params sp = {
		.kind = STAPIO_KERNEL, .modname = mi->name, .daemon_fd = daemon_fd,
	};
	rc = stapio_run(c, o, out, &sp);
	output_close(out);
	return rc;
}

static int run_user(const struct options *o, const char *path, int fd)
{
	close(fd);
	if (o->load_only) {
		err("The '-L' option needs a kernel module: '%s' runs in a tracer process, "
		    "which ends with staprun.", path);
		return 1;
	}
	struct output *out = open_output(o);
	if (!out)
		return 1;
	block_signals();
	int daemon_fd = o->daemon ? daemon_fork() : -1;
	int sock;
	pid_t tracer = usermod_spawn(path, o, &sock);
	if (tracer < 0) {
		output_close(out);
		return 1;
	}
	struct chan *c = chan_user_open(sock);
	if (!c) {
		kill(tracer, SIGKILL);
		waitpid(tracer, NULL, 0);
		output_close(out);
		return 1;
	}
	struct stapio_params sp = {
		.kind = STAPIO_USER, .modname = path, .tracer = tracer, .daemon_fd = daemon_fd,
	};
	int rc = stapio_run(c, o, out, &sp);
	output_close(out);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	char path[PATH_MAX];
	struct modinfo mi;

	priv_init();
	msg_init("staprun", 0, COLOR_AUTO);
	options_parse(&o, argc, argv);
	if (o.target_pid && kill(o.target_pid, 0) < 0 && errno == ESRCH) {
		err("No process with ID %d (-x).", (int)o.target_pid);
		return 1;
	}
	if (o.attach || o.remove)
		return run_attached(&o);
	if (resolve(o.module, path) < 0)
		return 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err("Couldn't open '%s': %s", path, strerror(errno));
		return 1;
	}
	if (modinfo_read(path, fd, &mi) < 0) {
		close(fd);
		return 1;
	}
	int rc = mi.kind == MOD_USER ? run_user(&o, path, fd) : run_kernel(&o, path, fd, &mi);
	modinfo_free(&mi);
	return rc;
}
