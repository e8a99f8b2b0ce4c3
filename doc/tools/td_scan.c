/* Finds the functions and probe aliases of one tapset file, each with the
 * doc comment right before it.
 *
 * The file is split into tokens by the translator's own lexer, so strings,
 * comments and embedded C are read exactly as stap reads them.  Doc
 * comments live in the gaps between tokens.  Only the top level is
 * examined: bodies are skipped by their braces.  Both branches of a
 * %( %? %: %) conditional are read, so a function defined once per
 * architecture or runtime is checked in every variant. */
#include "doc/tools/tapsetdoc.h"
#include "parse/diag.h"
#include "parse/lexer.h"
#include "parse/source.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Scan {
	const SrcFile *src;
	const char *path;
	Token *toks;
	int n;
	int i;			/* the next token */
	unsigned runtimes;
	const char *arch;
	Vec *decls;
} Scan;

static unsigned line_of(const Scan *s, uint32_t off)
{
	uint32_t line, col;
	loc_line_col((Loc){ s->src->id, off }, &line, &col);
	return line;
}

static const Token *tok(const Scan *s, int i)
{
	return &s->toks[i < s->n ? i : s->n - 1];
}

static bool is_op(const Scan *s, int i, OpCode op)
{
	return tok_is_op(tok(s, i), op);
}

static bool is_kw(const Scan *s, int i, KwCode kw)
{
	return tok_is_kw(tok(s, i), kw);
}

static bool is_name(const Scan *s, int i)
{
	const Token *t = tok(s, i);
	return t->kind == TK_IDENT && t->str[0] != '$' && t->str[0] != '@';
}

/* ---- doc comments in the gap before a token ---- */

typedef struct Comment {
	uint32_t start, end;	/* offsets of the comment's first and last byte + 1 */
	bool doc;
} Comment;

/* A doc comment opens with slash-star-star and a blank; slash-star-star-
 * slash and slash-star-star-star (banners) are plain comments. */
static bool opens_doc(const char *p, const char *end)
{
	return end - p >= 4 && p[0] == '/' && p[1] == '*' && p[2] == '*' &&
	       (p[3] == ' ' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r');
}

/* The comments between from and to (a gap holds nothing else), into *out
 * (malloc'ed); returns how many. */
static int gap_comments(const Scan *s, uint32_t from, uint32_t to, Comment **out)
{
	const char *text = s->src->text, *p = text + from, *end = text + to;
	int n = 0;
	*out = NULL;
	while (p < end) {
		Comment c;
		if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			c = (Comment){ (uint32_t)(p - text), (uint32_t)((nl ? nl : end) - text), false };
			p = nl ? nl + 1 : end;
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			const char *q = p + 2;
			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			c = (Comment){ (uint32_t)(p - text), (uint32_t)(q + 2 - text), opens_doc(p, end) };
			p = q + 2;
		} else {
			p++;
			continue;
		}
		*out = realloc(*out, sizeof(Comment) * (size_t)(n + 1));
		if (!*out) {
			fputs("tapsetdoc: out of memory\n", stderr);
			exit(2);
		}
		(*out)[n++] = c;
	}
	return n;
}

static void orphan(Scan *s, const Comment *c, const char *why)
{
	td_error(s->path, line_of(s, c->start), "doc comment documents nothing: %s", why);
}

/* The doc comment that documents token i, if any, into *doc; every other
 * doc comment in the gap before it is an error.  documents says whether
 * token i starts something a doc comment may document. */
static bool doc_before(Scan *s, int i, bool documents, Comment *doc)
{
	uint32_t from = 0;
	if (i > 0) {
		const Token *p = tok(s, i - 1);
		from = p->loc.off + p->len;
	}
	Comment *c;
	int n = gap_comments(s, from, tok(s, i)->loc.off, &c);
	bool found = false;
	for (int k = 0; k < n; k++) {
		if (!c[k].doc)
			continue;
		if (k + 1 < n)
			orphan(s, &c[k], "another comment follows it");
		else if (!documents)
			orphan(s, &c[k], "it is not followed by a function or probe alias");
		else
			*doc = c[k], found = true;
	}
	free(c);
	return found;
}

/* ---- skipping ---- */

