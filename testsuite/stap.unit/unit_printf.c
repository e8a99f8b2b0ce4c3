/* printf formatting: every conversion, flag, width and precision form.
 *
 * Each case has the output SystemTap gives (from its documented examples
 * and its runtime's rules); where C's printf means the same, the case
 * also names the C format, and libc's output must match too, so those
 * expectations are checked against an independent implementation. */
#include "unit.h"
#include <stdint.h>

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define I(v) { .i = (int64_t)(v) }
#define S(v) { .s = (v) }

struct pcase {
	const char *name;
	const char *fmt;
	unsigned int nargs;
	union stp_arg args[8];
	const char *want;
	size_t want_len;	/* 0: strlen(want) */
	const char *cfmt;	/* the same in C, or NULL */
	const char *ctypes;	/* C argument types: i int, l long long, s string */
};

static char mem[] = "XYZ";

static const struct pcase cases[] = {
	/* %d %i */
	{ "d zero", "%d", 1, { I(0) }, "0", 0, "%lld", "l" },
	{ "d positive", "%d", 1, { I(42) }, "42", 0, "%lld", "l" },
	{ "d negative", "%d", 1, { I(-42) }, "-42", 0, "%lld", "l" },
	{ "d INT64_MAX", "%d", 1, { I(INT64_MAX) }, "9223372036854775807", 0, "%lld", "l" },
	{ "d INT64_MIN", "%d", 1, { I(INT64_MIN) }, "-9223372036854775808", 0, "%lld", "l" },
	{ "i", "%i", 1, { I(-7) }, "-7", 0, "%lli", "l" },
	{ "ld accepted", "%ld", 1, { I(5) }, "5", 0, "%lld", "l" },
	{ "d width", "%5d", 1, { I(42) }, "   42", 0, "%5lld", "l" },
	{ "d width smaller", "%1d", 1, { I(-42) }, "-42", 0, "%1lld", "l" },
	{ "d left", "%-5d|", 1, { I(42) }, "42   |", 0, "%-5lld|", "l" },
	{ "d zero pad", "%05d", 1, { I(-42) }, "-0042", 0, "%05lld", "l" },
	{ "d left beats zero", "%-05d|", 1, { I(3) }, "3    |", 0, "%-05lld|", "l" },
	{ "d plus", "%+d", 1, { I(42) }, "+42", 0, "%+lld", "l" },
	{ "d plus negative", "%+d", 1, { I(-42) }, "-42", 0, "%+lld", "l" },
	{ "d space", "% d", 1, { I(42) }, " 42", 0, "% lld", "l" },
	{ "d plus beats space", "%+ d", 1, { I(42) }, "+42", 0, "%+ lld", "l" },
	{ "d plus zero pad", "%+06d", 1, { I(42) }, "+00042", 0, "%+06lld", "l" },
	{ "d left plus", "%-+5d|", 1, { I(7) }, "+7   |", 0, "%-+5lld|", "l" },
	{ "d precision", "%.5d", 1, { I(42) }, "00042", 0, "%.5lld", "l" },
	{ "d width precision", "%8.5d", 1, { I(-42) }, "  -00042", 0, "%8.5lld", "l" },
	{ "d left precision", "%-8.5d|", 1, { I(42) }, "00042   |", 0, "%-8.5lld|", "l" },
	/* SystemTap's rules where C's differ */
	{ "d precision 0 shows 0", "%.0d", 1, { I(0) }, "0", 0, NULL, NULL },
	{ "d zero pad with precision", "%08.3d", 1, { I(42) }, "00000042", 0, NULL, NULL },
	/* * width and precision */
	{ "d star width", "%*d", 2, { I(5), I(42) }, "   42", 0, "%*lld", "il" },
	{ "d star left", "%-*d|", 2, { I(4), I(1) }, "1   |", 0, "%-*lld|", "il" },
	{ "d negative star width", "%*d|", 2, { I(-4), I(1) }, "1   |", 0, "%*lld|", "il" },
	{ "d star precision", "%.*d", 2, { I(3), I(7) }, "007", 0, "%.*lld", "il" },
	{ "d negative star precision", "%.*d", 2, { I(-1), I(7) }, "7", 0, "%.*lld", "il" },
	{ "d star width and precision", "%*.*d", 3, { I(6), I(3), I(-5) }, "  -005", 0,
	  "%*.*lld", "iil" },
	{ "d huge star width", "%*d", 2, { I(INT64_MIN), I(1) }, NULL, 0, NULL, NULL },
	/* %u %o %x %X */
	{ "u of -1", "%u", 1, { I(-1) }, "18446744073709551615", 0, "%llu", "l" },
	{ "u zero", "%u", 1, { I(0) }, "0", 0, "%llu", "l" },
	{ "u plus ignored", "%+u", 1, { I(5) }, "5", 0, NULL, NULL },
	{ "o", "%o", 1, { I(8) }, "10", 0, "%llo", "l" },
	{ "o alternate", "%#o", 1, { I(8) }, "010", 0, "%#llo", "l" },
	{ "o INT64_MIN", "%o", 1, { I(INT64_MIN) }, "1000000000000000000000", 0, "%llo", "l" },
	{ "o alternate zero", "%#o", 1, { I(0) }, "00", 0, NULL, NULL },
	{ "o alternate precision", "%#.3o", 1, { I(8) }, "0010", 0, NULL, NULL },
	{ "x", "%x", 1, { I(255) }, "ff", 0, "%llx", "l" },
	{ "X", "%X", 1, { I(255) }, "FF", 0, "%llX", "l" },
	{ "x alternate", "%#x", 1, { I(255) }, "0xff", 0, "%#llx", "l" },
	{ "X alternate", "%#X", 1, { I(255) }, "0XFF", 0, "%#llX", "l" },
	{ "x of -1", "%x", 1, { I(-1) }, "ffffffffffffffff", 0, "%llx", "l" },
	{ "x INT64_MIN", "%x", 1, { I(INT64_MIN) }, "8000000000000000", 0, "%llx", "l" },
	{ "x alternate width", "%#10x|", 1, { I(255) }, "      0xff|", 0, "%#10llx|", "l" },
	{ "x alternate left", "%#-10x|", 1, { I(255) }, "0xff      |", 0, "%#-10llx|", "l" },
	{ "x alternate zero pad", "%#010x", 1, { I(255) }, "0x000000ff", 0, "%#010llx", "l" },
	{ "x precision", "%.3x", 1, { I(10) }, "00a", 0, "%.3llx", "l" },
	{ "x alternate zero", "%#x", 1, { I(0) }, "0x0", 0, NULL, NULL },
	{ "x space ignored", "% x", 1, { I(10) }, "a", 0, NULL, NULL },
	/* %p is %#x */
	{ "p", "%p", 1, { I(0x1234abcd) }, "0x1234abcd", 0, "%#llx", "l" },
	{ "p zero", "%p", 1, { I(0) }, "0x0", 0, NULL, NULL },
	{ "p width", "%20p|", 1, { I(0x1234abcd) }, "          0x1234abcd|", 0, "%#20llx|", "l" },
	{ "p left", "%-20p|", 1, { I(0x1234abcd) }, "0x1234abcd          |", 0, "%#-20llx|",
	  "l" },
	{ "p of -1", "%p", 1, { I(-1) }, "0xffffffffffffffff", 0, "%#llx", "l" },
	/* %c */
	{ "c", "%c", 1, { I(97) }, "a", 0, "%c", "i" },
	{ "c width", "%5c|", 1, { I('x') }, "    x|", 0, "%5c|", "i" },
	{ "c left", "%-3c|", 1, { I('x') }, "x  |", 0, "%-3c|", "i" },
	{ "c NUL", "%c", 1, { I(0) }, "", 1, NULL, NULL },
	{ "c wraps to a byte", "%c", 1, { I(321) }, "A", 0, NULL, NULL },
	{ "c escaped (man stap)", "%#c %#c %#c", 3, { I(0), I(9), I(42) }, "\\000 \\t *", 0, NULL,
	  NULL },
	{ "c escaped newline", "%#c", 1, { I('\n') }, "\\n", 0, NULL, NULL },
	{ "c escaped backslash", "%#c", 1, { I('\\') }, "\\\\", 0, NULL, NULL },
	{ "c escaped quote", "%#c", 1, { I('\'') }, "\\'", 0, NULL, NULL },
	{ "c escaped high byte", "%#c", 1, { I(200) }, "\\310", 0, NULL, NULL },
	{ "c escaped DEL", "%#c", 1, { I(127) }, "\\177", 0, NULL, NULL },
	{ "c escaped width", "%#5c|", 1, { I('\n') }, "   \\n|", 0, NULL, NULL },
	{ "c escaped printable", "%#c", 1, { I('"') }, "\"", 0, NULL, NULL },
	/* %s */
	{ "s", "%s", 1, { S("hello") }, "hello", 0, "%s", "s" },
	{ "s empty", "%s|", 1, { S("") }, "|", 0, "%s|", "s" },
	{ "s width", "%10s|", 1, { S("hi") }, "        hi|", 0, "%10s|", "s" },
	{ "s left", "%-10s|", 1, { S("hi") }, "hi        |", 0, "%-10s|", "s" },
	{ "s precision", "%.3s", 1, { S("abcdef") }, "abc", 0, "%.3s", "s" },
	{ "s width precision", "%8.3s|", 1, { S("abcdef") }, "     abc|", 0, "%8.3s|", "s" },
	{ "s precision 0", "%.0s|", 1, { S("abc") }, "|", 0, "%.0s|", "s" },
	{ "s bare dot", "%.s|", 1, { S("abc") }, "|", 0, "%.s|", "s" },
	{ "s star width", "%*s|", 2, { I(6), S("ab") }, "    ab|", 0, "%*s|", "is" },
	{ "s negative star width", "%*s|", 2, { I(-6), S("ab") }, "ab    |", 0, "%*s|", "is" },
	{ "s star precision", "%.*s|", 2, { I(2), S("abc") }, "ab|", 0, "%.*s|", "is" },
	{ "s negative star precision", "%.*s|", 2, { I(-1), S("abc") }, "abc|", 0, "%.*s|",
	  "is" },
	{ "s star both", "%*.*s|", 3, { I(5), I(2), S("abc") }, "   ab|", 0, "%*.*s|", "iis" },
	{ "s flags ignored", "%#s|%+s", 2, { S("x"), S("y") }, "x|y", 0, NULL, NULL },
	/* %b: binary, host (little-endian) order */
	{ "b 8 bytes", "%b", 1, { I(0x0102030405060708LL) }, "\x08\x07\x06\x05\x04\x03\x02\x01",
	  8, NULL, NULL },
	{ "b 1 byte", "%1b", 1, { I(0x41) }, "A", 0, NULL, NULL },
	{ "b 2 bytes", "%2b", 1, { I(0x4142) }, "BA", 0, NULL, NULL },
	{ "b 4 bytes", "%4b", 1, { I(0x41424344) }, "DCBA", 0, NULL, NULL },
	{ "b precision", "%.2b", 1, { I(0x4142) }, "BA", 0, NULL, NULL },
	{ "b odd width", "%3b", 1, { I(0x41) }, "A\0\0\0\0\0\0\0", 8, NULL, NULL },
	{ "b padded", "%6.2b|", 1, { I(0x4142) }, "\0\0\0\0BA|", 7, NULL, NULL },
	{ "b padded left", "%-6.2b|", 1, { I(0x4142) }, "BA\0\0\0\0|", 7, NULL, NULL },
	{ "b odd precision", "%.3b", 1, { I(0x41) }, "A\0\0\0\0\0\0\0", 8, NULL, NULL },
	/* %m %M: memory at an address */
	{ "m", "%m", 1, { I(0) }, "X", 0, NULL, NULL },
	{ "m precision", "%.3m", 1, { I(0) }, "XYZ", 0, NULL, NULL },
	{ "m width", "%5.2m|", 1, { I(0) }, "   XY|", 0, NULL, NULL },
	{ "m left", "%-5.2m|", 1, { I(0) }, "XY   |", 0, NULL, NULL },
	{ "m user", "%#.3m", 1, { I(0) }, "XYZ", 0, NULL, NULL },
	{ "M", "%M", 1, { I(0) }, "58", 0, NULL, NULL },
	{ "M precision", "%.4M", 1, { I(0) }, "58595a00", 0, NULL, NULL },
	{ "M width", "%10.2M|", 1, { I(0) }, "      5859|", 0, NULL, NULL },
	{ "M star precision", "%.*M", 2, { I(3), I(0) }, "58595a", 0, NULL, NULL },
	/* %% and mixtures */
	{ "percent", "100%%", 0, { I(0) }, "100%", 0, "100%%", "" },
	{ "man stap example 1", "%c is %s; %x or %X or %p; %d or %u\n", 7,
	  { I(97), S("alice"), I(0x1234abcd), I(0x1234abcd), I(0x1234abcd), I(-1), I(-1) },
	  "a is alice; 1234abcd or 1234ABCD or 0x1234abcd; -1 or 18446744073709551615\n", 0,
	  NULL, NULL },
	{ "man stap example 2", "%#o %#x %#X\n", 3, { I(1), I(2), I(3) }, "01 0x2 0X3\n", 0,
	  NULL, NULL },
	{ "adjacent", "%d%s%d", 3, { I(1), S("x"), I(2) }, "1x2", 0, NULL, NULL },
	{ "no directives", "plain text", 0, { I(0) }, "plain text", 0, NULL, NULL },
	{ "unchecked bad directive", "%q|%", 0, { I(0) }, "%q|%", 0, NULL, NULL },
};

