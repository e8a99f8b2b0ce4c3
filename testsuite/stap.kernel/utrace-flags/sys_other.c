// SPDX-License-Identifier: GPL-2.0
/* Another user of the raw_syscalls sys_enter tracepoint (like perf or
 * bpftrace): counts the getppid calls of tasks named "ktp".  The utrace
 * layer must not hide any task's syscalls from it. */
#include <linux/module.h>
#include <linux/tracepoint.h>
#include <linux/string.h>
#include <asm/unistd.h>

static int count;
module_param(count, int, 0444);
static struct tracepoint *sys_enter_tp;

static void other_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		sys_enter_tp = tp;
}

static void other_sys_enter(void *data, struct pt_regs *regs, long id)
{
	if (id == __NR_getppid && !strcmp(current->comm, "ktp"))
		count++;
}

static int __init other_init(void)
{
	for_each_kernel_tracepoint(other_find, NULL);
	if (!sys_enter_tp)
		return -ENOENT;
	return tracepoint_probe_register(sys_enter_tp, other_sys_enter, NULL);
}

static void __exit other_exit(void)
{
	tracepoint_probe_unregister(sys_enter_tp, other_sys_enter, NULL);
	tracepoint_synchronize_unregister();
}

module_init(other_init);
module_exit(other_exit);
MODULE_LICENSE("GPL");
