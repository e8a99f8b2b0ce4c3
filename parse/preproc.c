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
	const Macro *macro;	/* for a macro body: its parameters apply */
	Token **args;		/* the invocation's arguments, one array each */
	int *nargs;
};

typedef enum { COND_THEN, COND_ELSE } CondState;
struct PPCond {
	CondState state;
	Loc loc;
};

MacroTable g_library_macros;

enum { MAX_EXPANSION_DEPTH = 200, MAX_EXPANSIONS = 10000000 };

static const char PP[] = "parse";

/* ---- macro tables ---- */

static Macro *macro_find(const MacroTable *mt, const char *name)
{
	if (!mt->cap)
		return NULL;
	unsigned i = (unsigned)((uintptr_t)name >> 4) & (mt->cap - 1);
	for (; mt->slots[i]; i = (i + 1) & (mt->cap - 1))
		if (mt->slots[i]->name == name)
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
			unsigned j = (unsigned)((uintptr_t)o->name >> 4) & (ncap - 1);
			while (n[j])
				j = (j + 1) & (ncap - 1);
			n[j] = o;
		}
		free(mt->slots);
		mt->slots = n;
		mt->cap = ncap;
	}
	unsigned i = (unsigned)((uintptr_t)m->name >> 4) & (mt->cap - 1);
	while (mt->slots[i])
		i = (i + 1) & (mt->cap - 1);
	mt->slots[i] = m;
	mt->count++;
}

/* ---- input stack ---- */

