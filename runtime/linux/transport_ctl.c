// SPDX-License-Identifier: GPL-2.0
/* The control file: stp_msg frames both ways.
 *
 * Probes queue WARNING, ERROR and SYSTEM text in a byte FIFO under a
 * spinlock (any context but NMI; a full FIFO drops and counts).  Each is
 * preceded by a SEQ frame when records were written since the last one,
 * so stapio prints the records produced before a message before the
 * message.  Everything else stapio must learn (READY, STARTED, STOPPED,
 * REQUEST_EXIT, LOST counts) is state, turned into frames when read, so
 * it can never be lost to a full queue.  Waking the reader from probe
 * context could take scheduler locks a probe already holds: wakeups go
 * through an irq_work. */
#include "transport.h"
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kfifo.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define STP_CTL_FIFO_BYTES (64 * 1024)
#define STP_CTL_READ_MAX (64 * 1024)
/* A reader's buffer must hold the largest frame pair (SEQ + text). */
#define STP_CTL_READ_MIN (2 * sizeof(struct stp_msg) + sizeof(struct stp_msg_seq) + \
			  STP_CTL_TEXT_MAX)

static struct dentry *stp_ctl_file;
static struct kfifo stp_ctl_fifo;
static DEFINE_SPINLOCK(stp_ctl_qlock);
static u64 stp_ctl_seq_sent;
static DECLARE_WAIT_QUEUE_HEAD(stp_ctl_wait);
static unsigned long stp_ctl_open_bit;
static DEFINE_MUTEX(stp_ctl_rlock);
static atomic_t stp_ctl_drops = ATOMIC_INIT(0), stp_ctl_drops_err = ATOMIC_INIT(0);
static unsigned int stp_ctl_drops_sent, stp_ctl_drops_err_sent;	/* under rlock */
static unsigned long *stp_ctl_lost_sent;	/* per CPU, under rlock */

static void stp_ctl_wake(struct irq_work *w)
{
	wake_up_interruptible(&stp_ctl_wait);
}

/* Initialised statically: an exit() before init must not queue garbage. */
static DEFINE_IRQ_WORK(stp_ctl_iw, stp_ctl_wake);

void stp_ctl_kick(void)
{
	irq_work_queue(&stp_ctl_iw);
}

static void stp_ctl_drop(unsigned int type)
{
	atomic_inc(&stp_ctl_drops);
	if (type == STP_MSG_ERROR)
		atomic_inc(&stp_ctl_drops_err);
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	struct stp_msg m = { .type = type };
	unsigned long flags;
	size_t need;
	u64 next;

	switch (type) {
	case STP_MSG_REQUEST_EXIT:
		stp_life_note_exit();
		return 0;
	case STP_MSG_WARNING:
	case STP_MSG_ERROR:
	case STP_MSG_SYSTEM:
		break;
	default:
		return -EINVAL;
	}
	if (in_nmi()) {
		stp_ctl_drop(type);
		return -EBUSY;
	}
	if (len > STP_CTL_TEXT_MAX)
		len = STP_CTL_TEXT_MAX;
	m.len = (u32)len;
	need = sizeof(m) + len;
	spin_lock_irqsave(&stp_ctl_qlock, flags);
	next = stp_relay_next_seq();
	if (next != stp_ctl_seq_sent)
		need += sizeof(m) + sizeof(struct stp_msg_seq);
	if (kfifo_avail(&stp_ctl_fifo) < need) {
		spin_unlock_irqrestore(&stp_ctl_qlock, flags);
		stp_ctl_drop(type);
		stp_ctl_kick();
		return -ENOSPC;
	}
	if (next != stp_ctl_seq_sent) {
		struct stp_msg sm = { .type = STP_MSG_SEQ, .len = sizeof(struct stp_msg_seq) };
		struct stp_msg_seq seq = { .next_seq = next };

		kfifo_in(&stp_ctl_fifo, (unsigned char *)&sm, sizeof(sm));
		kfifo_in(&stp_ctl_fifo, (unsigned char *)&seq, sizeof(seq));
		stp_ctl_seq_sent = next;
	}
	kfifo_in(&stp_ctl_fifo, (unsigned char *)&m, sizeof(m));
	kfifo_in(&stp_ctl_fifo, (const unsigned char *)text, len);
	spin_unlock_irqrestore(&stp_ctl_qlock, flags);
	stp_ctl_kick();
	return 0;
}

