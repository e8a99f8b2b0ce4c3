/* dwquery: the debuginfo layer (translate/debuginfo.h, loc2c.h) on the
 * command line, for the stap.dwarf tests and for looking at a program.
 *
 *   dwquery FILE functions PATTERN        matches, one a line:
 *       NAME FILE:LINE entry=0x.. addr=0x.. [inline] [external] [symbol]
 *   dwquery FILE function-at ADDR
 *   dwquery FILE statements PATTERN [nearest]
 *       NAME FILE:LINE addr=0x..
 *   dwquery FILE statement-at ADDR
 *   dwquery FILE marks [PROVIDER] NAME
 *       PROVIDER NAME addr=0x.. sem=0x.. args=N: ARG...
 *   dwquery FILE plt PATTERN              NAME addr=0x..
 *   dwquery FILE libraries [PATTERN]      one real path a line
 *   dwquery FILE names                    every function name
 *   dwquery FILE info                     has DWARF, where from, type
 *   dwquery FILE list PATTERN [return]    -L lines for .function(PATTERN)
 *   dwquery FILE list-statements PATTERN  -L lines for .statement(PATTERN)
 *   dwquery FILE vars PATTERN|ADDR        the variables in scope, with types
 *   dwquery FILE access PATTERN|ADDR EXPR [return]   the C for a $expression
 *   dwquery FILE mark-access [PROVIDER] NAME N    the C for $argN of a marker
 *   dwquery FILE sdt-arg TEXT             how an SDT argument string parses
 *   dwquery FILE resolve PATTERN [EXPR...]   what pass 2 does for
 *       .function(PATTERN) { EXPR... }: match, then translate each EXPR at
 *       each probe; prints the counts (for bench/debuginfo-bench.sh)
 *
 * Exit status: 0 with results, 1 on an error (the message on stderr),
 * 2 on a bad command line, 3 when nothing matched. */
#include "translate/debuginfo.h"
#include "translate/loc2c.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include "parse/parser.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: dwquery FILE COMMAND [ARGS] (see the source for commands)\n");
	return 2;
}

static bool parse_addr(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || (s[0] == '-'))
		return false;
	*out = strtoull(s, &end, 0);
	return *end == '\0';
}

static void print_func(const DiFunc *f)
{
	if (f->has_dwarf)
		printf("%s %s:%d", f->name, f->file ? f->file : "?", f->line);
	else
		printf("%s -", f->name);
	printf(" entry=%#" PRIx64 " addr=%#" PRIx64, f->entry, f->addr);
	if (f->inlined)
		printf(" inline");
	if (f->external)
		printf(" external");
	if (!f->has_dwarf)
		printf(" symbol");
	printf("\n");
}

static int fail(DiModule *m)
{
	fprintf(stderr, "dwquery: %s\n", di_error(m));
	return 1;
}

static int cmd_functions(DiModule *m, const char *pat)
{
	DiFuncs fs;
	if (di_functions(m, pat, &fs) < 0)
		return fail(m);
	for (int i = 0; i < fs.n; i++)
		print_func(&fs.v[i]);
	return fs.n ? 0 : 3;
}

static void print_stmt(const DiStmt *s)
{
	printf("%s %s:%d addr=%#" PRIx64 "%s\n", s->func.name, s->file, s->line, s->addr,
	       s->func.inlined ? " inline" : "");
}

static int cmd_statements(DiModule *m, const char *pat, bool nearest)
{
	DiStmts ss;
	if (di_statements(m, pat, nearest, &ss) < 0)
		return fail(m);
	for (int i = 0; i < ss.n; i++)
		print_stmt(&ss.v[i]);
	return ss.n ? 0 : 3;
}

static int cmd_marks(DiModule *m, const char *prov, const char *name)
{
	DiMarks ms;
	if (di_marks(m, prov, name, &ms) < 0)
		return fail(m);
	for (int i = 0; i < ms.n; i++) {
		const DiMark *k = &ms.v[i];
		printf("%s %s addr=%#" PRIx64 " sem=%#" PRIx64 " args=%d:", k->provider, k->name,
		       k->addr, k->semaphore, k->nargs);
		for (int a = 0; a < k->nargs; a++)
			printf(" %s", k->arg[a].text);
		printf("\n");
	}
	return ms.n ? 0 : 3;
}

