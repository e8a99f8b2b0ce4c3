/* A kernel module's channels: the control file carries stp_msg frames
 * both ways (each read returns whole frames); trace0..N carry records.
 * Relay read() returns what a sub-buffer holds so far, so every turn reads
 * all of them dry instead of waiting for poll(), which only wakes when a
 * sub-buffer fills. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "chan.h"
#include "kmod.h"
#include "msg.h"
#include "privilege.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define DEBUGFS_MAGIC 0x64626720
#define CTL_BUF (64u << 10)
#define RELAY_READ (256u << 10)
#define MAX_RECORD (64u << 20)	/* larger is corruption, not output */

struct rbuf {
	int fd;
	char *buf;
	size_t have, cap;
};

struct kchan {
	struct chan c;
	int ctl;
	struct rbuf *relay;
	unsigned nrelay;
	char *ctlbuf;
	char name[64];
};

static int ensure_debugfs(void)
{
	struct statfs sf;

	if (statfs(STAP_DEBUGFS, &sf) == 0 && sf.f_type == DEBUGFS_MAGIC)
		return 0;
	priv_raise();
	int rc = mount("debugfs", STAP_DEBUGFS, "debugfs", 0, NULL);
	int e = errno;
	priv_lower();
	if (rc < 0) {
		err("Couldn't mount %s: %s", STAP_DEBUGFS, strerror(e));
		return -1;
	}
	return 0;
}

static int open_relay(struct kchan *k, unsigned ncpus)
{
	k->relay = calloc(ncpus ? ncpus : 1, sizeof(*k->relay));
	if (!k->relay)
		return -1;
	priv_raise();
	for (unsigned i = 0; i < ncpus; i++) {
		char path[160];
		snprintf(path, sizeof(path), STAP_DEBUGFS_DIR "/%s/trace%u", k->name, i);
		k->relay[i].fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		/* CPUs that are not online have no buffer. */
		if (k->relay[i].fd < 0 && errno != ENOENT) {
			int e = errno;
			priv_lower();
			err("Couldn't open %s: %s", path, strerror(e));
			return -1;
		}
	}
	priv_lower();
	k->nrelay = ncpus;
	k->c.nchan = ncpus;
	return 0;
}

static int parse_records(struct stapio *s, unsigned ch, struct rbuf *r)
{
	size_t off = 0;

	while (r->have - off >= sizeof(struct stp_record)) {
		struct stp_record h;
		memcpy(&h, r->buf + off, sizeof(h));
		if (h.len > MAX_RECORD) {
			err("Corrupt record on trace%u (%u bytes).", ch, h.len);
			return -1;
		}
		if (r->have - off < sizeof(h) + h.len)
			break;
		if (stapio_record(s, ch, &h, r->buf + off + sizeof(h)) < 0)
			return -1;
		off += sizeof(h) + h.len;
	}
	memmove(r->buf, r->buf + off, r->have - off);
	r->have -= off;
	return 0;
}

static int read_relay(struct kchan *k, struct stapio *s, unsigned ch)
{
	struct rbuf *r = &k->relay[ch];

	for (;;) {
		if (r->cap - r->have < RELAY_READ) {
			size_t cap = r->have + RELAY_READ;
			/* A record longer than the buffer needs it whole. */
			if (r->have >= sizeof(struct stp_record)) {
				struct stp_record h;
				memcpy(&h, r->buf, sizeof(h));
				if (sizeof(h) + h.len > cap && h.len <= MAX_RECORD)
					cap = sizeof(h) + h.len + RELAY_READ;
			}
			char *nb = realloc(r->buf, cap);
			if (!nb) {
				err("Memory allocation failed.");
				return -1;
			}
			r->buf = nb;
			r->cap = cap;
		}
		ssize_t n = read(r->fd, r->buf + r->have, r->cap - r->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno == EAGAIN))
			return 0;
		if (n < 0) {
			err("Couldn't read trace%u: %s", ch, strerror(errno));
			return -1;
		}
		r->have += (size_t)n;
		if (parse_records(s, ch, r) < 0)
			return -1;
	}
}

static int kdrain(struct chan *c, struct stapio *s)
{
	struct kchan *k = (struct kchan *)c;

	if (c->hold_records)
		return 0;
	for (unsigned i = 0; i < k->nrelay; i++)
		if (k->relay[i].fd >= 0 && read_relay(k, s, i) < 0)
			return -1;
	return 0;
}

