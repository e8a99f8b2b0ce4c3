#include "parse/astcmp.h"
#include <string.h>

static const char *diff;

#define SAME(cond, what) do { if (!(cond)) { diff = (what); return false; } } while (0)

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool bytes_eq(const char *a, uint32_t na, const char *b, uint32_t nb)
{
	return na == nb && (na == 0 || !memcmp(a, b, na));
}

static bool expr_eq(const Expr *a, const Expr *b);
static bool stmt_eq(const Stmt *a, const Stmt *b);

static bool list_eq(Expr *const *a, Expr *const *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!expr_eq(a[i], b[i]))
			return false;
	return true;
}

static bool comps_eq(const Expr *a, const Expr *b)
{
	for (uint32_t i = 0; i < a->n; i++) {
		const Component *x = &a->comps[i], *y = &b->comps[i];
		SAME(x->kind == y->kind, "target component kind");
		SAME(str_eq(x->name, y->name) && x->num == y->num, "target component");
		if (x->kind == COMP_INDEX_EXPR && !expr_eq(x->expr, y->expr))
			return false;
	}
	return true;
}

static bool expr_eq(const Expr *a, const Expr *b)
{
	if (!a || !b) {
		SAME(a == b, "missing expression");
		return true;
	}
	SAME(a->kind == b->kind, "expression kind");
	SAME(a->op == b->op, "operator");
	SAME(a->flags == b->flags, "expression flags");
	switch ((ExprKind)a->kind) {
	case E_NUMBER:
		SAME(a->num == b->num, "number");
		return true;
	case E_STRING: case E_EMBEDDED: case E_PERF: case E_CONST:
		SAME(bytes_eq(a->str, a->slen, b->str, b->slen), "string");
		return true;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		SAME(a->n == b->n, "component count");
		SAME(str_eq(a->name, b->name) && str_eq(a->module, b->module), "target name");
		return expr_eq(a->left, b->left) && comps_eq(a, b);
	default:
		SAME(str_eq(a->name, b->name), "name");
		SAME(a->n == b->n, "argument count");
		return expr_eq(a->left, b->left) && expr_eq(a->right, b->right) &&
		       expr_eq(a->cond, b->cond) && list_eq(a->args, b->args, a->n);
	}
}

static bool stmt_eq(const Stmt *a, const Stmt *b)
{
	if (!a || !b) {
		SAME(a == b, "missing statement");
		return true;
	}
	SAME(a->kind == b->kind, "statement kind");
	SAME(a->is_while == b->is_while, "while/for");
	switch ((StmtKind)a->kind) {
	case S_BLOCK:
		SAME(a->n == b->n, "block length");
		for (uint32_t i = 0; i < a->n; i++)
			if (!stmt_eq(a->stmts[i], b->stmts[i]))
				return false;
		return true;
	case S_EMBEDDED:
		SAME(bytes_eq(a->str, a->slen, b->str, b->slen), "embedded code");
		return true;
	case S_FOREACH: {
		const Foreach *x = a->foreach, *y = b->foreach;
		SAME(x->nkeys == y->nkeys, "foreach keys");
		SAME(x->sort_column == y->sort_column && x->sort_dir == y->sort_dir, "foreach sort");
		SAME(str_eq(x->sort_agg, y->sort_agg), "foreach aggregate");
		SAME(!x->slice == !y->slice, "foreach slice");
		if (!expr_eq(x->value, y->value) || !list_eq(x->keys, y->keys, (uint32_t)x->nkeys) ||
		    !expr_eq(x->base, y->base) || !expr_eq(x->limit, y->limit))
			return false;
		if (x->slice && !list_eq(x->slice, y->slice, (uint32_t)x->nkeys))
			return false;
		return stmt_eq(a->then, b->then);
	}
	default:
		return expr_eq(a->expr, b->expr) && expr_eq(a->cond, b->cond) &&
		       expr_eq(a->incr, b->incr) && stmt_eq(a->then, b->then) &&
		       stmt_eq(a->els, b->els);
	}
}

static bool pp_eq(const ProbePoint *a, const ProbePoint *b)
{
	SAME(a->ncomps == b->ncomps, "probe point length");
	SAME(a->optional == b->optional && a->sufficient == b->sufficient, "probe point flags");
	for (int i = 0; i < a->ncomps; i++) {
		const PPComponent *x = &a->comps[i], *y = &b->comps[i];
		SAME(str_eq(x->functor, y->functor), "probe point component");
		SAME(x->arg_kind == y->arg_kind && x->num == y->num, "probe point argument");
		SAME(bytes_eq(x->str, x->slen, y->str, y->slen), "probe point string");
	}
	return expr_eq(a->cond, b->cond);
}

static bool probe_eq(const Probe *a, const Probe *b)
{
	SAME(a->alias == b->alias, "alias kind");
	SAME(a->npoints == b->npoints && a->nalias_names == b->nalias_names, "probe point count");
	for (int i = 0; i < a->npoints; i++)
		if (!pp_eq(a->points[i], b->points[i]))
			return false;
	for (int i = 0; i < a->nalias_names; i++)
		if (!pp_eq(a->alias_names[i], b->alias_names[i]))
			return false;
	return stmt_eq(a->body, b->body) && stmt_eq(a->epilogue, b->epilogue);
}

static bool var_eq(const VarDecl *a, const VarDecl *b)
{
	SAME(str_eq(a->name, b->name), "variable name");
	SAME(a->decl_type == b->decl_type, "declared type");
	SAME(a->is_private == b->is_private && a->wrap == b->wrap && a->max_size == b->max_size,
	     "global attributes");
	return expr_eq(a->init, b->init);
}

static bool func_eq(const FuncDecl *a, const FuncDecl *b)
{
	SAME(str_eq(a->name, b->name), "function name");
	SAME(a->decl_type == b->decl_type, "return type");
	SAME(a->nparams == b->nparams, "parameter count");
	SAME(a->priority == b->priority && a->has_priority == b->has_priority, "priority");
	SAME(a->is_private == b->is_private, "private");
	SAME(bytes_eq(a->embedded, a->embedded_len, b->embedded, b->embedded_len), "embedded body");
	for (int i = 0; i < a->nparams; i++)
		if (!var_eq(a->params[i], b->params[i]))
			return false;
	return stmt_eq(a->body, b->body);
}

bool stapfile_equal(const StapFile *a, const StapFile *b, const char **where)
{
	diff = NULL;
	bool ok = a->nprobes == b->nprobes && a->naliases == b->naliases &&
		  a->nfuncs == b->nfuncs && a->nglobals == b->nglobals && a->nembeds == b->nembeds;
	if (!ok)
		diff = "number of declarations";
	for (int i = 0; ok && i < a->nglobals; i++)
		ok = var_eq(a->globals[i], b->globals[i]);
	for (int i = 0; ok && i < a->nembeds; i++) {
		ok = bytes_eq(a->embeds[i]->code, a->embeds[i]->len, b->embeds[i]->code, b->embeds[i]->len);
		if (!ok)
			diff = "top-level embedded code";
	}
	for (int i = 0; ok && i < a->naliases; i++)
		ok = probe_eq(a->aliases[i], b->aliases[i]);
	for (int i = 0; ok && i < a->nprobes; i++)
		ok = probe_eq(a->probes[i], b->probes[i]);
	for (int i = 0; ok && i < a->nfuncs; i++)
		ok = func_eq(a->funcs[i], b->funcs[i]);
	if (where)
		*where = diff;
	return ok;
}
