#include "parse/preproc.h"
#include "parse/ast.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Macro {
	const char *key;	/* interned, with the '@': what lookups compare */
	const char *name;	/* interned, without the '@' */
	const char **params;	/* interned */
	int nparams;
	Token *body;
	int nbody;
	Loc loc;
};

/* One source of tokens above the file's lexer: a macro body, an argument
 * substituted for a parameter, or a script argument's text. */
struct PPInput {
	const Token *toks;
	int n, pos;
	Loc site;		/* where the expansion happened; chains new locs */
	uint32_t exp_file;	/* the file exp_loc's record is for, or 0 */
	Loc exp_loc;		/* {record, 0}: the body's tokens' locations */
	const Macro *macro;	/* for a macro body: its parameters apply */
	Token **args;		/* the invocation's arguments (malloc'd, owned) */
	int *nargs;
};

typedef enum { COND_THEN, COND_ELSE } CondState;
struct PPCond {
	CondState state;
	Loc loc;
};

MacroTable g_library_macros;

enum {
	/* Macros nest this deep at most: a recursive one stops here. */
	MAX_EXPANSION_DEPTH = 200,
	/* Tokens that macro bodies and arguments may produce in one file: the
	 * Debian tapset library makes 300,000 in all, 16,000 at most in one.
	 * (The fuzzer, 50 times slower, stops bombs sooner.) */
#ifdef USTAP_FUZZ_LIMITS
	MAX_EXPANDED_TOKENS = 50000,
#else
	MAX_EXPANDED_TOKENS = 1000000,
#endif
};

static const char PP[] = "parse";

/* ---- macro tables ---- */

static Macro *macro_find(const MacroTable *mt, const char *name)
{
	if (!mt->cap)
		return NULL;
	unsigned i = (unsigned)((uintptr_t)name >> 4) & (mt->cap - 1);
	for (; mt->slots[i]; i = (i + 1) & (mt->cap - 1))
		if (mt->slots[i]->key == name)
			return mt->slots[i];
	return NULL;
}

static void macro_add(MacroTable *mt, Macro *m)
{
	if ((mt->count + 1) * 2 > mt->cap) {
		unsigned ncap = mt->cap ? mt->cap * 2 : 64;
		Macro **n = calloc(ncap, sizeof(*n));
		if (!n)
			fatal("out of memory");
		for (unsigned i = 0; i < mt->cap; i++) {
			Macro *o = mt->slots[i];
			if (!o)
				continue;
			unsigned j = (unsigned)((uintptr_t)o->key >> 4) & (ncap - 1);
			while (n[j])
				j = (j + 1) & (ncap - 1);
			n[j] = o;
		}
		free(mt->slots);
		mt->slots = n;
		mt->cap = ncap;
	}
	unsigned i = (unsigned)((uintptr_t)m->key >> 4) & (mt->cap - 1);
	while (mt->slots[i])
		i = (i + 1) & (mt->cap - 1);
	mt->slots[i] = m;
	mt->count++;
}

/* ---- input stack ---- */

/* An input's arguments die with it: nothing refers to them once it is
 * read (tokens are copied out, and arguments pushed above it are read
 * before it). */
static void pop_input(Preproc *pp)
{
	PPInput *in = &pp->inputs[--pp->ninputs];
	if (in->args) {
		for (int i = 0; i < in->macro->nparams; i++)
			free(in->args[i]);
		free(in->args);
		free(in->nargs);
	}
}

static void drop_inputs(Preproc *pp)
{
	while (pp->ninputs)
		pop_input(pp);
}

/* Pushes without popping finished inputs: an argument's tokens belong to
 * the finished body below it. */
static PPInput *push_input_over(Preproc *pp, const Token *toks, int n, Loc site)
{
	if (pp->ninputs == pp->inputs_cap) {
		pp->inputs_cap = pp->inputs_cap ? pp->inputs_cap * 2 : 16;
		pp->inputs = realloc(pp->inputs, sizeof(*pp->inputs) * (size_t)pp->inputs_cap);
		if (!pp->inputs)
			fatal("out of memory");
	}
	PPInput *in = &pp->inputs[pp->ninputs++];
	memset(in, 0, sizeof(*in));
	in->toks = toks;
	in->n = n;
	in->site = site;
	return in;
}

