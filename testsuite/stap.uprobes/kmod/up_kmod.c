// SPDX-License-Identifier: GPL-2.0
/* Plays a script's generated code on the kernel platform: a
 * runtime/uprobes.h table whose offsets the host's debuginfo layer found
 * (module parameters), handlers that count hits and read $a, $b, $return
 * and marker arguments through loc2c C (gen-acc.sh), the program's
 * embedded symbols and CFI (up-udata), and the tapset's print_ubacktrace.
 *
 * Loaded with the probes' file offsets, it registers inode uprobes and
 * uretprobes on up-target (static, so the guest needs no libc); the
 * guest runs workloads; unloading prints what the handlers saw:
 *   up_kmod: COUNT name value
 *   up_kmod: OUT: line            (a handler's printed output)
 * With target=PID only that process and its descendants count. */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#define STP_LOCALS_SIZE 64
#include "linux/utrace.c"	/* the kernel utrace layer: task accessors */
#include "runtime.h"
#include "uprobes.c"
#include "unwind.c"
#include "loc2c.h"

MODULE_LICENSE("GPL");

static char *path;
static ulong off_add, va_add, off_add_ret, va_add_ret, off_fact, va_fact, off_fact_ret,
	va_fact_ret, off_mark, va_mark, sem_mark, off_leaf, va_leaf, off_btc, va_btc;
static int target;
module_param(path, charp, 0444);
module_param(off_add, ulong, 0444);
module_param(va_add, ulong, 0444);
module_param(off_add_ret, ulong, 0444);
module_param(va_add_ret, ulong, 0444);
module_param(off_fact, ulong, 0444);
module_param(va_fact, ulong, 0444);
module_param(off_fact_ret, ulong, 0444);
module_param(va_fact_ret, ulong, 0444);
module_param(off_mark, ulong, 0444);
module_param(va_mark, ulong, 0444);
module_param(sem_mark, ulong, 0444);
module_param(off_leaf, ulong, 0444);
module_param(va_leaf, ulong, 0444);
module_param(off_btc, ulong, 0444);
module_param(va_btc, ulong, 0444);
module_param(target, int, 0444);

#include "up-acc.h"
#include "udata.c"

/* ---- transport: a handler's output as log lines ---- */

int stp_transport_record(const char *data, size_t len)
{
	while (len) {
		size_t n = 0;

		while (n < len && data[n] != '\n')
			n++;
		pr_info("up_kmod: OUT: %.*s\n", (int)n, data);
		if (n < len)
			n++;
		data += n;
		len -= n;
	}
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	pr_info("up_kmod: CTL %u: %.*s\n", type, (int)len, text);
	return 0;
}

static const struct stp_loc *tap_loc;
#include "tapset_fns.c"

/* ---- handlers ---- */

static atomic64_t k_add, k_add_ret, k_fact, k_fact_ret, k_mark, k_sum_a, k_sum_b, k_sum_ret,
	k_mark1, k_mark2, k_bad, k_bt, k_bt_ret;

static int64_t k_read(struct stp_context *c, int (*fn)(struct l2c_frame *, int64_t *))
{
	struct l2c_frame fr = { .regs = c->regs, .bias = stp_uprobe_bias(c) };
	int64_t v = 0;

	if (fn(&fr, &v) < 0)
		atomic64_inc(&k_bad);
	return v;
}

/* The registers are the probed task's at the probed address. */
static void k_check(struct stp_context *c)
{
	unsigned long want = stp_uprobe_ret_addr(c) ? stp_uprobe_ret_addr(c) : stp_uprobe_addr(c);

	if (!c->regs || c->task != current || instruction_pointer(c->regs) != want)
		atomic64_inc(&k_bad);
}

static void h_add(struct stp_context *c)
{
	k_check(c);
	atomic64_inc(&k_add);
	atomic64_add(k_read(c, acc_add_a), &k_sum_a);
	atomic64_add(k_read(c, acc_add_b), &k_sum_b);
}

static void h_add_ret(struct stp_context *c)
{
	k_check(c);
	atomic64_inc(&k_add_ret);
	atomic64_add(k_read(c, acc_add_ret), &k_sum_ret);
}

static void h_fact(struct stp_context *c)
{
	k_check(c);
	atomic64_inc(&k_fact);
}

static void h_fact_ret(struct stp_context *c)
{
	k_check(c);
	atomic64_inc(&k_fact_ret);
}

static void h_mark(struct stp_context *c)
{
	k_check(c);
	atomic64_inc(&k_mark);
	atomic64_add(k_read(c, acc_mark_1), &k_mark1);
	atomic64_add(k_read(c, acc_mark_2), &k_mark2);
}

