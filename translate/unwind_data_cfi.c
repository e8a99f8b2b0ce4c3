/* A file's CFI as rows for runtime/unwind.c: libdw evaluates the call
 * frame instructions at each row of every executable section, and each
 * row is kept when its rules are the simple ones compiled code uses (CFA
 * = rsp or rbp + N; return address and rbp saved at CFA + N), else marked
 * for the frame pointer.  .eh_frame first (what the program itself
 * unwinds with), .debug_frame when there is none. */
#include "translate/unwind_data.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>


/* A register saved at CFA + *off: [DW_OP_call_frame_cfa] or
 * [DW_OP_call_frame_cfa, DW_OP_plus_uconst N] (N two's complement). */
static bool ud_at_cfa(const Dwarf_Op *ops, size_t n, int64_t *off)
{
	if (!ops || n < 1 || ops[0].atom != DW_OP_call_frame_cfa)
		return false;
	if (n == 1) {
		*off = 0;
		return true;
	}
	if (n == 2 && ops[1].atom == DW_OP_plus_uconst) {
		*off = (int64_t)ops[1].number;
		return true;
	}
	return false;
}

static void ud_row_of(Dwarf_Frame *f, UdRow *r)
{
	Dwarf_Op mem[3], *ops = NULL;
	size_t n = 0;
	int64_t off;

	r->flags = 0;
	if (dwarf_frame_cfa(f, &ops, &n) != 0 || n != 1 || ops[0].atom != DW_OP_bregx ||
	    (ops[0].number != 7 && ops[0].number != 6) || (int64_t)ops[0].number2 < INT32_MIN ||
	    (int64_t)ops[0].number2 > INT32_MAX) {
		r->flags = UD_UNKNOWN;
		return;
	}
	r->cfa_reg = (uint8_t)ops[0].number;
	r->cfa_off = (int32_t)(int64_t)ops[0].number2;
	ops = NULL;
	n = 0;
	if (dwarf_frame_register(f, 16, mem, &ops, &n) != 0) {
		r->flags = UD_UNKNOWN;
		return;
	}
	if (!ops && n == 0) {
		r->flags = UD_END;	/* DW_CFA_undefined: the outermost frame */
		return;
	}
	if (!ud_at_cfa(ops, n, &off) || off < INT16_MIN || off > INT16_MAX) {
		r->flags = UD_UNKNOWN;
		return;
	}
	r->ra_off = (int16_t)off;
	ops = NULL;
	n = 0;
	if (dwarf_frame_register(f, 6, mem, &ops, &n) != 0) {
		r->flags = UD_UNKNOWN;
		return;
	}
	if (n == 0)
		return;		/* same value (or unspecified): rbp unchanged */
	if (!ud_at_cfa(ops, n, &off) || off < INT16_MIN || off > INT16_MAX) {
		r->flags = UD_UNKNOWN;
		return;
	}
	r->flags = UD_BP_SAVED;
	r->bp_off = (int16_t)off;
}

static bool ud_same_rule(const UdRow *a, const UdRow *b)
{
	return a->flags == b->flags && a->cfa_reg == b->cfa_reg && a->cfa_off == b->cfa_off &&
	       a->ra_off == b->ra_off && a->bp_off == b->bp_off;
}

static int ud_push(UdData *d, int *cap, const UdRow *r)
{
	if (d->nrows && ud_same_rule(&d->rows[d->nrows - 1], r))
		return 0;	/* one row per change of rule */
	if (d->nrows == *cap) {
		int c = *cap ? 2 * *cap : 1024;
		UdRow *n = realloc(d->rows, (size_t)c * sizeof(*n));

		if (!n)
			return -1;
		d->rows = n;
		*cap = c;
	}
	d->rows[d->nrows++] = *r;
	if (r->flags & UD_UNKNOWN)
		d->unknown_rows++;
	return 0;
}

/* Rows of [lo, hi): libdw says where each row ends; addresses no FDE
 * covers (padding between functions) get an unknown row. */
static int ud_walk(Dwarf_CFI *cfi, uint64_t lo, uint64_t hi, UdData *d, int *cap)
{
	uint64_t a = lo;

	while (a < hi) {
		Dwarf_Frame *f = NULL;
		Dwarf_Addr start, end;
		bool signalp;
		UdRow r = { .pc = a };

		if (dwarf_cfi_addrframe(cfi, a, &f) != 0 ||
		    dwarf_frame_info(f, &start, &end, &signalp) < 0 || end <= a) {
			free(f);
			r.flags = UD_UNKNOWN;
			if (ud_push(d, cap, &r))
				return -1;
			a++;
			continue;
		}
		ud_row_of(f, &r);
		free(f);
		if (ud_push(d, cap, &r))
			return -1;
		a = end;
	}
	return 0;
}

int ud_read_cfi(Dwfl_Module *m, UdData *d, char **err)
{
	Dwarf_Addr bias, cbias;
	Dwarf_CFI *cfi;
	Elf_Scn *scn = NULL;
	Elf *elf;
	size_t shstr;
	int cap = 0;

	(void)err;
	elf = dwfl_module_getelf(m, &bias);
	cfi = dwfl_module_eh_cfi(m, &cbias);
	if (!cfi)
		cfi = dwfl_module_dwarf_cfi(m, &cbias);
	if (!cfi || !elf || elf_getshdrstrndx(elf, &shstr) != 0)
		return 0;	/* no CFI: the frame pointer everywhere */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		UdRow end;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR) ||
		    sh.sh_type != SHT_PROGBITS || !sh.sh_size)
			continue;
		if (ud_walk(cfi, sh.sh_addr, sh.sh_addr + sh.sh_size, d, &cap))
			return -1;
		/* Past the section: nothing known. */
		end = (UdRow){ .pc = sh.sh_addr + sh.sh_size, .flags = UD_UNKNOWN };
		if (ud_push(d, &cap, &end))
			return -1;
	}
	return 0;
}
