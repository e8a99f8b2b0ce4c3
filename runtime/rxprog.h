/* A compiled regular expression, as translate/regex.c produces it and
 * the runtime's matcher (rxvm.c) runs it: a program for a Pike VM.
 *
 * The translator emits each regex of a script as static const data of
 * these types (rx_emit_c), so this header is shared by both sides and
 * needs nothing but the compiler. */
#ifndef RUNTIME_RXPROG_H
#define RUNTIME_RXPROG_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

enum stp_rx_op {
	STP_RX_CHAR,	/* the byte ch */
	STP_RX_ANY,	/* any byte (.) */
	STP_RX_CLASS,	/* a byte in classes[x] ([...]) */
	STP_RX_SPLIT,	/* continue at x, and at y with lower priority */
	STP_RX_JMP,	/* continue at x */
	STP_RX_SAVE,	/* record the position in capture slot x */
	STP_RX_BOL,	/* ^: at the start of the subject */
	STP_RX_EOL,	/* $: at the end of the subject */
	STP_RX_MATCH,
};

struct stp_rx_insn {
	uint8_t op;
	uint8_t ch;
	uint16_t x;
	uint16_t y;
};

/* The pattern can only match at offset 0 (it starts with ^). */
#define STP_RX_ANCHORED 0x1

/* Programs stay below this many instructions, so indexes fit in 16 bits
 * and the matcher's scratch stays small. */
#define STP_RX_MAX_PROG 8192

struct stp_regex {
	const char *pattern;		/* the source text, for messages */
	const struct stp_rx_insn *insns;
	const uint8_t (*classes)[32];	/* 256-bit sets, bit b of byte b / 8 */
	uint16_t ninsns;
	uint16_t nclasses;
	uint16_t ngroups;		/* capture groups including group 0 */
	uint16_t flags;
};

#endif
