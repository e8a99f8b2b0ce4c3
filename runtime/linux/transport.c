// SPDX-License-Identifier: GPL-2.0
/* Kernel transport: parameters, the debugfs folder, the lifecycle. */
#include "transport.h"
#include <linux/debugfs.h>
#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/stringify.h>
#include <linux/workqueue.h>

/* staprun refuses modules without this, and checks the version. */
MODULE_INFO(stap_transport, __stringify(STP_PROTOCOL_VERSION));

static unsigned int stp_bufsize;
module_param_named(_stp_bufsize, stp_bufsize, uint, 0444);
MODULE_PARM_DESC(_stp_bufsize, "per-CPU buffer in MB (staprun -b); 0: subbuf_size x nsubbufs");
static unsigned int stp_subbuf_size = 16384;
module_param_named(_stp_subbuf_size, stp_subbuf_size, uint, 0444);
MODULE_PARM_DESC(_stp_subbuf_size, "relay sub-buffer bytes, 4096..64M: bounds one record");
static unsigned int stp_nsubbufs = 64;
module_param_named(_stp_nsubbufs, stp_nsubbufs, uint, 0444);
MODULE_PARM_DESC(_stp_nsubbufs, "relay sub-buffers per CPU");

unsigned long stp_pending;

static struct dentry *stp_parent, *stp_dir;
static bool stp_parent_looked_up;
static struct workqueue_struct *stp_wq;
static struct work_struct stp_start_work, stp_stop_work;
static struct stp_msg_start stp_start_msg;
static s32 stp_target;
static s32 stp_start_status;
static bool stp_exit_requested;
static bool stp_stop_queued;
static u32 stp_buffer_bytes;

static DEFINE_MUTEX(stp_life_lock);
static enum {
	STP_LIFE_LOADED,
	STP_LIFE_STARTING,
	STP_LIFE_STARTED,
	STP_LIFE_STOPPING,
	STP_LIFE_STOPPED,
} stp_life;

s32 stp_transport_target_pid(void)
{
	return READ_ONCE(stp_target);
}

bool stp_transport_target_held(void)
{
	return READ_ONCE(stp_target) > 0 && (stp_start_msg.flags & STP_START_HELD);
}

u32 stp_transport_buffer_bytes(void)
{
	return stp_buffer_bytes;
}

bool stp_life_exit_requested(void)
{
	return READ_ONCE(stp_exit_requested);
}

/* Called by stp_transport_ctl: any context, so only a flag and a kick. */
void stp_life_note_exit(void)
{
	WRITE_ONCE(stp_exit_requested, true);
	set_bit(STP_PEND_EXIT, &stp_pending);
	stp_ctl_kick();
}

static void stp_start_fn(struct work_struct *work)
{
	int rc;

	WRITE_ONCE(stp_target, stp_start_msg.target_pid);
	rc = stp_probes_start();
	mutex_lock(&stp_life_lock);
	stp_start_status = rc;
	/* Probes that failed to start cleaned up after themselves. */
	stp_life = rc ? STP_LIFE_STOPPED : STP_LIFE_STARTED;
	mutex_unlock(&stp_life_lock);
	smp_mb__before_atomic();
	set_bit(STP_PEND_STARTED, &stp_pending);
	stp_ctl_kick();
}

static void stp_stop_fn(struct work_struct *work)
{
	bool run;

	mutex_lock(&stp_life_lock);
	run = stp_life == STP_LIFE_STARTED;
	if (run)
		stp_life = STP_LIFE_STOPPING;
	mutex_unlock(&stp_life_lock);
	if (run)
		stp_probes_stop();
	mutex_lock(&stp_life_lock);
	stp_life = STP_LIFE_STOPPED;
	mutex_unlock(&stp_life_lock);
	/* Every drop and message of the end probes is counted before this. */
	smp_mb__before_atomic();
	set_bit(STP_PEND_STOPPED, &stp_pending);
	stp_ctl_kick();
}

static struct path stp_start_root;
static bool stp_start_root_set;

bool stp_transport_root(struct path *root)
{
	if (!READ_ONCE(stp_start_root_set))
		return false;
	*root = stp_start_root;
	path_get(root);
	return true;
}

/* In the writer's context: staprun's. */
int stp_life_start(const struct stp_msg_start *m)
{
	int rc = 0;

	mutex_lock(&stp_life_lock);
	if (stp_life != STP_LIFE_LOADED) {
		rc = -EBUSY;
	} else {
		stp_life = STP_LIFE_STARTING;
		stp_start_msg = *m;
		if (!stp_start_root_set && current->fs) {
			get_fs_root(current->fs, &stp_start_root);
			WRITE_ONCE(stp_start_root_set, true);
		}
		queue_work(stp_wq, &stp_start_work);
	}
	mutex_unlock(&stp_life_lock);
	return rc;
}

