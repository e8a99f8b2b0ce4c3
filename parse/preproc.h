/* The preprocessor between the lexer and the parser: %( %? %: %)
 * conditionals, @define macros, and script arguments ($1 @1 $# @#). */
#ifndef PARSE_PREPROC_H
#define PARSE_PREPROC_H
#include "parse/lexer.h"
#include <stdbool.h>

/* What conditionals test; the driver fills it from the session. */
typedef struct PPContext {
	const char *kernel_v;		/* "6.1.0" */
	const char *kernel_vr;		/* "6.1.0-50-amd64" */
	const char *arch;		/* "x86_64" */
	const char *runtime;		/* "kernel" or "ptrace" */
	const char *systemtap_v;	/* the --compatible version */
	const char *privilege;		/* "stapdev", "stapsys" or "stapusr" */
	bool guru_mode;
	int nargs;			/* script arguments after the script */
	char **args;
	/* Value of CONFIG_NAME from the target kernel's .config: "y", "m", a
	 * number or a string, or NULL when unset. */
	const char *(*config)(const char *name);
} PPContext;

typedef struct Macro Macro;
typedef struct MacroTable {
	Macro **slots;
	unsigned cap, count;
} MacroTable;

/* Macros from .stpm files on the tapset path, visible to every file. */
extern MacroTable g_library_macros;

typedef struct PPInput PPInput;
typedef struct PPCond PPCond;

typedef struct Preproc {
	Lexer lex;
	const PPContext *ctx;
	MacroTable *defs;		/* where @define puts macros */
	MacroTable local;		/* this file's own macros (.stp files) */
	PPInput *inputs;		/* macro expansions being read, innermost last */
	int ninputs, inputs_cap;
	PPCond *conds;			/* open %( conditionals */
	int nconds, conds_cap;
	long expanded_tokens;		/* guards against runaway expansion */
	bool overflow;			/* ... which stopped all expansion */
	bool quiet;			/* the parser is skipping: bad numbers and
					   escapes go unreported */
} Preproc;

void pp_init(Preproc *pp, const SrcFile *file, const PPContext *ctx);
void pp_next(Preproc *pp, Token *t);
void pp_finish(Preproc *pp);
/* Forgets the .stpm macros (tests, fuzzing). */
void pp_reset_library(void);

#endif
