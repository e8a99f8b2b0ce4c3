/* Pass 5: staprun runs the module (a kernel .ko, or a .so in its tracer
 * process) and its stapio loop prints the output; stap waits for it and
 * passes on its status. */
#include "config.h"
#include "translate/build.h"
#include "translate/report.h"
#include "staprun/interrupts.h"
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* staprun beside stap: $USTAP_LIBEXECDIR/staprun/staprun in a build tree
 * (stap-inplace sets it), else the folder stap runs from (installed:
 * both in bindir; build tree: staprun/staprun), else BINDIR. */
static const char *find_staprun(void)
{
	static char path[PATH_MAX + 32];
	const char *dir = getenv("USTAP_LIBEXECDIR");
	if (dir && *dir) {
		snprintf(path, sizeof(path), "%s/staprun/staprun", dir);
		if (access(path, X_OK) == 0)
			return path;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/staprun/staprun", self);
			if (access(path, X_OK) == 0)
				return path;
			snprintf(path, sizeof(path), "%s/staprun", self);
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return BINDIR "/staprun";
}

static volatile sig_atomic_t child_pid, timed_out;

/* Every SIGINT, SIGTERM and SIGHUP goes on to staprun, with its origin
 * (staprun/interrupts.h): one sent to stap alone must reach staprun or the
 * run never ends, and staprun counts the copy that also reached it
 * directly (a signal to the whole process group: Ctrl-C, kill -INT -PGID)
 * once.  -T's SIGALRM becomes a SIGTERM of stap's own. */
static void forward(int sig, siginfo_t *si, void *uc)
{
	union sigval v = { .sival_int = INTR_FROM_STAP };

	(void)uc;
	if (sig == SIGALRM) {
		timed_out = 1;
		sig = SIGTERM;
	} else if (si && si->si_code > 0) {
		v.sival_int = INTR_FROM_KERNEL;
	} else if (si) {
		v.sival_int = (int)si->si_pid;
	}
	if (child_pid > 0)
		sigqueue((pid_t)child_pid, sig, v);
}

int pass5_run(Session *s, const char *module)
{
	const char *staprun = find_staprun();
	char bufmb[32], pid[32], fsize[64];
	const char **argv = calloc((size_t)s->globals_set.n + 32, sizeof(char *));
	int a = 0;
	argv[a++] = staprun;
	for (int i = 1; i < s->verbose[4]; i++)
		argv[a++] = "-v";
	if (s->suppress_warnings)
		argv[a++] = "-w";
	if (s->target_cmd) {
		argv[a++] = "-c";
		argv[a++] = s->target_cmd;
	}
	if (s->target_pid) {
		snprintf(pid, sizeof(pid), "%d", (int)s->target_pid);
		argv[a++] = "-x";
		argv[a++] = pid;
	}
	if (s->output_file) {
		argv[a++] = "-o";
		argv[a++] = s->output_file;
	}
	if (s->file_size_mb) {
		if (s->file_count)
			snprintf(fsize, sizeof(fsize), "%ld,%ld", s->file_size_mb, s->file_count);
		else
			snprintf(fsize, sizeof(fsize), "%ld", s->file_size_mb);
		argv[a++] = "-S";
		argv[a++] = fsize;
	}
	if (s->buffer_mb) {
		snprintf(bufmb, sizeof(bufmb), "%ld", s->buffer_mb);
		argv[a++] = "-b";
		argv[a++] = bufmb;
	}
	/* -F: flight recorder: with -o stapio runs in the background, without
	 * it the kernel module is left loaded and detached. */
	if (s->load_only)
		argv[a++] = s->output_file ? "-D" : "-L";
	argv[a++] = module;
	for (int i = 0; i < s->globals_set.n; i++)
		argv[a++] = s->globals_set.v[i];
	argv[a] = NULL;

	report_pass5_start(s);
	if (s->verbose[4] > 1) {
		fputs("Running", stderr);
		for (int i = 0; i < a; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	PassTimer t5;
	report_start(&t5);
	fflush(stdout);
	fflush(stderr);
	struct sigaction sa = { .sa_sigaction = forward, .sa_flags = SA_SIGINFO }, old[4];
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
	sigaction(SIGHUP, &sa, &old[2]);
	sigaction(SIGALRM, &sa, &old[3]);
	pid_t p = fork();
	if (p == 0) {
		sigaction(SIGINT, &old[0], NULL);
		sigaction(SIGTERM, &old[1], NULL);
		sigaction(SIGHUP, &old[2], NULL);
		execv(staprun, (char *const *)argv);
		fprintf(stderr, "ERROR: cannot run %s: %s\n", staprun, strerror(errno));
		_exit(127);
	}
	int status = 1;
	if (p > 0) {
		child_pid = p;
		/* -T SECONDS: the run is stopped as by an interrupt, so its end
		 * probes still run. */
		if (s->timeout_s > 0)
			alarm((unsigned int)s->timeout_s);
		int st;
		while (waitpid(p, &st, 0) < 0 && errno == EINTR)
			;
		alarm(0);
		status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	} else {
		fprintf(stderr, "ERROR: cannot run %s: %s\n", staprun, strerror(errno));
	}
	child_pid = 0;
	for (int i = 0; i < 4; i++)
		sigaction(i == 0 ? SIGINT : i == 1 ? SIGTERM : i == 2 ? SIGHUP : SIGALRM, &old[i], NULL);
	free(argv);
	report_pass5(s, &t5);
	if (status) {
		fprintf(stderr, "WARNING: %s exited with status: %d\n", staprun, status);
		report_failed(5);
		return 1;
	}
	return 0;
}
