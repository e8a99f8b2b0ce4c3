/* Time, cpu() and randint(). */
#include "timefn.h"
#include "context.h"

STP_API int64_t stp_gettimeofday_ns(void)
{
	return stp_time_real_ns();
}

STP_API int64_t stp_gettimeofday_us(void)
{
	return stp_time_real_ns() / 1000;
}

STP_API int64_t stp_gettimeofday_ms(void)
{
	return stp_time_real_ns() / 1000000;
}

STP_API int64_t stp_gettimeofday_s(void)
{
	return stp_time_real_ns() / 1000000000;
}

STP_API int64_t stp_local_clock_ns(void)
{
	return stp_time_local_ns();
}

STP_API int64_t stp_local_clock_us(void)
{
	return stp_time_local_ns() / 1000;
}

STP_API int64_t stp_local_clock_ms(void)
{
	return stp_time_local_ns() / 1000000;
}

STP_API int64_t stp_local_clock_s(void)
{
	return stp_time_local_ns() / 1000000000;
}

STP_API int64_t stp_cpu(const struct stp_context *c)
{
	return c->cpu;
}

STP_API void stp_random_init(struct stp_context *c, uint64_t seed)
{
	/* splitmix64 of the seed: any seed, even 0, gives a nonzero state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	c->rand_state = z ? z : 1;
}

/* xorshift64*: the high 32 bits are good enough for randint's range. */
static uint32_t _stp_random_u32(struct stp_context *c)
{
	uint64_t x = c->rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rand_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

STP_API int64_t stp_randint(struct stp_context *c, const struct stp_loc *loc, int64_t n)
{
	uint32_t bound, x, threshold;
	uint64_t m;

	if ((uint64_t)n > STP_RANDINT_MAX) {
		stp_error(c, loc, "range too wide");
		return 0;
	}
	if (n == 0)
		return 0;
	/* Lemire's multiply-and-reject: exactly uniform. */
	bound = (uint32_t)n;
	x = _stp_random_u32(c);
	m = (uint64_t)x * bound;
	if ((uint32_t)m < bound) {
		threshold = (0u - bound) % bound;
		while ((uint32_t)m < threshold) {
			x = _stp_random_u32(c);
			m = (uint64_t)x * bound;
		}
	}
	return (int64_t)(m >> 32);
}
