/* utrace semantics, one check per name (pt-harness sem NAME TARGET):
 *
 *   order	engines report in attach order; one attached during a report
 *		joins at the next
 *   actions	each callback sees the smallest action so far; REPORT and
 *		INTERRUPT bring a resume report before the thread runs on
 *   stop	UTRACE_STOP holds the thread; only the engine that stopped it
 *		ends the stop; the entry is reported again, RESUMED
 *   sticky	utrace_control(REPORT) from another engine neither ends a stop
 *		nor reports; the stopping engine's REPORT does both
 *   detach	UTRACE_DETACH from a callback and from utrace_control; errors
 *		on a detached engine; release runs once
 *   errors	attach matching, error codes of a running, dead, reaped thread
 *   abort	UTRACE_SYSCALL_ABORT makes the syscall fail with ENOSYS
 *   interrupt	utrace_control(INTERRUPT) reaches a thread blocked in read()
 *   reinterrupt	an interrupt answered by a syscall-exit stop (not
 *		PTRACE_EVENT_STOP) leaves the thread interruptible again
 *   clonereport	engines attached in report_clone, a REPORT to the new
 *		thread reaches it first; other engines do not follow it
 *
 * Checks run inside callbacks and in timers, which the loop runs between
 * events: a held thread cannot move meanwhile, so every check is
 * deterministic.  Each prints "ok - ..." or "FAIL - ...". */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pt-harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct task_struct *tt;	/* the target's main thread */
static char logbuf[256];
static size_t loglen;

static void logs(const char *s)
{
	while (*s && loglen < sizeof(logbuf) - 1)
		logbuf[loglen++] = *s++;
	logbuf[loglen] = '\0';
}

static char name_of(struct utrace_engine *e)
{
	return (char)(long)e->data;
}

static void *name_data(char c)
{
	return (void *)(long)c;
}

static const char *act(u32 action)
{
	static const char *names[] = { "STOP", "INTERRUPT", "REPORT", "SINGLESTEP",
				       "BLOCKSTEP", "RESUME", "DETACH" };
	enum utrace_resume_action a = utrace_resume_action(action);

	return a < UTRACE_RESUME_MAX ? names[a] : "?";
}

static void once(stp_user_timer_fn fn)
{
	if (stp_user_timer_add(0, 0, fn, NULL) < 0)
		fatal("timer");
}

static struct task_struct *sem_spawn(const char *prog, const char *mode, const char *arg)
{
	char *argv[] = { (char *)prog, (char *)mode, (char *)arg, NULL };
	int want = __NR_getppid;

	stp_user_want_syscalls(&want, 1);
	tt = spawn(argv);
	stp_task_get(tt);
	return tt;
}

static void sem_run(void)
{
	stp_user_release(target);
	run();
}

/* ---- order ---- */

static int nreport;
static const struct utrace_engine_ops order_ops;

static u32 order_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	char name[2] = { name_of(e), 0 };

	if (name[0] == 'A' && ++nreport <= 2)
		logs("|");
	if (nreport <= 2)
		logs(name);
	if (name[0] == 'A' && nreport == 1)
		utrace_engine_put(attach(stp_current_task(), &order_ops, name_data('D'),
					 UTRACE_EVENT(SYSCALL_ENTRY)));
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops order_ops = { .report_syscall_entry = order_entry };

static void sem_order(const char *prog)
{
	sem_spawn(prog, "getppid", "3");
	for (const char *n = "ABC"; *n; n++)
		utrace_engine_put(attach(tt, &order_ops, name_data(*n),
					 UTRACE_EVENT(SYSCALL_ENTRY)));
	sem_run();
	check(!strncmp(logbuf, "|ABC", 4), "engines report in attach order", "log %s", logbuf);
	check(!strcmp(logbuf + 4, "|ABCD"), "an engine attached during a report joins at the next",
	      "log %s", logbuf);
}

/* ---- actions ---- */

static char seen[4][16];
static int qevents[8], nq;
static const struct utrace_engine_ops actions_ops;

