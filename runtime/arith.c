/* Script division. */
#include "arith.h"
#include "context.h"

STP_API int64_t stp_div64(struct stp_context *c, const struct stp_loc *loc, int64_t a,
			  int64_t b)
{
	if (unlikely(b == 0)) {
		stp_error(c, loc, "division by 0");
		return 0;
	}
	return stp_sdiv64(a, b);
}

STP_API int64_t stp_mod64(struct stp_context *c, const struct stp_loc *loc, int64_t a,
			  int64_t b)
{
	if (unlikely(b == 0)) {
		stp_error(c, loc, "division by 0");
		return 0;
	}
	if (b == 1 || b == -1)
		return 0;
	return a % b;
}
