/* The printf directive grammar, SystemTap's:
 *
 *     %[flags][width][.precision][l]conversion
 *     flags       any of - + space # 0
 *     width       digits, or * (the next argument, a long)
 *     precision   . followed by digits (none means 0), or * (a long)
 *     l           accepted and ignored, as SystemTap does
 *     conversion  d i u o x X p c b m M s %
 *
 * Header-only and free of runtime state, so the translator can include it
 * to type-check printf arguments with the very parser the runtime uses. */
#ifndef RUNTIME_FMT_H
#define RUNTIME_FMT_H

#include "runtime_defs.h"

#define STP_FMT_ZEROPAD	0x01
#define STP_FMT_SIGN	0x02	/* signed conversion (d, i) */
#define STP_FMT_PLUS	0x04
#define STP_FMT_SPACE	0x08
#define STP_FMT_LEFT	0x10
#define STP_FMT_SPECIAL	0x20	/* the # flag */
#define STP_FMT_LARGE	0x40	/* upper-case hex digits */

#define STP_FMT_NONE	(-1)	/* no width / precision given */
#define STP_FMT_STAR	(-2)	/* width / precision from the next argument */

/* Widths and precisions beyond one print buffer are cut to it. */
#define STP_FMT_MAX_WIDTH STP_BUFFER_SIZE

struct stp_fmt_spec {
	char conv;		/* the conversion character */
	unsigned char flags;	/* STP_FMT_* */
	int width;		/* >= 0, STP_FMT_NONE or STP_FMT_STAR */
	int prec;		/* >= 0, STP_FMT_NONE or STP_FMT_STAR */
};

/* What a conversion consumes, for type checking. */
enum stp_fmt_argtype {
	STP_FMT_ARG_NONE,	/* %% */
	STP_FMT_ARG_LONG,	/* d i u o x X p c b, and m M (an address) */
	STP_FMT_ARG_STRING,	/* s */
};

static inline enum stp_fmt_argtype stp_fmt_argtype(char conv)
{
	switch (conv) {
	case '%':
		return STP_FMT_ARG_NONE;
	case 's':
		return STP_FMT_ARG_STRING;
	default:
		return STP_FMT_ARG_LONG;
	}
}

/* Parses the directive that starts at fmt[0] == '%'.  Returns the number
 * of characters it spans, or 0 when it is not a valid directive (the
 * translator reports "invalid or missing conversion specifier"; the
 * runtime, given an unchecked format, prints such text literally). */
static inline int stp_fmt_parse(const char *fmt, struct stp_fmt_spec *spec)
{
	const char *p = fmt + 1;
	long n;

	spec->flags = 0;
	spec->width = STP_FMT_NONE;
	spec->prec = STP_FMT_NONE;
	for (;; p++) {
		if (*p == '-')
			spec->flags |= STP_FMT_LEFT;
		else if (*p == '+')
			spec->flags |= STP_FMT_PLUS;
		else if (*p == ' ')
			spec->flags |= STP_FMT_SPACE;
		else if (*p == '#')
			spec->flags |= STP_FMT_SPECIAL;
		else if (*p == '0')
			spec->flags |= STP_FMT_ZEROPAD;
		else
			break;
	}
	if (*p == '*') {
		spec->width = STP_FMT_STAR;
		p++;
	} else if (*p >= '0' && *p <= '9') {
		for (n = 0; *p >= '0' && *p <= '9'; p++)
			if (n <= STP_FMT_MAX_WIDTH)
				n = n * 10 + (*p - '0');
		spec->width = n > STP_FMT_MAX_WIDTH ? STP_FMT_MAX_WIDTH : (int)n;
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			spec->prec = STP_FMT_STAR;
			p++;
		} else {
			for (n = 0; *p >= '0' && *p <= '9'; p++)
				if (n <= STP_FMT_MAX_WIDTH)
					n = n * 10 + (*p - '0');
			spec->prec = n > STP_FMT_MAX_WIDTH ? STP_FMT_MAX_WIDTH : (int)n;
		}
	}
	if (*p == 'l')
		p++;
	switch (*p) {
	case 'd':
	case 'i':
		spec->flags |= STP_FMT_SIGN;
		break;
	case 'X':
		spec->flags |= STP_FMT_LARGE;
		break;
	case 'p':
		spec->flags |= STP_FMT_SPECIAL;	/* %p is %#x since SystemTap 1.3 */
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'c':
	case 'b':
	case 'm':
	case 'M':
	case 's':
	case '%':
		break;
	default:
		return 0;
	}
	if (spec->flags & STP_FMT_LEFT)
		spec->flags &= ~STP_FMT_ZEROPAD;
	spec->conv = *p;
	return (int)(p + 1 - fmt);
}

#endif
