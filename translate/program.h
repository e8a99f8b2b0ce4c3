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

	/* Pass 3 fills these in (NULL until then): emit the family's
	 * declarations once, its registration at module start, and its
	 * unregistration at module exit, for all of `probes` at once. */
	void (*emit_decls)(void *codegen, DerivedProbe **probes, int n);
	void (*emit_init)(void *codegen, DerivedProbe **probes, int n);
	void (*emit_exit)(void *codegen, DerivedProbe **probes, int n);
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
