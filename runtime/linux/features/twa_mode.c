/* STP_HAVE_TWA_MODE: task_work_add() takes an enum task_work_notify_mode with TWA_SIGNAL (5.11+) */
#include <linux/task_work.h>

int stp_feature(struct task_struct *t, struct callback_head *cb);
int stp_feature(struct task_struct *t, struct callback_head *cb)
{
	enum task_work_notify_mode mode = TWA_SIGNAL;

	return task_work_add(t, cb, mode) + task_work_add(t, cb, TWA_RESUME);
}
