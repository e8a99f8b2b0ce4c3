/* Bump allocation for everything that lives as long as a translation:
 * tokens' text, AST nodes, interned names.  Nothing is freed one by one. */
#ifndef PARSE_ARENA_H
#define PARSE_ARENA_H
#include <stddef.h>
#include <string.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
	ArenaChunk *chunks;
	char *cur, *end;
	size_t total;		/* bytes reserved, for -v memory reports */
} Arena;

void *arena_alloc_slow(Arena *a, size_t size);
void arena_free(Arena *a);
char *arena_strndup(Arena *a, const char *s, size_t len);

static inline void *arena_alloc(Arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if ((size_t)(a->end - a->cur) < size)
		return arena_alloc_slow(a, size);
	void *p = a->cur;
	a->cur += size;
	return p;
}

static inline void *arena_zalloc(Arena *a, size_t size)
{
	return memset(arena_alloc(a, size), 0, size);
}

#define ANEW(a, T) ((T *)arena_zalloc((a), sizeof(T)))
#define ANEWN(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

/* The process-wide arena the translator allocates from. */
extern Arena g_arena;

#endif
