/* STP_HAVE_GET_FILE_RCU_FILE: get_file_rcu() takes a struct file * (before 6.7) */
#include <linux/fs.h>

bool stp_feature(struct file *f);
bool stp_feature(struct file *f)
{
	return get_file_rcu(f);
}
