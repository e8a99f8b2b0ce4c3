#include "parse/diag.h"
#include "parse/token.h"
#include <stdio.h>
#include <stdlib.h>

DiagConfig g_diag = { .max_errors_shown = 100 };
int diag_nerrors_;
static int nwarnings;

static FILE *out(void)
{
	return g_diag.out ? g_diag.out : stderr;
}

static void print_one_loc(Loc loc)
{
	const SrcFile *f = loc_file(loc);
	if (!f)
		return;
	uint32_t line, col;
	loc_line_col(loc, &line, &col);
	fprintf(out(), "         at: %s:%u:%u\n", f->name, line, col);
	size_t len;
	const char *s = src_line(f, line, &len);
	/* Very long lines are cut around the column so the caret stays useful. */
	size_t from = 0;
	if (len > 200 && col > 100)
		from = col - 80;
	size_t shown = len - from > 200 ? 200 : len - from;
	fprintf(out(), "     source: %.*s\n", (int)shown, s + from);
	fputs("             ", out());
	for (size_t i = from; i + 1 < col && i < len; i++)
		fputc(s[i] == '\t' ? '\t' : ' ', out());
	fputs("^\n", out());
}

/* A token a macro produced is shown where it was written, then at each
 * expansion site out to the user's text.  A deep chain (a recursive
 * macro) shows its innermost and outermost sites only. */
void diag_print_loc(Loc loc)
{
	enum { INNER = 3, OUTER = 2 };
	Loc site;
	Loc written = loc_written(loc, &site);
	print_one_loc(written);
	uint32_t n = loc_expansion_depth(loc), i = 0;
	while (site.file) {
		i++;
		written = loc_written(site, &site);
		if (n > INNER + OUTER + 1 && i > INNER && i <= n - OUTER) {
			if (i == INNER + 1)
				fprintf(out(), "in %u more expansions of macros\n", n - INNER - OUTER);
			continue;
		}
		fprintf(out(), "in expansion of macro:\n");
		print_one_loc(written);
	}
}

void diag_verror(const char *kind, Loc loc, const Token *t, const char *fmt,
		 va_list ap)
{
	diag_nerrors_++;
	if (diag_nerrors_ > g_diag.max_errors_shown)
		return;
	fprintf(out(), "%s error: ", kind);
	vfprintf(out(), fmt, ap);
	fputc('\n', out());
	(void)t;
	diag_print_loc(loc);
	fputc('\n', out());
}

void diag_error(const char *kind, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(kind, loc, NULL, fmt, ap);
	va_end(ap);
}

void diag_error_tok(const char *kind, const Token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(kind, t->loc, t, fmt, ap);
	va_end(ap);
}

void diag_error_noloc(const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_nerrors_++;
	fprintf(out(), "%s error: ", kind);
	vfprintf(out(), fmt, ap);
	fputc('\n', out());
	va_end(ap);
}

void diag_warning(Loc loc, const char *fmt, ...)
{
	if (g_diag.suppress_warnings && !g_diag.warnings_are_errors)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (g_diag.warnings_are_errors)
		diag_nerrors_++;
	else
		nwarnings++;
	fputs(g_diag.warnings_are_errors ? "ERROR: " : "WARNING: ", out());
	vfprintf(out(), fmt, ap);
	fputc('\n', out());
	diag_print_loc(loc);
	va_end(ap);
}

int diag_warning_count(void) { return nwarnings; }
void diag_reset(void) { diag_nerrors_ = nwarnings = 0; }

void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("stap: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}
