/* The DWARF probe family: process(...)[.library("LIB")] followed by
 * .function, .statement, .mark, .provider().mark and .plt points, resolved
 * through the debuginfo layer (translate/debuginfo.h) into one
 * DerivedProbe per concrete address.
 *
 * This file registers the patterns, finds the process and libraries a
 * point names, and prints the points as -l and -p2 show them; the points
 * themselves are enumerated in probe_dwarf_points.c and their variables
 * resolved in probe_dwarf_vars.c. */
#include "translate/probe_dwarf.h"
#include "parse/arena.h"
#include "parse/intern.h"
#include "parse/unparse.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- registration ---- */

static const struct Spec {
	const char *pattern;
	int shape;
} specs[] = {
	{ "function(string)", DWK_FUNCTION },
	{ "function(string).call", DWK_FUNCTION | DWK_CALL },
	{ "function(string).inline", DWK_FUNCTION | DWK_INLINE },
	{ "function(string).exported", DWK_FUNCTION | DWK_EXPORTED },
	{ "function(string).return", DWK_FUNCTION | DWK_RETURN },
	{ "function(number)", DWK_FUNCTION | DWK_ADDR },
	{ "function(number).call", DWK_FUNCTION | DWK_ADDR | DWK_CALL },
	{ "function(number).exported", DWK_FUNCTION | DWK_ADDR | DWK_EXPORTED },
	{ "function(number).return", DWK_FUNCTION | DWK_ADDR | DWK_RETURN },
	{ "statement(string)", DWK_STATEMENT },
	{ "statement(string).nearest", DWK_STATEMENT | DWK_NEAREST },
	{ "statement(number)", DWK_STATEMENT | DWK_ADDR },
	{ "statement(number).nearest", DWK_STATEMENT | DWK_ADDR | DWK_NEAREST },
	{ "mark(string)", DWK_MARK },
	{ "provider(string).mark(string)", DWK_MARK | DWK_PROVIDER },
	{ "plt", DWK_PLT },
	{ "plt.return", DWK_PLT | DWK_RETURN },
	{ "plt(string)", DWK_PLT },
	{ "plt(string).return", DWK_PLT | DWK_RETURN },
	/* SystemTap's, which the debuginfo layer does not provide yet: they
	 * match, so the error can say so rather than "mismatch". */
	{ "function(string).label(string)", DWK_UNSUPPORTED },
	{ "function(string).callee(string)", DWK_UNSUPPORTED },
	{ "function(string).callee(string).call", DWK_UNSUPPORTED },
	{ "function(string).callee(string).return", DWK_UNSUPPORTED },
	{ "function(string).callees(number)", DWK_UNSUPPORTED },
};

void family_dwarf_register(MatchNode *root)
{
	static const char *const heads[] = { "process", "process(string)", "process(number)" };
	char pat[128];
	for (int h = 0; h < 3; h++)
		for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
			snprintf(pat, sizeof(pat), "%s.%s", heads[h], specs[k].pattern);
			match_add(root, pat, &family_dwarf, specs[k].shape);
			snprintf(pat, sizeof(pat), "%s.library(string).%s", heads[h], specs[k].pattern);
			match_add(root, pat, &family_dwarf, specs[k].shape | DWK_LIBRARY);
		}
}

/* ---- helpers for the point files ---- */

void dw_set_str(PPComponent *c, const char *s)
{
	c->arg_kind = PP_ARG_STRING;
	c->slen = (uint32_t)strlen(s);
	c->str = arena_strndup(&g_arena, s, c->slen);
}

const char *dw_point_text(const ProbePoint *pp)
{
	StrBuf b = { 0 };
	dw_print_point(pp, &b);
	const char *s = arena_strndup(&g_arena, sb_str(&b), b.len);
	sb_free(&b);
	return s;
}

void dw_error(DwMatch *w, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const ProbePoint *pp = w->proto->point;
	sema_error(w->S, pp->comps[w->spec].loc, "while resolving probe point %s: %s",
		   dw_point_text(pp), msg);
}

