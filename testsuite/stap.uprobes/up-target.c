/* The probed program of the stap.uprobes tier.  Built -g at -O0 and -O2,
 * PIE and not (uprobes.am).  Every mode prints what it did, so the tests
 * compare hit counts and values with the program's own account:
 *
 *   calls N      up_add(i, 3 * i + 1) for i in 0..N-1, up_fact(6) once
 *   threads T N  T threads each call up_add(t, i) N times
 *   leader-exit T N  threads T N, but main exits (pthread_exit) once they
 *                are started, and the last thread out prints the account
 *   fork N       parent and child each call up_add N times; child also execs
 *                nothing; then the parent waits
 *   exec N       calls up_add N times, then execs "up-target calls N"
 *   lib N        dlopen(up-lib.so) then up_lib_mul(i, 7) N times
 *   sdt N        N marker hits, and how many saw the semaphore set
 *   jump N       up_jumper() longjmps out of up_deep() N times
 *   bt           up_bt_a -> up_bt_b -> up_bt_c -> up_bt_leaf, once
 *   wait N       prints "serving PID", waits for a line, then calls N; loops
 *                until EOF (for -x) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef UP_SDT
#define _SDT_HAS_SEMAPHORES 1
unsigned short up_test_tick_semaphore __attribute__((unused, section(".probes")));
#include <sys/sdt.h>
#endif

#define NOINLINE __attribute__((noinline, noclone, used))

static volatile long up_sink;

NOINLINE long up_add(long a, long b)
{
	long r = a + b;

	up_sink += r;
	return r;
}

/* Called through a volatile pointer so -O2 keeps the recursion: 6 calls
 * and 6 returns for up_fact(6) in every build. */
NOINLINE long up_fact(int n);
static long (*volatile up_fact_p)(int) = up_fact;

NOINLINE long up_fact(int n)
{
	if (n <= 1)
		return 1;
	return n * up_fact_p(n - 1);
}

static jmp_buf up_jb;

NOINLINE void up_deep(int i)
{
	up_sink += i;
	if (i >= 0)
		longjmp(up_jb, 1);
}

NOINLINE long up_jumper(int i)
{
	up_deep(i);
	return -1;
}

NOINLINE long up_bt_leaf(long x)
{
	up_sink += x;
	return x + 1;
}

NOINLINE long up_bt_c(long x)
{
	return up_bt_leaf(x * 2) + 1;
}

NOINLINE long up_bt_b(long x)
{
	return up_bt_c(x + 3) + 1;
}

NOINLINE long up_bt_a(long x)
{
	return up_bt_b(x) + 1;
}

static void calls(long n)
{
	long i, sum = 0;

	for (i = 0; i < n; i++)
		sum += up_add(i, 3 * i + 1);
	printf("calls %ld sum %ld fact %ld\n", n, sum, up_fact(6));
}

struct thr {
	long t, n, sum;
};

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	long i;

	for (i = 0; i < t->n; i++)
		t->sum += up_add(t->t, i);
	return t;
}

static void threads(long nt, long n)
{
	pthread_t tid[64];
	struct thr th[64];
	long i, sum = 0;

	if (nt > 64)
		nt = 64;
	for (i = 0; i < nt; i++) {
		th[i].t = i;
		th[i].n = n;
		th[i].sum = 0;
		pthread_create(&tid[i], NULL, thread_main, &th[i]);
	}
	for (i = 0; i < nt; i++) {
		pthread_join(tid[i], NULL);
		sum += th[i].sum;
	}
	printf("threads %ld calls %ld sum %ld\n", nt, nt * n, sum);
}

/* The leader is a zombie while its threads hit breakpoints: a thread
 * that will never stop again, which a step over a breakpoint must not
 * wait for. */
static long up_nleft, up_left, up_left_sum;

