/* The print family and statistics.  printf and sprintf pass the script's
 * format to the runtime's interpreter (runtime/printf.c), which follows
 * SystemTap's grammar; the other forms are turned into such a format here
 * ("%d%s\n"), so one path prints everything. */
#include "translate/codegen.h"
#include "translate/format.h"
#include "parse/arena.h"
#include <stdlib.h>
#include <string.h>

static Val val(const char *c, Type t, bool simple)
{
	return (Val){ c, t, simple };
}

/* union stp_arg[] of already evaluated values. */
static const char *arg_array(Val *v, int n)
{
	if (!n)
		return "NULL";
	StrBuf b = { 0 };
	sb_puts(&b, "(union stp_arg[]){ ");
	for (int i = 0; i < n; i++)
		sb_printf(&b, v[i].type == TY_STRING ? "{ .s = %s }, " : "{ .i = %s }, ", v[i].c);
	sb_puts(&b, "}");
	const char *r = arena_strndup(&g_arena, b.s, b.len);
	sb_free(&b);
	return r;
}

/* Literal text of a format with no conversions ("%%" already undone), or
 * NULL when it converts something. */
static char *plain_text(const char *fmt, size_t len, size_t *out_len)
{
	FmtPiece *p;
	const char *err;
	size_t off;
	int n = format_parse(fmt, len, &p, &err, &off);
	if (n < 0)
		return NULL;
	StrBuf b = { 0 };
	for (int i = 0; i < n; i++) {
		if (p[i].conv != FMT_LITERAL) {
			free(p);
			sb_free(&b);
			return NULL;
		}
		sb_putn(&b, p[i].text, p[i].len);
	}
	free(p);
	*out_len = b.len;
	char *r = arena_strndup(&g_arena, b.s ? b.s : "", b.len);
	sb_free(&b);
	return r;
}

/* Evaluates the values left to right, copying any a later one could
 * change (arguments of print are often calls with effects). */
static void eval_args(Codegen *g, Expr **args, int n, Val *out)
{
	for (int i = 0; i < n; i++) {
		out[i] = emit_expr(g, args[i]);
		bool later = false;
		for (int j = i + 1; j < n && !later; j++)
			later = expr_has_effects(args[j]);
		if (later && !out[i].simple) {
			if (out[i].type == TY_STRING) {
				const char *t = tmp_str(g);
				cg_line(g, "stp_str_copy(%s, %s);", t, out[i].c);
				out[i] = val(t, TY_STRING, true);
			} else {
				out[i] = val(tmp_long(g, out[i].c), TY_LONG, true);
			}
		}
	}
}

static Val print_hist(Codegen *g, Expr *e)
{
	Expr *h = e->args[0];
	const char *sd = emit_stat_data(g, h->left, h->loc);
	VarDecl *v = h->left->kind == E_INDEX ? h->left->left->decl : h->left->decl;
	GlobalInfo *gi = cg_global(g, v);
	cg_line(g, "if (stp_stat_print_hist(c, %s, &%s_sspec, %s))", cg_locp(g, h->loc),
		gi ? gi->cname : "?", sd);
	cg_line(g, "\t%s;", g->r->errexit);
	if (e->op & PRINT_LN)
		cg_line(g, "stp_print_char(c, '\\n');");
	return val("0", TY_LONG, true);
}

/* Output of fmt with args: printf into the print buffer, sprintf into a
 * new string temporary. */
static Val format_out(Codegen *g, Expr *e, const char *fmt, size_t fmtlen, Val *args, int n)
{
	bool str = e->op & PRINT_STRING;
	const char *loc = cg_locp(g, e->loc);
	if (!n) {
		size_t len;
		char *text = plain_text(fmt, fmtlen, &len);
		if (text) {
			if (str)
				return val(cg_quote(text, len), TY_STRING, true);
			if (len)
				cg_line(g, "stp_print_bytes(c, %s, %zu);", cg_quote(text, len), len);
			return val("0", TY_LONG, true);
		}
	}
	const char *f = cg_quote(fmt, fmtlen);
	if (str) {
		const char *t = tmp_str(g);
		cg_line(g, "if (stp_sprintf(c, %s, %s, %s, %s, %d))", loc, t, f, arg_array(args, n),
			n);
		cg_line(g, "\t%s;", g->r->errexit);
		return val(t, TY_STRING, true);
	}
	cg_line(g, "if (stp_printf(c, %s, %s, %s, %d))", loc, f, arg_array(args, n), n);
	cg_line(g, "\t%s;", g->r->errexit);
	return val("0", TY_LONG, true);
}

