/* User memory without faults: strings, integers, and strings quoted as
 * SystemTap's string_quoted() does.  Part of runtime/task_info.c. */

/* Reads never cross a page: a string that ends just before an unmapped
 * page is read whole. */
#define STP_TI_PAGE 4096UL

STP_API int stp_user_str(char *dst, unsigned long addr, int64_t maxlen, unsigned long *fault_at)
{
	size_t limit = maxlen < 0 ? 0 : maxlen > MAXSTRINGLEN - 1 ? MAXSTRINGLEN - 1
								 : (size_t)maxlen;
	size_t got = 0;

	while (got < limit) {
		unsigned long at = addr + got;
		size_t chunk = STP_TI_PAGE - (at & (STP_TI_PAGE - 1));
		size_t i;

		if (chunk > limit - got)
			chunk = limit - got;
		if (stp_copy_from_user(dst + got, at, chunk)) {
			dst[0] = '\0';
			if (fault_at)
				*fault_at = at;
			return -EFAULT;
		}
		for (i = 0; i < chunk; i++)
			if (dst[got + i] == '\0')
				return 0;
		got += chunk;
	}
	dst[got] = '\0';
	return 0;
}

STP_API int stp_user_int(unsigned long addr, int n, int64_t *v)
{
	union {
		int8_t i8;
		int16_t i16;
		int32_t i32;
		int64_t i64;
	} u;

	*v = 0;
	if ((n != 1 && n != 2 && n != 4 && n != 8) || stp_copy_from_user(&u, addr, (size_t)n))
		return -EFAULT;
	*v = n == 1 ? u.i8 : n == 2 ? u.i16 : n == 4 ? u.i32 : u.i64;
	return 0;
}

STP_API void stp_hex_str(char *dst, uint64_t v)
{
	char tmp[16];
	int n = 0, i = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	dst[i++] = '0';
	dst[i++] = 'x';
	while (n)
		dst[i++] = tmp[--n];
	dst[i] = '\0';
}

/* ---- quoting ----
 * The quoter reads its input through a small window, so a user string is
 * quoted straight from the process's memory: no second MAXSTRINGLEN
 * buffer, on a kernel stack or anywhere else. */

struct stp_qsrc {
	const char *str;	/* a string in our memory, or NULL: user memory at addr */
	unsigned long addr;
	size_t limit;		/* input bytes at most (a string is cut there) */
	size_t base;		/* input offset of win[0] */
	size_t len;		/* bytes in win */
	bool fault;
	unsigned char win[64];
};

/* Byte k of the input, or -1 past its end (NUL, limit or fault). */
static int _stp_qsrc_byte(struct stp_qsrc *s, size_t k)
{
	if (k >= s->limit)
		return -1;
	if (s->str)
		return s->str[k] ? (unsigned char)s->str[k] : -1;
	if (k < s->base || k >= s->base + s->len) {
		unsigned long at = s->addr + k;
		size_t n = STP_TI_PAGE - (at & (STP_TI_PAGE - 1));

		if (s->fault)
			return -1;
		if (n > sizeof(s->win))
			n = sizeof(s->win);
		if (n > s->limit - k)
			n = s->limit - k;
		if (stp_copy_from_user(s->win, at, n)) {
			s->fault = true;
			return -1;
		}
		s->base = k;
		s->len = n;
	}
	return s->win[k - s->base] ? s->win[k - s->base] : -1;
}

/* A valid UTF-8 sequence of 2 to 4 bytes at input offset k: its code
 * point and length, else 0 (the byte then stands alone). */
static int _stp_utf8_seq(struct stp_qsrc *s, size_t k, uint32_t *cp)
{
	int b = _stp_qsrc_byte(s, k), n, i;
	uint32_t c;

	if ((b & 0xe0) == 0xc0) {
		n = 2;
		c = (uint32_t)b & 0x1f;
	} else if ((b & 0xf0) == 0xe0) {
		n = 3;
		c = (uint32_t)b & 0x0f;
	} else if ((b & 0xf8) == 0xf0) {
		n = 4;
		c = (uint32_t)b & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		int cb = _stp_qsrc_byte(s, k + (size_t)i);

		if (cb < 0 || (cb & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | ((uint32_t)cb & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF would hide
	 * what the bytes really are. */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* The text of the unit (a character or a sequence) at input offset k into
 * out; returns its length and the input bytes it covers in *used. */
static size_t _stp_quote_unit(struct stp_qsrc *s, size_t k, char *out, size_t *used)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char esc_from[] = "\a\b\f\n\r\t\v\"\\";
	static const char esc_to[] = "abfnrtv\"\\";
	int b = _stp_qsrc_byte(s, k), n, shift, digits;
	const char *e;
	uint32_t cp;
	size_t len = 0;

	n = _stp_utf8_seq(s, k, &cp);
	if (n) {
		digits = cp <= 0xffff ? 4 : 8;
		*used = (size_t)n;
		out[len++] = '\\';
		out[len++] = digits == 4 ? 'u' : 'U';
		for (shift = 4 * (digits - 1); shift >= 0; shift -= 4)
			out[len++] = hex[(cp >> shift) & 0xf];
		return len;
	}
	*used = 1;
	if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
		out[0] = (char)b;
		return 1;
	}
	e = strchr(esc_from, b);
	if (e) {
		out[0] = '\\';
		out[1] = esc_to[e - esc_from];
		return 2;
	}
	out[0] = '\\';
	out[1] = (char)('0' + ((b >> 6) & 3));
	out[2] = (char)('0' + ((b >> 3) & 7));
	out[3] = (char)('0' + (b & 7));
	return 4;
}

static void _stp_quote(char *dst, struct stp_qsrc *s)
{
	/* Room between the quotes, whole and when cut (the closing quote is
	 * then followed by "..."). */
	const size_t whole = MAXSTRINGLEN - 3, cut = MAXSTRINGLEN - 6;
	size_t len = 0, fits_cut = 0, k = 0;
	bool truncated = false;
	char unit[12];

	if (MAXSTRINGLEN < 8) {
		dst[0] = '\0';	/* no room for even a cut quote */
		return;
	}
	dst[0] = '"';
	while (_stp_qsrc_byte(s, k) >= 0) {
		size_t used, n = _stp_quote_unit(s, k, unit, &used);

		if (len + n > whole) {
			truncated = true;
			break;
		}
		memcpy(dst + 1 + len, unit, n);
		len += n;
		k += used;
		if (len <= cut)
			fits_cut = len;
	}
	if (truncated) {
		/* The rest is read too: a string that cannot be read to its
		 * end is a fault, however little of it shows. */
		while (_stp_qsrc_byte(s, k) >= 0)
			k++;
		memcpy(dst + 1 + fits_cut, "\"...", 5);
	} else {
		dst[1 + len] = '"';
		dst[2 + len] = '\0';
	}
}

STP_API void stp_text_quote(char *dst, const char *src)
{
	struct stp_qsrc s = { .str = src, .limit = MAXSTRINGLEN - 1 };

	_stp_quote(dst, &s);
}

STP_API int stp_user_str_quoted(char *dst, unsigned long addr)
{
	struct stp_qsrc s = { .addr = addr, .limit = MAXSTRINGLEN - 1 };

	_stp_quote(dst, &s);
	if (!s.fault)
		return 0;
	dst[0] = '\0';
	return -EFAULT;
}
