/* Prints trees back as canonical script text (stap -p1).  The text parses
 * again to the same tree: the testsuite checks that on every script. */
#ifndef PARSE_UNPARSE_H
#define PARSE_UNPARSE_H
#include "parse/ast.h"
#include "parse/strbuf.h"

void unparse_file(StrBuf *b, const StapFile *f);
void unparse_probe(StrBuf *b, const Probe *p);
void unparse_function(StrBuf *b, const FuncDecl *f);
void unparse_global(StrBuf *b, const VarDecl *v);
void unparse_probe_point(StrBuf *b, const ProbePoint *pp);
void unparse_stmt(StrBuf *b, const Stmt *s, int indent);
void unparse_expr(StrBuf *b, const Expr *e);

#endif
