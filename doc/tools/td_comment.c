/* Reads one doc comment and checks it against its declaration.
 *
 *   / **
 *    * function NAME - SUMMARY            (probe NAME[, NAME...] - SUMMARY)
 *    *
 *    * @ARG: TEXT, continued on the next lines up to a blank line
 *    *
 *    * DESCRIPTION: paragraphs, "- " list items, lines indented by two
 *    * or more spaces kept as they are (examples)
 *    *
 *    * Returns: TEXT
 *    * Since: VERSION
 *    * See also: function::OTHER, probe::ALIAS, stap(1)
 *    * /
 *
 * doc/tapset-doc.md is the user's description of the format. */
#include "doc/tools/tapsetdoc.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Line {
	char *text;		/* without the " * " prefix and trailing blanks */
	unsigned no;		/* line number in the file */
	int indent;		/* leading blanks left after the prefix */
} Line;

typedef struct Reader {
	const Decl *d;
	const char *version;
	Line *lines;
	int n;
	Doc *doc;
	bool bad;
	const char *what;	/* "function 'pid'" for messages */
} Reader;

__attribute__((format(printf, 3, 4)))
static void bad(Reader *r, unsigned line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	td_error(r->d->file, line, "%s: %s", r->what, msg);
	r->bad = true;
}

/* ---- lines ---- */

static void split_lines(Reader *r)
{
	const char *p = r->d->doc;
	unsigned no = r->d->doc_line;
	for (int first = 1; ; first = 0, no++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		size_t k = 0;
		while (k < len && (p[k] == ' ' || p[k] == '\t'))
			k++;
		bool last = !nl;
		if (k < len && p[k] == '*') {
			k++;
			if (k < len && p[k] == ' ')
				k++;
		} else if (k < len && !first && !last) {
			/* Reported, then read as a blank line: what it says is lost. */
			bad(r, no, "doc comment lines start with '*'");
			k = len;
		}
		int indent = 0;
		while (k + (size_t)indent < len && (p[k + indent] == ' ' || p[k + indent] == '\t'))
			indent++;
		r->lines = realloc(r->lines, sizeof(Line) * (size_t)(r->n + 1));
		r->lines[r->n++] = (Line){ td_strndup(p + k, len - k), no, indent };
		if (!nl)
			break;
		p = nl + 1;
	}
}

static bool blank(const Line *l)
{
	return l->text[l->indent] == '\0';
}

/* ---- text helpers ---- */

static char *join(char *a, const char *b)
{
	if (!a)
		return td_strdup(b);
	char *s = td_printf("%s %s", a, b);
	free(a);
	return s;
}

static char *trim(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return td_strdup(s);
}

static bool is_ident(const char *s, size_t n)
{
	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* ---- tags ---- */

enum Tag { TAG_NONE, TAG_RETURNS, TAG_SINCE, TAG_SEE };

static const struct {
	const char *text;
	enum Tag tag;
} tags[] = {
	{ "Returns:", TAG_RETURNS }, { "Since:", TAG_SINCE }, { "See also:", TAG_SEE },
};

static enum Tag tag_of(const char *t, size_t *len)
{
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t n = strlen(tags[i].text);
		if (!strncmp(t, tags[i].text, n)) {
			*len = n;
			return tags[i].tag;
		}
	}
	return TAG_NONE;
}

/* "Return:", "returns :", "Description:"...: a misspelt tag, or one this
 * format does not have, rather than a sentence. */
static bool looks_like_tag(const char *t)
{
	static const char *const words[] = {
		"return", "returns", "return value", "since", "see also", "seealso", "see-also",
		"description", "arguments", "argument", "context", "values", "synopsis",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(t, words[i], n))
			continue;
		const char *p = t + n;
		while (*p == ' ')
			p++;
		if (*p == ':')
			return true;
	}
	return false;
}

/* ---- the header ---- */

static bool names_match(const Decl *d, const char *names)
{
	const char *p = names;
	for (int i = 0; i < d->nnames; i++) {
		size_t len = strlen(d->names[i]);
		if (strncmp(p, d->names[i], len))
			return false;
		p += len;
		if (i + 1 < d->nnames) {
			if (*p++ != ',')
				return false;
			while (*p == ' ')
				p++;
		}
	}
	return *p == '\0';
}

