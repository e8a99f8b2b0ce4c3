/* measure: runs two commands in alternation, N times each, and prints for
 * each the median and the fastest wall time and its largest peak resident
 * set (the child's ru_maxrss).  Alternating keeps a machine whose load
 * changes during the run from favouring either side.
 *
 *   measure N CMD-A... -- CMD-B...
 * Output, one line per command:
 *   A|B median_ms min_ms maxrss_kb failures
 * A run fails when the command exits other than 0; its time still counts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct Side {
	char **argv;
	double *ms;
	long maxrss;
	int failures;
} Side;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void run_once(Side *s, int i)
{
	double start = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		exit(2);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execvp(s->argv[0], s->argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			exit(2);
		}
	}
	s->ms[i] = now_ms() - start;
	if (ru.ru_maxrss > s->maxrss)
		s->maxrss = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		s->failures++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *name, Side *s, int n)
{
	qsort(s->ms, (size_t)n, sizeof(double), cmp_double);
	double median = n % 2 ? s->ms[n / 2] : (s->ms[n / 2 - 1] + s->ms[n / 2]) / 2;
	printf("%s %.2f %.2f %ld %d\n", name, median, s->ms[0], s->maxrss, s->failures);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: measure N CMD-A... -- CMD-B...\n");
		return 2;
	}
	int n = atoi(argv[1]);
	int sep = 0;
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	if (n < 1 || sep <= 2 || sep == argc - 1) {
		fprintf(stderr, "measure: need N >= 1 and two commands around --\n");
		return 2;
	}
	argv[sep] = NULL;
	Side a = { .argv = argv + 2, .ms = calloc((size_t)n, sizeof(double)) };
	Side b = { .argv = argv + sep + 1, .ms = calloc((size_t)n, sizeof(double)) };
	if (!a.ms || !b.ms)
		return 2;
	/* One untimed run each first: page cache, dynamic linking. */
	double scratch;
	Side wa = a, wb = b;
	wa.ms = wb.ms = &scratch;
	run_once(&wa, 0);
	run_once(&wb, 0);
	for (int i = 0; i < n; i++) {
		run_once(&a, i);
		run_once(&b, i);
	}
	report("A", &a, n);
	report("B", &b, n);
	free(a.ms);
	free(b.ms);
	return 0;
}
