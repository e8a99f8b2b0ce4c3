/* Pass 4 for the kernel runtime: a kbuild external module in the
 * temporary folder, against the -r build tree.  The module includes the
 * whole runtime in its one translation unit (runtime/runtime.h and
 * runtime/linux/module_glue.h), so the Kbuild file names one object. */
#include "translate/build.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "stap: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* runtime/linux/probe-features.sh, once it exists, writes
 * ustap_features.h for this kernel into the folder it is given; its
 * result is cached by the script itself. */
static const char *features(Session *s, const char *tmp)
{
	char *script = build_fmt("%s/linux/probe-features.sh", s->runtime_dir);
	if (access(script, R_OK)) {
		free(script);
		return NULL;
	}
	char *out = build_fmt("%s/features", tmp);
	char *argv[] = { "sh", script, (char *)s->kernel_build_dir, out, NULL };
	int rc = build_run(argv, s->verbose[3] < 2 ? RUN_ERRORS : RUN_SHOW);
	free(script);
	if (rc) {
		free(out);
		return "";
	}
	char *inc = build_fmt("-I%s", out);
	free(out);
	return inc;
}

int build_kernel(Session *s, const char *c_file, const char *name, char **module)
{
	char *path = build_fmt("%s/Makefile", s->kernel_build_dir);
	if (access(path, R_OK)) {
		fprintf(stderr, "stap: no kernel headers for %s in %s: install the Debian package "
			"linux-headers-%s\n", s->kernel_release, s->kernel_build_dir, s->kernel_release);
		return 1;
	}
	const char *tmp = build_tmpdir(s);
	if (!tmp)
		return 1;
	char *dir = build_fmt("%s/kmod", tmp);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "stap: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	/* kbuild names the module after its source file. */
	char *src = build_fmt("%s/%s.c", dir, name);
	unlink(src);
	if (symlink(c_file, src)) {
		fprintf(stderr, "stap: cannot link %s: %s\n", src, strerror(errno));
		return 1;
	}
	const char *feat = features(s, tmp);
	if (feat && !*feat) {
		fprintf(stderr, "stap: the kernel feature tests failed for %s\n", s->kernel_build_dir);
		return 1;
	}
	char *tables = build_tables(s, true);
	if (!tables)
		return 1;
	char *kbuild = build_fmt("obj-m := %s.o\nccflags-y := -I%s %s%s%s\n", name, s->runtime_dir,
				 tables, feat ? " " : "", feat ? feat : "");
	free(tables);
	path = build_fmt("%s/Kbuild", dir);
	if (write_text(path, kbuild))
		return 1;

	char *mdir = build_fmt("M=%s", dir);
	const char *argv[16 + 64];
	int a = 0;
	argv[a++] = "make";
	argv[a++] = "-C";
	argv[a++] = s->kernel_build_dir;
	argv[a++] = mdir;
	argv[a++] = "-j2";
	/* W=1: a warning in the module is a bug in the translator or runtime. */
	argv[a++] = "W=1";
	/* No BTF for a module stripped of its debug info anyway (kbuild would
	 * say it skips it when vmlinux is missing). */
	argv[a++] = "CONFIG_DEBUG_INFO_BTF_MODULES=";
	for (int i = 0; i < s->build_options.n && a < 16 + 60; i++)
		argv[a++] = s->build_options.v[i];
	argv[a++] = "modules";
	argv[a] = NULL;
	if (s->verbose[3] > 1) {
		fputs("Running", stderr);
		for (int i = 0; i < a; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	if (build_run((char *const *)argv, s->verbose[3] < 2 ? RUN_ERRORS : RUN_SHOW))
		return 1;
	path = build_fmt("%s/%s.ko", dir, name);
	if (access(path, R_OK)) {
		fprintf(stderr, "stap: kbuild made no %s\n", path);
		return 1;
	}
	/* The kernel's debug info is most of an unstripped module and nothing
	 * here needs it. */
	char *strip[] = { "strip", "--strip-debug", path, NULL };
	build_run(strip, RUN_QUIET);
	*module = path;
	return 0;
}
