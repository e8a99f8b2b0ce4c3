/* Probe points to derived probes: match each point, expand aliases (with
 * their suffixes, prologues and epilogues), and let the family build each
 * concrete point.  '?' makes a point's failures silent, '!' stops a probe's
 * point list at the first point that resolves, and if (...) conditions
 * accumulate through aliases. */
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <string.h>

enum { MAX_ALIAS_DEPTH = 32 };

/* What one user (or tapset) probe declaration contributes to every probe
 * derived from it. */
typedef struct Origin {
	Probe *probe;
	const ProbePoint *written;	/* the declaration's point being derived */
	StapFile *file;
	PtrVec *out;		/* DerivedProbe* made */
} Origin;

static int derive_point(Sema *S, Origin *o, const ProbePoint *pp, const AliasStep *chain,
			Expr *cond, bool quiet, int depth);

DerivedProbe *derived_new(Sema *S, const ProbeFamily *f, int kind, const MatchResult *m)
{
	(void)S;
	DerivedProbe *dp = ANEW(&g_arena, DerivedProbe);
	dp->family = f;
	dp->kind = kind;
	ProbePoint *pt = ANEW(&g_arena, ProbePoint);
	pt->ncomps = m->matched;
	pt->comps = ANEWN(&g_arena, PPComponent, m->matched ? m->matched : 1);
	memcpy(pt->comps, m->comps, sizeof(PPComponent) * (size_t)m->matched);
	pt->loc = m->comps[0].loc;
	dp->point = pt;
	return dp;
}

DerivedProbe *derived_clone(const DerivedProbe *proto)
{
	DerivedProbe *dp = ANEW(&g_arena, DerivedProbe);
	*dp = *proto;
	ProbePoint *pt = ANEW(&g_arena, ProbePoint);
	*pt = *proto->point;
	pt->comps = ANEWN(&g_arena, PPComponent, pt->ncomps ? pt->ncomps : 1);
	memcpy(pt->comps, proto->point->comps, sizeof(PPComponent) * (size_t)pt->ncomps);
	dp->point = pt;
	return dp;
}

static Stmt *block_of(Loc loc, Stmt **v, int n)
{
	Stmt *b = stmt_new(S_BLOCK, loc);
	b->stmts = ANEWN(&g_arena, Stmt *, n);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (v[i])
			b->stmts[k++] = v[i];
	b->n = (uint32_t)k;
	return b;
}

/* The derived probe's own body: each alias wraps what is inside it, the
 * outermost (the one the user named) closest to the user's body. */
static Stmt *assemble_body(const Origin *o, const AliasStep *chain)
{
	Stmt *body = clone_stmt(o->probe->body);
	const AliasStep *steps[MAX_ALIAS_DEPTH + 1];
	int n = 0;
	for (const AliasStep *a = chain; a && n <= MAX_ALIAS_DEPTH; a = a->outer)
		steps[n++] = a;
	/* steps[0] is the innermost; wrap from the outermost inwards. */
	for (int i = n - 1; i >= 0; i--) {
		const Probe *al = steps[i]->alias;
		Stmt *parts[3] = { NULL, NULL, NULL };
		if (al->alias == ALIAS_EPILOGUE) {
			parts[0] = body;
			parts[1] = clone_stmt(al->body);
		} else {
			parts[0] = clone_stmt(al->body);
			parts[1] = body;
			parts[2] = clone_stmt(al->epilogue);
		}
		body = block_of(o->probe->body->loc, parts, 3);
	}
	return body;
}

static Expr *and_cond(Expr *a, Expr *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	Expr *e = expr_new(E_LOGICAL, b->loc);
	e->op = OP_ANDAND;
	e->left = a;
	e->right = b;
	return e;
}

