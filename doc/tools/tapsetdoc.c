/* tapsetdoc: checks the doc comments of tapset files and writes the tapset
 * reference from them.
 *
 *   tapsetdoc [--version V] [--man DIR] [--text FILE] PATH...
 *
 * A PATH that is a folder is read as stap reads a tapset folder: its .stp
 * files, then those of its runtime folders (linux/: kernel runtime only,
 * ptrace/: ptrace runtime only) and architecture folders (any other
 * folder, and those inside a runtime folder).  A PATH that is a file is
 * read for both runtimes.  Without --man or --text it only checks.
 *
 * Messages are "FILE:LINE: TEXT", one per problem, every problem at once.
 * Exit status: 0, 1 after doc comment errors (nothing is written), 2 when
 * a file cannot be read or written. */
#include "doc/tools/tapsetdoc.h"
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int nerrors;
static bool io_failed;
/* What lives as long as the run (file names, architecture names):
 * reachable from here, so leak checkers do not count it. */
static Vec keep;

void td_error(const char *file, unsigned line, const char *fmt, ...)
{
	nerrors++;
	if (!file)
		return;		/* already told (the lexer's own message) */
	va_list ap;
	fprintf(stderr, "%s:%u: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xalloc(void *p)
{
	if (!p) {
		fputs("tapsetdoc: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

char *td_strdup(const char *s)
{
	return xalloc(strdup(s));
}

char *td_strndup(const char *s, size_t n)
{
	return xalloc(strndup(s, n));
}

char *td_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc(NULL);
	return s;
}

void td_keep(void *p)
{
	vec_add(&keep, p);
}

void vec_add(Vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 16;
		vec->v = xalloc(realloc(vec->v, sizeof(void *) * (size_t)vec->cap));
	}
	vec->v[vec->n++] = p;
}

/* ---- finding the files ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted: .stp files (want_dirs false) or folders. */
static int list(const char *dir, bool want_dirs, char ***out)
{
	DIR *d = opendir(dir);
	*out = NULL;
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = td_printf("%s/%s", dir, e->d_name);
		struct stat st;
		bool ok = stat(path, &st) == 0;
		free(path);
		size_t len = strlen(e->d_name);
		if (!ok || (want_dirs ? !S_ISDIR(st.st_mode) :
			    !S_ISREG(st.st_mode) || len < 5 || strcmp(e->d_name + len - 4, ".stp")))
			continue;
		*out = xalloc(realloc(*out, sizeof(char *) * (size_t)(n + 1)));
		(*out)[n++] = td_strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(*out, (size_t)n, sizeof(char *), cmp_str);
	return n;
}

static void scan_dir(const char *dir, unsigned rt, const char *arch, Vec *decls)
{
	char **files;
	int n = list(dir, false, &files);
	for (int i = 0; i < n; i++) {
		char *path = td_printf("%s/%s", dir, files[i]);
		vec_add(&keep, path);	/* declarations point at it */
		if (!td_scan_file(path, rt, arch, decls))
			io_failed = true;
		free(files[i]);
	}
	free(files);
}

/* The folders stap searches: ROOT, ROOT/RUNTIME, ROOT/RUNTIME/ARCH and
 * ROOT/ARCH (translate/pass1.c). */
static void scan_tree(const char *root, Vec *decls)
{
	scan_dir(root, RT_BOTH, NULL, decls);
	char **subs;
	int n = list(root, true, &subs);
	vec_add(&keep, subs);	/* the names are architectures of declarations */
	for (int i = 0; i < n; i++) {
		char *sub = td_printf("%s/%s", root, subs[i]);
		unsigned rt = !strcmp(subs[i], "linux") ? RT_KERNEL :
			      !strcmp(subs[i], "ptrace") ? RT_PTRACE : 0;
		if (!rt) {
			scan_dir(sub, RT_BOTH, subs[i], decls);
			free(sub);
			continue;
		}
		scan_dir(sub, rt, NULL, decls);
		char **archs;
		int na = list(sub, true, &archs);
		vec_add(&keep, archs);
		for (int k = 0; k < na; k++) {
			char *adir = td_printf("%s/%s", sub, archs[k]);
			scan_dir(adir, rt, archs[k], decls);
			free(adir);
		}
		free(sub);
	}
}

/* ---- writing ---- */

/* Replaces path with the text of tmp unless it already holds the same
 * bytes, so an unchanged page keeps its time stamp. */
static void commit(const char *tmp, const char *path)
{
	FILE *a = fopen(tmp, "r"), *b = fopen(path, "r");
	bool same = a && b;
	while (same) {
		int x = getc(a), y = getc(b);
		same = x == y;
		if (x == EOF || y == EOF)
			break;
	}
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	if (same) {
		unlink(tmp);
	} else if (rename(tmp, path) < 0) {
		fprintf(stderr, "tapsetdoc: cannot write %s: %s\n", path, strerror(errno));
		io_failed = true;
	}
}

static FILE *open_tmp(const char *tmp)
{
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "tapsetdoc: cannot write %s: %s\n", tmp, strerror(errno));
		io_failed = true;
	}
	return f;
}

static void close_tmp(FILE *f, const char *tmp, const char *path)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "tapsetdoc: cannot write %s\n", tmp);
		io_failed = true;
		unlink(tmp);
		return;
	}
	commit(tmp, path);
}

