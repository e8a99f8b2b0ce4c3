/* Statements.  Statements are charged against MAXACTION as SystemTap
 * does: one per statement and one per loop iteration.  The charge for a
 * run of statements is taken once, before the run, so straight-line code
 * costs one test. */
#include "translate/codegen.h"
#include "parse/arena.h"
#include <stdlib.h>
#include <string.h>

static const char *new_label(Codegen *g, const char *what)
{
	return cg_fmt("%s_%d", what, g->r->nlabel++);
}

static bool is_compound(const Stmt *s)
{
	return s->kind == S_IF || s->kind == S_FOR || s->kind == S_FOREACH || s->kind == S_TRY ||
	       s->kind == S_BLOCK;
}

static int cost(const Stmt *s)
{
	return s->kind == S_BLOCK || s->kind == S_NULL ? 0 : 1;
}

static void charge(Codegen *g, int n, Loc loc)
{
	if (n > 0) {
		cg_line(g, "if (stp_actions(c, %d, %s))", n, cg_locp(g, loc));
		cg_line(g, "\t%s;", g->r->errexit);
	}
}

/* A run of statements up to and including the first compound one is
 * charged before the run; `extra` (a loop iteration) joins the first
 * run's charge, at `extra_loc` when there is no statement. */
static void block_charged(Codegen *g, Stmt **v, int n, int extra, Loc extra_loc)
{
	if (!n)
		charge(g, extra, extra_loc);
	for (int i = 0; i < n;) {
		int j = i, total = extra;
		while (j < n) {
			total += cost(v[j]);
			if (is_compound(v[j++]))
				break;
		}
		charge(g, total, extra ? extra_loc : v[i]->loc);
		extra = 0;
		for (; i < j; i++)
			emit_stmt(g, v[i]);
	}
}

void emit_block_stmts(Codegen *g, Stmt **v, int n)
{
	block_charged(g, v, n, 0, (Loc){ 0, 0 });
}

/* A statement that is the body of an if or a loop: charged by itself,
 * plus one for the loop's iteration. */
static void emit_body_extra(Codegen *g, Stmt *s, int extra, Loc loc)
{
	if (!s)
		charge(g, extra, loc);
	else if (s->kind == S_BLOCK)
		block_charged(g, s->stmts, (int)s->n, extra, loc);
	else
		block_charged(g, &s, 1, extra, loc);
}

static void emit_body(Codegen *g, Stmt *s)
{
	emit_body_extra(g, s, 0, (Loc){ 0, 0 });
}

/* Emits one statement; its temporaries get a C block of their own when it
 * declares any, and its string temporaries are free again after it. */
static void scoped(Codegen *g, void (*fn)(Codegen *, Stmt *), Stmt *s)
{
	Routine *r = g->r;
	StrBuf saved = r->body;
	bool declared = r->declared;
	int nstr = r->nstr;
	memset(&r->body, 0, sizeof(r->body));
	r->declared = false;
	r->indent++;
	fn(g, s);
	r->indent--;
	StrBuf mine = r->body;
	r->body = saved;
	if (r->declared) {
		cg_line(g, "{");
		sb_putn(&r->body, mine.s, mine.len);
		cg_line(g, "}");
	} else {
		/* Undo the extra indentation of a statement that needs no block. */
		const char *p = mine.s ? mine.s : "";
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
			if (*p == '\t')
				sb_putn(&r->body, p + 1, len - 1);
			else
				sb_putn(&r->body, p, len);
			p += len;
		}
	}
	sb_free(&mine);
	r->declared = declared;
	r->nstr = nstr;
}

/* Ends the iterators of enclosing foreach loops, innermost first, down to
 * loop index `down_to` (for break, return and next). */
static void end_iterators(Codegen *g, int down_to)
{
	Routine *r = g->r;
	for (int i = r->nloops - 1; i >= down_to; i--)
		if (r->loops[i].iter)
			cg_line(g, "stp_map_iter_end(c, &%s);", r->loops[i].iter);
}

