/* Tree walks for pass 3's analyses. */
#ifndef TRANSLATE_CG_WALK_H
#define TRANSLATE_CG_WALK_H
#include "parse/ast.h"
#include <stdbool.h>

/* Called before a node's children; returning false skips them. */
typedef bool (*ExprVisitor)(Expr *e, void *data);
typedef void (*StmtVisitor)(Stmt *s, void *data);

void walk_expr(Expr *e, ExprVisitor fn, void *data);
void walk_stmt(Stmt *s, ExprVisitor fn, StmtVisitor sfn, void *data);
bool expr_has_effects(const Expr *e);

#endif
