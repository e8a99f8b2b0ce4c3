/* Globals the user's script writes but never reads are printed when the
 * session ends, as SystemTap does: one synthetic `end` probe per global,
 * in declaration order, in SystemTap's "name=value" layout. */
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/intern.h"
#include <stdio.h>
#include <string.h>

static Expr *mk_str(Loc loc, const char *s)
{
	Expr *e = expr_new(E_STRING, loc);
	size_t n = strlen(s);
	e->str = arena_strndup(&g_arena, s, n);
	e->slen = (uint32_t)n;
	return e;
}

static Expr *mk_sym(Loc loc, VarDecl *v)
{
	Expr *e = expr_new(E_SYMBOL, loc);
	e->name = v->name;
	e->decl = v;
	return e;
}

static Expr *mk_printf(Loc loc, const char *fmt, Expr **args, int n)
{
	Expr *e = expr_new(E_PRINT, loc);
	e->name = intern_cstr("printf");
	e->op = PRINT_FORMAT;
	e->args = ANEWN(&g_arena, Expr *, n + 1);
	e->args[0] = mk_str(loc, fmt);
	for (int i = 0; i < n; i++)
		e->args[i + 1] = args[i];
	e->n = (uint32_t)n + 1;
	return e;
}

static Stmt *mk_expr_stmt(Expr *e)
{
	Stmt *s = stmt_new(S_EXPR, e->loc);
	s->expr = e;
	return s;
}

static Expr *mk_stat(Loc loc, const char *op, Expr *of)
{
	Expr *e = expr_new(E_STAT, loc);
	e->name = intern_cstr(op);
	e->left = of;
	return e;
}

static const char *const stat_ops[] = { "@count", "@min", "@max", "@sum", "@avg" };

/* The element (or scalar) expression for stats operations. */
static Expr *element(Loc loc, VarDecl *g, VarDecl **keys, int n)
{
	if (!n)
		return mk_sym(loc, g);
	Expr *e = expr_new(E_INDEX, loc);
	e->left = mk_sym(loc, g);
	e->args = ANEWN(&g_arena, Expr *, n);
	for (int i = 0; i < n; i++)
		e->args[i] = mk_sym(loc, keys[i]);
	e->n = (uint32_t)n;
	return e;
}

static VarDecl *mk_local(PtrVec *locals, const char *name, Type t, Loc loc)
{
	VarDecl *v = new_local(locals, intern_cstr(name), loc);
	v->type = t;
	return v;
}

static Stmt *display_body(VarDecl *g, PtrVec *locals)
{
	Loc loc = g->loc;
	StrBuf fmt = { 0 };
	Expr *args[16];
	int nargs = 0;
	int arity = g->arity > 0 ? g->arity : 0;
	VarDecl *keys[9];
	for (int i = 0; i < arity; i++) {
		char n[16];
		snprintf(n, sizeof(n), "__idx%d", i);
		keys[i] = mk_local(locals, n, g->key_types[i], loc);
	}
	sb_puts(&fmt, g->name);
	if (arity) {
		sb_putc(&fmt, '[');
		for (int i = 0; i < arity; i++) {
			sb_puts(&fmt, i ? "," : "");
			sb_puts(&fmt, g->key_types[i] == TY_STRING ? "\"%#s\"" : "%#d");
			args[nargs++] = mk_sym(loc, keys[i]);
		}
		sb_putc(&fmt, ']');
	}
	Stmt *inner;
	if (g->type == TY_STATS) {
		sb_puts(&fmt, " @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d\n");
		for (int i = 0; i < 5; i++)
			args[nargs++] = mk_stat(loc, stat_ops[i], element(loc, g, keys, arity));
		inner = mk_expr_stmt(mk_printf(loc, sb_str(&fmt), args, nargs));
		if (!arity) {
			/* No values yet: @min and friends would be errors. */
			Stmt *s = stmt_new(S_IF, loc);
			Expr *cmp = expr_new(E_COMPARE, loc);
			cmp->op = OP_EQ;
			cmp->left = mk_stat(loc, "@count", mk_sym(loc, g));
			cmp->right = expr_new(E_NUMBER, loc);
			s->cond = cmp;
			char empty[300];
			snprintf(empty, sizeof(empty), "%s @count=0x0\n", g->name);
			s->then = mk_expr_stmt(mk_printf(loc, empty, NULL, 0));
			s->els = inner;
			inner = s;
		}
	} else {
		VarDecl *val = arity ? mk_local(locals, "__val", g->type, loc) : g;
		sb_puts(&fmt, g->type == TY_STRING ? "=\"%#s\"\n" : "=%d\n");
		args[nargs++] = mk_sym(loc, val);
		inner = mk_expr_stmt(mk_printf(loc, sb_str(&fmt), args, nargs));
	}
	sb_free(&fmt);
	if (arity) {
		Stmt *fe = stmt_new(S_FOREACH, loc);
		Foreach *f = ANEW(&g_arena, Foreach);
		if (g->type != TY_STATS) {
			VarDecl *val = locals->v[locals->n - 1];
			f->value = mk_sym(loc, val);
		}
		f->keys = ANEWN(&g_arena, Expr *, arity);
		for (int i = 0; i < arity; i++)
			f->keys[i] = mk_sym(loc, keys[i]);
		f->nkeys = arity;
		f->base = mk_sym(loc, g);
		f->sort_dir = -1;
		fe->foreach = f;
		fe->then = inner;
		inner = fe;
	}
	Stmt *b = stmt_new(S_BLOCK, loc);
	b->stmts = ANEWN(&g_arena, Stmt *, 1);
	b->stmts[0] = inner;
	b->n = 1;
	return b;
}

void add_global_display(Sema *S)
{
	Session *s = S->s;
	for (int f = 0; f < s->nuser_files; f++) {
		StapFile *file = s->user_files[f];
		for (int i = 0; i < file->nglobals; i++) {
			VarDecl *g = file->globals[i];
			VarInfo *vi = g->sema;
			if (!vi || !vi->listed || !vi->writes || vi->reads || g->type == TY_UNKNOWN)
				continue;
			if (g->arity < 0)
				g->arity = 0;
			PtrVec locals = { 0 };
			DerivedProbe *dp = ANEW(&g_arena, DerivedProbe);
			dp->family = &family_begin_end;
			dp->kind = PK_END;
			dp->data = ANEW(&g_arena, BeginEndData);
			ProbePoint *pt = ANEW(&g_arena, ProbePoint);
			pt->comps = ANEW(&g_arena, PPComponent);
			pt->comps[0].functor = intern_cstr("end");
			pt->comps[0].loc = g->loc;
			pt->ncomps = 1;
			pt->loc = g->loc;
			dp->point = pt;
			Probe *origin = ANEW(&g_arena, Probe);
			origin->points = ANEWN(&g_arena, ProbePoint *, 1);
			origin->points[0] = pt;
			origin->npoints = 1;
			origin->loc = g->loc;
			dp->origin = origin;
			dp->file = file;
			dp->synthetic = true;
			dp->body = display_body(g, &locals);
			dp->locals = (VarDecl **)vec_finish(&locals, &dp->nlocals);
			origin->body = dp->body;
			dp->index = S->probes.n;
			vec_push(&S->probes, dp);
			types_infer_probe(S, dp);
		}
	}
}
