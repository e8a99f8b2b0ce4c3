/* Statistics: every aggregate, SystemTap's integer variance (with the
 * values its manual documents), merging over CPUs, both histogram kinds
 * with their exact ASCII layout, bucket access, and the errors.
 *
 * The expected histograms were written out from SystemTap's documented
 * layout (value column, 50-column '@' bars, two empty rows of margin,
 * "~" for elided runs, under/overflow rows), not produced by this code. */
#include "unit.h"
#include <pthread.h>

static const char want_log_small[] =
	"value |-------------------------------------------------- count\n"
	"    0 |                                                   0\n"
	"    1 |@                                                  1\n"
	"    2 |@@@                                                3\n"
	"    4 |                                                   0\n"
	"    8 |@@@@                                               4\n"
	"   16 |                                                   0\n"
	"   32 |                                                   0\n"
	"   64 |@                                                  1\n"
	"  128 |                                                   0\n"
	"  256 |                                                   0\n"
	"\n";

static const char want_log_elide[] =
	" value |-------------------------------------------------- count\n"
	"     4 |                                                     0\n"
	"     8 |                                                     0\n"
	"    16 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           120\n"
	"    32 |                                                     0\n"
	"    64 |                                                     0\n"
	"       ~\n"
	" 16384 |                                                     0\n"
	" 32768 |                                                     0\n"
	" 65536 |@                                                    3\n"
	"131072 |                                                     0\n"
	"262144 |                                                     0\n"
	"\n";

static const char want_log_negative[] =
	"value |-------------------------------------------------- count\n"
	"  -16 |                                                   0\n"
	"   -8 |                                                   0\n"
	"   -4 |@                                                  1\n"
	"   -2 |                                                   0\n"
	"   -1 |@                                                  1\n"
	"    0 |@                                                  1\n"
	"    1 |                                                   0\n"
	"    2 |@                                                  1\n"
	"    4 |                                                   0\n"
	"    8 |                                                   0\n"
	"\n";

static const char want_lin_elide[] =
	"value |-------------------------------------------------- count\n"
	"   <0 |@                                                  1\n"
	"    0 |@@                                                 2\n"
	"   10 |@@                                                 2\n"
	"   20 |                                                   0\n"
	"   30 |                                                   0\n"
	"      ~\n"
	"   70 |                                                   0\n"
	"   80 |                                                   0\n"
	"   90 |@                                                  1\n"
	"  100 |                                                   0\n"
	" >100 |@                                                  1\n"
	"\n";

static const char want_lin_man[] =
	"value |-------------------------------------------------- count\n"
	"   <1 |@                                                  1\n"
	"    1 |@                                                  1\n"
	"    2 |@                                                  1\n"
	"    3 |@                                                  1\n"
	"   >3 |@                                                  1\n"
	"\n";

static const char want_lin_inner[] =
	"value |-------------------------------------------------- count\n"
	"    0 |                                                   0\n"
	"   10 |                                                   0\n"
	"   20 |@@                                                 2\n"
	"   30 |@                                                  1\n"
	"   40 |                                                   0\n"
	"   50 |                                                   0\n"
	"\n";

static const struct stp_stat_spec plain = { .want_variance = 1 };
static const struct stp_stat_spec shift1 = { .want_variance = 1, .bit_shift = 1 };
static const struct stp_stat_spec logh = { .hist_type = STP_HIST_LOG };
static const struct stp_stat_spec lin_0_100_10 = {
	.hist_type = STP_HIST_LINEAR, .start = 0, .stop = 100, .interval = 10,
};
static const struct stp_stat_spec lin_1_3_1 = {
	.hist_type = STP_HIST_LINEAR, .start = 1, .stop = 3, .interval = 1,
};
static const struct stp_map_spec hmap_spec = {
	.name = "h", .nkeys = 1, .key_types = { STP_TYPE_STRING }, .val_type = STP_TYPE_STAT,
	.stat = &plain,
};

static struct stp_stat s;
static const int64_t *feed;
static size_t nfeed;
static const struct stp_stat_spec *hspec;
static const struct stp_loc sloc = { "operator '@min'", "t.stp", 2, 8 };

static void feed_body(struct stp_context *c)
{
	size_t i;

	for (i = 0; i < nfeed; i++)
		stp_stat_add(c, &s, feed[i]);
}

static void feed_stat(const struct stp_stat_spec *spec, const int64_t *v, size_t n)
{
	if (s.spec)
		stp_stat_free(&s);
	if (stp_stat_init(&s, spec)) {
		printf("FAIL: stat init\n");
		exit(1);
	}
	feed = v;
	nfeed = n;
	ut_run(feed_body);
}

