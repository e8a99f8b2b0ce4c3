/* The stapio loop. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "stapio.h"
#include "interrupts.h"
#include "kmod.h"
#include "merge.h"
#include "msg.h"
#include "output.h"
#include "target.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum state { ST_WAIT_READY, ST_STARTING, ST_RUNNING, ST_STOPPING, ST_DONE };

/* A warning, error or system() request waiting for the records that came
 * before it (kernel: those numbered below the last SEQ barrier). */
struct deferred {
	struct deferred *next;
	uint64_t at, ms;
	stp_u32 type, len;
	char text[];
};

struct stapio {
	struct chan *c;
	const struct options *o;
	const struct stapio_params *p;
	struct output *out;
	struct merge *merge;
	int sigfd;
	enum state state;
	struct stp_msg_ready ready;
	bool have_ready, have_started, stop_sent;
	int start_status;
	int interrupts;
	bool detach, forced, fatal;
	unsigned errors;
	uint64_t lost, ctl_lost;
	pid_t target;		/* kernel -c command */
	bool target_running;
	pid_t tracer;		/* user: the tracer process */
	bool tracer_reaped;
	int tracer_status;
	int nsystem;		/* system() commands still running */
	bool output_dead;	/* write error: output is discarded */
	bool reader_gone;	/* ... because the reader closed the pipe */
	uint64_t barrier;	/* the last SEQ: records below it came first */
	struct deferred *dq, **dq_tail;
};

static struct stapio *flush_target;

