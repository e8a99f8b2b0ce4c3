/* Probes on a program's own addresses: process("PATH").function(...),
 * .statement(...), .mark(...), .plt, .library(...) and their .return
 * forms.  The same table on both platforms: the kernel registers inode
 * uprobes (runtime/linux/uprobes.c), the ptrace platform writes int3
 * breakpoints into the targets (runtime/user/breakpoint*.c).
 *
 * Generated code lists every such probe once, with where it is in the file
 * (what translate/debuginfo.h gives: di_file_offset), and starts them after
 * stp_session_started(), next to stp_utrace_probes_start:
 *
 *	static const struct stp_uprobe stp_uprobes[] = {
 *		{ &probe_7, "/usr/bin/prog", 0x1139, 0x1139 },
 *		{ &probe_8, "/usr/bin/prog", 0x1139, 0x1139, .ret = 1 },
 *		{ &probe_9, "/usr/lib/libfoo.so", 0x2210, 0x2210, .sdt_sem = 0x4010 },
 *	};
 *	rc = stp_uprobes_start(stp_uprobes, 3);
 *	...
 *	stp_uprobes_stop();		// before stp_utrace_probes_stop
 *
 * Which processes: the -c/-x target and its descendants when there is a
 * target (stp_target_set), every process mapping the file otherwise; a
 * probe with .pid only that process.  Handlers run in the hit thread's
 * context with its registers as they are at the probed address (pc
 * included), which is what loc2c-generated code reads. */
#ifndef RUNTIME_UPROBES_H
#define RUNTIME_UPROBES_H

#include "runtime_defs.h"

struct stp_probe;
struct stp_context;
struct task_struct;
struct pt_regs;

struct stp_uprobe {
	const struct stp_probe *probe;
	const char *path;	/* the probed file's real path (symlinks resolved) */
	unsigned long offset;	/* file offset of the probed instruction */
	unsigned long vaddr;	/* its link-time address: the load bias is addr - vaddr */
	unsigned long sdt_sem;	/* file offset of the SDT semaphore, 0 for none */
	unsigned char ret;	/* a .return probe: offset is the function's entry */
	pid_t pid;		/* process(PID): only that process; 0: any target */
};

/* Arms the probes (may sleep): every target process that maps a probed
 * file now gets its breakpoints, and every one that maps it later.  The
 * table must outlive the probes.  0, -EINVAL (a malformed entry), -ENOENT
 * (a probed file does not exist), -ENOMEM, -EBUSY (already started), or
 * the platform's refusal. */
STP_API int stp_uprobes_start(const struct stp_uprobe *probes, unsigned int n);
/* Disarms: no handler runs after it returns; breakpoints, return
 * addresses and semaphores are put back, and the processes run on
 * unharmed. */
STP_API void stp_uprobes_stop(void);

/* ---- in a handler (c is its context) ---- */

/* The load bias of the probed file in the hit process (link-time address
 * + bias = address in the process): loc2c's l2c_frame.bias. */
STP_API unsigned long stp_uprobe_bias(const struct stp_context *c);
/* The probed address in the process (for .return: the function's entry). */
STP_API unsigned long stp_uprobe_addr(const struct stp_context *c);
/* .return: the address the function returns to; 0 in entry probes. */
STP_API unsigned long stp_uprobe_ret_addr(const struct stp_context *c);
/* The probe table entry that fired, or NULL outside uprobe handlers. */
STP_API const struct stp_uprobe *stp_uprobe_current(const struct stp_context *c);
/* The bias of another file of the hit process, by real path (loc2c's
 * l2c_frame.module_bias for @var("x@file", "lib")); *ok = 0 when it is not
 * mapped.  Only from a handler's thread. */
STP_API unsigned long stp_uprobe_module_bias(const char *path, int *ok);

/* For the unwinder: the real return address of a frame of thread t whose
 * return address, read at slot on the stack, is a pending .return's
 * replacement; 0 when t has no such instance. */
STP_API unsigned long stp_uprobe_real_return(struct task_struct *t, unsigned long slot);

/* ---- counters, for tests and the end-of-run summary ---- */
struct stp_uprobe_stats {
	long hits;		/* handlers' probe hits, entries and returns */
	long inserted;		/* breakpoints or uprobes placed (cumulative) */
	long removed;		/* taken out again */
	long ret_missed;	/* return probes skipped: too many instances pending */
	long ret_dropped;	/* instances dropped: longjmp/unwinding skipped their return */
	long sem_incs;		/* SDT semaphore increments (cumulative) */
	long failures;		/* placements that failed (warned once) */
};
STP_API void stp_uprobes_stats(struct stp_uprobe_stats *s);

/* Return instances a thread may have pending at once (SystemTap's
 * maxactive for uretprobes); deeper recursion misses its returns. */
#ifndef STP_UPROBE_MAXACTIVE
#define STP_UPROBE_MAXACTIVE 64
#endif

#endif
