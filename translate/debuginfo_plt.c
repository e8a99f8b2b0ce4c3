/* .plt("NAME"): the program's PLT entries, named by their jump-slot
 * relocations.
 *
 * The linker lays out one PLT entry per .rela.plt relocation, in order:
 * 16 bytes each after the 16-byte PLT0 in .plt, or, when the program was
 * linked with IBT (-fcf-protection), 16 bytes each from the start of
 * .plt.sec, which is where calls go.  Entries in .plt.got (functions whose
 * address is also taken) have no jump slot and no .plt probe, as in
 * SystemTap. */
#include "translate/debuginfo_int.h"
#include <fnmatch.h>
#include <string.h>

enum { PLT_ENTRY = 16 };

static bool find_scn(Elf *elf, const char *want, GElf_Shdr *out, Elf_Scn **scn_out)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		const char *name;
		if (gelf_getshdr(scn, &sh) && (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, want)) {
			*out = sh;
			*scn_out = scn;
			return true;
		}
	}
	return false;
}

int di_plts(DiModule *m, const char *pattern, DiPlts *out)
{
	out->v = NULL;
	out->n = 0;
	GElf_Shdr rel_sh, plt_sh, sym_sh;
	Elf_Scn *rel_scn, *plt_scn;
	if (!find_scn(m->elf, ".rela.plt", &rel_sh, &rel_scn) || rel_sh.sh_type != SHT_RELA)
		return 0;
	uint64_t first;
	if (find_scn(m->elf, ".plt.sec", &plt_sh, &plt_scn)) {
		first = plt_sh.sh_addr;
	} else if (find_scn(m->elf, ".plt", &plt_sh, &plt_scn)) {
		first = plt_sh.sh_addr + PLT_ENTRY;
	} else {
		return 0;
	}
	Elf_Scn *sym_scn = elf_getscn(m->elf, rel_sh.sh_link);
	Elf_Data *syms = sym_scn ? elf_getdata(sym_scn, NULL) : NULL;
	Elf_Data *rels = elf_getdata(rel_scn, NULL);
	if (!syms || !rels || !gelf_getshdr(sym_scn, &sym_sh))
		return 0;
	size_t n = rel_sh.sh_entsize ? rel_sh.sh_size / rel_sh.sh_entsize : 0;
	int cap = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		GElf_Sym sym;
		if (!gelf_getrela(rels, (int)i, &r))
			break;
		uint64_t addr = first + i * PLT_ENTRY;
		if (addr + PLT_ENTRY > plt_sh.sh_addr + plt_sh.sh_size)
			break;
		if (GELF_R_TYPE(r.r_info) != R_X86_64_JUMP_SLOT || !GELF_R_SYM(r.r_info))
			continue;
		if (!gelf_getsym(syms, (int)GELF_R_SYM(r.r_info), &sym))
			continue;
		const char *name = elf_strptr(m->elf, sym_sh.sh_link, sym.st_name);
		if (!name || !*name || fnmatch(pattern, name, 0) != 0)
			continue;
		DiPlt *p = di_push(m, (void **)&out->v, &out->n, &cap, sizeof(*p));
		p->name = name;
		p->addr = addr;
		p->file_offset = di_file_offset(m, addr);
	}
	return out->n;
}
