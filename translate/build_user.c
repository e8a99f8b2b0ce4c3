/* Pass 4 for the ptrace runtime: the generated C and the user platform
 * (its transport, the tracer loop glue and the utrace engine) compiled
 * into one shared object that staprun loads in its tracer process. */
#include "translate/build.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The user platform's sources, relative to the runtime folder. */
static const char *const platform_sources[] = {
	"user/transport.c",
	"user/transport_ring.c",
	"user/tracer_run.c",
	"user/utrace_all.c",
};

int build_user(Session *s, const char *c_file, const char *name, char **module)
{
	const char *tmp = build_tmpdir(s);
	if (!tmp)
		return 1;
	size_t n = strlen(tmp) + strlen(name) + 8;
	char *out = malloc(n);
	char inc[4096];
	char *srcs[sizeof(platform_sources) / sizeof(platform_sources[0])];
	snprintf(out, n, "%s/%s.so", tmp, name);
	snprintf(inc, sizeof(inc), "-I%s", s->runtime_dir);
	char *tables = build_tables(s, false);
	if (!tables) {
		free(out);
		return 1;
	}

	const char *argv[64 + 2 * 64];
	int a = 0;
	argv[a++] = "cc";
	argv[a++] = "-std=gnu11";
	argv[a++] = "-fPIC";
	argv[a++] = "-shared";
	/* Script longs wrap on overflow (doc/runtime.md). */
	argv[a++] = "-fwrapv";
	argv[a++] = "-O2";
	argv[a++] = "-D_GNU_SOURCE";
	argv[a++] = inc;
	argv[a++] = tables;
	argv[a++] = "-o";
	argv[a++] = out;
	argv[a++] = c_file;
	for (size_t i = 0; i < sizeof(platform_sources) / sizeof(platform_sources[0]); i++) {
		size_t len = strlen(s->runtime_dir) + strlen(platform_sources[i]) + 2;
		srcs[i] = malloc(len);
		snprintf(srcs[i], len, "%s/%s", s->runtime_dir, platform_sources[i]);
		argv[a++] = srcs[i];
	}
	argv[a++] = "-lpthread";
	argv[a] = NULL;
	if (s->verbose[3] > 1) {
		fputs("Running", stderr);
		for (int i = 0; i < a; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	int rc = build_run((char *const *)argv, RUN_SHOW);
	free(tables);
	for (size_t i = 0; i < sizeof(platform_sources) / sizeof(platform_sources[0]); i++)
		free(srcs[i]);
	if (rc) {
		free(out);
		return 1;
	}
	*module = out;
	return 0;
}
