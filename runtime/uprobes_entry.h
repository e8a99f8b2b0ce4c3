/* @entry(...) values of .return probes: what the synthetic entry probe
 * (translate/emit_dwarf.c) evaluated at the function's entry, kept until
 * the matching return of the same thread.
 *
 * One stack per return probe, shared by all threads: a fixed table of
 * frames (no allocation in a handler), each tagged with the thread and a
 * sequence number.  A thread's return takes its newest frame, so
 * recursion nests as SystemTap's per-thread counters do.  Frames whose
 * return never comes (longjmp, a thread that died, a return missed
 * because too many were pending) are taken back oldest first when the
 * table is full.
 *
 * Generated code:
 *
 *	static struct stp_entry_stack probe_9_entries;	// size = sizeof(frame)
 *	stp_entry_stack_init(&probe_9_entries, sizeof(struct probe_9_entry));
 *	... entry handler:  stp_entry_push(&probe_9_entries, tid, &frame);
 *	... return handler: stp_entry_pop(&probe_9_entries, tid, &frame);
 *	stp_entry_stack_free(&probe_9_entries);
 */
#ifndef RUNTIME_UPROBES_ENTRY_H
#define RUNTIME_UPROBES_ENTRY_H

#include "runtime_defs.h"

#ifdef __KERNEL__
#include <linux/spinlock.h>
#else
#include <pthread.h>
#endif

/* Frames pending at once per return probe, over all threads. */
#ifndef STP_ENTRY_FRAMES
#define STP_ENTRY_FRAMES 256
#endif

struct stp_entry_tag {
	int tid;		/* 0: free */
	unsigned long seq;	/* push order */
};

struct stp_entry_stack {
	size_t size;		/* bytes of one frame */
	unsigned long seq;
	struct stp_entry_tag *tags;
	char *data;		/* STP_ENTRY_FRAMES frames of size bytes */
#ifdef __KERNEL__
	spinlock_t lock;
#else
	pthread_mutex_t lock;
#endif
};

/* 0 or -ENOMEM; at start, before any handler. */
STP_API int stp_entry_stack_init(struct stp_entry_stack *s, size_t size)
{
	s->size = size ? size : 1;
	s->seq = 0;
	s->tags = stp_alloc(STP_ENTRY_FRAMES * sizeof(*s->tags));
	s->data = stp_alloc(STP_ENTRY_FRAMES * s->size);
	if (!s->tags || !s->data) {
		stp_free(s->tags);
		stp_free(s->data);
		s->tags = NULL;
		s->data = NULL;
		return -ENOMEM;
	}
#ifdef __KERNEL__
	spin_lock_init(&s->lock);
#else
	pthread_mutex_init(&s->lock, NULL);
#endif
	return 0;
}

STP_API void stp_entry_stack_free(struct stp_entry_stack *s)
{
	if (!s->tags)
		return;
	stp_free(s->tags);
	stp_free(s->data);
	s->tags = NULL;
	s->data = NULL;
#ifndef __KERNEL__
	pthread_mutex_destroy(&s->lock);
#endif
}

#ifdef __KERNEL__
#define _stp_entry_lock(s, flags) spin_lock_irqsave(&(s)->lock, flags)
#define _stp_entry_unlock(s, flags) spin_unlock_irqrestore(&(s)->lock, flags)
#else
#define _stp_entry_lock(s, flags) ((void)(flags), pthread_mutex_lock(&(s)->lock))
#define _stp_entry_unlock(s, flags) ((void)(flags), pthread_mutex_unlock(&(s)->lock))
#endif

/* Saves frame (size bytes) for thread tid. */
STP_API void stp_entry_push(struct stp_entry_stack *s, int tid, const void *frame)
{
	unsigned long flags = 0;
	unsigned int i, pick = 0;

	if (!s->tags || tid <= 0)
		return;
	_stp_entry_lock(s, flags);
	/* A free slot, else the oldest frame. */
	for (i = 0; i < STP_ENTRY_FRAMES; i++) {
		if (!s->tags[i].tid) {
			pick = i;
			break;
		}
		if (s->tags[i].seq < s->tags[pick].seq)
			pick = i;
	}
	s->tags[pick].tid = tid;
	s->tags[pick].seq = ++s->seq;
	memcpy(s->data + (size_t)pick * s->size, frame, s->size);
	_stp_entry_unlock(s, flags);
}

/* Takes thread tid's newest frame into frame and returns true; without
 * one, zeroes frame (every value reads 0 or "") and returns false. */
STP_API bool stp_entry_pop(struct stp_entry_stack *s, int tid, void *frame)
{
	unsigned long flags = 0;
	unsigned int i;
	int best = -1;

	memset(frame, 0, s->size);
	if (!s->tags)
		return false;
	_stp_entry_lock(s, flags);
	for (i = 0; i < STP_ENTRY_FRAMES; i++)
		if (s->tags[i].tid == tid && (best < 0 || s->tags[i].seq > s->tags[best].seq))
			best = (int)i;
	if (best >= 0) {
		memcpy(frame, s->data + (size_t)best * s->size, s->size);
		s->tags[best].tid = 0;
	}
	_stp_entry_unlock(s, flags);
	return best >= 0;
}

#endif