static void hist_body(struct stp_context *c)
{
	stp_stat_print_hist(c, NULL, hspec, stp_stat_get(&s));
}

static void check_hist(const char *name, const struct stp_stat_spec *spec, const int64_t *v,
		       size_t n, const char *want)
{
	feed_stat(spec, v, n);
	hspec = spec;
	ut_run(hist_body);
	ut_check_bytes(name, ut_out, ut_out_len, want, strlen(want));
}

static void test_aggregates(void)
{
	static const int64_t one_to_five[] = { 1, 2, 3, 4, 5 };
	static const int64_t neg[] = { -7, 0 };
	static const int64_t wrap[] = { INT64_MAX, 1 };
	const struct stp_stat_data *d;

	feed_stat(&plain, one_to_five, 5);
	d = stp_stat_get(&s);
	ut_check_int("@count", stp_stat_extract(NULL, NULL, d, STP_AGG_COUNT), 5);
	ut_check_int("@sum", stp_stat_extract(NULL, NULL, d, STP_AGG_SUM), 15);
	ut_check_int("@min", stp_stat_extract(NULL, NULL, d, STP_AGG_MIN), 1);
	ut_check_int("@max", stp_stat_extract(NULL, NULL, d, STP_AGG_MAX), 5);
	ut_check_int("@avg", stp_stat_extract(NULL, NULL, d, STP_AGG_AVG), 3);
	ut_check_int("@variance of 1..5 (man stap: 12)",
		     stp_stat_extract(NULL, NULL, d, STP_AGG_VARIANCE), 12);
	feed_stat(&shift1, one_to_five, 5);
	ut_check_int("@variance(x, 1) of 1..5 (man stap: 2)",
		     stp_stat_extract(NULL, NULL, stp_stat_get(&s), STP_AGG_VARIANCE), 2);
	feed_stat(&plain, one_to_five, 1);
	ut_check_int("@variance of one value", stp_stat_get(&s)->variance, 0);
	feed_stat(&plain, neg, 2);
	ut_check_int("@avg rounds toward zero", stp_stat_extract(NULL, NULL, stp_stat_get(&s),
								 STP_AGG_AVG), -3);
	ut_check_int("@min of negatives", stp_stat_get(&s)->min, -7);
	feed_stat(&plain, wrap, 2);
	ut_check_int("@sum wraps", stp_stat_get(&s)->sum, INT64_MIN);
	stp_stat_clear(&s);
	ut_check_int("delete empties", stp_stat_get(&s)->count, 0);
}

static int64_t ext_result;
static int ext_agg;

static void extract_body(struct stp_context *c)
{
	ext_result = stp_stat_extract(c, &sloc, stp_stat_get(&s), ext_agg);
}

static void test_empty(void)
{
	static const char *const names[] = { "@count", "@sum", "@min", "@max", "@avg",
					     "@variance" };
	int agg;

	feed_stat(&plain, NULL, 0);
	for (agg = STP_AGG_COUNT; agg <= STP_AGG_VARIANCE; agg++) {
		char name[64];
		const char *e;

		ext_agg = agg;
		ut_run(extract_body);
		e = ut_ctl(STP_MSG_ERROR, 0);
		snprintf(name, sizeof(name), "%s of nothing", names[agg]);
		if (agg <= STP_AGG_SUM)
			ut_check(!e && ext_result == 0, name, "result %lld, error %s",
				 (long long)ext_result, e ? e : "none");
		else
			ut_check_str(name, e ? e : "(no error)",
				     "empty aggregate near operator '@min' at t.stp:2:8");
	}
	hspec = &logh;
	feed_stat(&logh, NULL, 0);
	ut_run(hist_body);
	ut_check(ut_out_len == 0 && ut_ctl(STP_MSG_ERROR, 0) &&
		 !strcmp(ut_ctl(STP_MSG_ERROR, 0), "empty aggregate"),
		 "print of an empty histogram", "%zu bytes", ut_out_len);
}

/* The same values spread over CPUs merge to SystemTap's numbers: 1, 2
 * on one CPU and 3, 4, 5 on another give variance 3 (13 / 4). */
static void *cpu_thread(void *arg)
{
	ut_body = feed_body;
	stp_probe_run(&ut_probe, NULL, NULL);
	return arg;
}

