/* Messages to the user. */
#include "msg.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static const char *msg_prog = "staprun";
static int msg_level;
static bool msg_syslog;
static bool msg_colored;
static char msg_error_sgr[32] = "01;31";
static char msg_warning_sgr[32] = "00;33";
static void (*msg_flush)(void);
static int msg_nerrors;

/* SYSTEMTAP_COLORS uses GCC's syntax: "error=01;31:warning=00;33:...". */
static void msg_parse_colors(const char *spec)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *save = NULL, *kv = strtok_r(buf, ":", &save); kv; kv = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq || strspn(eq + 1, "0123456789;") != strlen(eq + 1))
			continue;
		*eq = 0;
		if (!strcmp(kv, "error"))
			snprintf(msg_error_sgr, sizeof(msg_error_sgr), "%s", eq + 1);
		else if (!strcmp(kv, "warning"))
			snprintf(msg_warning_sgr, sizeof(msg_warning_sgr), "%s", eq + 1);
	}
}

void msg_init(const char *prog, int verbose, enum msg_color color)
{
	const char *term = getenv("TERM");
	msg_prog = prog;
	msg_level = verbose;
	msg_colored = color == COLOR_ALWAYS ||
		(color == COLOR_AUTO && isatty(2) && term && strcmp(term, "dumb"));
	const char *spec = getenv("SYSTEMTAP_COLORS");
	if (spec)
		msg_parse_colors(spec);
}

void msg_use_syslog(void)
{
	openlog(msg_prog, LOG_PID, LOG_USER);
	msg_syslog = true;
}

void msg_set_flush_hook(void (*hook)(void))
{
	msg_flush = hook;
}

int msg_verbose(void)
{
	return msg_level;
}

int msg_errors(void)
{
	return msg_nerrors;
}

static void msg_emit(int prio, const char *label, const char *sgr, const char *text, size_t len)
{
	if (len && text[len - 1] == '\n')
		len--;
	if (msg_syslog) {
		syslog(prio, "%s%.*s", label, (int)len, text);
		return;
	}
	if (msg_flush)
		msg_flush();
	if (*sgr && msg_colored)
		fprintf(stderr, "\033[%sm\033[K%.*s\033[m\033[K %.*s\n", sgr,
			(int)strlen(label) - 1, label, (int)len, text);
	else
		fprintf(stderr, "%s%.*s\n", label, (int)len, text);
	fflush(stderr);
}

static void msg_vemit(int prio, const char *label, const char *sgr, const char *fmt, va_list ap)
{
	char buf[4096];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	msg_emit(prio, label, sgr, buf, (size_t)n);
}

void err(const char *fmt, ...)
{
	va_list ap;
	msg_nerrors++;
	va_start(ap, fmt);
	msg_vemit(LOG_ERR, "ERROR: ", msg_error_sgr, fmt, ap);
	va_end(ap);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vemit(LOG_WARNING, "WARNING: ", msg_warning_sgr, fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vemit(LOG_NOTICE, "", "", fmt, ap);
	va_end(ap);
}

void dbug(int level, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;
	if (msg_level < level)
		return;
	snprintf(prefix, sizeof(prefix), "%s: ", msg_prog);
	va_start(ap, fmt);
	msg_vemit(LOG_DEBUG, prefix, "", fmt, ap);
	va_end(ap);
}

void msg_text(bool error, const char *text, size_t len)
{
	if (error) {
		msg_nerrors++;
		msg_emit(LOG_ERR, "ERROR: ", msg_error_sgr, text, len);
	}
	else {
		msg_emit(LOG_WARNING, "WARNING: ", msg_warning_sgr, text, len);
	}
}
