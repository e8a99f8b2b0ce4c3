/* The stap command line, after the words of $SYSTEMTAP_DIR/rc.
 *
 * Options mean what they mean to SystemTap and are spelled as its stap
 * spells them.  As with GNU getopt, options may follow the script ("stap
 * x.stp -v") and "--" ends them.  Every bad value, unknown option and
 * conflicting combination is one line on stderr and exit status 1; an error
 * in the rc file names the file and line.  The rc file's options come first,
 * so the command line overrides what it sets. */
#include "translate/options.h"
#include "config.h"
#include "translate/help.h"
#include "translate/kconfig.h"
#include "translate/rc.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

void strlist_push(StrList *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = realloc(l->v, sizeof(*l->v) * (size_t)l->cap);
		if (!l->v) {
			fputs("stap: out of memory\n", stderr);
			exit(1);
		}
	}
	l->v[l->n++] = s;
}

/* SystemTap's names for machines, which are also the tapset subfolders. */
static const char *normalize_arch(const char *m)
{
	if (!strcmp(m, "i386") || !strcmp(m, "i486") || !strcmp(m, "i586") ||
	    !strcmp(m, "i686"))
		return "i386";
	if (!strcmp(m, "aarch64"))
		return "arm64";
	if (!strncmp(m, "armv", 4))
		return "arm";
	if (!strcmp(m, "ppc64") || !strcmp(m, "ppc64le"))
		return "powerpc";
	if (!strcmp(m, "s390x"))
		return "s390";
	return m;
}

void session_init(Session *s)
{
	memset(s, 0, sizeof(*s));
	s->last_pass = 5;
	s->compatible = STAP_LANGUAGE_VERSION;
	static struct utsname u;
	uname(&u);
	s->kernel_release = u.release;
	s->arch = normalize_arch(u.machine);
	s->rlimit_as = s->rlimit_cpu = s->rlimit_nproc = s->rlimit_stack = s->rlimit_fsize = -1;
}

/* ---- the option table ---- */

typedef enum OptId {
	O_HELP = 1, O_VERSION, O_PASS, O_VERBOSE, O_VP, O_KEEP, O_UNOPTIMIZED, O_NOWARN,
	O_WERROR, O_GURU, O_BULK, O_BUFSIZE, O_INCLUDE, O_DEFINE, O_KBUILD, O_GLOBAL,
	O_RUNTIME_DIR, O_RELEASE, O_ARCH, O_MODULE, O_OUTPUT, O_SCRIPT, O_EXTRA_SCRIPT, O_CMD,
	O_PID, O_FLIGHT, O_SWITCH, O_LIST, O_LIST_VARS, O_TIMEOUT, O_TIMING, O_UNWIND, O_LDD,
	O_ALL_MODULES, O_MODINFO, O_TMPDIR, O_RUNTIME, O_PRIVILEGE, O_UNPRIVILEGED,
	O_COMPATIBLE, O_SKIP_BADVARS, O_SUPPRESS_HANDLER_ERRORS, O_SUPPRESS_TIME_LIMITS,
	O_DISABLE_CACHE, O_RLIMIT_AS, O_RLIMIT_CPU, O_RLIMIT_NPROC, O_RLIMIT_STACK,
	O_RLIMIT_FSIZE, O_DUMP_PROBE_TYPES, O_DUMP_PROBE_ALIASES, O_DUMP_FUNCTIONS,
	O_UNSUPPORTED,
} OptId;

typedef enum ArgKind { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL } ArgKind;

typedef struct OptDef {
	char short_name;
	const char *long_name;
	ArgKind arg;
	OptId id;
} OptDef;

