#include "parse/strbuf.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <string.h>

void sb_grow(StrBuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		fatal("out of memory");
	b->s = s;
	b->cap = cap;
}

void sb_putn(StrBuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(StrBuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void sb_putc(StrBuf *b, char c)
{
	sb_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void sb_vprintf(StrBuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
	if (n < 0)
		fatal("formatting failed");
	if (!b->s || (size_t)n >= b->cap - b->len) {
		sb_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
	}
	va_end(ap2);
	b->len += (size_t)n;
}

void sb_printf(StrBuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void sb_put_quoted(StrBuf *b, const char *s, size_t n)
{
	sb_grow(b, n + 2);
	sb_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		case '\r': sb_puts(b, "\\r"); break;
		default:
			/* Octal with three digits never merges with a digit after it. */
			if (c < 0x20 || c == 0x7f)
				sb_printf(b, "\\%03o", c);
			else
				sb_putc(b, (char)c);
		}
	}
	sb_putc(b, '"');
}

void sb_indent(StrBuf *b, int level)
{
	for (int i = 0; i < level; i++)
		sb_putc(b, '\t');
}

void sb_clear(StrBuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(StrBuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *sb_str(StrBuf *b)
{
	if (!b->s)
		sb_grow(b, 0), b->s[0] = '\0';
	return b->s;
}

void sb_write(const StrBuf *b, FILE *out)
{
	if (b->len)
		fwrite(b->s, 1, b->len, out);
}
