/* STP_TP_SCHED_EXIT_GROUP_DEAD: the sched_process_exit tracepoint passes (task, group_dead) */
#include <trace/events/sched.h>

static void stp_probe(void *data, struct task_struct *p, bool group_dead)
{
}

int stp_feature(void);
int stp_feature(void)
{
	return register_trace_sched_process_exit(stp_probe, NULL);
}
