/* p1check: parses scripts, prints them as canonical text, parses that text
 * again and checks the two trees are equal.  The testsuite runs it on every
 * script it holds and on whole tapset libraries.
 *
 *   p1check [OPTION...] FILE... [-- SCRIPT-ARGS...]
 *   -p  print the canonical text
 *   -P  print expression statements fully parenthesised, as SystemTap's
 *       -p1 dump does (see p1full.h)
 *   -q  only check, print nothing but errors
 *   -n  only parse (no canonical text, no round trip): what pass 1 costs
 *   -t  the files are tapsets (embedded C allowed, names in messages)
 *   What %( %) conditions see, spelled as stap spells it:
 *   -g  guru mode;  --privilege=NAME;  --unprivileged (stapusr)
 *   -r RELEASE (default 6.1.0-50-amd64);  -a ARCH (default x86_64)
 *   --runtime=NAME (default kernel);  --compatible=VERSION (default 4.8)
 *   --kconfig=FILE  CONFIG_ values from a kernel .config (default: all unset)
 * .stpm files are parsed first, as macro libraries for the others.
 * Exit: 0 all equal, 1 a parse error, 2 a round trip differed. */
#include "parse/arena.h"
#include "parse/astcmp.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include "parse/parser.h"
#include "parse/unparse.h"
#include "testsuite/tools/p1full.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ConfigEntry {
	const char *name;	/* interned */
	const char *value;
} ConfigEntry;

static ConfigEntry *config;
static int nconfig;

static const char *config_lookup(const char *name)
{
	const char *key = intern_cstr(name);
	for (int i = 0; i < nconfig; i++)
		if (config[i].name == key)
			return config[i].value;
	return NULL;
}

/* CONFIG_X=value lines; "# CONFIG_X is not set" and the rest are skipped.
 * Quotes around string values are kept, as SystemTap keeps them. */
static void load_kconfig(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "p1check: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		if (strncmp(line, "CONFIG_", 7) || !eq)
			continue;
		line[strcspn(line, "\n")] = '\0';
		config = realloc(config, sizeof(*config) * (size_t)(nconfig + 1));
		if (!config)
			fatal("out of memory");
		config[nconfig].name = intern(line, (size_t)(eq - line));
		config[nconfig].value = arena_strndup(&g_arena, eq + 1, strlen(eq + 1));
		nconfig++;
	}
	fclose(f);
}

static bool parse_only;

static int check_file(const char *path, bool stpm, const ParseOptions *opts, bool tapset,
		      bool print, bool full, bool quiet)
{
	SrcFile *src = !strcmp(path, "-") ? src_load("/dev/stdin", "<input>") : src_load(path, NULL);
	if (!src) {
		fprintf(stderr, "p1check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	src->is_tapset = tapset;
	src->is_macro_lib = stpm;
	int before = diag_error_count();
	StapFile *f = parse_file(src, opts);
	if (diag_error_count() != before)
		return 1;
	if (parse_only)
		return 0;
	StrBuf b = { 0 };
	unparse_file(&b, f);
	if (print)
		sb_write(&b, stdout);
	if (full) {
		StrBuf fb = { 0 };
		p1full_file(&fb, f);
		sb_write(&fb, stdout);
		sb_free(&fb);
	}
	SrcFile *again = src_from_string("<canonical>", b.s ? b.s : "", b.len);
	again->is_tapset = tapset;
	StapFile *g = parse_file(again, opts);
	const char *where = NULL;
	int status = 0;
	if (diag_error_count() != before) {
		fprintf(stderr, "p1check: %s: canonical text does not parse\n", path);
		if (!print && !quiet)
			sb_write(&b, stderr);
		status = 2;
	} else if (!stapfile_equal(f, g, &where)) {
		fprintf(stderr, "p1check: %s: round trip differs (%s)\n", path, where);
		status = 2;
	}
	sb_free(&b);
	return status;
}

int main(int argc, char **argv)
{
	bool print = false, full = false, guru = false, tapset = false, quiet = false;
	const char *release = "6.1.0-50-amd64", *arch = "x86_64", *runtime = "kernel";
	const char *compatible = "4.8", *privilege = "stapdev";
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			break;
		} else if (!strcmp(a, "-p")) {
			print = true;
		} else if (!strcmp(a, "-P")) {
			full = true;
		} else if (!strcmp(a, "-g")) {
			guru = true;
		} else if (!strcmp(a, "-t")) {
			tapset = true;
		} else if (!strcmp(a, "-q")) {
			quiet = true;
		} else if (!strcmp(a, "-n")) {
			parse_only = true;
		} else if (!strcmp(a, "--unprivileged")) {
			privilege = "stapusr";
		} else if ((!strcmp(a, "-r") || !strcmp(a, "-a")) && i + 1 < argc) {
			*(a[1] == 'r' ? &release : &arch) = argv[++i];
		} else if (!strncmp(a, "--runtime=", 10)) {
			runtime = a + 10;
		} else if (!strncmp(a, "--compatible=", 13)) {
			compatible = a + 13;
		} else if (!strncmp(a, "--privilege=", 12)) {
			privilege = a + 12;
		} else if (!strncmp(a, "--kconfig=", 10)) {
			load_kconfig(a + 10);
		} else {
			fprintf(stderr, "p1check: unknown option %s\n", a);
			return 1;
		}
	}
	int first = i, last = argc;
	for (int k = i; k < argc; k++)
		if (!strcmp(argv[k], "--")) {
			last = k;
			break;
		}
	/* kernel_v is the release up to its first '-'. */
	char kv[64];
	snprintf(kv, sizeof(kv), "%s", release);
	kv[strcspn(kv, "-")] = '\0';
	PPContext ctx = {
		.kernel_v = kv, .kernel_vr = release, .arch = arch,
		.runtime = runtime, .systemtap_v = compatible, .privilege = privilege,
		.guru_mode = guru, .nargs = last < argc ? argc - last - 1 : 0,
		.args = last < argc ? argv + last + 1 : NULL, .config = config_lookup,
	};
	ParseOptions opts = { .ctx = &ctx, .privileged = guru || tapset };
	int status = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int k = first; k < last; k++) {
			size_t n = strlen(argv[k]);
			bool stpm = n > 5 && !strcmp(argv[k] + n - 5, ".stpm");
			if (stpm != (pass == 0))
				continue;
			int r = check_file(argv[k], stpm, &opts, tapset, print, full, quiet);
			if (r > status)
				status = r;
		}
	}
	return status;
}
