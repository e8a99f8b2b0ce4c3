/* Where a .function probe goes: after the prologue, as SystemTap puts it.
 *
 * The rule, checked against SystemTap 4.8 and gdb's `break FUNC` on gcc
 * and clang builds at -O0 to -O3 (testsuite/stap.dwarf/functions.exp):
 *
 *  1. A line-table row inside the function marked prologue_end (clang
 *     marks them; gcc does not) is the place.
 *  2. Otherwise, when the unit was built so that its variables' locations
 *     are right from the first instruction -- an optimizing build (-O1 and
 *     up, -Og, -Os) or one with location lists (var-tracking) -- the
 *     probe goes on the function's first instruction.
 *  3. Otherwise (-O0): the first is_stmt row after the entry address and
 *     inside the function, where the frame is set up and the parameters
 *     are in their stack slots; the entry itself if there is none. */
#include "translate/debuginfo_int.h"
#include <dwarf.h>
#include <string.h>

bool di_cu_lines(DiModule *m, uint32_t cuix, Dwarf_Lines **lines, size_t *n)
{
	Dwarf_Die cu;
	if (cuix >= (uint32_t)m->ncus || !di_cu_die(m, m->cus[cuix].off, &cu))
		return false;
	return dwarf_getsrclines(&cu, lines, n) == 0 && *n > 0;
}

size_t di_lines_lower_bound(Dwarf_Lines *lines, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		Dwarf_Addr a = 0;
		dwarf_lineaddr(dwarf_onesrcline(lines, mid), &a);
		if (a < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last -O option of a gcc command line recorded in DW_AT_producer:
 * 1 optimizing, 0 not (-O0), -1 none recorded. */
static int producer_optimizes(Dwarf_Die *cu)
{
	Dwarf_Attribute a;
	const char *p = dwarf_formstring(dwarf_attr(cu, DW_AT_producer, &a));
	int opt = -1;
	if (!p)
		return -1;
	for (const char *s = strstr(p, " -O"); s; s = strstr(s + 3, " -O")) {
		char c = s[3];
		if (c == ' ' || c == '\0')
			opt = 1;	/* -O is -O1 */
		else
			opt = c != '0';
	}
	return opt;
}

bool di_cu_valid_locs(DiModule *m, uint32_t cuix)
{
	DiCu *c = &m->cus[cuix];
	if (c->valid_locs >= 0)
		return c->valid_locs;
	Dwarf_Die cu;
	int opt = di_cu_die(m, c->off, &cu) ? producer_optimizes(&cu) : -1;
	if (opt == 1) {
		c->valid_locs = 1;
	} else {
		di_walk_cu(m, cuix);
		c->valid_locs = c->has_loclists;
	}
	return c->valid_locs;
}

uint64_t di_prologue_end(DiModule *m, uint32_t cuix, uint64_t entry, uint64_t high)
{
	Dwarf_Lines *lines;
	size_t n;
	if (!high || !di_cu_lines(m, cuix, &lines, &n))
		return entry;
	size_t first = di_lines_lower_bound(lines, n, entry);
	for (size_t i = first; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		bool flag = false;
		if (dwarf_lineaddr(l, &a) || a >= high)
			break;
		if (dwarf_lineprologueend(l, &flag) == 0 && flag)
			return a;
	}
	if (di_cu_valid_locs(m, cuix))
		return entry;
	for (size_t i = first; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		bool stmt = false, end = false;
		if (dwarf_lineaddr(l, &a) || a >= high)
			break;
		dwarf_lineendsequence(l, &end);
		dwarf_linebeginstatement(l, &stmt);
		if (a > entry && stmt && !end)
			return a;
	}
	return entry;
}
