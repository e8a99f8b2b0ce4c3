/* Time, cpu() and randint(), for the tapset. */
#ifndef RUNTIME_TIMEFN_H
#define RUNTIME_TIMEFN_H

#include "runtime_defs.h"

struct stp_context;

/* Wall-clock time since the epoch. */
STP_API int64_t stp_gettimeofday_ns(void);
STP_API int64_t stp_gettimeofday_us(void);
STP_API int64_t stp_gettimeofday_ms(void);
STP_API int64_t stp_gettimeofday_s(void);

/* A cheap monotonic clock (kernel: local_clock(), comparable on one CPU;
 * user: CLOCK_MONOTONIC). */
STP_API int64_t stp_local_clock_ns(void);
STP_API int64_t stp_local_clock_us(void);
STP_API int64_t stp_local_clock_ms(void);
STP_API int64_t stp_local_clock_s(void);

/* cpu(): the running handler's CPU (user platform: its thread's slot). */
STP_API int64_t stp_cpu(const struct stp_context *c);

/* randint(n): uniform in [0, n), without modulo bias; "range too wide"
 * for n beyond 1048576 (SystemTap's limit), 0 for n == 0. */
#define STP_RANDINT_MAX (1024 * 1024)
STP_API int64_t stp_randint(struct stp_context *c, const struct stp_loc *loc, int64_t n);

/* Seeds a context's generator (stp_runtime_init does). */
STP_API void stp_random_init(struct stp_context *c, uint64_t seed);

#endif
