/* stap --help and stap --version. */
#ifndef TRANSLATE_HELP_H
#define TRANSLATE_HELP_H
#include <stdio.h>

void help_print_usage(FILE *out);
void help_print_version(FILE *out);

#endif
