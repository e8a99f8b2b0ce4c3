#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include "translate/library.h"
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include "parse/parser.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct LibFile {
	const char *path;
	SrcFile *src;
	StapFile *file;
	bool tried;		/* parsed, or found broken */
	bool eager;		/* its declarations need the parser to see */
} LibFile;

typedef struct IntList {
	int *v;
	int n, cap;
} IntList;

typedef struct AliasName {
	const char *text;
	size_t len;
	int file;
} AliasName;

static Session *sess;
static LibFile *files;
static int nfiles;
static PtrMap names[2];		/* LibKind -> interned name -> IntList* */
static AliasName *aliases;
static int naliases, aliases_cap;
static int ignored;

static void add_name(LibKind k, const char *s, size_t len, int file)
{
	const char *name = intern(s, len);
	IntList *l = pmap_get(&names[k], name);
	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l)
			fatal("out of memory");
		pmap_put(&names[k], name, l);
	}
	if (l->n && l->v[l->n - 1] == file)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 2;
		l->v = realloc(l->v, sizeof(int) * (size_t)l->cap);
		if (!l->v)
			fatal("out of memory");
	}
	l->v[l->n++] = file;
}

static void add_alias(const char *s, size_t len, int file)
{
	if (naliases == aliases_cap) {
		aliases_cap = aliases_cap ? aliases_cap * 2 : 256;
		aliases = realloc(aliases, sizeof(*aliases) * (size_t)aliases_cap);
		if (!aliases)
			fatal("out of memory");
	}
	aliases[naliases++] = (AliasName){ s, len, file };
}

/* ---- the declaration scan ----
 *
 * Walks a file's top level only: blocks, strings, comments and embedded C
 * are skipped whole, %( %? %: %) markers are transparent. */

typedef struct Scan {
	const char *p, *end;
	int file;
	bool eager;
} Scan;

static bool word_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == '$' || c == '@';
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static void skip_space(Scan *sc)
{
	while (sc->p < sc->end) {
		const char *p = sc->p;
		if (isspace((unsigned char)*p)) {
			sc->p++;
		} else if (*p == '#' || (*p == '/' && p + 1 < sc->end && p[1] == '/')) {
			const char *e = memchr(p, '\n', (size_t)(sc->end - p));
			sc->p = e ? e : sc->end;
		} else if (*p == '/' && p + 1 < sc->end && p[1] == '*') {
			const char *e = sc->end - sc->p > 2 ?
				memmem(p + 2, (size_t)(sc->end - p - 2), "*/", 2) : NULL;
			sc->p = e ? e + 2 : sc->end;
		} else {
			break;
		}
	}
}

static void skip_string(Scan *sc)
{
	for (sc->p++; sc->p < sc->end && *sc->p != '"'; sc->p++)
		if (*sc->p == '\\' && sc->p + 1 < sc->end)
			sc->p++;
	if (sc->p < sc->end)
		sc->p++;
}

static void skip_embedded(Scan *sc)
{
	const char *e = memmem(sc->p + 2, (size_t)(sc->end - sc->p - 2), "%}", 2);
	sc->p = e ? e + 2 : sc->end;
}

/* Skips one token-ish thing that cannot hold a top-level declaration. */
static bool skip_opaque(Scan *sc)
{
	const char *p = sc->p;
	if (*p == '"') {
		skip_string(sc);
		return true;
	}
	if (*p == '%' && p + 1 < sc->end && p[1] == '{') {
		skip_embedded(sc);
		return true;
	}
	return false;
}

/* Skips a balanced { } block.  This is where the scan spends its time
 * (bodies are most of a tapset), so it is one tight loop over the bytes
 * that matter: braces, strings, comments, embedded C. */
static void skip_block(Scan *sc)
{
	static bool special[256];
	if (!special['{']) {
		for (const char *c = "{}\"#/%"; *c; c++)
			special[(unsigned char)*c] = true;
	}
	const char *p = sc->p, *end = sc->end, *e;
	int depth = 0;
	while (p < end) {
		while (p < end && !special[(unsigned char)*p])
			p++;
		if (p >= end)
			break;
		switch (*p) {
		case '{':
			depth++;
			p++;
			break;
		case '}':
			p++;
			if (--depth <= 0) {
				sc->p = p;
				return;
			}
			break;
		case '"':
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			p += p < end;
			break;
		case '#':
			if (p[-1] == '$' || p[-1] == '@') {	/* $# and @# */
				p++;
				break;
			}
			e = memchr(p, '\n', (size_t)(end - p));
			p = e ? e : end;
			break;
		case '/':
			if (p + 1 < end && p[1] == '/') {
				e = memchr(p, '\n', (size_t)(end - p));
				p = e ? e : end;
			} else if (p + 1 < end && p[1] == '*') {
				e = memmem(p + 2, (size_t)(end - p - 2), "*/", 2);
				p = e ? e + 2 : end;
			} else {
				p++;
			}
			break;
		default:	/* '%' */
			if (p + 1 < end && p[1] == '{') {
				e = memmem(p + 2, (size_t)(end - p - 2), "%}", 2);
				p = e ? e + 2 : end;
			} else {
				p++;
			}
			break;
		}
	}
	sc->p = end;
}

