/* Walking bodies for pass 3's analyses: which globals a routine touches
 * and how (for its locks), which statistics use histograms (for their
 * specs), and whether evaluating an expression can change anything (for
 * left-to-right evaluation). */
#include "translate/cg_walk.h"

static void walk_exprs(Expr **v, int n, ExprVisitor fn, void *data)
{
	for (int i = 0; i < n; i++)
		if (v[i])
			walk_expr(v[i], fn, data);
}

void walk_expr(Expr *e, ExprVisitor fn, void *data)
{
	if (!e)
		return;
	if (!fn(e, data))
		return;
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		walk_expr(e->left, fn, data);
		walk_exprs(e->args, (int)e->n, fn, data);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		walk_expr(e->left, fn, data);
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].kind == COMP_INDEX_EXPR)
				walk_expr(e->comps[i].expr, fn, data);
		break;
	default:
		walk_expr(e->cond, fn, data);
		walk_expr(e->left, fn, data);
		walk_expr(e->right, fn, data);
		break;
	}
}

void walk_stmt(Stmt *s, ExprVisitor fn, StmtVisitor sfn, void *data)
{
	if (!s)
		return;
	if (sfn)
		sfn(s, data);
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			walk_stmt(s->stmts[i], fn, sfn, data);
		break;
	case S_FOREACH: {
		Foreach *f = s->foreach;
		walk_expr(f->base, fn, data);
		if (f->slice)
			walk_exprs(f->slice, f->nkeys, fn, data);
		walk_expr(f->limit, fn, data);
		walk_stmt(s->then, fn, sfn, data);
		break;
	}
	default:
		walk_expr(s->expr, fn, data);
		walk_expr(s->cond, fn, data);
		walk_expr(s->incr, fn, data);
		walk_stmt(s->then, fn, sfn, data);
		walk_stmt(s->els, fn, sfn, data);
		break;
	}
}

static bool effects_visit(Expr *e, void *data)
{
	bool *found = data;
	switch ((ExprKind)e->kind) {
	case E_ASSIGN: case E_INCDEC: case E_CALL: case E_EMBEDDED: case E_REGEX:
		*found = true;
		return false;
	case E_PRINT:
		if (!(e->op & PRINT_STRING)) {
			*found = true;
			return false;
		}
		return true;
	default:
		return !*found;
	}
}

/* Calls count as effects whatever the callee does: a function may change
 * a global the caller already read into a temporary. */
bool expr_has_effects(const Expr *e)
{
	bool found = false;
	walk_expr((Expr *)e, effects_visit, &found);
	return found;
}
