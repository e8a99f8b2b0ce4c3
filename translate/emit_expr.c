/* Expressions.  Each is evaluated into the current routine as C
 * statements, left to right (as SystemTap users expect side effects to
 * happen), and yields a C expression for its value: a long, or a
 * const char * for strings.  Long temporaries are C locals; strings live
 * in the routine's locals struct (a handler's stack is small in the
 * kernel). */
#include "translate/codegen.h"
#include "translate/cg_walk.h"
#include "parse/arena.h"
#include <string.h>

const char *tmp_long(Codegen *g, const char *init)
{
	Routine *r = g->r;
	const char *t = cg_fmt("t%d", r->nlong++);
	cg_line(g, "int64_t %s = %s;", t, init);
	r->declared = true;
	return t;
}

const char *tmp_str(Codegen *g)
{
	Routine *r = g->r;
	const char *t = cg_fmt("l->s%d", r->nstr++);
	if (r->nstr > r->maxstr)
		r->maxstr = r->nstr;
	return t;
}

void emit_check(Codegen *g)
{
	cg_line(g, "if (stp_failed(c))");
	cg_line(g, "\t%s;", g->r->errexit);
}

const char *local_name(Codegen *g, VarDecl *v)
{
	const char *n = pmap_get(&g->r->names, v);
	if (!n) {
		/* pass 2 lists every local; one it did not is still a local. */
		n = cg_fmt("l->v_%s", v->name);
		pmap_put(&g->r->names, v, (void *)n);
	}
	return n;
}

static Val val(const char *c, Type t, bool simple)
{
	return (Val){ c, t, simple };
}

/* A copy that later operands cannot change. */
static Val spill(Codegen *g, Val v)
{
	if (v.simple)
		return v;
	if (v.type == TY_STRING) {
		const char *t = tmp_str(g);
		cg_line(g, "stp_str_copy(%s, %s);", t, v.c);
		return val(t, TY_STRING, true);
	}
	return val(tmp_long(g, v.c), TY_LONG, true);
}

/* Evaluates operands left to right; one whose value a later operand could
 * change is copied first. */
static void emit_operands(Codegen *g, Expr **v, int n, Val *out)
{
	for (int i = 0; i < n; i++) {
		if (!v[i]) {
			out[i] = val("0", TY_LONG, true);
			continue;
		}
		out[i] = emit_expr(g, v[i]);
		bool later = false;
		for (int j = i + 1; j < n && !later; j++)
			later = v[j] && expr_has_effects(v[j]);
		if (later)
			out[i] = spill(g, out[i]);
	}
}

const char *emit_keys(Codegen *g, Expr **args, int n, unsigned *wild)
{
	Val kv[STP_MAX_KEYS_CG];
	StrBuf b = { 0 };
	if (n > STP_MAX_KEYS_CG)
		n = STP_MAX_KEYS_CG;
	emit_operands(g, args, n, kv);
	*wild = 0;
	sb_puts(&b, "(union stp_key[]){ ");
	for (int i = 0; i < n; i++) {
		if (!args[i])
			*wild |= 1u << i;
		if (args[i] && kv[i].type == TY_STRING)
			sb_printf(&b, "{ .s = %s }, ", kv[i].c);
		else
			sb_printf(&b, "{ .i = %s }, ", kv[i].c);
	}
	sb_puts(&b, "}");
	const char *r = arena_strndup(&g_arena, b.s, b.len);
	sb_free(&b);
	return r;
}

static const char *global_name(Codegen *g, VarDecl *v)
{
	GlobalInfo *gi = cg_global(g, v);
	return gi ? gi->cname : cg_fmt("g_%s", v->name);
}

/* The C lvalue of a scalar variable. */
static const char *scalar_name(Codegen *g, VarDecl *v)
{
	return v->scope == VAR_GLOBAL ? global_name(g, v) : local_name(g, v);
}