/* mkdir -p: path and the folders above it. */
static bool make_dirs(const char *path)
{
	char *p = td_strdup(path);
	bool ok = true;
	for (char *q = p + 1; ok; q++) {
		if (*q && *q != '/')
			continue;
		char c = *q;
		*q = '\0';
		ok = mkdir(p, 0755) == 0 || errno == EEXIST;
		if (!ok)
			fprintf(stderr, "tapsetdoc: cannot make %s: %s\n", p, strerror(errno));
		*q = c;
		if (!c)
			break;
	}
	free(p);
	if (!ok)
		io_failed = true;
	return ok;
}

static bool is_page_name(const char *name)
{
	size_t len = strlen(name);
	return (!strncmp(name, "function::", 10) || !strncmp(name, "probe::", 7)) &&
	       len > 6 && !strcmp(name + len - 6, ".3stap");
}

static void write_man(const char *dir, Vec *pages, const char *version)
{
	if (!make_dirs(dir))
		return;
	for (int i = 0; i < pages->n; i++) {
		const Page *pg = pages->v[i];
		char *path = td_printf("%s/%s.3stap", dir, pg->title);
		char *tmp = td_printf("%s.tmp", path);
		FILE *f = open_tmp(tmp);
		if (f) {
			td_write_man(f, pg, version);
			close_tmp(f, tmp, path);
		}
		free(tmp);
		free(path);
	}
	/* Pages of names that are gone. */
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!is_page_name(e->d_name))
			continue;
		bool keep = false;
		for (int i = 0; i < pages->n && !keep; i++) {
			const Page *pg = pages->v[i];
			keep = strlen(e->d_name) == strlen(pg->title) + 6 &&
			       !strncmp(e->d_name, pg->title, strlen(pg->title));
		}
		if (!keep) {
			char *path = td_printf("%s/%s", dir, e->d_name);
			unlink(path);
			free(path);
		}
	}
	if (d)
		closedir(d);
}

static void write_text(const char *path, Vec *pages, const char *version)
{
	char *tmp = td_printf("%s.tmp", path);
	char *dir = td_strdup(path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		make_dirs(dir);
	}
	free(dir);
	FILE *f = open_tmp(tmp);
	if (f) {
		td_write_text(f, pages, version);
		close_tmp(f, tmp, path);
	}
	free(tmp);
}

static int usage(void)
{
	fputs("Usage: tapsetdoc [--version V] [--man DIR] [--text FILE] PATH...\n"
	      "Checks the doc comments of the tapset files in PATH (folders are read as\n"
	      "stap reads a tapset folder) and writes one man page per function and\n"
	      "probe alias into DIR and the whole reference into FILE.\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *version = PACKAGE_VERSION, *man_dir = NULL, *text_file = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--version"))
			version = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--man"))
			man_dir = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--text"))
			text_file = argv[++i];
		else
			return usage();
	}
	if (i == argc)
		return usage();
	static Vec decls, pages;
	for (; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "tapsetdoc: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode))
			scan_tree(argv[i], &decls);
		else if (!td_scan_file(argv[i], RT_BOTH, NULL, &decls))
			io_failed = true;
	}
	if (io_failed)
		return 2;
	for (int k = 0; k < decls.n; k++) {
		Decl *d = decls.v[k];
		/* Internal names need no doc comment, but one they have is checked. */
		if (d->doc || !d->internal)
			d->parsed = td_parse_doc(d, version);
	}
	td_build_pages(&decls, &pages);
	td_check_refs(&decls);
	if (nerrors) {
		fprintf(stderr, "tapsetdoc: %d error%s; nothing written (doc/tapset-doc.md "
			"describes the doc comments)\n", nerrors, nerrors == 1 ? "" : "s");
		return 1;
	}
	if (man_dir)
		write_man(man_dir, &pages, version);
	if (text_file)
		write_text(text_file, &pages, version);
	return io_failed ? 2 : 0;
}
