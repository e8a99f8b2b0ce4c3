/* STP_HAVE_UPROBE_UNREGISTER_NOSYNC: uprobe_register() returns a struct uprobe *, taken out with uprobe_unregister_nosync() and uprobe_unregister_sync() (6.12+) */
#include <linux/uprobes.h>

void stp_feature(struct inode *inode, struct uprobe_consumer *uc);
void stp_feature(struct inode *inode, struct uprobe_consumer *uc)
{
	struct uprobe *u = uprobe_register(inode, 0x1000, 0x2000, uc);

	if (!IS_ERR(u))
		uprobe_unregister_nosync(u, uc);
	uprobe_unregister_sync();
}