static PPInput *push_input(Preproc *pp, const Token *toks, int n, Loc site)
{
	/* Finished inputs go first, so a chain of expansions in tail position
	 * does not count as nesting. */
	while (pp->ninputs && pp->inputs[pp->ninputs - 1].pos >= pp->inputs[pp->ninputs - 1].n)
		pop_input(pp);
	return push_input_over(pp, toks, n, site);
}

void pp_init(Preproc *pp, const SrcFile *file, const PPContext *ctx)
{
	memset(pp, 0, sizeof(*pp));
	lexer_init(&pp->lex, file);
	pp->ctx = ctx;
	pp->defs = file->is_macro_lib ? &g_library_macros : &pp->local;
}

void pp_reset_library(void)
{
	free(g_library_macros.slots);
	memset(&g_library_macros, 0, sizeof(g_library_macros));
}

void pp_finish(Preproc *pp)
{
	drop_inputs(pp);
	free(pp->inputs);
	free(pp->conds);
	free(pp->local.slots);
	memset(pp, 0, sizeof(*pp));
}

static int param_index(const Macro *m, const char *name)
{
	for (int i = 0; i < m->nparams; i++)
		if (m->params[i] == name)
			return i;
	return -1;
}

/* A body token naming a parameter is marked when the macro is defined
 * (op, unused for names, and num hold it), so expanding never looks the
 * name up again. */
enum { TOK_PARAM = 1 };

/* Where a body token is, seen from this expansion: all the tokens of one
 * body written in one file share one expansion record. */
static Loc expand_loc(PPInput *in, Loc loc)
{
	if (loc.file & LOC_EXPANDED)
		return loc_expanded(loc, in->site);
	if (in->exp_file != loc.file) {
		in->exp_loc = loc_expansion_of_file(loc.file, in->site);
		in->exp_file = loc.file;
	}
	return (Loc){ in->exp_loc.file, loc.off };
}

/* The next token with macro parameters replaced, before any other
 * preprocessing: conditionals and definitions read through this. */
static void fetch_raw(Preproc *pp, Token *t)
{
	for (;;) {
		if (pp->ninputs == 0) {
			lex_next(&pp->lex, t);
			return;
		}
		PPInput *in = &pp->inputs[pp->ninputs - 1];
		if (in->pos >= in->n) {
			pop_input(pp);
			continue;
		}
		*t = in->toks[in->pos++];
		if (++pp->expanded_tokens > MAX_EXPANDED_TOKENS) {
			/* Reported where the outermost expansion was written. */
			Loc at = pp->inputs[0].site.file ? pp->inputs[0].site : t->loc;
			diag_error(PP, at, "macro expansion makes more than %d tokens",
				   MAX_EXPANDED_TOKENS);
			/* Whatever was being expanded is cut off mid-way: end
			 * the file so nothing after it is misread. */
			drop_inputs(pp);
			pp->overflow = true;
			pp->lex.p = pp->lex.end;
			pp->lex.truncated = true;
			continue;
		}
		if (in->macro && t->kind == TK_IDENT && t->op == TOK_PARAM) {
			/* Argument tokens already carry their own locations. */
			int k = (int)t->num;
			push_input_over(pp, in->args[k], in->nargs[k], (Loc){ 0, 0 });
			continue;
		}
		if (in->site.file)
			t->loc = expand_loc(in, t->loc);
		return;
	}
}

/* ---- script arguments ---- */

static bool is_script_arg(const Token *t)
{
	return t->kind == TK_IDENT && (t->str[0] == '$' || t->str[0] == '@') &&
	       t->slen >= 2 && (t->str[1] == '#' || (t->str[1] >= '0' && t->str[1] <= '9'));
}

