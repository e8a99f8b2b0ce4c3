/* STP_HAVE_UPROBE_HANDLER_DATA: handler() and ret_handler() take a __u64 *data (6.12+) */
#include <linux/uprobes.h>

static int stp_handler(struct uprobe_consumer *self, struct pt_regs *regs, __u64 *data)
{
	return 0;
}

struct uprobe_consumer stp_feature = { .handler = stp_handler };