static size_t read_word(Scan *sc, const char **w)
{
	*w = sc->p;
	if (sc->p < sc->end && word_start(*sc->p))
		for (sc->p++; sc->p < sc->end && word_char(*sc->p); sc->p++)
			;
	return (size_t)(sc->p - *w);
}

/* @define NAME(PARAMS) %( BODY %): skipped with its nesting. */
static void skip_macro_def(Scan *sc)
{
	int depth = 0;
	while (sc->p < sc->end) {
		skip_space(sc);
		if (sc->p >= sc->end || skip_opaque(sc))
			continue;
		if (*sc->p == '%' && sc->p + 1 < sc->end && (sc->p[1] == '(' || sc->p[1] == ')')) {
			depth += sc->p[1] == '(' ? 1 : -1;
			sc->p += 2;
			if (depth == 0)
				return;
			continue;
		}
		sc->p++;
	}
}

/* global NAME [%] [[N]] [%] [= LITERAL], ... */
static void scan_globals(Scan *sc, bool priv)
{
	for (;;) {
		skip_space(sc);
		const char *w;
		size_t n = read_word(sc, &w);
		if (!n)
			return;
		if (!priv)
			add_name(LIB_GLOBAL, w, n, sc->file);
		for (;;) {
			skip_space(sc);
			if (sc->p >= sc->end)
				return;
			char c = *sc->p;
			if (c == '%' && sc->p + 1 < sc->end && strchr("{(?:)", sc->p[1]))
				return;
			if (c == '%' || c == '=' || c == '-' || c == '+') {
				sc->p++;
			} else if (c == '[') {
				while (sc->p < sc->end && *sc->p != ']')
					sc->p++;
				if (sc->p < sc->end)
					sc->p++;
			} else if (c == '"') {
				skip_string(sc);
			} else if (isdigit((unsigned char)c)) {
				while (sc->p < sc->end && isalnum((unsigned char)*sc->p))
					sc->p++;
			} else {
				break;
			}
		}
		if (sc->p >= sc->end || *sc->p != ',')
			return;
		sc->p++;
	}
}

static bool plain_alias_name(const char *s, size_t n)
{
	int paren = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '(')
			paren++;
		else if (c == ')')
			paren--;
		else if (!paren && !word_char(c) && c != '.')
			return false;
	}
	return paren == 0;
}

/* probe HEADER {: an alias when HEADER has '=' or '+=' outside parens. */
static void scan_probe(Scan *sc)
{
	const char *start = sc->p;
	int paren = 0;
	while (sc->p < sc->end) {
		skip_space(sc);
		if (sc->p >= sc->end)
			return;
		if (*sc->p == '"') {
			skip_string(sc);
			continue;
		}
		char c = *sc->p;
		if (c == '(')
			paren++;
		else if (c == ')')
			paren--;
		else if (!paren && c == '{' && sc->p > start && sc->p[-1] != '.')
			return;	/* a plain probe: its body follows */
		else if (!paren && c == '=' && sc->p[1] != '=' &&
			 !strchr("!<>=", sc->p[-1]))
			break;
		sc->p++;
	}
	if (sc->p >= sc->end)
		return;
	const char *names_end = sc->p[-1] == '+' ? sc->p - 1 : sc->p;
	sc->p++;
	/* The alias's own points run to its body; macros may appear there. */
	const char *after = sc->p;
	paren = 0;
	while (sc->p < sc->end) {
		skip_space(sc);
		if (sc->p >= sc->end || skip_opaque(sc))
			continue;
		char c = *sc->p;
		if (c == '(')
			paren++;
		else if (c == ')')
			paren--;
		else if (!paren && c == '{' && sc->p > after && sc->p[-1] != '.')
			break;
		sc->p++;
	}
	/* Alias names, comma-separated; anything fancy needs the parser. */
	const char *q = start;
	while (q < names_end) {
		while (q < names_end && (isspace((unsigned char)*q) || *q == ','))
			q++;
		const char *e = q;
		int depth = 0;
		while (e < names_end && (depth || *e != ',')) {
			if (*e == '(')
				depth++;
			else if (*e == ')')
				depth--;
			e++;
		}
		const char *t = e;
		while (t > q && isspace((unsigned char)t[-1]))
			t--;
		if (t > q) {
			if (plain_alias_name(q, (size_t)(t - q)))
				add_alias(q, (size_t)(t - q), sc->file);
			else
				sc->eager = true;
		}
		q = e;
	}
}

