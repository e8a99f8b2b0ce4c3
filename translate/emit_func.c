/* Script functions and embedded-C functions, and calls to them.
 *
 * A function's locals live in a frame: struct stp_all_locals has one
 * union of every function's locals struct per nesting level, and a
 * function called at depth d (after stp_call_enter) uses frame[d - 1].
 * The caller evaluates the arguments first (they may call functions that
 * use the same frame), then enters, copies them into the callee's frame,
 * calls, and copies the result out.  Overloads that say `next` make the
 * call go on to the next overload with the same arguments. */
#include "translate/codegen.h"
#include "parse/arena.h"
#include <stdlib.h>
#include <string.h>

const char *func_cname(Codegen *g, const FuncDecl *f)
{
	const char *n = pmap_get(&g->func_name, f);
	return n ? n : "fn_unknown";
}

static void name_functions(Codegen *g)
{
	for (int i = 0; i < g->p->nfuncs; i++) {
		FuncDecl *f = g->p->funcs[i];
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup += g->p->funcs[j]->name == f->name;
		pmap_put(&g->func_name, f,
			 (void *)(dup ? cg_fmt("fn_%s_%d", f->name, dup) : cg_fmt("fn_%s", f->name)));
	}
}

static Type ret_type(const FuncDecl *f)
{
	return f->ret_type == TY_STRING ? TY_STRING : f->ret_type == TY_LONG ? TY_LONG : TY_UNKNOWN;
}

static const char *member(Type t, const char *name)
{
	return t == TY_STRING ? cg_fmt("\tchar %s[MAXSTRINGLEN];\n", name)
			      : cg_fmt("\tint64_t %s;\n", name);
}

/* Names the locals, adds them to the struct and zeroes them at entry, as
 * SystemTap starts every local at 0 or "". */
void routine_begin(Codegen *g, Routine *r, VarDecl **locals, int nlocals)
{
	for (int i = 0; i < nlocals; i++) {
		VarDecl *v = locals[i];
		if (pmap_get(&r->names, v))
			continue;
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup += locals[j]->name == v->name;
		const char *m = dup ? cg_fmt("v_%s_%d", v->name, dup) : cg_fmt("v_%s", v->name);
		pmap_put(&r->names, v, (void *)cg_fmt("l->%s", m));
		sb_puts(&r->members, member(v->type, m));
		if (v->type == TY_STRING)
			cg_line(g, "l->%s[0] = '\\0';", m);
		else
			cg_line(g, "l->%s = 0;", m);
	}
}

void routine_locals_struct(Codegen *g, Routine *r, const char *tag)
{
	cg_printf(g, SEC_LOCALS, "struct %s {\n", tag);
	if (r->members.len)
		cg_printf(g, SEC_LOCALS, "%s", sb_str(&r->members));
	for (int i = 0; i < r->maxstr; i++)
		cg_printf(g, SEC_LOCALS, "\tchar s%d[MAXSTRINGLEN];\n", i);
	if (!r->members.len && !r->maxstr)
		cg_printf(g, SEC_LOCALS, "\tchar unused;\n");
	cg_printf(g, SEC_LOCALS, "};\n");
}

static bool has_next(const FuncDecl *f)
{
	return f->next_overload != NULL;
}

static const char *frame_tag(Codegen *g, const FuncDecl *f)
{
	return cg_fmt("%s_locals", func_cname(g, f));
}

static const char *frame_member(Codegen *g, const FuncDecl *f)
{
	return cg_fmt("%s", func_cname(g, f) + 3);
}

/* ---- embedded C ---- */