static const struct pcase *cur;
static int cur_rc;

static void run_case(struct stp_context *c)
{
	cur_rc = stp_printf(c, NULL, cur->fmt, cur->args, cur->nargs);
}

static int c_format(char *buf, size_t n, const struct pcase *pc)
{
	const union stp_arg *a = pc->args;
	const char *t = pc->ctypes;

	if (!strcmp(t, ""))
		return snprintf(buf, n, pc->cfmt, 0);
	if (!strcmp(t, "l"))
		return snprintf(buf, n, pc->cfmt, (long long)a[0].i);
	if (!strcmp(t, "i"))
		return snprintf(buf, n, pc->cfmt, (int)a[0].i);
	if (!strcmp(t, "s"))
		return snprintf(buf, n, pc->cfmt, a[0].s);
	if (!strcmp(t, "il"))
		return snprintf(buf, n, pc->cfmt, (int)a[0].i, (long long)a[1].i);
	if (!strcmp(t, "is"))
		return snprintf(buf, n, pc->cfmt, (int)a[0].i, a[1].s);
	if (!strcmp(t, "iil"))
		return snprintf(buf, n, pc->cfmt, (int)a[0].i, (int)a[1].i, (long long)a[2].i);
	if (!strcmp(t, "iis"))
		return snprintf(buf, n, pc->cfmt, (int)a[0].i, (int)a[1].i, a[2].s);
	return -1;
}

