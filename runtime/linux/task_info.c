// SPDX-License-Identifier: GPL-2.0
/* runtime/task_info.h on the kernel.  Ids are those of the initial
 * namespaces, as the utrace layer's pids are.  Nothing here sleeps except
 * the functions task_info.h marks "start".  Included by
 * runtime/task_info.c. */
#ifndef RUNTIME_LINUX_TASK_INFO_C
#define RUNTIME_LINUX_TASK_INFO_C

#include <linux/cred.h>
#include <linux/mm_types.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

STP_API int stp_task_ids(struct task_struct *t, struct stp_task_ids *ids)
{
	const struct cred *cred;

	ids->uid = ids->euid = ids->gid = ids->egid = -1;
	if (!t)
		return -ESRCH;
	rcu_read_lock();
	cred = __task_cred(t);
	ids->uid = from_kuid_munged(&init_user_ns, cred->uid);
	ids->euid = from_kuid_munged(&init_user_ns, cred->euid);
	ids->gid = from_kgid_munged(&init_user_ns, cred->gid);
	ids->egid = from_kgid_munged(&init_user_ns, cred->egid);
	rcu_read_unlock();
	return 0;
}

STP_API pid_t stp_task_pgrp(struct task_struct *t)
{
	return t ? task_pgrp_nr_ns(t, &init_pid_ns) : 0;
}

STP_API pid_t stp_task_sid(struct task_struct *t)
{
	return t ? task_session_nr_ns(t, &init_pid_ns) : 0;
}

STP_API void stp_task_parent_comm(struct task_struct *t, char *buf, size_t len)
{
	struct task_struct *parent;

	if (!len)
		return;
	buf[0] = '\0';
	if (!t)
		return;
	rcu_read_lock();
	parent = rcu_dereference(t->real_parent);
	if (parent)
		__get_task_comm(buf, len, parent);
	rcu_read_unlock();
}

/* Only the current task's area can be read without sleeping: another
 * task's memory needs access_process_vm, which may. */
STP_API long stp_task_cmdline_read(struct task_struct *t, unsigned long off, char *buf,
				   size_t len)
{
	struct mm_struct *mm;
	unsigned long start, end;

	if (t != current)
		return -EINVAL;
	mm = current->mm;
	if (!mm || (current->flags & PF_KTHREAD))
		return -ESRCH;
	spin_lock(&mm->arg_lock);
	start = mm->arg_start;
	end = mm->arg_end;
	spin_unlock(&mm->arg_lock);
	if (end <= start || off >= end - start)
		return 0;
	if (len > end - start - off)
		len = end - start - off;
	if (stp_copy_from_user(buf, start + off, len))
		return -EFAULT;
	return (long)len;
}

STP_API int stp_task_thread_ids(struct task_struct *t, pid_t *tids, int max)
{
	struct task_struct *p;
	int n = 0;

	rcu_read_lock();
	for_each_thread(t, p) {
		if (n < max)
			tids[n] = task_pid_nr(p);
		n++;
	}
	rcu_read_unlock();
	return n;
}

STP_API struct task_struct *stp_task_from_tid(pid_t tid)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_pid_ns(tid, &init_pid_ns), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t;
}

STP_API void stp_task_ref(struct task_struct *t)
{
	get_task_struct(t);
}

STP_API void stp_task_unref(struct task_struct *t)
{
	put_task_struct(t);
}

/* The kernel's utrace layer sees every syscall through its tracepoints:
 * there is no filter to build. */
STP_API int stp_task_want_syscalls(const int *nrs, int n)
{
	return 0;
}

STP_API void stp_task_settle(void)
{
}

#endif
