/* The regex compiler: POSIX extended regular expressions, as SystemTap
 * documents them for =~ and !~, compiled at translate time into a program
 * for the runtime's Pike VM (runtime/rxvm.c), which the code generator
 * emits as static C data.
 *
 * Syntax: literals, ., [...] bracket expressions (ranges, negation,
 * [:class:], [=c=], [.c.]), ^ and $ anchors, ( ) groups, | alternation,
 * * + ? {n} {n,} {n,m} repetition (counts up to RX_DUP_MAX), and \c for a
 * literal c (\n \t \r \f \v \a are the control characters).  There are no
 * back-references: \1 .. \9 are rejected rather than silently matching a
 * digit.
 *
 * A standalone library: it needs libc and runtime/rxprog.h only. */
#ifndef TRANSLATE_REGEX_H
#define TRANSLATE_REGEX_H

#include <stddef.h>
#include <stdio.h>
#include "runtime/rxprog.h"

#define RX_DUP_MAX 1000
#define RX_MAX_GROUPS 255

struct rx_prog {
	struct stp_rx_insn *insns;
	unsigned int ninsns;
	uint8_t (*classes)[32];
	unsigned int nclasses;
	unsigned int ngroups;	/* capture groups, group 0 (the whole match) included */
	unsigned int flags;	/* STP_RX_ANCHORED */
};

struct rx_error {
	int pos;		/* offset in the pattern, or -1 */
	char msg[160];
};

/* Compiles pattern; 0, or -1 with err filled (prog then empty). */
int rx_compile(const char *pattern, struct rx_prog *prog, struct rx_error *err);
void rx_prog_free(struct rx_prog *prog);

/* The message SystemTap users know, without a trailing newline:
 * "regex compilation error (at position 2): unbalanced ')'", or without
 * the position part when err->pos < 0. */
void rx_error_format(const struct rx_error *err, char *buf, size_t len);

/* A runtime view of prog (pointing into it), to run it in this process. */
void rx_prog_view(const struct rx_prog *prog, const char *pattern, struct stp_regex *out);

/* Emits prog as static const C definitions: NAME_insns, NAME_classes (when
 * there are classes) and `static const struct stp_regex NAME`.  The
 * generated code defines STP_REGEX_MAX_INSNS / STP_REGEX_MAX_GROUPS as at
 * least the largest ninsns / ngroups it emits. */
void rx_emit_c(FILE *out, const struct rx_prog *prog, const char *pattern, const char *name);

#endif
