/* Type inference over long, string and statistics, to a fixed point.
 *
 * Every kept probe and function is walked until nothing new is learnt:
 * a variable takes the first type any use gives it, array keys and values
 * likewise, parameters and return types flow through calls (all overloads
 * of a call share them).  A conflict is reported where it shows, with a
 * note where the first type came from.  A last walk reports what stayed
 * unknown. */
#include "translate/sema.h"
#include "translate/format.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <string.h>

/* What the context wants of an expression: a type, nothing in particular
 * (TY_UNKNOWN), or no value at all (a statement's expression). */
enum { WANT_VOID = 100 };

typedef struct TCtx {
	Sema *S;
	FuncDecl *func;
	bool changed;
	bool report;
} TCtx;

static const char *tname(int t)
{
	return type_name((Type)t);
}

static bool known(int t)
{
	return t == TY_LONG || t == TY_STRING || t == TY_STATS;
}

static void set_var_type(TCtx *c, VarDecl *v, int t, Loc loc)
{
	if (!v || !known(t))
		return;
	VarInfo *vi = var_info(v);
	if (v->type == TY_UNKNOWN) {
		v->type = (Type)t;
		vi->type_loc = loc;
		vi->has_type_loc = true;
		if (v->scope == VAR_GLOBAL)
			vi->order = ++c->S->type_order;
		c->changed = true;
		return;
	}
	if ((int)v->type != t) {
		sema_error(c->S, loc, "type mismatch (%s) for '%s'", tname(t), v->name);
		if (vi->has_type_loc)
			sema_note(c->S, vi->type_loc, "type was first inferred here (%s)",
				  tname(v->type));
	}
}

static void set_arity(TCtx *c, VarDecl *v, int arity, Loc loc)
{
	if (!v || v->scope != VAR_GLOBAL)
		return;
	VarInfo *vi = var_info(v);
	if (v->arity < 0) {
		v->arity = arity;
		vi->arity_loc = loc;
		vi->has_arity_loc = true;
		c->changed = true;
		return;
	}
	if (v->arity != arity) {
		sema_error(c->S, loc, "inconsistent arity (%d vs %d) for '%s'", v->arity, arity,
			   v->name);
		if (vi->has_arity_loc)
			sema_note(c->S, vi->arity_loc, "arity %d first inferred here", v->arity);
	}
}

static void set_key_type(TCtx *c, VarDecl *v, int i, int t, Loc loc)
{
	if (!v || !known(t) || i >= 9)
		return;
	VarInfo *vi = var_info(v);
	if (v->key_types[i] == TY_UNKNOWN) {
		v->key_types[i] = (Type)t;
		vi->key_loc[i] = loc;
		vi->key_has_loc[i] = true;
		c->changed = true;
		return;
	}
	if ((int)v->key_types[i] != t) {
		sema_error(c->S, loc, "index %d type mismatch (%s) for '%s'", i, tname(t), v->name);
		if (vi->key_has_loc[i])
			sema_note(c->S, vi->key_loc[i], "type of index %d was first inferred here (%s)",
				  i, tname(v->key_types[i]));
	}
}

static void set_ret(TCtx *c, FuncDecl *f, int t, Loc loc)
{
	if (!known(t))
		return;
	const Overloads *g = func_info(f)->group;
	int n = g ? g->n : 1;
	for (int k = 0; k < n; k++) {
		FuncDecl *fd = g ? g->v[k] : f;
		if (fd->ret_type == TY_UNKNOWN) {
			fd->ret_type = (Type)t;
			c->changed = true;
		} else if ((int)fd->ret_type != t) {
			sema_error(c->S, loc, "type mismatch (%s) for the value of function '%s'",
				   tname(t), f->name);
			sema_note(c->S, fd->loc, "function '%s' returns %s", fd->name,
				  tname(fd->ret_type));
			return;
		}
	}
}

/* The expression has type `got`; the context wants `want`. */
static int expect(TCtx *c, Expr *e, int got, int want)
{
	if (known(got) && known(want) && got != want) {
		sema_error(c->S, e->loc, "type mismatch: expected %s but found %s", tname(want),
			   tname(got));
		return got;
	}
	if (!known(got) && known(want))
		got = want;
	if (known(got) && e->type != got) {
		e->type = (uint8_t)got;
		c->changed = true;
	}
	return got;
}

static int tx(TCtx *c, Expr *e, int want);
static void ts(TCtx *c, Stmt *s);

