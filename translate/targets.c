/* Target expressions in probe bodies: @defined, '&' over ternaries, and
 * each $name bound to the context variable its probe family offers.
 *
 * @defined(X) becomes 1 or 0 first, and branches with a constant condition
 * are dropped, so `@defined($a) ? $a : $b` (@choose_defined) only resolves
 * the operand that exists.  Then '&' applied to a ternary is pushed into
 * its branches, and every remaining $name must resolve: e->sema points at
 * the family's CtxVar and e->type is its type.  Target expressions that
 * debug information answers ($name in DWARF probes, @cast, @var, autocast,
 * @entry) are handed to probe_dwarf_vars.c; its @defined is whether a
 * copy resolves. */
#include "translate/sema.h"
#include "parse/arena.h"
#include <string.h>

typedef struct Ctx {
	Sema *S;
	DerivedProbe *dp;	/* NULL in a function */
	bool at_entry;		/* inside an @entry operand */
} Ctx;

static bool is_target(const Expr *e)
{
	return e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
	       e->kind == E_AUTOCAST;
}

static void make_number(Expr *e, int64_t v)
{
	Loc loc = e->loc;
	memset(e, 0, sizeof(*e));
	e->kind = E_NUMBER;
	e->loc = loc;
	e->num = v;
}

static int64_t defined_value(Ctx *c, Expr *x)
{
	/* Debug information decides: the expression resolves, components
	 * and all, or it does not. */
	if (x->kind == E_ENTRY || dwarf_handles(c->dp, x))
		return dwarf_defined(c->S, c->dp, x);
	if (x->kind != E_TARGET)
		return 0;
	if (!c->dp || !c->dp->family->target || x->n)
		return 0;
	return c->dp->family->target(c->S, c->dp, x, true) != NULL;
}

/* ---- constant folding, just enough for @defined and literal tests ---- */

static bool folds(const Expr *e, int64_t *v)
{
	if (e->kind != E_NUMBER)
		return false;
	*v = e->num;
	return true;
}

static void fold_expr(Ctx *c, Expr *e);

static void fold_children(Ctx *c, Expr *e)
{
	if (e->left)
		fold_expr(c, e->left);
	if (e->right)
		fold_expr(c, e->right);
	if (e->cond)
		fold_expr(c, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i])
				fold_expr(c, e->args[i]);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].expr)
				fold_expr(c, e->comps[i].expr);
		break;
	default:
		break;
	}
}

/* &(c ? a : b) -> c ? &a : &b, all the way down. */
static bool push_amp(Ctx *c, Expr *e, Loc amp)
{
	if (e->kind == E_TERNARY)
		return push_amp(c, e->left, amp) && push_amp(c, e->right, amp);
	if (is_target(e)) {
		if (e->flags & EXPR_ADDR_OF) {
			sema_error(c->S, amp, "'&' applied twice");
			return false;
		}
		e->flags |= EXPR_ADDR_OF;
		return true;
	}
	sema_error(c->S, e->loc, "the operand of '&' must be a target variable ($var, @cast, "
		   "@var) or a ternary choosing between them");
	return false;
}

static void fold_expr(Ctx *c, Expr *e)
{
	if (e->kind == E_DEFINED) {
		make_number(e, defined_value(c, e->left));
		return;
	}
	fold_children(c, e);
	int64_t a, b;
	switch ((ExprKind)e->kind) {
	case E_UNARY:
		if (e->op == OP_AMP) {
			Expr *x = e->left;
			if (push_amp(c, x, e->loc))
				*e = *x;
			return;
		}
		if (!folds(e->left, &a))
			return;
		make_number(e, e->op == OP_MINUS ? (int64_t)(0 - (uint64_t)a) :
			       e->op == OP_NOT ? !a : e->op == OP_TILDE ? ~a : a);
		return;
	case E_LOGICAL:
		if (!folds(e->left, &a))
			return;
		/* Short circuit decides without the right side. */
		if (e->op == OP_ANDAND && !a) {
			make_number(e, 0);
		} else if (e->op == OP_OROR && a) {
			make_number(e, 1);
		} else if (folds(e->right, &b)) {
			make_number(e, b != 0);
		}
		return;
	case E_TERNARY:
		if (folds(e->cond, &a))
			*e = a ? *e->left : *e->right;
		return;
	default:
		return;
	}
}

