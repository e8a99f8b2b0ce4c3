/* Pass 3 for the DWARF probe families (doc/elaboration.md, "What pass 3
 * must emit"; doc/codegen.md): one runtime/uprobes.h table for every
 * .function/.statement/.mark/.plt probe and their .return forms, the
 * loc2c accessors of target expressions and the calls to them, and the
 * @entry stacks between a synthetic entry probe and its return probe
 * (runtime/uprobes_entry.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem, open_memstream */
#endif
#include "translate/codegen.h"
#include "translate/probe_dwarf.h"
#include "translate/unwind_data.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_dwarf(const DerivedProbe *dp)
{
	return dp->family == &family_dwarf && !dp->elided;
}

static const DwarfProbeData *dwd(const DerivedProbe *dp)
{
	return dp->data;
}

/* A return probe that reads @entry values: it owns a stack of frames. */
static bool has_entry_frames(const DerivedProbe *dp)
{
	const DwarfProbeData *d = dwd(dp);
	return (d->kind == DWP_FUNCTION_RETURN || d->kind == DWP_PLT_RETURN) && d->nsaves > 0;
}

static bool program_has_dwarf(const Program *p)
{
	for (int i = 0; i < p->nprobes; i++)
		if (is_dwarf(p->probes[i]))
			return true;
	return false;
}

/* The tapset's symbol and backtrace functions include unwind.c: only then
 * are the probed files' symbols and CFI worth their (large) tables. */
static bool wants_symbols(Codegen *g)
{
	static const char inc[] = "#include \"unwind.c\"";
	for (int i = 0; i < g->p->nembeds; i++) {
		const Embed *e = g->p->embeds[i];
		if (memmem(e->code, e->len, inc, sizeof(inc) - 1))
			return true;
	}
	return false;
}

/* ---- the runtime and the accessors, before any function or handler ---- */

void emit_dwarf_runtime(Codegen *g)
{
	Program *p = g->p;
	bool probes = program_has_dwarf(p), module = false;
	for (int i = 0; i < p->naccesses; i++)
		module |= p->accesses[i]->module != NULL;
	if (!probes && !p->naccesses)
		return;
	/* The accessors read memory with stp_copy_from_user: the kernel's
	 * utrace layer has it (the process family includes it too). */
	emit_utrace_include(g);
	cg_printf(g, SEC_EMBED, "#include \"loc2c.h\"\n");
	if (probes || module)
		/* unwind.c too: uprobes.c declares what it defines. */
		cg_printf(g, SEC_EMBED, "#include \"uprobes.c\"\n#include \"unwind.c\"\n");
	for (int i = 0; i < p->nprobes; i++)
		if (is_dwarf(p->probes[i]) && has_entry_frames(p->probes[i])) {
			cg_printf(g, SEC_EMBED, "#include \"uprobes_entry.h\"\n");
			break;
		}
	if (module)
		/* @var("x@file", "lib"): another file's bias in the hit process. */
		cg_printf(g, SEC_PROTO, "\nstatic unsigned long stp_l2c_module_bias(struct l2c_frame *f, "
			  "const char *path, int *ok)\n{\n\t(void)f;\n"
			  "\treturn stp_uprobe_module_bias(path, ok);\n}\n");
	for (int i = 0; i < p->naccesses; i++)
		cg_printf(g, SEC_PROTO, "\n%s", p->accesses[i]->code);
}

/* ---- expressions ---- */

/* A target expression through its loc2c accessor: base and indexes left
 * to right (copied, so later operands cannot change them), then the call;
 * a failure is the handler's error at the node. */
Val emit_dwarf_access(Codegen *g, Expr *e, const DwarfAccess *a)
{
	StrBuf args = { 0 };
	if (a->base) {
		Val b = emit_expr(g, a->base);
		sb_printf(&args, "%s, ", tmp_long(g, b.c));
	}
	for (int i = 0; i < a->nindex; i++) {
		Val x = emit_expr(g, a->index[i]);
		sb_printf(&args, "%s, ", tmp_long(g, x.c));
	}
	bool str = a->var.type == TY_STRING;
	const char *out = str ? tmp_str(g) : tmp_long(g, "0");
	cg_line(g, "{");
	/* In a DWARF probe `object` is the probed file, whose bias the hit
	 * gives; elsewhere nothing reads the bias. */
	cg_line(g, "\tstruct l2c_frame fr = { .regs = c->regs, .bias = %s, .module_bias = %s };",
		a->object ? "stp_uprobe_bias(c)" : "0",
		a->module ? "stp_l2c_module_bias" : "NULL");
	cg_line(g, "\tif (%s(&fr, %s%s%s)) {", a->fn, sb_str(&args), str ? "" : "&", out);
	/* The message is in fr, which is gone when the error is reported. */
	cg_line(g, "\t\tstp_errorf(c, &%s, \"%%s\", fr.err);", cg_loc(g, e->loc));
	cg_line(g, "\t\t%s;", g->r->errexit);
	cg_line(g, "\t}");
	cg_line(g, "}");
	sb_free(&args);
	return (Val){ out, str ? TY_STRING : TY_LONG, true };
}

