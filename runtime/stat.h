/* Statistics (aggregates): x <<< v, @count/@sum/@min/@max/@avg/@variance,
 * @hist_linear and @hist_log.
 *
 * Each CPU accumulates into its own stp_stat_data, so <<< needs only a
 * read lock on the global and touches no shared cache line; reading an
 * aggregate merges the CPUs' data (under the global's write lock).
 * Arithmetic wraps on overflow, as SystemTap's does; variance is
 * SystemTap's integer Welford algorithm with its optional bit shift,
 * merged over CPUs with the total variance formula, so @variance gives
 * SystemTap's numbers (e.g. 12 for 1..5, 2 with shift 1). */
#ifndef RUNTIME_STAT_H
#define RUNTIME_STAT_H

#include "runtime_defs.h"

struct stp_context;
struct stp_sink;

enum stp_hist_type {
	STP_HIST_NONE,
	STP_HIST_LOG,
	STP_HIST_LINEAR,
};

/* What the translator knows about one statistics global (static const). */
struct stp_stat_spec {
	unsigned char hist_type;	/* enum stp_hist_type */
	unsigned char bit_shift;	/* @variance(x, shift): 0..62 */
	unsigned char want_variance;	/* keep Welford's state (costs a division) */
	int64_t start, stop, interval;	/* @hist_linear(x, start, stop, interval) */
};

struct stp_stat_data {
	int64_t count, sum, min, max;
	int64_t avg_s;		/* running mean << bit_shift */
	int64_t m2;		/* Welford's sum of squares (shifted) */
	int64_t variance_s;	/* m2 / (count - 1) */
	int64_t variance;	/* aggregates only: the result of @variance */
	int64_t hist[];		/* stp_stat_nbuckets() counters */
};

/* Buckets of spec's histogram: 0 without one, HIST_LOG_BUCKETS for log,
 * (stop - start) / interval + 3 for linear (under- and overflow included);
 * -1 when the linear parameters are invalid (interval <= 0, or more than
 * STP_MAX_BUCKETS buckets). */
STP_API int stp_stat_nbuckets(const struct stp_stat_spec *spec);
STP_API size_t stp_stat_data_size(const struct stp_stat_spec *spec);

/* The building blocks maps use too. */
STP_API void stp_stat_data_clear(const struct stp_stat_spec *spec, struct stp_stat_data *sd);
STP_API void stp_stat_data_add(const struct stp_stat_spec *spec, struct stp_stat_data *sd,
			       int64_t v);
/* Aggregating parts into agg: clear, merge every part, then (for
 * variance) let every part contribute again, then finish. */
STP_API void stp_stat_agg_merge(const struct stp_stat_spec *spec, struct stp_stat_data *agg,
				const struct stp_stat_data *part);
STP_API void stp_stat_agg_variance(const struct stp_stat_spec *spec,
				   struct stp_stat_data *agg, const struct stp_stat_data *part);
STP_API void stp_stat_agg_finish(const struct stp_stat_spec *spec, struct stp_stat_data *agg);

/* A scalar statistics global. */
struct stp_stat {
	const struct stp_stat_spec *spec;
	size_t data_size;
	unsigned char *pcpu;		/* stp_ncpus() records of data_size bytes */
	struct stp_stat_data *agg;
};

/* 0, -ENOMEM, or -EINVAL (bad linear histogram parameters). */
STP_API int stp_stat_init(struct stp_stat *s, const struct stp_stat_spec *spec);
STP_API void stp_stat_free(struct stp_stat *s);
/* s <<< v, on the running handler's CPU (read lock). */
STP_API void stp_stat_add(struct stp_context *c, struct stp_stat *s, int64_t v);
/* All CPUs merged (write lock); valid until the next call for s. */
STP_API const struct stp_stat_data *stp_stat_get(struct stp_stat *s);
/* delete s */
STP_API void stp_stat_clear(struct stp_stat *s);

enum stp_agg {
	STP_AGG_COUNT,
	STP_AGG_SUM,
	STP_AGG_MIN,
	STP_AGG_MAX,
	STP_AGG_AVG,
	STP_AGG_VARIANCE,
};

/* @count(x) ... of merged data (sd may be NULL: nothing collected).
 * @count and @sum of nothing are 0; the others set the error "empty
 * aggregate" and return 0. */
STP_API int64_t stp_stat_extract(struct stp_context *c, const struct stp_loc *loc,
				 const struct stp_stat_data *sd, int agg);

/* @hist_xxx(x)[i]: "empty aggregate" / "histogram index out of range". */
STP_API int64_t stp_stat_bucket(struct stp_context *c, const struct stp_loc *loc,
				const struct stp_stat_spec *spec, const struct stp_stat_data *sd,
				int64_t i);

/* print(@hist_xxx(x)): SystemTap's ASCII histogram into c's output
 * ("empty aggregate" when nothing was collected).  0 or -1. */
STP_API int stp_stat_print_hist(struct stp_context *c, const struct stp_loc *loc,
				const struct stp_stat_spec *spec, const struct stp_stat_data *sd);
/* The same into any sink; sd must not be empty. */
STP_API void stp_stat_format_hist(struct stp_sink *s, const struct stp_stat_spec *spec,
				  const struct stp_stat_data *sd);

/* The log histogram's bucket of v, and the value a bucket is labelled. */
STP_API int stp_hist_log_bucket(int64_t v);
STP_API int64_t stp_hist_log_value(int bucket);

#endif
