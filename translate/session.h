/* Everything one stap run was asked to do: the parsed command line, the
 * rc file, the environment, and what the passes learn along the way. */
#ifndef TRANSLATE_SESSION_H
#define TRANSLATE_SESSION_H
#include "parse/ast.h"
#include "parse/preproc.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum Privilege {
	PRIV_STAPDEV,	/* everything (root or stapdev group) */
	PRIV_STAPSYS,
	PRIV_STAPUSR,	/* -u / --unprivileged: own processes only */
} Privilege;

typedef enum RuntimeKind {
	RUNTIME_AUTO,	/* kernel where modules load and headers exist, else ptrace */
	RUNTIME_KERNEL,
	RUNTIME_PTRACE,
} RuntimeKind;

typedef enum ListMode {
	LIST_NONE,
	LIST_PROBES,		/* -l PATTERN */
	LIST_PROBES_VARS,	/* -L PATTERN */
	LIST_PROBE_TYPES,	/* --dump-probe-types */
	LIST_PROBE_ALIASES,	/* --dump-probe-aliases */
	LIST_FUNCTIONS,		/* --dump-functions */
} ListMode;

typedef struct NameValue {
	const char *name;
	const char *value;
} NameValue;

typedef struct StrList {
	const char **v;
	int n, cap;
} StrList;
void strlist_push(StrList *l, const char *s);

typedef struct Session {
	/* ---- what to translate ---- */
	const char *script_file;	/* path, "-" for stdin, NULL with -e */
	const char *script_text;	/* -e SCRIPT */
	StrList extra_scripts;		/* -E SCRIPT, each parsed as its own file */
	StrList script_args;		/* $1 @1 ... after the script */
	StrList include_dirs;		/* -I DIR, in order */
	StrList defines;		/* -D NAME[=VALUE], passed to the C compiler */
	StrList globals_set;		/* -G NAME=VALUE: initial values of globals (module
					 * parameters); words after the script are always
					 * script arguments, as in SystemTap */

	/* ---- how far and how loud ---- */
	int last_pass;			/* -p N: 1..5 */
	int verbose[5];			/* -v per pass; --vp ABCDE */
	bool suppress_warnings;		/* -w */
	bool warnings_are_errors;	/* -W */
	bool guru;			/* -g */
	Privilege privilege;		/* --privilege=, --unprivileged (= stapusr) */
	const char *compatible;		/* --compatible=VER, default "4.8" */
	bool suppress_time_limits;	/* --suppress-time-limits (needs -g) */
	bool skip_badvars;		/* --skip-badvars */
	bool unoptimized;		/* -u: SystemTap's "unoptimized translation" */
	bool suppress_handler_errors;	/* --suppress-handler-errors */

	/* ---- target ---- */
	const char *kernel_release;	/* -r: release name ("6.1.0-50-amd64") */
	const char *kernel_build_dir;	/* -r DIR, or /lib/modules/REL/build */
	const char *arch;		/* -a ARCH, default the host's */
	RuntimeKind runtime;		/* --runtime=NAME ("dyninst" means ptrace) */
	const char *target_cmd;		/* -c CMD */
	pid_t target_pid;		/* -x PID, 0 when not given */
	StrList build_options;		/* -B NAME=VALUE: kbuild make options */
	const char *runtime_dir;	/* -R DIR, or $SYSTEMTAP_RUNTIME */
	const char *tapset_dir;		/* $SYSTEMTAP_TAPSET or the installed one */
	StrList unwind_objects;		/* -d OBJECT */
	bool ldd;			/* --ldd */
	bool all_modules;		/* --all-modules */

	/* ---- output and the module ---- */
	const char *output_file;	/* -o FILE */
	const char *module_name;	/* -m NAME */
	bool keep_tmpdir;		/* -k */
	bool bulk_mode;			/* -b */
	bool load_only;			/* -F: leave the module loaded (flight recorder) */
	long buffer_mb;			/* -s N: per-CPU buffer in MB, 0 = default */
	long file_size_mb;		/* -S SIZE[,N]: output file switching, 0 = off */
	long file_count;		/* N of -S, 0 = no limit */
	StrList modinfo;		/* --modinfo NAME=VALUE */
	long timeout_s;			/* -T SECONDS, 0 = none */
	bool timing;			/* -t: probe timing report */
	const char *tmpdir_base;	/* --tmpdir=DIR, else $TMPDIR or /tmp */
	bool disable_cache;		/* --disable-cache / SYSTEMTAP_DIR unwritable */
	const char *systemtap_dir;	/* $SYSTEMTAP_DIR, default ~/.systemtap */
	const char *rc_file;		/* the rc file read, NULL when there was none */

	/* ---- listings: they stop after pass 2 (last_pass is 2) ---- */
	ListMode list_mode;
	const char *list_pattern;	/* -l or -L PATTERN */
	bool list_with_vars;		/* -L PATTERN */

	/* ---- resource limits (--rlimit-*), -1 when not given ---- */
	long rlimit_as, rlimit_cpu, rlimit_nproc, rlimit_stack, rlimit_fsize;

	/* ---- filled in by the passes ---- */
	PPContext pp;			/* what %( %) conditions test */
	StapFile **user_files;		/* the script and -E scripts */
	int nuser_files;
	StapFile **library_files;	/* every tapset file parsed */
	int nlibrary_files;
	int library_scripts;		/* counted for the -v pass 1 line */
	char *tmpdir;			/* pass 3/4 working folder */
	struct Program *program;	/* pass 2's result (translate/program.h) */
} Session;

#endif
