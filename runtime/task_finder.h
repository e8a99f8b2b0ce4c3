/* The task finder: which processes a script's process probes are about,
 * and the lifecycle events of those processes, reported in their own
 * context.  Written against runtime/utrace.h and runtime/task_info.h
 * only, so it is the same code on both platforms.
 *
 * A client (runtime/utrace-probes.c) gives a table of targets -- any
 * process, an executable's real path, or a pid -- each with the events it
 * wants.  The finder attaches one utrace engine to every thread that may
 * matter (a process that may match now, or exec or fork into a match),
 * and calls the client:
 *
 *   BEGIN         a process image starts matching: a fork child before it
 *                 runs any code, an exec into a matching image (from the
 *                 exec, before the new image runs), a process that already
 *                 ran when the finder started (from a quiesce report, soon
 *                 after); in the process's own context;
 *   THREAD_BEGIN  a thread other than the main one: before it runs any
 *                 code, or soon after the start for one that existed;
 *   THREAD_END    that thread exits (or execs: it is then the main thread
 *                 of a new image);
 *   END           the image's last thread exits, or the image is replaced
 *                 by an exec; only after a BEGIN of the same image;
 *   SYSCALL, SYSCALL_RETURN  a thread of a matching image enters or leaves
 *                 a syscall; the return carries the number its thread
 *                 entered with.
 *
 * With a target process (-c/-x, task_info.h's stp_target_set), only it and
 * its descendants match ANY and PATH targets, as SystemTap documents; a
 * PID target matches its process either way.  A -c command held before
 * its exec gets no BEGIN for that image: its first BEGIN comes at the exec
 * of its program.  See doc/process-probes.md for the rest. */
#ifndef RUNTIME_TASK_FINDER_H
#define RUNTIME_TASK_FINDER_H

#include "runtime_defs.h"
#include "utrace.h"

enum stp_tf_kind {
	STP_TF_ANY,
	STP_TF_PATH,
	STP_TF_PID,
};

enum stp_tf_event {
	STP_TF_BEGIN,
	STP_TF_END,
	STP_TF_THREAD_BEGIN,
	STP_TF_THREAD_END,
	STP_TF_SYSCALL,
	STP_TF_SYSCALL_RETURN,
	STP_TF_NEVENTS
};
#define STP_TF_EV(e) (1u << (e))

/* Targets must be distinct: at most one ANY, one per path and one per
 * pid.  Paths are real paths (symlinks resolved), as the executable's
 * path of a process reads. */
struct stp_tf_target {
	unsigned char kind;	/* enum stp_tf_kind */
	pid_t pid;		/* STP_TF_PID */
	const char *path;	/* STP_TF_PATH */
	unsigned int events;	/* STP_TF_EV() bits the client wants */
};

/* Called for each matching target of the process, in its context (task is
 * the current task); regs is the syscall's registers for the syscall
 * events, NULL for the others; nr is the syscall number (-1 otherwise).
 * It runs in probe context: it must not sleep. */
typedef void (*stp_tf_fn)(unsigned int target, enum stp_tf_event ev, struct task_struct *task,
			  struct pt_regs *regs, long nr);

/* Start: attaches to the processes that exist now and follows everything
 * they become.  One client at a time; targets must outlive the finder.
 * 0 or -errno (-ENOMEM, -EBUSY when already started). */
STP_API int stp_tf_start(const struct stp_tf_target *targets, unsigned int n, stp_tf_fn fn);
/* Stop: detaches every engine and waits for callbacks in flight; the
 * traced tasks run on unharmed, whatever they are doing. */
STP_API void stp_tf_stop(void);

/* Records the finder keeps, bounded at start (no allocation after it).
 * A thread or process beyond them is not followed; a warning says so. */
#ifndef STP_TF_MAXTHREADS
#define STP_TF_MAXTHREADS 8192
#endif
#ifndef STP_TF_MAXPROCS
#define STP_TF_MAXPROCS 4096
#endif

struct stp_tf_stats {
	int threads;		/* thread records in use */
	int procs;		/* process records in use */
	int missed_threads;	/* threads not followed: no record left */
	int missed_procs;
	int attach_failures;	/* utrace_attach/set_events refused */
};
STP_API void stp_tf_stats(struct stp_tf_stats *s);

#endif
