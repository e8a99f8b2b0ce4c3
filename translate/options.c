/* Provisional: the minimal options pass 1 needs.  The full option set
 * replaces this (issue 2, item 2). */
#include "translate/options.h"
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

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

void session_init(Session *s)
{
	memset(s, 0, sizeof(*s));
	s->last_pass = 5;
	s->compatible = STAP_LANGUAGE_VERSION;
	static struct utsname u;
	uname(&u);
	s->kernel_release = u.release;
	s->arch = u.machine;
}

int options_parse(Session *s, int argc, char **argv)
{
	/* Pass 2 (issue 3) needs these before the full option set lands. */
	enum { OPT_UNPRIVILEGED = 256, OPT_PRIVILEGE };
	static const struct option longs[] = {
		{ "unprivileged", no_argument, NULL, OPT_UNPRIVILEGED },
		{ "privilege", required_argument, NULL, OPT_PRIVILEGE },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "+e:p:vgI:l:L:uwWc:x:", longs, NULL)) != -1) {
		switch (c) {
		case 'e': s->script_text = optarg; break;
		case 'p': s->last_pass = atoi(optarg); break;
		case 'v': for (int i = 0; i < 5; i++) s->verbose[i]++; break;
		case 'g': s->guru = true; break;
		case 'I': strlist_push(&s->include_dirs, optarg); break;
		case 'l': s->list_pattern = optarg; break;
		case 'L': s->list_pattern = optarg; s->list_with_vars = true; break;
		case 'u': s->unoptimized = true; break;	/* SystemTap's meaning */
		case OPT_UNPRIVILEGED: s->privilege = PRIV_STAPUSR; break;
		case OPT_PRIVILEGE:
			if (!strcmp(optarg, "stapusr"))
				s->privilege = PRIV_STAPUSR;
			else if (!strcmp(optarg, "stapsys"))
				s->privilege = PRIV_STAPSYS;
			else if (!strcmp(optarg, "stapdev"))
				s->privilege = PRIV_STAPDEV;
			else {
				fprintf(stderr, "Invalid argument '%s' for --privilege.\n", optarg);
				return 1;
			}
			break;
		case 'w': s->suppress_warnings = true; break;
		case 'W': s->warnings_are_errors = true; break;
		case 'c': s->target_cmd = optarg; break;
		case 'x': s->target_pid = (pid_t)atoi(optarg); break;
		default: return 1;
		}
	}
	if (s->guru && s->privilege == PRIV_STAPUSR) {
		fputs("You can't specify -g and --privilege=stapusr together.\n", stderr);
		return 1;
	}
	if (s->list_pattern) {
		if (s->script_text || optind < argc) {
			fputs("stap: -l and -L take a probe point pattern instead of a script\n",
			      stderr);
			return 1;
		}
		return -1;
	}
	if (!s->script_text) {
		if (optind >= argc) {
			fputs("stap: no script given (a file, '-' or -e SCRIPT)\n", stderr);
			return 1;
		}
		s->script_file = argv[optind++];
	}
	for (; optind < argc; optind++)
		strlist_push(&s->script_args, argv[optind]);
	return -1;
}
