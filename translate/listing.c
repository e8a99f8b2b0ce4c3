/* stap -l PATTERN / -L PATTERN: the probe points a pattern matches.
 *
 * The pattern is the point of `probe PATTERN {}` (main.c builds that
 * script, so pattern syntax errors are parse errors as in SystemTap).
 * Each concrete point the families accept is listed once, sorted; an
 * alias is listed under its own name when it expands to something.  -L
 * adds what a handler could read there: the alias's locals with their
 * types, then the family's context variables ("$syscall:long ..."). */
#include "translate/pass2.h"
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/unparse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One listed probe: its point and (-L) what a handler could read there,
 * one " name:type" token each. */
typedef struct Line {
	const char *point;
	PtrVec vars;
	int order;
} Line;

static int cmp_line(const void *a, const void *b)
{
	const Line *x = *(Line *const *)a, *y = *(Line *const *)b;
	int c = strcmp(x->point, y->point);
	return c ? c : x->order - y->order;
}

static void push_token(Line *l, const char *s, size_t n)
{
	vec_push(&l->vars, arena_strndup(&g_arena, s, n));
}

/* " $a:int $b:long int" -> " $a:int", " $b:long int": types have spaces
 * but never " $". */
static void split_vars(Line *l, const char *s)
{
	while (*s) {
		const char *next = strstr(s + 1, " $");
		size_t n = next ? (size_t)(next - s) : strlen(s);
		push_token(l, s, n);
		s += n;
	}
}

static void entry(Sema *S, DerivedProbe *dp, const ProbePoint *pattern, bool vars, PtrVec *lines)
{
	StrBuf b = { 0 };
	Line *l = ANEW(&g_arena, Line);
	ProbePoint shown = *dp->point;
	shown.optional = pattern->optional;
	shown.sufficient = pattern->sufficient;
	shown.cond = NULL;
	if (dp->family->print_point) {
		dp->family->print_point(dp, &b);
		sb_puts(&b, shown.optional ? "?" : "");
		sb_puts(&b, shown.sufficient ? "!" : "");
	} else {
		unparse_probe_point(&b, &shown);
	}
	l->point = arena_strndup(&g_arena, sb_str(&b), b.len);
	l->order = lines->n;
	sb_clear(&b);
	if (vars) {
		S->quiet++;
		resolve_probe(S, dp);
		resolve_queued_functions(S);
		targets_probe(S, dp);
		types_infer_probe(S, dp);
		S->quiet--;
		for (int i = 0; i < dp->nlocals; i++) {
			if (dp->locals[i]->type == TY_UNKNOWN)
				continue;
			sb_clear(&b);
			sb_printf(&b, " %s:%s", dp->locals[i]->name, type_name(dp->locals[i]->type));
			push_token(l, sb_str(&b), b.len);
		}
		sb_clear(&b);
		if (dp->family->list_vars)
			dp->family->list_vars(dp, &b);
		split_vars(l, sb_str(&b));
	}
	vec_push(lines, l);
	sb_free(&b);
}

/* Probes listed under one point (the inlined copies of a function) show
 * the variables all of them have, as SystemTap does. */
static void intersect(Line *keep, const Line *other)
{
	int k = 0;
	for (int i = 0; i < keep->vars.n; i++) {
		bool found = false;
		for (int j = 0; j < other->vars.n && !found; j++)
			found = !strcmp(keep->vars.v[i], other->vars.v[j]);
		if (found)
			keep->vars.v[k++] = keep->vars.v[i];
	}
	keep->vars.n = k;
}

int pass2_list(Session *s)
{
	Sema *S = pass2_begin(s);
	PtrVec lines = { 0 };
	bool vars = s->list_with_vars;
	for (int f = 0; f < s->nuser_files; f++) {
		StapFile *file = s->user_files[f];
		for (int i = 0; i < file->nprobes; i++) {
			Probe *p = file->probes[i];
			for (int k = 0; k < p->npoints; k++) {
				PtrVec got = { 0 };
				derive_for_listing(S, p->points[k], &got);
				for (int j = 0; j < got.n; j++)
					entry(S, got.v[j], p->points[k], vars, &lines);
				free(got.v);
			}
		}
	}
	if (lines.n)
		qsort(lines.v, (size_t)lines.n, sizeof(void *), cmp_line);
	int shown = 0;
	for (int i = 0; i < lines.n;) {
		Line *l = lines.v[i];
		int j = i + 1;
		for (; j < lines.n && !strcmp(((Line *)lines.v[j])->point, l->point); j++)
			intersect(l, lines.v[j]);
		fputs(l->point, stdout);
		for (int k = 0; k < l->vars.n; k++)
			fputs(l->vars.v[k], stdout);
		putchar('\n');
		for (int k = i; k < j; k++)
			free(((Line *)lines.v[k])->vars.v);
		shown++;
		i = j;
	}
	free(lines.v);
	fflush(stdout);
	return shown ? 0 : 1;
}
