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
	int c;
	while ((c = getopt(argc, argv, "+e:p:vgI:")) != -1) {
		switch (c) {
		case 'e': s->script_text = optarg; break;
		case 'p': s->last_pass = atoi(optarg); break;
		case 'v': s->verbose[0]++; break;
		case 'g': s->guru = true; break;
		case 'I': strlist_push(&s->include_dirs, optarg); break;
		default: return 1;
		}
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
