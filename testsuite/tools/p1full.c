/* Prints expressions with every operand parenthesised, in the layout
 * SystemTap's own -p1 dump uses, so a test can hold our trees' shape
 * against the reference implementation's line by line. */
#include "testsuite/tools/p1full.h"
#include <inttypes.h>
#include <string.h>

/* %{ code %}: the code as written, NUL bytes included. */
static void embedded(StrBuf *b, const char *code, uint32_t len)
{
	sb_puts(b, "%{");
	sb_putn(b, code, len);
	sb_puts(b, "%}");
}

static void full(StrBuf *b, const Expr *e);

static void wrapped(StrBuf *b, const Expr *e)
{
	sb_putc(b, '(');
	full(b, e);
	sb_putc(b, ')');
}

static void list(StrBuf *b, Expr *const *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_puts(b, ", ");
		if (v[i])
			full(b, v[i]);
		else
			sb_putc(b, '*');
	}
}

static void components(StrBuf *b, const Expr *e)
{
	for (uint32_t i = 0; i < e->n; i++) {
		const Component *c = &e->comps[i];
		if (c->kind == COMP_MEMBER) {
			sb_printf(b, "->%s", c->name);
		} else if (c->kind == COMP_INDEX_LIT) {
			sb_printf(b, "[%" PRId64 "]", c->num);
		} else {
			sb_putc(b, '[');
			full(b, c->expr);
			sb_putc(b, ']');
		}
	}
	/* SystemTap shows $x$ as a last component named "$". */
	if (e->flags & EXPR_PRETTY)
		sb_puts(b, "->$");
	else if (e->flags & EXPR_PRETTY_DEEP)
		sb_puts(b, "->$$");
}

static void base(StrBuf *b, const Expr *e)
{
	full(b, e);
}

static void full(StrBuf *b, const Expr *e)
{
	if (e->flags & EXPR_ADDR_OF)
		sb_putc(b, '&');
	switch ((ExprKind)e->kind) {
	case E_NUMBER:
		sb_printf(b, "%" PRId64, e->num);
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
		base(b, e->left);
		sb_putc(b, '[');
		list(b, e->args, e->n);
		sb_putc(b, ']');
		break;
	case E_CALL:
	case E_PRINT:
		sb_printf(b, "%s(", e->name);
		list(b, e->args, e->n);
		sb_putc(b, ')');
		break;
	case E_UNARY:
		sb_puts(b, op_text[e->op]);
		wrapped(b, e->left);
		break;
	case E_BINARY:
	case E_LOGICAL:
	case E_COMPARE:
	case E_CONCAT:
	case E_ASSIGN:
		wrapped(b, e->left);
		sb_printf(b, " %s ", e->kind == E_CONCAT ? "." : op_text[e->op]);
		wrapped(b, e->right);
		break;
	case E_REGEX:
		wrapped(b, e->left);
		sb_printf(b, " %s ", op_text[e->op]);
		sb_put_quoted(b, e->right->str, e->right->slen);
		break;
	case E_TERNARY:
		wrapped(b, e->cond);
		sb_putc(b, '?');
		wrapped(b, e->left);
		sb_putc(b, ':');
		wrapped(b, e->right);
		break;
	case E_INCDEC:
		if (e->flags & EXPR_POSTFIX) {
			wrapped(b, e->left);
			sb_puts(b, op_text[e->op]);
		} else {
			sb_puts(b, op_text[e->op]);
			wrapped(b, e->left);
		}
		break;
	case E_IN:
		sb_putc(b, '[');
		list(b, e->args, e->n);
		sb_puts(b, "] in ");
		base(b, e->left);
		break;
	case E_STAT:
		sb_printf(b, "%s(", e->name);
		full(b, e->left);
		if (e->right) {
			sb_puts(b, ", ");
			full(b, e->right);
		}
		sb_putc(b, ')');
		break;
	case E_HIST:
		sb_puts(b, e->op == HIST_LINEAR ? "@hist_linear(" : "@hist_log(");
		full(b, e->left);
		for (uint32_t i = 0; i < e->n; i++) {
			sb_puts(b, ", ");
			full(b, e->args[i]);
		}
		sb_putc(b, ')');
		break;
	case E_TARGET:
		sb_puts(b, e->name);
		components(b, e);
		break;
	case E_CAST:
		sb_puts(b, "@cast(");
		full(b, e->left);
		sb_puts(b, ", ");
		sb_put_quoted(b, e->name, strlen(e->name));
		if (e->module) {
			sb_puts(b, ", ");
			sb_put_quoted(b, e->module, strlen(e->module));
		}
		sb_putc(b, ')');
		components(b, e);
		break;
	case E_AUTOCAST:
		wrapped(b, e->left);
		components(b, e);
		break;
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
		sb_puts(b, "@defined(");
		full(b, e->left);
		sb_putc(b, ')');
		break;
	case E_ENTRY:
		sb_puts(b, "@entry(");
		full(b, e->left);
		sb_putc(b, ')');
		break;
	case E_PROBEWRITE:
		sb_puts(b, "@probewrite(");
		full(b, e->left);
		sb_putc(b, ')');
		break;
	case E_PERF:
		sb_puts(b, "@perf(");
		sb_put_quoted(b, e->str, e->slen);
		sb_putc(b, ')');
		break;
	case E_CONST:
		sb_puts(b, "@const(");
		sb_put_quoted(b, e->str, e->slen);
		sb_putc(b, ')');
		break;
	}
}

void p1full_expr(StrBuf *b, const Expr *e)
{
	full(b, e);
}

/* Expression statements only, one a line: the precedence corpus holds
 * nothing else, and other statements print as a marker. */
static void stmts(StrBuf *b, const Stmt *s)
{
	if (s->kind == S_BLOCK) {
		for (uint32_t i = 0; i < s->n; i++)
			stmts(b, s->stmts[i]);
	} else if (s->kind == S_EXPR) {
		full(b, s->expr);
		sb_puts(b, ";\n");
	} else {
		sb_puts(b, "<statement>\n");
	}
}

void p1full_file(StrBuf *b, const StapFile *f)
{
	for (int i = 0; i < f->nprobes; i++)
		stmts(b, f->probes[i]->body);
	for (int i = 0; i < f->nfuncs; i++)
		if (f->funcs[i]->body)
			stmts(b, f->funcs[i]->body);
}