static const OptDef opts[] = {
	{ 'h', "help", ARG_NONE, O_HELP },
	{ 'V', "version", ARG_NONE, O_VERSION },
	{ 'p', NULL, ARG_REQUIRED, O_PASS },
	{ 'v', NULL, ARG_NONE, O_VERBOSE },
	{ 0, "vp", ARG_REQUIRED, O_VP },
	{ 'k', NULL, ARG_NONE, O_KEEP },
	{ 'u', NULL, ARG_NONE, O_UNOPTIMIZED },
	{ 'w', NULL, ARG_NONE, O_NOWARN },
	{ 'W', NULL, ARG_NONE, O_WERROR },
	{ 'g', NULL, ARG_NONE, O_GURU },
	{ 'b', NULL, ARG_NONE, O_BULK },
	{ 's', NULL, ARG_REQUIRED, O_BUFSIZE },
	{ 'I', NULL, ARG_REQUIRED, O_INCLUDE },
	{ 'D', NULL, ARG_REQUIRED, O_DEFINE },
	{ 'B', NULL, ARG_REQUIRED, O_KBUILD },
	{ 'G', NULL, ARG_REQUIRED, O_GLOBAL },
	{ 'R', NULL, ARG_REQUIRED, O_RUNTIME_DIR },
	{ 'r', NULL, ARG_REQUIRED, O_RELEASE },
	{ 'a', NULL, ARG_REQUIRED, O_ARCH },
	{ 'm', NULL, ARG_REQUIRED, O_MODULE },
	{ 'o', NULL, ARG_REQUIRED, O_OUTPUT },
	{ 'e', NULL, ARG_REQUIRED, O_SCRIPT },
	{ 'E', NULL, ARG_REQUIRED, O_EXTRA_SCRIPT },
	{ 'c', NULL, ARG_REQUIRED, O_CMD },
	{ 'x', NULL, ARG_REQUIRED, O_PID },
	{ 'F', NULL, ARG_NONE, O_FLIGHT },
	{ 'S', NULL, ARG_REQUIRED, O_SWITCH },
	{ 'l', NULL, ARG_REQUIRED, O_LIST },
	{ 'L', NULL, ARG_REQUIRED, O_LIST_VARS },
	{ 'T', NULL, ARG_REQUIRED, O_TIMEOUT },
	{ 't', NULL, ARG_NONE, O_TIMING },
	{ 'd', NULL, ARG_REQUIRED, O_UNWIND },
	{ 0, "ldd", ARG_NONE, O_LDD },
	{ 0, "all-modules", ARG_NONE, O_ALL_MODULES },
	{ 0, "modinfo", ARG_REQUIRED, O_MODINFO },
	{ 0, "tmpdir", ARG_REQUIRED, O_TMPDIR },
	{ 0, "runtime", ARG_REQUIRED, O_RUNTIME },
	{ 0, "privilege", ARG_REQUIRED, O_PRIVILEGE },
	{ 0, "unprivileged", ARG_NONE, O_UNPRIVILEGED },
	{ 0, "compatible", ARG_REQUIRED, O_COMPATIBLE },
	{ 0, "skip-badvars", ARG_NONE, O_SKIP_BADVARS },
	{ 0, "suppress-handler-errors", ARG_NONE, O_SUPPRESS_HANDLER_ERRORS },
	{ 0, "suppress-time-limits", ARG_NONE, O_SUPPRESS_TIME_LIMITS },
	{ 0, "disable-cache", ARG_NONE, O_DISABLE_CACHE },
	{ 0, "rlimit-as", ARG_REQUIRED, O_RLIMIT_AS },
	{ 0, "rlimit-cpu", ARG_REQUIRED, O_RLIMIT_CPU },
	{ 0, "rlimit-nproc", ARG_REQUIRED, O_RLIMIT_NPROC },
	{ 0, "rlimit-stack", ARG_REQUIRED, O_RLIMIT_STACK },
	{ 0, "rlimit-fsize", ARG_REQUIRED, O_RLIMIT_FSIZE },
	{ 0, "dump-probe-types", ARG_NONE, O_DUMP_PROBE_TYPES },
	{ 0, "dump-probe-aliases", ARG_NONE, O_DUMP_PROBE_ALIASES },
	{ 0, "dump-functions", ARG_NONE, O_DUMP_FUNCTIONS },
	/* SystemTap options that have no meaning here (compile servers, remote
	 * hosts, BPF, interactive mode...): named, so the message can say so. */
	{ 'i', "interactive", ARG_NONE, O_UNSUPPORTED },
	{ 'P', "prologue-searching", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 'q', NULL, ARG_NONE, O_UNSUPPORTED },
	{ 0, "bpf", ARG_NONE, O_UNSUPPORTED },
	{ 0, "use-server", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "use-server-on-error", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "list-servers", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "trust-servers", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "remote", ARG_REQUIRED, O_UNSUPPORTED },
	{ 0, "remote-prefix", ARG_NONE, O_UNSUPPORTED },
	{ 0, "download-debuginfo", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "sysroot", ARG_REQUIRED, O_UNSUPPORTED },
	{ 0, "sysenv", ARG_REQUIRED, O_UNSUPPORTED },
	{ 0, "save-uprobes", ARG_NONE, O_UNSUPPORTED },
	{ 0, "target-namespace", ARG_REQUIRED, O_UNSUPPORTED },
	{ 0, "check-version", ARG_NONE, O_UNSUPPORTED },
	{ 0, "clean-cache", ARG_NONE, O_UNSUPPORTED },
	{ 0, "poison-cache", ARG_NONE, O_UNSUPPORTED },
	{ 0, "color", ARG_OPTIONAL, O_UNSUPPORTED },
	{ 0, "colour", ARG_OPTIONAL, O_UNSUPPORTED },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))