static void unresolved(TCtx *c, Expr *e, const char *what, const char *name)
{
	if (c->report)
		sema_error(c->S, e->loc, "unresolved type for %s '%s'", what, name);
}

static const char *var_kind(const VarDecl *v)
{
	return v->scope == VAR_GLOBAL ? "global" : v->scope == VAR_PARAM ? "parameter" : "local";
}

/* Statistics are read only through @count and friends or histograms. */
static void no_stats_value(TCtx *c, Expr *e, int t)
{
	if (t == TY_STATS)
		sema_error(c->S, e->loc, "statistics can only be read through @count, @sum, "
			   "@min, @max, @avg, @variance or a histogram");
}

static int tx_symbol(TCtx *c, Expr *e, int want)
{
	VarDecl *v = e->decl;
	if (!v)
		return TY_UNKNOWN;
	set_arity(c, v, 0, e->loc);
	if (known(want))
		set_var_type(c, v, want, e->loc);
	if (v->type == TY_UNKNOWN && want != WANT_VOID)
		unresolved(c, e, var_kind(v), v->name);
	if (!known(want))
		no_stats_value(c, e, v->type);
	return expect(c, e, v->type, TY_UNKNOWN);
}

static void tx_keys(TCtx *c, VarDecl *v, Expr **args, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (!args[i])
			continue;
		int kt = v && i < 9 ? v->key_types[i] : TY_UNKNOWN;
		/* Type the index on its own first, so a conflict is reported
		 * once, against the array. */
		int t = tx(c, args[i], TY_UNKNOWN);
		if (!known(t) && known(kt))
			t = tx(c, args[i], kt);
		if (t == TY_STATS)
			sema_error(c->S, args[i]->loc, "statistics cannot be an array index");
		else
			set_key_type(c, v, (int)i, t, args[i]->loc);
		if (c->report && !known(t) && v)
			sema_error(c->S, args[i]->loc, "unresolved type for index %u of '%s'", i,
				   v->name);
	}
}

static int tx_hist(TCtx *c, Expr *e);

/* a[...] as a value: want is the element's type. */
static int tx_index(TCtx *c, Expr *e, int want)
{
	if (e->left->kind == E_HIST) {
		tx_hist(c, e->left);
		for (uint32_t i = 0; i < e->n; i++)
			tx(c, e->args[i], TY_LONG);
		return expect(c, e, TY_LONG, want);
	}
	VarDecl *v = e->left->decl;
	if (!v)
		return TY_UNKNOWN;
	set_arity(c, v, (int)e->n, e->left->loc);
	tx_keys(c, v, e->args, e->n);
	if (known(want))
		set_var_type(c, v, want, e->loc);
	if (v->type == TY_UNKNOWN && want != WANT_VOID)
		unresolved(c, e, "the elements of array", v->name);
	if (!known(want))
		no_stats_value(c, e, v->type);
	return expect(c, e, v->type, TY_UNKNOWN);
}

/* The operand of @count(x), @hist_log(x), x <<< v: a statistic. */
static void tx_stats_operand(TCtx *c, Expr *e)
{
	if (e->kind == E_SYMBOL || e->kind == E_INDEX)
		tx(c, e, TY_STATS);
	else
		sema_error(c->S, e->loc, "expected a statistic (a global used with <<<)");
}

static int tx_hist(TCtx *c, Expr *e)
{
	tx_stats_operand(c, e->left);
	for (uint32_t i = 0; i < e->n; i++)
		tx(c, e->args[i], TY_LONG);
	return TY_UNKNOWN;
}

static int tx_call(TCtx *c, Expr *e, int want)
{
	FuncDecl *f = e->func;
	if (!f)
		return TY_UNKNOWN;
	const Overloads *g = func_info(f)->group;
	int n = g ? g->n : 1;
	for (uint32_t i = 0; i < e->n && (int)i < f->nparams; i++) {
		int pt = TY_UNKNOWN;
		for (int k = 0; k < n && !known(pt); k++)
			pt = (g ? g->v[k] : f)->params[i]->type;
		int at = tx(c, e->args[i], TY_UNKNOWN);
		if (!known(at) && known(pt))
			at = tx(c, e->args[i], pt);
		if (at == TY_STATS) {
			sema_error(c->S, e->args[i]->loc, "statistics cannot be passed to a function");
			continue;
		}
		for (int k = 0; k < n; k++)
			set_var_type(c, (g ? g->v[k] : f)->params[i], at, e->args[i]->loc);
		if (c->report && !known(at))
			sema_error(c->S, e->args[i]->loc, "unresolved type for argument %u of "
				   "function '%s'", i + 1, f->name);
	}
	if (known(want))
		set_ret(c, f, want, e->loc);
	int rt = f->ret_type;
	if (!known(rt) && want != WANT_VOID && c->report)
		sema_error(c->S, e->loc, "unresolved type for the value of function '%s' "
			   "(it returns no value)", f->name);
	return expect(c, e, rt, TY_UNKNOWN);
}

