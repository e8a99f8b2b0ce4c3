/* Script strings: every writer stays within MAXSTRINGLEN, whatever the
 * input, and a destination may be one of its own sources.  Each buffer
 * has a guard zone after it that must stay untouched. */
#include "unit.h"

#define MAX (MAXSTRINGLEN - 1)
#define GUARD 64

struct gbuf {
	char s[MAXSTRINGLEN];
	char guard[GUARD];
};

static void gb_init(struct gbuf *b, const char *s)
{
	memset(b->guard, 0x5a, GUARD);
	snprintf(b->s, sizeof(b->s), "%s", s);
}

static bool gb_intact(const struct gbuf *b)
{
	int i;

	for (i = 0; i < GUARD; i++)
		if (b->guard[i] != 0x5a)
			return false;
	return true;
}

static char *repeat(char c, size_t n)
{
	static char bufs[4][4 * MAXSTRINGLEN];
	static int which;
	char *b = bufs[which++ & 3];

	memset(b, c, n);
	b[n] = '\0';
	return b;
}

static void check_len(const char *name, const struct gbuf *b, size_t want)
{
	ut_check(strlen(b->s) == want && gb_intact(b), name, "length %zu (want %zu), guard %s",
		 strlen(b->s), want, gb_intact(b) ? "intact" : "overwritten");
}

int main(void)
{
	struct gbuf a, b;
	char unterminated[MAXSTRINGLEN + GUARD];

	gb_init(&a, "");
	stp_str_copy(a.s, repeat('x', 3 * MAXSTRINGLEN));
	check_len("copy of a long string is cut", &a, MAX);
	gb_init(&a, "hello");
	stp_str_copy(a.s, a.s);
	ut_check_str("copy onto itself", a.s, "hello");

	gb_init(&a, repeat('a', 300));
	stp_str_append(a.s, repeat('b', 300));
	check_len("append is cut", &a, MAX);
	ut_check(a.s[299] == 'a' && a.s[300] == 'b' && a.s[MAX - 1] == 'b',
		 "append keeps the head", "got %.5s...", a.s + 298);

	gb_init(&a, "ab");
	stp_str_concat(a.s, a.s, a.s);
	ut_check_str("concat of itself twice", a.s, "abab");
	gb_init(&a, "tail");
	stp_str_concat(a.s, "head-", a.s);
	ut_check_str("concat into its second operand", a.s, "head-tail");
	gb_init(&a, repeat('c', MAX));
	stp_str_concat(a.s, a.s, a.s);
	check_len("concat of two full strings is cut", &a, MAX);
	gb_init(&a, repeat('d', 200));
	stp_str_concat(a.s, repeat('e', 400), a.s);
	check_len("concat into its second operand is cut", &a, MAX);
	ut_check(a.s[399] == 'e' && a.s[400] == 'd', "concat into its second operand keeps order",
		 "got %.4s", a.s + 398);

	ut_check_int("len of a long unterminated buffer", (long long)stp_str_len(
		     (memset(unterminated, 'u', sizeof(unterminated)), unterminated)), MAX);
	ut_check_int("len of \"\"", (long long)stp_str_len(""), 0);

	ut_check(stp_str_cmp("abc", "abd") < 0, "cmp less", "got %d", stp_str_cmp("abc", "abd"));
	ut_check(stp_str_cmp("b", "a") > 0, "cmp greater", "%s", "");
	ut_check(stp_str_cmp("same", "same") == 0, "cmp equal", "%s", "");
	ut_check(stp_str_cmp("\xff", "a") > 0, "cmp compares bytes unsigned", "%s", "");
	ut_check(stp_str_cmp("ab", "abc") < 0, "cmp prefix first", "%s", "");

	gb_init(&a, "");
	stp_str_substr(a.s, "hello world", 6, 5);
	ut_check_str("substr middle", a.s, "world");
	stp_str_substr(a.s, "hello", 3, 100);
	ut_check_str("substr past the end", a.s, "lo");
	stp_str_substr(a.s, "hello", 5, 1);
	ut_check_str("substr at the end", a.s, "");
	stp_str_substr(a.s, "hello", -1, 3);
	ut_check_str("substr negative start", a.s, "");
	stp_str_substr(a.s, "hello", 1, -3);
	ut_check_str("substr negative length", a.s, "");
	stp_str_substr(a.s, "hello", INT64_MAX, INT64_MAX);
	ut_check_str("substr huge start", a.s, "");
	gb_init(&a, "abcdef");
	stp_str_substr(a.s, a.s, 2, 3);
	ut_check_str("substr onto itself", a.s, "cde");
	ut_check(gb_intact(&a), "substr guard", "%s", "");

	ut_check_int("find", stp_str_find("hello world", "o w"), 4);
	ut_check_int("find missing", stp_str_find("hello", "xyz"), -1);
	ut_check_int("find empty needle", stp_str_find("hello", ""), 0);
	ut_check_int("find needle longer than haystack", stp_str_find("ab", "abc"), -1);

	gb_init(&b, "");
	stp_str_from_int(b.s, INT64_MIN);
	ut_check_str("from_int INT64_MIN", b.s, "-9223372036854775808");
	stp_str_from_int(b.s, INT64_MAX);
	ut_check_str("from_int INT64_MAX", b.s, "9223372036854775807");
	stp_str_from_int(b.s, 0);
	ut_check_str("from_int 0", b.s, "0");
	ut_check(gb_intact(&b), "from_int guard", "%s", "");
	return ut_done();
}
