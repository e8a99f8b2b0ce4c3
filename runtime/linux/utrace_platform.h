/* Kernel platform part of runtime/utrace.h: the types the API names, the
 * engine structure, and the layer's lifetime hooks.
 *
 * The implementation is runtime/linux/utrace.c, compiled into each module
 * (generated code includes it once); it needs the ustap_features.h that
 * runtime/linux/probe-features.sh writes for the target kernel. */
#ifndef RUNTIME_LINUX_UTRACE_PLATFORM_H
#define RUNTIME_LINUX_UTRACE_PLATFORM_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <asm/ptrace.h>

struct utrace;
struct utrace_engine_ops;

struct utrace_engine {
	const struct utrace_engine_ops *ops;
	void *data;
	unsigned long flags;		/* UTRACE_EVENT() bits wanted */

	/* Private to runtime/linux/utrace*.c: */
	struct kref kref;
	struct list_head entry;		/* in its task's attached/attaching list */
	struct utrace *utrace;		/* the task's state; fixed at attach */
	unsigned int state;		/* UTRACE_ENGINE_* bits, under utrace->lock */
	bool reporting;			/* its callback runs (reports over 2+ engines) */
};

/* Sets the layer up (memory pools, tracepoints); 0 or -errno.  Call it
 * from module init before any other utrace function. */
int stp_utrace_init(void);

/* Detaches every engine, lets stopped tasks go, and waits until no code
 * of the module can run from a tracepoint, task_work or work item.  Call
 * it from module exit after the last utrace call; engines' release
 * callbacks run here for engines still attached. */
void stp_utrace_exit(void);

/* How often an attach could not get memory in atomic context (the caller
 * got -ENOMEM); the transport reports it as a warning. */
unsigned long stp_utrace_alloc_failures(void);

#endif