static int cmd_plt(DiModule *m, const char *pat)
{
	DiPlts ps;
	if (di_plts(m, pat, &ps) < 0)
		return fail(m);
	for (int i = 0; i < ps.n; i++)
		printf("%s addr=%#" PRIx64 "\n", ps.v[i].name, ps.v[i].addr);
	return ps.n ? 0 : 3;
}

static int cmd_libraries(DiModule *m, const char *pat)
{
	const char **libs;
	int n = pat ? di_match_libraries(m, pat, &libs) : di_needed_libraries(m, &libs);
	if (n < 0)
		return fail(m);
	for (int i = 0; i < n; i++)
		printf("%s\n", libs[i]);
	return n ? 0 : 3;
}

/* The probe locations a PATTERN or ADDR names, as .function probes. */
static int locations(DiModule *m, const char *what, DiFuncs *fs)
{
	uint64_t addr;
	if (parse_addr(what, &addr)) {
		static DiFunc one;
		DiStmt s;
		if (di_statement_at(m, addr, &s) < 0)
			return -1;
		one = s.func;
		one.addr = addr;
		fs->v = &one;
		fs->n = 1;
		return 1;
	}
	return di_functions(m, what, fs);
}

static int cmd_list(DiModule *m, const char *pat, bool ret)
{
	DiFuncs fs;
	if (di_functions(m, pat, &fs) < 0)
		return fail(m);
	for (int i = 0; i < fs.n; i++) {
		const DiFunc *f = &fs.v[i];
		if (ret && (f->inlined || !f->has_dwarf))
			continue;
		char *err = NULL;
		char *vars = l2c_listing(m, f, f->addr, ret, &err);
		if (f->has_dwarf)
			printf("process(\"%s\").function(\"%s@%s:%d\")%s", di_path(m), f->name,
			       f->file, f->line, ret ? ".return" : "");
		else
			printf("process(\"%s\").function(\"%s\")%s", di_path(m), f->name,
			       ret ? ".return" : "");
		printf("%s%s\n", vars && *vars ? " " : "", vars ? vars : "");
		if (err)
			fprintf(stderr, "dwquery: %s\n", err);
		free(vars);
		free(err);
	}
	return fs.n ? 0 : 3;
}

static int cmd_list_statements(DiModule *m, const char *pat)
{
	DiStmts ss;
	if (di_statements(m, pat, false, &ss) < 0)
		return fail(m);
	for (int i = 0; i < ss.n; i++) {
		const DiStmt *st = &ss.v[i];
		char *err = NULL;
		char *vars = l2c_listing(m, &st->func, st->addr, false, &err);
		printf("process(\"%s\").statement(\"%s@%s:%d\")%s%s\n", di_path(m), st->func.name,
		       st->file, st->line, vars && *vars ? " " : "", vars ? vars : "");
		if (err)
			fprintf(stderr, "dwquery: %s\n", err);
		free(vars);
		free(err);
	}
	return ss.n ? 0 : 3;
}

static int cmd_vars(DiModule *m, const char *what)
{
	DiFuncs fs;
	if (locations(m, what, &fs) < 0)
		return fail(m);
	for (int i = 0; i < fs.n; i++) {
		char *err = NULL;
		L2cScope *s = l2c_scope(m, &fs.v[i], fs.v[i].addr, false, &err);
		if (!s) {
			fprintf(stderr, "dwquery: %s\n", err);
			free(err);
			return 1;
		}
		const L2cVar *v;
		int n = l2c_vars(s, L2C_PARAMS | L2C_LOCALS | L2C_UNAVAILABLE, &v);
		printf("%s pc=%#" PRIx64 "\n", fs.v[i].name, fs.v[i].addr);
		for (int k = 0; k < n; k++)
			printf("  %s %s %s%s\n", v[k].is_param ? "param" : "local", v[k].name,
			       v[k].type, v[k].available ? "" : " (unavailable)");
		l2c_scope_free(s);
	}
	return fs.n ? 0 : 3;
}

static const char *config_none(const char *name)
{
	(void)name;
	return NULL;
}

