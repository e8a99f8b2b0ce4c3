/* What the C that the translator's loc2c (translate/loc2c*.c) generates
 * for $variables, @cast, @var and SDT arguments needs at run time.
 *
 * Each access is a function
 *
 *   static int NAME(struct l2c_frame *f, [int64_t base,] [int64_t i0, ...,]
 *                   int64_t *out)            (a number)
 *   static int NAME(struct l2c_frame *f, ..., char *out)
 *                                            (a string of MAXSTRINGLEN bytes)
 *
 * returning 0 with the value in *out, or -1 with f->err saying why (a read
 * fault, a bad index...).  The caller reports f->err as the handler's
 * error (stp_error(c, loc, f->err)) and aborts the handler.  Nothing here
 * depends on the runtime core: a frame holds the registers, the probed
 * object's load bias, and how to find other objects' biases.
 *
 * Memory is read with stp_copy_from_user (runtime/utrace.h), which never
 * faults; strings are bounded by MAXSTRINGLEN. */
#ifndef RUNTIME_LOC2C_H
#define RUNTIME_LOC2C_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "linux/regs.h"
#else
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "user/regs.h"
#endif

#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512
#endif

/* Declared in runtime/utrace.h as well, identically. */
int stp_copy_from_user(void *dst, unsigned long src, size_t n);

struct l2c_frame {
	struct pt_regs *regs;	/* the probed task's user registers at the probe */
	unsigned long bias;	/* the probed object's load address minus its
				   link-time address (0 for a non-PIE program) */
	/* The load bias of another object of the process (@var("x", "lib")),
	 * by path; sets *ok to 0 when that object is not mapped.  May be NULL
	 * when no access needs one. */
	unsigned long (*module_bias)(struct l2c_frame *f, const char *path, int *ok);
	void *data;		/* the caller's */
	const char *err;	/* set when an access fails */
	char errbuf[128];
};

static inline int l2c_fail(struct l2c_frame *f, const char *msg)
{
	f->err = msg;
	return -1;
}

static inline uint64_t l2c_reg(struct l2c_frame *f, int regno)
{
	return l2c_arch_reg(f->regs, regno);
}

static inline uint64_t l2c_thread_pointer(struct l2c_frame *f)
{
	return l2c_arch_thread_pointer(f->regs);
}

static inline int l2c_read(struct l2c_frame *f, void *dst, uint64_t addr, size_t n)
{
	if (stp_copy_from_user(dst, (unsigned long)addr, n) == 0)
		return 0;
	snprintf(f->errbuf, sizeof(f->errbuf), "read fault [man error::fault] at 0x%llx",
		 (unsigned long long)addr);
	f->err = f->errbuf;
	return -1;
}

/* n (1 to 8) bytes at addr, little-endian, zero-extended into *v. */
static inline int l2c_read_uint(struct l2c_frame *f, uint64_t addr, unsigned int n, uint64_t *v)
{
	uint64_t x = 0;
	if (l2c_read(f, &x, addr, n))
		return -1;
	*v = x;
	return 0;
}

static inline int l2c_module_bias(struct l2c_frame *f, const char *path, uint64_t *v)
{
	int ok = 0;
	if (f->module_bias)
		*v = f->module_bias(f, path, &ok);
	if (ok)
		return 0;
	snprintf(f->errbuf, sizeof(f->errbuf), "%s is not loaded in this process", path);
	f->err = f->errbuf;
	return -1;
}

/* An IEEE single's bits as a double's, in integers only: kernel code may
 * not use the FPU.  SystemTap reads float variables as doubles. */
static inline uint64_t l2c_f32_to_f64_bits(uint32_t x)
{
	uint64_t sign = (uint64_t)(x >> 31) << 63;
	uint32_t exp = (x >> 23) & 0xff, man = x & 0x7fffff;
	int64_t e;
	if (exp == 0xff)
		return sign | (0x7ffULL << 52) | ((uint64_t)man << 29);
	if (exp == 0) {
		if (!man)
			return sign;
		/* Subnormal: normalise it, a double has the range. */
		e = 1023 - 126;
		while (!(man & 0x800000)) {
			man <<= 1;
			e--;
		}
		man &= 0x7fffff;
		return sign | ((uint64_t)e << 52) | ((uint64_t)man << 29);
	}
	e = (int64_t)exp - 127 + 1023;
	return sign | ((uint64_t)e << 52) | ((uint64_t)man << 29);
}

/* The NUL-terminated string at addr into dst (size bytes, at most
 * MAXSTRINGLEN); read a chunk at a time up to page boundaries, so a string
 * that ends just before unmapped memory still reads. */
static inline int l2c_read_string(struct l2c_frame *f, char *dst, size_t size, uint64_t addr)
{
	size_t len = 0;
	if (size > MAXSTRINGLEN)
		size = MAXSTRINGLEN;
	if (!size)
		return 0;
	while (len < size - 1) {
		size_t chunk = 4096 - ((addr + len) & 4095);
		if (chunk > size - 1 - len)
			chunk = size - 1 - len;
		if (chunk > 64)
			chunk = 64;
		if (l2c_read(f, dst + len, addr + len, chunk)) {
			dst[0] = '\0';
			return -1;
		}
		const char *nul = memchr(dst + len, '\0', chunk);
		if (nul)
			return 0;
		len += chunk;
	}
	dst[len] = '\0';
	return 0;
}

