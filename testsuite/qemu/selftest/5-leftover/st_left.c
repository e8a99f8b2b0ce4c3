// SPDX-License-Identifier: GPL-2.0
/* A module the test forgets to unload. */
#include <linux/module.h>

static int __init st_left_init(void)
{
	return 0;
}

static void __exit st_left_exit(void)
{
}

module_init(st_left_init);
module_exit(st_left_exit);
MODULE_LICENSE("GPL");
