/* Associative arrays: tables, lookup, insertion, deletion. */
#include "map.h"
#include "context.h"

#define STP_NIL STP_MAP_NIL

#define STP_KEY_STR_MAX (MAXSTRINGLEN - 1)

static struct _stp_node_hdr *_stp_node(const struct stp_map *m, const struct stp_maptab *t,
				       uint32_t i)
{
	return (struct _stp_node_hdr *)(void *)(t->pool + (size_t)i * m->node_size);
}

static unsigned char *_stp_node_at(const struct _stp_node_hdr *h, uint32_t off)
{
	return (unsigned char *)h + off;
}

/* ---- hashing and key comparison ---- */

static uint64_t _stp_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Strings hash as they are stored: cut to MAXSTRINGLEN - 1. */
static uint32_t _stp_hash_keys(const struct stp_map *m, const union stp_key *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < m->spec->nkeys; i++) {
		if (m->spec->key_types[i] == STP_TYPE_STRING) {
			const unsigned char *s = (const unsigned char *)k[i].s;
			uint64_t f = 0xcbf29ce484222325ULL;
			size_t j;

			for (j = 0; j < STP_KEY_STR_MAX && s[j]; j++)
				f = (f ^ s[j]) * 0x100000001b3ULL;
			h = _stp_mix64(h ^ f);
		} else {
			h = _stp_mix64(h ^ (uint64_t)k[i].i);
		}
	}
	return (uint32_t)(h ^ (h >> 32));
}

static bool _stp_str_key_eq(const char *stored, const char *s)
{
	size_t j;

	for (j = 0; j < STP_KEY_STR_MAX; j++) {
		if (stored[j] != s[j])
			return false;
		if (!s[j])
			return true;
	}
	return true;
}

/* Compares the keys whose bit in wild is clear. */
static bool _stp_keys_eq(const struct stp_map *m, const struct _stp_node_hdr *h,
			 const union stp_key *k, unsigned int wild)
{
	int i;

	for (i = 0; i < m->spec->nkeys; i++) {
		const unsigned char *p = _stp_node_at(h, m->key_off[i]);

		if (wild & (1u << i))
			continue;
		if (m->spec->key_types[i] == STP_TYPE_STRING) {
			if (!_stp_str_key_eq((const char *)p, k[i].s))
				return false;
		} else if (*(const int64_t *)(const void *)p != k[i].i) {
			return false;
		}
	}
	return true;
}

/* ---- tables ---- */

static void _stp_tab_reset(const struct stp_map *m, struct stp_maptab *t)
{
	uint32_t i;

	for (i = 0; i <= t->mask; i++)
		t->buckets[i] = STP_NIL;
	/* The free list in index order, so a cleared table refills the same
	 * way every time. */
	for (i = 0; i < m->cap; i++)
		_stp_node(m, t, i)->hnext = i + 1 < m->cap ? i + 1 : STP_NIL;
	t->free = 0;
	t->count = 0;
	t->head = t->tail = STP_NIL;
}

static int _stp_tab_init(struct stp_map *m, struct stp_maptab *t)
{
	uint32_t nb = 1;

	while (nb < m->cap)
		nb <<= 1;
	t->pool = stp_alloc((size_t)m->cap * m->node_size);
	t->buckets = stp_alloc((size_t)nb * sizeof(uint32_t));
	if (!t->pool || !t->buckets)
		return -ENOMEM;
	t->mask = nb - 1;
	_stp_tab_reset(m, t);
	return 0;
}

static void _stp_tab_free(struct stp_maptab *t)
{
	stp_free(t->pool);
	stp_free(t->buckets);
	t->pool = NULL;
	t->buckets = NULL;
}

static uint32_t _stp_tab_find(const struct stp_map *m, const struct stp_maptab *t,
			      const union stp_key *k, uint32_t hash)
{
	uint32_t i;

	for (i = t->buckets[hash & t->mask]; i != STP_NIL; i = _stp_node(m, t, i)->hnext) {
		struct _stp_node_hdr *h = _stp_node(m, t, i);

		if (h->hash == hash && _stp_keys_eq(m, h, k, 0))
			return i;
	}
	return STP_NIL;
}

