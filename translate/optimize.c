#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
/* Elision, as SystemTap does it before types: functions no probe reaches
 * and globals nothing uses go silently; an assignment to a local that is
 * never read becomes its right side ("Eliding assignment to 'x'"); an
 * expression statement without side effects goes ("Eliding side-effect-
 * free expression"); a probe left with an empty body goes ("Probe 'end'
 * has been elided").  Warnings are given for the user's own code only.
 * The steps repeat until nothing changes: eliding one assignment can leave
 * another local unread.  --unoptimized keeps every statement. */
#include "translate/sema.h"
#include "parse/diag.h"
#include <string.h>

typedef struct OCtx {
	Sema *S;
	bool changed;
	bool warn;		/* first round only, as SystemTap warns */
} OCtx;

/* ---- reachability ---- */

static void reach_stmt(Sema *S, Stmt *s);

static void reach_func(Sema *S, FuncDecl *f)
{
	FuncInfo *fi = func_info(f);
	if (fi->kept)
		return;
	fi->kept = true;
	reach_stmt(S, f->body);
}

/* Whether a function can fall through to its next overload. */
static bool stmt_has_next(const Stmt *s)
{
	if (!s)
		return false;
	if (s->kind == S_NEXT)
		return true;
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			if (stmt_has_next(s->stmts[i]))
				return true;
		return false;
	}
	if (s->kind == S_EMBEDDED)
		return false;
	return stmt_has_next(s->then) || stmt_has_next(s->els);
}

static bool falls_through(const FuncDecl *f)
{
	if (f->embedded)
		return memmem(f->embedded, f->embedded_len, "STAP_NEXT", 9) != NULL;
	return stmt_has_next(f->body);
}

static void reach_expr(Sema *S, Expr *e)
{
	if (!e)
		return;
	if (e->kind == E_CALL && e->func) {
		/* Overloads after one that never says `next` cannot run. */
		const Overloads *g = func_info(e->func)->group;
		if (g) {
			for (int i = 0; i < g->n; i++) {
				reach_func(S, g->v[i]);
				if (!falls_through(g->v[i]))
					break;
			}
		} else {
			reach_func(S, e->func);
		}
	}
	reach_expr(S, e->left);
	reach_expr(S, e->right);
	reach_expr(S, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			reach_expr(S, e->args[i]);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n; i++)
			reach_expr(S, e->comps[i].expr);
		break;
	default:
		break;
	}
}

static void reach_stmt(Sema *S, Stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			reach_stmt(S, s->stmts[i]);
		return;
	}
	if (s->kind == S_FOREACH) {
		Foreach *f = s->foreach;
		reach_expr(S, f->base);
		for (int i = 0; f->slice && i < f->nkeys; i++)
			reach_expr(S, f->slice[i]);
		reach_expr(S, f->limit);
	} else if (s->kind != S_EMBEDDED) {
		reach_expr(S, s->expr);
		reach_expr(S, s->cond);
		reach_expr(S, s->incr);
	}
	reach_stmt(S, s->then);
	reach_stmt(S, s->els);
}

static void reach_all(Sema *S)
{
	for (int i = 0; i < S->funcs.n; i++)
		func_info(S->funcs.v[i])->kept = false;
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided)
			continue;
		reach_expr(S, dp->cond);
		reach_stmt(S, dp->body);
	}
}

/* ---- side effects ---- */

static bool expr_effects(Expr *e, const FuncDecl *f);

static bool stmt_effects(Stmt *s, const FuncDecl *f)
{
	if (!s)
		return false;
	switch ((StmtKind)s->kind) {
	case S_EMBEDDED: case S_NEXT:
		return true;
	case S_DELETE: {
		Expr *x = s->expr->kind == E_INDEX ? s->expr->left : s->expr;
		if (!x->decl || x->decl->scope == VAR_GLOBAL || !f)
			return true;
		return s->expr->kind == E_INDEX && expr_effects(s->expr, f);
	}
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			if (stmt_effects(s->stmts[i], f))
				return true;
		return false;
	case S_FOREACH: {
		Foreach *fe = s->foreach;
		if (fe->limit && expr_effects(fe->limit, f))
			return true;
		/* The loop writes its key and value variables. */
		if (!f)
			return true;
		return stmt_effects(s->then, f);
	}
	default:
		return (s->expr && expr_effects(s->expr, f)) || (s->cond && expr_effects(s->cond, f)) ||
		       (s->incr && expr_effects(s->incr, f)) || stmt_effects(s->then, f) ||
		       stmt_effects(s->els, f);
	}
}

