/* What the runtime core and the generated code see of the transport, on
 * both platforms.  The wire format is in protocol.h; the platform halves
 * are runtime/linux/transport*.c and runtime/user/transport*.c.
 *
 * Both functions below may be called from probe context: they never sleep
 * and never take a lock a probe could already hold (kernel: not from NMI;
 * such calls are counted as lost). */
#ifndef RUNTIME_TRANSPORT_TRANSPORT_H
#define RUNTIME_TRANSPORT_TRANSPORT_H

#include "protocol.h"

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* Defined by the generated code (see doc/design.md, module lifecycle).
 * The transport calls stp_probes_start once when stapio sends START and
 * stp_probes_stop once when stapio sends STOP, or at unload if the probes
 * are still armed then.  Both run in process context and may sleep. */
int stp_probes_start(void);
void stp_probes_stop(void);

/* One whole record of probe output: the core calls it once per flushed
 * buffer.  The transport adds the stp_record header (global sequence
 * number, cpu).  A record is delivered whole or not at all: 0 when it was
 * queued, -ENOSPC when the buffer was full, -E2BIG when len exceeds
 * stp_transport_max_record(); dropped records are counted and stapio
 * reports them as "WARNING: N messages lost". */
int stp_transport_record(const char *data, size_t len);

/* Largest len stp_transport_record accepts (kernel: a relay sub-buffer
 * less the header, at least 4080 bytes; user: 64 KiB). */
size_t stp_transport_max_record(void);

/* A control message to stapio: STP_MSG_WARNING, STP_MSG_ERROR (counted:
 * stapio exits 1), STP_MSG_SYSTEM (a command for system()) with text of
 * len bytes (no NUL needed, cut at STP_CTL_TEXT_MAX), or
 * STP_MSG_REQUEST_EXIT (text ignored).  stapio prints WARNING and ERROR
 * text after every record produced before the call.  0, or -EINVAL for
 * another type, -ENOSPC when the control queue was full (counted). */
int stp_transport_ctl(unsigned type, const char *text, size_t len);

/* The -c command's pid or the -x PID, 0 when neither: target() in the
 * script.  Valid from stp_probes_start on. */
stp_s32 stp_transport_target_pid(void);
/* Whether that target is a -c command held before its exec until the
 * probes are armed (its first process.begin is then at the exec). */
bool stp_transport_target_held(void);

#ifdef __KERNEL__
/* The kernel platform's module_init calls stp_transport_init last (after
 * everything probes need is ready) and its module_exit calls
 * stp_transport_exit first.  init creates /sys/kernel/debug/systemtap/
 * MODNAME/ with ctl and trace0..N; 0 or -errno, nothing left on error. */
int stp_transport_init(void);
void stp_transport_exit(void);
#endif

#endif