/* From an opening '{' at i: the index after its matching '}'. */
static int skip_braces(Scan *s, int i)
{
	int depth = 0;
	for (; i < s->n - 1; i++) {
		if (is_op(s, i, OP_LBRACE)) {
			depth++;
		} else if (is_op(s, i, OP_RBRACE) && --depth == 0) {
			return i + 1;
		}
	}
	return i;
}

/* @define NAME[(PARAMS)] %( BODY %): the index after the body. */
static int skip_define(Scan *s, int i)
{
	i++;
	if (is_name(s, i))
		i++;
	if (is_op(s, i, OP_LPAREN))
		while (i < s->n - 1 && !is_op(s, i++, OP_RPAREN))
			;
	if (!is_op(s, i, OP_PP_IF))
		return i;
	int depth = 0;
	for (; i < s->n - 1; i++) {
		if (is_op(s, i, OP_PP_IF))
			depth++;
		else if (is_op(s, i, OP_PP_END) && --depth == 0)
			return i + 1;
	}
	return i;
}

/* %( CONDITION %?: the index after the %?.  The branches that follow are
 * read as top-level text; their %: and %) are passed over. */
static int skip_condition(Scan *s, int i)
{
	int depth = 0;
	for (; i < s->n - 1; i++) {
		if (is_op(s, i, OP_PP_IF))
			depth++;
		else if (is_op(s, i, OP_PP_THEN) && --depth == 0)
			return i + 1;
	}
	return i;
}

/* ---- declarations ---- */

static Decl *decl_new(Scan *s, DeclKind kind, int at, const Comment *doc)
{
	static unsigned order;
	Decl *d = calloc(1, sizeof(*d));
	if (!d) {
		fputs("tapsetdoc: out of memory\n", stderr);
		exit(2);
	}
	d->kind = kind;
	d->file = s->path;
	d->line = line_of(s, tok(s, at)->loc.off);
	d->order = order++;
	d->runtimes = s->runtimes;
	d->arch = s->arch;
	if (doc) {
		/* The text between the opening and the closing marks. */
		const char *text = s->src->text;
		d->doc = td_strndup(text + doc->start + 3, doc->end - doc->start - 5);
		d->doc_line = line_of(s, doc->start);
	}
	return d;
}

/* The declaration being read is given up (kept only for leak checkers). */
static bool cannot_read(Scan *s, int at, const char *what, Decl *d)
{
	if (d)
		td_keep(d);
	td_error(s->path, line_of(s, tok(s, at)->loc.off),
		 "cannot read this %s declaration (stap -p1 shows why)", what);
	return false;
}

static char *type_after_colon(Scan *s)
{
	if (!is_op(s, s->i, OP_COLON))
		return NULL;
	if (is_kw(s, s->i + 1, KW_LONG) || is_kw(s, s->i + 1, KW_STRING)) {
		s->i += 2;
		return td_strdup(tok(s, s->i - 1)->str);
	}
	return NULL;
}

/* function NAME[:TYPE] (P[:TYPE], ...) [:PRIORITY] { ... } or %{ ... %} */
static bool read_function(Scan *s, int start, bool is_private, const Comment *doc)
{
	s->i = start + 1;
	if (!is_name(s, s->i))
		return cannot_read(s, start, "function", NULL);
	Decl *d = decl_new(s, DK_FUNCTION, start, doc);
	d->names = malloc(sizeof(char *));
	d->names[0] = td_strdup(tok(s, s->i)->str);
	d->nnames = 1;
	d->internal = is_private || d->names[0][0] == '_';
	s->i++;
	d->ret_type = type_after_colon(s);
	if (!is_op(s, s->i, OP_LPAREN))
		return cannot_read(s, start, "function", d);
	s->i++;
	while (!is_op(s, s->i, OP_RPAREN)) {
		if (!is_name(s, s->i))
			return cannot_read(s, start, "function", d);
		d->params = realloc(d->params, sizeof(Param) * (size_t)(d->nparams + 1));
		Param *p = &d->params[d->nparams++];
		p->name = td_strdup(tok(s, s->i)->str);
		s->i++;
		p->type = type_after_colon(s);
		if (is_op(s, s->i, OP_COMMA))
			s->i++;
		else if (!is_op(s, s->i, OP_RPAREN))
			return cannot_read(s, start, "function", d);
	}
	s->i++;
	if (is_op(s, s->i, OP_COLON)) {
		s->i++;
		if (is_op(s, s->i, OP_MINUS))
			s->i++;
		if (tok(s, s->i)->kind != TK_NUMBER)
			return cannot_read(s, start, "function", d);
		s->i++;
	}
	if (tok(s, s->i)->kind == TK_EMBEDDED)
		s->i++;
	else if (is_op(s, s->i, OP_LBRACE))
		s->i = skip_braces(s, s->i);
	else
		return cannot_read(s, start, "function", d);
	vec_add(s->decls, d);
	return true;
}

