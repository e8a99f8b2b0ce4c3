/* STP_TP_SYS_ENTER: raw_syscalls sys_enter/sys_exit pass (regs, id) and (regs, ret) */
#include <trace/events/syscalls.h>

static void stp_enter(void *data, struct pt_regs *regs, long id)
{
}

static void stp_exit(void *data, struct pt_regs *regs, long ret)
{
}

int stp_feature(void);
int stp_feature(void)
{
	return register_trace_sys_enter(stp_enter, NULL) + register_trace_sys_exit(stp_exit, NULL);
}