static u32 actions_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	static const u32 answer[] = { UTRACE_REPORT, UTRACE_RESUME, UTRACE_INTERRUPT,
				      UTRACE_RESUME };
	int i = name_of(e) - 'A';

	if (i == 0)
		nreport++;
	if (nreport != 1)
		return UTRACE_RESUME;
	snprintf(seen[i], sizeof(seen[i]), "%s", act(action));
	return answer[i];
}

static u32 actions_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	if (nq < 8)
		qevents[nq++] = event == UTRACE_EVENT(SYSCALL_ENTRY) ? 'E' : event == 0 ? '0' : '?';
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops actions_ops = {
	.report_syscall_entry = actions_entry,
	.report_quiesce = actions_quiesce,
};

static void sem_actions(const char *prog)
{
	char q[9] = { 0 };

	sem_spawn(prog, "getppid", "3");
	for (const char *n = "ABCD"; *n; n++)
		utrace_engine_put(attach(tt, &actions_ops, name_data(*n),
					 UTRACE_EVENT(SYSCALL_ENTRY)));
	utrace_engine_put(attach(tt, &actions_ops, name_data('Q'), UTRACE_EVENT(QUIESCE)));
	sem_run();
	snprintf(logbuf, sizeof(logbuf), "%s %s %s %s", seen[0], seen[1], seen[2], seen[3]);
	check(!strcmp(logbuf, "RESUME REPORT REPORT INTERRUPT"),
	      "each callback sees the smallest action so far", "saw %s", logbuf);
	for (int i = 0; i < 3 && i < nq; i++)
		q[i] = (char)qevents[i];
	check(!strcmp(q, "E0E"), "REPORT and INTERRUPT bring a resume report before the next event",
	      "quiesce events %s", q);
}

/* ---- stop ---- */

static struct utrace_engine *eA, *eB, *eC;
static int callsA, callsB, resumedA, resumedB;

static u32 stop_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	bool resumed = action & UTRACE_SYSCALL_RESUMED;

	if (e == eA) {
		callsA++;
		resumedA += resumed;
	} else {
		callsB++;
		resumedB += resumed;
	}
	if (e == eA && callsA == 1)
		return UTRACE_STOP;
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops stop_ops = { .report_syscall_entry = stop_entry };

static bool held(void)
{
	return tt->state == UT_TS_STOPPED && tt->held;
}

static void stop_t2(void *data)
{
	check(held() && callsA == 1 && callsB == 1,
	      "another engine's RESUME does not end the stop", "held %d calls %d/%d", held(),
	      callsA, callsB);
	check(utrace_control(tt, eA, UTRACE_RESUME) == 0, "RESUME from the stopping engine",
	      "error");
}

static void stop_t1(void *data)
{
	int r1, r2;

	check(held() && callsA == 1 && callsB == 1, "UTRACE_STOP holds the thread",
	      "held %d calls %d/%d", held(), callsA, callsB);
	r1 = utrace_control(tt, eC, UTRACE_STOP);
	r2 = utrace_control(tt, eC, UTRACE_RESUME);
	check(r1 == 0 && r2 == 0, "utrace_control(STOP) on a stopped thread returns 0",
	      "%d %d", r1, r2);
	r1 = utrace_control(tt, eB, UTRACE_RESUME);
	check(r1 == 0, "utrace_control(RESUME) by an engine that did not stop it", "%d", r1);
	once(stop_t2);
}

static u32 stop_entry_a(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	u32 r = stop_entry(action, e, regs);

	if (callsA == 1)
		once(stop_t1);
	return r;
}

static const struct utrace_engine_ops stop_ops_a = { .report_syscall_entry = stop_entry_a };