static Val emit_number(int64_t n)
{
	if (n == INT64_MIN)
		return val("STP_INT64_MIN", TY_LONG, true);
	return val(cg_fmt("%lldLL", (long long)n), TY_LONG, true);
}

static Val emit_index(Codegen *g, Expr *e)
{
	if (e->left->kind == E_HIST) {
		Expr *h = e->left;
		const char *sd = emit_stat_data(g, h->left, e->loc);
		Val i = emit_expr(g, e->args[0]);
		GlobalInfo *gi = cg_global(g, h->left->kind == E_INDEX ? h->left->left->decl
							       : h->left->decl);
		const char *t = tmp_long(g, cg_fmt("stp_stat_bucket(c, %s, &%s_sspec, %s, %s)",
						   cg_locp(g, h->loc), gi ? gi->cname : "?", sd,
						   i.c));
		emit_check(g);
		return val(t, TY_LONG, true);
	}
	VarDecl *v = e->left->decl;
	unsigned wild;
	const char *keys = emit_keys(g, e->args, (int)e->n, &wild);
	const char *m = global_name(g, v);
	if (v->type == TY_STRING) {
		const char *t = tmp_str(g);
		cg_line(g, "stp_map_get_str(&%s, %s, %s);", m, keys, t);
		return val(t, TY_STRING, true);
	}
	return val(tmp_long(g, cg_fmt("stp_map_get_int(&%s, %s)", m, keys)), TY_LONG, true);
}

static bool is_const(const Expr *e, int64_t *n)
{
	if (e->kind == E_NUMBER) {
		*n = e->num;
		return true;
	}
	return false;
}

/* a OP b for longs; division checks its divisor unless it is a nonzero
 * constant. */
static const char *arith(Codegen *g, int op, const char *a, const char *b, Expr *right, Loc loc)
{
	int64_t k = 0;
	bool konst = right && is_const(right, &k) && k != 0;
	switch (op) {
	case OP_PLUS: case OP_ADD_ASSIGN:
		return cg_fmt("stp_add64(%s, %s)", a, b);
	case OP_MINUS: case OP_SUB_ASSIGN:
		return cg_fmt("stp_sub64(%s, %s)", a, b);
	case OP_STAR: case OP_MUL_ASSIGN:
		return cg_fmt("stp_mul64(%s, %s)", a, b);
	case OP_SLASH: case OP_DIV_ASSIGN:
		if (konst)
			return k == -1 ? cg_fmt("stp_neg64(%s)", a) : cg_fmt("(%s / %s)", a, b);
		break;
	case OP_PERCENT: case OP_MOD_ASSIGN:
		if (konst)
			return k == -1 || k == 1 ? "0" : cg_fmt("(%s %% %s)", a, b);
		break;
	case OP_SHL: case OP_SHL_ASSIGN:
		return cg_fmt("stp_shl64(%s, (int)(%s))", a, b);
	case OP_SHR: case OP_SHR_ASSIGN:
		return cg_fmt("(%s >> ((%s) & 63))", a, b);
	case OP_USHR:
		return cg_fmt("(int64_t)((uint64_t)%s >> ((%s) & 63))", a, b);
	case OP_AMP: case OP_AND_ASSIGN:
		return cg_fmt("(%s & %s)", a, b);
	case OP_PIPE: case OP_OR_ASSIGN:
		return cg_fmt("(%s | %s)", a, b);
	case OP_CARET: case OP_XOR_ASSIGN:
		return cg_fmt("(%s ^ %s)", a, b);
	default:
		return "0";
	}
	bool div = op == OP_SLASH || op == OP_DIV_ASSIGN;
	const char *t = tmp_long(g, cg_fmt("stp_%s64(c, %s, %s, %s)", div ? "div" : "mod",
					   cg_locp(g, loc), a, b));
	emit_check(g);
	return t;
}

static const char *cmp_op(int op)
{
	switch (op) {
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_EQ: return "==";
	default: return "!=";
	}
}

/* Emits e into a buffer of its own, one level deeper: the statements it
 * needs (empty when its value is a plain C expression) and the value. */
