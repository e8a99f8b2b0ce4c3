/* .function("PATTERN") and .function(ADDR): matching functions by name,
 * file and line, DWARF first and the symbol table for the rest. */
#include "translate/debuginfo_int.h"
#include <dwarf.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

int di_ranges(DiModule *m, Dwarf_Die *die, uint64_t (**r)[2])
{
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;
	int n = 0, cap = 0;
	uint64_t (*v)[2] = NULL;
	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0) {
		if (end <= start)
			continue;
		uint64_t *e = di_push(m, (void **)&v, &n, &cap, sizeof(*v));
		e[0] = start;
		e[1] = end;
	}
	*r = v;
	return n;
}

const char *di_decl_file(Dwarf_Die *die)
{
	const char *f = dwarf_decl_file(die);
	if (f)
		return f;
	/* DWARF 5 numbers the primary file 0, which libdw 0.188's
	 * dwarf_decl_file takes for "none" (clang writes it). */
	Dwarf_Attribute a;
	Dwarf_Word idx;
	Dwarf_Die cu;
	Dwarf_Files *files;
	size_t n;
	if (dwarf_formudata(dwarf_attr_integrate(die, DW_AT_decl_file, &a), &idx) != 0 ||
	    !dwarf_diecu(die, &cu, NULL, NULL) || dwarf_getsrcfiles(&cu, &files, &n) != 0 ||
	    idx >= n)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

/* The line-table row at addr: where functions the assembler describes
 * (no DW_AT_decl_file) are said to be, as SystemTap names them. */
static void row_at(DiModule *m, uint32_t cuix, uint64_t addr, const char **file, int *line)
{
	Dwarf_Lines *lines;
	size_t n;
	if (!di_cu_lines(m, cuix, &lines, &n))
		return;
	size_t i = di_lines_lower_bound(lines, n, addr);
	Dwarf_Addr a;
	Dwarf_Line *l = i < n ? dwarf_onesrcline(lines, i) : NULL;
	if (!l || dwarf_lineaddr(l, &a) || a != addr)
		return;
	*file = dwarf_linesrc(l, NULL, NULL);
	dwarf_lineno(l, line);
}

bool di_func_fill(DiModule *m, const DiFuncEnt *e, DiFunc *f)
{
	Dwarf_Die die;
	memset(f, 0, sizeof(*f));
	if (e->abstract || !di_die(m, e->die, &die))
		return false;
	uint64_t (*r)[2];
	int nr = di_ranges(m, &die, &r);
	Dwarf_Addr entry;
	if (dwarf_entrypc(&die, &entry) != 0) {
		if (nr == 0)
			return false;
		entry = r[0][0];
	}
	f->name = e->name;
	f->file = di_decl_file(&die);
	int line = 0;
	dwarf_decl_line(&die, &line);
	f->line = line;
	if (!f->file)
		row_at(m, e->cuix, entry, &f->file, &f->line);
	f->entry = entry;
	for (int i = 0; i < nr; i++)
		if (entry >= r[i][0] && entry < r[i][1])
			f->high = r[i][1];
	f->inlined = e->inlined;
	f->external = dwarf_hasattr_integrate(&die, DW_AT_external);
	f->has_dwarf = true;
	f->returns_value = dwarf_hasattr_integrate(&die, DW_AT_type);
	f->die = e->die;
	f->cu = e->cu;
	f->addr = e->inlined ? entry : di_prologue_end(m, e->cuix, entry, f->high);
	return true;
}

void di_func_from_sym(const DiSym *s, DiFunc *f)
{
	memset(f, 0, sizeof(*f));
	f->name = s->name;
	f->entry = f->addr = s->addr;
	f->high = s->size ? s->addr + s->size : 0;
	f->external = true;
}

/* Makes sure the inlined instances a name pattern may match are in the
 * index: the units holding an abstract definition that matches. */
static void walk_for(DiModule *m, const char *pat, bool wild)
{
	di_sort_index(m);
	bool any_partial_abstract = false;
	bool want[m->ncus ? m->ncus : 1];
	memset(want, 0, sizeof(want));
	for (int i = 0; i < m->nfn; i++) {
		const DiFuncEnt *e = &m->fn[i];
		if (!e->abstract)
			continue;
		if (wild ? fnmatch(pat, e->name, 0) != 0 : strcmp(pat, e->name) != 0)
			continue;
		Dwarf_Die cu;
		if (di_cu_die(m, e->cu, &cu) && dwarf_tag(&cu) == DW_TAG_partial_unit)
			any_partial_abstract = true;
		want[e->cuix] = true;
	}
	/* An abstract definition in a dwz partial unit is inlined in the units
	 * that import it, which only a full walk finds. */
	if (any_partial_abstract) {
		di_walk_all(m);
	} else {
		for (int i = 0; i < m->ncus; i++)
			if (want[i])
				di_walk_cu(m, (uint32_t)i);
	}
	di_sort_index(m);
}

/* The highest line of the function's own rows, for line filters. */
static int last_line(DiModule *m, const DiFunc *f, uint32_t cuix)
{
	Dwarf_Lines *lines;
	size_t n;
	int last = f->line;
	if (!di_cu_lines(m, cuix, &lines, &n) || !f->high)
		return last;
	for (size_t i = di_lines_lower_bound(lines, n, f->entry); i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		int ln;
		if (!l || dwarf_lineaddr(l, &a) || a >= f->high)
			break;
		if (dwarf_lineno(l, &ln) == 0 && ln > last)
			last = ln;
	}
	return last;
}

/* A line in a .function pattern keeps the functions declared on it or
 * whose code spans it (SystemTap 4.8 ignores it; see doc/debuginfo.md). */
static bool line_selects(DiModule *m, const DiPattern *p, const DiFunc *f, uint32_t cuix)
{
	if (p->kind == DI_LINE_NONE || p->kind == DI_LINE_ALL)
		return true;
	int first = f->line, last = last_line(m, f, cuix);
	if (p->kind == DI_LINE_REL)
		return f->line + p->range[0].lo <= last;
	for (int i = 0; i < p->nranges; i++)
		if (p->range[i].lo <= last && p->range[i].hi >= first)
			return true;
	return false;
}

/* The DWARF function whose entry is addr, if any. */
static bool dwarf_function_at_entry(DiModule *m, uint64_t addr, DiFunc *out)
{
	Dwarf_Addr b;
	Dwarf_Die *cu = dwfl_module_addrdie(m->mod, addr, &b);
	Dwarf_Die c;
	if (!cu || dwarf_child(cu, &c) != 0)
		return false;
	do {
		Dwarf_Addr entry;
		if (dwarf_tag(&c) == DW_TAG_subprogram && dwarf_entrypc(&c, &entry) == 0 &&
		    entry == addr)
			return di_func_of_die(m, &c, dwarf_dieoffset(cu), out);
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

/* Index of the first entry named name (entries are sorted by name). */
static int first_named(DiModule *m, const char *name)
{
	int lo = 0, hi = m->nfn;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(m->fn[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_func(const void *a, const void *b)
{
	const DiFunc *x = a, *y = b;
	if (x->has_dwarf != y->has_dwarf)
		return x->has_dwarf ? -1 : 1;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->die < y->die ? -1 : x->die > y->die;
}

/* Indexes of out->v by a key (an entry address, a DIE offset), so the
 * duplicate checks below stay linear on a program with tens of thousands
 * of functions: slot values are index + 1, 0 is empty. */
typedef struct IdxSet {
	int *slot;
	unsigned cap;
} IdxSet;

static unsigned idx_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (unsigned)k;
}

static void idx_grow(IdxSet *s, const DiFuncs *out, uint64_t (*key)(const DiFunc *), int n)
{
	unsigned cap = s->cap ? s->cap : 64;
	while ((unsigned)n * 2 >= cap)
		cap *= 2;
	if (cap == s->cap)
		return;
	free(s->slot);
	s->slot = calloc(cap, sizeof(int));
	s->cap = cap;
	for (int i = 0; i < out->n; i++) {
		if (!key(&out->v[i]))
			continue;
		unsigned h = idx_hash(key(&out->v[i])) & (cap - 1);
		while (s->slot[h])
			h = (h + 1) & (cap - 1);
		s->slot[h] = i + 1;
	}
}

/* Calls found(k) for each index whose key is k; stops when it returns true. */
static int idx_find(const IdxSet *s, const DiFuncs *out, uint64_t (*key)(const DiFunc *),
		    uint64_t k, bool (*same)(const DiFunc *, const void *), const void *arg)
{
	if (!s->cap || !k)
		return -1;
	for (unsigned h = idx_hash(k) & (s->cap - 1); s->slot[h]; h = (h + 1) & (s->cap - 1)) {
		const DiFunc *f = &out->v[s->slot[h] - 1];
		if (key(f) == k && same(f, arg))
			return s->slot[h] - 1;
	}
	return -1;
}

static void idx_add(IdxSet *s, const DiFuncs *out, uint64_t (*key)(const DiFunc *), int i)
{
	if (!key(&out->v[i]))
		return;
	idx_grow(s, out, key, out->n + 1);
	unsigned h = idx_hash(key(&out->v[i])) & (s->cap - 1);
	while (s->slot[h])
		h = (h + 1) & (s->cap - 1);
	s->slot[h] = i + 1;
}

/* Key: the entry of a function that is not an inlined instance. */
static uint64_t entry_key(const DiFunc *f)
{
	return f->inlined ? 0 : f->entry + 1;
}

static uint64_t die_key(const DiFunc *f)
{
	return f->die + 1;
}

static bool same_cu(const DiFunc *f, const void *arg)
{
	return f->cu == ((const DiFunc *)arg)->cu;
}

static bool any(const DiFunc *f, const void *arg)
{
	(void)f;
	(void)arg;
	return true;
}

int di_match_funcs(DiModule *m, const DiPattern *pp, bool line_filter, bool syms, DiFuncs *out)
{
	DiPattern p = *pp;
	bool wild = di_has_wildcard(p.func);
	int cap = 0;
	IdxSet by_entry = { 0 }, by_die = { 0 };
	out->v = NULL;
	out->n = 0;
	if (di_dwarf(m)) {
		di_index(m);
		walk_for(m, p.func, wild);
		/* Copy the candidates first: filling one in may walk a unit,
		 * which adds inlined instances to the index. */
		int lo = 0, hi = m->nfn;
		if (!wild) {
			lo = first_named(m, p.func);
			hi = lo;
			while (hi < m->nfn && !strcmp(m->fn[hi].name, p.func))
				hi++;
		}
		int nc = 0, ccap = 0;
		DiFuncEnt *cand = NULL;
		for (int i = lo; i < hi; i++) {
			const DiFuncEnt *e = &m->fn[i];
			if (e->abstract || (wild && fnmatch(p.func, e->name, 0) != 0))
				continue;
			*(DiFuncEnt *)di_push(m, (void **)&cand, &nc, &ccap, sizeof(*e)) = *e;
		}
		for (int i = 0; i < nc; i++) {
			DiFunc f;
			if (!di_func_fill(m, &cand[i], &f))
				continue;
			/* The assembler describes a function once per name it
			 * has (pkey_alloc, __GI_pkey_alloc): one probe. */
			int dup = f.inlined ? -1 : idx_find(&by_entry, out, entry_key, entry_key(&f),
							    same_cu, &f);
			if (dup >= 0) {
				/* The first in the DWARF, as SystemTap keeps it. */
				if (f.die < out->v[dup].die)
					out->v[dup] = f;
				continue;
			}
			if (p.file && !di_file_matches(p.file, f.file))
				continue;
			if (line_filter && !line_selects(m, &p, &f, cand[i].cuix))
				continue;
			*(DiFunc *)di_push(m, (void **)&out->v, &out->n, &cap, sizeof(f)) = f;
			idx_add(&by_entry, out, entry_key, out->n - 1);
		}
	}
	for (int i = 0; i < out->n; i++)
		idx_add(&by_die, out, die_key, i);
	if (syms && !p.file) {
		di_read_syms(m);
		for (int i = 0; i < m->nsym; i++) {
			const DiSym *s = &m->sym[i];
			if (wild ? fnmatch(p.func, s->name, 0) != 0 : strcmp(p.func, s->name) != 0)
				continue;
			if (!s->in_dwarf) {
				DiFunc *f = di_push(m, (void **)&out->v, &out->n, &cap, sizeof(*f));
				di_func_from_sym(s, f);
				continue;
			}
			/* Another name of a DWARF function (malloc for
			 * __libc_malloc): that function, once. */
			DiFunc f;
			if (!dwarf_function_at_entry(m, s->addr, &f))
				continue;
			bool dup = idx_find(&by_die, out, die_key, die_key(&f), any, NULL) >= 0 ||
				   idx_find(&by_entry, out, entry_key, f.entry + 1, any, NULL) >= 0;
			if (!dup) {
				*(DiFunc *)di_push(m, (void **)&out->v, &out->n, &cap, sizeof(f)) = f;
				idx_add(&by_die, out, die_key, out->n - 1);
				idx_add(&by_entry, out, entry_key, out->n - 1);
			}
		}
	}
	free(by_entry.slot);
	free(by_die.slot);
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof(*out->v), cmp_func);
	return out->n;
}

int di_functions(DiModule *m, const char *pattern, DiFuncs *out)
{
	DiPattern p;
	out->v = NULL;
	out->n = 0;
	if (di_parse_pattern(m, pattern, &p))
		return -1;
	return di_match_funcs(m, &p, true, true, out);
}

bool di_func_of_die(DiModule *m, Dwarf_Die *die, Dwarf_Off cu, DiFunc *out)
{
	DiFuncEnt e = {
		.name = dwarf_diename(die),
		.die = dwarf_dieoffset(die),
		.cu = cu,
		.cuix = di_cu_index(m, cu),
		.inlined = dwarf_tag(die) == DW_TAG_inlined_subroutine,
	};
	return e.name && di_func_fill(m, &e, out);
}

int di_function_at(DiModule *m, uint64_t addr, DiFunc *out)
{
	if (di_dwarf(m)) {
		di_index(m);
		Dwarf_Addr bias;
		Dwarf_Die *cudie = dwfl_module_addrdie(m->mod, addr, &bias);
		/* The concrete function holding addr: an address inside an
		 * inlined instance still names the function its code is in. */
		Dwarf_Die c;
		if (cudie && dwarf_child(cudie, &c) == 0) {
			do {
				if (dwarf_tag(&c) == DW_TAG_subprogram && dwarf_haspc(&c, addr) > 0 &&
				    di_func_of_die(m, &c, dwarf_dieoffset(cudie), out))
					return 0;
			} while (dwarf_siblingof(&c, &c) == 0);
		}
	}
	const DiSym *s = di_sym_at(m, addr);
	if (s) {
		di_func_from_sym(s, out);
		return 0;
	}
	return di_fail(m, "no function holds address 0x%llx in %s", (unsigned long long)addr,
		       m->path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int di_function_names(DiModule *m, const char ***names)
{
	if (!m->names) {
		di_index(m);
		di_read_syms(m);
		int cap = 0, n = 0;
		const char **v = NULL;
		for (int i = 0; i < m->nfn; i++)
			*(const char **)di_push(m, (void **)&v, &n, &cap, sizeof(*v)) = m->fn[i].name;
		for (int i = 0; i < m->nsym; i++)
			if (!m->sym[i].in_dwarf)
				*(const char **)di_push(m, (void **)&v, &n, &cap, sizeof(*v)) =
					m->sym[i].name;
		if (n > 1)
			qsort(v, (size_t)n, sizeof(*v), cmp_str);
		int k = 0;
		for (int i = 0; i < n; i++)
			if (!k || strcmp(v[k - 1], v[i]))
				v[k++] = v[i];
		m->names = v;
		m->nnames = k;
	}
	*names = m->names;
	return m->nnames;
}
