#include "parse/parser.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOOKAHEAD = 4 };

typedef struct Parser {
	Preproc pp;
	Token la[LOOKAHEAD];	/* la[0] is the current token */
	int nla;
	Token prev;		/* the token last consumed */
	StapFile *file;
	bool privileged;
	bool in_function;
	int depth;
	jmp_buf recover;
	/* Lists being built nest strictly, so they share one stack that an
	 * error can simply reset: nothing leaks when parsing bails out. */
	void **stack;
	int sp, stack_cap;
	PtrVec probes, aliases, funcs, globals, embeds;
} Parser;

static const char PE[] = "parse";

/* ---- tokens ---- */

static const Token *peek_at(Parser *p, int k)
{
	while (p->nla <= k)
		pp_next(&p->pp, &p->la[p->nla++]);
	return &p->la[k];
}

static const Token *peek(Parser *p)
{
	return peek_at(p, 0);
}

static const Token *advance(Parser *p)
{
	peek(p);
	p->prev = p->la[0];
	memmove(&p->la[0], &p->la[1], sizeof(Token) * (size_t)(p->nla - 1));
	p->nla--;
	return &p->prev;
}

static bool is_op(Parser *p, OpCode op)
{
	return tok_is_op(peek(p), op);
}

static bool is_kw(Parser *p, KwCode kw)
{
	return tok_is_kw(peek(p), kw);
}

static bool accept_op(Parser *p, OpCode op)
{
	if (!is_op(p, op))
		return false;
	advance(p);
	return true;
}

__attribute__((format(printf, 3, 4), noreturn))
static void error_at(Parser *p, const Token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(PE, t->loc, t, fmt, ap);
	va_end(ap);
	longjmp(p->recover, 1);
}

/* "expected WHAT, found TOKEN" at the current token. */
__attribute__((noreturn))
static void expected(Parser *p, const char *what)
{
	char buf[160];
	const Token *t = peek(p);
	error_at(p, t, "expected %s, found %s", what, tok_describe(t, buf, sizeof(buf)));
}

static const Token *expect_op(Parser *p, OpCode op)
{
	if (!is_op(p, op)) {
		char what[16];
		snprintf(what, sizeof(what), "'%s'", op_text[op]);
		expected(p, what);
	}
	return advance(p);
}

static void enter(Parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH)
		error_at(p, peek(p), "nesting too deep (more than %d levels)", PARSE_MAX_DEPTH);
}

static void leave(Parser *p)
{
	p->depth--;
}

/* Tokens are adjacent when no space separates them: "sys*" is one name. */
static bool adjacent(const Token *a, const Token *b)
{
	return a->loc.file == b->loc.file && a->loc.off + a->len == b->loc.off &&
	       !(a->loc.file & LOC_EXPANDED);
}

/* ---- list stack ---- */

static int list_mark(Parser *p)
{
	return p->sp;
}

static void list_push(Parser *p, void *x)
{
	if (p->sp == p->stack_cap) {
		p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 256;
		p->stack = realloc(p->stack, sizeof(void *) * (size_t)p->stack_cap);
		if (!p->stack)
			fatal("out of memory");
	}
	p->stack[p->sp++] = x;
}

static void *list_finish(Parser *p, int mark, int *n)
{
	*n = p->sp - mark;
	void **out = NULL;
	if (*n) {
		out = ANEWN(&g_arena, void *, *n);
		memcpy(out, p->stack + mark, sizeof(void *) * (size_t)*n);
	}
	p->sp = mark;
	return out;
}

/* ---- literals ---- */

/* Adjacent string literals join into one, as in C. */
static Expr *parse_string(Parser *p)
{
	const Token *t = advance(p);
	Expr *e = expr_new(E_STRING, t->loc);
	if (!tok_is_op(peek(p), OP_NONE) && peek(p)->kind != TK_STRING) {
		e->str = t->str;
		e->slen = t->slen;
		return e;
	}
	size_t len = t->slen, cap = len + 64;
	char *buf = malloc(cap);
	if (!buf)
		fatal("out of memory");
	memcpy(buf, t->str, len);
	while (peek(p)->kind == TK_STRING) {
		const Token *n = advance(p);
		if (len + n->slen + 1 > cap) {
			cap = (len + n->slen + 1) * 2;
			char *nb = realloc(buf, cap);
			if (!nb)
				fatal("out of memory");
			buf = nb;
		}
		memcpy(buf + len, n->str, n->slen);
		len += n->slen;
	}
	e->str = arena_strndup(&g_arena, buf, len);
	e->slen = (uint32_t)len;
	free(buf);
	return e;
}

static const char *expect_string(Parser *p, const char *what, uint32_t *len)
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
static bool parse_signed_number(Parser *p, int64_t *out)
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

/* ---- expressions ---- */

static Expr *parse_expr(Parser *p);
static Expr *parse_unary(Parser *p);
static Stmt *parse_stmt(Parser *p);
static Stmt *parse_block(Parser *p);

enum Prec {
	PREC_NONE, PREC_OROR, PREC_ANDAND, PREC_BITOR, PREC_BITXOR, PREC_BITAND,
	PREC_IN, PREC_COMPARE, PREC_SHIFT, PREC_CONCAT, PREC_ADD, PREC_MUL,
};

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

static bool is_assign_op(const Token *t)
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

