/* Pass 1: parse the user's script(s) and the tapset library's macro files;
 * the library's .stp files are scanned, and parsed when pass 2 needs them
 * (translate/library.h). */
#ifndef TRANSLATE_PASS1_H
#define TRANSLATE_PASS1_H
#include "translate/session.h"

/* 0 on success, 1 after parse errors (already reported). */
int pass1_parse(Session *s);
void pass1_print(Session *s);

#endif
