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

/* The same frames with the program's CFI taken away: the frame pointer
 * walk (meaningful where the code keeps one: -O0). */
static void up_print_fp_frames(struct stp_context *c)
{
	static struct stp_umodule nocfi;
	static const struct stp_umodule *mods[2];
	unsigned long pcs[MAXBACKTRACE];
	int i, n;

	nocfi = um_exe;
	nocfi.ncfi = 0;
	mods[0] = &nocfi;
	mods[1] = &um_libc;
	stp_usym_init(mods, 2);
	n = stp_unwind_user(c->task, c->regs, pcs, MAXBACKTRACE);
	stp_usym_init(up_umodules, sizeof(up_umodules) / sizeof(up_umodules[0]));
	for (i = 0; i < n; i++) {
		stp_usym_snprint(c->str_tmp, MAXSTRINGLEN, pcs[i], STP_USYM_DATA, c->task);
		stp_print_str(c, "fpframe ");
		stp_print_str(c, c->str_tmp);
		stp_print_str(c, "\n");
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
	up_print_fp_frames(c);
	stp_print_str(c, "end\n");
}

static void h_bt_ret(struct stp_context *c)
{
	up_check(c);
	stp_print_str(c, "return print_ubacktrace\n");
	tap_print_ubacktrace_0(c);
	stp_print_str(c, "end\n");
}
