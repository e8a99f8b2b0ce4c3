/* The regex compiler: pattern -> tree -> Pike VM program. */
#include "translate/regex.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum rx_node_type {
	RXN_EMPTY,
	RXN_CHAR,
	RXN_ANY,
	RXN_CLASS,
	RXN_BOL,
	RXN_EOL,
	RXN_CAT,
	RXN_ALT,
	RXN_GROUP,
	RXN_REPEAT,
};

struct rx_node {
	enum rx_node_type type;
	int val;		/* CHAR: byte; CLASS: index; GROUP: number */
	int min, max;		/* REPEAT; max -1: unbounded */
	int a, b;		/* children: node indexes, -1 none */
};

struct rx_parser {
	const char *pat;
	size_t pos;
	struct rx_node *nodes;
	int nnodes, cap;
	uint8_t (*classes)[32];
	unsigned int nclasses, class_cap;
	int ngroups;
	int depth;
	struct rx_error *err;
	bool failed;
};

static void rx_fail(struct rx_parser *p, int pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void rx_fail(struct rx_parser *p, int pos, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	p->err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
}

static int rx_node_new(struct rx_parser *p, enum rx_node_type type, int val, int a, int b)
{
	struct rx_node *n;

	if (p->nnodes == p->cap) {
		int cap = p->cap ? 2 * p->cap : 64;
		struct rx_node *nodes = realloc(p->nodes, (size_t)cap * sizeof(*nodes));

		if (!nodes) {
			rx_fail(p, -1, "out of memory");
			return -1;
		}
		p->nodes = nodes;
		p->cap = cap;
	}
	n = &p->nodes[p->nnodes];
	n->type = type;
	n->val = val;
	n->min = n->max = 0;
	n->a = a;
	n->b = b;
	return p->nnodes++;
}

static int rx_class_new(struct rx_parser *p, const uint8_t set[32])
{
	unsigned int i;

	for (i = 0; i < p->nclasses; i++)
		if (!memcmp(p->classes[i], set, 32))
			return (int)i;
	if (p->nclasses == p->class_cap) {
		unsigned int cap = p->class_cap ? 2 * p->class_cap : 8;
		uint8_t(*classes)[32] = realloc(p->classes, cap * sizeof(*classes));

		if (!classes) {
			rx_fail(p, -1, "out of memory");
			return -1;
		}
		p->classes = classes;
		p->class_cap = cap;
	}
	memcpy(p->classes[p->nclasses], set, 32);
	return (int)p->nclasses++;
}

static void rx_set_add(uint8_t set[32], int c)
{
	set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

/* ---- bracket expressions ---- */

static bool rx_named_class(const char *name, size_t len, uint8_t set[32])
{
	static const struct {
		const char *name;
		int (*test)(int c);
	} classes[] = {
		{ "alpha", NULL }, { "digit", NULL }, { "alnum", NULL }, { "upper", NULL },
		{ "lower", NULL }, { "space", NULL }, { "blank", NULL }, { "punct", NULL },
		{ "print", NULL }, { "graph", NULL }, { "cntrl", NULL }, { "xdigit", NULL },
	};
	size_t i;
	int c;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) != len || memcmp(classes[i].name, name, len))
			continue;
		/* The C locale's classes, spelled out: the module's matcher must
		 * not depend on the translator's locale. */
		for (c = 0; c < 128; c++) {
			bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
			bool digit = c >= '0' && c <= '9';
			bool graph = c > 0x20 && c < 0x7f;
			bool in;

			switch (i) {
			case 0: in = upper || lower; break;
			case 1: in = digit; break;
			case 2: in = upper || lower || digit; break;
			case 3: in = upper; break;
			case 4: in = lower; break;
			case 5: in = c == ' ' || (c >= '\t' && c <= '\r'); break;
			case 6: in = c == ' ' || c == '\t'; break;
			case 7: in = graph && !upper && !lower && !digit; break;
			case 8: in = graph || c == ' '; break;
			case 9: in = graph; break;
			case 10: in = c < 0x20 || c == 0x7f; break;
			default:
				in = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
				break;
			}
			if (in)
				rx_set_add(set, c);
		}
		return true;
	}
	return false;
}

/* One endpoint of a range: a character or [.c.].  Returns the byte, or
 * -1 after an error. */
