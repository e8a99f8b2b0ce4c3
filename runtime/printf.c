/* The printf interpreter and its conversions.
 *
 * The conversions follow SystemTap's runtime, which is C's printf with a
 * few differences users of SystemTap see and keep seeing here:
 * - a precision never hides a number: %.0d of 0 prints "0";
 * - the 0 flag pads with zeros even when a precision is given;
 * - # on a zero: %#x prints "0x0", %#o prints "00";
 * - %p is %#x of the 64-bit value;
 * - %c with # escapes unprintable characters (\n, \t, ..., \ooo);
 * - %b writes the value in binary, 1, 2, 4 or 8 bytes (host order);
 * - %m / %M copy / hex-dump memory at an address (precision bytes).
 * Where SystemTap 4.8 clamps a negative * width or precision to 0, ustap
 * does what C does: a negative width left-justifies, a negative precision
 * counts as none. */
#include "print.h"
#include "context.h"
#include "umem.h"

/* base is 8, 10 or 16. */
STP_API void stp_fmt_number(struct stp_sink *s, uint64_t num, int base, int width, int prec,
			    unsigned int flags)
{
	const char *digits = (flags & STP_FMT_LARGE) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[66], head[3];
	int n = 0, nhead = 0;

	if (flags & STP_FMT_LEFT)
		flags &= ~STP_FMT_ZEROPAD;
	if (flags & STP_FMT_SIGN) {
		if ((int64_t)num < 0) {
			head[nhead++] = '-';
			num = -num;
		} else if (flags & STP_FMT_PLUS) {
			head[nhead++] = '+';
		} else if (flags & STP_FMT_SPACE) {
			head[nhead++] = ' ';
		}
	}
	if ((flags & STP_FMT_SPECIAL) && (base == 8 || base == 16)) {
		head[nhead++] = '0';
		if (base == 16)
			head[nhead++] = (flags & STP_FMT_LARGE) ? 'X' : 'x';
	}
	/* Constant divisors: the compiler turns them into multiplications. */
	if (base == 10) {
		do {
			tmp[sizeof(tmp) - ++n] = (char)('0' + num % 10);
			num /= 10;
		} while (num);
	} else {
		unsigned int shift = base == 16 ? 4 : 3;

		do {
			tmp[sizeof(tmp) - ++n] = digits[num & (base - 1)];
			num >>= shift;
		} while (num);
	}
	if (prec < n)
		prec = n;
	/* [spaces] sign/prefix [zeros: 0 flag] [zeros: precision] digits [spaces: - flag] */
	width -= nhead + prec;
	if (!(flags & (STP_FMT_ZEROPAD | STP_FMT_LEFT)) && width > 0) {
		stp_sink_fill(s, ' ', (size_t)width);
		width = 0;
	}
	if (nhead)
		stp_sink_write(s, head, (size_t)nhead);
	if (!(flags & STP_FMT_LEFT) && width > 0) {
		stp_sink_fill(s, '0', (size_t)width);
		width = 0;
	}
	if (prec > n)
		stp_sink_fill(s, '0', (size_t)(prec - n));
	stp_sink_write(s, tmp + sizeof(tmp) - n, (size_t)n);
	if (width > 0)
		stp_sink_fill(s, ' ', (size_t)width);
}

STP_API void stp_fmt_string(struct stp_sink *s, const char *str, int width, int prec,
			    unsigned int flags)
{
	size_t len = prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str);
	size_t pad = width > 0 && (size_t)width > len ? (size_t)width - len : 0;

	if (!(flags & STP_FMT_LEFT))
		stp_sink_fill(s, ' ', pad);
	stp_sink_write(s, str, len);
	if (flags & STP_FMT_LEFT)
		stp_sink_fill(s, ' ', pad);
}