static int innermost_loop(Routine *r)
{
	for (int i = r->nloops - 1; i >= 0; i--)
		if (r->loops[i].is_loop)
			return i;
	return -1;
}

static void push_loop(Codegen *g, LoopCtx lc)
{
	Routine *r = g->r;
	if (r->nloops >= (int)(sizeof(r->loops) / sizeof(r->loops[0]))) {
		cg_error(g, (Loc){ 0, 0 }, "loops nested too deeply");
		return;
	}
	r->loops[r->nloops++] = lc;
}

static void st_expr(Codegen *g, Stmt *s)
{
	emit_expr_void(g, s->expr);
}

static void st_if(Codegen *g, Stmt *s)
{
	Val c = emit_expr(g, s->cond);
	cg_line(g, "if (%s) {", c.c);
	g->r->indent++;
	emit_body(g, s->then);
	g->r->indent--;
	if (s->els) {
		cg_line(g, "} else {");
		g->r->indent++;
		emit_body(g, s->els);
		g->r->indent--;
	}
	cg_line(g, "}");
}

static void st_cond_break(Codegen *g, Stmt *s, const char *brk)
{
	Val c = emit_expr(g, s->cond);
	cg_line(g, "if (!%s)", c.c);
	cg_line(g, "\tgoto %s;", brk);
}

static void loop_cond(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	st_cond_break(g, s, r->loops[r->nloops - 1].brk);
}

static void loop_incr(Codegen *g, Stmt *s)
{
	emit_expr_void(g, s->incr);
}

static void st_for(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	const char *brk = new_label(g, "brk"), *cont = new_label(g, "cont");
	if (s->expr)
		emit_expr_void(g, s->expr);
	cg_line(g, "for (;;) {");
	r->indent++;
	push_loop(g, (LoopCtx){ brk, cont, NULL, true });
	if (s->cond)
		scoped(g, loop_cond, s);
	emit_body_extra(g, s->then, 1, s->loc);
	cg_line(g, "%s: __attribute__((unused));", cont);
	if (s->incr)
		scoped(g, loop_incr, s);
	r->nloops--;
	r->indent--;
	cg_line(g, "}");
	cg_line(g, "%s: ;", brk);
}

/* ---- foreach ---- */

static const char *sort_col(Codegen *g, Foreach *f, bool stats)
{
	static const struct { const char *op, *agg; } aggs[] = {
		{ "@count", "STP_AGG_COUNT" }, { "@sum", "STP_AGG_SUM" },
		{ "@min", "STP_AGG_MIN" }, { "@max", "STP_AGG_MAX" },
		{ "@avg", "STP_AGG_AVG" }, { "@variance", "STP_AGG_VARIANCE" },
	};
	(void)g;
	if (f->sort_column > 0)
		return cg_fmt("%d", f->sort_column);
	if (stats && f->sort_agg)
		for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
			if (!strcmp(f->sort_agg, aggs[i].op))
				return cg_fmt("STP_SORT_AGG(%s)", aggs[i].agg);
	return "STP_SORT_VALUE";
}

static const char *key_type_get(Type t)
{
	return t == TY_STRING ? "str" : "int";
}

/* Copies a node's keys and value into the loop variables. */
static void foreach_vars(Codegen *g, Foreach *f, VarDecl *arr, const char *m, const char *node)
{
	for (int k = 0; k < f->nkeys; k++) {
		Expr *key = f->keys[k];
		if (!key || !key->decl)
			continue;
		const char *x = local_name(g, key->decl);
		if (arr->key_types[k] == TY_STRING)
			cg_line(g, "stp_str_copy(%s, stp_map_node_key_str(&%s, %s, %d));", x, m, node,
				k + 1);
		else
			cg_line(g, "%s = stp_map_node_key_int(&%s, %s, %d);", x, m, node, k + 1);
	}
	if (f->value && f->value->decl) {
		const char *x = local_name(g, f->value->decl);
		if (arr->type == TY_STRING)
			cg_line(g, "stp_str_copy(%s, stp_map_node_str(&%s, %s));", x, m, node);
		else
			cg_line(g, "%s = stp_map_node_int(&%s, %s);", x, m, node);
	}
}

