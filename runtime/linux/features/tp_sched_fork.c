/* STP_TP_SCHED_FORK: the sched_process_fork tracepoint passes (parent, child) */
#include <trace/events/sched.h>

static void stp_probe(void *data, struct task_struct *parent, struct task_struct *child)
{
}

int stp_feature(void);
int stp_feature(void)
{
	return register_trace_sched_process_fork(stp_probe, NULL);
}
