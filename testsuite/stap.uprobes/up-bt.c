/* up-harness's backtrace handlers: the tapset's symbol and unwind
 * functions (tapset/ucontext*.stp, as tapset-c.awk compiles them for pass
 * 3) called at up_bt_leaf and at up_bt_c's return.  Part of up-harness.c's
 * translation unit. */

static const struct stp_loc *tap_loc;
#include "up_tapset_fns.c"

_Static_assert(STP_UCFI_BP_SAVED == UD_BP_SAVED && STP_UCFI_END == UD_END &&
		       STP_UCFI_UNKNOWN == UD_UNKNOWN,
	       "the translator's row flags are the runtime's");

/* Each frame as its offset in its file's mappings, to compare with gdb's
 * run of the same program (other addresses: ASLR). */
static void up_print_frames(struct stp_context *c)
{
	unsigned long pcs[MAXBACKTRACE];
	int i, n = stp_unwind_user(c->task, c->regs, pcs, MAXBACKTRACE);
	struct stp_umod_hit h;

	for (i = 0; i < n; i++) {
		if (stp_umod_lookup(c->task, pcs[i], &h) == 0)
			snprintf(c->str_tmp, MAXSTRINGLEN, "frame 0x%lx %s\n", pcs[i] - h.lo, h.path);
		else
			snprintf(c->str_tmp, MAXSTRINGLEN, "frame 0x%lx ?\n", pcs[i]);
		stp_print_str(c, c->str_tmp);
	}
}

static void up_print_backtraces(struct stp_context *c)
{
	char *s = c->str_tmp, bt[MAXSTRINGLEN];
	unsigned long pc = (unsigned long)c->regs->uregs.rip;

	tap_usymname_1(c, s, (int64_t)pc);
	stp_print_str(c, "usymname ");
	stp_print_str(c, s);
	tap_usymdata_1(c, s, (int64_t)pc);
	stp_print_str(c, "\nusymdata ");
	stp_print_str(c, s);
	tap_umodname_1(c, s, (int64_t)pc);
	stp_print_str(c, "\numodname ");
	stp_print_str(c, s);
	tap_usymname_1(c, s, (int64_t)c->regs->uregs.rsp);
	stp_print_str(c, "\nusymname-stack ");
	stp_print_str(c, s);
	tap_usymdata_1(c, s, 1);
	stp_print_str(c, "\nusymdata-none ");
	stp_print_str(c, s);
	tap_ubacktrace_0(c, bt);
	stp_print_str(c, "\nubacktrace ");
	stp_print_str(c, bt);
	stp_print_str(c, "\nprint_ustack\n");
	tap_print_ustack_1(c, bt);
	stp_print_str(c, "print_ubacktrace\n");
	tap_print_ubacktrace_0(c);
	up_print_frames(c);
	stp_print_str(c, "end\n");
}

static void h_bt_ret(struct stp_context *c)
{
	up_check(c);
	stp_print_str(c, "return print_ubacktrace\n");
	tap_print_ubacktrace_0(c);
	stp_print_str(c, "end\n");
}
