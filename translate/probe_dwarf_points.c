/* The concrete probes of one DWARF point in one object: each function
 * (inlined instances included), statement, marker or PLT entry the layer
 * finds becomes a DerivedProbe whose point names it as -l prints it:
 *
 *   function("compute@/src/t.c:25")   function("_start")   function(0x1198)
 *   statement("compute@/src/t.c:27")  mark("mixed")        plt("printf")
 *
 * Nothing found is no error here: probe_dwarf.c reports "no match" once
 * every object (program, libraries) has been asked. */
#include "translate/probe_dwarf.h"
#include "parse/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_func(DwProbe *d, const DiFunc *f)
{
	d->func = *f;
	d->has_func = true;
	d->pub.function = f->name;
	d->pub.decl_file = f->has_dwarf ? f->file : NULL;
	d->pub.decl_line = f->line;
	d->pub.inlined = f->inlined;
	d->pub.has_dwarf = f->has_dwarf;
}

static const char *func_text(const DiFunc *f)
{
	if (!f->has_dwarf || !f->file)
		return f->name;
	StrBuf b = { 0 };
	sb_printf(&b, "%s@%s:%d", f->name, f->file, f->line);
	const char *s = arena_strndup(&g_arena, sb_str(&b), b.len);
	sb_free(&b);
	return s;
}

/* The symbol table names some functions twice (an alias such as
 * compute_alias, weak and strong names): a wildcard probes the address
 * once, under the shortest name, as SystemTap does. */
static bool better_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return la != lb ? la < lb : strcmp(a, b) < 0;
}

static void dedup_symbols(DiFuncs *fs)
{
	for (int i = 0; i < fs->n; i++) {
		DiFunc *f = &fs->v[i];
		if (f->has_dwarf || !f->name)
			continue;
		for (int k = 0; k < fs->n; k++) {
			DiFunc *g = &fs->v[k];
			if (k == i || !g->name || g->addr != f->addr || g->inlined)
				continue;
			if (g->has_dwarf || better_name(g->name, f->name)) {
				f->name = NULL;
				break;
			}
		}
	}
}

int dw_expand_functions(DwMatch *w)
{
	Sema *S = w->S;
	DiModule *m = w->m;
	const PPComponent *c = &w->proto->point->comps[w->spec];
	bool ret = w->shape & DWK_RETURN;
	DiFuncs fs;
	DiFunc one;
	if (w->shape & DWK_ADDR) {
		if (di_function_at(m, (uint64_t)c->num, &one) < 0) {
			dw_error(w, "%s", di_error(m));
			return -1;
		}
		fs.v = &one;
		fs.n = 1;
	} else if (di_functions(m, c->str, &fs) < 0) {
		dw_error(w, "%s", di_error(m));
		return -1;
	}
	if (!di_has_dwarf(m) && fs.n && !S->listing)
		sema_warn(S, (Loc){ 0, 0 }, "%s", di_nodwarf_warning(m));
	if (fs.n > 1)
		dedup_symbols(&fs);
	int made = 0;
	for (int i = 0; i < fs.n; i++) {
		const DiFunc *f = &fs.v[i];
		if (!f->name)
			continue;
		if ((w->shape & DWK_CALL) && f->inlined)
			continue;
		if ((w->shape & DWK_INLINE) && !f->inlined)
			continue;
		/* An inlined copy of an external function is no entry point. */
		if ((w->shape & DWK_EXPORTED) && (!f->external || f->inlined))
			continue;
		if (ret && f->inlined) {
			vec_push(&w->skipped_inline, (void *)f->name);
			continue;
		}
		/* _start never returns: a return probe there would only cost. */
		if (ret && !strcmp(f->name, "_start")) {
			sema_warn(S, c->loc, "function _start return probe is blocklisted");
			continue;
		}
		DerivedProbe *dp = dw_new_probe(w, ret ? DWP_FUNCTION_RETURN : DWP_FUNCTION,
						ret ? f->entry : f->addr);
		DwProbe *d = dw_probe(dp);
		set_func(d, f);
		/* A return probe's other variables are read at the entry, where a
		 * .function probe would be (after the prologue). */
		d->var_pc = f->addr;
		PPComponent *pc = &dp->point->comps[w->spec];
		if (w->shape & DWK_ADDR) {
			d->written_addr = (uint64_t)c->num;
			d->addr_written = true;
			pc->num = (int64_t)dw_probe(dp)->pub.addr;
		} else {
			dw_set_str(pc, func_text(f));
		}
		made++;
	}
	return made;
}