DerivedProbe *dw_new_probe(DwMatch *w, DwarfProbeKind k, uint64_t addr)
{
	DerivedProbe *dp = derived_clone(w->proto);
	DwProbe *d = ANEW(&g_arena, DwProbe);
	dp->data = d;
	dp->kind = (int)k;
	d->m = w->m;
	d->var_pc = addr;
	DwarfProbeData *p = &d->pub;
	p->kind = k;
	p->process = w->process;
	p->pid = w->pid;
	p->from_target = w->from_target;
	p->object = di_path(w->m);
	p->in_library = w->m != w->pm;
	p->shared = di_is_shared(w->m);
	p->load_base = di_load_base(w->m);
	p->addr = addr;
	p->offset = di_file_offset(w->m, addr);
	p->has_dwarf = di_has_dwarf(w->m);
	PPComponent *c = dp->point->comps;
	dw_set_str(&c[0], w->process);
	c[0].functor = intern("process", 7);
	if (w->lib_shown)
		dw_set_str(&c[1], w->lib_shown);
	vec_push(w->out, dp);
	return dp;
}

/* ---- which process ---- */

static const char *pid_executable(DwMatch *w, int64_t pid, Loc loc)
{
	char proc[64], real[PATH_MAX];
	if (pid <= 0 || pid > INT_MAX) {
		sema_error(w->S, loc, "while resolving probe point %s: invalid pid %lld",
			   dw_point_text(w->proto->point), (long long)pid);
		return NULL;
	}
	snprintf(proc, sizeof(proc), "/proc/%lld/exe", (long long)pid);
	ssize_t n = readlink(proc, real, sizeof(real) - 1);
	if (n < 0) {
		int e = errno;
		/* Another user's process: say so in stapusr's words rather than
		 * as the EACCES it also is. */
		struct stat st;
		snprintf(proc, sizeof(proc), "/proc/%lld", (long long)pid);
		if (w->S->s->privilege == PRIV_STAPUSR && stat(proc, &st) == 0 &&
		    st.st_uid != getuid()) {
			sema_error(w->S, loc, "probe point %s is not allowed for --privilege=stapusr: "
				   "the process belongs to another user",
				   dw_point_text(w->proto->point));
			return NULL;
		}
		sema_error(w->S, loc, "while resolving probe point %s: cannot probe pid %lld: %s",
			   dw_point_text(w->proto->point), (long long)pid,
			   kill((pid_t)pid, 0) != 0 && errno == ESRCH ? "No such process" :
			   strerror(e));
		return NULL;
	}
	real[n] = '\0';
	return arena_strndup(&g_arena, real, (size_t)n);
}

/* The first word of -c's command. */
static const char *command_name(const char *cmd)
{
	cmd += strspn(cmd, " \t");
	size_t n = strcspn(cmd, " \t");
	return arena_strndup(&g_arena, cmd, n);
}

static int find_process(DwMatch *w)
{
	Sema *S = w->S;
	const ProbePoint *pp = w->proto->point;
	const PPComponent *c = &pp->comps[0];
	if (c->arg_kind == PP_ARG_STRING) {
		w->process = process_find_executable(S, pp, c, c->str);
		return w->process ? 0 : -1;
	}
	if (c->arg_kind == PP_ARG_NUMBER) {
		w->pid = c->num;
		w->process = pid_executable(w, c->num, c->loc);
		return w->process ? 0 : -1;
	}
	/* process.function(...): the -c command's program or the -x process. */
	w->from_target = true;
	if (S->s->target_cmd && *command_name(S->s->target_cmd)) {
		w->process = process_find_executable(S, pp, c, command_name(S->s->target_cmd));
		return w->process ? 0 : -1;
	}
	if (S->s->target_pid) {
		w->pid = S->s->target_pid;
		w->process = pid_executable(w, S->s->target_pid, c->loc);
		return w->process ? 0 : -1;
	}
	sema_error(S, c->loc, "while resolving probe point %s: unspecified process probe is "
		   "invalid without a -c COMMAND or -x PID [man stapprobes]", dw_point_text(pp));
	return -1;
}

