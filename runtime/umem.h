/* Reading the traced process's memory, for %m/%M and the tapset's
 * user_string() family.  The copying itself is the utrace platform's
 * stp_copy_from_user (runtime/utrace.h): all or nothing, never a fault. */
#ifndef RUNTIME_UMEM_H
#define RUNTIME_UMEM_H

#include "runtime_defs.h"

struct stp_context;

/* Copies n bytes of the current task's memory at src; 0 or -EFAULT.
 * Declared again here, identically, so the core needs no utrace header. */
int stp_copy_from_user(void *dst, unsigned long src, size_t n);

/* Copies the NUL-terminated string at addr into dst (MAXSTRINGLEN bytes),
 * at most maxlen - 1 characters (maxlen <= 0 or > MAXSTRINGLEN means
 * MAXSTRINGLEN).  On a fault sets SystemTap's error
 * "user string copy fault -14 at 0x... [man error::fault]" and returns
 * -EFAULT, dst then empty. */
STP_API int stp_user_string(struct stp_context *c, const struct stp_loc *loc, char *dst,
			    unsigned long addr, int64_t maxlen);

/* n bytes at addr, from user memory (user != 0) or kernel memory (the
 * user platform has none and reads the process either way).  On a fault
 * sets "read fault [man error::fault] at 0x..." and returns -EFAULT. */
STP_API int stp_mem_read(struct stp_context *c, const struct stp_loc *loc, void *dst,
			 unsigned long addr, size_t n, int user);

#endif
