/* process[("PATH"|PID)].{begin,end,thread.begin,thread.end,syscall,
 * syscall.return}: the utrace-based process probes.
 *
 * A PATH without '/' is looked up in $PATH like a shell does, and symlinks
 * are followed, so process("true") and process("/bin/true") both name
 * /usr/bin/true here; the point keeps the real path.  A PID must exist
 * when the script is translated. */
#include "translate/sema.h"
#include "translate/codegen.h"
#include "parse/arena.h"
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const event_names[] = {
	[PROC_BEGIN] = "begin", [PROC_END] = "end",
	[PROC_THREAD_BEGIN] = "thread.begin", [PROC_THREAD_END] = "thread.end",
	[PROC_SYSCALL] = "syscall", [PROC_SYSCALL_RETURN] = "syscall.return",
};

/* "ls" -> the first executable "DIR/ls" along $PATH. */
static bool search_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		snprintf(out, size, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", name);
		struct stat st;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return true;
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

const char *process_find_executable(Sema *S, const ProbePoint *pp, const PPComponent *c,
				    const char *name)
{
	char found[PATH_MAX], real[PATH_MAX];
	const char *where = point_text(pp);
	const char *path = name;
	if (!strchr(name, '/')) {
		if (!search_path(name, found, sizeof(found))) {
			sema_error(S, c->loc, "while resolving probe point %s: cannot find "
				   "executable '%s' (not in $PATH)", where, name);
			return NULL;
		}
		path = found;
	}
	if (!realpath(path, real)) {
		sema_error(S, c->loc, "while resolving probe point %s: cannot find executable "
			   "'%s': %s", where, name, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		sema_error(S, c->loc, "while resolving probe point %s: '%s' is not an "
			   "executable file", where, real);
		return NULL;
	}
	return arena_strndup(&g_arena, real, strlen(real));
}

static int resolve_path(Sema *S, DerivedProbe *dp, PPComponent *c, ProcessData *d)
{
	const char *real = process_find_executable(S, dp->point, c, c->str);
	if (!real)
		return -1;
	d->target = PROC_PATH;
	d->path = real;
	c->str = d->path;
	c->slen = (uint32_t)strlen(real);
	return 0;
}

static int build(Sema *S, DerivedProbe *dp)
{
	ProcessData *d = ANEW(&g_arena, ProcessData);
	dp->data = d;
	PPComponent *c = &dp->point->comps[0];
	if (c->arg_kind == PP_ARG_STRING)
		return resolve_path(S, dp, c, d);
	if (c->arg_kind == PP_ARG_NUMBER) {
		d->target = PROC_PID;
		d->pid = c->num;
		if (c->num <= 0 || c->num > INT_MAX) {
			sema_error(S, c->loc, "while resolving probe point %s: invalid pid %lld",
				   point_text(dp->point), (long long)c->num);
			return -1;
		}
		if (kill((pid_t)c->num, 0) != 0 && errno == ESRCH) {
			sema_error(S, c->loc, "while resolving probe point %s: cannot probe pid "
				   "%lld: No such process", point_text(dp->point), (long long)c->num);
			return -1;
		}
		return 0;
	}
	d->target = PROC_ANY;
	return 0;
}

/* ---- context variables ---- */

static const CtxVar v_syscall = { "$syscall", TY_LONG, CTX_SYSCALL_NR, 0 };
static const CtxVar v_return = { "$return", TY_LONG, CTX_SYSCALL_RETURN, 0 };
static const CtxVar v_parms = { "$$parms", TY_STRING, CTX_SYSCALL_PARMS, 0 };
static const CtxVar v_args[6] = {
	{ "$arg1", TY_LONG, CTX_SYSCALL_ARG, 1 }, { "$arg2", TY_LONG, CTX_SYSCALL_ARG, 2 },
	{ "$arg3", TY_LONG, CTX_SYSCALL_ARG, 3 }, { "$arg4", TY_LONG, CTX_SYSCALL_ARG, 4 },
	{ "$arg5", TY_LONG, CTX_SYSCALL_ARG, 5 }, { "$arg6", TY_LONG, CTX_SYSCALL_ARG, 6 },
};

static const char *offered(int kind)
{
	if (kind == PROC_SYSCALL)
		return "$syscall, $arg1 to $arg6 and $$parms";
	if (kind == PROC_SYSCALL_RETURN)
		return "$syscall and $return";
	return NULL;
}

static const CtxVar *target(Sema *S, DerivedProbe *dp, Expr *e, bool quiet)
{
	const char *n = e->name;
	const CtxVar *v = NULL;
	bool is_arg = !strncmp(n, "$arg", 4) && n[4] >= '0' && n[4] <= '9';
	if (!strcmp(n, "$syscall"))
		v = &v_syscall;
	else if (dp->kind == PROC_SYSCALL_RETURN && !strcmp(n, "$return"))
		v = &v_return;
	else if (dp->kind == PROC_SYSCALL && !strcmp(n, "$$parms"))
		v = &v_parms;
	else if (dp->kind == PROC_SYSCALL && is_arg) {
		char *end;
		long k = strtol(n + 4, &end, 10);
		if (*end || k < 1 || k > 6) {
			if (!quiet)
				sema_error(S, e->loc, "invalid syscall argument number in '%s' "
					   "(1 to 6)", n);
			return NULL;
		}
		v = &v_args[k - 1];
	}
	const char *has = offered(dp->kind);
	if (v && !has)
		v = NULL;
	if (!v) {
		if (quiet)
			return NULL;
		if (has)
			sema_error(S, e->loc, "invalid target variable '%s' in process.%s probes: "
				   "they offer %s", n, event_names[dp->kind], has);
		else
			sema_error(S, e->loc, "invalid target variable '%s': process.%s probes "
				   "offer no target variables ($syscall and friends are in "
				   ".syscall and .syscall.return)", n, event_names[dp->kind]);
		return NULL;
	}
	if (quiet)
		return v;
	if (e->n) {
		sema_error(S, e->comps[0].loc, "'%s' is a %s: it has no members or elements",
			   n, type_name(v->type));
		return NULL;
	}
	if (e->flags & EXPR_ADDR_OF) {
		sema_error(S, e->loc, "cannot take the address of '%s': it is a value, "
			   "not in memory", n);
		return NULL;
	}
	if (e->flags & (EXPR_PRETTY | EXPR_PRETTY_DEEP)) {
		sema_error(S, e->loc, "'%s' cannot be pretty-printed with '$': it is a %s",
			   n, type_name(v->type));
		return NULL;
	}
	return v;
}

static void list_vars(const DerivedProbe *dp, StrBuf *out)
{
	if (dp->kind != PROC_SYSCALL && dp->kind != PROC_SYSCALL_RETURN)
		return;
	sb_puts(out, " $syscall:long");
	if (dp->kind == PROC_SYSCALL)
		for (int i = 1; i <= 6; i++)
			sb_printf(out, " $arg%d:long", i);
	else
		sb_puts(out, " $return:long");
}

static const char *unprivileged_denied(const DerivedProbe *dp)
{
	const ProcessData *d = dp->data;
	if (d->target != PROC_PID)
		return NULL;	/* the runtime attaches only to the user's own */
	char proc[64];
	struct stat st;
	snprintf(proc, sizeof(proc), "/proc/%lld", (long long)d->pid);
	if (stat(proc, &st) != 0 || st.st_uid != getuid())
		return "the process belongs to another user";
	return NULL;
}

/* ---- pass 3: one table for runtime/utrace-probes.h ---- */

static const char *const tf_events[] = {
	[PROC_BEGIN] = "STP_TF_BEGIN", [PROC_END] = "STP_TF_END",
	[PROC_THREAD_BEGIN] = "STP_TF_THREAD_BEGIN", [PROC_THREAD_END] = "STP_TF_THREAD_END",
	[PROC_SYSCALL] = "STP_TF_SYSCALL", [PROC_SYSCALL_RETURN] = "STP_TF_SYSCALL_RETURN",
};

/* `if ($syscall == A || $syscall == B ...) ...` with no else as a whole
 * body does nothing for any other syscall, so the probe need not see
 * them: the runtime then stops a -c target only on A, B ... (its seccomp
 * filter) instead of on every syscall.  Collects the numbers into nrs;
 * false when the expression is not of that form. */
static bool syscall_set(const Expr *e, int *nrs, int *n, int max)
{
	if (e->kind == E_LOGICAL && e->op == OP_OROR)
		return syscall_set(e->left, nrs, n, max) && syscall_set(e->right, nrs, n, max);
	if (e->kind != E_COMPARE || e->op != OP_EQ || *n == max)
		return false;
	const Expr *t = e->left, *k = e->right;
	if (t->kind == E_NUMBER) {
		t = e->right;
		k = e->left;
	}
	const CtxVar *v = t->kind == E_TARGET ? t->sema : NULL;
	if (!v || v->access != CTX_SYSCALL_NR || k->kind != E_NUMBER || k->num < 0 ||
	    k->num > 4095)
		return false;
	nrs[(*n)++] = (int)k->num;
	return true;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The syscalls a probe's body can act on, ascending, or 0 for all. */
static int narrowed(const DerivedProbe *dp, int *nrs, int max)
{
	const Stmt *b = dp->body;
	int n = 0;
	if (dp->cond || (dp->kind != PROC_SYSCALL && dp->kind != PROC_SYSCALL_RETURN))
		return 0;
	while (b && b->kind == S_BLOCK && b->n == 1)
		b = b->stmts[0];
	if (!b || b->kind != S_IF || b->els || !syscall_set(b->cond, nrs, &n, max))
		return 0;
	qsort(nrs, (size_t)n, sizeof(*nrs), cmp_int);
	int u = 0;
	for (int i = 0; i < n; i++)
		if (!u || nrs[u - 1] != nrs[i])
			nrs[u++] = nrs[i];
	return u;
}

/* Only a .syscall.return probe asks utrace for syscall exits: without
 * one the layer leaves the sys_exit tracepoint alone, which a traced
 * syscall would otherwise pay for on its way out (doc/kernel-runtime.md). */
void emit_utrace_include(Codegen *g)
{
	bool exits = false;
	for (int i = 0; i < g->p->nprobes; i++)
		exits |= g->p->probes[i]->family == &family_process &&
			 g->p->probes[i]->kind == PROC_SYSCALL_RETURN;
	cg_printf(g, SEC_EMBED, "\n#if defined(__KERNEL__) && !defined(STP_UTRACE_INCLUDED)\n"
		  "#define STP_UTRACE_INCLUDED\n%s#include \"linux/utrace.c\"\n#endif\n",
		  exits ? "" : "#define UTRACE_NO_SYSCALL_EXIT\n");
}

static void emit_decls(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	for (int i = 0; i < n; i++) {
		int nrs[16], k = narrowed(probes[i], nrs, 16);
		if (!k)
			continue;
		cg_printf(g, SEC_FAMILY, "static const int %s_syscalls[] = {", probe_cname(probes[i]));
		for (int j = 0; j < k; j++)
			cg_printf(g, SEC_FAMILY, "%s%d", j ? ", " : " ", nrs[j]);
		cg_printf(g, SEC_FAMILY, " };\n");
	}
	/* Before the handlers, which call its accessors. */
	emit_utrace_include(g);
	cg_printf(g, SEC_EMBED, "#include \"utrace-probes.c\"\n");
	cg_printf(g, SEC_FAMILY, "\nstatic const struct stp_utrace_probe stp_utrace_probes[] = {\n");
	for (int i = 0; i < n; i++) {
		const ProcessData *d = probes[i]->data;
		const char *ev = tf_events[probes[i]->kind];
		const char *name = probe_cname(probes[i]);
		int nrs[16], k = narrowed(probes[i], nrs, 16);
		const char *only = k ? cg_fmt(", .syscalls = %s_syscalls, .nsyscalls = %d", name, k)
				     : "";
		if (d->target == PROC_PATH)
			cg_printf(g, SEC_FAMILY, "\t{ &%s_desc, %s, STP_TF_PATH, .path = %s%s },\n",
				  name, ev, cg_quote(d->path, strlen(d->path)), only);
		else if (d->target == PROC_PID)
			cg_printf(g, SEC_FAMILY, "\t{ &%s_desc, %s, STP_TF_PID, .pid = %lld%s },\n",
				  name, ev, (long long)d->pid, only);
		else
			cg_printf(g, SEC_FAMILY, "\t{ &%s_desc, %s, STP_TF_ANY, .pid = 0%s },\n", name,
				  ev, only);
	}
	cg_printf(g, SEC_FAMILY, "};\n");
}

/* Reports of processes that already run come at once. */
static void emit_started(void *codegen, DerivedProbe **probes, int n)
{
	(void)probes;
	cg_printf(cg_of(codegen), SEC_LIFE, "\trc = stp_utrace_probes_start(stp_utrace_probes, %d);\n"
		  "\tif (rc)\n\t\tgoto fail;\n", n);
}

static void emit_exit(void *codegen, DerivedProbe **probes, int n)
{
	(void)probes;
	(void)n;
	/* stp_utrace_exit follows every family's exit (emit_probe.c). */
	cg_printf(cg_of(codegen), SEC_LIFE, "\tstp_utrace_probes_stop();\n");
}

const ProbeFamily family_process = {
	.name = "process",
	.build = build,
	.target = target,
	.list_vars = list_vars,
	.unprivileged_denied = unprivileged_denied,
	.emit_decls = emit_decls,
	.emit_exit = emit_exit,
	.emit_started = emit_started,
	.uses_utrace = true,
};

void family_process_register(MatchNode *root)
{
	static const char *const heads[] = { "process", "process(string)", "process(number)" };
	char pat[64];
	for (int h = 0; h < 3; h++)
		for (int k = PROC_BEGIN; k <= PROC_SYSCALL_RETURN; k++) {
			snprintf(pat, sizeof(pat), "%s.%s", heads[h], event_names[k]);
			match_add(root, pat, &family_process, k);
		}
}
