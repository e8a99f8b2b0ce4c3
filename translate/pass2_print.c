/* stap -p2: the elaborated program in SystemTap's layout.
 *
 *   # global embedded code / # globals / # functions / # probes
 *
 * Each probe is printed as its concrete point, then where it came from
 * ("/ * <- alias = its points <- the user's points * /"), then its locals.
 * With -v, bodies follow, in ustap's canonical script syntax (SystemTap
 * prints its internal C-like form there). */
#include "translate/pass2.h"
#include "translate/sema.h"
#include "parse/unparse.h"
#include <stdlib.h>
#include <string.h>

static void var_line(StrBuf *b, const VarDecl *v, const char *indent)
{
	sb_printf(b, "%s%s%s", indent, v->name, v->wrap ? "%" : "");
	if (v->max_size)
		sb_printf(b, "[%lld]", (long long)v->max_size);
	sb_printf(b, ":%s", type_name(v->type));
	if (v->arity > 0) {
		sb_puts(b, " [");
		for (int i = 0; i < v->arity; i++)
			sb_printf(b, "%s%s", i ? ", " : "", type_name(v->key_types[i]));
		sb_putc(b, ']');
	}
}

static void locals_block(StrBuf *b, VarDecl *const *v, int n)
{
	if (!n)
		return;
	sb_puts(b, "  # locals\n");
	for (int i = 0; i < n; i++) {
		var_line(b, v[i], "  ");
		sb_putc(b, '\n');
	}
}

static void point_list(StrBuf *b, ProbePoint *const *v, int n, const char *sep)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_puts(b, sep);
		unparse_probe_point(b, v[i]);
	}
}

static void probe_header(StrBuf *b, const DerivedProbe *dp)
{
	if (dp->family->p2_header) {
		dp->family->p2_header(dp, b);
		sb_putc(b, '\n');
		return;
	}
	ProbePoint shown = *dp->point;
	shown.optional = dp->optional;
	shown.sufficient = dp->sufficient;
	shown.cond = dp->cond;
	unparse_probe_point(b, &shown);
	sb_puts(b, " /* <- ");
	for (const AliasStep *a = dp->chain; a; a = a->outer) {
		const Probe *al = a->alias;
		point_list(b, al->alias_names, al->nalias_names, ", ");
		sb_puts(b, al->alias == ALIAS_EPILOGUE ? " += " : " = ");
		point_list(b, al->points, al->npoints, ", ");
		sb_puts(b, " <- ");
	}
	point_list(b, dp->origin->points, dp->origin->npoints, ",");
	sb_puts(b, " */\n");
}

static int cmp_func(const void *x, const void *y)
{
	const FuncDecl *a = *(FuncDecl *const *)x, *b = *(FuncDecl *const *)y;
	if (a->is_private != b->is_private)
		return a->is_private - b->is_private;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->nparams != b->nparams)
		return a->nparams - b->nparams;
	return func_info(a)->order - func_info(b)->order;
}

/* The C functions that read target variables, after the script's: they
 * play the part of SystemTap's _dwarf_tvar_get functions.  With -v, the
 * generated C follows as an embedded-C body. */
static void accesses(StrBuf *b, const Program *p, bool verbose)
{
	for (int i = 0; i < p->naccesses; i++) {
		const DwarfAccess *a = p->accesses[i];
		sb_printf(b, "%s:%s (", a->fn, type_name(a->var.type));
		int k = 0;
		if (a->base)
			sb_printf(b, "%sbase:long", k++ ? ", " : "");
		for (int x = 0; x < a->nindex; x++)
			sb_printf(b, "%si%d:long", k++ ? ", " : "", x);
		sb_puts(b, ")\n");
		if (verbose)
			sb_printf(b, "%%{\n%s%%}\n", a->code);
	}
}

void pass2_print(const Session *s, const Program *p)
{
	StrBuf b = { 0 };
	bool verbose = s->verbose[0] > 0 || s->verbose[1] > 0;
	bool very_verbose = s->verbose[0] > 1 || s->verbose[1] > 1;
	if (p->nembeds) {
		sb_puts(&b, "# global embedded code\n");
		for (int i = 0; i < p->nembeds; i++)
			sb_printf(&b, "%%{%.*s%%}\n", (int)p->embeds[i]->len, p->embeds[i]->code);
	}
	if (p->nglobals) {
		/* In the order the script first mentions them (SystemTap's). */
		VarDecl *const *g = p->globals;
		sb_puts(&b, "# globals\n");
		for (int i = 0; i < p->nglobals; i++) {
			var_line(&b, g[i], "");
			if (verbose && g[i]->init) {
				sb_puts(&b, " = ");
				unparse_expr(&b, g[i]->init);
			}
			sb_putc(&b, '\n');
		}
	}
	if (p->nfuncs || p->naccesses) {
		FuncDecl **f = malloc(sizeof(*f) * (size_t)p->nfuncs);
		memcpy(f, p->funcs, sizeof(*f) * (size_t)p->nfuncs);
		qsort(f, (size_t)p->nfuncs, sizeof(*f), cmp_func);
		sb_puts(&b, "# functions\n");
		for (int i = 0; i < p->nfuncs; i++) {
			const FuncDecl *fd = f[i];
			sb_printf(&b, "%s:%s (", fd->name, type_name(fd->ret_type));
			for (int k = 0; k < fd->nparams; k++)
				sb_printf(&b, "%s%s:%s", k ? ", " : "", fd->params[k]->name,
					  type_name(fd->params[k]->type));
			sb_puts(&b, ")\n");
			const FuncInfo *fi = fd->sema;
			locals_block(&b, (VarDecl *const *)fi->locals.v, fi->locals.n);
			if (!verbose)
				continue;
			if (fd->embedded)
				sb_printf(&b, "%%{%.*s%%}\n", (int)fd->embedded_len, fd->embedded);
			else {
				unparse_stmt(&b, fd->body, 0);
				sb_putc(&b, '\n');
			}
		}
		free(f);
		accesses(&b, p, verbose);
	}
	sb_puts(&b, "# probes\n");
	for (int i = 0; i < p->nprobes; i++) {
		const DerivedProbe *dp = p->probes[i];
		probe_header(&b, dp);
		if (very_verbose && dp->family->p2_details)
			dp->family->p2_details(dp, &b);
		locals_block(&b, dp->locals, dp->nlocals);
		if (verbose) {
			unparse_stmt(&b, dp->body, 0);
			sb_putc(&b, '\n');
		}
	}
	sb_write(&b, stdout);
	sb_free(&b);
}