/* The slice's fixed keys: an iteration whose keys differ is skipped. */
static void foreach_slice(Codegen *g, Foreach *f, VarDecl *arr, const char *m, const char *node,
			  Val *slice, const char *cont)
{
	for (int k = 0; k < f->nkeys; k++) {
		if (!f->slice[k])
			continue;
		if (arr->key_types[k] == TY_STRING)
			cg_line(g, "if (stp_str_cmp(stp_map_node_key_str(&%s, %s, %d), %s))", m, node,
				k + 1, slice[k].c);
		else
			cg_line(g, "if (stp_map_node_key_%s(&%s, %s, %d) != %s)",
				key_type_get(arr->key_types[k]), m, node, k + 1, slice[k].c);
		cg_line(g, "\tgoto %s;", cont);
	}
}

static void foreach_array(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	Foreach *f = s->foreach;
	VarDecl *arr = f->base->decl;
	GlobalInfo *gi = cg_global(g, arr);
	const char *m = gi ? gi->cname : "?";
	const char *brk = new_label(g, "brk"), *cont = new_label(g, "cont");
	const char *it = cg_fmt("it%d", r->nlabel++), *node = cg_fmt("nd%d", r->nlabel++);
	Val slice[STP_MAX_KEYS_CG];
	bool sliced = false;
	if (f->slice)
		for (int k = 0; k < f->nkeys && k < STP_MAX_KEYS_CG; k++) {
			slice[k] = f->slice[k] ? emit_expr(g, f->slice[k]) : (Val){ "0", TY_LONG, true };
			if (f->slice[k]) {
				sliced = true;
				if (!slice[k].simple && slice[k].type == TY_STRING) {
					const char *t = tmp_str(g);
					cg_line(g, "stp_str_copy(%s, %s);", t, slice[k].c);
					slice[k].c = t;
				} else if (!slice[k].simple) {
					slice[k].c = tmp_long(g, slice[k].c);
				}
			}
		}
	/* With a slice the limit counts matching entries, so it is kept here. */
	const char *limit = "STP_NO_LIMIT", *left = NULL;
	if (f->limit) {
		Val lv = emit_expr(g, f->limit);
		if (sliced)
			left = tmp_long(g, lv.c);
		else
			limit = lv.c;
	}
	cg_line(g, "struct stp_map_iter %s;", it);
	cg_line(g, "struct stp_map_node *%s;", node);
	r->declared = true;
	cg_line(g, "if (stp_map_iter_start(c, %s, &%s, &%s, %s, %s, %s))",
		cg_locp(g, f->base->loc), it, m, sort_col(g, f, arr->type == TY_STATS),
		f->sort_dir > 0 ? "STP_SORT_ASC" : f->sort_dir < 0 ? "STP_SORT_DESC" : "STP_SORT_NONE",
		limit);
	cg_line(g, "\t%s;", r->errexit);

	/* An error inside the loop that a catch handles must end the
	 * iterator on its way out; a return from the handler need not. */
	const char *outer = r->errexit, *err = NULL;
	if (strcmp(outer, "return")) {
		err = new_label(g, "fe_err");
		r->errexit = cg_fmt("goto %s", err);
	}
	cg_line(g, "while ((%s = stp_map_iter_next(&%s))) {", node, it);
	r->indent++;
	push_loop(g, (LoopCtx){ brk, cont, it, true });
	if (sliced) {
		foreach_slice(g, f, arr, m, node, slice, cont);
		if (left) {
			cg_line(g, "if (%s-- <= 0)", left);
			cg_line(g, "\tgoto %s;", brk);
		}
	}
	foreach_vars(g, f, arr, m, node);
	emit_body_extra(g, s->then, 1, s->loc);
	cg_line(g, "%s: __attribute__((unused));", cont);
	r->nloops--;
	r->indent--;
	cg_line(g, "}");
	cg_line(g, "%s: __attribute__((unused));", brk);
	cg_line(g, "stp_map_iter_end(c, &%s);", it);
	r->errexit = outer;
	if (err) {
		const char *done = new_label(g, "fe_done");
		cg_line(g, "goto %s;", done);
		cg_line(g, "%s: __attribute__((unused));", err);
		cg_line(g, "stp_map_iter_end(c, &%s);", it);
		cg_line(g, "%s;", outer);
		cg_line(g, "%s: ;", done);
	}
}