static void _stp_tab_unlink(const struct stp_map *m, struct stp_maptab *t, uint32_t i)
{
	struct _stp_node_hdr *h = _stp_node(m, t, i);
	uint32_t *link = &t->buckets[h->hash & t->mask];

	while (*link != i)
		link = &_stp_node(m, t, *link)->hnext;
	*link = h->hnext;
	if (h->prev != STP_NIL)
		_stp_node(m, t, h->prev)->next = h->next;
	else
		t->head = h->next;
	if (h->next != STP_NIL)
		_stp_node(m, t, h->next)->prev = h->prev;
	else
		t->tail = h->prev;
	t->count--;
}

static void _stp_tab_delete(const struct stp_map *m, struct stp_maptab *t, uint32_t i)
{
	_stp_tab_unlink(m, t, i);
	_stp_node(m, t, i)->hnext = t->free;
	t->free = i;
}

/* A new entry for k with a zero value: from the free list, or in a %
 * array the oldest entry.  STP_NIL when the table is full. */
static uint32_t _stp_tab_insert(const struct stp_map *m, struct stp_maptab *t,
				const union stp_key *k, uint32_t hash)
{
	struct _stp_node_hdr *h;
	uint32_t i;
	int j;

	if (t->free != STP_NIL) {
		i = t->free;
		t->free = _stp_node(m, t, i)->hnext;
	} else if (m->spec->wrap && t->head != STP_NIL) {
		i = t->head;
		_stp_tab_unlink(m, t, i);
	} else {
		return STP_NIL;
	}
	h = _stp_node(m, t, i);
	memset(h, 0, m->node_size);
	h->hash = hash;
	h->hnext = t->buckets[hash & t->mask];
	t->buckets[hash & t->mask] = i;
	h->next = STP_NIL;
	h->prev = t->tail;
	if (t->tail != STP_NIL)
		_stp_node(m, t, t->tail)->next = i;
	else
		t->head = i;
	t->tail = i;
	t->count++;
	for (j = 0; j < m->spec->nkeys; j++) {
		unsigned char *p = _stp_node_at(h, m->key_off[j]);

		if (m->spec->key_types[j] == STP_TYPE_STRING) {
			size_t n = strnlen(k[j].s, STP_KEY_STR_MAX);

			memcpy(p, k[j].s, n);
			p[n] = '\0';
		} else {
			*(int64_t *)(void *)p = k[j].i;
		}
	}
	return i;
}

static void _stp_map_overflow(struct stp_context *c, const struct stp_loc *loc,
			      const struct stp_map *m)
{
	if (m->spec->max_entries)
		stp_errorf(c, loc, "Array overflow, check size limit (%u)",
			   (unsigned int)m->spec->max_entries);
	else
		stp_error(c, loc, "Array overflow, check MAXMAPENTRIES");
}

/* The entry for k, created when missing; NULL (error set) when full. */
static unsigned char *_stp_map_value(struct stp_context *c, const struct stp_loc *loc,
				     struct stp_map *m, struct stp_maptab *t,
				     const union stp_key *k)
{
	uint32_t hash = _stp_hash_keys(m, k);
	uint32_t i = _stp_tab_find(m, t, k, hash);

	if (i == STP_NIL)
		i = _stp_tab_insert(m, t, k, hash);
	if (i == STP_NIL) {
		_stp_map_overflow(c, loc, m);
		return NULL;
	}
	return _stp_node_at(_stp_node(m, t, i), m->val_off);
}

static unsigned char *_stp_map_lookup(const struct stp_map *m, const union stp_key *k)
{
	uint32_t i = _stp_tab_find(m, &m->tab, k, _stp_hash_keys(m, k));

	return i == STP_NIL ? NULL : _stp_node_at(_stp_node(m, &m->tab, i), m->val_off);
}

/* ---- init ---- */

static uint32_t _stp_align8(uint32_t n)
{
	return (n + 7) & ~7u;
}

