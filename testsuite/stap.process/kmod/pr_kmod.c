// SPDX-License-Identifier: GPL-2.0
/* The process probes' runtime in a kernel module: utrace-probes.c, the
 * task finder, runtime/linux/task_info.c, the syscall and errno tables of
 * the kernel's own headers, and the tapset's embedded C (as tapset-c.awk
 * compiles it), built with W=1 by kbuild.exp.
 *
 * The kernel utrace layer is not in this tree yet: the utrace API below
 * is a stand-in that attaches nothing, so the finder's start and stop run
 * but follow no process.  The task accessors are real.  Loaded in a
 * guest, module init runs one probe handler in insmod's context (with
 * preemption off, as probes run) that calls the tapset's functions, and
 * logs "pr_kmod: PASS: name" / "pr_kmod: FAIL: name" lines, then
 * "pr_kmod: DONE: N". */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#define STP_LOCALS_SIZE 64
#include "runtime.h"
#include "utrace-probes.c"
#include "syscalls/syscall_names.c"
#include "syscalls/errno_names.c"

static const struct stp_loc *tap_loc;
#include "tapset_fns.c"

MODULE_LICENSE("GPL");

/* ---- transport: what the core sends ---- */

static DEFINE_SPINLOCK(kt_lock);
static char kt_err[2 * MAXSTRINGLEN];
static int kt_errors;

int stp_transport_record(const char *data, size_t len)
{
	return 0;
}

int stp_transport_ctl(unsigned int type, const char *text, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&kt_lock, flags);
	if (type == STP_MSG_ERROR && !kt_errors++)
		snprintf(kt_err, sizeof(kt_err), "%.*s", (int)len, text);
	spin_unlock_irqrestore(&kt_lock, flags);
	return 0;
}

/* ---- the utrace API: real accessors, a stand-in for engines ---- */

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	return copy_from_user_nofault(dst, (const void __user *)src, n) ? -EFAULT : 0;
}

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

int stp_task_exe_path(struct task_struct *t, char *buf, size_t len)
{
	return -ENOENT;
}

void stp_task_comm(struct task_struct *t, char *buf, size_t len)
{
	__get_task_comm(buf, len, t);
}

int stp_for_each_process(int (*fn)(struct task_struct *t, void *data), void *data)
{
	return 0;
}

long stp_syscall_nr(struct task_struct *t, struct pt_regs *regs)
{
	return regs->orig_ax;
}

void stp_syscall_args(struct task_struct *t, struct pt_regs *regs, unsigned long args[6])
{
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
}

long stp_syscall_return(struct task_struct *t, struct pt_regs *regs)
{
	return regs->ax;
}

struct utrace_engine *utrace_attach_task(struct task_struct *target, int flags,
					 const struct utrace_engine_ops *ops, void *data)
{
	return ERR_PTR(-ENOSYS);
}

struct utrace_engine *utrace_attach_pid(struct pid *pid, int flags,
					const struct utrace_engine_ops *ops, void *data)
{
	return ERR_PTR(-ENOSYS);
}

int utrace_set_events(struct task_struct *target, struct utrace_engine *engine,
		      unsigned long eventmask)
{
	return -ENOSYS;
}

int utrace_control(struct task_struct *target, struct utrace_engine *engine,
		   enum utrace_resume_action action)
{
	return -ENOSYS;
}

int utrace_barrier(struct task_struct *target, struct utrace_engine *engine)
{
	return -ENOSYS;
}

void utrace_engine_get(struct utrace_engine *engine)
{
}

void utrace_engine_put(struct utrace_engine *engine)
{
}

/* ---- checks ---- */

#define KT_MAX 48

static struct {
	const char *name;
	bool ok;
	char detail[96];
} kt_res[KT_MAX];
static int kt_n;

static void kt_check(bool ok, const char *name, const char *detail)
{
	if (kt_n == KT_MAX)
		return;
	kt_res[kt_n].name = name;
	kt_res[kt_n].ok = ok;
	strscpy(kt_res[kt_n].detail, detail ? detail : "", sizeof(kt_res[kt_n].detail));
	kt_n++;
}

static void kt_str(const char *got, const char *want, const char *name)
{
	kt_check(!strcmp(got, want), name, got);
}

/* What pr_kmod's handler needs beside its context: kept static, not on
 * the stack, as a handler's locals are. */
static char kt_s[MAXSTRINGLEN], kt_want[MAXSTRINGLEN];

