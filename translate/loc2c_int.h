/* What the loc2c*.c files share: scopes, types, the code being generated,
 * and location descriptions. */
#ifndef TRANSLATE_LOC2C_INT_H
#define TRANSLATE_LOC2C_INT_H
#include "translate/loc2c.h"
#include "translate/debuginfo_int.h"
#include "parse/strbuf.h"
#include <dwarf.h>

struct L2cType {
	DiModule *m;
	Dwarf_Off die;		/* 0: void */
	int ptr;		/* extra levels of pointer on top (&$x) */
	const char *name;	/* cached l2c_type_name */
};

struct L2cScope {
	DiModule *m;
	DiFunc func;
	uint64_t pc;
	bool is_return;
	Dwarf_Die cu;
	Dwarf_Die *scopes;	/* dwarf_getscopes at pc, innermost first */
	int nscopes;
	int fn;			/* scopes[fn] is func's DIE; -1 when not found */
	bool vars_done;
	L2cVar *vars;
	Dwarf_Off *var_dies;
	int nvars, capvars;
	L2cVar *view;		/* l2c_vars' answer */
};

/* ---- types (loc2c_type.c) ---- */
/* Skips typedefs and cv-qualifiers. */
bool l2c_peel(Dwarf_Die *type, Dwarf_Die *out);
/* The DW_AT_type of die (through abstract origins); false for void. */
bool l2c_die_type(Dwarf_Die *die, Dwarf_Die *out);
/* -L's name of a type DIE (NULL: void), with ptr extra '*'s: malloc'ed. */
char *l2c_type_str(Dwarf_Die *type, int ptr);
const L2cType *l2c_type_new(DiModule *m, Dwarf_Die *type, int ptr);
bool l2c_type_size(Dwarf_Die *type, uint64_t *size);
/* A member of a struct/union by name (looking into anonymous members);
 * its byte offset from the start of the aggregate, and its bit field
 * position (bit_size 0 when not a bit field; bit_off from the byte). */
bool l2c_find_member(Dwarf_Die *agg, const char *name, Dwarf_Die *member, uint64_t *off,
		     int *bit_off, int *bit_size);
/* "x, y, next" for an error message: malloc'ed. */
char *l2c_member_names(Dwarf_Die *agg);
bool l2c_member_offset(Dwarf_Die *member, uint64_t *off);
/* A member's bit field position; false when it is not a bit field. */
bool l2c_member_bits(Dwarf_Die *member, int *bit_off, int *bit_size);
/* Signedness and size of an integer-like type (base, enum, pointer). */
bool l2c_int_type(Dwarf_Die *peeled, int *size, bool *is_signed);
bool l2c_is_char(Dwarf_Die *peeled);
/* "/tmp/t.c:4" for a type's declaration, or "" (static buffer). */
const char *l2c_decl_where(Dwarf_Die *die);

/* ---- code generation (loc2c_gen.c) ---- */
typedef struct Gen {
	DiModule *m;		/* the module whose DWARF is translated */
	L2cScope *s;		/* may be NULL (@cast in a function) */
	uint64_t pc;		/* 0 when there is none */
	StrBuf body;
	int ntemps;
	int nlabels;
	int depth;		/* indentation */
	const char *fail;	/* what a failed read does: "return -1" or "goto ..." */
	char *err;		/* the first translation error (malloc'ed) */
	bool uses_bias;
	const char *bias;	/* C for the load bias of g->m: "f->bias" or a temp */
	const char *module;	/* another object's bias in use */
	int nindex;
	bool takes_base;
	bool pretty;		/* emitting into a struct l2c_out *o */
} Gen;

