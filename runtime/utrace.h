/* The utrace engine API, as the utrace patches defined it.
 *
 * utrace never reached mainline; the runtime carries its own implementation
 * on each platform (runtime/linux/utrace.c on tracepoints and task_work,
 * runtime/user/utrace.c on ptrace).  Everything above this header --
 * utrace-probes.c, the task finder, the tapset -- is written against this
 * API only, so it is the same code on both platforms.
 *
 * The platform header defines struct task_struct, struct pt_regs, struct
 * pid, u32, and struct utrace_engine (whose public part is ops, data and
 * flags), plus the task accessors at the end of this file.
 *
 * Rules every implementation keeps (tests check each):
 * - engines are called in attach order; an engine attached while an event
 *   is being reported sees the next event, not that one;
 * - each report returns a resume action; the smallest over all engines wins
 *   (UTRACE_STOP < UTRACE_INTERRUPT < UTRACE_REPORT < UTRACE_RESUME);
 * - only UTRACE_STOP is sticky: a stopped task stays stopped until every
 *   engine that asked for the stop lets go (utrace_control(RESUME/REPORT/
 *   DETACH)); SIGKILL always breaks a stop;
 * - UTRACE_DETACH from a report detaches that engine after the report;
 * - error codes: -ESRCH the task is dead/reaped or the engine detached;
 *   -EALREADY the engine is already detached or the event already passed;
 *   -EINPROGRESS the task is not yet stopped or a callback is running
 *   (utrace_barrier waits for callbacks; utrace_control(STOP) on a running
 *   task returns -EINPROGRESS and the stop happens at the next safe point).
 */
#ifndef RUNTIME_UTRACE_H
#define RUNTIME_UTRACE_H

#ifdef __KERNEL__
#include "linux/utrace_platform.h"
#else
#include "user/utrace_platform.h"
#endif

enum utrace_resume_action {
	UTRACE_STOP,
	UTRACE_INTERRUPT,
	UTRACE_REPORT,
	UTRACE_SINGLESTEP,
	UTRACE_BLOCKSTEP,
	UTRACE_RESUME,
	UTRACE_DETACH,
	UTRACE_RESUME_MAX
};
#define UTRACE_RESUME_MASK	0x0f
#define utrace_resume_action(action)	((enum utrace_resume_action)((action) & UTRACE_RESUME_MASK))

/* report_syscall_entry may also return UTRACE_SYSCALL_ABORT in its action. */
enum utrace_syscall_action {
	UTRACE_SYSCALL_RUN = 0x00,
	UTRACE_SYSCALL_ABORT = 0x10
};
#define UTRACE_SYSCALL_MASK	0xf0
#define UTRACE_SYSCALL_RESUMED	0x100	/* in the incoming action: a repeat report */

enum utrace_events {
	_UTRACE_EVENT_QUIESCE,
	_UTRACE_EVENT_REAP,
	_UTRACE_EVENT_CLONE,
	_UTRACE_EVENT_EXEC,
	_UTRACE_EVENT_EXIT,
	_UTRACE_EVENT_DEATH,
	_UTRACE_EVENT_SYSCALL_ENTRY,
	_UTRACE_EVENT_SYSCALL_EXIT,
	_UTRACE_NEVENTS
};
#define UTRACE_EVENT(type)	(1UL << _UTRACE_EVENT_##type)
#define UTRACE_EVENT_SYSCALL	(UTRACE_EVENT(SYSCALL_ENTRY) | UTRACE_EVENT(SYSCALL_EXIT))

/* utrace_attach_task/pid flags. */
#define UTRACE_ATTACH_MATCH_OPS		0x0001	/* match engines with these ops */
#define UTRACE_ATTACH_MATCH_DATA	0x0002	/* match engines with this data */
#define UTRACE_ATTACH_MATCH_MASK	0x000f
#define UTRACE_ATTACH_CREATE		0x0010	/* attach a new engine */
#define UTRACE_ATTACH_EXCLUSIVE		0x0020	/* refuse if a match exists */

