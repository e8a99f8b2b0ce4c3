/* The -v pass reports.  Times include waited-for children because pass 4's
 * work happens in the compiler SystemTap users expect to see counted. */
#include "translate/report.h"
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static int64_t tv_us(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void cpu_now(int64_t *usr, int64_t *sys)
{
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	*usr = tv_us(self.ru_utime) + tv_us(kids.ru_utime);
	*sys = tv_us(self.ru_stime) + tv_us(kids.ru_stime);
}

void report_start(PassTimer *t)
{
	clock_gettime(CLOCK_MONOTONIC, &t->real);
	cpu_now(&t->usr_us, &t->sys_us);
}

/* /proc/self/statm counts pages: size resident shared text lib data dt. */
static void memory_now(PassUsage *u)
{
	unsigned long size = 0, res = 0, shr = 0, text = 0, lib = 0, data = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%lu %lu %lu %lu %lu %lu", &size, &res, &shr, &text, &lib,
			   &data) != 6)
			size = res = shr = data = 0;
		fclose(f);
	}
	long kb = sysconf(_SC_PAGESIZE) / 1024;
	u->virt_kb = (long)size * kb;
	u->res_kb = (long)res * kb;
	u->shr_kb = (long)shr * kb;
	u->data_kb = (long)data * kb;
}

void report_measure(const PassTimer *t, PassUsage *u)
{
	struct timespec now;
	int64_t usr, sys;
	clock_gettime(CLOCK_MONOTONIC, &now);
	cpu_now(&usr, &sys);
	u->real_ms = (long)((now.tv_sec - t->real.tv_sec) * 1000 +
			    (now.tv_nsec - t->real.tv_nsec) / 1000000);
	u->usr_ms = (long)((usr - t->usr_us) / 1000);
	u->sys_ms = (long)((sys - t->sys_us) / 1000);
	memory_now(u);
}

void report_format_usage(char *buf, size_t size, const PassUsage *u, bool memory)
{
	int n = 0;
	if (memory)
		n = snprintf(buf, size, "using %ldvirt/%ldres/%ldshr/%lddata kb, ", u->virt_kb,
			     u->res_kb, u->shr_kb, u->data_kb);
	if (n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "in %ldusr/%ldsys/%ldreal ms.", u->usr_ms,
			 u->sys_ms, u->real_ms);
}

bool report_wanted(const Session *s, int pass)
{
	return pass >= 1 && pass <= 5 && s->verbose[pass - 1] > 0;
}

/* Prints "Pass N: WHAT USAGE" on stderr, where SystemTap puts it. */
static void emit(int pass, const char *what, const PassTimer *t, bool memory)
{
	PassUsage u;
	char usage[160];
	report_measure(t, &u);
	report_format_usage(usage, sizeof(usage), &u, memory);
	fprintf(stderr, "Pass %d: %s %s\n", pass, what, usage);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void report_pass1(const Session *s, const PassTimer *t)
{
	char what[128];
	if (!report_wanted(s, 1))
		return;
	snprintf(what, sizeof(what), "parsed user script and %d %s", s->library_scripts,
		 plural(s->library_scripts, "library script", "library scripts"));
	emit(1, what, t, true);
}

void report_pass2(const Session *s, const PassTimer *t, int probes, int functions, int embeds,
		  int globals)
{
	char what[256];
	if (!report_wanted(s, 2))
		return;
	snprintf(what, sizeof(what), "analyzed script: %d %s, %d %s, %d %s, %d %s", probes,
		 plural(probes, "probe", "probes"), functions,
		 plural(functions, "function", "functions"), embeds,
		 plural(embeds, "embed", "embeds"), globals, plural(globals, "global", "globals"));
	emit(2, what, t, true);
}

void report_pass3(const Session *s, const PassTimer *t, const char *c_file)
{
	char what[4200];
	if (!report_wanted(s, 3))
		return;
	snprintf(what, sizeof(what), "translated to C into \"%s\"", c_file);
	emit(3, what, t, true);
}

void report_pass4(const Session *s, const PassTimer *t, const char *module_file)
{
	char what[4200];
	if (!report_wanted(s, 4))
		return;
	snprintf(what, sizeof(what), "compiled C into \"%s\"", module_file);
	emit(4, what, t, false);
}

void report_cached(const Session *s, int pass, const char *path)
{
	if (report_wanted(s, pass))
		fprintf(stderr, "Pass %d: using cached %s\n", pass, path);
}

void report_pass5_start(const Session *s)
{
	if (report_wanted(s, 5))
		fputs("Pass 5: starting run.\n", stderr);
}

void report_pass5(const Session *s, const PassTimer *t)
{
	if (report_wanted(s, 5))
		emit(5, "run completed", t, false);
}

void report_failed(int pass)
{
	static const char *const what[] = {
		"parse", "analysis", "translation", "compilation", "run",
	};
	if (pass >= 1 && pass <= 5)
		fprintf(stderr, "Pass %d: %s failed.\n", pass, what[pass - 1]);
}
