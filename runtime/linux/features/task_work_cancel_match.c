/* STP_HAVE_TASK_WORK_CANCEL_MATCH: task_work_cancel_match(task, match, data) exists (5.11+) */
#include <linux/task_work.h>

struct callback_head *(*stp_feature)(struct task_struct *,
				     bool (*)(struct callback_head *, void *), void *);
struct callback_head *(*stp_feature)(struct task_struct *,
				     bool (*)(struct callback_head *, void *), void *) =
	task_work_cancel_match;
