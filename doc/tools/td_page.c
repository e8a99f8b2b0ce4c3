/* Checked declarations to pages: one page per documented name.
 *
 * A name may be defined more than once: overloads with other arities, or
 * one definition per runtime or architecture folder.  Each definition has
 * its own doc comment; definitions whose synopsis and text agree form one
 * variant (their runtimes and architectures add up), the others are
 * numbered variants of the page.  All definitions of a name share one
 * summary, and an argument of one name means the same in all of them. */
#include "doc/tools/tapsetdoc.h"
#include <stdlib.h>
#include <string.h>

static char *synopsis(const Decl *d, const char *name)
{
	if (d->kind == DK_PROBE)
		return td_strdup(name);
	char *s = td_printf("%s%s%s(", name, d->ret_type ? ":" : "",
			    d->ret_type ? d->ret_type : "");
	for (int k = 0; k < d->nparams; k++) {
		char *n = td_printf("%s%s%s:%s", s, k ? ", " : "", d->params[k].name,
				    d->params[k].type ? d->params[k].type : "unknown");
		free(s);
		s = n;
	}
	char *n = td_printf("%s)", s);
	free(s);
	return n;
}

static bool same_blocks(const Block *a, int na, const Block *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || strcmp(a[i].text, b[i].text))
			return false;
	return true;
}

/* Whether two definitions render the same, but for runtimes and arch. */
static bool same_variant(const Decl *a, const Decl *b, const char *name)
{
	char *sa = synopsis(a, name), *sb = synopsis(b, name);
	bool same = !strcmp(sa, sb);
	free(sa);
	free(sb);
	const Doc *x = a->parsed, *y = b->parsed;
	return same && !strcmp(x->since, y->since) && !strcmp(x->summary, y->summary) &&
	       same_blocks(x->returns, x->nreturns, y->returns, y->nreturns) &&
	       same_blocks(x->desc, x->ndesc, y->desc, y->ndesc);
}

static Page *find_page(Vec *pages, DeclKind kind, const char *name)
{
	for (int i = 0; i < pages->n; i++) {
		Page *p = pages->v[i];
		if (p->kind == kind && !strcmp(p->name, name))
			return p;
	}
	Page *p = calloc(1, sizeof(*p));
	p->kind = kind;
	p->name = td_strdup(name);
	p->title = td_printf("%s::%s", kind == DK_FUNCTION ? "function" : "probe", name);
	vec_add(pages, p);
	return p;
}

static int cmp_defs(const void *a, const void *b)
{
	const Decl *x = *(const Decl *const *)a, *y = *(const Decl *const *)b;
	if (x->nparams != y->nparams)
		return x->nparams - y->nparams;
	return (int)x->order - (int)y->order;
}