static void emit_embedded(Codegen *g, FuncDecl *f)
{
	const char *name = func_cname(g, f);
	Routine *r = g->r;
	Type rt = ret_type(f);
	for (int i = 0; i < f->nparams; i++)
		sb_puts(&r->members, member(f->params[i]->type, f->params[i]->name));
	if (rt != TY_UNKNOWN)
		sb_puts(&r->members, member(rt, "__retvalue"));
	sb_puts(&r->members, "\tconst struct stp_loc *__loc;\n\tunsigned char __next;\n");
	cg_line(g, "static void %s(struct stp_context *c)", name);
	cg_line(g, "{");
	cg_line(g, "\tstruct %s *l = &STP_LOCALS(c, struct stp_all_locals)->frame[c->nesting - 1].%s;",
		frame_tag(g, f), frame_member(g, f));
	cg_line(g, "#define CONTEXT c");
	cg_line(g, "#define THIS l");
	for (int i = 0; i < f->nparams; i++)
		cg_line(g, "#define STAP_ARG_%s (l->%s)", f->params[i]->name, f->params[i]->name);
	if (rt == TY_STRING) {
		cg_line(g, "#define STAP_RETVALUE (l->__retvalue)");
		cg_line(g, "#define STAP_RETURN(v) do { stp_str_copy(l->__retvalue, (v)); return; } "
			"while (0)");
	} else if (rt == TY_LONG) {
		cg_line(g, "#define STAP_RETVALUE (l->__retvalue)");
		cg_line(g, "#define STAP_RETURN(v) do { l->__retvalue = (v); return; } while (0)");
	} else {
		cg_line(g, "#define STAP_RETURN() return");
	}
	cg_line(g, "#define STAP_ERROR(...) do { stp_errorf(c, l->__loc, __VA_ARGS__); return; } "
		"while (0)");
	cg_line(g, "#define STAP_CALL_LOC (l->__loc)");
	cg_line(g, "#define STAP_NEXT do { l->__next = 1; return; } while (0)");
	cg_line(g, "\t(void)l;");
	cg_line(g, "\t{");
	sb_putn(&r->body, f->embedded, f->embedded_len);
	sb_putc(&r->body, '\n');
	cg_line(g, "\t}");
	cg_line(g, "#undef CONTEXT");
	cg_line(g, "#undef THIS");
	for (int i = 0; i < f->nparams; i++)
		cg_line(g, "#undef STAP_ARG_%s", f->params[i]->name);
	if (rt != TY_UNKNOWN)
		cg_line(g, "#undef STAP_RETVALUE");
	cg_line(g, "#undef STAP_RETURN");
	cg_line(g, "#undef STAP_ERROR");
	cg_line(g, "#undef STAP_CALL_LOC");
	cg_line(g, "#undef STAP_NEXT");
	cg_line(g, "}");
}

/* ---- script functions ---- */

static void emit_script(Codegen *g, FuncDecl *f)
{
	Routine *r = g->r;
	const char *name = func_cname(g, f);
	Type rt = ret_type(f);
	for (int i = 0; i < f->nparams; i++) {
		VarDecl *p = f->params[i];
		const char *m = cg_fmt("v_%s", p->name);
		pmap_put(&r->names, p, (void *)cg_fmt("l->%s", m));
		sb_puts(&r->members, member(p->type, m));
	}
	if (rt != TY_UNKNOWN)
		sb_puts(&r->members, member(rt, "__retvalue"));
	sb_puts(&r->members, "\tunsigned char __next;\n");
	cg_line(g, "static void %s(struct stp_context *c)", name);
	cg_line(g, "{");
	r->indent = 1;
	cg_line(g, "struct %s *l = &STP_LOCALS(c, struct stp_all_locals)->frame[c->nesting - 1].%s;",
		frame_tag(g, f), frame_member(g, f));
	cg_line(g, "(void)l;");
	if (rt == TY_STRING)
		cg_line(g, "l->__retvalue[0] = '\\0';");
	else if (rt == TY_LONG)
		cg_line(g, "l->__retvalue = 0;");
	FuncInfo *fi = func_info(f);
	routine_begin(g, r, (VarDecl **)fi->locals.v, fi->locals.n);
	if (f->body && f->body->kind == S_BLOCK)
		emit_block_stmts(g, f->body->stmts, (int)f->body->n);
	else if (f->body)
		emit_stmt(g, f->body);
	r->indent = 0;
	cg_line(g, "}");
}