static void tx_format(TCtx *c, Expr *e)
{
	Expr *fmt = e->args[0];
	FmtPiece *pieces;
	const char *err;
	size_t off;
	int n = format_parse(fmt->str, fmt->slen, &pieces, &err, &off);
	tx(c, fmt, TY_STRING);
	if (n < 0) {
		StrBuf q = { 0 }, at = { 0 };
		sb_put_quoted(&q, fmt->str, fmt->slen);
		sb_put_quoted(&at, fmt->str + off, fmt->slen - off > 8 ? 8 : fmt->slen - off);
		sema_error(c->S, fmt->loc, "%s in format string %s (at %s)", err, sb_str(&q),
			   sb_str(&at));
		sb_free(&q);
		sb_free(&at);
		for (uint32_t i = 1; i < e->n; i++)
			tx(c, e->args[i], TY_UNKNOWN);
		return;
	}
	uint32_t arg = 1;
	int needed = 0;
	for (int i = 0; i < n; i++)
		if (pieces[i].conv != FMT_LITERAL)
			needed += 1 + pieces[i].width_arg + pieces[i].precision_arg;
	if ((uint32_t)needed != e->n - 1) {
		sema_error(c->S, e->loc, "Wrong number of args to formatted print operator "
			   "(the format takes %d, %u given)", needed, e->n - 1);
		for (uint32_t i = 1; i < e->n; i++)
			tx(c, e->args[i], TY_UNKNOWN);
		free(pieces);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (pieces[i].conv == FMT_LITERAL)
			continue;
		if (pieces[i].width_arg)
			tx(c, e->args[arg++], TY_LONG);
		if (pieces[i].precision_arg)
			tx(c, e->args[arg++], TY_LONG);
		tx(c, e->args[arg++], format_arg_type(&pieces[i]));
	}
	free(pieces);
}

static int tx_print(TCtx *c, Expr *e, int want)
{
	uint32_t first = 0;
	if (e->op & PRINT_FORMAT) {
		tx_format(c, e);
		first = e->n;
	} else if (e->op & PRINT_DELIM) {
		tx(c, e->args[0], TY_STRING);
		first = 1;
		if (e->n < 2)
			sema_error(c->S, e->loc, "%s needs a delimiter and at least one value",
				   e->name);
	}
	for (uint32_t i = first; i < e->n; i++) {
		Expr *a = e->args[i];
		if (a->kind == E_HIST) {
			if (e->op & (PRINT_DELIM | PRINT_STRING) || e->n != 1)
				sema_error(c->S, a->loc, "a histogram can only be printed alone, by "
					   "print or println");
			tx_hist(c, a);
			continue;
		}
		int t = tx(c, a, TY_UNKNOWN);
		if (c->report && !known(t) && a->kind != E_SYMBOL && a->kind != E_INDEX &&
		    a->kind != E_CALL)
			sema_error(c->S, a->loc, "unresolved type for an argument of %s", e->name);
	}
	return expect(c, e, e->op & PRINT_STRING ? TY_STRING : TY_LONG, want);
}

static int tx_assign(TCtx *c, Expr *e, int want)
{
	switch (e->op) {
	case OP_ASSIGN: {
		int rt = tx(c, e->right, TY_UNKNOWN);
		if (rt == TY_STATS)
			return TY_UNKNOWN;
		int lt = tx(c, e->left, known(rt) ? rt : TY_UNKNOWN);
		if (lt == TY_STATS)
			return TY_UNKNOWN;
		if (!known(rt) && known(lt))
			rt = tx(c, e->right, lt);
		return expect(c, e, known(lt) ? lt : rt, want);
	}
	case OP_CAT_ASSIGN:
		tx(c, e->left, TY_STRING);
		tx(c, e->right, TY_STRING);
		return expect(c, e, TY_STRING, want);
	case OP_STAT_ASSIGN:
		tx_stats_operand(c, e->left);
		tx(c, e->right, TY_LONG);
		return expect(c, e, TY_LONG, want);
	default:
		tx(c, e->left, TY_LONG);
		tx(c, e->right, TY_LONG);
		return expect(c, e, TY_LONG, want);
	}
}