/* Replaces $N @N $# @#; false when the token produced nothing to return. */
static bool expand_script_arg(Preproc *pp, Token *t)
{
	const PPContext *ctx = pp->ctx;
	int nargs = ctx ? ctx->nargs : 0;
	bool as_string = t->str[0] == '@';
	if (t->str[1] == '#') {
		if (as_string) {
			char buf[16];
			int len = snprintf(buf, sizeof(buf), "%d", nargs);
			t->kind = TK_STRING;
			t->str = arena_strndup(&g_arena, buf, (size_t)len);
			t->slen = (uint32_t)len;
		} else {
			t->kind = TK_NUMBER;
			t->num = (uint64_t)nargs;
		}
		return true;
	}
	long k = strtol(t->str + 1, NULL, 10);
	if (k < 1 || k > nargs) {
		diag_error(PP, t->loc, "command line argument index %ld out of range [1-%d]", k, nargs);
		t->kind = as_string ? TK_STRING : TK_NUMBER;
		t->str = "";
		t->slen = 0;
		t->num = 0;
		return true;
	}
	const char *arg = ctx->args[k - 1];
	if (as_string) {
		t->kind = TK_STRING;
		t->str = arg;
		t->slen = (uint32_t)strlen(arg);
		return true;
	}
	/* $N is the argument's text read as script tokens. */
	char name[32];
	snprintf(name, sizeof(name), "<argument $%ld>", k);
	SrcFile *f = src_from_string(arena_strndup(&g_arena, name, strlen(name)), arg, strlen(arg));
	Lexer lx;
	lexer_init(&lx, f);
	int n = 0, cap = 4;
	Token *toks = malloc(sizeof(Token) * (size_t)cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			toks = realloc(toks, sizeof(Token) * (size_t)cap);
		}
		if (!toks)
			fatal("out of memory");
		lex_next(&lx, &toks[n]);
		if (toks[n].kind == TK_EOF)
			break;
		n++;
	}
	Token *kept = ANEWN(&g_arena, Token, n ? n : 1);
	memcpy(kept, toks, sizeof(Token) * (size_t)n);
	free(toks);
	push_input(pp, kept, n, t->loc);
	return false;
}

/* ---- @define ---- */

typedef struct TokVec {
	Token *v;
	int n, cap;
} TokVec;

static void tv_push(TokVec *tv, const Token *t)
{
	if (tv->n == tv->cap) {
		tv->cap = tv->cap ? tv->cap * 2 : 16;
		tv->v = realloc(tv->v, sizeof(Token) * (size_t)tv->cap);
		if (!tv->v)
			fatal("out of memory");
	}
	tv->v[tv->n++] = *t;
}

static Token *tv_finish(TokVec *tv, int *n)
{
	*n = tv->n;
	Token *out = ANEWN(&g_arena, Token, tv->n ? tv->n : 1);
	if (tv->n)
		memcpy(out, tv->v, sizeof(Token) * (size_t)tv->n);
	free(tv->v);
	memset(tv, 0, sizeof(*tv));
	return out;
}

/* After a malformed @define head, skips its %( body %) so the body is not
 * read as a conditional: up to the first %( (unless a declaration or
 * another @define comes first), then to its matching %). */
static void skip_failed_definition(Preproc *pp, Token t)
{
	for (;;) {
		if (t.kind == TK_EOF || (t.kind == TK_KEYWORD &&
		    (t.op == KW_PROBE || t.op == KW_GLOBAL || t.op == KW_FUNCTION ||
		     t.op == KW_PRIVATE)) ||
		    (t.kind == TK_IDENT && !strcmp(t.str, "@define"))) {
			/* Not consumed: hand it back through a one-token input. */
			Token *keep = ANEW(&g_arena, Token);
			*keep = t;
			push_input(pp, keep, 1, (Loc){ 0, 0 });
			return;
		}
		if (tok_is_op(&t, OP_PP_IF))
			break;
		fetch_raw(pp, &t);
	}
	for (int depth = 0;;) {
		fetch_raw(pp, &t);
		if (t.kind == TK_EOF || (tok_is_op(&t, OP_PP_END) && depth-- == 0))
			return;
		if (tok_is_op(&t, OP_PP_IF))
			depth++;
	}
}

static bool is_macro_name(const Token *t)
{
	return t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@';
}

/* @define NAME[(PARAM, ...)]: false after reporting what was wrong, with
 * *t the token that was. */
