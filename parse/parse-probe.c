/* Probe points.  A probe point is read in two steps: its tokens are
 * collected, then each {a,b} alternative is spliced in and the resulting
 * sequence parsed, so "syscall.{open,close}" yields two points.
 *
 * A component is names, keywords, '*' and '**' written without spaces
 * between them ("sys*open", "if"), with an optional literal parameter:
 * process("ls"), timer.ms(-1), a("x" "y"). */
#include "parse/parser-impl.h"
#include "parse/arena.h"
#include "parse/intern.h"
#include <string.h>

enum {
	PP_MAX_TOKENS = 256,
	PP_MAX_COMPS = 64,
	/* {a,b}.{c,d}... multiplies: bound what one point may expand to
	 * (sooner in the fuzzer, which is 50 times slower). */
#ifdef USTAP_FUZZ_LIMITS
	PP_MAX_EXPANDED = 5000,
#else
	PP_MAX_EXPANDED = 100000,
#endif
};

static bool name_part_token(const Token *t)
{
	return is_plain_name(t) || t->kind == TK_KEYWORD ||
	       tok_is_op(t, OP_STAR) || tok_is_op(t, OP_STARSTAR);
}

static const char *token_spelling(const Token *t, size_t *len)
{
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

/* Expands the first {a,b,...} group, recursing for later groups.  A '{'
 * inside a parameter's parentheses is no group: pp_from_tokens rejects it. */
static void pp_expand(Parser *p, const Token *toks, int n, Loc loc, int *made)
{
	int open = -1, parens = 0;
	for (int i = 0; i < n && open < 0; i++) {
		if (tok_is_op(&toks[i], OP_LPAREN))
			parens++;
		else if (tok_is_op(&toks[i], OP_RPAREN))
			parens--;
		else if (parens == 0 && tok_is_op(&toks[i], OP_LBRACE))
			open = i;
	}
	if (open < 0) {
		if (++*made > PP_MAX_EXPANDED)
			error_loc(p, loc, "probe point expands to more than %d points",
				  PP_MAX_EXPANDED);
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
	if (close + 1 < n && tok_is_op(&toks[close + 1], OP_LPAREN))
		error_at(p, &toks[close + 1], "expected '.' or the end of the probe point "
			 "after '}', found '('");
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
		pp_expand(p, alt, m, loc, made);
		start = i + 1;
	}
}

/* Whether a '{' where a component starts opens {a,b} alternatives rather
 * than a body ("probe {a,b}.c" against "probe a = { x = 1 }"): a name
 * must follow, and no assignment after it. */
static bool opens_alternatives(Parser *p)
{
	const Token *n = peek_at(p, 1);
	const Token *after = peek_at(p, 2);
	if (tok_is_op(n, OP_RBRACE))	/* "a.{}.b": report the empty group */
		return tok_is_op(after, OP_DOT);
	if (!name_part_token(n) && !tok_is_op(n, OP_LBRACE))
		return false;
	return !is_assign_op(after) && !tok_is_op(after, OP_SEMI) &&
	       !tok_is_op(after, OP_INC) && !tok_is_op(after, OP_DEC);
}

static void parse_one_probe_point(Parser *p, bool allow_cond)
{
	Token toks[PP_MAX_TOKENS];
	int n = 0, depth = 0;
	Loc loc = peek(p)->loc;
	for (;;) {
		const Token *t = peek(p);
		if (depth > 0) {
			/* Inside (...) or {...} everything is taken, for
			 * pp_from_tokens to report in place. */
			if (t->kind == TK_EOF || t->kind == TK_EMBEDDED || tok_is_op(t, OP_SEMI))
				break;
		} else if (n > 0 && tok_is_op(&toks[n - 1], OP_DOT) && t->kind != TK_EOF &&
			   !tok_is_op(t, OP_LBRACE)) {
			/* What follows a '.' is a component, or reported as
			 * not being one. */
		} else if (tok_is_kw(t, KW_IF)) {
			/* "a.if", "b*if" and "probe if" name components; "a.b if"
			 * starts a condition. */
			if (n > 0 && !tok_is_op(&toks[n - 1], OP_DOT) &&
			    !(name_part_token(&toks[n - 1]) && adjacent(&toks[n - 1], t)))
				break;
		} else if (tok_is_op(t, OP_LBRACE)) {
			/* '{' opens alternatives only where a component starts;
			 * elsewhere it opens the probe body. */
			if ((n > 0 && !tok_is_op(&toks[n - 1], OP_DOT)) || !opens_alternatives(p))
				break;
		} else if (!name_part_token(t) && !tok_is_op(t, OP_DOT) && !tok_is_op(t, OP_LPAREN)) {
			break;
		}
		if (tok_is_op(t, OP_LBRACE) || tok_is_op(t, OP_LPAREN))
			depth++;
		else if (tok_is_op(t, OP_RBRACE) || tok_is_op(t, OP_RPAREN))
			depth--;
		if (n == PP_MAX_TOKENS)
			error_at(p, t, "probe point too long");
		toks[n++] = *advance(p);
	}
	if (n == 0)
		expected(p, "a probe point");
	int before = p->sp, made = 0;
	pp_expand(p, toks, n, loc, &made);
	/* One of '?' (optional) and '!' (optional, and sufficient). */
	bool optional = false, sufficient = false;
	if (accept_op(p, OP_QUESTION))
		optional = true;
	else if (accept_op(p, OP_NOT))
		sufficient = true;
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

void parse_probe_point_list(Parser *p, bool allow_cond)
{
	do
		parse_one_probe_point(p, allow_cond);
	while (accept_op(p, OP_COMMA));
}