static bool stp_ctl_lost_pending(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (stp_relay_dropped(cpu) != stp_ctl_lost_sent[cpu])
			return true;
	return (unsigned int)atomic_read(&stp_ctl_drops) != stp_ctl_drops_sent;
}

static bool stp_ctl_pending(void)
{
	return READ_ONCE(stp_pending) || !kfifo_is_empty(&stp_ctl_fifo) || stp_ctl_lost_pending();
}

/* Appends one frame if it fits; false when the buffer is full. */
static bool stp_ctl_put(char *buf, size_t cap, size_t *n, u32 type, const void *p, u32 len)
{
	struct stp_msg m = { .type = type, .len = len };

	if (*n + sizeof(m) + len > cap)
		return false;
	memcpy(buf + *n, &m, sizeof(m));
	if (len)
		memcpy(buf + *n + sizeof(m), p, len);
	*n += sizeof(m) + len;
	return true;
}

/* Moves queued frames; false if one was left for lack of room. */
static bool stp_ctl_take_fifo(char *buf, size_t cap, size_t *n)
{
	unsigned long flags;
	struct stp_msg m;
	bool all = true;

	spin_lock_irqsave(&stp_ctl_qlock, flags);
	while (kfifo_out_peek(&stp_ctl_fifo, (unsigned char *)&m, sizeof(m)) == sizeof(m)) {
		if (*n + sizeof(m) + m.len > cap) {
			all = false;
			break;
		}
		if (kfifo_out(&stp_ctl_fifo, (unsigned char *)buf + *n, sizeof(m) + m.len) !=
		    sizeof(m) + m.len) {
			/* Cannot happen: frames go in whole under this lock. */
			kfifo_reset_out(&stp_ctl_fifo);
			break;
		}
		*n += sizeof(m) + m.len;
	}
	spin_unlock_irqrestore(&stp_ctl_qlock, flags);
	return all;
}

/* Builds what the reader gets, in the order stapio relies on: READY
 * first; LOST counts before anything that follows the drops; queued
 * messages before STARTED (begin probes' warnings) and before STOPPED. */
static size_t stp_ctl_fill(char *buf, size_t cap)
{
	bool stopped = test_bit(STP_PEND_STOPPED, &stp_pending);
	unsigned int cpu, d;
	size_t n = 0;

	smp_mb__after_atomic();
	if (test_bit(STP_PEND_READY, &stp_pending)) {
		struct stp_msg_ready r = {
			.protocol = STP_PROTOCOL_VERSION,
			.ncpus = nr_cpu_ids,
			.buffer_bytes = stp_transport_buffer_bytes(),
			.flags = stp_life_ready_flags(),
		};

		if (!stp_ctl_put(buf, cap, &n, STP_MSG_READY, &r, sizeof(r)))
			return n;
		clear_bit(STP_PEND_READY, &stp_pending);
	}
	for_each_possible_cpu(cpu) {
		unsigned long now = stp_relay_dropped(cpu);
		struct stp_msg_lost l = { .cpu = cpu };

		if (now == stp_ctl_lost_sent[cpu])
			continue;
		l.records = (u32)min_t(unsigned long, now - stp_ctl_lost_sent[cpu], U32_MAX);
		if (!stp_ctl_put(buf, cap, &n, STP_MSG_LOST, &l, sizeof(l)))
			return n;
		stp_ctl_lost_sent[cpu] += l.records;
	}
	d = (unsigned int)atomic_read(&stp_ctl_drops);
	if (d != stp_ctl_drops_sent) {
		unsigned int e = (unsigned int)atomic_read(&stp_ctl_drops_err);
		struct stp_msg_ctl_lost l = {
			.messages = d - stp_ctl_drops_sent,
			.errors = e - stp_ctl_drops_err_sent,
		};

		if (!stp_ctl_put(buf, cap, &n, STP_MSG_CTL_LOST, &l, sizeof(l)))
			return n;
		stp_ctl_drops_sent = d;
		stp_ctl_drops_err_sent = e;
	}
	if (!stp_ctl_take_fifo(buf, cap, &n))
		return n;
	if (test_bit(STP_PEND_STARTED, &stp_pending)) {
		struct stp_msg_started s = { .status = stp_life_start_status() };

		if (!stp_ctl_put(buf, cap, &n, STP_MSG_STARTED, &s, sizeof(s)))
			return n;
		clear_bit(STP_PEND_STARTED, &stp_pending);
	}
	if (test_bit(STP_PEND_EXIT, &stp_pending)) {
		if (!stp_ctl_put(buf, cap, &n, STP_MSG_REQUEST_EXIT, NULL, 0))
			return n;
		clear_bit(STP_PEND_EXIT, &stp_pending);
	}
	if (stopped && kfifo_is_empty(&stp_ctl_fifo)) {
		if (!stp_ctl_put(buf, cap, &n, STP_MSG_STOPPED, NULL, 0))
			return n;
		clear_bit(STP_PEND_STOPPED, &stp_pending);
	}
	return n;
}

