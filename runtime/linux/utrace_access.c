/* The neutral task accessors of runtime/utrace.h on the kernel.  Pids are
 * those of the initial pid namespace, as the kernel's tracepoints show
 * them.  None of these sleeps unless it says so. */

#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/mm_types.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

struct task_struct *stp_current_task(void)
{
	return current;
}

pid_t stp_task_tgid(struct task_struct *t)
{
	return task_tgid_nr(t);
}

pid_t stp_task_tid(struct task_struct *t)
{
	return task_pid_nr(t);
}

pid_t stp_task_ppid(struct task_struct *t)
{
	pid_t ppid;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(t->real_parent));
	rcu_read_unlock();
	return ppid;
}

/* runtime/linux/transport.h; weak, since the layer also runs in modules
 * without the transport (the kernel tier's test drivers). */
bool stp_transport_root(struct path *root) __attribute__((weak));

/* A kernel thread's d_path is from init's root, but the paths a script
 * names are from staprun's: the start scan runs in a workqueue, and with
 * staprun chrooted a running program's path would carry the chroot's
 * prefix (and not fit the caller's buffer, sized for the targets) and
 * match nothing.  Returns the path without that prefix, in BUF, or NULL
 * when d_path from the task's own root is the answer.  May not sleep. */
static char *stp_exe_path_from_start_root(const struct path *exe, char *buf, size_t len)
{
	struct path root;
	char *big, *p, *rp, *res;
	size_t rl;

	if (!(current->flags & PF_KTHREAD) || !stp_transport_root || !stp_transport_root(&root))
		return NULL;
	big = kmalloc(PATH_MAX, GFP_ATOMIC);
	res = ERR_PTR(-ENOMEM);
	if (!big)
		goto out;
	/* The root's own path goes before the exe's, in the same buffer. */
	p = d_path(exe, big, PATH_MAX);
	res = p;
	if (IS_ERR(p))
		goto out;
	rp = p > big ? d_path(&root, big, p - big) : ERR_PTR(-ENAMETOOLONG);
	rl = IS_ERR(rp) ? 0 : strlen(rp);
	if (rl > 1 && !strncmp(p, rp, rl) && p[rl] == '/')
		p += rl;
	res = ERR_PTR(-ENAMETOOLONG);
	if (strlen(p) < len) {
		memcpy(buf, p, strlen(p) + 1);
		res = buf;
	}
out:
	kfree(big);
	path_put(&root);
	return res;
}

/* The mm's exe_file, read under task_lock (which keeps t->mm from going
 * away) and pinned with an RCU-safe reference, so no mm reference (whose
 * last put may sleep) is needed. */
int stp_task_exe_path(struct task_struct *t, char *buf, size_t len)
{
	struct file *exe = NULL;
	char *path;
	int err = 0;

	if (!len)
		return -ENAMETOOLONG;
	task_lock(t);
	if (t->mm && !(t->flags & PF_KTHREAD)) {
		rcu_read_lock();
#ifdef STP_HAVE_GET_FILE_RCU_FILE
		exe = rcu_dereference(t->mm->exe_file);
		if (exe && !get_file_rcu(exe))
			exe = NULL;
#else
		exe = get_file_rcu(&t->mm->exe_file);
#endif
		rcu_read_unlock();
	}
	task_unlock(t);
	if (!exe)
		return -ENOENT;
	path = stp_exe_path_from_start_root(&exe->f_path, buf, len);
	if (!path)
		path = d_path(&exe->f_path, buf, len);
	if (IS_ERR(path))
		err = PTR_ERR(path);
	else
		memmove(buf, path, strlen(path) + 1);
	fput(exe);
	return err;
}

void stp_task_comm(struct task_struct *t, char *buf, size_t len)
{
	if (len)
		__get_task_comm(buf, len, t);
}

/* Calls fn outside any lock, so fn may sleep when the caller may: the
 * leaders are collected (with references) under RCU first. */
int stp_for_each_process(int (*fn)(struct task_struct *t, void *data), void *data)
{
	struct task_struct **tasks, *p;
	size_t n = 0, max = 0, i;
	int ret = 0;

	rcu_read_lock();
	for_each_process(p)
		max++;
	rcu_read_unlock();
	max += 64;	/* room for processes born while we allocate */
	tasks = kvmalloc_array(max, sizeof(*tasks), utrace_gfp());
	if (!tasks)
		return -ENOMEM;

	rcu_read_lock();
	for_each_process(p) {
		if (n == max)
			break;
		if (p->flags & PF_KTHREAD)
			continue;	/* only user processes can be traced */
		get_task_struct(p);
		tasks[n++] = p;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		if (!ret)
			ret = fn(tasks[i], data);
		put_task_struct(tasks[i]);
	}
	kvfree(tasks);
	return ret;
}

long stp_syscall_nr(struct task_struct *t, struct pt_regs *regs)
{
	return syscall_get_nr(t, regs);
}

void stp_syscall_args(struct task_struct *t, struct pt_regs *regs, unsigned long args[6])
{
	stp_syscall_get_args(t, regs, args);
}

long stp_syscall_return(struct task_struct *t, struct pt_regs *regs)
{
	return syscall_get_return_value(t, regs);
}

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	return stp_copy_nofault(dst, (const void __user *)src, n) ? -EFAULT : 0;
}
