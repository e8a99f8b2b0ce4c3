/* l2c_access: one target expression to one generated C function. */
#include "translate/loc2c_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "$p->next[...]" for messages. */
static char *expr_text(const Expr *e)
{
	StrBuf b = { 0 };
	switch (e->kind) {
	case E_TARGET:
		sb_puts(&b, e->name);
		break;
	case E_ATVAR:
		sb_printf(&b, "@var(\"%s\"%s%s%s)", e->name, e->module ? ", \"" : "",
			  e->module ? e->module : "", e->module ? "\"" : "");
		break;
	case E_CAST:
		sb_printf(&b, "@cast(..., \"%s\")", e->name);
		break;
	default:
		sb_puts(&b, "(...)");
		break;
	}
	for (uint32_t i = 0; i < e->n; i++) {
		const Component *c = &e->comps[i];
		if (c->kind == COMP_MEMBER)
			sb_printf(&b, "->%s", c->name);
		else if (c->kind == COMP_INDEX_LIT)
			sb_printf(&b, "[%lld]", (long long)c->num);
		else
			sb_puts(&b, "[...]");
	}
	return b.s;
}

static const char *func_where(L2cScope *s, char *buf, size_t size)
{
	if (!s)
		return "";
	const char *file = s->func.file;
	const char *base = file ? strrchr(file, '/') : NULL;
	snprintf(buf, size, " in %s%s%s%s at pc %#llx", s->func.name, file ? " (" : "",
		 file ? (base ? base + 1 : file) : "", file ? ")" : "",
		 (unsigned long long)s->pc);
	return buf;
}

/* $name: a variable in scope. */
static int base_var(Gen *g, L2cScope *s, const Expr *e, Val *v)
{
	const char *name = e->name + 1;
	char where[512];
	if (!s->func.has_dwarf || !di_dwarf(s->m))
		return l2c_gen_error(g, "target variable '%s' is not available: %s has no DWARF "
				 "debuginfo (variables need a -g build or its debuginfo)",
				 e->name, di_path(s->m));
	Dwarf_Die var;
	if (!l2c_scope_var(s, name, &var)) {
		char *alts = l2c_scope_alternatives(s);
		l2c_gen_error(g, "unable to find local '%s'%s (alternatives: %s)", name,
			  func_where(s, where, sizeof(where)), alts);
		free(alts);
		return -1;
	}
	char *alts = NULL;
	if (l2c_var_location(g, &var, &v->ld, &alts)) {
		char *why = g->err;
		g->err = NULL;
		if (alts && *alts)
			l2c_gen_error(g, "cannot read '%s'%s: %s (it has a location at %s)", e->name,
				  func_where(s, where, sizeof(where)), why, alts);
		else
			l2c_gen_error(g, "cannot read '%s'%s: %s", e->name,
				  func_where(s, where, sizeof(where)), why);
		free(why);
		free(alts);
		return -1;
	}
	if (v->ld.kind == LD_NONE)
		return l2c_gen_error(g, "'%s' was optimised out%s", e->name,
				 func_where(s, where, sizeof(where)));
	Dwarf_Die t;
	v->has_type = l2c_die_type(&var, &t);
	v->type = t;
	return 0;
}

static int base_return(Gen *g, L2cScope *s, Val *v)
{
	char where[512];
	Dwarf_Die fn;
	if (!s->is_return)
		return l2c_gen_error(g, "unable to find local 'return'%s: $return is only available "
				 "in .return probes", func_where(s, where, sizeof(where)));
	if (s->func.inlined)
		return l2c_gen_error(g, "$return is not available: %s is inlined at %#llx, and an "
				 "inlined instance has no return to probe", s->func.name,
				 (unsigned long long)s->func.entry);
	if (!l2c_scope_func_die(s, &fn))
		return l2c_gen_error(g, "$return needs DWARF debuginfo for %s", s->func.name);
	Dwarf_Die rt;
	if (!l2c_die_type(&fn, &rt))
		return l2c_gen_error(g, "function %s returns no value: $return is not available",
				 s->func.name);
	const Dwarf_Op *ops;
	int n = dwfl_module_return_value_location(s->m->mod, &fn, &ops);
	if (n <= 0)
		return l2c_gen_error(g, "cannot find where %s returns its value: %s", s->func.name,
				 n < 0 ? dwfl_errmsg(-1) : "no location");
	if (l2c_translate(g, NULL, ops, (size_t)n, NULL, &v->ld))
		return -1;
	v->type = rt;
	v->has_type = true;
	return 0;
}

