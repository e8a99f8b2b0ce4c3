/* STP_FEATURES_SANITY: the kernel build tree compiles a trivial object (the script fails otherwise) */
#include <linux/module.h>

int stp_feature(void);
int stp_feature(void)
{
	return 0;
}
