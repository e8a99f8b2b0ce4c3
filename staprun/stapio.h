/* stapio: the loop that runs a started module, the same for both kinds.
 * A channel (chan_kernel.c: the debugfs control file and relay files;
 * chan_user.c: the socket to the tracer process) delivers control
 * messages to stapio_ctl and records to stapio_record; stapio merges the
 * records in sequence order, writes them out, prints warnings and errors,
 * runs system() requests, starts the -c command for kernel modules and
 * turns signals and the end of the target into STOP. */
#ifndef STAPRUN_STAPIO_H
#define STAPRUN_STAPIO_H
#include "options.h"
#include "runtime/transport/protocol.h"
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct stapio;
struct output;

struct chan {
	const struct chan_ops *ops;
	unsigned nchan;		/* record channels: CPUs (kernel), 1 (user); known
				 * when READY reaches stapio_ctl */
	bool hold_records;	/* kernel: leave records in the buffers (-L) */
};

struct chan_ops {
	/* fds to wait on; returns how many were filled in */
	int (*pollfds)(struct chan *c, struct pollfd *p, int max);
	/* reads what is there now (control and records); -1: the module is
	 * gone (the error is printed) */
	int (*pump)(struct chan *c, struct stapio *s);
	/* reads every record channel until it is empty */
	int (*drain)(struct chan *c, struct stapio *s);
	int (*send)(struct chan *c, stp_u32 type, const void *payload, stp_u32 len);
	void (*close)(struct chan *c);
};

/* Called by channels. */
void stapio_ctl(struct stapio *s, stp_u32 type, const char *payload, stp_u32 len);
int stapio_record(struct stapio *s, unsigned ch, const struct stp_record *r, const char *data);

enum stapio_kind { STAPIO_KERNEL, STAPIO_USER };

struct stapio_params {
	enum stapio_kind kind;
	const char *modname;		/* kernel: for -d and messages */
	pid_t tracer;			/* user: the tracer process */
	bool attach;			/* -A, -d: the module may be running already */
	bool stop_at_once;		/* -d: stop as soon as attached */
	int daemon_fd;			/* -D: write a byte here once started, then detach */
};

/* Runs the session; returns staprun's exit status.  Closes the channel. */
int stapio_run(struct chan *c, const struct options *o, struct output *out,
	       const struct stapio_params *p);

#endif
