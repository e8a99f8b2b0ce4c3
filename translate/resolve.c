/* Symbol resolution: binds every name to its declaration and pulls in the
 * library files the script reaches.
 *
 * A name in a body is, in order: a local already seen, a parameter, a
 * private global of the file the name was written in, a global of the
 * program (user files and files pulled in so far), a global of a library
 * file (which pulls that whole file in: its globals, functions, probes and
 * embedded C), or else a new local.  Functions resolve by name and arity the
 * same way.  Only functions a probe reaches have their bodies resolved, so
 * an unused function pulls nothing in (SystemTap behaves the same). */
#include "translate/sema.h"
#include "translate/library.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include "parse/parser.h"
#include <stdlib.h>
#include <string.h>

static PtrMap by_src;		/* SrcFile id + 1 -> StapFile* */
static int decl_order;

static const void *src_key(uint32_t id)
{
	return (const void *)(uintptr_t)(id + 1);
}

StapFile *file_of_loc(Loc loc)
{
	return pmap_get(&by_src, src_key(loc_use_file(loc)));
}

static void funclist_push(PtrMap *m, FuncDecl *f)
{
	FuncList *l = pmap_get(m, f->name);
	if (!l) {
		l = ANEW(&g_arena, FuncList);
		pmap_put(m, f->name, l);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 2;
		FuncDecl **v = ANEWN(&g_arena, FuncDecl *, l->cap);
		if (l->n)
			memcpy(v, l->v, sizeof(*v) * (size_t)l->n);
		l->v = v;
	}
	l->v[l->n++] = f;
}

/* libidx: the file's place on the search path, or -1 for user files;
 * overloads run in that order, whenever a file happens to be parsed. */
static void index_file(Sema *S, StapFile *f, int libidx)
{
	FileInfo *fi = file_info(f);
	if (fi->indexed)
		return;
	fi->indexed = true;
	bool library = libidx >= 0;
	fi->order = libidx;
	pmap_put(&by_src, src_key(f->src->id), f);
	for (int i = 0; i < f->nfuncs; i++) {
		FuncDecl *fd = f->funcs[i];
		FuncInfo *info = func_info(fd);
		info->file = f;
		info->order = library ? (libidx + 1) * 65536 + i : decl_order++;
		info->pragmas = pragma_scan(fd->embedded, fd->embedded_len);
		if (fd->is_private)
			funclist_push(&fi->priv_fns, fd);
		else if (library)
			funclist_push(&S->lib_fns, fd);
	}
	for (int i = 0; i < f->nglobals; i++) {
		VarDecl *v = f->globals[i];
		var_info(v)->file = f;
		if (v->is_private) {
			if (!pmap_get(&fi->priv_globals, v->name))
				pmap_put(&fi->priv_globals, v->name, v);
		} else if (library) {
			/* The first file on the search path wins. */
			VarDecl *old = pmap_get(&S->lib_globals, v->name);
			if (!old || file_info(var_info(old)->file)->order > libidx)
				pmap_put(&S->lib_globals, v->name, v);
		}
	}
	for (int i = 0; i < f->naliases; i++) {
		Probe *a = f->aliases[i];
		for (int k = 0; k < a->nalias_names; k++)
			match_add_alias(S->root, a->alias_names[k], a);
	}
}

static void load_library(Sema *S, int i)
{
	StapFile *f = library_file(S->s, i);
	if (f)
		index_file(S, f, i);
}

void load_lazy_node(Sema *S, MatchNode *n)
{
	int count = n->nlazy;
	n->nlazy = 0;	/* loading may register more; never twice */
	for (int i = 0; i < count; i++)
		load_library(S, n->lazy[i]);
}

/* Parses every library file that may declare name. */
static void load_candidates(Sema *S, LibKind k, const char *name)
{
	int n;
	const int *v = library_candidates(k, name, &n);
	for (int i = 0; i < n; i++)
		load_library(S, v[i]);
}

