/* STP_HAVE_COPY_FROM_USER_NOFAULT: copy_from_user_nofault() exists (5.8+) */
#include <linux/uaccess.h>

long stp_feature(void *dst, const void __user *src, size_t n);
long stp_feature(void *dst, const void __user *src, size_t n)
{
	return copy_from_user_nofault(dst, src, n);
}
