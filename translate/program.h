/* The elaborated program: what pass 2 hands to code generation.
 *
 * Pass 2 (translate/elaborate.c) fills a Program from the parsed files:
 * every probe point resolved to one DerivedProbe per concrete point, every
 * name bound to its declaration (Expr.decl, Expr.func), every node and
 * variable typed (Expr.type, VarDecl.type), and only what the user script
 * reaches kept.  Pass 3 walks these lists; it never looks at the parse
 * tree's files again.  doc/elaboration.md describes the representation. */
#ifndef TRANSLATE_PROGRAM_H
#define TRANSLATE_PROGRAM_H
#include "parse/ast.h"
#include "parse/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct DerivedProbe DerivedProbe;
typedef struct ProbeFamily ProbeFamily;
struct Sema;
struct MatchResult;

/* A context variable a probe family offers ($syscall, $arg1, $$parms ...).
 * A resolved E_TARGET node has e->sema pointing at one of these (static
 * tables in the family's file) and e->type set to its type; pass 3 emits
 * one runtime accessor call per `access` code. */
typedef enum CtxAccess {
	CTX_SYSCALL_NR,		/* the syscall number; in .syscall.return the
				   number the same thread entered with */
	CTX_SYSCALL_ARG,	/* argument `index` (1..6) of the syscall */
	CTX_SYSCALL_RETURN,	/* the syscall's return value */
	CTX_SYSCALL_PARMS,	/* "arg1=0x... arg2=0x..." for $$parms */
	CTX_DWARF,		/* read through debug information: the CtxVar is
				   the head of a DwarfAccess (below) */
} CtxAccess;

typedef struct CtxVar {
	const char *name;	/* as written: "$syscall", "$arg1", "$$parms" */
	Type type;
	CtxAccess access;
	int index;		/* CTX_SYSCALL_ARG: 1..6 */
} CtxVar;

/* One step of alias expansion, for the "<-" chain -p2 prints. */
typedef struct AliasStep {
	const Probe *alias;	/* the alias declaration that was expanded */
	const struct AliasStep *outer;	/* the step that used this alias's name, or NULL */
} AliasStep;

struct DerivedProbe {
	const ProbeFamily *family;
	int kind;		/* the family's variant (BEGIN, END, SYSCALL_RETURN ...) */
	ProbePoint *point;	/* the concrete point: wildcards expanded, paths
				   resolved, suffixes applied */
	const Probe *origin;	/* the probe declaration the body came from */
	const ProbePoint *written;	/* origin's point this probe derives from */
	const AliasStep *chain;	/* innermost alias expanded, or NULL */
	Stmt *body;		/* its own copy: alias prologues + body + epilogues */
	Expr *cond;		/* if (...) of the point and its aliases, or NULL */
	VarDecl **locals;	/* every local the body uses, in first-use order */
	int nlocals;
	void *data;		/* the family's parameters (see its file) */
	const StapFile *file;	/* the file the probe declaration is in */
	int index;		/* position in Program.probes */
	bool optional, sufficient;	/* '?' '!' on the point it matched */
	bool synthetic;		/* made by pass 2 (global display at end) */
	bool elided;		/* removed by optimisation; skipped everywhere */
};

/* One probe family: a translate/probe_*.c file behind this interface.  The
 * match tree (translate/match.c) routes each concrete point to the family
 * that registered its pattern. */
struct ProbeFamily {
	const char *name;	/* "begin/end", "timer", "process" */
	/* Checks the arguments of a matched point and fills dp->data; 0, or -1
	 * after reporting an error at the point. */
	int (*build)(struct Sema *S, DerivedProbe *dp);
	/* Resolves a $name in one of this family's probes: the CtxVar, or NULL
	 * after reporting why not (the message lists what the probe offers).
	 * NULL hook: the family offers no context variables. */
	const CtxVar *(*target)(struct Sema *S, DerivedProbe *dp, Expr *e, bool quiet);
	/* -L: appends " $name:type" for each context variable offered. */
	void (*list_vars)(const DerivedProbe *dp, StrBuf *out);
	/* --privilege=stapusr: NULL when allowed, else why not (a message). */
	const char *(*unprivileged_denied)(const DerivedProbe *dp);
	/* Optional, for families where one matched point names any number of
	 * concrete probes (the DWARF ones): called instead of build with the
	 * matched point in proto; appends one DerivedProbe (from
	 * derived_clone) per concrete probe to out.  Returns how many, or -1
	 * after reporting an error at the point (no match included). */
	int (*expand)(struct Sema *S, DerivedProbe *proto, PtrVec *out);
	/* Optional: prints the concrete point as -l and -p2 show it (NULL:
	 * unparse_probe_point), without '?', '!' or a condition. */
	void (*print_point)(const DerivedProbe *dp, StrBuf *out);
	/* Optional: the probe's line in -p2 (without the newline), instead of
	 * the point and its alias chain: "POINT / * pc=.dynamic+0x1198 * /
	 * / * <- POINT * /" for the DWARF family. */
	void (*p2_header)(const DerivedProbe *dp, StrBuf *out);
	/* Optional: -p2 -vv's line of the family data, "  # dwarf: ...". */
	void (*p2_details)(const DerivedProbe *dp, StrBuf *out);