static bool assign_op(const Token *t)
{
	if (t->kind != TK_OP)
		return false;
	switch (t->op) {
	case OP_ASSIGN: case OP_ADD_ASSIGN: case OP_SUB_ASSIGN: case OP_MUL_ASSIGN:
	case OP_DIV_ASSIGN: case OP_MOD_ASSIGN: case OP_SHL_ASSIGN: case OP_SHR_ASSIGN:
	case OP_AND_ASSIGN: case OP_XOR_ASSIGN: case OP_OR_ASSIGN: case OP_CAT_ASSIGN:
	case OP_INC: case OP_DEC:
		return true;
	}
	return false;
}

/* Names a body gives values to: NAME followed by an assignment operator. */
static void collect_assigned(Scan *s, Decl *d, int from, int to)
{
	for (int k = from; k + 1 < to; k++) {
		if (!is_name(s, k) || !assign_op(tok(s, k + 1)))
			continue;
		const char *name = tok(s, k)->str;
		bool seen = false;
		for (int j = 0; j < d->nassigned && !seen; j++)
			seen = !strcmp(d->assigned[j], name);
		if (seen)
			continue;
		d->assigned = realloc(d->assigned, sizeof(char *) * (size_t)(d->nassigned + 1));
		d->assigned[d->nassigned++] = td_strdup(name);
	}
}

/* One probe point as written, tokens joined without blanks. */
static char *point_text(Scan *s, int from, int to)
{
	size_t len = 0;
	for (int k = from; k < to; k++)
		len += tok(s, k)->len + 2;
	char *out = malloc(len + 1), *o = out;
	for (int k = from; k < to; k++) {
		const Token *t = tok(s, k);
		/* Strings keep their quotes: the spelling is the source text. */
		memcpy(o, s->src->text + t->loc.off, t->len);
		o += t->len;
	}
	*o = '\0';
	return out;
}

/* probe POINTS { ... }, or an alias: probe NAMES = POINTS { ... } [, { ... }]
 * (or += POINTS { ... }).  Only aliases become declarations. */
