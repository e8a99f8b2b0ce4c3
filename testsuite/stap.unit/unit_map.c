/* Associative arrays: insert, overwrite, delete, wildcards, full and %
 * arrays, and foreach in every order with limits.  Sorted results are
 * checked against the test's own record of what it inserted, ordered with
 * qsort (ties by insertion order), not against the map's internals.
 * Built with MAXMAPENTRIES=16. */
#include "unit.h"

static const struct stp_map_spec ls_spec = {
	.name = "a", .nkeys = 2, .key_types = { STP_TYPE_LONG, STP_TYPE_STRING },
	.val_type = STP_TYPE_LONG, .max_entries = 200,
};
static const struct stp_map_spec ss_spec = {
	.name = "s", .nkeys = 1, .key_types = { STP_TYPE_STRING }, .val_type = STP_TYPE_STRING,
};
static const struct stp_map_spec sized_spec = {
	.name = "sized", .nkeys = 1, .key_types = { STP_TYPE_LONG }, .val_type = STP_TYPE_LONG,
	.max_entries = 4,
};
static const struct stp_map_spec wrap_spec = {
	.name = "w", .nkeys = 1, .key_types = { STP_TYPE_LONG }, .val_type = STP_TYPE_LONG,
	.max_entries = 3, .wrap = 1,
};
static const struct stp_map_spec dflt_spec = {
	.name = "d", .nkeys = 1, .key_types = { STP_TYPE_LONG }, .val_type = STP_TYPE_LONG,
};
static const struct stp_map_spec nine_spec = {
	.name = "nine", .nkeys = 9,
	.key_types = { STP_TYPE_LONG, STP_TYPE_STRING, STP_TYPE_LONG, STP_TYPE_STRING, STP_TYPE_LONG,
		       STP_TYPE_STRING, STP_TYPE_LONG, STP_TYPE_STRING, STP_TYPE_LONG },
	.val_type = STP_TYPE_STRING,
};

static struct stp_map m, ms, msized, mwrap, mdflt, mnine;
static int rc;

#define K2(a, b) ((union stp_key[]){ { .i = (a) }, { .s = (b) } })
#define K1(a) ((union stp_key[]){ { .i = (a) } })
#define KS(a) ((union stp_key[]){ { .s = (a) } })

static const char *first_error(void)
{
	const char *e = ut_ctl(STP_MSG_ERROR, 0);

	return e ? e : "(none)";
}

/* ---- basic operations ---- */

