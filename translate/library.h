/* The tapset library, parsed on demand.
 *
 * Pass 1 reads every library file on the search path but only scans each
 * .stp file for the names it declares at its top level (functions,
 * globals, probe alias names).  Pass 2 parses a file the first time it
 * needs one of those names, so a script that calls pid() parses the one
 * file declaring pid, not the 480 others.  .stpm macro files are parsed at
 * once (their macros serve every file), and under -W every file is parsed
 * up front, so that any error in the library fails the run as it does in
 * SystemTap.  The scan over-approximates (both branches of a %( %)
 * condition count); the parse decides.  A file whose top level uses a
 * macro, whose declarations a scan cannot see, is parsed up front too. */
#ifndef TRANSLATE_LIBRARY_H
#define TRANSLATE_LIBRARY_H
#include "translate/session.h"
#include <stddef.h>

typedef enum LibKind { LIB_FUNCTION, LIB_GLOBAL } LibKind;

/* Pass 1: reads and scans the library (macro files first, each list in
 * search order).  Returns the number of files processed. */
int library_open(Session *s, char **stpm, int nstpm, char **stp, int nstp);

int library_nfiles(void);
/* The parsed file i, parsed on first use; NULL if it cannot be parsed
 * (its errors are reported once, then "has errors, and will be skipped"). */
StapFile *library_file(Session *s, int i);
/* Whether file i was parsed already (without parsing it). */
StapFile *library_file_if_parsed(int i);
/* Library files (indexes, search order) that may declare name. */
const int *library_candidates(LibKind k, const char *name, int *n);
/* Every alias name the library may declare, with its file. */
void library_aliases(void (*fn)(void *ctx, const char *name, size_t len, int file), void *ctx);
/* Every function name the library may declare (for suggestions). */
void library_function_names(void (*fn)(void *ctx, const char *name), void *ctx);
/* Library parse errors that were reported but do not fail the run. */
int library_ignored_errors(void);

#endif
