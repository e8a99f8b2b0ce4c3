/* A 128-bit fingerprint of byte streams, for cache keys.  Not
 * cryptographic: it only has to tell different builds apart. */
#ifndef TRANSLATE_HASH_H
#define TRANSLATE_HASH_H
#include <stddef.h>
#include <stdint.h>

typedef struct Hasher {
	uint64_t h1, h2;
	uint64_t total;
	unsigned char tail[16];
	size_t ntail;
} Hasher;

void hash_init(Hasher *h);
void hash_bytes(Hasher *h, const void *data, size_t len);
/* Hashes a string and its length, so ("ab","c") differs from ("a","bc"). */
void hash_str(Hasher *h, const char *s);
void hash_u64(Hasher *h, uint64_t v);
/* Hashes a file's contents; -1 (and hashes a marker) when unreadable. */
int hash_file(Hasher *h, const char *path);
/* 32 lowercase hex digits and a NUL. */
void hash_hex(const Hasher *h, char out[33]);

#endif
