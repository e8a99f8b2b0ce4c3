#include "parse/ast.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdlib.h>

const char *type_name(Type t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_STATS: return "stats";
	case TY_UNKNOWN: break;
	}
	return "unknown";
}

void vec_push(PtrVec *pv, void *p)
{
	if (pv->n == pv->cap) {
		pv->cap = pv->cap ? pv->cap * 2 : 8;
		pv->v = realloc(pv->v, sizeof(void *) * (size_t)pv->cap);
		if (!pv->v)
			fatal("out of memory");
	}
	pv->v[pv->n++] = p;
}

void **vec_finish(PtrVec *pv, int *n)
{
	*n = pv->n;
	void **out = NULL;
	if (pv->n) {
		out = ANEWN(&g_arena, void *, pv->n);
		memcpy(out, pv->v, sizeof(void *) * (size_t)pv->n);
	}
	free(pv->v);
	pv->v = NULL;
	pv->n = pv->cap = 0;
	return out;
}

Expr *expr_new(ExprKind kind, Loc loc)
{
	Expr *e = ANEW(&g_arena, Expr);
	e->kind = (uint8_t)kind;
	e->loc = loc;
	return e;
}

Stmt *stmt_new(StmtKind kind, Loc loc)
{
	Stmt *s = ANEW(&g_arena, Stmt);
	s->kind = (uint8_t)kind;
	s->loc = loc;
	return s;
}
