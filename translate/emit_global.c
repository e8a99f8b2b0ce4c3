/* Globals: their C variables, array and statistics specs, locks, -G
 * parameters, set-up and tear-down; and which globals each probe's
 * handler may touch, read or written, for its lock list. */
#include "translate/codegen.h"
#include "translate/cg_walk.h"
#include "parse/arena.h"
#include <stdlib.h>
#include <string.h>

/* ---- statistics specs: what histograms and @variance the program uses ---- */

static bool number_of(const Expr *e, int64_t *v)
{
	if (e->kind == E_NUMBER) {
		*v = e->num;
		return true;
	}
	if (e->kind == E_UNARY && e->op == OP_MINUS && e->left->kind == E_NUMBER) {
		*v = (int64_t)(0 - (uint64_t)e->left->num);
		return true;
	}
	return false;
}

static VarDecl *stat_global(const Expr *of)
{
	if (of->kind == E_INDEX && of->left->kind == E_SYMBOL)
		of = of->left;
	if (of->kind == E_SYMBOL && of->decl && of->decl->scope == VAR_GLOBAL)
		return of->decl;
	return NULL;
}

static bool spec_visit(Expr *e, void *data)
{
	Codegen *g = data;
	if (e->kind == E_HIST) {
		VarDecl *v = stat_global(e->left);
		GlobalInfo *gi = v ? cg_global(g, v) : NULL;
		if (!gi)
			return true;
		int want = e->op == HIST_LOG ? 1 : 2;	/* STP_HIST_LOG, STP_HIST_LINEAR */
		if (e->op == HIST_LINEAR) {
			int64_t a = 0, b = 0, c = 0;
			if (e->n != 3 || !number_of(e->args[0], &a) || !number_of(e->args[1], &b) ||
			    !number_of(e->args[2], &c)) {
				cg_error(g, e->loc, "@hist_linear parameters must be literal numbers");
				return true;
			}
			if (c <= 0 || b <= a) {
				cg_error(g, e->loc, "@hist_linear: the interval must be positive and "
					 "the end above the start");
				return true;
			}
			if ((b - a) / c + 3 > 128 * 1024) {
				cg_error(g, e->loc, "@hist_linear: too many buckets (%lld)",
					 (long long)((b - a) / c + 3));
				return true;
			}
			if (gi->hist == want && (gi->start != a || gi->stop != b || gi->interval != c))
				cg_error(g, e->loc, "inconsistent @hist_linear parameters for '%s'",
					 v->name);
			gi->start = a;
			gi->stop = b;
			gi->interval = c;
		}
		if (gi->hist && gi->hist != want)
			cg_error(g, e->loc, "'%s' is used with two kinds of histogram", v->name);
		gi->hist = want;
	} else if (e->kind == E_STAT && !strcmp(e->name, "@variance")) {
		VarDecl *v = stat_global(e->left);
		GlobalInfo *gi = v ? cg_global(g, v) : NULL;
		if (!gi)
			return true;
		int64_t shift = 0;
		if (e->right && !number_of(e->right, &shift))
			cg_error(g, e->right->loc, "@variance's bit shift must be a literal number");
		if (shift < 0 || shift > 62)
			cg_error(g, e->right->loc, "@variance's bit shift must be 0 to 62");
		else if (gi->shift_set && gi->bit_shift != shift)
			cg_error(g, e->loc, "only one @variance bit shift may be used with '%s'",
				 v->name);
		else
			gi->bit_shift = (int)shift;
		gi->shift_set = true;
		gi->variance = true;
	}
	return true;
}

static void spec_stmt(Stmt *s, void *data)
{
	Codegen *g = data;
	if (s->kind != S_FOREACH || !s->foreach->sort_agg)
		return;
	VarDecl *v = stat_global(s->foreach->base);
	GlobalInfo *gi = v ? cg_global(g, v) : NULL;
	if (gi && !strcmp(s->foreach->sort_agg, "@variance"))
		gi->variance = true;
}

static void scan_specs(Codegen *g)
{
	for (int i = 0; i < g->p->nprobes; i++) {
		DerivedProbe *dp = g->p->probes[i];
		walk_stmt(dp->body, spec_visit, spec_stmt, g);
		walk_expr(dp->cond, spec_visit, g);
	}
	for (int i = 0; i < g->p->nfuncs; i++)
		walk_stmt(g->p->funcs[i]->body, spec_visit, spec_stmt, g);
}

/* ---- declarations ---- */

static const char *stp_type(Type t)
{
	return t == TY_STRING ? "STP_TYPE_STRING" : t == TY_STATS ? "STP_TYPE_STAT" : "STP_TYPE_LONG";
}

