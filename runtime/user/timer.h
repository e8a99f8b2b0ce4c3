/* The user platform's part of timer probes (see ../timer.h). */
#ifndef RUNTIME_USER_TIMER_H
#define RUNTIME_USER_TIMER_H

struct stp_timer_platform {
	int id;		/* the tracer loop's timer, 0 when not armed */
};

#endif
