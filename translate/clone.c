/* Deep copies of statement trees.  Each derived probe owns its body: pass 2
 * writes resolutions and types into the nodes, and two probes from one
 * declaration (or one alias used twice) may resolve the same text
 * differently ($arg1 in .syscall and in .begin). */
#include "translate/sema.h"
#include "parse/arena.h"
#include <string.h>

static Expr **clone_list(Expr *const *v, uint32_t n)
{
	if (!v)
		return NULL;
	Expr **out = ANEWN(&g_arena, Expr *, n ? n : 1);
	for (uint32_t i = 0; i < n; i++)
		out[i] = clone_expr(v[i]);
	return out;
}

Expr *clone_expr(const Expr *e)
{
	if (!e)
		return NULL;
	Expr *c = ANEW(&g_arena, Expr);
	*c = *e;
	c->decl = NULL;
	c->sema = NULL;
	c->type = TY_UNKNOWN;
	c->left = clone_expr(e->left);
	c->right = clone_expr(e->right);
	c->cond = clone_expr(e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		c->args = clone_list(e->args, e->n);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		if (e->n) {
			c->comps = ANEWN(&g_arena, Component, e->n);
			memcpy(c->comps, e->comps, sizeof(Component) * e->n);
			for (uint32_t i = 0; i < e->n; i++)
				c->comps[i].expr = clone_expr(e->comps[i].expr);
		}
		break;
	default:
		break;
	}
	return c;
}

Stmt *clone_stmt(const Stmt *s)
{
	if (!s)
		return NULL;
	Stmt *c = ANEW(&g_arena, Stmt);
	*c = *s;
	c->sema = NULL;
	c->expr = clone_expr(s->expr);
	c->cond = clone_expr(s->cond);
	c->incr = clone_expr(s->incr);
	c->then = clone_stmt(s->then);
	c->els = clone_stmt(s->els);
	if (s->kind == S_BLOCK) {
		c->stmts = ANEWN(&g_arena, Stmt *, s->n ? s->n : 1);
		for (uint32_t i = 0; i < s->n; i++)
			c->stmts[i] = clone_stmt(s->stmts[i]);
	} else if (s->kind == S_FOREACH) {
		const Foreach *f = s->foreach;
		Foreach *g = ANEW(&g_arena, Foreach);
		*g = *f;
		g->value = clone_expr(f->value);
		g->keys = ANEWN(&g_arena, Expr *, f->nkeys ? f->nkeys : 1);
		for (int i = 0; i < f->nkeys; i++)
			g->keys[i] = clone_expr(f->keys[i]);
		g->base = clone_expr(f->base);
		if (f->slice)
			g->slice = clone_list(f->slice, (uint32_t)f->nkeys);
		g->limit = clone_expr(f->limit);
		c->foreach = g;
	}
	return c;
}
