/* STP_HAVE_SYSCALL_GET_ARGUMENTS_3: syscall_get_arguments(task, regs, args) (5.1+) */
#include <linux/sched.h>
#include <asm/syscall.h>

void stp_feature(struct task_struct *t, struct pt_regs *regs, unsigned long *args);
void stp_feature(struct task_struct *t, struct pt_regs *regs, unsigned long *args)
{
	syscall_get_arguments(t, regs, args);
}