static void flush_output(void)
{
	if (flush_target && flush_target->out)
		output_flush(flush_target->out);
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void request_stop(struct stapio *s, const char *why)
{
	if (s->stop_sent || s->state == ST_DONE)
		return;
	dbug(1, "sending STOP (%s)", why);
	if (s->c->ops->send(s->c, STP_MSG_STOP, NULL, 0) < 0) {
		s->fatal = true;
		return;
	}
	s->stop_sent = true;
	if (s->state == ST_RUNNING)
		s->state = ST_STOPPING;
}

static void output_failed(struct stapio *s)
{
	int e = output_error(s->out);

	if (s->output_dead)
		return;
	s->output_dead = true;
	/* A reader that left (head, a closed pager) ends the run quietly. */
	if (e != EPIPE) {
		err("Couldn't write the output: %s", strerror(e ? e : EIO));
		s->errors++;
	} else {
		s->reader_gone = true;
	}
	request_stop(s, "output failed");
}

static void deliver(struct stapio *s, stp_u32 type, const char *text, stp_u32 len);

/* Delivers the deferred messages due before record number upto; all of
 * them when all is set, or those that waited past the merge window. */
static void deliver_due(struct stapio *s, uint64_t upto, bool all)
{
	uint64_t now = now_ms();

	while (s->dq && (all || s->dq->at <= upto || now - s->dq->ms >= 100)) {
		struct deferred *d = s->dq;
		s->dq = d->next;
		if (!s->dq)
			s->dq_tail = &s->dq;
		deliver(s, d->type, d->text, d->len);
		free(d);
	}
}

static void defer(struct stapio *s, stp_u32 type, const char *text, stp_u32 len)
{
	/* Nothing to wait for: every record below the barrier is out. */
	if (!s->dq && (!s->merge || merge_next(s->merge) >= s->barrier)) {
		deliver(s, type, text, len);
		return;
	}
	struct deferred *d = malloc(sizeof(*d) + len);
	if (!d) {
		deliver(s, type, text, len);
		return;
	}
	d->next = NULL;
	d->at = s->barrier;
	d->ms = now_ms();
	d->type = type;
	d->len = len;
	memcpy(d->text, text, len);
	*s->dq_tail = d;
	s->dq_tail = &d->next;
}

static int emit(void *ctx, uint64_t seq, const char *data, uint32_t len)
{
	struct stapio *s = ctx;

	if (s->dq)
		deliver_due(s, seq, false);
	if (s->output_dead)
		return 0;
	if (output_write(s->out, data, len) < 0)
		output_failed(s);
	return 0;
}

int stapio_record(struct stapio *s, unsigned ch, const struct stp_record *r, const char *data)
{
	if (!s->merge)
		return -1;
	return merge_push(s->merge, ch, r->seq, data, r->len, now_ms());
}

static void drain(struct stapio *s)
{
	if (s->c->ops->drain(s->c, s) < 0)
		s->fatal = true;
	if (s->merge)
		merge_tick(s->merge);
}

static void run_system(struct stapio *s, const char *cmd, stp_u32 len)
{
	char *text = strndup(cmd, len);

	if (!text)
		return;
	/* The command's own output follows the records printed before it. */
	if (output_flush(s->out) < 0)
		output_failed(s);
	fflush(stdout);
	dbug(1, "system(%s)", text);
	pid_t pid = fork();
	if (pid == 0) {
		child_reset();
		execl("/bin/sh", "sh", "-c", text, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		warn("Couldn't run system(\"%s\"): %s", text, strerror(errno));
	else
		s->nsystem++;
	free(text);
}

static void on_ready(struct stapio *s, const char *payload, stp_u32 len)
{
	if (s->have_ready)
		return;
	memset(&s->ready, 0, sizeof(s->ready));
	memcpy(&s->ready, payload, len < sizeof(s->ready) ? len : sizeof(s->ready));
	if (s->ready.protocol != STP_PROTOCOL_VERSION) {
		err("The module speaks transport protocol %u; this staprun speaks %d.",
		    s->ready.protocol, STP_PROTOCOL_VERSION);
		s->fatal = true;
		return;
	}
	bool running = s->ready.flags & STP_READY_STARTED;
	s->merge = merge_new(s->c->nchan, !(s->p->attach && running), emit, s);
	if (!s->merge) {
		err("Memory allocation failed.");
		s->fatal = true;
		return;
	}
	s->have_ready = true;
	dbug(2, "READY: %u channels of %u bytes, flags %#x", s->c->nchan,
	     s->ready.buffer_bytes, s->ready.flags);
}

static void deliver(struct stapio *s, stp_u32 type, const char *text, stp_u32 len)
{
	switch (type) {
	case STP_MSG_WARNING:
		if (!s->o->suppress_warnings)
			msg_text(false, text, len);
		break;
	case STP_MSG_ERROR:
		s->errors++;
		msg_text(true, text, len);
		break;
	case STP_MSG_SYSTEM:
		run_system(s, text, len);
		break;
	}
}

void stapio_ctl(struct stapio *s, stp_u32 type, const char *payload, stp_u32 len)
{
	/* Only an error (the tracer's dlopen failed) may come before READY. */
	if (!s->have_ready && type != STP_MSG_READY && type != STP_MSG_ERROR) {
		if (!s->fatal)
			err("The module sent message type %u before READY.", type);
		s->fatal = true;
		return;
	}
	switch (type) {
	case STP_MSG_READY:
		on_ready(s, payload, len);
		break;
	case STP_MSG_STARTED: {
		struct stp_msg_started st = { 0 };
		memcpy(&st, payload, len < sizeof(st) ? len : sizeof(st));
		s->have_started = true;
		s->start_status = st.status;
		break;
	}
	case STP_MSG_REQUEST_EXIT:
		request_stop(s, "the script called exit()");
		break;
	case STP_MSG_STOPPED:
		drain(s);
		if (s->merge && merge_release_all(s->merge) < 0)
			s->fatal = true;
		deliver_due(s, 0, true);
		s->state = ST_DONE;
		break;
	case STP_MSG_WARNING:
	case STP_MSG_ERROR:
	case STP_MSG_SYSTEM:
		defer(s, type, payload, len);
		break;
	case STP_MSG_LOST: {
		struct stp_msg_lost l = { 0 };
		memcpy(&l, payload, len < sizeof(l) ? len : sizeof(l));
		s->lost += l.records;
		break;
	}
	case STP_MSG_SEQ: {
		struct stp_msg_seq q = { 0 };
		memcpy(&q, payload, len < sizeof(q) ? len : sizeof(q));
		if (q.next_seq > s->barrier)
			s->barrier = q.next_seq;
		break;
	}
	case STP_MSG_TARGET_EXITED: {
		struct stp_msg_target_exited t = { 0 };
		memcpy(&t, payload, len < sizeof(t) ? len : sizeof(t));
		if (WIFSIGNALED(t.wstatus))
			dbug(1, "Child process exited with signal %d (%s)", WTERMSIG(t.wstatus),
			     strsignal(WTERMSIG(t.wstatus)));
		else
			dbug(1, "Child process exited with status %d", WEXITSTATUS(t.wstatus));
		request_stop(s, "the -c command exited");
		break;
	}
	case STP_MSG_CTL_LOST: {
		struct stp_msg_ctl_lost l = { 0 };
		memcpy(&l, payload, len < sizeof(l) ? len : sizeof(l));
		s->ctl_lost += l.messages;
		s->errors += l.errors;
		break;
	}
	default:
		dbug(1, "ignored message of type %u", type);
	}
}

static void reap(struct stapio *s)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == s->target && s->target_running) {
			s->target_running = false;
			if (WIFSIGNALED(st))
				dbug(1, "Child process exited with signal %d (%s)", WTERMSIG(st),
				     strsignal(WTERMSIG(st)));
			else
				dbug(1, "Child process exited with status %d", WEXITSTATUS(st));
			request_stop(s, "the -c command exited");
		} else if (pid == s->tracer) {
			s->tracer_reaped = true;
			s->tracer_status = st;
		} else if (s->nsystem > 0) {
			s->nsystem--;
		}
	}
}

