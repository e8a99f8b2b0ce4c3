/* Fully parenthesised printing in SystemTap's -p1 dump layout, for
 * checking expression trees against the reference implementation. */
#ifndef TESTSUITE_TOOLS_P1FULL_H
#define TESTSUITE_TOOLS_P1FULL_H
#include "parse/ast.h"
#include "parse/strbuf.h"

void p1full_expr(StrBuf *b, const Expr *e);
/* The expression statements of every probe and function body, one a
 * line, each ending in ';'. */
void p1full_file(StrBuf *b, const StapFile *f);

#endif
