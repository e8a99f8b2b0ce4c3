/* The user transport's outgoing queue: a byte ring of whole stp_msg frames
 * that a writer thread copies to the socket.  Probes never block on the
 * socket: a record that does not fit is dropped whole and counted, and the
 * count travels as STP_MSG_LOST once there is room again.  Control
 * messages wait for room instead, because stapio must see every error. */
#ifndef RUNTIME_USER_TRANSPORT_RING_H
#define RUNTIME_USER_TRANSPORT_RING_H

#include "../transport/protocol.h"
#include <stddef.h>

#define STP_RING_DEFAULT_BYTES	(4u << 20)
#define STP_RING_MIN_BYTES	(256u << 10)
#define STP_USER_MAX_RECORD	(64u << 10)

int stp_ring_open(int fd, size_t bytes);	/* 0 or -errno */
int stp_ring_record(const char *data, size_t len);
int stp_ring_ctl(stp_u32 type, const void *payload, size_t len);
void stp_ring_close(void);	/* sends what is queued, stops the writer */
size_t stp_ring_bytes(void);
void stp_ring_crash_flush(void);	/* async-signal-safe, see the .c */

#endif
