/* Locks on globals.  Each global has a reader/writer lock; a probe takes
 * the locks of the globals it uses (read for reading and for <<<, write
 * for anything else) before its handler runs, always in the translator's
 * global order, and gives up after MAXTRYLOCK attempts TRYLOCKDELAY
 * microseconds apart: the probe is then skipped, never deadlocked. */
#ifndef RUNTIME_LOCK_H
#define RUNTIME_LOCK_H

#include "runtime_defs.h"

struct stp_lock_req {
	stp_rwlock_t *lock;
	unsigned char write;	/* 1: write lock, 0: read lock */
};

/* 0 with all n locks held, or -1 with none held. */
STP_API int stp_locks_acquire(const struct stp_lock_req *locks, unsigned int n);
STP_API void stp_locks_release(const struct stp_lock_req *locks, unsigned int n);

#endif
