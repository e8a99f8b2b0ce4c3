/* Shared between the files of the ptrace utrace engine; nothing above
 * runtime/user/ includes it.  Every name here starts with ut_ so the files
 * can also be compiled as one translation unit (utrace_all.c). */
#ifndef RUNTIME_USER_UTRACE_INT_H
#define RUNTIME_USER_UTRACE_INT_H

#include "../utrace.h"
#include "tracer.h"

#include <signal.h>

/* task_struct.state */
enum {
	UT_TS_NEW,		/* auto-attached child whose first stop we have not seen */
	UT_TS_RUNNING,		/* resumed: the next thing we hear is a waitpid event */
	UT_TS_STOPPED,		/* in a ptrace-stop we have not resumed */
	UT_TS_LISTENING,	/* in a group-stop, resumed with PTRACE_LISTEN */
	UT_TS_DEAD,		/* waitpid gave its exit status */
};

/* task_struct.stop: which ptrace-stop a stopped task is in. */
enum {
	UT_STOP_NONE,
	UT_STOP_SYSCALL_ENTRY,
	UT_STOP_SYSCALL_EXIT,
	UT_STOP_SECCOMP,	/* PTRACE_EVENT_SECCOMP: a syscall entry */
	UT_STOP_EVENT,		/* clone, fork, vfork, exec: inside a syscall */
	UT_STOP_EXIT,		/* PTRACE_EVENT_EXIT */
	UT_STOP_SIGNAL,		/* signal-delivery-stop: inject_sig goes on */
	UT_STOP_GROUP,		/* group-stop: resumed with PTRACE_LISTEN */
	UT_STOP_INTERRUPT,	/* PTRACE_EVENT_STOP from PTRACE_INTERRUPT or a new child */
};

/* Highest syscall number the want set and filters track, plus one. */
#define UT_NR_MAX 1024

/* A seccomp filter's syscall set; immutable once installed in a target. */
struct stp_filter {
	bool all;
	unsigned char bits[UT_NR_MAX / 8];
};

/* A thread group (process). */
struct stp_proc {
	pid_t tgid;
	struct stp_proc *next;
	struct task_struct *threads;
	int nthreads;
	int live;			/* threads whose exit is not reported yet */
	int exit_signal;		/* sent to its parent at death (SIGCHLD) */
	bool pinned;			/* traced even with no engines: -c/-x trees */
	bool target;			/* started by spawn or attached by attach */
	bool spawned;
	int spawn_errfd;		/* -c: the child writes errno here if execve fails */
	int spawn_cfgfd;		/* -c: its seccomp filter goes down this pipe */
	int exec_errno;
	const struct stp_filter *filter;	/* its seccomp filter, if any */
	char *exe;			/* cached /proc/PID/exe */
};

/* ---- utrace_task.c: tables and accessors ---- */
extern struct stp_proc *ut_procs;
extern int ut_nthreads;
struct task_struct *ut_task_find(pid_t tid);
struct task_struct *ut_task_new(pid_t tid);
void ut_task_rekey(struct task_struct *t, pid_t tid);
void ut_task_forget(struct task_struct *t);	/* off the tables; the ref goes */
struct stp_proc *ut_proc_find(pid_t tgid);
struct stp_proc *ut_proc_new(pid_t tgid);
void ut_proc_add(struct stp_proc *p, struct task_struct *t);
void ut_proc_free(struct stp_proc *p);
void ut_task_changed_image(struct task_struct *t);	/* exec: comm, exe go stale */
int ut_regs_fetch(struct task_struct *t);
int ut_regs_flush(struct task_struct *t);
int ut_read_proc_status(pid_t tid, pid_t *tgid, pid_t *ppid, pid_t *tracer, int *seccomp);

