#include "parse/unparse.h"
#include <inttypes.h>
#include <string.h>

/* Binding strength, loosest first; parentheses appear only where the tree
 * binds tighter than the text would. */
enum {
	P_ASSIGN = 1, P_TERNARY, P_OROR, P_ANDAND, P_BITOR, P_BITXOR, P_BITAND,
	P_IN, P_COMPARE, P_SHIFT, P_CONCAT, P_ADD, P_MUL, P_UNARY, P_POSTFIX, P_PRIMARY,
};

static int binary_level(const Expr *e)
{
	switch (e->op) {
	case OP_OROR: return P_OROR;
	case OP_ANDAND: return P_ANDAND;
	case OP_PIPE: return P_BITOR;
	case OP_CARET: return P_BITXOR;
	case OP_AMP: return P_BITAND;
	case OP_SHL: case OP_SHR: case OP_USHR: return P_SHIFT;
	case OP_PLUS: case OP_MINUS: return P_ADD;
	default: return P_MUL;
	}
}

static int level(const Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_ASSIGN: return P_ASSIGN;
	case E_TERNARY: return P_TERNARY;
	case E_BINARY: case E_LOGICAL: return binary_level(e);
	case E_IN: return P_IN;
	case E_COMPARE: case E_REGEX: return P_COMPARE;
	case E_CONCAT: return P_CONCAT;
	/* '&' takes a value and is one: "&a++" is (&a)++. */
	case E_UNARY: return e->op == OP_AMP ? P_PRIMARY : P_UNARY;
	case E_INCDEC: return e->flags & EXPR_POSTFIX ? P_POSTFIX : P_UNARY;
	default: return P_PRIMARY;
	}
}

/* %{ code %}: the code as written, NUL bytes included. */
static void embedded(StrBuf *b, const char *code, uint32_t len)
{
	sb_puts(b, "%{");
	sb_putn(b, code, len);
	sb_puts(b, "%}");
}

static void expr_at(StrBuf *b, const Expr *e, int min);

static void expr_list(StrBuf *b, Expr *const *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_puts(b, ", ");
		if (v[i])
			expr_at(b, v[i], P_ASSIGN);
		else
			sb_putc(b, '*');
	}
}

static void components(StrBuf *b, const Expr *e)
{
	for (uint32_t i = 0; i < e->n; i++) {
		const Component *c = &e->comps[i];
		switch (c->kind) {
		case COMP_MEMBER:
			sb_printf(b, "->%s", c->name);
			break;
		case COMP_INDEX_LIT:
			sb_printf(b, "[%" PRId64 "]", c->num);
			break;
		case COMP_INDEX_EXPR:
			sb_putc(b, '[');
			expr_at(b, c->expr, P_ASSIGN);
			sb_putc(b, ']');
			break;
		}
	}
	if (e->flags & EXPR_PRETTY)
		sb_putc(b, '$');
	else if (e->flags & EXPR_PRETTY_DEEP)
		sb_puts(b, "$$");
}

/* The base of an index or 'in': a name or a histogram. */
static void array_base(StrBuf *b, const Expr *e)
{
	expr_at(b, e, P_PRIMARY);
}

static bool starts_with_sign(const Expr *e)
{
	return (e->kind == E_UNARY && (e->op == OP_MINUS || e->op == OP_PLUS || e->op == OP_NOT)) ||
	       (e->kind == E_INCDEC && !(e->flags & EXPR_POSTFIX));
}

