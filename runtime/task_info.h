/* Facts about a traced task that runtime/utrace.h does not give, and the
 * process-context helpers the tapset builds on them.
 *
 * Two layers:
 * - the platform part (runtime/linux/task_info.c, runtime/user/task_info.c):
 *   credentials, process group, session, the parent's name, the argument
 *   area, thread ids, task references and the platform's hints;
 * - the neutral part (runtime/task_info.c): the task a probe is about,
 *   cmdline_args() joining, user memory reads without a fault, quoting,
 *   and target().
 *
 * Everything is static (the module is one translation unit).  None of the
 * probe-context helpers sleeps; those marked "start" may, and run only
 * from stp_probes_start/stop.  Pids, uids and gids are those of the
 * initial namespaces on the kernel (as utrace.h's pids are), the
 * tracer's on the ptrace platform. */
#ifndef RUNTIME_TASK_INFO_H
#define RUNTIME_TASK_INFO_H

#include "runtime_defs.h"
#include "utrace.h"

struct stp_context;

/* ---- target(): the -c command or the -x process ---- */

/* Set once before the probes start (the platform's START handling, or the
 * top of stp_probes_start).  held: pid is a -c command that has not
 * exec'd its program yet (it is still a copy of the process that started
 * it), so process probes wait for its exec before calling it a begin. */
STP_API void stp_target_set(pid_t pid, bool held);
STP_API pid_t stp_target_pid(void);
STP_API bool stp_target_held(void);

/* ---- platform part ---- */

struct stp_task_ids {
	int64_t uid, euid, gid, egid;
};

/* Real and effective user and group ids; 0 or -errno (ids then -1). */
STP_API int stp_task_ids(struct task_struct *t, struct stp_task_ids *ids);
/* Process group and session ids; 0 when unknown. */
STP_API pid_t stp_task_pgrp(struct task_struct *t);
STP_API pid_t stp_task_sid(struct task_struct *t);
/* The short command name of t's parent process into buf ("" if gone). */
STP_API void stp_task_parent_comm(struct task_struct *t, char *buf, size_t len);
/* Reads up to len bytes at offset off of t's argument area (argv strings,
 * each NUL-terminated, as /proc/PID/cmdline shows them).  Returns the
 * bytes read (fewer than len at the end of the area, 0 past it) or
 * -errno.  Kernel: t must be the current task (the area is read with a
 * non-faulting copy); -EINVAL otherwise. */
STP_API long stp_task_cmdline_read(struct task_struct *t, unsigned long off, char *buf,
				   size_t len);

/* Start: the thread ids of t's thread group into tids (up to max);
 * returns how many threads there are (may exceed max) or -errno. */
STP_API int stp_task_thread_ids(struct task_struct *t, pid_t *tids, int max);
/* Start: the task with this thread id, with a reference (stp_task_unref),
 * or NULL. */
STP_API struct task_struct *stp_task_from_tid(pid_t tid);
/* Task references: a task pointer kept past a callback holds one.  unref
 * may be called in probe context. */
STP_API void stp_task_ref(struct task_struct *t);
STP_API void stp_task_unref(struct task_struct *t);

/* Start: which syscalls the probes need (nrs NULL, n < 0: all; n == 0:
 * none).  The ptrace platform builds its seccomp filter from it; the
 * kernel sees every syscall anyway.  0 or -errno. */
STP_API int stp_task_want_syscalls(const int *nrs, int n);
/* Start: returns once engines set up on running tasks miss nothing (the
 * ptrace platform interrupts them; the kernel has nothing to wait for). */
STP_API void stp_task_settle(void);

/* ---- neutral part: helpers for the tapset ---- */

/* The task a probe is about: the event's, else the current one (NULL on
 * the ptrace platform outside process events). */
STP_API struct task_struct *stp_ctx_task(const struct stp_context *c);

/* cmdline_args(n, m, delim) into dst (MAXSTRINGLEN bytes): arguments n to
 * m joined with delim, an empty one after the first shown as "" (two
 * double quotes); m < n means every argument from n on.  "" when there
 * are fewer than n + 1 arguments or the area cannot be read.  At most
 * STP_CMDLINE_SCAN bytes of the area are looked at. */
#ifndef STP_CMDLINE_SCAN
#define STP_CMDLINE_SCAN 65536
#endif
STP_API void stp_cmdline_args(struct task_struct *t, int64_t n, int64_t m, const char *delim,
			      char *dst);

/* The NUL-terminated string at addr in the current task's memory into dst
 * (MAXSTRINGLEN bytes), at most maxlen characters (cut at MAXSTRINGLEN -
 * 1).  0, or -EFAULT with *fault_at the address that could not be read
 * (dst then empty).  Read a page at a time, so a string that ends just
 * before an unmapped page is read whole. */
STP_API int stp_user_str(char *dst, unsigned long addr, int64_t maxlen, unsigned long *fault_at);
/* An n-byte (1, 2, 4, 8) signed integer at addr, sign-extended; 0 or
 * -EFAULT (*v then 0). */
STP_API int stp_user_int(unsigned long addr, int n, int64_t *v);

/* src quoted as SystemTap's string_quoted() does, into dst (MAXSTRINGLEN
 * bytes): in double quotes; printable ASCII as is except '"' and '\\';
 * \a \b \f \n \r \t \v \" \\; a valid UTF-8 sequence as \uXXXX or
 * \UXXXXXXXX; any other byte as \ooo.  When it does not fit, the text is
 * cut before a whole escape and ends with "... */
STP_API void stp_text_quote(char *dst, const char *src);
/* The same of the string at addr in the current task's memory (at most
 * MAXSTRINGLEN - 1 bytes of it), read straight from there; 0, or -EFAULT
 * (dst then empty) when any of it cannot be read. */
STP_API int stp_user_str_quoted(char *dst, unsigned long addr);

/* "0x..." of an address, for user_string_quoted() of a bad address. */
STP_API void stp_hex_str(char *dst, uint64_t v);

#endif