/* A file joins the program: its public names become visible to every
 * other file, its probes are derived, its embedded C is kept. */
void pull_file(Sema *S, StapFile *f)
{
	FileInfo *fi = file_info(f);
	if (fi->pulled)
		return;
	fi->pulled = true;
	vec_push(&S->files, f);
	for (int i = 0; i < f->nfuncs; i++)
		if (!f->funcs[i]->is_private)
			funclist_push(&S->fn_table, f->funcs[i]);
	for (int i = 0; i < f->nglobals; i++) {
		VarDecl *v = f->globals[i];
		if (!v->is_private && !pmap_get(&S->global_table, v->name))
			pmap_put(&S->global_table, v->name, v);
	}
	for (int i = 0; i < f->nembeds; i++)
		vec_push(&S->embeds, f->embeds[i]);
	for (int i = 0; i < f->nprobes; i++)
		derive_probe(S, f->probes[i], f);
}

static void lazy_alias(void *ctx, const char *name, size_t len, int file)
{
	Sema *S = ctx;
	if (!library_file_if_parsed(file))
		match_add_lazy(S->root, name, len, file);
}

void resolve_init(Sema *S)
{
	Session *s = S->s;
	/* User files first: their functions come first among overloads. */
	for (int i = 0; i < s->nuser_files; i++) {
		file_info(s->user_files[i])->is_user = true;
		index_file(S, s->user_files[i], -1);
	}
	for (int i = 0; i < library_nfiles(); i++) {
		StapFile *f = library_file_if_parsed(i);
		if (f)
			index_file(S, f, i);
	}
	library_aliases(lazy_alias, S);
	/* init is a library alias in SystemTap; until a tapset defines it,
	 * the translator carries the same definition. */
	if (!match_has_alias(S->root, intern_cstr("init"))) {
		static const char text[] = "probe init = begin(-9223372036854775808) {}\n";
		SrcFile *src = src_from_string("<builtin>", text, sizeof(text) - 1);
		src->is_tapset = true;
		ParseOptions o = { .ctx = &s->pp, .privileged = true };
		index_file(S, parse_file(src, &o), library_nfiles());
	}
}

/* ---- scopes ---- */

typedef struct Scope {
	Sema *S;
	PtrVec *locals;
	FuncDecl *func;
	DerivedProbe *probe;
	bool cond;		/* a probe condition: globals only */
} Scope;

VarDecl *new_local(PtrVec *locals, const char *name, Loc loc)
{
	VarDecl *v = ANEW(&g_arena, VarDecl);
	v->name = name;
	v->scope = VAR_LOCAL;
	v->loc = loc;
	vec_push(locals, v);
	return v;
}

static void note_global(Sema *S, VarDecl *v)
{
	VarInfo *vi = var_info(v);
	if (vi->listed)
		return;
	vi->listed = true;
	vec_push(&S->globals, v);
}

static VarDecl *lookup_global(Sema *S, const char *name, Loc loc)
{
	StapFile *f = file_of_loc(loc);
	VarDecl *v = f ? pmap_get(&file_info(f)->priv_globals, name) : NULL;
	if (!v)
		v = pmap_get(&S->global_table, name);
	if (!v) {
		load_candidates(S, LIB_GLOBAL, name);
		VarDecl *lv = pmap_get(&S->lib_globals, name);
		if (lv) {
			pull_file(S, var_info(lv)->file);
			v = pmap_get(&S->global_table, name);
			if (!v)
				v = lv;
		}
	}
	if (v)
		note_global(S, v);
	return v;
}

static VarDecl *lookup_local(Scope *sc, const char *name)
{
	for (int i = 0; i < sc->locals->n; i++) {
		VarDecl *v = sc->locals->v[i];
		if (v->name == name)
			return v;
	}
	if (sc->func)
		for (int i = 0; i < sc->func->nparams; i++)
			if (sc->func->params[i]->name == name)
				return sc->func->params[i];
	return NULL;
}