static void test_table(void)
{
	size_t i, j;

	for (i = 0; i < STP_ARRAY_SIZE(cases); i++) {
		struct pcase pc = cases[i];
		char name[160];

		/* %m / %M read the test's own buffer */
		for (j = 0; j < pc.nargs && (strchr(pc.fmt, 'm') || strchr(pc.fmt, 'M')); j++)
			if (j == pc.nargs - 1)
				pc.args[j].i = (int64_t)(uintptr_t)mem;
		cur = &pc;
		ut_run(run_case);
		snprintf(name, sizeof(name), "printf %s: \"%s\"", pc.name, ut_show(pc.fmt,
										   strlen(pc.fmt)));
		if (!pc.want) {
			/* INT64_MIN as a * width: a full buffer of padding */
			ut_check(cur_rc == 0 && ut_out_len == STP_FMT_MAX_WIDTH &&
					 ut_out[0] == '1' && ut_out[1] == ' ',
				 name, "rc %d, %zu bytes", cur_rc, ut_out_len);
			continue;
		}
		if (ut_check(cur_rc == 0 && ut_records == 1 && ut_nevents == 1, name,
			     "rc %d, %d records, %d messages", cur_rc, ut_records, ut_nevents))
			ut_check_bytes(name, ut_out, ut_out_len, pc.want,
				       pc.want_len ? pc.want_len : strlen(pc.want));
		if (pc.cfmt) {
			char cbuf[256];
			int n = c_format(cbuf, sizeof(cbuf), &pc);

			snprintf(name, sizeof(name), "printf %s: libc agrees", pc.name);
			ut_check_bytes(name, cbuf, n < 0 ? 0 : (size_t)n, pc.want, strlen(pc.want));
		}
	}
}

