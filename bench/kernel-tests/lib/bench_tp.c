// SPDX-License-Identifier: GPL-2.0
/* The peer: a minimal raw_syscalls:sys_enter probe counting the syscalls
 * of one process (target=PID) by number, with no utrace layer.  Like any
 * sys_enter user, it makes the kernel flag every task. */
#include <linux/module.h>
#include <linux/tracepoint.h>
#include <linux/string.h>

static int target;
module_param(target, int, 0444);
static unsigned long tp_counts[512];
static struct tracepoint *tp_sys_enter;

static void tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_sys_enter = tp;
}

static void tp_probe(void *data, struct pt_regs *regs, long id)
{
	if (current->tgid == target && id >= 0 && id < (long)ARRAY_SIZE(tp_counts))
		tp_counts[id]++;
}

static int __init tp_init(void)
{
	for_each_kernel_tracepoint(tp_find, NULL);
	if (!tp_sys_enter)
		return -ENOENT;
	return tracepoint_probe_register(tp_sys_enter, tp_probe, NULL);
}

static void __exit tp_exit(void)
{
	tracepoint_probe_unregister(tp_sys_enter, tp_probe, NULL);
	tracepoint_synchronize_unregister();
}

module_init(tp_init);
module_exit(tp_exit);
MODULE_LICENSE("GPL");
