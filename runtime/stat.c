/* Statistics: per-CPU accumulation and merging. */
#include "stat.h"
#include "context.h"
#include "arith.h"

STP_API int stp_stat_nbuckets(const struct stp_stat_spec *spec)
{
	int64_t n;

	switch (spec->hist_type) {
	case STP_HIST_LOG:
		return HIST_LOG_BUCKETS;
	case STP_HIST_LINEAR:
		if (spec->interval <= 0 || spec->stop < spec->start)
			return -1;
		n = (int64_t)(((uint64_t)spec->stop - (uint64_t)spec->start)
			      / (uint64_t)spec->interval);
		if (n < 0 || n > STP_MAX_BUCKETS - 3)
			return -1;
		return (int)n + 3;
	default:
		return 0;
	}
}

STP_API size_t stp_stat_data_size(const struct stp_stat_spec *spec)
{
	int n = stp_stat_nbuckets(spec);

	return sizeof(struct stp_stat_data) + (n > 0 ? (size_t)n : 0) * sizeof(int64_t);
}

STP_API void stp_stat_data_clear(const struct stp_stat_spec *spec, struct stp_stat_data *sd)
{
	memset(sd, 0, stp_stat_data_size(spec));
}

STP_API int stp_hist_log_bucket(int64_t v)
{
	uint64_t u;
	int bits;

	if (v == 0)
		return HIST_LOG_BUCKET0;
	u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	bits = 64 - __builtin_clzll(u);
	return v < 0 ? HIST_LOG_BUCKET0 - bits : HIST_LOG_BUCKET0 + bits;
}

STP_API int64_t stp_hist_log_value(int bucket)
{
	if (bucket == HIST_LOG_BUCKET0)
		return 0;
	if (bucket < HIST_LOG_BUCKET0)	/* -(2^(63 - bucket)), down to INT64_MIN */
		return (int64_t)(~(uint64_t)0 << (63 - bucket));
	return (int64_t)1 << (bucket - HIST_LOG_BUCKET0 - 1);
}

static int _stp_hist_linear_bucket(const struct stp_stat_spec *spec, int nb, int64_t v)
{
	int64_t off;
	uint64_t idx;

	if (__builtin_sub_overflow(v, spec->start, &off))
		return v < 0 ? 0 : nb - 1;
	if (off < 0)
		return 0;
	idx = (uint64_t)off / (uint64_t)spec->interval + 1;
	return idx >= (uint64_t)nb - 1 ? nb - 1 : (int)idx;
}

STP_API void stp_stat_data_add(const struct stp_stat_spec *spec, struct stp_stat_data *sd,
			       int64_t v)
{
	int shift = spec->bit_shift;
	int nb;

	if (sd->count == 0) {
		sd->count = 1;
		sd->sum = sd->min = sd->max = v;
		sd->avg_s = stp_shl64(v, shift);
		sd->m2 = 0;
	} else {
		sd->count++;
		sd->sum = stp_add64(sd->sum, v);
		if (v > sd->max)
			sd->max = v;
		if (v < sd->min)
			sd->min = v;
		if (spec->want_variance) {
			int64_t vs = stp_shl64(v, shift);
			int64_t delta = stp_sub64(vs, sd->avg_s);

			sd->avg_s = stp_add64(sd->avg_s, stp_sdiv64(delta, sd->count));
			sd->m2 = stp_add64(sd->m2, stp_mul64(delta, stp_sub64(vs, sd->avg_s)));
			sd->variance_s = stp_sdiv64(sd->m2, sd->count - 1);
		}
	}
	switch (spec->hist_type) {
	case STP_HIST_LOG:
		sd->hist[stp_hist_log_bucket(v)]++;
		break;
	case STP_HIST_LINEAR:
		nb = stp_stat_nbuckets(spec);
		if (nb > 0)
			sd->hist[_stp_hist_linear_bucket(spec, nb, v)]++;
		break;
	}
}

STP_API void stp_stat_agg_merge(const struct stp_stat_spec *spec, struct stp_stat_data *agg,
				const struct stp_stat_data *part)
{
	int i, nb = stp_stat_nbuckets(spec);

	if (!part->count)
		return;
	if (!agg->count) {
		agg->min = part->min;
		agg->max = part->max;
	}
	agg->count += part->count;
	agg->sum = stp_add64(agg->sum, part->sum);
	if (part->max > agg->max)
		agg->max = part->max;
	if (part->min < agg->min)
		agg->min = part->min;
	for (i = 0; i < nb; i++)
		agg->hist[i] += part->hist[i];
	/* The mean the second pass measures the parts against. */
	agg->avg_s = stp_sdiv64(stp_shl64(agg->sum, spec->bit_shift), agg->count);
}