static void h_leaf(struct stp_context *c)
{
	k_check(c);
	if (atomic64_inc_return(&k_bt) > 1)
		return;
	tap_usymname_1(c, c->str_tmp, (int64_t)instruction_pointer(c->regs));
	stp_print_str(c, "usymname ");
	stp_print_str(c, c->str_tmp);
	tap_umodname_1(c, c->str_tmp, (int64_t)instruction_pointer(c->regs));
	stp_print_str(c, "\numodname ");
	stp_print_str(c, c->str_tmp);
	stp_print_str(c, "\nprint_ubacktrace\n");
	tap_print_ubacktrace_0(c);
	stp_print_str(c, "end\n");
}

static void h_btc_ret(struct stp_context *c)
{
	k_check(c);
	if (atomic64_inc_return(&k_bt_ret) > 1)
		return;
	stp_print_str(c, "return print_ubacktrace\n");
	tap_print_ubacktrace_0(c);
	stp_print_str(c, "end\n");
}

#define K_PROBE(name, fn, text) \
	static const struct stp_probe name = { .pp = text, .handler = fn, \
					       .state = STP_SESSION_RUNNING }
K_PROBE(p_add, h_add, "process.function(\"up_add\")");
K_PROBE(p_add_ret, h_add_ret, "process.function(\"up_add\").return");
K_PROBE(p_fact, h_fact, "process.function(\"up_fact\")");
K_PROBE(p_fact_ret, h_fact_ret, "process.function(\"up_fact\").return");
K_PROBE(p_mark, h_mark, "process.mark(\"tick\")");
K_PROBE(p_leaf, h_leaf, "process.function(\"up_bt_leaf\")");
K_PROBE(p_btc_ret, h_btc_ret, "process.function(\"up_bt_c\").return");

static struct stp_uprobe k_table[7];

static int __init up_kmod_init(void)
{
	int rc;

	if (!path)
		return -EINVAL;
	k_table[0] = (struct stp_uprobe){ &p_add, path, off_add, va_add };
	k_table[1] = (struct stp_uprobe){ &p_add_ret, path, off_add_ret, va_add_ret, .ret = 1 };
	k_table[2] = (struct stp_uprobe){ &p_fact, path, off_fact, va_fact };
	k_table[3] = (struct stp_uprobe){ &p_fact_ret, path, off_fact_ret, va_fact_ret, .ret = 1 };
	k_table[4] = (struct stp_uprobe){ &p_mark, path, off_mark, va_mark, .sdt_sem = sem_mark };
	k_table[5] = (struct stp_uprobe){ &p_leaf, path, off_leaf, va_leaf };
	k_table[6] = (struct stp_uprobe){ &p_btc_ret, path, off_btc, va_btc, .ret = 1 };
	stp_target_set(target, false);
	stp_usym_init(up_umodules, ARRAY_SIZE(up_umodules));
	rc = stp_utrace_init();
	if (rc)
		return rc;
	rc = stp_runtime_init();
	if (rc) {
		stp_utrace_exit();
		return rc;
	}
	stp_session_started();
	rc = stp_uprobes_start(k_table, ARRAY_SIZE(k_table));
	pr_info("up_kmod: START %d\n", rc);
	if (rc) {
		stp_session_stopping();
		stp_runtime_exit();
		stp_utrace_exit();
	}
	return rc;
}

static void __exit up_kmod_exit(void)
{
	struct stp_uprobe_stats st;

	stp_uprobes_stop();
	stp_runtime_quiesce();
	stp_session_stopping();
	stp_runtime_exit();
	stp_utrace_exit();
	stp_uprobes_stats(&st);
	pr_info("up_kmod: COUNT up_add %lld returns %lld\n", atomic64_read(&k_add),
		atomic64_read(&k_add_ret));
	pr_info("up_kmod: COUNT sum_a %lld sum_b %lld sum_ret %lld\n", atomic64_read(&k_sum_a),
		atomic64_read(&k_sum_b), atomic64_read(&k_sum_ret));
	pr_info("up_kmod: COUNT up_fact %lld returns %lld\n", atomic64_read(&k_fact),
		atomic64_read(&k_fact_ret));
	pr_info("up_kmod: COUNT mark %lld arg1 %lld arg2 %lld\n", atomic64_read(&k_mark),
		atomic64_read(&k_mark1), atomic64_read(&k_mark2));
	pr_info("up_kmod: COUNT bad %lld\n", atomic64_read(&k_bad));
	pr_info("up_kmod: COUNT registered %ld removed %ld sem %ld failures %ld\n", st.inserted,
		st.removed, st.sem_incs, st.failures);
}

module_init(up_kmod_init);
module_exit(up_kmod_exit);
