/* The session: its state, its error and skip counters, out-of-band
 * messages, and the per-CPU contexts. */
#include "context.h"
#include "print.h"
#include "timefn.h"
#include "transport_hooks.h"

static struct {
	stp_atomic_t state;
	stp_atomic_t errors;
	stp_atomic_t skipped;
	stp_atomic_t skipped_why[STP_SKIP_NREASONS];
	stp_atomic_t exit_requested;
	struct stp_context **contexts;
	unsigned int ncpus;
} stp_session;

/* Formatted on the stack, so any code may send them; a handler's error
 * line, which can be longer, is built in its context. */
static __attribute__((__format__(__printf__, 2, 0))) void
_stp_ctl_vsend(unsigned int type, const char *fmt, va_list ap)
{
	char buf[256];
	int n = stp_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	stp_transport_ctl(type, buf, (size_t)n);
}

STP_API void stp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_stp_ctl_vsend(STP_MSG_WARNING, fmt, ap);
	va_end(ap);
}

STP_API void stp_report_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_stp_ctl_vsend(STP_MSG_ERROR, fmt, ap);
	va_end(ap);
}

STP_API void stp_warn_text(const char *text)
{
	stp_transport_ctl(STP_MSG_WARNING, text, strnlen(text, MAXSTRINGLEN - 1));
}

static void _stp_request_exit(void)
{
	if (!stp_atomic_xchg(&stp_session.exit_requested, 1))
		stp_transport_ctl(STP_MSG_REQUEST_EXIT, "", 0);
}

STP_API int stp_session_state(void)
{
	return stp_atomic_read(&stp_session.state);
}

STP_API int stp_session_started(void)
{
	stp_atomic_cmpxchg(&stp_session.state, STP_SESSION_STARTING, STP_SESSION_RUNNING);
	return stp_session_state();
}

STP_API void stp_session_stopping(void)
{
	stp_atomic_cmpxchg(&stp_session.state, STP_SESSION_RUNNING, STP_SESSION_STOPPING);
	stp_atomic_cmpxchg(&stp_session.state, STP_SESSION_STARTING, STP_SESSION_STOPPING);
}

STP_API void stp_session_end_probes(void)
{
	stp_atomic_cmpxchg(&stp_session.state, STP_SESSION_ERROR, STP_SESSION_STOPPING);
}

STP_API void stp_exit(void)
{
	stp_session_stopping();
	_stp_request_exit();
}

STP_API int stp_error_count(void)
{
	return stp_atomic_read(&stp_session.errors);
}

STP_API int stp_skipped_count(void)
{
	return stp_atomic_read(&stp_session.skipped);
}

STP_API int stp_skipped_count_reason(enum stp_skip_reason why)
{
	return stp_atomic_read(&stp_session.skipped_why[why]);
}

STP_API void stp_session_report(void)
{
	int errors = stp_error_count(), skipped = stp_skipped_count();

	if (errors || skipped)
		stp_warn("Number of errors: %d, skipped probes: %d", errors, skipped);
}

/* Moves a live session to ERROR (end probes are then skipped, error
 * probes run) and asks stapio to stop it. */
static void _stp_session_fail(void)
{
	int state = stp_session_state();

	while (state != STP_SESSION_ERROR && state != STP_SESSION_STOPPED) {
		int seen = stp_atomic_cmpxchg(&stp_session.state, state, STP_SESSION_ERROR);

		if (seen == state)
			break;
		state = seen;
	}
	_stp_request_exit();
}

static void _stp_skip(enum stp_skip_reason why)
{
	stp_atomic_inc_return(&stp_session.skipped_why[why]);
	if (stp_atomic_inc_return(&stp_session.skipped) > MAXSKIPPED &&
	    stp_atomic_cmpxchg(&stp_session.state, STP_SESSION_RUNNING, STP_SESSION_ERROR) ==
		    STP_SESSION_RUNNING) {
		stp_report_error("Skipped too many probes, check MAXSKIPPED"
				 " or try again with stap -t for more details.");
		_stp_request_exit();
	}
}

/* ---- contexts ---- */

STP_API int stp_runtime_init_size(size_t locals_size)
{
	unsigned int cpu;
	int i, rc = stp_platform_init();

	if (rc)
		return rc;
	stp_atomic_set(&stp_session.state, STP_SESSION_STARTING);
	stp_atomic_set(&stp_session.errors, 0);
	stp_atomic_set(&stp_session.skipped, 0);
	for (i = 0; i < STP_SKIP_NREASONS; i++)
		stp_atomic_set(&stp_session.skipped_why[i], 0);
	stp_atomic_set(&stp_session.exit_requested, 0);
	stp_session.ncpus = stp_ncpus();
	stp_session.contexts = stp_alloc(stp_session.ncpus * sizeof(struct stp_context *));
	if (!stp_session.contexts)
		goto nomem;
	for (cpu = 0; cpu < stp_session.ncpus; cpu++) {
		struct stp_context *c = stp_alloc(sizeof(struct stp_context) + locals_size);

		if (!c)
			goto nomem;
		c->cpu = cpu;
		stp_random_init(c, stp_random_seed() + cpu);
		stp_session.contexts[cpu] = c;
	}
	return 0;
nomem:
	stp_runtime_exit();
	return -ENOMEM;
}