/* foreach over a histogram's buckets: every bucket, as SystemTap does. */
static void foreach_hist(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	Foreach *f = s->foreach;
	Expr *h = f->base;
	VarDecl *v = h->left->kind == E_INDEX ? h->left->left->decl : h->left->decl;
	GlobalInfo *gi = cg_global(g, v);
	const char *brk = new_label(g, "brk"), *cont = new_label(g, "cont");
	const char *b = tmp_long(g, "0");
	const char *nb = tmp_long(g, cg_fmt("stp_stat_nbuckets(&%s_sspec)", gi ? gi->cname : "?"));
	if (f->limit) {
		Val lv = emit_expr(g, f->limit);
		cg_line(g, "if (%s < %s)", lv.c, nb);
		cg_line(g, "\t%s = %s < 0 ? 0 : %s;", nb, lv.c, lv.c);
	}
	bool desc = f->sort_dir < 0 && f->sort_column == 1;
	cg_line(g, "for (; %s < %s; %s++) {", b, nb, b);
	r->indent++;
	push_loop(g, (LoopCtx){ brk, cont, NULL, true });
	const char *bucket = desc ? cg_fmt("(stp_stat_nbuckets(&%s_sspec) - 1 - %s)",
					   gi ? gi->cname : "?", b) : b;
	if (f->keys[0] && f->keys[0]->decl)
		cg_line(g, "%s = %s;", local_name(g, f->keys[0]->decl), bucket);
	if (f->value && f->value->decl) {
		/* Fetched again each time: the body may read other statistics,
		 * which reuses the same scratch. */
		const char *sd = emit_stat_data(g, h->left, h->loc);
		cg_line(g, "{");
		cg_line(g, "\tconst struct stp_stat_data *sd = %s;", sd);
		cg_line(g, "\t%s = sd ? sd->hist[%s] : 0;", local_name(g, f->value->decl), bucket);
		cg_line(g, "}");
	}
	emit_body_extra(g, s->then, 1, s->loc);
	cg_line(g, "%s: __attribute__((unused));", cont);
	r->nloops--;
	r->indent--;
	cg_line(g, "}");
	cg_line(g, "%s: __attribute__((unused));", brk);
}

static void st_foreach(Codegen *g, Stmt *s)
{
	if (s->foreach->base->kind == E_HIST)
		foreach_hist(g, s);
	else if (s->foreach->base->kind == E_SYMBOL && s->foreach->base->decl)
		foreach_array(g, s);
	else
		cg_error(g, s->loc, "foreach needs a global array or a histogram");
}

/* ---- delete ---- */

static void st_delete(Codegen *g, Stmt *s)
{
	Expr *e = s->expr;
	if (e->kind == E_SYMBOL && e->decl) {
		VarDecl *v = e->decl;
		GlobalInfo *gi = v->scope == VAR_GLOBAL ? cg_global(g, v) : NULL;
		const char *x = gi ? gi->cname : local_name(g, v);
		if (v->arity > 0)
			cg_line(g, "stp_map_clear(&%s);", x);
		else if (v->type == TY_STATS)
			cg_line(g, "stp_stat_clear(&%s);", x);
		else if (v->type == TY_STRING)
			cg_line(g, "%s[0] = '\\0';", x);
		else
			cg_line(g, "%s = 0;", x);
		return;
	}
	if (e->kind == E_INDEX && e->left->kind == E_SYMBOL && e->left->decl) {
		GlobalInfo *gi = cg_global(g, e->left->decl);
		unsigned wild;
		const char *keys = emit_keys(g, e->args, (int)e->n, &wild);
		if (wild)
			cg_line(g, "stp_map_delete_match(&%s, %s, %#x);", gi ? gi->cname : "?", keys,
				wild);
		else
			cg_line(g, "stp_map_delete(&%s, %s);", gi ? gi->cname : "?", keys);
		return;
	}
	cg_error(g, s->loc, "unsupported delete");
}