	/* Pass 3 fills these in (NULL until then): emit the family's
	 * declarations once, its registration at module start, and its
	 * unregistration at module exit, for all of `probes` at once. */
	void (*emit_decls)(void *codegen, DerivedProbe **probes, int n);
	void (*emit_init)(void *codegen, DerivedProbe **probes, int n);
	void (*emit_exit)(void *codegen, DerivedProbe **probes, int n);
	/* Optional: arming that must follow stp_session_started(), for
	 * families whose first events may come at once (processes that
	 * already run); `rc = ...; if (rc) goto fail;` like emit_init. */
	void (*emit_started)(void *codegen, DerivedProbe **probes, int n);
	/* Optional: code at the start of each of the family's handlers, before
	 * its condition (after_cond false) and again after the condition and
	 * the locals (true), before the body. */
	void (*emit_handler)(void *codegen, DerivedProbe *dp, bool after_cond);
	/* Families are armed by increasing order (then first use) and
	 * disarmed in reverse. */
	int order;
	/* The family's kernel runtime rides on the utrace layer: pass 3
	 * brings it up (stp_utrace_init) once before any such family is
	 * armed and takes it down after all are disarmed. */
	bool uses_utrace;
};

/* Family data (DerivedProbe.data) for the families pass 2 knows. */
typedef enum BeginEndKind { PK_BEGIN, PK_END, PK_ERROR, PK_NEVER } BeginEndKind;
typedef struct BeginEndData {
	int64_t priority;	/* begin(N): lower runs first; default 0 */
} BeginEndData;

typedef enum TimerUnit {
	TIMER_S, TIMER_MS, TIMER_US, TIMER_NS, TIMER_JIFFIES, TIMER_HZ,
} TimerUnit;
typedef struct TimerData {
	TimerUnit unit;
	int64_t value;		/* as written */
	int64_t randomize;	/* as written, in the same unit; 0 if none */
	int64_t period_ns;	/* 0 for jiffies (depends on HZ at run time) */
	int64_t randomize_ns;
} TimerData;

typedef enum ProcessEvent {
	PROC_BEGIN, PROC_END, PROC_THREAD_BEGIN, PROC_THREAD_END,
	PROC_SYSCALL, PROC_SYSCALL_RETURN,
} ProcessEvent;
typedef struct ProcessData {
	enum { PROC_ANY, PROC_PATH, PROC_PID } target;
	const char *path;	/* PROC_PATH: the real executable, symlinks followed */
	int64_t pid;		/* PROC_PID */
} ProcessData;

/* ---- the DWARF families (translate/probe_dwarf*.c, doc/elaboration.md) ----
 *
 * process(...).function/.statement/.mark/.plt[.library(...)]: one
 * DerivedProbe per concrete address.  Addresses are link-time addresses of
 * `object` (what readelf and gdb show on the file); at run time the
 * object's load bias is added when `shared` is set (ET_DYN: a PIE program
 * or a shared library): bias = where the object's first PT_LOAD segment is
 * mapped - `load_base`.  uprobes register (inode of `object`, `offset`). */
typedef enum DwarfProbeKind {
	DWP_FUNCTION,		/* .function: after the prologue (or an inlined
				   instance's entry) */
	DWP_FUNCTION_RETURN,	/* .function(...).return: a return probe armed
				   at the function's first instruction */
	DWP_STATEMENT,		/* .statement: the address of a line or ADDR */
	DWP_MARK,		/* .mark: an SDT marker's address */
	DWP_PLT,		/* .plt: the PLT slot */
	DWP_PLT_RETURN,		/* .plt(...).return: return probe armed at the slot */
	DWP_ENTRY,		/* synthetic: evaluates a return probe's @entry
				   values at the function's entry (see saves) */
} DwarfProbeKind;

/* One @entry(expr) of a return probe: an E_ENTRY node's e->sema.  `expr`
 * (the node's left operand) is resolved against the function's entry:
 * its target variables read the entry's registers.  Its type is the
 * node's e->type once types are inferred. */
typedef struct DwarfEntrySave {
	Expr *expr;
	int slot;		/* index in the return probe's saves */
	DerivedProbe *ret;	/* the return probe reading it */
} DwarfEntrySave;

