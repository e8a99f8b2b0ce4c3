/* Target expressions through debug information: $name and its
 * components, $$vars and friends, @var, @cast and autocast, the $argN of
 * markers.  Each resolved node gets a DwarfAccess (program.h) holding the
 * C function the layer generated for it (translate/loc2c.h); nodes that
 * are constants ($$name of a marker or PLT entry) or combinations of
 * other accesses (a marker's $$parms) are rewritten into plain script
 * expressions.
 *
 * Where the values are read: at the probe's address; in a .return probe
 * $return and $$return at the return, everything else at the entry (the
 * node becomes @entry(...), as SystemTap does, with its warning). */
#include "translate/probe_dwarf.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include "parse/unparse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scopes ---- */

L2cScope *dw_scope(DerivedProbe *dp, bool at_entry, char **err)
{
	DwProbe *d = dw_probe(dp);
	bool ret = d->pub.kind == DWP_FUNCTION_RETURN && !at_entry;
	L2cScope **slot = ret || d->pub.kind != DWP_FUNCTION_RETURN ? &d->scope : &d->entry_scope;
	bool *tried = slot == &d->scope ? &d->scope_tried : &d->entry_scope_tried;
	if (err)
		*err = NULL;
	if (*tried) {
		if (!*slot && err)
			*err = strdup("no scope");
		return *slot;
	}
	*tried = true;
	if (!d->has_func) {
		if (err)
			*err = strdup("no function");
		return NULL;
	}
	char *e = NULL;
	*slot = l2c_scope(d->m, &d->func, ret ? d->pub.addr : d->var_pc, ret, &e);
	if (err)
		*err = e;
	else
		free(e);
	return *slot;
}

void dw_free_scopes(DerivedProbe *dp)
{
	DwProbe *d = dw_probe(dp);
	if (d->scope)
		l2c_scope_free(d->scope);
	if (d->entry_scope)
		l2c_scope_free(d->entry_scope);
	d->scope = d->entry_scope = NULL;
	d->scope_tried = d->entry_scope_tried = false;
}

/* ---- generated functions: names, and one copy of identical code ---- */

typedef struct CodeEnt {
	char *code;		/* with the placeholder name */
	const char *fn;
	const char *final;	/* with the real name */
} CodeEnt;

static struct {
	CodeEnt *v;
	unsigned cap, n;
} codes;
static int next_id;

#define PLACEHOLDER "_l2c_fn_"

static unsigned str_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static CodeEnt *code_slot(const char *code)
{
	if ((codes.n + 1) * 2 > codes.cap) {
		unsigned ncap = codes.cap ? codes.cap * 2 : 256;
		CodeEnt *nv = calloc(ncap, sizeof(*nv));
		if (!nv)
			fatal("out of memory");
		for (unsigned i = 0; i < codes.cap; i++) {
			if (!codes.v[i].code)
				continue;
			unsigned j = str_hash(codes.v[i].code) & (ncap - 1);
			while (nv[j].code)
				j = (j + 1) & (ncap - 1);
			nv[j] = codes.v[i];
		}
		free(codes.v);
		codes.v = nv;
		codes.cap = ncap;
	}
	unsigned i = str_hash(code) & (codes.cap - 1);
	while (codes.v[i].code && strcmp(codes.v[i].code, code))
		i = (i + 1) & (codes.cap - 1);
	return &codes.v[i];
}

/* "$p->next" -> "p", "@cast(...)" -> "struct_node": a readable part of
 * a C identifier. */
static void ident_part(StrBuf *b, const char *s)
{
	size_t start = b->len;
	for (; *s && b->len - start < 24; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
			sb_putc(b, *s);
		else if ((*s == '_' || *s == ' ') && b->len > start && b->s[b->len - 1] != '_')
			sb_putc(b, '_');
		else if (*s == '@' || *s == '*')
			break;
	}
}