static bool call_effects(Expr *e)
{
	if (!e->func)
		return true;
	const Overloads *g = func_info(e->func)->group;
	int n = g ? g->n : 1;
	for (int i = 0; i < n; i++)
		if (func_info(g ? g->v[i] : e->func)->impure)
			return true;
	return false;
}

/* Side effects of an expression; with f, writes to f's own locals and
 * parameters do not count (they end with the call). */
static bool expr_effects(Expr *e, const FuncDecl *f)
{
	if (!e)
		return false;
	switch ((ExprKind)e->kind) {
	case E_ASSIGN: case E_INCDEC: {
		Expr *t = e->left;
		if (!f || t->kind != E_SYMBOL || !t->decl || t->decl->scope == VAR_GLOBAL)
			return true;
		break;
	}
	case E_PRINT:
		return true;
	case E_CALL:
		if (call_effects(e))
			return true;
		break;
	case E_EMBEDDED:
		if (!(pragma_scan(e->str, e->slen) & PRAGMA_PURE))
			return true;
		break;
	default:
		break;
	}
	if (expr_effects(e->left, f) || expr_effects(e->right, f) || expr_effects(e->cond, f))
		return true;
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i] && expr_effects(e->args[i], f))
				return true;
		break;
	default:
		break;
	}
	return false;
}

static void compute_purity(Sema *S)
{
	for (int i = 0; i < S->funcs.n; i++) {
		FuncDecl *f = S->funcs.v[i];
		FuncInfo *fi = func_info(f);
		fi->impure = f->embedded && !(fi->pragmas & PRAGMA_PURE);
	}
	bool changed;
	do {
		changed = false;
		for (int i = 0; i < S->funcs.n; i++) {
			FuncDecl *f = S->funcs.v[i];
			FuncInfo *fi = func_info(f);
			if (fi->impure || !fi->kept || !f->body)
				continue;
			if (stmt_effects(f->body, f)) {
				fi->impure = true;
				changed = true;
			}
		}
	} while (changed);
}

/* ---- use counts ---- */

static void count_expr(Sema *S, Expr *e, int write, int read);

static void use(VarDecl *v, int write, int read, Loc loc)
{
	if (!v)
		return;
	VarInfo *vi = var_info(v);
	vi->writes += write;
	vi->reads += read;
	if (read && !vi->has_first_read) {
		vi->first_read = loc;
		vi->has_first_read = true;
	}
}

/* e is a variable or element being written (and read too when read). */
static void count_target(Sema *S, Expr *t, int read)
{
	if (t->kind == E_SYMBOL) {
		use(t->decl, 1, read, t->loc);
	} else if (t->kind == E_INDEX && t->left->kind == E_SYMBOL) {
		use(t->left->decl, 1, read, t->loc);
		for (uint32_t i = 0; i < t->n; i++)
			count_expr(S, t->args[i], 0, 1);
	} else {
		count_expr(S, t, 0, 1);
	}
}

static void count_expr(Sema *S, Expr *e, int write, int read)
{
	if (!e)
		return;
	(void)write;
	switch ((ExprKind)e->kind) {
	case E_SYMBOL:
		use(e->decl, 0, read, e->loc);
		return;
	case E_ASSIGN:
		count_target(S, e->left, e->op != OP_ASSIGN && e->op != OP_STAT_ASSIGN);
		count_expr(S, e->right, 0, 1);
		return;
	case E_INCDEC:
		count_target(S, e->left, 1);
		return;
	case E_PROBEWRITE:
		return;	/* asks about writes; reads nothing */
	case E_INDEX: case E_IN:
		if (e->left->kind == E_SYMBOL)
			use(e->left->decl, 0, 1, e->left->loc);
		else
			count_expr(S, e->left, 0, 1);
		break;
	default:
		count_expr(S, e->left, 0, 1);
		break;
	}
	count_expr(S, e->right, 0, 1);
	count_expr(S, e->cond, 0, 1);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			count_expr(S, e->args[i], 0, 1);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n; i++)
			count_expr(S, e->comps[i].expr, 0, 1);
		break;
	default:
		break;
	}
}

