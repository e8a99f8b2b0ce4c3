/* The runtime core's kernel platform: what the core needs from the kernel,
 * behind the names the user platform (runtime/user/platform.h) gives too.
 *
 * Probe handlers run with preemption disabled (stp_cpu_get), maybe in
 * interrupt context: nothing here may sleep except the allocation and
 * init functions, which run only from stp_probes_start/stop. */
#ifndef RUNTIME_LINUX_PLATFORM_H
#define RUNTIME_LINUX_PLATFORM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/sched/clock.h>
#include <linux/random.h>
#include <linux/uaccess.h>
#include <linux/sched/task_stack.h>

#include "../runtime_defs.h"

#define STP_PLATFORM_KERNEL 1
#define STP_PLATFORM_NAME "kernel"

/* ---- allocation: init and exit only ---- */

/* A script may ask for more than the machine has: that is -ENOMEM at
 * start, not a kernel warning. */
static inline void *stp_alloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static inline void stp_free(void *p)
{
	kvfree(p);
}

/* ---- per-CPU data ----
 * Per-CPU arrays have stp_ncpus() slots, indexed by what stp_cpu_get()
 * returns.  Between stp_cpu_get() and stp_cpu_put() the caller owns its
 * slot: no other code runs on this CPU except interrupts, and those find
 * the context busy. */

static inline int stp_platform_init(void)
{
	return 0;
}

static inline void stp_platform_exit(void)
{
}

static inline unsigned int stp_ncpus(void)
{
	return nr_cpu_ids;
}

static inline unsigned int stp_cpu_get(void)
{
	preempt_disable();
	return smp_processor_id();
}

static inline void stp_cpu_put(unsigned int cpu)
{
	(void)cpu;
	preempt_enable();
}

/* True when the stack has less than MINSTACKSPACE bytes left: a probe
 * that fires deep in the kernel is skipped rather than overflowing it.
 * Task and IRQ stacks are THREAD_SIZE-aligned and grow down. */
static inline bool stp_stack_low(void)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	return (sp & (THREAD_SIZE - 1)) < MINSTACKSPACE;
}

/* ---- atomics ---- */

typedef atomic_t stp_atomic_t;
#define STP_ATOMIC_INIT(v) ATOMIC_INIT(v)

static inline int stp_atomic_read(stp_atomic_t *a)
{
	return atomic_read(a);
}

static inline void stp_atomic_set(stp_atomic_t *a, int v)
{
	atomic_set(a, v);
}

static inline int stp_atomic_inc_return(stp_atomic_t *a)
{
	return atomic_inc_return(a);
}

static inline int stp_atomic_cmpxchg(stp_atomic_t *a, int old, int new)
{
	return atomic_cmpxchg(a, old, new);
}

static inline int stp_atomic_xchg(stp_atomic_t *a, int v)
{
	return atomic_xchg(a, v);
}

/* A flag of the current CPU's own (its context's busy word): only code
 * on this CPU sets it, and what interrupts it (an interrupt, an NMI)
 * ends before it goes on, so a plain test and set is atomic enough; a
 * locked exchange per probe is not needed.  Other CPUs only read it. */
static inline bool stp_cpu_flag_claim(stp_atomic_t *a)
{
	if (atomic_read(a))
		return false;
	atomic_set(a, 1);
	barrier();
	return true;
}

static inline void stp_cpu_flag_release(stp_atomic_t *a)
{
	atomic_set_release(a, 0);
}

/* ---- reader/writer locks for globals: only try-locks in probes ----
 * Probes take them with preemption off already (stp_cpu_get), so the raw
 * operations do: the kernel's out-of-line ones would add two calls and a
 * preemption count round trip to every probe.  With lockdep the locks go
 * through the kernel's functions, for it to see them (and on PREEMPT_RT,
 * where they are other locks). */

typedef rwlock_t stp_rwlock_t;

static inline void stp_rwlock_init(stp_rwlock_t *l)
{
	rwlock_init(l);
}

#if defined(CONFIG_DEBUG_LOCK_ALLOC) || defined(CONFIG_PREEMPT_RT)
#define STP_RW(op, l) op(l)
#else
#define STP_RW(op, l) do_raw_##op(l)
#endif

static inline bool stp_read_trylock(stp_rwlock_t *l)
{
	return STP_RW(read_trylock, l);
}

static inline bool stp_write_trylock(stp_rwlock_t *l)
{
	return STP_RW(write_trylock, l);
}

static inline void stp_read_unlock(stp_rwlock_t *l)
{
	STP_RW(read_unlock, l);
}

static inline void stp_write_unlock(stp_rwlock_t *l)
{
	STP_RW(write_unlock, l);
}

static inline void stp_udelay(unsigned int us)
{
	udelay(us);
}

/* Sleeps; only outside probe handlers (stp_probes_stop). */
static inline void stp_msleep(unsigned int ms)
{
	msleep(ms);
}

/* ---- time ----
 * The fast (NMI-safe) accessors: a probe may fire inside the
 * timekeeping code's own write section, where the seqcount readers
 * would spin forever. */

static inline int64_t stp_time_real_ns(void)
{
	return ktime_get_real_fast_ns();
}

/* Monotonic nanoseconds, cheap, comparable on one CPU (local_clock). */
static inline int64_t stp_time_local_ns(void)
{
	return local_clock();
}

static inline uint64_t stp_random_seed(void)
{
	return get_random_u64();
}

/* ---- memory ---- */

/* Kernel memory for %m without '#': 0 or -EFAULT, never an oops. */
static inline int stp_read_kernel(void *dst, unsigned long src, size_t n)
{
	return copy_from_kernel_nofault(dst, (const void *)src, n) ? -EFAULT : 0;
}

#define stp_vsnprintf vsnprintf

#endif