static int tx(TCtx *c, Expr *e, int want)
{
	int w = want == WANT_VOID ? TY_UNKNOWN : want;
	switch ((ExprKind)e->kind) {
	case E_NUMBER: case E_CONST: case E_PROBEWRITE:
		return expect(c, e, TY_LONG, w);
	case E_STRING:
		return expect(c, e, TY_STRING, w);
	case E_EMBEDDED:
		return expect(c, e, pragma_scan(e->str, e->slen) & PRAGMA_STRING ? TY_STRING :
			      TY_LONG, w);
	/* These unify the variable or function with want themselves. */
	case E_SYMBOL:
		return tx_symbol(c, e, want);
	case E_INDEX:
		return tx_index(c, e, want);
	case E_CALL:
		return tx_call(c, e, want);
	case E_PRINT:
		return tx_print(c, e, w);
	case E_UNARY:
		tx(c, e->left, TY_LONG);
		return expect(c, e, TY_LONG, w);
	case E_BINARY: case E_LOGICAL:
		tx(c, e->left, TY_LONG);
		tx(c, e->right, TY_LONG);
		return expect(c, e, TY_LONG, w);
	case E_COMPARE: {
		int lt = tx(c, e->left, TY_UNKNOWN);
		int rt = tx(c, e->right, known(lt) ? lt : TY_UNKNOWN);
		if (!known(lt) && known(rt))
			tx(c, e->left, rt);
		return expect(c, e, TY_LONG, w);
	}
	case E_CONCAT:
		tx(c, e->left, TY_STRING);
		tx(c, e->right, TY_STRING);
		return expect(c, e, TY_STRING, w);
	case E_REGEX:
		tx(c, e->left, TY_STRING);
		tx(c, e->right, TY_STRING);
		return expect(c, e, TY_LONG, w);
	case E_TERNARY: {
		tx(c, e->cond, TY_LONG);
		int lt = tx(c, e->left, w);
		int rt = tx(c, e->right, known(lt) ? lt : w);
		if (!known(lt) && known(rt))
			lt = tx(c, e->left, rt);
		return expect(c, e, known(lt) ? lt : rt, w);
	}
	case E_ASSIGN:
		return tx_assign(c, e, w);
	case E_INCDEC:
		tx(c, e->left, TY_LONG);
		return expect(c, e, TY_LONG, w);
	case E_IN: {
		if (e->left->kind == E_HIST) {
			tx_hist(c, e->left);
			tx_keys(c, NULL, e->args, e->n);
			return expect(c, e, TY_LONG, w);
		}
		VarDecl *v = e->left->decl;
		set_arity(c, v, (int)e->n, e->left->loc);
		tx_keys(c, v, e->args, e->n);
		return expect(c, e, TY_LONG, w);
	}
	case E_STAT:
		tx_stats_operand(c, e->left);
		if (e->right)
			tx(c, e->right, TY_LONG);
		return expect(c, e, TY_LONG, w);
	case E_HIST:
		tx_hist(c, e);
		if (want != WANT_VOID)
			sema_error(c->S, e->loc, "a histogram can only be printed, indexed or "
				   "iterated with foreach");
		return TY_UNKNOWN;
	case E_TARGET: case E_CAST: case E_ATVAR: case E_AUTOCAST:
		/* A base pointer (@cast, autocast) and [expr] indexes are numbers. */
		if (e->left)
			tx(c, e->left, TY_LONG);
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].expr)
				tx(c, e->comps[i].expr, TY_LONG);
		return expect(c, e, e->type, w);
	case E_ENTRY:
		/* @entry(x) has x's type: the value saved at the entry. */
		return expect(c, e, tx(c, e->left, w), w);
	default:
		/* Errors were reported when the node was bound. */
		return e->type;
	}
}

