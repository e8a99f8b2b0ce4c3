/* Pass 3 internals: the state the emit_*.c files share while they turn
 * the elaborated Program into one C file against runtime/runtime.h.
 *
 * The C file is assembled from sections (Codegen.sec) so that each part
 * can be written when its facts are known: a location record is needed
 * first deep inside an expression but must be declared before every
 * function.  doc/codegen.md describes the generated code. */
#ifndef TRANSLATE_CODEGEN_H
#define TRANSLATE_CODEGEN_H
#include "translate/program.h"
#include "translate/sema.h"
#include "translate/session.h"
#include "translate/cg_walk.h"
#include "parse/strbuf.h"

enum CgSection {
	SEC_HEAD,	/* comment, -D limits, #include "runtime.h" */
	SEC_EMBED,	/* top-level %{ %} of the script and tapsets */
	SEC_DECL,	/* files, locations, regexes, array specs */
	SEC_GLOBAL,	/* globals, their locks, -G parameters */
	SEC_LOCALS,	/* locals structs and struct stp_all_locals */
	SEC_PROTO,	/* function prototypes */
	SEC_FUNC,	/* script and embedded-C functions */
	SEC_PROBE,	/* probe handlers and descriptors */
	SEC_FAMILY,	/* declarations of the probe families (timers ...) */
	SEC_LIFE,	/* stp_probes_start / stp_probes_stop, module glue */
	SEC_COUNT
};

#define STP_MAX_KEYS_CG 9

/* What a routine (probe handler or function) does to one global. */
enum { USE_READ = 1, USE_WRITE = 2 };

typedef struct GlobalInfo {
	VarDecl *v;
	const char *cname;	/* g_NAME */
	int index;		/* position in Program.globals: the lock order */
	/* statistics: what the spec needs */
	int hist;		/* 0, 1 log, 2 linear (enum stp_hist_type) */
	int64_t start, stop, interval;
	int bit_shift;
	bool variance;
	bool shift_set;		/* a @variance gave the shift */
} GlobalInfo;

/* A loop the current statement is inside: where break and continue go,
 * and the iterator a foreach must end when left early. */
typedef struct LoopCtx {
	const char *brk, *cont;
	const char *iter;	/* foreach over an array: its iterator; else NULL */
	bool is_loop;		/* false: a try block (only changes the error exit) */
} LoopCtx;

typedef struct Routine {
	const char *name;	/* C function name */
	bool is_func;
	FuncDecl *func;
	DerivedProbe *probe;
	StrBuf body;
	int indent;
	StrBuf members;		/* the locals struct's members */
	PtrMap names;		/* VarDecl* -> C lvalue text ("l->x") */
	int nlong;		/* C local temporaries */
	int nstr, maxstr;	/* string temporaries: a stack in the struct */
	int nlabel;
	const char *errexit;	/* C statement leaving on an error */
	LoopCtx loops[64];
	int nloops;
	bool declared;		/* the current statement declared a temporary */
} Routine;

typedef struct Codegen {
	Session *s;
	Program *p;
	StrBuf sec[SEC_COUNT];
	GlobalInfo *globals;	/* one per Program.globals entry */
	PtrMap global_of;	/* VarDecl* -> GlobalInfo* */
	PtrMap func_name;	/* FuncDecl* -> C name */
	PtrMap func_index;	/* FuncDecl* -> index + 1 in Program.funcs */
	PtrMap loc_ids;		/* (file, offset) key -> id + 1 */
	PtrMap file_ids;	/* SrcFile* -> id + 1 */
	int nlocs, nfiles, nregex;
	int rx_max_insns, rx_max_groups;
	unsigned char **uses;	/* per probe: USE_* per global (transitive) */
	unsigned char **fuses;	/* per function: USE_* per global (own body) */
	Routine *r;		/* the routine being emitted */
	StrBuf frames;		/* members of the frame union */
	StrBuf probe_locals;	/* members of the probe union */
	int errors;
	const char *unbuildable;	/* why pass 4 must refuse this C, or NULL */
} Codegen;