/* @entry(x) in a return probe: the slot of the frame its handler popped. */
Val emit_dwarf_entry(Codegen *g, Expr *e)
{
	const DwarfEntrySave *sv = e->sema;
	if (!sv || !g->r->probe || g->r->probe != sv->ret) {
		cg_error(g, e->loc, "@entry outside its return probe");
		return (Val){ "0", TY_LONG, true };
	}
	Type t = sv->expr->type == TY_STRING ? TY_STRING : TY_LONG;
	return (Val){ cg_fmt("l->entry.v%d", sv->slot), t, false };
}

/* ---- handlers ---- */

/* The frame of ret's @entry values, and its stack. */
static void declare_frame(Codegen *g, const DerivedProbe *ret)
{
	const DwarfProbeData *d = dwd(ret);
	const char *name = probe_cname(ret);
	cg_printf(g, SEC_DECL, "struct %s_entry {\n", name);
	for (int i = 0; i < d->nsaves; i++) {
		if (d->saves[i]->expr->type == TY_STRING)
			cg_printf(g, SEC_DECL, "\tchar v%d[MAXSTRINGLEN];\n", i);
		else
			cg_printf(g, SEC_DECL, "\tint64_t v%d;\n", i);
	}
	cg_printf(g, SEC_DECL, "};\nstatic struct stp_entry_stack %s_entries;\n", name);
}

/* Before the condition: a return probe takes its thread's frame (so an
 * unmet condition does not leave it behind).  After the condition and the
 * locals: an entry probe evaluates the saves in order and pushes them; a
 * failed save still pushes (zeroes), so the return finds its own frame. */
void emit_dwarf_handler(void *codegen, DerivedProbe *dp, bool after_cond)
{
	Codegen *g = cg_of(codegen);
	const DwarfProbeData *d = dwd(dp);
	if (!after_cond && has_entry_frames(dp)) {
		declare_frame(g, dp);
		sb_printf(&g->r->members, "\tstruct %s_entry entry;\n", probe_cname(dp));
		cg_line(g, "stp_entry_pop(&%s_entries, (int)stp_task_tid(c->task), &l->entry);",
			probe_cname(dp));
		return;
	}
	if (!after_cond || d->kind != DWP_ENTRY || !d->ret)
		return;
	const char *ret = probe_cname(d->ret);
	sb_printf(&g->r->members, "\tstruct %s_entry entry;\n", ret);
	cg_line(g, "memset(&l->entry, 0, sizeof(l->entry));");
	const char *outer = g->r->errexit;
	g->r->errexit = "goto entry_failed";
	for (int i = 0; i < d->nsaves; i++) {
		Expr *x = d->saves[i]->expr;
		cg_line(g, "{");
		g->r->indent++;
		Val v = emit_expr(g, x);
		if (x->type == TY_STRING)
			cg_line(g, "stp_str_copy(l->entry.v%d, %s);", i, v.c);
		else
			cg_line(g, "l->entry.v%d = %s;", i, v.c);
		g->r->indent--;
		cg_line(g, "}");
		g->r->nstr = 0;
	}
	g->r->errexit = outer;
	cg_line(g, "if (0) {");
	cg_line(g, "entry_failed: __attribute__((unused));");
	cg_line(g, "\tmemset(&l->entry, 0, sizeof(l->entry));");
	cg_line(g, "}");
	cg_line(g, "stp_entry_push(&%s_entries, (int)stp_task_tid(c->task), &l->entry);", ret);
}

/* ---- the family's declarations and lifecycle ---- */

/* The symbols and CFI of the probed files and those named with -d, for
 * usymname() and the backtraces (runtime/usym.h). */
