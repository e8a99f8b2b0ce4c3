/* timer.s/ms/us/ns/jiffies/hz probes: one periodic timer per probe, on
 * either platform.  The generated code fills a table of struct stp_timer
 * and calls stp_timers_start after the begin probes and stp_timers_stop
 * before the end probes.  Each firing runs the probe through
 * stp_probe_run (in the RUNNING state only).
 *
 * Kernel: an hrtimer per probe (hard interrupt context), forwarded by its
 * period so it never drifts or bursts.  User: a timer of the ptrace
 * tracer's loop (runtime/user/tracer.h), on the loop's thread. */
#ifndef RUNTIME_TIMER_H
#define RUNTIME_TIMER_H

#include "runtime_defs.h"

#ifdef __KERNEL__
#include "linux/timer.h"
#else
#include "user/timer.h"
#endif

struct stp_timer {
	const struct stp_probe *probe;
	int64_t period_ns;	/* 0 with jiffies */
	int64_t jiffies;	/* timer.jiffies(N): N */
	int64_t randomize_ns;	/* .randomize(M) in ns, or ... */
	int64_t randomize_jiffies;	/* ... in jiffies */
	/* run time */
	int64_t base_ns, spread_ns;
	uint64_t rand;
	struct stp_timer_platform plat;
};

/* Arms n timers; 0 or -errno (none left armed). */
STP_API int stp_timers_start(struct stp_timer *t, unsigned int n);
/* Disarms them and waits for a firing in progress. */
STP_API void stp_timers_stop(struct stp_timer *t, unsigned int n);

/* The next interval: the period, plus a uniform offset in
 * [-spread, +spread] when randomized (at least 1 ns). */
static inline int64_t stp_timer_interval(struct stp_timer *t)
{
	int64_t ns = t->base_ns;

	if (t->spread_ns) {
		uint64_t x = t->rand;

		/* xorshift64: cheap, lock-free, fine for spreading timers. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t->rand = x;
		ns += (int64_t)(x % (uint64_t)(2 * t->spread_ns + 1)) - t->spread_ns;
	}
	return ns > 0 ? ns : 1;
}

#ifdef __KERNEL__
#include "linux/timer.c"
#else
#include "user/timer.c"
#endif

#endif
