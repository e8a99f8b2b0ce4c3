/* Regexes: translate/regex.c compiles, the runtime's VM matches.
 *
 * Each case states whether the pattern matches and what every group
 * captured.  glibc's regcomp/regexec (REG_EXTENDED) checks the same
 * expectations: all groups where POSIX's rules and ours agree (LIBC_ALL),
 * or the match and group 0 where only the subexpression rules differ
 * (LIBC_MATCH: ours reports the highest-priority path's groups).
 *
 * With --emit FILE, writes a C program of the same cases compiled by
 * rx_emit_c, which unit.exp builds and runs: the emitted data must
 * compile cleanly and match the same way. */
#include "unit.h"
#include "translate/regex.h"
#include <regex.h>

enum { NO_LIBC, LIBC_MATCH, LIBC_ALL };

struct rcase {
	const char *pat;
	const char *subj;
	int match;
	const char *groups[6];	/* group 0.., NULL: took no part; up to ngroups */
	int libc;
};

#define U NULL

static const struct rcase cases[] = {
	{ "str(ing)", "an example string", 1, { "string", "ing" }, LIBC_ALL },
	{ "abc", "xabcx", 1, { "abc" }, LIBC_ALL },
	{ "abc", "ab", 0, { U }, LIBC_ALL },
	{ "^abc", "xabc", 0, { U }, LIBC_ALL },
	{ "^abc", "abcx", 1, { "abc" }, LIBC_ALL },
	{ "abc$", "xabc", 1, { "abc" }, LIBC_ALL },
	{ "abc$", "abcx", 0, { U }, LIBC_ALL },
	{ "^$", "", 1, { "" }, LIBC_ALL },
	{ "^$", "x", 0, { U }, LIBC_ALL },
	{ "a.c", "abc", 1, { "abc" }, LIBC_ALL },
	{ "a.c", "ac", 0, { U }, LIBC_ALL },
	{ "a*", "bbb", 1, { "" }, LIBC_ALL },
	{ "a+", "baaac", 1, { "aaa" }, LIBC_ALL },
	{ "ab?c", "ac", 1, { "ac" }, LIBC_ALL },
	{ "ab?c", "abbc", 0, { U }, LIBC_ALL },
	{ "a{2,3}", "aaaa", 1, { "aaa" }, LIBC_ALL },
	{ "a{2}", "a", 0, { U }, LIBC_ALL },
	{ "a{2,}", "caaaaa", 1, { "aaaaa" }, LIBC_ALL },
	{ "xa{0}b", "xab", 0, { U }, LIBC_ALL },
	{ "a{1,2}{2}", "aaaaa", 1, { "aaaa" }, LIBC_ALL },
	{ "a**", "aa", 1, { "aa" }, NO_LIBC },
	{ "x|y|z", "--z", 1, { "z" }, LIBC_ALL },
	{ "a|ab", "ab", 1, { "ab" }, LIBC_ALL },
	{ "(a|ab)(b*)", "abb", 1, { "abb", "a", "bb" }, LIBC_MATCH },
	{ "(a|ab)(c|bcd)(d*)", "abcd", 1, { "abcd", "a", "bcd", "" }, LIBC_MATCH },
	{ "(a|b)*c", "abac", 1, { "abac", "a" }, LIBC_ALL },
	{ "(.*)-(.*)", "a-b-c", 1, { "a-b-c", "a-b", "c" }, LIBC_ALL },
	{ "(foo)?bar", "bar", 1, { "bar", U }, LIBC_ALL },
	{ "(a)|(b)", "b", 1, { "b", U, "b" }, LIBC_ALL },
	{ "(a*)*", "b", 1, { "", U }, LIBC_MATCH },
	{ "(a*)+", "aa", 1, { "aa", "aa" }, LIBC_MATCH },
	{ "()", "x", 1, { "", "" }, LIBC_ALL },
	{ "", "abc", 1, { "" }, LIBC_ALL },
	{ "a||b", "b", 1, { "b" }, LIBC_MATCH },
	{ "[[:digit:]]+", "abc123def", 1, { "123" }, LIBC_ALL },
	{ "[[:upper:]][[:lower:]]+", "hello World", 1, { "World" }, LIBC_ALL },
	{ "[[:space:]]", "a\tb", 1, { "\t" }, LIBC_ALL },
	{ "[[:alpha:]][[:alnum:]_]*", "1abc_2 x", 1, { "abc_2" }, LIBC_ALL },
	{ "[[:xdigit:]]+", "xyzBEEFg", 1, { "BEEF" }, LIBC_ALL },
	{ "[[:punct:]]+", "ab!?.c", 1, { "!?." }, LIBC_ALL },
	{ "[^a-c]+", "abcdefabc", 1, { "def" }, LIBC_ALL },
	{ "[]a]+", "x]a]", 1, { "]a]" }, LIBC_ALL },
	{ "[^]a]+", "]]bc]", 1, { "bc" }, LIBC_ALL },
	{ "[a-]+", "x-a-", 1, { "-a-" }, LIBC_ALL },
	{ "[[.a.]-c]+", "xabcd", 1, { "abc" }, LIBC_ALL },
	{ "[[=e=]]", "hello", 1, { "e" }, LIBC_ALL },
	{ "\\.", "a.b", 1, { "." }, LIBC_ALL },
	{ "\\.", "ab", 0, { U }, LIBC_ALL },
	{ "a\\+", "a+", 1, { "a+" }, LIBC_ALL },
	{ "\\(x\\)", "(x)", 1, { "(x)" }, LIBC_ALL },
	{ "\\n", "a\nb", 1, { "\n" }, NO_LIBC },
	{ ".*", "hello", 1, { "hello" }, LIBC_ALL },
	{ "caf\xc3\xa9", "un caf\xc3\xa9!", 1, { "caf\xc3\xa9" }, LIBC_ALL },
	{ "[\xc3]", "\xc3\xa9", 1, { "\xc3" }, NO_LIBC },
	{ "b$|^a", "ab", 1, { "a" }, LIBC_ALL },
	{ "a^b", "a^b", 0, { U }, NO_LIBC },
	/* glibc finds no match here, though ^a matches at 0 */
	{ "(^a|b)+", "aab", 1, { "a", "a" }, NO_LIBC },
	{ "(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, { U }, LIBC_ALL },
};

static int ngroups_of(const struct rcase *rc, const struct rx_prog *p)
{
	(void)rc;
	return (int)p->ngroups;
}

static const char *show(const char *s)
{
	return s ? ut_show(s, strlen(s)) : "(none)";
}

/* ---- compiled and matched in this process ---- */

static const struct stp_regex *cur_rx;
static const char *cur_subj;
static int cur_res;
static char cur_groups[6][MAXSTRINGLEN];
static bool cur_unset[6];

static void match_body(struct stp_context *c)
{
	int i;

	cur_res = stp_regex_match(c, NULL, cur_rx, cur_subj);
	for (i = 0; cur_res == 1 && i < cur_rx->ngroups && i < 6; i++) {
		stp_regex_matched(c, NULL, i, cur_groups[i]);
		cur_unset[i] = c->match.caps[2 * i] < 0;
	}
}

static void test_cases(void)
{
	size_t i;
	int g;

	for (i = 0; i < STP_ARRAY_SIZE(cases); i++) {
		const struct rcase *rc = &cases[i];
		struct rx_prog prog;
		struct rx_error err;
		struct stp_regex rx;
		char name[256], why[512] = "";
		bool ok;

		snprintf(name, sizeof(name), "regex /%s/ on \"%s\"", show(rc->pat), show(rc->subj));
		if (rx_compile(rc->pat, &prog, &err)) {
			ut_check(false, name, "does not compile: %s", err.msg);
			continue;
		}
		rx_prog_view(&prog, rc->pat, &rx);
		cur_rx = &rx;
		cur_subj = rc->subj;
		ut_run(match_body);
		ok = cur_res == rc->match;
		if (!ok)
			snprintf(why, sizeof(why), "result %d, want %d", cur_res, rc->match);
		for (g = 0; ok && rc->match && g < ngroups_of(rc, &prog) && g < 6; g++) {
			const char *want = rc->groups[g];

			if (want ? (cur_unset[g] || strcmp(cur_groups[g], want)) : !cur_unset[g]) {
				ok = false;
				snprintf(why, sizeof(why), "group %d is %s, want %s", g,
					 cur_unset[g] ? "(none)" : show(cur_groups[g]), show(want));
			}
		}
		ut_check(ok, name, "%s", why);

		if (rc->libc != NO_LIBC) {
			regex_t re;
			regmatch_t pm[6];
			int res, n = rc->libc == LIBC_ALL ? (int)prog.ngroups : 1;

			snprintf(name, sizeof(name), "regex /%s/ on \"%s\": libc agrees",
				 show(rc->pat), show(rc->subj));
			if (regcomp(&re, rc->pat, REG_EXTENDED)) {
				ut_check(false, name, "%s", "regcomp failed");
				rx_prog_free(&prog);
				continue;
			}
			res = regexec(&re, rc->subj, 6, pm, 0) == 0;
			ok = res == rc->match;
			snprintf(why, sizeof(why), "libc result %d", res);
			for (g = 0; ok && res && g < n && g < 6; g++) {
				const char *want = rc->groups[g];
				size_t len = (size_t)(pm[g].rm_eo - pm[g].rm_so);

				if (want ? (pm[g].rm_so < 0 || len != strlen(want) ||
					    memcmp(rc->subj + pm[g].rm_so, want, len))
					 : pm[g].rm_so >= 0) {
					ok = false;
					snprintf(why, sizeof(why), "libc group %d at %d..%d", g,
						 (int)pm[g].rm_so, (int)pm[g].rm_eo);
				}
			}
			ut_check(ok, name, "%s", why);
			regfree(&re);
		}
		rx_prog_free(&prog);
	}
}

/* ---- matched(), ngroups(), bounds ---- */

static struct rx_prog p_str;
static struct stp_regex rx_str;
static char mbuf[MAXSTRINGLEN];
static int64_t ng;

static void api_body(struct stp_context *c)
{
	stp_regex_match(c, NULL, &rx_str, "an example string");
	ng = stp_regex_ngroups(c, NULL);
	stp_regex_matched(c, &(struct stp_loc){ "identifier 'matched'", "t.stp", 5, 1 }, 2, mbuf);
}

static void failed_body(struct stp_context *c)
{
	stp_regex_match(c, NULL, &rx_str, "no");
	stp_regex_matched(c, NULL, 0, mbuf);
}

static void failed_count_body(struct stp_context *c)
{
	stp_regex_match(c, NULL, &rx_str, "no");
	ng = stp_regex_ngroups(c, NULL);
}

static void fresh_body(struct stp_context *c)
{
	stp_regex_matched(c, NULL, 0, mbuf);
}

static void long_body(struct stp_context *c)
{
	char subj[MAXSTRINGLEN + 10];

	memset(subj, 'a', sizeof(subj));
	subj[MAXSTRINGLEN - 2] = 'b';	/* the last character kept */
	subj[sizeof(subj) - 1] = '\0';
	cur_res = stp_regex_match(c, NULL, cur_rx, subj);
	stp_regex_matched(c, NULL, 0, mbuf);
}

static void test_api(void)
{
	struct rx_prog p;
	struct rx_error err;
	struct stp_regex rx;

	rx_compile("str(ing)", &p_str, &err);
	rx_prog_view(&p_str, "str(ing)", &rx_str);
	ut_run(api_body);
	ut_check_int("ngroups() counts group 0 (man stap: 2)", ng, 2);
	ut_check_str("matched(2) does not exist",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "Attempted to get nonexistent subexpression 2"
		     " near identifier 'matched' at t.stp:5:1");
	ut_run(failed_body);
	ut_check_str("matched() after a failed match",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "Attempted to get subexpression 0 from failed match");
	ut_run(failed_count_body);
	ut_check_str("ngroups() after a failed match",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "Attempted to get subexpression count from failed match");
	ut_run(fresh_body);
	ut_check(ut_ctl(STP_MSG_ERROR, 0) != NULL, "a new handler starts without a match", "%s", "");

	rx_compile("a*b$", &p, &err);
	rx_prog_view(&p, "a*b$", &rx);
	cur_rx = &rx;
	ut_run(long_body);
	ut_check(cur_res == 1 && strlen(mbuf) == MAXSTRINGLEN - 1,
		 "subject cut at MAXSTRINGLEN - 1 like any string", "result %d, %zu chars", cur_res,
		 strlen(mbuf));
	rx_prog_free(&p);

	/* A program larger than the module's scratch is an error, not an overrun. */
	rx_compile("a{1000}b{1000}c{1000}", &p, &err);
	rx_prog_view(&p, "big", &rx);
	cur_rx = &rx;
	cur_subj = "abc";
	ut_run(match_body);
	ut_check(cur_res == -1 && ut_ctl(STP_MSG_ERROR, 0) &&
		 strstr(ut_ctl(STP_MSG_ERROR, 0), "STP_REGEX_MAX_INSNS"),
		 "regex larger than STP_REGEX_MAX_INSNS", "result %d", cur_res);
	rx_prog_free(&p);
}

/* Matching costs (length + 1) * instructions steps at most: a pattern
 * that backtracking matchers take exponential time on finishes. */
static void test_bounded(void)
{
	struct rx_prog p;
	struct rx_error err;
	struct stp_regex rx;
	char subj[MAXSTRINGLEN];

	memset(subj, 'a', MAXSTRINGLEN - 1);
	subj[MAXSTRINGLEN - 1] = '\0';
	rx_compile("(a*)*(a|aa)*(a?)*$b", &p, &err);
	rx_prog_view(&p, "(a*)*(a|aa)*(a?)*$b", &rx);
	cur_rx = &rx;
	cur_subj = subj;
	ut_run(match_body);
	ut_check_int("pathological pattern on a full string", cur_res, 0);
	rx_prog_free(&p);
}

/* ---- compile errors: SystemTap's messages ---- */

static const struct {
	const char *pat;
	const char *msg;
} errors[] = {
	{ "a(b", "regex compilation error (at position 1): expected ), found end of regex" },
	{ "a)b", "regex compilation error (at position 1): unbalanced ')'" },
	{ "[abc", "regex compilation error (at position 0): unclosed character class" },
	{ "[[:alpha:]", "regex compilation error (at position 0): unclosed character class" },
	{ "*a", "regex compilation error (at position 0): unexpected '*'" },
	{ "a|+", "regex compilation error (at position 2): unexpected '+'" },
	{ "(?x)", "regex compilation error (at position 1): unexpected '?'" },
	{ "{", "regex compilation error (at position 0): unexpected '{'" },
	{ "^*", "regex compilation error (at position 1): "
		"postfix closure '*' applied to anchoring operator" },
	{ "$+", "regex compilation error (at position 1): "
		"postfix closure '+' applied to anchoring operator" },
	{ "[[:foo:]]", "regex compilation error: unknown character class 'foo'" },
	{ "a{,3}", "regex compilation error (at position 2): expected number" },
	{ "a{", "regex compilation error (at position 2): expected number" },
	{ "a{2x}", "regex compilation error (at position 3): expected ',' or '}'" },
	{ "a{2,3", "regex compilation error (at position 5): expected }, found end of regex" },
	{ "a{2", "regex compilation error (at position 3): unexpected end of regex" },
	{ "a{99999}", "regex compilation error (at position 7): 99999 is too large" },
	{ "a{2,1}", "regex compilation error (at position 1): "
		"invalid repetition: minimum 2 exceeds maximum 1" },
	{ "[b-a]", "regex compilation error (at position 3): Inverted character range b-a" },
	{ "\\", "regex compilation error (at position 1): unexpected end of regex" },
	{ "(a)\\1", "regex compilation error (at position 3): back-references are not supported" },
	{ "(a{1000}){10}", "regex compilation error: regex too complex: more than 8191 instructions" },
};

static void test_errors(void)
{
	size_t i;

	for (i = 0; i < STP_ARRAY_SIZE(errors); i++) {
		struct rx_prog p;
		struct rx_error err;
		char buf[256], name[128];

		snprintf(name, sizeof(name), "regex error /%s/", errors[i].pat);
		if (!rx_compile(errors[i].pat, &p, &err)) {
			ut_check(false, name, "%s", "compiled");
			rx_prog_free(&p);
			continue;
		}
		rx_error_format(&err, buf, sizeof(buf));
		ut_check_str(name, buf, errors[i].msg);
	}
}

/* ---- --emit: the same cases as C data ---- */

static int emit(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;
	int g;

	if (!f)
		return 1;
	fputs("/* Generated by unit_regex --emit: regexes as rx_emit_c writes them. */\n"
	      "#include \"testsuite/stap.unit/unit.h\"\n\n", f);
	for (i = 0; i < STP_ARRAY_SIZE(cases); i++) {
		struct rx_prog p;
		struct rx_error err;
		char name[32];

		snprintf(name, sizeof(name), "rx_%zu", i);
		if (rx_compile(cases[i].pat, &p, &err))
			return 1;
		rx_emit_c(f, &p, cases[i].pat, name);
		rx_prog_free(&p);
	}
	fputs("\nstatic void check(struct stp_context *c, const struct stp_regex *rx, "
	      "const char *name,\n\t\t  const char *subj, int want, const char *g0)\n{\n"
	      "\tchar got[MAXSTRINGLEN] = \"\";\n"
	      "\tint r = stp_regex_match(c, NULL, rx, subj);\n\n"
	      "\tif (r == 1)\n\t\tstp_regex_matched(c, NULL, 0, got);\n"
	      "\tut_check(r == want && (!want || !strcmp(got, g0)), name, \"result %d, \\\"%s\\\"\", "
	      "r, got);\n}\n\n"
	      "static void body(struct stp_context *c)\n{\n", f);
	for (i = 0; i < STP_ARRAY_SIZE(cases); i++) {
		const char *p;

		fprintf(f, "\tcheck(c, &rx_%zu, \"emitted /", i);
		for (p = cases[i].pat; *p; p++)
			fprintf(f, "\\%03o", (unsigned char)*p);
		fputs("/ on \\\"", f);
		for (p = cases[i].subj; *p; p++)
			fprintf(f, p[0] >= 0x20 && p[0] < 0x7f && p[0] != '"' && p[0] != '\\' ?
				   "%c" : "\\\\%03o", (unsigned char)*p);
		fputs("\\\"\", ", f);
		for (g = 0; g < 2; g++) {
			const char *s = g ? cases[i].groups[0] : cases[i].subj;

			if (!s) {
				fputs("NULL", f);
			} else {
				fputc('"', f);
				for (p = s; *p; p++)
					fprintf(f, "\\%03o", (unsigned char)*p);
				fputc('"', f);
			}
			fputs(g ? ");\n" : ", ", f);
			if (!g)
				fprintf(f, "%d, ", cases[i].match);
		}
	}
	fputs("}\n\nint main(void)\n{\n\tut_init_runtime(0);\n\tut_run(body);\n"
	      "\tstp_runtime_exit();\n\treturn ut_done();\n}\n", f);
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--emit"))
		return emit(argv[2]);
	ut_init_runtime(0);
	test_cases();
	test_api();
	test_bounded();
	test_errors();
	stp_runtime_exit();
	return ut_done();
}
