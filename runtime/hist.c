/* Printing histograms in SystemTap's layout:
 *
 *     value |-------------------------------------------------- count
 *         2 |                                                   0
 *         4 |@@@@@@@@@@                                        10
 *         8 |@@                                                 2
 *        16 |                                                   0
 *
 * - the value column is as wide as the widest label, at least "value";
 * - up to two empty buckets are shown on each side of the data (a log
 *   histogram of positive values stops at 0; a linear one shows its
 *   under/overflow buckets, labelled <start and >last, only when used);
 * - bars are HIST_WIDTH '@' for the largest count, scaled down (rounding
 *   the scale up) when that count exceeds HIST_WIDTH;
 * - a row whose neighbours within HIST_ELISION rows are all empty is left
 *   out, and a "~" row marks each run left out;
 * - a blank line ends the histogram. */
#include "stat.h"
#include "print.h"
#include "context.h"
#include "arith.h"

/* Characters of v in decimal, with its sign. */
static int _stp_hist_digits(int64_t v)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int n = v < 0 ? 1 : 0;

	do {
		n++;
		u /= 10;
	} while (u);
	return n;
}

static int64_t _stp_hist_label(const struct stp_stat_spec *spec, int nb, int i,
			       const char **prefix)
{
	*prefix = "";
	if (spec->hist_type == STP_HIST_LOG)
		return stp_hist_log_value(i);
	if (i == 0) {
		*prefix = "<";
		return spec->start;
	}
	if (i == nb - 1) {
		*prefix = ">";
		return stp_add64(spec->start, stp_mul64(i - 2, spec->interval));
	}
	return stp_add64(spec->start, stp_mul64(i - 1, spec->interval));
}

static bool _stp_hist_elide(const struct stp_stat_data *sd, int nb, int low, int high, int i)
{
	int k, span = HIST_ELISION < nb ? HIST_ELISION : nb;
	int from = i - span > low ? i - span : low;
	int to = i + span < high ? i + span : high;

	if (HIST_ELISION < 0)
		return false;
	for (k = from; k <= to; k++)
		if (sd->hist[k])
			return false;
	return true;
}

STP_API void stp_stat_format_hist(struct stp_sink *s, const struct stp_stat_spec *spec,
				  const struct stp_stat_data *sd)
{
	int nb = stp_stat_nbuckets(spec);
	int low = -1, high = 0, i, k, under = 0, over = 0;
	int val_space, cnt_space;
	int64_t valmax = 0, scale;
	bool eliding = false;

	if (nb <= 0)
		return;
	for (i = 0; i < nb; i++) {
		if (sd->hist[i] > 0) {
			if (low < 0)
				low = i;
			high = i;
		}
		if (sd->hist[i] > valmax)
			valmax = sd->hist[i];
	}
	if (low < 0)
		low = 0;
	for (k = 0; k < 2; k++) {
		if (spec->hist_type == STP_HIST_LOG) {
			if (low != HIST_LOG_BUCKET0 && low > 0)
				low--;
		} else if (low > 0) {
			low--;
		}
		if (high < nb - 1)
			high++;
	}
	if (spec->hist_type == STP_HIST_LINEAR) {
		if (low == 0 && sd->hist[0] == 0)
			low++;
		if (high == nb - 1 && sd->hist[high] == 0)
			high--;
		under = low == 0;
		over = high == nb - 1;
	}
	scale = valmax <= HIST_WIDTH ? 1 : (valmax + HIST_WIDTH - 1) / HIST_WIDTH;
	cnt_space = _stp_hist_digits(valmax);
	if (spec->hist_type == STP_HIST_LINEAR) {
		/* SystemTap sizes the column from start + interval * high, one
		 * interval past the last label; kept for identical layout. */
		int a = _stp_hist_digits(spec->start) + under;
		int b = _stp_hist_digits(stp_add64(spec->start, stp_mul64(spec->interval, high)))
			+ over;

		val_space = a > b ? a : b;
	} else {
		int a = _stp_hist_digits(stp_hist_log_value(high));
		int b = _stp_hist_digits(stp_hist_log_value(low));

		val_space = a > b ? a : b;
	}
	if (val_space < 5)
		val_space = 5;

	stp_fmt_string(s, "value", val_space, STP_FMT_NONE, 0);
	stp_sink_write(s, " |", 2);
	stp_sink_fill(s, '-', HIST_WIDTH);
	stp_sink_write(s, " count\n", 7);

	for (i = low; i <= high; i++) {
		const char *prefix;
		int64_t val, bars;

		if (_stp_hist_elide(sd, nb, low, high, i)) {
			eliding = true;
			continue;
		}
		if (eliding) {
			stp_sink_fill(s, ' ', (size_t)val_space);
			stp_sink_write(s, " ~\n", 3);
			eliding = false;
		}
		val = _stp_hist_label(spec, nb, i, &prefix);
		stp_fmt_string(s, prefix, val_space - _stp_hist_digits(val), STP_FMT_NONE, 0);
		stp_fmt_number(s, (uint64_t)val, 10, STP_FMT_NONE, STP_FMT_NONE, STP_FMT_SIGN);
		stp_sink_write(s, " |", 2);
		bars = sd->hist[i] / scale;
		stp_sink_fill(s, '@', (size_t)bars);
		stp_fmt_number(s, (uint64_t)sd->hist[i], 10, (int)(HIST_WIDTH - bars + 1 + cnt_space),
			       STP_FMT_NONE, STP_FMT_SIGN);
		stp_sink_putc(s, '\n');
	}
	stp_sink_putc(s, '\n');
}

STP_API int stp_stat_print_hist(struct stp_context *c, const struct stp_loc *loc,
				const struct stp_stat_spec *spec, const struct stp_stat_data *sd)
{
	struct stp_sink s;

	if (!sd || !sd->count) {
		stp_error(c, loc, "empty aggregate");
		return -1;
	}
	stp_print_begin(c, &s);
	stp_stat_format_hist(&s, spec, sd);
	stp_print_end(c, &s);
	return 0;
}
