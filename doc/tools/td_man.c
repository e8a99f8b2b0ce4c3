/* One man page, function::NAME(3stap) or probe::NAME(3stap), in man(7)
 * macros.  The text is escaped for roff: backslashes, minus signs, a '.'
 * or '\'' starting a line, and non-ASCII characters (as \[uXXXX], so the
 * page needs no preconv). */
#include "doc/tools/tapsetdoc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Writes s escaped; refs turns @name into italics and @@ into '@'. */
static void esc(FILE *out, const char *s, bool refs, bool line_start)
{
	const unsigned char *start = (const unsigned char *)s;
	for (const unsigned char *p = start; *p; p++) {
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		line_start = *p == '\n';
		if (*p == '\\') {
			fputs("\\e", out);
		} else if (*p == '-') {
			fputs("\\-", out);
		} else if (refs && *p == '@' && p[1] == '@') {
			fputc('@', out);
			p++;
		} else if (refs && *p == '@' && word_char(p[1]) && !isdigit(p[1]) &&
			   !(p > start && word_char(p[-1]))) {
			size_t k = 1;
			while (word_char(p[k]))
				k++;
			if (p[k] == '(') {
				fputc('@', out);
				continue;
			}
			fprintf(out, "\\fI%.*s\\fR", (int)(k - 1), (const char *)p + 1);
			p += k - 1;
		} else if (*p >= 0xc0) {
			/* A UTF-8 sequence: the code point as a glyph name. */
			unsigned cp = *p & (*p >= 0xf0 ? 0x07 : *p >= 0xe0 ? 0x0f : 0x1f);
			int more = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
			for (; more && (p[1] & 0xc0) == 0x80; more--)
				cp = cp << 6 | (*++p & 0x3f);
			fprintf(out, "\\[u%04X]", cp);
		} else if (*p >= 0x80) {
			fputs("\\[uFFFD]", out);
		} else {
			fputc(*p, out);
		}
	}
}

static void text_line(FILE *out, const char *s)
{
	esc(out, s, true, true);
	fputc('\n', out);
}

static void blocks(FILE *out, const Block *b, int n)
{
	for (int i = 0; i < n; i++) {
		switch (b[i].kind) {
		case BK_PARA:
			fputs(".PP\n", out);
			text_line(out, b[i].text);
			break;
		case BK_ITEM:
			fputs(".IP \\(bu 2\n", out);
			text_line(out, b[i].text);
			break;
		case BK_VERBATIM:
			fputs(".PP\n.RS 4\n.nf\n", out);
			esc(out, b[i].text, false, true);
			fputs("\n.fi\n.RE\n", out);
			break;
		}
	}
}

typedef const Block *(*GetBlocks)(const Variant *v, int *n);

static const Block *get_returns(const Variant *v, int *n)
{
	*n = v->decl->parsed->nreturns;
	return v->decl->parsed->returns;
}

static const Block *get_desc(const Variant *v, int *n)
{
	*n = v->decl->parsed->ndesc;
	return v->decl->parsed->desc;
}

/* Whether the variants' summaries differ (overloads of other arities may
 * each say what they do): then the NAME line has the first one, and each
 * variant's description starts with its own. */
static bool summaries_differ(const Page *pg)
{
	const Variant *v0 = pg->variants.v[0];
	for (int i = 1; i < pg->variants.n; i++) {
		const Variant *v = pg->variants.v[i];
		if (strcmp(v->decl->parsed->summary, v0->decl->parsed->summary))
			return true;
	}
	return false;
}

/* A section whose text may differ per variant: once when all variants
 * that have it agree, else numbered like the synopsis.  with_summary
 * puts each variant's summary first, and numbers the section. */
static void variant_section(FILE *out, const Page *pg, const char *title, GetBlocks get,
			    bool with_summary)
{
	const Variant *first = NULL;
	bool differ = with_summary;
	int nfirst = 0;
	for (int i = 0; i < pg->variants.n; i++) {
		int n;
		const Block *b = get(pg->variants.v[i], &n);
		if (!n)
			continue;
		if (!first) {
			first = pg->variants.v[i];
			get(first, &nfirst);
			continue;
		}
		const Block *fb = get(first, &nfirst);
		differ |= n != nfirst;
		for (int k = 0; k < n && !differ; k++)
			differ = b[k].kind != fb[k].kind || strcmp(b[k].text, fb[k].text);
	}
	if (!first && !with_summary)
		return;
	fprintf(out, ".SH %s\n", title);
	if (!differ) {
		blocks(out, get(first, &nfirst), nfirst);
		return;
	}
	for (int i = 0; i < pg->variants.n; i++) {
		const Variant *v = pg->variants.v[i];
		int n;
		const Block *b = get(v, &n);
		if (!n && !with_summary)
			continue;
		fprintf(out, ".PP\n%d)\n.RS 4\n", i + 1);
		if (with_summary) {
			/* The summary is a phrase: it reads as one, capitalised. */
			char *sum = td_printf("%s.", v->decl->parsed->summary);
			if (sum[0] >= 'a' && sum[0] <= 'z')
				sum[0] = (char)(sum[0] - 'a' + 'A');
			fputs(".PP\n", out);
			text_line(out, sum);
			free(sum);
		}
		blocks(out, b, n);
		fputs(".RE\n", out);
	}
}