static void expr_body(StrBuf *b, const Expr *e)
{
	switch ((ExprKind)e->kind) {
	case E_NUMBER:
		/* Unsigned, so the text lexes back to the same 64 bits. */
		sb_printf(b, "%" PRIu64, (uint64_t)e->num);
		break;
	case E_STRING:
		sb_put_quoted(b, e->str, e->slen);
		break;
	case E_EMBEDDED:
		embedded(b, e->str, e->slen);
		break;
	case E_SYMBOL:
		sb_puts(b, e->name);
		break;
	case E_INDEX:
		array_base(b, e->left);
		sb_putc(b, '[');
		expr_list(b, e->args, e->n);
		sb_putc(b, ']');
		break;
	case E_CALL:
	case E_PRINT:
		sb_printf(b, "%s(", e->name);
		expr_list(b, e->args, e->n);
		sb_putc(b, ')');
		break;
	case E_UNARY:
		sb_puts(b, op_text[e->op]);
		/* "- -x", never "--x"; "! ~x", never "!~x". */
		if (starts_with_sign(e->left) || (e->left->kind == E_UNARY && e->op == OP_NOT))
			sb_putc(b, ' ');
		expr_at(b, e->left, e->op == OP_AMP ? P_PRIMARY : P_UNARY);
		break;
	case E_BINARY:
	case E_LOGICAL:
	case E_COMPARE:
	case E_CONCAT: {
		int lv = level(e);
		/* A comparison never continues a match: "(s =~ "x") == 0". */
		expr_at(b, e->left, e->left->kind == E_REGEX ? lv + 1 : lv);
		sb_printf(b, " %s ", e->kind == E_CONCAT ? "." : op_text[e->op]);
		expr_at(b, e->right, lv + 1);
		break;
	}
	case E_REGEX:
		expr_at(b, e->left, P_SHIFT);
		sb_printf(b, " %s ", op_text[e->op]);
		sb_put_quoted(b, e->right->str, e->right->slen);
		break;
	case E_TERNARY:
		expr_at(b, e->cond, P_OROR);
		sb_puts(b, " ? ");
		expr_at(b, e->left, P_ASSIGN);
		sb_puts(b, " : ");
		expr_at(b, e->right, P_TERNARY);
		break;
	case E_ASSIGN:
		expr_at(b, e->left, P_TERNARY);
		sb_printf(b, " %s ", op_text[e->op]);
		expr_at(b, e->right, P_ASSIGN);
		break;
	case E_INCDEC:
		/* Both forms take a value: "(a++)++", "++(-a)". */
		if (e->flags & EXPR_POSTFIX) {
			expr_at(b, e->left, P_PRIMARY);
			sb_puts(b, op_text[e->op]);
		} else {
			sb_puts(b, op_text[e->op]);
			expr_at(b, e->left, P_PRIMARY);
		}
		break;
	case E_IN:
		/* The keys are comparisons at most: "[(a & b)] in c". */
		sb_putc(b, '[');
		for (uint32_t i = 0; i < e->n; i++) {
			if (i)
				sb_puts(b, ", ");
			if (e->args[i])
				expr_at(b, e->args[i], P_COMPARE);
			else
				sb_putc(b, '*');
		}
		sb_puts(b, "] in ");
		array_base(b, e->left);
		break;
	case E_STAT:
		sb_printf(b, "%s(", e->name);
		expr_at(b, e->left, P_ASSIGN);
		if (e->right) {
			sb_puts(b, ", ");
			expr_at(b, e->right, P_ASSIGN);
		}
		sb_putc(b, ')');
		break;
	case E_HIST:
		sb_puts(b, e->op == HIST_LINEAR ? "@hist_linear(" : "@hist_log(");
		expr_at(b, e->left, P_ASSIGN);
		for (uint32_t i = 0; i < e->n; i++) {
			sb_puts(b, ", ");
			expr_at(b, e->args[i], P_ASSIGN);
		}
		sb_putc(b, ')');
		break;
	case E_TARGET:
		sb_puts(b, e->name);
		components(b, e);
		break;
	case E_CAST:
		sb_puts(b, "@cast(");
		expr_at(b, e->left, P_ASSIGN);
		sb_puts(b, ", ");
		sb_put_quoted(b, e->name, strlen(e->name));
		if (e->module) {
			sb_puts(b, ", ");
			sb_put_quoted(b, e->module, strlen(e->module));
		}
		sb_putc(b, ')');
		components(b, e);
		break;
	case E_AUTOCAST: {
		/* Only names, calls and indexes take '->' without parentheses. */
		ExprKind k = (ExprKind)e->left->kind;
		bool bare = (k == E_SYMBOL || k == E_INDEX || k == E_CALL || k == E_PRINT) &&
			    !(k == E_INDEX && e->left->left->kind == E_HIST) &&
			    !((k == E_SYMBOL || k == E_INDEX) &&
			      (e->n == 0 || e->comps[0].kind != COMP_MEMBER)) &&
			    !(e->left->flags & EXPR_ADDR_OF);
		if (!bare)
			sb_putc(b, '(');
		expr_at(b, e->left, bare ? P_PRIMARY : P_ASSIGN);
		if (!bare)
			sb_putc(b, ')');
		components(b, e);
		break;
	}
	case E_ATVAR:
		sb_puts(b, "@var(");
		sb_put_quoted(b, e->name, strlen(e->name));
		if (e->module) {
			sb_puts(b, ", ");
			sb_put_quoted(b, e->module, strlen(e->module));
		}
		sb_putc(b, ')');
		components(b, e);
		break;
	case E_DEFINED:
	case E_ENTRY:
	case E_PROBEWRITE:
		sb_puts(b, e->kind == E_DEFINED ? "@defined(" : e->kind == E_ENTRY ? "@entry(" : "@probewrite(");
		expr_at(b, e->left, P_ASSIGN);
		sb_putc(b, ')');
		break;
	case E_PERF:
	case E_CONST:
		sb_puts(b, e->kind == E_PERF ? "@perf(" : "@const(");
		sb_put_quoted(b, e->str, e->slen);
		sb_putc(b, ')');
		break;
	}
}