static int read_header(Reader *r)
{
	int i = 0;
	while (i < r->n && blank(&r->lines[i]))
		i++;
	const Decl *d = r->d;
	const char *kw = d->kind == DK_FUNCTION ? "function" : "probe";
	if (i == r->n) {
		bad(r, d->doc_line, "the doc comment is empty (it starts with '%s %s - "
		    "SUMMARY')", kw, d->names[0]);
		return -1;
	}
	Line *l = &r->lines[i];
	const char *t = l->text + l->indent;
	const char *dash = strstr(t, " - ");
	size_t kwlen = strlen(kw);
	if (!dash || strncmp(t, kw, kwlen) || t[kwlen] != ' ') {
		/* SystemTap's tapsets say "sfunction": a porter's likely slip. */
		bool sfunction = !strncmp(t, "sfunction ", 10) && d->kind == DK_FUNCTION;
		bad(r, l->no, "the doc comment starts with '%s %s - SUMMARY'%s", kw, d->names[0],
		    sfunction ? " (function, not SystemTap's sfunction)" : "");
		return -1;
	}
	char *names = td_strndup(t + kwlen + 1, (size_t)(dash - t - (ptrdiff_t)kwlen - 1));
	if (!names_match(d, names)) {
		char *want = td_strdup(d->names[0]);
		for (int k = 1; k < d->nnames; k++) {
			char *w = td_printf("%s, %s", want, d->names[k]);
			free(want);
			want = w;
		}
		bad(r, l->no, "the doc comment names %s '%s', not '%s'", kw, names, want);
		free(want);
	}
	free(names);
	r->doc->summary = trim(dash + 3);
	if (!*r->doc->summary)
		bad(r, l->no, "the summary after ' - ' is empty");
	if (i + 1 < r->n && !blank(&r->lines[i + 1])) {
		const Line *next = &r->lines[i + 1];
		size_t taglen;
		if (next->indent || (next->text[0] != '@' && tag_of(next->text, &taglen) == TAG_NONE))
			bad(r, next->no, "the summary is one line; a blank line separates it "
			    "from the description");
	}
	return i + 1;
}

/* ---- the body ---- */

/* "@NAME: TEXT" starts an argument item: a line whose first word starts
 * with '@' and ends with ':'.  A line of running text may start with a
 * reference ("@msg, without an error, ...") and is no item. */
static bool arg_line(const char *t)
{
	size_t word = strcspn(t, " \t");
	return t[0] == '@' && word > 1 && t[word - 1] == ':';
}

typedef struct Item {
	enum { IT_NONE, IT_ARG, IT_TAG } kind;
	enum Tag tag;
	char *name;
	char *text;
	unsigned line;
} Item;

static void add_block(Block **v, int *n, BlockKind kind, char *text, unsigned line)
{
	*v = realloc(*v, sizeof(Block) * (size_t)(*n + 1));
	(*v)[(*n)++] = (Block){ kind, text, line };
}

static bool version_syntax(const char *v)
{
	bool digit = false;
	for (; *v; v++) {
		if (isdigit((unsigned char)*v))
			digit = true;
		else if (*v == '.' && digit)
			digit = false;
		else
			return false;
	}
	return digit;
}

bool td_version_le(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10);
		unsigned long y = strtoul(b, (char **)&b, 10);
		if (x != y)
			return x < y;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return true;
}

static void finish_see(Reader *r, Item *it)
{
	Doc *doc = r->doc;
	char *s = it->text;
	size_t len = strlen(s);
	if (len && s[len - 1] == '.')
		s[--len] = '\0';
	for (char *p = s; *p;) {
		size_t k = strcspn(p, ",");
		char *ref = td_strndup(p, k);
		char *tr = trim(ref);
		free(ref);
		for (size_t e = strlen(tr); e && tr[e - 1] == ' ';)
			tr[--e] = '\0';
		if (!*tr)
			bad(r, it->line, "'See also:' has an empty reference");
		doc->see = realloc(doc->see, sizeof(char *) * (size_t)(doc->nsee + 1));
		doc->see[doc->nsee++] = tr;
		p += k;
		if (*p == ',')
			p++;
	}
}

/* Keeps what an argument or tag item says.  An empty one is reported once
 * and still counts as given, so no "missing" error follows. */
static void finish_item(Reader *r, Item *it)
{
	Doc *doc = r->doc;
	if (it->kind == IT_NONE)
		return;
	if (!*it->text) {
		if (it->kind == IT_ARG)
			bad(r, it->line, "@%s has no text", it->name);
		else
			bad(r, it->line, "'%s' has no text", tags[it->tag - 1].text);
	}
	if (it->kind == IT_ARG) {
		for (int k = 0; k < doc->nargs; k++)
			if (!strcmp(doc->args[k].name, it->name))
				bad(r, it->line, "@%s is documented twice", it->name);
		doc->args = realloc(doc->args, sizeof(DocArg) * (size_t)(doc->nargs + 1));
		doc->args[doc->nargs++] = (DocArg){ it->name, it->text, it->line };
		it->name = it->text = NULL;
	} else if (it->tag == TAG_RETURNS) {
		if (doc->returns)
			bad(r, it->line, "'Returns:' is given twice");
		add_block(&doc->returns, &doc->nreturns, BK_PARA, it->text, it->line);
		it->text = NULL;
	} else if (it->tag == TAG_SINCE) {
		if (doc->since) {
			bad(r, it->line, "'Since:' is given twice");
		} else {
			if (*it->text && !version_syntax(it->text))
				bad(r, it->line, "'Since: %s' is not a version such as 0.1",
				    it->text);
			else if (*it->text && !td_version_le(it->text, r->version))
				bad(r, it->line, "'Since: %s' is later than this version, %s",
				    it->text, r->version);
			doc->since = it->text;
			it->text = NULL;
		}
	} else {
		if (doc->see_line)
			bad(r, it->line, "'See also:' is given twice");
		doc->see_line = it->line;
		finish_see(r, it);
	}
	free(it->name);
	free(it->text);
	*it = (Item){ 0 };
}