static void resolve_scalar(Scope *sc, Expr *e)
{
	if (sc->cond) {
		VarDecl *g = lookup_global(sc->S, e->name, e->loc);
		if (!g)
			sema_error(sc->S, e->loc, "probe condition must not reference undeclared "
				   "global '%s'", e->name);
		else
			var_info(g)->in_cond = true;
		e->decl = g;
		return;
	}
	VarDecl *v = lookup_local(sc, e->name);
	if (!v)
		v = lookup_global(sc->S, e->name, e->loc);
	if (!v)
		v = new_local(sc->locals, e->name, e->loc);
	e->decl = v;
}

/* Arrays and statistics live only in globals. */
static void resolve_global_only(Scope *sc, Expr *e, int arity, bool stats)
{
	VarDecl *v = lookup_global(sc->S, e->name, e->loc);
	if (!v) {
		if (stats)
			sema_error(sc->S, e->loc, "stat locals not supported, missing global "
				   "declaration? ('%s')", e->name);
		else
			sema_error(sc->S, e->loc, "unresolved arity-%d global array %s, missing "
				   "global declaration?", arity, e->name);
		return;
	}
	if (sc->cond)
		var_info(v)->in_cond = true;
	e->decl = v;
}

/* ---- functions ---- */

static void queue_function(Sema *S, FuncDecl *f)
{
	FuncInfo *fi = func_info(f);
	if (fi->queued)
		return;
	fi->queued = true;
	vec_push(&S->funcs, f);
	vec_push(&S->func_queue, f);
}

/* Functions named `name` that a call written in `file` sees, with `arity`
 * parameters (any arity when arity < 0), into out. */
static int candidates(Sema *S, StapFile *file, const char *name, int arity, PtrVec *out)
{
	FuncList *lists[2] = {
		file ? pmap_get(&file_info(file)->priv_fns, name) : NULL,
		pmap_get(&S->fn_table, name),
	};
	for (int k = 0; k < 2; k++) {
		if (!lists[k])
			continue;
		for (int i = 0; i < lists[k]->n; i++) {
			FuncDecl *f = lists[k]->v[i];
			if (arity < 0 || f->nparams == arity)
				vec_push(out, f);
		}
	}
	return out->n;
}

static void add_name(void *ctx, const char *name)
{
	vec_push(ctx, (void *)name);
}

static void unresolved_function(Sema *S, Expr *e, StapFile *file)
{
	static const char *const prints[] = {
		"print", "println", "printf", "printd", "printdln",
		"sprint", "sprintln", "sprintf", "sprintd", "sprintdln",
	};
	PtrVec names = { 0 };
	for (size_t i = 0; i < sizeof(prints) / sizeof(prints[0]); i++)
		vec_push(&names, (void *)prints[i]);
	const PtrMap *maps[3] = { &S->fn_table, &S->lib_fns,
				  file ? &file_info(file)->priv_fns : NULL };
	for (int k = 0; k < 3; k++)
		for (unsigned i = 0; maps[k] && i < maps[k]->cap; i++)
			if (maps[k]->keys[i])
				vec_push(&names, (void *)maps[k]->keys[i]);
	library_function_names(add_name, &names);
	StrBuf b = { 0 };
	suggest(&b, e->name, (const char *const *)names.v, names.n);
	sema_error(S, e->loc, "unresolved function %s%s", e->name, sb_str(&b));
	sb_free(&b);
	free(names.v);
}

