/* The user platform's module: a shared object that staprun loads in a
 * forked tracer process.  This header is the contract between three parts:
 *
 *   staprun      forks, dlopen()s the .so and calls stp_user_main(fd, args)
 *                in the child; the parent runs the stapio loop on the other
 *                end of fd (a SOCK_STREAM socketpair carrying stp_msg frames
 *                both ways, see protocol.h).
 *   transport    (runtime/user/transport*.c, compiled into the .so)
 *                implements stp_user_main and the services below.
 *   tracer       (the ptrace runtime, compiled into the .so) implements
 *                stp_tracer_run: the loop that starts the -c command and
 *                traces.  runtime/user/transport_plain.c is a tracer for
 *                modules that trace no process (and for the tests).
 *
 * Sequence inside stp_user_main:
 *   1. READY is sent; stp_user_set_global() is called for each NAME=VALUE.
 *   2. START arrives from stapio (target_pid: the -x PID, else 0).
 *   3. stp_tracer_run(&run) is called.  It must
 *        - fork the -c command (run.args->target_cmd, run by /bin/sh -c)
 *          if there is one, held before exec, with SIG_DFL dispositions
 *          and an empty signal mask restored (the tracer process ignores
 *          SIGINT, SIGQUIT and SIGPIPE: stapio handles those);
 *        - call stp_user_arm(pid) exactly once (the command's pid, or
 *          run.target_pid): it runs the begin probes and reports STARTED;
 *          if it fails, kill the held command and return the error;
 *        - release the command; trace;
 *        - report the command's end with stp_user_target_exited();
 *        - call stp_user_poll() whenever run.ctl_fd is readable (and may
 *          call it at any other time) and return once it returns 1.
 *      It must not call stp_probes_stop: stp_user_main does that next.
 *   4. The end probes run, STOPPED is sent, the output is flushed and
 *      stp_user_main returns the child's exit status (0, or 1 when the
 *      tracer failed).
 *
 * Everything the probes print goes through stp_transport_record and
 * stp_transport_ctl (runtime/transport/transport.h); the tracer process
 * never writes to stdout or stderr itself. */
#ifndef RUNTIME_USER_TRANSPORT_H
#define RUNTIME_USER_TRANSPORT_H

#include "../transport/transport.h"
#include <sys/types.h>

#define STP_USER_ABI 1

struct stp_user_args {
	stp_u32 abi;			/* STP_USER_ABI */
	stp_u32 verbose;		/* staprun -v count */
	const char *module_path;	/* the .so, canonical */
	const char *target_cmd;		/* -c CMD, or NULL */
	stp_s32 target_pid;		/* -x PID, or 0 */
	stp_s32 nglobals;
	const char *const *globals;	/* NAME=VALUE, NAME checked as an identifier */
	stp_u64 buffer_bytes;		/* -b MB in bytes; 0: the default (4 MiB) */
};

/* Exported by every user-platform module: staprun recognises a module by
 * this dynamic symbol.  Runs the whole session on fd (which it closes). */
int stp_user_main(int fd, const struct stp_user_args *args);
typedef int (*stp_user_main_fn)(int fd, const struct stp_user_args *args);
#define STP_USER_MAIN_SYMBOL "stp_user_main"

/* What stp_user_main hands the tracer. */
struct stp_user_run {
	const struct stp_user_args *args;
	stp_s32 target_pid;	/* from START: the -x PID, or 0 */
	int ctl_fd;		/* poll for POLLIN, then call stp_user_poll() */
};

/* Implemented by the tracer (see above); 0 or -errno. */
int stp_tracer_run(struct stp_user_run *run);

/* Defined by the generated code: sets a script global from a staprun
 * NAME=VALUE argument before the probes start.  0, -ENOENT for an
 * unknown name, -EINVAL for a value of the wrong type. */
int stp_user_set_global(const char *name, const char *value);

/* Transport services for the tracer. */
int stp_user_arm(stp_s32 target_pid);	/* begin probes; 0 or their -errno */
int stp_user_poll(void);		/* 1 once STOP arrived or stapio is gone */
void stp_user_target_exited(pid_t pid, int wstatus);
/* Execs the -c command as SystemTap does (in the forked child): a plain
 * command line is split like the shell would (wordexp, no command
 * substitution) and exec'd itself, so target() is the command's own pid;
 * anything needing a shell (;, |, redirections, ...) runs under
 * /bin/sh -c.  Exits 127 when nothing could be exec'd. */
void stp_user_exec_target(const char *cmd) __attribute__((noreturn));

#endif