static void interrupt(struct stapio *s)
{
	s->interrupts++;
	if (s->interrupts == 1)
		request_stop(s, "interrupted");
	else if (s->interrupts == 2)
		note("Waiting for the end probes to finish; interrupt once more to force an exit.");
	else
		s->forced = true;
}

static void on_signals(struct stapio *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
		case SIGHUP:
			/* A group's signal comes twice: directly and from stap. */
			if (intr_is_new(&si, getppid(), now_ms()))
				interrupt(s);
			break;
		case SIGQUIT:
			/* Detaching leaves a kernel module running; a tracer
			 * process cannot outlive us, so there it is an interrupt. */
			if (s->p->kind == STAPIO_KERNEL && s->state == ST_RUNNING)
				s->detach = true;
			else
				interrupt(s);
			break;
		case SIGCHLD:
			reap(s);
			break;
		case SIGUSR2:
			if (s->o->outfile && output_switch(s->out) < 0)
				output_failed(s);
			break;
		}
	}
}

/* One turn: wait for something, then read everything there is. */
static void turn(struct stapio *s, int timeout_ms)
{
	struct pollfd p[1 + 1024];
	int n = s->c->ops->pollfds(s->c, p + 1, 1024);

	p[0].fd = s->sigfd;
	p[0].events = POLLIN;
	if (((s->merge && merge_pending(s->merge)) || s->dq) && (timeout_ms < 0 || timeout_ms > 50))
		timeout_ms = 50;
	if (poll(p, (nfds_t)n + 1, timeout_ms) < 0 && errno != EINTR) {
		err("Unexpected error in poll: %s", strerror(errno));
		s->fatal = true;
		return;
	}
	on_signals(s);
	/* STOPPED and the tracer's EOF may arrive in one read: only an end
	 * before STOPPED is a failure. */
	if (s->state != ST_DONE && s->c->ops->pump(s->c, s) < 0 && s->state != ST_DONE)
		s->fatal = true;
	if (s->merge) {
		merge_tick(s->merge);
		if (merge_release(s->merge, now_ms()) < 0)
			s->fatal = true;
	}
	if (s->dq)
		deliver_due(s, s->merge && !merge_pending(s->merge) ? merge_next(s->merge) : 0, false);
	if (output_flush(s->out) < 0)
		output_failed(s);
}

