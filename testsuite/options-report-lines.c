/* Prints report.c's lines for the passes stap does not run yet, so the
 * tests can check their wording:
 *
 *   options-report-lines 2 PROBES FUNCTIONS EMBEDS GLOBALS
 *   options-report-lines 3 C_FILE
 *   options-report-lines 4 MODULE_FILE BURN_MS  (BURN_MS of CPU here, as much in a child)
 *   options-report-lines 5 | cached PASS PATH | failed PASS | quiet PASS
 *   options-report-lines 1 LIBRARY_SCRIPTS
 *
 * "quiet N" clears -v for pass N, then reports passes 2, 3 and 5: pass N's
 * line must be missing. */
#include "translate/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void burn(long ms)
{
	volatile unsigned long x = 0;
	long end = cpu_ms() + ms;
	while (cpu_ms() < end)
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
}

int main(int argc, char **argv)
{
	static Session s;
	PassTimer t;
	for (int i = 0; i < 5; i++)
		s.verbose[i] = 1;
	if (argc < 2)
		return 2;
	report_start(&t);
	const char *what = argv[1];
	if (!strcmp(what, "1") && argc == 3) {
		s.library_scripts = atoi(argv[2]);
		report_pass1(&s, &t);
	} else if (!strcmp(what, "2") && argc == 6) {
		report_pass2(&s, &t, atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	} else if (!strcmp(what, "3") && argc == 3) {
		report_pass3(&s, &t, argv[2]);
	} else if (!strcmp(what, "4") && argc == 4) {
		long ms = atol(argv[3]);
		burn(ms);
		pid_t pid = fork();
		if (pid == 0) {
			burn(ms);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		report_pass4(&s, &t, argv[2]);
	} else if (!strcmp(what, "5") && argc == 2) {
		report_pass5_start(&s);
		report_pass5(&s, &t);
	} else if (!strcmp(what, "cached") && argc == 4) {
		report_cached(&s, atoi(argv[2]), argv[3]);
	} else if (!strcmp(what, "failed") && argc == 3) {
		report_failed(atoi(argv[2]));
	} else if (!strcmp(what, "quiet") && argc == 3) {
		s.verbose[atoi(argv[2]) - 1] = 0;
		report_pass2(&s, &t, 1, 1, 1, 1);
		report_pass3(&s, &t, "x.c");
		report_pass5(&s, &t);
	} else {
		return 2;
	}
	return 0;
}
