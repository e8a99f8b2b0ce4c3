/* The user platform's half of runtime/utrace.h: what a thread, its
 * registers, a pid and a utrace engine are when the "kernel" is a ptrace
 * tracer (runtime/user/utrace*.c, described in doc/ptrace-runtime.md).
 *
 * One tracer process traces everything and is single-threaded: every
 * callback runs in the tracer, one at a time, while the thread it reports
 * sits in a ptrace-stop.  stp_current_task() names that thread.
 *
 * The structures are complete so the code above may embed and inspect
 * them, but only the fields marked public are part of the contract;
 * everything else belongs to runtime/user/utrace*.c. */
#ifndef RUNTIME_USER_UTRACE_PLATFORM_H
#define RUNTIME_USER_UTRACE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/* C11 allows the same typedef twice, so the core's platform layer may
 * define these too. */
typedef uint32_t u32;
typedef uint64_t u64;

/* Error pointers as the kernel has them.  Guarded so another runtime
 * header may provide the same names first. */
#ifndef STP_HAVE_ERR_PTR
#define STP_HAVE_ERR_PTR 1
#define MAX_ERRNO 4095
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}
#endif

/* The registers of a thread in a ptrace-stop (x86_64). */
struct pt_regs {
	struct user_regs_struct uregs;
};

/* A thread id with a reference count, so code written for the kernel's
 * find_get_pid()/put_pid() pairs works unchanged.  It stays valid after
 * the thread is gone; utrace_attach_pid() then fails with -ESRCH. */
struct pid {
	pid_t nr;
	int count;
};

struct pid *find_get_pid(pid_t nr);	/* NULL when no such thread exists */
void put_pid(struct pid *pid);

static inline pid_t pid_nr(const struct pid *pid)
{
	return pid ? pid->nr : 0;
}

struct utrace_engine_ops;
struct stp_proc;
struct stp_filter;

struct utrace_engine {
	/* public */
	const struct utrace_engine_ops *ops;
	void *data;
	unsigned long flags;		/* the UTRACE_EVENT() mask */
	/* private */
	struct utrace_engine *next;	/* the task's engines, in attach order */
	struct task_struct *task;	/* NULL once the engine is off the task */
	void (*release)(void *data);
	int refs;
	bool attaching;			/* joins at the task's next report */
	bool wants_stop;
	bool detached;
};

/* A traced thread.  All fields are private: use the stp_task_*()
 * accessors from runtime/utrace.h. */
struct task_struct {
	pid_t tid;
	struct stp_proc *proc;			/* its thread group */
	struct task_struct *hash_next;		/* tid table */
	struct task_struct *proc_next;		/* proc->threads */
	struct task_struct *kick_next;		/* the loop's work list */
	struct utrace_engine *engines;		/* attach order */
	unsigned long events;			/* union of the engines' flags */
	int refs;

	unsigned char state;			/* UT_TS_* */
	unsigned char stop;			/* UT_STOP_*: the stop it is in */
	int inject_sig;				/* delivered when resumed */
	int last_req;				/* the last resume request */
	long sys_nr;				/* the syscall it is in, or -1 */
	u32 entry_result;			/* UTRACE_SYSCALL_* of the entry report */

	bool kicked;				/* on the work list */
	bool in_syscall;			/* an exit stop follows a SYSCALL resume */
	bool interrupt_sent;			/* a PTRACE_INTERRUPT is outstanding */
	bool report_owed;			/* UTRACE_REPORT/INTERRUPT: quiesce soon */
	bool held;				/* kept in its stop for a UTRACE_STOP */
	bool entry_rereport;			/* report the syscall entry again on resume */
	bool reporting;				/* a report on it is running */
	bool new_task;				/* created, first stop not seen yet */
	bool initial_stop;			/* the new task's first stop is pending */
	bool awaiting_parent;			/* report_clone has not run yet */
	bool orphan;				/* stopped before its parent's clone event */
	bool exit_reported;
	bool group_dead;
	bool dead;				/* waitpid gave its exit status */
	bool reaped;
	bool spawn_hold;			/* -c target held until released */
	bool prelude;				/* -c target: our own setup before execve */
	bool detach_pending;			/* PTRACE_DETACH at the next stop */
	bool regs_valid;
	bool regs_dirty;
	bool comm_valid;
	pid_t orphan_tgid;			/* its thread group, from /proc */
	pid_t orphan_ptgid;			/* the traced process that made it */
	int exit_code;				/* wait status of its exit */
	struct pt_regs regs;
	char comm[16];
};

/* ---- the user platform's extras ----
 * Not in runtime/utrace.h because the kernel platform has no need of
 * them (it reads current's registers directly). */

/* The registers of a task in a ptrace-stop (fetched on first use), or NULL
 * when it is running or gone.  Changes are written back before it resumes
 * only through the utrace resume path, so treat them as read-only. */
struct pt_regs *stp_task_regs(struct task_struct *t);

/* Reads n bytes at src in task t's memory; 0 or -EFAULT. */
int stp_task_read(struct task_struct *t, void *dst, unsigned long src, size_t n);

/* Task references, for code that keeps a task pointer past a callback.
 * A task stays allocated (but reports nothing) after it is reaped until
 * the last reference goes. */
void stp_task_get(struct task_struct *t);
void stp_task_put(struct task_struct *t);

#endif
