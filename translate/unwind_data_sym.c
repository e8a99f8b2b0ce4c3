/* The function symbols of a file for runtime/usym.c: libdwfl's symbol
 * table (the file's .symtab, else the separate debuginfo's, else
 * .dynsym, as gdb finds them), one name per address, sized. */
#include "translate/unwind_data.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

/* Which name an address keeps when several symbols share it: a global
 * over a weak over a local, then the first in the table, as gdb's
 * "info symbol" names it (libc.so's __libc_start_main, a static
 * program's __libc_start_main_impl). */
static int ud_rank(const UdSym *s)
{
	return s->bind == STB_GLOBAL ? 0 : s->bind == STB_WEAK ? 1 : 2;
}

static int ud_sym_cmp(const void *a, const void *b)
{
	const UdSym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (ud_rank(x) != ud_rank(y))
		return ud_rank(x) - ud_rank(y);
	return x->index - y->index;
}

int ud_read_syms(Dwfl_Module *m, UdData *d, char **err)
{
	int n = dwfl_module_getsymtab(m), i, k;
	Dwarf_Addr bias;

	(void)err;
	dwfl_module_getelf(m, &bias);
	d->syms = calloc(n > 0 ? (size_t)n : 1, sizeof(*d->syms));
	if (!d->syms)
		return -1;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(m, i, &sym, &addr, &shndx, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || shndx == SHN_UNDEF || !addr)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		/* .dynsym names carry their version ("memcpy@@GLIBC_2.14"):
		 * the function's name is the part before. */
		d->syms[d->nsyms++] = (UdSym){ addr - bias, sym.st_size,
					       strndup(name, strcspn(name, "@")),
					       GELF_ST_BIND(sym.st_info), i };
	}
	qsort(d->syms, (size_t)d->nsyms, sizeof(*d->syms), ud_sym_cmp);
	for (i = k = 0; i < d->nsyms; i++) {
		if (k && d->syms[k - 1].addr == d->syms[i].addr) {
			if (!d->syms[k - 1].size)
				d->syms[k - 1].size = d->syms[i].size;
			free((char *)d->syms[i].name);
			continue;
		}
		d->syms[k++] = d->syms[i];
	}
	d->nsyms = k;
	/* A symbol without a size reaches the next one, as SystemTap reads it. */
	for (i = 0; i + 1 < d->nsyms; i++)
		if (!d->syms[i].size)
			d->syms[i].size = d->syms[i + 1].addr - d->syms[i].addr;
	return 0;
}