static const char *name_for(const Expr *e, const char *sdt)
{
	StrBuf b = { 0 };
	if (sdt) {
		sb_printf(&b, "_sdt_%s", sdt + 1);
	} else if (e->kind == E_TARGET) {
		bool pretty = e->name[1] == '$' || (e->flags & (EXPR_PRETTY | EXPR_PRETTY_DEEP));
		sb_puts(&b, pretty ? "_dwarf_pretty_" : "_dwarf_tvar_");
		ident_part(&b, e->name);
	} else if (e->kind == E_ATVAR) {
		sb_puts(&b, "_dwarf_var_");
		ident_part(&b, e->name);
	} else if (e->kind == E_CAST) {
		sb_puts(&b, "_dwarf_cast_");
		ident_part(&b, e->name);
	} else {
		sb_puts(&b, "_dwarf_autocast");
	}
	if (b.s[b.len - 1] != '_')
		sb_putc(&b, '_');
	sb_printf(&b, "%d", next_id++);
	const char *s = arena_strndup(&g_arena, sb_str(&b), b.len);
	sb_free(&b);
	return s;
}

/* Keeps one function per distinct code: a wildcard over inlined copies of
 * one function often reads the same variable the same way. */
static void share_code(const L2cAccess *a, const Expr *e, const char *sdt, DwarfAccess *out)
{
	CodeEnt *c = code_slot(a->code);
	if (!c->code) {
		c->code = strdup(a->code);
		c->fn = name_for(e, sdt);
		const char *at = strstr(a->code, PLACEHOLDER "(");
		StrBuf b = { 0 };
		if (at) {
			sb_putn(&b, a->code, (size_t)(at - a->code));
			sb_puts(&b, c->fn);
			sb_puts(&b, at + strlen(PLACEHOLDER));
		} else {
			sb_puts(&b, a->code);
		}
		c->final = arena_strndup(&g_arena, sb_str(&b), b.len);
		sb_free(&b);
		codes.n++;
	}
	out->fn = c->fn;
	out->code = c->final;
}

/* ---- typed locals, for autocast ---- */

static PtrMap local_types;	/* VarDecl* -> const L2cType*, or CONFLICT */
#define CONFLICT ((void *)1)

static bool is_target_kind(const Expr *e)
{
	return e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
	       e->kind == E_AUTOCAST;
}

static const DwarfAccess *access_of(const Expr *e)
{
	if (!is_target_kind(e) || !e->sema)
		return NULL;
	const CtxVar *v = e->sema;
	return v->access == CTX_DWARF ? (const DwarfAccess *)v : NULL;
}

/* The DWARF type a value carries: for the left side of '->' on a value. */
static const L2cType *value_type(const Expr *e)
{
	if (!e)
		return NULL;
	switch ((ExprKind)e->kind) {
	case E_TARGET: case E_CAST: case E_ATVAR: case E_AUTOCAST: {
		const DwarfAccess *a = access_of(e);
		return a ? a->dwtype : NULL;
	}
	case E_ENTRY:
		return value_type(e->left);
	case E_SYMBOL: {
		void *t = e->decl ? pmap_get(&local_types, e->decl) : NULL;
		return t == CONFLICT ? NULL : t;
	}
	case E_ASSIGN:
		return e->op == OP_ASSIGN ? value_type(e->right) : NULL;
	case E_TERNARY: {
		const L2cType *a = value_type(e->left), *b = value_type(e->right);
		return l2c_type_same(a, b) ? a : NULL;
	}
	default:
		return NULL;
	}
}

/* ---- binding ---- */

static bool is_dwarf_probe(const DerivedProbe *dp)
{
	return dp && dp->family == &family_dwarf;
}

bool dwarf_handles(const DerivedProbe *dp, const Expr *e)
{
	if (e->kind == E_CAST || e->kind == E_ATVAR || e->kind == E_AUTOCAST)
		return true;
	return e->kind == E_TARGET && is_dwarf_probe(dp);
}