static void emit_stat_spec(Codegen *g, GlobalInfo *gi)
{
	static const char *const hist[] = { "STP_HIST_NONE", "STP_HIST_LOG", "STP_HIST_LINEAR" };
	cg_printf(g, SEC_GLOBAL,
		  "static const struct stp_stat_spec %s_sspec = {\n"
		  "\t.hist_type = %s, .bit_shift = %d, .want_variance = %d,\n"
		  "\t.start = %lldLL, .stop = %lldLL, .interval = %lldLL,\n};\n",
		  gi->cname, hist[gi->hist], gi->bit_shift, gi->variance, (long long)gi->start,
		  (long long)gi->stop, (long long)gi->interval);
}

static void emit_one(Codegen *g, GlobalInfo *gi)
{
	VarDecl *v = gi->v;
	const char *n = gi->cname;
	cg_printf(g, SEC_GLOBAL, "static stp_rwlock_t %s_lock;\n", n);
	if (v->arity > 0) {
		if (v->type == TY_STATS)
			emit_stat_spec(g, gi);
		cg_printf(g, SEC_GLOBAL, "static const struct stp_map_spec %s_spec = {\n"
			  "\t.name = %s,\n\t.nkeys = %d,\n\t.key_types = {", n,
			  cg_quote(v->name, strlen(v->name)), v->arity);
		for (int k = 0; k < v->arity; k++)
			cg_printf(g, SEC_GLOBAL, "%s %s", k ? "," : "", stp_type(v->key_types[k]));
		cg_printf(g, SEC_GLOBAL, " },\n\t.val_type = %s,\n\t.wrap = %d,\n"
			  "\t.max_entries = %lld,\n\t.stat = %s,\n};\n", stp_type(v->type), v->wrap,
			  (long long)v->max_size,
			  v->type == TY_STATS ? cg_fmt("&%s_sspec", n) : "NULL");
		cg_printf(g, SEC_GLOBAL, "static struct stp_map %s;\n", n);
		return;
	}
	if (v->type == TY_STATS) {
		emit_stat_spec(g, gi);
		cg_printf(g, SEC_GLOBAL, "static struct stp_stat %s;\n", n);
		return;
	}
	int64_t num = 0;
	if (v->type == TY_STRING) {
		const char *init = "\"\"";
		if (v->init && v->init->kind == E_STRING)
			init = cg_quote(v->init->str, v->init->slen);
		cg_printf(g, SEC_GLOBAL, "static char %s[MAXSTRINGLEN] = %s;\n", n, init);
	} else {
		if (v->init)
			number_of(v->init, &num);
		if (num == INT64_MIN)
			cg_printf(g, SEC_GLOBAL, "static int64_t %s = STP_INT64_MIN;\n", n);
		else
			cg_printf(g, SEC_GLOBAL, "static int64_t %s = %lldLL;\n", n, (long long)num);
	}
}

/* -G NAME=VALUE: kernel module parameters, or the user platform's table
 * that stp_user_set_global searches.  Set before stp_probes_start, so
 * scalars are initialized statically, never in start. */
static void emit_params(Codegen *g)
{
	StrBuf k = { 0 }, u = { 0 };
	int n = 0;
	for (int i = 0; i < g->p->nglobals; i++) {
		GlobalInfo *gi = &g->globals[i];
		VarDecl *v = gi->v;
		if (v->arity > 0 || v->type == TY_STATS || v->is_private)
			continue;
		if (v->type == TY_STRING)
			sb_printf(&k, "module_param_string(%s, %s, MAXSTRINGLEN, 0);\n", v->name,
				  gi->cname);
		else
			sb_printf(&k, "STP_PARAM_LONG(%s, %s);\n", v->name, gi->cname);
		sb_printf(&u, "\t{ %s, %s, %s%s },\n", cg_quote(v->name, strlen(v->name)),
			  stp_type(v->type), v->type == TY_STRING ? "" : "&", gi->cname);
		n++;
	}
	cg_printf(g, SEC_GLOBAL, "\n#ifdef __KERNEL__\n%s#else\n", sb_str(&k));
	if (n)
		cg_printf(g, SEC_GLOBAL, "static const struct stp_param stp_params[] = {\n%s};\n",
			  sb_str(&u));
	cg_printf(g, SEC_GLOBAL,
		  "int stp_user_set_global(const char *name, const char *value);\n"
		  "int stp_user_set_global(const char *name, const char *value)\n{\n"
		  "\treturn stp_param_set(%s, %d, name, value);\n}\n#endif\n",
		  n ? "stp_params" : "NULL", n);
	sb_free(&k);
	sb_free(&u);
}

