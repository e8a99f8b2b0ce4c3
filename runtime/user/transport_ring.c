/* The user transport's outgoing ring and its writer thread. */
#include "transport_ring.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct {
	pthread_mutex_t mu;
	pthread_cond_t data;	/* the writer waits for frames */
	pthread_cond_t room;	/* control messages wait for space */
	char *buf;
	size_t size;
	uint64_t head, tail;	/* bytes ever queued / ever sent */
	int fd;
	bool open, closing, dead;
	pthread_t writer;
	uint64_t seq;
	uint64_t lost, lost_sent;
	/* For the crash flush: the writer publishes what the socket has
	 * taken and whether a send is in flight; a crash freezes it. */
	uint64_t sent;
	int sending, frozen;
} stp_ring = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.data = PTHREAD_COND_INITIALIZER,
	.room = PTHREAD_COND_INITIALIZER,
	.fd = -1,
};

static size_t stp_ring_free(void)
{
	return stp_ring.size - (size_t)(stp_ring.head - stp_ring.tail);
}

static uint64_t stp_ring_copy_in(uint64_t pos, const void *p, size_t n)
{
	size_t at = pos % stp_ring.size;
	size_t first = stp_ring.size - at < n ? stp_ring.size - at : n;

	memcpy(stp_ring.buf + at, p, first);
	memcpy(stp_ring.buf, (const char *)p + first, n - first);
	return pos + n;
}

/* Queues one frame; the caller holds the lock and checked the room.  head
 * moves once the whole frame is in, so a crash flush never sends half. */
static void stp_ring_frame(stp_u32 type, const void *a, size_t alen, const void *b, size_t blen)
{
	struct stp_msg m = { .type = type, .len = (stp_u32)(alen + blen) };
	uint64_t pos = stp_ring_copy_in(stp_ring.head, &m, sizeof(m));

	if (alen)
		pos = stp_ring_copy_in(pos, a, alen);
	if (blen)
		pos = stp_ring_copy_in(pos, b, blen);
	__atomic_store_n(&stp_ring.head, pos, __ATOMIC_RELEASE);
	pthread_cond_signal(&stp_ring.data);
}

#define STP_LOST_FRAME (sizeof(struct stp_msg) + sizeof(struct stp_msg_lost))

/* Reports drops as soon as a LOST frame fits, so stapio's count is
 * current even when the run ends abruptly. */
static void stp_ring_report_lost(size_t reserve)
{
	struct stp_msg_lost l = { .cpu = 0 };
	uint64_t n = stp_ring.lost - stp_ring.lost_sent;

	if (!n || stp_ring_free() < STP_LOST_FRAME + reserve)
		return;
	l.records = n > UINT32_MAX ? UINT32_MAX : (stp_u32)n;
	stp_ring_frame(STP_MSG_LOST, &l, sizeof(l), NULL, 0);
	stp_ring.lost_sent += l.records;
}

static void *stp_ring_writer(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&stp_ring.mu);
	for (;;) {
		while (stp_ring.head == stp_ring.tail && !stp_ring.closing)
			pthread_cond_wait(&stp_ring.data, &stp_ring.mu);
		if (stp_ring.head == stp_ring.tail)
			break;
		size_t at = stp_ring.tail % stp_ring.size;
		size_t n = (size_t)(stp_ring.head - stp_ring.tail);
		if (n > stp_ring.size - at)
			n = stp_ring.size - at;
		uint64_t from = stp_ring.tail;
		pthread_mutex_unlock(&stp_ring.mu);
		/* Only this thread moves tail, so the bytes stay put unlocked. */
		__atomic_store_n(&stp_ring.sending, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&stp_ring.frozen, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&stp_ring.sending, 0, __ATOMIC_SEQ_CST);
			for (;;)
				pause();	/* the crash flush owns the socket now */
		}
		ssize_t w = stp_ring.dead ? (ssize_t)n
			: send(stp_ring.fd, stp_ring.buf + at, n, MSG_NOSIGNAL);
		if (w > 0)
			__atomic_store_n(&stp_ring.sent, from + (uint64_t)w, __ATOMIC_SEQ_CST);
		__atomic_store_n(&stp_ring.sending, 0, __ATOMIC_SEQ_CST);
		pthread_mutex_lock(&stp_ring.mu);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			/* stapio is gone: nobody will read anything again. */
			stp_ring.dead = true;
			continue;
		}
		stp_ring.tail += (uint64_t)w;
		pthread_cond_broadcast(&stp_ring.room);
	}
	pthread_mutex_unlock(&stp_ring.mu);
	return NULL;
}