static bool is_return(const DerivedProbe *dp)
{
	return is_dwarf_probe(dp) &&
	       (dw_probe(dp)->pub.kind == DWP_FUNCTION_RETURN ||
		dw_probe(dp)->pub.kind == DWP_PLT_RETURN);
}

/* Read at the entry of a .return probe rather than at the return. */
static bool wants_entry(const DerivedProbe *dp, const Expr *e)
{
	if (!is_dwarf_probe(dp) || dw_probe(dp)->pub.kind != DWP_FUNCTION_RETURN)
		return false;
	if (e->kind == E_TARGET)
		return strcmp(e->name, "$return") && strcmp(e->name, "$$return");
	/* @var("x") is $x; a global (@var("x@file"), another module's) is
	 * read when the probe runs. */
	return e->kind == E_ATVAR && !e->module && !strchr(e->name, '@');
}

static char *expr_text(const Expr *e)
{
	StrBuf b = { 0 };
	unparse_expr(&b, e);
	return b.s ? b.s : strdup("");
}

bool dwarf_entry_wrap(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry)
{
	if (at_entry || !wants_entry(dp, e))
		return false;
	Expr *inner = ANEW(&g_arena, Expr);
	*inner = *e;
	char *text = expr_text(inner);
	sema_warn(S, e->loc, "confusing usage, value is captured as @entry(%s) in .return "
		  "probe [man stapprobes] RETURN PROBES", text);
	free(text);
	Loc loc = e->loc;
	memset(e, 0, sizeof(*e));
	e->kind = E_ENTRY;
	e->loc = loc;
	e->left = inner;
	return true;
}

static void report(Sema *S, const Expr *e, int comp, bool quiet, const char *msg)
{
	if (quiet)
		return;
	Loc loc = comp >= 0 && (uint32_t)comp < e->n ? e->comps[comp].loc : e->loc;
	sema_error(S, loc, "%s", msg);
}

static bool finish_access(Sema *S, DerivedProbe *dp, Expr *e, const L2cAccess *a,
			  const char *sdt)
{
	DwarfAccess *acc = ANEW(&g_arena, DwarfAccess);
	char *text = expr_text(e);
	acc->var.name = arena_strndup(&g_arena, text, strlen(text));
	free(text);
	acc->var.type = a->kind == L2C_STRING ? TY_STRING : TY_LONG;
	acc->var.access = CTX_DWARF;
	share_code(a, e, sdt, acc);
	acc->uses_bias = a->uses_bias;
	acc->module = a->module ? arena_strndup(&g_arena, a->module, strlen(a->module)) : NULL;
	acc->object = is_dwarf_probe(dp) ? dw_probe(dp)->pub.object : NULL;
	acc->dwtype = a->type;
	if (a->takes_base)
		acc->base = e->left;
	if (a->nindex) {
		acc->index = ANEWN(&g_arena, Expr *, a->nindex);
		for (uint32_t i = 0; i < e->n && acc->nindex < a->nindex; i++)
			if (e->comps[i].kind == COMP_INDEX_EXPR)
				acc->index[acc->nindex++] = e->comps[i].expr;
		if (acc->nindex != a->nindex) {
			sema_error(S, e->loc, "internal error: %d index arguments for %d [expr] "
				   "components", a->nindex, acc->nindex);
			return false;
		}
	}
	e->sema = acc;
	e->type = (uint8_t)acc->var.type;
	return true;
}

static bool translate(Sema *S, DerivedProbe *dp, Expr *e, L2cScope *s, bool quiet)
{
	L2cAccess a;
	char *err = NULL;
	const L2cType *base = e->kind == E_AUTOCAST ? value_type(e->left) : NULL;
	if (l2c_access(s, e, base, PLACEHOLDER, &a, &err) < 0) {
		report(S, e, a.failed_comp, quiet, err);
		free(err);
		return false;
	}
	bool ok = finish_access(S, dp, e, &a, NULL);
	l2c_access_free(&a);
	return ok;
}

