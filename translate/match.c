/* The probe-point match tree.
 *
 * Each node is one component: a functor and what argument it takes (none,
 * a number, a string).  A family registers its patterns at start
 * ("timer.ms(number).randomize(number)"); every alias of every tapset and
 * user file registers its names.  A point is matched by walking down one
 * component at a time; '*' in a functor globs over a node's children, '**'
 * over any number (one or more) of levels.  A node where an alias ends also
 * accepts more components: they are the alias's suffix, appended to each
 * point the alias expands to.  The DWARF family registers plain patterns
 * (process(string).function(string).return ...): what a string names is
 * decided by its expand hook (probe_dwarf.c), not here. */
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/intern.h"
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MatchNode *match_root(void)
{
	return ANEW(&g_arena, MatchNode);
}

static MatchNode *child(MatchNode *n, const char *name, MatchArg arg, bool create)
{
	for (int i = 0; i < n->nkids; i++)
		if (n->kids[i]->name == name && n->kids[i]->arg == arg)
			return n->kids[i];
	if (!create)
		return NULL;
	if (n->nkids == n->kids_cap) {
		n->kids_cap = n->kids_cap ? n->kids_cap * 2 : 4;
		MatchNode **k = ANEWN(&g_arena, MatchNode *, n->kids_cap);
		if (n->nkids)
			memcpy(k, n->kids, sizeof(*k) * (size_t)n->nkids);
		n->kids = k;
	}
	MatchNode *c = ANEW(&g_arena, MatchNode);
	c->name = name;
	c->arg = arg;
	n->kids[n->nkids++] = c;
	return c;
}

void match_add(MatchNode *root, const char *pattern, const ProbeFamily *f, int kind)
{
	MatchNode *n = root;
	const char *p = pattern;
	while (*p) {
		size_t len = strcspn(p, ".(");
		const char *name = intern(p, len);
		p += len;
		MatchArg arg = MA_NONE;
		if (*p == '(') {
			arg = p[1] == 'n' ? MA_NUMBER : MA_STRING;
			p = strchr(p, ')') + 1;
		}
		n = child(n, name, arg, true);
		if (*p == '.')
			p++;
	}
	n->family = f;
	n->kind = kind;
}

static MatchArg comp_arg(const PPComponent *c)
{
	return c->arg_kind == PP_ARG_NUMBER ? MA_NUMBER :
	       c->arg_kind == PP_ARG_STRING ? MA_STRING : MA_NONE;
}

void match_add_alias(MatchNode *root, ProbePoint *name, Probe *alias)
{
	MatchNode *n = root;
	for (int i = 0; i < name->ncomps; i++)
		n = child(n, name->comps[i].functor, comp_arg(&name->comps[i]), true);
	for (int i = 0; i < n->aliases.n; i++)
		if (n->aliases.v[i] == alias)
			return;
	vec_push(&n->aliases, alias);
}

void match_add_lazy(MatchNode *root, const char *name, size_t len, int file)
{
	MatchNode *n = root;
	const char *p = name, *end = name + len;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '.' && *q != '(')
			q++;
		const char *functor = intern(p, (size_t)(q - p));
		MatchArg arg = MA_NONE;
		if (q < end && *q == '(') {
			arg = q[1] == '"' ? MA_STRING : MA_NUMBER;
			while (q < end && *q != ')')
				q++;
			q++;
		}
		n = child(n, functor, arg, true);
		p = q < end && *q == '.' ? q + 1 : q;
	}
	if (n->nlazy && n->lazy[n->nlazy - 1] == file)
		return;
	if (n->nlazy == n->lazy_cap) {
		n->lazy_cap = n->lazy_cap ? n->lazy_cap * 2 : 2;
		int *v = ANEWN(&g_arena, int, n->lazy_cap);
		if (n->nlazy)
			memcpy(v, n->lazy, sizeof(int) * (size_t)n->nlazy);
		n->lazy = v;
	}
	n->lazy[n->nlazy++] = file;
}

bool match_has_alias(MatchNode *root, const char *name)
{
	MatchNode *n = child(root, name, MA_NONE, false);
	return n && (n->aliases.n || n->nlazy);
}

/* ---- matching ---- */

enum { MAX_DEPTH = 64 };

typedef struct Walk {
	Sema *S;
	const ProbePoint *pp;
	PtrVec *out;
	bool quiet;
	int errors;
	PPComponent buf[MAX_DEPTH];
} Walk;

static bool has_glob(const char *s)
{
	return strchr(s, '*') != NULL;
}