static void sem_stop(const char *prog)
{
	sem_spawn(prog, "getppid", "1");
	eA = attach(tt, &stop_ops_a, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	eB = attach(tt, &stop_ops, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	eC = attach(tt, &stop_ops, NULL, 0);
	sem_run();
	/* getppid 1: the stop, its RESUMED repeat, then nothing more. */
	check(callsA == 2 && callsB == 2 && resumedA == 1 && resumedB == 1,
	      "the held syscall entry is reported again with UTRACE_SYSCALL_RESUMED",
	      "calls %d/%d resumed %d/%d", callsA, callsB, resumedA, resumedB);
	print_status();
}

/* ---- sticky ---- */

static u32 sticky_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	if (e == eA)
		logs(event ? "q" : "z");
	return UTRACE_RESUME;
}

static u32 sticky_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	if (e != eA)
		return UTRACE_RESUME;
	logs(action & UTRACE_SYSCALL_RESUMED ? "r" : "e");
	return loglen == 2 ? UTRACE_STOP : UTRACE_RESUME;
}

static void sticky_t2(void *data)
{
	check(held() && !strcmp(logbuf, "qe"),
	      "another engine's REPORT neither ends the stop nor reports", "held %d log %s",
	      held(), logbuf);
	check(utrace_control(tt, eA, UTRACE_REPORT) == 0, "REPORT from the stopping engine",
	      "error");
}

static void sticky_t1(void *data)
{
	check(utrace_control(tt, eB, UTRACE_REPORT) == 0, "REPORT from another engine", "error");
	once(sticky_t2);
}

static const struct utrace_engine_ops sticky_ops = {
	.report_quiesce = sticky_quiesce,
	.report_syscall_entry = sticky_entry,
};

static u32 sticky_exec(u32 action, struct utrace_engine *e, const struct linux_binfmt *fmt,
		       const struct linux_binprm *bprm, struct pt_regs *regs)
{
	return UTRACE_RESUME;
}

static u32 sticky_entry_b(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	if (!strcmp(logbuf, "qe"))
		once(sticky_t1);
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops sticky_ops_b = {
	.report_exec = sticky_exec,
	.report_syscall_entry = sticky_entry_b,
};

static void sem_sticky(const char *prog)
{
	sem_spawn(prog, "getppid", "1");
	eA = attach(tt, &sticky_ops, NULL, UTRACE_EVENT(QUIESCE) | UTRACE_EVENT(SYSCALL_ENTRY));
	eB = attach(tt, &sticky_ops_b, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	sem_run();
	/* q e (stop) | q r: the repeated entry report is the callback
	 * REPORT promised, so no separate resume report precedes it. */
	check(!strcmp(logbuf, "qeqr"),
	      "the stopping engine's REPORT ends the stop and reports", "log %s", logbuf);
}

/* ---- detach ---- */

static int releasedA, releasedC, callsC, detach_checked;

static void release_a(void *data)
{
	releasedA++;
}

static void release_c(void *data)
{
	releasedC++;
}

static u32 detach_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs);

static const struct utrace_engine_ops detach_ops_a = {
	.report_syscall_entry = detach_entry, .release = release_a };
static const struct utrace_engine_ops detach_ops_b = { .report_syscall_entry = detach_entry };
static const struct utrace_engine_ops detach_ops_c = {
	.report_syscall_entry = detach_entry, .release = release_c };

static u32 detach_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	struct task_struct *t = stp_current_task();
	struct utrace_engine *m;
	int r1, r2, r3;

	if (e == eA) {
		callsA++;
		return UTRACE_DETACH;
	}
	if (e == eC) {
		callsC++;
		return UTRACE_RESUME;
	}
	callsB++;
	if (callsB == 1) {
		r1 = utrace_control(t, eC, UTRACE_DETACH);
		check(r1 == 0, "utrace_control(DETACH) of another engine mid-report", "%d", r1);
		return UTRACE_RESUME;
	}
	if (detach_checked)
		return UTRACE_RESUME;
	detach_checked = 1;
	check(callsA == 1 && callsC == 0, "detached engines get no more callbacks",
	      "A %d C %d", callsA, callsC);
	r1 = utrace_control(t, eA, UTRACE_RESUME);
	r2 = utrace_set_events(t, eA, 0);
	r3 = utrace_barrier(t, eA);
	check(r1 == -ESRCH && r2 == -ESRCH && r3 == -ESRCH, "a detached engine answers -ESRCH",
	      "%d %d %d", r1, r2, r3);
	m = utrace_attach_task(t, UTRACE_ATTACH_MATCH_OPS, &detach_ops_a, NULL);
	check(PTR_ERR(m) == -ENOENT, "a detached engine is not found", "%ld", PTR_ERR(m));
	r1 = utrace_barrier(t, eB);
	check(r1 == 0, "utrace_barrier from the engine's own callback", "%d", r1);
	check(releasedA == 0 && releasedC == 1, "release waits for the last reference",
	      "A %d C %d", releasedA, releasedC);
	utrace_engine_put(eA);
	check(releasedA == 1, "release runs once the last reference goes", "A %d", releasedA);
	return UTRACE_RESUME;
}