/* Parses EXPR as a script expression: "probe begin { __x = EXPR }". */
static Expr *parse_expr(const char *text)
{
	size_t len = strlen(text) + 64;
	char *script = malloc(len);
	snprintf(script, len, "probe begin { __x = %s }", text);
	PPContext ctx = {
		.kernel_v = "6.1.0", .kernel_vr = "6.1.0-50-amd64", .arch = "x86_64",
		.runtime = "kernel", .systemtap_v = "4.8", .privilege = "stapdev",
		.config = config_none,
	};
	ParseOptions opts = { .ctx = &ctx, .privileged = true };
	SrcFile *src = src_from_string("<expr>", script, strlen(script));
	free(script);	/* the source keeps its own copy */
	StapFile *f = parse_file(src, &opts);
	if (diag_error_count() || !f || f->nprobes != 1)
		return NULL;
	Stmt *body = f->probes[0]->body;
	if (!body || body->kind != S_BLOCK || body->n != 1 || body->stmts[0]->kind != S_EXPR)
		return NULL;
	Expr *e = body->stmts[0]->expr;
	return e && e->kind == E_ASSIGN ? e->right : NULL;
}

static int cmd_access(DiModule *m, const char *what, const char *text, bool ret)
{
	Expr *e = parse_expr(text);
	if (!e) {
		fprintf(stderr, "dwquery: cannot parse expression '%s'\n", text);
		return 2;
	}
	DiFuncs fs;
	if (locations(m, what, &fs) < 0)
		return fail(m);
	if (!fs.n)
		return 3;
	char *err = NULL;
	L2cScope *s = l2c_scope(m, &fs.v[0], fs.v[0].addr, ret, &err);
	if (!s) {
		fprintf(stderr, "dwquery: %s\n", err);
		free(err);
		return 1;
	}
	L2cAccess a;
	const L2cType *base_type = NULL;
	if (e->kind == E_AUTOCAST && e->left) {
		/* (left)->member: the left side's type, as pass 2 carries it. */
		if (l2c_access(s, e->left, NULL, "l2c_left", &a, &err) == 0) {
			base_type = a.type;
			l2c_access_free(&a);
		} else {
			free(err);
			err = NULL;
		}
	}
	int rc = l2c_access(s, e, base_type, "l2c_access_0", &a, &err);
	if (rc < 0) {
		fprintf(stderr, "dwquery: %s\n", err);
		free(err);
		l2c_scope_free(s);
		return 1;
	}
	printf("/* kind=%s nindex=%d base=%d type=%s */\n%s",
	       a.kind == L2C_STRING ? "string" : "long", a.nindex, a.takes_base,
	       a.type ? l2c_type_name(a.type) : "-", a.code);
	l2c_access_free(&a);
	l2c_scope_free(s);
	return 0;
}

static int cmd_resolve(DiModule *m, const char *pat, char **texts, int ntexts)
{
	Expr *exprs[ntexts ? ntexts : 1];
	for (int i = 0; i < ntexts; i++)
		if (!(exprs[i] = parse_expr(texts[i]))) {
			fprintf(stderr, "dwquery: cannot parse expression '%s'\n", texts[i]);
			return 2;
		}
	DiFuncs fs;
	if (di_functions(m, pat, &fs) < 0)
		return fail(m);
	int accesses = 0, errors = 0;
	size_t bytes = 0;
	for (int k = 0; k < fs.n; k++) {
		char *err = NULL;
		L2cScope *s = l2c_scope(m, &fs.v[k], fs.v[k].addr, false, &err);
		if (!s) {
			errors++;
			free(err);
			continue;
		}
		for (int i = 0; i < ntexts; i++) {
			L2cAccess a;
			char fn[32];
			snprintf(fn, sizeof(fn), "l2c_%d_%d", k, i);
			if (l2c_access(s, exprs[i], NULL, fn, &a, &err) < 0) {
				errors++;
				free(err);
				continue;
			}
			accesses++;
			bytes += strlen(a.code);
			l2c_access_free(&a);
		}
		l2c_scope_free(s);
	}
	printf("%d probes, %d accesses (%zu bytes of C), %d errors\n", fs.n, accesses, bytes,
	       errors);
	return fs.n ? 0 : 3;
}