static void test_cpus(void)
{
	static const int64_t part1[] = { 1, 2 }, part2[] = { 3, 4, 5 };
	const struct stp_stat_data *d;
	pthread_t t;

	feed_stat(&plain, NULL, 0);
	feed = part1;
	nfeed = 2;
	pthread_create(&t, NULL, cpu_thread, NULL);
	pthread_join(t, NULL);
	feed = part2;
	nfeed = 3;
	pthread_create(&t, NULL, cpu_thread, NULL);
	pthread_join(t, NULL);
	d = stp_stat_get(&s);
	ut_check(d->count == 5 && d->sum == 15 && d->min == 1 && d->max == 5,
		 "merged over two CPUs", "count %lld sum %lld", (long long)d->count,
		 (long long)d->sum);
	ut_check_int("variance merged over two CPUs", d->variance, 3);
}

static int64_t bucket;

static void bucket_body(struct stp_context *c)
{
	bucket = stp_stat_bucket(c, &sloc, hspec, stp_stat_get(&s), bucket);
}

static void test_histograms(void)
{
	static const int64_t small[] = { 1, 2, 2, 3, 8, 8, 8, 8, 100 };
	static const int64_t negative[] = { -1, -5, 0, 3 };
	static const int64_t lin[] = { -5, 0, 5, 15, 15, 95, 200 };
	static const int64_t man[] = { -100, 1, 2, 3, 100 };
	static const int64_t inner[] = { 25, 25, 35 };
	static int64_t elide[123];
	static const int64_t counts[] = { 1, 1, 1, 1, 1 };
	int i;

	check_hist("@hist_log", &logh, small, STP_ARRAY_SIZE(small), want_log_small);
	for (i = 0; i < 123; i++)
		elide[i] = i < 120 ? 16 : 100000;
	check_hist("@hist_log scaled and elided", &logh, elide, 123, want_log_elide);
	check_hist("@hist_log of negative values", &logh, negative, STP_ARRAY_SIZE(negative),
		   want_log_negative);
	check_hist("@hist_linear with under/overflow and elision", &lin_0_100_10, lin,
		   STP_ARRAY_SIZE(lin), want_lin_elide);
	check_hist("@hist_linear(x, 1, 3, 1) (man stap)", &lin_1_3_1, man, STP_ARRAY_SIZE(man),
		   want_lin_man);
	check_hist("@hist_linear without under/overflow rows", &lin_0_100_10, inner,
		   STP_ARRAY_SIZE(inner), want_lin_inner);

	/* man stap: buckets 0 (below), 1..3, 4 (above) hold one value each */
	feed_stat(&lin_1_3_1, man, STP_ARRAY_SIZE(man));
	hspec = &lin_1_3_1;
	for (i = 0; i < 5; i++) {
		char name[64];

		bucket = i;
		ut_run(bucket_body);
		snprintf(name, sizeof(name), "@hist_linear(x, 1, 3, 1)[%d]", i);
		ut_check_int(name, bucket, counts[i]);
	}
	bucket = 5;
	ut_run(bucket_body);
	ut_check_str("histogram index past the end",
		     ut_ctl(STP_MSG_ERROR, 0) ? ut_ctl(STP_MSG_ERROR, 0) : "(none)",
		     "histogram index out of range near operator '@min' at t.stp:2:8");
	bucket = -1;
	ut_run(bucket_body);
	ut_check(ut_ctl(STP_MSG_ERROR, 0) != NULL, "negative histogram index", "%s", "no error");

	ut_check_int("log bucket of 0", stp_hist_log_bucket(0), 64);
	ut_check_int("log bucket of 1", stp_hist_log_bucket(1), 65);
	ut_check_int("log bucket of INT64_MAX", stp_hist_log_bucket(INT64_MAX), 127);
	ut_check_int("log bucket of INT64_MIN", stp_hist_log_bucket(INT64_MIN), 0);
	ut_check_int("log bucket 0 is labelled INT64_MIN", stp_hist_log_value(0), INT64_MIN);
	ut_check_int("log bucket 127 is labelled 2^62", stp_hist_log_value(127), 1LL << 62);
}

static void test_bad_specs(void)
{
	static const struct stp_stat_spec zero_interval = {
		.hist_type = STP_HIST_LINEAR, .start = 0, .stop = 10, .interval = 0,
	};
	static const struct stp_stat_spec too_many = {
		.hist_type = STP_HIST_LINEAR, .start = 0, .stop = 1000, .interval = 1,
	};
	static const struct stp_stat_spec most = {
		.hist_type = STP_HIST_LINEAR, .start = 0, .stop = STP_MAX_BUCKETS - 3, .interval = 1,
	};
	struct stp_stat x;

	ut_check_int("linear histogram with interval 0 is refused",
		     stp_stat_init(&x, &zero_interval), -EINVAL);
	ut_check_int("linear histogram with too many buckets is refused",
		     stp_stat_init(&x, &too_many), -EINVAL);
	ut_check_int("linear histogram with STP_MAX_BUCKETS buckets", stp_stat_init(&x, &most), 0);
	stp_stat_free(&x);
}

