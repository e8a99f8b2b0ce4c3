/* The generated syscall and errno tables against independent sources:
 * every "#define __NR_x N" of the header the table was made from (parsed
 * here again), glibc's strerrorname_np() for errno names, and the errno
 * headers themselves for the kernel's internal codes.
 *
 *   pr-tables UNISTD_64_H [ERRNO_H...]
 * prints "ok - ..." or "FAIL - ..." lines, then "failures N". */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define STP_USER_NCPUS 1
#include "runtime.h"
#include "syscalls/syscall_names.c"
#include "syscalls/errno_names.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int stp_transport_record(const char *data, size_t len)
{
	(void)data;
	(void)len;
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	(void)type;
	(void)text;
	(void)len;
	return 0;
}

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	(void)dst;
	(void)src;
	(void)n;
	return -EFAULT;
}

static int failures;

static void check(bool ok, const char *what, const char *detail)
{
	if (ok) {
		printf("ok - %s\n", what);
	} else {
		failures++;
		printf("FAIL - %s: %s\n", what, detail);
	}
}

/* "#define PREFIXname N" lines of a header: name (without a "__NR_"
 * prefix) and number.  Aliases (#define EWOULDBLOCK EAGAIN) have no
 * number and are not listed. */
static int parse(const char *path, const char *prefix, char names[][64], long *nrs, int max)
{
	char line[512], name[64];
	size_t plen = strlen(prefix);
	bool nr_prefix = !strcmp(prefix, "__NR_");
	long nr;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "pr-tables: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		if (sscanf(line, "#define %63s %ld", name, &nr) != 2 || strncmp(name, prefix, plen))
			continue;
		if (nr_prefix && !strcmp(name, "__NR_syscalls"))
			continue;	/* a count, not a syscall */
		snprintf(names[n], 64, "%s", nr_prefix ? name + plen : name);
		nrs[n++] = nr;
	}
	fclose(f);
	return n;
}

static char names[2048][64];
static long nrs[2048];

static void syscalls(const char *header)
{
	int n = parse(header, "__NR_", names, nrs, 2048), i, bad = 0;
	char detail[256] = "";
	long nr;

	for (i = 0; i < n; i++) {
		const char *got = stp_syscall_name(nrs[i]);

		if (!got || strcmp(got, names[i]) || stp_syscall_num(names[i]) != nrs[i]) {
			if (!bad++)
				snprintf(detail, sizeof(detail), "%.60s = %ld: name %.60s, num %lld",
					 names[i], nrs[i], got ? got : "(none)",
					 (long long)stp_syscall_num(names[i]));
		}
	}
	snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " (%d entries)", n);
	check(n > 300 && !bad, "every syscall of the header round-trips name <-> number", detail);
	check(n == STP_SYSCALL_COUNT, "the table has exactly the header's syscalls", detail);
	/* Numbers the header does not name have no name. */
	for (bad = 0, nr = -5; nr < STP_SYSCALL_LIMIT + 5; nr++) {
		bool named = false;

		for (i = 0; i < n; i++)
			named |= nrs[i] == nr;
		bad += !named && stp_syscall_name(nr) != NULL;
	}
	check(!bad, "numbers without a syscall have no name", "");
	check(stp_syscall_num("no_such_syscall") == -1 && stp_syscall_num("") == -1 &&
		      stp_syscall_num("syscalls") == -1,
	      "unknown names are -1", "");
	check(stp_syscall_name(INT64_MIN) == NULL && stp_syscall_name(INT64_MAX) == NULL,
	      "extreme numbers have no name", "");
}

/* Names glibc knows, for the uapi values, and the headers for the rest. */
static void errnos(int argc, char **argv)
{
	char s[MAXSTRINGLEN], detail[256] = "";
	int i, n = 0, bad = 0, e;

	for (e = 1; e < 134; e++) {
		const char *want = strerrorname_np(e), *got = stp_errno_name(e);

		if (!want)
			continue;
		n++;
		if (!got || strcmp(got, want) || stp_errno_name(-e) != got) {
			if (!bad++)
				snprintf(detail, sizeof(detail), "%d: glibc %.60s, table %.60s", e, want,
					 got ? got : "(none)");
		}
	}
	check(n > 120 && !bad, "errno names 1..133 match glibc's strerrorname_np", detail);
	for (i = 2; i < argc; i++) {
		int k = parse(argv[i], "E", names, nrs, 2048), j;

		for (j = 0; j < k; j++) {
			const char *got = stp_errno_name(nrs[j]);

			/* The first name of a value wins (EAGAIN, not EWOULDBLOCK). */
			if (!got || (strcmp(got, names[j]) && nrs[j] < 134 &&
				     strcmp(got, strerrorname_np((int)nrs[j])))) {
				if (!bad++)
					snprintf(detail, sizeof(detail), "%.60s = %ld: table %.60s", names[j],
						 nrs[j], got ? got : "(none)");
			}
		}
	}
	check(!bad, "every errno value of the headers has its name", detail);

	stp_errno_str(2, s);
	check(!strcmp(s, "ENOENT"), "errno_str(2)", s);
	stp_errno_str(-13, s);
	check(!strcmp(s, "EACCES"), "errno_str(-13)", s);
	stp_errno_str(3333, s);
	check(!strcmp(s, "E#3333"), "errno_str(3333)", s);
	stp_errno_str(-3333, s);
	check(!strcmp(s, "E#3333"), "errno_str(-3333)", s);
	stp_errno_str(0, s);
	check(!strcmp(s, "E#0"), "errno_str(0)", s);
	stp_errno_str(INT64_MIN, s);
	check(!strcmp(s, "E#9223372036854775808"), "errno_str(INT64_MIN)", s);
	stp_errno_str(41, s);
	check(!strcmp(s, "E#41"), "errno_str(41): a hole in the table", s);

	stp_returnstr(-2, 1, s);
	check(!strcmp(s, "-2 (ENOENT)"), "returnstr(1) of -2", s);
	stp_returnstr(-2, 2, s);
	check(!strcmp(s, "-2 (ENOENT)"), "returnstr(2) of -2: errors stay decimal", s);
	stp_returnstr(31, 1, s);
	check(!strcmp(s, "31"), "returnstr(1) of 31", s);
	stp_returnstr(31, 2, s);
	check(!strcmp(s, "0x1f"), "returnstr(2) of 31", s);
	stp_returnstr(31, 3, s);
	check(!strcmp(s, "037"), "returnstr(3) of 31", s);
	stp_returnstr(0, 3, s);
	check(!strcmp(s, "0"), "returnstr(3) of 0", s);
	stp_returnstr(-3333, 1, s);
	check(!strcmp(s, "-3333"), "returnstr(1) of an unknown negative value", s);
	stp_returnstr(-4096, 2, s);
	check(!strcmp(s, "0xfffffffffffff000"), "returnstr(2) of -4096", s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pr-tables UNISTD_64_H [ERRNO_H...]\n");
		return 2;
	}
	syscalls(argv[1]);
	errnos(argc, argv);
	printf("failures %d\n", failures);
	return failures != 0;
}