static bool read_macro_head(Preproc *pp, Macro *m, Token *t)
{
	char buf[128];
	fetch_raw(pp, t);
	if (!is_macro_name(t)) {
		diag_error(PP, t->loc, "expected a macro name after @define, found %s",
			   tok_describe(t, buf, sizeof(buf)));
		return false;
	}
	m->name = t->str;
	char key[256];
	key[0] = '@';
	size_t klen = t->slen < sizeof(key) - 1 ? t->slen : sizeof(key) - 1;
	memcpy(key + 1, t->str, klen);
	m->key = intern(key, klen + 1);
	m->loc = t->loc;
	fetch_raw(pp, t);
	if (!tok_is_op(t, OP_LPAREN))
		return true;
	/* (a, b): at least one name, no trailing comma, no repeats. */
	PtrVec params = { 0 };
	for (;;) {
		fetch_raw(pp, t);
		if (!is_macro_name(t)) {
			diag_error(PP, t->loc, "expected a macro parameter name, found %s",
				   tok_describe(t, buf, sizeof(buf)));
			free(params.v);
			return false;
		}
		for (int i = 0; i < params.n; i++) {
			if (params.v[i] == t->str) {
				diag_error(PP, t->loc, "duplicate macro parameter '%s'", t->str);
				free(params.v);
				return false;
			}
		}
		vec_push(&params, (void *)t->str);
		fetch_raw(pp, t);
		if (tok_is_op(t, OP_RPAREN))
			break;
		if (!tok_is_op(t, OP_COMMA)) {
			diag_error(PP, t->loc, "expected ',' or ')' in macro parameters, found %s",
				   tok_describe(t, buf, sizeof(buf)));
			free(params.v);
			return false;
		}
	}
	m->params = (const char **)vec_finish(&params, &m->nparams);
	fetch_raw(pp, t);
	return true;
}

static void define_macro(Preproc *pp, const Token *at)
{
	char buf[128];
	Token t;
	Macro *m = ANEW(&g_arena, Macro);
	if (!read_macro_head(pp, m, &t)) {
		skip_failed_definition(pp, t);
		return;
	}
	if (!tok_is_op(&t, OP_PP_IF)) {
		diag_error(PP, t.loc, "expected '%%(' to start the body of macro @%s, found %s",
			   m->name, tok_describe(&t, buf, sizeof(buf)));
		skip_failed_definition(pp, t);
		return;
	}
	TokVec body = { 0 };
	int depth = 0;
	for (;;) {
		fetch_raw(pp, &t);
		if (t.kind == TK_EOF) {
			if (!pp->lex.truncated)
				diag_error(PP, at->loc, "unterminated body of macro @%s, missing '%%)'",
					   m->name);
			free(body.v);
			return;
		}
		if (tok_is_op(&t, OP_PP_IF))
			depth++;
		else if (tok_is_op(&t, OP_PP_END) && depth-- == 0)
			break;
		if (t.kind == TK_IDENT && t.str[0] == '@' && m->nparams) {
			int k = param_index(m, intern(t.str + 1, t.slen - 1));
			if (k >= 0) {
				t.op = TOK_PARAM;
				t.num = (uint64_t)k;
			}
		}
		tv_push(&body, &t);
	}
	m->body = tv_finish(&body, &m->nbody);
	/* A file's own macro may shadow a library one, never another of its own. */
	if (macro_find(pp->defs, m->key)) {
		diag_error(PP, m->loc, "attempt to redefine macro '@%s'", m->name);
		return;
	}
	macro_add(pp->defs, m);
}

/* ---- macro invocation ---- */

static const Macro *find_macro(const Preproc *pp, const Token *t)
{
	if (t->kind != TK_IDENT || t->str[0] != '@' || t->slen < 2)
		return NULL;
	const Macro *m = macro_find(&pp->local, t->str);
	return m ? m : macro_find(&g_library_macros, t->str);
}

static void free_args(Token **args, int *nargs, int n)
{
	for (int i = 0; i < n; i++)
		free(args[i]);
	free(args);
	free(nargs);
}

