/* The whole reference as one plain-text page: every function, then every
 * probe alias, each as its man page reads, wrapped at 78 columns. */
#include "doc/tools/tapsetdoc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { WIDTH = 78 };

/* @name -> name, @@ -> @ (as the man pages show them, without italics). */
static char *plain(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	for (const char *p = s; *p; p++) {
		if (*p == '@' && p[1] == '@') {
			*o++ = '@';
			p++;
			continue;
		}
		bool ref = *p == '@' && (isalpha((unsigned char)p[1]) || p[1] == '_') &&
			   !(p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_'));
		if (ref) {
			size_t k = 1;
			while (isalnum((unsigned char)p[k]) || p[k] == '_')
				k++;
			if (p[k] != '(')
				continue;	/* drop the '@' */
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* Fills lines of at most WIDTH columns: the first starts with lead (at
 * column indent - strlen(lead)), the rest at indent.  A word longer than
 * a line gets a line of its own. */
static void wrap(FILE *out, int indent, const char *lead, const char *text)
{
	char *t = plain(text);
	int col = fprintf(out, "%*s%s", indent - (int)strlen(lead), "", lead);
	bool line_empty = true;
	for (char *p = t; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t k = strcspn(p, " ");
		if (!line_empty && col + 1 + (int)k > WIDTH) {
			col = fprintf(out, "\n%*s", indent, "") - 1;
			line_empty = true;
		}
		if (!line_empty) {
			fputc(' ', out);
			col++;
		}
		col += fprintf(out, "%.*s", (int)k, p);
		line_empty = false;
		p += k;
	}
	fputc('\n', out);
	free(t);
}

static void blocks(FILE *out, int indent, const Block *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (i && !(b[i].kind == BK_ITEM && b[i - 1].kind == BK_ITEM))
			fputc('\n', out);
		switch (b[i].kind) {
		case BK_PARA:
			wrap(out, indent, "", b[i].text);
			break;
		case BK_ITEM:
			wrap(out, indent + 2, "- ", b[i].text);
			break;
		case BK_VERBATIM:
			for (const char *p = b[i].text; ; ) {
				size_t k = strcspn(p, "\n");
				if (k)
					fprintf(out, "%*s%.*s", indent + 4, "", (int)k, p);
				fputc('\n', out);
				if (!p[k])
					break;
				p += k + 1;
			}
			break;
		}
	}
}

static bool same(const Block *a, int na, const Block *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || strcmp(a[i].text, b[i].text))
			return false;
	return true;
}

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

/* A part whose text may differ per variant (Returns, Description); as in
 * the man page, a description starts with each variant's summary when
 * the summaries differ. */
static void variant_part(FILE *out, const Page *pg, const char *title, bool desc)
{
	const Doc *first = NULL;
	bool with_summary = desc && summaries_differ(pg);
	bool differ = with_summary;
	for (int i = 0; i < pg->variants.n; i++) {
		const Doc *d = ((const Variant *)pg->variants.v[i])->decl->parsed;
		int n = desc ? d->ndesc : d->nreturns;
		if (!n)
			continue;
		if (!first)
			first = d;
		else if (desc)
			differ |= !same(d->desc, d->ndesc, first->desc, first->ndesc);
		else
			differ |= !same(d->returns, d->nreturns, first->returns, first->nreturns);
	}
	if (!first && !with_summary)
		return;
	fprintf(out, "\n    %s:\n", title);
	for (int i = 0; i < pg->variants.n; i++) {
		const Doc *d = ((const Variant *)pg->variants.v[i])->decl->parsed;
		int n = desc ? d->ndesc : d->nreturns;
		if ((!n && !with_summary) || (!differ && d != first))
			continue;
		if (differ)
			fprintf(out, "      %d)\n", i + 1);
		if (with_summary) {
			char *sum = td_printf("%s.", d->summary);
			if (sum[0] >= 'a' && sum[0] <= 'z')
				sum[0] = (char)(sum[0] - 'a' + 'A');
			wrap(out, 9, "", sum);
			free(sum);
			if (n)
				fputc('\n', out);
		}
		blocks(out, differ ? 9 : 6, desc ? d->desc : d->returns, n);
	}
}

static void line_part(FILE *out, const Page *pg, const char *title, bool since)
{
	char **s = malloc(sizeof(char *) * (size_t)pg->variants.n);
	bool differ = false;
	for (int i = 0; i < pg->variants.n; i++) {
		const Variant *v = pg->variants.v[i];
		s[i] = since ? td_printf("ustap %s.", v->decl->parsed->since) :
			       td_runtimes_text(v->runtimes, v->arch);
		differ |= i && strcmp(s[i], s[0]);
	}
	if (!differ) {
		char *lead = td_printf("%s: ", title);
		wrap(out, 4 + (int)strlen(lead), lead, s[0]);
		free(lead);
	} else {
		fprintf(out, "    %s:\n", title);
		for (int i = 0; i < pg->variants.n; i++) {
			char *lead = td_printf("%d) ", i + 1);
			wrap(out, 9, lead, s[i]);
			free(lead);
		}
	}
	for (int i = 0; i < pg->variants.n; i++)
		free(s[i]);
	free(s);
}

static void entry(FILE *out, const Page *pg)
{
	const Decl *first = pg->defs.v[0];
	char *head = td_printf("%s - %s", pg->title, first->parsed->summary);
	wrap(out, 0, "", head);
	free(head);
	fputc('\n', out);
	for (int i = 0; i < pg->variants.n; i++) {
		const Variant *v = pg->variants.v[i];
		if (pg->variants.n > 1)
			fprintf(out, "    %d) %s%s\n", i + 1, pg->kind == DK_PROBE ? "probe " : "",
				v->synopsis);
		else
			fprintf(out, "    %s%s\n", pg->kind == DK_PROBE ? "probe " : "", v->synopsis);
	}

	bool any = false;
	const char **names = NULL;
	int shown = 0;
	for (int i = 0; i < pg->variants.n; i++) {
		const Doc *doc = ((const Variant *)pg->variants.v[i])->decl->parsed;
		for (int a = 0; a < doc->nargs; a++) {
			bool dup = false;
			for (int k = 0; k < shown && !dup; k++)
				dup = !strcmp(names[k], doc->args[a].name);
			if (dup)
				continue;
			if (!any)
				fprintf(out, "\n    %s:\n", pg->kind == DK_FUNCTION ? "Arguments" : "Values");
			any = true;
			names = realloc(names, sizeof(char *) * (size_t)(shown + 1));
			names[shown++] = doc->args[a].name;
			fprintf(out, "      %s\n", doc->args[a].name);
			wrap(out, 10, "", doc->args[a].text);
		}
	}
	free(names);
	if (pg->kind == DK_FUNCTION)
		variant_part(out, pg, "Returns", false);
	variant_part(out, pg, "Description", true);
	fputc('\n', out);
	line_part(out, pg, "Runtimes", false);
	line_part(out, pg, "Since", true);

	char *see = NULL;
	for (int i = 0; i < pg->nothers; i++) {
		char *s = td_printf("%s%sprobe::%s", see ? see : "", see ? ", " : "", pg->others[i]);
		free(see);
		see = s;
	}
	for (int i = 0; i < pg->nsee; i++) {
		char *s = td_printf("%s%s%s", see ? see : "", see ? ", " : "", pg->see[i]);
		free(see);
		see = s;
	}
	if (see) {
		wrap(out, 14, "See also: ", see);
		free(see);
	}
}

static void heading(FILE *out, const char *text, char mark)
{
	fprintf(out, "%s\n", text);
	for (size_t i = strlen(text); i; i--)
		fputc(mark, out);
	fputc('\n', out);
}

void td_write_text(FILE *out, Vec *pages, const char *version)
{
	char *title = td_printf("ustap %s tapset reference", version);
	heading(out, title, '=');
	free(title);
	fputc('\n', out);
	wrap(out, 0, "", "The functions and probe aliases of the tapset library, from the doc "
	     "comments in its files.  Each entry is also a man page: man "
	     "'function::NAME' or man 'probe::NAME'.");
	static const char *const heads[2] = { "Functions", "Probe aliases" };
	for (int k = 0; k < 2; k++) {
		int count = 0;
		for (int i = 0; i < pages->n; i++)
			count += (int)((Page *)pages->v[i])->kind == k;
		char *h = td_printf("%s (%d)", heads[k], count);
		fputs("\n\n", out);
		heading(out, h, '-');
		free(h);
		if (!count)
			fputs("\nNone.\n", out);
		for (int i = 0; i < pages->n; i++) {
			const Page *pg = pages->v[i];
			if ((int)pg->kind != k)
				continue;
			fputc('\n', out);
			entry(out, pg);
		}
	}
}