/* Removes the indentation the lines of a verbatim block share. */
static char *verbatim_text(Line *lines, int from, int to)
{
	int common = -1;
	for (int k = from; k < to; k++)
		if (!blank(&lines[k]) && (common < 0 || lines[k].indent < common))
			common = lines[k].indent;
	size_t len = 0;
	for (int k = from; k < to; k++)
		len += strlen(lines[k].text) + 1;
	char *out = malloc(len + 1), *o = out;
	for (int k = from; k < to; k++) {
		const char *t = lines[k].text;
		if (!blank(&lines[k]))
			t += common;
		size_t n = blank(&lines[k]) ? 0 : strlen(t);
		memcpy(o, t, n);
		o += n;
		if (k + 1 < to)
			*o++ = '\n';
	}
	*o = '\0';
	return out;
}

/* The description paragraph or list item being read. */
typedef struct Para {
	char *text;
	BlockKind kind;
	unsigned line;
} Para;

static void end_para(Doc *doc, Para *p)
{
	if (p->text)
		add_block(&doc->desc, &doc->ndesc, p->kind, p->text, p->line);
	*p = (Para){ 0 };
}

static void read_body(Reader *r, int i)
{
	Doc *doc = r->doc;
	Item it = { 0 };
	Para para = { 0 };
	while (i < r->n) {
		Line *l = &r->lines[i];
		const char *t = l->text + l->indent;
		size_t taglen;
		enum Tag tag = l->indent ? TAG_NONE : tag_of(t, &taglen);
		if (blank(l)) {
			finish_item(r, &it);
			end_para(doc, &para);
		} else if (!l->indent && arg_line(t)) {
			finish_item(r, &it);
			end_para(doc, &para);
			size_t k = strcspn(t + 1, ":");
			if (!t[1 + k] || !is_ident(t + 1, k))
				bad(r, l->no, "an argument line reads '@NAME: TEXT'");
			else
				it = (Item){ IT_ARG, TAG_NONE, td_strndup(t + 1, k), trim(t + 2 + k),
					     l->no };
		} else if (tag != TAG_NONE) {
			finish_item(r, &it);
			end_para(doc, &para);
			it = (Item){ IT_TAG, tag, NULL, trim(t + taglen), l->no };
		} else if (!l->indent && looks_like_tag(t)) {
			bad(r, l->no, "unknown tag '%.*s' (the tags are Returns:, Since: and "
			    "See also:; a description needs no tag)", (int)strcspn(t, ":") + 1, t);
		} else if (it.kind != IT_NONE) {
			it.text = *it.text ? join(it.text, t) : (free(it.text), trim(t));
		} else if (l->indent >= 2 && para.kind != BK_ITEM) {
			/* An example, up to a line indented less; blank lines
			 * inside stay when more example lines follow. */
			end_para(doc, &para);
			int end = i;
			for (int k = i; k < r->n; k++) {
				if (blank(&r->lines[k]))
					continue;
				if (r->lines[k].indent < 2)
					break;
				end = k + 1;
			}
			add_block(&doc->desc, &doc->ndesc, BK_VERBATIM,
				  verbatim_text(r->lines, i, end), l->no);
			i = end;
			continue;
		} else if (!l->indent && t[0] == '-' && t[1] == ' ') {
			end_para(doc, &para);
			para = (Para){ trim(t + 2), BK_ITEM, l->no };
		} else if (para.text) {
			para.text = join(para.text, t);
		} else {
			para = (Para){ td_strdup(t), BK_PARA, l->no };
		}
		i++;
	}
	finish_item(r, &it);
	end_para(doc, &para);
}

/* ---- checks against the declaration ---- */

/* @name in running text must name a documented argument; "@name(" is an
 * operator such as @count(x), and "@@" stands for '@'. */
