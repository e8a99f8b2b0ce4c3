/* Target variables: from a probe address and a $expression to the C that
 * reads its value at run time.
 *
 * Pass 2 opens a scope for each DWARF probe (l2c_scope), checks and types
 * each $var, $$vars, @var, @cast and autocast expression by asking for its
 * access (l2c_access), and keeps the access for pass 3, which pastes its
 * code into the module and calls it from the handler.  The generated code
 * uses only runtime/loc2c.h (see there for the calling convention):
 *
 *   struct l2c_frame fr = { .regs = c->regs, .bias = BIAS };
 *   int64_t v;
 *   if (l2c_access_7(&fr, idx0, &v)) { stp_error(c, &loc, fr.err); goto out; }
 *
 * Messages for errors found here (a variable not in scope, optimised out,
 * a member that does not exist...) name the variable, the function and
 * the probe address; pass 2 reports them at the expression. */
#ifndef TRANSLATE_LOC2C_H
#define TRANSLATE_LOC2C_H
#include "translate/debuginfo.h"
#include "parse/ast.h"

typedef struct L2cScope L2cScope;
typedef struct L2cType L2cType;	/* a DWARF type; lives as long as its module */

/* The variables visible at pc inside f (a function, an inlined instance,
 * or the function holding a statement): pc is the probe's address.  With
 * is_return, the scope is a .return probe's: $return is the function's
 * return value, other variables are read at the function's entry (pass 2
 * saves them with @entry).  NULL with a malloc'ed message in *err. */
L2cScope *l2c_scope(DiModule *m, const DiFunc *f, uint64_t pc, bool is_return, char **err);
void l2c_scope_free(L2cScope *s);

enum {
	L2C_PARAMS = 1,		/* parameters of the function */
	L2C_LOCALS = 2,		/* locals of the blocks around pc */
	L2C_UNAVAILABLE = 4,	/* also those with no location at pc */
};

typedef struct L2cVar {
	const char *name;
	const char *type;	/* as -L prints it: "int", "char const*", "struct point" */
	bool is_param;
	bool available;		/* has a location (or a constant value) at pc */
} L2cVar;

/* The variables in scope, innermost block first, each name once (an
 * inner one hides an outer one), the function's parameters and locals in
 * declaration order: the order of -L and $$vars. */
int l2c_vars(L2cScope *s, unsigned which, const L2cVar **out);

/* The "$a:int $b:long int" that -L prints after a probe point: the
 * variables available at pc (for a .return probe, $return first when the
 * function returns a value).  malloc'ed; "" when there are none or the
 * function has no DWARF. */
char *l2c_listing(DiModule *m, const DiFunc *f, uint64_t pc, bool is_return, char **err);

typedef enum L2cKind {
	L2C_LONG,		/* out is int64_t * */
	L2C_STRING,		/* out is char[MAXSTRINGLEN] */
} L2cKind;

typedef struct L2cAccess {
	char *fn;		/* the generated function's name */
	char *code;		/* its definition, a static C function */
	L2cKind kind;
	int nindex;		/* int64_t arguments for the [expr] components, in order */
	bool takes_base;	/* @cast / autocast: the pointer is the first argument */
	const L2cType *type;	/* the value's type (for autocast), NULL when untyped */
	bool uses_bias;		/* reads f->bias */
	const char *module;	/* another object whose bias it needs (f->module_bias),
				   NULL when none */
	int failed_comp;	/* after an error: the component (->member, [i]) it
				   is about, or -1 for the expression as a whole */
} L2cAccess;

/* The access for one target expression: E_TARGET ($x, $x->a[i], &$x,
 * $x$, $$vars, $return...), E_ATVAR (@var("x@file.c", "path")), E_CAST
 * (@cast(p, "type", "path" or "<header.h>")) or E_AUTOCAST (base_type is
 * the type the left operand had; NULL for the others).  fn names the
 * generated function.  s may be NULL for @cast and for @var with a module
 * (in functions).  0, or -1 with a malloc'ed message in *err. */
int l2c_access(L2cScope *s, const Expr *e, const L2cType *base_type, const char *fn,
	       L2cAccess *out, char **err);
void l2c_access_free(L2cAccess *a);

/* "struct point *", as -L names types. */
const char *l2c_type_name(const L2cType *t);
/* The same type: one DIE of one module, or types of one module with the
 * same name (a compiler may describe one pointer type twice). */
bool l2c_type_same(const L2cType *a, const L2cType *b);

/* The access for argument n (1-based) of an SDT marker: a number of the
 * marker's size and signedness.  -1 when n is out of range. */
int l2c_sdt_arg(DiModule *m, const DiMark *mk, int n, const char *fn, L2cAccess *out,
		char **err);

/* Where the C compiler and headers for @cast(p, "type", "<header.h>") are:
 * the compiler command (default "gcc") and extra -I folders.  Optional. */
void l2c_set_header_compiler(const char *cc, const char *const *include_dirs, int n);

#endif
