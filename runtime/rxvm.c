/* The regex matcher: a Pike VM over programs from translate/regex.c. */
#include "rxvm.h"
#include "context.h"

#define STP_RX_RESTORE 0xffff

STP_API bool stp_regex_fits(const struct stp_regex *rx)
{
	return rx->ninsns >= 1 && rx->ninsns <= STP_REGEX_MAX_INSNS && rx->ngroups >= 1 &&
	       rx->ngroups <= STP_REGEX_MAX_GROUPS;
}

/* Adds the thread at pc0, with captures caps, to list l at position pos,
 * following jumps, splits, saves and assertions depth first, so threads
 * land on the list in priority order.  A pc already on the list is not
 * added again: the thread there got first and has the same future. */
static void _stp_rx_add(const struct stp_regex *rx, struct stp_rx_scratch *sc,
			struct stp_rx_list *l, uint16_t pc0, stp_rx_off_t *caps, int pos,
			size_t len)
{
	unsigned int ncaps = 2u * rx->ngroups;
	unsigned int sp = 0;

	sc->stack[sp++].pc = pc0;
	while (sp) {
		struct stp_rx_stack e = sc->stack[--sp];
		const struct stp_rx_insn *ins;

		if (e.pc == STP_RX_RESTORE) {
			caps[e.slot] = e.old;
			continue;
		}
		if (e.pc >= rx->ninsns || sc->mark[e.pc] == l->gen)
			continue;
		sc->mark[e.pc] = l->gen;
		ins = &rx->insns[e.pc];
		switch (ins->op) {
		case STP_RX_JMP:
			sc->stack[sp++].pc = ins->x;
			break;
		case STP_RX_SPLIT:
			sc->stack[sp++].pc = ins->y;
			sc->stack[sp++].pc = ins->x;
			break;
		case STP_RX_SAVE:
			if (ins->x < ncaps) {
				sc->stack[sp].pc = STP_RX_RESTORE;
				sc->stack[sp].slot = ins->x;
				sc->stack[sp++].old = caps[ins->x];
				caps[ins->x] = (stp_rx_off_t)pos;
			}
			sc->stack[sp++].pc = (uint16_t)(e.pc + 1);
			break;
		case STP_RX_BOL:
			if (pos == 0)
				sc->stack[sp++].pc = (uint16_t)(e.pc + 1);
			break;
		case STP_RX_EOL:
			if ((size_t)pos == len)
				sc->stack[sp++].pc = (uint16_t)(e.pc + 1);
			break;
		default:
			l->t[l->n].pc = e.pc;
			memcpy(l->t[l->n].caps, caps, ncaps * sizeof(stp_rx_off_t));
			l->n++;
			break;
		}
	}
}

static void _stp_rx_newgen(struct stp_rx_scratch *sc, struct stp_rx_list *l)
{
	if (++sc->gen == 0) {
		/* After 2^32 generations old marks could look current. */
		memset(sc->mark, 0, sizeof(sc->mark));
		sc->gen = 1;
	}
	l->gen = sc->gen;
	l->n = 0;
}

static bool _stp_rx_class_has(const struct stp_regex *rx, unsigned int cls, unsigned char ch)
{
	return cls < rx->nclasses && (rx->classes[cls][ch >> 3] >> (ch & 7)) & 1;
}

STP_API int stp_rx_exec(const struct stp_regex *rx, struct stp_rx_scratch *sc, const char *s,
			size_t len, stp_rx_off_t *caps)
{
	unsigned int ncaps = 2u * rx->ngroups, i;
	struct stp_rx_list *cl = &sc->list[0], *nl = &sc->list[1], *tmp;
	bool matched = false;
	size_t pos;

	_stp_rx_newgen(sc, cl);
	for (pos = 0; pos <= len; pos++) {
		unsigned char ch = pos < len ? (unsigned char)s[pos] : 0;

		/* A new thread starts at every position until something
		 * matched: any later start would lose to that match. */
		if (!matched && (pos == 0 || !(rx->flags & STP_RX_ANCHORED))) {
			for (i = 0; i < ncaps; i++)
				sc->caps[i] = -1;
			_stp_rx_add(rx, sc, cl, 0, sc->caps, (int)pos, len);
		}
		if (!cl->n && (matched || (rx->flags & STP_RX_ANCHORED)))
			break;
		_stp_rx_newgen(sc, nl);
		for (i = 0; i < cl->n; i++) {
			struct stp_rx_thread *t = &cl->t[i];
			const struct stp_rx_insn *ins = &rx->insns[t->pc];
			bool step = false;

			if (matched && t->caps[0] > caps[0])
				continue;
			switch (ins->op) {
			case STP_RX_MATCH:
				if (!matched || t->caps[0] < caps[0] ||
				    (t->caps[0] == caps[0] && t->caps[1] > caps[1])) {
					memcpy(caps, t->caps, ncaps * sizeof(stp_rx_off_t));
					matched = true;
				}
				break;
			case STP_RX_CHAR:
				step = pos < len && ch == ins->ch;
				break;
			case STP_RX_ANY:
				step = pos < len;
				break;
			case STP_RX_CLASS:
				step = pos < len && _stp_rx_class_has(rx, ins->x, ch);
				break;
			}
			if (step)
				_stp_rx_add(rx, sc, nl, (uint16_t)(t->pc + 1), t->caps, (int)pos + 1,
					    len);
		}
		tmp = cl;
		cl = nl;
		nl = tmp;
	}
	return matched;
}

STP_API int stp_regex_match(struct stp_context *c, const struct stp_loc *loc,
			    const struct stp_regex *rx, const char *s)
{
	struct stp_match *m = &c->match;
	size_t len;

	m->result = 0;
	if (!stp_regex_fits(rx)) {
		stp_errorf(c, loc, "regex needs STP_REGEX_MAX_INSNS >= %u and STP_REGEX_MAX_GROUPS >= %u",
			   rx->ninsns, rx->ngroups);
		return -1;
	}
	len = strnlen(s, MAXSTRINGLEN - 1);
	memmove(m->str, s, len);
	m->str[len] = '\0';
	m->ngroups = rx->ngroups;
	m->result = stp_rx_exec(rx, &c->rx, m->str, len, m->caps);
	return m->result;
}

STP_API void stp_regex_matched(struct stp_context *c, const struct stp_loc *loc, int64_t n,
			       char *dst)
{
	const struct stp_match *m = &c->match;
	int start, end;

	dst[0] = '\0';
	if (!m->result) {
		stp_errorf(c, loc, "Attempted to get subexpression %lld from failed match",
			   (long long)n);
		return;
	}
	if (n < 0 || n >= m->ngroups) {
		stp_errorf(c, loc, "Attempted to get nonexistent subexpression %lld",
			   (long long)n);
		return;
	}
	start = m->caps[2 * n];
	end = m->caps[2 * n + 1];
	if (start < 0 || end < start)
		return;
	memmove(dst, m->str + start, (size_t)(end - start));
	dst[end - start] = '\0';
}

STP_API int64_t stp_regex_ngroups(struct stp_context *c, const struct stp_loc *loc)
{
	if (!c->match.result) {
		stp_error(c, loc, "Attempted to get subexpression count from failed match");
		return 0;
	}
	return c->match.ngroups;
}
