/* The parser's token window, error recovery and declarations; the
 * grammar's other parts are parse-expr.c, parse-stmt.c and parse-probe.c. */
#include "parse/parser-impl.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char PE[] = "parse";

enum { MAX_ERRORS_PER_FILE = 50 };

/* ---- tokens ---- */

/* An error the lexer or preprocessor reported while producing a token
 * ends the declaration being parsed, as one of the parser's own would:
 * what follows a bad token is rarely worth a second message. */
const Token *p_fill(Parser *p, int k)
{
	while (p->nla <= k) {
		pp_next(&p->pp, &p->la[(p->head + p->nla) & (LOOKAHEAD - 1)]);
		p->nla++;
		int n = diag_error_count();
		if (n != p->errors_seen) {
			p->errors_seen = n;
			longjmp(p->recover, 1);
		}
	}
	return &p->la[(p->head + k) & (LOOKAHEAD - 1)];
}

const Token *advance(Parser *p)
{
	p->prev = *peek(p);
	p->head = (p->head + 1) & (LOOKAHEAD - 1);
	p->nla--;
	return &p->prev;
}

bool adjacent(const Token *a, const Token *b)
{
	Loc x = a->loc, y = b->loc;
	if ((x.file | y.file) & LOC_EXPANDED) {
		x = loc_written(x, NULL);
		y = loc_written(y, NULL);
	}
	return x.file == y.file && x.off + a->len == y.off;
}

/* ---- errors ---- */

__attribute__((noreturn))
static void report(Parser *p, Loc loc, const Token *t, const char *fmt, va_list ap)
{
	/* Once the lexer gave up on the rest of the file (an unterminated
	 * string, comment or %{), running into its end says nothing new. */
	if (!(t && t->kind == TK_EOF && p->pp.lex.truncated))
		diag_verror(PE, loc, t, fmt, ap);
	p->errors_seen = diag_error_count();
	longjmp(p->recover, 1);
}

void error_at(Parser *p, const Token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(p, t->loc, t, fmt, ap);
	va_end(ap);
}

void error_loc(Parser *p, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(p, loc, NULL, fmt, ap);
	va_end(ap);
}

void expected(Parser *p, const char *what)
{
	char buf[160];
	const Token *t = peek(p);
	error_at(p, t, "expected %s, found %s", what, tok_describe(t, buf, sizeof(buf)));
}

const Token *expect_op(Parser *p, OpCode op)
{
	if (!is_op(p, op)) {
		char what[16];
		snprintf(what, sizeof(what), "'%s'", op_text[op]);
		expected(p, what);
	}
	return advance(p);
}

void enter(Parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH)
		error_at(p, peek(p), "nesting too deep (more than %d levels)", PARSE_MAX_DEPTH);
}

void enter_chain(Parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH)
		error_at(p, peek(p), "expression too long or nested too deep "
			 "(more than %d levels)", PARSE_MAX_DEPTH);
}

/* ---- list stack ---- */

void list_push(Parser *p, void *x)
{
	if (p->sp == p->stack_cap) {
		p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 256;
		p->stack = realloc(p->stack, sizeof(void *) * (size_t)p->stack_cap);
		if (!p->stack)
			fatal("out of memory");
	}
	p->stack[p->sp++] = x;
}

void *list_finish(Parser *p, int mark, int *n)
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
	if (pr->alias && is_op(p, OP_COMMA) && tok_is_op(peek_at(p, 1), OP_LBRACE)) {
		if (pr->alias == ALIAS_EPILOGUE)
			error_at(p, peek(p), "an alias with an epilogue block is defined "
				 "with '=', not '+='");
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
	if (!is_plain_name(peek(p)))
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
			/* SystemTap takes a trailing comma: f(a, b,). */
			if (p->sp > mark && is_op(p, OP_RPAREN))
				break;
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
		const Token *at = peek(p);
		if (!parse_signed_number(p, &f->priority))
			expected(p, "a priority number after ':'");
		if (f->priority <= 0)
			error_at(p, at, "a function priority must be a number above 0");
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
		if (is_plain_name(t)) {
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

static bool starts_declaration(const Token *t)
{
	return t->kind == TK_EOF || tok_is_kw(t, KW_PROBE) || tok_is_kw(t, KW_GLOBAL) ||
	       tok_is_kw(t, KW_FUNCTION) || tok_is_kw(t, KW_PRIVATE);
}

/* After an error, skip to something that can start a declaration.  The
 * declaration that failed is skipped from its start, but one the error
 * ran into ("probe begin { x = \n probe end {}") is kept. */
static void synchronise(Parser *p, Loc failed)
{
	p->pp.quiet = true;
	const Token *t = peek(p);
	if (t->kind != TK_EOF && (!starts_declaration(t) ||
				  (t->loc.file == failed.file && t->loc.off == failed.off)))
		advance(p);
	while (!starts_declaration(peek(p)))
		advance(p);
	p->pp.quiet = false;
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
	p->errors_seen = errors_at_start;
	for (;;) {
		if (setjmp(p->recover)) {
			p->sp = 0;
			p->depth = 0;
			p->in_function = false;
			/* Stop after many errors: later ones are mostly echoes. */
			if (diag_error_count() - errors_at_start >= MAX_ERRORS_PER_FILE)
				break;
			synchronise(p, p->decl_loc);
		}
		if (peek(p)->kind == TK_EOF)
			break;
		p->pp.quiet = false;
		p->decl_loc = peek(p)->loc;
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
