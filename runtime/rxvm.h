/* Regex matching for =~ and !~, and matched(n), matched_str(), ngroups().
 *
 * A Pike VM: all threads advance together over the subject, one step per
 * byte, so a match costs at most (length + 1) * instructions steps,
 * whatever the pattern; nothing is allocated (the scratch lives in the
 * context).  The match is the leftmost one and, among those, the longest
 * (POSIX); submatches are those of the highest-priority path that makes
 * that match (alternatives left first, quantifiers greedy).
 *
 * The context's scratch holds programs of up to STP_REGEX_MAX_INSNS
 * instructions and STP_REGEX_MAX_GROUPS groups; the translator defines
 * both for the script's largest regex. */
#ifndef RUNTIME_RXVM_H
#define RUNTIME_RXVM_H

#include "runtime_defs.h"
#include "rxprog.h"

struct stp_context;

#if MAXSTRINGLEN <= 32767
typedef int16_t stp_rx_off_t;
#else
typedef int32_t stp_rx_off_t;
#endif

#if STP_REGEX_MAX_INSNS > STP_RX_MAX_PROG || STP_REGEX_MAX_GROUPS < 1
#error "STP_REGEX_MAX_INSNS must be at most STP_RX_MAX_PROG, STP_REGEX_MAX_GROUPS at least 1"
#endif

#define STP_RX_NCAPS (2 * STP_REGEX_MAX_GROUPS)

struct stp_rx_thread {
	uint16_t pc;
	stp_rx_off_t caps[STP_RX_NCAPS];
};

struct stp_rx_list {
	uint32_t gen;		/* marks of this generation are on the list */
	uint32_t n;
	struct stp_rx_thread t[STP_REGEX_MAX_INSNS];
};

struct stp_rx_stack {
	uint16_t pc;		/* STP_RX_RESTORE: restore caps[slot] */
	uint16_t slot;
	stp_rx_off_t old;
};

struct stp_rx_scratch {
	uint32_t gen;
	uint32_t mark[STP_REGEX_MAX_INSNS];
	struct stp_rx_list list[2];
	struct stp_rx_stack stack[2 * STP_REGEX_MAX_INSNS + 2];
	stp_rx_off_t caps[STP_RX_NCAPS];
};

/* Runs rx over s[0..len): 1 with the groups' offsets in caps (2 per
 * group, -1 for a group that took no part), or 0.  rx must fit the
 * scratch (stp_regex_fits). */
STP_API int stp_rx_exec(const struct stp_regex *rx, struct stp_rx_scratch *sc, const char *s,
			size_t len, stp_rx_off_t *caps);
STP_API bool stp_regex_fits(const struct stp_regex *rx);

/* s =~ rx: 1 or 0, and the match is remembered in c for matched(n);
 * -1 with an error when rx does not fit this module's scratch. */
STP_API int stp_regex_match(struct stp_context *c, const struct stp_loc *loc,
			    const struct stp_regex *rx, const char *s);

/* matched(n) into dst (MAXSTRINGLEN bytes); "" for a group that took no
 * part.  Errors as SystemTap: "Attempted to get subexpression N from
 * failed match", "Attempted to get nonexistent subexpression N". */
STP_API void stp_regex_matched(struct stp_context *c, const struct stp_loc *loc, int64_t n,
			       char *dst);
/* ngroups(): groups of the last successful match, group 0 included. */
STP_API int64_t stp_regex_ngroups(struct stp_context *c, const struct stp_loc *loc);

#endif
