/* The ptrace platform's half of runtime/uprobes.h: int3 breakpoints the
 * tracer writes into its targets' text, shared between breakpoint*.c only.
 * doc/uprobes.md tells the story; in short:
 *
 * - A "site" is one probed instruction of one file (every probe on the
 *   same file offset shares it), plus one site per process for the
 *   dynamic linker's _dl_debug_state, which ld.so calls after every change
 *   to its list of objects: there the tracer reads /proc/PID/maps again
 *   and places the breakpoints of files mapped since (dlopen) or forgets
 *   those of files unmapped.
 * - A hit is a SIGTRAP whose pc - 1 is one of the process's breakpoints.
 *   The pc goes back to the probed address, the handlers run, then the
 *   thread steps over the original instruction (put back for the step
 *   only) while every other thread of the process is stopped, and the
 *   int3 goes back in.  See breakpoint_step.c for why.
 * - A .return probe replaces the return address on the stack at the
 *   function's entry with STP_BP_TRAMPOLINE, a kernel address: the return
 *   faults there (SIGSEGV, pc at the trampoline, sp just above the slot),
 *   the handlers run and the pc becomes the real return address. */
#ifndef RUNTIME_USER_BREAKPOINT_H
#define RUNTIME_USER_BREAKPOINT_H

#include "utrace_int.h"

/* Where replaced return addresses point.  In the kernel's half, so a
 * return there faults at once with the pc on it, and no code of the
 * target is touched. */
#define STP_BP_TRAMPOLINE 0xffffffffffff0000UL

#define STP_BP_INT3 0xcc

/* A probed file: matched to mappings by device and inode (so a path
 * through another symlink still matches), or by path. */
struct ut_bp_file {
	const char *path;
	unsigned long dev;	/* makedev() of st_dev */
	unsigned long ino;
};

/* One probed instruction of one file, and the probes on it. */
struct ut_bp_site {
	int file;			/* index in ut_bp.files */
	unsigned long offset;		/* in the file */
	unsigned long vaddr;		/* link-time address */
	unsigned int first, n;		/* its probes: ut_bp.order[first .. first+n) */
	bool has_entry, has_ret;
};

enum {
	UT_BP_PROBE,		/* a site's breakpoint */
	UT_BP_RBRK,		/* the dynamic linker's _dl_debug_state */
};

/* A breakpoint placed in one process. */
struct ut_bp_ins {
	unsigned long addr;
	int site;		/* UT_BP_PROBE: index in ut_bp.sites */
	unsigned char kind;
	unsigned char orig;	/* the byte the int3 replaced */
	bool seen;		/* still mapped at the last scan */
};

/* An SDT semaphore this process had incremented. */
struct ut_bp_sem {
	unsigned long addr;
	int count;		/* increments made (one per probe using it) */
	bool seen;
};

struct ut_bp_thread;

/* The breakpoint state of one process (thread group). */
struct ut_bp_proc {
	pid_t tgid;
	struct ut_bp_proc *next;
	int memfd;			/* /proc/TGID/mem, reopened at exec */
	bool wanted;			/* a target of some probe */
	struct ut_bp_ins *ins;
	int nins, capins;
	struct ut_bp_sem *sems;
	int nsems, capsems;
	/* Addresses taken out while a hit on them may still be on its way
	 * (a SIGTRAP raised but not collected yet): such a trap is ours. */
	unsigned long *gone;
	int ngone, capgone;
	/* Stepping: one thread at a time steps, with every other stopped. */
	struct ut_bp_thread *stepper;	/* stepping now */
	struct ut_bp_thread *waiters;	/* want to step, in hit order */
	bool freezing;			/* stepper or waiters: others stay stopped */
};

/* A pending .return: where the return address was and what it was. */
struct ut_bp_ret {
	unsigned long slot;		/* stack address of the return address */
	unsigned long orig;		/* the real return address */
	unsigned long func;		/* the function's entry in the process */
	int site;
};

enum {
	UT_BPT_NONE,
	UT_BPT_WANT_STEP,	/* hit: waits for its turn to step over orig */
	UT_BPT_STEPPING,	/* PTRACE_SINGLESTEP with the original byte back */
};

struct ut_bp_thread {
	pid_t tid;
	struct ut_bp_thread *next;	/* ut_bp.threads */
	struct ut_bp_thread *wnext;	/* proc->waiters */
	struct task_struct *task;	/* a reference while the record lives */
	unsigned char state;		/* UT_BPT_* */
	bool frozen;			/* kept stopped for another thread's step */
	unsigned long step_addr;	/* the breakpoint it steps over */
	int stashed_sig;		/* a signal that came during the step */
	struct ut_bp_ret rets[STP_UPROBE_MAXACTIVE];
	int nrets;
};

static struct {
	struct ut_bp_file *files;
	int nfiles;
	struct ut_bp_site *sites;
	int nsites;
	unsigned int *order;		/* probe indices grouped by site */
	struct ut_bp_proc *procs;
	struct ut_bp_thread *threads;
	bool armed;			/* handlers run; false while draining */
	char rbrk_path[4096];		/* the last dynamic linker resolved */
	unsigned long rbrk_off;		/* its _dl_debug_state, as a file address */
} ut_bp;

/* breakpoint_mem.c */
static int _ut_bp_mem_open(struct ut_bp_proc *p);
static int _ut_bp_read(struct ut_bp_proc *p, unsigned long addr, void *buf, size_t n);
static int _ut_bp_write(struct ut_bp_proc *p, unsigned long addr, const void *buf, size_t n);

/* breakpoint_maps.c */
static void _ut_bp_sync(struct ut_bp_proc *p, struct task_struct *t);
static void _ut_bp_remove_all(struct ut_bp_proc *p);
static struct ut_bp_ins *_ut_bp_find(struct ut_bp_proc *p, unsigned long addr);
static bool _ut_bp_gone(struct ut_bp_proc *p, unsigned long addr);

/* breakpoint_step.c */
static void _ut_bp_signal_stop(struct task_struct *t);
static bool _ut_bp_resume(struct task_struct *t, int *req, int *sig);
static void _ut_bp_thread_gone(struct ut_bp_thread *bt);

/* breakpoint_ret.c */
static void _ut_bp_ret_push(struct ut_bp_thread *bt, struct ut_bp_proc *p, struct task_struct *t,
			    int site, unsigned long func);
static bool _ut_bp_ret_hit(struct ut_bp_thread *bt, struct ut_bp_proc *p, struct task_struct *t);
static void _ut_bp_ret_restore(struct ut_bp_thread *bt, struct ut_bp_proc *p);

/* breakpoint.c */
static struct ut_bp_proc *_ut_bp_proc(pid_t tgid, bool create);
static struct ut_bp_thread *_ut_bp_thread(struct task_struct *t, bool create);

#endif
