/* Probe contexts, the probe entry sequence, and runtime errors.
 *
 * Each CPU has one context.  stp_probe_run() claims it for one probe
 * handler: a probe that fires while its CPU's context is busy (an
 * interrupt during a handler) is skipped and counted, never nested.  The
 * handler gets the context as its only argument; everything a handler
 * keeps lives there (locals, error state, output, regex submatches), so a
 * handler needs no stack beyond a few words and allocates nothing. */
#ifndef RUNTIME_CONTEXT_H
#define RUNTIME_CONTEXT_H

#include "runtime_defs.h"
#include "stat.h"
#include "lock.h"
#include "rxvm.h"

struct stp_context;
struct task_struct;
struct pt_regs;

/* Session states, as SystemTap orders them.  A probe runs only in the
 * state its descriptor names: begin probes in STARTING, event probes in
 * RUNNING, end probes in STOPPING, error probes in ERROR. */
enum stp_session_state {
	STP_SESSION_STARTING,
	STP_SESSION_RUNNING,
	STP_SESSION_ERROR,
	STP_SESSION_STOPPING,
	STP_SESSION_STOPPED,
};

#define STP_PROBE_INTERRUPTIBLE 0x1	/* MAXACTION_INTERRUPTIBLE applies */

struct stp_probe {
	const char *pp;		/* what pp() returns */
	void (*handler)(struct stp_context *c);
	int state;		/* enum stp_session_state the probe runs in */
	unsigned int flags;
	const struct stp_lock_req *locks;
	unsigned int nlocks;
	const char *pn;		/* what pn() returns (the alias as written); NULL: pp */
};

/* The last regex match (=~ / !~) of the running handler. */
struct stp_match {
	int result;		/* 1: the last match succeeded */
	int ngroups;		/* groups including group 0 */
	stp_rx_off_t caps[2 * STP_REGEX_MAX_GROUPS];
	char str[MAXSTRINGLEN];	/* the subject, so matched(n) can copy from it */
};

/* An error line: message, location, file name. */
#define STP_CTL_MSG_MAX (2 * MAXSTRINGLEN + 256)

#define STP_STAT_SCRATCH_BUCKETS \
	(HIST_LOG_BUCKETS > STP_MAX_BUCKETS ? HIST_LOG_BUCKETS : STP_MAX_BUCKETS)

struct stp_context {
	stp_atomic_t busy;
	unsigned int cpu;		/* what cpu() returns: index of per-CPU data */
	const struct stp_probe *probe;
	const char *probe_point;	/* pp() */
	const char *probe_name;		/* pn() */
	struct task_struct *task;	/* the event's task, or NULL */
	struct pt_regs *regs;		/* the event's registers, or NULL */
	int actionremaining;
	int nesting;			/* function calls in progress */

	/* The pending error: message (static text or error_msg) and where. */
	const char *last_error;
	struct stp_loc last_loc;
	/* Formatted runtime messages ("read fault ... at 0x..."): at least
	 * 128 bytes, so a small -DMAXSTRINGLEN does not cut them. */
	char error_msg[MAXSTRINGLEN < 128 ? 128 : MAXSTRINGLEN];
	char ctl_msg[STP_CTL_MSG_MAX];	/* the ERROR line being sent */

	bool aborted;			/* abort(): unwinding, not an error */

	uint64_t rand_state;
	uint32_t run;			/* bumped at every handler start */

	struct stp_match match;
	struct stp_rx_scratch rx;

	/* One key's statistics merged over all CPUs (@count(a[k]) ...): a
	 * struct stp_stat_data with room for any histogram. */
	int64_t stat_scratch[sizeof(struct stp_stat_data) / sizeof(int64_t) +
			     STP_STAT_SCRATCH_BUCKETS];

	/* tokenize(): the string being split and where the next token
	 * starts (kept across handlers, as SystemTap's tapset does). */
	char tok_str[MAXSTRINGLEN];
	size_t tok_pos, tok_len;

	/* Where a string result is built when an operand may be the
	 * destination itself (sprintf, concatenation). */
	char str_tmp[MAXSTRINGLEN];

	size_t out_len;
	char out[STP_BUFFER_SIZE];

	/* The translator's locals, STP_LOCALS_SIZE bytes. */
	unsigned char locals[] __attribute__((__aligned__(16)));
};

#define STP_LOCALS(c, type) ((type *)(void *)(c)->locals)

/* ---- lifecycle (called from stp_probes_start/stop, may sleep) ---- */

/* Sets up the platform, the session (state STARTING) and one context per
 * CPU with STP_LOCALS_SIZE bytes of locals; the generated code defines
 * STP_LOCALS_SIZE (usually sizeof of a union of its locals structs)
 * before the call.  0 or -ENOMEM. */
