/* libFuzzer target over pass 1: preprocessor, parser, canonical printer
 * and the round trip.  Any input may be rejected; none may crash, hang,
 * leak or trip a sanitizer, and one that parses must print as text that
 * parses back to the same tree (else abort(): a finding).
 *
 * The first byte's low bits also choose what conditions see and whether
 * embedded C is allowed, so one corpus covers both; scripts stay valid
 * seeds as they are. */
#include "parse/arena.h"
#include "parse/astcmp.h"
#include "parse/diag.h"
#include "parse/intern.h"
#include "parse/parser.h"
#include "parse/unparse.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *config(const char *name)
{
	/* A few set options, so CONFIG_ conditions take both branches. */
	if (name[7] == 'A')
		return "y";
	if (name[7] == 'N')
		return "250";
	return NULL;
}

static char *args[] = { "1", "x + 2", "\"s\"" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	g_diag.out = devnull;
	uint8_t mode = size ? data[0] : 0;
	PPContext ctx = {
		.kernel_v = "6.1.0", .kernel_vr = "6.1.0-50-amd64",
		.arch = mode & 2 ? "i386" : "x86_64",
		.runtime = mode & 4 ? "ptrace" : "kernel", .systemtap_v = "4.8",
		.privilege = "stapdev", .guru_mode = mode & 1,
		.nargs = mode & 8 ? 3 : 0, .args = args, .config = config,
	};
	ParseOptions opts = { .ctx = &ctx, .privileged = mode & 1 };

	SrcFile *src = src_from_string("<fuzz>", (const char *)data, size);
	StapFile *f = parse_file(src, &opts);
	if (diag_error_count() == 0) {
		StrBuf b = { 0 };
		unparse_file(&b, f);
		SrcFile *again = src_from_string("<canonical>", b.s ? b.s : "", b.len);
		StapFile *g = parse_file(again, &opts);
		const char *where = NULL;
		if (diag_error_count() != 0 || !stapfile_equal(f, g, &where)) {
			fprintf(stderr, "round trip failed (%s); canonical text:\n%.*s\n",
				where ? where : "does not parse", (int)b.len, b.s ? b.s : "");
			abort();
		}
		sb_free(&b);
	}

	/* Every input starts from nothing. */
	diag_reset();
	pp_reset_library();
	src_reset();
	intern_reset();
	arena_free(&g_arena);
	return 0;
}