static int cmp_pages(const void *a, const void *b)
{
	const Page *x = *(const Page *const *)a, *y = *(const Page *const *)b;
	return strcmp(x->title, y->title);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_unique(char ***v, int *n, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = realloc(*v, sizeof(char *) * (size_t)(*n + 1));
	(*v)[(*n)++] = td_strdup(s);
}

/* Architectures of a variant: NULL (any) if one definition has none. */
static void merge_arch(Variant *v, const Decl *d, bool first)
{
	if (first) {
		v->arch = d->arch ? td_strdup(d->arch) : NULL;
		return;
	}
	if (!v->arch || !d->arch) {
		free(v->arch);
		v->arch = NULL;
		return;
	}
	char **list = NULL;
	int n = 0;
	for (char *p = v->arch; *p;) {
		size_t k = strcspn(p, ",");
		char *a = td_strndup(p, k);
		add_unique(&list, &n, a);
		free(a);
		p += k;
		while (*p == ',' || *p == ' ')
			p++;
	}
	add_unique(&list, &n, d->arch);
	qsort(list, (size_t)n, sizeof(char *), cmp_str);
	free(v->arch);
	v->arch = td_strdup(list[0]);
	for (int i = 1; i < n; i++) {
		char *s = td_printf("%s, %s", v->arch, list[i]);
		free(v->arch);
		v->arch = s;
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static const char *kind_word(DeclKind k)
{
	return k == DK_FUNCTION ? "function" : "probe alias";
}

/* Definitions with the same number of arguments are one function (per
 * runtime or architecture, or overloads tried in turn): one summary.
 * Those with other arities may say what they do differently. */
static void check_agreement(Page *pg)
{
	for (int i = 1; i < pg->defs.n; i++) {
		const Decl *d = pg->defs.v[i];
		for (int j = 0; j < i; j++) {
			const Decl *e = pg->defs.v[j];
			if (e->nparams != d->nparams)
				continue;
			if (strcmp(d->parsed->summary, e->parsed->summary))
				td_error(d->file, d->doc_line, "%s '%s': the summary differs from "
					 "the one at %s:%u (definitions with the same arguments "
					 "share it)", kind_word(pg->kind), pg->name, e->file,
					 e->doc_line);
			break;
		}
	}
	for (int i = 0; i < pg->defs.n; i++) {
		const Decl *d = pg->defs.v[i];
		for (int a = 0; a < d->parsed->nargs; a++) {
			const DocArg *arg = &d->parsed->args[a];
			for (int j = 0; j < i; j++) {
				const Decl *e = pg->defs.v[j];
				const DocArg *hit = NULL;
				for (int b = 0; b < e->parsed->nargs && !hit; b++)
					if (!strcmp(e->parsed->args[b].name, arg->name))
						hit = &e->parsed->args[b];
				if (hit && strcmp(hit->text, arg->text)) {
					td_error(d->file, arg->line, "%s '%s': @%s differs from the "
						 "one at %s:%u (an argument of one name means the "
						 "same in every definition)", kind_word(pg->kind),
						 pg->name, arg->name, e->file, hit->line);
					break;
				}
			}
		}
	}
}

void td_build_pages(Vec *decls, Vec *pages)
{
	for (int i = 0; i < decls->n; i++) {
		Decl *d = decls->v[i];
		if (!d->parsed || d->internal)
			continue;
		for (int k = 0; k < d->nnames; k++) {
			Page *pg = find_page(pages, d->kind, d->names[k]);
			vec_add(&pg->defs, d);
			for (int j = 0; j < d->nnames; j++)
				if (j != k)
					add_unique(&pg->others, &pg->nothers, d->names[j]);
		}
	}
	if (pages->n)
		qsort(pages->v, (size_t)pages->n, sizeof(void *), cmp_pages);
	for (int i = 0; i < pages->n; i++) {
		Page *pg = pages->v[i];
		qsort(pg->defs.v, (size_t)pg->defs.n, sizeof(void *), cmp_defs);
		check_agreement(pg);
		for (int k = 0; k < pg->defs.n; k++) {
			const Decl *d = pg->defs.v[k];
			Variant *v = NULL;
			for (int j = 0; j < pg->variants.n && !v; j++) {
				Variant *w = pg->variants.v[j];
				if (same_variant(w->decl, d, pg->name))
					v = w;
			}
			bool first = !v;
			if (!v) {
				v = calloc(1, sizeof(*v));
				v->decl = d;
				v->synopsis = synopsis(d, pg->name);
				vec_add(&pg->variants, v);
			}
			v->runtimes |= d->runtimes;
			merge_arch(v, d, first);
			for (int s = 0; s < d->parsed->nsee; s++)
				add_unique(&pg->see, &pg->nsee, d->parsed->see[s]);
		}
	}
}

/* Whether a public declaration of this kind and name exists, documented
 * well or not (a bad doc comment is reported once, not at every mention). */
static bool declared(const Vec *decls, const char *ref, size_t len)
{
	for (int i = 0; i < decls->n; i++) {
		const Decl *d = decls->v[i];
		const char *kw = d->kind == DK_FUNCTION ? "function::" : "probe::";
		size_t kwlen = strlen(kw);
		if (d->internal || len <= kwlen || strncmp(ref, kw, kwlen))
			continue;
		for (int k = 0; k < d->nnames; k++)
			if (strlen(d->names[k]) == len - kwlen &&
			    !strncmp(d->names[k], ref + kwlen, len - kwlen))
				return true;
	}
	return false;
}

/* "function::x", "probe::x" (optionally with "(3stap)") name pages this
 * reference has; anything else must read PAGE(SECTION). */
void td_check_refs(const Vec *decls)
{
	for (int i = 0; i < decls->n; i++) {
		const Decl *d = decls->v[i];
		if (!d->parsed)
			continue;
		for (int s = 0; s < d->parsed->nsee; s++) {
			const char *ref = d->parsed->see[s];
			size_t len = strlen(ref);
			if (!len)
				continue;	/* reported already */
			const char *what = td_printf("%s '%s'", kind_word(d->kind), d->names[0]);
			if (!strncmp(ref, "function::", 10) || !strncmp(ref, "probe::", 7)) {
				if (len > 7 && !strcmp(ref + len - 7, "(3stap)"))
					len -= 7;
				if (!declared(decls, ref, len))
					td_error(d->file, d->parsed->see_line, "%s: 'See also: %.*s' "
						 "names no function or probe alias of the tapsets "
						 "(built-in probe points are in stapprobes(3stap))",
						 what, (int)len, ref);
			} else {
				const char *open = strchr(ref, '(');
				bool ok = open && open > ref && ref[len - 1] == ')' &&
					  open[1] >= '1' && open[1] <= '9' && !strchr(ref, ' ');
				if (!ok)
					td_error(d->file, d->parsed->see_line, "%s: 'See also: %s' is "
						 "neither function::NAME, probe::NAME nor PAGE(SECTION)",
						 what, ref);
			}
			free((char *)what);
		}
	}
}

char *td_runtimes_text(unsigned rt, const char *arch)
{
	const char *which = rt == RT_BOTH ? "Kernel and ptrace" :
			    rt == RT_KERNEL ? "Kernel only" : "Ptrace only";
	if (!arch)
		return td_printf("%s.", which);
	return td_printf("%s; %s only.", which, arch);
}
