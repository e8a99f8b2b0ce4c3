/* STP_HAVE_UPROBE_REGISTER_REFCTR: uprobe_register_refctr() bumps an SDT semaphore (4.20 to 6.11) */
#include <linux/uprobes.h>

int stp_feature(struct inode *inode, struct uprobe_consumer *uc);
int stp_feature(struct inode *inode, struct uprobe_consumer *uc)
{
	return uprobe_register_refctr(inode, 0x1000, 0x2000, uc);
}
