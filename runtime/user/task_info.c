/* runtime/task_info.h on the ptrace platform: the tracer reads what the
 * kernel shows in /proc about its tracees, and asks the tracer loop
 * (tracer.h) for the rest.  Included by runtime/task_info.c. */
#ifndef RUNTIME_USER_TASK_INFO_C
#define RUNTIME_USER_TASK_INFO_C

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracer.h"
/* For ut_task_find: utrace.h has no way from a thread id to its task yet
 * (see doc/process-probes.md, "Requests"). */
#include "utrace_int.h"

/* Reads /proc/PID/NAME (PID may be any thread id) into buf, NUL-terminated;
 * the byte count or -errno.  Every read goes to the kernel: credentials,
 * groups and names change without any ptrace event. */
static long _stp_ti_proc_read(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return (long)n;
}

/* "Uid:\treal\teffective\tsaved\tfs" and the same for "Gid:". */
static bool _stp_ti_status_pair(const char *status, const char *key, int64_t *real,
				int64_t *eff)
{
	const char *p = strstr(status, key);
	long long r, e;

	if (!p || sscanf(p + strlen(key), " %lld %lld", &r, &e) != 2)
		return false;
	*real = r;
	*eff = e;
	return true;
}

STP_API int stp_task_ids(struct task_struct *t, struct stp_task_ids *ids)
{
	char buf[2048];
	long n;

	ids->uid = ids->euid = ids->gid = ids->egid = -1;
	if (!t)
		return -ESRCH;
	/* Credentials belong to each thread: read the thread's own. */
	n = _stp_ti_proc_read(stp_task_tid(t), "status", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (!_stp_ti_status_pair(buf, "\nUid:", &ids->uid, &ids->euid) ||
	    !_stp_ti_status_pair(buf, "\nGid:", &ids->gid, &ids->egid))
		return -EIO;
	return 0;
}

STP_API pid_t stp_task_pgrp(struct task_struct *t)
{
	pid_t r = t ? getpgid(stp_task_tgid(t)) : -1;

	return r < 0 ? 0 : r;
}

STP_API pid_t stp_task_sid(struct task_struct *t)
{
	pid_t r = t ? getsid(stp_task_tgid(t)) : -1;

	return r < 0 ? 0 : r;
}

STP_API void stp_task_parent_comm(struct task_struct *t, char *buf, size_t len)
{
	char comm[64];
	pid_t ppid = t ? stp_task_ppid(t) : 0;
	long n = ppid > 0 ? _stp_ti_proc_read(ppid, "comm", comm, sizeof(comm)) : -ESRCH;

	if (!len)
		return;
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	snprintf(buf, len, "%s", n > 0 ? comm : "");
}

STP_API long stp_task_cmdline_read(struct task_struct *t, unsigned long off, char *buf,
				   size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	if (!t)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)stp_task_tgid(t));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, (off_t)off);
	if (n < 0)
		n = -errno;
	close(fd);
	return (long)n;
}

STP_API int stp_task_thread_ids(struct task_struct *t, pid_t *tids, int max)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)stp_task_tgid(t));
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((d = readdir(dir))) {
		long tid = strtol(d->d_name, NULL, 10);

		if (tid <= 0)
			continue;
		if (n < max)
			tids[n] = (pid_t)tid;
		n++;
	}
	closedir(dir);
	return n;
}

STP_API struct task_struct *stp_task_from_tid(pid_t tid)
{
	struct task_struct *t = ut_task_find(tid);

	if (!t || t->dead || t->reaped)
		return NULL;
	stp_task_get(t);
	return t;
}

STP_API void stp_task_ref(struct task_struct *t)
{
	stp_task_get(t);
}

STP_API void stp_task_unref(struct task_struct *t)
{
	stp_task_put(t);
}

STP_API int stp_task_want_syscalls(const int *nrs, int n)
{
	return stp_user_want_syscalls(nrs, n);
}

STP_API void stp_task_settle(void)
{
	stp_user_settle();
}

#endif
