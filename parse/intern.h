/* Interned names: one copy of each identifier, so names compare by pointer. */
#ifndef PARSE_INTERN_H
#define PARSE_INTERN_H
#include <stddef.h>

const char *intern(const char *s, size_t len);
const char *intern_cstr(const char *s);
/* Forgets every name: pointers from before are dangling (tests, fuzzing). */
void intern_reset(void);

#endif
