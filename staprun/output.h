/* Where probe output goes: stdout, or -o FILE with strftime(3) patterns
 * expanded when each file is opened, and with -S SIZE[,N] a switch to
 * FILE.0, FILE.1, ... before a record would pass SIZE (records are never
 * split across files), removing the oldest file past N.  SIGUSR2 switches
 * on demand: FILE, then FILE.1, FILE.2, ... */
#ifndef STAPRUN_OUTPUT_H
#define STAPRUN_OUTPUT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output;

/* pattern NULL: stdout.  Prints the error and returns NULL on failure. */
struct output *output_open(const char *pattern, uint64_t max_bytes, int max_files);
int output_write(struct output *o, const char *data, size_t len);	/* -1 on error */
int output_flush(struct output *o);
int output_switch(struct output *o);
/* errno of the write that failed, 0 if none; EPIPE means the reader left. */
int output_error(const struct output *o);
void output_close(struct output *o);

#endif
