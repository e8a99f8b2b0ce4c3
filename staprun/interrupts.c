/* One signal event, one interrupt: a copy forwarded by stap and the copy
 * that reached staprun directly are paired by signal and origin, in either
 * order; each copy pairs with at most one of the other kind, so N group
 * signals from one sender still count N.  When the second copy arrives
 * while the first is still pending in staprun, the kernel merges them
 * (SIGINT is no realtime signal) and one is read: the survivor, left
 * waiting, pairs with a copy of the next such signal, whose other copy
 * counts, so the total stays right. */
#include "interrupts.h"
#include <signal.h>
#include <stddef.h>

/* A copy counted and still waiting for its twin. */
struct pending {
	uint32_t signo;
	int32_t origin;
	bool forwarded;
	uint64_t at;
};

static struct pending pend[16];
static size_t npend;

static void drop(size_t i)
{
	pend[i] = pend[--npend];
}

bool intr_is_new(const struct signalfd_siginfo *si, pid_t parent, uint64_t now_ms)
{
	bool fwd = si->ssi_code == SI_QUEUE && parent > 1 && (pid_t)si->ssi_pid == parent;
	int32_t origin;
	size_t i;

	if (fwd)
		origin = si->ssi_int;
	else if (si->ssi_code > 0)
		origin = INTR_FROM_KERNEL;
	else
		origin = (int32_t)si->ssi_pid;
	if (fwd && origin == INTR_FROM_STAP)
		return true;
	for (i = 0; i < npend;) {
		if (now_ms - pend[i].at > INTR_TWIN_MS) {
			drop(i);
			continue;
		}
		if (pend[i].signo == si->ssi_signo && pend[i].origin == origin &&
		    pend[i].forwarded != fwd) {
			drop(i);
			return false;
		}
		i++;
	}
	if (npend == sizeof(pend) / sizeof(pend[0]))
		drop(0);
	pend[npend++] = (struct pending){ si->ssi_signo, origin, fwd, now_ms };
	return true;
}
