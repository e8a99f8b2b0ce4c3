/* 64-bit script arithmetic.  Script longs wrap on overflow as SystemTap's
 * do (kernel C is built with -fno-strict-overflow); the core spells the
 * wrapping out through unsigned arithmetic so no compiler or sanitizer
 * sees undefined behaviour. */
#ifndef RUNTIME_ARITH_H
#define RUNTIME_ARITH_H

#include "runtime_defs.h"

struct stp_context;

static inline int64_t stp_add64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int64_t stp_sub64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static inline int64_t stp_mul64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static inline int64_t stp_neg64(int64_t a)
{
	return (int64_t)(0 - (uint64_t)a);
}

/* a << n for 0 <= n < 64, of negative values too. */
static inline int64_t stp_shl64(int64_t a, int n)
{
	return (int64_t)((uint64_t)a << (n & 63));
}

/* a / b for b != 0: INT64_MIN / -1 wraps to INT64_MIN. */
static inline int64_t stp_sdiv64(int64_t a, int64_t b)
{
	if (unlikely(b == -1))
		return stp_neg64(a);
	return a / b;
}

/* The script's / and %: division by zero is the error "division by 0"
 * (the caller must check stp_failed); x % 1 and x % -1 are 0. */
STP_API int64_t stp_div64(struct stp_context *c, const struct stp_loc *loc, int64_t a,
			  int64_t b);
STP_API int64_t stp_mod64(struct stp_context *c, const struct stp_loc *loc, int64_t a,
			  int64_t b);

#endif