STP_API int stp_map_init(struct stp_map *m, const struct stp_map_spec *spec)
{
	unsigned int cpu, ncpus = stp_ncpus();
	uint32_t off = sizeof(struct _stp_node_hdr);
	uint64_t size;
	int i;

	memset(m, 0, sizeof(*m));
	m->spec = spec;
	if (spec->nkeys < 1 || spec->nkeys > STP_MAX_KEYS)
		return -EINVAL;
	if (spec->val_type == STP_TYPE_STAT &&
	    (!spec->stat || stp_stat_nbuckets(spec->stat) < 0 || spec->stat->bit_shift > 62))
		return -EINVAL;
	m->cap = spec->max_entries ? spec->max_entries : MAXMAPENTRIES;
	if (m->cap > 0x7fffffff)
		return -EINVAL;
	for (i = 0; i < spec->nkeys; i++) {
		m->key_off[i] = off;
		off += spec->key_types[i] == STP_TYPE_STRING ? _stp_align8(MAXSTRINGLEN) : 8;
	}
	m->val_off = off;
	switch (spec->val_type) {
	case STP_TYPE_STRING:
		size = off + (uint64_t)_stp_align8(MAXSTRINGLEN);
		break;
	case STP_TYPE_STAT:
		size = off + (uint64_t)stp_stat_data_size(spec->stat);
		break;
	default:
		size = off + 8;
		break;
	}
	if (size > 0xffffffffu)
		return -EINVAL;
	m->node_size = _stp_align8((uint32_t)size);

	if (_stp_tab_init(m, &m->tab))
		goto nomem;
	m->order = stp_alloc((size_t)m->cap * sizeof(uint32_t));
	m->order_tmp = stp_alloc((size_t)m->cap * sizeof(uint32_t));
	if (!m->order || !m->order_tmp)
		goto nomem;
	if (spec->val_type == STP_TYPE_STAT) {
		m->pcpu = stp_alloc(ncpus * sizeof(struct stp_maptab));
		if (!m->pcpu)
			goto nomem;
		for (cpu = 0; cpu < ncpus; cpu++)
			if (_stp_tab_init(m, &m->pcpu[cpu]))
				goto nomem;
	}
	return 0;
nomem:
	stp_map_free(m);
	return -ENOMEM;
}

STP_API void stp_map_free(struct stp_map *m)
{
	unsigned int cpu;

	_stp_tab_free(&m->tab);
	if (m->pcpu) {
		for (cpu = 0; cpu < stp_ncpus(); cpu++)
			_stp_tab_free(&m->pcpu[cpu]);
		stp_free(m->pcpu);
		m->pcpu = NULL;
	}
	stp_free(m->order);
	stp_free(m->order_tmp);
	m->order = m->order_tmp = NULL;
}

/* ---- long and string values ---- */

STP_API int64_t stp_map_get_int(struct stp_map *m, const union stp_key *k)
{
	const unsigned char *v = _stp_map_lookup(m, k);

	return v ? *(const int64_t *)(const void *)v : 0;
}

STP_API void stp_map_get_str(struct stp_map *m, const union stp_key *k, char *dst)
{
	const unsigned char *v = _stp_map_lookup(m, k);

	if (v)
		memmove(dst, v, strlen((const char *)v) + 1);
	else
		dst[0] = '\0';
}

STP_API int stp_map_set_int(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, int64_t v)
{
	unsigned char *p = _stp_map_value(c, loc, m, &m->tab, k);

	if (!p)
		return -1;
	*(int64_t *)(void *)p = v;
	return 0;
}

STP_API int stp_map_set_str(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, const char *v)
{
	size_t n = strnlen(v, MAXSTRINGLEN - 1);
	unsigned char *p = _stp_map_value(c, loc, m, &m->tab, k);

	if (!p)
		return -1;
	memmove(p, v, n);
	p[n] = '\0';
	return 0;
}

STP_API int stp_map_add_int(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, int64_t delta, int64_t *result)
{
	unsigned char *p = _stp_map_value(c, loc, m, &m->tab, k);
	int64_t v;

	if (!p)
		return -1;
	v = (int64_t)(*(uint64_t *)(void *)p + (uint64_t)delta);
	*(int64_t *)(void *)p = v;
	if (result)
		*result = v;
	return 0;
}

/* ---- membership and deletion, on every table of the array ---- */