static Val emit_nested(Codegen *g, Expr *e, StrBuf *stmts)
{
	Routine *r = g->r;
	StrBuf saved = r->body;
	bool declared = r->declared;
	memset(&r->body, 0, sizeof(r->body));
	r->indent++;
	Val v = emit_expr(g, e);
	r->indent--;
	*stmts = r->body;
	r->body = saved;
	r->declared = declared;
	return v;
}

static void put_nested(Codegen *g, StrBuf *stmts)
{
	sb_putn(&g->r->body, stmts->s, stmts->len);
	sb_free(stmts);
}

static Val emit_logical(Codegen *g, Expr *e)
{
	bool and = e->op == OP_ANDAND;
	Val a = emit_expr(g, e->left);
	StrBuf rs;
	Val b = emit_nested(g, e->right, &rs);
	if (!rs.len) {
		sb_free(&rs);
		return val(cg_fmt("(int64_t)(%s %s %s)", a.c, and ? "&&" : "||", b.c), TY_LONG,
			   a.simple && b.simple);
	}
	const char *t = tmp_long(g, and ? "0" : "1");
	cg_line(g, "if (%s%s) {", and ? "" : "!", a.c);
	put_nested(g, &rs);
	cg_line(g, "\t%s = (%s) != 0;", t, b.c);
	cg_line(g, "}");
	return val(t, TY_LONG, true);
}

static Val emit_ternary(Codegen *g, Expr *e)
{
	Val cnd = emit_expr(g, e->cond);
	StrBuf ls, rs;
	Type t = e->type == TY_STRING ? TY_STRING : TY_LONG;
	Val a = emit_nested(g, e->left, &ls);
	Val b = emit_nested(g, e->right, &rs);
	if (!ls.len && !rs.len) {
		sb_free(&ls);
		sb_free(&rs);
		return val(cg_fmt("(%s ? %s : %s)", cnd.c, a.c, b.c), t, false);
	}
	const char *res = t == TY_STRING ? tmp_str(g) : tmp_long(g, "0");
	cg_line(g, "if (%s) {", cnd.c);
	put_nested(g, &ls);
	if (t == TY_STRING)
		cg_line(g, "\tstp_str_copy(%s, %s);", res, a.c);
	else
		cg_line(g, "\t%s = %s;", res, a.c);
	cg_line(g, "} else {");
	put_nested(g, &rs);
	if (t == TY_STRING)
		cg_line(g, "\tstp_str_copy(%s, %s);", res, b.c);
	else
		cg_line(g, "\t%s = %s;", res, b.c);
	cg_line(g, "}");
	return val(res, t, true);
}

static Val emit_concat(Codegen *g, Expr *e)
{
	Val ops[2];
	Expr *v[2] = { e->left, e->right };
	emit_operands(g, v, 2, ops);
	/* a . b . c builds in a's temporary when a was built here. */
	const char *dst = ops[0].simple && !strncmp(ops[0].c, "l->s", 4) ? ops[0].c : tmp_str(g);
	cg_line(g, "stp_str_concat(%s, %s, %s);", dst, ops[0].c, ops[1].c);
	return val(dst, TY_STRING, true);
}

/* ---- assignment ---- */

static int arith_of_assign(int op)
{
	switch (op) {
	case OP_ADD_ASSIGN: return OP_PLUS;
	case OP_SUB_ASSIGN: return OP_MINUS;
	case OP_MUL_ASSIGN: return OP_STAR;
	case OP_DIV_ASSIGN: return OP_SLASH;
	case OP_MOD_ASSIGN: return OP_PERCENT;
	case OP_SHL_ASSIGN: return OP_SHL;
	case OP_SHR_ASSIGN: return OP_SHR;
	case OP_AND_ASSIGN: return OP_AMP;
	case OP_OR_ASSIGN: return OP_PIPE;
	case OP_XOR_ASSIGN: return OP_CARET;
	default: return op;
	}
}