static void numbered_lines(FILE *out, const Page *pg, const char *title,
			   char *(*get)(const Variant *v))
{
	fprintf(out, ".SH %s\n", title);
	char *first = get(pg->variants.v[0]);
	bool differ = false;
	for (int i = 1; i < pg->variants.n && !differ; i++) {
		char *s = get(pg->variants.v[i]);
		differ = strcmp(s, first);
		free(s);
	}
	if (!differ) {
		text_line(out, first);
		free(first);
		return;
	}
	free(first);
	for (int i = 0; i < pg->variants.n; i++) {
		char *s = get(pg->variants.v[i]);
		fprintf(out, ".IP %d) 4\n", i + 1);
		text_line(out, s);
		free(s);
	}
}

static char *get_runtimes(const Variant *v)
{
	return td_runtimes_text(v->runtimes, v->arch);
}

static char *get_since(const Variant *v)
{
	return td_printf("ustap %s.", v->decl->parsed->since);
}

static void see_also(FILE *out, const Page *pg)
{
	char **refs = NULL;
	int n = 0;
	for (int i = 0; i < pg->nothers; i++) {
		refs = realloc(refs, sizeof(char *) * (size_t)(n + 1));
		refs[n++] = td_printf("probe::%s(3stap)", pg->others[i]);
	}
	for (int i = 0; i < pg->nsee; i++) {
		const char *r = pg->see[i];
		bool generated = !strncmp(r, "function::", 10) || !strncmp(r, "probe::", 7);
		refs = realloc(refs, sizeof(char *) * (size_t)(n + 1));
		refs[n++] = generated && !strchr(r, '(') ? td_printf("%s(3stap)", r) : td_strdup(r);
	}
	/* Every page points at stap(1), a probe alias's at stapprobes(3stap)
	 * too, unless the comment named them already. */
	const char *fixed[] = { pg->kind == DK_PROBE ? "stapprobes(3stap)" : NULL, "stap(1)" };
	for (int k = 0; k < 2; k++) {
		bool have = !fixed[k];
		for (int i = 0; i < n && !have; i++)
			have = !strcmp(refs[i], fixed[k]);
		if (have)
			continue;
		refs = realloc(refs, sizeof(char *) * (size_t)(n + 1));
		refs[n++] = td_strdup(fixed[k]);
	}
	fputs(".SH SEE ALSO\n", out);
	for (int i = 0; i < n; i++) {
		char *open = strrchr(refs[i], '(');
		*open = '\0';
		fputs(".BR ", out);
		esc(out, refs[i], false, false);
		fprintf(out, " (%s%s\n", open + 1, i + 1 < n ? "," : "");
		free(refs[i]);
	}
	free(refs);
}

void td_write_man(FILE *out, const Page *pg, const char *version)
{
	const Decl *first = pg->defs.v[0];
	fputs(".\\\" Generated by tapsetdoc from the doc comment", out);
	fprintf(out, "%s", pg->defs.n > 1 ? "s at" : " at");
	for (int i = 0; i < pg->defs.n; i++) {
		const Decl *d = pg->defs.v[i];
		fprintf(out, "%s %s:%u", i ? "," : "", d->file, d->doc_line);
	}
	fputs(";\n.\\\" edit the comments, not this page.\n", out);
	fputs(".TH \"", out);
	esc(out, pg->title, false, false);
	fprintf(out, "\" 3stap \"\" \"ustap %s\" \"ustap tapset reference\"\n", version);

	fputs(".SH NAME\n", out);
	esc(out, pg->title, false, true);
	fputs(" \\- ", out);
	text_line(out, first->parsed->summary);

	fputs(".SH SYNOPSIS\n.nf\n", out);
	for (int i = 0; i < pg->variants.n; i++) {
		const Variant *v = pg->variants.v[i];
		if (pg->variants.n > 1)
			fprintf(out, "%d) ", i + 1);
		if (pg->kind == DK_PROBE)
			fputs("probe ", out);
		/* The name in bold, the rest (types, arguments) as written. */
		size_t len = strlen(pg->name);
		fputs("\\fB", out);
		esc(out, pg->name, false, false);
		fputs("\\fR", out);
		esc(out, v->synopsis + len, false, false);
		fputc('\n', out);
	}
	fputs(".fi\n", out);

	/* Arguments (or an alias's variables), every variant's, in order. */
	fprintf(out, ".SH %s\n", pg->kind == DK_FUNCTION ? "ARGUMENTS" : "VALUES");
	int shown = 0;
	const char **names = NULL;
	for (int i = 0; i < pg->variants.n; i++) {
		const Doc *doc = ((const Variant *)pg->variants.v[i])->decl->parsed;
		for (int a = 0; a < doc->nargs; a++) {
			bool dup = false;
			for (int k = 0; k < shown && !dup; k++)
				dup = !strcmp(names[k], doc->args[a].name);
			if (dup)
				continue;
			names = realloc(names, sizeof(char *) * (size_t)(shown + 1));
			names[shown++] = doc->args[a].name;
			fputs(".TP\n.I ", out);
			esc(out, doc->args[a].name, false, false);
			fputc('\n', out);
			text_line(out, doc->args[a].text);
		}
	}
	free(names);
	if (!shown)
		fputs("None.\n", out);

	if (pg->kind == DK_FUNCTION)
		variant_section(out, pg, "RETURN VALUE", get_returns, false);
	variant_section(out, pg, "DESCRIPTION", get_desc, summaries_differ(pg));
	numbered_lines(out, pg, "RUNTIMES", get_runtimes);
	numbered_lines(out, pg, "SINCE", get_since);
	see_also(out, pg);
}
