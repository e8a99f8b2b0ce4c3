/* timer.UNIT(N)[.randomize(M)] and timer.hz(N): interval timers.
 *
 * The accepted ranges are SystemTap's: a period from 100 microseconds to a
 * day, 1 to 1000000 jiffies, and a randomization no larger than the
 * interval. */
#include "translate/sema.h"
#include "translate/codegen.h"
#include "parse/arena.h"
#include <string.h>

static const struct Unit {
	const char *name;
	TimerUnit unit;
	int64_t ns;		/* nanoseconds per unit; 0: jiffies/hz */
	int64_t min, max;	/* accepted interval, in the unit */
} units[] = {
	{ "s", TIMER_S, 1000000000LL, 1, 86400 },
	{ "sec", TIMER_S, 1000000000LL, 1, 86400 },
	{ "ms", TIMER_MS, 1000000LL, 1, 86400000LL },
	{ "msec", TIMER_MS, 1000000LL, 1, 86400000LL },
	{ "us", TIMER_US, 1000LL, 100, 86400000000LL },
	{ "usec", TIMER_US, 1000LL, 100, 86400000000LL },
	{ "ns", TIMER_NS, 1, 100000, 86400000000000LL },
	{ "nsec", TIMER_NS, 1, 100000, 86400000000000LL },
	{ "jiffies", TIMER_JIFFIES, 0, 1, 1000000 },
	{ "hz", TIMER_HZ, 0, 1, 10000 },
};
enum { NUNITS = sizeof(units) / sizeof(units[0]) };

static int build(Sema *S, DerivedProbe *dp)
{
	const ProbePoint *pp = dp->point;
	const struct Unit *u = &units[dp->kind];
	const PPComponent *c = &pp->comps[1];
	const char *where = point_text(pp);
	TimerData *d = ANEW(&g_arena, TimerData);
	d->unit = u->unit;
	d->value = c->num;
	dp->data = d;
	if (u->unit == TIMER_HZ) {
		if (c->num <= 0) {
			sema_error(S, c->loc, "while resolving probe point %s: frequency must be "
				   "greater than 0", where);
			return -1;
		}
		/* The period a frequency gives must fit the nanosecond range. */
		if (c->num > u->max) {
			sema_error(S, c->loc, "while resolving probe point %s: interval value out of "
				   "range (100000, 86400000000000)", where);
			return -1;
		}
		d->period_ns = 1000000000LL / c->num;
		return 0;
	}
	if (c->num < u->min || c->num > u->max) {
		if (u->unit == TIMER_JIFFIES)
			sema_error(S, c->loc, "while resolving probe point %s: invalid interval for "
				   "jiffies timer (1 to 1000000)", where);
		else
			sema_error(S, c->loc, "while resolving probe point %s: interval value out of "
				   "range (%lld, %lld)", where, (long long)u->min, (long long)u->max);
		return -1;
	}
	d->period_ns = c->num * u->ns;
	if (pp->ncomps > 2) {
		const PPComponent *r = &pp->comps[2];
		if (r->num < 0 || r->num > c->num) {
			sema_error(S, r->loc, "while resolving probe point %s: randomization value "
				   "out of range (0 to %lld)", where, (long long)c->num);
			return -1;
		}
		d->randomize = r->num;
		d->randomize_ns = r->num * u->ns;
	}
	return 0;
}

static const char *unprivileged_denied(const DerivedProbe *dp)
{
	(void)dp;
	return NULL;
}

/* One struct stp_timer per probe (runtime/timer.h); the runtime turns
 * jiffies into time on its platform. */
static void emit_decls(void *codegen, DerivedProbe **probes, int n)
{
	Codegen *g = cg_of(codegen);
	cg_printf(g, SEC_FAMILY, "#include \"timer.h\"\n\nstatic struct stp_timer stp_timers[] = {\n");
	for (int i = 0; i < n; i++) {
		const TimerData *d = probes[i]->data;
		if (d->unit == TIMER_JIFFIES)
			cg_printf(g, SEC_FAMILY, "\t{ .probe = &%s_desc, .jiffies = %lld, "
				  ".randomize_jiffies = %lld },\n", probe_cname(probes[i]),
				  (long long)d->value, (long long)d->randomize);
		else
			cg_printf(g, SEC_FAMILY, "\t{ .probe = &%s_desc, .period_ns = %lldLL, "
				  ".randomize_ns = %lldLL },\n", probe_cname(probes[i]),
				  (long long)d->period_ns, (long long)d->randomize_ns);
	}
	cg_printf(g, SEC_FAMILY, "};\n");
}

static void emit_init(void *codegen, DerivedProbe **probes, int n)
{
	cg_printf(cg_of(codegen), SEC_LIFE, "\trc = stp_timers_start(stp_timers, %d);\n"
		  "\tif (rc)\n\t\tgoto fail;\n", n);
}

static void emit_exit(void *codegen, DerivedProbe **probes, int n)
{
	cg_printf(cg_of(codegen), SEC_LIFE, "\tstp_timers_stop(stp_timers, %d);\n", n);
}

const ProbeFamily family_timer = {
	.name = "timer",
	.build = build,
	.unprivileged_denied = unprivileged_denied,
	.emit_decls = emit_decls,
	.emit_init = emit_init,
	.emit_exit = emit_exit,
};

void family_timer_register(MatchNode *root)
{
	char pat[64];
	for (int i = 0; i < NUNITS; i++) {
		snprintf(pat, sizeof(pat), "timer.%s(number)", units[i].name);
		match_add(root, pat, &family_timer, i);
		if (units[i].unit == TIMER_HZ)
			continue;
		snprintf(pat, sizeof(pat), "timer.%s(number).randomize(number)", units[i].name);
		match_add(root, pat, &family_timer, i);
	}
}