static Val assign_scalar(Codegen *g, Expr *e, VarDecl *v)
{
	const char *x = scalar_name(g, v);
	if (e->op == OP_STAT_ASSIGN) {
		Val r = emit_expr(g, e->right);
		cg_line(g, "stp_stat_add(c, &%s, %s);", x, r.c);
		return r;
	}
	Val r = emit_expr(g, e->right);
	if (v->type == TY_STRING) {
		if (e->op == OP_CAT_ASSIGN)
			cg_line(g, "stp_str_append(%s, %s);", x, r.c);
		else
			cg_line(g, "stp_str_copy(%s, %s);", x, r.c);
		return val(x, TY_STRING, false);
	}
	if (e->op == OP_ASSIGN)
		cg_line(g, "%s = %s;", x, r.c);
	else
		cg_line(g, "%s = %s;", x,
			arith(g, arith_of_assign(e->op), x, r.c, e->right, e->loc));
	return val(x, TY_LONG, false);
}

static Val assign_element(Codegen *g, Expr *e)
{
	Expr *ix = e->left;
	VarDecl *v = ix->left->decl;
	const char *m = global_name(g, v);
	const char *loc = cg_locp(g, ix->left->loc);
	unsigned wild;
	const char *keys = emit_keys(g, ix->args, (int)ix->n, &wild);
	Val r = emit_expr(g, e->right);
	if (e->op == OP_STAT_ASSIGN) {
		cg_line(g, "if (stp_map_stat_add(c, %s, &%s, %s, %s))", loc, m, keys, r.c);
		cg_line(g, "\t%s;", g->r->errexit);
		return r;
	}
	if (v->type == TY_STRING) {
		const char *x = r.c;
		if (e->op == OP_CAT_ASSIGN) {
			x = tmp_str(g);
			cg_line(g, "stp_map_get_str(&%s, %s, %s);", m, keys, x);
			cg_line(g, "stp_str_append(%s, %s);", x, r.c);
		}
		cg_line(g, "if (stp_map_set_str(c, %s, &%s, %s, %s))", loc, m, keys, x);
		cg_line(g, "\t%s;", g->r->errexit);
		return val(x, TY_STRING, false);
	}
	if (e->op == OP_ADD_ASSIGN || e->op == OP_SUB_ASSIGN) {
		const char *t = tmp_long(g, "0");
		cg_line(g, "if (stp_map_add_int(c, %s, &%s, %s, %s, &%s))", loc, m, keys,
			e->op == OP_ADD_ASSIGN ? r.c : cg_fmt("stp_neg64(%s)", r.c), t);
		cg_line(g, "\t%s;", g->r->errexit);
		return val(t, TY_LONG, true);
	}
	const char *x = r.c;
	if (e->op != OP_ASSIGN) {
		const char *old = tmp_long(g, cg_fmt("stp_map_get_int(&%s, %s)", m, keys));
		x = tmp_long(g, arith(g, arith_of_assign(e->op), old, r.c, e->right, e->loc));
	} else if (!r.simple) {
		x = tmp_long(g, r.c);
	}
	cg_line(g, "if (stp_map_set_int(c, %s, &%s, %s, %s))", loc, m, keys, x);
	cg_line(g, "\t%s;", g->r->errexit);
	return val(x, TY_LONG, true);
}

static Val emit_assign(Codegen *g, Expr *e)
{
	Expr *l = e->left;
	if (l->kind == E_SYMBOL && l->decl)
		return assign_scalar(g, e, l->decl);
	if (l->kind == E_INDEX && l->left->kind == E_SYMBOL && l->left->decl)
		return assign_element(g, e);
	cg_error(g, e->loc, "unsupported assignment target");
	return val("0", TY_LONG, true);
}

