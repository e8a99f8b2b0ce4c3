/* The probed program of the stap.dwarfrun tier.  Each mode calls a few
 * functions and writes what they got and returned to the truth file
 * (argv[2]) in the form the tier's script prints it, so the expected
 * output comes from the program itself, not from the translator.
 *
 *   dwr-prog MODE TRUTH [N]
 *
 * MODE: func, struct, loop, mark, lib, libc, threads, serve (-x: until
 * killed), all (func, mark and lib).
 *
 * Built -O0 and -O2, PIE and not, with -g; linked with libdwr.so. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _SDT_HAS_SEMAPHORES 1
unsigned short dwr_tick_semaphore __attribute__((unused, section(".probes")));
#include <sys/sdt.h>

int dwr_lib_mul(int a, int b);

static FILE *truth;
int dwr_calls;			/* read with @var("dwr_calls@dwr-prog.c") */

struct pt {
	int x, y;
};
struct pair {
	struct pt a, b;
	long tag;
};
struct node {
	int val;
	struct node *next;
	const char *name;
};

/* noipa: no clones or constant propagation, so every build keeps the
 * functions and their arguments where the DWARF says. */
__attribute__((noipa)) int add(int a, int b)
{
	dwr_calls++;
	return a + b;
}

/* Not x = x * 3: gcc then describes x by its new value from the first
 * instruction on, and @entry($x) rightly reads that. */
__attribute__((noipa)) int scale(int x)
{
	return x * 3 + 1;
}

__attribute__((noipa)) long fact(int n)
{
	long r = n <= 1 ? 1 : n * fact(n - 1);
	fprintf(truth, "fact %d %ld\n", n, r);
	return r;
}

__attribute__((noipa)) int walk(struct node *n)
{
	int s = 0;
	dwr_calls++;
	while (n) {
		s += n->val;
		n = n->next;
	}
	return s;
}

__attribute__((noipa)) long span(struct pair *p)
{
	return (long)(p->b.x - p->a.x) * (p->b.y - p->a.y) + p->tag;
}

__attribute__((noipa)) int loop(int n)
{
	volatile int sum = 0;
	for (int i = 0; i < n; i++) {
		sum += i;	/* STMT */
	}
	return sum;
}

static void do_func(int n)
{
	for (int i = 1; i <= n; i++) {
		int r = add(i, 10 * i);
		fprintf(truth, "add %d %d\nret %d\n", i, 10 * i, r);
	}
	for (int i = 1; i <= n; i++) {
		int r = scale(i);
		fprintf(truth, "scale %d %d\n", i, r);
	}
	fact(4);
}

static void do_struct(void)
{
	struct node n3 = { 3, NULL, "three" }, n2 = { 2, &n3, "two\n" }, n1 = { 1, &n2, "one" };
	struct pair p = { { 1, 2 }, { 4, 6 }, -7 };
	int s = walk(&n1);
	fprintf(truth, "walk %d %d %s %d\n", n1.val, n1.next->val, n1.name, n1.next->next->val);
	fprintf(truth, "n=%p\n", (void *)&n1);
	fprintf(truth, "{.val=%d, .next=%p, .name=\"%s\"}\n", n1.val, (void *)n1.next, n1.name);
	fprintf(truth, "cast %d\n", n2.next->val);
	fprintf(truth, "walked %d calls %d\n", s, dwr_calls);
	long r = span(&p);
	fprintf(truth, "p=%p\n", (void *)&p);
	fprintf(truth, "{.a={.x=%d, .y=%d}, .b={.x=%d, .y=%d}, .tag=%ld}\n", p.a.x, p.a.y, p.b.x,
		p.b.y, p.tag);
	fprintf(truth, "span %ld\n", r);
}

static void do_loop(int n)
{
	/* $$locals and $$parms as SystemTap prints them: name=%#x, "0x0" too. */
	for (int i = 0, sum = 0; i < n; sum += i, i++)
		fprintf(truth, "i %d sum %d\ni=0x%x sum=0x%x | n=0x%x\n", i, sum, i, sum, n);
	fprintf(truth, "loop %d\n", loop(n));
}

static void do_mark(int n)
{
	for (int i = 1; i <= n; i++) {
		if (dwr_tick_semaphore) {
			DTRACE_PROBE2(dwr, tick, i, i * i);
			fprintf(truth, "tick %d %d\n", i, i * i);
		} else {
			fprintf(truth, "semaphore off at %d\n", i);
		}
	}
}

static void do_lib(int n)
{
	for (int i = 1; i <= n; i++) {
		int r = dwr_lib_mul(i, i + 1);
		/* The library function returns first, then its PLT slot. */
		fprintf(truth, "plt\nmul %d %d\nmulret %d\npltret\n", i, i + 1, r);
	}
}

/* A libc function libc itself does not call while this runs (only
 * versionsort does), probed in libc.so.6: N calls, arguments and
 * results as the program saw them. */
static void do_libc(int n)
{
	char a[32], b[32];
	for (int i = 1; i <= n; i++) {
		snprintf(a, sizeof(a), "v%d.%d", i, 10 - i);
		snprintf(b, sizeof(b), "v%d.%d", i, i);
		int r = strverscmp(a, b);
		fprintf(truth, "vers %s %s\nvret %d\n", a, b, r);
	}
}

static int nthread_calls;

static void *thread_main(void *arg)
{
	int base = (int)(long)arg;
	for (int i = 0; i < nthread_calls; i++) {
		int r = add(base + i, base);
		/* Lines of the two threads interleave: the tier sorts them. */
		fprintf(truth, "add %d %d ret %d\n", base + i, base, r);
	}
	return NULL;
}

static void do_threads(int n)
{
	pthread_t t[2];
	nthread_calls = n;
	for (long k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, thread_main, (void *)(1000 * (k + 1))))
			exit(3);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
}

/* -x: runs until killed, one add() every 20 ms, each logged at once. */
static void do_serve(void)
{
	setvbuf(truth, NULL, _IOLBF, 0);
	for (int i = 1;; i++) {
		int r = add(i, i);
		fprintf(truth, "add %d %d\nret %d\n", i, i, r);
		usleep(20000);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int n = argc > 3 ? atoi(argv[3]) : 3;
	truth = fopen(argv[2], "w");
	if (!truth)
		return 2;
	const char *m = argv[1];
	if (!strcmp(m, "func"))
		do_func(n);
	else if (!strcmp(m, "struct"))
		do_struct();
	else if (!strcmp(m, "loop"))
		do_loop(n);
	else if (!strcmp(m, "mark"))
		do_mark(n);
	else if (!strcmp(m, "lib"))
		do_lib(n);
	else if (!strcmp(m, "libc"))
		do_libc(n);
	else if (!strcmp(m, "threads"))
		do_threads(n);
	else if (!strcmp(m, "all")) {
		/* One run for the translate tier's kernel guest. */
		do_func(n);
		do_mark(n);
		do_lib(n);
	} else if (!strcmp(m, "serve"))
		do_serve();
	else
		return 2;
	fclose(truth);
	return 0;
}