/* codegen.c */
/* Appends formatted text to a section. */
__attribute__((format(printf, 3, 4)))
void cg_printf(Codegen *g, int sec, const char *fmt, ...);
/* Appends one indented line to the routine's body. */
__attribute__((format(printf, 2, 3)))
void cg_line(Codegen *g, const char *fmt, ...);
/* An arena copy of a formatted string. */
__attribute__((format(printf, 1, 2)))
const char *cg_fmt(const char *fmt, ...);
/* A C string literal for n bytes of s (up to a NUL). */
const char *cg_quote(const char *s, size_t n);
/* "L12": a static struct stp_loc for the token at loc. */
const char *cg_loc(Codegen *g, Loc loc);
/* The same, for an expression (what SystemTap names after "near"). */
const char *cg_loc_expr(Codegen *g, const Expr *e);
/* "&L12", or "NULL" */
const char *cg_locp(Codegen *g, Loc loc);
/* The C name of a static string holding a file's name. */
const char *cg_file(Codegen *g, const SrcFile *f);
/* A pass-3 error (like SystemTap's pass 3 failures). */
__attribute__((format(printf, 3, 4)))
void cg_error(Codegen *g, Loc loc, const char *fmt, ...);
GlobalInfo *cg_global(Codegen *g, const VarDecl *v);
const char *cg_type(Type t);

/* probe_process.c: the kernel's utrace layer, once, before the first
 * family that needs it. */
void emit_utrace_include(Codegen *g);

/* emit_global.c */
void emit_globals(Codegen *g);
void emit_globals_init(Codegen *g);	/* into SEC_LIFE, inside start */
void emit_globals_free(Codegen *g);
/* Computes Codegen.uses: globals each probe's handler may touch. */
void compute_uses(Codegen *g);
/* The lock table of probe i ("NULL" when it needs none) and its length. */
const char *emit_probe_locks(Codegen *g, int i, int *n);

/* emit_expr.c: evaluates e into the routine; the result is a C
 * expression (a long, or a const char * for strings) valid until the
 * statement ends. */
typedef struct Val {
	const char *c;
	Type type;
	bool simple;		/* a constant or temporary: safe to reuse later */
} Val;
Val emit_expr(Codegen *g, Expr *e);
/* Emits e for its side effects only. */
void emit_expr_void(Codegen *g, Expr *e);
/* A long temporary holding v ("t12"). */
const char *tmp_long(Codegen *g, const char *init);
/* A string temporary in the locals struct ("l->s3"). */
const char *tmp_str(Codegen *g);
/* The C lvalue of a local or parameter. */
const char *local_name(Codegen *g, VarDecl *v);
/* Array keys as a compound literal of union stp_key. */
const char *emit_keys(Codegen *g, Expr **args, int n, unsigned *wild);
/* "if (stp_failed(c)) EXIT;" */
void emit_check(Codegen *g);
Val emit_call(Codegen *g, Expr *e);
Val emit_print(Codegen *g, Expr *e);
Val emit_regex(Codegen *g, Expr *e);
/* Histogram printing and statistics access (emit_print.c). */
Val emit_stat(Codegen *g, Expr *e);
const char *emit_stat_data(Codegen *g, Expr *of, Loc loc);

/* emit_dwarf.c: the DWARF families' runtime includes and accessors
 * (before functions and handlers), their target expressions and @entry. */
void emit_dwarf_runtime(Codegen *g);
Val emit_dwarf_access(Codegen *g, Expr *e, const DwarfAccess *a);
Val emit_dwarf_entry(Codegen *g, Expr *e);

/* emit_stmt.c */
void emit_block_stmts(Codegen *g, Stmt **v, int n);
void emit_stmt(Codegen *g, Stmt *s);

/* emit_func.c */
void emit_functions(Codegen *g);
const char *func_cname(Codegen *g, const FuncDecl *f);
/* Declares a routine's local variables and initializes them. */
void routine_begin(Codegen *g, Routine *r, VarDecl **locals, int nlocals);
void routine_locals_struct(Codegen *g, Routine *r, const char *tag);

/* emit_probe.c */
void emit_probes(Codegen *g);
void emit_lifecycle(Codegen *g);

/* Hooks for probe families (program.h: emit_decls/init/exit). */
static inline Codegen *cg_of(void *codegen)
{
	return (Codegen *)codegen;
}
const char *probe_cname(const DerivedProbe *dp);	/* "probe_3" */

#endif
