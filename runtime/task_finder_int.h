/* Shared between the task finder's files (task_finder*.c) only.
 *
 * Records live in two pools allocated at start.  A record is claimed with
 * a compare-and-swap on its "used" word, so callbacks on several CPUs can
 * allocate without a lock; it is kept by references (refs) and goes back
 * to the pool when the last one goes.
 *
 * A thread record holds a reference to its task and to its engine, and
 * one to its process record.  Its "live" word is the reference the
 * attachment itself holds: dropped exactly once, by whichever comes first
 * of reap, a callback that finds the finder stopping, or stp_tf_stop. */
#ifndef RUNTIME_TASK_FINDER_INT_H
#define RUNTIME_TASK_FINDER_INT_H

#include "task_finder.h"
#include "task_info.h"

/* A process image matches at most one target of each kind. */
#define STP_TF_MAXMATCH 3

/* stp_tf_proc.begin: where the current image is in its life. */
enum {
	STP_TF_IMG_NONE,	/* matches nothing, or no BEGIN for it (held -c image) */
	STP_TF_IMG_PENDING,	/* BEGIN owed: the first report of any thread makes it */
	STP_TF_IMG_DONE,	/* BEGIN made: an END is owed */
	STP_TF_IMG_ENDED,
};

/* stp_tf.state */
enum {
	STP_TF_STOPPED,
	STP_TF_RUNNING,
	STP_TF_STOPPING,
};

struct stp_tf_proc {
	stp_atomic_t used;
	stp_atomic_t refs;
	pid_t tgid;
	bool in_tree;		/* the target (-c/-x) or its descendant; all without one */
	bool exec_pending;	/* a held -c command before its exec */
	unsigned int gen;	/* bumped at each exec: threads count for one image */
	int match[STP_TF_MAXMATCH];	/* matching targets, -1 for none */
	unsigned int events;	/* STP_TF_EV() wanted by the matching targets */
	stp_atomic_t begin;	/* STP_TF_IMG_* */
	stp_atomic_t live;	/* threads of image gen that have not exited */
};

struct stp_tf_thread {
	stp_atomic_t used;
	stp_atomic_t refs;
	stp_atomic_t live;	/* the attachment's reference, 1 until dropped */
	struct task_struct *task;
	struct utrace_engine *engine;
	struct stp_tf_proc *proc;
	long sys_nr;		/* the syscall it entered, -1 outside one */
	unsigned int gen;	/* the image it was counted in */
	unsigned long events;	/* what it asked utrace for */
	bool main;		/* its process's main thread (tid == tgid) */
	bool tbegin_pending;	/* THREAD_BEGIN owed at its first report */
	bool tbegun;		/* THREAD_BEGIN made (or not wanted): THREAD_END owed */
	bool exited;
};

static struct {
	stp_atomic_t state;
	stp_atomic_t active;		/* callbacks in progress */
	const struct stp_tf_target *targets;
	unsigned int ntargets;
	stp_tf_fn fn;
	int any;			/* the ANY target, or -1 */
	bool watch_all;			/* ANY or PATH targets: follow every process in the tree */
	bool track_exec;		/* EXEC matters: paths, begins, ends */
	bool track_exit;		/* EXIT matters: ends, thread ends */
	bool has_tree;			/* a target process restricts the tree */
	size_t path_len;		/* per-CPU buffer for an exe path (longest target + 2) */
	char *path_bufs;
	struct stp_tf_thread *threads;
	struct stp_tf_proc *procs;
	stp_atomic_t thread_hint, proc_hint;
	stp_atomic_t nthreads, nprocs;
	stp_atomic_t missed_threads, missed_procs, attach_failures;
	stp_atomic_t warned_threads, warned_procs;
} stp_tf;

/* task_finder_rec.c */
static int _stp_tf_add(stp_atomic_t *a, int d);
static bool _stp_tf_get_unless_zero(stp_atomic_t *a);
static struct stp_tf_proc *_stp_tf_proc_new(pid_t tgid, bool in_tree);
static void _stp_tf_proc_put(struct stp_tf_proc *p);
static struct stp_tf_thread *_stp_tf_thread_new(struct stp_tf_proc *p, bool main);
static void _stp_tf_thread_put(struct stp_tf_thread *t);
static void _stp_tf_thread_unlive(struct stp_tf_thread *t);
static int _stp_tf_attach(struct stp_tf_thread *t, struct task_struct *task);
static int _stp_tf_set_events(struct stp_tf_thread *t);

/* task_finder_match.c */
static void _stp_tf_match(struct stp_tf_proc *p, struct task_struct *task, int path_target);
static int _stp_tf_match_path(struct task_struct *task);
static bool _stp_tf_matched(const struct stp_tf_proc *p);
static bool _stp_tf_pid_target(pid_t tgid);
static unsigned long _stp_tf_utrace_events(const struct stp_tf_thread *t);
static void _stp_tf_fire(struct stp_tf_thread *t, enum stp_tf_event ev, struct pt_regs *regs,
			 long nr);
static int _stp_tf_initial_begin(const struct stp_tf_proc *p);

/* task_finder_ops.c */
static const struct utrace_engine_ops stp_tf_ops;

#endif