static int rx_bracket_char(struct rx_parser *p, size_t open)
{
	const char *s = p->pat;
	int c;

	if (s[p->pos] == '[' && s[p->pos + 1] == '.') {
		size_t start = p->pos;

		if (!s[p->pos + 2] || s[p->pos + 3] != '.' || s[p->pos + 4] != ']') {
			rx_fail(p, (int)start, "unsupported collating element");
			return -1;
		}
		c = (unsigned char)s[p->pos + 2];
		p->pos += 5;
		return c;
	}
	if (!s[p->pos]) {
		rx_fail(p, (int)open, "unclosed character class");
		return -1;
	}
	return (unsigned char)s[p->pos++];
}

static int rx_parse_bracket(struct rx_parser *p)
{
	const char *s = p->pat;
	size_t open = p->pos++;
	uint8_t set[32] = { 0 };
	bool negate = false, first = true;
	int i;

	if (s[p->pos] == '^') {
		negate = true;
		p->pos++;
	}
	for (;;) {
		int lo, hi;

		if (!s[p->pos]) {
			rx_fail(p, (int)open, "unclosed character class");
			return -1;
		}
		if (s[p->pos] == ']' && !first) {
			p->pos++;
			break;
		}
		first = false;
		if (s[p->pos] == '[' && s[p->pos + 1] == ':') {
			size_t name = p->pos + 2, end = name;

			while (s[end] && !(s[end] == ':' && s[end + 1] == ']'))
				end++;
			if (!s[end]) {
				rx_fail(p, (int)open, "unclosed character class");
				return -1;
			}
			if (!rx_named_class(s + name, end - name, set)) {
				rx_fail(p, -1, "unknown character class '%.*s'", (int)(end - name),
					s + name);
				return -1;
			}
			p->pos = end + 2;
			continue;
		}
		if (s[p->pos] == '[' && s[p->pos + 1] == '=') {
			if (!s[p->pos + 2] || s[p->pos + 3] != '=' || s[p->pos + 4] != ']') {
				rx_fail(p, (int)p->pos, "unsupported equivalence class");
				return -1;
			}
			rx_set_add(set, (unsigned char)s[p->pos + 2]);
			p->pos += 5;
			continue;
		}
		lo = rx_bracket_char(p, open);
		if (lo < 0)
			return -1;
		hi = lo;
		if (s[p->pos] == '-' && s[p->pos + 1] && s[p->pos + 1] != ']') {
			size_t at = p->pos + 1;

			p->pos++;
			hi = rx_bracket_char(p, open);
			if (hi < 0)
				return -1;
			if (hi < lo) {
				rx_fail(p, (int)at, "Inverted character range %c-%c", lo, hi);
				return -1;
			}
		}
		for (i = lo; i <= hi; i++)
			rx_set_add(set, i);
	}
	if (negate) {
		for (i = 0; i < 32; i++)
			set[i] = (uint8_t)~set[i];
		set[0] &= (uint8_t)~1u;	/* never the terminating NUL */
	}
	i = rx_class_new(p, set);
	return i < 0 ? -1 : rx_node_new(p, RXN_CLASS, i, -1, -1);
}

/* ---- the grammar ----
 * alt    := branch ('|' branch)*
 * branch := piece*
 * piece  := atom ('*' | '+' | '?' | '{' n [',' [m]] '}')*
 */

static int rx_parse_alt(struct rx_parser *p);

static bool rx_is_quant(char c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}