/* The escape of ch that %#c prints, into out; returns its length. */
static int _stp_char_escape(unsigned char ch, char out[4])
{
	static const char from[] = "\a\b\f\n\r\t\v'\\";
	static const char to[] = "abfnrtv'\\";
	int i;

	if (ch >= 0x20 && ch < 0x7f && ch != '\'' && ch != '\\') {
		out[0] = (char)ch;
		return 1;
	}
	out[0] = '\\';
	for (i = 0; from[i]; i++) {
		if ((unsigned char)from[i] == ch) {
			out[1] = to[i];
			return 2;
		}
	}
	out[1] = (char)('0' + ((ch >> 6) & 3));
	out[2] = (char)('0' + ((ch >> 3) & 7));
	out[3] = (char)('0' + (ch & 7));
	return 4;
}

STP_API void stp_fmt_char(struct stp_sink *s, unsigned char ch, int width, unsigned int flags)
{
	char text[4];
	int len = 1;
	size_t pad;

	text[0] = (char)ch;
	if (flags & STP_FMT_SPECIAL)
		len = _stp_char_escape(ch, text);
	pad = width > len ? (size_t)(width - len) : 0;
	if (!(flags & STP_FMT_LEFT))
		stp_sink_fill(s, ' ', pad);
	stp_sink_write(s, text, (size_t)len);
	if (flags & STP_FMT_LEFT)
		stp_sink_fill(s, ' ', pad);
}

static int _stp_binary_size(int n)
{
	return (n == 1 || n == 2 || n == 4 || n == 8) ? n : -1;
}

/* %b: the precision is the byte count (1, 2, 4 or 8); a missing one
 * comes from the width when that is a valid count, else 8; a missing
 * width is the byte count.  NULs pad to the width. */
STP_API void stp_fmt_binary(struct stp_sink *s, int64_t num, int width, int prec,
			    unsigned int flags)
{
	union {
		int64_t v64;
		int32_t v32;
		int16_t v16;
		int8_t v8;
		char bytes[8];
	} u;
	size_t pad;

	prec = _stp_binary_size(prec);
	if (width < 0) {
		if (prec < 0)
			prec = 8;
		width = prec;
	} else if (prec < 0) {
		prec = _stp_binary_size(width);
		if (prec < 0)
			prec = 8;
	}
	switch (prec) {
	case 1:
		u.v8 = (int8_t)num;
		break;
	case 2:
		u.v16 = (int16_t)num;
		break;
	case 4:
		u.v32 = (int32_t)num;
		break;
	default:
		u.v64 = num;
		break;
	}
	pad = width > prec ? (size_t)(width - prec) : 0;
	if (!(flags & STP_FMT_LEFT))
		stp_sink_fill(s, '\0', pad);
	stp_sink_write(s, u.bytes, (size_t)prec);
	if (flags & STP_FMT_LEFT)
		stp_sink_fill(s, '\0', pad);
}

/* %m and %M: len bytes at addr (user memory with #), raw or as hex. */
static int _stp_fmt_memory(struct stp_context *c, const struct stp_loc *loc, struct stp_sink *s,
			   unsigned long addr, char conv, int width, int prec, unsigned int flags)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = prec > 0 ? (size_t)prec : 1;
	size_t shown = conv == 'M' ? 2 * len : len;
	size_t pad = width > 0 && (size_t)width > shown ? (size_t)width - shown : 0;
	unsigned char chunk[64];
	char out[2 * sizeof(chunk)];

	if (!(flags & STP_FMT_LEFT))
		stp_sink_fill(s, ' ', pad);
	while (len) {
		size_t k = len < sizeof(chunk) ? len : sizeof(chunk);
		size_t i;

		if (stp_mem_read(c, loc, chunk, addr, k, flags & STP_FMT_SPECIAL))
			return -1;
		if (conv == 'M') {
			for (i = 0; i < k; i++) {
				out[2 * i] = hex[chunk[i] >> 4];
				out[2 * i + 1] = hex[chunk[i] & 0xf];
			}
			stp_sink_write(s, out, 2 * k);
		} else {
			stp_sink_write(s, (const char *)chunk, k);
		}
		addr += k;
		len -= k;
	}
	if (flags & STP_FMT_LEFT)
		stp_sink_fill(s, ' ', pad);
	return 0;
}

