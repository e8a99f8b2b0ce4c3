#include "translate/format.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <string.h>

static FmtPiece *push(FmtPiece **v, int *n, int *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = realloc(*v, sizeof(**v) * (size_t)*cap);
		if (!*v)
			fatal("out of memory");
	}
	FmtPiece *p = &(*v)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->width = p->precision = -1;
	return p;
}

static int number(const char *s, size_t len, size_t *i)
{
	long v = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (v < 100000)
			v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	return (int)v;
}

int format_parse(const char *s, size_t len, FmtPiece **out, const char **err, size_t *err_off)
{
	FmtPiece *v = NULL;
	int n = 0, cap = 0;
	size_t i = 0;
	while (i < len) {
		if (s[i] != '%' || (i + 1 < len && s[i + 1] == '%')) {
			/* A run of text; "%%" contributes its first '%' and ends
			 * the run, so runs always point into the format itself. */
			FmtPiece *p = n && v[n - 1].conv == FMT_LITERAL &&
				      v[n - 1].text + v[n - 1].len == s + i ? &v[n - 1] : NULL;
			if (!p) {
				p = push(&v, &n, &cap);
				p->conv = FMT_LITERAL;
				p->text = s + i;
			}
			p->len++;
			i += s[i] == '%' ? 2 : 1;
			continue;
		}
		size_t start = i++;
		FmtPiece *p = push(&v, &n, &cap);
		for (; i < len; i++) {
			int f = s[i] == '-' ? FMT_LEFT : s[i] == '+' ? FMT_PLUS : s[i] == ' ' ? FMT_SPACE :
				s[i] == '#' ? FMT_ALT : s[i] == '0' ? FMT_ZERO : 0;
			if (!f)
				break;
			p->flags |= f;
		}
		if (i < len && s[i] == '*') {
			p->width_arg = true;
			i++;
		} else if (i < len && s[i] >= '1' && s[i] <= '9') {
			p->width = number(s, len, &i);
		}
		if (i < len && s[i] == '.') {
			i++;
			if (i < len && s[i] == '*') {
				p->precision_arg = true;
				i++;
			} else {
				p->precision = number(s, len, &i);
			}
		}
		/* No length modifiers: every value is 64-bit (SystemTap rejects
		 * %ld too). */
		if (i >= len) {
			*err = "invalid or missing conversion specifier";
			*err_off = start;
			free(v);
			return -1;
		}
		switch (s[i]) {
		case 's': p->conv = FMT_STRING; break;
		case 'd': case 'i': p->conv = FMT_SIGNED; break;
		case 'u': p->conv = FMT_UNSIGNED; break;
		case 'o': p->conv = FMT_OCTAL; break;
		case 'x': p->conv = FMT_HEX; break;
		case 'X': p->conv = FMT_HEX_UPPER; break;
		case 'c': p->conv = FMT_CHAR; break;
		case 'p': p->conv = FMT_POINTER; break;
		case 'b': p->conv = FMT_BINARY; break;
		case 'm': p->conv = FMT_MEMORY; break;
		case 'M': p->conv = FMT_MEMORY_HEX; break;
		default:
			*err = "invalid or missing conversion specifier";
			*err_off = start;
			free(v);
			return -1;
		}
		i++;
	}
	*out = v;
	return n;
}

Type format_arg_type(const FmtPiece *p)
{
	switch (p->conv) {
	case FMT_LITERAL: return TY_UNKNOWN;
	case FMT_STRING: return TY_STRING;
	default: return TY_LONG;
	}
}
