/* STP_HAVE_SYSCALL_WORK: the syscall tracepoint flag is in syscall_work (5.11+) */
#include <linux/sched.h>
#include <linux/thread_info.h>

int stp_feature(struct task_struct *t);
int stp_feature(struct task_struct *t)
{
	set_task_syscall_work(t, SYSCALL_TRACEPOINT);
	clear_task_syscall_work(t, SYSCALL_TRACEPOINT);
	return test_task_syscall_work(t, SYSCALL_TRACEPOINT);
}