static void resolve_call(Scope *sc, Expr *e)
{
	Sema *S = sc->S;
	if (sc->cond) {
		sema_error(S, e->loc, "probe condition must not reference function '%s'", e->name);
		return;
	}
	StapFile *file = file_of_loc(e->loc);
	PtrVec found = { 0 };
	/* Every library file defining the name with this arity joins the
	 * program: its definitions are overloads after the user's own, in
	 * search order (SystemTap does the same). */
	load_candidates(S, LIB_FUNCTION, e->name);
	FuncList *lib = pmap_get(&S->lib_fns, e->name);
	for (int i = 0; lib && i < lib->n; i++)
		if (lib->v[i]->nparams == (int)e->n)
			pull_file(S, func_info(lib->v[i])->file);
	if (!candidates(S, file, e->name, (int)e->n, &found)) {
		PtrVec any = { 0 };
		candidates(S, file, e->name, -1, &any);
		FuncDecl *f = any.n ? any.v[0] : lib ? lib->v[0] : NULL;
		if (f) {
			sema_error(S, e->loc, "arity mismatch found (function '%s' takes %d "
				   "argument%s, not %u)", e->name, f->nparams,
				   f->nparams == 1 ? "" : "s", e->n);
			sema_note(S, f->loc, "function '%s' is declared here", e->name);
		} else {
			unresolved_function(S, e, file);
		}
		free(any.v);
		return;
	}
	e->func = found.v[0];
	vec_push(&S->calls, e);
	for (int i = 0; i < found.n; i++)
		queue_function(S, found.v[i]);
	free(found.v);
}

/* ---- the walk ---- */

static void rx(Scope *sc, Expr *e);
static void rs(Scope *sc, Stmt *s);

static void rx_list(Scope *sc, Expr **v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			rx(sc, v[i]);
}

/* The base of a[...], [...] in a, foreach ... in a: a global array or a
 * histogram. */
static void rx_array_base(Scope *sc, Expr *base, int arity)
{
	if (base->kind == E_SYMBOL)
		resolve_global_only(sc, base, arity, false);
	else
		rx(sc, base);
}

/* The operand of @count(x), @hist_log(x), x <<< v. */
static void rx_stats_operand(Scope *sc, Expr *e)
{
	if (e->kind == E_SYMBOL)
		resolve_global_only(sc, e, 0, true);
	else
		rx(sc, e);
}

static void rx(Scope *sc, Expr *e)
{
	if (sc->cond && (e->kind == E_ASSIGN || e->kind == E_INCDEC)) {
		sema_error(sc->S, e->loc, "probe condition must not modify any variables");
		return;
	}
	switch ((ExprKind)e->kind) {
	case E_NUMBER: case E_STRING: case E_EMBEDDED: case E_PERF: case E_CONST:
		break;
	case E_SYMBOL:
		resolve_scalar(sc, e);
		break;
	/* Indexes before the array: the order globals are first met in is
	 * the order -p2 lists them, as in SystemTap. */
	case E_INDEX: case E_IN:
		rx_list(sc, e->args, e->n);
		rx_array_base(sc, e->left, (int)e->n);
		break;
	case E_CALL:
		resolve_call(sc, e);
		rx_list(sc, e->args, e->n);
		break;
	case E_PRINT:
		rx_list(sc, e->args, e->n);
		break;
	case E_ASSIGN:
		if (e->op == OP_STAT_ASSIGN)
			rx_stats_operand(sc, e->left);
		else
			rx(sc, e->left);
		rx(sc, e->right);
		break;
	case E_STAT:
		rx_stats_operand(sc, e->left);
		if (e->right)
			rx(sc, e->right);
		break;
	case E_HIST:
		rx_stats_operand(sc, e->left);
		rx_list(sc, e->args, e->n);
		break;
	case E_TARGET: case E_CAST: case E_AUTOCAST: case E_ATVAR:
		if (e->left)
			rx(sc, e->left);
		for (uint32_t i = 0; i < e->n; i++)
			if (e->comps[i].expr)
				rx(sc, e->comps[i].expr);
		break;
	case E_PROBEWRITE: {
		VarDecl *g = e->left->kind == E_SYMBOL ?
			     lookup_global(sc->S, e->left->name, e->left->loc) : NULL;
		if (g)
			e->left->decl = g;
		else
			sema_error(sc->S, e->left->loc, "@probewrite needs a global variable");
		break;
	}
	default:
		if (e->left)
			rx(sc, e->left);
		if (e->right)
			rx(sc, e->right);
		if (e->cond)
			rx(sc, e->cond);
		break;
	}
}

