/* String helpers behind the core tapset functions (tapset/string.stp,
 * tokenize.stp, ctime.stp) and -G parameter parsing: one implementation
 * for both platforms, so scripts print the same everywhere. */
#ifndef RUNTIME_STRFN_H
#define RUNTIME_STRFN_H

#include "runtime_defs.h"

struct stp_context;

/* text_str()/text_strn()/string_quoted(): printable ASCII is kept, " and \
 * and the C control characters become \", \\, \n ..., other bytes \ooo,
 * UTF-8 sequences \uXXXX or \UXXXXXXXX.  At most inlen bytes of src are
 * read and outlen characters written (<= 0: MAXSTRINGLEN - 1).  quoted
 * surrounds the text with double quotes and ends a cut one with "...,
 * as SystemTap's runtime does. */
STP_API void stp_text_str(char *dst, const char *src, int64_t inlen, int64_t outlen, int quoted);

/* strtol(s, base) with the kernel's simple_strtoll rules on both
 * platforms: an optional '-', then digits of base (0: 0x means 16, a
 * leading 0 means 8, else 10; 16 also takes a 0x prefix); it stops at the
 * first other character and wraps on overflow.  A base outside 2..36
 * (and not 0) gives 0. */
STP_API int64_t stp_strtol(const char *s, int64_t base);

/* dst = s with every search replaced by repl (search "" leaves s). */
STP_API void stp_str_replace(char *dst, const char *s, const char *search, const char *repl);

/* tokenize(input, delim): the next non-empty token of input (input ""
 * continues the string of the previous call on this context), "" when
 * there is none left. */
STP_API void stp_tokenize(struct stp_context *c, char *dst, const char *input, const char *delim);

/* ctime(secs): "Thu Jan  1 00:00:00 1970" (UTC); secs outside the 32-bit
 * range set SystemTap's errors "Time too far in the future/past to be
 * converted". */
STP_API void stp_ctime(struct stp_context *c, const struct stp_loc *loc, char *dst, int64_t secs);

/* ---- -G NAME=VALUE: script globals set before the probes start ---- */

struct stp_param {
	const char *name;
	unsigned char type;	/* STP_TYPE_LONG or STP_TYPE_STRING */
	void *addr;		/* int64_t *, or char[MAXSTRINGLEN] */
};

/* A number as C writes it: optional sign, decimal, 0x hex or 0 octal, all
 * of the text; 0 or -EINVAL (also on overflow). */
STP_API int stp_param_parse_long(const char *s, int64_t *out);
/* Sets the named global: 0, -ENOENT (no such global), -EINVAL (bad number). */
STP_API int stp_param_set(const struct stp_param *params, int n, const char *name,
			  const char *value);

#endif