static int emit_umodules(Codegen *g, DerivedProbe **probes, int n)
{
	PtrVec paths = { 0 };
	for (int i = 0; i < n; i++) {
		const DwarfProbeData *d = dwd(probes[i]);
		const char *two[2] = { d->process, d->object };
		for (int k = 0; k < 2; k++)
			if (two[k])
				vec_push(&paths, (void *)two[k]);
	}
	for (int i = 0; i < g->s->unwind_objects.n; i++)
		vec_push(&paths, (void *)g->s->unwind_objects.v[i]);
	int count = 0;
	StrBuf list = { 0 };
	for (int i = 0; i < paths.n; i++) {
		const char *path = paths.v[i];
		int j;
		for (j = 0; j < i && strcmp(paths.v[j], path); j++)
			;
		if (j < i)
			continue;
		char *text = NULL, *err = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (!f)
			fatal("out of memory");
		const char *name = cg_fmt("stp_um_%d", count);
		int rc = ud_emit(f, path, name, &err);
		fclose(f);
		if (rc == 0) {
			cg_printf(g, SEC_FAMILY, "\n%s", text);
			sb_printf(&list, "%s&%s", count ? ", " : "", name);
			count++;
		} else {
			fprintf(stderr, "WARNING: no symbols for %s: %s\n", path, err ? err : "?");
		}
		free(text);
		free(err);
	}
	if (count)
		cg_printf(g, SEC_FAMILY, "\nstatic const struct stp_umodule *const stp_umodules[] = "
			  "{ %s };\n", sb_str(&list));
	sb_free(&list);
	free(paths.v);
	return count;
}

static int nmodules;

void dwarf_emit_decls(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	cg_printf(g, SEC_FAMILY, "\nstatic const struct stp_uprobe stp_uprobes[] = {\n");
	for (int i = 0; i < n; i++) {
		const DwarfProbeData *d = dwd(probes[i]);
		bool ret = d->kind == DWP_FUNCTION_RETURN || d->kind == DWP_PLT_RETURN;
		/* Armed in the same segment as its address: the offset moves with it. */
		uint64_t armed = dw_armed_addr(probes[i]);
		cg_printf(g, SEC_FAMILY, "\t{ .probe = &%s_desc, .path = %s, .offset = %#llx, .vaddr = %#llx",
			  probe_cname(probes[i]),
			  cg_quote(d->object, strlen(d->object)),
			  (unsigned long long)(d->offset - (d->addr - armed)),
			  (unsigned long long)armed);
		if (d->kind == DWP_MARK && d->semaphore)
			cg_printf(g, SEC_FAMILY, ", .sdt_sem = %#llx",
				  (unsigned long long)d->semaphore_offset);
		if (ret)
			cg_printf(g, SEC_FAMILY, ", .ret = 1");
		if (d->pid)
			cg_printf(g, SEC_FAMILY, ", .pid = %lld", (long long)d->pid);
		cg_printf(g, SEC_FAMILY, " },\n");
	}
	cg_printf(g, SEC_FAMILY, "};\n");
	nmodules = wants_symbols(g) ? emit_umodules(g, probes, n) : 0;
}

/* Before the begin probes: the symbol tables and the @entry stacks (they
 * allocate; handlers may not). */
void dwarf_emit_init(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	if (nmodules)
		cg_printf(g, SEC_LIFE, "\tstp_usym_init(stp_umodules, %d);\n", nmodules);
	for (int i = 0; i < n; i++)
		if (has_entry_frames(probes[i]))
			cg_printf(g, SEC_LIFE, "\trc = stp_entry_stack_init(&%s_entries, "
				  "sizeof(struct %s_entry));\n\tif (rc)\n\t\tgoto fail;\n",
				  probe_cname(probes[i]), probe_cname(probes[i]));
}

/* Processes that already run get their breakpoints at once. */
void dwarf_emit_started(void *codegen, DerivedProbe **probes, int n)
{
	(void)probes;
	cg_printf(cg_of(codegen), SEC_LIFE, "\trc = stp_uprobes_start(stp_uprobes, %d);\n"
		  "\tif (rc)\n\t\tgoto fail;\n", n);
}

void dwarf_emit_exit(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	cg_printf(g, SEC_LIFE, "\tstp_uprobes_stop();\n");
	for (int i = 0; i < n; i++)
		if (has_entry_frames(probes[i]))
			cg_printf(g, SEC_LIFE, "\tstp_entry_stack_free(&%s_entries);\n",
				  probe_cname(probes[i]));
}
