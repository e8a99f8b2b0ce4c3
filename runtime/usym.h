/* User-space symbols: which file of the current process an address is in,
 * and which function, for usymname(), usymdata(), umodname() and the
 * backtrace printers (runtime/unwind.h).  Neutral code over two things:
 *
 * - the process's mappings, from the platform (runtime/user/usym_maps.c:
 *   /proc/PID/maps; runtime/linux/usym_maps.c: the task's VMAs);
 * - the symbol tables (and CFI rows, runtime/unwind.h) that the translator
 *   extracted from the probed files and from those named with -d or
 *   --ldd (translate/unwind_data.c), embedded in the module as
 *   struct stp_umodule constants.
 *
 * Generated code registers the modules once, before any probe runs:
 *
 *	static const struct stp_umodule *const stp_umodules[] = { &stp_um_0, &stp_um_1 };
 *	stp_usym_init(stp_umodules, 2);
 *
 * Addresses in the tables are link-time (what nm shows); the load bias
 * comes from the mapping: bias = start - pgoff + seg.offset - seg.vaddr. */
#ifndef RUNTIME_USYM_H
#define RUNTIME_USYM_H

#include "runtime_defs.h"

struct task_struct;
struct stp_context;

/* A function symbol: [addr, addr + size).  A symbol without a size gets
 * the distance to the next one. */
struct stp_usym {
	uint64_t addr;
	uint64_t size;
	uint32_t name;		/* offset in stp_umodule.strs */
};

/* A PT_LOAD segment, to find the bias from any mapping of the file. */
struct stp_useg {
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
};

struct stp_ucfi;

struct stp_umodule {
	const char *path;		/* real path, as the mappings name it */
	uint64_t base;			/* lowest PT_LOAD's page (link address) */
	uint64_t span;			/* highest PT_LOAD end - base */
	const struct stp_useg *segs;
	unsigned int nsegs;
	const struct stp_usym *syms;	/* sorted by addr */
	unsigned int nsyms;
	const char *strs;
	const struct stp_ucfi *cfi;	/* sorted by pc (runtime/unwind.h) */
	unsigned int ncfi;
};

STP_API void stp_usym_init(const struct stp_umodule *const *mods, unsigned int n);

/* Where an address is: the mapped file (path), its embedded tables if
 * any, the bias, and the module's extent in the process. */
struct stp_umod_hit {
	const struct stp_umodule *mod;	/* NULL: no embedded data for it */
	unsigned long bias;		/* link address + bias = address */
	unsigned long lo, hi;		/* the file's mappings: [lo, hi) */
	char path[256];
};

/* 0, or -ENOENT when addr is in no file mapping of t's process (anonymous
 * memory, unmapped), -EAGAIN when the mappings cannot be read now. */
STP_API int stp_umod_lookup(struct task_struct *t, unsigned long addr, struct stp_umod_hit *h);

/* The formats, as SystemTap's: */
enum {
	STP_USYM_SYMBOL,	/* usymname: "main", else "0x4005d4" */
	STP_USYM_DATA,		/* usymdata: "main+0x10/0x20 [/path]" */
	STP_USYM_FULL,		/* print_ustack: " 0x4005d4 : main+0x10/0x20 [/path]\n" */
	STP_USYM_HEX,		/* ubacktrace: "0x4005d4 " */
};

/* Writes addr in format fmt into buf (len bytes, NUL-terminated, cut if
 * need be); returns the length it wanted. */
STP_API int stp_usym_snprint(char *buf, size_t len, unsigned long addr, int fmt,
			     struct task_struct *t);

#endif