STP_API bool stp_runtime_quiesce(void)
{
	int waited;

	for (waited = 0; waited < 1000; waited++) {
		unsigned int cpu;
		bool busy = false;

		for (cpu = 0; cpu < stp_session.ncpus; cpu++) {
			struct stp_context *c = stp_session.contexts[cpu];

			if (c && stp_atomic_read(&c->busy))
				busy = true;
		}
		if (!busy)
			return true;
		stp_msleep(1);
	}
	return false;
}

STP_API void stp_runtime_exit(void)
{
	unsigned int cpu;

	stp_atomic_set(&stp_session.state, STP_SESSION_STOPPED);
	if (stp_session.contexts) {
		if (!stp_runtime_quiesce())
			stp_warn("probe handlers still running at exit");
		for (cpu = 0; cpu < stp_session.ncpus; cpu++)
			stp_free(stp_session.contexts[cpu]);
		stp_free(stp_session.contexts);
		stp_session.contexts = NULL;
	}
	stp_session.ncpus = 0;
	stp_platform_exit();
}

/* ---- errors ---- */

STP_API void stp_error(struct stp_context *c, const struct stp_loc *loc, const char *msg)
{
	if (!c || c->last_error)
		return;
	c->last_error = msg;
	if (loc)
		c->last_loc = *loc;
	else
		c->last_loc.near = NULL;
}

STP_API void stp_errorf(struct stp_context *c, const struct stp_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (!c || c->last_error)
		return;
	va_start(ap, fmt);
	stp_vsnprintf(c->error_msg, sizeof(c->error_msg), fmt, ap);
	va_end(ap);
	stp_error(c, loc, c->error_msg);
}

STP_API void stp_abort(struct stp_context *c)
{
	stp_exit();
	c->aborted = true;
	if (!c->last_error)
		c->last_error = "abort";
}

STP_API void stp_error_catch(struct stp_context *c, char *dst)
{
	if (dst) {
		if (c->last_error) {
			size_t n = strnlen(c->last_error, MAXSTRINGLEN - 1);

			memmove(dst, c->last_error, n);
			dst[n] = '\0';
		} else {
			dst[0] = '\0';
		}
	}
	c->last_error = NULL;
}

/* "MESSAGE near NEAR at FILE:LINE:COL", sent as one ERROR message. */
static void _stp_report_handler_error(struct stp_context *c)
{
	const struct stp_loc *l = &c->last_loc;
	int n;

	if (l->near)
		n = snprintf(c->ctl_msg, sizeof(c->ctl_msg), "%s near %s at %s:%u:%u",
			     c->last_error, l->near, l->file ? l->file : "<input>", l->line, l->col);
	else
		n = snprintf(c->ctl_msg, sizeof(c->ctl_msg), "%s", c->last_error);
	if (n >= (int)sizeof(c->ctl_msg))
		n = sizeof(c->ctl_msg) - 1;
	if (n >= 0)
		stp_transport_ctl(STP_MSG_ERROR, c->ctl_msg, (size_t)n);
	if (stp_atomic_inc_return(&stp_session.errors) > MAXERRORS)
		_stp_session_fail();
}

/* ---- running probes ---- */

STP_API void stp_probe_run(const struct stp_probe *p, struct task_struct *task,
			   struct pt_regs *regs)
{
	struct stp_context *c;
	unsigned int cpu;

	if (stp_atomic_read(&stp_session.state) != p->state || !stp_session.contexts)
		return;
	cpu = stp_cpu_get();
	if (unlikely(stp_stack_low())) {
		_stp_skip(STP_SKIP_STACK);
		goto put;
	}
	c = stp_session.contexts[cpu];
	if (unlikely(!stp_cpu_flag_claim(&c->busy))) {
		_stp_skip(STP_SKIP_REENTRANT);
		goto put;
	}
	c->probe = p;
	c->probe_point = p->pp;
	c->probe_name = p->pn ? p->pn : p->pp;
	c->task = task;
	c->regs = regs;
	c->actionremaining = (p->flags & STP_PROBE_INTERRUPTIBLE) ? MAXACTION_INTERRUPTIBLE
								  : MAXACTION;
	c->nesting = 0;
	c->last_error = NULL;
	c->aborted = false;
	c->match.result = 0;
	c->run++;
	if (p->nlocks && stp_locks_acquire(p->locks, p->nlocks)) {
		_stp_skip(STP_SKIP_LOCK);
		goto release;
	}
	p->handler(c);
	if (p->nlocks)
		stp_locks_release(p->locks, p->nlocks);
	stp_print_flush(c);
	if (unlikely(c->last_error) && !c->aborted)
		_stp_report_handler_error(c);
release:
	c->probe = NULL;
	c->probe_point = NULL;
	c->probe_name = NULL;
	c->task = NULL;
	c->regs = NULL;
	stp_cpu_flag_release(&c->busy);
put:
	stp_cpu_put(cpu);
}