static int base_atvar(Gen *g, L2cScope *s, const Expr *e, Val *v)
{
	DiModule *m = s ? s->m : NULL;
	Dwarf_Die var;
	if (e->module) {
		char *err = NULL;
		m = di_get(e->module, &err);
		if (!m) {
			l2c_gen_error(g, "@var(\"%s\", \"%s\"): %s", e->name, e->module, err);
			free(err);
			return -1;
		}
	}
	if (!m)
		return l2c_gen_error(g, "@var(\"%s\") needs a module outside a probe", e->name);
	if (!e->module && !strchr(e->name, '@') && s) {
		/* @var("x") is $x. */
		Expr t = *e;
		char name[256];
		snprintf(name, sizeof(name), "$%s", e->name);
		t.name = name;
		return base_var(g, s, &t, v);
	}
	if (l2c_global_var(g, m, e->name, &var))
		return -1;
	if (m != (s ? s->m : NULL)) {
		/* Another object's globals are relative to its own load address. */
		g->m = m;
		g->module = di_path(m);
		int t = l2c_gen_temp(g);
		StrBuf q = { 0 };
		sb_put_quoted(&q, g->module, strlen(g->module));
		l2c_gen_check(g, "l2c_module_bias(f, %s, &t[%d])", sb_str(&q), t);
		sb_free(&q);
		char *bias = arena_alloc(&m->arena, 16);
		snprintf(bias, 16, "t[%d]", t);
		g->bias = bias;
		g->s = NULL;
		g->pc = 0;
	}
	char *alts = NULL;
	int rc = l2c_var_location(g, &var, &v->ld, &alts);
	free(alts);
	if (rc)
		return -1;
	Dwarf_Die t;
	v->has_type = l2c_die_type(&var, &t);
	v->type = t;
	return 0;
}

static int base_cast(Gen *g, const Expr *e, Val *v)
{
	Dwarf_Die t;
	DiModule *where;
	if (l2c_cast_type(g, e->name, e->module, &t, &where))
		return -1;
	g->m = where;
	g->takes_base = true;
	int b = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = (uint64_t)base;", b);
	v->ld.kind = LD_MEM;
	v->ld.t = b;
	v->type = t;
	v->has_type = true;
	return 0;
}

static int base_autocast(Gen *g, const L2cType *bt, Val *v)
{
	Dwarf_Die t;
	if (!bt)
		return l2c_gen_error(g, "'->' on a value with no DWARF type (only $variables, @cast "
				 "and values derived from them carry one)");
	if (!bt->die || !di_die(bt->m, bt->die, &t))
		return l2c_gen_error(g, "'->' on a void value");
	if (bt->ptr > 1)
		return l2c_gen_error(g, "'->' on a pointer to a pointer (%s)", bt->name);
	g->m = bt->m;
	g->takes_base = true;
	int b = l2c_gen_temp(g);
	l2c_gen_line(g, "t[%d] = (uint64_t)base;", b);
	/* A plain typed value (a pointer) is the value itself; &x is the
	 * address of an object of type t. */
	v->ld.kind = bt->ptr ? LD_MEM : LD_VALUE;
	v->ld.t = b;
	v->type = t;
	v->has_type = true;
	return 0;
}

