/* What a module embeds about a user-space file so the runtime can name
 * addresses and unwind through it (runtime/usym.h, runtime/unwind.h):
 * its PT_LOAD segments, its function symbols, and its CFI evaluated into
 * rows.  Everything is read with elfutils (libdwfl finds a separate
 * debuginfo's symbol table as gdb does; libdw evaluates the CFI), so the
 * runtime never interprets DWARF.
 *
 * Pass 3 calls ud_emit once per file: each probed program or library, and
 * each one named with -d or reached with --ldd. */
#ifndef TRANSLATE_UNWIND_DATA_H
#define TRANSLATE_UNWIND_DATA_H

#include <stdint.h>
#include <stdio.h>

/* Row flags: the values of runtime/unwind.h's STP_UCFI_* (the harness of
 * stap.uprobes checks they agree; the translator does not include the
 * runtime's headers). */
#define UD_BP_SAVED 0x1
#define UD_END 0x2
#define UD_UNKNOWN 0x4

typedef struct UdSym {
	uint64_t addr, size;
	const char *name;
	int bind;		/* STB_GLOBAL ... */
	int index;		/* in the symbol table */
} UdSym;

typedef struct UdRow {
	uint64_t pc;		/* link address */
	int32_t cfa_off;
	int16_t ra_off, bp_off;
	uint8_t cfa_reg, flags;	/* UD_* */
} UdRow;

typedef struct UdSeg {
	uint64_t offset, vaddr, filesz, memsz;
} UdSeg;

typedef struct UdData {
	char *path;		/* real path */
	uint64_t base, span;
	UdSeg *segs;
	int nsegs;
	UdSym *syms;
	int nsyms;
	UdRow *rows;
	int nrows;
	int unknown_rows;	/* rows not expressible: frame pointer at run time */
} UdData;

/* Reads path.  0, or -1 with a malloc'ed message in *err ("cannot open
 * ...: No such file or directory", "... is not an x86-64 ELF file"). */
int ud_read(const char *path, UdData *d, char **err);
void ud_free(UdData *d);

/* C for d as "static const struct stp_umodule NAME" and its arrays
 * (NAME_segs, NAME_syms, NAME_strs, NAME_cfi). */
void ud_write_c(FILE *out, const UdData *d, const char *name);

/* Both: 0 or -1 with *err. */
int ud_emit(FILE *out, const char *path, const char *name, char **err);

/* translate/unwind_data_sym.c and _cfi.c, for ud_read. */
struct Dwfl_Module;
int ud_read_syms(struct Dwfl_Module *m, UdData *d, char **err);
int ud_read_cfi(struct Dwfl_Module *m, UdData *d, char **err);

#endif