static void ts_foreach(TCtx *c, Stmt *s)
{
	Foreach *f = s->foreach;
	if (f->base->kind == E_HIST) {
		tx_hist(c, f->base);
		if (f->nkeys != 1)
			sema_error(c->S, f->base->loc, "a histogram has one index, the bucket");
		for (int i = 0; i < f->nkeys; i++)
			tx(c, f->keys[i], TY_LONG);
		if (f->value)
			tx(c, f->value, TY_LONG);
	} else if (f->base->decl) {
		VarDecl *v = f->base->decl;
		set_arity(c, v, f->nkeys, f->base->loc);
		for (int i = 0; i < f->nkeys; i++) {
			Expr *k = f->keys[i];
			int t = tx(c, k, v->key_types[i]);
			set_key_type(c, v, i, t, k->loc);
		}
		if (f->slice)
			tx_keys(c, v, f->slice, (uint32_t)f->nkeys);
		if (f->sort_agg)
			set_var_type(c, v, TY_STATS, f->base->loc);
		if (f->value && v->type == TY_STATS) {
			sema_error(c->S, f->value->loc, "a statistics array has no value to iterate "
				   "over: read @count(%s[...]) and friends in the loop", v->name);
		} else if (f->value) {
			int t = tx(c, f->value, TY_UNKNOWN);
			if (!known(t) && known(v->type))
				t = tx(c, f->value, v->type);
			set_var_type(c, v, t, f->value->loc);
		}
	}
	if (f->limit)
		tx(c, f->limit, TY_LONG);
	ts(c, s->then);
}

static void ts(TCtx *c, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			ts(c, s->stmts[i]);
		return;
	case S_EXPR:
		tx(c, s->expr, WANT_VOID);
		return;
	case S_IF:
		tx(c, s->cond, TY_LONG);
		ts(c, s->then);
		ts(c, s->els);
		return;
	case S_FOR:
		if (s->expr)
			tx(c, s->expr, WANT_VOID);
		if (s->cond)
			tx(c, s->cond, TY_LONG);
		if (s->incr)
			tx(c, s->incr, WANT_VOID);
		ts(c, s->then);
		return;
	case S_FOREACH:
		ts_foreach(c, s);
		return;
	case S_RETURN:
		if (!c->func)
			return;
		if (s->expr) {
			int t = tx(c, s->expr, c->func->ret_type);
			if (t == TY_STATS)
				sema_error(c->S, s->expr->loc, "statistics cannot be returned");
			else
				set_ret(c, c->func, t, s->expr->loc);
		}
		return;
	case S_DELETE: {
		Expr *x = s->expr;
		if (x->kind == E_INDEX && x->left->decl) {
			set_arity(c, x->left->decl, (int)x->n, x->left->loc);
			tx_keys(c, x->left->decl, x->args, x->n);
		} else if (x->kind == E_SYMBOL && x->decl && x->decl->scope != VAR_GLOBAL) {
			tx(c, x, WANT_VOID);
		}
		return;
	}
	case S_TRY:
		ts(c, s->then);
		if (s->expr)
			tx(c, s->expr, TY_STRING);
		ts(c, s->els);
		return;
	default:
		return;
	}
}

/* Declared types (x:long, function f:string) are known from the start. */
static void seed(TCtx *c, FuncDecl *f)
{
	for (int i = 0; i < f->nparams; i++) {
		VarDecl *p = f->params[i];
		if (p->decl_type != TY_UNKNOWN)
			set_var_type(c, p, p->decl_type, p->loc);
	}
	if (f->decl_type != TY_UNKNOWN)
		set_ret(c, f, f->decl_type, f->loc);
}

static void walk_all(TCtx *c)
{
	Sema *S = c->S;
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided)
			continue;
		c->func = NULL;
		if (dp->cond)
			tx(c, dp->cond, TY_LONG);
		ts(c, dp->body);
	}
	for (int i = 0; i < S->funcs.n; i++) {
		FuncDecl *f = S->funcs.v[i];
		if (!func_info(f)->kept)
			continue;
		c->func = f;
		ts(c, f->body);
	}
}

void types_infer(Sema *S)
{
	TCtx c = { .S = S };
	for (int i = 0; i < S->globals.n; i++) {
		VarDecl *v = S->globals.v[i];
		if (v->init)
			set_var_type(&c, v, v->init->kind == E_STRING ? TY_STRING : TY_LONG, v->loc);
		if (v->decl_type != TY_UNKNOWN)
			set_var_type(&c, v, v->decl_type, v->loc);
	}
	/* Unreachable overloads still share their group's signature. */
	for (int i = 0; i < S->funcs.n; i++)
		seed(&c, S->funcs.v[i]);
	int rounds = 0;
	do {
		c.changed = false;
		walk_all(&c);
	} while (c.changed && ++rounds < 1000);
	/* What stayed unknown is mostly an echo of an earlier error. */
	c.report = S->errors == 0;
	walk_all(&c);
}

void types_infer_probe(Sema *S, DerivedProbe *dp)
{
	TCtx c = { .S = S };
	int rounds = 0;
	do {
		c.changed = false;
		ts(&c, dp->body);
	} while (c.changed && ++rounds < 100);
	c.report = S->errors == 0;
	ts(&c, dp->body);
}