/* ---- pretty-printing ($var$, $$vars): text into a bounded buffer ---- */

struct l2c_out {
	char *buf;
	size_t size, len;	/* len stops at size - 1 */
};

static inline void l2c_out_init(struct l2c_out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	if (size)
		buf[0] = '\0';
}

static inline void l2c_putc(struct l2c_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len++] = c;
		o->buf[o->len] = '\0';
	}
}

static inline void l2c_puts(struct l2c_out *o, const char *s)
{
	while (*s)
		l2c_putc(o, *s++);
}

/* Cuts the text back to len (a failed part is printed another way). */
static inline void l2c_rewind(struct l2c_out *o, size_t len)
{
	if (len < o->len) {
		o->len = len;
		o->buf[len] = '\0';
	}
}

static inline void l2c_udec(struct l2c_out *o, uint64_t v)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		l2c_putc(o, d[--n]);
}

/* %lld */
static inline void l2c_dec(struct l2c_out *o, int64_t v)
{
	if (v < 0) {
		l2c_putc(o, '-');
		l2c_udec(o, (uint64_t)0 - (uint64_t)v);
	} else {
		l2c_udec(o, (uint64_t)v);
	}
}

/* %#llx and %p: always "0x", even for zero, as SystemTap prints them. */
static inline void l2c_hex(struct l2c_out *o, uint64_t v)
{
	char d[20];
	int n = 0;
	l2c_puts(o, "0x");
	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		l2c_putc(o, d[--n]);
}

static inline int l2c_isprint(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* One character in a C escape; quote is the delimiter to escape. */
static inline void l2c_escape(struct l2c_out *o, unsigned char c, char quote)
{
	const char *esc = NULL;
	switch (c) {
	case '\a': esc = "\\a"; break;
	case '\b': esc = "\\b"; break;
	case '\f': esc = "\\f"; break;
	case '\n': esc = "\\n"; break;
	case '\r': esc = "\\r"; break;
	case '\t': esc = "\\t"; break;
	case '\v': esc = "\\v"; break;
	case '\\': esc = "\\\\"; break;
	default: break;
	}
	if (esc) {
		l2c_puts(o, esc);
	} else if (c == (unsigned char)quote) {
		l2c_putc(o, '\\');
		l2c_putc(o, (char)c);
	} else if (l2c_isprint(c)) {
		l2c_putc(o, (char)c);
	} else {
		l2c_putc(o, '\\');
		l2c_putc(o, (char)('0' + ((c >> 6) & 3)));
		l2c_putc(o, (char)('0' + ((c >> 3) & 7)));
		l2c_putc(o, (char)('0' + (c & 7)));
	}
}

/* '%#c' in quotes: 'a', '\n', '\377'. */
static inline void l2c_char(struct l2c_out *o, uint64_t v)
{
	l2c_putc(o, '\'');
	l2c_escape(o, (unsigned char)v, '\'');
	l2c_putc(o, '\'');
}

/* A string as string_quoted() shows it: in double quotes, escaped, and
 * cut with "..." when it does not fit the rest of the buffer.  Returns 0
 * when it was cut, 1 when it all fit. */
static inline int l2c_quoted_part(struct l2c_out *o, const char *s, size_t n, size_t start)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		size_t before = o->len;
		l2c_escape(o, (unsigned char)s[i], '"');
		/* Room for the closing quote: cut at a whole escape. */
		if (o->len + 2 >= o->size) {
			l2c_rewind(o, before);
			while (o->len > start + 1 && o->len + 5 > o->size)
				l2c_rewind(o, o->len - 1);
			l2c_puts(o, "\"...");
			return 0;
		}
	}
	return 1;
}

static inline void l2c_quoted(struct l2c_out *o, const char *s)
{
	size_t start = o->len;
	l2c_putc(o, '"');
	if (l2c_quoted_part(o, s, (size_t)-1, start))
		l2c_putc(o, '"');
}

/* The char * or char array at addr (at most maxlen bytes, 0 for
 * MAXSTRINGLEN - 1) as a quoted string; its address in hex when the memory
 * cannot be read, as user_string_quoted() does.  Read in small pieces so
 * no string-sized buffer sits on the (kernel) stack. */
static inline void l2c_string_at(struct l2c_frame *f, struct l2c_out *o, uint64_t addr,
				 size_t maxlen)
{
	char chunk[32];
	size_t start = o->len, done = 0;
	if (maxlen == 0 || maxlen > MAXSTRINGLEN - 1)
		maxlen = MAXSTRINGLEN - 1;
	l2c_putc(o, '"');
	while (done < maxlen) {
		size_t n = 4096 - ((addr + done) & 4095);
		if (n > sizeof(chunk))
			n = sizeof(chunk);
		if (n > maxlen - done)
			n = maxlen - done;
		if (l2c_read(f, chunk, addr + done, n)) {
			f->err = NULL;
			l2c_rewind(o, start);
			l2c_hex(o, addr);
			return;
		}
		if (!l2c_quoted_part(o, chunk, n, start))
			return;
		if (memchr(chunk, '\0', n))
			break;
		done += n;
	}
	l2c_putc(o, '"');
}

#endif