static void expr_at(StrBuf *b, const Expr *e, int min)
{
	bool paren = level(e) < min;
	if (paren)
		sb_putc(b, '(');
	if (e->flags & EXPR_ADDR_OF)
		sb_putc(b, '&');
	expr_body(b, e);
	if (paren)
		sb_putc(b, ')');
}

void unparse_expr(StrBuf *b, const Expr *e)
{
	expr_at(b, e, P_ASSIGN);
}

/* ---- statements ---- */

static void sort_mark(StrBuf *b, const Foreach *f, int column)
{
	if (f->sort_dir && f->sort_column == column)
		sb_putc(b, f->sort_dir > 0 ? '+' : '-');
}

/* A branch of if/for/foreach: blocks stay on the line, others go below. */
static void branch(StrBuf *b, const Stmt *s, int indent)
{
	if (s->kind == S_BLOCK) {
		sb_putc(b, ' ');
		unparse_stmt(b, s, indent);
	} else {
		sb_putc(b, '\n');
		sb_indent(b, indent + 1);
		unparse_stmt(b, s, indent + 1);
	}
}

/* A statement that opens with %{ reads back as embedded C unless an
 * assignment follows it, so any other expression that prints that way
 * keeps parentheses. */
static void expr_stmt(StrBuf *b, const Expr *e)
{
	StrBuf text = { 0 };
	unparse_expr(&text, e);
	bool assigns_to_embedded = e->kind == E_ASSIGN && e->left->kind == E_EMBEDDED;
	bool wrap = text.len >= 2 && !memcmp(text.s, "%{", 2) && !assigns_to_embedded;
	if (wrap)
		sb_putc(b, '(');
	sb_putn(b, text.s, text.len);
	if (wrap)
		sb_putc(b, ')');
	sb_putc(b, ';');
	sb_free(&text);
}

void unparse_stmt(StrBuf *b, const Stmt *s, int indent)
{
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		sb_puts(b, "{\n");
		for (uint32_t i = 0; i < s->n; i++) {
			sb_indent(b, indent + 1);
			unparse_stmt(b, s->stmts[i], indent + 1);
			sb_putc(b, '\n');
		}
		sb_indent(b, indent);
		sb_putc(b, '}');
		break;
	case S_EMBEDDED:
		embedded(b, s->str, s->slen);
		break;
	case S_NULL:
		sb_putc(b, ';');
		break;
	case S_EXPR:
		expr_stmt(b, s->expr);
		break;
	case S_IF:
		sb_puts(b, "if (");
		unparse_expr(b, s->cond);
		sb_putc(b, ')');
		branch(b, s->then, indent);
		if (s->els) {
			sb_putc(b, '\n');
			sb_indent(b, indent);
			sb_puts(b, "else");
			if (s->els->kind == S_IF) {
				sb_putc(b, ' ');
				unparse_stmt(b, s->els, indent);
			} else {
				branch(b, s->els, indent);
			}
		}
		break;
	case S_FOR:
		if (s->is_while) {
			sb_puts(b, "while (");
			unparse_expr(b, s->cond);
		} else {
			sb_puts(b, "for (");
			if (s->expr)
				unparse_expr(b, s->expr);
			sb_puts(b, "; ");
			if (s->cond)
				unparse_expr(b, s->cond);
			sb_puts(b, "; ");
			if (s->incr)
				unparse_expr(b, s->incr);
		}
		sb_putc(b, ')');
		branch(b, s->then, indent);
		break;
	case S_FOREACH: {
		const Foreach *f = s->foreach;
		sb_puts(b, "foreach (");
		if (f->value) {
			sb_puts(b, f->value->name);
			if (!f->sort_agg)
				sort_mark(b, f, 0);
			sb_puts(b, " = ");
		}
		sb_putc(b, '[');
		for (int i = 0; i < f->nkeys; i++) {
			if (i)
				sb_puts(b, ", ");
			sb_puts(b, f->keys[i]->name);
			sort_mark(b, f, i + 1);
		}
		sb_puts(b, "] in ");
		array_base(b, f->base);
		if (f->slice) {
			sb_putc(b, '[');
			expr_list(b, f->slice, (uint32_t)f->nkeys);
			sb_putc(b, ']');
		}
		if (f->sort_agg) {
			sb_printf(b, " %s", f->sort_agg);
			sort_mark(b, f, 0);
		} else if (!f->value) {
			sort_mark(b, f, 0);
		}
		if (f->limit) {
			sb_puts(b, " limit ");
			unparse_expr(b, f->limit);
		}
		sb_putc(b, ')');
		branch(b, s->then, indent);
		break;
	}
	case S_RETURN:
		sb_puts(b, "return");
		if (s->expr) {
			sb_putc(b, ' ');
			unparse_expr(b, s->expr);
		}
		sb_putc(b, ';');
		break;
	case S_DELETE:
		sb_puts(b, "delete ");
		unparse_expr(b, s->expr);
		sb_putc(b, ';');
		break;
	case S_NEXT:
		sb_puts(b, "next;");
		break;
	case S_BREAK:
		sb_puts(b, "break;");
		break;
	case S_CONTINUE:
		sb_puts(b, "continue;");
		break;
	case S_TRY:
		sb_puts(b, "try ");
		unparse_stmt(b, s->then, indent);
		sb_puts(b, " catch ");
		if (s->expr)
			sb_printf(b, "(%s) ", s->expr->name);
		unparse_stmt(b, s->els, indent);
		break;
	}
}

