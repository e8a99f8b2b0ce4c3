/* Sinks, the print buffer and its flushing. */
#include "print.h"
#include "context.h"
#include "transport_hooks.h"

STP_API void stp_sink_init_str(struct stp_sink *s, char *buf, size_t cap)
{
	s->buf = buf;
	s->len = 0;
	s->cap = cap;
	s->flush_ctx = NULL;
	s->flushes = 0;
	s->truncated = false;
}

/* Makes room in a full sink: a print buffer goes out as a record, a
 * string just stays full.  Returns the room there is now. */
static size_t _stp_sink_room(struct stp_sink *s)
{
	if (s->len < s->cap)
		return s->cap - s->len;
	if (!s->flush_ctx) {
		s->truncated = true;
		return 0;
	}
	stp_transport_record(s->buf, s->len);
	s->len = 0;
	s->flushes++;
	return s->cap;
}

STP_API void stp_sink_write_slow(struct stp_sink *s, const char *p, size_t n)
{
	while (n) {
		size_t room = _stp_sink_room(s);
		size_t k = n < room ? n : room;

		if (!k)
			return;
		memcpy(s->buf + s->len, p, k);
		s->len += k;
		p += k;
		n -= k;
	}
}

STP_API void stp_sink_fill(struct stp_sink *s, char ch, size_t n)
{
	while (n) {
		size_t room = _stp_sink_room(s);
		size_t k = n < room ? n : room;

		if (!k)
			return;
		memset(s->buf + s->len, ch, k);
		s->len += k;
		n -= k;
	}
}

STP_API void stp_print_begin(struct stp_context *c, struct stp_sink *s)
{
	s->buf = c->out;
	s->len = c->out_len;
	s->cap = sizeof(c->out);
	s->flush_ctx = c;
	s->flushes = 0;
	s->truncated = false;
}

STP_API void stp_print_end(struct stp_context *c, struct stp_sink *s)
{
	c->out_len = s->len;
}

STP_API void stp_print_flush(struct stp_context *c)
{
	if (c->out_len) {
		stp_transport_record(c->out, c->out_len);
		c->out_len = 0;
	}
}

STP_API void stp_print_bytes(struct stp_context *c, const char *p, size_t n)
{
	struct stp_sink s;

	stp_print_begin(c, &s);
	stp_sink_write(&s, p, n);
	stp_print_end(c, &s);
}

STP_API void stp_print_str(struct stp_context *c, const char *str)
{
	stp_print_bytes(c, str, strlen(str));
}

STP_API void stp_print_char(struct stp_context *c, char ch)
{
	stp_print_bytes(c, &ch, 1);
}

STP_API void stp_print_int(struct stp_context *c, int64_t v)
{
	struct stp_sink s;

	stp_print_begin(c, &s);
	stp_fmt_number(&s, (uint64_t)v, 10, STP_FMT_NONE, STP_FMT_NONE, STP_FMT_SIGN);
	stp_print_end(c, &s);
}
