/* Probe handlers, their descriptors, and the module's lifecycle:
 * stp_probes_start (globals, begin probes, arming each family) and
 * stp_probes_stop (disarming, error probes, end probes, tear-down), plus
 * the platform glue (kernel module init/exit). */
#include "translate/codegen.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <string.h>

static const char *state_of(const DerivedProbe *dp)
{
	if (dp->family == &family_begin_end) {
		switch (dp->kind) {
		case PK_BEGIN: return "STP_SESSION_STARTING";
		case PK_END: return "STP_SESSION_STOPPING";
		case PK_ERROR: return "STP_SESSION_ERROR";
		default: return "STP_SESSION_STOPPED";
		}
	}
	return "STP_SESSION_RUNNING";
}

static void emit_handler(Codegen *g, DerivedProbe *dp)
{
	Routine r = { 0 };
	const char *name = probe_cname(dp);
	r.name = name;
	r.probe = dp;
	r.errexit = "return";
	g->r = &r;
	cg_line(g, "static void %s(struct stp_context *c)", name);
	cg_line(g, "{");
	r.indent = 1;
	cg_line(g, "struct %s_locals *l = &STP_LOCALS(c, struct stp_all_locals)->probe.p%d;", name,
		dp->index);
	cg_line(g, "(void)l;");
	if (dp->family->emit_handler)
		dp->family->emit_handler(g, dp, false);
	if (dp->cond) {
		/* The probe runs only while its condition holds (SystemTap arms
		 * and disarms it; testing at each hit is the same to the script). */
		cg_line(g, "{");
		r.indent++;
		Val c = emit_expr(g, dp->cond);
		cg_line(g, "if (!%s)", c.c);
		cg_line(g, "\treturn;");
		r.indent--;
		cg_line(g, "}");
		r.nstr = 0;
	}
	routine_begin(g, &r, dp->locals, dp->nlocals);
	if (dp->family->emit_handler)
		dp->family->emit_handler(g, dp, true);
	if (dp->body && dp->body->kind == S_BLOCK)
		emit_block_stmts(g, dp->body->stmts, (int)dp->body->n);
	else if (dp->body)
		emit_stmt(g, dp->body);
	r.indent = 0;
	cg_line(g, "}");
	routine_locals_struct(g, &r, cg_fmt("%s_locals", name));
	sb_printf(&g->probe_locals, "\t\tstruct %s_locals p%d;\n", name, dp->index);
	cg_printf(g, SEC_PROBE, "\n%s", sb_str(&r.body));
	sb_free(&r.body);
	sb_free(&r.members);
	pmap_free(&r.names);
	g->r = NULL;
}

static void emit_descriptor(Codegen *g, DerivedProbe *dp)
{
	int nlocks;
	const char *locks = emit_probe_locks(g, dp->index, &nlocks);
	const char *pp = point_text(dp->point);
	const char *pn = dp->written ? point_text(dp->written) : pp;
	bool interruptible = dp->family == &family_begin_end;
	cg_printf(g, SEC_PROBE, "static const struct stp_probe %s_desc __attribute__((__unused__)) = {\n"
		  "\t.pp = %s,\n\t.handler = %s,\n\t.state = %s,\n\t.flags = %s,\n"
		  "\t.locks = %s,\n\t.nlocks = %d,\n", probe_cname(dp), cg_quote(pp, strlen(pp)),
		  probe_cname(dp), state_of(dp), interruptible ? "STP_PROBE_INTERRUPTIBLE" : "0",
		  locks, nlocks);
	if (strcmp(pn, pp))
		cg_printf(g, SEC_PROBE, "\t.pn = %s,\n", cg_quote(pn, strlen(pn)));
	cg_printf(g, SEC_PROBE, "};\n");
}

/* The families in the program, in first-use order, with their probes. */
typedef struct FamilyProbes {
	const ProbeFamily *f;
	DerivedProbe **v;
	int n;
} FamilyProbes;

static FamilyProbes fams[16];
static int nfams;

static void group_families(Codegen *g)
{
	nfams = 0;
	for (int i = 0; i < g->p->nprobes; i++) {
		DerivedProbe *dp = g->p->probes[i];
		int k;
		for (k = 0; k < nfams && fams[k].f != dp->family; k++)
			;
		if (k == nfams) {
			if (nfams == (int)(sizeof(fams) / sizeof(fams[0])))
				continue;
			fams[nfams++] = (FamilyProbes){ dp->family, NULL, 0 };
		}
		fams[k].v = realloc(fams[k].v, sizeof(DerivedProbe *) * (size_t)(fams[k].n + 1));
		if (!fams[k].v)
			fatal("out of memory");
		fams[k].v[fams[k].n++] = dp;
	}
	/* Arming order: by the family's order, then first use (stable). */
	for (int k = 1; k < nfams; k++) {
		FamilyProbes f = fams[k];
		int j = k;
		for (; j > 0 && fams[j - 1].f->order > f.f->order; j--)
			fams[j] = fams[j - 1];
		fams[j] = f;
	}
}

/* Whether a family needs the kernel's utrace layer (see ProbeFamily). */
static bool any_utrace(void)
{
	for (int k = 0; k < nfams; k++)
		if (fams[k].f->uses_utrace)
			return true;
	return false;
}

