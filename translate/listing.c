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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void entry(Sema *S, DerivedProbe *dp, const ProbePoint *pattern, bool vars, PtrVec *lines)
{
	StrBuf b = { 0 };
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
	if (vars) {
		S->quiet++;
		resolve_probe(S, dp);
		resolve_queued_functions(S);
		targets_probe(S, dp);
		types_infer_probe(S, dp);
		S->quiet--;
		for (int i = 0; i < dp->nlocals; i++)
			if (dp->locals[i]->type != TY_UNKNOWN)
				sb_printf(&b, " %s:%s", dp->locals[i]->name,
					  type_name(dp->locals[i]->type));
		if (dp->family->list_vars)
			dp->family->list_vars(dp, &b);
	}
	vec_push(lines, arena_strndup(&g_arena, sb_str(&b), b.len));
	sb_free(&b);
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
		qsort(lines.v, (size_t)lines.n, sizeof(void *), cmp_str);
	int shown = 0;
	for (int i = 0; i < lines.n; i++) {
		if (i && !strcmp(lines.v[i], lines.v[i - 1]))
			continue;
		puts(lines.v[i]);
		shown++;
	}
	free(lines.v);
	fflush(stdout);
	return shown ? 0 : 1;
}