static const char *arg_suffix(MatchArg a)
{
	return a == MA_NUMBER ? "(number)" : a == MA_STRING ? "(string)" : "";
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void emit(Walk *w, MatchNode *n, int depth, int rest_from, bool wild)
{
	int nrest = rest_from >= 0 ? w->pp->ncomps - rest_from : 0;
	MatchResult *r = ANEW(&g_arena, MatchResult);
	r->node = n;
	r->ncomps = depth + nrest;
	r->matched = depth;
	r->wild = wild;
	r->comps = ANEWN(&g_arena, PPComponent, r->ncomps ? r->ncomps : 1);
	memcpy(r->comps, w->buf, sizeof(PPComponent) * (size_t)depth);
	for (int i = 0; i < nrest; i++)
		r->comps[depth + i] = w->pp->comps[rest_from + i];
	/* '**' can reach one point along two paths: keep it once. */
	for (int i = 0; i < w->out->n; i++) {
		MatchResult *o = w->out->v[i];
		if (o->node != n || o->ncomps != r->ncomps || o->matched != r->matched)
			continue;
		bool same = true;
		for (int k = 0; k < r->ncomps && same; k++)
			same = o->comps[k].functor == r->comps[k].functor &&
			       o->comps[k].arg_kind == r->comps[k].arg_kind;
		if (same)
			return;
	}
	vec_push(w->out, r);
}

static void fail(Walk *w, bool wild, Loc loc, const char *fmt, const char *detail)
{
	if (wild)
		return;
	w->errors++;
	if (w->quiet) {
		w->S->failed++;
		return;
	}
	sema_error(w->S, loc, fmt, point_text(w->pp), detail);
}

static void walk(Walk *w, MatchNode *n, int i, int depth, bool wild);

/* A node registered for a library alias the scan saw, in a %( %) branch
 * the parse dropped, leads nowhere: treat it as absent. */
static MatchNode *live(Walk *w, MatchNode *n)
{
	if (!n)
		return NULL;
	if (n->nlazy)
		load_lazy_node(w->S, n);
	return n->family || n->aliases.n || n->nkids ? n : NULL;
}

/* Descends into kid, recording it as the concrete component at depth. */
static void take(Walk *w, MatchNode *kid, const PPComponent *c, int next, int depth, bool wild)
{
	if (depth >= MAX_DEPTH)
		return;
	PPComponent *b = &w->buf[depth];
	*b = *c;
	b->functor = kid->name;
	if (kid->arg == MA_NONE)
		b->arg_kind = PP_ARG_NONE;
	walk(w, kid, next, depth + 1, wild);
}

static void walk(Walk *w, MatchNode *n, int i, int depth, bool wild)
{
	const ProbePoint *pp = w->pp;
	if (i == pp->ncomps) {
		if (n->family || n->aliases.n) {
			emit(w, n, depth, -1, wild);
			return;
		}
		StrBuf b = { 0 };
		const char **names = malloc(sizeof(char *) * (size_t)(n->nkids + 1));
		for (int k = 0; k < n->nkids; k++) {
			StrBuf t = { 0 };
			sb_printf(&t, "%s%s", n->kids[k]->name, arg_suffix(n->kids[k]->arg));
			names[k] = arena_strndup(&g_arena, t.s, t.len);
			sb_free(&t);
		}
		qsort(names, (size_t)n->nkids, sizeof(char *), cmp_cstr);
		for (int k = 0; k < n->nkids; k++)
			sb_printf(&b, "%s%s", k ? ", " : "", names[k]);
		free(names);
		Loc at = pp->comps[pp->ncomps - 1].loc;
		fail(w, wild, at, "while resolving probe point %s: probe point truncated (follow: %s)",
		     sb_str(&b));
		sb_free(&b);
		return;
	}
	const PPComponent *c = &pp->comps[i];
	MatchArg want = comp_arg(c);
	if (!strcmp(c->functor, "**")) {
		for (int k = 0; k < n->nkids; k++) {
			MatchNode *kid = n->kids[k];
			if (kid->arg != MA_NONE || !live(w, kid))
				continue;
			take(w, kid, c, i + 1, depth, true);
			take(w, kid, c, i, depth, true);
		}
		return;
	}
	if (has_glob(c->functor)) {
		for (int k = 0; k < n->nkids; k++) {
			MatchNode *kid = n->kids[k];
			if (kid->arg == want && !fnmatch(c->functor, kid->name, 0) && live(w, kid))
				take(w, kid, c, i + 1, depth, true);
		}
		return;
	}
	MatchNode *kid = live(w, child(n, c->functor, want, false));
	if (kid) {
		take(w, kid, c, i + 1, depth, wild);
		return;
	}
	if (n->aliases.n && depth > 0) {
		emit(w, n, depth, i, wild);
		return;
	}
	if (n->family) {
		fail(w, wild, c->loc, "while resolving probe point %s: invalid suffix for probe%s", "");
		return;
	}
	/* The name exists with another kind of argument: say which. */
	int kinds = 0;
	for (int k = 0; k < n->nkids; k++)
		if (n->kids[k]->name == c->functor && live(w, n->kids[k]))
			kinds |= 1 << n->kids[k]->arg;
	if (kinds) {
		static const char *const what[] = { "no argument", "a number", "a string" };
		/* MatchArg order */
		StrBuf b = { 0 };
		sb_printf(&b, "%s %s ", c->functor, want == MA_NONE ? "needs" : "takes");
		int shown = 0;
		for (int a = 0; a < 3; a++)
			if (kinds & (1 << a))
				sb_printf(&b, "%s%s", shown++ ? " or " : "", what[a]);
		if (want != MA_NONE)
			sb_printf(&b, ", not %s", what[want]);
		fail(w, wild, c->loc, "while resolving probe point %s: %s", sb_str(&b));
		sb_free(&b);
		return;
	}
	const char **names = malloc(sizeof(char *) * (size_t)(n->nkids + 1));
	int nn = 0;
	for (int k = 0; k < n->nkids; k++) {
		bool dup = false;
		for (int j = 0; j < nn && !dup; j++)
			dup = names[j] == n->kids[k]->name;
		if (!dup)
			names[nn++] = n->kids[k]->name;
	}
	StrBuf b = { 0 };
	suggest(&b, c->functor, names, nn);
	free(names);
	fail(w, wild, c->loc, "while resolving probe point %s: probe point mismatch%s", sb_str(&b));
	sb_free(&b);
}

int match_point(Sema *S, MatchNode *root, const ProbePoint *pp, PtrVec *out, bool quiet)
{
	Walk w = { .S = S, .pp = pp, .out = out, .quiet = quiet };
	int before = out->n;
	if (pp->ncomps > MAX_DEPTH) {
		sema_error(S, pp->loc, "probe point %s has too many components", point_text(pp));
		return -1;
	}
	walk(&w, root, 0, 0, false);
	if (w.errors)
		return -1;
	return out->n - before;
}
