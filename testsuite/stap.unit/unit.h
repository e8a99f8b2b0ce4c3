/* Shared scaffolding of the runtime core's unit tests.
 *
 * Each test program includes the whole core (runtime/runtime.h) the way a
 * module does, provides the transport hooks (capturing what the core
 * sends) and stp_copy_from_user (reading its own memory, faults
 * included), and prints one line per check:
 *     PASS: name
 *     FAIL: name: why
 * then "DONE: N" with the number of checks; unit.exp turns each line into
 * a DejaGnu result and fails a program that crashes or stops early. */
#ifndef UNIT_H
#define UNIT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "runtime/runtime.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Helpers each test program uses only some of. */
#define UT_FN static __attribute__((unused))

static int ut_count, ut_failed;

UT_FN __attribute__((format(printf, 3, 4))) bool ut_check(bool ok, const char *name,
							 const char *fmt, ...)
{
	va_list ap;

	ut_count++;
	if (ok) {
		printf("PASS: %s\n", name);
	} else {
		ut_failed++;
		printf("FAIL: %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	fflush(stdout);
	return ok;
}

UT_FN int ut_done(void)
{
	printf("DONE: %d\n", ut_count);
	return ut_failed ? 1 : 0;
}

/* Shows bytes readably in failure messages. */
UT_FN const char *ut_show(const char *p, size_t n)
{
	static char bufs[4][2048];
	static int which;
	char *out = bufs[which++ & 3];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(bufs[0]); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 5, "\\%03o", c);
	}
	out[o] = '\0';
	return out;
}

UT_FN bool ut_check_bytes(const char *name, const char *got, size_t got_len,
			  const char *want, size_t want_len)
{
	return ut_check(got_len == want_len && !memcmp(got, want, want_len), name,
			"got \"%s\" (%zu bytes), want \"%s\" (%zu bytes)", ut_show(got, got_len),
			got_len, ut_show(want, want_len), want_len);
}

UT_FN bool ut_ok(const char *name, bool ok)
{
	return ut_check(ok, name, "%s", "false");
}

UT_FN bool ut_check_str(const char *name, const char *got, const char *want)
{
	return ut_check_bytes(name, got, strlen(got), want, strlen(want));
}

UT_FN bool ut_check_int(const char *name, long long got, long long want)
{
	return ut_check(got == want, name, "got %lld, want %lld", got, want);
}

/* ---- what the core sends, in the order it sent it ---- */

#define UT_MAX_EVENTS 256
#define UT_OUT_MAX (1 << 20)

struct ut_event {
	unsigned int type;		/* STP_MSG_DATA for a record */
	size_t off, len;		/* records: where in ut_out */
	char text[2 * MAXSTRINGLEN + 256];
};

static struct ut_event ut_events[UT_MAX_EVENTS];
static int ut_nevents;
static char ut_out[UT_OUT_MAX];
static size_t ut_out_len;
static int ut_records;
static pthread_mutex_t ut_events_lock = PTHREAD_MUTEX_INITIALIZER;

UT_FN void ut_reset_events(void)
{
	pthread_mutex_lock(&ut_events_lock);
	ut_nevents = 0;
	ut_out_len = 0;
	ut_records = 0;
	pthread_mutex_unlock(&ut_events_lock);
}

int stp_transport_record(const char *data, size_t len)
{
	pthread_mutex_lock(&ut_events_lock);
	if (ut_out_len + len <= UT_OUT_MAX) {
		if (ut_nevents < UT_MAX_EVENTS) {
			ut_events[ut_nevents].type = STP_MSG_DATA;
			ut_events[ut_nevents].off = ut_out_len;
			ut_events[ut_nevents].len = len;
			ut_nevents++;
		}
		memcpy(ut_out + ut_out_len, data, len);
		ut_out_len += len;
		ut_records++;
	}
	pthread_mutex_unlock(&ut_events_lock);
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	pthread_mutex_lock(&ut_events_lock);
	if (ut_nevents < UT_MAX_EVENTS) {
		struct ut_event *e = &ut_events[ut_nevents++];

		e->type = type;
		if (len >= sizeof(e->text))
			len = sizeof(e->text) - 1;
		memcpy(e->text, text, len);
		e->text[len] = '\0';
		e->len = len;
	}
	pthread_mutex_unlock(&ut_events_lock);
	return 0;
}

/* The n-th control message of a type, or NULL. */
UT_FN const char *ut_ctl(unsigned int type, int n)
{
	int i;

	for (i = 0; i < ut_nevents; i++)
		if (ut_events[i].type == type && n-- == 0)
			return ut_events[i].text;
	return NULL;
}

UT_FN int ut_ctl_count(unsigned int type)
{
	int i, n = 0;

	for (i = 0; i < ut_nevents; i++)
		n += ut_events[i].type == type;
	return n;
}

/* Our own memory, read the way the ptrace platform reads a tracee's:
 * an unmapped address is -EFAULT, not a crash. */
int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)src, n };

	if (!n)
		return 0;
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -EFAULT;
}

/* ---- running test code inside a probe handler ---- */

static void (*ut_body)(struct stp_context *c);
static int ut_body_ran;

UT_FN void ut_handler(struct stp_context *c)
{
	ut_body_ran++;
	ut_body(c);
}

static const struct stp_probe ut_probe = {
	.pp = "unit.test",
	.handler = ut_handler,
	.state = STP_SESSION_RUNNING,
};

/* Runs body as a probe handler, with the output and messages it produces
 * captured from empty. */
UT_FN void ut_run(void (*body)(struct stp_context *c))
{
	ut_reset_events();
	ut_body = body;
	stp_probe_run(&ut_probe, NULL, NULL);
}

UT_FN void ut_init_runtime(size_t locals)
{
	if (stp_runtime_init_size(locals) || stp_session_started() != STP_SESSION_RUNNING) {
		printf("FAIL: runtime init\nDONE: 1\n");
		exit(1);
	}
}

#endif
