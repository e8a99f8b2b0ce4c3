/* staprun's command line. */
#ifndef STAPRUN_OPTIONS_H
#define STAPRUN_OPTIONS_H
#include "msg.h"
#include <stdbool.h>
#include <sys/types.h>

struct options {
	int verbose;			/* -v, and $SYSTEMTAP_VERBOSE */
	bool suppress_warnings;		/* -w */
	const char *target_cmd;		/* -c CMD */
	pid_t target_pid;		/* -x PID */
	const char *outfile;		/* -o FILE (strftime pattern) */
	bool daemon;			/* -D */
	unsigned long long fsize_bytes;	/* -S SIZE (MB) */
	int fnum_max;			/* -S SIZE,N; 0 keeps every file */
	int buffer_mb;			/* -b MB; 0 leaves the module's default */
	bool load_only;			/* -L */
	bool attach;			/* -A */
	bool remove;			/* -d */
	int reader_timeout_ms;		/* -T */
	enum msg_color color;		/* -C */
	const char *module;		/* MODULE: a path, or a name */
	char **modopts;			/* NAME=VALUE after MODULE */
	int nmodopts;
};

/* Parses and checks argv; prints the error and exits 1 on bad input, or
 * exits 0 after -h / -V. */
void options_parse(struct options *o, int argc, char **argv);

#endif