/* ---- errors, sprintf, long output ---- */

static const struct stp_loc ploc = { "identifier 'printf'", "t.stp", 3, 5 };

static void fault_body(struct stp_context *c)
{
	stp_print_str(c, "before|");
	cur_rc = stp_printf(c, &ploc, "abc%.4mdef", (union stp_arg[]){ { .i = 8 } }, 1);
}

static void missing_body(struct stp_context *c)
{
	cur_rc = stp_printf(c, &ploc, "%d %d", (union stp_arg[]){ { .i = 1 } }, 1);
}

static void test_errors(void)
{
	ut_run(fault_body);
	ut_check(cur_rc == -1, "printf %m fault fails", "rc %d", cur_rc);
	ut_check_bytes("printf %m fault withdraws its output", ut_out, ut_out_len, "before|", 7);
	ut_check_str("printf %m fault message",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "read fault [man error::fault] at 0x8 near identifier 'printf' at t.stp:3:5");
	ut_run(missing_body);
	ut_check_str("printf too few arguments",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "too few arguments to printf near identifier 'printf' at t.stp:3:5");
}

static char sbuf[MAXSTRINGLEN];

static void sprintf_body(struct stp_context *c)
{
	char a[MAXSTRINGLEN], b[MAXSTRINGLEN];

	memset(a, 'a', 400);
	a[400] = '\0';
	memset(b, 'b', 400);
	b[400] = '\0';
	cur_rc = stp_sprintf(c, NULL, sbuf, "%s%s", (union stp_arg[]){ { .s = a }, { .s = b } },
			     2);
}

