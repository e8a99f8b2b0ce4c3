/* Shared by the pt-harness files (see pt-harness.c). */
#ifndef PT_HARNESS_H
#define PT_HARNESS_H

#include "runtime/user/utrace_int.h"

extern pid_t target;		/* the -c target of this run */
extern int target_status;	/* its wait status, once it ended */
extern int target_errno;
extern int failures;

void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Prints "ok - what" or "FAIL - what (details)". */
void check(bool ok, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void print_status(void);
struct task_struct *spawn(char **argv);
void run(void);
struct utrace_engine *attach(struct task_struct *t, const struct utrace_engine_ops *ops,
			     void *data, unsigned long events);

int do_sem(const char *name, const char *target_prog);
int do_attach_serve(long k, int nthreads, const char *target_prog);
int do_detach_one(long k, const char *target_prog);
int do_already(const char *target_prog);
int do_attach_pid(pid_t pid);
int do_eperm_reasons(void);
int do_seccomp_keep(const char *target_prog);

#endif