/* ---- expansion ---- */

static int expand_object(DwMatch *w)
{
	switch (w->shape & DWK_BASE) {
	case DWK_FUNCTION:
		return dw_expand_functions(w);
	case DWK_STATEMENT:
		return dw_expand_statements(w);
	case DWK_MARK:
		return dw_expand_marks(w);
	default:
		return dw_expand_plts(w);
	}
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int expand_libraries(DwMatch *w)
{
	const PPComponent *lc = &w->proto->point->comps[1];
	const char **libs;
	int n = di_match_libraries(w->pm, lc->str, &libs);
	if (n < 0) {
		dw_error(w, "%s", di_error(w->pm));
		return -1;
	}
	if (n == 0) {
		const char **needed;
		int nn = di_needed_libraries(w->pm, &needed);
		StrBuf b = { 0 };
		for (int i = 0; i < nn && i < 8; i++)
			sb_printf(&b, "%s%s", i ? ", " : "", needed[i]);
		sema_error(w->S, lc->loc, "while resolving probe point %s: no match%s%s%s",
			   dw_point_text(w->proto->point), b.len ? " (similar libraries: " : "",
			   sb_str(&b), b.len ? ")" : "");
		sb_free(&b);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *err = NULL;
		w->m = di_get(libs[i], &err);
		if (!w->m) {
			sema_error(w->S, lc->loc, "while resolving probe point %s: %s",
				   dw_point_text(w->proto->point), err);
			free(err);
			return -1;
		}
		w->lib_shown = has_wildcard(lc->str) ? libs[i] : lc->str;
		if (expand_object(w) < 0)
			return -1;
	}
	return 0;
}


/* " (similar functions: a, b)": names close to the one the point asked
 * for, SystemTap's wording. */
static void similar(StrBuf *b, const char *what, const char *name, const char *const *cands,
		    int n)
{
	if (!name || !*name || has_wildcard(name))
		return;
	StrBuf t = { 0 };
	suggest(&t, name, cands, n);
	if (t.len)
		sb_printf(b, " (similar %s: %s", what, sb_str(&t) + strlen(" (similar: "));
	sb_free(&t);
}

static void no_match(DwMatch *w)
{
	const ProbePoint *pp = w->proto->point;
	DiModule *m = w->m ? w->m : w->pm;
	StrBuf b = { 0 };
	int base = w->shape & DWK_BASE;
	if (w->skipped_inline.n) {
		/* SystemTap's warning, then its error: the only matches were
		 * inlined, and inlined code has no return to probe. */
		StrBuf names = { 0 };
		int unique = 0;
		for (int i = 0; i < w->skipped_inline.n; i++) {
			bool dup = false;
			for (int k = 0; k < i && !dup; k++)
				dup = !strcmp(w->skipped_inline.v[k], w->skipped_inline.v[i]);
			if (dup)
				continue;
			unique++;
			if (names.len <= 80)
				sb_printf(&names, "%s%s", names.len ? " " : "",
					  (const char *)w->skipped_inline.v[i]);
			else if (names.s[names.len - 1] != '.')
				sb_puts(&names, " ...");
		}
		sema_warn(w->S, pp->comps[w->spec].loc, "cannot probe .return of %d inlined "
			  "function%s %s", unique, unique == 1 ? "" : "s", sb_str(&names));
		sb_free(&names);
	}
	if (base == DWK_FUNCTION && !(w->shape & DWK_ADDR)) {
		const char **names;
		int nn = di_function_names(m, &names);
		const char *pat = pp->comps[w->spec].str;
		char *name = arena_strndup(&g_arena, pat, strcspn(pat, "@:+"));
		similar(&b, "functions", name, names, nn);
	} else if (base == DWK_MARK) {
		DiMarks ms;
		const char *pat = pp->comps[w->spec + !!(w->shape & DWK_PROVIDER)].str;
		if (di_marks(m, NULL, "*", &ms) > 0) {
			const char **names = ANEWN(&g_arena, const char *, ms.n);
			for (int i = 0; i < ms.n; i++)
				names[i] = ms.v[i].name;
			similar(&b, "marks", pat, names, ms.n);
		}
	} else if (base == DWK_PLT && pp->comps[w->spec].arg_kind == PP_ARG_STRING) {
		DiPlts ps;
		if (di_plts(m, "*", &ps) > 0) {
			const char **names = ANEWN(&g_arena, const char *, ps.n);
			for (int i = 0; i < ps.n; i++)
				names[i] = ps.v[i].name;
			similar(&b, "functions", pp->comps[w->spec].str, names, ps.n);
		}
	}
	dw_error(w, "no match%s", sb_str(&b));
	sb_free(&b);
}

static int expand(Sema *S, DerivedProbe *proto, PtrVec *out)
{
	DwMatch w = { .S = S, .proto = proto, .shape = proto->kind, .out = out };
	w.spec = proto->kind & DWK_LIBRARY ? 2 : 1;
	if ((w.shape & DWK_BASE) == DWK_UNSUPPORTED) {
		const PPComponent *c = &proto->point->comps[w.spec + 1];
		sema_error(S, c->loc, "while resolving probe point %s: .%s probes are not "
			   "supported", dw_point_text(proto->point), c->functor);
		return -1;
	}
	if (find_process(&w) < 0)
		return -1;
	char *err = NULL;
	w.pm = di_get(w.process, &err);
	if (!w.pm) {
		sema_error(S, proto->point->comps[0].loc, "while resolving probe point %s: %s",
			   dw_point_text(proto->point), err);
		free(err);
		return -1;
	}
	int before = out->n;
	int rc;
	if (w.shape & DWK_LIBRARY) {
		rc = expand_libraries(&w);
	} else {
		w.m = w.pm;
		rc = expand_object(&w) < 0 ? -1 : 0;
	}
	if (rc == 0 && out->n == before)
		no_match(&w);
	free(w.skipped_inline.v);
	if (rc < 0 || out->n == before) {
		out->n = before;
		return -1;
	}
	return out->n - before;
}

/* ---- what -l, -L and -p2 show ---- */

static bool addr_functor(const char *f)
{
	return !strcmp(f, "function") || !strcmp(f, "statement");
}

void dw_print_point(const ProbePoint *pp, StrBuf *b)
{
	for (int i = 0; i < pp->ncomps; i++) {
		const PPComponent *c = &pp->comps[i];
		if (i)
			sb_putc(b, '.');
		sb_puts(b, c->functor);
		if (c->arg_kind == PP_ARG_NUMBER) {
			if (addr_functor(c->functor))
				sb_printf(b, "(0x%" PRIx64 ")", (uint64_t)c->num);
			else
				sb_printf(b, "(%" PRId64 ")", c->num);
		} else if (c->arg_kind == PP_ARG_STRING) {
			sb_putc(b, '(');
			sb_put_quoted(b, c->str, c->slen);
			sb_putc(b, ')');
		}
	}
}

static void print_point(const DerivedProbe *dp, StrBuf *b)
{
	const DwProbe *d = dw_probe(dp);
	if (!d->listed) {
		dw_print_point(dp->point, b);
		return;
	}
	ProbePoint pp = *dp->point;
	pp.comps = ANEWN(&g_arena, PPComponent, pp.ncomps);
	memcpy(pp.comps, dp->point->comps, sizeof(PPComponent) * (size_t)pp.ncomps);
	for (int i = 0; i < pp.ncomps; i++)
		if (!strcmp(pp.comps[i].functor, "statement"))
			dw_set_str(&pp.comps[i], d->listed);
	dw_print_point(&pp, b);
}

/* The point -p2 shows after "<-": a library by its real path. */
static ProbePoint *derived_point(const DerivedProbe *dp)
{
	const DwProbe *d = dw_probe(dp);
	const DerivedProbe *src = d->pub.kind == DWP_ENTRY ? d->pub.ret : dp;
	ProbePoint *pp = ANEW(&g_arena, ProbePoint);
	*pp = *src->point;
	pp->comps = ANEWN(&g_arena, PPComponent, pp->ncomps);
	memcpy(pp->comps, src->point->comps, sizeof(PPComponent) * (size_t)pp->ncomps);
	if (d->pub.in_library && pp->ncomps > 1 && !strcmp(pp->comps[1].functor, "library"))
		dw_set_str(&pp->comps[1], d->pub.object);
	return pp;
}

/* The point as -p2 names the probe before "pc=": library probes under
 * the library's own name, .function(ADDR) with the address written, the
 * entry half of a return probe as .call. */
static ProbePoint *shown_point(const DerivedProbe *dp)
{
	const DwProbe *d = dw_probe(dp);
	ProbePoint *pp = ANEW(&g_arena, ProbePoint);
	const ProbePoint *src = d->pub.kind == DWP_ENTRY ? d->pub.ret->point : dp->point;
	pp->comps = ANEWN(&g_arena, PPComponent, src->ncomps + 1);
	int n = 0;
	for (int i = 0; i < src->ncomps; i++) {
		PPComponent c = src->comps[i];
		if (!strcmp(c.functor, "library"))
			continue;
		if (i == 0 && d->pub.in_library)
			dw_set_str(&c, d->pub.object);
		if (d->addr_written && !strcmp(c.functor, "function") &&
		    c.arg_kind == PP_ARG_NUMBER)
			c.num = (int64_t)d->written_addr;
		if (d->pub.kind == DWP_ENTRY && !strcmp(c.functor, "return")) {
			if (d->pub.ret->kind == DWP_PLT_RETURN)
				continue;
			c.functor = intern("call", 4);
		}
		/* Where the probe went: the point's line, not "nearest" it. */
		if (!strcmp(c.functor, "nearest"))
			continue;
		pp->comps[n++] = c;
	}
	pp->ncomps = n;
	return pp;
}

/* SystemTap's layout: the point, where the probe goes (relative to the
 * object: ".dynamic" for ET_DYN files, ".absolute" from the load base for
 * fixed-address programs), and the point it derives from. */
static void p2_header(const DerivedProbe *dp, StrBuf *b)
{
	const DwProbe *d = dw_probe(dp);
	const DwarfProbeData *p = &d->pub;
	dw_print_point(shown_point(dp), b);
	if (dp->optional)
		sb_putc(b, '?');
	if (dp->sufficient)
		sb_putc(b, '!');
	if (dp->cond) {
		sb_puts(b, " if (");
		unparse_expr(b, dp->cond);
		sb_putc(b, ')');
	}
	if (p->shared)
		sb_printf(b, " /* pc=.dynamic+0x%" PRIx64 " */", p->addr);
	else
		sb_printf(b, " /* pc=.absolute+0x%" PRIx64 " */", p->addr - p->load_base);
	sb_puts(b, " /* <- ");
	dw_print_point(derived_point(dp), b);
	if (dp->optional)
		sb_putc(b, '?');
	if (dp->sufficient)
		sb_putc(b, '!');
	sb_puts(b, " */");
}

/* -p2 -vv: what pass 3 gets, for people and tests to check. */
static void p2_details(const DerivedProbe *dp, StrBuf *b)
{
	static const char *const kinds[] = {
		[DWP_FUNCTION] = "function", [DWP_FUNCTION_RETURN] = "return",
		[DWP_STATEMENT] = "statement", [DWP_MARK] = "mark", [DWP_PLT] = "plt",
		[DWP_PLT_RETURN] = "plt.return", [DWP_ENTRY] = "entry",
	};
	const DwarfProbeData *p = dp->data;
	sb_printf(b, "  # dwarf: kind=%s process=%s", kinds[p->kind], p->process);
	if (p->pid)
		sb_printf(b, " pid=%lld", (long long)p->pid);
	sb_printf(b, " object=%s addr=0x%" PRIx64 " offset=0x%" PRIx64 " %s load_base=0x%" PRIx64,
		  p->object, p->addr, p->offset, p->shared ? "shared" : "fixed", p->load_base);
	if (p->function)
		sb_printf(b, " function=%s", p->function);
	if (p->decl_file)
		sb_printf(b, "@%s:%d", p->decl_file, p->decl_line);
	if (p->inlined)
		sb_puts(b, " inlined");
	if (dw_armed_at_entry(dp))
		sb_printf(b, " armed=0x%" PRIx64 "(entry)", dw_armed_addr(dp));
	if (!p->has_dwarf)
		sb_puts(b, " nodwarf");
	if (p->kind == DWP_MARK)
		sb_printf(b, " provider=%s", p->provider);
	if (p->name)
		sb_printf(b, " name=%s", p->name);
	if (p->semaphore)
		sb_printf(b, " semaphore=0x%" PRIx64 " semaphore_offset=0x%" PRIx64, p->semaphore,
			  p->semaphore_offset);
	if (p->kind == DWP_MARK) {
		sb_printf(b, " args=%d", p->nargs);
		for (int i = 0; i < p->nargs; i++)
			sb_printf(b, "%s%s", i ? "," : ":", p->arg_specs[i]);
	}
	if (p->nsaves)
		sb_printf(b, " saves=%d", p->nsaves);
	if (p->kind == DWP_ENTRY)
		sb_printf(b, " for=%d", p->ret->index);
	sb_putc(b, '\n');
}

static void list_vars(const DerivedProbe *dp, StrBuf *out)
{
	DwProbe *d = dw_probe(dp);
	const DwarfProbeData *p = &d->pub;
	switch (p->kind) {
	case DWP_MARK:
		for (int i = 1; i <= p->nargs; i++)
			sb_printf(out, " $arg%d:long", i);
		return;
	case DWP_FUNCTION: case DWP_FUNCTION_RETURN: case DWP_STATEMENT: {
		if (!d->has_func || !d->func.has_dwarf)
			return;
		char *err = NULL;
		char *vars = l2c_listing(d->m, &d->func, d->var_pc,
					 p->kind == DWP_FUNCTION_RETURN, &err);
		if (vars && *vars)
			sb_printf(out, " %s", vars);
		free(vars);
		free(err);
		return;
	}
	default:
		return;
	}
}

/* stapusr may probe its own processes only: process(PID) and -x must be
 * the user's; for a path, the runtime attaches to the user's processes
 * running it and to no other. */
static const char *unprivileged_denied(const DerivedProbe *dp)
{
	const DwarfProbeData *p = dp->data;
	if (!p->pid)
		return NULL;
	char proc[64];
	struct stat st;
	snprintf(proc, sizeof(proc), "/proc/%lld", (long long)p->pid);
	if (stat(proc, &st) != 0 || st.st_uid != getuid())
		return "the process belongs to another user";
	return NULL;
}

const ProbeFamily family_dwarf = {
	.name = "dwarf",
	.expand = expand,
	.list_vars = list_vars,
	.unprivileged_denied = unprivileged_denied,
	.print_point = print_point,
	.p2_header = p2_header,
	.p2_details = p2_details,
	.emit_decls = dwarf_emit_decls,
	.emit_init = dwarf_emit_init,
	.emit_started = dwarf_emit_started,
	.emit_exit = dwarf_emit_exit,
	.emit_handler = emit_dwarf_handler,
	/* Armed after the process family, so disarmed before it: the
	 * breakpoints go before the utrace engines they ride on. */
	.order = 1,
	.uses_utrace = true,
};
