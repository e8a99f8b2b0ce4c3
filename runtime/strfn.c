/* String helpers for the tapset and -G parameters (see strfn.h). */
#include "strfn.h"
#include "context.h"
#include "str.h"
#include "map.h"

#define STP_STRFN_MAX (MAXSTRINGLEN - 1)

/* One code point of UTF-8 at s (at most n bytes): its length, or 1 with
 * *cp = the byte for anything not well formed (overlong, surrogates,
 * beyond U+10FFFF, cut short). */
static int _stp_utf8_next(const unsigned char *s, int64_t n, uint32_t *cp)
{
	unsigned char b = s[0];
	int len, i;
	uint32_t c;

	if ((b & 0xe0) == 0xc0 && n >= 2) {
		len = 2;
		c = b & 0x1f;
	} else if ((b & 0xf0) == 0xe0 && n >= 3) {
		len = 3;
		c = b & 0x0f;
	} else if ((b & 0xf8) == 0xf0 && n >= 4) {
		len = 4;
		c = b & 0x07;
	} else {
		goto byte;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto byte;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff || c < 0x80 ||
	    (len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
		goto byte;
	*cp = c;
	return len;
byte:
	*cp = b;
	return 1;
}

static char _stp_hex(unsigned int v)
{
	return "0123456789abcdef"[v & 15];
}

STP_API void stp_text_str(char *dst, const char *src, int64_t inlen, int64_t outlen, int quoted)
{
	const unsigned char *in = (const unsigned char *)src;
	char *out = dst;
	char *esc = NULL;	/* the first escape a cut could split */
	int esc_len = 0;
	uint32_t c = 0;
	int64_t avail;

	if (inlen <= 0 || inlen > STP_STRFN_MAX)
		inlen = STP_STRFN_MAX;
	if (outlen <= 0 || outlen > STP_STRFN_MAX)
		outlen = STP_STRFN_MAX;
	avail = outlen;
	if (quoted) {
		avail = (avail < 5 ? 5 : avail) - 2;
		*out++ = '"';
	}
	while (inlen > 0) {
		int n, num = 1;

		if (!in[0] || avail <= 0) {
			c = in[0];
			break;
		}
		n = _stp_utf8_next(in, inlen, &c);
		in += n;
		inlen -= n;
		if (n > 1) {
			int i;

			num = c <= 0xffff ? 6 : 10;
			if (!esc && avail - 3 < num) {
				esc = out;
				esc_len = num;
			}
			if (avail < num)
				break;
			*out++ = '\\';
			*out++ = c <= 0xffff ? 'u' : 'U';
			for (i = num - 3; i >= 0; i--)
				*out++ = _stp_hex(c >> (i * 4));
		} else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*out++ = (char)c;
		} else {
			static const char shorts[] = "\a\b\f\n\r\t\v\"\\";
			static const char letters[] = "abfnrtv\"\\";
			const char *k = NULL;
			int i;

			for (i = 0; shorts[i]; i++)
				if ((uint32_t)(unsigned char)shorts[i] == c)
					k = &letters[i];
			num = k ? 2 : 4;
			if (!esc && avail - 3 < num) {
				esc = out;
				esc_len = num;
			}
			if (avail < num)
				break;
			*out++ = '\\';
			if (k) {
				*out++ = *k;
			} else {
				*out++ = (char)('0' + ((c >> 6) & 3));
				*out++ = (char)('0' + ((c >> 3) & 7));
				*out++ = (char)('0' + (c & 7));
			}
		}
		avail -= num;
	}
	if (quoted) {
		if (c && inlen > 0) {
			char *cut = out - 3 + avail;

			out = esc && esc < cut && cut < esc + esc_len ? esc : cut;
			*out++ = '"';
			*out++ = '.';
			*out++ = '.';
			*out++ = '.';
		} else {
			*out++ = '"';
		}
	}
	*out = '\0';
}

static int _stp_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return 99;
}

/* The unsigned part after any sign: digits of base, wrapping; *end is
 * where it stopped. */
static uint64_t _stp_parse_digits(const char *s, unsigned int base, const char **end)
{
	uint64_t v = 0;
	int d;

	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && _stp_digit(s[2]) < 16)
			base = 16;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
	}
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && _stp_digit(s[2]) < 16)
		s += 2;
	while ((d = _stp_digit(*s)) < (int)base) {
		v = v * base + (unsigned int)d;
		s++;
	}
	*end = s;
	return v;
}

