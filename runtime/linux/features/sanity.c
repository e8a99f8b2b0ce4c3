/* STP_FEATURES_SANITY: the kernel build tree compiles a trivial object */
#include <linux/module.h>

int stp_feature(void);
int stp_feature(void)
{
	return 0;
}
