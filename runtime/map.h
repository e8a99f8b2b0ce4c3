/* Associative arrays: global a[k1, ..., k9], values long, string or
 * statistics.
 *
 * All memory is allocated by stp_map_init: a pool of max_entries nodes
 * (MAXMAPENTRIES, or the array's declared size), a hash table, and the
 * index arrays sorting uses.  Probe handlers never allocate: a full array
 * refuses new keys ("Array overflow, check MAXMAPENTRIES"), or, declared
 * with %, overwrites its oldest entry.  Entries are kept in insertion
 * order; unsorted foreach visits them in that order, and sorting is
 * stable, so ties keep it too.
 *
 * Statistics arrays keep one table per CPU (a[k] <<< v touches only the
 * running CPU's, under the global's read lock) and merge them when read
 * (under its write lock).
 *
 * Keys are passed as an array of union stp_key, one per index
 * expression, in order; string keys and values are cut to
 * MAXSTRINGLEN - 1 characters. */
#ifndef RUNTIME_MAP_H
#define RUNTIME_MAP_H

#include "runtime_defs.h"
#include "stat.h"

struct stp_context;

enum stp_type {
	STP_TYPE_LONG = 1,
	STP_TYPE_STRING,
	STP_TYPE_STAT,
};

/* What the translator knows about one array (static const). */
struct stp_map_spec {
	const char *name;			/* the script's name, for messages */
	unsigned char nkeys;			/* 1..STP_MAX_KEYS */
	unsigned char key_types[STP_MAX_KEYS];	/* STP_TYPE_LONG / STP_TYPE_STRING */
	unsigned char val_type;			/* enum stp_type */
	unsigned char wrap;			/* declared with %: overwrite the oldest */
	uint32_t max_entries;			/* declared size; 0: MAXMAPENTRIES */
	const struct stp_stat_spec *stat;	/* STP_TYPE_STAT values */
};

union stp_key {
	int64_t i;
	const char *s;
};

/* An entry, as iteration returns it. */
struct stp_map_node;

/* Private to map.c and map_iter.c: every entry starts with this, its
 * keys and value follow at the map's offsets.  Indexes instead of
 * pointers halve the links. */
struct _stp_node_hdr {
	uint32_t hnext;		/* hash chain */
	uint32_t prev, next;	/* insertion order */
	uint32_t hash;
};

#define STP_MAP_NIL 0xffffffffu

/* One hash table with its node pool. */
struct stp_maptab {
	unsigned char *pool;
	uint32_t *buckets;
	uint32_t mask;
	uint32_t count;
	uint32_t head, tail;		/* insertion order */
	uint32_t free;
};

struct stp_map {
	const struct stp_map_spec *spec;
	uint32_t cap;
	uint32_t node_size;
	uint32_t key_off[STP_MAX_KEYS];
	uint32_t val_off;
	struct stp_maptab tab;		/* values; statistics: the merged data */
	struct stp_maptab *pcpu;	/* statistics: one table per CPU */
	uint32_t *order, *order_tmp;	/* sorted iteration */
	const struct stp_context *sort_ctx;	/* the handler sorting it now */
	uint32_t sort_run;
};

/* 0, -ENOMEM, or -EINVAL (a spec the runtime cannot hold). */
STP_API int stp_map_init(struct stp_map *m, const struct stp_map_spec *spec);
STP_API void stp_map_free(struct stp_map *m);

/* Reading: a missing key reads as 0 or "".  (read lock) */
STP_API int64_t stp_map_get_int(struct stp_map *m, const union stp_key *k);
STP_API void stp_map_get_str(struct stp_map *m, const union stp_key *k, char *dst);

/* Writing (write lock): 0, or -1 with "Array overflow, check
 * MAXMAPENTRIES" (or "check size limit (N)" for a sized array) set in c. */
STP_API int stp_map_set_int(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, int64_t v);
STP_API int stp_map_set_str(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, const char *v);
/* a[k] += delta (++, --, +=, ...); the new value into *result. */
STP_API int stp_map_add_int(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			    const union stp_key *k, int64_t delta, int64_t *result);

