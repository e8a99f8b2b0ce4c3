/* bench_loop [-g|-G] N: N getppid calls; prints nanoseconds per call.
 * -g: first wait for a byte on stdin (the tracer attaches meanwhile).
 * -G: a burst of N calls for each byte read on stdin, until end of file,
 *     so that one process (one pid to filter on) serves many rounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void burst(long n)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long k = 0; k < n; k++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.2f\n", ns / n);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int i = 1, repeat = 0;
	char c;

	if (argc > 1 && (!strcmp(argv[1], "-g") || !strcmp(argv[1], "-G"))) {
		repeat = argv[1][1] == 'G';
		if (!repeat && read(0, &c, 1) < 0)
			return 2;
		i++;
	}
	if (i >= argc)
		return 2;
	long n = atol(argv[i]);
	if (!repeat) {
		burst(n);
		return 0;
	}
	while (read(0, &c, 1) == 1)
		burst(n);
	return 0;
}
