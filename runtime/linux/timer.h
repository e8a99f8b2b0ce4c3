/* The kernel part of timer probes (see ../timer.h). */
#ifndef RUNTIME_LINUX_TIMER_H
#define RUNTIME_LINUX_TIMER_H

#include <linux/hrtimer.h>
#include <linux/jiffies.h>

struct stp_timer_platform {
	struct hrtimer hr;
	bool armed;
};

#endif
