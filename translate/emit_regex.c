/* =~ and !~: each distinct pattern is compiled once (translate/regex.c)
 * and emitted as static data for the runtime's matcher; the module's
 * scratch is sized for the largest one. */
#include "translate/codegen.h"
#include "translate/regex.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct RxEntry {
	const char *pattern;
	int id;
} RxEntry;

static RxEntry *rx_table;
static int rx_n, rx_cap;

/* The regex's C name, compiling and emitting it the first time; NULL
 * after a compile error (reported). */
static const char *regex_name(Codegen *g, Expr *pat)
{
	if (g->nregex == 0)
		rx_n = 0;
	for (int i = 0; i < rx_n; i++)
		if (!strcmp(rx_table[i].pattern, pat->str))
			return cg_fmt("stp_rx_%d", rx_table[i].id);
	struct rx_prog prog;
	struct rx_error err;
	if (rx_compile(pat->str, &prog, &err)) {
		char msg[256];
		rx_error_format(&err, msg, sizeof(msg));
		cg_error(g, pat->loc, "%s", msg);
		return NULL;
	}
	int id = g->nregex++;
	const char *name = cg_fmt("stp_rx_%d", id);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		fatal("out of memory");
	rx_emit_c(f, &prog, pat->str, name);
	fclose(f);
	cg_printf(g, SEC_DECL, "%s", text);
	free(text);
	if ((int)prog.ninsns > g->rx_max_insns)
		g->rx_max_insns = (int)prog.ninsns;
	if ((int)prog.ngroups > g->rx_max_groups)
		g->rx_max_groups = (int)prog.ngroups;
	rx_prog_free(&prog);
	if (rx_n == rx_cap) {
		rx_cap = rx_cap ? rx_cap * 2 : 16;
		rx_table = realloc(rx_table, sizeof(*rx_table) * (size_t)rx_cap);
		if (!rx_table)
			fatal("out of memory");
	}
	rx_table[rx_n++] = (RxEntry){ pat->str, id };
	return name;
}

Val emit_regex(Codegen *g, Expr *e)
{
	Val s = emit_expr(g, e->left);
	if (e->right->kind != E_STRING) {
		cg_error(g, e->right->loc, "regular expressions must be literal strings");
		return (Val){ "0", TY_LONG, true };
	}
	const char *rx = regex_name(g, e->right);
	if (!rx)
		return (Val){ "0", TY_LONG, true };
	const char *t = tmp_long(g, cg_fmt("stp_regex_match(c, %s, &%s, %s)", cg_locp(g, e->loc),
					   rx, s.c));
	cg_line(g, "if (%s < 0)", t);
	cg_line(g, "\t%s;", g->r->errexit);
	return (Val){ e->op == OP_NOMATCH ? cg_fmt("(int64_t)!%s", t) : t, TY_LONG, true };
}