static int setup_signals(struct stapio *s)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0) {
		err("Couldn't set up signal handling: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* -D: tell the waiting parent we are running, then lose the terminal. */
static void daemonize(struct stapio *s)
{
	int null = open("/dev/null", O_RDWR);

	if (write(s->p->daemon_fd, "s", 1) != 1)
		_exit(1);
	close(s->p->daemon_fd);
	setsid();
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	msg_use_syslog();
}

static void start(struct stapio *s)
{
	struct stp_msg_start st = { .target_pid = s->o->target_pid };
	int gate = -1;

	if (s->p->kind == STAPIO_KERNEL && s->o->target_cmd) {
		s->target = target_fork_held(s->o->target_cmd, &gate);
		if (s->target < 0) {
			s->fatal = true;
			return;
		}
		s->target_running = true;
		st.target_pid = s->target;
		st.flags |= STP_START_HELD;
	}
	s->state = ST_STARTING;
	if (s->c->ops->send(s->c, STP_MSG_START, &st, sizeof(st)) < 0) {
		s->fatal = true;
		return;
	}
	while (!s->have_started && !s->fatal && !s->forced && s->state != ST_DONE)
		turn(s, s->o->reader_timeout_ms);
	if (s->have_started && s->start_status == 0) {
		dbug(1, "probes started");
		/* Interrupted meanwhile: the command never runs unobserved. */
		if (gate >= 0 && !s->stop_sent)
			target_release(gate);
		else if (gate >= 0)
			close(gate);
		if (s->state == ST_STARTING)
			s->state = s->stop_sent ? ST_STOPPING : ST_RUNNING;
		return;
	}
	if (gate >= 0)
		close(gate);	/* the held command exits without running */
	if (s->have_started && !s->errors)
		err("Couldn't start the probes: %s", strerror(-s->start_status));
	s->errors += s->have_started;
	if (s->state == ST_STARTING)
		s->state = ST_RUNNING;
	request_stop(s, "the probes did not start");
}

static void finish_tracer(struct stapio *s)
{
	if (s->p->kind != STAPIO_USER)
		return;
	if (!s->tracer_reaped && s->fatal && !s->forced) {
		/* The protocol broke: a sane tracer ends when its socket
		 * closes; one that does not gets two seconds. */
		for (int i = 0; i < 200 && !s->tracer_reaped; i++) {
			if (waitpid(s->tracer, &s->tracer_status, WNOHANG) == s->tracer)
				s->tracer_reaped = true;
			else
				usleep(10000);
		}
		if (!s->tracer_reaped)
			kill(s->tracer, SIGKILL);
	}
	if (!s->tracer_reaped) {
		if (s->forced)
			kill(s->tracer, SIGKILL);
		if (waitpid(s->tracer, &s->tracer_status, 0) == s->tracer)
			s->tracer_reaped = true;
	}
	if (!s->tracer_reaped)
		return;
	int st = s->tracer_status;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && s->fatal) {
		s->errors++;	/* killed above, after the error that said why */
	} else if (WIFSIGNALED(st) && !s->forced) {
		err("The tracer process was killed by signal %d (%s).", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
		s->errors++;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) && !msg_errors() && !s->forced) {
		err("The tracer process exited with status %d.", WEXITSTATUS(st));
		s->errors++;
	} else if (WIFEXITED(st) && WEXITSTATUS(st)) {
		s->errors++;
	} else if (s->fatal && !msg_errors() && !s->forced) {
		err("The tracer process ended before the probes stopped.");
	}
}

/* system() commands started late in the run still print before we exit. */
static void wait_system(struct stapio *s)
{
	while (s->nsystem > 0 && s->interrupts == 0) {
		struct pollfd p = { .fd = s->sigfd, .events = POLLIN };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		on_signals(s);
	}
}

static void report_lost(struct stapio *s)
{
	uint64_t lost = s->lost + (s->merge ? merge_missing(s->merge) : 0);

	/* Nobody reads what was lost after the reader left. */
	if (s->reader_gone)
		return;
	if (lost)
		warn("%" PRIu64 " message%s lost", lost, lost == 1 ? "" : "s");
	if (s->ctl_lost)
		warn("%" PRIu64 " warning, error or system() message%s lost", s->ctl_lost,
		     s->ctl_lost == 1 ? "" : "s");
}

int stapio_run(struct chan *c, const struct options *o, struct output *out,
	       const struct stapio_params *p)
{
	struct stapio s = {
		.c = c, .o = o, .p = p, .out = out, .sigfd = -1,
		.tracer = p->kind == STAPIO_USER ? p->tracer : -1,
	};
	s.dq_tail = &s.dq;
	int status = 1;

	flush_target = &s;
	msg_set_flush_hook(flush_output);
	/* -L: the output stays in the buffers for a later -A. */
	c->hold_records = o->load_only;
	if (setup_signals(&s) < 0)
		goto close;

	while (!s.have_ready && !s.fatal && !s.forced && s.state != ST_DONE)
		turn(&s, o->reader_timeout_ms);
	if (s.fatal || s.forced)
		goto close;

	if (s.ready.flags & STP_READY_STOPPED) {
		drain(&s);
		merge_release_all(s.merge);
		s.state = ST_DONE;
	} else if (s.ready.flags & STP_READY_STARTED) {
		s.state = ST_RUNNING;
		if (p->stop_at_once)
			request_stop(&s, "-d");
	} else if (s.stop_sent) {
		/* Interrupted before READY: STOP went first, nothing to start. */
		s.state = ST_STOPPING;
	} else {
		start(&s);
		if (p->stop_at_once)
			request_stop(&s, "-d");
	}
	if (o->load_only && !s.fatal && s.state == ST_RUNNING && !s.stop_sent) {
		s.detach = true;
	} else if (p->daemon_fd >= 0 && !s.fatal) {
		daemonize(&s);
	}

	while (s.state != ST_DONE && !s.fatal && !s.forced && !s.detach)
		turn(&s, o->reader_timeout_ms);

close:
	if (s.merge && !s.forced)
		merge_release_all(s.merge);
	deliver_due(&s, 0, true);
	if (output_flush(out) < 0)
		output_failed(&s);
	c->ops->close(c);
	if (s.detach) {
		note("Disconnecting from systemtap module.\n"
		     "To reconnect, type \"staprun -A %s\"", p->modname);
		status = 0;
		goto out;
	}
	if (s.forced)
		err("Forced exit on the third interrupt: the end probes may not have run.");
	if (p->kind == STAPIO_KERNEL && kmod_unload(p->modname, s.forced) < 0)
		s.errors++;
	finish_tracer(&s);
	if (s.target_running && s.target > 0)
		kill(s.target, SIGTERM);
	wait_system(&s);
	report_lost(&s);
	status = s.errors || s.fatal || s.forced ? 1 : 0;
out:
	merge_free(s.merge);
	if (s.sigfd >= 0)
		close(s.sigfd);
	flush_target = NULL;
	msg_set_flush_hook(NULL);
	return status;
}
