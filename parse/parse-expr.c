/* Expressions, at SystemTap's precedence.  Loosest first:
 *
 *   assignment (right)   = += -= *= /= %= <<= >>= &= ^= |= .= <<<
 *   ternary (right)      ?:
 *   || && | ^ &          left
 *   in                   k in a (once); [k, ...] in a starts here only
 *   comparison           < <= > >= == != (left); or one =~ !~ "literal"
 *   << >> >>>  .  + -  * / %   left
 *   unary                - + ! ~ (nested); ++ -- of a value
 *   postfix              a value, then one ++ or --
 *   value                literals, names, calls, a[i], $targets, @ops, (e),
 *                        &value; then ->member, [i], $ or $$ make an autocast
 *
 * Nothing as tight as 'in' may follow an 'in', nothing tighter a regex
 * match, and a match may not follow a comparison: SystemTap's grammar
 * ends the expression there, and "x = a in b + c" is two statements. */
#include "parse/parser-impl.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include <stdlib.h>
#include <string.h>

enum Prec {
	PREC_NONE, PREC_OROR, PREC_ANDAND, PREC_BITOR, PREC_BITXOR, PREC_BITAND,
	PREC_IN, PREC_COMPARE, PREC_SHIFT, PREC_CONCAT, PREC_ADD, PREC_MUL, PREC_MAX,
};

static Expr *parse_unary(Parser *p);

static int binary_prec(const Token *t, ExprKind *kind)
{
	if (t->kind == TK_KEYWORD)
		return t->op == KW_IN ? (*kind = E_IN, PREC_IN) : PREC_NONE;
	if (t->kind != TK_OP)
		return PREC_NONE;
	switch (t->op) {
	case OP_OROR: *kind = E_LOGICAL; return PREC_OROR;
	case OP_ANDAND: *kind = E_LOGICAL; return PREC_ANDAND;
	case OP_PIPE: *kind = E_BINARY; return PREC_BITOR;
	case OP_CARET: *kind = E_BINARY; return PREC_BITXOR;
	case OP_AMP: *kind = E_BINARY; return PREC_BITAND;
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
		*kind = E_COMPARE; return PREC_COMPARE;
	case OP_MATCH: case OP_NOMATCH: *kind = E_REGEX; return PREC_COMPARE;
	case OP_SHL: case OP_SHR: case OP_USHR: *kind = E_BINARY; return PREC_SHIFT;
	case OP_DOT: *kind = E_CONCAT; return PREC_CONCAT;
	case OP_PLUS: case OP_MINUS: *kind = E_BINARY; return PREC_ADD;
	case OP_STAR: case OP_SLASH: case OP_PERCENT: *kind = E_BINARY; return PREC_MUL;
	}
	return PREC_NONE;
}

bool is_assign_op(const Token *t)
{
	if (t->kind != TK_OP)
		return false;
	switch (t->op) {
	case OP_ASSIGN: case OP_ADD_ASSIGN: case OP_SUB_ASSIGN: case OP_MUL_ASSIGN:
	case OP_DIV_ASSIGN: case OP_MOD_ASSIGN: case OP_SHL_ASSIGN: case OP_SHR_ASSIGN:
	case OP_AND_ASSIGN: case OP_XOR_ASSIGN: case OP_OR_ASSIGN: case OP_CAT_ASSIGN:
	case OP_STAT_ASSIGN:
		return true;
	}
	return false;
}

/* ---- literals ---- */

/* Adjacent string literals join into one, as in C.  The buffer is the
 * arena's (an error may unwind past here at any token): growing it
 * abandons the old one, which costs less than the joined string. */
Expr *parse_string(Parser *p)
{
	const Token *t = advance(p);
	Expr *e = expr_new(E_STRING, t->loc);
	if (peek(p)->kind != TK_STRING) {
		e->str = t->str;
		e->slen = t->slen;
		return e;
	}
	size_t len = t->slen, cap = len + 64;
	char *buf = arena_alloc(&g_arena, cap);
	memcpy(buf, t->str, len);
	while (peek(p)->kind == TK_STRING) {
		const Token *n = advance(p);
		if (len + n->slen + 1 > cap) {
			cap = (len + n->slen + 1) * 2;
			char *nb = arena_alloc(&g_arena, cap);
			memcpy(nb, buf, len);
			buf = nb;
		}
		memcpy(buf + len, n->str, n->slen);
		len += n->slen;
	}
	buf[len] = '\0';
	e->str = buf;
	e->slen = (uint32_t)len;
	return e;
}

