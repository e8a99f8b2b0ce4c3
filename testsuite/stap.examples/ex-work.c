/* ex-work: the deterministic workload of the examples tier
 * (testsuite/stap.examples/examples.exp).  Every number it produces is a
 * constant below, which the tier checks the examples' output against.
 *
 *   MISSING opens of a file that does not exist (ENOENT), and one of
 *   /dev/zero and one of /dev/null;
 *   READS reads of CHUNK bytes from /dev/zero and WRITES writes of CHUNK
 *   bytes to /dev/null;
 *   one nanosleep of SLOW_MS milliseconds (the slow syscall);
 *   CHILDREN children by fork, each exec'ing /bin/true;
 *   one child killed with kill(SIGUSR1), and a raise(SIGUSR2) (tgkill);
 *   THREADS threads, each making THREAD_CALLS getppid calls;
 *   ITEMS calls of work_item(), each passing the SDT marker
 *   ex_work:item with (i, i * i).
 *
 * Built with -g -O0 so that its functions and marker can be probed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/sdt.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MISSING 4
#define READS 5
#define WRITES 3
#define CHUNK 1000
#define SLOW_MS 300
#define CHILDREN 3
#define THREADS 2
#define THREAD_CALLS 6
#define ITEMS 7

static volatile long sink;

__attribute__((noinline)) long work_item(long i)
{
	struct timespec ts = { 0, 2000000 };	/* 2 ms */

	DTRACE_PROBE2(ex_work, item, i, i * i);
	nanosleep(&ts, NULL);
	sink += i * i;
	return i * i;
}

static void *thread_main(void *arg)
{
	for (int i = 0; i < THREAD_CALLS; i++)
		sink += getppid();
	return arg;
}

static void on_signal(int sig)
{
	sink += sig;
}

int main(void)
{
	static char buf[CHUNK];
	int fd;

	for (int i = 0; i < MISSING; i++) {
		fd = open("/nonexistent/ustap-example-missing", O_RDONLY);
		if (fd >= 0)
			return 1;
	}
	fd = open("/dev/zero", O_RDONLY);
	for (int i = 0; i < READS; i++)
		if (read(fd, buf, CHUNK) != CHUNK)
			return 1;
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	for (int i = 0; i < WRITES; i++)
		if (write(fd, buf, CHUNK) != CHUNK)
			return 1;
	close(fd);

	struct timespec slow = { SLOW_MS / 1000, (SLOW_MS % 1000) * 1000000L };
	nanosleep(&slow, NULL);

	for (int i = 0; i < CHILDREN; i++) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, NULL, 0) != p)
			return 1;
	}

	pid_t victim = fork();
	if (victim == 0) {
		for (;;)
			pause();
	}
	kill(victim, SIGUSR1);
	waitpid(victim, NULL, 0);
	signal(SIGUSR2, on_signal);
	raise(SIGUSR2);

	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, thread_main, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	for (long i = 1; i <= ITEMS; i++)
		work_item(i);
	return 0;
}
