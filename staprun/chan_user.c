/* The tracer process's socket: one ordered stream of stp_msg frames,
 * records as STP_MSG_DATA.  Being one stream, it needs no barriers and no
 * separate draining. */
#include "chan.h"
#include "msg.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FRAME (64u << 20)
#define READ_CHUNK (256u << 10)

struct uchan {
	struct chan c;
	int fd;
	char *buf;
	size_t have, cap;
};

static int parse(struct uchan *u, struct stapio *s)
{
	size_t off = 0;

	while (u->have - off >= sizeof(struct stp_msg)) {
		struct stp_msg m;
		memcpy(&m, u->buf + off, sizeof(m));
		if (m.len > MAX_FRAME) {
			err("Corrupt message from the tracer process (%u bytes).", m.len);
			return -1;
		}
		if (u->have - off < sizeof(m) + m.len)
			break;
		const char *p = u->buf + off + sizeof(m);
		if (m.type == STP_MSG_DATA) {
			struct stp_record r;
			if (m.len < sizeof(r)) {
				err("Corrupt record from the tracer process.");
				return -1;
			}
			memcpy(&r, p, sizeof(r));
			if (r.len != m.len - sizeof(r)) {
				err("Corrupt record from the tracer process.");
				return -1;
			}
			if (stapio_record(s, 0, &r, p + sizeof(r)) < 0)
				return -1;
		} else {
			stapio_ctl(s, m.type, p, m.len);
		}
		off += sizeof(m) + m.len;
	}
	memmove(u->buf, u->buf + off, u->have - off);
	u->have -= off;
	return 0;
}

static int upump(struct chan *c, struct stapio *s)
{
	struct uchan *u = (struct uchan *)c;

	for (;;) {
		if (u->cap - u->have < READ_CHUNK) {
			size_t cap = u->have + READ_CHUNK;
			if (u->have >= sizeof(struct stp_msg)) {
				struct stp_msg m;
				memcpy(&m, u->buf, sizeof(m));
				if (sizeof(m) + m.len > cap && m.len <= MAX_FRAME)
					cap = sizeof(m) + m.len + READ_CHUNK;
			}
			char *nb = realloc(u->buf, cap);
			if (!nb) {
				err("Memory allocation failed.");
				return -1;
			}
			u->buf = nb;
			u->cap = cap;
		}
		ssize_t n = recv(u->fd, u->buf + u->have, u->cap - u->have, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;	/* the tracer is gone; stapio asks why */
		u->have += (size_t)n;
		if (parse(u, s) < 0)
			return -1;
	}
}

static int udrain(struct chan *c, struct stapio *s)
{
	(void)c;
	(void)s;
	return 0;
}

static int upollfds(struct chan *c, struct pollfd *p, int max)
{
	struct uchan *u = (struct uchan *)c;

	if (max < 1 || u->fd < 0)
		return 0;
	p[0] = (struct pollfd){ .fd = u->fd, .events = POLLIN };
	return 1;
}

static int usend(struct chan *c, stp_u32 type, const void *payload, stp_u32 len)
{
	struct uchan *u = (struct uchan *)c;
	char frame[sizeof(struct stp_msg) + 64];
	struct stp_msg m = { .type = type, .len = len };
	size_t n = sizeof(m) + len, off = 0;

	if (len > sizeof(frame) - sizeof(m))
		return -1;
	memcpy(frame, &m, sizeof(m));
	if (len)
		memcpy(frame + sizeof(m), payload, len);
	while (off < n) {
		ssize_t w = send(u->fd, frame + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
		off += (size_t)w;
	}
	return 0;
}

static void uclose(struct chan *c)
{
	struct uchan *u = (struct uchan *)c;

	if (u->fd >= 0)
		close(u->fd);
	free(u->buf);
	free(u);
}

static const struct chan_ops user_ops = {
	.pollfds = upollfds, .pump = upump, .drain = udrain, .send = usend, .close = uclose,
};

struct chan *chan_user_open(int fd)
{
	struct uchan *u = calloc(1, sizeof(*u));

	if (!u) {
		err("Memory allocation failed.");
		return NULL;
	}
	u->c.ops = &user_ops;
	u->c.nchan = 1;
	u->fd = fd;
	return &u->c;
}