void emit_functions(Codegen *g)
{
	name_functions(g);
	for (int i = 0; i < g->p->nfuncs; i++) {
		FuncDecl *f = g->p->funcs[i];
		Routine r = { 0 };
		r.name = func_cname(g, f);
		r.is_func = true;
		r.func = f;
		r.errexit = "return";
		g->r = &r;
		cg_printf(g, SEC_PROTO, "static void %s(struct stp_context *c);\n", r.name);
		if (f->embedded)
			emit_embedded(g, f);
		else
			emit_script(g, f);
		routine_locals_struct(g, &r, frame_tag(g, f));
		sb_printf(&g->frames, "\t\tstruct %s %s;\n", frame_tag(g, f), frame_member(g, f));
		cg_printf(g, SEC_FUNC, "\n%s", sb_str(&r.body));
		sb_free(&r.body);
		sb_free(&r.members);
		pmap_free(&r.names);
		g->r = NULL;
	}
}

/* ---- calls ---- */

Val emit_call(Codegen *g, Expr *e)
{
	FuncDecl *f = e->func;
	if (!f) {
		cg_error(g, e->loc, "unresolved function %s", e->name);
		return (Val){ "0", TY_LONG, true };
	}
	int n = (int)e->n;
	Val *args = calloc((size_t)n + 1, sizeof(Val));
	bool chain = has_next(f);
	for (int i = 0; i < n; i++) {
		args[i] = emit_expr(g, e->args[i]);
		bool later = chain;
		for (int j = i + 1; j < n && !later; j++)
			later = expr_has_effects(e->args[j]);
		if (later && !args[i].simple) {
			if (args[i].type == TY_STRING) {
				const char *t = tmp_str(g);
				cg_line(g, "stp_str_copy(%s, %s);", t, args[i].c);
				args[i] = (Val){ t, TY_STRING, true };
			} else {
				args[i] = (Val){ tmp_long(g, args[i].c), TY_LONG, true };
			}
		}
	}
	Type rt = ret_type(f);
	const char *res = rt == TY_STRING ? tmp_str(g) : rt == TY_LONG ? tmp_long(g, "0") : NULL;
	const char *loc = cg_locp(g, e->loc);
	const char *nx = chain ? tmp_long(g, "0") : NULL;
	int depth = 0;
	for (FuncDecl *o = f; o; o = o->next_overload, depth++) {
		if (depth) {
			cg_line(g, "if (%s) {", nx);
			g->r->indent++;
		}
		cg_line(g, "if (stp_call_enter(c, %s))", loc);
		cg_line(g, "\t%s;", g->r->errexit);
		cg_line(g, "{");
		cg_line(g, "\tstruct %s *f = &STP_LOCALS(c, struct stp_all_locals)->frame[c->nesting - 1].%s;",
			frame_tag(g, o), frame_member(g, o));
		cg_line(g, "\t(void)f;");
		for (int i = 0; i < n && i < o->nparams; i++) {
			VarDecl *p = o->params[i];
			const char *m = o->embedded ? p->name : cg_fmt("v_%s", p->name);
			if (p->type == TY_STRING)
				cg_line(g, "\tstp_str_copy(f->%s, %s);", m, args[i].c);
			else
				cg_line(g, "\tf->%s = %s;", m, args[i].c);
		}
		if (o->embedded) {
			cg_line(g, "\tf->__loc = %s;", loc);
			if (rt == TY_STRING)
				cg_line(g, "\tf->__retvalue[0] = '\\0';");
			else if (rt == TY_LONG)
				cg_line(g, "\tf->__retvalue = 0;");
		}
		if (chain)
			cg_line(g, "\tf->__next = 0;");
		cg_line(g, "\t%s(c);", func_cname(g, o));
		if (rt == TY_STRING)
			cg_line(g, "\tstp_str_copy(%s, f->__retvalue);", res);
		else if (rt == TY_LONG)
			cg_line(g, "\t%s = f->__retvalue;", res);
		if (chain)
			cg_line(g, "\t%s = f->__next;", nx);
		cg_line(g, "}");
		cg_line(g, "stp_call_exit(c);");
		emit_check(g);
	}
	while (--depth > 0) {
		g->r->indent--;
		cg_line(g, "}");
	}
	free(args);
	if (!res)
		return (Val){ "0", TY_LONG, true };
	return (Val){ res, rt, true };
}
