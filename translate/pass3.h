/* Pass 3: the elaborated program as one C file against runtime/runtime.h
 * (doc/codegen.md). */
#ifndef TRANSLATE_PASS3_H
#define TRANSLATE_PASS3_H
#include "translate/session.h"
#include "parse/strbuf.h"

/* Appends the C file to out; 0, or 1 after errors (already reported). */
int pass3_translate(Session *s, StrBuf *out);
/* After pass 3: why the C cannot be built into a module (a probe family
 * without runtime support), or NULL. */
const char *pass3_unbuildable(void);

#endif
