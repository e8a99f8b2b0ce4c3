/* The reorder window. */
#include "merge.h"
#include <stdlib.h>
#include <string.h>

struct entry {
	uint64_t seq, tick, ms;
	uint32_t len;
	char *data;
};

struct queue {
	struct entry *v;
	size_t head, n, cap;
};

struct merge {
	unsigned nchan;
	struct queue *q;
	size_t pending;
	bool synced;
	uint64_t next, tick, missing, emitted;
	unsigned window_ticks;
	uint64_t window_ms;
	merge_emit_fn emit;
	void *ctx;
};

struct merge *merge_new(unsigned nchan, bool synced, merge_emit_fn emit, void *ctx)
{
	struct merge *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->q = calloc(nchan ? nchan : 1, sizeof(*m->q));
	if (!m->q) {
		free(m);
		return NULL;
	}
	m->nchan = nchan;
	m->synced = synced;
	m->window_ticks = 2;
	m->window_ms = 50;
	m->emit = emit;
	m->ctx = ctx;
	return m;
}

void merge_free(struct merge *m)
{
	if (!m)
		return;
	for (unsigned c = 0; c < m->nchan; c++) {
		struct queue *q = &m->q[c];
		for (size_t i = 0; i < q->n; i++)
			free(q->v[(q->head + i) % q->cap].data);
		free(q->v);
	}
	free(m->q);
	free(m);
}

void merge_set_window(struct merge *m, unsigned ticks, uint64_t ms)
{
	m->window_ticks = ticks;
	m->window_ms = ms;
}

static int emit(struct merge *m, uint64_t seq, const char *data, uint32_t len)
{
	if (!m->synced) {
		m->synced = true;
		m->next = seq + 1;
	} else if (seq >= m->next) {
		m->missing += seq - m->next;
		m->next = seq + 1;
	} else if (m->missing) {
		m->missing--;	/* a late one: it was counted when skipped */
	}
	m->emitted++;
	return m->emit(m->ctx, seq, data, len);
}

static int enqueue(struct queue *q, uint64_t seq, const char *data, uint32_t len,
		   uint64_t tick, uint64_t ms)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct entry *v = malloc(cap * sizeof(*v));
		if (!v)
			return -1;
		for (size_t i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = v;
		q->cap = cap;
		q->head = 0;
	}
	struct entry *e = &q->v[(q->head + q->n) % q->cap];
	e->data = malloc(len ? len : 1);
	if (!e->data)
		return -1;
	memcpy(e->data, data, len);
	e->seq = seq;
	e->len = len;
	e->tick = tick;
	e->ms = ms;
	q->n++;
	return 0;
}

int merge_push(struct merge *m, unsigned ch, uint64_t seq, const char *data, uint32_t len,
	       uint64_t now_ms)
{
	if (ch >= m->nchan)
		return -1;
	if (!m->pending && m->synced && seq <= m->next)
		return emit(m, seq, data, len);
	if (enqueue(&m->q[ch], seq, data, len, m->tick, now_ms) < 0)
		return -1;
	m->pending++;
	return merge_release(m, now_ms);
}

/* The channel whose head has the smallest number, or -1. */
static int min_channel(const struct merge *m, bool *all_full)
{
	int best = -1;
	*all_full = true;
	for (unsigned c = 0; c < m->nchan; c++) {
		const struct queue *q = &m->q[c];
		if (!q->n) {
			*all_full = false;
			continue;
		}
		if (best < 0 || q->v[q->head].seq < m->q[best].v[m->q[best].head].seq)
			best = (int)c;
	}
	return best;
}

static int pop_emit(struct merge *m, int c)
{
	struct queue *q = &m->q[c];
	struct entry e = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	m->pending--;
	int rc = emit(m, e.seq, e.data, e.len);
	free(e.data);
	return rc;
}

enum mode { READY, BEFORE, ALL };

static int release(struct merge *m, enum mode mode, uint64_t limit, uint64_t now_ms)
{
	while (m->pending) {
		bool all_full;
		int c = min_channel(m, &all_full);
		const struct entry *e = &m->q[c].v[m->q[c].head];
		bool ok;
		if (mode == ALL)
			ok = true;
		else if (mode == BEFORE)
			ok = e->seq < limit;
		else
			ok = (m->synced && e->seq <= m->next) || all_full ||
				(m->tick - e->tick >= m->window_ticks &&
				 now_ms - e->ms >= m->window_ms);
		if (!ok)
			break;
		int rc = pop_emit(m, c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int merge_release(struct merge *m, uint64_t now_ms)
{
	return release(m, READY, 0, now_ms);
}

int merge_release_before(struct merge *m, uint64_t seq)
{
	return release(m, BEFORE, seq, 0);
}

int merge_release_all(struct merge *m)
{
	return release(m, ALL, 0, 0);
}

void merge_tick(struct merge *m)
{
	m->tick++;
}

bool merge_pending(const struct merge *m)
{
	return m->pending != 0;
}

uint64_t merge_missing(const struct merge *m)
{
	return m->missing;
}

uint64_t merge_emitted(const struct merge *m)
{
	return m->emitted;
}

uint64_t merge_next(const struct merge *m)
{
	return m->next;
}