/* A * width or precision from an argument, C's way. */
static int _stp_fmt_star(int64_t v, unsigned int *flags, bool is_width)
{
	if (v < 0) {
		if (!is_width)
			return STP_FMT_NONE;
		*flags |= STP_FMT_LEFT;
		*flags &= ~STP_FMT_ZEROPAD;
		v = v == STP_INT64_MIN ? STP_INT64_MAX : -v;
	}
	return v > STP_FMT_MAX_WIDTH ? STP_FMT_MAX_WIDTH : (int)v;
}

STP_API int stp_format(struct stp_context *c, const struct stp_loc *loc, struct stp_sink *s,
		       const char *fmt, const union stp_arg *args, unsigned int nargs)
{
	unsigned int argi = 0;
	const char *p = fmt;

	while (*p) {
		struct stp_fmt_spec spec;
		unsigned int flags;
		const char *lit = p;
		int n, width, prec, base = 10;

		while (*p && *p != '%')
			p++;
		if (p > lit)
			stp_sink_write(s, lit, (size_t)(p - lit));
		if (!*p)
			break;
		n = stp_fmt_parse(p, &spec);
		if (!n) {
			/* Not a directive (the translator rejects these): as is. */
			stp_sink_putc(s, '%');
			p++;
			continue;
		}
		p += n;
		flags = spec.flags;
		width = spec.width;
		prec = spec.prec;
		if (spec.conv == '%') {
			stp_sink_putc(s, '%');
			continue;
		}
		if (width == STP_FMT_STAR || prec == STP_FMT_STAR) {
			unsigned int need = (width == STP_FMT_STAR) + (prec == STP_FMT_STAR);

			if (nargs - argi < need)
				goto missing;
			if (width == STP_FMT_STAR)
				width = _stp_fmt_star(args[argi++].i, &flags, true);
			if (prec == STP_FMT_STAR)
				prec = _stp_fmt_star(args[argi++].i, &flags, false);
		}
		if (argi >= nargs)
			goto missing;
		switch (spec.conv) {
		case 's':
			stp_fmt_string(s, args[argi].s ? args[argi].s : "<NULL>", width, prec, flags);
			break;
		case 'c':
			stp_fmt_char(s, (unsigned char)args[argi].i, width, flags);
			break;
		case 'b':
			stp_fmt_binary(s, args[argi].i, width, prec, flags);
			break;
		case 'm':
		case 'M':
			if (_stp_fmt_memory(c, loc, s, (unsigned long)args[argi].i, spec.conv, width,
					    prec, flags))
				return -1;
			break;
		case 'o':
			base = 8;
			goto number;
		case 'x':
		case 'X':
		case 'p':
			base = 16;
			goto number;
		default:
number:
			stp_fmt_number(s, (uint64_t)args[argi].i, base, width, prec, flags);
			break;
		}
		argi++;
	}
	return 0;

missing:
	stp_error(c, loc, "too few arguments to printf");
	return -1;
}

STP_API int stp_printf(struct stp_context *c, const struct stp_loc *loc, const char *fmt,
		       const union stp_arg *args, unsigned int nargs)
{
	struct stp_sink s;
	size_t start = c->out_len;
	int rc;

	stp_print_begin(c, &s);
	rc = stp_format(c, loc, &s, fmt, args, nargs);
	if (rc && !s.flushes)
		s.len = start;
	stp_print_end(c, &s);
	return rc;
}

STP_API int stp_sprintf(struct stp_context *c, const struct stp_loc *loc, char *dst,
			const char *fmt, const union stp_arg *args, unsigned int nargs)
{
	struct stp_sink s;
	int rc;

	if (!c) {
		stp_sink_init_str(&s, dst, MAXSTRINGLEN - 1);
		rc = stp_format(c, loc, &s, fmt, args, nargs);
		dst[rc ? 0 : s.len] = '\0';
		return rc;
	}
	/* Into scratch first: an argument may be dst itself. */
	stp_sink_init_str(&s, c->str_tmp, MAXSTRINGLEN - 1);
	rc = stp_format(c, loc, &s, fmt, args, nargs);
	if (rc)
		s.len = 0;
	memcpy(dst, c->str_tmp, s.len);
	dst[s.len] = '\0';
	return rc;
}
