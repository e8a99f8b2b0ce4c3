/* The translator's view of a program's debuginfo: which functions,
 * statements, SDT markers and PLT entries a process probe point names,
 * and where each probe goes.
 *
 * One DiModule is one ELF file (an executable or a shared library) read
 * with libdwfl; its DWARF may be in the file or in a separate debuginfo
 * file found by build-id or .gnu_debuglink under /usr/lib/debug (never
 * over the network).  Indexes (function names, inlined instances, symbol
 * table) are built once per module, on first use, so resolving many
 * probe points on one big program stays cheap.
 *
 * Addresses are link-time virtual addresses, as readelf, nm and gdb show
 * them on the file; at run time the object's load bias is added (0 for a
 * non-PIE executable).  file_offset fields are the byte offsets in the file
 * that uprobes register with the inode.
 *
 * Everything a query returns lives in the module's arena until di_close;
 * nothing needs to be freed by the caller.  Errors are returned as -1 (or
 * NULL) with a message in di_error(m), worded as SystemTap words them. */
#ifndef TRANSLATE_DEBUGINFO_H
#define TRANSLATE_DEBUGINFO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct DiModule DiModule;

/* ---- modules ---- */

/* Opens an ELF file; NULL with a malloc'ed message in *err when it cannot
 * be read or is not an x86-64 ELF executable or shared object. */
DiModule *di_open(const char *path, char **err);
void di_close(DiModule *m);

/* The module for path from a process-wide cache (opened on first use, by
 * real path), so every probe point on one program shares its indexes. */
DiModule *di_get(const char *path, char **err);
void di_close_all(void);

const char *di_path(const DiModule *m);		/* as opened */
/* Where the DWARF came from (the file itself or its separate debuginfo),
 * NULL when there is none. */
const char *di_debug_path(DiModule *m);
bool di_has_dwarf(DiModule *m);
/* The warning to print once when a probe on m has no DWARF to use:
 * functions come from the symbol table and no $variables exist. */
const char *di_nodwarf_warning(DiModule *m);
bool di_is_shared(const DiModule *m);		/* ET_DYN (PIE or library) */
/* A program (ET_EXEC, or ET_DYN with an interpreter: PIE) rather than a
 * shared library. */
bool di_is_program(const DiModule *m);
/* Link-time address of the lowest PT_LOAD segment, page aligned down: at
 * run time the load bias is where that segment is mapped minus this (0
 * for a non-PIE program). */
uint64_t di_load_base(const DiModule *m);
/* Offset in the file of a link-time address, UINT64_MAX when no loaded
 * segment holds it. */
uint64_t di_file_offset(const DiModule *m, uint64_t addr);
/* The last error's message. */
const char *di_error(const DiModule *m);

/* ---- functions: .function("NAME[@FILE[:LINE]]"), .function(ADDR) ---- */

typedef struct DiFunc {
	const char *name;
	const char *file;	/* declaring source file as DWARF names it; NULL
				   for a symbol-table function */
	int line;		/* declaration line; 0 without DWARF */
	uint64_t entry;		/* first instruction (an inlined instance's entry) */
	uint64_t addr;		/* where a .function probe goes: after the prologue
				   as SystemTap places it (see doc/debuginfo.md) */
	uint64_t high;		/* end of the range holding entry (exclusive), 0 unknown */
	bool inlined;		/* an inlined instance: no .return, no $return */
	bool external;		/* .exported: DW_AT_external; symbol-table functions
				   always, as SystemTap counts them */
	bool has_dwarf;		/* false: from the ELF symbol table only */
	bool returns_value;	/* has a return type (not void) */
	/* Where it is in the DWARF, for loc2c: the DIE of the subprogram or
	 * inlined_subroutine, and of its compile unit. */
	uint64_t die, cu;
} DiFunc;

typedef struct DiFuncs {
	DiFunc *v;
	int n;
} DiFuncs;

/* Functions matching a .function pattern: NAME with shell wildcards,
 * optionally @FILE (a path suffix, with wildcards) and :LINE, :N-M, :*,
 * :A,B-C or +OFFSET (see doc/debuginfo.md for how a line selects a
 * function).  Inlined instances come back one per instance; functions the
 * DWARF does not describe come from the symbol table.  Sorted by address,
 * DWARF ones first.  0 matches is not an error; -1 is (a bad pattern). */
int di_functions(DiModule *m, const char *pattern, DiFuncs *out);
/* .function(ADDR): the function holding ADDR (its entry point, as SystemTap
 * probes it); -1 when no function holds it. */
