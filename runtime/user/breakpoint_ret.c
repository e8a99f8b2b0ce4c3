/* .return probes: the return address replaced at the function's entry
 * with STP_BP_TRAMPOLINE, and put back at the return.
 *
 * Each thread keeps its pending returns as a stack of (slot, real return
 * address).  Frames that longjmp, exceptions or a thread's own stack
 * switching skipped never return through their slot: an instance whose
 * slot lies below the stack pointer at a later entry or return is dead
 * and dropped (counted in ret_dropped).  At the end every slot that
 * still holds the trampoline gets its real address back, so a process
 * the tracer lets go returns normally; a return already on its way when
 * that happens still finds its instance here. */
#include "breakpoint.h"

static void _ut_bp_ret_drop_below(struct ut_bp_thread *bt, unsigned long sp)
{
	while (bt->nrets > 0 && bt->rets[bt->nrets - 1].slot < sp) {
		bt->nrets--;
		stp_atomic_inc_return(&stp_ups.ret_dropped);
	}
}

static void _ut_bp_ret_push(struct ut_bp_thread *bt, struct ut_bp_proc *p, struct task_struct *t,
			    int site, unsigned long func)
{
	unsigned long slot = (unsigned long)t->regs.uregs.rsp, orig, tramp = STP_BP_TRAMPOLINE;
	struct ut_bp_ret *r;

	if (_ut_bp_read(p, slot, &orig, sizeof(orig)))
		return;
	if (orig == STP_BP_TRAMPOLINE) {
		/* A jump from one probed entry to another with the same return
		 * address (a PLT slot into the library's function, a tail
		 * call): both instances return through this slot, the newest
		 * first, as the kernel's chained uretprobes do. */
		_ut_bp_ret_drop_below(bt, slot);
		if (bt->nrets == 0 || bt->rets[bt->nrets - 1].slot != slot)
			return;
		orig = bt->rets[bt->nrets - 1].orig;
	} else {
		/* At the entry the return address is at the stack pointer;
		 * older instances at or below it belong to frames that are
		 * gone. */
		_ut_bp_ret_drop_below(bt, slot + 1);
	}
	if (bt->nrets == STP_UPROBE_MAXACTIVE) {
		stp_atomic_inc_return(&stp_ups.ret_missed);
		return;
	}
	if (orig != STP_BP_TRAMPOLINE && _ut_bp_write(p, slot, &tramp, sizeof(tramp)))
		return;
	r = &bt->rets[bt->nrets++];
	r->slot = slot;
	r->orig = orig;
	r->func = func;
	r->site = site;
}

/* The thread faulted at the trampoline: ret popped the slot, so it is
 * just below the stack pointer. */
static bool _ut_bp_ret_hit(struct ut_bp_thread *bt, struct ut_bp_proc *p, struct task_struct *t)
{
	unsigned long slot = (unsigned long)t->regs.uregs.rsp - sizeof(unsigned long);
	struct task_struct *prev = ut_current;
	const struct ut_bp_site *s;
	struct ut_bp_ret r;
	unsigned int i;

	(void)p;
	_ut_bp_ret_drop_below(bt, slot);
	if (bt->nrets == 0 || bt->rets[bt->nrets - 1].slot != slot)
		return false;
	t->regs.uregs.rip = bt->rets[bt->nrets - 1].orig;
	t->regs_dirty = true;
	/* Every instance of this slot (chained entries), newest first. */
	while (bt->nrets > 0 && bt->rets[bt->nrets - 1].slot == slot) {
		r = bt->rets[--bt->nrets];
		if (!ut_bp.armed)
			continue;
		s = &ut_bp.sites[r.site];
		ut_current = t;
		for (i = 0; i < s->n; i++) {
			const struct stp_uprobe *u = &stp_ups.probes[ut_bp.order[s->first + i]];

			if (u->ret && _stp_uprobe_wanted(u, t))
				_stp_uprobe_run(u, t, &t->regs, r.func, r.orig);
		}
		ut_current = prev;
	}
	return true;
}

/* Every slot still holding the trampoline gets its real address back;
 * the instances stay, for returns already on their way. */
static void _ut_bp_ret_restore(struct ut_bp_thread *bt, struct ut_bp_proc *p)
{
	unsigned long cur;
	int i;

	for (i = 0; i < bt->nrets; i++) {
		const struct ut_bp_ret *r = &bt->rets[i];

		if (_ut_bp_read(p, r->slot, &cur, sizeof(cur)) == 0 && cur == STP_BP_TRAMPOLINE)
			_ut_bp_write(p, r->slot, &r->orig, sizeof(r->orig));
	}
}

/* The real return address of a frame whose return address reads as the
 * trampoline (unwinding through a pending .return); 0 when unknown. */
static unsigned long _ut_bp_ret_real(pid_t tid, unsigned long slot)
{
	struct ut_bp_thread *bt;
	int i;

	for (bt = ut_bp.threads; bt; bt = bt->next) {
		if (bt->tid != tid)
			continue;
		for (i = bt->nrets - 1; i >= 0; i--)
			if (bt->rets[i].slot == slot)
				return bt->rets[i].orig;
	}
	return 0;
}
