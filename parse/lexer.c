#include "parse/lexer.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include <stdio.h>
#include <string.h>

#define X_TEXT(name, text) text,
const char *const op_text[OP_COUNT] = { "", OPERATORS(X_TEXT) };
const char *const kw_text[KW_COUNT] = { "", KEYWORDS(X_TEXT) };
#undef X_TEXT

static const unsigned char ident_char[256] = {
#define R(a, b) [a ... b] = 1
	R('a', 'z'), R('A', 'Z'), R('0', '9'), ['_'] = 1, ['$'] = 1,
#undef R
};

/* Keywords are tagged with their codes in the intern table, so reading a
 * name says whether it is one in the same lookup.  The table may have
 * been reset since the last file. */
static void register_keywords(void)
{
	for (int k = 1; k < KW_COUNT; k++)
		intern_set_tag(kw_text[k], strlen(kw_text[k]), k);
}

void lexer_init(Lexer *lx, const SrcFile *file)
{
	lx->file = file;
	lx->p = file->text;
	lx->end = file->text + file->len;
	lx->truncated = false;
	register_keywords();
}

static Loc here(const Lexer *lx, const char *p)
{
	return (Loc){ lx->file->id, (uint32_t)(p - lx->file->text) };
}

static void lex_error(const Lexer *lx, const char *at, const char *fmt, const char *arg)
{
	diag_error("parse", here(lx, at), fmt, arg);
}

static const unsigned char blank[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
};

/* Skips blanks and the three comment forms; false at an unterminated one. */
static void skip_space(Lexer *lx)
{
	const char *p = lx->p, *end = lx->end;
	for (;;) {
		while (p < end && blank[(unsigned char)*p])
			p++;
		if (p >= end)
			break;
		if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			/* Tapsets are mostly comments: find each '*' with memchr. */
			const char *q = p + 2;
			while ((q = memchr(q, '*', (size_t)(end - q))) && q + 1 < end && q[1] != '/')
				q++;
			if (!q || q + 1 >= end) {
				lex_error(lx, p, "%s", "unterminated comment, missing '*/'");
				lx->truncated = true;
				p = end;
				break;
			}
			p = q + 2;
		} else {
			break;
		}
	}
	lx->p = p;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes a string literal's escapes into the arena. */
static void lex_string(Lexer *lx, Token *t)
{
	const char *start = lx->p, *p = start + 1, *end = lx->end;
	const char *close = p;
	while (close < end && *close != '"' && *close != '\n') {
		if (*close == '\\' && close + 1 < end && close[1] != '\n')
			close++;
		close++;
	}
	if (close >= end || *close != '"') {
		/* Strings do not span lines.  What follows an unterminated one
		 * is unknowable (its quotes pair the wrong way), so lexing ends. */
		lex_error(lx, start, "%s", "unterminated string, missing closing '\"'");
		t->kind = TK_STRING;
		t->str = "";
		t->slen = 0;
		lx->p = end;
		lx->truncated = true;
		t->len = (uint32_t)(close - start);
		return;
	}
	char *out = arena_alloc(&g_arena, (size_t)(close - p) + 1);
	size_t n = 0;
	while (p < close) {
		char c = *p++;
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		c = *p++;
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'a': out[n++] = '\a'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'v': out[n++] = '\v'; break;
		case 'x': {
			int v = 0, k = 0;
			while (k < 2 && p < close && hexval(*p) >= 0)
				v = v * 16 + hexval(*p++), k++;
			if (k == 0 && !t->op) {
				t->op = TOK_BAD_ESCAPE;
				t->num = (uint64_t)(p - 2 - start);
			}
			out[n++] = (char)v;
			break;
		}
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			int v = c - '0', k = 1;
			while (k < 3 && p < close && *p >= '0' && *p <= '7')
				v = v * 8 + (*p++ - '0'), k++;
			out[n++] = (char)v;
			break;
		}
		default:
			/* \\, \", and unknown escapes stand for the character itself. */
			out[n++] = c;
			break;
		}
	}
	out[n] = '\0';
	t->kind = TK_STRING;
	t->str = out;
	t->slen = (uint32_t)n;
	lx->p = close + 1;
	t->len = (uint32_t)(lx->p - start);
}

/* Numbers wrap into 64 bits: values above INT64_MAX become negative, as in
 * SystemTap; anything above 2^64-1 or malformed is an error, reported only
 * if the token is used (lex_report_bad): a branch a conditional skips may
 * hold anything. */
