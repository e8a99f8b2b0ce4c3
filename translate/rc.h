/* $SYSTEMTAP_DIR/rc: options read before the command line's. */
#ifndef TRANSLATE_RC_H
#define TRANSLATE_RC_H
#include "translate/session.h"

typedef struct RcWords {
	StrList words;
	int *lines;		/* the line each word starts on */
} RcWords;

/* The rc file's path: $SYSTEMTAP_DIR/rc, or ~/.systemtap/rc. */
const char *rc_systemtap_dir(void);

/* Splits the rc file into words.  A missing file gives no words.  Returns
 * false after printing one line on stderr naming the file and line. */
bool rc_read(const char *path, RcWords *out);

/* The same splitting on a string, for tests and for rc_read; *line is the
 * line the text starts on and advances over it.  On error, returns false
 * with the reason in err (without file or line). */
bool rc_split(const char *text, RcWords *out, int *line, char *err, size_t errsz);

#endif