static void finish_derived(Origin *o, DerivedProbe *dp, const ProbePoint *pp,
			   const AliasStep *chain, Expr *cond)
{
	dp->origin = o->probe;
	dp->written = o->written;
	if (pp) {
		dp->optional = pp->optional;
		dp->sufficient = pp->sufficient;
	}
	dp->file = o->file;
	dp->chain = chain;
	dp->cond = clone_expr(cond);
	dp->body = assemble_body(o, chain);
	vec_push(o->out, dp);
}

static int build_family(Sema *S, Origin *o, const MatchResult *m, const ProbePoint *pp,
			const AliasStep *chain, Expr *cond, bool quiet)
{
	MatchNode *n = m->node;
	DerivedProbe *dp = derived_new(S, n->family, n->kind, m);
	if (quiet)
		S->quiet++;
	int failed_before = S->failed, errors_before = S->errors;
	PtrVec many = { 0 };
	int rc = n->family->expand ? n->family->expand(S, dp, &many) : n->family->build(S, dp);
	if (quiet)
		S->quiet--;
	if (rc < 0 || S->failed != failed_before || S->errors != errors_before) {
		free(many.v);
		return -1;
	}
	if (!n->family->expand) {
		finish_derived(o, dp, pp, chain, cond);
		return 1;
	}
	/* One match, many probes (a function inlined in several places, a
	 * wildcard over a program's functions). */
	for (int i = 0; i < many.n; i++)
		finish_derived(o, many.v[i], pp, chain, cond);
	free(many.v);
	return many.n;
}

static bool in_chain(const AliasStep *chain, const Probe *alias)
{
	for (; chain; chain = chain->outer)
		if (chain->alias == alias)
			return true;
	return false;
}

/* Expands one alias for a matched point: each of the alias's points, with
 * the match's suffix appended, is derived in turn. */
static int expand_alias(Sema *S, Origin *o, Probe *alias, const MatchResult *m,
			const AliasStep *chain, Expr *cond, bool quiet, int depth)
{
	const PPComponent *suffix = m->comps + m->matched;
	int nsuffix = m->ncomps - m->matched;
	if (depth >= MAX_ALIAS_DEPTH || in_chain(chain, alias)) {
		if (!quiet)
			sema_error(S, m->comps[0].loc, "while resolving probe point %s: recursive "
				   "probe alias", point_text(alias->alias_names[0]));
		else
			S->failed++;
		return -1;
	}
	/* Using an alias brings its file into the program, as a call would. */
	StapFile *home = file_of_loc(alias->loc);
	if (home && !S->listing)
		pull_file(S, home);
	AliasStep *step = ANEW(&g_arena, AliasStep);
	step->alias = alias;
	step->outer = chain;
	int total = 0, failures = 0;
	for (int i = 0; i < alias->npoints; i++) {
		const ProbePoint *ap = alias->points[i];
		ProbePoint *np = (ProbePoint *)ap;
		if (nsuffix) {
			np = ANEW(&g_arena, ProbePoint);
			*np = *ap;
			np->ncomps = ap->ncomps + nsuffix;
			np->comps = ANEWN(&g_arena, PPComponent, np->ncomps);
			memcpy(np->comps, ap->comps, sizeof(PPComponent) * (size_t)ap->ncomps);
			memcpy(np->comps + ap->ncomps, suffix, sizeof(PPComponent) * (size_t)nsuffix);
		}
		int r = derive_point(S, o, np, step, and_cond(cond, ap->cond),
				     quiet || ap->optional || ap->sufficient, depth + 1);
		if (r < 0)
			failures++;
		else
			total += r;
		if (r > 0 && ap->sufficient)
			break;
	}
	if (total == 0 && failures) {
		if (!quiet)
			sema_error(S, m->comps[0].loc, "while resolving probe point %s: resolution "
				   "failed in alias expansion", point_text(alias->alias_names[0]));
		return -1;
	}
	return total;
}

