/* .statement("FUNC@FILE:LINES") and .statement(ADDR): line-table lookups.
 *
 * The rules follow SystemTap 4.8 (checked in stap.dwarf/statements.exp):
 *  - a line's probe goes on the lowest address of any row with that line
 *    inside the function's ranges (rows of code inlined there count);
 *  - a range, list or :* gives one probe per address: when several lines
 *    start at one address, the lowest line keeps it;
 *  - :* covers the lines from the one at the function's entry to its
 *    last, and skips inlined instances (they have no lines of their own);
 *  - one line with no code is an error naming the nearest lines that
 *    have some, or with .nearest, moves to the nearest (the later on a
 *    tie); a range with no code matches nothing. */
#include "translate/debuginfo_int.h"
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

typedef struct Row {
	int line;
	uint64_t addr;
	const char *file;
} Row;

typedef struct Rows {
	Row *v;
	int n, cap;
} Rows;

static bool in_ranges(uint64_t a, uint64_t (*r)[2], int nr)
{
	for (int i = 0; i < nr; i++)
		if (a >= r[i][0] && a < r[i][1])
			return true;
	return false;
}

/* The function's rows for the pattern's file (any file when none). */
static void func_rows(DiModule *m, const DiFunc *f, const char *file, Rows *out)
{
	Dwarf_Die die;
	out->n = 0;
	if (!di_die(m, f->die, &die))
		return;
	uint64_t (*r)[2];
	int nr = di_ranges(m, &die, &r);
	Dwarf_Lines *lines;
	size_t n;
	if (!nr || !di_cu_lines(m, di_cu_index(m, f->cu), &lines, &n))
		return;
	for (int k = 0; k < nr; k++) {
		for (size_t i = di_lines_lower_bound(lines, n, r[k][0]); i < n; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			Dwarf_Addr a;
			bool end = false;
			int ln;
			if (dwarf_lineaddr(l, &a) || a >= r[k][1])
				break;
			dwarf_lineendsequence(l, &end);
			if (end || dwarf_lineno(l, &ln) || !in_ranges(a, r, nr))
				continue;
			const char *src = dwarf_linesrc(l, NULL, NULL);
			if (file ? !di_file_matches(file, src) : (f->file && src &&
								strcmp(src, f->file)))
				continue;
			Row *row = di_push(m, (void **)&out->v, &out->n, &out->cap, sizeof(*row));
			row->line = ln;
			row->addr = a;
			row->file = src;
		}
	}
}

static const Row *lowest_row(const Rows *rows, int line)
{
	const Row *best = NULL;
	for (int i = 0; i < rows->n; i++)
		if (rows->v[i].line == line && (!best || rows->v[i].addr < best->addr))
			best = &rows->v[i];
	return best;
}

static void add_stmt(DiModule *m, DiStmts *out, int *cap, const DiFunc *f, const Row *r)
{
	DiStmt *s = di_push(m, (void **)&out->v, &out->n, cap, sizeof(*s));
	s->func = *f;
	s->file = r->file;
	s->line = r->line;
	s->addr = r->addr;
}

/* Lines lo..hi of one function, one probe per address. */
static void add_lines(DiModule *m, DiStmts *out, int *cap, const DiFunc *f, const Rows *rows,
		      int lo, int hi, int first)
{
	int minl = INT32_MAX, maxl = 0;
	for (int i = 0; i < rows->n; i++) {
		if (rows->v[i].line < minl)
			minl = rows->v[i].line;
		if (rows->v[i].line > maxl)
			maxl = rows->v[i].line;
	}
	if (lo < minl)
		lo = minl;
	if (hi > maxl)
		hi = maxl;
	for (int line = lo; line <= hi; line++) {
		const Row *r = lowest_row(rows, line);
		if (!r)
			continue;
		bool taken = false;
		for (int k = first; k < out->n && !taken; k++)
			taken = out->v[k].addr == r->addr;
		if (!taken)
			add_stmt(m, out, cap, f, r);
	}
}

/* The line of the last row at the function's entry: where :* begins. */
static int entry_line(const DiFunc *f, const Rows *rows)
{
	int line = 0, minl = INT32_MAX;
	for (int i = 0; i < rows->n; i++) {
		if (rows->v[i].addr == f->entry)
			line = rows->v[i].line;
		if (rows->v[i].line < minl)
			minl = rows->v[i].line;
	}
	return line ? line : minl;
}

/* The nearest lines around `line` that have rows in any of the functions. */
static void neighbours(DiModule *m, const DiFuncs *fs, const char *file, int line, int *below,
		       int *above)
{
	Rows rows = { 0 };
	*below = 0;
	*above = 0;
	for (int i = 0; i < fs->n; i++) {
		func_rows(m, &fs->v[i], file, &rows);
		for (int k = 0; k < rows.n; k++) {
			int l = rows.v[k].line;
			if (l < line && l > *below)
				*below = l;
			if (l > line && (!*above || l < *above))
				*above = l;
		}
	}
}

static int no_lines(DiModule *m, const char *file, int line, int below, int above)
{
	if (below && above)
		return di_fail(m, "no line records for %s:%d [man error::dwarf] (try :%d or :%d)",
			       file, line, below, above);
	if (below || above)
		return di_fail(m, "no line records for %s:%d [man error::dwarf] (try :%d)", file,
			       line, below ? below : above);
	return di_fail(m, "no line records for %s:%d [man error::dwarf]", file, line);
}

static void sort_ranges(DiPattern *p)
{
	for (int a = 1; a < p->nranges; a++)
		for (int b = a; b > 0 && p->range[b - 1].lo > p->range[b].lo; b--) {
			int lo = p->range[b].lo, hi = p->range[b].hi;
			p->range[b] = p->range[b - 1];
			p->range[b - 1].lo = lo;
			p->range[b - 1].hi = hi;
		}
}

