/* A traced process's memory, through /proc/PID/mem: it reads and writes
 * read-only text as a debugger's pokes do (the kernel breaks the page's
 * copy-on-write), any number of bytes in one call, and needs no thread
 * of the process to be in a ptrace-stop (PTRACE_POKETEXT does), which a
 * breakpoint placed in a running process at start needs. */
#include "breakpoint.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* The fd follows the address space it was opened on: after an exec the
 * old one reads nothing, so it is opened again then. */
static int _ut_bp_mem_open(struct ut_bp_proc *p)
{
	char path[64];

	if (p->memfd >= 0)
		close(p->memfd);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)p->tgid);
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	return p->memfd < 0 ? -errno : 0;
}

static int _ut_bp_read(struct ut_bp_proc *p, unsigned long addr, void *buf, size_t n)
{
	if (p->memfd < 0)
		return -EBADF;
	if (pread(p->memfd, buf, n, (off_t)addr) != (ssize_t)n)
		return -EFAULT;
	return 0;
}

static int _ut_bp_write(struct ut_bp_proc *p, unsigned long addr, const void *buf, size_t n)
{
	if (p->memfd < 0)
		return -EBADF;
	if (pwrite(p->memfd, buf, n, (off_t)addr) != (ssize_t)n)
		return -EFAULT;
	return 0;
}