typedef struct DwarfProbeData {
	DwarfProbeKind kind;
	/* Which processes: those running `process` (a real path); when pid is
	 * not 0 (process(PID), -x PID) only that one.  A library probe fires
	 * in processes of `process` that map `object`. */
	const char *process;
	int64_t pid;
	bool from_target;	/* process.function(...) named by -c or -x */
	/* Where: the ELF file holding the probe (the program itself, or a
	 * library for .library(...) probes and process("LIB.so") points). */
	const char *object;
	bool in_library;	/* object is a library of process */
	bool shared;		/* ET_DYN: add the load bias at run time */
	uint64_t load_base;	/* link-time address of the first PT_LOAD segment,
				   page aligned down */
	uint64_t addr;		/* link-time address of the probe */
	uint64_t offset;	/* addr's offset in the file */
	/* What: the function holding the probe (function, statement, return
	 * and entry probes; a marker's when the object has DWARF), NULL for
	 * PLT probes and markers outside any known function. */
	const char *function;
	const char *decl_file;	/* NULL without DWARF */
	int decl_line;
	bool inlined;		/* an inlined instance */
	bool has_dwarf;		/* $variables can be read */
	/* .mark: provider and name; .plt: the symbol name in `name`. */
	const char *provider, *name;
	uint64_t semaphore;	/* link-time address of the marker's semaphore, 0
				   none: the runtime increments it while armed */
	uint64_t semaphore_offset;	/* its file offset (uprobe reference counter) */
	int nargs;		/* marker arguments; their accesses are $argN's */
	const char *const *arg_specs;	/* as written in the note: "-4@%edi" */
	/* Return probes (DWP_FUNCTION_RETURN, DWP_PLT_RETURN) with @entry
	 * values: the synthetic DWP_ENTRY probe that saves them (placed just
	 * before the return probe in Program.probes) and the saves in slot
	 * order.  The entry probe's data shares `saves`; its addr/offset are
	 * where the values are read (after the prologue, as .call probes
	 * go), and `ret` is the return probe. */
	DerivedProbe *entry;
	DerivedProbe *ret;
	DwarfEntrySave **saves;
	int nsaves;
} DwarfProbeData;

/* A target expression resolved through debug information: e->sema of an
 * E_TARGET ($x, $x->a[i], &$x, $x$, $$parms, $return, $argN of a marker),
 * E_ATVAR, E_CAST or E_AUTOCAST node, whose e->type is var.type.  Pass 3
 * pastes `code` (a static C function named `fn`) into the module once and
 * calls it where the node is:
 *
 *   int fn(struct l2c_frame *f, [int64_t base,] [int64_t i0, ...,] int64_t *out);
 *   int fn(struct l2c_frame *f, [int64_t base,] [int64_t i0, ...,] char *out);  (string)
 *
 * base is the value of `base` (E_CAST's pointer, E_AUTOCAST's left side),
 * i0... the values of `index` in order; all are evaluated first, left to
 * right.  0: the value is in *out; -1: f->err says why (report it as a
 * run-time error at the node and abort the handler).  The frame holds the
 * probed task's registers at the probe, `bias` the load bias of the
 * probe's object (when uses_bias) and, when `module` is set, a way to
 * find that other object's bias (runtime/loc2c.h).  doc/debuginfo.md. */
typedef struct DwarfAccess {
	CtxVar var;		/* name: the expression as written; access CTX_DWARF */
	const char *fn;		/* unique in the program */
	const char *code;
	Expr *base;		/* takes a base argument when not NULL */
	Expr **index;
	int nindex;
	bool uses_bias;
	const char *module;	/* another object whose bias the code asks for */
	const char *object;	/* whose bias f->bias is (the probe's object),
				   NULL outside DWARF probes (then it is unused) */
	const void *dwtype;	/* translate/loc2c.h L2cType of the value, for
				   autocast; NULL when untyped */
} DwarfAccess;

/* Counts and lists of the elaborated program. */
typedef struct Program {
	DerivedProbe **probes;	/* in order: user probes, then library probes
				   the script pulled in, then synthetic ones */
	int nprobes;
	FuncDecl **funcs;	/* reached functions, overloads included */
	int nfuncs;
	VarDecl **globals;	/* referenced globals */
	int nglobals;
	Embed **embeds;		/* %{ %} at the top of every file pulled in */
	int nembeds;
	StapFile **files;	/* user files, then library files pulled in */
	int nfiles;
	DwarfAccess **accesses;	/* every DWARF access kept code uses, once each,
				   in first-use order: pass 3 emits their code */
	int naccesses;
} Program;

/* Overloads of one function (same name and arity), in call order: lowest
 * :priority first, then declaration order.  `next` in overload i goes to
 * i + 1; FuncDecl.next_overload links the same chain. */
typedef struct Overloads {
	FuncDecl **v;
	int n;
} Overloads;

/* Pragmas found in an embedded-C function body or expression. */
enum Pragma {
	PRAGMA_PURE = 1, PRAGMA_UNPRIVILEGED = 2, PRAGMA_MYPROC = 4,
	PRAGMA_GURU = 8, PRAGMA_STRING = 16, PRAGMA_UNMANGLED = 32,
};
int pragma_scan(const char *code, uint32_t len);

#endif
