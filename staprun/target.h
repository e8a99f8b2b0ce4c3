/* The -c command of a kernel-module run: forked before START so its pid
 * can travel in START, held before exec until the probes are armed. */
#ifndef STAPRUN_TARGET_H
#define STAPRUN_TARGET_H
#include <sys/types.h>

/* Returns the pid (the gate's write end in *gate), or -1 with the error
 * printed. */
pid_t target_fork_held(const char *cmd, int *gate);
void target_release(int gate);
/* Restores what a child running user code must start with: default
 * signal dispositions, an empty mask, the real user's identity. */
void child_reset(void);

#endif