/* ---- declarations ---- */

void unparse_probe_point(StrBuf *b, const ProbePoint *pp)
{
	for (int i = 0; i < pp->ncomps; i++) {
		const PPComponent *c = &pp->comps[i];
		if (i)
			sb_putc(b, '.');
		sb_puts(b, c->functor);
		if (c->arg_kind == PP_ARG_NUMBER)
			sb_printf(b, "(%" PRId64 ")", c->num);
		else if (c->arg_kind == PP_ARG_STRING) {
			sb_putc(b, '(');
			sb_put_quoted(b, c->str, c->slen);
			sb_putc(b, ')');
		}
	}
	if (pp->optional)
		sb_putc(b, '?');
	if (pp->sufficient)
		sb_putc(b, '!');
	if (pp->cond) {
		sb_puts(b, " if (");
		unparse_expr(b, pp->cond);
		sb_putc(b, ')');
	}
}

static void point_list(StrBuf *b, ProbePoint *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_puts(b, ", ");
		unparse_probe_point(b, v[i]);
	}
}

void unparse_probe(StrBuf *b, const Probe *p)
{
	sb_puts(b, "probe ");
	if (p->alias) {
		point_list(b, p->alias_names, p->nalias_names);
		sb_puts(b, p->alias == ALIAS_PROLOGUE ? " = " : " += ");
	}
	point_list(b, p->points, p->npoints);
	sb_putc(b, ' ');
	unparse_stmt(b, p->body, 0);
	if (p->epilogue) {
		sb_puts(b, ", ");
		unparse_stmt(b, p->epilogue, 0);
	}
	sb_putc(b, '\n');
}

static void typed(StrBuf *b, Type t)
{
	if (t != TY_UNKNOWN)
		sb_printf(b, ":%s", type_name(t));
}

void unparse_function(StrBuf *b, const FuncDecl *f)
{
	if (f->is_private)
		sb_puts(b, "private ");
	sb_printf(b, "function %s", f->name);
	typed(b, f->decl_type);
	sb_putc(b, '(');
	for (int i = 0; i < f->nparams; i++) {
		if (i)
			sb_puts(b, ", ");
		sb_puts(b, f->params[i]->name);
		typed(b, f->params[i]->decl_type);
	}
	sb_putc(b, ')');
	if (f->has_priority)
		sb_printf(b, " :%" PRId64, f->priority);
	sb_putc(b, ' ');
	if (f->body)
		unparse_stmt(b, f->body, 0);
	else
		embedded(b, f->embedded, f->embedded_len);
	sb_putc(b, '\n');
}

void unparse_global(StrBuf *b, const VarDecl *v)
{
	if (v->is_private)
		sb_puts(b, "private ");
	sb_printf(b, "global %s", v->name);
	if (v->wrap)
		sb_putc(b, '%');
	if (v->max_size)
		sb_printf(b, "[%" PRId64 "]", v->max_size);
	if (v->init) {
		sb_puts(b, " = ");
		if (v->init->kind == E_NUMBER)
			sb_printf(b, "%" PRId64, v->init->num);
		else
			unparse_expr(b, v->init);
	}
	sb_putc(b, '\n');
}

void unparse_file(StrBuf *b, const StapFile *f)
{
	sb_printf(b, "# file %s\n", f->src->name);
	for (int i = 0; i < f->nglobals; i++)
		unparse_global(b, f->globals[i]);
	for (int i = 0; i < f->nembeds; i++) {
		embedded(b, f->embeds[i]->code, f->embeds[i]->len);
		sb_putc(b, '\n');
	}
	for (int i = 0; i < f->naliases; i++)
		unparse_probe(b, f->aliases[i]);
	for (int i = 0; i < f->nprobes; i++)
		unparse_probe(b, f->probes[i]);
	for (int i = 0; i < f->nfuncs; i++)
		unparse_function(b, f->funcs[i]);
}
