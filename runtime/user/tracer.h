/* How the user platform drives the ptrace tracer: its event loop, the -c
 * target it starts, the -x process it attaches to, and which syscalls the
 * probes want.  doc/ptrace-runtime.md tells the whole story; in short:
 *
 *	stp_user_tracer_init();
 *	stp_user_set_hooks(&hooks);
 *	stp_user_watch_fd(control_fd, POLLIN, on_control, NULL);
 *	stp_user_want_syscalls(nrs, n);		// from the probes, before release
 *	pid = stp_user_spawn(argv, NULL, err, sizeof err);	// -c: held before exec
 *	... run begin probes, attach engines (utrace.h) ...
 *	stp_user_release(pid);			// the target execs now
 *	code = stp_user_tracer_run();		// until stp_user_tracer_exit(code)
 *	stp_user_detach_all();			// everything left keeps running
 *
 * All of it runs on one thread, the one that called stp_user_tracer_init
 * (ptrace only answers the thread that attached).  Callbacks (fd, timer,
 * hooks, utrace reports) run from stp_user_tracer_run, one at a time, and
 * may call any function here or in runtime/utrace.h. */
#ifndef RUNTIME_USER_TRACER_H
#define RUNTIME_USER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

/* Once, before anything else: blocks SIGCHLD (waited for through a
 * signalfd) and checks what the kernel offers.  0 or -errno. */
int stp_user_tracer_init(void);

/* Runs the loop: ptrace events, watched fds, timers.  Returns the code
 * given to stp_user_tracer_exit(), -ECHILD when nothing is left that
 * could wake it (no tracee, no watched fd, no timer), or -errno when the
 * loop itself fails.  Not to be called from its own callbacks. */
int stp_user_tracer_run(void);
/* Makes stp_user_tracer_run() return code once the current callback ends
 * (or at once, when asked outside the loop: the next run returns). */
void stp_user_tracer_exit(int code);

/* fn runs from the loop when poll() reports events (POLLIN, ...) on fd;
 * revents is what poll() returned.  One watcher per fd.  0 or -errno. */
typedef void (*stp_user_fd_fn)(int fd, short revents, void *data);
int stp_user_watch_fd(int fd, short events, stp_user_fd_fn fn, void *data);
void stp_user_unwatch_fd(int fd);

/* fn runs from the loop first_ns from now (CLOCK_MONOTONIC), then every
 * period_ns if that is nonzero.  Returns an id > 0 or -errno.  A timer
 * that falls behind skips the periods it missed rather than bursting. */
typedef void (*stp_user_timer_fn)(void *data);
int stp_user_timer_add(uint64_t first_ns, uint64_t period_ns, stp_user_timer_fn fn, void *data);
void stp_user_timer_del(int id);

struct stp_user_hooks {
	/* A process started by stp_user_spawn or attached by stp_user_attach
	 * ended; status is its wait status.  exec_errno is nonzero when a -c
	 * command could not be executed at all. */
	void (*target_exit)(pid_t pid, int status, int exec_errno, void *data);
	/* A child of the tracer process that it does not trace ended (one the
	 * platform forked itself): the loop's waitpid(-1) reaped it. */
	void (*child_exit)(pid_t pid, int status, void *data);
	void *data;
};
void stp_user_set_hooks(const struct stp_user_hooks *hooks);

/* Narrows SYSCALL_ENTRY/EXIT reports to these syscall numbers (n < 0: all
 * of them, the default; n == 0: none).  Call it before stp_user_release:
 * a -c target's seccomp filter is built from the set at that moment, and
 * a later set it does not cover makes its threads fall back to stopping
 * at every syscall.  0 or -EINVAL (a number out of range). */
int stp_user_want_syscalls(const int *nrs, int n);
/* Whether -c targets get a seccomp filter (default: when the kernel has
 * SECCOMP_RET_TRACE).  Off, every thread stops at every syscall while an
 * engine wants syscall events.  Returns whether it is on now. */
bool stp_user_use_seccomp(bool on);

/* -c: starts argv[0] (looked up in $PATH as execvp does) with envp (NULL:
 * the tracer's environment), traced with PTRACE_O_EXITKILL and held just
 * before execve so engines can be attached first.  Its task is known to
 * stp_for_each_process() and utrace_attach_task() at once.  Returns the
 * pid, or -errno with a message in err ("cannot run 'foo': No such file
 * or directory"). */
pid_t stp_user_spawn(char *const argv[], char *const envp[], char *err, size_t errlen);
/* Lets the held target go: it installs its seccomp filter and execs.
 * 0, -ESRCH (no such held target). */
int stp_user_release(pid_t pid);

/* -x: traces every thread of process pid, leaving it running.  0 or
 * -errno with a message in err: "cannot trace process 1234: it is already
 * traced by process 99 (gdb)", or EPERM explained by
 * /proc/sys/kernel/yama/ptrace_scope. */
int stp_user_attach(pid_t pid, char *err, size_t errlen);

/* Ends tracing: every engine is detached (release called, no more
 * reports) and every thread is let go with PTRACE_DETACH, leaving
 * processes running as if never traced.  -c targets that carry a seccomp
 * filter cannot be let go (their filtered syscalls would fail with ENOSYS
 * untraced): they stay traced, silently, and PTRACE_O_EXITKILL ends them
 * with the tracer.  Runs the loop until every thread is let go.  Returns
 * the number of threads still traced. */
int stp_user_detach_all(void);

/* Runs the loop's ptrace part until every request made so far has reached
 * its thread: a running thread interrupted so that its engines' new
 * syscall events or stop take effect, a held thread let go.  Engines set
 * up on running threads (-x) miss nothing after this returns.  0 or
 * -ECHILD (nothing left to wait for). */
int stp_user_settle(void);

/* How many threads the tracer traces now (tests and diagnostics). */
int stp_user_traced_threads(void);

#endif