static void invoke_macro(Preproc *pp, const Macro *m, const Token *at)
{
	char buf[128];
	if (pp->overflow)
		return;
	/* A macro that expands to itself nests without end: the depth limit
	 * catches it (a use inside its own arguments is fine). */
	if (loc_expansion_depth(at->loc) >= MAX_EXPANSION_DEPTH) {
		diag_error(PP, at->loc, "macro '@%s' expands too deep (more than %d levels): "
			   "is it recursive?", m->name, MAX_EXPANSION_DEPTH);
		drop_inputs(pp);
		return;
	}
	Token **args = NULL;
	int *nargs = NULL;
	if (m->nparams) {
		Token t;
		fetch_raw(pp, &t);
		if (!tok_is_op(&t, OP_LPAREN)) {
			diag_error(PP, t.loc, "expected '(' after macro '@%s', found %s",
				   m->name, tok_describe(&t, buf, sizeof(buf)));
			return;
		}
		args = calloc((size_t)m->nparams, sizeof(*args));
		nargs = calloc((size_t)m->nparams, sizeof(*nargs));
		if (!args || !nargs)
			fatal("out of memory");
		int k = 0, depth = 0;
		TokVec cur = { 0 };
		for (;;) {
			fetch_raw(pp, &t);
			if (t.kind == TK_EOF || pp->overflow) {
				if (t.kind == TK_EOF && !pp->lex.truncated)
					diag_error(PP, at->loc, "unterminated arguments of macro '@%s'",
						   m->name);
				free(cur.v);
				free_args(args, nargs, k < m->nparams ? k : m->nparams);
				return;
			}
			if (depth == 0 && (tok_is_op(&t, OP_COMMA) || tok_is_op(&t, OP_RPAREN))) {
				/* The vector itself becomes the argument. */
				if (k < m->nparams) {
					args[k] = cur.v;
					nargs[k] = cur.n;
				} else {
					free(cur.v);
				}
				memset(&cur, 0, sizeof(cur));
				k++;
				if (tok_is_op(&t, OP_RPAREN))
					break;
				continue;
			}
			if (tok_is_op(&t, OP_LPAREN) || tok_is_op(&t, OP_LBRACKET) || tok_is_op(&t, OP_LBRACE))
				depth++;
			else if (tok_is_op(&t, OP_RPAREN) || tok_is_op(&t, OP_RBRACKET) || tok_is_op(&t, OP_RBRACE))
				depth--;
			tv_push(&cur, &t);
		}
		if (k != m->nparams) {
			diag_error(PP, at->loc, "macro '@%s' takes %d argument%s, given %d",
				   m->name, m->nparams, m->nparams == 1 ? "" : "s", k);
			free_args(args, nargs, k < m->nparams ? k : m->nparams);
			return;
		}
	}
	PPInput *in = push_input(pp, m->body, m->nbody, at->loc);
	in->macro = m;
	in->args = args;
	in->nargs = nargs;
}

/* ---- conditionals ----
 *
 * %( LEFT OP RIGHT [&& ...] [|| ...] %? then %: else %)
 *
 * RIGHT is a literal.  What LEFT is decides what RIGHT must be and which
 * operators apply, as in SystemTap:
 *   kernel_v kernel_vr systemtap_v   string; versions ("2.6.9" < "2.6.10");
 *                                    == and != match a glob
 *   arch runtime                     string; == != only, glob
 *   systemtap_privilege              string; == != only, exact
 *   guru_mode                        number; == != only
 *   CONFIG_NAME                      string (== != only, glob; unset is "")
 *                                    or number (unset is 0), or another
 *                                    CONFIG_NAME (numbers when both are,
 *                                    else strings)
 *   a number / a string literal      number / string; exact
 * ustap also takes parentheses around conditions, and -N. */

typedef enum CondKind {
	CK_VERSION, CK_GLOB, CK_EXACT, CK_GURU, CK_CONFIG, CK_NUMBER, CK_STRING,
} CondKind;

typedef struct CondParser {
	Preproc *pp;
	Token t;
	bool failed;
} CondParser;

static const Macro *find_macro(const Preproc *pp, const Token *t);
static void invoke_macro(Preproc *pp, const Macro *m, const Token *at);

/* Conditions see script arguments and macros expanded, like other text. */
static void cond_advance(CondParser *cp)
{
	for (;;) {
		fetch_raw(cp->pp, &cp->t);
		if (tok_is_bad(&cp->t)) {
			lex_report_bad(&cp->t);
			cp->failed = true;
		}
		if (is_script_arg(&cp->t)) {
			if (expand_script_arg(cp->pp, &cp->t))
				return;
			continue;
		}
		const Macro *m = find_macro(cp->pp, &cp->t);
		if (!m)
			return;
		Token at = cp->t;
		invoke_macro(cp->pp, m, &at);
	}
}