struct linux_binfmt;
struct linux_binprm;

/* Callbacks run in the traced task's context (on the user platform: with
 * stp_current_task() naming the traced thread).  event is the
 * UTRACE_EVENT() that caused a quiesce report, or 0 for a resume report. */
struct utrace_engine_ops {
	u32 (*report_quiesce)(u32 action, struct utrace_engine *engine,
			      unsigned long event);
	u32 (*report_clone)(u32 action, struct utrace_engine *engine,
			    unsigned long clone_flags, struct task_struct *child);
	/* fmt and bprm may be NULL (the user platform never has them). */
	u32 (*report_exec)(u32 action, struct utrace_engine *engine,
			   const struct linux_binfmt *fmt,
			   const struct linux_binprm *bprm, struct pt_regs *regs);
	u32 (*report_syscall_entry)(u32 action, struct utrace_engine *engine,
				    struct pt_regs *regs);
	u32 (*report_syscall_exit)(u32 action, struct utrace_engine *engine,
				   struct pt_regs *regs);
	u32 (*report_exit)(u32 action, struct utrace_engine *engine,
			   long orig_code, long *code);
	u32 (*report_death)(struct utrace_engine *engine, bool group_dead, int signal);
	void (*report_reap)(struct utrace_engine *engine, struct task_struct *task);
	void (*release)(void *data);
};

/* Returns an engine with a reference held (drop it with utrace_engine_put),
 * or ERR_PTR(-errno): -ENOENT (no match and no CREATE), -EEXIST (EXCLUSIVE
 * and a match exists), -ESRCH (task exiting or dead), -EPERM, -ENOMEM. */
struct utrace_engine *utrace_attach_task(struct task_struct *target, int flags,
					 const struct utrace_engine_ops *ops,
					 void *data);
struct utrace_engine *utrace_attach_pid(struct pid *pid, int flags,
					const struct utrace_engine_ops *ops,
					void *data);
/* -EINVAL also for SYSCALL_EXIT in a kernel module built with
 * UTRACE_NO_SYSCALL_EXIT (generated code without .syscall.return probes:
 * the layer then leaves the sys_exit tracepoint alone). */
int utrace_set_events(struct task_struct *target, struct utrace_engine *engine,
		      unsigned long eventmask);
int utrace_control(struct task_struct *target, struct utrace_engine *engine,
		   enum utrace_resume_action action);
int utrace_barrier(struct task_struct *target, struct utrace_engine *engine);

void utrace_engine_get(struct utrace_engine *engine);
void utrace_engine_put(struct utrace_engine *engine);

/* ---- task accessors each platform provides ----
 * They are what process probes and the tapset need from a task, named
 * neutrally so the code above stays the same on both platforms. */

/* The task whose event is being reported (kernel: current). */
struct task_struct *stp_current_task(void);
pid_t stp_task_tgid(struct task_struct *t);	/* tapset pid() */
pid_t stp_task_tid(struct task_struct *t);	/* tapset tid() */
pid_t stp_task_ppid(struct task_struct *t);
/* The executable's path into buf; 0 or -errno. */
int stp_task_exe_path(struct task_struct *t, char *buf, size_t len);
/* The short command name (execname()) into buf. */
void stp_task_comm(struct task_struct *t, char *buf, size_t len);
/* Calls fn for each thread group leader that exists now; stops early when
 * fn returns nonzero and returns that value. */
int stp_for_each_process(int (*fn)(struct task_struct *t, void *data), void *data);

/* The syscall being reported, from the registers utrace passed. */
long stp_syscall_nr(struct task_struct *t, struct pt_regs *regs);
void stp_syscall_args(struct task_struct *t, struct pt_regs *regs, unsigned long args[6]);
long stp_syscall_return(struct task_struct *t, struct pt_regs *regs);

/* Copies from the current task's memory; 0 or -EFAULT, never a fault. */
int stp_copy_from_user(void *dst, unsigned long src, size_t n);

#endif
