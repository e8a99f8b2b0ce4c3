/* Where a .function probe is armed.
 *
 * SystemTap's address for a .function probe is after the prologue (see
 * doc/debuginfo.md), because at -O0 the parameters reach their frame
 * slots only there, and -p2 shows that address.  A handler that reads no
 * target variable and no register -- nothing through uaddr(), the
 * unwinder or its own C -- cannot tell that address from the function's
 * first instruction: at -O0 the prologue between them is straight-line
 * stores, and optimised code has its probe at the entry already.  Such a
 * probe is armed at the entry, where x86 uprobes emulate the usual first
 * instruction (push %rbp) in the breakpoint trap; the instruction after
 * the prologue is as often %rip-relative and stepped out of line, a
 * second trap (doc/uprobes.md has the figures). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include "translate/probe_dwarf.h"
#include "translate/cg_walk.h"
#include "translate/sema.h"
#include <string.h>

typedef struct FrameUse {
	PtrMap seen;		/* FuncDecl* already looked at */
	bool reads;
} FrameUse;

static void func_reads_frame(FuncDecl *f, FrameUse *u);

static bool visit_expr(Expr *e, void *data)
{
	FrameUse *u = data;
	if (u->reads)
		return false;
	switch ((ExprKind)e->kind) {
	case E_TARGET: case E_ATVAR: case E_ENTRY:
		u->reads = true;
		return false;
	case E_CALL:
		if (e->func) {
			/* `next` may go on to any later overload. */
			const Overloads *g = func_info(e->func)->group;
			if (g)
				for (int i = 0; i < g->n; i++)
					func_reads_frame(g->v[i], u);
			else
				func_reads_frame(e->func, u);
		}
		return true;
	default:
		return true;
	}
}

static void visit_stmt(Stmt *s, void *data)
{
	FrameUse *u = data;
	if (s->kind == S_EMBEDDED)
		u->reads = true;
}

static void func_reads_frame(FuncDecl *f, FrameUse *u)
{
	if (u->reads || pmap_get(&u->seen, f))
		return;
	pmap_put(&u->seen, f, f);
	/* Embedded C reaches the probed registers only through a pt_regs:
	 * the context's, or one it finds itself. */
	if (f->embedded)
		u->reads = memmem(f->embedded, f->embedded_len, "regs", 4) != NULL;
	else
		walk_stmt(f->body, visit_expr, visit_stmt, u);
}

bool dw_armed_at_entry(const DerivedProbe *dp)
{
	const DwProbe *d = dw_probe(dp);
	if (d->pub.kind != DWP_FUNCTION || !d->has_func || d->func.inlined ||
	    d->func.entry == d->pub.addr || d->addr_written)
		return false;
	FrameUse u = { .reads = false };
	walk_stmt(dp->body, visit_expr, visit_stmt, &u);
	pmap_free(&u.seen);
	return !u.reads;
}

uint64_t dw_armed_addr(const DerivedProbe *dp)
{
	return dw_armed_at_entry(dp) ? dw_probe(dp)->func.entry : dw_probe(dp)->pub.addr;
}
