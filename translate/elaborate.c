/* Pass 2's driver: the phases in SystemTap's order.
 *
 *   derive probes -> resolve names (pulling library files in) -> @defined
 *   and target variables -> structural checks -> elision -> types ->
 *   display of write-only globals -> privilege -> the Program.
 *
 * Errors do not stop the phases (the user sees every independent mistake
 * at once), except that nothing is built from a failed program. */
#include "translate/pass2.h"
#include "translate/library.h"
#include "translate/sema.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static Sema the_sema;

Sema *pass2_begin(Session *s)
{
	Sema *S = &the_sema;
	S->s = s;
	S->root = match_root();
	family_begin_end_register(S->root);
	family_timer_register(S->root);
	family_process_register(S->root);
	family_dwarf_register(S->root);
	S->listing = s->list_pattern != NULL;
	resolve_init(S);
	return S;
}

static void resolve_all(Sema *S)
{
	int next = 0;
	do {
		while (next < S->probes.n)
			resolve_probe(S, S->probes.v[next++]);
		resolve_queued_functions(S);
	} while (next < S->probes.n);
}

static void build_program(Sema *S)
{
	Program *p = ANEW(&g_arena, Program);
	PtrVec v = { 0 };
	for (int i = 0; i < S->probes.n; i++) {
		DerivedProbe *dp = S->probes.v[i];
		if (!dp->elided) {
			dp->index = v.n;
			vec_push(&v, dp);
		}
	}
	p->probes = (DerivedProbe **)vec_finish(&v, &p->nprobes);
	for (int i = 0; i < S->funcs.n; i++)
		if (func_info(S->funcs.v[i])->kept)
			vec_push(&v, S->funcs.v[i]);
	p->funcs = (FuncDecl **)vec_finish(&v, &p->nfuncs);
	for (int i = 0; i < S->globals.n; i++) {
		VarInfo *vi = var_info(S->globals.v[i]);
		if (vi->reads || vi->writes)
			vec_push(&v, S->globals.v[i]);
	}
	p->globals = (VarDecl **)vec_finish(&v, &p->nglobals);
	for (int i = 0; i < S->embeds.n; i++)
		vec_push(&v, S->embeds.v[i]);
	p->embeds = (Embed **)vec_finish(&v, &p->nembeds);
	for (int i = 0; i < S->files.n; i++)
		vec_push(&v, S->files.v[i]);
	p->files = (StapFile **)vec_finish(&v, &p->nfiles);
	p->accesses = (DwarfAccess **)vec_finish(&S->dwarf_accesses, &p->naccesses);
	S->s->program = p;
}

int pass2_elaborate(Session *s)
{
	Sema *S = pass2_begin(s);
	for (int i = 0; i < s->nuser_files; i++)
		pull_file(S, s->user_files[i]);
	resolve_all(S);

	for (int i = 0; i < S->probes.n; i++)
		targets_probe(S, S->probes.v[i]);
	for (int i = 0; i < S->funcs.n; i++)
		targets_function(S, S->funcs.v[i]);
	for (int i = 0; i < S->probes.n; i++)
		check_probe(S, S->probes.v[i]);
	for (int i = 0; i < S->funcs.n; i++)
		check_function(S, S->funcs.v[i]);

	optimize(S);
	types_infer(S);
	dwarf_finish(S);
	if (!S->errors)
		add_global_display(S);
	privilege_check(S);

	int live = 0;
	for (int i = 0; i < S->probes.n; i++)
		live += !((DerivedProbe *)S->probes.v[i])->elided;
	/* Errors in library files parsed on demand were reported as the
	 * skipped files' warnings: they do not fail the script. */
	int errors = diag_error_count() - library_ignored_errors();
	if (!live && !errors)
		sema_error(S, (Loc){ 0, 0 }, "no probes found");
	if (diag_error_count() - library_ignored_errors())
		return 1;
	build_program(S);
	return 0;
}