/* The single line a pattern ends with (":27"), or 0. */
static int written_line(const char *pattern)
{
	const char *colon = strrchr(pattern, ':');
	if (!colon || !colon[1])
		return 0;
	char *end;
	long n = strtol(colon + 1, &end, 10);
	return *end || n <= 0 ? 0 : (int)n;
}

int dw_expand_statements(DwMatch *w)
{
	DiModule *m = w->m;
	const PPComponent *c = &w->proto->point->comps[w->spec];
	bool nearest = w->shape & DWK_NEAREST;
	DiStmts ss;
	DiStmt one;
	if (w->shape & DWK_ADDR) {
		if (di_statement_at(m, (uint64_t)c->num, &one) < 0) {
			dw_error(w, "%s", di_error(m));
			return -1;
		}
		ss.v = &one;
		ss.n = 1;
	} else if (di_statements(m, c->str, nearest, &ss) < 0) {
		dw_error(w, "%s", di_error(m));
		return -1;
	}
	/* -l shows a .nearest line as written, -p2 where it went (as
	 * SystemTap does). */
	int listed = nearest && !(w->shape & DWK_ADDR) ? written_line(c->str) : 0;
	for (int i = 0; i < ss.n; i++) {
		const DiStmt *st = &ss.v[i];
		DerivedProbe *dp = dw_new_probe(w, DWP_STATEMENT, st->addr);
		DwProbe *d = dw_probe(dp);
		set_func(d, &st->func);
		PPComponent *pc = &dp->point->comps[w->spec];
		if (w->shape & DWK_ADDR)
			continue;
		StrBuf b = { 0 };
		sb_printf(&b, "%s@%s:%d", st->func.name, st->file ? st->file : "", st->line);
		dw_set_str(pc, sb_str(&b));
		if (listed && listed != st->line) {
			sb_clear(&b);
			sb_printf(&b, "%s@%s:%d", st->func.name, st->file ? st->file : "", listed);
			d->listed = arena_strndup(&g_arena, sb_str(&b), b.len);
		}
		sb_free(&b);
	}
	return ss.n;
}

int dw_expand_marks(DwMatch *w)
{
	DiModule *m = w->m;
	const PPComponent *comps = w->proto->point->comps;
	bool prov = w->shape & DWK_PROVIDER;
	DiMarks ms;
	if (di_marks(m, prov ? comps[w->spec].str : NULL, comps[w->spec + prov].str, &ms) < 0) {
		dw_error(w, "%s", di_error(m));
		return -1;
	}
	for (int i = 0; i < ms.n; i++) {
		const DiMark *mk = &ms.v[i];
		DerivedProbe *dp = dw_new_probe(w, DWP_MARK, mk->addr);
		DwProbe *d = dw_probe(dp);
		DwarfProbeData *p = &d->pub;
		d->mark = mk;
		p->offset = mk->file_offset;
		p->provider = mk->provider;
		p->name = mk->name;
		p->semaphore = mk->semaphore;
		p->semaphore_offset = mk->semaphore_offset;
		p->nargs = mk->nargs;
		const char **specs = ANEWN(&g_arena, const char *, mk->nargs ? mk->nargs : 1);
		for (int a = 0; a < mk->nargs; a++)
			specs[a] = mk->arg[a].text;
		p->arg_specs = specs;
		/* The function around the marker gives its other $variables. */
		DiFunc f;
		if (di_has_dwarf(m) && di_function_at(m, mk->addr, &f) == 0 && f.has_dwarf)
			set_func(d, &f);
		else
			p->has_dwarf = false;
		PPComponent *pc = dp->point->comps;
		if (prov)
			dw_set_str(&pc[w->spec], mk->provider);
		dw_set_str(&pc[w->spec + prov], mk->name);
	}
	return ms.n;
}

int dw_expand_plts(DwMatch *w)
{
	DiModule *m = w->m;
	const PPComponent *c = &w->proto->point->comps[w->spec];
	bool ret = w->shape & DWK_RETURN;
	DiPlts ps;
	if (di_plts(m, c->arg_kind == PP_ARG_STRING ? c->str : "*", &ps) < 0) {
		dw_error(w, "%s", di_error(m));
		return -1;
	}
	for (int i = 0; i < ps.n; i++) {
		const DiPlt *e = &ps.v[i];
		DerivedProbe *dp = dw_new_probe(w, ret ? DWP_PLT_RETURN : DWP_PLT, e->addr);
		DwProbe *d = dw_probe(dp);
		d->pub.offset = e->file_offset;
		d->pub.name = e->name;
		d->pub.has_dwarf = false;
		dw_set_str(&dp->point->comps[w->spec], e->name);
	}
	return ps.n;
}
