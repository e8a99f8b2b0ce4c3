/* peer-work N: for each byte read on stdin (until end of file), calls
 * work() N times and prints nanoseconds per call.  Built -g -O0 by
 * bench/kernel-peer-cost: work is the function the probes count. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile long sink;

__attribute__((noinline)) void work(long i)
{
	sink += i;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	char c;

	if (argc != 2)
		return 2;
	long n = atol(argv[1]);
	while (read(0, &c, 1) == 1) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long k = 0; k < n; k++)
			work(k);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
		printf("%.2f\n", ns / n);
		fflush(stdout);
	}
	return 0;
}
