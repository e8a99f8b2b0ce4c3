/* A growable byte buffer for building text: printers and code generation. */
#ifndef PARSE_STRBUF_H
#define PARSE_STRBUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct StrBuf {
	char *s;
	size_t len, cap;
} StrBuf;

void sb_grow(StrBuf *b, size_t extra);
void sb_putn(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_putc(StrBuf *b, char c);
__attribute__((format(printf, 2, 3)))
void sb_printf(StrBuf *b, const char *fmt, ...);
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* Appends s as a double-quoted literal that both the SystemTap lexer and
 * a C compiler read back as the same bytes. */
void sb_put_quoted(StrBuf *b, const char *s, size_t n);
void sb_indent(StrBuf *b, int level);
void sb_clear(StrBuf *b);
void sb_free(StrBuf *b);
/* NUL-terminated contents (always valid, even when empty). */
const char *sb_str(StrBuf *b);
void sb_write(const StrBuf *b, FILE *out);

#endif
