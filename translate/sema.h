/* Pass 2 internals shared by its files (elaborate.c drives them). */
#ifndef TRANSLATE_SEMA_H
#define TRANSLATE_SEMA_H
#include "translate/program.h"
#include "translate/session.h"
#include <stdarg.h>

/* ---- a map from interned names (or any pointer) to a pointer ---- */
typedef struct PtrMap {
	const void **keys;
	void **vals;
	unsigned cap, count;
} PtrMap;
void *pmap_get(const PtrMap *m, const void *key);
void pmap_put(PtrMap *m, const void *key, void *val);
void pmap_free(PtrMap *m);

/* ---- the match tree (match.c) ---- */
typedef enum MatchArg { MA_NONE, MA_NUMBER, MA_STRING } MatchArg;
typedef struct MatchNode MatchNode;
struct MatchNode {
	const char *name;	/* interned functor */
	MatchArg arg;
	MatchNode **kids;
	int nkids, kids_cap;
	const ProbeFamily *family;	/* a family's pattern ends here */
	int kind;
	PtrVec aliases;		/* Probe * whose alias name ends here */
	int *lazy;		/* library files (not parsed yet) declaring an
				   alias that ends here */
	int nlazy, lazy_cap;
};

/* A concrete point the tree matched: where it ended and the rest. */
typedef struct MatchResult {
	MatchNode *node;
	PPComponent *comps;	/* the concrete components, all of them */
	int ncomps;
	int matched;		/* comps[0..matched) led to node; the rest is an
				   alias suffix */
	bool wild;		/* a wildcard led here: failing to build is no
				   error while another expansion works */
} MatchResult;

MatchNode *match_root(void);
/* Registers a pattern such as "timer.ms(number).randomize(number)". */
void match_add(MatchNode *root, const char *pattern, const ProbeFamily *f, int kind);
void match_add_alias(MatchNode *root, ProbePoint *name, Probe *alias);
/* An alias name a library file declares, before the file is parsed:
 * "a.b", "a.b(\"x\")" ... */
void match_add_lazy(MatchNode *root, const char *name, size_t len, int file);
/* Whether an alias named by one plain component is registered. */
bool match_has_alias(MatchNode *root, const char *name);
/* Expands pp against the tree.  Every concrete match is appended to out
 * (MatchResult *).  Literal mismatches are reported unless quiet; returns
 * -1 after an error, else the number of matches. */
int match_point(struct Sema *S, MatchNode *root, const ProbePoint *pp, PtrVec *out, bool quiet);

/* ---- per-declaration sema data (the `sema` pointers of the AST) ---- */
typedef struct FileInfo {
	StapFile *file;
	PtrMap priv_fns;	/* name -> FuncList*: private functions */
	PtrMap priv_globals;	/* name -> VarDecl*: private globals */
	bool pulled;		/* part of the program */
	bool indexed;		/* its names are in the tables */
	bool is_user;
	int order;		/* search order among library files */
} FileInfo;

typedef struct FuncList {	/* functions of one name, all arities */
	FuncDecl **v;
	int n, cap;
} FuncList;

typedef struct FuncInfo {
	StapFile *file;
	Overloads *group;	/* same name and arity, call order */
	PtrVec locals;		/* VarDecl*, params excluded */
	bool queued;		/* its body was resolved (reached) */
	bool kept;		/* survives unused-function elision */
	bool impure;		/* has side effects (optimize.c) */
	int pragmas;		/* embedded body's Pragma bits */
	int order;		/* declaration order, for overload sort */
} FuncInfo;

typedef struct VarInfo {
	StapFile *file;		/* globals: the declaring file */
	Loc type_loc;		/* where the type was first inferred */
	Loc key_loc[9];
	Loc arity_loc;
	bool has_type_loc, has_arity_loc;
	bool key_has_loc[9];
	int reads, writes;	/* uses by kept code (optimize.c recounts) */
	int order;		/* globals: order types became known */
	bool listed;		/* globals: in Program.globals */
	bool in_cond;		/* globals: read by a probe condition */
	Loc first_read;		/* locals: for the never-assigned warning */
	bool has_first_read;
} VarInfo;

/* ---- pass 2 state ---- */
typedef struct Sema {
	Session *s;
	MatchNode *root;
	PtrVec files;		/* StapFile* in the program */
	PtrVec probes;		/* DerivedProbe* */
	PtrVec funcs;		/* FuncDecl* reached, in reach order */
	PtrVec func_queue;	/* FuncDecl* whose body still needs resolving */
	PtrVec globals;		/* VarDecl* referenced, in first-reference order */
	PtrVec embeds;
	PtrVec calls;		/* E_CALL nodes resolved, to bind overloads */
	PtrMap fn_table;	/* name -> FuncList*: user and pulled files, public */
	PtrMap global_table;	/* name -> VarDecl*: user and pulled files, public */
	PtrMap lib_fns;		/* name -> FuncList*: every library file, public */
	PtrMap lib_globals;	/* name -> VarDecl*: first library file declaring it */
	int quiet;		/* >0: errors are counted in `failed`, not shown */
	int failed;
	int errors;		/* shown errors */
	int type_order;
	bool listing;		/* -l/-L: derivation only */
	PtrVec dwarf_accesses;	/* DwarfAccess* kept code uses (dwarf_finish) */
} Sema;