/* ---- utrace.c: engines and reports ---- */
extern struct task_struct *ut_current;
bool ut_task_wants_stop(struct task_struct *t);
void ut_recalc_events(struct task_struct *t);
void ut_report_quiesce(struct task_struct *t);
void ut_report_clone(struct task_struct *t, unsigned long flags, struct task_struct *child);
void ut_report_exec(struct task_struct *t);
void ut_report_syscall_entry(struct task_struct *t, u32 resumed);
void ut_report_syscall_exit(struct task_struct *t);
void ut_report_exit(struct task_struct *t, long code);
void ut_report_death(struct task_struct *t, bool group_dead, int signal);
void ut_report_reap(struct task_struct *t);
void ut_detach_engines(struct task_struct *t);	/* no reports: the tracer lets go */

/* ---- utrace_stop.c: ptrace-stops and resuming ---- */
void ut_handle_status(pid_t pid, int status);
void ut_mark_stopped(struct task_struct *t, int stop);
void ut_finish_stop(struct task_struct *t);
void ut_kick(struct task_struct *t);
bool ut_process_kicks(void);			/* true when any work was done */
bool ut_task_is_stopped(const struct task_struct *t);
void ut_task_died(struct task_struct *t, int status);
bool ut_keep_traced(const struct task_struct *t);
extern bool ut_detaching_all;

/* ---- utrace_clone.c: new threads and processes ---- */
void ut_clone_event(struct task_struct *t, int ev);
void ut_new_orphan(pid_t pid, int status);
void ut_orphan_del(struct task_struct *t);
void ut_claim_orphans_of(pid_t tgid);
void ut_claim_all_orphans(void);

/* ---- utrace_attach.c ---- */
struct task_struct *ut_seize_thread(pid_t tid, int *err);
void ut_eperm_reason(char *buf, size_t len, int scope, bool cap, bool other_user);
extern const char *ut_yama_scope_path;

/* ---- utrace_seccomp.c: the wanted syscalls and the filter ---- */
bool ut_syscall_wanted(long nr);
bool ut_seccomp_on(void);
bool ut_seccomp_mode(const struct task_struct *t);
const struct stp_filter *ut_filter_snapshot(void);
const struct stp_filter *ut_filter_guess(pid_t tid);
void ut_untraced_clone(struct task_struct *t);
int ut_filter_program(const struct stp_filter *f, void *prog, int max);

/* ---- utrace_loop.c ---- */
extern sigset_t ut_orig_sigmask;
extern bool ut_loop_ready;
void ut_notify_target_exit(pid_t pid, int status, int exec_errno);
void ut_notify_child_exit(pid_t pid, int status);
int ut_wait_one(bool block);			/* one waitpid event handled: 1, none: 0 */

/* ---- hooks for the breakpoint layer (runtime/user/breakpoint*.c) ----
 * Uprobes need four things the stop machine alone decides: which signal
 * stops are theirs (int3 traps, single-step traps, returns through their
 * trampoline), how a thread resumes (single-step, or stay stopped while
 * another thread steps), and when a process's memory is new (exec) or a
 * copy (fork), or a thread is gone.  NULL unless uprobes were started;
 * every call site is marked "breakpoint hook". */
struct ut_bp_hooks {
	/* A signal-delivery-stop; t->inject_sig is the signal.  Setting it to
	 * 0 swallows it (or to another signal, delivered instead). */
	void (*signal_stop)(struct task_struct *t);
	/* t is about to resume with *req and *sig: true keeps it stopped (it
	 * is kicked again when it may go); *req may become PTRACE_SINGLESTEP. */
	bool (*resume)(struct task_struct *t, int *req, int *sig);
	/* t exec'd: its process has a new image. */
	void (*exec)(struct task_struct *t);
	/* child is a new process (not a thread) made by a thread of parent
	 * (its stp_proc; NULL when unknown), its memory a copy of parent's or
	 * (CLONE_VM) the same. */
	void (*fork)(struct stp_proc *parent, struct task_struct *child, unsigned long flags);
	/* t is dead (before it leaves the tables). */
	void (*died)(struct task_struct *t);
};
extern const struct ut_bp_hooks *ut_bp_hooks;

/* ---- ptrace options ---- */
#define UT_PTRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | \
			   PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | \
			   PTRACE_O_TRACESECCOMP)

#endif