static void check_refs_in(Reader *r, const char *text, unsigned line)
{
	for (const char *p = text; (p = strchr(p, '@')); p++) {
		if (p[1] == '@') {
			p++;
			continue;
		}
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		size_t k = 0;
		while (isalnum((unsigned char)p[1 + k]) || p[1 + k] == '_')
			k++;
		if (!k || p[1 + k] == '(' || isdigit((unsigned char)p[1]))
			continue;
		bool known = false;
		for (int a = 0; a < r->doc->nargs && !known; a++)
			known = strlen(r->doc->args[a].name) == k &&
				!strncmp(r->doc->args[a].name, p + 1, k);
		if (!known)
			bad(r, line, "'@%.*s' names no documented %s (write @@ for a plain '@')",
			    (int)k, p + 1, r->d->kind == DK_FUNCTION ? "argument" : "variable");
	}
}

static void check_against_decl(Reader *r)
{
	const Decl *d = r->d;
	Doc *doc = r->doc;
	if (d->kind == DK_FUNCTION) {
		for (int k = 0; k < d->nparams; k++) {
			bool found = false;
			for (int a = 0; a < doc->nargs && !found; a++)
				found = !strcmp(doc->args[a].name, d->params[k].name);
			if (!found)
				bad(r, d->line, "argument '%s' is not documented (@%s: ...)",
				    d->params[k].name, d->params[k].name);
			if (!d->params[k].type)
				bad(r, d->line, "argument '%s' has no declared type (%s:long or "
				    "%s:string)", d->params[k].name, d->params[k].name,
				    d->params[k].name);
		}
		for (int a = 0; a < doc->nargs; a++) {
			bool found = false;
			for (int k = 0; k < d->nparams && !found; k++)
				found = !strcmp(doc->args[a].name, d->params[k].name);
			if (!found)
				bad(r, doc->args[a].line, "@%s: the function has no argument '%s'",
				    doc->args[a].name, doc->args[a].name);
		}
		if (d->ret_type && !doc->returns)
			bad(r, d->line, "it returns a %s, but 'Returns:' is missing", d->ret_type);
		if (!d->ret_type && doc->returns)
			bad(r, d->line, "'Returns:' is given, but the function declares no return "
			    "type (%s:long or %s:string)", d->names[0], d->names[0]);
	} else {
		/* A page is named after the alias: a dotted name, as SystemTap's
		 * aliases are (syscall.open, process.exec). */
		for (int k = 0; k < d->nnames; k++) {
			const char *n = d->names[k];
			bool ok = *n && *n != '.' && n[strlen(n) - 1] != '.' && !strstr(n, "..");
			for (const char *p = n; *p && ok; p++)
				ok = isalnum((unsigned char)*p) || *p == '_' || *p == '.';
			if (!ok)
				bad(r, d->line, "'%s' is not a dotted name (NAME.NAME...), so it "
				    "cannot have a page", n);
		}
		for (int a = 0; a < doc->nargs; a++) {
			bool found = false;
			for (int k = 0; k < d->nassigned && !found; k++)
				found = !strcmp(doc->args[a].name, d->assigned[k]);
			if (!found)
				bad(r, doc->args[a].line, "@%s: the alias sets no variable '%s'",
				    doc->args[a].name, doc->args[a].name);
		}
		if (doc->returns)
			bad(r, d->line, "'Returns:' is for functions; a probe alias returns nothing");
	}
	if (!doc->since)
		bad(r, d->line, "'Since: VERSION' is missing");
	for (int a = 0; a < doc->nargs; a++)
		check_refs_in(r, doc->args[a].text, doc->args[a].line);
	for (int b = 0; b < doc->nreturns; b++)
		check_refs_in(r, doc->returns[b].text, doc->returns[b].line);
	for (int b = 0; b < doc->ndesc; b++)
		if (doc->desc[b].kind != BK_VERBATIM)
			check_refs_in(r, doc->desc[b].text, doc->desc[b].line);
}

Doc *td_parse_doc(const Decl *d, const char *version)
{
	const char *kw = d->kind == DK_FUNCTION ? "function" : "probe alias";
	char *what = td_printf("%s '%s'", kw, d->names[0]);
	Reader r = { .d = d, .version = version, .what = what };
	if (!d->doc) {
		td_error(d->file, d->line, "%s has no doc comment (doc/tapset-doc.md)", what);
		free(what);
		return NULL;
	}
	r.doc = calloc(1, sizeof(Doc));
	split_lines(&r);
	int body = read_header(&r);
	if (body >= 0) {
		read_body(&r, body);
		check_against_decl(&r);
	}
	for (int i = 0; i < r.n; i++)
		free(r.lines[i].text);
	free(r.lines);
	free(what);
	if (r.bad) {
		td_keep(r.doc);
		return NULL;
	}
	return r.doc;
}
