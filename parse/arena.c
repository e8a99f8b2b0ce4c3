#include "parse/arena.h"
#include "parse/diag.h"
#include <stdlib.h>
#include <sys/mman.h>

struct ArenaChunk {
	ArenaChunk *next;
	size_t size;
	char data[];
};

Arena g_arena;

/* Chunks start small (a one-line -e script needs little) and double up
 * to CHUNK_MAX, so big translations make few of them. */
enum { CHUNK_MIN = 1 << 14, CHUNK_MAX = 1 << 20 };

void *arena_alloc_slow(Arena *a, size_t size)
{
	size_t chunk = a->total >= CHUNK_MAX ? CHUNK_MAX :
		       a->total < CHUNK_MIN ? CHUNK_MIN : a->total;
	size_t want = size > chunk / 4 ? size : chunk;
	/* Not MAP_POPULATE: chunks double, so the newest is often mostly
	 * unused at the end, and populating it made peak memory up to twice
	 * what the translation needs; the page faults cost well under 1%
	 * of pass 1's time. */
	ArenaChunk *c = mmap(NULL, sizeof(*c) + want, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		fatal("out of memory (%zu bytes)", want);
	c->size = want;
	a->total += want;
	if (want != chunk && a->chunks) {
		/* A big one-off block: keep bumping in the current chunk. */
		c->next = a->chunks->next;
		a->chunks->next = c;
		return c->data;
	}
	c->next = a->chunks;
	a->chunks = c;
	a->cur = c->data + size;
	a->end = c->data + want;
	return c->data;
}

void arena_free(Arena *a)
{
	ArenaChunk *c = a->chunks;
	while (c) {
		ArenaChunk *n = c->next;
		munmap(c, sizeof(*c) + c->size);
		c = n;
	}
	a->chunks = NULL;
	a->cur = a->end = NULL;
	a->total = 0;
}

char *arena_strndup(Arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
