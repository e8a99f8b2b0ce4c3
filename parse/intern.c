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
} Entry;

static Entry *table;
static size_t cap, count;
static Arena names;

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
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

const char *intern(const char *s, size_t len)
{
	if (count * 2 >= cap)
		grow();
	uint32_t h = hash_bytes(s, len);
	size_t i = h & (cap - 1);
	for (;; i = (i + 1) & (cap - 1)) {
		Entry *e = &table[i];
		if (!e->str)
			break;
		if (e->hash == h && e->len == len && memcmp(e->str, s, len) == 0)
			return e->str;
	}
	table[i].str = arena_strndup(&names, s, len);
	table[i].len = (uint32_t)len;
	table[i].hash = h;
	count++;
	return table[i].str;
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
