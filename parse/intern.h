/* Interned names: one copy of each identifier, so names compare by pointer. */
#ifndef PARSE_INTERN_H
#define PARSE_INTERN_H
#include <stddef.h>

#include <stdint.h>

const char *intern(const char *s, size_t len);

/* For the lexer, which hashes a name while it reads it (FNV-1a) and
 * learns in the same lookup whether it is a keyword: a name's tag is 0
 * unless intern_set_tag gave it one. */
#define INTERN_HASH_INIT 2166136261u
static inline uint32_t intern_hash_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}
const char *intern_hashed(const char *s, size_t len, uint32_t hash, int *tag);
void intern_set_tag(const char *s, size_t len, int tag);
const char *intern_cstr(const char *s);
/* Forgets every name: pointers from before are dangling (tests, fuzzing). */
void intern_reset(void);

#endif
