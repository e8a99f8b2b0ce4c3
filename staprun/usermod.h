/* User-platform modules: a tracer child that dlopen()s the .so and runs
 * stp_user_main on one end of a socketpair (runtime/user/transport.h). */
#ifndef STAPRUN_USERMOD_H
#define STAPRUN_USERMOD_H
#include "options.h"
#include <sys/types.h>

/* Forks the tracer; returns its pid and the parent's end in *fd, or -1
 * with the error printed. */
pid_t usermod_spawn(const char *path, const struct options *o, int *fd);

#endif
