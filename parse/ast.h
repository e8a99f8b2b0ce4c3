/* The abstract syntax tree shared by every pass.
 *
 * Pass 1 fills in the syntax; pass 2 fills in the fields marked "sema"
 * (types, resolved declarations) in place, so later passes read one tree. */
#ifndef PARSE_AST_H
#define PARSE_AST_H
#include "parse/source.h"
#include "parse/token.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct Expr Expr;
typedef struct Stmt Stmt;
typedef struct VarDecl VarDecl;
typedef struct FuncDecl FuncDecl;
typedef struct ProbePoint ProbePoint;

typedef enum Type {
	TY_UNKNOWN,
	TY_LONG,
	TY_STRING,
	TY_STATS,
} Type;

const char *type_name(Type t);

/* ---- expressions ---- */

typedef enum ExprKind {
	E_NUMBER,	/* num */
	E_STRING,	/* str, slen */
	E_EMBEDDED,	/* %{ code %} in an expression (guru mode): str */
	E_SYMBOL,	/* name; sema: decl */
	E_INDEX,	/* left[args]: left is E_SYMBOL or E_HIST; a NULL arg is '*' */
	E_CALL,		/* name(args); sema: func */
	E_PRINT,	/* print family: name, op = PrintKind, args */
	E_UNARY,	/* op: OP_MINUS OP_PLUS OP_NOT OP_TILDE; left */
	E_BINARY,	/* op: + - * / % << >> >>> & | ^; left, right */
	E_LOGICAL,	/* op: && ||; left, right */
	E_COMPARE,	/* op: < <= > >= == !=; left, right */
	E_CONCAT,	/* left . right */
	E_REGEX,	/* op: =~ !~; left, right (right is an E_STRING) */
	E_TERNARY,	/* cond ? left : right */
	E_ASSIGN,	/* left op right; op: = += ... .= <<< */
	E_INCDEC,	/* op: ++ or --; postfix; left */
	E_IN,		/* [args] in left; a NULL arg is '*'; left as in E_INDEX */
	E_STAT,		/* name (@count ...) of left; right: @variance's shift or NULL */
	E_HIST,		/* op = HistKind, of left; args: start, stop, interval */
	E_TARGET,	/* $name, $$vars ...: name, comps, flags */
	E_CAST,		/* @cast(left, "name"[, "module"]) comps, flags */
	E_AUTOCAST,	/* left->comps, flags */
	E_ATVAR,	/* @var("name"[, "module"]) comps, flags */
	E_DEFINED,	/* @defined(left) */
	E_ENTRY,	/* @entry(left) */
	E_PERF,		/* @perf("name"): str */
	E_PROBEWRITE,	/* @probewrite(left) */
	E_CONST,	/* @const("name"): str */
} ExprKind;

typedef enum PrintKind {
	/* Bit-or of these: s-prefix (returns a string), -ln, -d, -f. */
	PRINT_STRING = 1, PRINT_LN = 2, PRINT_DELIM = 4, PRINT_FORMAT = 8,
} PrintKind;

typedef enum HistKind { HIST_LINEAR, HIST_LOG } HistKind;

/* One step after a target value: ->member, [N], [expr]. */
typedef enum CompKind { COMP_MEMBER, COMP_INDEX_LIT, COMP_INDEX_EXPR } CompKind;
typedef struct Component {
	CompKind kind;
	const char *name;	/* COMP_MEMBER */
	int64_t num;		/* COMP_INDEX_LIT */
	Expr *expr;		/* COMP_INDEX_EXPR */
	Loc loc;
} Component;

typedef struct ExprList {
	Expr **v;
	int n;
} ExprList;

enum ExprFlags {
	EXPR_ADDR_OF = 1,	/* &$x */
	EXPR_PRETTY = 2,	/* $x$ */
	EXPR_PRETTY_DEEP = 4,	/* $x$$ */
	EXPR_POSTFIX = 8,	/* x++ rather than ++x */
};

/* 80 bytes: the tapset library makes hundreds of thousands of these. */
struct Expr {
	uint8_t kind;		/* ExprKind */
	uint8_t op;		/* OpCode; PrintKind for E_PRINT; HistKind for E_HIST */
	uint8_t type;		/* Type, sema */
	uint8_t flags;		/* ExprFlags */
	union {
		uint32_t n;	/* entries in args or comps */
		uint32_t slen;	/* E_STRING, E_EMBEDDED */
	};
	Loc loc;
	union {
		int64_t num;		/* E_NUMBER */
		const char *name;	/* interned: symbol, call, $target, @stat,
					   @cast's type, @var's name */
		const char *str;	/* E_STRING, E_EMBEDDED, E_PERF, E_CONST */
	};
	Expr *left, *right, *cond;
	union {
		Expr **args;		/* E_INDEX E_CALL E_PRINT E_IN E_HIST */
		Component *comps;	/* E_TARGET E_CAST E_AUTOCAST E_ATVAR */
	};
	const char *module;	/* @cast and @var: the module string, or NULL */
	union {
		VarDecl *decl;	/* sema: what E_SYMBOL names */
		FuncDecl *func;	/* sema: what E_CALL calls */
	};
	void *sema;
};

/* ---- statements ---- */

