#include "translate/pass1.h"
#include "translate/library.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/parser.h"
#include "parse/unparse.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *runtime_name(const Session *s)
{
	return s->runtime == RUNTIME_PTRACE ? "ptrace" : "kernel";
}

static const char *privilege_name(Privilege p)
{
	return p == PRIV_STAPUSR ? "stapusr" : p == PRIV_STAPSYS ? "stapsys" : "stapdev";
}

static void fill_pp_context(Session *s)
{
	static char kv[64];
	PPContext *c = &s->pp;
	/* kernel_v is the release up to its first '-': "6.1.0-50-amd64" -> "6.1.0". */
	snprintf(kv, sizeof(kv), "%s", s->kernel_release);
	kv[strcspn(kv, "-")] = '\0';
	c->kernel_v = kv;
	c->kernel_vr = s->kernel_release;
	c->arch = s->arch;
	c->runtime = runtime_name(s);
	c->systemtap_v = s->compatible;
	c->privilege = privilege_name(s->privilege);
	c->guru_mode = s->guru;
	c->nargs = s->script_args.n;
	c->args = (char **)s->script_args.v;
}

typedef struct PathList {
	char **v;
	int n, cap;
} PathList;

static void pl_push(PathList *pl, char *p)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 64;
		pl->v = realloc(pl->v, sizeof(char *) * (size_t)pl->cap);
		if (!pl->v)
			fatal("out of memory");
	}
	pl->v[pl->n++] = p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

/* The .stp/.stpm files directly in dir, sorted. */
static void list_dir(const char *dir, PathList *stpm, PathList *stp)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	PathList here = { 0 };
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!has_suffix(e->d_name, ".stp") && !has_suffix(e->d_name, ".stpm"))
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = arena_alloc(&g_arena, len);
		snprintf(path, len, "%s/%s", dir, e->d_name);
		pl_push(&here, path);
	}
	closedir(d);
	if (here.n)
		qsort(here.v, (size_t)here.n, sizeof(char *), cmp_str);
	for (int i = 0; i < here.n; i++)
		pl_push(has_suffix(here.v[i], ".stpm") ? stpm : stp, here.v[i]);
	free(here.v);
}

/* The tapset search path.  Roots: the -I folders in order, then the
 * installed library ($SYSTEMTAP_TAPSET).  Within each root the most
 * specific folder comes first, as SystemTap orders them: RUNTIME/ARCH,
 * RUNTIME, ARCH, then the root itself (RUNTIME is "linux" for the kernel
 * runtime, "ptrace" for the user one).  Where two files define the same
 * name, the first one found wins, so -I folders can override the library
 * (SystemTap searches the library first; doc/design.md says why we
 * differ). */
static void collect_library(Session *s, PathList *stpm, PathList *stp)
{
	StrList roots = { 0 };
	for (int i = 0; i < s->include_dirs.n; i++)
		strlist_push(&roots, s->include_dirs.v[i]);
	if (s->tapset_dir)
		strlist_push(&roots, s->tapset_dir);
	const char *rt = s->runtime == RUNTIME_PTRACE ? "ptrace" : "linux";
	for (int i = 0; i < roots.n; i++) {
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s/%s", roots.v[i], rt, s->arch);
		list_dir(sub, stpm, stp);
		snprintf(sub, sizeof(sub), "%s/%s", roots.v[i], rt);
		list_dir(sub, stpm, stp);
		snprintf(sub, sizeof(sub), "%s/%s", roots.v[i], s->arch);
		list_dir(sub, stpm, stp);
		list_dir(roots.v[i], stpm, stp);
	}
	free(roots.v);
}

static StapFile *parse_one(Session *s, SrcFile *src, bool privileged)
{
	ParseOptions o = { .ctx = &s->pp, .privileged = privileged };
	return parse_file(src, &o);
}

int pass1_parse(Session *s)
{
	fill_pp_context(s);
	PathList stpm = { 0 }, stp = { 0 };
	collect_library(s, &stpm, &stp);
	/* Macro files first (their macros serve every file after them);
	 * the .stp files are scanned now and parsed when pass 2 needs them
	 * (translate/library.c). */
	s->library_scripts = library_open(s, stpm.v, stpm.n, stp.v, stp.n);
	free(stpm.v);
	free(stp.v);

	PtrVec user = { 0 };
	SrcFile *src;
	if (s->script_text) {
		src = src_from_string("<input>", s->script_text, strlen(s->script_text));
	} else if (!strcmp(s->script_file, "-")) {
		src = src_load("/dev/stdin", "<input>");
	} else {
		src = src_load(s->script_file, s->script_file);
	}
	if (!src) {
		fprintf(stderr, "stap: cannot read script %s: %s\n",
			s->script_file, strerror(errno));
		return 1;
	}
	vec_push(&user, parse_one(s, src, s->guru));
	for (int i = 0; i < s->extra_scripts.n; i++) {
		const char *t = s->extra_scripts.v[i];
		vec_push(&user, parse_one(s, src_from_string("<input>", t, strlen(t)), s->guru));
	}
	s->user_files = (StapFile **)vec_finish(&user, &s->nuser_files);
	return diag_error_count() ? 1 : 0;
}

void pass1_print(Session *s)
{
	StrBuf b = { 0 };
	for (int i = 0; i < s->nuser_files; i++)
		unparse_file(&b, s->user_files[i]);
	sb_write(&b, stdout);
	sb_free(&b);
}
