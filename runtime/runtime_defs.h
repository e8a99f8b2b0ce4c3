/* Limits and basic definitions of the runtime core.
 *
 * Every limit is a macro the user may override with stap -DNAME=VALUE;
 * the defaults are SystemTap's, so scripts tuned for SystemTap behave the
 * same here.  This header needs nothing but the compiler: the platform
 * headers and the core include it first. */
#ifndef RUNTIME_RUNTIME_DEFS_H
#define RUNTIME_RUNTIME_DEFS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#endif

/* Strings hold backtraces, which are longer on 64-bit machines. */
#ifndef MAXSTRINGLEN
#if defined(__LP64__) || defined(_LP64)
#define MAXSTRINGLEN 512
#else
#define MAXSTRINGLEN 256
#endif
#endif

/* Nested function calls; the translator raises it for recursive scripts. */
#ifndef MAXNESTING
#define MAXNESTING 10
#endif

#ifndef MAXACTION
#define MAXACTION 1000
#endif
#ifndef MAXACTION_INTERRUPTIBLE
#define MAXACTION_INTERRUPTIBLE (MAXACTION * 10)
#endif

/* Lock attempts on a global before the probe is skipped, and the pause
 * between two attempts in microseconds: 10 ms in all by default.  1000 is
 * the default SystemTap documents (stap(1)); its runtime uses 100. */
#ifndef MAXTRYLOCK
#define MAXTRYLOCK 1000
#endif
#ifndef TRYLOCKDELAY
#define TRYLOCKDELAY 10
#endif

#ifndef MAXMAPENTRIES
#define MAXMAPENTRIES 2048
#endif
#ifndef MAXERRORS
#define MAXERRORS 0
#endif
#ifndef MAXSKIPPED
#define MAXSKIPPED 100
#endif
#ifndef MINSTACKSPACE
#define MINSTACKSPACE 1024
#endif
#ifndef MAXBACKTRACE
#define MAXBACKTRACE 20
#endif

/* One probe handler's output is buffered up to this many bytes per CPU;
 * a fuller buffer is sent early as a record of its own. */
#ifndef STP_BUFFER_SIZE
#define STP_BUFFER_SIZE 8192
#endif

/* Histograms: linear ones have at most STP_MAX_BUCKETS buckets including
 * the under- and overflow buckets; printing uses HIST_WIDTH columns of '@'
 * and elides runs of empty buckets longer than twice HIST_ELISION
 * (negative: never elide). */
#ifndef STP_MAX_BUCKETS
#define STP_MAX_BUCKETS 128
#endif
#ifndef HIST_WIDTH
#define HIST_WIDTH 50
#endif
#ifndef HIST_ELISION
#define HIST_ELISION 2
#endif
#define HIST_LOG_BUCKETS 128
#define HIST_LOG_BUCKET0 64

/* Arrays have at most this many index expressions. */
#define STP_MAX_KEYS 9

/* Scratch the regex matcher keeps in each context.  The translator
 * defines both from the largest regex of the script; a module whose
 * regexes are larger reports an error at the match instead of
 * overrunning. */
#ifndef STP_REGEX_MAX_INSNS
#define STP_REGEX_MAX_INSNS 256
#endif
#ifndef STP_REGEX_MAX_GROUPS
#define STP_REGEX_MAX_GROUPS 10
#endif

#if MAXSTRINGLEN < 2 || MAXNESTING < 1 || MAXMAPENTRIES < 1 || STP_BUFFER_SIZE < 64
#error "MAXSTRINGLEN, MAXNESTING, MAXMAPENTRIES or STP_BUFFER_SIZE is too small"
#endif
#if STP_MAX_BUCKETS < 3
#error "STP_MAX_BUCKETS must be at least 3"
#endif

#define STP_INT64_MAX ((int64_t)0x7fffffffffffffffLL)
#define STP_INT64_MIN (-STP_INT64_MAX - 1)

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* The core is included into the one translation unit of a module, so its
 * functions are static; generated code uses only some of them. */
#define STP_API static __attribute__((__unused__))

/* On a function of the traced-syscall path: every call it makes is
 * inlined, down to what other units define.  Under TCG a call and its
 * return cost about as much as a short function's body, and the path
 * had a dozen. */
#define STP_HOT __attribute__((__flatten__))

#define STP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A source location for error messages, built by the translator:
 * near is what SystemTap prints after "near", e.g. "operator '/'". */
struct stp_loc {
	const char *near;
	const char *file;
	unsigned int line;
	unsigned int col;
};

#endif