static PPInput *push_input(Preproc *pp, const Token *toks, int n, Loc site)
{
	/* Finished inputs go first, so a chain of expansions in tail position
	 * does not count as nesting. */
	while (pp->ninputs && pp->inputs[pp->ninputs - 1].pos >= pp->inputs[pp->ninputs - 1].n)
		pp->ninputs--;
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

void pp_init(Preproc *pp, const SrcFile *file, const PPContext *ctx)
{
	memset(pp, 0, sizeof(*pp));
	lexer_init(&pp->lex, file);
	pp->ctx = ctx;
	pp->defs = file->is_macro_lib ? &g_library_macros : &pp->local;
}

void pp_finish(Preproc *pp)
{
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
			pp->ninputs--;
			continue;
		}
		*t = in->toks[in->pos++];
		if (in->site.file)
			t->loc = loc_expanded(t->loc, in->site);
		if (in->macro && t->kind == TK_IDENT && t->str[0] == '@') {
			int k = param_index(in->macro, intern(t->str + 1, t->slen - 1));
			if (k >= 0) {
				/* Argument tokens already carry their own locations. */
				push_input(pp, in->args[k], in->nargs[k], (Loc){ 0, 0 });
				continue;
			}
		}
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

static void define_macro(Preproc *pp, const Token *at)
{
	char buf[128];
	Token t;
	fetch_raw(pp, &t);
	if (t.kind != TK_IDENT || t.str[0] == '$' || t.str[0] == '@') {
		diag_error(PP, t.loc, "expected a macro name after @define, found %s",
			   tok_describe(&t, buf, sizeof(buf)));
		return;
	}
	Macro *m = ANEW(&g_arena, Macro);
	m->name = t.str;
	m->loc = t.loc;
	fetch_raw(pp, &t);
	if (tok_is_op(&t, OP_LPAREN)) {
		PtrVec params = { 0 };
		fetch_raw(pp, &t);
		while (!tok_is_op(&t, OP_RPAREN)) {
			if (t.kind != TK_IDENT || t.str[0] == '$' || t.str[0] == '@') {
				diag_error(PP, t.loc, "expected a macro parameter name, found %s",
					   tok_describe(&t, buf, sizeof(buf)));
				free(params.v);
				return;
			}
			vec_push(&params, (void *)t.str);
			fetch_raw(pp, &t);
			if (tok_is_op(&t, OP_COMMA))
				fetch_raw(pp, &t);
			else if (!tok_is_op(&t, OP_RPAREN)) {
				diag_error(PP, t.loc, "expected ',' or ')' in macro parameters, found %s",
					   tok_describe(&t, buf, sizeof(buf)));
				free(params.v);
				return;
			}
		}
		m->params = (const char **)vec_finish(&params, &m->nparams);
		fetch_raw(pp, &t);
	}
	if (!tok_is_op(&t, OP_PP_IF)) {
		diag_error(PP, t.loc, "expected '%%(' to start the body of macro @%s, found %s",
			   m->name, tok_describe(&t, buf, sizeof(buf)));
		return;
	}
	TokVec body = { 0 };
	int depth = 0;
	for (;;) {
		fetch_raw(pp, &t);
		if (t.kind == TK_EOF) {
			diag_error(PP, at->loc, "unterminated body of macro @%s, missing '%%)'", m->name);
			free(body.v);
			return;
		}
		if (tok_is_op(&t, OP_PP_IF))
			depth++;
		else if (tok_is_op(&t, OP_PP_END) && depth-- == 0)
			break;
		tv_push(&body, &t);
	}
	m->body = tv_finish(&body, &m->nbody);
	/* A file's own macro may shadow a library one, never another of its own. */
	if (macro_find(pp->defs, m->name)) {
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
	const char *name = intern(t->str + 1, t->slen - 1);
	const Macro *m = macro_find(&pp->local, name);
	return m ? m : macro_find(&g_library_macros, name);
}

static void invoke_macro(Preproc *pp, const Macro *m, const Token *at)
{
	char buf[128];
	/* A macro that expands to itself nests without end: the depth limit
	 * catches it (a use inside its own arguments is fine). */
	if (pp->ninputs >= MAX_EXPANSION_DEPTH || ++pp->expansions > MAX_EXPANSIONS) {
		diag_error(PP, at->loc, "recursive or too deep expansion of macro '@%s'", m->name);
		pp->ninputs = 0;
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
		args = ANEWN(&g_arena, Token *, m->nparams);
		nargs = ANEWN(&g_arena, int, m->nparams);
		int k = 0, depth = 0;
		TokVec cur = { 0 };
		for (;;) {
			fetch_raw(pp, &t);
			if (t.kind == TK_EOF) {
				diag_error(PP, at->loc, "unterminated arguments of macro '@%s'", m->name);
				free(cur.v);
				return;
			}
			if (depth == 0 && (tok_is_op(&t, OP_COMMA) || tok_is_op(&t, OP_RPAREN))) {
				if (k < m->nparams)
					args[k] = tv_finish(&cur, &nargs[k]);
				else
					free(cur.v), memset(&cur, 0, sizeof(cur));
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
			return;
		}
	}
	PPInput *in = push_input(pp, m->body, m->nbody, at->loc);
	in->macro = m;
	in->args = args;
	in->nargs = nargs;
}

/* ---- conditionals ---- */

typedef struct CondVal {
	bool is_num;
	bool is_version;	/* kernel_v and friends compare as versions */
	bool is_glob;		/* == and != match the right side as a pattern */
	int64_t num;
	const char *str;
	Loc loc;
} CondVal;

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

static CondVal cond_operand(CondParser *cp)
{
	/* Literal numbers have no string; CONFIG values that look like numbers
	 * have both, so they compare either way. */
	CondVal v = { .loc = cp->t.loc };
	const PPContext *ctx = cp->pp->ctx;
	Token *t = &cp->t;
	if (t->kind == TK_NUMBER) {
		v.is_num = true;
		v.num = (int64_t)t->num;
	} else if (tok_is_op(t, OP_MINUS)) {
		cond_advance(cp);
		if (t->kind != TK_NUMBER) {
			cond_fail(cp, "a number after '-'");
			return v;
		}
		v.is_num = true;
		v.num = -(int64_t)t->num;
	} else if (t->kind == TK_STRING) {
		v.str = t->str;
	} else if (t->kind == TK_IDENT) {
		const char *n = t->str;
		v.is_glob = true;
		v.str = "";
		if (!strcmp(n, "kernel_v")) {
			v.str = ctx ? ctx->kernel_v : "";
			v.is_version = true;
		} else if (!strcmp(n, "kernel_vr")) {
			v.str = ctx ? ctx->kernel_vr : "";
			v.is_version = true;
		} else if (!strcmp(n, "systemtap_v")) {
			v.str = ctx ? ctx->systemtap_v : "";
			v.is_version = true;
		} else if (!strcmp(n, "arch")) {
			v.str = ctx ? ctx->arch : "";
		} else if (!strcmp(n, "runtime")) {
			v.str = ctx ? ctx->runtime : "";
		} else if (!strcmp(n, "systemtap_privilege")) {
			v.str = ctx ? ctx->privilege : "";
		} else if (!strcmp(n, "guru_mode")) {
			v.str = NULL;
			v.is_num = true;
			v.num = ctx && ctx->guru_mode;
		} else if (!strncmp(n, "CONFIG_", 7)) {
			const char *val = ctx && ctx->config ? ctx->config(n) : NULL;
			v.str = val ? val : "";
			char *end;
			if (val && *val) {
				long long x = strtoll(val, &end, 0);
				if (!*end) {
					v.is_num = true;
					v.num = x;
				}
			}
		} else {
			cond_fail(cp, "'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
				  "'systemtap_privilege', 'guru_mode', 'CONFIG_...' or a literal");
			return v;
		}
	} else {
		cond_fail(cp, "'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
			  "'systemtap_privilege', 'guru_mode', 'CONFIG_...' or a literal");
		return v;
	}
	cond_advance(cp);
	return v;
}

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

static bool cond_compare(CondParser *cp)
{
	if (tok_is_op(&cp->t, OP_LPAREN)) {
		cond_advance(cp);
		bool r = cond_or(cp);
		if (!tok_is_op(&cp->t, OP_RPAREN))
			cond_fail(cp, "')'");
		else
			cond_advance(cp);
		return r;
	}
	CondVal a = cond_operand(cp);
	if (cp->failed)
		return false;
	int op = cp->t.kind == TK_OP ? cp->t.op : OP_NONE;
	if (op != OP_EQ && op != OP_NE && op != OP_LT && op != OP_LE && op != OP_GT && op != OP_GE) {
		cond_fail(cp, "a comparison operator");
		return false;
	}
	Loc at = cp->t.loc;
	cond_advance(cp);
	CondVal b = cond_operand(cp);
	if (cp->failed)
		return false;
	int c;
	if (a.is_num && b.is_num) {
		c = a.num < b.num ? -1 : a.num > b.num;
	} else if (!a.str || !b.str) {
		diag_error(PP, at, "comparison between a number and a string in a conditional");
		cp->failed = true;
		return false;
	} else if ((op == OP_EQ || op == OP_NE) && a.is_glob) {
		c = fnmatch(b.str, a.str, 0) == 0 ? 0 : 1;
	} else if (a.is_version || b.is_version) {
		c = version_cmp(a.str, b.str);
	} else {
		c = strcmp(a.str, b.str);
	}
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
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

/* Skips a branch; returns the %: or %) that ended it (or EOF). */
static void skip_branch(Preproc *pp, Token *t, bool stop_at_else)
{
	int depth = 0;
	for (;;) {
		fetch_raw(pp, t);
		if (t->kind == TK_EOF)
			return;
		if (tok_is_op(t, OP_PP_IF))
			depth++;
		else if (tok_is_op(t, OP_PP_END)) {
			if (depth-- == 0)
				return;
		} else if (tok_is_op(t, OP_PP_ELSE) && depth == 0 && stop_at_else)
			return;
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
		taken = false;
	}
	Token t;
	if (taken) {
		push_cond(pp, COND_THEN, at->loc);
		return;
	}
	skip_branch(pp, &t, true);
	if (t.kind == TK_EOF)
		diag_error(PP, at->loc, "unterminated conditional, missing '%%)'");
	else if (tok_is_op(&t, OP_PP_ELSE))
		push_cond(pp, COND_ELSE, at->loc);
}

/* ---- the token stream ---- */

void pp_next(Preproc *pp, Token *t)
{
	for (;;) {
		fetch_raw(pp, t);
		switch (t->kind) {
		case TK_EOF:
			if (pp->nconds) {
				diag_error(PP, pp->conds[pp->nconds - 1].loc,
					   "unterminated conditional, missing '%%)'");
				pp->nconds = 0;
			}
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
				if (pp->nconds && pp->conds[pp->nconds - 1].state == COND_THEN) {
					Token end;
					skip_branch(pp, &end, false);
					if (end.kind == TK_EOF)
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
