/* The errno name lookups (errno_names.h). */
#ifndef RUNTIME_SYSCALLS_ERRNO_NAMES_C
#define RUNTIME_SYSCALLS_ERRNO_NAMES_C

#include "errno_names.h"
#include "stp_errno_table.h"

/* |e| without overflow at INT64_MIN. */
static uint64_t _stp_errno_abs(int64_t e)
{
	return e < 0 ? 0 - (uint64_t)e : (uint64_t)e;
}

STP_API const char *stp_errno_name(int64_t e)
{
	uint64_t v = _stp_errno_abs(e);

	if (v >= STP_ERRNO_LIMIT || !stp_errno_index[v])
		return NULL;
	return stp_errno_names + stp_errno_index[v];
}

STP_API void stp_errno_str(int64_t e, char *dst)
{
	const char *name = stp_errno_name(e);

	if (name)
		snprintf(dst, MAXSTRINGLEN, "%s", name);
	else
		snprintf(dst, MAXSTRINGLEN, "E#%llu", (unsigned long long)_stp_errno_abs(e));
}

STP_API void stp_returnstr(int64_t ret, int64_t format, char *dst)
{
	const char *name = ret < 0 ? stp_errno_name(ret) : NULL;

	if (name)
		snprintf(dst, MAXSTRINGLEN, "%lld (%s)", (long long)ret, name);
	else if (format == 2)
		snprintf(dst, MAXSTRINGLEN, "0x%llx", (unsigned long long)ret);
	else if (format == 3)
		snprintf(dst, MAXSTRINGLEN, "%#llo", (unsigned long long)ret);
	else
		snprintf(dst, MAXSTRINGLEN, "%lld", (long long)ret);
}

#endif
