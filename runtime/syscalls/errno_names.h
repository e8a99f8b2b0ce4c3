/* errno_str() and returnstr(): the target's errno names, made from its own
 * headers at build time (gen-tables.sh writes stp_errno_table.h into the
 * module's build folder). */
#ifndef RUNTIME_SYSCALLS_ERRNO_NAMES_H
#define RUNTIME_SYSCALLS_ERRNO_NAMES_H

#include "../runtime_defs.h"

/* The name of errno value |e| ("ENOENT" for 2 or -2), or NULL. */
STP_API const char *stp_errno_name(int64_t e);
/* errno_str(e) into dst (MAXSTRINGLEN bytes): the name of |e|, or "E#N"
 * (N = |e|) for a value without one, as SystemTap documents it. */
STP_API void stp_errno_str(int64_t e, char *dst);
/* returnstr(format) of a return value ret into dst: "-2 (ENOENT)" for a
 * known error, else "0x1f" (format 2), "037" (format 3) or "31". */
STP_API void stp_returnstr(int64_t ret, int64_t format, char *dst);

#endif
