/* Merging records from several channels (one per CPU) into sequence
 * order.  Each channel delivers its records in increasing order, so the
 * smallest head is next unless a channel that is empty now still holds a
 * smaller one in flight.  A record is therefore released when it is the
 * next number, when every channel has something queued, or when it has
 * waited through window_ticks complete reads of all channels and
 * window_ms; a number never seen by then is counted as missing.  A record
 * that turns up later still prints, out of order, and is no longer
 * missing. */
#ifndef STAPRUN_MERGE_H
#define STAPRUN_MERGE_H
#include <stdbool.h>
#include <stdint.h>

typedef int (*merge_emit_fn)(void *ctx, uint64_t seq, const char *data, uint32_t len);

struct merge;

/* synced: the first record is number 0 (a fresh load).  After -A the
 * numbering starts wherever the previous reader stopped. */
struct merge *merge_new(unsigned nchan, bool synced, merge_emit_fn emit, void *ctx);
void merge_free(struct merge *m);
void merge_set_window(struct merge *m, unsigned ticks, uint64_t ms);

/* These return the first negative value emit returned, else 0. */
int merge_push(struct merge *m, unsigned ch, uint64_t seq, const char *data, uint32_t len,
	       uint64_t now_ms);
int merge_release(struct merge *m, uint64_t now_ms);
int merge_release_before(struct merge *m, uint64_t seq);	/* after a full read */
int merge_release_all(struct merge *m);
void merge_tick(struct merge *m);	/* every channel was just read dry */

bool merge_pending(const struct merge *m);
uint64_t merge_missing(const struct merge *m);
uint64_t merge_emitted(const struct merge *m);
/* Every number below this was printed or given up; 0 before the first. */
uint64_t merge_next(const struct merge *m);

#endif
