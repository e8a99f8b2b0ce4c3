/* The neutral half of runtime/task_info.h: target(), the task a probe is
 * about, cmdline joining, fault-free user memory reads and quoting.  The
 * platform half comes with it. */
#ifndef RUNTIME_TASK_INFO_C
#define RUNTIME_TASK_INFO_C

#include "task_info.h"
#include "context.h"

#ifdef __KERNEL__
#include "linux/task_info.c"
#else
#include "user/task_info.c"
#endif

static struct {
	pid_t pid;
	bool held;
} stp_target_info;

STP_API void stp_target_set(pid_t pid, bool held)
{
	stp_target_info.pid = pid > 0 ? pid : 0;
	stp_target_info.held = pid > 0 && held;
}

STP_API pid_t stp_target_pid(void)
{
	return stp_target_info.pid;
}

STP_API bool stp_target_held(void)
{
	return stp_target_info.held;
}

STP_API struct task_struct *stp_ctx_task(const struct stp_context *c)
{
	if (c && c->task)
		return c->task;
	return stp_current_task();
}

#include "task_info_cmdline.c"
#include "task_info_umem.c"

#endif