/* ---- jumps ---- */

static void st_return(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	if (s->expr) {
		Val v = emit_expr(g, s->expr);
		if (r->is_func && r->func->ret_type == TY_STRING)
			cg_line(g, "stp_str_copy(l->__retvalue, %s);", v.c);
		else if (r->is_func && r->func->ret_type == TY_LONG)
			cg_line(g, "l->__retvalue = %s;", v.c);
	}
	end_iterators(g, 0);
	cg_line(g, "return;");
}

static void st_next(Codegen *g, Stmt *s)
{
	(void)s;
	end_iterators(g, 0);
	if (g->r->is_func)
		cg_line(g, "l->__next = 1;");
	cg_line(g, "return;");
}

static void st_break(Codegen *g, Stmt *s, bool brk)
{
	Routine *r = g->r;
	int i = innermost_loop(r);
	if (i < 0) {
		cg_error(g, s->loc, "%s outside a loop", brk ? "break" : "continue");
		return;
	}
	if (brk) {
		/* The loop's own iterator ends after its break label. */
		end_iterators(g, i + 1);
		cg_line(g, "goto %s;", r->loops[i].brk);
	} else {
		end_iterators(g, i + 1);
		cg_line(g, "goto %s;", r->loops[i].cont);
	}
}

static void st_try(Codegen *g, Stmt *s)
{
	Routine *r = g->r;
	const char *catch = new_label(g, "catch"), *done = new_label(g, "try_done");
	const char *outer = r->errexit;
	r->errexit = cg_fmt("goto %s", catch);
	cg_line(g, "{");
	r->indent++;
	emit_body(g, s->then);
	r->indent--;
	cg_line(g, "}");
	r->errexit = outer;
	cg_line(g, "goto %s;", done);
	cg_line(g, "%s: __attribute__((unused));", catch);
	cg_line(g, "if (stp_aborted(c))");
	cg_line(g, "\t%s;", outer);
	if (s->expr && s->expr->decl)
		cg_line(g, "stp_error_catch(c, %s);", local_name(g, s->expr->decl));
	else
		cg_line(g, "stp_error_catch(c, NULL);");
	cg_line(g, "{");
	r->indent++;
	emit_body(g, s->els);
	r->indent--;
	cg_line(g, "}");
	cg_line(g, "%s: ;", done);
}

static void st_embedded(Codegen *g, Stmt *s)
{
	cg_line(g, "{");
	cg_line(g, "%.*s", (int)s->slen, s->str);
	cg_line(g, "}");
}

void emit_stmt(Codegen *g, Stmt *s)
{
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		cg_line(g, "{");
		g->r->indent++;
		emit_block_stmts(g, s->stmts, (int)s->n);
		g->r->indent--;
		cg_line(g, "}");
		break;
	case S_NULL:
		break;
	case S_EXPR:
		scoped(g, st_expr, s);
		break;
	case S_EMBEDDED:
		st_embedded(g, s);
		break;
	case S_IF:
		scoped(g, st_if, s);
		break;
	case S_FOR:
		scoped(g, st_for, s);
		break;
	case S_FOREACH:
		scoped(g, st_foreach, s);
		break;
	case S_RETURN:
		scoped(g, st_return, s);
		break;
	case S_DELETE:
		scoped(g, st_delete, s);
		break;
	case S_NEXT:
		st_next(g, s);
		break;
	case S_BREAK:
		st_break(g, s, true);
		break;
	case S_CONTINUE:
		st_break(g, s, false);
		break;
	case S_TRY:
		st_try(g, s);
		break;
	}
}