/* Total variance: sum of n_i (mean_i - mean)^2 plus sum of (n_i - 1)
 * var_i, accumulated in agg->m2. */
STP_API void stp_stat_agg_variance(const struct stp_stat_spec *spec,
				   struct stp_stat_data *agg, const struct stp_stat_data *part)
{
	int64_t d;

	(void)spec;
	if (!part->count)
		return;
	d = stp_sub64(part->avg_s, agg->avg_s);
	agg->m2 = stp_add64(agg->m2, stp_mul64(stp_mul64(part->count, d), d));
	agg->m2 = stp_add64(agg->m2, stp_mul64(part->count - 1, part->variance_s));
}

STP_API void stp_stat_agg_finish(const struct stp_stat_spec *spec, struct stp_stat_data *agg)
{
	agg->variance_s = agg->count > 1 ? stp_sdiv64(agg->m2, agg->count - 1) : 0;
	agg->variance = agg->variance_s >> (2 * spec->bit_shift);
}

STP_API int stp_stat_init(struct stp_stat *s, const struct stp_stat_spec *spec)
{
	unsigned int ncpus = stp_ncpus();

	memset(s, 0, sizeof(*s));
	if (stp_stat_nbuckets(spec) < 0 || spec->bit_shift > 62)
		return -EINVAL;
	s->spec = spec;
	s->data_size = stp_stat_data_size(spec);
	s->pcpu = stp_alloc(s->data_size * ncpus);
	s->agg = stp_alloc(s->data_size);
	if (!s->pcpu || !s->agg) {
		stp_stat_free(s);
		return -ENOMEM;
	}
	return 0;
}

STP_API void stp_stat_free(struct stp_stat *s)
{
	stp_free(s->pcpu);
	stp_free(s->agg);
	s->pcpu = NULL;
	s->agg = NULL;
}

static struct stp_stat_data *_stp_stat_part(struct stp_stat *s, unsigned int cpu)
{
	return (struct stp_stat_data *)(void *)(s->pcpu + (size_t)cpu * s->data_size);
}

STP_API void stp_stat_add(struct stp_context *c, struct stp_stat *s, int64_t v)
{
	stp_stat_data_add(s->spec, _stp_stat_part(s, c->cpu), v);
}

STP_API const struct stp_stat_data *stp_stat_get(struct stp_stat *s)
{
	unsigned int cpu, ncpus = stp_ncpus();

	stp_stat_data_clear(s->spec, s->agg);
	for (cpu = 0; cpu < ncpus; cpu++)
		stp_stat_agg_merge(s->spec, s->agg, _stp_stat_part(s, cpu));
	if (s->spec->want_variance)
		for (cpu = 0; cpu < ncpus; cpu++)
			stp_stat_agg_variance(s->spec, s->agg, _stp_stat_part(s, cpu));
	stp_stat_agg_finish(s->spec, s->agg);
	return s->agg;
}

STP_API void stp_stat_clear(struct stp_stat *s)
{
	memset(s->pcpu, 0, s->data_size * stp_ncpus());
	stp_stat_data_clear(s->spec, s->agg);
}

STP_API int64_t stp_stat_extract(struct stp_context *c, const struct stp_loc *loc,
				 const struct stp_stat_data *sd, int agg)
{
	if (!sd || !sd->count) {
		if (agg == STP_AGG_COUNT || agg == STP_AGG_SUM)
			return 0;
		stp_error(c, loc, "empty aggregate");
		return 0;
	}
	switch (agg) {
	case STP_AGG_COUNT:
		return sd->count;
	case STP_AGG_SUM:
		return sd->sum;
	case STP_AGG_MIN:
		return sd->min;
	case STP_AGG_MAX:
		return sd->max;
	case STP_AGG_AVG:
		return stp_sdiv64(sd->sum, sd->count);
	default:
		return sd->variance;
	}
}

STP_API int64_t stp_stat_bucket(struct stp_context *c, const struct stp_loc *loc,
				const struct stp_stat_spec *spec, const struct stp_stat_data *sd,
				int64_t i)
{
	if (!sd || !sd->count) {
		stp_error(c, loc, "empty aggregate");
		return 0;
	}
	if (i < 0 || i >= stp_stat_nbuckets(spec)) {
		stp_error(c, loc, "histogram index out of range");
		return 0;
	}
	return sd->hist[i];
}
