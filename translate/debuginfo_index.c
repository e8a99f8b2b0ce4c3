/* The per-module function index, built once on first use.
 *
 * Reading every DIE of a big program is what makes probe resolution slow,
 * so the index is built in two steps.  First only the top level of each
 * unit is read: every function that has code, and the abstract
 * definitions of inlined functions.  A unit is walked in full (for its
 * DW_TAG_inlined_subroutine instances and its location lists) only when a
 * query needs it: a name that is inlined there, or a wildcard. */
#include "translate/debuginfo_int.h"
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>

static bool has_code(Dwarf_Die *die)
{
	return dwarf_hasattr(die, DW_AT_low_pc) || dwarf_hasattr(die, DW_AT_ranges) ||
	       dwarf_hasattr(die, DW_AT_entry_pc);
}

static void push_fn(DiModule *m, Dwarf_Die *die, Dwarf_Off cu, uint32_t cuix, bool inlined,
		    bool abstract)
{
	const char *name = dwarf_diename(die);
	if (!name || !*name)
		return;
	DiFuncEnt *e = di_push(m, (void **)&m->fn, &m->nfn, &m->fncap, sizeof(*e));
	e->name = name;
	e->die = dwarf_dieoffset(die);
	e->cu = cu;
	e->cuix = cuix;
	e->inlined = inlined;
	e->abstract = abstract;
	m->fn_sorted = false;
}

/* Top-level functions of one unit, and those in C++ namespaces. */
static void scan_top(DiModule *m, Dwarf_Die *parent, Dwarf_Off cu, uint32_t cuix)
{
	Dwarf_Die die;
	if (dwarf_child(parent, &die) != 0)
		return;
	do {
		int tag = dwarf_tag(&die);
		if (tag == DW_TAG_namespace) {
			scan_top(m, &die, cu, cuix);
			continue;
		}
		if (tag != DW_TAG_subprogram || dwarf_hasattr(&die, DW_AT_declaration))
			continue;
		if (has_code(&die)) {
			push_fn(m, &die, cu, cuix, false, false);
		} else if (dwarf_hasattr(&die, DW_AT_inline)) {
			m->cus[cuix].has_inline_abstract = true;
			push_fn(m, &die, cu, cuix, false, true);
		}
	} while (dwarf_siblingof(&die, &die) == 0);
}

void di_index(DiModule *m)
{
	if (m->indexed)
		return;
	m->indexed = true;
	Dwarf *dw = di_dwarf(m);
	if (!dw)
		return;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t type;
	Dwarf_Die cudie, subdie;
	int cap = 0;
	while (dwarf_get_units(dw, cu, &next, &version, &type, &cudie, &subdie) == 0) {
		cu = next;
		if (type != DW_UT_compile && type != DW_UT_partial)
			continue;
		DiCu *c = di_push(m, (void **)&m->cus, &m->ncus, &cap, sizeof(*c));
		c->off = dwarf_dieoffset(&cudie);
		c->valid_locs = -1;
		scan_top(m, &cudie, c->off, (uint32_t)(m->ncus - 1));
	}
}

uint32_t di_cu_index(DiModule *m, Dwarf_Off cu)
{
	int lo = 0, hi = m->ncus - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->cus[mid].off == cu)
			return (uint32_t)mid;
		if (m->cus[mid].off < cu)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

static bool is_loclist(Dwarf_Attribute *a)
{
	switch (dwarf_whatform(a)) {
	case DW_FORM_sec_offset:
	case DW_FORM_loclistx:
	case DW_FORM_data4:
	case DW_FORM_data8:
		return true;
	default:
		return false;
	}
}

static void walk(DiModule *m, Dwarf_Die *parent, Dwarf_Off cu, uint32_t cuix)
{
	Dwarf_Die die;
	if (dwarf_child(parent, &die) != 0)
		return;
	do {
		int tag = dwarf_tag(&die);
		switch (tag) {
		case DW_TAG_inlined_subroutine:
			if (has_code(&die))
				push_fn(m, &die, cu, cuix, true, false);
			break;
		case DW_TAG_variable:
		case DW_TAG_formal_parameter: {
			Dwarf_Attribute a;
			if (!m->cus[cuix].has_loclists && dwarf_attr(&die, DW_AT_location, &a) &&
			    is_loclist(&a))
				m->cus[cuix].has_loclists = true;
			continue;	/* no children worth reading */
		}
		case DW_TAG_base_type: case DW_TAG_pointer_type: case DW_TAG_typedef:
		case DW_TAG_const_type: case DW_TAG_volatile_type: case DW_TAG_structure_type:
		case DW_TAG_union_type: case DW_TAG_enumeration_type: case DW_TAG_array_type:
		case DW_TAG_subroutine_type: case DW_TAG_member:
			continue;	/* types hold no code */
		default:
			break;
		}
		if (dwarf_haschildren(&die))
			walk(m, &die, cu, cuix);
	} while (dwarf_siblingof(&die, &die) == 0);
}