const char *expect_string(Parser *p, const char *what, uint32_t *len)
{
	if (peek(p)->kind != TK_STRING)
		expected(p, what);
	Expr *e = parse_string(p);
	if (len)
		*len = e->slen;
	return e->str;
}

/* A number with an optional sign, for probe point arguments and global
 * initialisers where SystemTap wants a literal. */
bool parse_signed_number(Parser *p, int64_t *out)
{
	bool neg = false;
	if (is_op(p, OP_MINUS) && peek_at(p, 1)->kind == TK_NUMBER) {
		advance(p);
		neg = true;
	}
	if (peek(p)->kind != TK_NUMBER)
		return false;
	uint64_t v = advance(p)->num;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* ---- lists ---- */

static Expr *parse_binary(Parser *p, int min_prec);

/* Index lists: a[i, j], delete a[*, j], foreach slices.  '*' becomes
 * NULL.  The keys of [i, j] in a are comparisons at most (tuple_keys):
 * "[a & b] in c" does not parse in SystemTap. */
static Expr **index_list(Parser *p, bool allow_star, bool tuple_keys, uint32_t *n)
{
	int mark = list_mark(p);
	OpCode close = OP_RBRACKET;
	if (!is_op(p, close)) {
		do {
			if (is_op(p, OP_STAR) && allow_star) {
				advance(p);
				list_push(p, NULL);
			} else if (is_op(p, OP_STAR)) {
				error_at(p, peek(p), "'*' may only index an array in delete, "
					 "'in' and foreach");
			} else if (tuple_keys) {
				enter(p);
				list_push(p, parse_binary(p, PREC_COMPARE));
				leave(p);
			} else {
				list_push(p, parse_expr(p));
			}
		} while (accept_op(p, OP_COMMA));
	}
	expect_op(p, close);
	int count;
	Expr **v = list_finish(p, mark, &count);
	if (count == 0)
		error_at(p, &p->prev, "an array index needs at least one expression");
	if (count > 9)
		error_at(p, &p->prev, "too many array indexes (%d, at most 9)", count);
	*n = (uint32_t)count;
	return v;
}

Expr **parse_index_list(Parser *p, bool allow_star, uint32_t *n)
{
	return index_list(p, allow_star, false, n);
}

static Expr **parse_call_args(Parser *p, uint32_t *n)
{
	int mark = list_mark(p);
	expect_op(p, OP_LPAREN);
	if (!is_op(p, OP_RPAREN)) {
		do
			list_push(p, parse_expr(p));
		while (accept_op(p, OP_COMMA));
	}
	expect_op(p, OP_RPAREN);
	int count;
	Expr **v = list_finish(p, mark, &count);
	*n = (uint32_t)count;
	return v;
}

Expr *parse_plain_symbol(Parser *p, const char *what)
{
	if (!is_plain_name(peek(p)))
		expected(p, what);
	const Token *t = advance(p);
	Expr *e = expr_new(E_SYMBOL, t->loc);
	e->name = t->str;
	return e;
}

/* ---- target values ---- */

/* Splits a trailing $ or $$ (pretty printing) off a name. */
static const char *strip_pretty(const Token *t, uint8_t *flags)
{
	uint32_t len = t->slen;
	int dollars = 0;
	while (len > 1 && t->str[len - 1] == '$' && dollars < 2 &&
	       !(len == 2 && t->str[0] == '$'))
		len--, dollars++;
	/* "$$vars" keeps its leading "$$". */
	if (len >= 1 && t->str[len - 1] == '$') {
		len += (uint32_t)dollars;
		dollars = 0;
	}
	if (dollars == 1)
		*flags |= EXPR_PRETTY;
	else if (dollars == 2)
		*flags |= EXPR_PRETTY_DEEP;
	return intern(t->str, len);
}

/* A '$' or '$$' written right after the previous token: pretty printing
 * of the value before it. */
static int pretty_suffix(Parser *p)
{
	const Token *t = peek(p);
	if (t->kind != TK_IDENT || !adjacent(&p->prev, t))
		return 0;
	if (t->slen == 1 && t->str[0] == '$')
		return EXPR_PRETTY;
	if (t->slen == 2 && t->str[0] == '$' && t->str[1] == '$')
		return EXPR_PRETTY_DEEP;
	return 0;
}

/* ->member, [N], [expr] after a target value, ending at a $ or $$. */
static void parse_components(Parser *p, Expr *e)
{
	int count = 0;
	Component *comps = NULL;
	int cap = 0;
	for (;;) {
		Component c = { 0 };
		if (e->flags & (EXPR_PRETTY | EXPR_PRETTY_DEEP))
			break;
		if (is_op(p, OP_ARROW)) {
			advance(p);
			const Token *t = peek(p);
			/* Members may be named like keywords: $list->next. */
			if ((t->kind != TK_IDENT && t->kind != TK_KEYWORD) || t->str[0] == '@' ||
			    (t->str[0] == '$' && t->slen > 2))
				expected(p, "a member name after '->'");
			t = advance(p);
			c.kind = COMP_MEMBER;
			c.loc = t->loc;
			c.name = strip_pretty(t, &e->flags);
			if (c.name[0] == '$')
				error_at(p, t, "expected a member name before '%s'", t->str);
		} else if (is_op(p, OP_LBRACKET)) {
			const Token *t = advance(p);
			c.loc = t->loc;
			if (peek(p)->kind == TK_NUMBER && tok_is_op(peek_at(p, 1), OP_RBRACKET)) {
				c.kind = COMP_INDEX_LIT;
				c.num = (int64_t)advance(p)->num;
			} else {
				c.kind = COMP_INDEX_EXPR;
				c.expr = parse_expr(p);
			}
			expect_op(p, OP_RBRACKET);
		} else {
			int pretty = pretty_suffix(p);
			if (pretty) {
				e->flags |= (uint8_t)pretty;
				advance(p);
			}
			break;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 4;
			Component *n = ANEWN(&g_arena, Component, cap);
			if (count)
				memcpy(n, comps, sizeof(Component) * (size_t)count);
			comps = n;
		}
		comps[count++] = c;
	}
	e->comps = comps;
	e->n = (uint32_t)count;
}

/* (expr)->member, f()[N], "s"->x, (p)$: any value followed by a member,
 * an index or a pretty-print mark is a typed pointer walked like a target
 * variable.  (After a plain name '[' indexes an array instead; the caller
 * has taken it.) */
Expr *maybe_autocast(Parser *p, Expr *e)
{
	if (!is_op(p, OP_ARROW) && !is_op(p, OP_LBRACKET) && !pretty_suffix(p))
		return e;
	Expr *a = expr_new(E_AUTOCAST, peek(p)->loc);
	a->left = e;
	parse_components(p, a);
	return a;
}

/* ---- @ operators ---- */

static Expr *parse_paren_operand(Parser *p)
{
	expect_op(p, OP_LPAREN);
	Expr *e = parse_expr(p);
	expect_op(p, OP_RPAREN);
	return e;
}

static bool is_hist_name(const Token *t)
{
	return t->kind == TK_IDENT && t->str[0] == '@' &&
	       (!strcmp(t->str, "@hist_linear") || !strcmp(t->str, "@hist_log"));
}

static Expr *parse_hist(Parser *p)
{
	const Token *t = advance(p);
	Expr *e = expr_new(E_HIST, t->loc);
	e->op = t->str[7] == 'i' ? HIST_LINEAR : HIST_LOG;
	expect_op(p, OP_LPAREN);
	e->left = parse_expr(p);
	if (e->op == HIST_LINEAR) {
		Expr **args = ANEWN(&g_arena, Expr *, 3);
		for (int i = 0; i < 3; i++) {
			expect_op(p, OP_COMMA);
			args[i] = parse_expr(p);
		}
		e->args = args;
		e->n = 3;
	}
	expect_op(p, OP_RPAREN);
	return e;
}

static const struct {
	const char *name;
	ExprKind kind;
} unary_at_ops[] = {
	{ "@defined", E_DEFINED }, { "@entry", E_ENTRY }, { "@probewrite", E_PROBEWRITE },
};

static Expr *parse_at_operator(Parser *p)
{
	Token tok = *advance(p);
	const Token *t = &tok;
	const char *n = t->str;
	Expr *e;
	if (!strcmp(n, "@cast")) {
		e = expr_new(E_CAST, t->loc);
		expect_op(p, OP_LPAREN);
		e->left = parse_expr(p);
		expect_op(p, OP_COMMA);
		e->name = expect_string(p, "a type name string", NULL);
		if (accept_op(p, OP_COMMA))
			e->module = expect_string(p, "a module string", NULL);
		expect_op(p, OP_RPAREN);
		parse_components(p, e);
		return e;
	}
	if (!strcmp(n, "@var")) {
		e = expr_new(E_ATVAR, t->loc);
		expect_op(p, OP_LPAREN);
		e->name = expect_string(p, "a variable name string", NULL);
		if (accept_op(p, OP_COMMA))
			e->module = expect_string(p, "a module string", NULL);
		expect_op(p, OP_RPAREN);
		parse_components(p, e);
		return e;
	}
	for (size_t i = 0; i < sizeof(unary_at_ops) / sizeof(unary_at_ops[0]); i++) {
		if (strcmp(n, unary_at_ops[i].name))
			continue;
		e = expr_new(unary_at_ops[i].kind, t->loc);
		e->left = parse_paren_operand(p);
		return e;
	}
	if (!strcmp(n, "@perf") || !strcmp(n, "@const")) {
		/* @const needs guru mode: pass 2 says so (translate/sema). */
		e = expr_new(n[1] == 'p' ? E_PERF : E_CONST, t->loc);
		expect_op(p, OP_LPAREN);
		e->str = expect_string(p, "a literal string", &e->slen);
		expect_op(p, OP_RPAREN);
		return e;
	}
	if (!strcmp(n, "@count") || !strcmp(n, "@sum") || !strcmp(n, "@min") ||
	    !strcmp(n, "@max") || !strcmp(n, "@avg") || !strcmp(n, "@variance")) {
		e = expr_new(E_STAT, t->loc);
		e->name = t->str;
		expect_op(p, OP_LPAREN);
		e->left = parse_expr(p);
		if (n[1] == 'v' && accept_op(p, OP_COMMA))
			e->right = parse_expr(p);
		expect_op(p, OP_RPAREN);
		return e;
	}
	error_at(p, t, "unknown operator or macro '%s'", t->str);
}

/* ---- names, calls and the print family ---- */

static int print_kind(const char *n)
{
	int k = 0;
	if (n[0] == 's') {
		k |= PRINT_STRING;
		n++;
	}
	if (strncmp(n, "print", 5))
		return -1;
	n += 5;
	if (!strcmp(n, ""))
		return k;
	if (!strcmp(n, "ln"))
		return k | PRINT_LN;
	if (!strcmp(n, "f"))
		return k | PRINT_FORMAT;
	if (!strcmp(n, "d"))
		return k | PRINT_DELIM;
	if (!strcmp(n, "dln"))
		return k | PRINT_DELIM | PRINT_LN;
	return -1;
}

/* The print family's literal first arguments and argument counts.  (Where
 * a histogram may stand is pass 2's to say: print(@hist_log(x)) alone.) */
static void parse_print_args(Parser *p, Expr *e, const Token *name)
{
	int k = e->op;
	e->args = parse_call_args(p, &e->n);
	if (k & PRINT_FORMAT) {
		if (e->n == 0 || e->args[0]->kind != E_STRING)
			error_loc(p, e->n ? e->args[0]->loc : name->loc,
				  "%s needs a literal format string as its first argument",
				  e->name);
	} else if (k & PRINT_DELIM) {
		if (e->n == 0 || e->args[0]->kind != E_STRING)
			error_loc(p, e->n ? e->args[0]->loc : name->loc,
				  "%s needs a literal delimiter string as its first argument",
				  e->name);
		if (e->n < 3)
			error_at(p, &p->prev, "%s needs a delimiter and at least two values",
				 e->name);
	} else if (e->n == 0 && !(k & PRINT_LN)) {
		error_at(p, name, "%s needs at least one argument", e->name);
	}
}

static Expr *parse_identifier(Parser *p)
{
	Token tok = *advance(p);
	const Token *t = &tok;
	if (is_op(p, OP_LPAREN)) {
		int k = print_kind(t->str);
		Expr *e = expr_new(k >= 0 ? E_PRINT : E_CALL, t->loc);
		e->name = t->str;
		if (k >= 0) {
			e->op = (uint8_t)k;
			parse_print_args(p, e, t);
		} else {
			e->args = parse_call_args(p, &e->n);
		}
		return maybe_autocast(p, e);
	}
	Expr *sym = expr_new(E_SYMBOL, t->loc);
	sym->name = t->str;
	if (is_op(p, OP_LBRACKET)) {
		const Token *b = advance(p);
		Expr *e = expr_new(E_INDEX, b->loc);
		e->left = sym;
		e->args = parse_index_list(p, false, &e->n);
		return maybe_autocast(p, e);
	}
	return maybe_autocast(p, sym);
}

/* The array of 'in' and foreach: a name or a histogram. */
Expr *parse_array_base(Parser *p)
{
	const Token *t = peek(p);
	if (is_plain_name(t)) {
		t = advance(p);
		Expr *e = expr_new(E_SYMBOL, t->loc);
		e->name = t->str;
		return e;
	}
	if (is_hist_name(t))
		return parse_hist(p);
	expected(p, "an array name");
}

/* [k1, k2] in array: only where an 'in' operand may start. */
static Expr *parse_tuple_in(Parser *p)
{
	const Token *t = advance(p);
	Expr *e = expr_new(E_IN, t->loc);
	e->args = index_list(p, true, true, &e->n);
	if (!is_kw(p, KW_IN))
		expected(p, "'in'");
	advance(p);
	e->left = parse_array_base(p);
	return e;
}

/* ---- values ---- */

static bool is_address_target(const Expr *e)
{
	return e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
	       e->kind == E_AUTOCAST;
}

static Expr *parse_value(Parser *p);

/* &value: a flag on a target; '&' of anything else (a ternary of
 * targets, from @choose_defined) stays an operator for pass 2 to push
 * down into its branches or reject. */
static Expr *parse_address(Parser *p)
{
	Token amp = *advance(p);
	if (is_op(p, OP_AMP))
		error_at(p, peek(p), "'&' applied twice");
	enter(p);
	Expr *e = parse_value(p);
	leave(p);
	bool twice = (is_address_target(e) && (e->flags & EXPR_ADDR_OF)) ||
		     (e->kind == E_UNARY && e->op == OP_AMP);
	if (twice)
		error_at(p, &amp, "'&' applied twice");
	if (is_address_target(e)) {
		e->flags |= EXPR_ADDR_OF;
		return e;
	}
	Expr *u = expr_new(E_UNARY, amp.loc);
	u->op = OP_AMP;
	u->left = e;
	return u;
}

static Expr *parse_value(Parser *p)
{
	const Token *t = peek(p);
	switch ((TokKind)t->kind) {
	case TK_NUMBER: {
		advance(p);
		Expr *e = expr_new(E_NUMBER, p->prev.loc);
		e->num = (int64_t)p->prev.num;
		return maybe_autocast(p, e);
	}
	case TK_STRING:
		return maybe_autocast(p, parse_string(p));
	case TK_EMBEDDED: {
		if (!p->privileged)
			error_at(p, t, "embedded C in an expression needs guru mode (stap -g)");
		advance(p);
		Expr *e = expr_new(E_EMBEDDED, p->prev.loc);
		e->str = p->prev.str;
		e->slen = p->prev.slen;
		return e;
	}
	case TK_IDENT:
		if (t->str[0] == '$') {
			if (t->slen == 1 || (t->slen == 2 && t->str[1] == '$'))
				expected(p, "an expression");
			advance(p);
			Expr *e = expr_new(E_TARGET, p->prev.loc);
			e->name = strip_pretty(&p->prev, &e->flags);
			parse_components(p, e);
			return e;
		}
		if (t->str[0] == '@') {
			if (!is_hist_name(t))
				return maybe_autocast(p, parse_at_operator(p));
			Expr *e = parse_hist(p);
			if (is_op(p, OP_LBRACKET)) {
				Expr *ix = expr_new(E_INDEX, advance(p)->loc);
				ix->left = e;
				ix->args = parse_index_list(p, false, &ix->n);
				return maybe_autocast(p, ix);
			}
			return e;
		}
		return parse_identifier(p);
	case TK_OP:
		if (t->op == OP_LPAREN) {
			/* parse_expr counts the level: one per parenthesis. */
			advance(p);
			Expr *e = parse_expr(p);
			expect_op(p, OP_RPAREN);
			return maybe_autocast(p, e);
		}
		if (t->op == OP_AMP)
			return parse_address(p);
		break;
	default:
		break;
	}
	expected(p, "an expression");
}

/* ---- operators ---- */

static Expr *parse_postfix(Parser *p)
{
	Expr *e = parse_value(p);
	if (is_op(p, OP_INC) || is_op(p, OP_DEC)) {
		const Token *t = advance(p);
		Expr *x = expr_new(E_INCDEC, t->loc);
		x->op = t->op;
		x->flags = EXPR_POSTFIX;
		x->left = e;
		e = x;
	}
	return e;
}

static Expr *parse_unary(Parser *p)
{
	const Token *t = peek(p);
	if (t->kind != TK_OP)
		return parse_postfix(p);
	switch (t->op) {
	case OP_MINUS: case OP_PLUS: case OP_NOT: case OP_TILDE: {
		enter(p);
		advance(p);
		Expr *e = expr_new(E_UNARY, p->prev.loc);
		e->op = p->prev.op;
		e->left = parse_unary(p);
		leave(p);
		return e;
	}
	case OP_INC: case OP_DEC: {
		/* ++ and -- take a value: "++a++" and "-- -a" do not parse. */
		advance(p);
		Expr *e = expr_new(E_INCDEC, p->prev.loc);
		e->op = p->prev.op;
		e->left = parse_value(p);
		return e;
	}
	}
	return parse_postfix(p);
}

/* Precedence climbing.  'cap' is the tightest operator that may still
 * extend the expression built so far: after "a + b" only operators at
 * most as tight as '+' may (a tighter one would have bound to b), and
 * after an 'in' or a match only looser ones than 'in' (see the top). */
static Expr *parse_binary(Parser *p, int min_prec)
{
	Expr *left;
	int cap = PREC_MAX, chained = 0;
	bool after_compare = false;
	if (min_prec <= PREC_IN && is_op(p, OP_LBRACKET)) {
		left = parse_tuple_in(p);
		cap = PREC_IN - 1;
	} else {
		left = parse_unary(p);
	}
	for (;;) {
		ExprKind kind;
		const Token *t = peek(p);
		int prec = binary_prec(t, &kind);
		if (prec == PREC_NONE || prec < min_prec)
			break;
		if (prec > cap) {
			/* A sign may start the next statement: "x = k in a\n-1". */
			if (tok_is_op(t, OP_PLUS) || tok_is_op(t, OP_MINUS))
				break;
			error_at(p, t, "'%s' cannot follow %s without parentheses", t->str,
				 left->kind == E_REGEX ? "a regular expression match" : "an 'in' test");
		}
		if (kind == E_REGEX && after_compare)
			error_at(p, t, "'%s' cannot follow a comparison without parentheses", t->str);
		/* "1 + 1 + ..." builds a tree as deep as it is long, and
		 * every pass walks trees recursively: a chain counts
		 * against the nesting limit like parentheses do. */
		enter_chain(p);
		chained++;
		Token op = *advance(p);
		Expr *e = expr_new(kind, op.loc);
		e->op = op.kind == TK_OP ? op.op : OP_NONE;
		e->left = left;
		if (kind == E_IN) {
			/* k in a: a single key; the tuple form starts with '['. */
			Expr **args = ANEWN(&g_arena, Expr *, 1);
			args[0] = left;
			e->args = args;
			e->n = 1;
			e->left = parse_array_base(p);
			cap = PREC_IN - 1;
		} else if (kind == E_REGEX) {
			if (peek(p)->kind != TK_STRING)
				expected(p, "a literal string regular expression");
			e->right = parse_string(p);
			cap = PREC_IN;
		} else {
			/* Recursion here is bounded by the number of levels. */
			e->right = parse_binary(p, prec + 1);
			cap = prec;
			after_compare = kind == E_COMPARE;
		}
		left = e;
	}
	p->depth -= chained;
	return left;
}

static Expr *parse_ternary(Parser *p)
{
	Expr *c = parse_binary(p, PREC_OROR);
	if (!is_op(p, OP_QUESTION))
		return c;
	enter(p);
	const Token *q = advance(p);
	Expr *e = expr_new(E_TERNARY, q->loc);
	e->cond = c;
	e->left = parse_expr(p);
	expect_op(p, OP_COLON);
	e->right = parse_ternary(p);
	leave(p);
	return e;
}

Expr *parse_expr(Parser *p)
{
	enter(p);
	Expr *left = parse_ternary(p);
	if (is_assign_op(peek(p))) {
		const Token *t = advance(p);
		Expr *e = expr_new(E_ASSIGN, t->loc);
		e->op = t->op;
		e->left = left;
		e->right = parse_expr(p);
		left = e;
	}
	leave(p);
	return left;
}