static void cond_fail(CondParser *cp, const char *what)
{
	char buf[128];
	if (!cp->failed)
		diag_error(PP, cp->t.loc, "expected %s, found %s", what,
			   tok_describe(&cp->t, buf, sizeof(buf)));
	cp->failed = true;
}

static bool cond_or(CondParser *cp);

/* Compares dotted versions numerically: "2.6.9" < "2.6.10". */
static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			unsigned long long x = strtoull(a, (char **)&a, 10);
			unsigned long long y = strtoull(b, (char **)&b, 10);
			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++, b++;
	}
	return 0;
}

static int num_cmp(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static bool cond_result(int op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

/* The left side: sets *kind and the value to compare (*str or *num). */
static bool cond_left(CondParser *cp, CondKind *kind, const char **str, int64_t *num)
{
	const PPContext *ctx = cp->pp->ctx;
	const Token *t = &cp->t;
	*str = "";
	*num = 0;
	if (t->kind == TK_NUMBER) {
		*kind = CK_NUMBER;
		*num = (int64_t)t->num;
	} else if (t->kind == TK_STRING) {
		*kind = CK_STRING;
		*str = t->str;
	} else if (t->kind == TK_IDENT || t->kind == TK_KEYWORD) {
		const char *n = t->str;
		const char *v = NULL;
		if (!strcmp(n, "kernel_v")) {
			*kind = CK_VERSION, v = ctx ? ctx->kernel_v : NULL;
		} else if (!strcmp(n, "kernel_vr")) {
			*kind = CK_VERSION, v = ctx ? ctx->kernel_vr : NULL;
		} else if (!strcmp(n, "systemtap_v")) {
			*kind = CK_VERSION, v = ctx ? ctx->systemtap_v : NULL;
		} else if (!strcmp(n, "arch")) {
			*kind = CK_GLOB, v = ctx ? ctx->arch : NULL;
		} else if (!strcmp(n, "runtime")) {
			*kind = CK_GLOB, v = ctx ? ctx->runtime : NULL;
		} else if (!strcmp(n, "systemtap_privilege")) {
			*kind = CK_EXACT, v = ctx ? ctx->privilege : NULL;
		} else if (!strcmp(n, "guru_mode")) {
			*kind = CK_GURU;
			*num = ctx && ctx->guru_mode;
		} else if (!strncmp(n, "CONFIG_", 7) && n[7]) {
			*kind = CK_CONFIG;
			v = ctx && ctx->config ? ctx->config(n) : NULL;
		} else {
			goto bad;
		}
		*str = v ? v : "";
	} else {
		goto bad;
	}
	return true;
bad:
	cond_fail(cp, "'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
		  "'systemtap_privilege', 'guru_mode', 'CONFIG_...' or a literal");
	return false;
}

/* -N: a number token with its value negated.  SystemTap has no negative
 * literals in conditions; a CONFIG_ value can be negative. */
static bool cond_negate(CondParser *cp)
{
	cond_advance(cp);
	if (cp->t.kind != TK_NUMBER) {
		cond_fail(cp, "a number after '-'");
		return false;
	}
	cp->t.num = 0 - cp->t.num;
	return true;
}

/* Reads a CONFIG value as a number: unset is 0; false if it is not one. */
static bool config_number(const char *v, int64_t *out)
{
	char *end = NULL;
	*out = *v ? strtoll(v, &end, 0) : 0;
	return !end || !*end;
}

/* CONFIG_NR_CPUS >= CONFIG_SPLIT_PTLOCK_CPUS: numbers when both are,
 * else strings, as SystemTap compares them. */
static bool cond_config_pair(CondParser *cp, const char *lstr, int op)
{
	const PPContext *ctx = cp->pp->ctx;
	const char *rv = ctx && ctx->config ? ctx->config(cp->t.str) : NULL;
	const char *rstr = rv ? rv : "";
	int64_t a, b;
	bool nums = config_number(lstr, &a) && config_number(rstr, &b);
	int c = nums ? num_cmp(a, b) : strcmp(lstr, rstr);
	cond_advance(cp);
	return cond_result(op, c);
}

static bool cond_compare(CondParser *cp)
{
	if (tok_is_op(&cp->t, OP_LPAREN)) {
		cond_advance(cp);
		bool r = cond_or(cp);
		if (!cp->failed && !tok_is_op(&cp->t, OP_RPAREN))
			cond_fail(cp, "')'");
		else if (!cp->failed)
			cond_advance(cp);
		return r;
	}
	CondKind kind;
	const char *lstr;
	int64_t lnum;
	if (tok_is_op(&cp->t, OP_MINUS) && !cond_negate(cp))
		return false;
	Token left = cp->t;
	if (!cond_left(cp, &kind, &lstr, &lnum))
		return false;
	cond_advance(cp);
	int op = cp->t.kind == TK_OP ? cp->t.op : OP_NONE;
	bool eq_only = kind == CK_GLOB || kind == CK_EXACT || kind == CK_GURU;
	if (op != OP_EQ && op != OP_NE) {
		bool ordered = op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
		if (!ordered || eq_only) {
			cond_fail(cp, eq_only ? "'==' or '!='" : "a comparison operator");
			return false;
		}
	}
	cond_advance(cp);
	const Token *r = &cp->t;
	if (tok_is_op(r, OP_MINUS) && !cond_negate(cp))
		return false;
	if (kind == CK_CONFIG && r->kind == TK_IDENT && !strncmp(r->str, "CONFIG_", 7))
		return cond_config_pair(cp, lstr, op);
	bool want_num = kind == CK_NUMBER || kind == CK_GURU ||
			(kind == CK_CONFIG && r->kind == TK_NUMBER);
	if (want_num && r->kind != TK_NUMBER) {
		cond_fail(cp, "a number");
		return false;
	}
	if (!want_num && r->kind != TK_STRING) {
		cond_fail(cp, kind == CK_CONFIG ? "a string or a number" : "a string literal");
		return false;
	}
	int c;
	if (kind == CK_CONFIG && want_num) {
		/* An unset option is 0; a set one must read as a number. */
		int64_t v;
		if (!config_number(lstr, &v)) {
			diag_error(PP, left.loc, "%s is \"%s\", not a number", left.str, lstr);
			cp->failed = true;
			return false;
		}
		c = num_cmp(v, (int64_t)r->num);
	} else if (want_num) {
		c = num_cmp(lnum, (int64_t)r->num);
	} else if (kind == CK_CONFIG && op != OP_EQ && op != OP_NE) {
		cond_fail(cp, "'==' or '!=' before a string");
		return false;
	} else if ((kind == CK_VERSION || kind == CK_GLOB || kind == CK_CONFIG) &&
		   (op == OP_EQ || op == OP_NE)) {
		c = fnmatch(r->str, lstr, 0) == 0 ? 0 : 1;
	} else if (kind == CK_VERSION) {
		c = version_cmp(lstr, r->str);
	} else {
		c = strcmp(lstr, r->str);
	}
	cond_advance(cp);
	return cond_result(op, c);
}

static bool cond_and(CondParser *cp)
{
	bool r = cond_compare(cp);
	while (!cp->failed && tok_is_op(&cp->t, OP_ANDAND)) {
		cond_advance(cp);
		r = cond_compare(cp) && r;
	}
	return r;
}

static bool cond_or(CondParser *cp)
{
	bool r = cond_and(cp);
	while (!cp->failed && tok_is_op(&cp->t, OP_OROR)) {
		cond_advance(cp);
		r = cond_and(cp) || r;
	}
	return r;
}

/* Skips a branch up to the %: (when stop_at_else) or %) that ends it,
 * leaving that token in *t (or EOF).  A second %: of the same
 * conditional is an error. */
static void skip_branch(Preproc *pp, Token *t, bool stop_at_else)
{
	int depth = 0;
	for (;;) {
		fetch_raw(pp, t);
		if (t->kind == TK_EOF)
			return;
		if (tok_is_op(t, OP_PP_IF)) {
			depth++;
		} else if (tok_is_op(t, OP_PP_END)) {
			if (depth-- == 0)
				return;
		} else if (tok_is_op(t, OP_PP_ELSE) && depth == 0) {
			if (stop_at_else)
				return;
			diag_error(PP, t->loc, "a second '%%:' in one conditional");
		}
	}
}

static void push_cond(Preproc *pp, CondState st, Loc loc)
{
	if (pp->nconds == pp->conds_cap) {
		pp->conds_cap = pp->conds_cap ? pp->conds_cap * 2 : 8;
		pp->conds = realloc(pp->conds, sizeof(*pp->conds) * (size_t)pp->conds_cap);
		if (!pp->conds)
			fatal("out of memory");
	}
	pp->conds[pp->nconds++] = (PPCond){ st, loc };
}

static void begin_conditional(Preproc *pp, const Token *at)
{
	CondParser cp = { .pp = pp };
	cond_advance(&cp);
	bool taken = cond_or(&cp);
	if (!cp.failed && !tok_is_op(&cp.t, OP_PP_THEN))
		cond_fail(&cp, "'%?' after the condition");
	if (cp.failed) {
		/* Resynchronise at this conditional's %? so its branches are
		 * still matched with their %). */
		Token t = cp.t;
		int depth = 0;
		while (t.kind != TK_EOF && !(depth == 0 && tok_is_op(&t, OP_PP_THEN))) {
			if (tok_is_op(&t, OP_PP_IF))
				depth++;
			else if (tok_is_op(&t, OP_PP_END) && depth-- == 0)
				return;
			fetch_raw(pp, &t);
		}
		if (t.kind == TK_EOF)
			return;
		taken = false;
	}
	Token t;
	if (taken) {
		push_cond(pp, COND_THEN, at->loc);
		return;
	}
	skip_branch(pp, &t, true);
	if (t.kind == TK_EOF && !pp->lex.truncated)
		diag_error(PP, at->loc, "unterminated conditional, missing '%%)'");
	else if (tok_is_op(&t, OP_PP_ELSE))
		push_cond(pp, COND_ELSE, at->loc);
}

/* ---- the token stream ---- */

void pp_next(Preproc *pp, Token *t)
{
	for (;;) {
		fetch_raw(pp, t);
		if (tok_is_bad(t)) {
			if (pp->quiet)
				t->op = 0;
			else
				lex_report_bad(t);
		}
		switch (t->kind) {
		case TK_EOF:
			/* After an unterminated string or the like, the missing
			 * %) is no news. */
			if (pp->nconds && !pp->lex.truncated)
				diag_error(PP, pp->conds[pp->nconds - 1].loc,
					   "unterminated conditional, missing '%%)'");
			pp->nconds = 0;
			return;
		case TK_IDENT:
			if (t->str[0] != '@' && t->str[0] != '$')
				return;
			if (is_script_arg(t)) {
				if (expand_script_arg(pp, t))
					return;
				continue;
			}
			if (t->str[0] == '$')
				return;
			if (t->slen == 7 && !memcmp(t->str, "@define", 7)) {
				Token at = *t;
				define_macro(pp, &at);
				continue;
			}
			{
				const Macro *m = find_macro(pp, t);
				if (m) {
					Token at = *t;
					invoke_macro(pp, m, &at);
					continue;
				}
			}
			return;
		case TK_OP:
			switch (t->op) {
			case OP_PP_IF: {
				Token at = *t;
				begin_conditional(pp, &at);
				continue;
			}
			case OP_PP_ELSE:
				if (pp->nconds && pp->conds[pp->nconds - 1].state == COND_ELSE) {
					diag_error(PP, t->loc, "a second '%%:' in one conditional");
					continue;
				}
				if (pp->nconds && pp->conds[pp->nconds - 1].state == COND_THEN) {
					Token end;
					skip_branch(pp, &end, false);
					if (end.kind == TK_EOF && !pp->lex.truncated)
						diag_error(PP, pp->conds[pp->nconds - 1].loc,
							   "unterminated conditional, missing '%%)'");
					pp->nconds--;
					continue;
				}
				diag_error(PP, t->loc, "'%%:' without a matching '%%( ... %%?'");
				continue;
			case OP_PP_END:
				if (pp->nconds) {
					pp->nconds--;
					continue;
				}
				diag_error(PP, t->loc, "'%%)' without a matching '%%('");
				continue;
			case OP_PP_THEN:
				diag_error(PP, t->loc, "'%%?' without a matching '%%('");
				continue;
			}
			return;
		default:
			return;
		}
	}
}
