/* p1check: parses scripts, prints them as canonical text, parses that text
 * again and checks the two trees are equal.  The testsuite runs it on every
 * script it holds and on whole tapset libraries.
 *
 *   p1check [-p] [-P] [-q] [-g] [-t] FILE... [-- SCRIPT-ARGS...]
 *   -p  print the canonical text;  -g  guru mode;  -t  files are tapsets
 *   -P  print expression statements fully parenthesised, as SystemTap's
 *       -p1 dump does (see p1full.h)
 *   -q  only check, print nothing but errors
 * Exit: 0 all equal, 1 a parse error, 2 a round trip differed. */
#include "parse/arena.h"
#include "parse/astcmp.h"
#include "parse/diag.h"
#include "parse/parser.h"
#include "parse/unparse.h"
#include "testsuite/tools/p1full.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *config_none(const char *name)
{
	(void)name;
	return NULL;
}

int main(int argc, char **argv)
{
	bool print = false, full = false, guru = false, tapset = false, quiet = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			break;
		} else if (!strcmp(argv[i], "-p")) {
			print = true;
		} else if (!strcmp(argv[i], "-P")) {
			full = true;
		} else if (!strcmp(argv[i], "-g")) {
			guru = true;
		} else if (!strcmp(argv[i], "-t")) {
			tapset = true;
		} else if (!strcmp(argv[i], "-q")) {
			quiet = true;
		} else {
			fprintf(stderr, "p1check: unknown option %s\n", argv[i]);
			return 1;
		}
	}
	int first = i, last = argc;
	for (int k = i; k < argc; k++)
		if (!strcmp(argv[k], "--")) {
			last = k;
			break;
		}
	PPContext ctx = {
		.kernel_v = "6.1.0", .kernel_vr = "6.1.0-50-amd64", .arch = "x86_64",
		.runtime = "kernel", .systemtap_v = "4.8", .privilege = "stapdev",
		.guru_mode = guru, .nargs = last < argc ? argc - last - 1 : 0,
		.args = last < argc ? argv + last + 1 : NULL, .config = config_none,
	};
	ParseOptions opts = { .ctx = &ctx, .privileged = guru || tapset };
	int status = 0;
	/* .stpm files first: their macros serve every other file. */
	for (int pass = 0; pass < 2; pass++) {
		for (int k = first; k < last; k++) {
			const char *path = argv[k];
			size_t n = strlen(path);
			bool stpm = n > 5 && !strcmp(path + n - 5, ".stpm");
			if (stpm != (pass == 0))
				continue;
			SrcFile *src = !strcmp(path, "-") ? src_load("/dev/stdin", "<input>")
							 : src_load(path, NULL);
			if (!src) {
				fprintf(stderr, "p1check: %s: %s\n", path, strerror(errno));
				return 1;
			}
			src->is_tapset = tapset;
			src->is_macro_lib = stpm;
			int before = diag_error_count();
			StapFile *f = parse_file(src, &opts);
			if (diag_error_count() != before) {
				status = 1;
				continue;
			}
			StrBuf b = { 0 };
			unparse_file(&b, f);
			if (print)
				sb_write(&b, stdout);
			if (full) {
				StrBuf fb = { 0 };
				p1full_file(&fb, f);
				sb_write(&fb, stdout);
				sb_free(&fb);
			}
			SrcFile *again = src_from_string("<canonical>", b.s ? b.s : "", b.len);
			again->is_tapset = tapset;
			StapFile *g = parse_file(again, &opts);
			const char *where = NULL;
			if (diag_error_count() != before) {
				fprintf(stderr, "p1check: %s: canonical text does not parse\n", path);
				if (!print && !quiet)
					sb_write(&b, stderr);
				status = 2;
			} else if (!stapfile_equal(f, g, &where)) {
				fprintf(stderr, "p1check: %s: round trip differs (%s)\n", path, where);
				status = 2;
			}
			sb_free(&b);
		}
	}
	return status;
}
