// SPDX-License-Identifier: GPL-2.0
/* Prints what a kernel bug report starts with, without crashing. */
#include <linux/module.h>

static int __init st_bug_init(void)
{
	pr_err("BUG: ktest self-test\n");
	return 0;
}

static void __exit st_bug_exit(void)
{
}

module_init(st_bug_init);
module_exit(st_bug_exit);
MODULE_LICENSE("GPL");
