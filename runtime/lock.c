/* Locks on globals. */
#include "lock.h"

static bool _stp_trylock(const struct stp_lock_req *r)
{
	return r->write ? stp_write_trylock(r->lock) : stp_read_trylock(r->lock);
}

static void _stp_unlock(const struct stp_lock_req *r)
{
	if (r->write)
		stp_write_unlock(r->lock);
	else
		stp_read_unlock(r->lock);
}

STP_API int stp_locks_acquire(const struct stp_lock_req *locks, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int tries = 0;

		while (!_stp_trylock(&locks[i])) {
			if (++tries >= MAXTRYLOCK) {
				stp_locks_release(locks, i);
				return -1;
			}
			stp_udelay(TRYLOCKDELAY);
		}
	}
	return 0;
}

STP_API void stp_locks_release(const struct stp_lock_req *locks, unsigned int n)
{
	while (n--)
		_stp_unlock(&locks[n]);
}