static void count_stmt(Sema *S, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			count_stmt(S, s->stmts[i]);
		return;
	case S_FOREACH: {
		Foreach *f = s->foreach;
		if (f->base->kind == E_SYMBOL)
			use(f->base->decl, 0, 1, f->base->loc);
		else
			count_expr(S, f->base, 0, 1);
		if (f->value)
			use(f->value->decl, 1, 0, f->value->loc);
		for (int i = 0; i < f->nkeys; i++)
			use(f->keys[i]->decl, 1, 0, f->keys[i]->loc);
		for (int i = 0; f->slice && i < f->nkeys; i++)
			count_expr(S, f->slice[i], 0, 1);
		count_expr(S, f->limit, 0, 1);
		count_stmt(S, s->then);
		return;
	}
	case S_DELETE:
		count_target(S, s->expr, 0);
		return;
	case S_TRY:
		count_stmt(S, s->then);
		if (s->expr)
			use(s->expr->decl, 1, 0, s->expr->loc);
		count_stmt(S, s->els);
		return;
	case S_EMBEDDED:
		return;
	default:
		count_expr(S, s->expr, 0, 1);
		count_expr(S, s->cond, 0, 1);
		count_expr(S, s->incr, 0, 1);
		count_stmt(S, s->then);
		count_stmt(S, s->els);
		return;
	}
}

static void reset_counts(PtrVec *vars)
{
	for (int i = 0; i < vars->n; i++) {
		VarInfo *vi = var_info(vars->v[i]);
		vi->reads = vi->writes = 0;
		vi->has_first_read = false;
	}
}

static void reset_local_counts(VarDecl **v, int n)
{
	for (int i = 0; i < n; i++) {
		VarInfo *vi = var_info(v[i]);
		vi->reads = vi->writes = 0;
		vi->has_first_read = false;
	}
}

static void count_all(Sema *S)
{
	reset_counts(&S->globals);
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		reset_local_counts(dp->locals, dp->nlocals);
	}
	for (int i = 0; i < S->funcs.n; i++) {
		FuncDecl *f = S->funcs.v[i];
		FuncInfo *fi = func_info(f);
		reset_local_counts((VarDecl **)fi->locals.v, fi->locals.n);
		reset_local_counts(f->params, f->nparams);
	}
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided)
			continue;
		count_expr(S, dp->cond, 0, 1);
		count_stmt(S, dp->body);
	}
	for (int i = 0; i < S->funcs.n; i++)
		if (func_info(S->funcs.v[i])->kept)
			count_stmt(S, ((FuncDecl *)S->funcs.v[i])->body);
}

/* ---- elision ---- */

static bool dead_local(const VarDecl *v)
{
	const VarInfo *vi = v->sema;
	return v->scope != VAR_GLOBAL && vi && vi->reads == 0;
}

static void elide_expr(OCtx *c, Expr *e);

static void elide_children(OCtx *c, Expr *e)
{
	if (e->left)
		elide_expr(c, e->left);
	if (e->right)
		elide_expr(c, e->right);
	if (e->cond)
		elide_expr(c, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i])
				elide_expr(c, e->args[i]);
		break;
	default:
		break;
	}
}

static void elide_expr(OCtx *c, Expr *e)
{
	elide_children(c, e);
	if (e->kind == E_ASSIGN && e->op == OP_ASSIGN && e->left->kind == E_SYMBOL &&
	    e->left->decl && dead_local(e->left->decl)) {
		if (c->warn && loc_in_user_file(e->loc))
			sema_warn(c->S, e->loc, "Eliding assignment to '%s'", e->left->name);
		*e = *e->right;
		c->changed = true;
	}
}

static bool stmt_empty(const Stmt *s)
{
	if (!s || s->kind == S_NULL)
		return true;
	if (s->kind != S_BLOCK)
		return false;
	for (uint32_t i = 0; i < s->n; i++)
		if (!stmt_empty(s->stmts[i]))
			return false;
	return true;
}

