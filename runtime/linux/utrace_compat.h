/* Kernel API differences the utrace layer meets, resolved from the defines
 * runtime/linux/probe-features.sh detected for the target kernel.  Only
 * this file tests them; the rest of the layer uses the stp_* names. */
#ifndef RUNTIME_LINUX_UTRACE_COMPAT_H
#define RUNTIME_LINUX_UTRACE_COMPAT_H

#if !__has_include("ustap_features.h")
#error "no ustap_features.h: run runtime/linux/probe-features.sh, then build with -I OUTDIR"
#endif
#include "ustap_features.h"

#include <linux/sched.h>
#include <linux/task_work.h>
#include <linux/thread_info.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/kprobes.h>
#include <asm/syscall.h>

#if !defined(STP_HAVE_FOR_EACH_KERNEL_TRACEPOINT) || !defined(STP_HAVE_TP_PROBE_REGISTER_DATA)
#error "this kernel's tracepoint API is too old for the utrace layer (needs 3.15+)"
#endif
#if !defined(STP_TP_SCHED_FORK) || !defined(STP_TP_SCHED_EXEC) || \
	!defined(STP_TP_SCHED_FREE) || !defined(STP_TP_SYS_ENTER)
#error "a sched_process_* or raw_syscalls tracepoint has a shape the utrace layer does not know"
#endif
#if !defined(STP_TP_SCHED_EXIT_TASK) && !defined(STP_TP_SCHED_EXIT_GROUP_DEAD)
#error "the sched_process_exit tracepoint has a shape the utrace layer does not know"
#endif

/* task_work notification: resume reports ride on the return to user
 * mode; interrupts also break an interruptible sleep. */
#ifdef STP_HAVE_TWA_MODE
#define STP_TWA_RESUME	TWA_RESUME
#define STP_TWA_SIGNAL	TWA_SIGNAL
#else
#define STP_TWA_RESUME	true
#define STP_TWA_SIGNAL	true	/* old kernels: no way to break a sleep */
#endif

/* The per-task flag that makes a task run the raw_syscalls tracepoints. */
#ifdef STP_HAVE_SYSCALL_WORK
#define stp_sys_tp_set(t)	set_task_syscall_work(t, SYSCALL_TRACEPOINT)
#define stp_sys_tp_clear(t)	clear_task_syscall_work(t, SYSCALL_TRACEPOINT)
#define stp_sys_tp_test(t)	test_task_syscall_work(t, SYSCALL_TRACEPOINT)
#else
#define stp_sys_tp_set(t)	set_tsk_thread_flag(t, TIF_SYSCALL_TRACEPOINT)
#define stp_sys_tp_clear(t)	clear_tsk_thread_flag(t, TIF_SYSCALL_TRACEPOINT)
#define stp_sys_tp_test(t)	test_tsk_thread_flag(t, TIF_SYSCALL_TRACEPOINT)
#endif

static inline void stp_syscall_get_args(struct task_struct *t, struct pt_regs *regs,
					unsigned long args[6])
{
#ifdef STP_HAVE_SYSCALL_GET_ARGUMENTS_3
	syscall_get_arguments(t, regs, args);
#else
	syscall_get_arguments(t, regs, 0, 6, args);
#endif
}

static inline long stp_copy_nofault(void *dst, const void __user *src, size_t n)
{
#ifdef STP_HAVE_COPY_FROM_USER_NOFAULT
	return copy_from_user_nofault(dst, src, n);
#else
	return probe_user_read(dst, src, n);
#endif
}

/* UTRACE_SYSCALL_ABORT: syscall number -1 makes the dispatcher skip the
 * call and leave -ENOSYS as its result.  Kernels that re-read the number
 * after the sys_enter tracepoint (6.9, and the stable updates that took
 * that fix) honour it; on older ones the syscall still runs. */
static inline void stp_syscall_abort(struct pt_regs *regs)
{
#ifdef CONFIG_X86
	regs->orig_ax = -1;
#endif
}

/* The kernel exports no way to cancel a queued task_work, yet a module
 * must not leave one queued behind it: the work's function is module
 * text.  The cancel function is found once by name through kprobes'
 * symbol lookup (which modules may use), and called only at unload. */
#if defined(STP_HAVE_TASK_WORK_CANCEL_MATCH)
typedef struct callback_head *(*stp_tw_cancel_fn)(struct task_struct *,
						  bool (*)(struct callback_head *, void *),
						  void *);
#define STP_TW_CANCEL_SYMBOL "task_work_cancel_match"
#ifdef STP_EXPORTS_TASK_WORK_CANCEL_MATCH
#define STP_TW_CANCEL_DIRECT task_work_cancel_match
#endif
#elif defined(STP_HAVE_TASK_WORK_CANCEL_BY_FUNC)
typedef struct callback_head *(*stp_tw_cancel_fn)(struct task_struct *, task_work_func_t);
#define STP_TW_CANCEL_SYMBOL "task_work_cancel"
#ifdef STP_EXPORTS_TASK_WORK_CANCEL
#define STP_TW_CANCEL_DIRECT task_work_cancel
#endif
#else
#error "no task_work cancel function of a known shape on this kernel"
#endif

static stp_tw_cancel_fn stp_tw_cancel;

#ifndef STP_TW_CANCEL_DIRECT
static void *stp_kernel_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	void *addr;

	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/* kprobes place themselves after the ENDBR; a call must not. */
	if (addr && is_endbr(*(u32 *)((char *)addr - ENDBR_INSN_SIZE)))
		addr = (char *)addr - ENDBR_INSN_SIZE;
#endif
	return addr;
}
#endif

static void stp_tw_cancel_init(void)
{
#ifdef STP_TW_CANCEL_DIRECT
	stp_tw_cancel = STP_TW_CANCEL_DIRECT;
#else
	stp_tw_cancel = (stp_tw_cancel_fn)stp_kernel_symbol(STP_TW_CANCEL_SYMBOL);
#endif
}

#ifdef STP_HAVE_TASK_WORK_CANCEL_MATCH
static bool stp_tw_match(struct callback_head *cb, void *data)
{
	return cb == data;
}
#endif

/* Takes cb off t's queue; true when it was still queued (so it will not
 * run), false when it ran, runs now, or cancelling is impossible. */
static bool stp_tw_cancel_cb(struct task_struct *t, struct callback_head *cb)
{
	if (!stp_tw_cancel)
		return false;
#ifdef STP_HAVE_TASK_WORK_CANCEL_MATCH
	return stp_tw_cancel(t, stp_tw_match, cb) != NULL;
#else
	/* Each of the layer's callback_heads has a function of its own. */
	return stp_tw_cancel(t, cb->func) != NULL;
#endif
}

/* Waits until no task runs in module text it entered before: a task that
 * dropped the last count of outstanding works may still be returning. */
static void stp_sync_module_text(void)
{
#ifdef STP_EXPORTS_SYNCHRONIZE_RCU_TASKS
	synchronize_rcu_tasks();
#else
	synchronize_rcu();
	schedule_timeout_uninterruptible(HZ / 10);
#endif
}

#endif
