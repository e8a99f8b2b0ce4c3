/* "Did you mean": the known names closest to a misspelt one. */
#include "translate/sema.h"
#include <stdlib.h>
#include <string.h>

enum { MAX_SUGGESTIONS = 5, MAX_LEN = 64 };

/* Damerau-Levenshtein distance (adjacent swaps count one), capped: names
 * longer than MAX_LEN are never suggested. */
static int distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > MAX_LEN || m > MAX_LEN)
		return 1000;
	int d[MAX_LEN + 1][MAX_LEN + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

typedef struct Cand {
	const char *name;
	int dist;
} Cand;

static int cmp_cand(const void *x, const void *y)
{
	const Cand *a = x, *b = y;
	if (a->dist != b->dist)
		return a->dist - b->dist;
	return strcmp(a->name, b->name);
}

void suggest(StrBuf *b, const char *name, const char *const *cands, int n)
{
	size_t len = strlen(name);
	/* Short names tolerate one edit, longer ones up to three: typos,
	 * not different words sharing a prefix. */
	int limit = len <= 3 ? 1 : len <= 8 ? 2 : 3;
	Cand *v = malloc(sizeof(Cand) * (size_t)(n + 1));
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (!cands[i] || !strcmp(cands[i], name))
			continue;
		bool dup = false;
		for (int j = 0; j < k && !dup; j++)
			dup = !strcmp(v[j].name, cands[i]);
		if (dup)
			continue;
		int d = distance(name, cands[i]);
		/* Replacing every letter is not a near miss. */
		if (d <= limit && (size_t)d < len && (size_t)d < strlen(cands[i]))
			v[k++] = (Cand){ cands[i], d };
	}
	qsort(v, (size_t)k, sizeof(Cand), cmp_cand);
	/* Only the closest: one near miss says more than five far ones. */
	for (int i = 1; i < k; i++)
		if (v[i].dist > v[0].dist) {
			k = i;
			break;
		}
	if (k > MAX_SUGGESTIONS)
		k = MAX_SUGGESTIONS;
	for (int i = 0; i < k; i++)
		sb_printf(b, "%s%s", i ? ", " : " (similar: ", v[i].name);
	if (k)
		sb_putc(b, ')');
	free(v);
}
