/* Module file inspection with libelf.  Every offset the file claims is
 * checked against its real size first, so a truncated or corrupt file is
 * reported, never read past. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "modinfo.h"
#include "msg.h"
#include "runtime/user/transport.h"
#include <ctype.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool modname_valid(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n < MOD_NAME_MAX &&
		strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* The machine staprun itself was built for: modules must match it. */
static int host_machine(void)
{
	static int machine = -1;
	if (machine < 0) {
		Elf64_Ehdr eh;
		FILE *f = fopen("/proc/self/exe", "rb");
		machine = EM_NONE;
		if (f && fread(&eh, sizeof(eh), 1, f) == 1)
			machine = eh.e_machine;
		if (f)
			fclose(f);
	}
	return machine;
}

static int bad(const char *path, const char *why)
{
	err("'%s' is not a systemtap module: %s.", path, why);
	return -1;
}

/* Section bounds lie inside the file and names resolve. */
static bool sections_sane(Elf *e, off_t size, size_t *shstrndx)
{
	size_t nsec;
	Elf_Scn *s = NULL;

	if (elf_getshdrnum(e, &nsec) || elf_getshdrstrndx(e, shstrndx))
		return false;
	while ((s = elf_nextscn(e, s))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh))
			return false;
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > (GElf_Off)size || sh.sh_size > (GElf_Off)size - sh.sh_offset))
			return false;
	}
	return true;
}

static Elf_Scn *find_section(Elf *e, size_t shstrndx, const char *want, GElf_Shdr *out)
{
	Elf_Scn *s = NULL;
	while ((s = elf_nextscn(e, s))) {
		const char *n;
		if (!gelf_getshdr(s, out))
			return NULL;
		n = elf_strptr(e, shstrndx, out->sh_name);
		if (n && !strcmp(n, want))
			return s;
	}
	return NULL;
}

static void add_param(struct modinfo *mi, const char *spec)
{
	const char *colon = strchr(spec, ':');
	if (!colon)
		return;
	struct mod_param *p = realloc(mi->params, sizeof(*p) * (size_t)(mi->nparams + 1));
	if (!p)
		return;
	mi->params = p;
	p[mi->nparams].name = strndup(spec, (size_t)(colon - spec));
	p[mi->nparams].type = strdup(colon + 1);
	mi->nparams++;
}

static int read_kernel(const char *path, Elf *e, size_t shstrndx, struct modinfo *mi)
{
	GElf_Shdr sh;
	Elf_Scn *s = find_section(e, shstrndx, ".modinfo", &sh);
	Elf_Data *d;

	if (!s || !(d = elf_getdata(s, NULL)) || !d->d_buf)
		return bad(path, "it has no .modinfo section");
	if (!find_section(e, shstrndx, ".gnu.linkonce.this_module", &sh))
		return bad(path, "it has no .gnu.linkonce.this_module section");
	mi->kind = MOD_KERNEL;
	mi->transport = -1;
	const char *p = d->d_buf, *end = p + d->d_size;
	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));
		char entry[512];
		snprintf(entry, sizeof(entry), "%.*s", (int)n, p);
		if (!strncmp(entry, "name=", 5) && strlen(entry + 5) < sizeof(mi->name))
			memcpy(mi->name, entry + 5, strlen(entry + 5) + 1);
		else if (!strncmp(entry, "vermagic=", 9))
			mi->vermagic = strdup(entry + 9);
		else if (!strncmp(entry, "stap_transport=", 15))
			mi->transport = atoi(entry + 15);
		else if (!strncmp(entry, "parmtype=", 9))
			add_param(mi, entry + 9);
		p += n + 1;
	}
	if (mi->transport < 0)
		return bad(path, "it is a kernel module without the systemtap transport");
	if (!mi->vermagic)
		return bad(path, "it has no vermagic");
	if (!modname_valid(mi->name))
		return bad(path, "it has no valid module name");
	return 0;
}

static int read_user(const char *path, Elf *e, size_t shstrndx, struct modinfo *mi)
{
	Elf_Scn *s = NULL;

	(void)shstrndx;
	while ((s = elf_nextscn(e, s))) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
			continue;
		if (!(d = elf_getdata(s, NULL)))
			break;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name;
			if (!gelf_getsym(d, (int)i, &sym))
				break;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, STP_USER_MAIN_SYMBOL) && sym.st_shndx != SHN_UNDEF &&
			    GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
				mi->kind = MOD_USER;
				return 0;
			}
		}
	}
	return bad(path, "it is a shared object without " STP_USER_MAIN_SYMBOL);
}

int modinfo_read(const char *path, int fd, struct modinfo *mi)
{
	struct stat st;
	size_t shstrndx;
	GElf_Ehdr eh;
	unsigned char ident[EI_NIDENT];
	int rc = -1;

	memset(mi, 0, sizeof(*mi));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return bad(path, "it is not a regular file");
	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG))
		return bad(path, st.st_size < SELFMAG ? "the file is empty or truncated"
			   : "it is not an ELF file");
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    !sections_sane(e, st.st_size, &shstrndx)) {
		bad(path, "the ELF file is truncated or corrupt");
		goto out;
	}
	/* libelf reads a header table cut off by the end of the file as
	 * empty; a cut-off table is corruption, not "no sections". */
	if (eh.e_shoff > (GElf_Off)st.st_size || eh.e_phoff > (GElf_Off)st.st_size ||
	    (GElf_Off)eh.e_shnum * eh.e_shentsize > (GElf_Off)st.st_size - eh.e_shoff ||
	    (GElf_Off)eh.e_phnum * eh.e_phentsize > (GElf_Off)st.st_size - eh.e_phoff ||
	    (eh.e_shoff == 0 && eh.e_type == ET_REL)) {
		bad(path, "the ELF file is truncated or corrupt");
		goto out;
	}
	if (eh.e_machine != host_machine()) {
		err("'%s' was built for another architecture (ELF machine %d, this is %d).",
		    path, eh.e_machine, host_machine());
		goto out;
	}
	if (eh.e_type == ET_REL)
		rc = read_kernel(path, e, shstrndx, mi);
	else if (eh.e_type == ET_DYN)
		rc = read_user(path, e, shstrndx, mi);
	else
		bad(path, "it is neither a kernel module nor a shared object");
out:
	if (e)
		elf_end(e);
	if (rc)
		modinfo_free(mi);
	return rc;
}

void modinfo_free(struct modinfo *mi)
{
	for (int i = 0; i < mi->nparams; i++) {
		free(mi->params[i].name);
		free(mi->params[i].type);
	}
	free(mi->params);
	free(mi->vermagic);
	mi->params = NULL;
	mi->vermagic = NULL;
	mi->nparams = 0;
}

const struct mod_param *modinfo_param(const struct modinfo *mi, const char *name)
{
	for (int i = 0; i < mi->nparams; i++)
		if (!strcmp(mi->params[i].name, name))
			return &mi->params[i];
	return NULL;
}