/* [k...] in a / delete a[k...] / delete a.  wild has bit i set when key i
 * is a * wildcard: [*, 1] in a, delete a[*, 1]. */
STP_API bool stp_map_exists(struct stp_map *m, const union stp_key *k);
STP_API bool stp_map_exists_match(struct stp_map *m, const union stp_key *k, unsigned int wild);
STP_API void stp_map_delete(struct stp_map *m, const union stp_key *k);
STP_API void stp_map_delete_match(struct stp_map *m, const union stp_key *k, unsigned int wild);
STP_API void stp_map_clear(struct stp_map *m);

/* Entries (statistics arrays: merged entries, after stp_map_aggregate). */
STP_API uint32_t stp_map_size(const struct stp_map *m);

/* a[k] <<< v (read lock): 0 or -1 with the overflow error. */
STP_API int stp_map_stat_add(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m,
			     const union stp_key *k, int64_t v);
/* a[k] merged over all CPUs into c's scratch (write lock); NULL when no
 * CPU has the key.  Valid until the next call with c. */
STP_API const struct stp_stat_data *stp_map_stat_get(struct stp_context *c, struct stp_map *m,
						     const union stp_key *k);
/* Merges every key into m's own table, for foreach and sorting (write
 * lock).  0, or -1 with "aggregation overflow in NAME". */
STP_API int stp_map_aggregate(struct stp_context *c, const struct stp_loc *loc, struct stp_map *m);

/* ---- foreach ----
 * Sort columns: STP_SORT_VALUE, 1..nkeys for a key, or for statistics
 * STP_SORT_AGG(STP_AGG_SUM) etc. (STP_SORT_VALUE means @count there).
 * Directions: STP_SORT_NONE (insertion order), STP_SORT_ASC, STP_SORT_DESC. */
#define STP_SORT_VALUE 0
#define STP_SORT_AGG(agg) (16 + (agg))
#define STP_SORT_NONE 0
#define STP_SORT_ASC 1
#define STP_SORT_DESC (-1)
#define STP_NO_LIMIT STP_INT64_MAX

struct stp_map_iter {
	struct stp_map *m;
	const struct stp_maptab *tab;
	uint32_t pos;		/* sorted: index into m->order; else the next node */
	uint32_t n;		/* sorted: entries in m->order */
	int64_t left;		/* entries the limit still allows */
	bool sorted;
};

/* Starts foreach over m: statistics arrays are merged first; a sort needs
 * the write lock (the sort order lives in the array).  limit <= 0 visits
 * nothing, STP_NO_LIMIT everything.  0, or -1 with an error (aggregation
 * overflow; a sorted foreach nested in another sorted foreach of the same
 * array). */
STP_API int stp_map_iter_start(struct stp_context *c, const struct stp_loc *loc,
			       struct stp_map_iter *it, struct stp_map *m, int col, int dir,
			       int64_t limit);
/* The next entry, or NULL at the end. */
STP_API struct stp_map_node *stp_map_iter_next(struct stp_map_iter *it);
/* Ends a foreach, also when left by break or return (an error exit may
 * skip it: the claim on the sort order ends with the handler). */
STP_API void stp_map_iter_end(struct stp_context *c, struct stp_map_iter *it);

/* An entry's keys (1-based, as the translator numbers them) and value. */
STP_API int64_t stp_map_node_key_int(const struct stp_map *m, const struct stp_map_node *n,
				     int key);
STP_API const char *stp_map_node_key_str(const struct stp_map *m, const struct stp_map_node *n,
					 int key);
STP_API int64_t stp_map_node_int(const struct stp_map *m, const struct stp_map_node *n);
STP_API const char *stp_map_node_str(const struct stp_map *m, const struct stp_map_node *n);
STP_API const struct stp_stat_data *stp_map_node_stat(const struct stp_map *m,
						      const struct stp_map_node *n);

#endif