static void *leader_exit_main(void *arg)
{
	struct thr *t = thread_main(arg);

	__atomic_add_fetch(&up_left_sum, t->sum, __ATOMIC_SEQ_CST);
	if (__atomic_sub_fetch(&up_left, 1, __ATOMIC_SEQ_CST) == 0)
		printf("leader-exit %ld calls %ld sum %ld\n", up_nleft, up_nleft * t->n,
		       __atomic_load_n(&up_left_sum, __ATOMIC_SEQ_CST));
	return NULL;
}

static void leader_exit(long nt, long n)
{
	static struct thr th[64];
	pthread_t tid;
	long i;

	if (nt > 64)
		nt = 64;
	up_nleft = up_left = nt;
	for (i = 0; i < nt; i++) {
		th[i].t = i;
		th[i].n = n;
		th[i].sum = 0;
		pthread_create(&tid, NULL, leader_exit_main, &th[i]);
	}
	pthread_exit(NULL);
}

static void forks(long n)
{
	pid_t pid;
	long i, sum = 0;
	int st;

	fflush(stdout);
	pid = fork();
	for (i = 0; i < n; i++)
		sum += up_add(pid == 0 ? 1000 : 2000, i);
	if (pid == 0) {
		printf("child %ld sum %ld\n", n, sum);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("parent %ld sum %ld\n", n, sum);
}

static void jumps(long n)
{
	volatile long i, got = 0;

	for (i = 0; i < n; i++) {
		if (setjmp(up_jb) == 0)
			up_jumper((int)i);
		else
			got++;
	}
	/* Returns still work after the skipped ones. */
	printf("jumps %ld longjmps %ld then %ld\n", n, got, up_add(5, 6));
}

static void lib(const char *self, long n)
{
	char path[4096], *slash;
	long (*mul)(long, long);
	long i, sum = 0;
	void *h;

	snprintf(path, sizeof(path), "%s", self);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (size_t)(slash ? slash + 1 - path : 0),
		 "up-lib.so");
	h = dlopen(path, RTLD_NOW);
	if (!h) {
		printf("dlopen failed: %s\n", dlerror());
		return;
	}
	mul = (long (*)(long, long))dlsym(h, "up_lib_mul");
	for (i = 0; i < n; i++)
		sum += mul(i, 7);
	printf("lib %ld sum %ld\n", n, sum);
	dlclose(h);
}

static void sdt(long n)
{
	long i, on = 0;

	for (i = 0; i < n; i++) {
#ifdef UP_SDT
		if (up_test_tick_semaphore)
			on++;
		STAP_PROBE2(up_test, tick, i, i * 10);
#endif
	}
	printf("sdt %ld semaphore-on %ld\n", n, on);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "calls";
	long a = argc > 2 ? strtol(argv[2], NULL, 0) : 10;
	long b = argc > 3 ? strtol(argv[3], NULL, 0) : 10;
	char line[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "calls")) {
		calls(a);
	} else if (!strcmp(mode, "threads")) {
		threads(a, b);
	} else if (!strcmp(mode, "leader-exit")) {
		leader_exit(a, b);
	} else if (!strcmp(mode, "fork")) {
		forks(a);
	} else if (!strcmp(mode, "exec")) {
		char n[32];

		calls(a);
		snprintf(n, sizeof(n), "%ld", b);
		fflush(stdout);
		execl("/proc/self/exe", argv[0], "calls", n, (char *)NULL);
		perror("exec");
		return 1;
	} else if (!strcmp(mode, "lib")) {
		lib(argv[0], a);
	} else if (!strcmp(mode, "sdt")) {
		sdt(a);
	} else if (!strcmp(mode, "jump")) {
		jumps(a);
	} else if (!strcmp(mode, "bt")) {
		printf("bt %ld\n", up_bt_a(a));
	} else if (!strcmp(mode, "wait")) {
		printf("serving %d\n", (int)getpid());
		fflush(stdout);
		while (fgets(line, sizeof(line), stdin))
			calls(a);
		printf("done\n");
	} else {
		fprintf(stderr, "up-target: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
