/* A stand-in for runtime/linux/utrace_platform.h (the kernel utrace layer,
 * in progress on another branch): the types runtime/utrace.h needs, so
 * the process probes' runtime compiles in a module today.  Found only
 * while runtime/linux/utrace_platform.h does not exist: the real one is
 * found first (it sits next to runtime/utrace.h). */
#ifndef RUNTIME_LINUX_UTRACE_PLATFORM_H
#define RUNTIME_LINUX_UTRACE_PLATFORM_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/err.h>
#include <asm/ptrace.h>

struct utrace_engine_ops;

struct utrace_engine {
	const struct utrace_engine_ops *ops;
	void *data;
	unsigned long flags;
};

#endif