int di_function_at(DiModule *m, uint64_t addr, DiFunc *out);
/* Every function name the module has (DWARF and symbols), for "did you
 * mean" suggestions; the array is the module's. */
int di_function_names(DiModule *m, const char ***names);

/* ---- statements: .statement("FUNC@FILE:LINE"), .statement(ADDR) ---- */

typedef struct DiStmt {
	DiFunc func;		/* the function (or inlined instance) holding it */
	const char *file;
	int line;
	uint64_t addr;
} DiStmt;

typedef struct DiStmts {
	DiStmt *v;
	int n;
} DiStmts;

/* Statements matching a .statement pattern.  Without a line, a statement
 * probe goes on each matching function's first instruction.  A line that
 * has no code is an error naming the nearest lines that do, unless nearest
 * (.statement(...).nearest) is set: then the nearest line is used. */
int di_statements(DiModule *m, const char *pattern, bool nearest, DiStmts *out);
/* .statement(ADDR): ADDR must begin a line-table row. */
int di_statement_at(DiModule *m, uint64_t addr, DiStmt *out);

/* ---- SDT markers: .mark("NAME"), .provider("P").mark("NAME") ---- */

typedef enum DiSdtArgKind {
	DI_SDT_CONST,		/* $value */
	DI_SDT_REG,		/* %reg */
	DI_SDT_MEM,		/* disp(%base,%index,scale), sym+disp(%rip), addr */
} DiSdtArgKind;

typedef struct DiSdtArg {
	const char *text;	/* as written: "-4@%edi" */
	int size;		/* bytes: 1, 2, 4 or 8 */
	bool is_signed;		/* a negative size in the note */
	DiSdtArgKind kind;
	int64_t value;		/* CONST: the value; MEM: the displacement */
	int reg;		/* REG, MEM's base: DWARF register number; -1 none;
				   DI_SDT_RIP for %rip */
	int reg_shift;		/* REG: 8 for %ah %bh %ch %dh, else 0 */
	int index;		/* MEM: index register's DWARF number, -1 none */
	int scale;		/* MEM: 1, 2, 4 or 8 */
	const char *symbol;	/* MEM: a symbol in the displacement, NULL none */
	uint64_t symbol_addr;	/* its link-time address (the load bias is added
				   at run time) */
} DiSdtArg;

#define DI_SDT_RIP 16		/* the return-address column: the pc */

typedef struct DiMark {
	const char *provider, *name;
	uint64_t addr;		/* the probe's pc (adjusted for prelinking) */
	uint64_t file_offset;
	uint64_t semaphore;	/* link-time address of the semaphore, 0 none */
	uint64_t semaphore_offset;	/* its file offset (uprobe refctr), 0 none */
	const char *args;	/* the argument string as written */
	int nargs;
	DiSdtArg *arg;
} DiMark;

typedef struct DiMarks {
	DiMark *v;
	int n;
} DiMarks;

/* Markers whose provider and name match the patterns (shell wildcards;
 * a NULL provider matches any), in note order.  An argument the parser
 * does not understand makes the call fail, naming it. */
int di_marks(DiModule *m, const char *provider, const char *name, DiMarks *out);
/* Parses one SDT argument ("-4@%edi", "8@-16(%rbp)", "8@8+foo(%rip)");
 * symbols are looked up in m (which may be NULL: then they stay
 * unresolved).  0, or -1 with a message in err. */
int di_sdt_parse_arg(DiModule *m, const char *text, DiSdtArg *out, char *err, size_t errlen);

/* ---- PLT entries: .plt("NAME") ---- */

typedef struct DiPlt {
	const char *name;
	uint64_t addr;		/* the PLT slot the program calls */
	uint64_t file_offset;
} DiPlt;

typedef struct DiPlts {
	DiPlt *v;
	int n;
} DiPlts;

/* PLT entries (from the .rela.plt jump slots) whose symbol matches the
 * pattern, in slot order. */
int di_plts(DiModule *m, const char *pattern, DiPlts *out);

/* ---- shared libraries: .library("LIB") ---- */

/* The libraries the program needs, as the dynamic linker finds them:
 * DT_NEEDED, breadth first through the libraries' own needs, searched in
 * DT_RPATH, $LD_LIBRARY_PATH, DT_RUNPATH ($ORIGIN expanded), ld.so.cache
 * and the default folders.  Unresolvable names are left out. */
int di_needed_libraries(DiModule *m, const char ***paths);
/* library("PATTERN"): the needed libraries whose path or file name the
 * pattern matches (shell wildcards); a pattern naming an existing file is
 * that file, needed or not.  The paths are real paths. */
int di_match_libraries(DiModule *m, const char *pattern, const char ***paths);

#endif