static void emit_utrace_init(Codegen *g)
{
	if (any_utrace())
		cg_printf(g, SEC_LIFE, "#ifdef __KERNEL__\n\trc = stp_utrace_init();\n"
			  "\tif (rc)\n\t\tgoto fail;\n#endif\n");
}

static void emit_utrace_exit(Codegen *g)
{
	if (any_utrace())
		cg_printf(g, SEC_LIFE, "#ifdef __KERNEL__\n\tstp_utrace_exit();\n#endif\n");
}

void emit_probes(Codegen *g)
{
	Program *p = g->p;
	group_families(g);
	/* A family without registration code still gets its handlers (so -p3
	 * shows them), but the module cannot be built: pass 4 says why. */
	for (int k = 0; k < nfams; k++)
		if (!fams[k].f->emit_init && !fams[k].f->emit_started) {
			DerivedProbe *dp = fams[k].v[0];
			g->unbuildable = cg_fmt("probe point %s: the %s probe family has no runtime "
						"support in this build yet", point_text(dp->point),
						fams[k].f->name);
			cg_printf(g, SEC_FAMILY, "#error %s\n", cg_quote(g->unbuildable,
								 strlen(g->unbuildable)));
		}
	for (int i = 0; i < p->nprobes; i++)
		emit_handler(g, p->probes[i]);
	cg_printf(g, SEC_PROBE, "\n");
	for (int i = 0; i < p->nprobes; i++)
		emit_descriptor(g, p->probes[i]);
	for (int k = 0; k < nfams; k++)
		if (fams[k].f->emit_decls)
			fams[k].f->emit_decls(g, fams[k].v, fams[k].n);

	cg_printf(g, SEC_LOCALS, "\nstruct stp_all_locals {\n\tunion {\n%s\t\tchar none;\n\t} probe;\n"
		  "\tunion {\n%s\t\tchar none;\n\t} frame[MAXNESTING];\n};\n"
		  "#define STP_LOCALS_SIZE sizeof(struct stp_all_locals)\n",
		  sb_str(&g->probe_locals), sb_str(&g->frames));
	sb_free(&g->probe_locals);
	sb_free(&g->frames);
}

static bool is_begin_end(const ProbeFamily *f)
{
	return f == &family_begin_end;
}

void emit_lifecycle(Codegen *g)
{
	cg_printf(g, SEC_LIFE, "int stp_probes_start(void);\nvoid stp_probes_stop(void);\n\n"
		  "int stp_probes_start(void)\n{\n\tint rc = stp_runtime_init();\n\n"
		  "\tif (rc)\n\t\treturn rc;\n");
	/* target() and the task finder: whoever included task_info.c. */
	cg_printf(g, SEC_LIFE, "#ifdef RUNTIME_TASK_INFO_C\n\tstp_target_set(stp_transport_target_pid(), "
		  "stp_transport_target_held());\n#endif\n");
	emit_globals_init(g);
	/* begin probes first, then the event families are armed. */
	for (int k = 0; k < nfams; k++)
		if (is_begin_end(fams[k].f) && fams[k].f->emit_init)
			fams[k].f->emit_init(g, fams[k].v, fams[k].n);
	emit_utrace_init(g);
	for (int k = 0; k < nfams; k++)
		if (!is_begin_end(fams[k].f) && fams[k].f->emit_init)
			fams[k].f->emit_init(g, fams[k].v, fams[k].n);
	cg_printf(g, SEC_LIFE, "\tstp_session_started();\n");
	for (int k = 0; k < nfams; k++)
		if (fams[k].f->emit_started)
			fams[k].f->emit_started(g, fams[k].v, fams[k].n);
	cg_printf(g, SEC_LIFE, "\treturn 0;\nfail: __attribute__((unused));\n");
	for (int k = nfams - 1; k >= 0; k--)
		if (!is_begin_end(fams[k].f) && fams[k].f->emit_exit)
			fams[k].f->emit_exit(g, fams[k].v, fams[k].n);
	emit_utrace_exit(g);
	cg_printf(g, SEC_LIFE, "\tstp_runtime_exit();\n");
	emit_globals_free(g);
	cg_printf(g, SEC_LIFE, "\treturn rc;\n}\n\nvoid stp_probes_stop(void)\n{\n");
	for (int k = nfams - 1; k >= 0; k--)
		if (!is_begin_end(fams[k].f) && fams[k].f->emit_exit)
			fams[k].f->emit_exit(g, fams[k].v, fams[k].n);
	emit_utrace_exit(g);
	cg_printf(g, SEC_LIFE, "\tstp_runtime_quiesce();\n\tstp_session_stopping();\n");
	for (int k = 0; k < nfams; k++)
		if (is_begin_end(fams[k].f) && fams[k].f->emit_exit)
			fams[k].f->emit_exit(g, fams[k].v, fams[k].n);
	cg_printf(g, SEC_LIFE, "\tstp_session_report();\n\tstp_runtime_exit();\n");
	emit_globals_free(g);
	cg_printf(g, SEC_LIFE, "}\n");
	/* The kernel module: the transport starts and stops the probes. */
	cg_printf(g, SEC_LIFE,
		  "\n#ifdef __KERNEL__\n#include \"linux/module_glue.h\"\n#endif\n");
}