#define stp_runtime_init() stp_runtime_init_size(STP_LOCALS_SIZE)
STP_API int stp_runtime_init_size(size_t locals_size);
/* Waits (up to about a second) until no handler runs, frees the
 * contexts, state STOPPED. */
STP_API void stp_runtime_exit(void);
/* Waits until no handler is running on any CPU; false on timeout. */
STP_API bool stp_runtime_quiesce(void);

/* ---- running a probe ---- */

/* Runs p's handler if the session is in p->state: claims this CPU's
 * context (busy: skipped), takes p's locks (timeout: skipped), runs the
 * handler, releases the locks, flushes the handler's output as one record,
 * and reports a pending error. */
STP_API void stp_probe_run(const struct stp_probe *p, struct task_struct *task,
			   struct pt_regs *regs);

/* ---- errors, for generated code and the core ----
 * An error aborts the handler: the caller returns (or jumps to its exit
 * label) as soon as a call reports one.  The first error of a handler is
 * kept; stp_probe_run prints it as
 *     ERROR: MESSAGE near NEAR at FILE:LINE:COL
 * counts it, and ends the session after MAXERRORS of them.  loc may be
 * NULL (no "near" part); it is copied, so it may point to a compound
 * literal, but its strings must be static. */
STP_API void stp_error(struct stp_context *c, const struct stp_loc *loc, const char *msg);
STP_API void stp_errorf(struct stp_context *c, const struct stp_loc *loc, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

static inline bool stp_failed(const struct stp_context *c)
{
	return unlikely(c->last_error != NULL);
}

/* try/catch: the message of the pending error into dst (MAXSTRINGLEN
 * bytes, may be NULL), and the error is cleared. */
STP_API void stp_error_catch(struct stp_context *c, char *dst);

/* abort(): exit() and leave the handler at once; the generated code's
 * catch blocks do not stop it, and it is not reported as an error. */
STP_API void stp_abort(struct stp_context *c);

static inline bool stp_aborted(const struct stp_context *c)
{
	return unlikely(c->aborted);
}

/* Charges n statements.  True, with the error set, once MAXACTION is
 * exhausted. */
static inline bool stp_actions(struct stp_context *c, int n, const struct stp_loc *loc)
{
	c->actionremaining -= n;
	if (likely(c->actionremaining > 0))
		return false;
	stp_error(c, loc, "MAXACTION exceeded");
	return true;
}

/* Around a script function call.  True, with the error set, when
 * MAXNESTING calls are already in progress (the call must not happen). */
static inline bool stp_call_enter(struct stp_context *c, const struct stp_loc *loc)
{
	if (unlikely(c->nesting >= MAXNESTING)) {
		stp_error(c, loc, "MAXNESTING exceeded");
		return true;
	}
	c->nesting++;
	return false;
}

static inline void stp_call_exit(struct stp_context *c)
{
	c->nesting--;
}

/* ---- session ---- */

STP_API int stp_session_state(void);
/* After the begin probes: STARTING -> RUNNING unless exit() or errors
 * moved the session on.  Returns the state. */
STP_API int stp_session_started(void);
/* Before the end probes: RUNNING -> STOPPING (an ERROR session stays
 * ERROR: its end probes are skipped and its error probes run, as in
 * SystemTap). */
STP_API void stp_session_stopping(void);
/* After the error probes: an ERROR session moves to STOPPING, so its end
 * probes run too (ustap differs from SystemTap on purpose: end-of-run
 * summaries are not lost because a probe hit errors).  Any other state is
 * left alone. */
STP_API void stp_session_end_probes(void);
/* After the end/error probes: the final "Number of errors" warning when
 * any error happened or any probe was skipped. */
STP_API void stp_session_report(void);

/* exit(): no new event probes; ask stapio to stop the session. */
STP_API void stp_exit(void);

/* Out-of-band messages: WARNING:/ERROR: lines on stapio's stderr.  An
 * ERROR sent this way is not counted against MAXERRORS (probe handler
 * errors are).  The formatted ones are cut at 255 characters; warn() of
 * a script string is stp_warn_text. */
STP_API void stp_warn(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
STP_API void stp_report_error(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
STP_API void stp_warn_text(const char *text);

enum stp_skip_reason {
	STP_SKIP_REENTRANT,
	STP_SKIP_LOCK,
	STP_SKIP_STACK,
	STP_SKIP_NREASONS,
};

STP_API int stp_error_count(void);
STP_API int stp_skipped_count(void);
STP_API int stp_skipped_count_reason(enum stp_skip_reason why);

#endif