/* Statistics arrays: per-key aggregates, merged over CPUs. */
#define K(str) ((union stp_key[]){ { .s = (str) } })

static struct stp_map hm;
static int64_t got_count, got_var;

static void hmap_body(struct stp_context *c)
{
	size_t i;

	for (i = 0; i < nfeed; i++)
		stp_map_stat_add(c, NULL, &hm, K("k"), feed[i]);
	stp_map_stat_add(c, NULL, &hm, K("other"), 100);
}

static void *hmap_thread(void *arg)
{
	ut_body = hmap_body;
	stp_probe_run(&ut_probe, NULL, NULL);
	return arg;
}

static void hmap_read_body(struct stp_context *c)
{
	const struct stp_stat_data *d = stp_map_stat_get(c, &hm, K("k"));
	struct stp_map_iter it;
	struct stp_map_node *n;

	got_count = stp_stat_extract(c, NULL, d, STP_AGG_COUNT);
	got_var = stp_stat_extract(c, NULL, d, STP_AGG_VARIANCE);
	ut_check(stp_map_stat_get(c, &hm, K("none")) == NULL,
		 "statistics array: missing key", "%s", "");
	stp_map_iter_start(c, NULL, &it, &hm, STP_SORT_AGG(STP_AGG_SUM), STP_SORT_DESC, 1);
	n = stp_map_iter_next(&it);
	ut_check(n && !strcmp(stp_map_node_key_str(&hm, n, 1), "other") &&
		 stp_map_node_stat(&hm, n)->count == 2 && stp_map_node_stat(&hm, n)->sum == 200 &&
		 !stp_map_iter_next(&it),
		 "statistics array: foreach by @sum desc limit 1", "%s", "");
	stp_map_iter_end(c, &it);
	stp_map_iter_start(c, NULL, &it, &hm, STP_SORT_AGG(STP_AGG_MIN), STP_SORT_ASC, 1);
	n = stp_map_iter_next(&it);
	ut_check(n && !strcmp(stp_map_node_key_str(&hm, n, 1), "k") &&
		 stp_map_node_stat(&hm, n)->variance == 3,
		 "statistics array: foreach by @min, merged variance", "%s", "");
	stp_map_iter_end(c, &it);
}

static void test_stat_map(void)
{
	static const int64_t part1[] = { 1, 2 }, part2[] = { 3, 4, 5 };
	pthread_t t;

	if (stp_map_init(&hm, &hmap_spec)) {
		ut_check(false, "statistics array init", "%s", "failed");
		return;
	}
	feed = part1;
	nfeed = 2;
	pthread_create(&t, NULL, hmap_thread, NULL);
	pthread_join(t, NULL);
	feed = part2;
	nfeed = 3;
	pthread_create(&t, NULL, hmap_thread, NULL);
	pthread_join(t, NULL);
	ut_run(hmap_read_body);
	ut_check_int("statistics array: @count merged over CPUs", got_count, 5);
	ut_check_int("statistics array: @variance merged over CPUs", got_var, 3);
	ut_ok("statistics array: key in", stp_map_exists(&hm, K("k")));
	stp_map_delete(&hm, K("k"));
	ut_ok("statistics array: delete takes every CPU's part", !stp_map_exists(&hm, K("k")));
	stp_map_free(&hm);
}

/* foreach over a statistics array by each aggregate, both ways: the
 * expected order comes from aggregates the test computes itself, ties
 * in the merged table's order (CPU by CPU, each in insertion order). */
#define SK 6
static struct stp_map sm;
static const char *const skeys[SK] = { "k0", "k1", "k2", "k3", "k4", "k5" };
static const int64_t svals[2][SK][3] = {
	{ { 5, 5, 5 }, { 1, 9, 0 }, { 7, 0, 0 }, { 2, 2, 0 }, { -3, 4, 0 }, { 0, 0, 0 } },
	{ { 1, 0, 0 }, { 3, 0, 0 }, { 0, 0, 0 }, { 2, 2, 2 }, { 8, -1, 0 }, { 6, 6, 0 } },
};
static const int scount[2][SK] = { { 3, 2, 1, 2, 2, 0 }, { 1, 1, 0, 3, 2, 2 } };
static int spart, scpu[2];