static void basic_body(struct stp_context *c)
{
	char s[MAXSTRINGLEN];
	int64_t r = 0;

	stp_map_set_int(c, NULL, &m, K2(1, "x"), 5);
	ut_check_int("get after set", stp_map_get_int(&m, K2(1, "x")), 5);
	stp_map_set_int(c, NULL, &m, K2(1, "x"), 7);
	ut_check_int("overwrite", stp_map_get_int(&m, K2(1, "x")), 7);
	ut_check_int("overwrite keeps one entry", stp_map_size(&m), 1);
	ut_check_int("missing long reads 0", stp_map_get_int(&m, K2(1, "y")), 0);
	ut_ok("missing key is not in", !stp_map_exists(&m, K2(2, "x")));
	ut_check_int("reading a missing key adds nothing", stp_map_size(&m), 1);
	stp_map_add_int(c, NULL, &m, K2(1, "x"), 3, &r);
	ut_check_int("add to existing", r, 10);
	stp_map_add_int(c, NULL, &m, K2(9, "new"), -4, &r);
	ut_check_int("add to missing starts at 0", r, -4);
	stp_map_set_int(c, NULL, &m, K2(2, ""), 0);
	ut_ok("zero value is kept", stp_map_exists(&m, K2(2, "")));
	ut_ok("empty string key", stp_map_get_int(&m, K2(2, "")) == 0 &&
		 !stp_map_exists(&m, K2(2, "x")));
	stp_map_delete(&m, K2(1, "x"));
	ut_check(!stp_map_exists(&m, K2(1, "x")) && stp_map_size(&m) == 2, "delete", "size %u",
		 stp_map_size(&m));
	stp_map_delete(&m, K2(1, "x"));
	ut_check_int("delete of a missing key", stp_map_size(&m), 2);
	stp_map_set_int(c, NULL, &m, K2(INT64_MIN, "min"), INT64_MAX);
	ut_check_int("extreme key and value", stp_map_get_int(&m, K2(INT64_MIN, "min")),
		     INT64_MAX);
	stp_map_add_int(c, NULL, &m, K2(INT64_MIN, "min"), 1, &r);
	ut_check_int("add wraps", r, INT64_MIN);

	stp_map_set_str(c, NULL, &ms, KS("k"), "value");
	stp_map_get_str(&ms, KS("k"), s);
	ut_check_str("string value", s, "value");
	stp_map_get_str(&ms, KS("nope"), s);
	ut_check_str("missing string reads \"\"", s, "");
	{
		char longkey[2 * MAXSTRINGLEN], other[2 * MAXSTRINGLEN];

		memset(longkey, 'k', sizeof(longkey) - 1);
		longkey[sizeof(longkey) - 1] = '\0';
		memcpy(other, longkey, sizeof(other));
		other[MAXSTRINGLEN + 5] = 'Z';
		stp_map_set_str(c, NULL, &ms, KS(longkey), longkey);
		stp_map_get_str(&ms, KS(other), s);
		ut_check(strlen(s) == MAXSTRINGLEN - 1 && s[0] == 'k',
			 "long keys are cut: same first MAXSTRINGLEN - 1 is the same key",
			 "got %zu chars", strlen(s));
	}
	stp_map_get_str(&ms, KS("k"), s);
	stp_map_set_str(c, NULL, &ms, KS("k2"), s);
	stp_map_get_str(&ms, KS("k2"), s);
	ut_check_str("string value copied between entries", s, "value");
}

static void nine_body(struct stp_context *c)
{
	union stp_key k[9] = { { .i = 1 }, { .s = "a" }, { .i = 2 }, { .s = "b" }, { .i = 3 },
			       { .s = "c" }, { .i = 4 }, { .s = "d" }, { .i = 5 } };
	char s[MAXSTRINGLEN];
	struct stp_map_iter it;
	struct stp_map_node *n;

	stp_map_set_str(c, NULL, &mnine, k, "nine");
	k[8].i = 6;
	stp_map_set_str(c, NULL, &mnine, k, "other");
	k[8].i = 5;
	stp_map_get_str(&mnine, k, s);
	ut_check_str("nine keys", s, "nine");
	stp_map_iter_start(c, NULL, &it, &mnine, 8, STP_SORT_ASC, STP_NO_LIMIT);
	n = stp_map_iter_next(&it);
	ut_check(n && !strcmp(stp_map_node_key_str(&mnine, n, 8), "d") &&
			 stp_map_node_key_int(&mnine, n, 9) == 5 &&
			 !strcmp(stp_map_node_str(&mnine, n), "nine"),
		 "nine keys: entry keys", "%s", "");
	stp_map_iter_end(c, &it);
}

/* ---- wildcards ---- */

static void wild_body(struct stp_context *c)
{
	static const char *const names[] = { "a", "b", "c" };
	int i, j;

	stp_map_clear(&m);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			stp_map_set_int(c, NULL, &m, K2(i, names[j]), i * 10 + j);
	ut_ok("[*, \"b\"] in a", stp_map_exists_match(&m, K2(0, "b"), 1));
	ut_ok("[7, *] not in a", !stp_map_exists_match(&m, K2(7, ""), 2));
	stp_map_delete_match(&m, K2(0, "b"), 1);
	ut_check_int("delete a[*, \"b\"] leaves 6", stp_map_size(&m), 6);
	ut_ok("delete a[*, \"b\"] took all b", !stp_map_exists_match(&m, K2(0, "b"), 1) &&
		 stp_map_exists(&m, K2(2, "c")));
	stp_map_delete_match(&m, K2(1, ""), 2);
	ut_check_int("delete a[1, *] leaves 4", stp_map_size(&m), 4);
	ut_ok("delete a[1, *] kept others", !stp_map_exists(&m, K2(1, "a")) &&
		 stp_map_get_int(&m, K2(2, "a")) == 20);
	stp_map_delete_match(&m, K2(0, ""), 3);
	ut_check_int("delete a[*, *] empties it", stp_map_size(&m), 0);
}

