/* The neutral task accessors of runtime/utrace.h on the kernel.  Pids are
 * those of the initial pid namespace, as the kernel's tracepoints show
 * them.  None of these sleeps unless it says so. */

#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/path.h>
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

/* t's root as current sees it, in scratch (NULL when it is current's own
 * root or t has none).  No reference is taken: under the caller's RCU read
 * lock the dentry and mount stay valid, as d_path treats current's root;
 * a chroot racing with this only makes one lookup miss. */
static char *stp_task_root_in(struct task_struct *t, char *scratch, int len)
{
	struct path root, mine;
	char *p;

	task_lock(t);
	if (!t->fs) {
		task_unlock(t);
		return NULL;
	}
	spin_lock(&t->fs->lock);
	root = t->fs->root;
	spin_unlock(&t->fs->lock);
	task_unlock(t);
	if (!current->fs)
		return NULL;
	spin_lock(&current->fs->lock);
	mine = current->fs->root;
	spin_unlock(&current->fs->lock);
	if (path_equal(&root, &mine))
		return NULL;
	p = d_path(&root, scratch, len);
	return IS_ERR(p) || !strcmp(p, "/") ? NULL : p;
}

/* exe's path as t sees it, in buf: without the part that leads to t's
 * root when t lives under another root (a chroot) than current.  The
 * whole path may be longer than len before that part goes. */
static int stp_exe_path_of_other(struct task_struct *t, struct file *exe, char *buf, size_t len)
{
	char *scratch = kmalloc(2 * PATH_MAX, GFP_ATOMIC | __GFP_NOWARN);
	char *path, *root;
	size_t n;
	int err = 0;

	if (!scratch)
		return -ENOMEM;
	path = d_path(&exe->f_path, scratch, PATH_MAX);
	if (IS_ERR(path)) {
		err = PTR_ERR(path);
		goto out;
	}
	rcu_read_lock();
	root = stp_task_root_in(t, scratch + PATH_MAX, PATH_MAX);
	n = root ? strlen(root) : 0;
	if (n && !strncmp(path, root, n) && path[n] == '/')
		path += n;
	rcu_read_unlock();
	n = strlen(path);
	if (n >= len)
		err = -ENAMETOOLONG;
	else
		memcpy(buf, path, n + 1);
out:
	kfree(scratch);
	return err;
}

/* The mm's exe_file, read under task_lock (which keeps t->mm from going
 * away) and pinned with an RCU-safe reference, so no mm reference (whose
 * last put may sleep) is needed.  The path is the one the process itself
 * would see: the finder matches execs from the exec'ing task, and the
 * processes found at start (from a kworker, whose root is the global
 * one) must match the same way. */
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
	if (t != current) {
		err = stp_exe_path_of_other(t, exe, buf, len);
		fput(exe);
		return err;
	}
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