static void scan_file(Scan *sc)
{
	bool priv = false;
	while (sc->p < sc->end) {
		skip_space(sc);
		if (sc->p >= sc->end)
			break;
		if (skip_opaque(sc))
			continue;
		char c = *sc->p;
		if (c == '{') {
			skip_block(sc);
			continue;
		}
		if (!word_start(c)) {
			sc->p++;
			continue;
		}
		const char *w;
		size_t n = read_word(sc, &w);
		if (n == 8 && !memcmp(w, "function", 8)) {
			skip_space(sc);
			const char *name;
			size_t k = read_word(sc, &name);
			if (k && !priv)
				add_name(LIB_FUNCTION, name, k, sc->file);
			priv = false;
		} else if (n == 6 && !memcmp(w, "global", 6)) {
			scan_globals(sc, priv);
			priv = false;
		} else if (n == 7 && !memcmp(w, "private", 7)) {
			priv = true;
			skip_space(sc);
			const char *save = sc->p, *nw;
			size_t k = read_word(sc, &nw);
			sc->p = save;
			if (k && !(k == 6 && !memcmp(nw, "global", 6)) &&
			    !(k == 8 && !memcmp(nw, "function", 8)) &&
			    !(k == 5 && !memcmp(nw, "probe", 5)))
				scan_globals(sc, true);	/* "private x" */
		} else if (n == 5 && !memcmp(w, "probe", 5)) {
			scan_probe(sc);
			priv = false;
		} else if (n == 7 && !memcmp(w, "@define", 7)) {
			skip_macro_def(sc);
		} else if (w[0] == '@' && n > 1 && !isdigit((unsigned char)w[1])) {
			/* @__private30 function f: a prefix the parse will
			 * settle.  Any other macro could declare anything. */
			skip_space(sc);
			const char *save = sc->p, *nw;
			size_t k = read_word(sc, &nw);
			sc->p = save;
			if (!(k == 8 && !memcmp(nw, "function", 8)) &&
			    !(k == 6 && !memcmp(nw, "global", 6)) &&
			    !(k == 7 && !memcmp(nw, "private", 7)) &&
			    !(k == 5 && !memcmp(nw, "probe", 5)))
				sc->eager = true;
		} else if ((w[0] == '$' || w[0] == '@') && sc->p < sc->end && *sc->p == '#') {
			sc->p++;
		}
	}
}

/* ---- parsing on demand ---- */

static StapFile *parse_lib(int i)
{
	LibFile *f = &files[i];
	if (f->tried)
		return f->file;
	f->tried = true;
	ParseOptions o = { .ctx = &sess->pp, .privileged = true };
	int before = diag_error_count();
	StapFile *parsed = parse_file(f->src, &o);
	int errors = diag_error_count() - before;
	if (errors) {
		if (!sess->suppress_warnings)
			fprintf(stderr, "WARNING: tapset \"%s\" has errors, and will be skipped\n",
				f->path);
		if (!sess->warnings_are_errors)
			ignored += errors;
		return NULL;
	}
	f->file = parsed;
	return parsed;
}

int library_open(Session *s, char **stpm, int nstpm, char **stp, int nstp)
{
	sess = s;
	files = calloc((size_t)(nstpm + nstp + 1), sizeof(*files));
	if (!files)
		fatal("out of memory");
	for (int k = 0; k < 2; k++) {
		char **v = k ? stp : stpm;
		int n = k ? nstp : nstpm;
		for (int i = 0; i < n; i++) {
			SrcFile *src = src_load(v[i], v[i]);
			if (!src) {
				diag_warning((Loc){ 0, 0 }, "cannot read tapset %s: %s", v[i],
					     strerror(errno));
				continue;
			}
			src->is_tapset = true;
			src->is_macro_lib = k == 0;
			LibFile *f = &files[nfiles];
			f->path = v[i];
			f->src = src;
			if (k == 0 || s->warnings_are_errors) {
				f->eager = true;
			} else {
				Scan sc = { src->text, src->text + src->len, nfiles, false };
				scan_file(&sc);
				f->eager = sc.eager;
			}
			nfiles++;
		}
	}
	for (int i = 0; i < nfiles; i++)
		if (files[i].eager)
			parse_lib(i);
	/* Up-front errors do not fail pass 1 either, except under -W. */
	if (ignored && diag_error_count() == ignored) {
		diag_reset();
		ignored = 0;
	}
	return nfiles;
}

int library_nfiles(void)
{
	return nfiles;
}

StapFile *library_file(Session *s, int i)
{
	(void)s;
	return i >= 0 && i < nfiles ? parse_lib(i) : NULL;
}

StapFile *library_file_if_parsed(int i)
{
	return i >= 0 && i < nfiles && files[i].tried ? files[i].file : NULL;
}

const int *library_candidates(LibKind k, const char *name, int *n)
{
	IntList *l = pmap_get(&names[k], name);
	*n = l ? l->n : 0;
	return l ? l->v : NULL;
}

void library_aliases(void (*fn)(void *ctx, const char *name, size_t len, int file), void *ctx)
{
	for (int i = 0; i < naliases; i++)
		fn(ctx, aliases[i].text, aliases[i].len, aliases[i].file);
}

void library_function_names(void (*fn)(void *ctx, const char *name), void *ctx)
{
	const PtrMap *m = &names[LIB_FUNCTION];
	for (unsigned i = 0; i < m->cap; i++)
		if (m->keys[i])
			fn(ctx, m->keys[i]);
}

int library_ignored_errors(void)
{
	return ignored;
}
