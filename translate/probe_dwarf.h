/* What the DWARF probe family's files (probe_dwarf*.c) share: the shape
 * of a matched point, the per-probe data pass 2 keeps beside the public
 * DwarfProbeData, and the helpers that turn one query result into one
 * DerivedProbe.  Other parts of the translator see program.h and sema.h. */
#ifndef TRANSLATE_PROBE_DWARF_H
#define TRANSLATE_PROBE_DWARF_H
#include "translate/debuginfo.h"
#include "translate/loc2c.h"
#include "translate/sema.h"

/* The shape of a registered pattern: DerivedProbe.kind of a matched point
 * before it is expanded.  The low bits say what the point names. */
enum {
	DWK_FUNCTION = 1,
	DWK_STATEMENT = 2,
	DWK_MARK = 3,
	DWK_PLT = 4,
	DWK_UNSUPPORTED = 5,	/* .label, .callee, .callees: refused */
	DWK_BASE = 0xf,
	DWK_RETURN = 0x10,
	DWK_CALL = 0x20,
	DWK_INLINE = 0x40,
	DWK_EXPORTED = 0x80,
	DWK_NEAREST = 0x100,
	DWK_LIBRARY = 0x200,	/* .library("LIB") before the spec */
	DWK_ADDR = 0x400,	/* the spec's argument is a number */
	DWK_PROVIDER = 0x800,	/* .provider("P").mark(...) */
};

/* A concrete probe's data: the public part first (dp->data points at it). */
typedef struct DwProbe {
	DwarfProbeData pub;
	DiModule *m;		/* the module of pub.object */
	DiFunc func;		/* the function holding the probe, when has_func */
	bool has_func;
	const DiMark *mark;	/* DWP_MARK */
	uint64_t var_pc;	/* where variables are read: the probe's address,
				   or for return probes the entry's */
	uint64_t written_addr;	/* .function(ADDR): the address as written */
	bool addr_written;
	const char *listed;	/* .statement(...).nearest: the spec -l shows (the
				   line as written), NULL when it is the point's */
	L2cScope *scope;	/* variables at the probe, made on first use */
	L2cScope *entry_scope;	/* return probes: at the entry, for @entry */
	bool scope_tried, entry_scope_tried;
	PtrVec saves;		/* DwarfEntrySave*, return probes */
} DwProbe;

static inline DwProbe *dw_probe(const DerivedProbe *dp)
{
	return (DwProbe *)dp->data;
}

/* One matched point being expanded into concrete probes. */
typedef struct DwMatch {
	Sema *S;
	DerivedProbe *proto;
	int shape;		/* DWK_* */
	int spec;		/* index of the function/statement/mark/plt/provider
				   component in proto->point */
	const char *process;	/* real path of the program */
	int64_t pid;
	bool from_target;
	DiModule *pm;		/* the program's module */
	DiModule *m;		/* the object being queried (program or library) */
	const char *lib_shown;	/* library(...) as the point shows it, NULL none */
	PtrVec *out;
	/* .return of inlined functions, left out: for the warning when
	 * nothing else matched. */
	PtrVec skipped_inline;
} DwMatch;

/* probe_dwarf_points.c: each appends the concrete probes of the spec in
 * w->m to w->out; -1 after reporting an error. */
int dw_expand_functions(DwMatch *w);
int dw_expand_statements(DwMatch *w);
int dw_expand_marks(DwMatch *w);
int dw_expand_plts(DwMatch *w);

/* probe_dwarf_place.c: where a probe is armed -- its address, except a
 * .function probe whose handler cannot tell, which goes to the function's
 * entry. */
bool dw_armed_at_entry(const DerivedProbe *dp);
uint64_t dw_armed_addr(const DerivedProbe *dp);

/* emit_dwarf.c: the family's pass-3 hooks (ProbeFamily.emit_*). */
void dwarf_emit_decls(void *codegen, DerivedProbe **probes, int n);
void dwarf_emit_init(void *codegen, DerivedProbe **probes, int n);
void dwarf_emit_started(void *codegen, DerivedProbe **probes, int n);
void dwarf_emit_exit(void *codegen, DerivedProbe **probes, int n);
void emit_dwarf_handler(void *codegen, DerivedProbe *dp, bool after_cond);

/* probe_dwarf.c */
/* A new concrete probe of kind k at addr in w->m; its point is a copy of
 * the matched one with the process (and library) resolved, for the caller
 * to finish. */
DerivedProbe *dw_new_probe(DwMatch *w, DwarfProbeKind k, uint64_t addr);
/* Sets component i's argument to a string (arena copy). */
void dw_set_str(PPComponent *c, const char *s);
/* Reports an error at the spec component ("while resolving probe point
 * ...: MESSAGE"). */
__attribute__((format(printf, 2, 3)))
void dw_error(DwMatch *w, const char *fmt, ...);
/* Prints a point as -l and -p2 show DWARF points (addresses in hex). */
void dw_print_point(const ProbePoint *pp, StrBuf *out);
const char *dw_point_text(const ProbePoint *pp);

/* probe_dwarf_vars.c: the scope of a probe's variables (NULL after an
 * error, in *err when err is not NULL). */
L2cScope *dw_scope(DerivedProbe *dp, bool at_entry, char **err);
void dw_free_scopes(DerivedProbe *dp);

/* probe_dwarf_entry.c: a new @entry save on return probe dp. */
DwarfEntrySave *dw_add_save(DerivedProbe *dp, Expr *operand);

#endif
