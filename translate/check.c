/* Structural rules of bodies that need resolved names but no types:
 * what may be assigned, incremented or deleted, where break and continue
 * may appear, what a probe condition may use. */
#include "translate/sema.h"

typedef struct Ctx {
	Sema *S;
	int loops;
} Ctx;

static void cx(Ctx *c, Expr *e);
static void cs(Ctx *c, Stmt *s);

/* A variable or array element, or the reason it is not. */
static bool lvalue(Ctx *c, Expr *e, const char *what, Loc op)
{
	if (e->kind == E_SYMBOL)
		return true;
	if (e->kind == E_INDEX && e->left->kind == E_SYMBOL)
		return true;
	/* In a .return probe, $x is @entry($x): still a target variable. */
	if (e->kind == E_ENTRY && e->left && e->left->sema && e->left->kind == E_TARGET)
		e = e->left;
	bool target = e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
		      e->kind == E_AUTOCAST;
	if (target && e->sema) {
		const CtxVar *v = e->sema;
		if (v->access == CTX_DWARF)
			sema_error(c->S, e->loc, "write to target variable '%s' not permitted: ustap "
				   "reads the probed program's variables but never writes them, "
				   "even with -g", v->name);
		else
			sema_error(c->S, e->loc, "target variable '%s' is read-only", v->name);
		return false;
	}
	if (target)
		return false;	/* already reported as unresolved */
	sema_error(c->S, op, "Expecting lvalue for %s", what);
	sema_note(c->S, e->loc, "this is not a variable or an array element");
	return false;
}

static void cx_list(Ctx *c, Expr **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			cx(c, v[i]);
}

static void cx(Ctx *c, Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_ASSIGN:
		lvalue(c, e->left, "assignment", e->loc);
		break;
	case E_INCDEC:
		lvalue(c, e->left, e->op == OP_INC ? "increment" : "decrement", e->loc);
		break;
	default:
		break;
	}
	if (e->left)
		cx(c, e->left);
	if (e->right)
		cx(c, e->right);
	if (e->cond)
		cx(c, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		cx_list(c, e->args, e->n);
		break;
	default:
		break;
	}
}

static void cs(Ctx *c, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BREAK: case S_CONTINUE:
		if (!c->loops)
			sema_error(c->S, s->loc, "cannot '%s' outside loop",
				   s->kind == S_BREAK ? "break" : "continue");
		return;
	case S_DELETE: {
		Expr *x = s->expr;
		if ((x->kind == E_TARGET || x->kind == E_CAST || x->kind == E_ATVAR ||
		     x->kind == E_AUTOCAST || x->kind == E_ENTRY) && (x->sema || (x->left &&
								     x->left->sema)))
			lvalue(c, x, "delete", s->loc);
		else if (x->kind == E_TARGET || x->kind == E_CAST || x->kind == E_ATVAR ||
			 x->kind == E_AUTOCAST)
			return;	/* already reported as unresolved */
		else if (x->kind != E_SYMBOL && !(x->kind == E_INDEX && x->left->kind == E_SYMBOL))
			sema_error(c->S, x->loc, "Expecting lvalue for delete: a variable, an "
				   "array or an array element");
		else if (x->kind == E_INDEX)
			cx_list(c, x->args, x->n);
		return;
	}
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			cs(c, s->stmts[i]);
		return;
	case S_FOR: case S_FOREACH:
		if (s->expr)
			cx(c, s->expr);
		if (s->cond)
			cx(c, s->cond);
		if (s->incr)
			cx(c, s->incr);
		if (s->kind == S_FOREACH) {
			Foreach *f = s->foreach;
			for (int i = 0; f->slice && i < f->nkeys; i++)
				if (f->slice[i])
					cx(c, f->slice[i]);
			if (f->limit)
				cx(c, f->limit);
		}
		c->loops++;
		cs(c, s->then);
		c->loops--;
		return;
	default:
		if (s->expr)
			cx(c, s->expr);
		if (s->cond)
			cx(c, s->cond);
		cs(c, s->then);
		cs(c, s->els);
		return;
	}
}

/* Conditions run outside their probe's context, so only globals. */
static void check_cond(Sema *S, Expr *e)
{
	if (e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
	    e->kind == E_AUTOCAST || e->kind == E_EMBEDDED) {
		sema_error(S, e->loc, "probe condition must not reference target variables or "
			   "embedded C");
		return;
	}
	if (e->left)
		check_cond(S, e->left);
	if (e->right)
		check_cond(S, e->right);
	if (e->cond)
		check_cond(S, e->cond);
	if (e->kind == E_INDEX || e->kind == E_IN || e->kind == E_PRINT || e->kind == E_HIST)
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i])
				check_cond(S, e->args[i]);
}

void check_probe(Sema *S, DerivedProbe *dp)
{
	Ctx c = { S, 0 };
	if (dp->cond)
		check_cond(S, dp->cond);
	cs(&c, dp->body);
}

void check_function(Sema *S, FuncDecl *f)
{
	Ctx c = { S, 0 };
	cs(&c, f->body);
}