static Val emit_incdec(Codegen *g, Expr *e)
{
	Expr *l = e->left;
	bool post = e->flags & EXPR_POSTFIX;
	const char *d = e->op == OP_INC ? "1" : "-1";
	if (l->kind == E_SYMBOL && l->decl) {
		const char *x = scalar_name(g, l->decl);
		if (post) {
			const char *t = tmp_long(g, x);
			cg_line(g, "%s = stp_add64(%s, %s);", x, x, d);
			return val(t, TY_LONG, true);
		}
		cg_line(g, "%s = stp_add64(%s, %s);", x, x, d);
		return val(x, TY_LONG, false);
	}
	if (l->kind == E_INDEX && l->left->kind == E_SYMBOL && l->left->decl) {
		unsigned wild;
		const char *keys = emit_keys(g, l->args, (int)l->n, &wild);
		const char *t = tmp_long(g, "0");
		cg_line(g, "if (stp_map_add_int(c, %s, &%s, %s, %s, &%s))",
			cg_locp(g, l->left->loc), global_name(g, l->left->decl), keys, d, t);
		cg_line(g, "\t%s;", g->r->errexit);
		if (post)
			return val(cg_fmt("stp_sub64(%s, %s)", t, d), TY_LONG, true);
		return val(t, TY_LONG, true);
	}
	cg_error(g, e->loc, "unsupported increment target");
	return val("0", TY_LONG, true);
}

static Val emit_in(Codegen *g, Expr *e)
{
	unsigned wild;
	if (e->left->kind == E_HIST) {
		Expr *h = e->left;
		const char *sd = emit_stat_data(g, h->left, e->loc);
		Val i = emit_expr(g, e->args[0]);
		VarDecl *v = h->left->kind == E_INDEX ? h->left->left->decl : h->left->decl;
		GlobalInfo *gi = cg_global(g, v);
		const char *d = tmp_long(g, "0");
		const char *b = tmp_long(g, i.c);
		cg_line(g, "{");
		cg_line(g, "\tconst struct stp_stat_data *sd = %s;", sd);
		cg_line(g, "\t%s = sd && %s >= 0 && %s < stp_stat_nbuckets(&%s_sspec) && "
			"sd->hist[%s] != 0;", d, b, b, gi ? gi->cname : "?", b);
		cg_line(g, "}");
		return val(d, TY_LONG, true);
	}
	const char *keys = emit_keys(g, e->args, (int)e->n, &wild);
	const char *m = global_name(g, e->left->decl);
	if (wild)
		return val(cg_fmt("(int64_t)stp_map_exists_match(&%s, %s, %#x)", m, keys, wild),
			   TY_LONG, false);
	return val(cg_fmt("(int64_t)stp_map_exists(&%s, %s)", m, keys), TY_LONG, false);
}

/* Context variables: the process family's come from its runtime part
 * (runtime/utrace-probes.h); DWARF accesses ($var, @var, @cast) call
 * their loc2c accessors (emit_dwarf.c). */
static Val emit_target(Codegen *g, Expr *e)
{
	const CtxVar *cv = e->sema;
	if (!cv) {
		cg_error(g, e->loc, "unresolved target variable %s", e->name);
		return val("0", TY_LONG, true);
	}
	switch (cv->access) {
	case CTX_SYSCALL_NR:
		return val("stp_up_syscall_nr(c)", TY_LONG, false);
	case CTX_SYSCALL_ARG:
		return val(cg_fmt("stp_up_syscall_arg(c, %d)", cv->index), TY_LONG, false);
	case CTX_SYSCALL_RETURN:
		return val("stp_up_syscall_return(c)", TY_LONG, false);
	case CTX_SYSCALL_PARMS: {
		const char *t = tmp_str(g);
		cg_line(g, "stp_up_syscall_parms(c, %s);", t);
		return val(t, TY_STRING, true);
	}
	case CTX_DWARF:
		return emit_dwarf_access(g, e, (const DwarfAccess *)cv);
	}
	return val("0", TY_LONG, true);
}

