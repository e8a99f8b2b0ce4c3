/* Counting interrupts: one signal event, one interrupt.
 *
 * stap passes every SIGINT, SIGTERM and SIGHUP it gets on to staprun with
 * sigqueue(), the value naming where the signal came from.  A signal sent
 * to the whole process group (Ctrl-C, kill -INT -PGID, a terminal hangup)
 * reaches staprun twice, directly and through stap; the two copies carry
 * the same origin and are counted once. */
#ifndef STAPRUN_INTERRUPTS_H
#define STAPRUN_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/types.h>

/* The sigqueue value stap forwards: the sender's pid for a signal a
 * process sent, INTR_FROM_KERNEL for one the kernel sent (si_code > 0:
 * the terminal's), INTR_FROM_STAP for stap's own (-T), which has no twin. */
#define INTR_FROM_KERNEL 0
#define INTR_FROM_STAP (-1)

/* How long a copy waits for its twin.  Both copies are made by one
 * kill(); stap passes its copy on within its signal handler. */
#define INTR_TWIN_MS 2000

/* Whether the signal just read (SIGINT, SIGTERM, SIGHUP) is a new
 * interrupt rather than the second copy of one already counted.  parent
 * is the process whose SI_QUEUE signals are forwarded copies (stap). */
bool intr_is_new(const struct signalfd_siginfo *si, pid_t parent, uint64_t now_ms);

#endif