static void kt_handler(struct stp_context *c)
{
	struct task_struct *t = current, *parent;
	unsigned long arg0;
	pid_t tids[4];

	kt_check(tap_pid_0(c) == task_tgid_nr(t), "pid()", NULL);
	kt_check(tap_tid_0(c) == task_pid_nr(t), "tid()", NULL);
	kt_check(tap_ppid_0(c) == stp_task_ppid(t), "ppid()", NULL);
	kt_check(tap_pgrp_0(c) == task_pgrp_nr(t), "pgrp()", NULL);
	kt_check(tap_sid_0(c) == task_session_nr_ns(t, &init_pid_ns), "sid()", NULL);
	kt_check(tap_uid_0(c) == 0 && tap_euid_0(c) == 0 && tap_gid_0(c) == 0 &&
		 tap_egid_0(c) == 0, "uid() euid() gid() egid() of root", NULL);
	tap_execname_0(c, kt_s);
	kt_str(kt_s, t->comm, "execname()");
	rcu_read_lock();
	parent = rcu_dereference(t->real_parent);
	strscpy(kt_want, parent->comm, sizeof(kt_want));
	rcu_read_unlock();
	tap_pexecname_0(c, kt_s);
	kt_str(kt_s, kt_want, "pexecname()");
	kt_check(tap_target_0(c) == 0, "target() without -c/-x", NULL);
	kt_check(tap_cpu_0(c) == smp_processor_id(), "cpu()", NULL);
	tap_pp_0(c, kt_s);
	kt_str(kt_s, "process(\"/bin/busybox\").function(\"main@x.c:1\")", "pp()");
	tap_ppfunc_0(c, kt_s);
	kt_str(kt_s, "main", "ppfunc()");

	/* init runs "/bin/busybox insmod /pr_kmod.ko". */
	tap_cmdline_str_0(c, kt_s);
	kt_str(kt_s, "/bin/busybox insmod /pr_kmod.ko", "cmdline_str() with preemption off");
	tap_cmdline_arg_1(c, kt_s, 1);
	kt_str(kt_s, "insmod", "cmdline_arg(1)");
	tap_cmdline_args_3(c, kt_s, 1, -1, "|");
	kt_str(kt_s, "insmod|/pr_kmod.ko", "cmdline_args(1, -1, \"|\")");

	arg0 = t->mm->arg_start;
	tap_user_string_1(c, kt_s, (int64_t)arg0);
	kt_str(kt_s, "/bin/busybox", "user_string(arg_start)");
	tap_user_string_quoted_1(c, kt_s, (int64_t)arg0);
	kt_str(kt_s, "\"/bin/busybox\"", "user_string_quoted(arg_start)");
	kt_check(tap_user_char_1(c, (int64_t)arg0) == '/', "user_char(arg_start)", NULL);
	tap_user_string_1(c, kt_s, 1);
	kt_check(stp_failed(c), "user_string(1) is an error, not an oops", NULL);
	stp_error_catch(c, kt_s);
	kt_str(kt_s, "user string copy fault -14 at 0x1 [man error::fault]",
	       "user_string(1)'s message");
	kt_check(tap_user_long_1(c, 8) == 0 && !stp_failed(c), "user_long(8) is 0", NULL);
	tap_user_long_error_1(c, 8);
	stp_error_catch(c, kt_s);
	kt_str(kt_s, "read fault [man error::fault] at 0x8", "user_long_error(8)'s message");
	tap_user_string_quoted_1(c, kt_s, 8);
	kt_str(kt_s, "0x8", "user_string_quoted(8)");

	tap_syscall_name_1(c, kt_s, 257);
	kt_str(kt_s, "openat", "syscall_name(257)");
	kt_check(tap_syscall_num_1(c, "execve") == 59, "syscall_num(\"execve\")", NULL);
	tap_syscall_name_1(c, kt_s, -1);
	kt_str(kt_s, "", "syscall_name(-1)");
	tap_errno_str_1(c, kt_s, -512);
	kt_str(kt_s, "ERESTARTSYS", "errno_str(-512): the kernel's own codes too");
	tap_errno_str_1(c, kt_s, 2);
	kt_str(kt_s, "ENOENT", "errno_str(2)");
	tap_returnstr_1(c, kt_s, 1);
	kt_str(kt_s, "N/A", "returnstr() without registers");
	tap_return_str_2(c, kt_s, 3, 8);
	kt_str(kt_s, "010", "return_str(3, 8)");

	kt_check(stp_task_thread_ids(t, tids, 4) == 1 && tids[0] == task_pid_nr(t),
		 "thread ids of a one-thread process", NULL);
}

static const struct stp_probe kt_probe = {
	.pp = "process(\"/bin/busybox\").function(\"main@x.c:1\")",
	.handler = kt_handler,
	.state = STP_SESSION_RUNNING,
};

static const struct stp_utrace_probe kt_table[] = {
	{ &kt_probe, STP_TF_BEGIN, STP_TF_ANY },
	{ &kt_probe, STP_TF_SYSCALL, STP_TF_PATH, .path = "/bin/busybox" },
};

static int __init pr_kmod_init(void)
{
	struct task_struct *t;
	struct stp_tf_stats st;
	int rc, i;

	rc = stp_runtime_init();
	if (rc)
		return rc;
	stp_session_started();
	stp_probe_run(&kt_probe, current, NULL);

	t = stp_task_from_tid(task_pid_nr(current));
	kt_check(t == current, "stp_task_from_tid(own tid)", NULL);
	if (t)
		stp_task_unref(t);
	/* The stand-in layer attaches nothing: start and stop still run. */
	rc = stp_utrace_probes_start(kt_table, ARRAY_SIZE(kt_table));
	kt_check(rc == 0, "stp_utrace_probes_start", NULL);
	stp_utrace_probes_stop();
	stp_tf_stats(&st);
	kt_check(st.threads == 0 && st.procs == 0, "no records left after stop", NULL);
	kt_check(stp_utrace_probes_start(kt_table, ARRAY_SIZE(kt_table)) == 0,
		 "a second start after a stop", NULL);
	stp_utrace_probes_stop();

	stp_session_stopping();
	stp_runtime_exit();
	kt_check(kt_errors == 0, "no error reported by the handler", kt_err);
	for (i = 0; i < kt_n; i++) {
		pr_info("pr_kmod: %s: %s%s%s\n", kt_res[i].ok ? "PASS" : "FAIL", kt_res[i].name,
			kt_res[i].ok ? "" : ": ", kt_res[i].ok ? "" : kt_res[i].detail);
	}
	pr_info("pr_kmod: DONE: %d\n", kt_n);
	return 0;
}

static void __exit pr_kmod_exit(void)
{
}

module_init(pr_kmod_init);
module_exit(pr_kmod_exit);
