/* staprun's options: SystemTap's letters and messages. */
#include "options.h"
#include "config.h"
#include "runtime/transport/protocol.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"Usage: staprun [OPTIONS] MODULE [NAME=VALUE ...]\n"
"Loads a module built by stap (a kernel .ko, or a .so for the ptrace\n"
"runtime), starts its probes and prints their output.\n"
"\n"
"  -v          more verbose (repeat for more)\n"
"  -V          print the version and exit\n"
"  -h          print this help and exit\n"
"  -w          suppress warnings from the script\n"
"  -c CMD      run CMD once the probes are armed; exit when it exits;\n"
"              target() is its pid\n"
"  -x PID      target() is PID\n"
"  -o FILE     write the output to FILE (strftime(3) patterns expand)\n"
"  -S SIZE[,N] switch to FILE.1, FILE.2, ... when a file reaches SIZE MB;\n"
"              keep only the newest N files\n"
"  -D          run in the background (needs -o); print stapio's pid\n"
"  -b MB       per-CPU buffer size, 1-4095 MB\n"
"  -T MS       read the buffers at least every MS ms (default 200)\n"
"  -L          load the module and start the probes, then detach\n"
"  -A          attach to a loaded module (MODULE is its name)\n"
"  -d          stop and remove a loaded module (MODULE is its name)\n"
"  -C WHEN     color messages: auto (the default), never or always\n"
"\n"
"MODULE is a path, or a name looked up as\n"
"/lib/modules/`uname -r`/systemtap/NAME.ko.  NAME=VALUE arguments set\n"
"global variables of the script before its probes start.\n";

static void usage(FILE *f, int status)
{
	if (f == stderr)
		fputc('\n', f);
	fputs(usage_text, f);
	exit(status);
}

static void die(const char *fmt, const char *arg)
{
	err(fmt, arg);
	exit(1);
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static void parse_fsize(struct options *o, const char *arg)
{
	char buf[64];
	long size, n = 0;

	snprintf(buf, sizeof(buf), "%s", arg);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma = 0;
	if (strlen(arg) >= sizeof(buf) || !parse_long(buf, 1, 1L << 20, &size) ||
	    (comma && !parse_long(comma + 1, 1, INT_MAX, &n)))
		die("Invalid file size option '%s'.", arg);
	o->fsize_bytes = (unsigned long long)size << 20;
	o->fnum_max = (int)n;
}

static void not_together(bool a, bool b, const char *x, const char *y, const char *why)
{
	if (a && b) {
		err("You can't specify the '%s' and '%s' options together.%s", x, y, why);
		exit(1);
	}
}

void options_parse(struct options *o, int argc, char **argv)
{
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->reader_timeout_ms = 200;
	const char *env = getenv("SYSTEMTAP_VERBOSE");
	if (env && parse_long(env, 0, 9, &v))
		o->verbose = (int)v;
	/* '+': options end at MODULE; what follows is for the module. */
	while ((c = getopt(argc, argv, "+vVhwc:x:o:DS:b:T:LAdC:uRr:N:F:M:")) != -1) {
		switch (c) {
		case 'v':
			o->verbose++;
			break;
		case 'V':
			printf("Systemtap module loader/runner (ustap %s, protocol %d)\n",
			       PACKAGE_VERSION, STP_PROTOCOL_VERSION);
			exit(0);
		case 'h':
			usage(stdout, 0);
			break;
		case 'w':
			o->suppress_warnings = true;
			break;
		case 'c':
			o->target_cmd = optarg;
			break;
		case 'x':
			if (!parse_long(optarg, 1, INT_MAX, &v))
				die("Invalid target process ID '%s'.", optarg);
			o->target_pid = (pid_t)v;
			break;
		case 'o':
			o->outfile = optarg;
			break;
		case 'D':
			o->daemon = true;
			break;
		case 'S':
			parse_fsize(o, optarg);
			break;
		case 'b':
			if (!parse_long(optarg, 1, 4095, &v))
				die("Invalid buffer size '%s' (should be 1-4095).", optarg);
			o->buffer_mb = (int)v;
			break;
		case 'T':
			if (!parse_long(optarg, 1, 3600000, &v))
				die("Invalid reader timeout value '%s' (should be >= 1).", optarg);
			o->reader_timeout_ms = (int)v;
			break;
		case 'L':
			o->load_only = true;
			break;
		case 'A':
			o->attach = true;
			break;
		case 'd':
			o->remove = true;
			break;
		case 'C':
			if (!strcmp(optarg, "auto"))
				o->color = COLOR_AUTO;
			else if (!strcmp(optarg, "never"))
				o->color = COLOR_NEVER;
			else if (!strcmp(optarg, "always"))
				o->color = COLOR_ALWAYS;
			else
				die("Invalid option '%s' for -C.", optarg);
			break;
		case 'u': case 'R': case 'r': case 'N': case 'F': case 'M': {
			char opt[3] = { '-', (char)c, 0 };
			die("The '%s' option is not supported by this staprun.", opt);
			break;
		}
		default:
			usage(stderr, 1);
		}
	}
	msg_init("staprun", o->verbose, o->color);

	not_together(o->attach, o->load_only, "-A", "-L", "");
	not_together(o->attach, o->buffer_mb, "-A", "-b", "  The '-b'\n"
		     "buffer size option only has an effect when the module is inserted.");
	not_together(o->attach, o->target_cmd, "-A", "-c", "  The '-c cmd'\n"
		     "option used to start a command only has an effect when the module\n"
		     "is inserted.");
	not_together(o->attach, o->target_pid, "-A", "-x", "  The '-x pid'\n"
		     "option only has an effect when the module is inserted.");
	not_together(o->target_cmd, o->target_pid, "-c", "-x", "");
	not_together(o->daemon, o->load_only, "-D", "-L", "");
	not_together(o->daemon, o->remove, "-D", "-d", "");
	not_together(o->daemon, o->target_cmd, "-D", "-c", "");
	not_together(o->remove, o->attach, "-d", "-A", "");
	not_together(o->remove, o->load_only, "-d", "-L", "");
	not_together(o->remove, o->target_cmd, "-d", "-c", "");
	not_together(o->remove, o->target_pid, "-d", "-x", "");
	not_together(o->remove, o->buffer_mb, "-d", "-b", "");
	if (o->daemon && !o->outfile)
		die("You have to specify output FILE with '-D' option.%s", "");
	if (o->fsize_bytes && !o->outfile)
		die("You have to specify output FILE with '-S' option.%s", "");
	if (optind >= argc)
		die("Need a module name or path to load.%s", "");
	o->module = argv[optind++];
	o->modopts = argv + optind;
	o->nmodopts = argc - optind;
	if ((o->attach || o->remove) && o->nmodopts)
		die("Cannot have module options with %s.", o->attach ? "attach (-A)" : "remove (-d)");
	for (int i = 0; i < o->nmodopts; i++) {
		const char *nv = o->modopts[i];
		size_t n = strspn(nv, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
		if (n == 0 || nv[n] != '=' || (nv[0] >= '0' && nv[0] <= '9'))
			die("Invalid module option '%s' (expected NAME=VALUE).", nv);
	}
}