static void fold_stmt(Ctx *c, Stmt *s)
{
	if (!s)
		return;
	if (s->expr)
		fold_expr(c, s->expr);
	if (s->cond)
		fold_expr(c, s->cond);
	if (s->incr)
		fold_expr(c, s->incr);
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			fold_stmt(c, s->stmts[i]);
		return;
	}
	if (s->kind == S_FOREACH) {
		Foreach *f = s->foreach;
		fold_expr(c, f->base);
		for (int i = 0; f->slice && i < f->nkeys; i++)
			if (f->slice[i])
				fold_expr(c, f->slice[i]);
		if (f->limit)
			fold_expr(c, f->limit);
	}
	fold_stmt(c, s->then);
	fold_stmt(c, s->els);
	int64_t v;
	if (s->kind == S_IF && folds(s->cond, &v)) {
		Stmt *keep = v ? s->then : s->els;
		if (keep) {
			*s = *keep;
		} else {
			Loc loc = s->loc;
			memset(s, 0, sizeof(*s));
			s->kind = S_NULL;
			s->loc = loc;
		}
	}
}

/* ---- target resolution ---- */

static void bind_expr(Ctx *c, Expr *e);

static void bind_children(Ctx *c, Expr *e)
{
	if (e->left)
		bind_expr(c, e->left);
	if (e->right)
		bind_expr(c, e->right);
	if (e->cond)
		bind_expr(c, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i])
				bind_expr(c, e->args[i]);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].expr)
				bind_expr(c, e->comps[i].expr);
		break;
	default:
		break;
	}
}

static void bind_target(Ctx *c, Expr *e)
{
	Sema *S = c->S;
	if (!c->dp) {
		sema_error(S, e->loc, "target variable '%s' cannot be used in a function: only "
			   "probe handlers have a context", e->name);
		return;
	}
	if (!c->dp->family->target) {
		sema_error(S, e->loc, "unresolved target-symbol expression '%s': %s probes "
			   "offer no target variables", e->name, point_text(c->dp->point));
		return;
	}
	const CtxVar *v = c->dp->family->target(S, c->dp, e, false);
	if (v) {
		e->sema = (void *)v;
		e->type = (uint8_t)v->type;
	}
}

static void bind_expr(Ctx *c, Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_TARGET: case E_CAST: case E_ATVAR: case E_AUTOCAST:
		if (!dwarf_handles(c->dp, e)) {
			bind_target(c, e);
			return;
		}
		/* A .return probe reads $x at the entry: it is @entry($x). */
		if (dwarf_entry_wrap(c->S, c->dp, e, c->at_entry)) {
			bind_expr(c, e);
			return;
		}
		bind_children(c, e);
		dwarf_bind(c->S, c->dp, e, c->at_entry, false);
		return;
	case E_ENTRY:
		if (!dwarf_entry_allowed(c->S, c->dp, e, c->at_entry))
			return;
		c->at_entry = true;
		bind_expr(c, e->left);
		c->at_entry = false;
		dwarf_bind_entry(c->S, c->dp, e);
		return;
	case E_PERF:
		sema_error(c->S, e->loc, "@perf is not supported: no perf probes");
		return;
	default:
		bind_children(c, e);
		return;
	}
}

static void bind_stmt(Ctx *c, Stmt *s)
{
	if (!s)
		return;
	if (s->expr)
		bind_expr(c, s->expr);
	if (s->cond)
		bind_expr(c, s->cond);
	if (s->incr)
		bind_expr(c, s->incr);
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			bind_stmt(c, s->stmts[i]);
		return;
	}
	if (s->kind == S_FOREACH) {
		Foreach *f = s->foreach;
		bind_expr(c, f->base);
		for (int i = 0; f->slice && i < f->nkeys; i++)
			if (f->slice[i])
				bind_expr(c, f->slice[i]);
		if (f->limit)
			bind_expr(c, f->limit);
	}
	bind_stmt(c, s->then);
	bind_stmt(c, s->els);
}

void targets_probe(Sema *S, DerivedProbe *dp)
{
	Ctx c = { S, dp, false };
	dwarf_locals_pass(S, dp, dp->body);
	if (dp->cond) {
		fold_expr(&c, dp->cond);
		bind_expr(&c, dp->cond);
	}
	fold_stmt(&c, dp->body);
	bind_stmt(&c, dp->body);
}

void targets_function(Sema *S, FuncDecl *f)
{
	Ctx c = { S, NULL, false };
	dwarf_locals_pass(S, NULL, f->body);
	fold_stmt(&c, f->body);
	bind_stmt(&c, f->body);
}