void emit_globals(Codegen *g)
{
	Program *p = g->p;
	g->globals = calloc((size_t)p->nglobals + 1, sizeof(GlobalInfo));
	for (int i = 0; i < p->nglobals; i++) {
		GlobalInfo *gi = &g->globals[i];
		VarDecl *v = p->globals[i];
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup += g->globals[j].v->name == v->name;
		gi->v = v;
		gi->index = i;
		gi->cname = dup ? cg_fmt("g_%s_%d", v->name, dup) : cg_fmt("g_%s", v->name);
		pmap_put(&g->global_of, v, gi);
	}
	scan_specs(g);
	for (int i = 0; i < p->nglobals; i++)
		emit_one(g, &g->globals[i]);
	emit_params(g);
}

void emit_globals_init(Codegen *g)
{
	for (int i = 0; i < g->p->nglobals; i++) {
		GlobalInfo *gi = &g->globals[i];
		cg_printf(g, SEC_LIFE, "\tstp_rwlock_init(&%s_lock);\n", gi->cname);
		if (gi->v->arity > 0)
			cg_printf(g, SEC_LIFE, "\trc = stp_map_init(&%s, &%s_spec);\n\tif (rc)\n"
				  "\t\tgoto fail;\n", gi->cname, gi->cname);
		else if (gi->v->type == TY_STATS)
			cg_printf(g, SEC_LIFE, "\trc = stp_stat_init(&%s, &%s_sspec);\n\tif (rc)\n"
				  "\t\tgoto fail;\n", gi->cname, gi->cname);
	}
}

void emit_globals_free(Codegen *g)
{
	for (int i = 0; i < g->p->nglobals; i++) {
		GlobalInfo *gi = &g->globals[i];
		if (gi->v->arity > 0)
			cg_printf(g, SEC_LIFE, "\tstp_map_free(&%s);\n", gi->cname);
		else if (gi->v->type == TY_STATS)
			cg_printf(g, SEC_LIFE, "\tstp_stat_free(&%s);\n", gi->cname);
	}
}

/* ---- which globals a handler touches ---- */

typedef struct Uses {
	Codegen *g;
	unsigned char *mode;	/* per global */
	PtrVec calls;		/* FuncDecl* called */
} Uses;

static void use_expr(Uses *u, Expr *e, int mode);

static void use_global(Uses *u, Expr *sym, int mode)
{
	if (sym->kind != E_SYMBOL || !sym->decl || sym->decl->scope != VAR_GLOBAL)
		return;
	GlobalInfo *gi = cg_global(u->g, sym->decl);
	if (gi)
		u->mode[gi->index] |= (unsigned char)mode;
}

static void use_args(Uses *u, Expr **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			use_expr(u, v[i], USE_READ);
}

/* An lvalue or statistics operand: the variable itself in `mode`. */
static void use_target(Uses *u, Expr *e, int mode)
{
	if (e->kind == E_SYMBOL) {
		use_global(u, e, mode);
	} else if (e->kind == E_INDEX) {
		if (e->left->kind == E_HIST)
			use_expr(u, e->left, mode);
		else
			use_global(u, e->left, mode);
		use_args(u, e->args, e->n);
	} else {
		use_expr(u, e, mode);
	}
}

static void use_expr(Uses *u, Expr *e, int mode)
{
	if (!e)
		return;
	switch ((ExprKind)e->kind) {
	case E_SYMBOL:
		use_global(u, e, mode);
		break;
	case E_INDEX:
		use_target(u, e, mode);
		break;
	case E_ASSIGN:
		/* <<< only adds to this CPU's data: a read lock. */
		use_target(u, e->left, e->op == OP_STAT_ASSIGN ? USE_READ : USE_WRITE);
		use_expr(u, e->right, USE_READ);
		break;
	case E_INCDEC:
		use_target(u, e->left, USE_WRITE);
		break;
	case E_STAT:
		/* Reading an aggregate merges the CPUs' data: a write lock. */
		use_target(u, e->left, USE_WRITE);
		use_expr(u, e->right, USE_READ);
		break;
	case E_HIST:
		use_target(u, e->left, USE_WRITE);
		break;
	case E_IN:
		if (e->left->kind == E_HIST)
			use_expr(u, e->left, USE_WRITE);
		else
			use_global(u, e->left, USE_READ);
		use_args(u, e->args, e->n);
		break;
	case E_CALL:
		if (e->func)
			for (FuncDecl *f = e->func; f; f = f->next_overload)
				vec_push(&u->calls, f);
		use_args(u, e->args, e->n);
		break;
	case E_PRINT:
		use_args(u, e->args, e->n);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		use_expr(u, e->left, USE_READ);
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].kind == COMP_INDEX_EXPR)
				use_expr(u, e->comps[i].expr, USE_READ);
		break;
	default:
		use_expr(u, e->cond, USE_READ);
		use_expr(u, e->left, USE_READ);
		use_expr(u, e->right, USE_READ);
		break;
	}
}