static void assemble(Gen *g, const char *fn, int result, L2cAccess *out)
{
	StrBuf c = { 0 };
	sb_printf(&c, "static int %s(struct l2c_frame *f", fn);
	if (g->takes_base)
		sb_puts(&c, ", int64_t base");
	for (int i = 0; i < g->nindex; i++)
		sb_printf(&c, ", int64_t i%d", i);
	sb_printf(&c, ", %s)\n{\n", g->pretty ? "char *out" : "int64_t *out");
	if (g->ntemps)
		sb_printf(&c, "\tuint64_t t[%d];\n", g->ntemps);
	if (g->pretty)
		sb_puts(&c, "\tstruct l2c_out o_, *o = &o_;\n");
	sb_puts(&c, "\n\t(void)f;\n");
	if (g->pretty)
		sb_puts(&c, "\tl2c_out_init(o, out, MAXSTRINGLEN);\n");
	sb_putn(&c, g->body.s ? g->body.s : "", g->body.len);
	if (!g->pretty)
		sb_printf(&c, "\t*out = (int64_t)t[%d];\n", result);
	sb_puts(&c, "\treturn 0;\n}\n");
	out->code = c.s;
	out->fn = strdup(fn);
	out->kind = g->pretty ? L2C_STRING : L2C_LONG;
	out->nindex = g->nindex;
	out->takes_base = g->takes_base;
	out->uses_bias = g->uses_bias;
	out->module = g->module;
}

static bool is_pretty_vars(const char *name)
{
	return !strcmp(name, "$$vars") || !strcmp(name, "$$parms") ||
	       !strcmp(name, "$$locals") || !strcmp(name, "$$return");
}

int l2c_access(L2cScope *s, const Expr *e, const L2cType *base_type, const char *fn,
	       L2cAccess *out, char **err)
{
	Gen g = { .m = s ? s->m : NULL, .s = s, .pc = s ? s->pc : 0, .fail = "return -1" };
	Val v;
	int rc = 0, result = -1;
	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	out->failed_comp = -1;
	*err = NULL;
	char *what = expr_text(e);
	bool pretty = e->flags & (EXPR_PRETTY | EXPR_PRETTY_DEEP);
	bool deep = e->flags & EXPR_PRETTY_DEEP;
	switch (e->kind) {
	case E_TARGET:
		if (!s) {
			rc = l2c_gen_error(&g, "target variable '%s' cannot be used outside a probe",
				       e->name);
		} else if (is_pretty_vars(e->name)) {
			if (e->n || (e->flags & EXPR_ADDR_OF)) {
				rc = l2c_gen_error(&g, "%s cannot take '->', '[]' or '&'", e->name);
			} else {
				g.pretty = true;
				rc = l2c_pretty_vars(&g, s, e->name, pretty, deep);
			}
			goto done;
		} else if (!strcmp(e->name, "$return")) {
			rc = base_return(&g, s, &v);
		} else {
			rc = base_var(&g, s, e, &v);
		}
		break;
	case E_ATVAR:
		rc = base_atvar(&g, s, e, &v);
		break;
	case E_CAST:
		rc = base_cast(&g, e, &v);
		break;
	case E_AUTOCAST:
		rc = base_autocast(&g, base_type, &v);
		break;
	default:
		rc = l2c_gen_error(&g, "not a target expression");
		break;
	}
	for (uint32_t i = 0; !rc && i < e->n; i++) {
		rc = l2c_component(&g, &v, &e->comps[i], what);
		if (rc)
			out->failed_comp = (int)i;
	}
	if (rc)
		goto done;
	if (pretty) {
		g.pretty = true;
		rc = l2c_pretty_value(&g, &v, deep, what);
	} else if (e->flags & EXPR_ADDR_OF) {
		result = l2c_address(&g, &v, what);
		rc = result < 0 ? -1 : 0;
		if (!rc)
			out->type = l2c_type_new(g.m, v.has_type ? &v.type : NULL, 1);
	} else {
		result = l2c_fetch(&g, &v, what);
		rc = result < 0 ? -1 : 0;
		if (!rc && v.has_type && !v.dim)
			out->type = l2c_type_new(g.m, &v.type, 0);
	}
done:
	if (rc || g.err) {
		*err = g.err ? g.err : strdup("cannot translate target expression");
		g.err = NULL;
		sb_free(&g.body);
		free(what);
		out->type = NULL;
		return -1;
	}
	assemble(&g, fn, result, out);
	sb_free(&g.body);
	free(what);
	return 0;
}

void l2c_access_free(L2cAccess *a)
{
	free(a->fn);
	free(a->code);
	memset(a, 0, sizeof(*a));
}