/* Index lists: a[i, j], [i, j] in a, delete a[*, j].  '*' becomes NULL. */
static Expr **parse_index_list(Parser *p, bool allow_star, OpCode close, uint32_t *n)
{
	int mark = list_mark(p);
	if (!is_op(p, close)) {
		do {
			if (is_op(p, OP_STAR) && allow_star) {
				advance(p);
				list_push(p, NULL);
			} else if (is_op(p, OP_STAR)) {
				error_at(p, peek(p), "'*' may only index an array in delete, "
					 "'in' and foreach");
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

/* ->member, [N], [expr] after a target value. */
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
			if (c.name[0] == '$' && c.name[1] != '\0')
				error_at(p, t, "expected a member name after '->', found '%s'", t->str);
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
		} else if (peek(p)->kind == TK_IDENT && adjacent(&p->prev, peek(p)) &&
			   (!strcmp(peek(p)->str, "$") || !strcmp(peek(p)->str, "$$"))) {
			e->flags |= peek(p)->slen == 1 ? EXPR_PRETTY : EXPR_PRETTY_DEEP;
			advance(p);
			break;
		} else {
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

static Expr *parse_paren_operand(Parser *p)
{
	expect_op(p, OP_LPAREN);
	Expr *e = parse_expr(p);
	expect_op(p, OP_RPAREN);
	return e;
}

/* (expr)->member, f()->member, (expr)[N]: a typed pointer walked like a
 * target variable.  After a plain name, '[' indexes an array instead. */
static Expr *maybe_autocast(Parser *p, Expr *e, bool index_ok)
{
	if (!is_op(p, OP_ARROW) && !(index_ok && is_op(p, OP_LBRACKET)))
		return e;
	Expr *a = expr_new(E_AUTOCAST, peek(p)->loc);
	a->left = e;
	parse_components(p, a);
	return a;
}

typedef struct AtOp {
	const char *name;
	ExprKind kind;
} AtOp;

static Expr *parse_at_operator(Parser *p)
{
	Token tok = *advance(p);
	const Token *t = &tok;
	const char *n = t->str + 1;
	Loc loc = t->loc;
	Expr *e;
	if (!strcmp(n, "cast")) {
		e = expr_new(E_CAST, loc);
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
	if (!strcmp(n, "var")) {
		e = expr_new(E_ATVAR, loc);
		expect_op(p, OP_LPAREN);
		e->name = expect_string(p, "a variable name string", NULL);
		if (accept_op(p, OP_COMMA))
			e->module = expect_string(p, "a module string", NULL);
		expect_op(p, OP_RPAREN);
		parse_components(p, e);
		return e;
	}
	static const AtOp unary_ops[] = {
		{ "defined", E_DEFINED }, { "entry", E_ENTRY }, { "probewrite", E_PROBEWRITE },
	};
	for (size_t i = 0; i < sizeof(unary_ops) / sizeof(unary_ops[0]); i++) {
		if (strcmp(n, unary_ops[i].name))
			continue;
		e = expr_new(unary_ops[i].kind, loc);
		e->left = parse_paren_operand(p);
		return e;
	}
	if (!strcmp(n, "perf") || !strcmp(n, "const")) {
		e = expr_new(n[0] == 'p' ? E_PERF : E_CONST, loc);
		expect_op(p, OP_LPAREN);
		e->str = expect_string(p, "a literal string", &e->slen);
		expect_op(p, OP_RPAREN);
		return e;
	}
	if (!strcmp(n, "count") || !strcmp(n, "sum") || !strcmp(n, "min") ||
	    !strcmp(n, "max") || !strcmp(n, "avg") || !strcmp(n, "variance")) {
		e = expr_new(E_STAT, loc);
		e->name = t->str;
		expect_op(p, OP_LPAREN);
		e->left = parse_expr(p);
		if (n[0] == 'v' && accept_op(p, OP_COMMA))
			e->right = parse_expr(p);
		expect_op(p, OP_RPAREN);
		return e;
	}
	if (!strcmp(n, "hist_linear") || !strcmp(n, "hist_log")) {
		e = expr_new(E_HIST, loc);
		e->op = n[5] == 'l' && n[6] == 'i' ? HIST_LINEAR : HIST_LOG;
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
	error_at(p, t, "unknown operator or macro '%s'", t->str);
}

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

static Expr *parse_identifier(Parser *p)
{
	Token tok = *advance(p);
	const Token *t = &tok;
	const char *name = t->str;
	Loc loc = t->loc;
	if (is_op(p, OP_LPAREN)) {
		int k = print_kind(name);
		Expr *e = expr_new(k >= 0 ? E_PRINT : E_CALL, loc);
		e->name = name;
		e->args = parse_call_args(p, &e->n);
		if (k >= 0) {
			e->op = (uint8_t)k;
			if (k & (PRINT_FORMAT | PRINT_DELIM)) {
				const char *what = k & PRINT_FORMAT ? "a format string" : "a delimiter string";
				if (e->n == 0 || e->args[0]->kind != E_STRING)
					error_at(p, e->n ? &(Token){ .loc = e->args[0]->loc } : t,
						 "%s needs %s as its first argument", name, what);
			} else if (e->n == 0 && !(k & PRINT_LN)) {
				error_at(p, t, "%s needs at least one argument", name);
			}
		}
		return maybe_autocast(p, e, true);
	}
	Expr *sym = expr_new(E_SYMBOL, loc);
	sym->name = name;
	if (is_op(p, OP_LBRACKET)) {
		const Token *b = advance(p);
		Expr *e = expr_new(E_INDEX, b->loc);
		e->left = sym;
		e->args = parse_index_list(p, false, OP_RBRACKET, &e->n);
		return maybe_autocast(p, e, false);
	}
	return maybe_autocast(p, sym, false);
}

/* [k1, k2] in array, where array is a name or a histogram. */
static Expr *parse_array_base(Parser *p)
{
	const Token *t = peek(p);
	if (t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@') {
		t = advance(p);
		Expr *e = expr_new(E_SYMBOL, t->loc);
		e->name = t->str;
		return e;
	}
	if (t->kind == TK_IDENT && (!strcmp(t->str, "@hist_linear") || !strcmp(t->str, "@hist_log")))
		return parse_at_operator(p);
	expected(p, "an array name");
}

static Expr *parse_tuple_in(Parser *p)
{
	const Token *t = advance(p);
	Expr *e = expr_new(E_IN, t->loc);
	e->args = parse_index_list(p, true, OP_RBRACKET, &e->n);
	if (!is_kw(p, KW_IN))
		expected(p, "'in'");
	advance(p);
	e->left = parse_array_base(p);
	return e;
}

static Expr *parse_value(Parser *p)
{
	const Token *t = peek(p);
	switch ((TokKind)t->kind) {
	case TK_NUMBER: {
		advance(p);
		Expr *e = expr_new(E_NUMBER, p->prev.loc);
		e->num = (int64_t)p->prev.num;
		return e;
	}
	case TK_STRING:
		return parse_string(p);
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
			if (t->slen == 1 || !strcmp(t->str, "$$"))
				expected(p, "an expression");
			advance(p);
			Expr *e = expr_new(E_TARGET, p->prev.loc);
			e->name = strip_pretty(&p->prev, &e->flags);
			parse_components(p, e);
			return e;
		}
		if (t->str[0] == '@') {
			Expr *e = parse_at_operator(p);
			if (e->kind == E_HIST && is_op(p, OP_LBRACKET)) {
				Expr *ix = expr_new(E_INDEX, peek(p)->loc);
				advance(p);
				ix->left = e;
				ix->args = parse_index_list(p, false, OP_RBRACKET, &ix->n);
				return ix;
			}
			return e;
		}
		return parse_identifier(p);
	case TK_OP:
		if (t->op == OP_LPAREN) {
			enter(p);
			advance(p);
			Expr *e = parse_expr(p);
			expect_op(p, OP_RPAREN);
			leave(p);
			return maybe_autocast(p, e, true);
		}
		if (t->op == OP_LBRACKET)
			return parse_tuple_in(p);
		break;
	default:
		break;
	}
	expected(p, "an expression");
}

static Expr *parse_postfix(Parser *p)
{
	Expr *e = parse_value(p);
	while (is_op(p, OP_INC) || is_op(p, OP_DEC)) {
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
	if (t->kind == TK_OP) {
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
			enter(p);
			advance(p);
			Expr *e = expr_new(E_INCDEC, p->prev.loc);
			e->op = p->prev.op;
			e->left = parse_unary(p);
			leave(p);
			return e;
		}
		case OP_AMP: {
			/* &$x marks the target itself; '&' of anything else (a
			 * ternary of targets, from @choose_defined) stays an
			 * operator for pass 2 to push down or reject. */
			enter(p);
			Token amp = *advance(p);
			Expr *e = parse_unary(p);
			leave(p);
			bool target = e->kind == E_TARGET || e->kind == E_CAST ||
				      e->kind == E_ATVAR || e->kind == E_AUTOCAST;
			if (target && (e->flags & EXPR_ADDR_OF))
				error_at(p, &amp, "'&' applied twice");
			if (target) {
				e->flags |= EXPR_ADDR_OF;
				return e;
			}
			Expr *u = expr_new(E_UNARY, amp.loc);
			u->op = OP_AMP;
			u->left = e;
			return u;
		}
		}
	}
	return parse_postfix(p);
}

static Expr *parse_binary(Parser *p, int min_prec)
{
	Expr *left = parse_unary(p);
	for (;;) {
		ExprKind kind;
		const Token *t = peek(p);
		int prec = binary_prec(t, &kind);
		if (prec == PREC_NONE || prec < min_prec)
			return left;
		Token op = *advance(p);
		Expr *e = expr_new(kind, op.loc);
		e->op = op.kind == TK_OP ? op.op : OP_NONE;
		if (kind == E_IN) {
			/* k in a: a single key; the tuple form starts with '['. */
			Expr **args = ANEWN(&g_arena, Expr *, 1);
			args[0] = left;
			e->args = args;
			e->n = 1;
			e->left = parse_array_base(p);
		} else if (kind == E_REGEX) {
			if (peek(p)->kind != TK_STRING)
				expected(p, "a literal string regular expression");
			e->left = left;
			e->right = parse_string(p);
		} else {
			enter(p);
			e->left = left;
			e->right = parse_binary(p, prec + 1);
			leave(p);
		}
		left = e;
	}
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

static Expr *parse_expr(Parser *p)
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

/* ---- statements ---- */

static void end_simple_stmt(Parser *p)
{
	accept_op(p, OP_SEMI);
}

static Expr *parse_plain_symbol(Parser *p, const char *what)
{
	const Token *t = peek(p);
	if (t->kind != TK_IDENT || t->str[0] == '$' || t->str[0] == '@')
		expected(p, what);
	t = advance(p);
	Expr *e = expr_new(E_SYMBOL, t->loc);
	e->name = t->str;
	return e;
}

/* An optional '+' or '-' sort mark after a foreach variable. */
static int parse_sort_mark(Parser *p)
{
	if (accept_op(p, OP_PLUS))
		return 1;
	if (accept_op(p, OP_MINUS))
		return -1;
	return 0;
}

static void set_sort(Parser *p, Foreach *f, int column, int dir, const Token *at)
{
	if (!dir)
		return;
	if (f->sort_dir)
		error_at(p, at, "a foreach may sort on only one column");
	f->sort_column = column;
	f->sort_dir = dir;
}

static Stmt *parse_foreach(Parser *p)
{
	Stmt *s = stmt_new(S_FOREACH, advance(p)->loc);
	Foreach *f = ANEW(&g_arena, Foreach);
	s->foreach = f;
	expect_op(p, OP_LPAREN);
	/* value = ... : a name, an optional sort mark, then '='. */
	const Token *t0 = peek(p);
	if (t0->kind == TK_IDENT && t0->str[0] != '$' && t0->str[0] != '@') {
		const Token *t1 = peek_at(p, 1);
		bool sorted = tok_is_op(t1, OP_PLUS) || tok_is_op(t1, OP_MINUS);
		if (tok_is_op(sorted ? peek_at(p, 2) : t1, OP_ASSIGN)) {
			f->value = parse_plain_symbol(p, "a variable name");
			set_sort(p, f, 0, parse_sort_mark(p), &p->prev);
			expect_op(p, OP_ASSIGN);
		}
	}
	int mark = list_mark(p);
	if (accept_op(p, OP_LBRACKET)) {
		do {
			list_push(p, parse_plain_symbol(p, "a key variable name"));
			set_sort(p, f, p->sp - mark, parse_sort_mark(p), &p->prev);
		} while (accept_op(p, OP_COMMA));
		expect_op(p, OP_RBRACKET);
	} else {
		list_push(p, parse_plain_symbol(p, "a key variable name or '['"));
		set_sort(p, f, 1, parse_sort_mark(p), &p->prev);
	}
	f->keys = list_finish(p, mark, &f->nkeys);
	if (f->nkeys > 9)
		error_at(p, &p->prev, "too many foreach keys (%d, at most 9)", f->nkeys);
	if (!is_kw(p, KW_IN))
		expected(p, "'in'");
	advance(p);
	f->base = parse_array_base(p);
	if (is_op(p, OP_LBRACKET)) {
		advance(p);
		uint32_t n;
		f->slice = parse_index_list(p, true, OP_RBRACKET, &n);
		if ((int)n != f->nkeys)
			error_at(p, &p->prev, "a foreach slice needs one index per key "
				 "(%d keys, %u indexes)", f->nkeys, n);
	}
	const Token *t = peek(p);
	if (t->kind == TK_IDENT && t->str[0] == '@' &&
	    (!strcmp(t->str, "@count") || !strcmp(t->str, "@sum") || !strcmp(t->str, "@min") ||
	     !strcmp(t->str, "@max") || !strcmp(t->str, "@avg"))) {
		advance(p);
		f->sort_agg = p->prev.str;
		int dir = parse_sort_mark(p);
		if (!dir)
			expected(p, "'+' or '-' after the sort aggregate");
		set_sort(p, f, 0, dir, &p->prev);
	} else {
		set_sort(p, f, 0, parse_sort_mark(p), &p->prev);
	}
	if (is_kw(p, KW_LIMIT)) {
		advance(p);
		f->limit = parse_expr(p);
	}
	expect_op(p, OP_RPAREN);
	s->then = parse_stmt(p);
	return s;
}

static Stmt *parse_if(Parser *p)
{
	Stmt *s = stmt_new(S_IF, advance(p)->loc);
	expect_op(p, OP_LPAREN);
	s->cond = parse_expr(p);
	expect_op(p, OP_RPAREN);
	s->then = parse_stmt(p);
	if (is_kw(p, KW_ELSE)) {
		advance(p);
		s->els = parse_stmt(p);
	}
	return s;
}

static Stmt *parse_for(Parser *p)
{
	Stmt *s = stmt_new(S_FOR, advance(p)->loc);
	expect_op(p, OP_LPAREN);
	if (!is_op(p, OP_SEMI))
		s->expr = parse_expr(p);
	expect_op(p, OP_SEMI);
	if (!is_op(p, OP_SEMI))
		s->cond = parse_expr(p);
	expect_op(p, OP_SEMI);
	if (!is_op(p, OP_RPAREN))
		s->incr = parse_expr(p);
	expect_op(p, OP_RPAREN);
	s->then = parse_stmt(p);
	return s;
}

static Stmt *parse_while(Parser *p)
{
	Stmt *s = stmt_new(S_FOR, advance(p)->loc);
	s->is_while = true;
	expect_op(p, OP_LPAREN);
	s->cond = parse_expr(p);
	expect_op(p, OP_RPAREN);
	s->then = parse_stmt(p);
	return s;
}

static Stmt *parse_try(Parser *p)
{
	Stmt *s = stmt_new(S_TRY, advance(p)->loc);
	if (!is_op(p, OP_LBRACE))
		expected(p, "'{' after 'try'");
	s->then = parse_block(p);
	if (!is_kw(p, KW_CATCH))
		expected(p, "'catch'");
	advance(p);
	if (accept_op(p, OP_LPAREN)) {
		s->expr = parse_plain_symbol(p, "a variable name");
		expect_op(p, OP_RPAREN);
	}
	if (!is_op(p, OP_LBRACE))
		expected(p, "'{' after 'catch'");
	s->els = parse_block(p);
	return s;
}

static Stmt *parse_delete(Parser *p)
{
	Stmt *s = stmt_new(S_DELETE, advance(p)->loc);
	const Token *t = peek(p);
	if (t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@' &&
	    tok_is_op(peek_at(p, 1), OP_LBRACKET)) {
		Expr *sym = parse_plain_symbol(p, "an array name");
		Expr *e = expr_new(E_INDEX, advance(p)->loc);
		e->left = sym;
		e->args = parse_index_list(p, true, OP_RBRACKET, &e->n);
		s->expr = e;
	} else {
		s->expr = parse_expr(p);
	}
	end_simple_stmt(p);
	return s;
}

static Stmt *parse_block(Parser *p)
{
	enter(p);
	Stmt *s = stmt_new(S_BLOCK, expect_op(p, OP_LBRACE)->loc);
	int mark = list_mark(p);
	while (!is_op(p, OP_RBRACE)) {
		if (peek(p)->kind == TK_EOF)
			expected(p, "'}'");
		list_push(p, parse_stmt(p));
	}
	advance(p);
	int n;
	s->stmts = list_finish(p, mark, &n);
	s->n = (uint32_t)n;
	leave(p);
	return s;
}

static Stmt *parse_stmt(Parser *p)
{
	const Token *t = peek(p);
	Stmt *s;
	enter(p);
	if (t->kind == TK_KEYWORD) {
		switch (t->op) {
		case KW_IF: s = parse_if(p); goto done;
		case KW_FOR: s = parse_for(p); goto done;
		case KW_WHILE: s = parse_while(p); goto done;
		case KW_FOREACH: s = parse_foreach(p); goto done;
		case KW_TRY: s = parse_try(p); goto done;
		case KW_DELETE: s = parse_delete(p); goto done;
		case KW_RETURN:
			if (!p->in_function)
				error_at(p, t, "'return' outside a function");
			s = stmt_new(S_RETURN, advance(p)->loc);
			if (!is_op(p, OP_SEMI) && !is_op(p, OP_RBRACE))
				s->expr = parse_expr(p);
			end_simple_stmt(p);
			goto done;
		case KW_NEXT: case KW_BREAK: case KW_CONTINUE:
			s = stmt_new(t->op == KW_NEXT ? S_NEXT : t->op == KW_BREAK ? S_BREAK : S_CONTINUE,
				     advance(p)->loc);
			end_simple_stmt(p);
			goto done;
		default: {
			char buf[64];
			error_at(p, t, "expected a statement, found %s", tok_describe(t, buf, sizeof(buf)));
		}
		}
	}
	if (tok_is_op(t, OP_LBRACE)) {
		s = parse_block(p);
	} else if (tok_is_op(t, OP_SEMI)) {
		s = stmt_new(S_NULL, advance(p)->loc);
	} else if (t->kind == TK_EMBEDDED && !tok_is_op(peek_at(p, 1), OP_NONE) &&
		   !is_assign_op(peek_at(p, 1))) {
		/* %{ %} standing alone is an embedded-C statement. */
		if (!p->privileged)
			error_at(p, t, "embedded C needs guru mode (stap -g)");
		advance(p);
		s = stmt_new(S_EMBEDDED, p->prev.loc);
		s->str = p->prev.str;
		s->slen = p->prev.slen;
		end_simple_stmt(p);
	} else {
		s = stmt_new(S_EXPR, t->loc);
		s->expr = parse_expr(p);
		end_simple_stmt(p);
	}
done:
	leave(p);
	return s;
}

/* ---- probe points ----
 *
 * A probe point is read in two steps: its tokens are collected, then each
 * {a,b} alternative is spliced in and the resulting sequence parsed, so
 * "syscall.{open,close}" yields two points. */

enum { PP_MAX_TOKENS = 256, PP_MAX_COMPS = 64 };

static bool name_part_token(const Token *t)
{
	return (t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@') ||
	       t->kind == TK_KEYWORD || t->kind == TK_NUMBER ||
	       tok_is_op(t, OP_STAR) || tok_is_op(t, OP_STARSTAR);
}

static const char *token_spelling(const Token *t, size_t *len)
{
	if (t->kind == TK_NUMBER) {
		*len = t->len;
		return loc_file(t->loc)->text + loc_written(t->loc, NULL).off;
	}
	*len = strlen(t->str);
	return t->str;
}

__attribute__((noreturn))
static void pp_expected(Parser *p, const Token *toks, int n, int i, const char *what)
{
	char buf[128];
	const Token *t = &toks[i < n ? i : n - 1];
	if (i >= n)
		error_at(p, t, "expected %s after %s", what, tok_describe(t, buf, sizeof(buf)));
	error_at(p, t, "expected %s, found %s", what, tok_describe(t, buf, sizeof(buf)));
}

/* Parses one brace-free token sequence into a ProbePoint on the list stack. */
static void pp_from_tokens(Parser *p, const Token *toks, int n, Loc loc)
{
	PPComponent comps[PP_MAX_COMPS];
	int ncomps = 0, i = 0;
	for (;;) {
		if (ncomps == PP_MAX_COMPS)
			error_at(p, &toks[i < n ? i : n - 1], "probe point has too many components");
		PPComponent *c = &comps[ncomps++];
		memset(c, 0, sizeof(*c));
		if (i >= n || !name_part_token(&toks[i]))
			pp_expected(p, toks, n, i, "a probe point component");
		c->loc = toks[i].loc;
		char name[512];
		size_t len = 0;
		do {
			size_t k;
			const char *text = token_spelling(&toks[i], &k);
			if (len + k >= sizeof(name))
				error_at(p, &toks[i], "probe point component too long");
			memcpy(name + len, text, k);
			len += k;
			i++;
		} while (i < n && name_part_token(&toks[i]) && adjacent(&toks[i - 1], &toks[i]));
		c->functor = intern(name, len);
		if (i < n && tok_is_op(&toks[i], OP_LPAREN)) {
			i++;
			bool neg = i < n && tok_is_op(&toks[i], OP_MINUS);
			i += neg;
			if (i < n && toks[i].kind == TK_STRING && !neg) {
				size_t total = 0;
				int j = i;
				while (j < n && toks[j].kind == TK_STRING)
					total += toks[j++].slen;
				char *str = arena_alloc(&g_arena, total + 1);
				for (total = 0; i < j; i++) {
					memcpy(str + total, toks[i].str, toks[i].slen);
					total += toks[i].slen;
				}
				str[total] = '\0';
				c->arg_kind = PP_ARG_STRING;
				c->str = str;
				c->slen = (uint32_t)total;
			} else if (i < n && toks[i].kind == TK_NUMBER) {
				c->arg_kind = PP_ARG_NUMBER;
				c->num = neg ? (int64_t)(0 - toks[i].num) : (int64_t)toks[i].num;
				i++;
			} else {
				pp_expected(p, toks, n, i, "a literal string or number");
			}
			if (i >= n || !tok_is_op(&toks[i], OP_RPAREN))
				pp_expected(p, toks, n, i, "')'");
			i++;
		}
		if (i >= n)
			break;
		if (!tok_is_op(&toks[i], OP_DOT))
			pp_expected(p, toks, n, i, "'.' or the end of the probe point");
		i++;
	}
	ProbePoint *pp = ANEW(&g_arena, ProbePoint);
	pp->loc = loc;
	pp->ncomps = ncomps;
	pp->comps = ANEWN(&g_arena, PPComponent, ncomps);
	memcpy(pp->comps, comps, sizeof(PPComponent) * (size_t)ncomps);
	list_push(p, pp);
}

static bool opens(const Token *t)
{
	return tok_is_op(t, OP_LBRACE) || tok_is_op(t, OP_LPAREN);
}

static bool closes(const Token *t)
{
	return tok_is_op(t, OP_RBRACE) || tok_is_op(t, OP_RPAREN);
}

/* Expands the first {a,b,...} group, recursing for later groups. */
static void pp_expand(Parser *p, const Token *toks, int n, Loc loc)
{
	int open = -1;
	for (int i = 0; i < n && open < 0; i++)
		if (tok_is_op(&toks[i], OP_LBRACE))
			open = i;
	if (open < 0) {
		pp_from_tokens(p, toks, n, loc);
		return;
	}
	int depth = 0, close = -1;
	for (int i = open; i < n && close < 0; i++) {
		if (opens(&toks[i]))
			depth++;
		else if (closes(&toks[i]) && --depth == 0)
			close = i;
	}
	if (close < 0)
		error_at(p, &toks[open], "unterminated '{' in probe point");
	Token alt[PP_MAX_TOKENS];
	int start = open + 1;
	depth = 0;
	for (int i = start; i <= close; i++) {
		if (i < close && opens(&toks[i]))
			depth++;
		else if (i < close && closes(&toks[i]))
			depth--;
		if (i < close && !(depth == 0 && tok_is_op(&toks[i], OP_COMMA)))
			continue;
		if (i == start)
			error_at(p, &toks[i], "empty alternative in '{...}'");
		int m = 0;
		memcpy(alt, toks, sizeof(Token) * (size_t)open);
		m += open;
		memcpy(alt + m, toks + start, sizeof(Token) * (size_t)(i - start));
		m += i - start;
		memcpy(alt + m, toks + close + 1, sizeof(Token) * (size_t)(n - close - 1));
		m += n - close - 1;
		pp_expand(p, alt, m, loc);
		start = i + 1;
	}
}

static void parse_one_probe_point(Parser *p, bool allow_cond)
{
	Token toks[PP_MAX_TOKENS];
	int n = 0, depth = 0;
	Loc loc = peek(p)->loc;
	for (;;) {
		const Token *t = peek(p);
		if (t->kind == TK_EOF)
			break;
		if (depth == 0) {
			if (tok_is_op(t, OP_COMMA) || tok_is_op(t, OP_ASSIGN) ||
			    tok_is_op(t, OP_ADD_ASSIGN) || tok_is_op(t, OP_QUESTION) ||
			    tok_is_op(t, OP_NOT) || tok_is_kw(t, KW_IF) || tok_is_op(t, OP_SEMI) ||
			    closes(t))
				break;
			/* '{' opens alternatives only where a component starts;
			 * elsewhere it opens the probe body. */
			if (tok_is_op(t, OP_LBRACE) && n > 0 && !tok_is_op(&toks[n - 1], OP_DOT))
				break;
		}
		if (opens(t))
			depth++;
		else if (closes(t))
			depth--;
		if (n == PP_MAX_TOKENS)
			error_at(p, t, "probe point too long");
		toks[n++] = *advance(p);
	}
	if (n == 0)
		expected(p, "a probe point");
	int before = p->sp;
	pp_expand(p, toks, n, loc);
	bool optional = false, sufficient = false;
	for (;;) {
		if (accept_op(p, OP_QUESTION))
			optional = true;
		else if (accept_op(p, OP_NOT))
			sufficient = true;
		else
			break;
	}
	Expr *cond = NULL;
	if (is_kw(p, KW_IF)) {
		const Token *t = advance(p);
		if (!allow_cond)
			error_at(p, t, "an alias name cannot have a condition");
		expect_op(p, OP_LPAREN);
		cond = parse_expr(p);
		expect_op(p, OP_RPAREN);
	}
	for (int i = before; i < p->sp; i++) {
		ProbePoint *pp = p->stack[i];
		pp->optional = optional;
		pp->sufficient = sufficient;
		pp->cond = cond;
	}
}

static void parse_probe_point_list(Parser *p, bool allow_cond)
{
	do
		parse_one_probe_point(p, allow_cond);
	while (accept_op(p, OP_COMMA));
}

/* ---- top level ---- */

static void parse_probe(Parser *p, bool is_private)
{
	const Token *kw = advance(p);
	Probe *pr = ANEW(&g_arena, Probe);
	pr->loc = kw->loc;
	pr->is_private = is_private;
	pr->is_tapset = loc_file(kw->loc)->is_tapset;
	int mark = list_mark(p);
	parse_probe_point_list(p, true);
	if (is_op(p, OP_ASSIGN) || is_op(p, OP_ADD_ASSIGN)) {
		const Token *eq = advance(p);
		pr->alias = eq->op == OP_ASSIGN ? ALIAS_PROLOGUE : ALIAS_EPILOGUE;
		pr->alias_names = list_finish(p, mark, &pr->nalias_names);
		for (int i = 0; i < pr->nalias_names; i++) {
			ProbePoint *a = pr->alias_names[i];
			if (a->optional || a->sufficient || a->cond) {
				Token at = { .loc = a->loc };
				error_at(p, &at, "an alias name cannot be optional, sufficient or conditional");
			}
			for (int k = 0; k < a->ncomps; k++)
				if (strchr(a->comps[k].functor, '*')) {
					Token at = { .loc = a->comps[k].loc };
					error_at(p, &at, "an alias name cannot contain wildcards");
				}
		}
		mark = list_mark(p);
		parse_probe_point_list(p, true);
		pr->points = list_finish(p, mark, &pr->npoints);
	} else {
		pr->points = list_finish(p, mark, &pr->npoints);
	}
	if (!is_op(p, OP_LBRACE))
		expected(p, pr->alias ? "'{' to start the alias body" :
			 "',', '=', '+=' or '{' after the probe point");
	pr->body = parse_block(p);
	if (pr->alias == ALIAS_PROLOGUE && is_op(p, OP_COMMA) &&
	    tok_is_op(peek_at(p, 1), OP_LBRACE)) {
		advance(p);
		pr->epilogue = parse_block(p);
	}
	vec_push(pr->alias ? &p->aliases : &p->probes, pr);
}

static Type parse_type(Parser *p)
{
	if (is_kw(p, KW_LONG)) {
		advance(p);
		return TY_LONG;
	}
	if (is_kw(p, KW_STRING)) {
		advance(p);
		return TY_STRING;
	}
	expected(p, "'long' or 'string'");
}

static const Token *expect_name(Parser *p, const char *what)
{
	const Token *t = peek(p);
	if (t->kind != TK_IDENT || t->str[0] == '$' || t->str[0] == '@')
		expected(p, what);
	return advance(p);
}

static void parse_function(Parser *p, bool is_private)
{
	advance(p);
	const Token *name = expect_name(p, "a function name");
	FuncDecl *f = ANEW(&g_arena, FuncDecl);
	f->name = name->str;
	f->loc = name->loc;
	f->is_private = is_private;
	f->is_tapset = loc_file(name->loc)->is_tapset;
	if (accept_op(p, OP_COLON))
		f->decl_type = parse_type(p);
	expect_op(p, OP_LPAREN);
	int mark = list_mark(p);
	if (!is_op(p, OP_RPAREN)) {
		do {
			const Token *pn = expect_name(p, "a parameter name");
			VarDecl *v = ANEW(&g_arena, VarDecl);
			v->name = pn->str;
			v->scope = VAR_PARAM;
			v->loc = pn->loc;
			if (accept_op(p, OP_COLON))
				v->decl_type = parse_type(p);
			for (int i = mark; i < p->sp; i++)
				if (((VarDecl *)p->stack[i])->name == v->name)
					error_at(p, pn, "duplicate parameter '%s'", v->name);
			list_push(p, v);
		} while (accept_op(p, OP_COMMA));
	}
	expect_op(p, OP_RPAREN);
	f->params = list_finish(p, mark, &f->nparams);
	if (accept_op(p, OP_COLON)) {
		if (!parse_signed_number(p, &f->priority))
			expected(p, "a priority number after ':'");
		f->has_priority = true;
	}
	if (peek(p)->kind == TK_EMBEDDED) {
		const Token *t = advance(p);
		if (!p->privileged)
			error_at(p, t, "embedded C needs guru mode (stap -g)");
		f->embedded = t->str;
		f->embedded_len = t->slen;
	} else if (is_op(p, OP_LBRACE)) {
		p->in_function = true;
		f->body = parse_block(p);
		p->in_function = false;
	} else {
		expected(p, "'{' or '%{' to start the function body");
	}
	vec_push(&p->funcs, f);
}

static void parse_global(Parser *p, bool is_private, bool has_keyword)
{
	if (has_keyword)
		advance(p);
	do {
		const Token *name = expect_name(p, "a global variable name");
		VarDecl *v = ANEW(&g_arena, VarDecl);
		v->name = name->str;
		v->scope = VAR_GLOBAL;
		v->loc = name->loc;
		v->is_private = is_private;
		v->arity = -1;
		if (accept_op(p, OP_PERCENT))
			v->wrap = true;
		if (accept_op(p, OP_LBRACKET)) {
			if (peek(p)->kind != TK_NUMBER)
				expected(p, "a maximum size");
			uint64_t size = advance(p)->num;
			if (size == 0 || size > INT32_MAX)
				error_at(p, &p->prev, "array size %llu out of range (1 to %d)",
					 (unsigned long long)size, INT32_MAX);
			v->max_size = (int64_t)size;
			expect_op(p, OP_RBRACKET);
			if (!v->wrap && accept_op(p, OP_PERCENT))
				v->wrap = true;
		}
		if (accept_op(p, OP_ASSIGN)) {
			if (v->max_size || v->wrap)
				error_at(p, &p->prev, "an array cannot have an initial value");
			Loc at = peek(p)->loc;
			if (peek(p)->kind == TK_STRING) {
				v->init = parse_string(p);
			} else {
				int64_t num;
				if (!parse_signed_number(p, &num))
					expected(p, "a literal string or number");
				v->init = expr_new(E_NUMBER, at);
				v->init->num = num;
			}
		}
		vec_push(&p->globals, v);
	} while (accept_op(p, OP_COMMA));
	accept_op(p, OP_SEMI);
}

static void top_level(Parser *p)
{
	const Token *t = peek(p);
	bool is_private = false;
	if (tok_is_kw(t, KW_PRIVATE)) {
		advance(p);
		is_private = true;
		t = peek(p);
		/* "private x" declares a private global, as "private global x". */
		if (t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@') {
			parse_global(p, true, false);
			return;
		}
		if (!tok_is_kw(t, KW_GLOBAL) && !tok_is_kw(t, KW_FUNCTION))
			expected(p, "'global' or 'function' after 'private'");
	}
	if (tok_is_kw(t, KW_PROBE)) {
		parse_probe(p, is_private);
	} else if (tok_is_kw(t, KW_GLOBAL)) {
		parse_global(p, is_private, true);
	} else if (tok_is_kw(t, KW_FUNCTION)) {
		parse_function(p, is_private);
	} else if (t->kind == TK_EMBEDDED) {
		if (!p->privileged)
			error_at(p, t, "embedded C needs guru mode (stap -g)");
		advance(p);
		Embed *e = ANEW(&g_arena, Embed);
		e->code = p->prev.str;
		e->len = p->prev.slen;
		e->loc = p->prev.loc;
		vec_push(&p->embeds, e);
	} else if (loc_file(t->loc)->is_macro_lib) {
		expected(p, "'@define' (a macro library holds only macro definitions)");
	} else {
		expected(p, "'probe', 'global', 'private', 'function' or '%{'");
	}
}

/* After an error, skip to something that can start a declaration. */
static void synchronise(Parser *p)
{
	for (;;) {
		const Token *t = peek(p);
		if (t->kind == TK_EOF || tok_is_kw(t, KW_PROBE) || tok_is_kw(t, KW_GLOBAL) ||
		    tok_is_kw(t, KW_FUNCTION) || tok_is_kw(t, KW_PRIVATE))
			return;
		advance(p);
	}
}

StapFile *parse_file(const SrcFile *src, const ParseOptions *opts)
{
	Parser *p = calloc(1, sizeof(*p));
	if (!p)
		fatal("out of memory");
	pp_init(&p->pp, src, opts->ctx);
	p->privileged = opts->privileged;
	StapFile *file = ANEW(&g_arena, StapFile);
	file->src = src;
	file->privileged = opts->privileged;
	p->file = file;
	int errors_at_start = diag_error_count();
	for (;;) {
		if (setjmp(p->recover)) {
			p->sp = 0;
			p->depth = 0;
			p->in_function = false;
			/* Stop after many errors: later ones are mostly echoes. */
			if (diag_error_count() - errors_at_start >= 50)
				break;
			if (peek(p)->kind != TK_EOF)
				advance(p);
			synchronise(p);
		}
		if (peek(p)->kind == TK_EOF)
			break;
		top_level(p);
	}
	file->probes = (Probe **)vec_finish(&p->probes, &file->nprobes);
	file->aliases = (Probe **)vec_finish(&p->aliases, &file->naliases);
	file->funcs = (FuncDecl **)vec_finish(&p->funcs, &file->nfuncs);
	file->globals = (VarDecl **)vec_finish(&p->globals, &file->nglobals);
	file->embeds = (Embed **)vec_finish(&p->embeds, &file->nembeds);
	pp_finish(&p->pp);
	free(p->stack);
	free(p);
	return file;
}