static void use_stmt(Uses *u, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			use_stmt(u, s->stmts[i]);
		break;
	case S_FOREACH: {
		Foreach *f = s->foreach;
		bool stats = f->base->kind == E_SYMBOL && f->base->decl &&
			     f->base->decl->type == TY_STATS;
		/* Sorting writes the array's sort index; statistics are merged. */
		int mode = f->sort_dir || stats ? USE_WRITE : USE_READ;
		if (f->base->kind == E_HIST)
			use_expr(u, f->base, USE_WRITE);
		else
			use_global(u, f->base, mode);
		if (f->slice)
			use_args(u, f->slice, (uint32_t)f->nkeys);
		use_expr(u, f->limit, USE_READ);
		use_stmt(u, s->then);
		break;
	}
	case S_DELETE:
		use_target(u, s->expr, USE_WRITE);
		break;
	default:
		use_expr(u, s->expr, USE_READ);
		use_expr(u, s->cond, USE_READ);
		use_expr(u, s->incr, USE_READ);
		use_stmt(u, s->then);
		use_stmt(u, s->els);
		break;
	}
}

static int func_index(Codegen *g, const FuncDecl *f)
{
	return (int)(uintptr_t)pmap_get(&g->func_index, f) - 1;
}

void compute_uses(Codegen *g)
{
	Program *p = g->p;
	int ng = p->nglobals, nf = p->nfuncs;
	PtrVec *fcalls = calloc((size_t)nf + 1, sizeof(PtrVec));
	g->fuses = calloc((size_t)nf + 1, sizeof(*g->fuses));
	g->uses = calloc((size_t)p->nprobes + 1, sizeof(*g->uses));
	for (int i = 0; i < nf; i++)
		pmap_put(&g->func_index, p->funcs[i], (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < nf; i++) {
		Uses u = { g, calloc((size_t)ng + 1, 1), { 0 } };
		use_stmt(&u, p->funcs[i]->body);
		g->fuses[i] = u.mode;
		fcalls[i] = u.calls;
	}
	int *seen = calloc((size_t)nf + 1, sizeof(int));
	int *stack = calloc((size_t)nf + 1, sizeof(int));
	for (int i = 0; i < p->nprobes; i++) {
		DerivedProbe *dp = p->probes[i];
		Uses u = { g, calloc((size_t)ng + 1, 1), { 0 } };
		use_stmt(&u, dp->body);
		use_expr(&u, dp->cond, USE_READ);
		/* Every function reachable from the handler, once. */
		int top = 0;
		for (int k = 0; k < u.calls.n; k++) {
			int fi = func_index(g, u.calls.v[k]);
			if (fi >= 0 && seen[fi] != i + 1) {
				seen[fi] = i + 1;
				stack[top++] = fi;
			}
		}
		while (top) {
			int fi = stack[--top];
			for (int k = 0; k < ng; k++)
				u.mode[k] |= g->fuses[fi][k];
			for (int k = 0; k < fcalls[fi].n; k++) {
				int fj = func_index(g, fcalls[fi].v[k]);
				if (fj >= 0 && seen[fj] != i + 1) {
					seen[fj] = i + 1;
					stack[top++] = fj;
				}
			}
		}
		free(u.calls.v);
		g->uses[i] = u.mode;
	}
	for (int i = 0; i < nf; i++)
		free(fcalls[i].v);
	free(fcalls);
	free(seen);
	free(stack);
}

/* The locks in the globals' order, the same for every probe, so two
 * probes never wait for each other in opposite orders. */
const char *emit_probe_locks(Codegen *g, int i, int *n)
{
	unsigned char *m = g->uses[i];
	*n = 0;
	for (int k = 0; k < g->p->nglobals; k++)
		*n += m[k] != 0;
	if (!*n)
		return "NULL";
	const char *name = cg_fmt("%s_locks", probe_cname(g->p->probes[i]));
	cg_printf(g, SEC_PROBE, "static const struct stp_lock_req %s[] = {\n", name);
	for (int k = 0; k < g->p->nglobals; k++)
		if (m[k])
			cg_printf(g, SEC_PROBE, "\t{ &%s_lock, %d },\n", g->globals[k].cname,
				  (m[k] & USE_WRITE) != 0);
	cg_printf(g, SEC_PROBE, "};\n");
	return name;
}