static bool _stp_tab_exists_match(const struct stp_map *m, const struct stp_maptab *t,
				  const union stp_key *k, unsigned int wild)
{
	uint32_t i;

	if (!wild)
		return _stp_tab_find(m, t, k, _stp_hash_keys(m, k)) != STP_NIL;
	for (i = t->head; i != STP_NIL; i = _stp_node(m, t, i)->next)
		if (_stp_keys_eq(m, _stp_node(m, t, i), k, wild))
			return true;
	return false;
}

static void _stp_tab_delete_match(const struct stp_map *m, struct stp_maptab *t,
				  const union stp_key *k, unsigned int wild)
{
	uint32_t i, next;

	if (!wild) {
		i = _stp_tab_find(m, t, k, _stp_hash_keys(m, k));
		if (i != STP_NIL)
			_stp_tab_delete(m, t, i);
		return;
	}
	for (i = t->head; i != STP_NIL; i = next) {
		next = _stp_node(m, t, i)->next;
		if (_stp_keys_eq(m, _stp_node(m, t, i), k, wild))
			_stp_tab_delete(m, t, i);
	}
}

STP_API bool stp_map_exists_match(struct stp_map *m, const union stp_key *k, unsigned int wild)
{
	unsigned int cpu;

	wild &= (1u << m->spec->nkeys) - 1;
	if (!m->pcpu)
		return _stp_tab_exists_match(m, &m->tab, k, wild);
	for (cpu = 0; cpu < stp_ncpus(); cpu++)
		if (_stp_tab_exists_match(m, &m->pcpu[cpu], k, wild))
			return true;
	return false;
}

STP_API bool stp_map_exists(struct stp_map *m, const union stp_key *k)
{
	return stp_map_exists_match(m, k, 0);
}

STP_API void stp_map_delete_match(struct stp_map *m, const union stp_key *k, unsigned int wild)
{
	unsigned int cpu;

	wild &= (1u << m->spec->nkeys) - 1;
	_stp_tab_delete_match(m, &m->tab, k, wild);
	if (m->pcpu)
		for (cpu = 0; cpu < stp_ncpus(); cpu++)
			_stp_tab_delete_match(m, &m->pcpu[cpu], k, wild);
}

STP_API void stp_map_delete(struct stp_map *m, const union stp_key *k)
{
	stp_map_delete_match(m, k, 0);
}

STP_API void stp_map_clear(struct stp_map *m)
{
	unsigned int cpu;

	_stp_tab_reset(m, &m->tab);
	if (m->pcpu)
		for (cpu = 0; cpu < stp_ncpus(); cpu++)
			_stp_tab_reset(m, &m->pcpu[cpu]);
}

STP_API uint32_t stp_map_size(const struct stp_map *m)
{
	return m->tab.count;
}

/* ---- statistics values ---- */

STP_API int stp_map_stat_add(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			     const union stp_key *k, int64_t v)
{
	unsigned char *p;

	if (unlikely(!m->pcpu)) {
		stp_errorf(c, loc, "array %s holds no statistics", m->spec->name);
		return -1;
	}
	p = _stp_map_value(c, loc, m, &m->pcpu[c->cpu], k);
	if (!p)
		return -1;
	stp_stat_data_add(m->spec->stat, (struct stp_stat_data *)(void *)p, v);
	return 0;
}

static const struct stp_stat_data *_stp_tab_stat(const struct stp_map *m,
						 const struct stp_maptab *t,
						 const union stp_key *k, uint32_t hash)
{
	uint32_t i = _stp_tab_find(m, t, k, hash);

	if (i == STP_NIL)
		return NULL;
	return (const struct stp_stat_data *)(void *)_stp_node_at(_stp_node(m, t, i),
								  m->val_off);
}

STP_API const struct stp_stat_data *stp_map_stat_get(struct stp_context *c, struct stp_map *m,
						     const union stp_key *k)
{
	const struct stp_stat_spec *spec = m->spec->stat;
	struct stp_stat_data *agg = (struct stp_stat_data *)(void *)c->stat_scratch;
	uint32_t hash = _stp_hash_keys(m, k);
	unsigned int cpu, ncpus = stp_ncpus();
	bool found = false;

	if (unlikely(!m->pcpu))
		return NULL;
	stp_stat_data_clear(spec, agg);
	for (cpu = 0; cpu < ncpus; cpu++) {
		const struct stp_stat_data *part = _stp_tab_stat(m, &m->pcpu[cpu], k, hash);

		if (part) {
			stp_stat_agg_merge(spec, agg, part);
			found = true;
		}
	}
	if (!found)
		return NULL;
	if (spec->want_variance) {
		for (cpu = 0; cpu < ncpus; cpu++) {
			const struct stp_stat_data *part = _stp_tab_stat(m, &m->pcpu[cpu], k, hash);

			if (part)
				stp_stat_agg_variance(spec, agg, part);
		}
	}
	stp_stat_agg_finish(spec, agg);
	return agg;
}

