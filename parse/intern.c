#include "parse/intern.h"
#include "parse/arena.h"
#include "parse/diag.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Entry {
	const char *str;
	uint32_t len;
	uint32_t hash;
	int tag;		/* the lexer's: a keyword's code */
} Entry;

static Entry *table;
static size_t cap, count;
static Arena names;

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = INTERN_HASH_INIT;
	for (size_t i = 0; i < len; i++)
		h = intern_hash_step(h, (unsigned char)s[i]);
	return h;
}

static void grow(void)
{
	size_t ncap = cap ? cap * 2 : 4096;
	Entry *n = calloc(ncap, sizeof(*n));
	if (!n)
		fatal("out of memory");
	for (size_t i = 0; i < cap; i++) {
		if (!table[i].str)
			continue;
		size_t j = table[i].hash & (ncap - 1);
		while (n[j].str)
			j = (j + 1) & (ncap - 1);
		n[j] = table[i];
	}
	free(table);
	table = n;
	cap = ncap;
}

static Entry *lookup(const char *s, size_t len, uint32_t h)
{
	if (count * 2 >= cap)
		grow();
	size_t i = h & (cap - 1);
	for (;; i = (i + 1) & (cap - 1)) {
		Entry *e = &table[i];
		if (!e->str)
			break;
		if (e->hash == h && e->len == len && memcmp(e->str, s, len) == 0)
			return e;
	}
	table[i].str = arena_strndup(&names, s, len);
	table[i].len = (uint32_t)len;
	table[i].hash = h;
	table[i].tag = 0;
	count++;
	return &table[i];
}

const char *intern(const char *s, size_t len)
{
	return lookup(s, len, hash_bytes(s, len))->str;
}

const char *intern_hashed(const char *s, size_t len, uint32_t hash, int *tag)
{
	Entry *e = lookup(s, len, hash);
	*tag = e->tag;
	return e->str;
}

void intern_set_tag(const char *s, size_t len, int tag)
{
	lookup(s, len, hash_bytes(s, len))->tag = tag;
}

const char *intern_cstr(const char *s)
{
	return intern(s, strlen(s));
}

void intern_reset(void)
{
	free(table);
	table = NULL;
	cap = count = 0;
	arena_free(&names);
}