static void sprintf_alias_body(struct stp_context *c)
{
	strcpy(sbuf, "ab");
	cur_rc = stp_sprintf(c, NULL, sbuf, "%s-%s",
			     (union stp_arg[]){ { .s = sbuf }, { .s = sbuf } }, 2);
}

static void long_body(struct stp_context *c)
{
	char chunk[501];
	int i;

	for (i = 0; i < 500; i++)
		chunk[i] = (char)('a' + i % 26);
	chunk[500] = '\0';
	for (i = 0; i < 20; i++)
		stp_printf(c, NULL, "%s", (union stp_arg[]){ { .s = chunk } }, 1);
}

static void test_sprintf_and_buffer(void)
{
	char want[MAXSTRINGLEN];
	size_t i;

	ut_run(sprintf_body);
	memset(want, 'a', 400);
	memset(want + 400, 'b', MAXSTRINGLEN - 1 - 400);
	want[MAXSTRINGLEN - 1] = '\0';
	ut_check(cur_rc == 0, "sprintf cut at MAXSTRINGLEN - 1 succeeds", "rc %d", cur_rc);
	ut_check_str("sprintf cut at MAXSTRINGLEN - 1", sbuf, want);
	ut_run(sprintf_alias_body);
	ut_check_str("sprintf into one of its arguments", sbuf, "ab-ab");

	ut_run(long_body);
	ut_check_int("printf beyond the buffer: records", ut_records,
		     (20 * 500 + STP_BUFFER_SIZE - 1) / STP_BUFFER_SIZE);
	ut_check_int("printf beyond the buffer: first record full", (long long)ut_events[0].len,
		     STP_BUFFER_SIZE);
	for (i = 0; i < ut_out_len && ut_out[i] == (char)('a' + (i % 500) % 26); i++)
		;
	ut_check(ut_out_len == 20 * 500 && i == ut_out_len,
		 "printf beyond the buffer: nothing lost or reordered", "%zu bytes, first bad at %zu",
		 ut_out_len, i);
}

int main(void)
{
	ut_init_runtime(0);
	test_table();
	test_errors();
	test_sprintf_and_buffer();
	stp_runtime_exit();
	return ut_done();
}
