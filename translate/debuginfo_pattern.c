/* Probe point patterns: "NAME[@FILE[:LINES|+OFFSET]]".
 *
 * LINES is N, N-M, * or a comma list of those (":x,y-z"), as SystemTap
 * takes them.  A FILE matches a source path as is, or as a suffix after a
 * '/' (an implicit leading "* /"), so "t.c", "src/t.c" and "*.c" all name
 * /home/me/src/t.c, but "c/t.c" does not. */
#include "translate/debuginfo_int.h"
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

bool di_has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

bool di_file_matches(const char *pattern, const char *file)
{
	if (!file)
		return false;
	if (fnmatch(pattern, file, 0) == 0)
		return true;
	size_t plen = strlen(pattern);
	char buf[plen + 3];
	buf[0] = '*';
	buf[1] = '/';
	memcpy(buf + 2, pattern, plen + 1);
	return fnmatch(buf, file, 0) == 0;
}

/* Is s (up to end) a line spec SystemTap would take? */
static bool looks_like_lines(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '-' && *s != ',' && *s != '*')
			return false;
	return true;
}

static int parse_num(const char **p, int *out)
{
	const char *s = *p;
	if (!isdigit((unsigned char)*s))
		return -1;
	long v = 0;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > 100000000)
			return -1;
	}
	*out = (int)v;
	*p = s;
	return 0;
}

static int parse_lines(DiModule *m, const char *text, const char *spec, DiPattern *p)
{
	if (!strcmp(spec, "*")) {
		p->kind = DI_LINE_ALL;
		return 0;
	}
	p->kind = DI_LINE_ABS;
	const char *s = spec;
	for (;;) {
		int lo, hi;
		if (parse_num(&s, &lo))
			return di_fail(m, "invalid line number in '%s'", text);
		hi = lo;
		if (*s == '-') {
			s++;
			if (parse_num(&s, &hi))
				return di_fail(m, "invalid line range in '%s'", text);
			if (hi < lo)
				return di_fail(m, "invalid line range %d-%d in '%s' (the end comes "
					       "before the start)", lo, hi, text);
		}
		if (p->nranges == (int)(sizeof(p->range) / sizeof(p->range[0])))
			return di_fail(m, "too many line ranges in '%s'", text);
		p->range[p->nranges].lo = lo;
		p->range[p->nranges].hi = hi;
		p->nranges++;
		if (!*s)
			break;
		if (*s != ',')
			return di_fail(m, "invalid line number in '%s'", text);
		s++;
	}
	p->single = p->nranges == 1 && p->range[0].lo == p->range[0].hi;
	return 0;
}

int di_parse_pattern(DiModule *m, const char *text, DiPattern *p)
{
	memset(p, 0, sizeof(*p));
	const char *at = strchr(text, '@');
	if (!at) {
		if (!*text)
			return di_fail(m, "empty function name in probe point");
		if (strpbrk(text, ":+") && looks_like_lines(strpbrk(text, ":+") + 1))
			return di_fail(m, "a line number needs a file: '%s' (write NAME@FILE:LINE)",
				       text);
		p->func = di_strdup(m, text);
		return 0;
	}
	if (at == text)
		return di_fail(m, "empty function name in '%s' (use '*' for any function)", text);
	p->func = arena_strndup(&m->arena, text, (size_t)(at - text));
	const char *file = at + 1;
	/* The line part starts at the last ':' or '+' whose tail is a line
	 * spec; a file name may itself hold those characters. */
	const char *sep = NULL;
	for (const char *s = file; *s; s++)
		if ((*s == ':' || *s == '+') && looks_like_lines(s + 1))
			sep = s;
	size_t flen = sep ? (size_t)(sep - file) : strlen(file);
	if (!flen)
		return di_fail(m, "empty file name in '%s'", text);
	p->file = arena_strndup(&m->arena, file, flen);
	if (!sep) {
		const char *bad = strpbrk(file, ":+");
		if (bad && bad[1] == '\0')
			return di_fail(m, "missing line number after '%c' in '%s'", *bad, text);
		return 0;
	}
	if (*sep == '+') {
		const char *s = sep + 1;
		int off;
		if (parse_num(&s, &off) || *s)
			return di_fail(m, "invalid relative line number in '%s' (+N takes one "
				       "number)", text);
		p->kind = DI_LINE_REL;
		p->range[0].lo = p->range[0].hi = off;
		p->nranges = 1;
		p->single = true;
		return 0;
	}
	return parse_lines(m, text, sep + 1, p);
}