static void sem_detach(const char *prog)
{
	sem_spawn(prog, "getppid", "3");
	eA = attach(tt, &detach_ops_a, NULL, UTRACE_EVENT(SYSCALL_ENTRY));	/* ref kept */
	eB = attach(tt, &detach_ops_b, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	eC = attach(tt, &detach_ops_c, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	utrace_engine_put(eC);
	sem_run();
	check(callsB == 3 && detach_checked == 1, "the other engine saw every getppid",
	      "B %d", callsB);
	utrace_engine_put(eB);
}

/* ---- errors ---- */

static int errs_step, deathsA, reapsA;
static const struct utrace_engine_ops errs_ops, other_ops, unused_ops;

static void errs_timer(void *data)
{
	int r;

	check(tt->state == UT_TS_RUNNING, "the thread runs after RESUME", "state %d",
	      tt->state);
	r = utrace_control(tt, eA, UTRACE_STOP);
	check(r == -EINPROGRESS, "utrace_control(STOP) on a running thread: -EINPROGRESS",
	      "%d", r);
	errs_step = 2;
}

static u32 errs_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	int r;

	if (errs_step != 2)
		return UTRACE_RESUME;
	errs_step = 3;
	r = utrace_control(tt, eA, UTRACE_STOP);
	check(r == 0, "the stop came: report_quiesce, and STOP now returns 0", "%d", r);
	return UTRACE_RESUME;	/* any answer but STOP lets go */
}

static u32 errs_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	struct task_struct *t = stp_current_task();
	struct utrace_engine *m;
	int r1, r2;

	if (errs_step)
		return UTRACE_RESUME;
	errs_step = 1;
	m = utrace_attach_task(t, UTRACE_ATTACH_MATCH_OPS, &unused_ops, NULL);
	check(PTR_ERR(m) == -ENOENT, "no match without CREATE: -ENOENT", "%ld", PTR_ERR(m));
	m = utrace_attach_task(t, UTRACE_ATTACH_MATCH_OPS, &errs_ops, NULL);
	check(m == eA, "MATCH_OPS finds the engine", "%p", (void *)m);
	if (!IS_ERR(m))
		utrace_engine_put(m);
	m = utrace_attach_task(t, UTRACE_ATTACH_MATCH_DATA, &other_ops, name_data('B'));
	check(m == eB, "MATCH_DATA finds the engine", "%p", (void *)m);
	if (!IS_ERR(m))
		utrace_engine_put(m);
	m = utrace_attach_task(t, 0, NULL, NULL);
	check(m == eA, "no MATCH flags finds the first engine", "%p", (void *)m);
	if (!IS_ERR(m))
		utrace_engine_put(m);
	m = utrace_attach_task(t, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE |
			       UTRACE_ATTACH_MATCH_OPS, &errs_ops, NULL);
	check(PTR_ERR(m) == -EEXIST, "CREATE|EXCLUSIVE with a match: -EEXIST", "%ld",
	      PTR_ERR(m));
	r1 = utrace_control(t, eA, UTRACE_SINGLESTEP);
	r2 = utrace_control(t, eA, (enum utrace_resume_action)42);
	check(r1 == -EOPNOTSUPP && r2 == -EINVAL, "SINGLESTEP: -EOPNOTSUPP; no such action: -EINVAL",
	      "%d %d", r1, r2);
	once(errs_timer);
	return UTRACE_RESUME;
}