void stp_life_stop(void)
{
	mutex_lock(&stp_life_lock);
	if (!stp_stop_queued) {
		stp_stop_queued = true;
		queue_work(stp_wq, &stp_stop_work);
	} else if (stp_life == STP_LIFE_STOPPED) {
		/* A reader that attached after the stop still gets STOPPED. */
		set_bit(STP_PEND_STOPPED, &stp_pending);
		stp_ctl_kick();
	}
	mutex_unlock(&stp_life_lock);
}

u32 stp_life_ready_flags(void)
{
	u32 flags = 0;

	mutex_lock(&stp_life_lock);
	if (stp_life == STP_LIFE_STARTING || stp_life == STP_LIFE_STARTED ||
	    stp_life == STP_LIFE_STOPPING)
		flags |= STP_READY_STARTED;
	if (stp_life == STP_LIFE_STOPPED)
		flags |= STP_READY_STOPPED;
	mutex_unlock(&stp_life_lock);
	return flags;
}

s32 stp_life_start_status(void)
{
	return READ_ONCE(stp_start_status);
}

/* Modules share /sys/kernel/debug/systemtap: create it or find it, and
 * never remove it, since another module may be creating its folder. */
static int stp_find_parent(void)
{
	struct dentry *d = debugfs_lookup("systemtap", NULL);

	if (d) {
		stp_parent = d;
		stp_parent_looked_up = true;
		return 0;
	}
	d = debugfs_create_dir("systemtap", NULL);
	if (IS_ERR(d) && PTR_ERR(d) == -EEXIST) {
		d = debugfs_lookup("systemtap", NULL);
		if (!d)
			return -ENOENT;
		stp_parent_looked_up = true;
	}
	if (IS_ERR_OR_NULL(d))
		return d ? PTR_ERR(d) : -ENODEV;
	stp_parent = d;
	return 0;
}

int stp_transport_init(void)
{
	u64 n_subbufs = stp_nsubbufs;
	int rc;

	if (stp_subbuf_size < 4096 || stp_subbuf_size > (64u << 20)) {
		pr_err("%s: _stp_subbuf_size=%u is not within 4096..64M\n",
		       THIS_MODULE->name, stp_subbuf_size);
		return -EINVAL;
	}
	if (stp_bufsize > 4095) {
		pr_err("%s: _stp_bufsize=%u is not within 1..4095 (MB)\n",
		       THIS_MODULE->name, stp_bufsize);
		return -EINVAL;
	}
	if (stp_bufsize)
		n_subbufs = div_u64((u64)stp_bufsize << 20, stp_subbuf_size);
	if (n_subbufs < 2 || n_subbufs > (1u << 20)) {
		pr_err("%s: %llu relay sub-buffers is not within 2..1M\n",
		       THIS_MODULE->name, n_subbufs);
		return -EINVAL;
	}
	stp_buffer_bytes = (u32)min_t(u64, n_subbufs * stp_subbuf_size, U32_MAX);

	stp_wq = alloc_ordered_workqueue("%s", 0, THIS_MODULE->name);
	if (!stp_wq)
		return -ENOMEM;
	INIT_WORK(&stp_start_work, stp_start_fn);
	INIT_WORK(&stp_stop_work, stp_stop_fn);

	rc = stp_find_parent();
	if (rc)
		goto out_wq;
	stp_dir = debugfs_create_dir(THIS_MODULE->name, stp_parent);
	if (IS_ERR(stp_dir)) {
		rc = PTR_ERR(stp_dir);
		stp_dir = NULL;
		goto out_parent;
	}
	rc = stp_relay_init(stp_dir, stp_subbuf_size, (size_t)n_subbufs);
	if (rc)
		goto out_dir;
	rc = stp_ctl_init(stp_dir);
	if (rc)
		goto out_relay;
	return 0;

out_relay:
	stp_relay_exit();
out_dir:
	debugfs_remove(stp_dir);
out_parent:
	if (stp_parent_looked_up)
		dput(stp_parent);
out_wq:
	destroy_workqueue(stp_wq);
	return rc;
}

void stp_transport_exit(void)
{
	bool run;

	/* No reader can be attached (an open ctl holds the module), and
	 * the workqueue finishes a START or STOP that is under way. */
	destroy_workqueue(stp_wq);
	mutex_lock(&stp_life_lock);
	run = stp_life == STP_LIFE_STARTED;
	stp_life = STP_LIFE_STOPPED;
	mutex_unlock(&stp_life_lock);
	/* Unloaded while running (staprun -d of a detached module whose
	 * reader vanished, or a forced exit): the end probes still run. */
	if (run)
		stp_probes_stop();
	stp_ctl_exit();
	stp_relay_exit();
	debugfs_remove(stp_dir);
	if (stp_parent_looked_up)
		dput(stp_parent);
	if (stp_start_root_set)
		path_put(&stp_start_root);
}