/* The keys of a stored node, as a key array for lookups elsewhere. */
static void _stp_node_keys(const struct stp_map *m, const struct _stp_node_hdr *h,
			   union stp_key *k)
{
	int i;

	for (i = 0; i < m->spec->nkeys; i++) {
		const unsigned char *p = _stp_node_at(h, m->key_off[i]);

		if (m->spec->key_types[i] == STP_TYPE_STRING)
			k[i].s = (const char *)p;
		else
			k[i].i = *(const int64_t *)(const void *)p;
	}
}

STP_API int stp_map_aggregate(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m)
{
	const struct stp_stat_spec *spec = m->spec->stat;
	unsigned int cpu, ncpus = stp_ncpus();
	union stp_key k[STP_MAX_KEYS];
	uint32_t i, a;
	int pass;

	if (!m->pcpu)
		return 0;
	_stp_tab_reset(m, &m->tab);
	for (pass = 0; pass < (spec->want_variance ? 2 : 1); pass++) {
		for (cpu = 0; cpu < ncpus; cpu++) {
			const struct stp_maptab *t = &m->pcpu[cpu];

			for (i = t->head; i != STP_NIL; i = _stp_node(m, t, i)->next) {
				const struct _stp_node_hdr *h = _stp_node(m, t, i);
				const struct stp_stat_data *part =
					(const void *)_stp_node_at(h, m->val_off);
				struct stp_stat_data *agg;

				_stp_node_keys(m, h, k);
				a = _stp_tab_find(m, &m->tab, k, h->hash);
				if (a == STP_NIL && pass == 0)
					a = _stp_tab_insert(m, &m->tab, k, h->hash);
				if (a == STP_NIL) {
					stp_errorf(c, loc, "aggregation overflow in %s",
						   m->spec->name);
					return -1;
				}
				agg = (void *)_stp_node_at(_stp_node(m, &m->tab, a), m->val_off);
				if (pass == 0)
					stp_stat_agg_merge(spec, agg, part);
				else
					stp_stat_agg_variance(spec, agg, part);
			}
		}
	}
	for (i = m->tab.head; i != STP_NIL; i = _stp_node(m, &m->tab, i)->next)
		stp_stat_agg_finish(spec, (void *)_stp_node_at(_stp_node(m, &m->tab, i),
							       m->val_off));
	return 0;
}

/* ---- entries ---- */

static const struct _stp_node_hdr *_stp_hdr(const struct stp_map_node *n)
{
	return (const struct _stp_node_hdr *)(const void *)n;
}

STP_API int64_t stp_map_node_key_int(const struct stp_map *m, const struct stp_map_node *n,
				     int key)
{
	return *(const int64_t *)(const void *)_stp_node_at(_stp_hdr(n), m->key_off[key - 1]);
}

STP_API const char *stp_map_node_key_str(const struct stp_map *m, const struct stp_map_node *n,
					 int key)
{
	return (const char *)_stp_node_at(_stp_hdr(n), m->key_off[key - 1]);
}

STP_API int64_t stp_map_node_int(const struct stp_map *m, const struct stp_map_node *n)
{
	return *(const int64_t *)(const void *)_stp_node_at(_stp_hdr(n), m->val_off);
}

STP_API const char *stp_map_node_str(const struct stp_map *m, const struct stp_map_node *n)
{
	return (const char *)_stp_node_at(_stp_hdr(n), m->val_off);
}

STP_API const struct stp_stat_data *stp_map_node_stat(const struct stp_map *m,
						      const struct stp_map_node *n)
{
	return (const void *)_stp_node_at(_stp_hdr(n), m->val_off);
}
