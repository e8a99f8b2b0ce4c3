/* Drives staprun's interrupt count (staprun/interrupts.c) through the
 * orders in which a signal's two copies (direct, and forwarded by stap)
 * arrive, and prints one "PASS: name" or "FAIL: name (why)" line per case;
 * interrupts.exp turns them into DejaGnu results.  Cases are 10 s apart,
 * so nothing one leaves waiting pairs with the next. */
#include "staprun/interrupts.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define STAP 4242		/* staprun's parent */

static uint64_t base;
static int failures;

/* One copy: 'd' direct from pid (SI_USER, or SI_KERNEL for pid 0), 'f'
 * forwarded by stap with origin pid, 'q' sigqueue'd by another process. */
static int copy(char kind, int sig, int pid, uint64_t ms)
{
	struct signalfd_siginfo si;

	memset(&si, 0, sizeof(si));
	si.ssi_signo = (uint32_t)sig;
	if (kind == 'd') {
		si.ssi_code = pid ? SI_USER : SI_KERNEL;
		si.ssi_pid = (uint32_t)pid;
	} else {
		si.ssi_code = SI_QUEUE;
		si.ssi_pid = kind == 'f' ? STAP : 777;
		si.ssi_int = pid;
	}
	return intr_is_new(&si, STAP, base + ms);
}

static void check(const char *name, int got, int want)
{
	if (got != want) {
		printf("FAIL: %s (counted %d, want %d)\n", name, got, want);
		failures++;
	} else {
		printf("PASS: %s\n", name);
	}
	base += 10000;
}

int main(void)
{
	int n;

	base = 10000;
	n = copy('d', SIGINT, 100, 0) + copy('f', SIGINT, 100, 1);
	check("a group SIGINT, direct copy first, counts once", n, 1);
	n = copy('f', SIGINT, 100, 0) + copy('d', SIGINT, 100, 1);
	check("a group SIGINT, forwarded copy first, counts once", n, 1);
	n = copy('d', SIGINT, 0, 0) + copy('f', SIGINT, 0, 1);
	check("a terminal's Ctrl-C (the kernel's) counts once", n, 1);
	n = copy('d', SIGINT, 100, 0) + copy('d', SIGINT, 100, 1) + copy('f', SIGINT, 100, 2) +
	    copy('d', SIGINT, 100, 3) + copy('f', SIGINT, 100, 4) + copy('f', SIGINT, 100, 5);
	check("three group SIGINTs from one sender, copies interleaved, count three", n, 3);
	n = copy('f', SIGINT, 100, 0) + copy('f', SIGINT, 100, 1);
	check("two SIGINTs to stap alone count two", n, 2);
	n = copy('d', SIGINT, 100, 0) + copy('d', SIGINT, 100, 1);
	check("two SIGINTs to staprun alone count two", n, 2);
	n = copy('f', SIGTERM, INTR_FROM_STAP, 0) + copy('d', SIGTERM, STAP, 1);
	check("stap's -T SIGTERM has no twin", n, 2);
	n = copy('f', SIGINT, 100, 0) + copy('d', SIGINT, 100, INTR_TWIN_MS + 1);
	check("a copy later than the twin window counts again", n, 2);
	n = copy('d', SIGINT, 100, 0) + copy('f', SIGTERM, 100, 1);
	check("SIGINT and SIGTERM from one sender are two interrupts", n, 2);
	n = copy('d', SIGINT, 100, 0) + copy('f', SIGINT, 101, 1);
	check("copies from two senders are two interrupts", n, 2);
	n = copy('q', SIGINT, 100, 0) + copy('f', SIGINT, 100, 1);
	check("a sigqueue from another process is not a forwarded copy", n, 2);
	/* A copy that arrives while its twin is still pending is merged
	 * into it by the kernel (not a realtime signal): one read. */
	n = copy('d', SIGINT, 100, 0) + copy('f', SIGINT, 100, 500) + copy('d', SIGINT, 100, 501);
	check("a copy merged by the kernel, then a second group SIGINT: two interrupts", n, 2);
	return failures ? 1 : 0;
}
