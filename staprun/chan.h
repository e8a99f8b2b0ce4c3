/* The two channel kinds stapio reads (see stapio.h). */
#ifndef STAPRUN_CHAN_H
#define STAPRUN_CHAN_H
#include "stapio.h"

#define STAP_DEBUGFS "/sys/kernel/debug"
#define STAP_DEBUGFS_DIR STAP_DEBUGFS "/systemtap"

/* Opens /sys/kernel/debug/systemtap/NAME/ctl (mounting debugfs when it
 * is not mounted); the relay files are opened when READY arrives.
 * Prints the error and returns NULL on failure; *busy tells that another
 * staprun holds the module. */
struct chan *chan_kernel_open(const char *modname);
/* The stapio end of the tracer's socket. */
struct chan *chan_user_open(int fd);

#endif