/* ---- full and % arrays ---- */

static void full_body(struct stp_context *c)
{
	int i;

	for (i = 0; i < 4; i++)
		rc |= stp_map_set_int(c, NULL, &msized, K1(i), i);
	ut_check(rc == 0 && stp_map_size(&msized) == 4, "sized array fills", "rc %d", rc);
	ut_check_int("existing key of a full array can change",
		     stp_map_set_int(c, NULL, &msized, K1(2), 22), 0);
	rc = stp_map_set_int(c, &(struct stp_loc){ "identifier 'sized'", "t.stp", 4, 9 },
			     &msized, K1(99), 1);
}

static void full_default_body(struct stp_context *c)
{
	int i;

	for (i = 0; i <= MAXMAPENTRIES && !rc; i++)
		rc = stp_map_set_int(c, NULL, &mdflt, K1(i), i);
	ut_check_int("MAXMAPENTRIES array holds MAXMAPENTRIES", stp_map_size(&mdflt),
		     MAXMAPENTRIES);
}

static void wrap_body(struct stp_context *c)
{
	struct stp_map_iter it;
	struct stp_map_node *n;
	char got[64] = "";
	int i;

	for (i = 1; i <= 5; i++)
		rc |= stp_map_set_int(c, NULL, &mwrap, K1(i), i * 100);
	ut_check(rc == 0 && stp_map_size(&mwrap) == 3, "% array never overflows", "rc %d", rc);
	stp_map_set_int(c, NULL, &mwrap, K1(3), 333);	/* an update is not an insertion */
	stp_map_set_int(c, NULL, &mwrap, K1(6), 600);	/* so this drops 3 */
	stp_map_iter_start(c, NULL, &it, &mwrap, 0, STP_SORT_NONE, STP_NO_LIMIT);
	while ((n = stp_map_iter_next(&it)))
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%lld=%lld ",
			 (long long)stp_map_node_key_int(&mwrap, n, 1),
			 (long long)stp_map_node_int(&mwrap, n));
	ut_check_str("% array overwrites the oldest", got, "4=400 5=500 6=600 ");
}

static void test_full(void)
{
	rc = 0;
	ut_run(full_body);
	ut_check(rc == -1, "sized array refuses a new key", "rc %d", rc);
	ut_check_str("sized array overflow message", first_error(),
		     "Array overflow, check size limit (4) near identifier 'sized' at t.stp:4:9");
	rc = 0;
	ut_run(full_default_body);
	ut_check_str("MAXMAPENTRIES overflow message", first_error(),
		     "Array overflow, check MAXMAPENTRIES");
	stp_map_clear(&mdflt);
	rc = 0;
	ut_run(full_default_body);
	ut_check(rc == -1 && stp_map_size(&mdflt) == MAXMAPENTRIES,
		 "a cleared array has all its room again", "rc %d size %u", rc,
		 stp_map_size(&mdflt));
	rc = 0;
	ut_run(wrap_body);
}

/* ---- sorting ---- */

struct rec {
	int64_t k1;
	char k2[8];
	int64_t v;
	int seq;	/* insertion order */
	bool live;
};

#define NREC 150
static struct rec recs[NREC];
static int nrecs;
static int sort_col, sort_dir;

