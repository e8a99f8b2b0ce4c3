// SPDX-License-Identifier: GPL-2.0
/* Records in per-CPU relay channels.
 *
 * A record is its stp_record header and its bytes, written into the
 * current CPU's sub-buffer with interrupts off, so nothing on this CPU
 * can come between taking the sequence number and finishing the copy:
 * each channel holds its records whole and in increasing order, which is
 * what stapio's merge relies on.  The sub-buffer's offset moves only after
 * the copy, so a reader (relay read() returns what a sub-buffer holds so
 * far) never sees half a record.  A full buffer drops the record (relay in
 * no-overwrite mode) and counts it; numbers are taken only by records that
 * were written, so a gap in the sequence is never a drop. */
#include "transport.h"
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/relay.h>
#include <linux/string.h>

static struct rchan *stp_chan;
static atomic64_t stp_seq = ATOMIC64_INIT(0);
static DEFINE_PER_CPU(unsigned long, stp_dropped);
static DEFINE_PER_CPU(int, stp_writing);

static struct dentry *stp_relay_create(const char *filename, struct dentry *parent,
				       umode_t mode, struct rchan_buf *buf, int *is_global)
{
	struct dentry *d = debugfs_create_file(filename, 0400, parent, buf,
					       &relay_file_operations);

	return IS_ERR(d) ? NULL : d;
}

static int stp_relay_remove(struct dentry *dentry)
{
	debugfs_remove(dentry);
	return 0;
}

static int stp_relay_subbuf_start(struct rchan_buf *buf, void *subbuf, void *prev_subbuf,
				  size_t prev_padding)
{
	return !relay_buf_full(buf);
}

static const struct rchan_callbacks stp_relay_callbacks = {
	.subbuf_start = stp_relay_subbuf_start,
	.create_buf_file = stp_relay_create,
	.remove_buf_file = stp_relay_remove,
};

int stp_relay_init(struct dentry *dir, size_t subbuf_size, size_t n_subbufs)
{
	stp_chan = relay_open("trace", dir, subbuf_size, n_subbufs, &stp_relay_callbacks, NULL);
	return stp_chan ? 0 : -ENOMEM;
}

void stp_relay_exit(void)
{
	struct rchan *chan = stp_chan;

	WRITE_ONCE(stp_chan, NULL);
	if (chan)
		relay_close(chan);
}

unsigned long stp_relay_dropped(unsigned int cpu)
{
	return READ_ONCE(per_cpu(stp_dropped, cpu));
}

u64 stp_relay_next_seq(void)
{
	return (u64)atomic64_read(&stp_seq);
}

size_t stp_transport_max_record(void)
{
	struct rchan *chan = READ_ONCE(stp_chan);

	return chan ? chan->subbuf_size - sizeof(struct stp_record) : 0;
}

int stp_transport_record(const char *data, size_t len)
{
	struct rchan *chan = READ_ONCE(stp_chan);
	size_t total = sizeof(struct stp_record) + len;
	struct stp_record hdr;
	struct rchan_buf *buf;
	unsigned long flags;
	char *dst;
	int rc = 0;

	if (unlikely(!chan))
		return -ENODEV;
	local_irq_save(flags);
	/* Only an NMI can get here while this CPU is writing. */
	if (unlikely(__this_cpu_read(stp_writing)) || unlikely(total > chan->subbuf_size)) {
		rc = total > chan->subbuf_size ? -E2BIG : -EBUSY;
		goto drop;
	}
	__this_cpu_write(stp_writing, 1);
	buf = *this_cpu_ptr(chan->buf);
	if (unlikely(!buf)) {
		rc = -ENODEV;
		goto drop_writing;
	}
	if (unlikely(buf->offset + total > chan->subbuf_size) &&
	    !relay_switch_subbuf(buf, total)) {
		rc = -ENOSPC;
		goto drop_writing;
	}
	hdr.seq = (u64)atomic64_inc_return(&stp_seq) - 1;
	hdr.len = (u32)len;
	hdr.cpu = smp_processor_id();
	dst = (char *)buf->data + buf->offset;
	memcpy(dst, &hdr, sizeof(hdr));
	memcpy(dst + sizeof(hdr), data, len);
	/* The bytes before the offset that publishes them. */
	smp_wmb();
	WRITE_ONCE(buf->offset, buf->offset + total);
	__this_cpu_write(stp_writing, 0);
	local_irq_restore(flags);
	return 0;

drop_writing:
	__this_cpu_write(stp_writing, 0);
drop:
	__this_cpu_inc(stp_dropped);
	local_irq_restore(flags);
	return rc;
}
