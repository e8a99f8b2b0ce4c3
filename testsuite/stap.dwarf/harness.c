/* A user-space stand-in for a probe handler, to run the C that loc2c
 * generates against a live process.
 *
 *   harness [-r] [-l LIBRARY MAIN] ADDR PROGRAM [ARGS...]
 *
 * Starts PROGRAM under ptrace, puts a breakpoint on ADDR (a link-time
 * address; the load bias of a PIE is added), and when it is hit calls
 * run_accesses() -- which the test writes into gen.c, included below --
 * with the stopped thread's registers.  With -r it waits for the function
 * at ADDR to return instead, as a .return probe does.  With -l, ADDR is in
 * LIBRARY, which is mapped once the program reaches its function at MAIN.
 * Memory is read with
 * process_vm_readv, registers with PTRACE_GETREGS: the same contract as
 * the runtime's stp_copy_from_user and struct pt_regs on the ptrace
 * platform. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* As the ptrace platform defines it (runtime/user/utrace_platform.h). */
struct pt_regs {
	struct user_regs_struct regs;
};

#include "loc2c.h"

static pid_t child;

int stp_copy_from_user(void *dst, unsigned long src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)src, n };
	ssize_t got = process_vm_readv(child, &local, 1, &remote, 1, 0);
	return got == (ssize_t)n ? 0 : -EFAULT;
}

static unsigned long other_bias(struct l2c_frame *f, const char *path, int *ok);

#include "gen.c"

/* The load address of the mapping of a file's first page. */
static unsigned long load_bias(const char *exe)
{
	char maps[64], line[4096], real[4096];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", child);
	if (!realpath(exe, real))
		return 0;
	FILE *fp = fopen(maps, "r");
	unsigned long bias = 0;
	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long lo, off;
		char path[4096] = "";
		if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %4095s", &lo, &off, path) == 3 &&
		    off == 0 && !strcmp(path, real)) {
			bias = lo;
			break;
		}
	}
	if (fp)
		fclose(fp);
	return bias;
}

static int is_pie;

static unsigned long other_bias(struct l2c_frame *f, const char *path, int *ok)
{
	char maps[64], line[4096];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", child);
	FILE *fp = fopen(maps, "r");
	*ok = 0;
	unsigned long bias = 0;
	(void)f;
	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long lo, off;
		char p[4096] = "";
		if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %4095s", &lo, &off, p) == 3 &&
		    off == 0 && !strcmp(p, path)) {
			bias = lo;
			*ok = 1;
			break;
		}
	}
	if (fp)
		fclose(fp);
	return bias;
}

static long poke_int3(unsigned long addr, long *orig)
{
	errno = 0;
	*orig = ptrace(PTRACE_PEEKTEXT, child, (void *)addr, NULL);
	if (errno)
		return -1;
	long patched = (*orig & ~0xffL) | 0xcc;
	return ptrace(PTRACE_POKETEXT, child, (void *)addr, (void *)patched);
}

/* Runs until the breakpoint at addr; leaves rip on addr, the byte back. */
static int run_to(unsigned long addr, struct user_regs_struct *regs)
{
	long orig;
	int status;
	if (poke_int3(addr, &orig)) {
		perror("harness: cannot set the breakpoint");
		return -1;
	}
	for (;;) {
		if (ptrace(PTRACE_CONT, child, NULL, NULL) || waitpid(child, &status, 0) < 0) {
			perror("harness: ptrace");
			return -1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			fprintf(stderr, "harness: the program ended before 0x%lx\n", addr);
			return -1;
		}
		if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP)
			break;
	}
	ptrace(PTRACE_GETREGS, child, NULL, regs);
	if (regs->rip != addr + 1) {
		fprintf(stderr, "harness: stopped at 0x%llx, not 0x%lx\n", regs->rip, addr);
		return -1;
	}
	regs->rip = addr;
	ptrace(PTRACE_SETREGS, child, NULL, regs);
	ptrace(PTRACE_POKETEXT, child, (void *)addr, (void *)orig);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0, i = 1;
	const char *lib = NULL;
	unsigned long lib_main = 0;
	if (argc > i && !strcmp(argv[i], "-r")) {
		ret = 1;
		i++;
	}
	if (argc > i + 2 && !strcmp(argv[i], "-l")) {
		lib = argv[i + 1];
		lib_main = strtoul(argv[i + 2], NULL, 0);
		i += 3;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: harness [-r] ADDR PROGRAM [ARGS...]\n");
		return 2;
	}
	unsigned long addr = strtoul(argv[i], NULL, 0);
	setvbuf(stdout, NULL, _IONBF, 0);
	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execv(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	int status;
	if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "harness: the program did not start\n");
		return 1;
	}
	unsigned long bias = load_bias(argv[i + 1]);
	is_pie = bias >= 0x10000 && addr < bias;
	if (!is_pie)
		bias = 0;
	struct user_regs_struct regs;
	if (lib) {
		unsigned long exe = load_bias(argv[i + 1]);
		if (lib_main >= exe)
			exe = 0;
		if (run_to(exe + lib_main, &regs))
			return 1;
		bias = load_bias(lib);
	}
	if (run_to(bias + addr, &regs))
		return 1;
	if (ret) {
		/* At the entry the return address is on top of the stack. */
		unsigned long ra;
		if (stp_copy_from_user(&ra, regs.rsp, sizeof(ra)) || run_to(ra, &regs))
			return 1;
	}
	struct pt_regs pr = { regs };
	struct l2c_frame fr = { .regs = &pr, .bias = bias, .module_bias = other_bias };
	printf("HARNESS stopped at 0x%lx\n", addr);
	run_accesses(&fr);
	printf("HARNESS done\n");
	ptrace(PTRACE_CONT, child, NULL, NULL);
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? 0 : 1;
}