static int rec_cmp(const void *pa, const void *pb)
{
	const struct rec *a = *(const struct rec *const *)pa, *b = *(const struct rec *const *)pb;
	int r;

	if (sort_col == 1)
		r = a->k1 < b->k1 ? -1 : a->k1 > b->k1;
	else if (sort_col == 2)
		r = strcmp(a->k2, b->k2);
	else
		r = a->v < b->v ? -1 : a->v > b->v;
	r = r < 0 ? -1 : r > 0;
	if (r)
		return r * sort_dir;
	return a->seq - b->seq;
}

static int seq_cmp(const void *pa, const void *pb)
{
	const struct rec *a = *(const struct rec *const *)pa, *b = *(const struct rec *const *)pb;

	return a->seq - b->seq;
}

static uint64_t lcg = 12345;

static unsigned int rnd(unsigned int n)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(lcg >> 33) % n;
}

static void fill_body(struct stp_context *c)
{
	int i, seq = 0;

	stp_map_clear(&m);
	nrecs = 0;
	for (i = 0; i < NREC; i++) {
		struct rec *r = &recs[nrecs];
		int j;

		r->k1 = (int64_t)rnd(40) - 20;
		snprintf(r->k2, sizeof(r->k2), "%c%c", 'a' + rnd(5), 'a' + rnd(3));
		r->v = (int64_t)rnd(30) - 10;
		for (j = 0; j < nrecs; j++)
			if (recs[j].live && recs[j].k1 == r->k1 && !strcmp(recs[j].k2, r->k2))
				break;
		if (j < nrecs) {
			recs[j].v = r->v;	/* an overwrite keeps its place */
		} else {
			r->seq = seq++;
			r->live = true;
			nrecs++;
		}
		stp_map_set_int(c, NULL, &m, K2(r->k1, r->k2), r->v);
	}
	/* delete some, then re-insert one of them: it goes to the end */
	for (i = 0; i < nrecs; i += 7) {
		recs[i].live = false;
		stp_map_delete(&m, K2(recs[i].k1, recs[i].k2));
	}
	recs[0].live = true;
	recs[0].seq = seq++;
	stp_map_set_int(c, NULL, &m, K2(recs[0].k1, recs[0].k2), recs[0].v);
}

static void sort_body(struct stp_context *c)
{
	static const int64_t limits[] = { STP_NO_LIMIT, 0, -1, 1, 5, 63, 64, 65, 1000 };
	static const char *const colname[] = { "value", "key 1", "key 2" };
	const struct rec *want[NREC];
	size_t li;
	int n = 0, i, col, dir;

	for (col = 0; col <= 2; col++) {
		for (dir = -1; dir <= 1; dir++) {
			for (li = 0; li < STP_ARRAY_SIZE(limits); li++) {
				struct stp_map_iter it;
				struct stp_map_node *node;
				int64_t lim = limits[li];
				char name[128];
				int got = 0, expect, bad = -1;

				n = 0;
				for (i = 0; i < nrecs; i++)
					if (recs[i].live)
						want[n++] = &recs[i];
				sort_col = col;
				sort_dir = dir;
				qsort(want, (size_t)n, sizeof(want[0]), dir ? rec_cmp : seq_cmp);
				expect = lim <= 0 ? 0 : lim < n ? (int)lim : n;
				if (stp_map_iter_start(c, NULL, &it, &m, col, dir, lim))
					bad = -2;
				while (bad == -1 && (node = stp_map_iter_next(&it))) {
					if (got >= expect ||
					    stp_map_node_key_int(&m, node, 1) != want[got]->k1 ||
					    strcmp(stp_map_node_key_str(&m, node, 2), want[got]->k2) ||
					    stp_map_node_int(&m, node) != want[got]->v)
						bad = got;
					got++;
				}
				stp_map_iter_end(c, &it);
				snprintf(name, sizeof(name), "foreach by %s %s limit %lld",
					 colname[col], dir < 0 ? "desc" : dir > 0 ? "asc" : "unsorted",
					 (long long)lim);
				ut_check(bad == -1 && got == expect, name,
					 "%d entries (want %d), first wrong at %d", got, expect, bad);
			}
		}
	}
	ut_check_int("sort test data has duplicates and deletions", n < NREC && n > 50, 1);
}

