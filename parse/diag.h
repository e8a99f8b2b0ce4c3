/* Error and warning reports, in one layout for every pass:
 *
 *   KIND error: MESSAGE
 *            at: FILE:LINE:COL
 *        source: the line
 *                ^
 */
#ifndef PARSE_DIAG_H
#define PARSE_DIAG_H
#include "parse/source.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>

struct Token;

typedef struct DiagConfig {
	bool suppress_warnings;		/* -w */
	bool warnings_are_errors;	/* -W */
	int max_errors_shown;		/* further ones are only counted */
	FILE *out;			/* where messages go; NULL for stderr */
} DiagConfig;
extern DiagConfig g_diag;

__attribute__((format(printf, 3, 4)))
void diag_error(const char *kind, Loc loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void diag_error_tok(const char *kind, const struct Token *t, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void diag_warning(Loc loc, const char *fmt, ...);
/* A message with no location, as "KIND error: MESSAGE". */
__attribute__((format(printf, 2, 3)))
void diag_error_noloc(const char *kind, const char *fmt, ...);
void diag_verror(const char *kind, Loc loc, const struct Token *t,
		 const char *fmt, va_list ap);

/* Prints the "at:"/"source:"/caret lines for a location. */
void diag_print_loc(Loc loc);

/* Read for every token the parser takes: inline. */
extern int diag_nerrors_;
static inline int diag_error_count(void)
{
	return diag_nerrors_;
}
int diag_warning_count(void);
void diag_reset(void);

__attribute__((format(printf, 1, 2), noreturn))
void fatal(const char *fmt, ...);

#endif
