/* What the script may do at its privilege level.
 *
 * --privilege=stapusr (-u): probes only where the family allows it (every
 * family pass 2 knows does, but process(PID) must be the user's own), and
 * embedded C only in functions and expressions marked
 * unprivileged or myproc-unprivileged.  Without -g: no function marked
 * guru, no @const in the user's script.  Checks cover kept code only: what
 * the script cannot reach cannot run. */
#include "translate/sema.h"
#include "parse/diag.h"

typedef struct PCtx {
	Sema *S;
	bool stapusr;
	bool guru;
	PtrMap reported;	/* FuncDecl* already complained about */
} PCtx;

static void px(PCtx *c, Expr *e);

static void check_call(PCtx *c, Expr *e)
{
	const Overloads *g = func_info(e->func)->group;
	int n = g ? g->n : 1;
	for (int i = 0; i < n; i++) {
		FuncDecl *f = g ? g->v[i] : e->func;
		FuncInfo *fi = func_info(f);
		if (pmap_get(&c->reported, f))
			continue;
		if ((fi->pragmas & PRAGMA_GURU) && !c->guru) {
			pmap_put(&c->reported, f, f);
			sema_error(c->S, e->loc, "function '%s' may not be used unless -g is "
				   "specified", f->name);
			sema_note(c->S, f->loc, "function '%s' is marked guru here", f->name);
		} else if (c->stapusr && f->embedded &&
			   !(fi->pragmas & (PRAGMA_UNPRIVILEGED | PRAGMA_MYPROC))) {
			pmap_put(&c->reported, f, f);
			sema_error(c->S, e->loc, "function '%s' may not be used when "
				   "--privilege=stapusr is specified", f->name);
			sema_note(c->S, f->loc, "function '%s' has embedded C not marked "
				  "unprivileged", f->name);
		}
	}
}

static void px_list(PCtx *c, Expr **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			px(c, v[i]);
}

static void px(PCtx *c, Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_CALL:
		if (e->func)
			check_call(c, e);
		break;
	case E_EMBEDDED:
		if (c->stapusr && !(pragma_scan(e->str, e->slen) & PRAGMA_UNPRIVILEGED))
			sema_error(c->S, e->loc, "embedded expression may not be used when "
				   "--privilege=stapusr is specified");
		break;
	case E_CONST:
		if (c->stapusr)
			sema_error(c->S, e->loc, "@const may not be used when --privilege=stapusr "
				   "is specified");
		else if (!c->guru && loc_in_user_file(e->loc))
			sema_error(c->S, e->loc, "@const may not be used unless -g is specified");
		break;
	default:
		break;
	}
	if (e->left)
		px(c, e->left);
	if (e->right)
		px(c, e->right);
	if (e->cond)
		px(c, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		px_list(c, e->args, e->n);
		break;
	default:
		break;
	}
}

static void ps(PCtx *c, Stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_EMBEDDED) {
		if (c->stapusr && !(pragma_scan(s->str, s->slen) & PRAGMA_UNPRIVILEGED))
			sema_error(c->S, s->loc, "embedded code may not be used when "
				   "--privilege=stapusr is specified");
		return;
	}
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			ps(c, s->stmts[i]);
		return;
	}
	if (s->kind == S_FOREACH) {
		Foreach *f = s->foreach;
		px(c, f->base);
		if (f->slice)
			px_list(c, f->slice, (uint32_t)f->nkeys);
		if (f->limit)
			px(c, f->limit);
	}
	if (s->expr)
		px(c, s->expr);
	if (s->cond)
		px(c, s->cond);
	if (s->incr)
		px(c, s->incr);
	ps(c, s->then);
	ps(c, s->els);
}

void privilege_check(Sema *S)
{
	PCtx c = { .S = S, .stapusr = S->s->privilege == PRIV_STAPUSR, .guru = S->s->guru };
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided)
			continue;
		if (c.stapusr && dp->family->unprivileged_denied) {
			const char *why = dp->family->unprivileged_denied(dp);
			if (why)
				sema_error(S, dp->point->comps[0].loc, "probe point %s is not allowed "
					   "for --privilege=stapusr: %s", point_text(dp->point), why);
		}
		if (dp->cond)
			px(&c, dp->cond);
		ps(&c, dp->body);
	}
	for (int i = 0; i < S->funcs.n; i++) {
		FuncDecl *f = S->funcs.v[i];
		if (func_info(f)->kept)
			ps(&c, f->body);
	}
	pmap_free(&c.reported);
}