static int rx_parse_number(struct rx_parser *p, int *out)
{
	const char *s = p->pat;
	size_t start = p->pos;
	long n = 0;

	if (s[p->pos] < '0' || s[p->pos] > '9') {
		rx_fail(p, (int)p->pos, "expected number");
		return -1;
	}
	while (s[p->pos] >= '0' && s[p->pos] <= '9') {
		if (n <= RX_DUP_MAX)
			n = n * 10 + (s[p->pos] - '0');
		p->pos++;
	}
	if (n > RX_DUP_MAX) {
		rx_fail(p, (int)p->pos, "%.*s is too large", (int)(p->pos - start), s + start);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int rx_parse_atom(struct rx_parser *p)
{
	const char *s = p->pat;
	size_t at = p->pos;
	int c, n;

	switch (s[at]) {
	case '(':
		if (++p->depth > 1000) {
			rx_fail(p, (int)at, "groups nested too deeply");
			return -1;
		}
		if (p->ngroups >= RX_MAX_GROUPS) {
			rx_fail(p, (int)at, "more than %d groups", RX_MAX_GROUPS);
			return -1;
		}
		n = ++p->ngroups;
		p->pos++;
		c = rx_parse_alt(p);
		if (c < 0)
			return -1;
		if (s[p->pos] != ')') {
			rx_fail(p, (int)at, "expected ), found end of regex");
			return -1;
		}
		p->pos++;
		p->depth--;
		return rx_node_new(p, RXN_GROUP, n, c, -1);
	case '[':
		return rx_parse_bracket(p);
	case '.':
		p->pos++;
		return rx_node_new(p, RXN_ANY, 0, -1, -1);
	case '^':
		p->pos++;
		return rx_node_new(p, RXN_BOL, 0, -1, -1);
	case '$':
		p->pos++;
		return rx_node_new(p, RXN_EOL, 0, -1, -1);
	case '\\':
		c = (unsigned char)s[at + 1];
		if (!c) {
			rx_fail(p, (int)at + 1, "unexpected end of regex");
			return -1;
		}
		if (c >= '1' && c <= '9') {
			rx_fail(p, (int)at, "back-references are not supported");
			return -1;
		}
		switch (c) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'f': c = '\f'; break;
		case 'v': c = '\v'; break;
		case 'a': c = '\a'; break;
		}
		p->pos += 2;
		return rx_node_new(p, RXN_CHAR, c, -1, -1);
	default:
		if (rx_is_quant(s[at])) {
			rx_fail(p, (int)at, "unexpected '%c'", s[at]);
			return -1;
		}
		p->pos++;
		return rx_node_new(p, RXN_CHAR, (unsigned char)s[at], -1, -1);
	}
}

static int rx_parse_piece(struct rx_parser *p)
{
	const char *s = p->pat;
	int atom = rx_parse_atom(p);

	while (atom >= 0 && rx_is_quant(s[p->pos])) {
		size_t at = p->pos;
		int min = 0, max = -1, rep;
		bool comma = false;
		enum rx_node_type t = p->nodes[atom].type;

		if (t == RXN_BOL || t == RXN_EOL) {
			rx_fail(p, (int)at, "postfix closure '%c' applied to anchoring operator", s[at]);
			return -1;
		}
		p->pos++;
		switch (s[at]) {
		case '+':
			min = 1;
			break;
		case '?':
			max = 1;
			break;
		case '{':
			if (rx_parse_number(p, &min))
				return -1;
			max = min;
			comma = s[p->pos] == ',';
			if (comma) {
				p->pos++;
				max = -1;
				if (s[p->pos] != '}' && rx_parse_number(p, &max))
					return -1;
			}
			if (s[p->pos] != '}') {
				if (!s[p->pos] && !comma)
					rx_fail(p, (int)p->pos, "unexpected end of regex");
				else if (!s[p->pos])
					rx_fail(p, (int)p->pos, "expected }, found end of regex");
				else if (!comma)
					rx_fail(p, (int)p->pos, "expected ',' or '}'");
				else
					rx_fail(p, (int)p->pos, "expected }, found '%c'", s[p->pos]);
				return -1;
			}
			p->pos++;
			if (max >= 0 && min > max) {
				rx_fail(p, (int)at, "invalid repetition: minimum %d exceeds maximum %d",
					min, max);
				return -1;
			}
			break;
		}
		rep = rx_node_new(p, RXN_REPEAT, 0, atom, -1);
		if (rep < 0)
			return -1;
		p->nodes[rep].min = min;
		p->nodes[rep].max = max;
		atom = rep;
	}
	return atom;
}

static int rx_parse_branch(struct rx_parser *p)
{
	const char *s = p->pat;
	int left = -1;

	while (s[p->pos] && s[p->pos] != '|' && s[p->pos] != ')') {
		int piece = rx_parse_piece(p);

		if (piece < 0)
			return -1;
		left = left < 0 ? piece : rx_node_new(p, RXN_CAT, 0, left, piece);
		if (left < 0)
			return -1;
	}
	return left < 0 ? rx_node_new(p, RXN_EMPTY, 0, -1, -1) : left;
}

static int rx_parse_alt(struct rx_parser *p)
{
	int left = rx_parse_branch(p);

	while (left >= 0 && p->pat[p->pos] == '|') {
		int right;

		p->pos++;
		right = rx_parse_branch(p);
		if (right < 0)
			return -1;
		left = rx_node_new(p, RXN_ALT, 0, left, right);
	}
	return left;
}

/* ---- code generation ---- */

struct rx_emitter {
	struct stp_rx_insn *insns;
	unsigned int n, cap;
	bool overflow;
};

static unsigned int rx_emit(struct rx_emitter *e, int op, int ch, unsigned int x, unsigned int y)
{
	if (e->n >= STP_RX_MAX_PROG - 1) {
		e->overflow = true;
		return e->n;
	}
	if (e->n == e->cap) {
		unsigned int cap = e->cap ? 2 * e->cap : 64;
		struct stp_rx_insn *insns = realloc(e->insns, cap * sizeof(*insns));

		if (!insns) {
			e->overflow = true;
			return e->n;
		}
		e->insns = insns;
		e->cap = cap;
	}
	e->insns[e->n].op = (uint8_t)op;
	e->insns[e->n].ch = (uint8_t)ch;
	e->insns[e->n].x = (uint16_t)x;
	e->insns[e->n].y = (uint16_t)y;
	return e->n++;
}

static void rx_patch(struct rx_emitter *e, unsigned int at, unsigned int x, unsigned int y)
{
	if (e->overflow || at >= e->n)
		return;
	e->insns[at].x = (uint16_t)x;
	e->insns[at].y = (uint16_t)y;
}

static void rx_gen(const struct rx_parser *p, struct rx_emitter *e, int ni)
{
	const struct rx_node *n = &p->nodes[ni];
	unsigned int split, jmp, loop, i, first, stride = 0;

	if (e->overflow)
		return;
	switch (n->type) {
	case RXN_EMPTY:
		break;
	case RXN_CHAR:
		rx_emit(e, STP_RX_CHAR, n->val, 0, 0);
		break;
	case RXN_ANY:
		rx_emit(e, STP_RX_ANY, 0, 0, 0);
		break;
	case RXN_CLASS:
		rx_emit(e, STP_RX_CLASS, 0, (unsigned int)n->val, 0);
		break;
	case RXN_BOL:
		rx_emit(e, STP_RX_BOL, 0, 0, 0);
		break;
	case RXN_EOL:
		rx_emit(e, STP_RX_EOL, 0, 0, 0);
		break;
	case RXN_CAT:
		rx_gen(p, e, n->a);
		rx_gen(p, e, n->b);
		break;
	case RXN_ALT:
		split = rx_emit(e, STP_RX_SPLIT, 0, 0, 0);
		rx_gen(p, e, n->a);
		jmp = rx_emit(e, STP_RX_JMP, 0, 0, 0);
		rx_patch(e, split, split + 1, e->n);
		rx_gen(p, e, n->b);
		rx_patch(e, jmp, e->n, 0);
		break;
	case RXN_GROUP:
		rx_emit(e, STP_RX_SAVE, 0, 2u * (unsigned int)n->val, 0);
		rx_gen(p, e, n->a);
		rx_emit(e, STP_RX_SAVE, 0, 2u * (unsigned int)n->val + 1, 0);
		break;
	case RXN_REPEAT:
		if (n->max < 0 && n->min > 0) {
			/* a{n,}: n - 1 copies, then a loop of one or more */
			for (i = 1; i < (unsigned int)n->min && !e->overflow; i++)
				rx_gen(p, e, n->a);
			loop = e->n;
			rx_gen(p, e, n->a);
			rx_emit(e, STP_RX_SPLIT, 0, loop, e->n + 1);
		} else if (n->max < 0) {
			/* a*: greedy, so looping is the preferred branch */
			loop = rx_emit(e, STP_RX_SPLIT, 0, 0, 0);
			rx_gen(p, e, n->a);
			rx_emit(e, STP_RX_JMP, 0, loop, 0);
			rx_patch(e, loop, loop + 1, e->n);
		} else {
			/* a{n,m}: n copies, then m - n optional ones */
			for (i = 0; i < (unsigned int)n->min && !e->overflow; i++)
				rx_gen(p, e, n->a);
			/* Each optional copy is a split and the same code, so the
			 * splits sit stride apart and all skip to the end. */
			first = e->n;
			for (i = n->min; i < (unsigned int)n->max && !e->overflow; i++) {
				rx_emit(e, STP_RX_SPLIT, 0, 0, 0);
				rx_gen(p, e, n->a);
				if (!stride)
					stride = e->n - first;
			}
			for (i = n->min; i < (unsigned int)n->max && !e->overflow; i++) {
				split = first + (i - (unsigned int)n->min) * stride;
				rx_patch(e, split, split + 1, e->n);
			}
		}
		break;
	}
}

/* True when every match must start at offset 0. */
static bool rx_anchored(const struct rx_parser *p, int ni)
{
	const struct rx_node *n = &p->nodes[ni];

	switch (n->type) {
	case RXN_BOL:
		return true;
	case RXN_CAT:
	case RXN_GROUP:
		return rx_anchored(p, n->a);
	case RXN_ALT:
		return rx_anchored(p, n->a) && rx_anchored(p, n->b);
	case RXN_REPEAT:
		return n->min > 0 && rx_anchored(p, n->a);
	default:
		return false;
	}
}

int rx_compile(const char *pattern, struct rx_prog *prog, struct rx_error *err)
{
	struct rx_parser p = { .pat = pattern, .err = err };
	struct rx_emitter e = { 0 };
	int root;

	memset(prog, 0, sizeof(*prog));
	err->pos = -1;
	err->msg[0] = '\0';
	root = rx_parse_alt(&p);
	if (root >= 0 && pattern[p.pos] == ')')
		rx_fail(&p, (int)p.pos, "unbalanced ')'");
	if (!p.failed) {
		rx_emit(&e, STP_RX_SAVE, 0, 0, 0);
		rx_gen(&p, &e, root);
		rx_emit(&e, STP_RX_SAVE, 0, 1, 0);
		rx_emit(&e, STP_RX_MATCH, 0, 0, 0);
		if (e.overflow)
			rx_fail(&p, -1, "regex too complex: more than %d instructions",
				STP_RX_MAX_PROG - 1);
	}
	if (p.failed) {
		free(p.nodes);
		free(p.classes);
		free(e.insns);
		return -1;
	}
	prog->insns = e.insns;
	prog->ninsns = e.n;
	prog->classes = p.classes;
	prog->nclasses = p.nclasses;
	prog->ngroups = (unsigned int)p.ngroups + 1;
	prog->flags = rx_anchored(&p, root) ? STP_RX_ANCHORED : 0;
	free(p.nodes);
	return 0;
}

void rx_prog_free(struct rx_prog *prog)
{
	free(prog->insns);
	free(prog->classes);
	memset(prog, 0, sizeof(*prog));
}

void rx_error_format(const struct rx_error *err, char *buf, size_t len)
{
	if (err->pos >= 0)
		snprintf(buf, len, "regex compilation error (at position %d): %s", err->pos,
			 err->msg);
	else
		snprintf(buf, len, "regex compilation error: %s", err->msg);
}

void rx_prog_view(const struct rx_prog *prog, const char *pattern, struct stp_regex *out)
{
	out->pattern = pattern;
	out->insns = prog->insns;
	out->classes = (const uint8_t(*)[32])prog->classes;
	out->ninsns = (uint16_t)prog->ninsns;
	out->nclasses = (uint16_t)prog->nclasses;
	out->ngroups = (uint16_t)prog->ngroups;
	out->flags = (uint16_t)prog->flags;
}

static void rx_emit_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else if (c == '?')	/* no trigraphs */
			fputs("\\?", out);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void rx_emit_c(FILE *out, const struct rx_prog *prog, const char *pattern, const char *name)
{
	static const char *const ops[] = {
		"STP_RX_CHAR", "STP_RX_ANY", "STP_RX_CLASS", "STP_RX_SPLIT", "STP_RX_JMP",
		"STP_RX_SAVE", "STP_RX_BOL", "STP_RX_EOL", "STP_RX_MATCH",
	};
	unsigned int i, j;

	fprintf(out, "static const struct stp_rx_insn %s_insns[%u] = {\n", name, prog->ninsns);
	for (i = 0; i < prog->ninsns; i++) {
		const struct stp_rx_insn *in = &prog->insns[i];

		if (in->ch >= 0x20 && in->ch < 0x7f && in->ch != '\'' && in->ch != '\\')
			fprintf(out, "\t{ %s, '%c', %u, %u },\n", ops[in->op], in->ch, in->x, in->y);
		else
			fprintf(out, "\t{ %s, %u, %u, %u },\n", ops[in->op], in->ch, in->x, in->y);
	}
	fputs("};\n", out);
	if (prog->nclasses) {
		fprintf(out, "static const uint8_t %s_classes[%u][32] = {\n", name, prog->nclasses);
		for (i = 0; i < prog->nclasses; i++) {
			fputs("\t{", out);
			for (j = 0; j < 32; j++)
				fprintf(out, "%s0x%02x", j ? ", " : " ", prog->classes[i][j]);
			fputs(" },\n", out);
		}
		fputs("};\n", out);
	}
	fprintf(out, "static const struct stp_regex %s = {\n\t.pattern = ", name);
	rx_emit_string(out, pattern);
	fprintf(out, ",\n\t.insns = %s_insns,\n", name);
	if (prog->nclasses)
		fprintf(out, "\t.classes = %s_classes,\n", name);
	fprintf(out, "\t.ninsns = %u,\n\t.nclasses = %u,\n\t.ngroups = %u,\n\t.flags = %u,\n};\n",
		prog->ninsns, prog->nclasses, prog->ngroups, prog->flags);
}