static bool read_probe(Scan *s, int start, const Comment *doc)
{
	int i = start + 1, depth = 0, eq = -1;
	/* The names (or points) up to '=', '+=' or the body's '{'. */
	for (; i < s->n - 1; i++) {
		if (is_op(s, i, OP_LPAREN)) {
			depth++;
		} else if (is_op(s, i, OP_RPAREN)) {
			depth--;
		} else if (depth == 0 && (is_op(s, i, OP_ASSIGN) || is_op(s, i, OP_ADD_ASSIGN))) {
			eq = i;
			break;
		} else if (depth == 0 && is_op(s, i, OP_LBRACE)) {
			const Token *p = tok(s, i - 1);
			if (i == start + 1 || tok_is_op(p, OP_DOT) || tok_is_op(p, OP_COMMA)) {
				i = skip_braces(s, i) - 1;	/* {a,b} alternatives */
				continue;
			}
			break;
		}
	}
	Decl *d = NULL;
	if (eq >= 0) {
		d = decl_new(s, DK_PROBE, start, doc);
		int from = start + 1;
		for (int k = start + 1; k <= eq; k++) {
			if (k < eq && !is_op(s, k, OP_COMMA))
				continue;
			if (k == from)
				return cannot_read(s, start, "probe alias", d);
			d->names = realloc(d->names, sizeof(char *) * (size_t)(d->nnames + 1));
			d->names[d->nnames++] = point_text(s, from, k);
			from = k + 1;
		}
		d->internal = d->names[0][0] == '_';
		/* The points it stands for, up to its body. */
		for (i = eq + 1, depth = 0; i < s->n - 1; i++) {
			if (is_op(s, i, OP_LPAREN)) {
				depth++;
			} else if (is_op(s, i, OP_RPAREN)) {
				depth--;
			} else if (depth == 0 && is_op(s, i, OP_LBRACE)) {
				const Token *p = tok(s, i - 1);
				if (i == eq + 1 || tok_is_op(p, OP_DOT) || tok_is_op(p, OP_COMMA)) {
					i = skip_braces(s, i) - 1;
					continue;
				}
				break;
			}
		}
	} else if (doc) {
		/* The comment sits before a probe that is no alias. */
		Comment c = *doc;
		orphan(s, &c, "a probe that is not an alias gets no page");
	}
	if (!is_op(s, i, OP_LBRACE))
		return d ? cannot_read(s, start, "probe alias", d) : true;
	int body = i;
	i = skip_braces(s, i);
	if (d)
		collect_assigned(s, d, body, i);
	/* A prologue alias may have an epilogue: = POINTS { ... }, { ... } */
	if (d && is_op(s, eq, OP_ASSIGN) && is_op(s, i, OP_COMMA) && is_op(s, i + 1, OP_LBRACE)) {
		body = i + 1;
		i = skip_braces(s, body);
		collect_assigned(s, d, body, i);
	}
	s->i = i;
	if (d)
		vec_add(s->decls, d);
	return true;
}

/* ---- the top level ---- */

static void scan_top(Scan *s)
{
	s->i = 0;
	while (s->i < s->n - 1) {
		int i = s->i;
		const Token *t = tok(s, i);
		bool is_fn = tok_is_kw(t, KW_FUNCTION);
		bool is_priv_fn = tok_is_kw(t, KW_PRIVATE) && is_kw(s, i + 1, KW_FUNCTION);
		bool is_probe = tok_is_kw(t, KW_PROBE);
		Comment c;
		const Comment *doc = doc_before(s, i, is_fn || is_priv_fn || is_probe, &c) ? &c : NULL;
		if (is_fn || is_priv_fn) {
			if (!read_function(s, i + is_priv_fn, is_priv_fn, doc))
				s->i = i + 1;
		} else if (is_probe) {
			if (!read_probe(s, i, doc))
				s->i = i + 1;
		} else if (t->kind == TK_IDENT && !strcmp(t->str, "@define")) {
			s->i = skip_define(s, i);
		} else if (tok_is_op(t, OP_PP_IF)) {
			s->i = skip_condition(s, i);
		} else if (tok_is_op(t, OP_LBRACE)) {
			s->i = skip_braces(s, i);
		} else {
			s->i = i + 1;
		}
	}
	/* Doc comments after the last declaration document nothing. */
	Comment c;
	doc_before(s, s->n - 1, false, &c);
}

bool td_scan_file(const char *path, unsigned runtimes, const char *arch, Vec *decls)
{
	SrcFile *src = src_load(path, path);
	if (!src) {
		fprintf(stderr, "tapsetdoc: cannot read %s: %s\n", path, strerror(errno));
		return false;
	}
	Scan s = { .src = src, .path = path, .runtimes = runtimes, .arch = arch, .decls = decls };
	int errors = diag_error_count(), cap = 0;
	Lexer lx;
	lexer_init(&lx, src);
	for (;;) {
		if (s.n == cap) {
			cap = cap ? cap * 2 : 1024;
			s.toks = realloc(s.toks, sizeof(Token) * (size_t)cap);
			if (!s.toks) {
				fputs("tapsetdoc: out of memory\n", stderr);
				exit(2);
			}
		}
		lex_next(&lx, &s.toks[s.n]);
		if (s.toks[s.n++].kind == TK_EOF)
			break;
	}
	if (diag_error_count() != errors) {
		/* The lexer printed what is wrong, in stap's own layout. */
		td_error(NULL, 0, "unreadable file");
		free(s.toks);
		return true;
	}
	scan_top(&s);
	free(s.toks);
	return true;
}