__attribute__((format(printf, 2, 3)))
int l2c_gen_error(Gen *g, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void l2c_gen_line(Gen *g, const char *fmt, ...);
int l2c_gen_temp(Gen *g);
/* Emits "if (CALL) FAIL;" with the current failure action. */
__attribute__((format(printf, 2, 3)))
void l2c_gen_check(Gen *g, const char *fmt, ...);

/* Where a value is, as a DWARF location expression described it. */
typedef enum LdKind {
	LD_NONE,		/* optimised out */
	LD_MEM,			/* in memory at the address in temp t */
	LD_REG,			/* in register reg */
	LD_VALUE,		/* not stored anywhere: the value is in temp t */
	LD_CONST,		/* a known constant: bytes */
	LD_PIECES,		/* made of pieces */
} LdKind;

typedef struct Ld Ld;
typedef struct LdPiece {
	Ld *ld;
	uint64_t size;		/* bytes */
} LdPiece;

struct Ld {
	LdKind kind;
	int t;
	int reg;
	const unsigned char *bytes;
	uint64_t nbytes;
	LdPiece *pieces;
	int npieces;
};

/* ---- DWARF expressions (loc2c_expr.c) ---- */
/* The location of a variable DIE at the generator's pc (location list
 * entry or single expression, or DW_AT_const_value).  Errors name the
 * variable; *alternatives gets a malloc'ed "[0x1,0x2] ..." list of where a
 * location list does cover (or NULL). */
int l2c_var_location(Gen *g, Dwarf_Die *var, Ld *out, char **alternatives);
/* Translates an expression; fn is the function whose frame base fbreg
 * uses (NULL when there is none). */
int l2c_translate(Gen *g, Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t nops,
		  Dwarf_Die *fn, Ld *out);
/* size (1-8) bytes at byte offset off of a location, zero-extended into a
 * new temp; -1 on a translation error. */
int l2c_load(Gen *g, const Ld *ld, uint64_t off, unsigned size);
/* The concrete function whose frame holds pc (for DW_OP_fbreg). */
bool l2c_frame_function(Gen *g, Dwarf_Die *out);

/* ---- values and components (loc2c_access.c) ---- */
typedef struct Val {
	Ld ld;
	uint64_t off;		/* byte offset into ld */
	Dwarf_Die type;		/* the value's type (not peeled) */
	bool has_type;		/* false: void */
	int bit_off, bit_size;	/* a bit field (bit_size > 0) */
	/* Arrays of several dimensions: the subrange to index next. */
	int dim;
} Val;

/* Follows one component from v (a member, an index); -1 on an error. */
int l2c_component(Gen *g, Val *v, const Component *c, const char *what);
/* The value of v as an int64 in a new temp (sign-extended per its type). */
int l2c_fetch(Gen *g, Val *v, const char *what);
/* The address of v in a new temp. */
int l2c_address(Gen *g, const Val *v, const char *what);

/* ---- pretty printing (loc2c_pretty.c) ---- */
/* Emits code that prints v into the struct l2c_out *o: one level of
 * members ($x$) or all of them ($x$$). */
int l2c_pretty_value(Gen *g, Val *v, bool deep, const char *what);
/* $$vars, $$parms, $$locals, $$return. */
int l2c_pretty_vars(Gen *g, L2cScope *s, const char *which, bool pretty, bool deep);

/* ---- scopes (loc2c_scope.c) ---- */
/* The variable DIE for name in scope, innermost first; NULL if none. */
bool l2c_scope_var(L2cScope *s, const char *name, Dwarf_Die *out);
/* "$a, $b" for an error message: malloc'ed. */
char *l2c_scope_alternatives(L2cScope *s);
/* The function's DIE for this scope (a subprogram or inlined instance). */
bool l2c_scope_func_die(L2cScope *s, Dwarf_Die *out);

/* ---- types named in scripts (loc2c_cast.c) ---- */
/* The type named by @cast's string ("struct foo", "foo_t", "char *") in
 * the modules spec lists ("/path:/other", "<header.h>"), or the probe's. */
int l2c_cast_type(Gen *g, const char *name, const char *modules, Dwarf_Die *out,
		  DiModule **where);
/* A global variable by name ("x" or "x@file.c") in m. */
int l2c_global_var(Gen *g, DiModule *m, const char *spec, Dwarf_Die *out);

char *l2c_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
