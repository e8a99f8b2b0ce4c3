/* The texts of --help and --version.  They go to stdout (SystemTap writes
 * them to stderr), so "stap --help | less" works. */
#include "translate/help.h"
#include "config.h"
#include "translate/rc.h"
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <sys/utsname.h>

void help_print_version(FILE *out)
{
	fprintf(out,
		"ustap translator/driver (version %s, SystemTap language version %s, "
		"elfutils %s)\n"
		"A SystemTap-compatible instrumentation tool for Linux processes.\n"
		"Runtimes: kernel (loadable module), ptrace (user space; also named dyninst).\n"
		"This is free software; see the source for copying conditions.\n",
		PACKAGE_VERSION, STAP_LANGUAGE_VERSION, dwfl_version(NULL));
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

void help_print_usage(FILE *out)
{
	struct utsname u;
	if (uname(&u) < 0)
		u.release[0] = u.machine[0] = '\0';
	const char *release = env_or("SYSTEMTAP_RELEASE", u.release);

	fprintf(out,
"Usage: stap [OPTIONS] FILE [ARGS...]      run the script in FILE\n"
"   or: stap [OPTIONS] - [ARGS...]         run the script read from stdin\n"
"   or: stap [OPTIONS] -e SCRIPT [ARGS...] run SCRIPT\n"
"   or: stap [OPTIONS] -l PROBE [ARGS...]  list the probe points PROBE matches\n"
"   or: stap [OPTIONS] -L PROBE [ARGS...]  the same, with their context variables\n"
"   or: stap [OPTIONS] --dump-probe-types|--dump-probe-aliases|--dump-functions\n"
"\n"
"ARGS fill $1, $2 ... (as code) and @1, @2 ... (as strings) in the script;\n"
"$# and @# count them.  Options may also follow the script; after \"--\"\n"
"every word is an argument.  Options are read from the rc file first,\n"
"  %s/rc\n"
"($SYSTEMTAP_DIR/rc, default ~/.systemtap/rc), then from the command line.\n"
"\n"
"What to run:\n"
"  -e SCRIPT        run SCRIPT instead of a file\n"
"  -E SCRIPT        run SCRIPT as well as the main script (repeatable)\n"
"  -c CMD           start the probes, run CMD, stop when it exits; target() is\n"
"                   its process ID\n"
"  -x PID           set target() to PID\n"
"  -G NAME=VALUE    start with global variable NAME set to VALUE\n"
"  -l PROBE         list the probe points PROBE matches, then stop\n"
"  -L PROBE         list them with their context variables and types\n"
"  --dump-probe-types    list the kinds of probe point\n"
"  --dump-probe-aliases  list the probe aliases the tapsets define\n"
"  --dump-functions      list the functions the tapsets define\n"
"\n"
"Passes (1 parse, 2 elaborate, 3 translate to C, 4 compile, 5 run):\n"
"  -p NUM           stop after pass NUM (1 to 5) and print what it made\n"
"  -v               more verbose output from every pass (repeatable)\n"
"  --vp ABCDE       more verbose output per pass: --vp 002 adds 2 to pass 3\n"
"  -w               suppress warnings\n"
"  -W               turn warnings into errors\n"
"  -u               unoptimized translation: keep unused code\n"
"  -g               guru mode: allow embedded C and writes to the target\n"
"  --privilege=LEVEL     check the script against LEVEL: stapusr, stapsys\n"
"                   or stapdev (default stapdev)\n"
"  --unprivileged   the same as --privilege=stapusr\n"
"  --compatible=VERSION  behave as SystemTap VERSION's language and tapsets\n"
"                   did (default and latest %s)\n"
"  --skip-badvars   use 0 for context $variables that cannot be read\n"
"  --suppress-handler-errors\n"
"                   skip a probe handler quietly when it hits a run-time error\n"
"  --suppress-time-limits\n"
"                   lift the MAXACTION and overload limits (needs -g)\n"
"  -I DIR           look for tapsets in DIR too, before %s\n"
"  -D NAME[=VALUE]  define a C macro for the generated code\n"
"                   (e.g. -D MAXACTION=10000)\n"
"  -t               report how often each probe ran and how long it took\n"
"\n"
"The target and the build:\n"
"  --runtime=NAME   kernel (a kernel module) or ptrace (a user-space tracer;\n"
"                   dyninst is another name for it)\n"
"  -r RELEASE       build for kernel RELEASE, in /lib/modules/RELEASE/build\n"
"                   (default: $SYSTEMTAP_RELEASE, else the running kernel,\n"
"                   %s)\n"
"  -r DIR           build for the kernel build tree in DIR\n"
"  -a ARCH          build for architecture ARCH (default %s)\n"
"  -B NAME=VALUE    pass NAME=VALUE to the kernel's make (ptrace runtime: a C\n"
"                   compiler option)\n"
"  -R DIR           take the runtime from DIR instead of %s\n"
"  -m NAME          name the module NAME (a C identifier, at most 55 characters)\n"
"                   and copy it to the current folder\n"
"  -d OBJECT        add symbols and unwind data for OBJECT (a file or module)\n"
"  --ldd            add them for the shared libraries of probed programs too\n"
"  --all-modules    add them for every loaded kernel module\n"
"  --modinfo NAME=VALUE  add MODULE_INFO(NAME, VALUE) to the module\n"
"  -k               keep the temporary folder\n"
"  --tmpdir=DIR     make the temporary folder in DIR (default $TMPDIR or /tmp)\n"
"  --disable-cache  neither read nor write the cache in $SYSTEMTAP_DIR/cache\n"
"  --rlimit-as=N, --rlimit-cpu=N, --rlimit-nproc=N, --rlimit-stack=N,\n"
"  --rlimit-fsize=N limit the translator's address space (bytes), CPU time\n"
"                   (seconds), processes, stack (bytes) or file size (bytes)\n"
"\n"
"Running (pass 5):\n"
"  -o FILE          write the script's output to FILE (strftime(3) patterns work)\n"
"  -S SIZE[,N]      with -o: switch to a new file every SIZE megabytes, keep N\n"
"  -b               bulk mode: one output file per CPU\n"
"  -s NUM           use NUM megabyte buffers per CPU (1 to 4095)\n"
"  -F               flight recorder: without -o, leave the probes running in\n"
"                   memory and return; with -o, run in the background\n"
"  -T SECONDS       stop the script after SECONDS\n"
"\n"
"Other:\n"
"  -h, --help       print this text and exit\n"
"  -V, --version    print the version and exit\n"
"  --               end of options: the words after it are script arguments\n"
"\n"
"Exit status: 0 on success, 1 after any error.\n",
		rc_systemtap_dir(), STAP_LANGUAGE_VERSION,
		env_or("SYSTEMTAP_TAPSET", PKGDATADIR "/tapset"), release, u.machine,
		env_or("SYSTEMTAP_RUNTIME", PKGDATADIR "/runtime"));
}
