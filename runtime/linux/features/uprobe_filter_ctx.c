/* STP_HAVE_UPROBE_FILTER_CTX: a consumer's filter() takes an enum uprobe_filter_ctx (before 6.10) */
#include <linux/uprobes.h>

static bool stp_filter(struct uprobe_consumer *self, enum uprobe_filter_ctx ctx,
		       struct mm_struct *mm)
{
	return true;
}

struct uprobe_consumer stp_feature = { .filter = stp_filter };
