// SPDX-License-Identifier: GPL-2.0
/* A hand-written module on the kernel transport, standing in for generated
 * code: it includes the transport's sources as generated modules do,
 * defines stp_probes_start/stop and behaves as its "mode" parameter says.
 * guest.sh drives it with staprun inside a qemu guest. */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "runtime/linux/transport.c"
#include "runtime/linux/transport_relay.c"
#include "runtime/linux/transport_ctl.c"

static char *mode = "hello";
module_param(mode, charp, 0444);
static long count = 10;
module_param(count, long, 0444);
static long size = 32;
module_param(size, long, 0444);

static struct task_struct *kt_threads[NR_CPUS];
static atomic_t kt_running;
static DEFINE_SPINLOCK(kt_lock);
static long kt_counter;

static bool kt_is(const char *m)
{
	return !strcmp(mode, m);
}

static void kt_out(const char *fmt, ...) __printf(1, 2);
static void kt_out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stp_transport_record(buf, n);
}

static void kt_ctl(unsigned int type, const char *text)
{
	stp_transport_ctl(type, text, strlen(text));
}

/* Each CPU's thread numbers its records from one counter under one lock,
 * so the numbers must come out in order although every CPU writes to its
 * own channel. */
static int kt_thread(void *unused)
{
	long i;

	for (i = 0; i < count; i++) {
		unsigned long flags;
		long n;

		spin_lock_irqsave(&kt_lock, flags);
		n = ++kt_counter;
		kt_out("%ld cpu%d\n", n, smp_processor_id());
		spin_unlock_irqrestore(&kt_lock, flags);
		if (!(i & 63))
			cond_resched();
	}
	if (atomic_dec_and_test(&kt_running))
		kt_ctl(STP_MSG_REQUEST_EXIT, "");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int kt_start_threads(void)
{
	unsigned int cpu;

	atomic_set(&kt_running, num_online_cpus());
	for_each_online_cpu(cpu) {
		struct task_struct *t = kthread_create_on_cpu(kt_thread, NULL, cpu, "stp_ktest/%u");

		if (IS_ERR(t))
			return PTR_ERR(t);
		kt_threads[cpu] = t;
	}
	for_each_online_cpu(cpu)
		wake_up_process(kt_threads[cpu]);
	return 0;
}

/* Whether the -c command is still held before exec: its name is then
 * still staprun's. */
static void kt_report_target(void)
{
	struct task_struct *t;
	char comm[TASK_COMM_LEN] = "none";
	pid_t pid = stp_transport_target_pid();

	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_comm(comm, t);
	rcu_read_unlock();
	kt_out("target=%d comm=%s\n", pid, comm);
}

int stp_probes_start(void)
{
	long i;

	if (kt_is("hello")) {
		kt_out("hello\n");
		kt_ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (kt_is("multicpu")) {
		return kt_start_threads();
	} else if (kt_is("overflow")) {
		char *rec = kmalloc(size, GFP_KERNEL);

		if (!rec)
			return -ENOMEM;
		for (i = 0; i < count; i++) {
			/* Whole lines of size bytes: "NNNNNNNN xxxx...\n". */
			memset(rec, 'x', size);
			snprintf(rec, size, "%08ld ", i);
			rec[9] = 'x';
			rec[size - 1] = '\n';
			stp_transport_record(rec, size);
		}
		kfree(rec);
		kt_ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (kt_is("ctl")) {
		kt_out("a\n");
		kt_ctl(STP_MSG_WARNING, "w1");
		kt_out("b\n");
		kt_ctl(STP_MSG_ERROR, "e1");
		kt_ctl(STP_MSG_SYSTEM, "echo sys");
		kt_out("c\n");
		kt_ctl(STP_MSG_REQUEST_EXIT, "");
	} else if (kt_is("target")) {
		kt_report_target();
	} else if (kt_is("sigint") || kt_is("stuck")) {
		kt_out("started\n");
	} else if (kt_is("startfail")) {
		kt_ctl(STP_MSG_ERROR, "probe registration failed");
		return -EINVAL;
	}
	return 0;
}

void stp_probes_stop(void)
{
	unsigned int cpu;
	int i;

	for_each_online_cpu(cpu) {
		if (kt_threads[cpu])
			kthread_stop(kt_threads[cpu]);
		kt_threads[cpu] = NULL;
	}
	if (kt_is("hello") || kt_is("target"))
		kt_out("bye\n");
	else if (kt_is("sigint"))
		kt_out("stopped\n");
	else if (kt_is("stuck")) {
		kt_out("stopping\n");
		/* Long enough for three interrupts; bounded, so unloading
		 * cannot hang the guest. */
		for (i = 0; i < 40; i++)
			msleep(100);
	}
}

static int __init kt_init(void)
{
	return stp_transport_init();
}

static void __exit kt_exit(void)
{
	stp_transport_exit();
}

module_init(kt_init);
module_exit(kt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ustap kernel transport test module");