static u32 errs_death(struct utrace_engine *e, bool group_dead, int signal)
{
	int r1, r2, r3;

	if (e != eA)
		return UTRACE_RESUME;
	deathsA++;
	r1 = utrace_control(tt, eA, UTRACE_DETACH);
	r2 = utrace_control(tt, eA, UTRACE_RESUME);
	r3 = utrace_set_events(tt, eB, UTRACE_EVENT(DEATH) | UTRACE_EVENT(QUIESCE));
	check(r1 == -EALREADY && r2 == -ESRCH && r3 == -EALREADY,
	      "in report_death: DETACH -EALREADY, RESUME -ESRCH, set_events(QUIESCE) -EALREADY",
	      "%d %d %d", r1, r2, r3);
	check(group_dead && signal == SIGCHLD, "the last thread's death: group_dead, SIGCHLD",
	      "%d %d", group_dead, signal);
	return UTRACE_RESUME;
}

static void errs_reap(struct utrace_engine *e, struct task_struct *t)
{
	if (e == eA)
		reapsA++;
}

static const struct utrace_engine_ops errs_ops = {
	.report_quiesce = errs_quiesce,
	.report_syscall_entry = errs_entry,
	.report_death = errs_death,
	.report_reap = errs_reap,
};
static const struct utrace_engine_ops other_ops = { .report_death = errs_death };
static const struct utrace_engine_ops unused_ops;

static void sem_errors(const char *prog)
{
	struct utrace_engine *m;
	int r1, r2, r3;

	sem_spawn(prog, "getppid", "1000");
	eA = attach(tt, &errs_ops, NULL, UTRACE_EVENT(QUIESCE) | UTRACE_EVENT(SYSCALL_ENTRY) |
		    UTRACE_EVENT(DEATH) | UTRACE_EVENT(REAP));
	eB = attach(tt, &other_ops, name_data('B'), UTRACE_EVENT(DEATH));
	sem_run();
	check(deathsA == 1 && reapsA == 1, "death and reap reported once", "%d %d", deathsA,
	      reapsA);
	r1 = utrace_control(tt, eA, UTRACE_RESUME);
	r2 = utrace_barrier(tt, eA);
	m = utrace_attach_task(tt, UTRACE_ATTACH_CREATE, &errs_ops, NULL);
	r3 = (int)PTR_ERR(m);
	check(r1 == -ESRCH && r2 == -ESRCH && r3 == -ESRCH,
	      "after reap: control, barrier and attach answer -ESRCH", "%d %d %d", r1, r2, r3);
	m = utrace_attach_pid(find_get_pid(0x3fffffff), UTRACE_ATTACH_CREATE, &errs_ops, NULL);
	check(PTR_ERR(m) == -ESRCH, "utrace_attach_pid of no thread: -ESRCH", "%ld",
	      PTR_ERR(m));
	utrace_engine_put(eA);
	utrace_engine_put(eB);
}

/* ---- abort ---- */

static long exit_ret;
static char incoming_b[32];

static u32 abort_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	if (e == eA)
		return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
	snprintf(incoming_b, sizeof(incoming_b), "%s",
		 (action & UTRACE_SYSCALL_MASK) == UTRACE_SYSCALL_ABORT ? "abort" : "run");
	return (action & UTRACE_SYSCALL_MASK) | UTRACE_RESUME;
}