int stp_ring_open(int fd, size_t bytes)
{
	if (!bytes)
		bytes = STP_RING_DEFAULT_BYTES;
	if (bytes < STP_RING_MIN_BYTES)
		bytes = STP_RING_MIN_BYTES;
	stp_ring.buf = malloc(bytes);
	if (!stp_ring.buf)
		return -ENOMEM;
	stp_ring.size = bytes;
	stp_ring.fd = fd;
	int rc = pthread_create(&stp_ring.writer, NULL, stp_ring_writer, NULL);
	if (rc) {
		free(stp_ring.buf);
		stp_ring.buf = NULL;
		return -rc;
	}
	stp_ring.open = true;
	return 0;
}

size_t stp_ring_bytes(void)
{
	return stp_ring.size;
}

int stp_ring_record(const char *data, size_t len)
{
	struct stp_record r = { .len = (stp_u32)len, .cpu = 0 };
	size_t need = sizeof(struct stp_msg) + sizeof(r) + len;
	int rc = 0;

	pthread_mutex_lock(&stp_ring.mu);
	if (!stp_ring.open || stp_ring.closing) {
		rc = -EPIPE;
	} else if (len > STP_USER_MAX_RECORD) {
		stp_ring.lost++;
		rc = -E2BIG;
	} else {
		stp_ring_report_lost(need);
		if (stp_ring_free() < need || stp_ring.lost != stp_ring.lost_sent) {
			/* Once one record is dropped, later ones wait behind the
			 * LOST report so the counts stay in order. */
			stp_ring.lost++;
			rc = -ENOSPC;
		} else {
			r.seq = stp_ring.seq++;
			stp_ring_frame(STP_MSG_DATA, &r, sizeof(r), data, len);
		}
	}
	pthread_mutex_unlock(&stp_ring.mu);
	return rc;
}

int stp_ring_ctl(stp_u32 type, const void *payload, size_t len)
{
	size_t need = sizeof(struct stp_msg) + len;

	pthread_mutex_lock(&stp_ring.mu);
	if (!stp_ring.open || stp_ring.closing) {
		pthread_mutex_unlock(&stp_ring.mu);
		return -EPIPE;
	}
	while (!stp_ring.dead && stp_ring_free() < need + STP_LOST_FRAME)
		pthread_cond_wait(&stp_ring.room, &stp_ring.mu);
	stp_ring_report_lost(need);
	stp_ring_frame(type, payload, len, NULL, 0);
	pthread_mutex_unlock(&stp_ring.mu);
	return 0;
}

void stp_ring_close(void)
{
	pthread_mutex_lock(&stp_ring.mu);
	if (!stp_ring.open) {
		pthread_mutex_unlock(&stp_ring.mu);
		return;
	}
	/* The last drops must be counted before the writer stops. */
	while (!stp_ring.dead && stp_ring.lost != stp_ring.lost_sent) {
		while (!stp_ring.dead && stp_ring_free() < STP_LOST_FRAME)
			pthread_cond_wait(&stp_ring.room, &stp_ring.mu);
		stp_ring_report_lost(0);
	}
	stp_ring.closing = true;
	pthread_cond_signal(&stp_ring.data);
	pthread_mutex_unlock(&stp_ring.mu);
	pthread_join(stp_ring.writer, NULL);
	stp_ring.open = false;
	free(stp_ring.buf);
	stp_ring.buf = NULL;
}

/* Called from a fatal signal's handler: sends what the writer has not,
 * with async-signal-safe calls only, so the output before a crash in
 * probe or tracer code still reaches stapio.  Best effort: if the writer
 * is stuck in a send for long, its bytes are not repeated. */
void stp_ring_crash_flush(void)
{
	struct timespec pause_ms = { 0, 1000000 };

	if (!stp_ring.open || __atomic_exchange_n(&stp_ring.frozen, 1, __ATOMIC_SEQ_CST))
		return;
	for (int i = 0; i < 1000 && __atomic_load_n(&stp_ring.sending, __ATOMIC_SEQ_CST); i++)
		nanosleep(&pause_ms, NULL);
	if (__atomic_load_n(&stp_ring.sending, __ATOMIC_SEQ_CST))
		return;
	uint64_t from = __atomic_load_n(&stp_ring.sent, __ATOMIC_SEQ_CST);
	uint64_t to = __atomic_load_n(&stp_ring.head, __ATOMIC_ACQUIRE);
	if (from < stp_ring.tail)
		from = stp_ring.tail;
	while (from < to) {
		size_t at = from % stp_ring.size;
		size_t n = (size_t)(to - from) < stp_ring.size - at ? (size_t)(to - from)
			: stp_ring.size - at;
		ssize_t w = send(stp_ring.fd, stp_ring.buf + at, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		from += (uint64_t)w;
	}
}