/* print, println, printd, printdln and their s- forms as one format. */
static Val print_values(Codegen *g, Expr *e)
{
	bool delim = e->op & PRINT_DELIM, ln = e->op & PRINT_LN;
	int first = delim ? 1 : 0, nv = (int)e->n - first;
	Val *v = calloc((size_t)e->n + 1, sizeof(Val));
	eval_args(g, e->args, (int)e->n, v);
	/* The commonest forms need no format at all. */
	if (!(e->op & PRINT_STRING) && nv == 1 && !delim) {
		Expr *a = e->args[0];
		if (a->kind == E_STRING) {
			StrBuf b = { 0 };
			sb_putn(&b, a->str, strnlen(a->str, a->slen));
			if (ln)
				sb_putc(&b, '\n');
			if (b.len)
				cg_line(g, "stp_print_bytes(c, %s, %zu);", cg_quote(b.s, b.len), b.len);
			sb_free(&b);
		} else if (v[0].type == TY_STRING) {
			cg_line(g, "stp_print_str(c, %s);", v[0].c);
			if (ln)
				cg_line(g, "stp_print_char(c, '\\n');");
		} else {
			cg_line(g, "stp_print_int(c, %s);", v[0].c);
			if (ln)
				cg_line(g, "stp_print_char(c, '\\n');");
		}
		free(v);
		return val("0", TY_LONG, true);
	}
	StrBuf fmt = { 0 };
	Val *args = calloc((size_t)e->n * 2 + 1, sizeof(Val));
	int na = 0;
	for (int i = 0; i < nv; i++) {
		if (i && delim) {
			sb_puts(&fmt, "%s");
			args[na++] = v[0];
		}
		sb_puts(&fmt, v[first + i].type == TY_STRING ? "%s" : "%d");
		args[na++] = v[first + i];
	}
	if (ln)
		sb_putc(&fmt, '\n');
	Val r = format_out(g, e, arena_strndup(&g_arena, fmt.s ? fmt.s : "", fmt.len), fmt.len,
			   args, na);
	sb_free(&fmt);
	free(args);
	free(v);
	return r;
}

Val emit_print(Codegen *g, Expr *e)
{
	if (e->n == 1 && e->args[0]->kind == E_HIST)
		return print_hist(g, e);
	if (!(e->op & PRINT_FORMAT))
		return print_values(g, e);
	Expr *fmt = e->args[0];
	int n = (int)e->n - 1;
	Val *v = calloc((size_t)n + 1, sizeof(Val));
	eval_args(g, e->args + 1, n, v);
	Val r = format_out(g, e, fmt->str, fmt->slen, v, n);
	free(v);
	return r;
}

/* ---- statistics ---- */

/* The merged data of a statistic (a scalar global or an array element):
 * a C expression of type const struct stp_stat_data *, evaluated now. */
const char *emit_stat_data(Codegen *g, Expr *of, Loc loc)
{
	(void)loc;
	if (of->kind == E_SYMBOL && of->decl) {
		GlobalInfo *gi = cg_global(g, of->decl);
		return cg_fmt("stp_stat_get(&%s)", gi ? gi->cname : "?");
	}
	if (of->kind == E_INDEX && of->left->kind == E_SYMBOL && of->left->decl) {
		GlobalInfo *gi = cg_global(g, of->left->decl);
		unsigned wild;
		const char *keys = emit_keys(g, of->args, (int)of->n, &wild);
		return cg_fmt("stp_map_stat_get(c, &%s, %s)", gi ? gi->cname : "?", keys);
	}
	cg_error(g, of->loc, "expected a statistic");
	return "NULL";
}

static const char *agg_of(const char *name)
{
	static const struct { const char *op, *agg; } aggs[] = {
		{ "@count", "STP_AGG_COUNT" }, { "@sum", "STP_AGG_SUM" },
		{ "@min", "STP_AGG_MIN" }, { "@max", "STP_AGG_MAX" },
		{ "@avg", "STP_AGG_AVG" }, { "@variance", "STP_AGG_VARIANCE" },
	};
	for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
		if (!strcmp(name, aggs[i].op))
			return aggs[i].agg;
	return NULL;
}

Val emit_stat(Codegen *g, Expr *e)
{
	const char *agg = agg_of(e->name);
	if (!agg) {
		cg_error(g, e->loc, "unknown statistic %s", e->name);
		return val("0", TY_LONG, true);
	}
	const char *sd = emit_stat_data(g, e->left, e->loc);
	const char *t = tmp_long(g, cg_fmt("stp_stat_extract(c, %s, %s, %s)", cg_locp(g, e->loc),
					   sd, agg));
	/* @count and @sum of nothing are 0; the others are errors. */
	if (strcmp(agg, "STP_AGG_COUNT") && strcmp(agg, "STP_AGG_SUM"))
		emit_check(g);
	return val(t, TY_LONG, true);
}