static u32 abort_exit(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	exit_ret = stp_syscall_return(stp_current_task(), regs);
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops abort_ops = {
	.report_syscall_entry = abort_entry,
	.report_syscall_exit = abort_exit,
};

static void sem_abort(const char *prog)
{
	sem_spawn(prog, "abort", NULL);
	eA = attach(tt, &abort_ops, NULL, UTRACE_EVENT(SYSCALL_ENTRY));
	eB = attach(tt, &abort_ops, NULL, UTRACE_EVENT_SYSCALL);
	sem_run();
	check(!strcmp(incoming_b, "abort"), "the next engine sees UTRACE_SYSCALL_ABORT", "%s",
	      incoming_b);
	check(exit_ret == -ENOSYS, "the aborted syscall returns -ENOSYS", "%ld", exit_ret);
	utrace_engine_put(eA);
	utrace_engine_put(eB);
}

/* ---- interrupt ---- */

static int line_fd = -1, interrupts;

static void interrupt_timer(void *data)
{
	int r = utrace_control(tt, eA, UTRACE_INTERRUPT);

	check(r == 0, "utrace_control(INTERRUPT) on a running thread", "%d", r);
}

static u32 interrupt_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	if (event == UTRACE_EVENT(EXEC))
		once(interrupt_timer);
	if (event == 0 && line_fd >= 0) {
		interrupts++;
		/* It sits in read(): give it the line it waits for. */
		if (write(line_fd, "hello\n", 6) != 6)
			fatal("write");
		close(line_fd);
		line_fd = -1;
	}
	return UTRACE_RESUME;
}

static u32 interrupt_exec(u32 action, struct utrace_engine *e, const struct linux_binfmt *fmt,
			  const struct linux_binprm *bprm, struct pt_regs *regs)
{
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops interrupt_ops = {
	.report_quiesce = interrupt_quiesce,
	.report_exec = interrupt_exec,
};

static void sem_interrupt(const char *prog)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0 || dup2(p[0], 0) < 0)
		fatal("pipe");
	close(p[0]);
	line_fd = p[1];
	sem_spawn(prog, "readline", NULL);
	eA = attach(tt, &interrupt_ops, NULL, UTRACE_EVENT(QUIESCE) | UTRACE_EVENT(EXEC));
	sem_run();
	check(interrupts == 1, "the interrupt brings a report_quiesce", "%d", interrupts);
	utrace_engine_put(eA);
}

/* ---- reinterrupt ---- */

/* With syscall events on, the thread runs under PTRACE_SYSCALL, and an
 * interrupt of a thread blocked in read() comes back as that read's
 * syscall-exit stop: the kernel then drops the PTRACE_EVENT_STOP it owed.
 * Each round interrupts the blocked read, and in the report (the exit's
 * report_quiesce) lets it read a line; every round must bring its report. */
#define REINTERRUPT_ROUNDS 3

static bool reinterrupt_sent;

static void reinterrupt_timer(void *data)
{
	int r = utrace_control(tt, eA, UTRACE_INTERRUPT);

	if (r)
		fatal("utrace_control(INTERRUPT): %d", r);
	reinterrupt_sent = true;
}

static void reinterrupt_later(void)
{
	/* Long enough for the thread to block in its next read(). */
	if (stp_user_timer_add(20 * 1000 * 1000, 0, reinterrupt_timer, NULL) < 0)
		fatal("timer");
}

static u32 reinterrupt_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	if (event == UTRACE_EVENT(EXEC))
		reinterrupt_later();
	if (!reinterrupt_sent || line_fd < 0)
		return UTRACE_RESUME;
	reinterrupt_sent = false;
	if (write(line_fd, "hello\n", 6) != 6)
		fatal("write");
	if (++interrupts < REINTERRUPT_ROUNDS) {
		reinterrupt_later();
	} else {
		close(line_fd);
		line_fd = -1;
	}
	return UTRACE_RESUME;
}

