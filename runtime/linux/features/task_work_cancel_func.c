/* STP_HAVE_TASK_WORK_CANCEL_BY_FUNC: task_work_cancel(task, func) (before 6.11) */
#include <linux/task_work.h>

struct callback_head *(*stp_feature)(struct task_struct *, task_work_func_t);
struct callback_head *(*stp_feature)(struct task_struct *, task_work_func_t) = task_work_cancel;
