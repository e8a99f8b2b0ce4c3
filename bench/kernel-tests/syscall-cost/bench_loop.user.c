/* bench_loop [-g] N: N getppid calls; prints nanoseconds per call.
 * -g: first wait for a byte on stdin (the tracer attaches meanwhile). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	int i = 1;
	char c;

	if (argc > 1 && !strcmp(argv[1], "-g")) {
		if (read(0, &c, 1) < 0)
			return 2;
		i++;
	}
	if (i >= argc)
		return 2;
	long n = atol(argv[i]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long k = 0; k < n; k++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.2f\n", ns / n);
	return 0;
}
