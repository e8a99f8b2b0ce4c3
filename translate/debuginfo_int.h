/* What the debuginfo query layer (debuginfo*.c) and loc2c (loc2c*.c)
 * share about a module: the libdwfl handles and the lazily built indexes.
 * Not for other parts of the translator: they use debuginfo.h/loc2c.h. */
#ifndef TRANSLATE_DEBUGINFO_INT_H
#define TRANSLATE_DEBUGINFO_INT_H
#include "translate/debuginfo.h"
#include "parse/arena.h"
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdarg.h>

/* One DWARF function that has code, or one inlined instance. */
typedef struct DiFuncEnt {
	const char *name;
	Dwarf_Off die;		/* subprogram or inlined_subroutine */
	Dwarf_Off cu;		/* the unit holding the code */
	uint32_t cuix;		/* index in DiModule.cus */
	bool inlined;
	bool abstract;		/* an inline function's abstract definition: no
				   code of its own, its instances are elsewhere */
} DiFuncEnt;

/* One function symbol of the ELF symbol table. */
typedef struct DiSym {
	const char *name;
	uint64_t addr;
	uint64_t size;
	bool global;
	bool in_dwarf;		/* a DWARF function of that name exists */
} DiSym;

typedef struct DiCu {
	Dwarf_Off off;
	bool walked;		/* inlined instances and location lists collected */
	bool has_loclists;
	int valid_locs;		/* -1 not yet known, else 0/1 (see prologue.c) */
	bool has_inline_abstract;	/* the top level has DW_AT_inline functions */
} DiCu;

struct DiModule {
	char *path;
	Arena arena;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Elf *elf;		/* the main file */
	GElf_Half etype;
	Dwarf *dw;		/* NULL when the module has no DWARF */
	bool dw_tried;
	const char *debug_path;

	/* PT_LOAD segments, for file offsets. */
	struct DiSeg {
		uint64_t vaddr, memsz, offset, filesz;
	} *seg;
	int nseg;

	/* Function index: DWARF functions sorted by name (inlined instances
	 * appended as their units are walked), and unique names. */
	bool indexed;
	DiFuncEnt *fn;
	int nfn, fncap;
	bool fn_sorted;
	DiCu *cus;
	int ncus;
	bool all_walked;

	/* Symbol table functions, sorted by name. */
	bool syms_read;
	DiSym *sym;
	int nsym;

	const char **names;	/* di_function_names */
	int nnames;

	/* Libraries (debuginfo_lib.c). */
	bool libs_done;
	const char **libs;
	int nlibs;

	char err[1024];
	char *warning;
};

/* ---- shared helpers (debuginfo.c) ---- */
__attribute__((format(printf, 2, 3)))
int di_fail(DiModule *m, const char *fmt, ...);
char *di_strdup(DiModule *m, const char *s);
__attribute__((format(printf, 2, 3)))
char *di_printf(DiModule *m, const char *fmt, ...);
/* The DWARF, read on first use; NULL when there is none. */
Dwarf *di_dwarf(DiModule *m);
bool di_die(DiModule *m, Dwarf_Off off, Dwarf_Die *out);
bool di_cu_die(DiModule *m, Dwarf_Off cu, Dwarf_Die *out);
/* Grows an arena-allocated array by one element, returning it zeroed. */
void *di_push(DiModule *m, void **v, int *n, int *cap, size_t size);

/* ---- the function index (debuginfo_index.c) ---- */
void di_index(DiModule *m);
/* Walks one unit for inlined instances (and location lists), once. */
void di_walk_cu(DiModule *m, uint32_t cuix);
void di_walk_all(DiModule *m);
void di_sort_index(DiModule *m);
void di_read_syms(DiModule *m);
/* A symbol-table function holding addr, or NULL. */
const DiSym *di_sym_at(DiModule *m, uint64_t addr);
/* The address of a symbol (object or function) by name; false if none. */
bool di_sym_addr(DiModule *m, const char *name, uint64_t *addr);
uint32_t di_cu_index(DiModule *m, Dwarf_Off cu);

/* ---- patterns (debuginfo_pattern.c) ---- */
typedef enum DiLineKind {
	DI_LINE_NONE,		/* no line given */
	DI_LINE_ABS,		/* :N, :N-M, :A,B-C (ranges in lo/hi) */
	DI_LINE_REL,		/* +N from the declaration line */
	DI_LINE_ALL,		/* :* */
} DiLineKind;

typedef struct DiPattern {
	const char *func;	/* wildcards allowed */
	const char *file;	/* NULL: any */
	DiLineKind kind;
	int nranges;
	struct {
		int lo, hi;
	} range[32];
	bool single;		/* exactly one line: errors suggest neighbours */
} DiPattern;

int di_parse_pattern(DiModule *m, const char *text, DiPattern *p);
bool di_has_wildcard(const char *s);
bool di_file_matches(const char *pattern, const char *file);

/* ---- functions (debuginfo_func.c, prologue.c) ---- */
/* A DIE's DW_AT_decl_file as a path (DWARF 5's file 0 included). */
const char *di_decl_file(Dwarf_Die *die);
/* Fills a DiFunc from an index entry; false when it has no code. */
bool di_func_fill(DiModule *m, const DiFuncEnt *e, DiFunc *f);
void di_func_from_sym(const DiSym *s, DiFunc *f);
/* Where a .function probe on a (not inlined) DWARF function goes. */
uint64_t di_prologue_end(DiModule *m, uint32_t cuix, uint64_t entry, uint64_t high);
/* Does the unit's DWARF describe variables correctly at function entry
 * (an optimizing build with var-tracking), so no prologue is skipped? */
bool di_cu_valid_locs(DiModule *m, uint32_t cuix);
/* Functions matching a parsed pattern; line_filter applies its line part
 * (.function), syms adds symbol-table functions. */
int di_match_funcs(DiModule *m, const DiPattern *p, bool line_filter, bool syms, DiFuncs *out);
/* Finds the index entry of a subprogram DIE (for .function(ADDR)). */
bool di_func_of_die(DiModule *m, Dwarf_Die *die, Dwarf_Off cu, DiFunc *out);
/* The lines of a unit's line table, in address order. */
bool di_cu_lines(DiModule *m, uint32_t cuix, Dwarf_Lines **lines, size_t *n);
/* First row at or after addr. */
size_t di_lines_lower_bound(Dwarf_Lines *lines, size_t n, uint64_t addr);
/* The address ranges of a function or instance DIE; arena-allocated. */
int di_ranges(DiModule *m, Dwarf_Die *die, uint64_t (**r)[2]);

#endif