extern const ProbeFamily family_begin_end, family_timer, family_process, family_dwarf;
void family_begin_end_register(MatchNode *root);
void family_timer_register(MatchNode *root);
void family_process_register(MatchNode *root);
void family_dwarf_register(MatchNode *root);
/* process("name"): the executable a name means, as the process probes
 * resolve it ($PATH for a name without '/', symlinks followed); NULL after
 * reporting an error at c, which belongs to the point pp. */
const char *process_find_executable(struct Sema *S, const ProbePoint *pp, const PPComponent *c,
				    const char *name);

/* ---- probe_dwarf*.c: target expressions through debug information ----
 * targets.c hands these nodes over: E_TARGET in a DWARF probe, E_CAST,
 * E_ATVAR and E_AUTOCAST anywhere (dp NULL in a function), E_ENTRY.
 * at_entry: the node is inside an @entry operand (read at the entry). */
bool dwarf_handles(const DerivedProbe *dp, const Expr *e);
/* In a .return probe a $var is read at the entry: rewrites e into
 * @entry(e), with SystemTap's warning; the caller then binds the E_ENTRY. */
bool dwarf_entry_wrap(struct Sema *S, DerivedProbe *dp, Expr *e, bool at_entry);
/* Binds a node whose operands are bound: sets e->sema (a DwarfAccess) and
 * e->type, or rewrites e (a marker's $$name is a string); false after an
 * error, reported at e unless quiet. */
bool dwarf_bind(struct Sema *S, DerivedProbe *dp, Expr *e, bool at_entry, bool quiet);
/* @entry(X): whether it may be used here (before X is bound), then its
 * save once X is bound (e->sema: a DwarfEntrySave). */
bool dwarf_entry_allowed(struct Sema *S, DerivedProbe *dp, Expr *e, bool at_entry);
void dwarf_bind_entry(struct Sema *S, DerivedProbe *dp, Expr *e);
/* @defined(X) for X dwarf_handles or an @entry: X resolves (tried on a copy). */
bool dwarf_defined(struct Sema *S, DerivedProbe *dp, Expr *x);
/* Types locals assigned typed values ("x = $p"), for autocast ("x->next"). */
void dwarf_locals_pass(struct Sema *S, DerivedProbe *dp, Stmt *body);
/* After types: @entry saves and their entry probes, the accesses kept code
 * uses (S->dwarf_accesses), scopes freed. */
void dwarf_finish(struct Sema *S);

/* ---- diagnostics (sema_util.c) ---- */
__attribute__((format(printf, 3, 4)))
void sema_error(Sema *S, Loc loc, const char *fmt, ...);
/* A second location for the error just reported ("first inferred here"). */
__attribute__((format(printf, 3, 4)))
void sema_note(Sema *S, Loc loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void sema_warn(Sema *S, Loc loc, const char *fmt, ...);

FileInfo *file_info(const StapFile *f);
FuncInfo *func_info(const FuncDecl *f);
VarInfo *var_info(VarDecl *v);
/* The file a location was used in (macro expansions: the outermost site). */
uint32_t loc_use_file(Loc loc);
/* The parsed file a location was used in (resolve.c keeps the index). */
StapFile *file_of_loc(Loc loc);
bool loc_in_user_file(Loc loc);
/* "probe point" text of a point, into an arena string. */
const char *point_text(const ProbePoint *pp);

/* ---- clone.c ---- */
Stmt *clone_stmt(const Stmt *s);
Expr *clone_expr(const Expr *e);

/* ---- derive.c ---- */
/* Derives the probes of one declaration into S->probes; 0 or -1. */
int derive_probe(Sema *S, Probe *p, StapFile *file);
/* -l / -L: derives one pattern quietly; fills out with DerivedProbe*. */
int derive_for_listing(Sema *S, ProbePoint *pp, PtrVec *out);
DerivedProbe *derived_new(Sema *S, const ProbeFamily *f, int kind, const MatchResult *m);
/* A copy of proto with its own copy of the point's components, for a
 * family's expand hook. */
DerivedProbe *derived_clone(const DerivedProbe *proto);

/* ---- resolve.c ---- */
void resolve_init(Sema *S);
/* Parses and indexes the library files whose aliases end at node n. */
void load_lazy_node(Sema *S, MatchNode *n);
void pull_file(Sema *S, StapFile *f);
void resolve_probe(Sema *S, DerivedProbe *dp);
void resolve_queued_functions(Sema *S);
VarDecl *new_local(PtrVec *locals, const char *name, Loc loc);

/* ---- check.c: structure rules that need no types ---- */
void check_probe(Sema *S, DerivedProbe *dp);
void check_function(Sema *S, FuncDecl *f);

/* ---- targets.c: $name, @defined, @entry ... ---- */
void targets_probe(Sema *S, DerivedProbe *dp);
void targets_function(Sema *S, FuncDecl *f);

/* ---- types.c ---- */
void types_infer(Sema *S);
/* Types a synthetic probe added after inference. */
void types_infer_probe(Sema *S, DerivedProbe *dp);

/* ---- privilege.c ---- */
void privilege_check(Sema *S);

/* ---- optimize.c and display.c ---- */
void optimize(Sema *S);
void add_global_display(Sema *S);

/* ---- suggest.c ---- */
/* Appends " (similar: a, b)" with the candidates closest to name, if any
 * is close enough; candidates is an array of n names. */
void suggest(StrBuf *b, const char *name, const char *const *cands, int n);

#endif