static int derive_point(Sema *S, Origin *o, const ProbePoint *pp, const AliasStep *chain,
			Expr *cond, bool quiet, int depth)
{
	PtrVec matches = { 0 };
	int rc = match_point(S, S->root, pp, &matches, quiet);
	if (rc < 0) {
		free(matches.v);
		return -1;
	}
	if (matches.n == 0) {
		free(matches.v);
		if (quiet) {
			S->failed++;
			return -1;
		}
		sema_error(S, pp->comps[0].loc, "while resolving probe point %s: no match",
			   point_text(pp));
		return -1;
	}
	int total = 0, failures = 0, wild_failures = 0;
	for (int i = 0; i < matches.n; i++) {
		MatchResult *m = matches.v[i];
		MatchNode *n = m->node;
		if (n->family && m->matched == m->ncomps) {
			/* What a wildcard expanded to may not exist here (the PLT
			 * of a static program): silent, as long as one works. */
			int r = build_family(S, o, m, pp, chain, cond, quiet || m->wild);
			if (r < 0) {
				failures++;
				wild_failures += !quiet && m->wild;
			} else {
				total += r;
			}
		}
		for (int k = 0; k < n->aliases.n; k++) {
			int r = expand_alias(S, o, n->aliases.v[k], m, chain, cond, quiet, depth);
			if (r < 0)
				failures++;
			else
				total += r;
		}
	}
	free(matches.v);
	/* A wildcard may match some points that fail: that is fine as long
	 * as one resolves (SystemTap's rule); a literal point must work. */
	if (failures && total == 0) {
		if (wild_failures == failures)
			sema_error(S, pp->comps[0].loc, "while resolving probe point %s: no match",
				   point_text(pp));
		return -1;
	}
	return total;
}

int derive_probe(Sema *S, Probe *p, StapFile *file)
{
	PtrVec out = { 0 };
	Origin o = { .probe = p, .file = file, .out = &out };
	int errors = 0;
	for (int i = 0; i < p->npoints; i++) {
		const ProbePoint *pp = p->points[i];
		o.written = pp;
		/* '!' implies '?', as in SystemTap. */
		bool optional = pp->optional || pp->sufficient;
		int r = derive_point(S, &o, pp, NULL, pp->cond, optional, 0);
		if (r < 0 && !optional)
			errors++;
		if (r > 0 && pp->sufficient)
			break;
	}
	for (int i = 0; i < out.n; i++) {
		DerivedProbe *dp = out.v[i];
		dp->index = S->probes.n;
		vec_push(&S->probes, dp);
	}
	free(out.v);
	return errors ? -1 : 0;
}

int derive_for_listing(Sema *S, ProbePoint *pp, PtrVec *out)
{
	static Probe empty;
	if (!empty.body)
		empty.body = stmt_new(S_BLOCK, pp->loc);
	PtrVec matches = { 0 };
	S->quiet++;
	match_point(S, S->root, pp, &matches, true);
	for (int i = 0; i < matches.n; i++) {
		MatchResult *m = matches.v[i];
		MatchNode *n = m->node;
		PtrVec got = { 0 };
		Origin o = { .probe = &empty, .out = &got };
		if (n->family && m->matched == m->ncomps)
			build_family(S, &o, m, NULL, NULL, NULL, true);
		for (int k = 0; k < n->aliases.n && !(n->family && got.n); k++) {
			/* An alias is listed under its own name when it resolves. */
			int before = got.n;
			expand_alias(S, &o, n->aliases.v[k], m, NULL, NULL, true, 0);
			for (int j = before; j < got.n; j++) {
				DerivedProbe *dp = got.v[j];
				dp->point = ANEW(&g_arena, ProbePoint);
				dp->point->comps = m->comps;
				dp->point->ncomps = m->ncomps;
			}
		}
		for (int j = 0; j < got.n; j++)
			vec_push(out, got.v[j]);
		free(got.v);
	}
	S->quiet--;
	free(matches.v);
	return out->n;
}
