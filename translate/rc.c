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
#include <stdarg.h>
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

/* The state of one split: where we are, the word being built, the line. */
typedef struct Splitter {
	const char *p;
	StrBuf w;
	RcWords *out;
	int *line;
	int word_line;		/* where the current word began */
	bool quoted;		/* the current word had quotes: "" is a word */
	char *err;
	size_t errsz;
} Splitter;

__attribute__((format(printf, 2, 3)))
static bool split_fail(Splitter *sp, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sp->err, sp->errsz, fmt, ap);
	va_end(ap);
	return false;
}

static void end_word(Splitter *sp)
{
	if (sp->w.len || sp->quoted)
		push_word(sp->out, &sp->w, sp->word_line);
	sp->quoted = false;
}

/* '...': everything literal up to the next quote. */
static bool split_single(Splitter *sp)
{
	const char *q = strchr(sp->p + 1, '\'');
	if (!q)
		return split_fail(sp, "unterminated ' quote");
	for (const char *r = sp->p + 1; r < q; r++)
		*sp->line += *r == '\n';
	sb_putn(&sp->w, sp->p + 1, (size_t)(q - sp->p - 1));
	sp->p = q + 1;
	sp->quoted = true;
	return true;
}

/* "...": $VAR expands (not split), backslash escapes only \" \\ \$ \` and
 * a newline. */
static bool split_double(Splitter *sp)
{
	int opened = *sp->line;
	const char *p = sp->p + 1;
	while (*p != '"') {
		if (!*p) {
			*sp->line = opened;
			return split_fail(sp, "unterminated \" quote");
		}
		if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1])) {
			if (p[1] == '\n')
				++*sp->line;
			else
				sb_putc(&sp->w, p[1]);
			p += 2;
		} else if (*p == '$') {
			const char *v;
			p++;
			if (!read_var(&p, &v, sp->err, sp->errsz))
				return false;
			sb_puts(&sp->w, v ? v : "$");
		} else if (*p == '`') {
			return split_fail(sp, "command substitution '`' is not allowed");
		} else {
			*sp->line += *p == '\n';
			sb_putc(&sp->w, *p++);
		}
	}
	sp->p = p + 1;
	sp->quoted = true;
	return true;
}

/* Unquoted $VAR: its value splits into words at blanks. */
static bool split_var(Splitter *sp)
{
	const char *v;
	sp->p++;
	if (!read_var(&sp->p, &v, sp->err, sp->errsz))
		return false;
	for (v = v ? v : "$"; *v; v++) {
		if (strchr(" \t\n", *v))
			end_word(sp);
		else
			sb_putc(&sp->w, *v);
	}
	return true;
}

static bool split_word(Splitter *sp)
{
	const char *blank = " \t\r\n";
	sp->word_line = *sp->line;
	if (sp->p[0] == '~' && (sp->p[1] == '/' || !sp->p[1] || strchr(blank, sp->p[1]))) {
		sb_puts(&sp->w, home_dir());
		sp->p++;
	}
	while (*sp->p && !strchr(blank, *sp->p)) {
		char c = *sp->p;
		bool ok = true;
		if (c == '\'') {
			ok = split_single(sp);
		} else if (c == '"') {
			ok = split_double(sp);
		} else if (c == '$') {
			ok = split_var(sp);
		} else if (c == '\\') {
			/* Escapes the next character; before a newline, continues the line. */
			if (sp->p[1] == '\n')
				++*sp->line;
			else if (sp->p[1])
				sb_putc(&sp->w, sp->p[1]);
			sp->p += sp->p[1] ? 2 : 1;
		} else if (c == '`') {
			ok = split_fail(sp, "command substitution '`' is not allowed");
		} else if (strchr("|&;<>()", c)) {
			ok = split_fail(sp, "shell operator '%c' is not allowed (quote it)", c);
		} else {
			sb_putc(&sp->w, c);
			sp->p++;
		}
		if (!ok)
			return false;
	}
	end_word(sp);
	return true;
}

bool rc_split(const char *text, RcWords *out, int *line, char *err, size_t errsz)
{
	Splitter sp = { .p = text, .out = out, .line = line, .err = err, .errsz = errsz };
	bool ok = true;
	while (ok) {
		while (*sp.p && strchr(" \t\r\n", *sp.p)) {
			*line += *sp.p == '\n';
			sp.p++;
		}
		if (!*sp.p)
			break;
		if (*sp.p == '#') {
			sp.p += strcspn(sp.p, "\n");
			continue;
		}
		ok = split_word(&sp);
	}
	sb_free(&sp.w);
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