static void rs(Scope *sc, Stmt *s)
{
	if (!s)
		return;
	switch ((StmtKind)s->kind) {
	case S_BLOCK:
		for (uint32_t i = 0; i < s->n; i++)
			rs(sc, s->stmts[i]);
		break;
	case S_FOREACH: {
		Foreach *f = s->foreach;
		for (int i = 0; i < f->nkeys; i++)
			resolve_scalar(sc, f->keys[i]);
		rx_array_base(sc, f->base, f->nkeys);
		if (f->slice)
			rx_list(sc, f->slice, (uint32_t)f->nkeys);
		if (f->value)
			resolve_scalar(sc, f->value);
		if (f->limit)
			rx(sc, f->limit);
		rs(sc, s->then);
		break;
	}
	case S_DELETE:
		if (s->expr->kind == E_INDEX) {
			rx_list(sc, s->expr->args, s->expr->n);
			rx_array_base(sc, s->expr->left, (int)s->expr->n);
		} else {
			rx(sc, s->expr);
		}
		break;
	default:
		if (s->expr)
			rx(sc, s->expr);
		if (s->cond)
			rx(sc, s->cond);
		if (s->incr)
			rx(sc, s->incr);
		rs(sc, s->then);
		rs(sc, s->els);
		break;
	}
}

void resolve_probe(Sema *S, DerivedProbe *dp)
{
	PtrVec locals = { 0 };
	Scope sc = { .S = S, .locals = &locals, .probe = dp };
	if (dp->cond) {
		Scope cs = sc;
		cs.cond = true;
		rx(&cs, dp->cond);
	}
	rs(&sc, dp->body);
	dp->locals = (VarDecl **)vec_finish(&locals, &dp->nlocals);
}

/* Overloads: every function of the call's name and arity, lowest :priority
 * first, then in declaration order. */
static int cmp_overload(const void *a, const void *b)
{
	const FuncDecl *x = *(FuncDecl *const *)a, *y = *(FuncDecl *const *)b;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return func_info(x)->order - func_info(y)->order;
}

static void bind_overloads(Sema *S)
{
	for (int i = 0; i < S->calls.n; i++) {
		Expr *e = S->calls.v[i];
		PtrVec found = { 0 };
		candidates(S, file_of_loc(e->loc), e->name, (int)e->n, &found);
		qsort(found.v, (size_t)found.n, sizeof(void *), cmp_overload);
		Overloads *g = func_info(found.v[0])->group;
		if (!g || g->n != found.n) {
			g = ANEW(&g_arena, Overloads);
			g->v = (FuncDecl **)vec_finish(&found, &g->n);
			for (int k = 0; k < g->n; k++) {
				func_info(g->v[k])->group = g;
				g->v[k]->next_overload = k + 1 < g->n ? g->v[k + 1] : NULL;
				queue_function(S, g->v[k]);
			}
		} else {
			free(found.v);
		}
		e->func = g->v[0];
	}
}

static void resolve_function(Sema *S, FuncDecl *f)
{
	FuncInfo *fi = func_info(f);
	Scope sc = { .S = S, .locals = &fi->locals, .func = f };
	rs(&sc, f->body);
}

void resolve_queued_functions(Sema *S)
{
	int done = 0;
	for (;;) {
		while (done < S->func_queue.n)
			resolve_function(S, S->func_queue.v[done++]);
		int before = S->func_queue.n;
		bind_overloads(S);
		if (S->func_queue.n == before)
			break;
	}
	S->func_queue.n = 0;
}
