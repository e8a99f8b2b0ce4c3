/* The kernel's uprobe API across versions, for runtime/linux/uprobes.c.
 * The defines come from the kbuild feature test pass 4 runs
 * (runtime/linux/probe-features.sh, features/uprobe_*.c):
 *
 *   6.1 ... 6.11: int uprobe_register_refctr(inode, offset, ref_ctr, uc),
 *                 void uprobe_unregister(inode, offset, uc)
 *   6.12+:        struct uprobe *uprobe_register(inode, offset, ref_ctr, uc),
 *                 uprobe_unregister_nosync(uprobe, uc) + uprobe_unregister_sync()
 *   filter(self, ctx, mm) before 6.10, filter(self, mm) after;
 *   handler(self, regs) and ret_handler(self, func, regs), with a __u64
 *   *data at the end from 6.12. */
#ifndef RUNTIME_LINUX_UPROBES_COMPAT_H
#define RUNTIME_LINUX_UPROBES_COMPAT_H

#include <linux/uprobes.h>

#include "ustap_features.h"

#ifdef STP_HAVE_UPROBE_HANDLER_DATA
#define STP_UPROBE_DATA_PARAM , __u64 *data
#else
#define STP_UPROBE_DATA_PARAM
#endif

#ifdef STP_HAVE_UPROBE_FILTER_CTX
#define STP_UPROBE_FILTER_PARAMS struct uprobe_consumer *self, enum uprobe_filter_ctx ctx, \
				 struct mm_struct *mm
#else
#define STP_UPROBE_FILTER_PARAMS struct uprobe_consumer *self, struct mm_struct *mm
#endif

/* What registration keeps for unregistration. */
struct stp_uprobe_reg {
	struct inode *inode;
	loff_t offset;
#ifdef STP_HAVE_UPROBE_UNREGISTER_NOSYNC
	struct uprobe *uprobe;
#endif
};

static inline int stp_uprobe_register(struct stp_uprobe_reg *r, struct inode *inode, loff_t offset,
				      loff_t ref_ctr, struct uprobe_consumer *uc)
{
	r->inode = inode;
	r->offset = offset;
#ifdef STP_HAVE_UPROBE_UNREGISTER_NOSYNC
	r->uprobe = uprobe_register(inode, offset, ref_ctr, uc);
	return IS_ERR(r->uprobe) ? PTR_ERR(r->uprobe) : 0;
#elif defined(STP_HAVE_UPROBE_REGISTER_REFCTR)
	return uprobe_register_refctr(inode, offset, ref_ctr, uc);
#else
	/* Before 4.20 no semaphores: a marker guarded by one never fires. */
	return ref_ctr ? -EOPNOTSUPP : uprobe_register(inode, offset, uc);
#endif
}

/* Unregisters; stp_uprobe_unregister_sync() afterwards waits until no
 * handler of these consumers runs any more. */
static inline void stp_uprobe_unregister(struct stp_uprobe_reg *r, struct uprobe_consumer *uc)
{
#ifdef STP_HAVE_UPROBE_UNREGISTER_NOSYNC
	uprobe_unregister_nosync(r->uprobe, uc);
#else
	/* Waits for the consumer's handlers itself. */
	uprobe_unregister(r->inode, r->offset, uc);
#endif
}

static inline void stp_uprobe_unregister_sync(void)
{
#ifdef STP_HAVE_UPROBE_UNREGISTER_NOSYNC
	uprobe_unregister_sync();
#endif
}

#endif
