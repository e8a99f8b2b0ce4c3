/* The stap command line and $SYSTEMTAP_DIR/rc. */
#ifndef TRANSLATE_OPTIONS_H
#define TRANSLATE_OPTIONS_H
#include "translate/session.h"
#include <stdio.h>

void session_init(Session *s);
/* Fills s from the rc file then argv.  Returns -1 to go on with the passes,
 * or an exit status (0 after --help or --version, 1 after a bad option,
 * with one line on stderr). */
int options_parse(Session *s, int argc, char **argv);

/* Prints the parsed session as NAME=VALUE lines.  With USTAP_DUMP_OPTIONS
 * set in the environment, options_parse does so on stdout and returns 0
 * instead of going on: the option tests check every option's effect
 * through it. */
void options_dump(const Session *s, FILE *f);

#endif