static void lex_number(Lexer *lx, Token *t)
{
	const char *start = lx->p, *p = start;
	/* Letters and digits, as SystemTap: "1_000" is 1 then _000. */
	while (p < lx->end && ident_char[(unsigned char)*p] && *p != '$' && *p != '_')
		p++;
	lx->p = p;
	t->kind = TK_NUMBER;
	t->len = (uint32_t)(p - start);
	t->num = 0;
	size_t len = (size_t)(p - start);
	const char *d = start;
	unsigned base = 10;
	if (len > 1 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
		base = 16;
		d += 2;
		if (d == p)
			goto bad;
	} else if (len > 1 && d[0] == '0') {
		base = 8;
		d++;
	}
	uint64_t v = 0;
	for (; d < p; d++) {
		int k = hexval(*d);
		if (k < 0 || (unsigned)k >= base)
			goto bad;
		if (v > (UINT64_MAX - (unsigned)k) / base)
			goto range;
		v = v * base + (unsigned)k;
	}
	t->num = v;
	return;
bad:
	t->op = TOK_BAD_NUMBER;
	return;
range:
	t->op = TOK_NUMBER_RANGE;
}

static int match_op(const char *p, const char *end)
{
	size_t avail = (size_t)(end - p);
	char c1 = avail > 1 ? p[1] : 0, c2 = avail > 2 ? p[2] : 0;
	switch (p[0]) {
	case '<':
		if (c1 == '<')
			return c2 == '=' ? OP_SHL_ASSIGN : c2 == '<' ? OP_STAT_ASSIGN : OP_SHL;
		return c1 == '=' ? OP_LE : OP_LT;
	case '>':
		if (c1 == '>')
			return c2 == '=' ? OP_SHR_ASSIGN : c2 == '>' ? OP_USHR : OP_SHR;
		return c1 == '=' ? OP_GE : OP_GT;
	case '=':
		return c1 == '=' ? OP_EQ : c1 == '~' ? OP_MATCH : OP_ASSIGN;
	case '!':
		return c1 == '=' ? OP_NE : c1 == '~' ? OP_NOMATCH : OP_NOT;
	case '&':
		return c1 == '&' ? OP_ANDAND : c1 == '=' ? OP_AND_ASSIGN : OP_AMP;
	case '|':
		return c1 == '|' ? OP_OROR : c1 == '=' ? OP_OR_ASSIGN : OP_PIPE;
	case '+':
		return c1 == '+' ? OP_INC : c1 == '=' ? OP_ADD_ASSIGN : OP_PLUS;
	case '-':
		return c1 == '-' ? OP_DEC : c1 == '=' ? OP_SUB_ASSIGN : c1 == '>' ? OP_ARROW : OP_MINUS;
	case '*':
		return c1 == '=' ? OP_MUL_ASSIGN : c1 == '*' ? OP_STARSTAR : OP_STAR;
	case '/':
		return c1 == '=' ? OP_DIV_ASSIGN : OP_SLASH;
	case '%':
		switch (c1) {
		case '=': return OP_MOD_ASSIGN;
		case '(': return OP_PP_IF;
		case '?': return OP_PP_THEN;
		case ':': return OP_PP_ELSE;
		case ')': return OP_PP_END;
		}
		return OP_PERCENT;
	case '^':
		return c1 == '=' ? OP_XOR_ASSIGN : OP_CARET;
	case '.':
		return c1 == '=' ? OP_CAT_ASSIGN : OP_DOT;
	case '~': return OP_TILDE;
	case '?': return OP_QUESTION;
	case ':': return OP_COLON;
	case ';': return OP_SEMI;
	case ',': return OP_COMMA;
	case '(': return OP_LPAREN;
	case ')': return OP_RPAREN;
	case '[': return OP_LBRACKET;
	case ']': return OP_RBRACKET;
	case '{': return OP_LBRACE;
	case '}': return OP_RBRACE;
	}
	return OP_NONE;
}