static void string_sort_body(struct stp_context *c)
{
	static const char *const vals[] = { "pear", "apple", "fig", "apple", "banana" };
	struct stp_map_iter it;
	struct stp_map_node *n;
	char got[128] = "";
	char key[8];
	size_t i;

	stp_map_clear(&ms);
	for (i = 0; i < STP_ARRAY_SIZE(vals); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		stp_map_set_str(c, NULL, &ms, KS(key), vals[i]);
	}
	stp_map_iter_start(c, NULL, &it, &ms, STP_SORT_VALUE, STP_SORT_DESC, STP_NO_LIMIT);
	while ((n = stp_map_iter_next(&it)))
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s=%s ",
			 stp_map_node_key_str(&ms, n, 1), stp_map_node_str(&ms, n));
	stp_map_iter_end(c, &it);
	ut_check_str("foreach by string value desc, ties in insertion order", got,
		     "k0=pear k2=fig k4=banana k1=apple k3=apple ");
}

static void nested_body(struct stp_context *c)
{
	struct stp_map_iter a, b;

	rc = stp_map_iter_start(c, NULL, &a, &m, 1, STP_SORT_ASC, STP_NO_LIMIT);
	rc = rc * 10 + stp_map_iter_start(c, &(struct stp_loc){ "keyword", "t.stp", 7, 3 }, &b,
					    &m, 2, STP_SORT_ASC, STP_NO_LIMIT);
	stp_map_iter_end(c, &a);
}

static void nested_ok_body(struct stp_context *c)
{
	struct stp_map_iter a, b;
	int inner = 0;

	rc = stp_map_iter_start(c, NULL, &a, &m, 1, STP_SORT_ASC, 2);
	while (stp_map_iter_next(&a)) {
		struct stp_map_node *n;

		rc |= stp_map_iter_start(c, NULL, &b, &m, 0, STP_SORT_NONE, STP_NO_LIMIT);
		while ((n = stp_map_iter_next(&b)))
			inner++;
	}
	stp_map_iter_end(c, &a);
	rc |= stp_map_iter_start(c, NULL, &b, &m, 2, STP_SORT_DESC, 1);
	stp_map_iter_end(c, &b);
	ut_check(rc == 0 && inner == 2 * (int)stp_map_size(&m),
		 "unsorted foreach inside a sorted one, then a new sort", "rc %d inner %d", rc, inner);
}

int main(void)
{
	ut_init_runtime(0);
	if (stp_map_init(&m, &ls_spec) || stp_map_init(&ms, &ss_spec) ||
	    stp_map_init(&msized, &sized_spec) || stp_map_init(&mwrap, &wrap_spec) ||
	    stp_map_init(&mdflt, &dflt_spec) || stp_map_init(&mnine, &nine_spec)) {
		ut_check(false, "map init", "%s", "failed");
		return ut_done();
	}
	ut_run(basic_body);
	ut_run(nine_body);
	ut_run(wild_body);
	test_full();
	ut_run(fill_body);
	ut_run(sort_body);
	ut_run(string_sort_body);
	ut_run(nested_body);
	ut_check(rc == -1, "sorted foreach nested in one of the same array fails", "rc %d", rc);
	ut_check_str("sorted foreach nested: message", first_error(),
		     "nested sorted foreach over array a near keyword at t.stp:7:3");
	ut_run(nested_ok_body);
	{
		static const struct stp_map_spec bad = { .name = "bad", .nkeys = 0 };
		struct stp_map x;

		ut_check_int("a spec without keys is refused", stp_map_init(&x, &bad), -EINVAL);
	}
	stp_map_free(&m);
	stp_map_free(&ms);
	stp_map_free(&msized);
	stp_map_free(&mwrap);
	stp_map_free(&mdflt);
	stp_map_free(&mnine);
	stp_runtime_exit();
	return ut_done();
}