static Expr *make_string(Expr *e, const char *s)
{
	Loc loc = e->loc;
	memset(e, 0, sizeof(*e));
	e->kind = E_STRING;
	e->loc = loc;
	e->slen = (uint32_t)strlen(s);
	e->str = arena_strndup(&g_arena, s, e->slen);
	e->type = TY_STRING;
	return e;
}

static bool sdt_arg(Sema *S, DerivedProbe *dp, Expr *e, int n, bool quiet)
{
	DwProbe *d = dw_probe(dp);
	char msg[256];
	if (e->flags & EXPR_ADDR_OF) {
		snprintf(msg, sizeof(msg), "cannot take address of sdt variable '%s'", e->name);
		report(S, e, -1, quiet, msg);
		return false;
	}
	if (e->n || (e->flags & (EXPR_PRETTY | EXPR_PRETTY_DEEP))) {
		snprintf(msg, sizeof(msg), "'%s' is a marker argument, a long: it has no members, "
			 "elements or pretty form", e->name);
		report(S, e, e->n ? 0 : -1, quiet, msg);
		return false;
	}
	L2cAccess a;
	char *err = NULL;
	if (l2c_sdt_arg(d->m, d->mark, n, PLACEHOLDER, &a, &err) < 0) {
		report(S, e, -1, quiet, err);
		free(err);
		return false;
	}
	bool ok = finish_access(S, dp, e, &a, e->name);
	l2c_access_free(&a);
	return ok;
}

/* A marker's $$parms and $$vars: "$arg1=%#x $arg2=%#x" of its arguments,
 * SystemTap's format, as a sprintf of $argN accesses. */
static bool sdt_parms(Sema *S, DerivedProbe *dp, Expr *e, bool quiet)
{
	int n = dw_probe(dp)->pub.nargs;
	if (!n) {
		make_string(e, "");
		return true;
	}
	Expr *call = expr_new(E_PRINT, e->loc);
	call->name = intern("sprintf", 7);
	call->op = PRINT_STRING | PRINT_FORMAT;
	call->n = (uint32_t)n + 1;
	call->args = ANEWN(&g_arena, Expr *, (size_t)n + 1);
	StrBuf fmt = { 0 };
	for (int i = 1; i <= n; i++) {
		char name[16];
		sb_printf(&fmt, "%s$arg%d=%%#x", i > 1 ? " " : "", i);
		snprintf(name, sizeof(name), "$arg%d", i);
		Expr *arg = expr_new(E_TARGET, e->loc);
		arg->name = intern(name, strlen(name));
		if (!sdt_arg(S, dp, arg, i, quiet)) {
			sb_free(&fmt);
			return false;
		}
		call->args[i] = arg;
	}
	call->args[0] = make_string(expr_new(E_STRING, e->loc), sb_str(&fmt));
	sb_free(&fmt);
	*e = *call;
	return true;
}

static int arg_number(const char *name)
{
	if (strncmp(name, "$arg", 4) || name[4] < '1' || name[4] > '9')
		return 0;
	char *end;
	long n = strtol(name + 4, &end, 10);
	return *end || n > 1000 ? 0 : (int)n;
}

static bool bind_marker(Sema *S, DerivedProbe *dp, Expr *e, bool quiet)
{
	DwProbe *d = dw_probe(dp);
	const char *n = e->name;
	if (!strcmp(n, "$$name")) {
		make_string(e, d->pub.name);
		return true;
	}
	if (!strcmp(n, "$$provider")) {
		make_string(e, d->pub.provider);
		return true;
	}
	if (!strcmp(n, "$$parms") || !strcmp(n, "$$vars"))
		return sdt_parms(S, dp, e, quiet);
	int k = arg_number(n);
	if (k)
		return sdt_arg(S, dp, e, k, quiet);
	if (d->has_func) {
		char *err = NULL;
		L2cScope *s = dw_scope(dp, false, &err);
		free(err);
		if (s)
			return translate(S, dp, e, s, quiet);
	}
	char msg[512];
	snprintf(msg, sizeof(msg), "invalid target variable '%s': marker %s:%s offers $arg1 to "
		 "$arg%d, $$name, $$provider and $$parms, and no other variable without "
		 "DWARF debuginfo", n, d->pub.provider, d->pub.name, d->pub.nargs);
	if (!d->pub.nargs)
		snprintf(msg, sizeof(msg), "invalid target variable '%s': marker %s:%s offers "
			 "$$name, $$provider and $$parms, and no other variable without DWARF "
			 "debuginfo", n, d->pub.provider, d->pub.name);
	report(S, e, -1, quiet, msg);
	return false;
}

