/* Probe output: the per-CPU print buffer and the printf family.
 *
 * A handler's output collects in its context's buffer (STP_BUFFER_SIZE
 * bytes) and leaves as one transport record when the handler ends
 * (stp_probe_run flushes it), or earlier when the buffer fills: output is
 * never cut, only split over records.  sprintf() writes into a string and
 * cuts at MAXSTRINGLEN - 1 characters. */
#ifndef RUNTIME_PRINT_H
#define RUNTIME_PRINT_H

#include "runtime_defs.h"
#include "fmt.h"

struct stp_context;

/* Where formatted text goes: a bounded buffer that either flushes itself
 * to the transport when full (the print buffer) or drops what does not
 * fit (strings). */
struct stp_sink {
	char *buf;
	size_t len;
	size_t cap;
	struct stp_context *flush_ctx;	/* non-NULL: c->out, flushed when full */
	unsigned int flushes;		/* records sent while writing */
	bool truncated;			/* something did not fit */
};

STP_API void stp_sink_init_str(struct stp_sink *s, char *buf, size_t cap);
STP_API void stp_sink_write_slow(struct stp_sink *s, const char *p, size_t n);
STP_API void stp_sink_fill(struct stp_sink *s, char ch, size_t n);

static inline void stp_sink_write(struct stp_sink *s, const char *p, size_t n)
{
	if (likely(n <= s->cap - s->len)) {
		memcpy(s->buf + s->len, p, n);
		s->len += n;
	} else {
		stp_sink_write_slow(s, p, n);
	}
}

static inline void stp_sink_putc(struct stp_sink *s, char ch)
{
	if (likely(s->len < s->cap))
		s->buf[s->len++] = ch;
	else
		stp_sink_write_slow(s, &ch, 1);
}

/* A sink over c's print buffer; stp_print_end stores what was written. */
STP_API void stp_print_begin(struct stp_context *c, struct stp_sink *s);
STP_API void stp_print_end(struct stp_context *c, struct stp_sink *s);

/* Sends the buffered output as one record (nothing when empty). */
STP_API void stp_print_flush(struct stp_context *c);

/* print() of one value, without formatting. */
STP_API void stp_print_str(struct stp_context *c, const char *s);
STP_API void stp_print_bytes(struct stp_context *c, const char *p, size_t n);
STP_API void stp_print_char(struct stp_context *c, char ch);
STP_API void stp_print_int(struct stp_context *c, int64_t v);

/* One printf argument; the format says which member is meant. */
union stp_arg {
	int64_t i;
	const char *s;
};

/* printf(fmt, args...) into c's print buffer.  Returns 0, or -1 with an
 * error set in c (a %m/%M read fault, fewer arguments than directives);
 * the failed call's output is withdrawn when it has not been flushed. */
STP_API int stp_printf(struct stp_context *c, const struct stp_loc *loc, const char *fmt,
		       const union stp_arg *args, unsigned int nargs);

/* sprintf(): the same into dst, MAXSTRINGLEN bytes, always terminated.
 * dst may be one of the arguments (not when c is NULL). */
STP_API int stp_sprintf(struct stp_context *c, const struct stp_loc *loc, char *dst,
			const char *fmt, const union stp_arg *args, unsigned int nargs);

/* The interpreter behind both, into any sink. */
STP_API int stp_format(struct stp_context *c, const struct stp_loc *loc, struct stp_sink *s,
		       const char *fmt, const union stp_arg *args, unsigned int nargs);

/* The single conversions, for callers that format by hand (the
 * histogram printer, tapset C).  width/prec are >= 0 or STP_FMT_NONE;
 * base is 8, 10 or 16. */
STP_API void stp_fmt_number(struct stp_sink *s, uint64_t num, int base, int width, int prec,
			    unsigned int flags);
STP_API void stp_fmt_string(struct stp_sink *s, const char *str, int width, int prec,
			    unsigned int flags);
STP_API void stp_fmt_char(struct stp_sink *s, unsigned char ch, int width, unsigned int flags);
STP_API void stp_fmt_binary(struct stp_sink *s, int64_t num, int width, int prec,
			    unsigned int flags);

#endif
