// SPDX-License-Identifier: GPL-2.0
/* The utrace layer with one engine counting syscall entries by number on
 * one task (target=PID), as a tracing script would.  filter=0 turns the
 * per-task syscall flag filtering off, to show what every process would
 * pay without it. */
#include "runtime/linux/utrace.c"

static int target;
module_param(target, int, 0444);
static bool filter = true;
module_param(filter, bool, 0444);

static unsigned long bench_counts[512];
static struct utrace_engine *bench_engine;
static struct task_struct *bench_task;

static u32 bench_entry(u32 action, struct utrace_engine *engine, struct pt_regs *regs)
{
	long nr = stp_syscall_nr(current, regs);

	if (nr >= 0 && nr < (long)ARRAY_SIZE(bench_counts))
		bench_counts[nr]++;
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops bench_ops = {
	.report_syscall_entry = bench_entry,
};

static int __init bench_init(void)
{
	int err;

	stp_utrace_filter_syscalls = filter;
	err = stp_utrace_init();
	if (err)
		return err;
	rcu_read_lock();
	bench_task = pid_task(find_vpid(target), PIDTYPE_PID);
	if (bench_task)
		get_task_struct(bench_task);
	rcu_read_unlock();
	if (!bench_task) {
		stp_utrace_exit();
		return -ESRCH;
	}
	bench_engine = utrace_attach_task(bench_task, UTRACE_ATTACH_CREATE, &bench_ops, NULL);
	if (IS_ERR(bench_engine)) {
		put_task_struct(bench_task);
		stp_utrace_exit();
		return PTR_ERR(bench_engine);
	}
	utrace_set_events(bench_task, bench_engine, UTRACE_EVENT(SYSCALL_ENTRY));
	return 0;
}

static void __exit bench_exit(void)
{
	utrace_control(bench_task, bench_engine, UTRACE_DETACH);
	utrace_engine_put(bench_engine);
	put_task_struct(bench_task);
	stp_utrace_exit();
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
