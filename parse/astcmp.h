/* Structural equality of trees, ignoring source positions: the check
 * behind the -p1 round trip. */
#ifndef PARSE_ASTCMP_H
#define PARSE_ASTCMP_H
#include "parse/ast.h"

/* True when equal; otherwise *where names the first difference. */
bool stapfile_equal(const StapFile *a, const StapFile *b, const char **where);

#endif