static Val emit_embedded_expr(Codegen *g, Expr *e)
{
	if (e->type == TY_STRING) {
		const char *t = tmp_str(g);
		cg_line(g, "stp_str_copy(%s, (%.*s));", t, (int)e->slen, e->str);
		return val(t, TY_STRING, true);
	}
	return val(cg_fmt("((int64_t)(%.*s))", (int)e->slen, e->str), TY_LONG, false);
}

Val emit_expr(Codegen *g, Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_NUMBER:
		return emit_number(e->num);
	case E_STRING:
		return val(cg_quote(e->str, e->slen), TY_STRING, true);
	case E_SYMBOL:
		if (!e->decl)
			break;
		return val(scalar_name(g, e->decl), e->decl->type == TY_STRING ? TY_STRING : TY_LONG,
			   false);
	case E_INDEX:
		return emit_index(g, e);
	case E_CALL:
		return emit_call(g, e);
	case E_PRINT:
		return emit_print(g, e);
	case E_UNARY: {
		Val a = emit_expr(g, e->left);
		switch (e->op) {
		case OP_MINUS: return val(cg_fmt("stp_neg64(%s)", a.c), TY_LONG, a.simple);
		case OP_NOT: return val(cg_fmt("(int64_t)!%s", a.c), TY_LONG, a.simple);
		case OP_TILDE: return val(cg_fmt("(~%s)", a.c), TY_LONG, a.simple);
		default: return a;
		}
	}
	case E_BINARY: {
		Val ops[2];
		Expr *v[2] = { e->left, e->right };
		emit_operands(g, v, 2, ops);
		const char *r = arith(g, e->op, ops[0].c, ops[1].c, e->right, e->loc);
		return val(r, TY_LONG, ops[0].simple && ops[1].simple);
	}
	case E_LOGICAL:
		return emit_logical(g, e);
	case E_COMPARE: {
		Val ops[2];
		Expr *v[2] = { e->left, e->right };
		emit_operands(g, v, 2, ops);
		if (ops[0].type == TY_STRING || ops[1].type == TY_STRING)
			return val(cg_fmt("(int64_t)(stp_str_cmp(%s, %s) %s 0)", ops[0].c, ops[1].c,
					  cmp_op(e->op)), TY_LONG, false);
		return val(cg_fmt("(int64_t)(%s %s %s)", ops[0].c, cmp_op(e->op), ops[1].c), TY_LONG,
			   ops[0].simple && ops[1].simple);
	}
	case E_CONCAT:
		return emit_concat(g, e);
	case E_REGEX:
		return emit_regex(g, e);
	case E_TERNARY:
		return emit_ternary(g, e);
	case E_ASSIGN:
		return emit_assign(g, e);
	case E_INCDEC:
		return emit_incdec(g, e);
	case E_IN:
		return emit_in(g, e);
	case E_STAT:
		return emit_stat(g, e);
	case E_TARGET: case E_ATVAR: case E_CAST: case E_AUTOCAST:
		return emit_target(g, e);
	case E_ENTRY:
		return emit_dwarf_entry(g, e);
	case E_EMBEDDED:
		return emit_embedded_expr(g, e);
	case E_CONST:
		return val(cg_fmt("((int64_t)(%s))", e->str), TY_LONG, false);
	case E_HIST:
		cg_error(g, e->loc, "a histogram can only be printed, indexed or iterated");
		return val("0", TY_LONG, true);
	default:
		break;
	}
	cg_error(g, e->loc, "this construct is not supported by the translator yet");
	return val("0", TY_LONG, true);
}

void emit_expr_void(Codegen *g, Expr *e)
{
	/* Every effect is a statement by now, except embedded C's own; a
	 * temporary made for the value is used, for the compiler's sake. */
	Val v = emit_expr(g, e);
	if (e->kind == E_EMBEDDED && e->type != TY_STRING)
		cg_line(g, "(void)%s;", v.c);
	else if (v.c[0] == 't' && v.c[1] >= '0' && v.c[1] <= '9' &&
		 strspn(v.c + 1, "0123456789") == strlen(v.c + 1))
		cg_line(g, "(void)%s;", v.c);
}
