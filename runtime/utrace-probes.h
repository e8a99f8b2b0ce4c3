/* Process probes: process[("PATH")|(PID)].{begin,end,thread.begin,
 * thread.end,syscall,syscall.return}, on the task finder
 * (runtime/task_finder.h).  The same code on both platforms.
 *
 * Generated code lists the script's process probes in one table and
 * starts them after stp_session_started() (begin reports of processes
 * that already run come at once, and must find the session running):
 *
 *	static const struct stp_utrace_probe stp_utrace_probes[] = {
 *		{ &probe_3, STP_TF_BEGIN, STP_TF_ANY },
 *		{ &probe_4, STP_TF_SYSCALL, STP_TF_PATH, .path = "/usr/bin/ls" },
 *		{ &probe_5, STP_TF_SYSCALL_RETURN, STP_TF_PID, .pid = 1234 },
 *	};
 *	stp_target_set(pid, held);		// task_info.h: target(), -c/-x
 *	...
 *	stp_session_started();
 *	rc = stp_utrace_probes_start(stp_utrace_probes, 3);
 *	...
 *	stp_utrace_probes_stop();		// first thing in stp_probes_stop
 *
 * Handlers read their context variables with the accessors below; they
 * take the handler's context (doc/process-probes.md). */
#ifndef RUNTIME_UTRACE_PROBES_H
#define RUNTIME_UTRACE_PROBES_H

#include "runtime_defs.h"
#include "task_finder.h"

struct stp_probe;
struct stp_context;

struct stp_utrace_probe {
	const struct stp_probe *probe;
	unsigned char event;	/* enum stp_tf_event: STP_TF_BEGIN ... STP_TF_SYSCALL_RETURN */
	unsigned char kind;	/* enum stp_tf_kind: STP_TF_ANY, STP_TF_PATH, STP_TF_PID */
	pid_t pid;		/* STP_TF_PID */
	const char *path;	/* STP_TF_PATH: the executable's real path (no symlink) */
	/* Syscall probes: the numbers wanted, ascending; NULL for all of them
	 * (what SystemTap's probe points give).  The platform is told the
	 * union, so a probe narrowed here costs nothing for the others. */
	const int *syscalls;
	unsigned int nsyscalls;
};

/* Start (may sleep): arms the probes, tells the platform which syscalls
 * matter, reports BEGIN for processes that already run.  The table must
 * outlive the probes.  0 or -errno. */
STP_API int stp_utrace_probes_start(const struct stp_utrace_probe *probes, unsigned int n);
/* Disarms: no handler runs after it returns, and the traced processes
 * run on unharmed. */
STP_API void stp_utrace_probes_stop(void);

/* ---- context variables, in process.syscall and process.syscall.return
 * handlers (c is the handler's context) ---- */

/* $syscall: the syscall number; in .syscall.return the number the thread
 * entered with (kept per thread). */
STP_API int64_t stp_up_syscall_nr(const struct stp_context *c);
/* $argN, n from 1 to 6 (.syscall); 0 for another n. */
STP_API int64_t stp_up_syscall_arg(const struct stp_context *c, int n);
/* $return (.syscall.return): the value as the kernel returns it, -errno
 * for a failure. */
STP_API int64_t stp_up_syscall_return(const struct stp_context *c);
/* $$parms (.syscall) into dst (MAXSTRINGLEN bytes):
 * "$arg1=0x3 $arg2=0x7ffd1000 $arg3=0x0 $arg4=0x0 $arg5=0x0 $arg6=0x0". */
STP_API void stp_up_syscall_parms(const struct stp_context *c, char *dst);

#endif