#define SEE_HELP "(stap --help lists the options)"

/* ---- parse state and errors ---- */

typedef enum Source { SRC_RC, SRC_CMDLINE } Source;

typedef struct Parser {
	Session *s;
	Source src;
	const char *rc_path;
	const int *rc_lines;
	int word;			/* index of the word being read */
	StrList positional[2];		/* per source */
	bool want_help, want_version;
	const char *release_arg;
	bool pass_given;
	const char *list_opt;		/* the listing option seen, for messages */
	Source script_src;
	bool script_given;
	Source priv_src;
	bool priv_given;
	bool runtime_dir_given;
} Parser;

/* "stap: MESSAGE", or "stap: RC:LINE: MESSAGE" for a word from the rc file. */
__attribute__((format(printf, 2, 3)))
static int fail(const Parser *p, const char *fmt, ...)
{
	va_list ap;
	fputs("stap: ", stderr);
	if (p && p->src == SRC_RC)
		fprintf(stderr, "%s:%d: ", p->rc_path, p->rc_lines[p->word]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* How an option is written in messages: "-p" or "--compatible". */
static const char *opt_name(const OptDef *o, bool as_long, char buf[64])
{
	if (as_long || !o->short_name)
		snprintf(buf, 64, "--%s", o->long_name);
	else
		snprintf(buf, 64, "-%c", o->short_name);
	return buf;
}

/* ---- value checks ---- */

/* Decimal digits only (no sign, no blanks), at most max. */
static bool parse_num(const char *v, unsigned long max, unsigned long *out)
{
	if (!*v)
		return false;
	unsigned long n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		unsigned d = (unsigned)(*p - '0');
		if (n > (ULONG_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	if (n > max)
		return false;
	*out = n;
	return true;
}

static bool is_ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* A C identifier; returns its length, 0 when v does not start with one. */
static size_t ident_len(const char *v)
{
	size_t n = 0;
	if (!is_ident_start(v[0]))
		return 0;
	while (is_ident_char(v[n]))
		n++;
	return n;
}

static bool all_chars(const char *v, const char *extra)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!is_ident_char(*v) && !strchr(extra, *v))
			return false;
	return true;
}

/* "4", "4.8", "1.0.3": dotted numbers. */
static bool version_syntax_ok(const char *v)
{
	bool digit = false;
	for (; *v; v++) {
		if (*v >= '0' && *v <= '9') {
			digit = true;
		} else if (*v == '.' && digit) {
			digit = false;
		} else {
			return false;
		}
	}
	return digit;
}

static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10);
		unsigned long y = strtoul(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

static int need_dir(const Parser *p, const char *opt, const char *v)
{
	struct stat st;
	if (!*v)
		return fail(p, "invalid value '' for %s (expected a folder)", opt);
	if (stat(v, &st) < 0)
		return fail(p, "%s folder '%s': %s", opt, v, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(p, "%s folder '%s': %s", opt, v, strerror(ENOTDIR));
	return 0;
}

static const char *privilege_name(Privilege pr)
{
	return pr == PRIV_STAPUSR ? "stapusr" : pr == PRIV_STAPSYS ? "stapsys" : "stapdev";
}

static int set_privilege(Parser *p, Privilege pr)
{
	Session *s = p->s;
	if (p->priv_given && p->priv_src == p->src && s->privilege != pr)
		return fail(p, "privilege level given twice (%s, then %s)",
			    privilege_name(s->privilege), privilege_name(pr));
	s->privilege = pr;
	p->priv_given = true;
	p->priv_src = p->src;
	return 0;
}

static int set_list(Parser *p, ListMode mode, const char *name, const char *pattern)
{
	Session *s = p->s;
	if (s->list_mode != LIST_NONE)
		return fail(p, "%s and %s cannot be used together", p->list_opt, name);
	if (pattern && !*pattern)
		return fail(p, "invalid value '' for %s (expected a probe point)", name);
	s->list_mode = mode;
	s->list_pattern = pattern;
	s->list_with_vars = mode == LIST_PROBES_VARS;
	p->list_opt = name;
	return 0;
}

static int set_rlimit(const Parser *p, long *dst, const char *name, const char *v)
{
	unsigned long n;
	if (!parse_num(v, LONG_MAX, &n))
		return fail(p, "invalid value '%s' for %s (expected a whole number from 0 to %ld)",
			    v, name, LONG_MAX);
	*dst = (long)n;
	return 0;
}

/* Applies one option.  name is how the user wrote it, for messages. */
static int apply(Parser *p, const OptDef *o, const char *name, const char *v)
{
	Session *s = p->s;
	unsigned long n;
	size_t len;
	switch (o->id) {
	case O_HELP:
		p->want_help = true;
		return 0;
	case O_VERSION:
		p->want_version = true;
		return 0;
	case O_PASS:
		if (!parse_num(v, 5, &n) || n < 1)
			return fail(p, "invalid value '%s' for -p (expected 1 to 5)", v);
		s->last_pass = (int)n;
		p->pass_given = true;
		return 0;
	case O_VERBOSE:
		for (int i = 0; i < 5; i++)
			s->verbose[i]++;
		return 0;
	case O_VP:
		len = strlen(v);
		if (len < 1 || len > 5 || strspn(v, "0123456789") != len)
			return fail(p, "invalid value '%s' for --vp (expected 1 to 5 digits, "
				    "one per pass)", v);
		for (size_t i = 0; i < len; i++)
			s->verbose[i] += v[i] - '0';
		return 0;
	case O_KEEP:
		s->keep_tmpdir = true;
		return 0;
	case O_UNOPTIMIZED:
		s->unoptimized = true;
		return 0;
	case O_NOWARN:
		s->suppress_warnings = true;
		return 0;
	case O_WERROR:
		s->warnings_are_errors = true;
		return 0;
	case O_GURU:
		s->guru = true;
		return 0;
	case O_BULK:
		s->bulk_mode = true;
		return 0;
	case O_BUFSIZE:
		if (!parse_num(v, 4095, &n) || n < 1)
			return fail(p, "invalid value '%s' for -s (expected 1 to 4095 megabytes)",
				    v);
		s->buffer_mb = (long)n;
		return 0;
	case O_INCLUDE:
		if (need_dir(p, "-I", v))
			return 1;
		strlist_push(&s->include_dirs, v);
		return 0;
	case O_DEFINE:
		/* Only what cannot break the generated C or its command line:
		 * NAME or NAME=VALUE with VALUE a (negative) number or word. */
		len = ident_len(v);
		if (!len || (v[len] && (v[len] != '=' ||
					!all_chars(v + len + 1 + (v[len + 1] == '-'), ""))))
			return fail(p, "invalid value '%s' for -D (expected NAME or NAME=VALUE, "
				    "VALUE a number or identifier)", v);
		strlist_push(&s->defines, v);
		return 0;
	case O_KBUILD:
		if (!*v)
			return fail(p, "invalid value '' for -B (expected NAME=VALUE)");
		strlist_push(&s->build_options, v);
		return 0;
	case O_GLOBAL:
		len = ident_len(v);
		if (!len || v[len] != '=' || !all_chars(v + len + 1, ".-"))
			return fail(p, "invalid value '%s' for -G (expected NAME=VALUE, VALUE made "
				    "of letters, digits, '_', '.' and '-')", v);
		strlist_push(&s->globals_set, v);
		return 0;
	case O_RUNTIME_DIR:
		if (need_dir(p, "-R", v))
			return 1;
		s->runtime_dir = v;
		p->runtime_dir_given = true;
		return 0;
	case O_RELEASE:
		if (!*v)
			return fail(p, "invalid value '' for -r (expected a kernel release or a "
				    "build folder)");
		p->release_arg = v;
		return 0;
	case O_ARCH:
		if (!all_chars(v, "-"))
			return fail(p, "invalid value '%s' for -a (expected an architecture such "
				    "as x86_64)", v);
		s->arch = normalize_arch(v);
		return 0;
	case O_MODULE:
		/* The name becomes C identifiers and the kernel's module name,
		 * which holds at most 55 characters (MODULE_NAME_LEN - 1). */
		len = ident_len(v);
		if (!len || v[len])
			return fail(p, "invalid value '%s' for -m (expected a C identifier)", v);
		if (len > 55)
			return fail(p, "invalid value '%s' for -m (a module name has at most 55 "
				    "characters, this one %zu)", v, len);
		s->module_name = v;
		return 0;
	case O_OUTPUT:
		if (!*v)
			return fail(p, "invalid value '' for -o (expected a file name)");
		s->output_file = v;
		return 0;
	case O_SCRIPT:
		if (p->script_given)
			return fail(p, "-e given twice: only one script can be given (use -E for "
				    "more)");
		s->script_text = v;
		p->script_given = true;
		p->script_src = p->src;
		return 0;
	case O_EXTRA_SCRIPT:
		strlist_push(&s->extra_scripts, v);
		return 0;
	case O_CMD:
		if (!*v)
			return fail(p, "invalid value '' for -c (expected a command)");
		s->target_cmd = v;
		return 0;
	case O_PID:
		/* PID_MAX_LIMIT: no Linux process has a larger ID. */
		if (!parse_num(v, 4194304, &n) || n < 1)
			return fail(p, "invalid value '%s' for -x (expected a process ID from 1 "
				    "to 4194304)", v);
		s->target_pid = (pid_t)n;
		return 0;
	case O_FLIGHT:
		s->load_only = true;
		return 0;
	case O_SWITCH: {
		unsigned long size = 0, count = 0;
		char sz[32];
		size_t k = strcspn(v, ",");
		bool ok = k < sizeof(sz);
		if (ok) {
			memcpy(sz, v, k);
			sz[k] = '\0';
			ok = parse_num(sz, LONG_MAX >> 20, &size) && size >= 1 &&
			     (!v[k] || (parse_num(v + k + 1, INT_MAX, &count) && count >= 1));
		}
		if (!ok)
			return fail(p, "invalid value '%s' for -S (expected SIZE or SIZE,N: "
				    "megabytes per file and number of files, each at least 1)", v);
		s->file_size_mb = (long)size;
		s->file_count = (long)count;
		return 0;
	}
	case O_LIST:
		return set_list(p, LIST_PROBES, "-l", v);
	case O_LIST_VARS:
		return set_list(p, LIST_PROBES_VARS, "-L", v);
	case O_DUMP_PROBE_TYPES:
		return set_list(p, LIST_PROBE_TYPES, "--dump-probe-types", NULL);
	case O_DUMP_PROBE_ALIASES:
		return set_list(p, LIST_PROBE_ALIASES, "--dump-probe-aliases", NULL);
	case O_DUMP_FUNCTIONS:
		return set_list(p, LIST_FUNCTIONS, "--dump-functions", NULL);
	case O_TIMEOUT:
		if (!parse_num(v, INT_MAX, &n) || n < 1)
			return fail(p, "invalid value '%s' for -T (expected seconds, at least 1)",
				    v);
		s->timeout_s = (long)n;
		return 0;
	case O_TIMING:
		s->timing = true;
		return 0;
	case O_UNWIND:
		if (!*v)
			return fail(p, "invalid value '' for -d (expected a file or module name)");
		strlist_push(&s->unwind_objects, v);
		return 0;
	case O_LDD:
		s->ldd = true;
		return 0;
	case O_ALL_MODULES:
		s->all_modules = true;
		return 0;
	case O_MODINFO:
		len = ident_len(v);
		if (!len || v[len] != '=' || !v[len + 1] || strpbrk(v, "\"\\\n"))
			return fail(p, "invalid value '%s' for --modinfo (expected NAME=VALUE, "
				    "VALUE without quotes or backslashes)", v);
		strlist_push(&s->modinfo, v);
		return 0;
	case O_TMPDIR:
		if (need_dir(p, "--tmpdir", v))
			return 1;
		s->tmpdir_base = v;
		return 0;
	case O_RUNTIME:
		if (!strcmp(v, "kernel"))
			s->runtime = RUNTIME_KERNEL;
		else if (!strcmp(v, "ptrace") || !strcmp(v, "dyninst"))
			s->runtime = RUNTIME_PTRACE;
		else
			return fail(p, "invalid value '%s' for --runtime (expected kernel, ptrace "
				    "or dyninst)", v);
		return 0;
	case O_PRIVILEGE:
		if (!strcmp(v, "stapusr"))
			return set_privilege(p, PRIV_STAPUSR);
		if (!strcmp(v, "stapsys"))
			return set_privilege(p, PRIV_STAPSYS);
		if (!strcmp(v, "stapdev"))
			return set_privilege(p, PRIV_STAPDEV);
		return fail(p, "invalid value '%s' for --privilege (expected stapusr, stapsys or "
			    "stapdev)", v);
	case O_UNPRIVILEGED:
		return set_privilege(p, PRIV_STAPUSR);
	case O_COMPATIBLE:
		if (!version_syntax_ok(v) || version_cmp(v, STAP_LANGUAGE_VERSION) > 0)
			return fail(p, "invalid value '%s' for --compatible (expected a SystemTap "
				    "version up to %s)", v, STAP_LANGUAGE_VERSION);
		s->compatible = v;
		return 0;
	case O_SKIP_BADVARS:
		s->skip_badvars = true;
		return 0;
	case O_SUPPRESS_HANDLER_ERRORS:
		s->suppress_handler_errors = true;
		return 0;
	case O_SUPPRESS_TIME_LIMITS:
		s->suppress_time_limits = true;
		return 0;
	case O_DISABLE_CACHE:
		s->disable_cache = true;
		return 0;
	case O_RLIMIT_AS:
		return set_rlimit(p, &s->rlimit_as, name, v);
	case O_RLIMIT_CPU:
		return set_rlimit(p, &s->rlimit_cpu, name, v);
	case O_RLIMIT_NPROC:
		return set_rlimit(p, &s->rlimit_nproc, name, v);
	case O_RLIMIT_STACK:
		return set_rlimit(p, &s->rlimit_stack, name, v);
	case O_RLIMIT_FSIZE:
		return set_rlimit(p, &s->rlimit_fsize, name, v);
	case O_UNSUPPORTED:
		return fail(p, "%s is a SystemTap option that ustap does not support", name);
	}
	return fail(p, "internal error: option %s has no handler", name);
}

/* ---- reading words ---- */

static const OptDef *find_short(char c)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

/* Exact long names, else an unambiguous prefix, as getopt_long allows. */
static const OptDef *find_long(const char *name, size_t len, bool *ambiguous)
{
	const OptDef *found = NULL;
	*ambiguous = false;
	for (size_t i = 0; i < NOPTS; i++) {
		const char *l = opts[i].long_name;
		if (!l || strncmp(l, name, len))
			continue;
		if (!l[len])
			return &opts[i];
		if (found)
			*ambiguous = true;
		found = &opts[i];
	}
	return *ambiguous ? NULL : found;
}

static int parse_words(Parser *p, char **w, int n)
{
	char buf[64];
	bool options_done = false;
	for (int i = 0; i < n; i++) {
		p->word = i;
		const char *a = w[i];
		if (options_done || a[0] != '-' || !a[1]) {
			strlist_push(&p->positional[p->src], a);
			continue;
		}
		if (!strcmp(a, "--")) {
			options_done = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			bool ambiguous;
			const OptDef *o = find_long(name, len, &ambiguous);
			if (ambiguous)
				return fail(p, "option '--%.*s' is ambiguous " SEE_HELP, (int)len,
					    name);
			if (!o)
				return fail(p, "unrecognized option '--%.*s' " SEE_HELP, (int)len,
					    name);
			const char *shown = opt_name(o, true, buf);
			const char *v = NULL;
			if (eq) {
				if (o->arg == ARG_NONE)
					return fail(p, "option '%s' takes no value", shown);
				v = eq + 1;
			} else if (o->arg == ARG_REQUIRED) {
				if (i + 1 >= n)
					return fail(p, "missing value for %s", shown);
				v = w[++i];
			}
			if (apply(p, o, shown, v))
				return 1;
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			const OptDef *o = find_short(*c);
			if (!o)
				return fail(p, "unrecognized option '-%c' " SEE_HELP, *c);
			const char *shown = opt_name(o, false, buf);
			if (o->arg == ARG_NONE) {
				if (apply(p, o, shown, NULL))
					return 1;
				continue;
			}
			const char *v = c + 1;
			if (!*v) {
				if (o->arg == ARG_OPTIONAL) {
					v = NULL;
				} else if (i + 1 >= n) {
					return fail(p, "missing value for %s", shown);
				} else {
					v = w[++i];
				}
			}
			if (apply(p, o, shown, v))
				return 1;
			break;
		}
	}
	return 0;
}

/* ---- after both sources ---- */

static int check_combinations(Parser *p)
{
	Session *s = p->s;
	/* Messages about the whole run name no file. */
	p->src = SRC_CMDLINE;
	if (s->target_cmd && s->target_pid)
		return fail(p, "-c and -x cannot be used together");
	if (s->guru && s->privilege != PRIV_STAPDEV)
		return fail(p, "-g cannot be used with --privilege=%s",
			    privilege_name(s->privilege));
	if (s->suppress_time_limits && !s->guru)
		return fail(p, "--suppress-time-limits needs guru mode (-g)");
	if (s->file_size_mb && !s->output_file)
		return fail(p, "-S needs an output file (-o FILE)");
	if (s->list_mode != LIST_NONE) {
		if (p->script_given)
			return fail(p, "%s cannot be used with a script (-e)", p->list_opt);
		if (p->pass_given)
			return fail(p, "%s cannot be used with -p", p->list_opt);
	}
	return 0;
}

/* Words that are not options: the script (unless -e or a listing says
 * otherwise), then its arguments, rc file's words first. */
static int assign_positionals(Parser *p)
{
	Session *s = p->s;
	StrList all = { 0 };
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < p->positional[k].n; i++)
			strlist_push(&all, p->positional[k].v[i]);
	int i = 0;
	if (!p->script_given && s->list_mode == LIST_NONE) {
		if (!all.n) {
			free(all.v);
			p->src = SRC_CMDLINE;
			return fail(p, "no script given (a file, '-' for stdin, or -e SCRIPT)");
		}
		s->script_file = all.v[i++];
		if (!*s->script_file) {
			free(all.v);
			return fail(p, "invalid script file name ''");
		}
	}
	for (; i < all.n; i++)
		strlist_push(&s->script_args, all.v[i]);
	free(all.v);
	return 0;
}

static int resolve_target(Parser *p)
{
	Session *s = p->s;
	KernelTarget t;
	char err[512];
	if (!kernel_target_resolve(p->release_arg, &t, err, sizeof(err))) {
		p->src = SRC_CMDLINE;
		return fail(p, "%s", err);
	}
	s->kernel_release = t.release;
	s->kernel_build_dir = t.build_dir;
	kconfig_use(s->kernel_build_dir);
	s->pp.config = kconfig_lookup;

	/* A module for another kernel or machine cannot run here; SystemTap
	 * stops after building it and says so. */
	struct utsname u;
	bool foreign = uname(&u) == 0 &&
		       (strcmp(u.release, s->kernel_release) ||
			strcmp(normalize_arch(u.machine), s->arch));
	if (foreign && s->last_pass == 5 && s->list_mode == LIST_NONE &&
	    s->runtime != RUNTIME_PTRACE) {
		s->last_pass = 4;
		if (!s->suppress_warnings)
			fputs("WARNING: kernel release/architecture mismatch with host forces "
			      "last-pass 4.\n", stderr);
	}
	return 0;
}

/* SystemTap applies --rlimit-* to the translator itself, soft and hard. */
static int apply_rlimits(Parser *p)
{
	static const struct {
		int resource;
		const char *name;
		size_t offset;
	} limits[] = {
		{ RLIMIT_AS, "--rlimit-as", offsetof(Session, rlimit_as) },
		{ RLIMIT_CPU, "--rlimit-cpu", offsetof(Session, rlimit_cpu) },
		{ RLIMIT_NPROC, "--rlimit-nproc", offsetof(Session, rlimit_nproc) },
		{ RLIMIT_STACK, "--rlimit-stack", offsetof(Session, rlimit_stack) },
		{ RLIMIT_FSIZE, "--rlimit-fsize", offsetof(Session, rlimit_fsize) },
	};
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		long v = *(const long *)((const char *)p->s + limits[i].offset);
		if (v < 0)
			continue;
		struct rlimit rl = { .rlim_cur = (rlim_t)v, .rlim_max = (rlim_t)v };
		if (setrlimit(limits[i].resource, &rl) < 0) {
			p->src = SRC_CMDLINE;
			return fail(p, "cannot set %s to %ld: %s", limits[i].name, v,
				    strerror(errno));
		}
	}
	return 0;
}

static void fill_defaults(Parser *p)
{
	Session *s = p->s;
	const char *env;
	if (!s->tapset_dir) {
		env = getenv("SYSTEMTAP_TAPSET");
		s->tapset_dir = env && *env ? env : PKGDATADIR "/tapset";
	}
	if (!p->runtime_dir_given) {
		env = getenv("SYSTEMTAP_RUNTIME");
		s->runtime_dir = env && *env ? env : PKGDATADIR "/runtime";
	}
	if (!s->tmpdir_base) {
		env = getenv("TMPDIR");
		s->tmpdir_base = env && *env ? env : "/tmp";
	}
	if (s->list_mode != LIST_NONE)
		s->last_pass = 2;
}

/* ---- USTAP_DUMP_OPTIONS: the parsed session, for tests and debugging ---- */

static void dump_str(FILE *f, const char *k, const char *v)
{
	if (v)
		fprintf(f, "%s=%s\n", k, v);
}

static void dump_list(FILE *f, const char *k, const StrList *l)
{
	for (int i = 0; i < l->n; i++)
		fprintf(f, "%s=%s\n", k, l->v[i]);
}

static void dump_num(FILE *f, const char *k, long v)
{
	fprintf(f, "%s=%ld\n", k, v);
}

void options_dump(const Session *s, FILE *f)
{
	static const char *const runtimes[] = { "auto", "kernel", "ptrace" };
	static const char *const lists[] = {
		"none", "probes", "probes-vars", "probe-types", "probe-aliases", "functions",
	};
	dump_str(f, "script_file", s->script_file);
	dump_str(f, "script_text", s->script_text);
	dump_list(f, "extra_script", &s->extra_scripts);
	dump_list(f, "script_arg", &s->script_args);
	dump_list(f, "include_dir", &s->include_dirs);
	dump_list(f, "define", &s->defines);
	dump_list(f, "global", &s->globals_set);
	dump_num(f, "last_pass", s->last_pass);
	fprintf(f, "verbose=%d,%d,%d,%d,%d\n", s->verbose[0], s->verbose[1], s->verbose[2],
		s->verbose[3], s->verbose[4]);
	dump_num(f, "suppress_warnings", s->suppress_warnings);
	dump_num(f, "warnings_are_errors", s->warnings_are_errors);
	dump_num(f, "guru", s->guru);
	dump_str(f, "privilege", privilege_name(s->privilege));
	dump_str(f, "compatible", s->compatible);
	dump_num(f, "suppress_time_limits", s->suppress_time_limits);
	dump_num(f, "skip_badvars", s->skip_badvars);
	dump_num(f, "unoptimized", s->unoptimized);
	dump_num(f, "suppress_handler_errors", s->suppress_handler_errors);
	dump_str(f, "kernel_release", s->kernel_release);
	dump_str(f, "kernel_build_dir", s->kernel_build_dir);
	dump_str(f, "arch", s->arch);
	dump_str(f, "runtime", runtimes[s->runtime]);
	dump_str(f, "target_cmd", s->target_cmd);
	dump_num(f, "target_pid", s->target_pid);
	dump_list(f, "build_option", &s->build_options);
	dump_str(f, "runtime_dir", s->runtime_dir);
	dump_str(f, "tapset_dir", s->tapset_dir);
	dump_list(f, "unwind_object", &s->unwind_objects);
	dump_num(f, "ldd", s->ldd);
	dump_num(f, "all_modules", s->all_modules);
	dump_str(f, "output_file", s->output_file);
	dump_str(f, "module_name", s->module_name);
	dump_num(f, "keep_tmpdir", s->keep_tmpdir);
	dump_num(f, "bulk_mode", s->bulk_mode);
	dump_num(f, "load_only", s->load_only);
	dump_num(f, "buffer_mb", s->buffer_mb);
	dump_num(f, "file_size_mb", s->file_size_mb);
	dump_num(f, "file_count", s->file_count);
	dump_list(f, "modinfo", &s->modinfo);
	dump_num(f, "timeout_s", s->timeout_s);
	dump_num(f, "timing", s->timing);
	dump_str(f, "tmpdir_base", s->tmpdir_base);
	dump_num(f, "disable_cache", s->disable_cache);
	dump_str(f, "systemtap_dir", s->systemtap_dir);
	dump_str(f, "rc_file", s->rc_file);
	dump_str(f, "list_mode", lists[s->list_mode]);
	dump_str(f, "list_pattern", s->list_pattern);
	dump_num(f, "rlimit_as", s->rlimit_as);
	dump_num(f, "rlimit_cpu", s->rlimit_cpu);
	dump_num(f, "rlimit_nproc", s->rlimit_nproc);
	dump_num(f, "rlimit_stack", s->rlimit_stack);
	dump_num(f, "rlimit_fsize", s->rlimit_fsize);
}

int options_parse(Session *s, int argc, char **argv)
{
	/* Static: the session keeps pointers into the rc file's words. */
	static char *rc_path;
	static RcWords rc;
	Parser p = { .s = s };
	s->systemtap_dir = rc_systemtap_dir();
	size_t n = strlen(s->systemtap_dir) + sizeof("/rc");
	free(rc_path);
	rc_path = malloc(n);
	if (!rc_path)
		return fail(NULL, "out of memory");
	snprintf(rc_path, n, "%s/rc", s->systemtap_dir);

	if (!rc_read(rc_path, &rc))
		return 1;
	if (rc.words.n || access(rc_path, F_OK) == 0)
		s->rc_file = rc_path;
	p.src = SRC_RC;
	p.rc_path = rc_path;
	p.rc_lines = rc.lines;
	int status = parse_words(&p, (char **)rc.words.v, rc.words.n);
	if (!status) {
		p.src = SRC_CMDLINE;
		status = parse_words(&p, argv + 1, argc - 1);
	}
	bool stop = status || p.want_help || p.want_version;
	if (!stop)
		status = check_combinations(&p) || assign_positionals(&p) ||
			 resolve_target(&p) || apply_rlimits(&p);
	free(p.positional[SRC_RC].v);
	free(p.positional[SRC_CMDLINE].v);
	if (status)
		return status;
	if (stop) {
		if (p.want_help)
			help_print_usage(stdout);
		else
			help_print_version(stdout);
		return fflush(stdout) ? 1 : 0;
	}
	fill_defaults(&p);
	if (s->verbose[0] > 1) {
		fprintf(stderr, "Session arch: %s release: %s\n", s->arch, s->kernel_release);
		fprintf(stderr, "Build tree: \"%s\"\n", s->kernel_build_dir);
	}
	const char *dump = getenv("USTAP_DUMP_OPTIONS");
	if (dump && *dump) {
		options_dump(s, stdout);
		return fflush(stdout) ? 1 : 0;
	}
	return -1;
}