int di_statements(DiModule *m, const char *pattern, bool nearest, DiStmts *out)
{
	DiPattern p;
	DiFuncs fs;
	out->v = NULL;
	out->n = 0;
	if (di_parse_pattern(m, pattern, &p))
		return -1;
	if (!di_dwarf(m))
		return di_fail(m, "statement probes need DWARF debuginfo, and %s has none",
			       m->path);
	if (di_match_funcs(m, &p, false, false, &fs) < 0)
		return -1;
	int cap = 0;
	Rows rows = { 0 };
	if (p.kind == DI_LINE_NONE) {
		for (int i = 0; i < fs.n; i++) {
			Row r = { fs.v[i].line, fs.v[i].entry, fs.v[i].file };
			add_stmt(m, out, &cap, &fs.v[i], &r);
		}
		return out->n;
	}
	/* One line: it must have code somewhere (or move to the nearest). */
	if (p.single) {
		bool found = false;
		const char *file = NULL;
		int line = p.range[0].lo;
		for (int i = 0; i < fs.n && !found; i++) {
			int l = p.kind == DI_LINE_REL ? fs.v[i].line + line : line;
			func_rows(m, &fs.v[i], p.file, &rows);
			found = lowest_row(&rows, l) != NULL;
			if (!file)
				file = fs.v[i].file;
		}
		if (!found && fs.n && p.kind == DI_LINE_ABS) {
			int below, above;
			neighbours(m, &fs, p.file, line, &below, &above);
			if (!nearest || (!below && !above))
				return no_lines(m, file, line, below, above);
			p.range[0].lo = p.range[0].hi = !below ? above : !above ? below :
				line - below < above - line ? below : above;
		}
	}
	for (int i = 0; i < fs.n; i++) {
		const DiFunc *f = &fs.v[i];
		if (p.kind == DI_LINE_ALL && f->inlined)
			continue;
		func_rows(m, f, p.file, &rows);
		if (!rows.n)
			continue;
		if (p.kind == DI_LINE_ALL) {
			add_lines(m, out, &cap, f, &rows, entry_line(f, &rows), INT32_MAX, out->n);
		} else if (p.kind == DI_LINE_REL) {
			int l = f->line + p.range[0].lo;
			add_lines(m, out, &cap, f, &rows, l, l, out->n);
		} else {
			/* The lines in order, one probe per address across all
			 * the ranges of the list. */
			int first = out->n;
			sort_ranges(&p);
			for (int k = 0; k < p.nranges; k++)
				add_lines(m, out, &cap, f, &rows, p.range[k].lo, p.range[k].hi, first);
			for (int a = first + 1; a < out->n; a++)
				for (int b = a; b > first && out->v[b - 1].line > out->v[b].line; b--) {
					DiStmt t = out->v[b];
					out->v[b] = out->v[b - 1];
					out->v[b - 1] = t;
				}
		}
	}
	return out->n;
}

int di_statement_at(DiModule *m, uint64_t addr, DiStmt *out)
{
	memset(out, 0, sizeof(*out));
	if (!di_dwarf(m))
		return di_fail(m, "statement probes need DWARF debuginfo, and %s has none",
			       m->path);
	di_index(m);
	Dwarf_Addr bias;
	Dwarf_Die *cudie = dwfl_module_addrdie(m->mod, addr, &bias);
	if (!cudie)
		return di_fail(m, "address 0x%llx is not in any function's code in %s",
			       (unsigned long long)addr, m->path);
	Dwarf_Off cu = dwarf_dieoffset(cudie);
	Dwarf_Lines *lines;
	size_t n;
	uint32_t cuix = di_cu_index(m, cu);
	if (!di_cu_lines(m, cuix, &lines, &n))
		return di_fail(m, "no line records for address 0x%llx [man error::dwarf]",
			       (unsigned long long)addr);
	size_t i = di_lines_lower_bound(lines, n, addr);
	Dwarf_Addr a = 0;
	int line = 0;
	const char *src = NULL;
	for (size_t k = i; k < n; k++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, k);
		bool end = false;
		if (dwarf_lineaddr(l, &a) || a != addr)
			break;
		dwarf_lineendsequence(l, &end);
		if (end)
			continue;
		dwarf_lineno(l, &line);
		src = dwarf_linesrc(l, NULL, NULL);
	}
	if (!src) {
		Dwarf_Addr before = 0;
		for (size_t k = i; k-- > 0;) {
			bool end = false;
			Dwarf_Line *l = dwarf_onesrcline(lines, k);
			dwarf_lineendsequence(l, &end);
			if (!end && dwarf_lineaddr(l, &before) == 0)
				break;
		}
		if (before)
			return di_fail(m, "address 0x%llx does not match the beginning of a "
				       "statement (try 0x%llx)", (unsigned long long)addr,
				       (unsigned long long)before);
		return di_fail(m, "address 0x%llx does not match the beginning of a statement",
			       (unsigned long long)addr);
	}
	/* The innermost function or inlined instance names the statement. */
	Dwarf_Die *scopes = NULL;
	int ns = dwarf_getscopes(cudie, addr, &scopes);
	bool found = false;
	for (int k = 0; k < ns && !found; k++) {
		int tag = dwarf_tag(&scopes[k]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			found = di_func_of_die(m, &scopes[k], cu, &out->func);
	}
	free(scopes);
	if (!found)
		return di_fail(m, "address 0x%llx is not in any function's code in %s",
			       (unsigned long long)addr, m->path);
	out->file = src;
	out->line = line;
	out->addr = addr;
	return 0;
}
