/* MurmurHash3's 128-bit mixing, fed incrementally. */
#include "translate/hash.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const uint64_t C1 = 0x87c37b91114253d5ull, C2 = 0x4cf5ad432745937full;

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

static void block(Hasher *h, const unsigned char *p)
{
	uint64_t k1, k2;
	memcpy(&k1, p, 8);
	memcpy(&k2, p + 8, 8);
	k1 *= C1;
	k1 = rotl(k1, 31);
	k1 *= C2;
	h->h1 ^= k1;
	h->h1 = rotl(h->h1, 27) + h->h2;
	h->h1 = h->h1 * 5 + 0x52dce729;
	k2 *= C2;
	k2 = rotl(k2, 33);
	k2 *= C1;
	h->h2 ^= k2;
	h->h2 = rotl(h->h2, 31) + h->h1;
	h->h2 = h->h2 * 5 + 0x38495ab5;
}

void hash_init(Hasher *h)
{
	memset(h, 0, sizeof(*h));
	h->h1 = h->h2 = 0x757374617021ull;	/* "ustap!" */
}

void hash_bytes(Hasher *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	h->total += len;
	if (h->ntail) {
		size_t take = 16 - h->ntail < len ? 16 - h->ntail : len;
		memcpy(h->tail + h->ntail, p, take);
		h->ntail += take;
		p += take;
		len -= take;
		if (h->ntail < 16)
			return;
		block(h, h->tail);
		h->ntail = 0;
	}
	for (; len >= 16; p += 16, len -= 16)
		block(h, p);
	memcpy(h->tail, p, len);
	h->ntail = len;
}

void hash_u64(Hasher *h, uint64_t v)
{
	hash_bytes(h, &v, sizeof(v));
}

void hash_str(Hasher *h, const char *s)
{
	size_t n = s ? strlen(s) : (size_t)-1;
	hash_u64(h, n);
	if (s)
		hash_bytes(h, s, n);
}

int hash_file(Hasher *h, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hash_str(h, "<unreadable>");
		return -1;
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		hash_bytes(h, buf, (size_t)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

void hash_hex(const Hasher *src, char out[33])
{
	Hasher h = *src;
	uint64_t k1 = 0, k2 = 0;
	unsigned char t[16] = { 0 };
	memcpy(t, h.tail, h.ntail);
	memcpy(&k1, t, 8);
	memcpy(&k2, t + 8, 8);
	if (h.ntail) {
		k1 *= C1, k1 = rotl(k1, 31), k1 *= C2, h.h1 ^= k1;
		k2 *= C2, k2 = rotl(k2, 33), k2 *= C1, h.h2 ^= k2;
	}
	h.h1 ^= h.total;
	h.h2 ^= h.total;
	h.h1 += h.h2;
	h.h2 += h.h1;
	h.h1 = fmix(h.h1);
	h.h2 = fmix(h.h2);
	h.h1 += h.h2;
	h.h2 += h.h1;
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.h1, (unsigned long long)h.h2);
}