static bool bind_target(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry, bool quiet)
{
	DwProbe *d = dw_probe(dp);
	switch (d->pub.kind) {
	case DWP_PLT: case DWP_PLT_RETURN:
		if (!strcmp(e->name, "$$name")) {
			make_string(e, d->pub.name);
			return true;
		}
		if (!quiet)
			sema_error(S, e->loc, "invalid target variable '%s': .plt probes offer $$name "
				   "only", e->name);
		return false;
	case DWP_MARK:
		return bind_marker(S, dp, e, quiet);
	default:
		break;
	}
	char *err = NULL;
	L2cScope *s = dw_scope(dp, at_entry, &err);
	if (!s) {
		if (!quiet)
			sema_error(S, e->loc, "cannot read the variables of %s: %s",
				   d->pub.function ? d->pub.function : "this probe", err);
		free(err);
		return false;
	}
	return translate(S, dp, e, s, quiet);
}

/* @cast, @var and autocast outside a DWARF probe: only what names its
 * module can be read. */
static bool bind_free(Sema *S, Expr *e, bool quiet)
{
	if (e->kind == E_ATVAR && !e->module) {
		if (!quiet)
			sema_error(S, e->loc, "@var(\"%s\") needs the program it is in here (outside "
				   "a DWARF probe): @var(\"%s\", \"/path/to/program\")", e->name,
				   e->name);
		return false;
	}
	if (e->kind == E_CAST && !e->module) {
		if (!quiet)
			sema_error(S, e->loc, "@cast(..., \"%s\") needs the program or header that "
				   "defines the type here (outside a DWARF probe): @cast(p, \"%s\", "
				   "\"/path/to/program\") or \"<header.h>\"", e->name, e->name);
		return false;
	}
	return translate(S, NULL, e, NULL, quiet);
}

bool dwarf_bind(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry, bool quiet)
{
	if (!is_dwarf_probe(dp) || dw_probe(dp)->pub.kind == DWP_PLT ||
	    dw_probe(dp)->pub.kind == DWP_PLT_RETURN) {
		if (e->kind == E_TARGET)
			return is_dwarf_probe(dp) && bind_target(S, dp, e, at_entry, quiet);
		return bind_free(S, e, quiet);
	}
	if (e->kind == E_TARGET)
		return bind_target(S, dp, e, at_entry, quiet);
	char *err = NULL;
	L2cScope *s = dw_scope(dp, at_entry, &err);
	free(err);
	if (!s)
		return bind_free(S, e, quiet);
	return translate(S, dp, e, s, quiet);
}

/* ---- trial resolution: @defined, and the types of locals ---- */

/* A copy of a resolved expression that keeps what names resolved to
 * (clone_expr forgets it: it copies bodies before resolution). */
static Expr *copy_resolved(const Expr *e)
{
	if (!e)
		return NULL;
	Expr *c = ANEW(&g_arena, Expr);
	*c = *e;
	if (is_target_kind(e))
		c->sema = NULL;
	c->left = copy_resolved(e->left);
	c->right = copy_resolved(e->right);
	c->cond = copy_resolved(e->cond);
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		if (e->args) {
			c->args = ANEWN(&g_arena, Expr *, e->n ? e->n : 1);
			for (uint32_t i = 0; i < e->n; i++)
				c->args[i] = copy_resolved(e->args[i]);
		}
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		if (e->n) {
			c->comps = ANEWN(&g_arena, Component, e->n);
			memcpy(c->comps, e->comps, sizeof(Component) * e->n);
			for (uint32_t i = 0; i < e->n; i++)
				c->comps[i].expr = copy_resolved(e->comps[i].expr);
		}
		break;
	default:
		break;
	}
	return c;
}

