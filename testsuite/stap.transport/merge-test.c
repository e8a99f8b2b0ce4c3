/* Drives staprun's record merge (staprun/merge.c) through interleavings a
 * multi-CPU kernel produces and prints one "PASS: name" or "FAIL: name
 * (why)" line per case; merge.exp turns them into DejaGnu results. */
#include "staprun/merge.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char got[4096];

static int collect(void *ctx, uint64_t seq, const char *data, uint32_t len)
{
	(void)ctx;
	(void)seq;
	strncat(got, data, len);
	strcat(got, " ");
	return 0;
}

static int failures;

static void check(const char *name, const char *want, uint64_t missing_want, struct merge *m)
{
	if (strcmp(got, want) || merge_missing(m) != missing_want) {
		printf("FAIL: %s (got \"%s\" missing %llu; want \"%s\" missing %llu)\n", name, got,
		       (unsigned long long)merge_missing(m), want,
		       (unsigned long long)missing_want);
		failures++;
	} else {
		printf("PASS: %s\n", name);
	}
	merge_free(m);
	got[0] = 0;
}

/* Pushes "seq" as its own text so the output shows the order. */
static void push(struct merge *m, unsigned ch, uint64_t seq, uint64_t now)
{
	char t[32];
	snprintf(t, sizeof(t), "%llu", (unsigned long long)seq);
	merge_push(m, ch, seq, t, (uint32_t)strlen(t), now);
}

int main(void)
{
	struct merge *m;

	/* Two CPUs alternating, each read in one chunk: 0 2 4 then 1 3 5. */
	m = merge_new(2, true, collect, NULL);
	push(m, 0, 0, 0);
	push(m, 0, 2, 0);
	push(m, 0, 4, 0);
	push(m, 1, 1, 0);
	push(m, 1, 3, 0);
	push(m, 1, 5, 0);
	merge_tick(m);
	merge_release(m, 0);
	check("two channels interleaved", "0 1 2 3 4 5 ", 0, m);

	/* A gap that fills before the window closes waits, then prints in order. */
	m = merge_new(3, true, collect, NULL);
	push(m, 0, 0, 0);
	push(m, 1, 2, 0);
	merge_tick(m);
	merge_release(m, 10);
	if (strcmp(got, "0 ")) {
		printf("FAIL: gap held (printed \"%s\" before 1 arrived)\n", got);
		failures++;
	}
	push(m, 2, 1, 20);
	check("gap filled late within the window", "0 1 2 ", 0, m);

	/* A number that never comes: released after 2 full reads and 50 ms. */
	m = merge_new(2, true, collect, NULL);
	push(m, 0, 0, 0);
	push(m, 0, 2, 0);
	merge_tick(m);
	merge_release(m, 100);
	merge_tick(m);
	merge_release(m, 30);
	if (strcmp(got, "0 ")) {
		printf("FAIL: window too short (printed \"%s\" at 30 ms)\n", got);
		failures++;
	}
	merge_release(m, 60);
	check("lost number released after the window", "0 2 ", 1, m);

	/* ... and if it turns up after all, it prints and is not missing. */
	m = merge_new(2, true, collect, NULL);
	push(m, 0, 0, 0);
	push(m, 0, 2, 0);
	merge_tick(m);
	merge_tick(m);
	merge_release(m, 100);
	push(m, 1, 1, 100);
	check("late record printed, not counted", "0 2 1 ", 0, m);

	/* Every channel has a head: the smallest is safe at once. */
	m = merge_new(2, true, collect, NULL);
	push(m, 0, 5, 0);
	push(m, 1, 7, 0);
	check("all channels full releases the smallest", "5 ", 5, m);

	/* A barrier (SEQ) releases everything below it after a full read. */
	m = merge_new(3, true, collect, NULL);
	push(m, 0, 1, 0);
	push(m, 1, 3, 0);
	merge_release_before(m, 2);
	check("barrier releases below its number", "1 ", 1, m);

	/* STOPPED: everything, in order. */
	m = merge_new(3, true, collect, NULL);
	push(m, 2, 9, 0);
	push(m, 0, 4, 0);
	push(m, 1, 6, 0);
	push(m, 0, 8, 0);
	merge_release_all(m);
	check("release all sorts", "4 6 8 9 ", 6, m);

	/* After -A the numbering continues from an earlier reader. */
	m = merge_new(2, false, collect, NULL);
	push(m, 0, 1001, 0);
	push(m, 1, 1000, 0);
	push(m, 0, 1002, 0);
	merge_release(m, 0);
	check("attach starts at the first number seen", "1000 1001 1002 ", 0, m);

	/* Many records, four channels, round robin: order and no copies lost. */
	m = merge_new(4, true, collect, NULL);
	char want[4096] = "";
	for (unsigned i = 0; i < 40; i++) {
		char t[16];
		snprintf(t, sizeof(t), "%u ", i);
		strcat(want, t);
	}
	for (unsigned ch = 0; ch < 4; ch++)
		for (unsigned i = ch; i < 40; i += 4)
			push(m, ch, i, 0);
	merge_release(m, 0);
	check("four channels round robin", want, 0, m);

	return failures ? 1 : 0;
}
