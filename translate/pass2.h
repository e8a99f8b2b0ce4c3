/* Pass 2: elaboration.  Resolves the parsed script against the tapset
 * library into a Program (translate/program.h). */
#ifndef TRANSLATE_PASS2_H
#define TRANSLATE_PASS2_H
#include "translate/program.h"
#include "translate/session.h"

struct Sema;

/* 0 on success with s->program filled; 1 after errors (already reported). */
int pass2_elaborate(Session *s);
/* stap -p2 output. */
void pass2_print(const Session *s, const Program *p);
/* stap -l / -L: the user file holds `probe PATTERN {}`; returns the exit
 * status (1 when nothing matched). */
int pass2_list(Session *s);

/* Shared set-up of the match tree and library index (elaborate.c). */
struct Sema *pass2_begin(Session *s);

#endif