static u32 reinterrupt_exit(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops reinterrupt_ops = {
	.report_quiesce = reinterrupt_quiesce,
	.report_exec = interrupt_exec,
	.report_syscall_exit = reinterrupt_exit,
};

static void sem_reinterrupt(const char *prog)
{
	int p[2], want = __NR_read;

	if (pipe2(p, O_CLOEXEC) < 0 || dup2(p[0], 0) < 0)
		fatal("pipe");
	close(p[0]);
	line_fd = p[1];
	sem_spawn(prog, "readlines", NULL);
	stp_user_want_syscalls(&want, 1);
	eA = attach(tt, &reinterrupt_ops, NULL,
		    UTRACE_EVENT(QUIESCE) | UTRACE_EVENT(EXEC) | UTRACE_EVENT(SYSCALL_EXIT));
	sem_run();
	check(interrupts == REINTERRUPT_ROUNDS, "every interrupt brings a report_quiesce",
	      "%d of %d", interrupts, REINTERRUPT_ROUNDS);
	utrace_engine_put(eA);
}

/* ---- clonereport: the task finder's pattern ---- */

/* A watches the parent only.  In report_clone it attaches Q to each child
 * and asks for a report there: Q's report_quiesce must come in the
 * child's context before anything else the child does. */
static int children, child_first_ok, foreign_reports;
static const struct utrace_engine_ops q_ops;

static u32 q_quiesce(u32 action, struct utrace_engine *e, unsigned long event)
{
	struct task_struct *t = stp_current_task();
	long *seen = e->data;

	if (event == 0 && *seen == 0 && stp_task_tid(t) != target)
		child_first_ok++;
	(*seen)++;
	return UTRACE_RESUME;
}

static u32 q_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	long *seen = e->data;

	(*seen)++;
	return UTRACE_RESUME;
}

static void q_release(void *data)
{
	free(data);
}

static const struct utrace_engine_ops q_ops = {
	.report_quiesce = q_quiesce,
	.report_syscall_entry = q_entry,
	.release = q_release,
};

static u32 a_clone(u32 action, struct utrace_engine *e, unsigned long flags,
		   struct task_struct *child)
{
	struct utrace_engine *q;
	int r;

	children++;
	q = utrace_attach_task(child, UTRACE_ATTACH_CREATE, &q_ops, calloc(1, sizeof(long)));
	if (IS_ERR(q))
		fatal("attach to child: %ld", PTR_ERR(q));
	utrace_set_events(child, q, UTRACE_EVENT(QUIESCE) | UTRACE_EVENT(SYSCALL_ENTRY));
	r = utrace_control(child, q, UTRACE_REPORT);
	if (r)
		fatal("utrace_control(child, REPORT): %d", r);
	utrace_engine_put(q);
	return UTRACE_RESUME;
}

static u32 a_entry(u32 action, struct utrace_engine *e, struct pt_regs *regs)
{
	if (stp_task_tid(stp_current_task()) != target)
		foreign_reports++;
	return UTRACE_RESUME;
}

static const struct utrace_engine_ops a_ops = {
	.report_clone = a_clone,
	.report_syscall_entry = a_entry,
};

static void sem_clonereport(const char *prog)
{
	sem_spawn(prog, "threads", "4");
	eA = attach(tt, &a_ops, NULL, UTRACE_EVENT(CLONE) | UTRACE_EVENT(SYSCALL_ENTRY));
	sem_run();
	check(children == 4 && foreign_reports == 0,
	      "new threads get no engines but those attached in report_clone",
	      "children %d foreign %d", children, foreign_reports);
	check(child_first_ok == 4,
	      "report_clone's REPORT reaches each child before anything else it does",
	      "%d of %d", child_first_ok, children);
	utrace_engine_put(eA);
}

int do_sem(const char *name, const char *prog)
{
	static const struct {
		const char *name;
		void (*fn)(const char *prog);
	} tests[] = {
		{ "order", sem_order }, { "actions", sem_actions }, { "stop", sem_stop },
		{ "sticky", sem_sticky }, { "detach", sem_detach }, { "errors", sem_errors },
		{ "abort", sem_abort }, { "interrupt", sem_interrupt },
		{ "reinterrupt", sem_reinterrupt },
		{ "clonereport", sem_clonereport },
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (strcmp(tests[i].name, name))
			continue;
		tests[i].fn(prog);
		stp_task_put(tt);
		return failures;
	}
	fatal("no semantics check named '%s'", name);
}
