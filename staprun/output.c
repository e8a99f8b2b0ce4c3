/* Output files. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "output.h"
#include "msg.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OUT_BUF (64u << 10)

struct output {
	int fd;
	const char *pattern;		/* NULL for stdout */
	uint64_t max_bytes;
	int max_files;
	bool numbered;			/* FILE.N names */
	int fnum;
	uint64_t size;
	char **names;			/* the last max_files names, to remove */
	char *buf;
	size_t used;
	int error;
};

static int expand(const char *pattern, int fnum, bool numbered, char *out, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;
	size_t n;

	localtime_r(&now, &tm);
	n = strftime(out, cap, pattern, &tm);
	if (n == 0) {
		err("Filename format is invalid or too long.");
		return -1;
	}
	if (numbered && snprintf(out + n, cap - n, ".%d", fnum) >= (int)(cap - n)) {
		err("File name is too long.");
		return -1;
	}
	return 0;
}

static int open_file(struct output *o)
{
	char name[PATH_MAX];

	if (expand(o->pattern, o->fnum, o->numbered, name, sizeof(name)) < 0)
		return -1;
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		err("Couldn't open output file %s: %s", name, strerror(errno));
		return -1;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->fd = fd;
	o->size = 0;
	if (o->max_files) {
		int slot = o->fnum % o->max_files;
		if (o->names[slot] && strcmp(o->names[slot], name))
			unlink(o->names[slot]);
		free(o->names[slot]);
		o->names[slot] = strdup(name);
	}
	dbug(2, "output file %s", name);
	return 0;
}

struct output *output_open(const char *pattern, uint64_t max_bytes, int max_files)
{
	struct output *o = calloc(1, sizeof(*o));
	if (!o || !(o->buf = malloc(OUT_BUF)))
		goto fail;
	o->fd = -1;
	o->pattern = pattern;
	o->max_bytes = max_bytes;
	o->max_files = max_bytes ? max_files : 0;
	o->numbered = max_bytes != 0;
	if (o->max_files && !(o->names = calloc((size_t)o->max_files, sizeof(char *))))
		goto fail;
	if (!pattern) {
		o->fd = STDOUT_FILENO;
		return o;
	}
	if (open_file(o) == 0)
		return o;
fail:
	if (o) {
		free(o->buf);
		free(o->names);
		free(o);
	}
	return NULL;
}

static int write_all(struct output *o, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			/* An inherited non-blocking stdout: wait for room. */
			struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
			poll(&pfd, 1, -1);
			continue;
		}
		if (w < 0) {
			o->error = errno;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		o->size += (uint64_t)w;
	}
	return 0;
}

int output_flush(struct output *o)
{
	if (!o || o->error)
		return o ? -1 : 0;
	int rc = write_all(o, o->buf, o->used);
	o->used = 0;
	return rc;
}

int output_switch(struct output *o)
{
	if (!o->pattern)
		return 0;
	if (output_flush(o) < 0)
		return -1;
	o->fnum++;
	o->numbered = true;
	return open_file(o);
}

int output_write(struct output *o, const char *data, size_t len)
{
	if (o->error)
		return -1;
	if (o->max_bytes && o->size + o->used > 0 && o->size + o->used + len > o->max_bytes &&
	    output_switch(o) < 0) {
		o->error = o->error ? o->error : EIO;
		return -1;
	}
	if (o->used + len > OUT_BUF && output_flush(o) < 0)
		return -1;
	if (len > OUT_BUF)
		return write_all(o, data, len);
	memcpy(o->buf + o->used, data, len);
	o->used += len;
	return 0;
}

int output_error(const struct output *o)
{
	return o->error;
}

void output_close(struct output *o)
{
	if (!o)
		return;
	output_flush(o);
	if (o->pattern && o->fd >= 0)
		close(o->fd);
	for (int i = 0; i < o->max_files; i++)
		free(o->names[i]);
	free(o->names);
	free(o->buf);
	free(o);
}
