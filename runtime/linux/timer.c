/* Kernel timer probes: one hrtimer each, in hard interrupt context like
 * SystemTap's.  Only APIs every 6.x kernel has are used here; newer
 * interfaces come in through probe-features.sh defines. */
#include "../context.h"

static enum hrtimer_restart stp_timer_fire(struct hrtimer *hr)
{
	struct stp_timer *t = container_of(hr, struct stp_timer, plat.hr);

	stp_probe_run(t->probe, NULL, NULL);
	hrtimer_forward_now(hr, ns_to_ktime(stp_timer_interval(t)));
	return HRTIMER_RESTART;
}

STP_API int stp_timers_start(struct stp_timer *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct stp_timer *x = &t[i];

		if (x->jiffies) {
			x->base_ns = (int64_t)jiffies_to_nsecs((unsigned long)x->jiffies);
			x->spread_ns = (int64_t)jiffies_to_nsecs((unsigned long)x->randomize_jiffies);
		} else {
			x->base_ns = x->period_ns;
			x->spread_ns = x->randomize_ns;
		}
		x->rand = stp_random_seed() | 1;
#ifdef USTAP_HAVE_HRTIMER_SETUP
		hrtimer_setup(&x->plat.hr, stp_timer_fire, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
		hrtimer_init(&x->plat.hr, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		x->plat.hr.function = stp_timer_fire;
#endif
		hrtimer_start(&x->plat.hr, ns_to_ktime(stp_timer_interval(x)), HRTIMER_MODE_REL);
		x->plat.armed = true;
	}
	return 0;
}

STP_API void stp_timers_stop(struct stp_timer *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i].plat.armed) {
			hrtimer_cancel(&t[i].plat.hr);
			t[i].plat.armed = false;
		}
}
