/* What the runtime core needs from the transport: the transport files of
 * runtime/linux and runtime/user implement these two functions.  The unit tests
 * implement them too, to capture what the core sends.
 *
 * Both may be called in probe context (preemption disabled, maybe in an
 * interrupt): they must not sleep and must not call back into the core. */
#ifndef RUNTIME_TRANSPORT_HOOKS_H
#define RUNTIME_TRANSPORT_HOOKS_H

#include "runtime_defs.h"
#include "transport/protocol.h"

/* Sends len bytes of probe output as one record.  The transport adds the
 * struct stp_record header (sequence number, length, CPU).  Returns 0, or
 * -errno when the record could not be queued; the transport itself counts
 * and reports lost records, so the core does not retry. */
int stp_transport_record(const char *data, size_t len);

/* Sends a control message: STP_MSG_WARNING or STP_MSG_ERROR with text
 * (no "WARNING: "/"ERROR: " prefix and no trailing newline: stapio adds
 * both), or STP_MSG_REQUEST_EXIT with no text (len 0).  Returns 0 or
 * -errno. */
int stp_transport_ctl(unsigned int type, const char *text, size_t len);

/* For target() and the task finder (generated code calls these only when
 * it includes task_info.c): the -c command's pid or the -x PID, 0 when
 * neither, and whether that target is a -c command held before its exec
 * until the probes are armed.  Valid from stp_probes_start on. */
stp_s32 stp_transport_target_pid(void);
bool stp_transport_target_held(void);

#endif
