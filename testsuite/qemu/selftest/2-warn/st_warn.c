// SPDX-License-Identifier: GPL-2.0
/* Makes the kernel WARN: with panic_on_warn the guest dies. */
#include <linux/module.h>

static int __init st_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

module_init(st_warn_init);
MODULE_LICENSE("GPL");
