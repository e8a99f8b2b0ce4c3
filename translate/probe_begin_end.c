/* begin, end, error (each with an optional priority) and never.
 *
 * begin probes run in increasing priority when the session starts, end
 * probes when it stops, error probes when it stops after an error; never
 * probes never run (their bodies are still checked).  init is a library
 * alias of begin with the lowest priority (elaborate.c supplies it when
 * no tapset does). */
#include "translate/sema.h"
#include "translate/codegen.h"
#include "parse/arena.h"
#include <stdlib.h>

static int build(Sema *S, DerivedProbe *dp)
{
	BeginEndData *d = ANEW(&g_arena, BeginEndData);
	const PPComponent *c = &dp->point->comps[0];
	if (c->arg_kind == PP_ARG_NUMBER)
		d->priority = c->num;
	dp->data = d;
	(void)S;
	return 0;
}

static const char *unprivileged_denied(const DerivedProbe *dp)
{
	(void)dp;
	return NULL;
}

/* Probes of one kind by increasing priority; equal priorities keep the
 * program's order (the user's probes, then the library's, then the
 * synthetic display probes). */
static void run_kind(Codegen *g, DerivedProbe **probes, int n, int kind)
{
	DerivedProbe **v = calloc((size_t)n + 1, sizeof(*v));
	int m = 0;
	for (int i = 0; i < n; i++)
		if (probes[i]->kind == kind)
			v[m++] = probes[i];
	for (int i = 1; i < m; i++) {
		DerivedProbe *x = v[i];
		int64_t px = ((BeginEndData *)x->data)->priority;
		int j = i;
		for (; j > 0 && ((BeginEndData *)v[j - 1]->data)->priority > px; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (int i = 0; i < m; i++)
		cg_printf(g, SEC_LIFE, "\tstp_probe_run(&%s_desc, NULL, NULL);\n", probe_cname(v[i]));
	free(v);
}

static void emit_init(void *codegen, DerivedProbe **probes, int n)
{
	run_kind(cg_of(codegen), probes, n, PK_BEGIN);
}

/* After MAXERRORS the error probes run and then, unlike SystemTap, the end
 * probes too (doc/design.md): the session moves from ERROR to STOPPING
 * between them. */
static void emit_exit(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	run_kind(g, probes, n, PK_ERROR);
	cg_printf(g, SEC_LIFE, "\tstp_session_end_probes();\n");
	run_kind(g, probes, n, PK_END);
}

const ProbeFamily family_begin_end = {
	.name = "begin/end",
	.build = build,
	.unprivileged_denied = unprivileged_denied,
	.emit_init = emit_init,
	.emit_exit = emit_exit,
};

void family_begin_end_register(MatchNode *root)
{
	match_add(root, "begin", &family_begin_end, PK_BEGIN);
	match_add(root, "begin(number)", &family_begin_end, PK_BEGIN);
	match_add(root, "end", &family_begin_end, PK_END);
	match_add(root, "end(number)", &family_begin_end, PK_END);
	match_add(root, "error", &family_begin_end, PK_ERROR);
	match_add(root, "error(number)", &family_begin_end, PK_ERROR);
	match_add(root, "never", &family_begin_end, PK_NEVER);
}
