/* -G NAME=VALUE on the kernel platform: script globals as module
 * parameters.  Strings use module_param_string; longs are int64_t, which
 * no stock parameter type is, so they get their own ops (parmtype "long",
 * which staprun checks values against). */
#ifndef RUNTIME_LINUX_PARAM_H
#define RUNTIME_LINUX_PARAM_H

#include <linux/moduleparam.h>
#include "../strfn.h"

static int stp_param_set_long(const char *val, const struct kernel_param *kp)
{
	char buf[64];
	size_t n = strnlen(val, sizeof(buf) - 1);

	/* The kernel hands the value with a trailing newline from sysfs. */
	memcpy(buf, val, n);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return stp_param_parse_long(buf, (int64_t *)kp->arg);
}

static int stp_param_get_long(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%lld\n", (long long)*(int64_t *)kp->arg);
}

static const struct kernel_param_ops stp_param_ops_long __attribute__((__unused__)) = {
	.set = stp_param_set_long,
	.get = stp_param_get_long,
};

#define STP_PARAM_LONG(name, var) \
	module_param_cb(name, &stp_param_ops_long, &var, 0); \
	__MODULE_PARM_TYPE(name, "long")

#endif
