/* Statements: blocks, if/for/while/foreach, try/catch, delete, return,
 * next, break, continue, embedded C and expression statements.  A
 * statement may end with ';', which is optional as in SystemTap. */
#include "parse/parser-impl.h"
#include "parse/arena.h"
#include <string.h>

static void end_simple_stmt(Parser *p)
{
	accept_op(p, OP_SEMI);
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
		f->slice = parse_index_list(p, true, &n);
		if ((int)n != f->nkeys)
			error_at(p, &p->prev, "a foreach slice needs one index per key "
				 "(%d keys, %u indexes)", f->nkeys, n);
	}
	const Token *t = peek(p);
	if (t->kind == TK_IDENT && t->str[0] == '@' &&
	    (!strcmp(t->str, "@count") || !strcmp(t->str, "@sum") || !strcmp(t->str, "@min") ||
	     !strcmp(t->str, "@max") || !strcmp(t->str, "@avg") ||
	     !strcmp(t->str, "@variance"))) {
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
	/* delete a[*, k]: '*' is a wildcard only here, in 'in' and foreach. */
	if (is_plain_name(t) && tok_is_op(peek_at(p, 1), OP_LBRACKET)) {
		Expr *sym = parse_plain_symbol(p, "an array name");
		Expr *e = expr_new(E_INDEX, advance(p)->loc);
		e->left = sym;
		e->args = parse_index_list(p, true, &e->n);
		s->expr = maybe_autocast(p, e);
	} else {
		s->expr = parse_expr(p);
	}
	end_simple_stmt(p);
	return s;
}

Stmt *parse_block(Parser *p)
{
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
	return s;
}

static bool starts_expression(const Token *t)
{
	switch ((TokKind)t->kind) {
	case TK_IDENT: case TK_NUMBER: case TK_STRING: case TK_EMBEDDED:
		return true;
	case TK_OP:
		switch (t->op) {
		case OP_LPAREN: case OP_LBRACKET: case OP_MINUS: case OP_PLUS: case OP_NOT:
		case OP_TILDE: case OP_INC: case OP_DEC: case OP_AMP:
			return true;
		}
		return false;
	default:
		return false;
	}
}

Stmt *parse_stmt(Parser *p)
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
	} else if (t->kind == TK_EMBEDDED && !is_assign_op(peek_at(p, 1))) {
		/* %{ %} is an embedded-C statement unless something is
		 * assigned to it. */
		if (!p->privileged)
			error_at(p, t, "embedded C needs guru mode (stap -g)");
		advance(p);
		s = stmt_new(S_EMBEDDED, p->prev.loc);
		s->str = p->prev.str;
		s->slen = p->prev.slen;
		end_simple_stmt(p);
	} else if (starts_expression(t)) {
		s = stmt_new(S_EXPR, t->loc);
		s->expr = parse_expr(p);
		end_simple_stmt(p);
	} else {
		char buf[64];
		error_at(p, t, "expected a statement, found %s", tok_describe(t, buf, sizeof(buf)));
	}
done:
	leave(p);
	return s;
}
