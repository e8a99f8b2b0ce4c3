/* stap: the translator driver.  Runs the passes in order, stopping after
 * the one -p names, and reports each pass as SystemTap does. */
#include "config.h"
#include "parse/diag.h"
#include "translate/options.h"
#include "translate/pass1.h"
#include "translate/pass2.h"
#include "translate/pass3.h"
#include "translate/build.h"
#include "translate/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	static Session s;
	session_init(&s);
	int rc = options_parse(&s, argc, argv);
	if (rc >= 0)
		return rc;
	if (!s.tapset_dir) {
		const char *env = getenv("SYSTEMTAP_TAPSET");
		s.tapset_dir = env ? env : PKGDATADIR "/tapset";
	}
	build_choose_runtime(&s);
	if (!build_kernel_headers_ok(&s))
		return 1;
	g_diag.suppress_warnings = s.suppress_warnings;
	g_diag.warnings_are_errors = s.warnings_are_errors;
	/* -l/-L PATTERN: elaborate `probe PATTERN {}`, as SystemTap does. */
	if (s.list_pattern) {
		size_t n = strlen(s.list_pattern) + 16;
		char *text = malloc(n);
		if (!text)
			return 1;
		snprintf(text, n, "probe %s {}", s.list_pattern);
		s.script_text = text;
		s.last_pass = 2;
	}

	if (s.list_mode != LIST_NONE && !s.list_pattern) {
		/* --dump-* listings need no script but are not written yet. */
		fputs("stap: --dump-* listings are not implemented yet\n", stderr);
		return 1;
	}
	PassTimer t1;
	report_start(&t1);
	int failed = pass1_parse(&s);
	if (failed) {
		int n = diag_error_count();
		if (n)
			fprintf(stderr, "%d parse error%s.\n", n, n == 1 ? "" : "s");
	}
	report_pass1(&s, &t1);
	if (failed) {
		report_failed(1);
		return 1;
	}
	if (s.last_pass == 1) {
		pass1_print(&s);
		return 0;
	}
	if (s.list_pattern)
		return pass2_list(&s);
	PassTimer t2;
	report_start(&t2);
	if (pass2_elaborate(&s)) {
		report_failed(2);
		return 1;
	}
	report_pass2(&s, &t2, s.program->nprobes, s.program->nfuncs, s.program->nembeds,
		     s.program->nglobals);
	if (s.last_pass == 2) {
		pass2_print(&s, s.program);
		return 0;
	}
	PassTimer t3;
	report_start(&t3);
	StrBuf csrc = { 0 };
	if (pass3_translate(&s, &csrc)) {
		report_failed(3);
		return 1;
	}
	char *module = NULL;
	rc = pass34(&s, &csrc, &t3, &module);
	sb_free(&csrc);
	if (rc == 0 && s.last_pass == 4)
		puts(module);
	else if (rc == 0 && s.last_pass == 5)
		rc = pass5_run(&s, module);
	free(module);
	build_tmpdir_cleanup(&s);
	return rc;
}
