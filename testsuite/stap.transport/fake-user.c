/* A fake user-platform module: what generated code will provide
 * (stp_probes_start/stop, stp_user_set_global), with behaviour chosen by
 * the global "mode" so one .so serves every transport test.  Linked with
 * runtime/user/transport*.c, and the plain tracer. */
#include "runtime/user/transport.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char mode[64] = "hello";
static long count = 10;
static char file[4096];
static long x;
static char s[256] = "unset";

int stp_user_set_global(const char *name, const char *value)
{
	char *end;

	if (!strcmp(name, "mode"))
		snprintf(mode, sizeof(mode), "%s", value);
	else if (!strcmp(name, "file"))
		snprintf(file, sizeof(file), "%s", value);
	else if (!strcmp(name, "s"))
		snprintf(s, sizeof(s), "%s", value);
	else if (!strcmp(name, "count") || !strcmp(name, "x")) {
		long v = strtol(value, &end, 10);
		if (!*value || *end)
			return -EINVAL;
		*(!strcmp(name, "x") ? &x : &count) = v;
	} else
		return -ENOENT;
	return 0;
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stp_transport_record(buf, (size_t)n);
}

static void ctl(unsigned type, const char *text)
{
	stp_transport_ctl(type, text, strlen(text));
}

static void touch(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int is(const char *m)
{
	return !strcmp(mode, m);
}

int stp_probes_start(void)
{
	if (is("hello")) {
		out("hello\n");
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("order")) {
		for (long i = 0; i < count; i++)
			out("%ld\n", i);
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("warn")) {
		out("a\n");
		ctl(STP_MSG_WARNING, "careful");
		out("b\n");
		ctl(STP_MSG_ERROR, "bad thing\n");
		out("c\n");
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("system")) {
		out("before\n");
		ctl(STP_MSG_SYSTEM, "echo from-system");
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("target")) {
		/* Written before the command runs: it cats the file. */
		touch(file, "armed\n");
		out("target=%d\n", (int)stp_transport_target_pid());
	} else if (is("showtarget")) {
		out("target=%d\n", (int)stp_transport_target_pid());
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("globals")) {
		out("x=%ld s=%s\n", x, s);
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("sigint") || is("stuck")) {
		out("started\n");
	} else if (is("flood")) {
		long lost = 0;
		for (long i = 0; i < count; i++)
			lost += stp_transport_record("0123456789\n", 11) != 0;
		touch(file, "done\n");
		(void)lost;
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("bigout")) {
		/* 100-byte lines: "NNNNNNNNN " then dots and a newline. */
		char line[128];
		memset(line, '.', 100);
		line[99] = '\n';
		for (long i = 0; i < count; i++) {
			char num[16];
			snprintf(num, sizeof(num), "%09ld ", i % 1000000000);
			memcpy(line, num, 10);
			stp_transport_record(line, 100);
		}
		ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (is("crash")) {
		out("crashing\n");
		raise(SIGSEGV);
	} else if (is("startfail")) {
		return -ENOENT;
	} else if (is("startfail-msg")) {
		ctl(STP_MSG_ERROR, "probe registration failed");
		return -EINVAL;
	} else if (is("toobig")) {
		static char big[(64 << 10) + 1];
		memset(big, 'x', sizeof(big));
		stp_transport_record(big, sizeof(big));
		out("small\n");
		ctl(STP_MSG_REQUEST_EXIT, "");
	}
	return 0;
}

void stp_probes_stop(void)
{
	if (is("hello") || is("target") || is("sigint"))
		out("%s\n", is("sigint") ? "stopped" : "bye");
	if (is("stuck")) {
		out("stopping\n");
		for (;;)
			pause();
	}
}
