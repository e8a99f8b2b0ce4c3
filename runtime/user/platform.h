/* The runtime core's user-space platform (the ptrace runtime): the same
 * names as runtime/linux/platform.h, on libc and pthreads.
 *
 * A "CPU" here is a slot: each thread that runs probes is given one slot
 * for its life (round robin over stp_ncpus() slots), and holds the slot's
 * mutex between stp_cpu_get() and stp_cpu_put().  A slot's per-CPU data is
 * therefore never touched by two threads at once, which is all the core
 * asks of a CPU. */
#ifndef RUNTIME_USER_PLATFORM_H
#define RUNTIME_USER_PLATFORM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "../runtime_defs.h"

#define STP_PLATFORM_USER 1
#define STP_PLATFORM_NAME "user"

/* Most slots a module uses, whatever the machine's CPU count;
 * STP_USER_NCPUS fixes the count (tests use it to be machine-independent). */
#ifndef STP_USER_MAXCPUS
#define STP_USER_MAXCPUS 64
#endif

/* ---- allocation: init and exit only ---- */

static inline void *stp_alloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void stp_free(void *p)
{
	free(p);
}

/* ---- per-CPU data ---- */

static unsigned int stp_user_nslots;
static pthread_mutex_t stp_user_slot_lock[STP_USER_MAXCPUS];
static unsigned int stp_user_next_slot;
static __thread int stp_user_slot = -1;
static __thread unsigned int stp_user_slot_depth;

static inline int stp_platform_init(void)
{
#ifdef STP_USER_NCPUS
	long n = STP_USER_NCPUS;
#else
	long n = sysconf(_SC_NPROCESSORS_CONF);
#endif
	unsigned int i;

	if (n < 1)
		n = 1;
	if (n > STP_USER_MAXCPUS)
		n = STP_USER_MAXCPUS;
	stp_user_nslots = (unsigned int)n;
	for (i = 0; i < stp_user_nslots; i++)
		pthread_mutex_init(&stp_user_slot_lock[i], NULL);
	return 0;
}

static inline void stp_platform_exit(void)
{
	unsigned int i;

	for (i = 0; i < stp_user_nslots; i++)
		pthread_mutex_destroy(&stp_user_slot_lock[i]);
	stp_user_nslots = 0;
}

static inline unsigned int stp_ncpus(void)
{
	return stp_user_nslots ? stp_user_nslots : 1;
}

/* A thread that already holds its slot (a probe fired inside a handler)
 * does not lock it again: it finds its context busy instead, as a nested
 * probe on a CPU does. */
static inline unsigned int stp_cpu_get(void)
{
	unsigned int slot;

	if (unlikely(stp_user_slot < 0))
		stp_user_slot = (int)(__atomic_fetch_add(&stp_user_next_slot, 1, __ATOMIC_RELAXED)
				      % stp_ncpus());
	slot = (unsigned int)stp_user_slot % stp_ncpus();
	if (stp_user_nslots && stp_user_slot_depth++ == 0)
		pthread_mutex_lock(&stp_user_slot_lock[slot]);
	return slot;
}

static inline void stp_cpu_put(unsigned int cpu)
{
	if (stp_user_nslots && --stp_user_slot_depth == 0)
		pthread_mutex_unlock(&stp_user_slot_lock[cpu]);
}

/* Threads of the tracer have ordinary, large stacks. */
static inline bool stp_stack_low(void)
{
	return false;
}

/* ---- atomics ---- */

typedef struct {
	int counter;
} stp_atomic_t;
#define STP_ATOMIC_INIT(v) { (v) }

static inline int stp_atomic_read(stp_atomic_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_SEQ_CST);
}

static inline void stp_atomic_set(stp_atomic_t *a, int v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline int stp_atomic_inc_return(stp_atomic_t *a)
{
	return __atomic_add_fetch(&a->counter, 1, __ATOMIC_SEQ_CST);
}

static inline int stp_atomic_cmpxchg(stp_atomic_t *a, int old, int new)
{
	__atomic_compare_exchange_n(&a->counter, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline int stp_atomic_xchg(stp_atomic_t *a, int v)
{
	return __atomic_exchange_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

/* A flag of the current slot's own (its context's busy word): only the
 * thread holding the slot sets it, and a signal handler that interrupts
 * it ends before it goes on, so a plain test and set is atomic enough.
 * Other threads only read it. */
static inline bool stp_cpu_flag_claim(stp_atomic_t *a)
{
	if (__atomic_load_n(&a->counter, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&a->counter, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return true;
}

static inline void stp_cpu_flag_release(stp_atomic_t *a)
{
	__atomic_store_n(&a->counter, 0, __ATOMIC_RELEASE);
}

/* ---- reader/writer locks for globals ---- */

typedef pthread_rwlock_t stp_rwlock_t;

static inline void stp_rwlock_init(stp_rwlock_t *l)
{
	pthread_rwlock_init(l, NULL);
}

static inline bool stp_read_trylock(stp_rwlock_t *l)
{
	return pthread_rwlock_tryrdlock(l) == 0;
}

static inline bool stp_write_trylock(stp_rwlock_t *l)
{
	return pthread_rwlock_trywrlock(l) == 0;
}

static inline void stp_read_unlock(stp_rwlock_t *l)
{
	pthread_rwlock_unlock(l);
}

static inline void stp_write_unlock(stp_rwlock_t *l)
{
	pthread_rwlock_unlock(l);
}

static inline void stp_udelay(unsigned int us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static inline void stp_msleep(unsigned int ms)
{
	stp_udelay(ms * 1000);
}

/* ---- time ---- */

static inline int64_t stp_time_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t stp_time_local_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline uint64_t stp_random_seed(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (uint64_t)stp_time_local_ns() ^ ((uint64_t)getpid() << 32);
	return v;
}

/* ---- memory ---- */

int stp_copy_from_user(void *dst, unsigned long src, size_t n);

/* There is no kernel memory here: %m without '#' reads the traced
 * process as %#m does. */
static inline int stp_read_kernel(void *dst, unsigned long src, size_t n)
{
	return stp_copy_from_user(dst, src, n);
}

#define stp_vsnprintf vsnprintf

#endif
