/* The kernel transport's parts and what they share.  Generated modules
 * include transport.c, transport_relay.c and transport_ctl.c in their one
 * translation unit (or build them as objects of the module: every
 * identifier is unique either way).
 *
 *   transport.c        module parameters, the debugfs folder, init/exit,
 *                      and the lifecycle (START and STOP run the probes'
 *                      start and stop in an ordered workqueue, so stapio
 *                      keeps reading output while they run)
 *   transport_relay.c  per-CPU relay channels trace0..N: records
 *   transport_ctl.c    the control file ctl: typed messages both ways */
#ifndef RUNTIME_LINUX_TRANSPORT_H
#define RUNTIME_LINUX_TRANSPORT_H

#include "../transport/transport.h"
#include <linux/dcache.h>
#include <linux/types.h>

/* transport_relay.c */
int stp_relay_init(struct dentry *dir, size_t subbuf_size, size_t n_subbufs);
void stp_relay_exit(void);
unsigned long stp_relay_dropped(unsigned int cpu);	/* records dropped on cpu */
u64 stp_relay_next_seq(void);

/* transport_ctl.c */
int stp_ctl_init(struct dentry *dir);
void stp_ctl_exit(void);
void stp_ctl_kick(void);	/* wakes the reader; any context but NMI */

/* transport.c: the lifecycle the control file drives and reports */
enum stp_pending_bit {
	STP_PEND_READY,		/* a reader opened ctl */
	STP_PEND_STARTED,
	STP_PEND_STOPPED,
	STP_PEND_EXIT,		/* the script asked to exit */
};
extern unsigned long stp_pending;	/* bits above */
int stp_life_start(const struct stp_msg_start *m);
/* The root directory of the process that sent START (staprun), with a
 * reference the caller drops with path_put; false before START.  The
 * probes start in a workqueue, whose root is init's: paths the script
 * names (uprobes' files) are looked up from here, so a chrooted staprun
 * finds them. */
struct path;
bool stp_transport_root(struct path *root);
void stp_life_stop(void);
u32 stp_life_ready_flags(void);
s32 stp_life_start_status(void);
bool stp_life_exit_requested(void);
void stp_life_note_exit(void);	/* any context */
u32 stp_transport_buffer_bytes(void);

#endif