typedef enum StmtKind {
	S_BLOCK,	/* stmts[n] */
	S_EMBEDDED,	/* %{ code %}: str, slen */
	S_NULL,		/* ; */
	S_EXPR,		/* expr */
	S_IF,		/* cond, then, els */
	S_FOR,		/* expr (init), cond, incr, then; is_while for while loops */
	S_FOREACH,	/* foreach, then */
	S_RETURN,	/* expr (may be NULL) */
	S_DELETE,	/* expr */
	S_NEXT,
	S_BREAK,
	S_CONTINUE,
	S_TRY,		/* then = try block, expr = catch variable or NULL, els = catch block */
} StmtKind;

/* foreach (value = [keys] in base[slice] @agg sort limit N) */
typedef struct Foreach {
	Expr *value;		/* E_SYMBOL or NULL */
	Expr **keys;		/* E_SYMBOLs */
	int nkeys;
	Expr *base;		/* E_SYMBOL or E_HIST */
	Expr **slice;		/* NULL, or nkeys entries (NULL for '*') */
	int sort_column;	/* 0: the value, 1..nkeys: that key */
	int sort_dir;		/* +1 ascending, -1 descending, 0 unsorted */
	const char *sort_agg;	/* "@count", "@sum"... or NULL */
	Expr *limit;
} Foreach;

struct Stmt {
	uint8_t kind;		/* StmtKind */
	bool is_while;
	union {
		uint32_t n;	/* S_BLOCK: statements */
		uint32_t slen;	/* S_EMBEDDED */
	};
	Loc loc;
	union {
		Stmt **stmts;
		const char *str;
		Foreach *foreach;
	};
	Expr *expr, *cond, *incr;
	Stmt *then, *els;
	void *sema;
};

/* ---- declarations ---- */

typedef enum VarScope { VAR_GLOBAL, VAR_LOCAL, VAR_PARAM } VarScope;

struct VarDecl {
	const char *name;	/* interned */
	VarScope scope;
	Type decl_type;		/* as written: x:long; TY_UNKNOWN if not */
	Type type;		/* sema */
	int arity;		/* number of indexes; 0 for scalars; -1 unknown */
	Type key_types[9];	/* sema */
	bool is_private;
	bool wrap;		/* global a%[N] */
	int64_t max_size;	/* global a[N]; 0 for the default */
	Expr *init;		/* global x = literal */
	bool used, written, read;	/* sema */
	Loc loc;
	void *sema;
};

struct FuncDecl {
	const char *name;	/* interned */
	Type decl_type;		/* as written: function f:long; TY_UNKNOWN if not */
	Type ret_type;		/* sema */
	VarDecl **params;
	int nparams;
	Stmt *body;		/* a block, or NULL for embedded C */
	const char *embedded;	/* the %{ %} body with its pragma comments */
	uint32_t embedded_len;
	int64_t priority;	/* :N after the parameters; default 0 */
	bool has_priority;
	bool is_private;
	bool is_tapset;
	Loc loc;
	FuncDecl *next_overload;	/* sema */
	void *sema;
};

/* process("ls"), timer.ms(100): one dotted component of a probe point. */
typedef struct PPComponent {
	const char *functor;	/* interned; may hold '*' / '**' wildcards */
	enum { PP_ARG_NONE, PP_ARG_NUMBER, PP_ARG_STRING } arg_kind;
	int64_t num;
	const char *str;
	uint32_t slen;
	Loc loc;
} PPComponent;

struct ProbePoint {
	PPComponent *comps;
	int ncomps;
	bool optional;		/* ? */
	bool sufficient;	/* ! */
	Expr *cond;		/* if (cond) */
	Loc loc;
};

typedef enum AliasKind { ALIAS_NONE, ALIAS_PROLOGUE, ALIAS_EPILOGUE } AliasKind;

typedef struct Probe {
	/* A probe has points; an alias has alias_names = points. */
	ProbePoint **points;
	int npoints;
	AliasKind alias;
	ProbePoint **alias_names;
	int nalias_names;
	Stmt *body;
	Stmt *epilogue;		/* probe a = b { prologue }, { epilogue } */
	bool is_private;
	bool is_tapset;
	Loc loc;
	void *sema;
} Probe;

typedef struct Embed {
	const char *code;
	uint32_t len;
	Loc loc;
} Embed;

/* Everything one source file declared, in source order within each kind. */
typedef struct StapFile {
	const SrcFile *src;
	Probe **probes;
	int nprobes;
	Probe **aliases;
	int naliases;
	FuncDecl **funcs;
	int nfuncs;
	VarDecl **globals;
	int nglobals;
	Embed **embeds;
	int nembeds;
	bool privileged;	/* tapset files and -g scripts may embed C */
	bool synthetic;		/* made by the translator, not read from disk */
	void *sema;
} StapFile;

/* Growable arrays used while building lists whose length is unknown. */
typedef struct PtrVec {
	void **v;
	int n, cap;
} PtrVec;
void vec_push(PtrVec *pv, void *p);
/* Copies the collected pointers into the arena and empties the vector. */
void **vec_finish(PtrVec *pv, int *n);

Expr *expr_new(ExprKind kind, Loc loc);
Stmt *stmt_new(StmtKind kind, Loc loc);

#endif