static int kpump(struct chan *c, struct stapio *s)
{
	struct kchan *k = (struct kchan *)c;

	for (;;) {
		ssize_t n = read(k->ctl, k->ctlbuf, CTL_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			err("Couldn't read the control channel of module %s: %s", k->name,
			    n ? strerror(errno) : "end of file");
			return -1;
		}
		size_t off = 0;
		while ((size_t)n - off >= sizeof(struct stp_msg)) {
			struct stp_msg m;
			memcpy(&m, k->ctlbuf + off, sizeof(m));
			if (m.len > (size_t)n - off - sizeof(m)) {
				err("Corrupt message on the control channel of module %s.", k->name);
				return -1;
			}
			const char *payload = k->ctlbuf + off + sizeof(m);
			if (m.type == STP_MSG_READY && !k->relay) {
				struct stp_msg_ready r = { 0 };
				memcpy(&r, payload, m.len < sizeof(r) ? m.len : sizeof(r));
				if (r.ncpus > 4096 || open_relay(k, r.ncpus) < 0)
					return -1;
			}
			stapio_ctl(s, m.type, payload, m.len);
			off += sizeof(m) + m.len;
		}
	}
	return kdrain(c, s);
}

static int kpollfds(struct chan *c, struct pollfd *p, int max)
{
	struct kchan *k = (struct kchan *)c;
	int n = 0;

	if (max > 0)
		p[n++] = (struct pollfd){ .fd = k->ctl, .events = POLLIN };
	for (unsigned i = 0; i < k->nrelay && n < max; i++)
		if (k->relay[i].fd >= 0)
			p[n++] = (struct pollfd){ .fd = k->relay[i].fd, .events = POLLIN };
	return n;
}

static int ksend(struct chan *c, stp_u32 type, const void *payload, stp_u32 len)
{
	struct kchan *k = (struct kchan *)c;
	char frame[sizeof(struct stp_msg) + 64];
	struct stp_msg m = { .type = type, .len = len };

	if (len > sizeof(frame) - sizeof(m))
		return -1;
	memcpy(frame, &m, sizeof(m));
	if (len)
		memcpy(frame + sizeof(m), payload, len);
	for (;;) {
		ssize_t w = write(k->ctl, frame, sizeof(m) + len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w != (ssize_t)(sizeof(m) + len)) {
			err("Couldn't send a message to module %s: %s", k->name,
			    w < 0 ? strerror(errno) : "short write");
			return -1;
		}
		return 0;
	}
}

static void kclose(struct chan *c)
{
	struct kchan *k = (struct kchan *)c;

	for (unsigned i = 0; i < k->nrelay; i++) {
		if (k->relay[i].fd >= 0)
			close(k->relay[i].fd);
		free(k->relay[i].buf);
	}
	free(k->relay);
	if (k->ctl >= 0)
		close(k->ctl);
	free(k->ctlbuf);
	free(k);
}

static const struct chan_ops kernel_ops = {
	.pollfds = kpollfds, .pump = kpump, .drain = kdrain, .send = ksend, .close = kclose,
};

struct chan *chan_kernel_open(const char *modname)
{
	char path[160];
	struct kchan *k = calloc(1, sizeof(*k));

	if (!k || !(k->ctlbuf = malloc(CTL_BUF))) {
		err("Memory allocation failed.");
		free(k);
		return NULL;
	}
	k->c.ops = &kernel_ops;
	k->ctl = -1;
	snprintf(k->name, sizeof(k->name), "%s", modname);
	if (ensure_debugfs() < 0)
		goto fail;
	snprintf(path, sizeof(path), STAP_DEBUGFS_DIR "/%s/ctl", modname);
	priv_raise();
	k->ctl = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int e = errno;
	priv_lower();
	if (k->ctl < 0) {
		if (e == EBUSY)
			err("Module %s is already attached to another staprun.", modname);
		else if (e == ENOENT && !kmod_loaded(modname))
			err("Module %s is not loaded.", modname);
		else if (e == ENOENT)
			err("'%s' is not a systemtap module.", modname);
		else
			err("Cannot attach to module %s control channel: %s", modname, strerror(e));
		goto fail;
	}
	return &k->c;
fail:
	kclose(&k->c);
	return NULL;
}
