/* stap: the translator driver.  Runs the passes in order, stopping after
 * the one -p names, and reports each pass as SystemTap does. */
#include "config.h"
#include "parse/diag.h"
#include "translate/options.h"
#include "translate/pass1.h"
#include "translate/report.h"
#include <stdio.h>
#include <stdlib.h>

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
	g_diag.suppress_warnings = s.suppress_warnings;
	g_diag.warnings_are_errors = s.warnings_are_errors;

	if (s.list_mode != LIST_NONE) {
		/* Listings are pass 2's (-l/-L/--dump-*); there is no user script. */
		fputs("stap: listings (-l, -L, --dump-*) are not implemented yet\n", stderr);
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
	fputs("stap: passes after 1 are not implemented yet\n", stderr);
	return 1;
}
