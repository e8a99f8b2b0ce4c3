/* The tracer child. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "usermod.h"
#include "msg.h"
#include "target.h"
#include "runtime/user/transport.h"
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Before stp_user_main runs there is no transport yet: frame the error
 * by hand so stapio prints it like any other. */
static void send_error(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void send_error(int fd, const char *fmt, ...)
{
	char frame[sizeof(struct stp_msg) + 1024];
	struct stp_msg m = { .type = STP_MSG_ERROR };
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(frame + sizeof(m), sizeof(frame) - sizeof(m), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(frame) - sizeof(m))
		n = (int)(sizeof(frame) - sizeof(m) - 1);
	m.len = (stp_u32)n;
	memcpy(frame, &m, sizeof(m));
	if (send(fd, frame, sizeof(m) + (size_t)n, MSG_NOSIGNAL) < 0)
		return;
}

static void tracer_child(int fd, const char *path, const struct options *o)
{
	child_reset();
	/* stapio turns these into STOP; the tracer must outlive them (a
	 * signal to the whole process group reaches it too).  It ends when
	 * stapio's socket closes, or by SIGKILL. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		send_error(fd, "Couldn't load module '%s': %s", path, dlerror());
		_exit(1);
	}
	stp_user_main_fn fn;
	*(void **)&fn = dlsym(h, STP_USER_MAIN_SYMBOL);
	if (!fn) {
		send_error(fd, "Couldn't load module '%s': no %s", path, STP_USER_MAIN_SYMBOL);
		_exit(1);
	}
	struct stp_user_args a = {
		.abi = STP_USER_ABI,
		.verbose = (stp_u32)o->verbose,
		.module_path = path,
		.target_cmd = o->target_cmd,
		.target_pid = o->target_pid,
		.nglobals = o->nmodopts,
		.globals = (const char *const *)o->modopts,
		.buffer_bytes = (stp_u64)o->buffer_mb << 20,
	};
	_exit(fn(fd, &a) & 0xff);
}

pid_t usermod_spawn(const char *path, const struct options *o, int *fd)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		err("Couldn't create the tracer's socket: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		err("Couldn't start the tracer process: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		tracer_child(sv[1], path, o);
	}
	close(sv[1]);
	*fd = sv[0];
	dbug(1, "tracer process %d runs %s", (int)pid, path);
	return pid;
}
