/* User timer probes: timers of the ptrace tracer's loop, so a probe runs
 * on the loop's thread between ptrace events, never concurrently with
 * them.  A randomized timer is re-added as a one-shot each time with a
 * new interval; a plain one is periodic. */
#include "../context.h"
#include "tracer.h"

/* Debian's kernels tick at 250 Hz; the user platform has no jiffies of
 * its own, so timer.jiffies(N) means N such ticks. */
#ifndef STP_USER_HZ
#define STP_USER_HZ 250
#endif

static void stp_timer_fire(void *data)
{
	struct stp_timer *t = data;

	if (t->spread_ns) {
		int id = stp_user_timer_add((uint64_t)stp_timer_interval(t), 0, stp_timer_fire, t);

		t->plat.id = id > 0 ? id : 0;
	}
	stp_probe_run(t->probe, NULL, NULL);
}

STP_API void stp_timers_stop(struct stp_timer *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i].plat.id > 0) {
			stp_user_timer_del(t[i].plat.id);
			t[i].plat.id = 0;
		}
}

STP_API int stp_timers_start(struct stp_timer *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct stp_timer *x = &t[i];
		int id;

		if (x->jiffies) {
			x->base_ns = x->jiffies * (1000000000LL / STP_USER_HZ);
			x->spread_ns = x->randomize_jiffies * (1000000000LL / STP_USER_HZ);
		} else {
			x->base_ns = x->period_ns;
			x->spread_ns = x->randomize_ns;
		}
		x->rand = stp_random_seed() | 1;
		id = stp_user_timer_add((uint64_t)stp_timer_interval(x),
					x->spread_ns ? 0 : (uint64_t)x->base_ns, stp_timer_fire, x);
		if (id < 0) {
			stp_timers_stop(t, i);
			return id;
		}
		x->plat.id = id;
	}
	return 0;
}
