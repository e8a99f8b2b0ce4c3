/* syscall_name() and syscall_num(): the target's syscall table, made from
 * its own headers at build time (gen-tables.sh writes stp_syscall_table.h
 * into the module's build folder).  x86_64's 64-bit ABI. */
#ifndef RUNTIME_SYSCALLS_SYSCALL_NAMES_H
#define RUNTIME_SYSCALLS_SYSCALL_NAMES_H

#include "../runtime_defs.h"

/* The name of syscall nr, or NULL when there is none. */
STP_API const char *stp_syscall_name(int64_t nr);
/* The number of the syscall called name, or -1. */
STP_API int64_t stp_syscall_num(const char *name);

#endif