static bool trial_walk(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry);

static bool trial_children(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry)
{
	if (e->left && !trial_walk(S, dp, e->left, at_entry))
		return false;
	if (e->right && !trial_walk(S, dp, e->right, at_entry))
		return false;
	if (e->cond && !trial_walk(S, dp, e->cond, at_entry))
		return false;
	switch ((ExprKind)e->kind) {
	case E_INDEX: case E_CALL: case E_PRINT: case E_IN: case E_HIST:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->args[i] && !trial_walk(S, dp, e->args[i], at_entry))
				return false;
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].expr && !trial_walk(S, dp, e->comps[i].expr, at_entry))
				return false;
		break;
	default:
		break;
	}
	return true;
}

static bool trial_walk(Sema *S, DerivedProbe *dp, Expr *e, bool at_entry)
{
	if (e->kind == E_ENTRY)
		return is_return(dp) && !at_entry && trial_walk(S, dp, e->left, true);
	if (e->kind == E_DEFINED)
		return true;
	if (!is_target_kind(e))
		return trial_children(S, dp, e, at_entry);
	if (e->kind == E_TARGET && !is_dwarf_probe(dp)) {
		return dp && dp->family->target && !e->n &&
		       dp->family->target(S, dp, e, true) != NULL;
	}
	if (!at_entry && wants_entry(dp, e))
		at_entry = true;
	return trial_children(S, dp, e, at_entry) && dwarf_bind(S, dp, e, at_entry, true);
}

bool dwarf_defined(Sema *S, DerivedProbe *dp, Expr *x)
{
	Expr *c = copy_resolved(x);
	return trial_walk(S, dp, c, false);
}

static bool record_local(Sema *S, DerivedProbe *dp, Expr *e)
{
	if (e->kind != E_ASSIGN || e->op != OP_ASSIGN || e->left->kind != E_SYMBOL ||
	    !e->left->decl || e->left->decl->scope != VAR_LOCAL || !is_target_kind(e->right))
		return false;
	Expr *c = copy_resolved(e->right);
	const L2cType *t = trial_walk(S, dp, c, false) ? value_type(c) : NULL;
	void *old = pmap_get(&local_types, e->left->decl);
	/* Untyped so far (x = y->next before y is known): a later round. */
	if (!t || old == CONFLICT || (old && l2c_type_same(old, t)))
		return false;
	pmap_put(&local_types, e->left->decl, old ? CONFLICT : (void *)t);
	return true;
}

static bool locals_expr(Sema *S, DerivedProbe *dp, Expr *e)
{
	if (!e)
		return false;
	bool changed = record_local(S, dp, e);
	changed |= locals_expr(S, dp, e->left);
	changed |= locals_expr(S, dp, e->right);
	changed |= locals_expr(S, dp, e->cond);
	return changed;
}

static bool locals_stmt(Sema *S, DerivedProbe *dp, Stmt *s)
{
	if (!s)
		return false;
	bool changed = locals_expr(S, dp, s->expr);
	changed |= locals_expr(S, dp, s->cond);
	changed |= locals_expr(S, dp, s->incr);
	if (s->kind == S_BLOCK)
		for (uint32_t i = 0; i < s->n; i++)
			changed |= locals_stmt(S, dp, s->stmts[i]);
	changed |= locals_stmt(S, dp, s->then);
	changed |= locals_stmt(S, dp, s->els);
	return changed;
}

void dwarf_locals_pass(Sema *S, DerivedProbe *dp, Stmt *body)
{
	/* x = $p; y = x->next: each round can type one more link. */
	for (int round = 0; round < 4 && locals_stmt(S, dp, body); round++)
		;
}
