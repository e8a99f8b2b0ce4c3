/* The stap command line and $SYSTEMTAP_DIR/rc. */
#ifndef TRANSLATE_OPTIONS_H
#define TRANSLATE_OPTIONS_H
#include "translate/session.h"

void session_init(Session *s);
/* Fills s from the rc file then argv.  Returns -1 to go on with the passes,
 * or an exit status (0 after --help or --version, 1 after a bad option,
 * with one line on stderr). */
int options_parse(Session *s, int argc, char **argv);

#endif
