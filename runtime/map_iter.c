/* foreach over arrays: insertion order, or sorted by a key column or the
 * value, ascending or descending, with a limit.
 *
 * Sorting never reorders the entries themselves (a later % overwrite
 * still takes the oldest): it fills the array's order index, stably, so
 * equal entries keep insertion order, as SystemTap's merge sort keeps
 * them.  With a small limit only the first entries are ordered, by
 * insertion into a short sorted prefix: O(n * limit) instead of
 * O(n log n). */
#include "map.h"
#include "context.h"
#include "arith.h"

#define STP_SORT_PARTIAL_MAX 64

struct _stp_sort {
	const struct stp_map *m;
	const struct stp_maptab *t;
	int col;
	int dir;
};

static const unsigned char *_stp_sort_node(const struct _stp_sort *s, uint32_t i)
{
	return s->t->pool + (size_t)i * s->m->node_size;
}

static uint32_t _stp_iter_succ(const struct stp_map *m, const struct stp_maptab *t, uint32_t i)
{
	return ((const struct _stp_node_hdr *)(const void *)(t->pool + (size_t)i * m->node_size))
		->next;
}

static int64_t _stp_sort_stat_field(const struct stp_stat_data *sd, int agg)
{
	switch (agg) {
	case STP_AGG_SUM:
		return sd->sum;
	case STP_AGG_MIN:
		return sd->min;
	case STP_AGG_MAX:
		return sd->max;
	case STP_AGG_AVG:
		return sd->count ? stp_sdiv64(sd->sum, sd->count) : 0;
	default:
		return sd->count;
	}
}

/* <0 when entry a comes before entry b in the requested order. */
static int _stp_sort_cmp(const struct _stp_sort *s, uint32_t a, uint32_t b)
{
	const struct stp_map *m = s->m;
	const unsigned char *na = _stp_sort_node(s, a), *nb = _stp_sort_node(s, b);
	int64_t x, y;
	int r;

	if (s->col >= 1 && s->col <= m->spec->nkeys) {
		uint32_t off = m->key_off[s->col - 1];

		if (m->spec->key_types[s->col - 1] == STP_TYPE_STRING) {
			r = strcmp((const char *)na + off, (const char *)nb + off);
			return r < 0 ? -s->dir : r > 0 ? s->dir : 0;
		}
		x = *(const int64_t *)(const void *)(na + off);
		y = *(const int64_t *)(const void *)(nb + off);
	} else if (m->spec->val_type == STP_TYPE_STRING) {
		r = strcmp((const char *)na + m->val_off, (const char *)nb + m->val_off);
		return r < 0 ? -s->dir : r > 0 ? s->dir : 0;
	} else if (m->spec->val_type == STP_TYPE_STAT) {
		int agg = s->col >= STP_SORT_AGG(0) ? s->col - STP_SORT_AGG(0) : STP_AGG_COUNT;

		x = _stp_sort_stat_field((const void *)(na + m->val_off), agg);
		y = _stp_sort_stat_field((const void *)(nb + m->val_off), agg);
	} else {
		x = *(const int64_t *)(const void *)(na + m->val_off);
		y = *(const int64_t *)(const void *)(nb + m->val_off);
	}
	return x < y ? -s->dir : x > y ? s->dir : 0;
}

/* Bottom-up merge sort of order[0..n), stable, using tmp. */
static void _stp_sort_all(const struct _stp_sort *s, uint32_t *order, uint32_t *tmp, uint32_t n)
{
	uint32_t width, lo, *src = order, *dst = tmp, *swap;

	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			uint32_t mid = lo + width < n ? lo + width : n;
			uint32_t hi = mid + width < n ? mid + width : n;
			uint32_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = _stp_sort_cmp(s, src[j], src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != order)
		memcpy(order, src, n * sizeof(uint32_t));
}

/* The first `keep` entries in order, from entries in insertion order:
 * each goes after the kept entries it does not precede. */
static uint32_t _stp_sort_top(const struct _stp_sort *s, uint32_t *order, uint32_t keep)
{
	uint32_t n = 0, i, j;

	for (i = s->t->head; i != STP_MAP_NIL;) {
		uint32_t next = _stp_iter_succ(s->m, s->t, i);

		for (j = n; j > 0 && _stp_sort_cmp(s, i, order[j - 1]) < 0; j--)
			;
		if (j < keep) {
			uint32_t last = n < keep ? n : keep - 1;

			memmove(order + j + 1, order + j, (last - j) * sizeof(uint32_t));
			order[j] = i;
			if (n < keep)
				n++;
		}
		i = next;
	}
	return n;
}

STP_API int stp_map_iter_start(struct stp_context *c, const struct stp_loc *loc,
			       struct stp_map_iter *it, struct stp_map *m, int col, int dir,
			       int64_t limit)
{
	struct _stp_sort s = { .m = m, .t = &m->tab, .col = col, .dir = dir };
	uint32_t i, n = 0;

	it->m = m;
	it->tab = &m->tab;
	it->left = limit;
	it->sorted = false;
	it->pos = STP_MAP_NIL;
	it->n = 0;
	if (m->pcpu && stp_map_aggregate(c, loc, m))
		return -1;
	if (limit <= 0)
		return 0;
	if (dir == STP_SORT_NONE) {
		it->pos = m->tab.head;
		return 0;
	}
	if (c) {
		if (m->sort_ctx == c && m->sort_run == c->run) {
			stp_errorf(c, loc, "nested sorted foreach over array %s", m->spec->name);
			return -1;
		}
		m->sort_ctx = c;
		m->sort_run = c->run;
	}
	if (limit < STP_SORT_PARTIAL_MAX && (uint64_t)limit < m->tab.count) {
		n = _stp_sort_top(&s, m->order, (uint32_t)limit);
	} else {
		for (i = m->tab.head; i != STP_MAP_NIL; i = _stp_iter_succ(m, &m->tab, i))
			m->order[n++] = i;
		_stp_sort_all(&s, m->order, m->order_tmp, n);
	}
	it->sorted = true;
	it->pos = 0;
	it->n = n;
	return 0;
}

STP_API struct stp_map_node *stp_map_iter_next(struct stp_map_iter *it)
{
	const struct stp_map *m = it->m;
	uint32_t i;

	if (it->left <= 0)
		return NULL;
	if (it->sorted) {
		if (it->pos >= it->n)
			return NULL;
		i = m->order[it->pos++];
	} else {
		i = it->pos;
		if (i == STP_MAP_NIL)
			return NULL;
		/* Read the successor now: the body may delete this entry. */
		it->pos = _stp_iter_succ(m, it->tab, i);
	}
	it->left--;
	return (struct stp_map_node *)(void *)(it->tab->pool + (size_t)i * m->node_size);
}

STP_API void stp_map_iter_end(struct stp_context *c, struct stp_map_iter *it)
{
	if (it->sorted && it->m->sort_ctx == c) {
		it->m->sort_ctx = NULL;
		it->sorted = false;
	}
}
