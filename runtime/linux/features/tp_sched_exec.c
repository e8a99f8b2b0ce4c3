/* STP_TP_SCHED_EXEC: the sched_process_exec tracepoint passes (task, old_pid, bprm) */
#include <trace/events/sched.h>

static void stp_probe(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
}

int stp_feature(void);
int stp_feature(void)
{
	return register_trace_sched_process_exec(stp_probe, NULL);
}