static int cmd_mark_access(DiModule *m, const char *prov, const char *name, const char *num)
{
	DiMarks ms;
	if (di_marks(m, prov, name, &ms) < 0)
		return fail(m);
	if (!ms.n)
		return 3;
	int n = atoi(num);
	char *err = NULL;
	L2cAccess a;
	if (l2c_sdt_arg(m, &ms.v[0], n, "l2c_access_0", &a, &err) < 0) {
		fprintf(stderr, "dwquery: %s\n", err);
		free(err);
		return 1;
	}
	printf("/* kind=long nindex=0 base=0 type=- */\n%s", a.code);
	l2c_access_free(&a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	const char *cmd = argv[2];
	char *err;
	DiModule *m = di_get(argv[1], &err);
	if (!m) {
		fprintf(stderr, "dwquery: %s\n", err);
		free(err);
		return 1;
	}
	int rc;
	uint64_t addr;
	if (!strcmp(cmd, "functions") && argc == 4) {
		rc = cmd_functions(m, argv[3]);
	} else if (!strcmp(cmd, "function-at") && argc == 4 && parse_addr(argv[3], &addr)) {
		DiFunc f;
		rc = di_function_at(m, addr, &f) < 0 ? fail(m) : (print_func(&f), 0);
	} else if (!strcmp(cmd, "statements") && (argc == 4 || argc == 5)) {
		if (argc == 5 && strcmp(argv[4], "nearest"))
			return usage();
		rc = cmd_statements(m, argv[3], argc == 5);
	} else if (!strcmp(cmd, "statement-at") && argc == 4 && parse_addr(argv[3], &addr)) {
		DiStmt s;
		rc = di_statement_at(m, addr, &s) < 0 ? fail(m) : (print_stmt(&s), 0);
	} else if (!strcmp(cmd, "marks") && (argc == 4 || argc == 5)) {
		rc = cmd_marks(m, argc == 5 ? argv[3] : NULL, argv[argc - 1]);
	} else if (!strcmp(cmd, "plt") && argc == 4) {
		rc = cmd_plt(m, argv[3]);
	} else if (!strcmp(cmd, "libraries") && (argc == 3 || argc == 4)) {
		rc = cmd_libraries(m, argc == 4 ? argv[3] : NULL);
	} else if (!strcmp(cmd, "names") && argc == 3) {
		const char **names;
		int n = di_function_names(m, &names);
		for (int i = 0; i < n; i++)
			printf("%s\n", names[i]);
		rc = n ? 0 : 3;
	} else if (!strcmp(cmd, "info") && argc == 3) {
		printf("dwarf=%s debug=%s type=%s\n", di_has_dwarf(m) ? "yes" : "no",
		       di_debug_path(m) ? di_debug_path(m) : "-",
		       di_is_shared(m) ? "dyn" : "exec");
		if (!di_has_dwarf(m))
			printf("warning: %s\n", di_nodwarf_warning(m));
		rc = 0;
	} else if (!strcmp(cmd, "list") && (argc == 4 || (argc == 5 && !strcmp(argv[4], "return")))) {
		rc = cmd_list(m, argv[3], argc == 5);
	} else if (!strcmp(cmd, "list-statements") && argc == 4) {
		rc = cmd_list_statements(m, argv[3]);
	} else if (!strcmp(cmd, "vars") && argc == 4) {
		rc = cmd_vars(m, argv[3]);
	} else if (!strcmp(cmd, "access") && (argc == 5 || (argc == 6 && !strcmp(argv[5], "return")))) {
		rc = cmd_access(m, argv[3], argv[4], argc == 6);
	} else if (!strcmp(cmd, "resolve") && argc >= 4) {
		rc = cmd_resolve(m, argv[3], argv + 4, argc - 4);
	} else if (!strcmp(cmd, "sdt-arg") && argc == 4) {
		DiSdtArg a;
		char msg[256];
		if (di_sdt_parse_arg(m, argv[3], &a, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "dwquery: %s\n", msg);
			rc = 1;
		} else {
			static const char *const kinds[] = { "const", "reg", "mem" };
			printf("kind=%s size=%d signed=%d value=%lld reg=%d shift=%d index=%d "
			       "scale=%d symbol=%s\n", kinds[a.kind], a.size, a.is_signed,
			       (long long)a.value, a.reg, a.reg_shift, a.index, a.scale,
			       a.symbol ? a.symbol : "-");
			rc = 0;
		}
	} else if (!strcmp(cmd, "mark-access") && (argc == 5 || argc == 6)) {
		rc = cmd_mark_access(m, argc == 6 ? argv[3] : NULL, argv[argc - 2], argv[argc - 1]);
	} else {
		rc = usage();
	}
	di_close_all();
	return rc;
}