static ssize_t stp_ctl_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	size_t cap = min_t(size_t, count, STP_CTL_READ_MAX);
	ssize_t rc;
	size_t n;
	char *buf;

	if (count < STP_CTL_READ_MIN)
		return -EINVAL;
	buf = kmalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&stp_ctl_rlock);
	while (!(n = stp_ctl_fill(buf, cap))) {
		mutex_unlock(&stp_ctl_rlock);
		if (file->f_flags & O_NONBLOCK) {
			rc = -EAGAIN;
			goto out;
		}
		rc = wait_event_interruptible(stp_ctl_wait, stp_ctl_pending());
		if (rc)
			goto out;
		mutex_lock(&stp_ctl_rlock);
	}
	mutex_unlock(&stp_ctl_rlock);
	rc = copy_to_user(ubuf, buf, n) ? -EFAULT : (ssize_t)n;
out:
	kfree(buf);
	return rc;
}

/* One frame per write: START or STOP. */
static ssize_t stp_ctl_write(struct file *file, const char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	struct {
		struct stp_msg m;
		struct stp_msg_start start;
	} f;
	int rc = 0;

	if (count < sizeof(f.m) || count > sizeof(f))
		return -EINVAL;
	if (copy_from_user(&f, ubuf, count))
		return -EFAULT;
	if (f.m.len != count - sizeof(f.m))
		return -EINVAL;
	switch (f.m.type) {
	case STP_MSG_START:
		if (f.m.len != sizeof(f.start))
			return -EINVAL;
		rc = stp_life_start(&f.start);
		break;
	case STP_MSG_STOP:
		stp_life_stop();
		break;
	default:
		return -EINVAL;
	}
	return rc ? rc : (ssize_t)count;
}

static __poll_t stp_ctl_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &stp_ctl_wait, wait);
	if (stp_ctl_pending())
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/* One reader at a time; each new one gets READY with the current state
 * first, and a pending exit request again. */
static int stp_ctl_open(struct inode *inode, struct file *file)
{
	if (test_and_set_bit(0, &stp_ctl_open_bit))
		return -EBUSY;
	clear_bit(STP_PEND_STARTED, &stp_pending);
	clear_bit(STP_PEND_STOPPED, &stp_pending);
	if (stp_life_exit_requested())
		set_bit(STP_PEND_EXIT, &stp_pending);
	set_bit(STP_PEND_READY, &stp_pending);
	return stream_open(inode, file);
}

static int stp_ctl_release(struct inode *inode, struct file *file)
{
	clear_bit(0, &stp_ctl_open_bit);
	return 0;
}

static const struct file_operations stp_ctl_fops = {
	.owner = THIS_MODULE,
	.open = stp_ctl_open,
	.release = stp_ctl_release,
	.read = stp_ctl_read,
	.write = stp_ctl_write,
	.poll = stp_ctl_poll,
	.llseek = no_llseek,
};

int stp_ctl_init(struct dentry *dir)
{
	int rc;

	stp_ctl_lost_sent = kcalloc(nr_cpu_ids, sizeof(*stp_ctl_lost_sent), GFP_KERNEL);
	if (!stp_ctl_lost_sent)
		return -ENOMEM;
	rc = kfifo_alloc(&stp_ctl_fifo, STP_CTL_FIFO_BYTES, GFP_KERNEL);
	if (rc)
		goto out_lost;
	stp_ctl_file = debugfs_create_file("ctl", 0600, dir, NULL, &stp_ctl_fops);
	if (IS_ERR(stp_ctl_file)) {
		rc = PTR_ERR(stp_ctl_file);
		goto out_fifo;
	}
	return 0;

out_fifo:
	kfifo_free(&stp_ctl_fifo);
out_lost:
	kfree(stp_ctl_lost_sent);
	return rc;
}

void stp_ctl_exit(void)
{
	debugfs_remove(stp_ctl_file);
	irq_work_sync(&stp_ctl_iw);
	kfifo_free(&stp_ctl_fifo);
	kfree(stp_ctl_lost_sent);
}
