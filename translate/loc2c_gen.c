/* The C being generated for one access: lines, temporaries, and the first
 * error found while translating. */
#include "translate/loc2c_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int l2c_gen_error(Gen *g, const char *fmt, ...)
{
	if (!g->err) {
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(&g->err, fmt, ap) < 0)
			g->err = NULL;
		va_end(ap);
	}
	return -1;
}

void l2c_gen_line(Gen *g, const char *fmt, ...)
{
	va_list ap;
	sb_indent(&g->body, g->depth + 1);
	va_start(ap, fmt);
	sb_vprintf(&g->body, fmt, ap);
	va_end(ap);
	sb_putc(&g->body, '\n');
}

void l2c_gen_check(Gen *g, const char *fmt, ...)
{
	va_list ap;
	sb_indent(&g->body, g->depth + 1);
	sb_puts(&g->body, "if (");
	va_start(ap, fmt);
	sb_vprintf(&g->body, fmt, ap);
	va_end(ap);
	sb_puts(&g->body, ")\n");
	sb_indent(&g->body, g->depth + 2);
	sb_printf(&g->body, "%s;\n", g->fail);
}

int l2c_gen_temp(Gen *g)
{
	return g->ntemps++;
}
