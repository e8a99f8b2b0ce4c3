/* How staprun and stapio talk to the user: "ERROR: ..." and "WARNING: ..."
 * on stderr (colored with -C as stap does), -v progress lines, and syslog
 * once stapio runs detached (-D) with no terminal left. */
#ifndef STAPRUN_MSG_H
#define STAPRUN_MSG_H
#include <stdbool.h>
#include <stddef.h>

enum msg_color { COLOR_AUTO, COLOR_NEVER, COLOR_ALWAYS };

void msg_init(const char *prog, int verbose, enum msg_color color);
void msg_use_syslog(void);
/* Called before anything goes to stderr, so stdout output produced
 * earlier appears first when both reach one terminal or file. */
void msg_set_flush_hook(void (*hook)(void));

void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dbug(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text from the module: printed as is, a newline added when missing. */
void msg_text(bool error, const char *text, size_t len);
int msg_verbose(void);
/* ERROR lines printed so far, from staprun or from the module. */
int msg_errors(void);

#endif
