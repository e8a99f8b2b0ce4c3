/* ud_read and ud_write_c (translate/unwind_data.h): opening the file with
 * libdwfl, its segments, and the C the module embeds. */
#include "translate/unwind_data.h"

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int ud_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ud_fail(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

static int ud_read_segs(Elf *elf, UdData *d, char **err)
{
	uint64_t hi = 0;
	size_t i, nph;

	if (elf_getphdrnum(elf, &nph) != 0)
		return ud_fail(err, "%s: no program headers", d->path);
	d->segs = calloc(nph ? nph : 1, sizeof(*d->segs));
	if (!d->segs)
		return ud_fail(err, "out of memory");
	d->base = UINT64_MAX;
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		d->segs[d->nsegs++] = (UdSeg){ ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz };
		if ((ph.p_vaddr & ~0xfffULL) < d->base)
			d->base = ph.p_vaddr & ~0xfffULL;
		if (ph.p_vaddr + ph.p_memsz > hi)
			hi = ph.p_vaddr + ph.p_memsz;
	}
	if (!d->nsegs)
		return ud_fail(err, "%s: no loadable segment", d->path);
	d->span = hi - d->base;
	return 0;
}

int ud_read(const char *path, UdData *d, char **err)
{
	static const Dwfl_Callbacks cb = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	char real[PATH_MAX];
	Dwfl_Module *m;
	GElf_Ehdr eh;
	Dwarf_Addr bias;
	Dwfl *dwfl;
	Elf *elf;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	*err = NULL;
	if (!realpath(path, real))
		return ud_fail(err, "cannot open %s: %s", path, strerror(errno));
	d->path = strdup(real);
	dwfl = dwfl_begin(&cb);
	if (!d->path || !dwfl)
		return ud_fail(err, "out of memory");
	m = dwfl_report_offline(dwfl, "", real, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	elf = m ? dwfl_module_getelf(m, &bias) : NULL;
	if (!elf) {
		rc = ud_fail(err, "cannot open %s: %s", real, dwfl_errmsg(-1));
		goto out;
	}
	if (!gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64 ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		rc = ud_fail(err, "%s is not an x86-64 program or shared library", real);
		goto out;
	}
	if (ud_read_segs(elf, d, err) || ud_read_syms(m, d, err) || ud_read_cfi(m, d, err))
		goto out;
	rc = 0;
out:
	dwfl_end(dwfl);
	return rc;
}

void ud_free(UdData *d)
{
	int i;

	for (i = 0; i < d->nsyms; i++)
		free((char *)d->syms[i].name);
	free(d->path);
	free(d->segs);
	free(d->syms);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

static void ud_write_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			fprintf(out, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void ud_write_c(FILE *out, const UdData *d, const char *name)
{
	uint32_t off = 0;
	int i;

	fprintf(out, "/* %s: %d symbols, %d CFI rows (%d by frame pointer) */\n", d->path,
		d->nsyms, d->nrows, d->unknown_rows);
	fprintf(out, "static const struct stp_useg %s_segs[] = {\n", name);
	for (i = 0; i < d->nsegs; i++)
		fprintf(out, "\t{ %#llx, %#llx, %#llx },\n", (unsigned long long)d->segs[i].offset,
			(unsigned long long)d->segs[i].vaddr, (unsigned long long)d->segs[i].filesz);
	fprintf(out, "};\nstatic const struct stp_usym %s_syms[] = {\n", name);
	for (i = 0; i < d->nsyms; i++) {
		fprintf(out, "\t{ %#llx, %#llx, %u },\n", (unsigned long long)d->syms[i].addr,
			(unsigned long long)d->syms[i].size, off);
		off += (uint32_t)strlen(d->syms[i].name) + 1;
	}
	if (!d->nsyms)
		fprintf(out, "\t{ 0, 0, 0 },\n");
	fprintf(out, "};\nstatic const char %s_strs[] =\n", name);
	for (i = 0; i < d->nsyms; i++) {
		fputc('\t', out);
		ud_write_str(out, d->syms[i].name);
		fprintf(out, " \"\\0\"\n");
	}
	fprintf(out, "\t\"\";\nstatic const struct stp_ucfi %s_cfi[] = {\n", name);
	for (i = 0; i < d->nrows; i++) {
		const UdRow *r = &d->rows[i];

		fprintf(out, "\t{ %#llx, %d, %d, %d, %u, %u },\n",
			(unsigned long long)(r->pc - d->base), r->cfa_off, r->ra_off, r->bp_off,
			r->cfa_reg, r->flags);
	}
	if (!d->nrows)
		fprintf(out, "\t{ 0, 0, 0, 0, 0, 4 },\n");
	fprintf(out, "};\nstatic const struct stp_umodule %s = {\n\t", name);
	ud_write_str(out, d->path);
	fprintf(out, ", %#llx, %#llx,\n\t%s_segs, %d, %s_syms, %d, %s_strs, %s_cfi, %d\n};\n",
		(unsigned long long)d->base, (unsigned long long)d->span, name, d->nsegs, name,
		d->nsyms, name, name, d->nrows);
}

int ud_emit(FILE *out, const char *path, const char *name, char **err)
{
	UdData d;

	if (ud_read(path, &d, err) < 0) {
		ud_free(&d);
		return -1;
	}
	ud_write_c(out, &d, name);
	ud_free(&d);
	return 0;
}
