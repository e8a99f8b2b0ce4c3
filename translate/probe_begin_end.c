/* begin, end, error (each with an optional priority) and never.
 *
 * begin probes run in increasing priority when the session starts, end
 * probes when it stops, error probes when it stops after an error; never
 * probes never run (their bodies are still checked).  init is a library
 * alias of begin with the lowest priority (elaborate.c supplies it when
 * no tapset does). */
#include "translate/sema.h"
#include "parse/arena.h"

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

const ProbeFamily family_begin_end = {
	.name = "begin/end",
	.build = build,
	.unprivileged_denied = unprivileged_denied,
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
