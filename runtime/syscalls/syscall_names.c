/* The syscall table lookups (syscall_names.h). */
#ifndef RUNTIME_SYSCALLS_SYSCALL_NAMES_C
#define RUNTIME_SYSCALLS_SYSCALL_NAMES_C

#include "syscall_names.h"
#include "stp_syscall_table.h"

STP_API const char *stp_syscall_name(int64_t nr)
{
	if (nr < 0 || nr >= STP_SYSCALL_LIMIT || !stp_syscall_index[nr])
		return NULL;
	return stp_syscall_names + stp_syscall_index[nr];
}

/* A scan of a few hundred names: syscall_num() is rare, and an index
 * sorted by name would double the table. */
STP_API int64_t stp_syscall_num(const char *name)
{
	int64_t nr;

	if (!name[0])
		return -1;
	for (nr = 0; nr < STP_SYSCALL_LIMIT; nr++)
		if (stp_syscall_index[nr] && !strcmp(stp_syscall_names + stp_syscall_index[nr], name))
			return nr;
	return -1;
}

#endif