void lex_next(Lexer *lx, Token *t)
{
	skip_space(lx);
	const char *p = lx->p, *end = lx->end;
	t->loc = here(lx, p);
	t->op = 0;
	t->str = NULL;
	t->slen = 0;
	t->num = 0;
	if (p >= end) {
		t->kind = TK_EOF;
		t->len = 0;
		return;
	}
	unsigned char c = (unsigned char)*p;

	/* A lone '@' starts nothing; "@" then a name or digit is a word. */
	if (c == '@' && (p + 1 >= end || (!ident_char[(unsigned char)p[1]] && p[1] != '#')))
		goto junk;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '$' || c == '@') {
		const char *q = p + 1;
		if ((c == '$' || c == '@') && q < end && (*q == '#' || (*q >= '0' && *q <= '9'))) {
			/* A script argument or argument count. */
			if (*q == '#')
				q++;
			else
				while (q < end && *q >= '0' && *q <= '9')
					q++;
		} else {
			uint32_t h = intern_hash_step(INTERN_HASH_INIT, c);
			while (q < end && ident_char[(unsigned char)*q])
				h = intern_hash_step(h, (unsigned char)*q++);
			size_t len = (size_t)(q - p);
			lx->p = q;
			t->len = t->slen = (uint32_t)len;
			int kw;
			t->str = intern_hashed(p, len, h, &kw);
			if (kw) {
				t->kind = TK_KEYWORD;
				t->op = (uint8_t)kw;
				t->str = kw_text[kw];
			} else {
				t->kind = TK_IDENT;
			}
			return;
		}
		size_t len = (size_t)(q - p);
		lx->p = q;
		t->len = (uint32_t)len;
		t->kind = TK_IDENT;
		t->str = intern(p, len);
		t->slen = (uint32_t)len;
		return;
	}
	if (c >= '0' && c <= '9') {
		lex_number(lx, t);
		return;
	}
	if (c == '"') {
		lex_string(lx, t);
		return;
	}
	if (c == '%' && p + 1 < end && p[1] == '{') {
		const char *q = p + 2;
		while (q + 1 < end && !(q[0] == '%' && q[1] == '}'))
			q++;
		if (q + 1 >= end) {
			lex_error(lx, p, "%s", "unterminated embedded C, missing '%}'");
			lx->truncated = true;
			lx->p = end;
			t->kind = TK_EOF;
			t->len = 0;
			return;
		}
		t->kind = TK_EMBEDDED;
		t->str = arena_strndup(&g_arena, p + 2, (size_t)(q - p - 2));
		t->slen = (uint32_t)(q - p - 2);
		lx->p = q + 2;
		t->len = (uint32_t)(lx->p - p);
		return;
	}
	int op = match_op(p, end);
	if (op) {
		size_t len = strlen(op_text[op]);
		t->kind = TK_OP;
		t->op = (uint8_t)op;
		t->len = (uint32_t)len;
		t->str = op_text[op];
		t->slen = (uint32_t)len;
		lx->p = p + len;
		return;
	}
	/* Anything else is one junk character (a whole UTF-8 sequence, so
	 * messages never split one); the parser reports it in context. */
junk:;
	size_t len = 1;
	if (c >= 0xc0)
		while (p + len < end && ((unsigned char)p[len] & 0xc0) == 0x80 && len < 4)
			len++;
	t->kind = TK_JUNK;
	t->str = p;
	t->slen = (uint32_t)len;
	t->len = (uint32_t)len;
	lx->p = p + len;
}

void lex_report_bad(Token *t)
{
	Loc at = loc_written(t->loc, NULL);
	const SrcFile *f = loc_file(at);
	const char *src = f->text + at.off;
	/* A megabyte of digits is shown by its start. */
	int len = t->len > 40 ? 32 : (int)t->len;
	const char *more = t->len > 40 ? "..." : "";
	switch (t->op) {
	case TOK_BAD_NUMBER:
		diag_error("parse", t->loc, "invalid number '%.*s%s'", len, src, more);
		break;
	case TOK_NUMBER_RANGE:
		diag_error("parse", t->loc, "number '%.*s%s' out of range (above 2^64-1)",
			   len, src, more);
		break;
	case TOK_BAD_ESCAPE:
		/* Point at the escape itself when the token was written here. */
		diag_error("parse", t->loc.file & LOC_EXPANDED ? t->loc :
			   (Loc){ t->loc.file, t->loc.off + (uint32_t)t->num },
			   "\\x used with no following hex digits");
		break;
	}
	t->op = 0;
}

const char *tok_describe(const Token *t, char *buf, size_t size)
{
	switch ((TokKind)t->kind) {
	case TK_EOF:
		snprintf(buf, size, "end of input");
		break;
	case TK_IDENT:
		snprintf(buf, size, "identifier '%.60s'", t->str);
		break;
	case TK_KEYWORD:
		snprintf(buf, size, "keyword '%s'", t->str);
		break;
	case TK_NUMBER: {
		const SrcFile *f = loc_file(t->loc);
		const char *src = f->text + loc_written(t->loc, NULL).off;
		if (*src >= '0' && *src <= '9')
			snprintf(buf, size, "number '%.*s'", (int)(t->len > 40 ? 40 : t->len), src);
		else
			snprintf(buf, size, "number '%llu'", (unsigned long long)t->num);
		break;
	}
	case TK_STRING:
		snprintf(buf, size, "string \"%.*s%s\"", (int)(t->slen > 40 ? 40 : t->slen),
			 t->str, t->slen > 40 ? "..." : "");
		break;
	case TK_OP:
		snprintf(buf, size, "'%s'", t->str);
		break;
	case TK_EMBEDDED:
		snprintf(buf, size, "embedded C '%%{'");
		break;
	case TK_JUNK: {
		unsigned char c = (unsigned char)t->str[0];
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && t->slen == 1))
			snprintf(buf, size, "invalid character 0x%02x", c);
		else
			snprintf(buf, size, "invalid character '%.*s'", (int)t->slen, t->str);
		break;
	}
	}
	return buf;
}
