/* Reading the traced process's memory. */
#include "umem.h"
#include "context.h"

/* Strings are read a page at a time at most, so a string that ends just
 * before an unmapped page is not lost to a read that crosses into it. */
#define STP_UMEM_PAGE 4096UL

STP_API int stp_user_string(struct stp_context *c, const struct stp_loc *loc, char *dst,
			    unsigned long addr, int64_t maxlen)
{
	size_t limit = (maxlen <= 0 || maxlen > MAXSTRINGLEN) ? MAXSTRINGLEN - 1
							     : (size_t)maxlen - 1;
	size_t got = 0;

	while (got < limit) {
		unsigned long at = addr + got;
		size_t chunk = STP_UMEM_PAGE - (at & (STP_UMEM_PAGE - 1));
		size_t i;

		if (chunk > limit - got)
			chunk = limit - got;
		if (stp_copy_from_user(dst + got, at, chunk)) {
			dst[0] = '\0';
			stp_errorf(c, loc, "user string copy fault %d at 0x%lx [man error::fault]",
				   -EFAULT, at);
			return -EFAULT;
		}
		for (i = 0; i < chunk; i++)
			if (dst[got + i] == '\0')
				return 0;
		got += chunk;
	}
	dst[got] = '\0';
	return 0;
}

STP_API int stp_mem_read(struct stp_context *c, const struct stp_loc *loc, void *dst,
			 unsigned long addr, size_t n, int user)
{
	int rc = user ? stp_copy_from_user(dst, addr, n) : stp_read_kernel(dst, addr, n);

	if (rc) {
		stp_errorf(c, loc, "read fault [man error::fault] at 0x%lx", addr);
		return -EFAULT;
	}
	return 0;
}