static void sfeed_body(struct stp_context *c)
{
	int k, i;

	scpu[spart] = c->cpu;
	for (k = 0; k < SK; k++)
		for (i = 0; i < scount[spart][k]; i++)
			stp_map_stat_add(c, NULL, &sm, K(skeys[k]), svals[spart][k][i]);
}

static void *sfeed_thread(void *arg)
{
	ut_body = sfeed_body;
	stp_probe_run(&ut_probe, NULL, NULL);
	return arg;
}

struct sagg {
	int key;
	int64_t v[5];
	int order;
};

static int sagg_col, sagg_dir;

static int sagg_cmp(const void *pa, const void *pb)
{
	const struct sagg *a = pa, *b = pb;

	if (a->v[sagg_col] != b->v[sagg_col])
		return (a->v[sagg_col] < b->v[sagg_col] ? -1 : 1) * sagg_dir;
	return a->order - b->order;
}

static void ssort_body(struct stp_context *c)
{
	static const char *const aggname[] = { "@count", "@sum", "@min", "@max", "@avg" };
	struct sagg want[SK];
	int n = 0, k, p, i, agg, dir, first[2];

	/* each part's key order is its insertion order; merge CPU by CPU */
	first[0] = scpu[0] < scpu[1] ? 0 : 1;
	first[1] = !first[0];
	for (p = 0; p < 2; p++) {
		for (k = 0; k < SK; k++) {
			if (!scount[first[p]][k])
				continue;
			for (i = 0; i < n; i++)
				if (want[i].key == k)
					break;
			if (i == n) {
				want[n].key = k;
				want[n].order = n;
				n++;
			}
		}
	}
	for (i = 0; i < n; i++) {
		int64_t cnt = 0, sum = 0, mn = INT64_MAX, mx = INT64_MIN;

		for (p = 0; p < 2; p++) {
			for (k = 0; k < scount[p][want[i].key]; k++) {
				int64_t v = svals[p][want[i].key][k];

				cnt++;
				sum += v;
				mn = v < mn ? v : mn;
				mx = v > mx ? v : mx;
			}
		}
		want[i].v[STP_AGG_COUNT] = cnt;
		want[i].v[STP_AGG_SUM] = sum;
		want[i].v[STP_AGG_MIN] = mn;
		want[i].v[STP_AGG_MAX] = mx;
		want[i].v[STP_AGG_AVG] = sum / cnt;
	}
	for (agg = STP_AGG_COUNT; agg <= STP_AGG_AVG; agg++) {
		for (dir = -1; dir <= 1; dir += 2) {
			struct sagg sorted[SK];
			struct stp_map_iter it;
			struct stp_map_node *node;
			char name[96];
			int got = 0, bad = -1;

			memcpy(sorted, want, sizeof(want));
			sagg_col = agg;
			sagg_dir = dir;
			qsort(sorted, (size_t)n, sizeof(sorted[0]), sagg_cmp);
			stp_map_iter_start(c, NULL, &it, &sm, STP_SORT_AGG(agg), dir, STP_NO_LIMIT);
			while ((node = stp_map_iter_next(&it))) {
				if (got >= n ||
				    strcmp(stp_map_node_key_str(&sm, node, 1), skeys[sorted[got].key]))
					bad = bad < 0 ? got : bad;
				got++;
			}
			stp_map_iter_end(c, &it);
			snprintf(name, sizeof(name), "statistics array: foreach by %s %s", aggname[agg],
				 dir < 0 ? "desc" : "asc");
			ut_check(got == n && bad < 0, name, "%d entries of %d, first wrong at %d", got,
				 n, bad);
		}
	}
}

static void test_stat_sort(void)
{
	pthread_t t;

	if (stp_map_init(&sm, &hmap_spec)) {
		ut_check(false, "statistics array init", "%s", "failed");
		return;
	}
	for (spart = 0; spart < 2; spart++) {
		pthread_create(&t, NULL, sfeed_thread, NULL);
		pthread_join(t, NULL);
	}
	ut_check(scpu[0] != scpu[1], "statistics array: parts on two CPUs", "%d %d", scpu[0],
		 scpu[1]);
	ut_run(ssort_body);
	stp_map_free(&sm);
}

int main(void)
{
	ut_init_runtime(0);
	test_aggregates();
	test_empty();
	test_cpus();
	test_histograms();
	test_bad_specs();
	test_stat_map();
	test_stat_sort();
	stp_stat_free(&s);
	stp_runtime_exit();
	return ut_done();
}
