/* The rc file, split into words the way a shell would split one command
 * line, minus everything that would run or match something: SystemTap runs
 * each line through wordexp(3) without command substitution, and users
 * write their rc files that way ("-I ~/tapsets", "-D MAXACTION=$N").
 *
 * Kept from the shell: blanks separate words; '...' and "..." quote;
 * backslash escapes; $NAME and ${NAME}, split into words at blanks unless
 * quoted (an unset one is an error, as SystemTap's WRDE_UNDEF makes it);
 * ~ and ~/ at the start of a word.
 * Different on purpose: '#' at the start of a word begins a comment
 * (wordexp passes it on as a word, which became a script argument); globs
 * stay literal; $(...), `...` and the operators | & ; < > ( ) are errors
 * rather than a whole file rejected without a reason. */
#include "translate/rc.h"
#include "parse/strbuf.h"
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	if (h && *h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

const char *rc_systemtap_dir(void)
{
	static char *dir;
	if (dir)
		return dir;
	const char *env = getenv("SYSTEMTAP_DIR");
	if (env && *env) {
		dir = strdup(env);
	} else {
		const char *h = home_dir();
		size_t n = strlen(h) + sizeof("/.systemtap");
		dir = malloc(n);
		if (dir)
			snprintf(dir, n, "%s/.systemtap", h);
	}
	if (!dir) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	return dir;
}

static bool is_name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Reads $NAME or ${NAME} at *pp (just after the '$'); *val gets its value,
 * or NULL for a lone '$', which stands for itself as in the shell. */
static bool read_var(const char **pp, const char **val, char *err, size_t errsz)
{
	const char *p = *pp;
	char name[128];
	size_t n = 0;
	bool braced = *p == '{';
	if (braced)
		p++;
	if (*p == '(') {
		snprintf(err, errsz, "command substitution '$(' is not allowed");
		return false;
	}
	while (is_name_char(*p, n == 0) && n + 1 < sizeof(name))
		name[n++] = *p++;
	name[n] = '\0';
	if (braced) {
		if (*p != '}' || !n) {
			snprintf(err, errsz, "bad variable reference '${%.*s'", (int)n, name);
			return false;
		}
		p++;
	} else if (!n) {
		*val = NULL;
		return true;
	}
	*val = getenv(name);
	if (!*val) {
		snprintf(err, errsz, "undefined variable $%s", name);
		return false;
	}
	*pp = p;
	return true;
}

static void push_word(RcWords *out, StrBuf *w, int line)
{
	char *s = strdup(sb_str(w));
	int *lines = realloc(out->lines, sizeof(int) * (size_t)(out->words.n + 1));
	if (!s || !lines) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	out->lines = lines;
	out->lines[out->words.n] = line;
	strlist_push(&out->words, s);
	sb_clear(w);
}

bool rc_split(const char *text, RcWords *out, int *line, char *err, size_t errsz)
{
	StrBuf w = { 0 };
	const char *p = text;
	bool ok = false;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			if (*p == '\n')
				++*line;
			p++;
		}
		if (!*p)
			break;
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		int start = *line;
		bool quoted = false;
		if (*p == '~' && (p[1] == '/' || p[1] == '\0' || strchr(" \t\r\n", p[1]))) {
			sb_puts(&w, home_dir());
			p++;
		}
		while (*p && !strchr(" \t\r\n", *p)) {
			char c = *p;
			if (c == '\'') {
				const char *q = strchr(p + 1, '\'');
				if (!q) {
					snprintf(err, errsz, "unterminated ' quote");
					goto out;
				}
				for (const char *r = p + 1; r < q; r++)
					*line += *r == '\n';
				sb_putn(&w, p + 1, (size_t)(q - p - 1));
				p = q + 1;
				quoted = true;
			} else if (c == '"') {
				int opened = *line;
				p++;
				while (*p != '"') {
					if (!*p) {
						*line = opened;
						snprintf(err, errsz, "unterminated \" quote");
						goto out;
					}
					if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1])) {
						if (p[1] == '\n')
							++*line;
						else
							sb_putc(&w, p[1]);
						p += 2;
					} else if (*p == '$') {
						const char *v;
						p++;
						if (!read_var(&p, &v, err, errsz))
							goto out;
						sb_puts(&w, v ? v : "$");
					} else if (*p == '`') {
						snprintf(err, errsz, "command substitution '`' is not allowed");
						goto out;
					} else {
						*line += *p == '\n';
						sb_putc(&w, *p++);
					}
				}
				p++;
				quoted = true;
			} else if (c == '\\') {
				if (p[1] == '\n') {
					++*line;	/* a continued line */
				} else if (p[1]) {
					sb_putc(&w, p[1]);
				}
				p += p[1] ? 2 : 1;
			} else if (c == '$') {
				/* Unquoted, the value splits into words at blanks. */
				const char *v;
				p++;
				if (!read_var(&p, &v, err, errsz))
					goto out;
				for (v = v ? v : "$"; *v; v++) {
					if (!strchr(" \t\n", *v)) {
						sb_putc(&w, *v);
					} else if (w.len || quoted) {
						push_word(out, &w, start);
						quoted = false;
					}
				}
			} else if (c == '`') {
				snprintf(err, errsz, "command substitution '`' is not allowed");
				goto out;
			} else if (strchr("|&;<>()", c)) {
				snprintf(err, errsz, "shell operator '%c' is not allowed (quote it)", c);
				goto out;
			} else {
				sb_putc(&w, c);
				p++;
			}
		}
		/* "" is an empty word; an unquoted empty $VAR is none. */
		if (w.len || quoted)
			push_word(out, &w, start);
	}
	ok = true;
out:
	sb_free(&w);
	return ok;
}

bool rc_read(const char *path, RcWords *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return true;
		fprintf(stderr, "stap: cannot read %s: %s\n", path, strerror(errno));
		return false;
	}
	StrBuf text = { 0 };
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&text, buf, n);
	bool failed = ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		fprintf(stderr, "stap: cannot read %s: %s\n", path, strerror(saved));
		sb_free(&text);
		return false;
	}
	if (memchr(sb_str(&text), '\0', text.len)) {
		fprintf(stderr, "stap: %s: not a text file (it holds a NUL byte)\n", path);
		sb_free(&text);
		return false;
	}
	int line = 1;
	char err[256];
	bool ok = rc_split(sb_str(&text), out, &line, err, sizeof(err));
	if (!ok)
		fprintf(stderr, "stap: %s:%d: %s\n", path, line, err);
	sb_free(&text);
	return ok;
}