STP_API int64_t stp_strtol(const char *s, int64_t base)
{
	const char *end;
	bool neg = false;

	if (base != 0 && (base < 2 || base > 36))
		return 0;
	if (*s == '-') {
		neg = true;
		s++;
	}
	uint64_t v = _stp_parse_digits(s, (unsigned int)base, &end);
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

STP_API void stp_str_replace(char *dst, const char *s, const char *search, const char *repl)
{
	char out[MAXSTRINGLEN];
	size_t ls = stp_str_len(search), lr = stp_str_len(repl), n = 0;
	const char *p = s;

	if (!ls) {
		stp_str_copy(dst, s);
		return;
	}
	while (*p && n < STP_STRFN_MAX) {
		size_t k;

		if (!strncmp(p, search, ls)) {
			k = lr < STP_STRFN_MAX - n ? lr : STP_STRFN_MAX - n;
			memcpy(out + n, repl, k);
			n += k;
			p += ls;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	memcpy(dst, out, n + 1);
}

static bool _stp_is_delim(char ch, const char *delim)
{
	for (; *delim; delim++)
		if (*delim == ch)
			return true;
	return false;
}

STP_API void stp_tokenize(struct stp_context *c, char *dst, const char *input, const char *delim)
{
	size_t start, end;

	if (input[0]) {
		stp_str_copy(c->tok_str, input);
		c->tok_pos = 0;
		c->tok_len = stp_str_len(c->tok_str);
	}
	start = c->tok_pos;
	while (start < c->tok_len && _stp_is_delim(c->tok_str[start], delim))
		start++;
	end = start;
	while (end < c->tok_len && !_stp_is_delim(c->tok_str[end], delim))
		end++;
	memcpy(dst, c->tok_str + start, end - start);
	dst[end - start] = '\0';
	/* The delimiter after the token is used up with it. */
	c->tok_pos = end < c->tok_len ? end + 1 : end;
}

STP_API void stp_ctime(struct stp_context *c, const struct stp_loc *loc, char *dst, int64_t secs)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const unsigned char mdays[2][12] = {
		{ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
		{ 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
	};
	int64_t day, rem, year = 1970;
	int mon = 0, leap, wday, i;
	char *o = dst;

	dst[0] = '\0';
	if (secs > 2147483647LL) {
		stp_error(c, loc, "Time too far in the future to be converted");
		return;
	}
	if (secs < -2147483648LL) {
		stp_error(c, loc, "Time too far in the past to be converted");
		return;
	}
	day = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		day--;
	}
	wday = (int)((4 + day) % 7);
	if (wday < 0)
		wday += 7;
#define STP_LEAP(y) ((((y) % 4) == 0 && ((y) % 100) != 0) || ((y) % 400) == 0)
	for (;;) {
		int64_t len = STP_LEAP(year) ? 366 : 365;

		if (day < 0) {
			year--;
			day += STP_LEAP(year) ? 366 : 365;
		} else if (day >= len) {
			day -= len;
			year++;
		} else {
			break;
		}
	}
	leap = STP_LEAP(year);
#undef STP_LEAP
	while (day >= mdays[leap][mon])
		day -= mdays[leap][mon++];
	for (i = 0; i < 3; i++)
		*o++ = days[wday * 3 + i];
	*o++ = ' ';
	for (i = 0; i < 3; i++)
		*o++ = months[mon * 3 + i];
	*o++ = ' ';
	*o++ = day + 1 >= 10 ? (char)('0' + (day + 1) / 10) : ' ';
	*o++ = (char)('0' + (day + 1) % 10);
	*o++ = ' ';
	*o++ = (char)('0' + rem / 36000);
	*o++ = (char)('0' + rem / 3600 % 10);
	*o++ = ':';
	*o++ = (char)('0' + rem % 3600 / 600);
	*o++ = (char)('0' + rem % 3600 / 60 % 10);
	*o++ = ':';
	*o++ = (char)('0' + rem % 60 / 10);
	*o++ = (char)('0' + rem % 10);
	*o++ = ' ';
	/* 1901 .. 2038: four digits. */
	*o++ = (char)('0' + year / 1000);
	*o++ = (char)('0' + year / 100 % 10);
	*o++ = (char)('0' + year / 10 % 10);
	*o++ = (char)('0' + year % 10);
	*o = '\0';
}

STP_API int stp_param_parse_long(const char *s, int64_t *out)
{
	const char *end;
	bool neg = false;
	uint64_t v, lim;
	const char *p;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return -EINVAL;
	v = _stp_parse_digits(s, 0, &end);
	if (*end || end == s)
		return -EINVAL;
	/* Overflow: the digits again, checking each step. */
	lim = neg ? (uint64_t)STP_INT64_MAX + 1 : (uint64_t)STP_INT64_MAX;
	{
		unsigned int base = 10;
		uint64_t w = 0;

		p = s;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			base = 16;
			p += 2;
		} else if (p[0] == '0') {
			base = 8;
		}
		for (; p < end; p++) {
			unsigned int d = (unsigned int)_stp_digit(*p);

			if (w > (lim - d) / base)
				return -EINVAL;
			w = w * base + d;
		}
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

STP_API int stp_param_set(const struct stp_param *params, int n, const char *name,
			  const char *value)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(params[i].name, name))
			continue;
		if (params[i].type == STP_TYPE_STRING) {
			stp_str_copy(params[i].addr, value);
			return 0;
		}
		return stp_param_parse_long(value, params[i].addr);
	}
	return -ENOENT;
}
