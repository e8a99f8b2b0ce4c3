/* @entry(expr) in .return probes, and the end of pass 2 for the DWARF
 * family.
 *
 * SystemTap evaluates an @entry operand when the function is entered and
 * hands the value to the matching return, per thread (recursion
 * included).  Pass 2 resolves the operand's target variables at the
 * entry (after the prologue, where a .function probe goes), and once the
 * program is final gives each return probe that still reads @entry values
 * a synthetic DWP_ENTRY probe there: pass 3 evaluates the saves in it,
 * pushes them on a per-thread stack, and the return probe pops them
 * (doc/elaboration.md). */
#include "translate/probe_dwarf.h"
#include "parse/arena.h"
#include <stdlib.h>
#include <string.h>

static bool is_return_kind(const DerivedProbe *dp)
{
	if (!dp || dp->family != &family_dwarf)
		return false;
	DwarfProbeKind k = dw_probe(dp)->pub.kind;
	return k == DWP_FUNCTION_RETURN || k == DWP_PLT_RETURN;
}

bool dwarf_entry_allowed(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry)
{
	if (!is_return_kind(dp)) {
		sema_error(S, e->loc, "@entry is only valid in .return probes");
		return false;
	}
	if (at_entry) {
		sema_error(S, e->loc, "@entry inside @entry: the operand is already read at the "
			   "entry");
		return false;
	}
	return true;
}

/* The operand runs in the entry probe, before this probe's locals exist. */
static bool uses_local(Sema *S, const Expr *e)
{
	if (!e)
		return false;
	if (e->kind == E_SYMBOL && e->decl && e->decl->scope != VAR_GLOBAL) {
		sema_error(S, e->loc, "@entry cannot read the local '%s': its operand is "
			   "evaluated at the function's entry, before this probe runs", e->name);
		return true;
	}
	bool bad = uses_local(S, e->left) || uses_local(S, e->right) || uses_local(S, e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n && !bad; i++)
			bad = uses_local(S, e->args[i]);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n && !bad; i++)
			bad = uses_local(S, e->comps[i].expr);
		break;
	default:
		break;
	}
	return bad;
}

void dwarf_bind_entry(Sema *S, DerivedProbe *dp, Expr *e)
{
	if (uses_local(S, e->left))
		return;
	e->sema = dw_add_save(dp, e->left);
}

DwarfEntrySave *dw_add_save(DerivedProbe *dp, Expr *operand)
{
	DwarfEntrySave *sv = ANEW(&g_arena, DwarfEntrySave);
	sv->expr = operand;
	sv->ret = dp;
	DwProbe *d = dw_probe(dp);
	sv->slot = d->saves.n;
	vec_push(&d->saves, sv);
	return sv;
}

/* ---- after types: what the program keeps ---- */

typedef struct Collect {
	Sema *S;
	PtrMap seen;		/* fn name -> access: one emission per function */
	PtrVec *saves;		/* E_ENTRY saves of the probe being walked */
} Collect;

static void walk_expr(Collect *c, Expr *e);

static void walk_list(Collect *c, Expr **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			walk_expr(c, v[i]);
}

static void walk_expr(Collect *c, Expr *e)
{
	if (!e)
		return;
	switch ((ExprKind)e->kind) {
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR: {
		/* In evaluation order: the base, the indexes, the access. */
		walk_expr(c, e->left);
		for (uint32_t i = 0; i < e->n; i++)
			walk_expr(c, e->comps[i].expr);
		const CtxVar *v = e->sema;
		if (v && v->access == CTX_DWARF) {
			const DwarfAccess *a = (const DwarfAccess *)v;
			if (!pmap_get(&c->seen, a->fn)) {
				pmap_put(&c->seen, a->fn, (void *)a);
				vec_push(&c->S->dwarf_accesses, (void *)a);
			}
		}
		return;
	}
	case E_ENTRY:
		if (e->sema && c->saves)
			vec_push(c->saves, e->sema);
		break;
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		walk_list(c, e->args, e->n);
		break;
	default:
		break;
	}
	walk_expr(c, e->left);
	walk_expr(c, e->right);
	walk_expr(c, e->cond);
}

static void walk_stmt(Collect *c, Stmt *s)
{
	if (!s)
		return;
	walk_expr(c, s->expr);
	walk_expr(c, s->cond);
	walk_expr(c, s->incr);
	if (s->kind == S_BLOCK)
		for (uint32_t i = 0; i < s->n; i++)
			walk_stmt(c, s->stmts[i]);
	if (s->kind == S_FOREACH) {
		Foreach *f = s->foreach;
		walk_expr(c, f->base);
		for (int i = 0; f->slice && i < f->nkeys; i++)
			walk_expr(c, f->slice[i]);
		walk_expr(c, f->limit);
	}
	walk_stmt(c, s->then);
	walk_stmt(c, s->els);
}

static DerivedProbe *entry_probe(DerivedProbe *ret, PtrVec *saves)
{
	DwProbe *rd = dw_probe(ret);
	DerivedProbe *en = derived_clone(ret);
	DwProbe *d = ANEW(&g_arena, DwProbe);
	*d = *rd;
	memset(&d->saves, 0, sizeof(d->saves));
	d->scope = d->entry_scope = NULL;
	d->pub.kind = DWP_ENTRY;
	/* Where the saved values are read: after the prologue, as a .call
	 * probe would be; a PLT slot has no prologue. */
	d->pub.addr = rd->pub.kind == DWP_FUNCTION_RETURN ? rd->var_pc : rd->pub.addr;
	d->pub.offset = di_file_offset(d->m, d->pub.addr);
	d->pub.ret = ret;
	d->pub.entry = NULL;
	d->pub.saves = (DwarfEntrySave **)vec_finish(saves, &d->pub.nsaves);
	rd->pub.entry = en;
	rd->pub.saves = d->pub.saves;
	rd->pub.nsaves = d->pub.nsaves;
	en->data = d;
	en->kind = DWP_ENTRY;
	en->body = stmt_new(S_BLOCK, ret->body->loc);
	en->locals = NULL;
	en->nlocals = 0;
	en->synthetic = true;
	return en;
}

void dwarf_finish(Sema *S)
{
	Collect c = { .S = S };
	PtrVec probes = { 0 };
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (dp->elided) {
			vec_push(&probes, dp);
			continue;
		}
		PtrVec saves = { 0 };
		c.saves = &saves;
		walk_expr(&c, dp->cond);
		walk_stmt(&c, dp->body);
		c.saves = NULL;
		/* Slots in the order the kept code reads them; saves elided
		 * with their statements are gone. */
		for (int k = 0; k < saves.n; k++)
			((DwarfEntrySave *)saves.v[k])->slot = k;
		if (saves.n && is_return_kind(dp))
			vec_push(&probes, entry_probe(dp, &saves));
		free(saves.v);
		vec_push(&probes, dp);
	}
	for (int i = 0; i < S->funcs.n; i++)
		if (func_info(S->funcs.v[i])->kept)
			walk_stmt(&c, ((FuncDecl *)S->funcs.v[i])->body);
	free(S->probes.v);
	S->probes = probes;
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		dp->index = i;
		if (dp->family == &family_dwarf)
			dw_free_scopes(dp);
	}
	pmap_free(&c.seen);
}