void di_walk_cu(DiModule *m, uint32_t cuix)
{
	DiCu *c = &m->cus[cuix];
	if (c->walked)
		return;
	c->walked = true;
	Dwarf_Die cudie;
	if (!di_cu_die(m, c->off, &cudie))
		return;
	walk(m, &cudie, c->off, cuix);
}

void di_walk_all(DiModule *m)
{
	if (m->all_walked)
		return;
	m->all_walked = true;
	for (int i = 0; i < m->ncus; i++)
		di_walk_cu(m, (uint32_t)i);
}

static int cmp_fn(const void *a, const void *b)
{
	const DiFuncEnt *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->cu != y->cu)
		return x->cu < y->cu ? -1 : 1;
	return x->die < y->die ? -1 : x->die > y->die;
}

void di_sort_index(DiModule *m)
{
	if (m->fn_sorted)
		return;
	if (m->nfn > 1)
		qsort(m->fn, (size_t)m->nfn, sizeof(*m->fn), cmp_fn);
	m->fn_sorted = true;
}

/* ---- the symbol table ---- */

static int cmp_sym(const void *a, const void *b)
{
	const DiSym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool dwarf_has_name(DiModule *m, const char *name)
{
	int lo = 0, hi = m->nfn - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(m->fn[mid].name, name);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* Is addr inside a function the DWARF describes?  Only the unit's top
 * level is read: the functions there hold all the unit's code. */
static bool in_dwarf_code(DiModule *m, uint64_t addr)
{
	Dwarf_Addr b;
	Dwarf_Die *cu = dwfl_module_addrdie(m->mod, addr, &b);
	Dwarf_Die c;
	if (!cu || dwarf_child(cu, &c) != 0)
		return false;
	do {
		if (dwarf_tag(&c) == DW_TAG_subprogram && dwarf_haspc(&c, addr) > 0)
			return true;
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

void di_read_syms(DiModule *m)
{
	if (m->syms_read)
		return;
	m->syms_read = true;
	di_index(m);
	di_sort_index(m);
	int n = dwfl_module_getsymtab(m->mod);
	int cap = 0;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf;
		Dwarf_Addr bias;
		const char *name = dwfl_module_getsym_info(m->mod, i, &sym, &addr, &shndx,
							   &elf, &bias);
		if (!name || !*name || sym.st_shndx == SHN_UNDEF)
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		DiSym *s = di_push(m, (void **)&m->sym, &m->nsym, &cap, sizeof(*s));
		s->name = name;
		s->addr = sym.st_value;
		s->size = sym.st_size;
		s->global = GELF_ST_BIND(sym.st_info) != STB_LOCAL;
		s->in_dwarf = dwarf_has_name(m, name);
	}
	if (m->nsym > 1)
		qsort(m->sym, (size_t)m->nsym, sizeof(*m->sym), cmp_sym);
	/* .symtab and .dynsym both name most functions: keep one of each. */
	int k = 0;
	for (int i = 0; i < m->nsym; i++)
		if (!k || strcmp(m->sym[k - 1].name, m->sym[i].name) ||
		    m->sym[k - 1].addr != m->sym[i].addr)
			m->sym[k++] = m->sym[i];
	m->nsym = k;
	/* A symbol inside code the DWARF describes (foo.cold, foo.isra.0) is a
	 * part of a DWARF function, not a function of its own. */
	if (di_dwarf(m))
		for (int i = 0; i < m->nsym; i++)
			if (!m->sym[i].in_dwarf)
				m->sym[i].in_dwarf = in_dwarf_code(m, m->sym[i].addr);
}

const DiSym *di_sym_at(DiModule *m, uint64_t addr)
{
	di_read_syms(m);
	const DiSym *best = NULL;
	for (int i = 0; i < m->nsym; i++) {
		const DiSym *s = &m->sym[i];
		if (addr < s->addr)
			continue;
		if (addr == s->addr || addr - s->addr < s->size) {
			if (!best || (s->global && !best->global))
				best = s;
		}
	}
	return best;
}

bool di_sym_addr(DiModule *m, const char *name, uint64_t *addr)
{
	int n = dwfl_module_getsymtab(m->mod);
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr a;
		GElf_Word shndx;
		Elf *elf;
		Dwarf_Addr bias;
		const char *s = dwfl_module_getsym_info(m->mod, i, &sym, &a, &shndx, &elf, &bias);
		if (s && sym.st_shndx != SHN_UNDEF && !strcmp(s, name)) {
			*addr = sym.st_value;
			return true;
		}
	}
	return false;
}
