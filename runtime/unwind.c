/* The neutral half of runtime/unwind.h. */
#ifndef RUNTIME_UNWIND_C
#define RUNTIME_UNWIND_C

#include "unwind.h"
#include "usym.c"
#include "loc2c.h"

/* The row covering link address a of mod, or NULL. */
static const struct stp_ucfi *_stp_ucfi_find(const struct stp_umodule *mod, uint64_t a)
{
	unsigned int lo = 0, hi = mod->ncfi;
	uint64_t rel;

	if (a < mod->base || a - mod->base > 0xffffffffULL)
		return NULL;
	rel = a - mod->base;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (mod->cfi[mid].pc <= rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &mod->cfi[lo - 1] : NULL;
}

static int _stp_unwind_read(struct task_struct *t, unsigned long addr, unsigned long *v)
{
	/* The tracer reads the hit task's memory; the kernel reads current's. */
#ifdef __KERNEL__
	(void)t;
	return stp_copy_from_user(v, addr, sizeof(*v));
#else
	return stp_task_read(t, v, addr, sizeof(*v));
#endif
}

struct _stp_uframe {
	unsigned long pc, sp, bp;
};

/* One frame up: 0, or -1 at the end of what can be known. */
static int _stp_unwind_step(struct task_struct *t, struct _stp_uframe *f, bool first)
{
	const struct stp_ucfi *row = NULL;
	struct stp_umod_hit h;
	unsigned long cfa, ra, slot, real;

	/* A return address points after its call, maybe past the function's
	 * end: the call itself is one byte before. */
	if (stp_umod_lookup(t, first ? f->pc : f->pc - 1, &h) == 0 && h.mod)
		row = _stp_ucfi_find(h.mod, (uint64_t)((first ? f->pc : f->pc - 1) - h.bias));
	if (row && (row->flags & STP_UCFI_END))
		return -1;
	if (row && !(row->flags & STP_UCFI_UNKNOWN)) {
		cfa = (row->cfa_reg == 7 ? f->sp : f->bp) + (long)row->cfa_off;
		slot = cfa + (long)row->ra_off;
		if (_stp_unwind_read(t, slot, &ra))
			return -1;
		if ((row->flags & STP_UCFI_BP_SAVED) &&
		    _stp_unwind_read(t, cfa + (long)row->bp_off, &f->bp))
			return -1;
	} else {
		/* No CFI: trust the frame pointer chain. */
		if (!f->bp || f->bp < f->sp)
			return -1;
		slot = f->bp + sizeof(unsigned long);
		cfa = f->bp + 2 * sizeof(unsigned long);
		if (_stp_unwind_read(t, slot, &ra) || _stp_unwind_read(t, f->bp, &f->bp))
			return -1;
	}
	/* A pending .return replaced this return address. */
	real = stp_unwind_ret_fixup ? stp_unwind_ret_fixup(t, slot) : 0;
	if (real)
		ra = real;
	if (!ra || cfa <= f->sp)
		return -1;
	f->pc = ra;
	f->sp = cfa;
	return 0;
}

STP_API bool stp_unwind_parse_hex(const char **p, unsigned long *v)
{
	const char *s = *p;
	bool any = false;
	int d;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	*v = 0;
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		*v = *v * 16 + (unsigned long)d;
		any = true;
	}
	*p = s;
	return any;
}

STP_API int stp_unwind_user(struct task_struct *t, const struct pt_regs *regs, unsigned long *pcs,
			    int max)
{
	struct _stp_uframe f;
	int n = 0;

	if (!regs || max <= 0)
		return 0;
	f.pc = (unsigned long)l2c_arch_reg(regs, 16);
	f.sp = (unsigned long)l2c_arch_reg(regs, 7);
	f.bp = (unsigned long)l2c_arch_reg(regs, 6);
	pcs[n++] = f.pc;
	while (n < max && _stp_unwind_step(t, &f, n == 1) == 0)
		pcs[n++] = f.pc;
	return n;
}

#endif
