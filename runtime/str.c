/* Bounded script strings. */
#include "str.h"

#define STP_STR_MAX (MAXSTRINGLEN - 1)

/* strnlen stops at the NUL, but GCC 12 warns when it can see that the
 * source (a literal, or a choice between literals) is shorter than the
 * bound; the warning would reach every script that does that. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
STP_API size_t stp_str_len(const char *s)
{
	return strnlen(s, STP_STR_MAX);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif

STP_API void stp_str_copy(char *dst, const char *src)
{
	size_t n = stp_str_len(src);

	if (dst != src)
		memmove(dst, src, n);
	dst[n] = '\0';
}

STP_API void stp_str_append(char *dst, const char *src)
{
	stp_str_concat(dst, dst, src);
}

/* b is moved into place before a is copied, so dst may be a, b or both;
 * memmove copes with the overlaps that leaves. */
STP_API void stp_str_concat(char *dst, const char *a, const char *b)
{
	size_t la = stp_str_len(a);
	size_t lb = stp_str_len(b);

	if (lb > STP_STR_MAX - la)
		lb = STP_STR_MAX - la;
	memmove(dst + la, b, lb);
	if (dst != a)
		memmove(dst, a, la);
	dst[la + lb] = '\0';
}

STP_API int stp_str_cmp(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < STP_STR_MAX; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

STP_API void stp_str_substr(char *dst, const char *s, int64_t start, int64_t len)
{
	size_t n = stp_str_len(s);

	if (start < 0 || len <= 0 || (uint64_t)start >= n) {
		dst[0] = '\0';
		return;
	}
	if ((uint64_t)len > n - (size_t)start)
		len = (int64_t)(n - (size_t)start);
	memmove(dst, s + start, (size_t)len);
	dst[len] = '\0';
}

STP_API int64_t stp_str_find(const char *hay, const char *needle)
{
	size_t lh = stp_str_len(hay), ln = stp_str_len(needle), i;

	for (i = 0; i + ln <= lh; i++)
		if (!memcmp(hay + i, needle, ln))
			return (int64_t)i;
	return -1;
}

STP_API void stp_str_from_int(char *dst, int64_t v)
{
	char tmp[24];
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	stp_str_copy(dst, tmp + i);
}
