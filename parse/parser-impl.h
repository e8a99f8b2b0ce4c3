/* The parser's internals, shared by its parts: parser.c (tokens, errors,
 * declarations), parse-expr.c, parse-stmt.c and parse-probe.c. */
#ifndef PARSE_PARSER_IMPL_H
#define PARSE_PARSER_IMPL_H
#include "parse/parser.h"
#include <setjmp.h>

enum { LOOKAHEAD = 4 };

typedef struct Parser {
	Preproc pp;
	Token la[LOOKAHEAD];	/* a ring: la[head] is the current token */
	int head, nla;
	Token prev;		/* the token last consumed */
	StapFile *file;
	bool privileged;
	bool in_function;
	int depth;
	Loc decl_loc;		/* where the declaration being parsed starts */
	/* Errors reported so far; one more than this after fetching a token
	 * means the lexer or preprocessor reported it. */
	int errors_seen;
	jmp_buf recover;
	/* Lists being built nest strictly, so they share one stack that an
	 * error can simply reset: nothing leaks when parsing bails out. */
	void **stack;
	int sp, stack_cap;
	PtrVec probes, aliases, funcs, globals, embeds;
} Parser;

/* ---- tokens (parser.c) ---- */

const Token *p_fill(Parser *p, int k);

static inline const Token *peek_at(Parser *p, int k)
{
	if (k >= p->nla)
		return p_fill(p, k);
	return &p->la[(p->head + k) & (LOOKAHEAD - 1)];
}

static inline const Token *peek(Parser *p)
{
	return peek_at(p, 0);
}

const Token *advance(Parser *p);

static inline bool is_op(Parser *p, OpCode op)
{
	return tok_is_op(peek(p), op);
}

static inline bool is_kw(Parser *p, KwCode kw)
{
	return tok_is_kw(peek(p), kw);
}

static inline bool accept_op(Parser *p, OpCode op)
{
	if (!is_op(p, op))
		return false;
	advance(p);
	return true;
}

/* A plain name: an identifier that is not $target, @operator or $1. */
static inline bool is_plain_name(const Token *t)
{
	return t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@';
}

/* Tokens are adjacent when no space separates them: "sys*" is one name. */
bool adjacent(const Token *a, const Token *b);

/* ---- errors: report, then unwind to the declaration loop ---- */

__attribute__((format(printf, 3, 4), noreturn))
void error_at(Parser *p, const Token *t, const char *fmt, ...);
__attribute__((format(printf, 3, 4), noreturn))
void error_loc(Parser *p, Loc loc, const char *fmt, ...);
/* "expected WHAT, found TOKEN" at the current token. */
__attribute__((noreturn))
void expected(Parser *p, const char *what);
const Token *expect_op(Parser *p, OpCode op);
void enter(Parser *p);
/* The same limit for one more operator of a left-associative chain. */
void enter_chain(Parser *p);

static inline void leave(Parser *p)
{
	p->depth--;
}

/* ---- the list stack ---- */

static inline int list_mark(Parser *p)
{
	return p->sp;
}

void list_push(Parser *p, void *x);
void *list_finish(Parser *p, int mark, int *n);

/* ---- the grammar's parts ---- */

Expr *parse_string(Parser *p);
const char *expect_string(Parser *p, const char *what, uint32_t *len);
bool parse_signed_number(Parser *p, int64_t *out);

Expr *parse_expr(Parser *p);
bool is_assign_op(const Token *t);
Expr *parse_array_base(Parser *p);
/* Makes e the base of an autocast when ->, [ or $ follows it. */
Expr *maybe_autocast(Parser *p, Expr *e);
Expr **parse_index_list(Parser *p, bool allow_star, uint32_t *n);
Expr *parse_plain_symbol(Parser *p, const char *what);

Stmt *parse_stmt(Parser *p);
Stmt *parse_block(Parser *p);

/* Reads a comma list of probe points onto the list stack. */
void parse_probe_point_list(Parser *p, bool allow_cond);

#endif
