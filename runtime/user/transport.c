/* The user platform's session: stp_user_main and the services the tracer
 * and the core call.  See runtime/user/transport.h for the sequence. */
#include "transport.h"
#include "transport_ring.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wordexp.h>

static stp_s32 stp_user_target;
static const struct stp_user_args *stp_user_args_seen;
static int stp_user_fd = -1;
static bool stp_user_armed, stp_user_stop_seen, stp_user_exit_sent;

/* stapio -> module frames are tiny: START (8 bytes) and STOP (none). */
static char stp_user_in[256];
static size_t stp_user_inlen;

stp_s32 stp_transport_target_pid(void)
{
	return stp_user_target;
}

/* The tracer spawns a -c command held (runtime/user/transport.h, step 3). */
bool stp_transport_target_held(void)
{
	return stp_user_target > 0 && stp_user_args_seen && stp_user_args_seen->target_cmd;
}

size_t stp_transport_max_record(void)
{
	return STP_USER_MAX_RECORD;
}

int stp_transport_record(const char *data, size_t len)
{
	return stp_ring_record(data, len);
}

int stp_transport_ctl(unsigned type, const char *text, size_t len)
{
	switch (type) {
	case STP_MSG_WARNING:
	case STP_MSG_ERROR:
	case STP_MSG_SYSTEM:
		if (len > STP_CTL_TEXT_MAX)
			len = STP_CTL_TEXT_MAX;
		return stp_ring_ctl(type, text, len);
	case STP_MSG_REQUEST_EXIT:
		/* exit() may run in every probe after the first: ask once. */
		if (__atomic_exchange_n(&stp_user_exit_sent, true, __ATOMIC_ACQ_REL))
			return 0;
		return stp_ring_ctl(type, NULL, 0);
	default:
		return -EINVAL;
	}
}

static void stp_user_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void stp_user_error(const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	stp_transport_ctl(STP_MSG_ERROR, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

/* Handles the complete frames in the input buffer; returns the START
 * payload through *start when one arrived. */
static void stp_user_parse(struct stp_msg_start *start, bool *got_start)
{
	size_t off = 0;

	while (stp_user_inlen - off >= sizeof(struct stp_msg)) {
		struct stp_msg m;
		memcpy(&m, stp_user_in + off, sizeof(m));
		if (m.len > sizeof(stp_user_in) - sizeof(m)) {
			/* Not a stapio we understand: treat it as gone. */
			stp_user_stop_seen = true;
			stp_user_inlen = 0;
			return;
		}
		if (stp_user_inlen - off < sizeof(m) + m.len)
			break;
		const char *p = stp_user_in + off + sizeof(m);
		if (m.type == STP_MSG_START && m.len >= sizeof(*start) && start) {
			memcpy(start, p, sizeof(*start));
			*got_start = true;
		} else if (m.type == STP_MSG_STOP) {
			stp_user_stop_seen = true;
		}
		off += sizeof(m) + m.len;
	}
	memmove(stp_user_in, stp_user_in + off, stp_user_inlen - off);
	stp_user_inlen -= off;
}

/* Reads what stapio sent; 0 when the socket is still open. */
static int stp_user_read(bool block, struct stp_msg_start *start, bool *got_start)
{
	for (;;) {
		ssize_t n = recv(stp_user_fd, stp_user_in + stp_user_inlen,
				 sizeof(stp_user_in) - stp_user_inlen, block ? 0 : MSG_DONTWAIT);
		if (n > 0) {
			stp_user_inlen += (size_t)n;
			stp_user_parse(start, got_start);
			if (block)
				return 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		/* EOF or error: stapio is gone, so stop as if it asked. */
		stp_user_stop_seen = true;
		return -1;
	}
}

int stp_user_poll(void)
{
	if (!stp_user_stop_seen)
		stp_user_read(false, NULL, NULL);
	return stp_user_stop_seen;
}

int stp_user_arm(stp_s32 target_pid)
{
	struct stp_msg_started s;

	stp_user_target = target_pid;
	s.status = stp_probes_start();
	stp_user_armed = s.status == 0;
	stp_ring_ctl(STP_MSG_STARTED, &s, sizeof(s));
	return s.status;
}

void stp_user_target_exited(pid_t pid, int wstatus)
{
	struct stp_msg_target_exited t = { .pid = pid, .wstatus = wstatus };

	stp_ring_ctl(STP_MSG_TARGET_EXITED, &t, sizeof(t));
}

void stp_user_exec_target(const char *cmd)
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

static int stp_user_globals(const struct stp_user_args *args)
{
	int bad = 0;

	for (int i = 0; i < args->nglobals; i++) {
		const char *nv = args->globals[i];
		const char *eq = strchr(nv, '=');
		if (!eq) {
			stp_user_error("Invalid module option '%s' (expected NAME=VALUE).", nv);
			bad++;
			continue;
		}
		char name[256];
		size_t n = (size_t)(eq - nv) < sizeof(name) - 1 ? (size_t)(eq - nv) : sizeof(name) - 1;
		memcpy(name, nv, n);
		name[n] = 0;
		int rc = stp_user_set_global(name, eq + 1);
		if (rc == -ENOENT) {
			stp_user_error("Unknown global variable '%s' in module options.", name);
			bad++;
		} else if (rc) {
			stp_user_error("Invalid value '%s' for global variable '%s'.", eq + 1, name);
			bad++;
		}
	}
	return bad;
}

static void stp_user_crash(int sig)
{
	stp_ring_crash_flush();
	/* SA_RESETHAND restored the default: die of the same signal so
	 * stapio can say which. */
	raise(sig);
}

static void stp_user_crash_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	static char altstack[64 << 10];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = stp_user_crash,
				.sa_flags = SA_RESETHAND | SA_ONSTACK | SA_NODEFER };

	/* Probes that overflow the stack still get their output out. */
	sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int stp_user_main(int fd, const struct stp_user_args *args)
{
	struct stp_msg_ready ready = { .protocol = STP_PROTOCOL_VERSION, .ncpus = 1 };
	struct stp_msg_start start = { 0 };
	bool got_start = false;
	int rc = 0;

	if (!args || args->abi != STP_USER_ABI)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	stp_user_fd = fd;
	stp_user_args_seen = args;
	if (stp_ring_open(fd, (size_t)args->buffer_bytes) < 0)
		return 1;
	stp_user_crash_handlers();
	ready.buffer_bytes = (stp_u32)stp_ring_bytes();
	stp_ring_ctl(STP_MSG_READY, &ready, sizeof(ready));

	if (stp_user_globals(args)) {
		rc = -EINVAL;
	} else {
		while (!got_start && !stp_user_stop_seen)
			stp_user_read(true, &start, &got_start);
		if (got_start && !stp_user_stop_seen) {
			struct stp_user_run run = {
				.args = args, .target_pid = start.target_pid, .ctl_fd = fd,
			};
			rc = stp_tracer_run(&run);
		}
	}
	if (stp_user_armed)
		stp_probes_stop();
	stp_ring_ctl(STP_MSG_STOPPED, NULL, 0);
	stp_ring_close();
	close(fd);
	return rc < 0 ? 1 : 0;
}
