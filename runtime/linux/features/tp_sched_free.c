/* STP_TP_SCHED_FREE: the sched_process_free tracepoint passes (task) */
#include <trace/events/sched.h>

static void stp_probe(void *data, struct task_struct *p)
{
}

int stp_feature(void);
int stp_feature(void)
{
	return register_trace_sched_process_free(stp_probe, NULL);
}
