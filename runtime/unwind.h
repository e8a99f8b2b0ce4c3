/* User-space stack unwinding for ubacktrace() and print_ubacktrace(): CFI
 * rows the translator evaluated with libdw (translate/unwind_data.c), so
 * the runtime interprets a table rather than DWARF call frame
 * instructions, the same small interpreter on both platforms; a frame
 * pointer walk where a module has no rows for an address.
 *
 * One row covers [pc, next row's pc) of a module (pc relative to its
 * base, stp_umodule.base) and says how to find the caller's frame:
 *   CFA = (cfa_reg == 7 ? rsp : rbp) + cfa_off
 *   return address at CFA + ra_off
 *   rbp saved at CFA + bp_off when STP_UCFI_BP_SAVED, else unchanged
 *   caller's rsp = CFA
 * Rows libdw gives as anything else (a CFA expression, a register other
 * than rsp or rbp) are STP_UCFI_UNKNOWN and fall back to the frame
 * pointer; STP_UCFI_END marks the outermost frame (DW_CFA_undefined of
 * the return address, as _start has). */
#ifndef RUNTIME_UNWIND_H
#define RUNTIME_UNWIND_H

#include "runtime_defs.h"

struct task_struct;
struct pt_regs;
struct stp_context;

#define STP_UCFI_BP_SAVED 0x1
#define STP_UCFI_END 0x2
#define STP_UCFI_UNKNOWN 0x4

struct stp_ucfi {
	uint32_t pc;
	int32_t cfa_off;
	int16_t ra_off;
	int16_t bp_off;
	uint8_t cfa_reg;	/* DWARF number: 7 rsp, 6 rbp */
	uint8_t flags;
};

#ifndef MAXBACKTRACE
#define MAXBACKTRACE 20
#endif

/* The return addresses of t's stack from the registers regs: pcs[0] is
 * regs' pc, then each caller's.  Returns how many (at most max). */
STP_API int stp_unwind_user(struct task_struct *t, const struct pt_regs *regs, unsigned long *pcs,
			    int max);

/* Set by runtime/uprobes.c when the module has uprobes: the real return
 * address of a frame whose return address is a pending .return's
 * replacement (stp_uprobe_real_return).  A tentative definition, so this
 * header and uprobes.c may come in either order. */
static unsigned long (*stp_unwind_ret_fixup)(struct task_struct *t, unsigned long slot);
/* Likewise: in a .return handler, sets the function's entry and the
 * return address and returns true (print_ubacktrace's first lines). */
static bool (*stp_unwind_ret_info)(const struct stp_context *c, unsigned long *from,
				   unsigned long *to);

/* Parses one hex address ("0x4005d4") at *p, moving *p past it; false at
 * the end of the string. */
STP_API bool stp_unwind_parse_hex(const char **p, unsigned long *v);

#endif