static void make_null(Stmt *s)
{
	Loc loc = s->loc;
	memset(s, 0, sizeof(*s));
	s->kind = S_NULL;
	s->loc = loc;
}

static void elide_stmt(OCtx *c, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			elide_stmt(c, s->stmts[i]);
		return;
	case S_EXPR:
		elide_expr(c, s->expr);
		if (!expr_effects(s->expr, NULL)) {
			if (c->warn && loc_in_user_file(s->loc))
				sema_warn(c->S, s->loc, "Eliding side-effect-free expression");
			make_null(s);
			c->changed = true;
		}
		return;
	case S_FOREACH:
		elide_stmt(c, s->then);
		return;
	case S_EMBEDDED: case S_DELETE:
		return;
	default:
		if (s->expr)
			elide_expr(c, s->expr);
		if (s->cond)
			elide_expr(c, s->cond);
		if (s->incr)
			elide_expr(c, s->incr);
		elide_stmt(c, s->then);
		elide_stmt(c, s->els);
		return;
	}
}

static void drop_unused(VarDecl ***v, int *n)
{
	int k = 0;
	for (int i = 0; i < *n; i++) {
		VarInfo *vi = var_info((*v)[i]);
		if (vi->reads || vi->writes)
			(*v)[k++] = (*v)[i];
	}
	*n = k;
}

void optimize(Sema *S)
{
	bool optimizing = !S->s->unoptimized;
	OCtx c = { .S = S };
	int rounds = 0;
	do {
		c.changed = false;
		c.warn = rounds == 0;
		reach_all(S);
		compute_purity(S);
		count_all(S);
		if (!optimizing)
			break;
		for (int i = 0; i < S->probes.n; i++) {
			DerivedProbe *dp = S->probes.v[i];
			if (dp->elided)
				continue;
			elide_stmt(&c, dp->body);
			if (stmt_empty(dp->body)) {
				if (!dp->synthetic && dp->origin && loc_in_user_file(dp->origin->loc))
					sema_warn(S, dp->origin->loc, "Probe '%s' has been elided",
						  dp->point->comps[0].functor);
				dp->elided = true;
				c.changed = true;
			}
		}
		for (int i = 0; i < S->funcs.n; i++)
			if (func_info(S->funcs.v[i])->kept)
				elide_stmt(&c, ((FuncDecl *)S->funcs.v[i])->body);
	} while (c.changed && ++rounds < 100);
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		drop_unused(&dp->locals, &dp->nlocals);
	}
	for (int i = 0; i < S->funcs.n; i++) {
		FuncInfo *fi = func_info(S->funcs.v[i]);
		VarDecl **v = (VarDecl **)fi->locals.v;
		drop_unused(&v, &fi->locals.n);
	}
	/* Never-assigned variables read by the user's code. */
	for (int i = 0; i < S->globals.n; i++) {
		VarDecl *v = S->globals.v[i];
		VarInfo *vi = var_info(v);
		if (vi->reads && !vi->writes && !v->init && loc_in_user_file(v->loc))
			sema_warn(S, v->loc, "never-assigned global variable '%s'", v->name);
	}
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided)
			continue;
		for (int k = 0; k < dp->nlocals; k++) {
			VarInfo *vi = var_info(dp->locals[k]);
			if (!vi->writes && vi->has_first_read && loc_in_user_file(vi->first_read))
				sema_warn(S, vi->first_read, "never-assigned local variable '%s'",
					  dp->locals[k]->name);
		}
	}
	for (int i = 0; i < S->funcs.n; i++) {
		FuncInfo *fi = func_info(S->funcs.v[i]);
		if (!fi->kept)
			continue;
		for (int k = 0; k < fi->locals.n; k++) {
			VarInfo *vi = var_info(fi->locals.v[k]);
			if (!vi->writes && vi->has_first_read && loc_in_user_file(vi->first_read))
				sema_warn(S, vi->first_read, "never-assigned local variable '%s'",
					  ((VarDecl *)fi->locals.v[k])->name);
		}
	}
}
