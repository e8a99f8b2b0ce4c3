/* Script strings: NUL-terminated, in buffers of MAXSTRINGLEN bytes.
 * Every writer here cuts its result to MAXSTRINGLEN - 1 characters and
 * terminates it, so no script string ever overruns, whatever the input;
 * a destination may be one of the sources. */
#ifndef RUNTIME_STR_H
#define RUNTIME_STR_H

#include "runtime_defs.h"

/* Characters of s, at most MAXSTRINGLEN - 1. */
STP_API size_t stp_str_len(const char *s);

/* dst = src */
STP_API void stp_str_copy(char *dst, const char *src);

/* dst = dst . src */
STP_API void stp_str_append(char *dst, const char *src);

/* dst = a . b */
STP_API void stp_str_concat(char *dst, const char *a, const char *b);

/* <0, 0, >0 as strcmp, comparing bytes as unsigned (both platforms). */
STP_API int stp_str_cmp(const char *a, const char *b);

/* dst = the len characters of s from index start (0-based); out of range
 * parts are left out, a negative start or len gives "". */
STP_API void stp_str_substr(char *dst, const char *s, int64_t start, int64_t len);

/* Index of the first needle in hay, or -1 ("" is found at 0). */
STP_API int64_t stp_str_find(const char *hay, const char *needle);

/* dst = the decimal text of v */
STP_API void stp_str_from_int(char *dst, int64_t v);

#endif
