/* Modules: opening an ELF file with libdwfl, finding its DWARF, the
 * process-wide module cache, and the helpers the other debuginfo files
 * share. */
#include "translate/debuginfo_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int di_fail(DiModule *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	return -1;
}

const char *di_error(const DiModule *m)
{
	return m->err;
}

char *di_strdup(DiModule *m, const char *s)
{
	return arena_strndup(&m->arena, s, strlen(s));
}

char *di_printf(DiModule *m, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(small))
		return di_strdup(m, small);
	char *s = arena_alloc(&m->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void *di_push(DiModule *m, void **v, int *n, int *cap, size_t size)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		void *nv = arena_alloc(&m->arena, size * (size_t)ncap);
		if (*n)
			memcpy(nv, *v, size * (size_t)*n);
		*v = nv;
		*cap = ncap;
	}
	void *e = (char *)*v + size * (size_t)(*n)++;
	memset(e, 0, size);
	return e;
}

/* Separate debuginfo by build-id or .gnu_debuglink in the standard places,
 * but never through debuginfod: a translation must not touch the network
 * or wait on it. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	char *saved = NULL;
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (urls) {
		saved = strdup(urls);
		unsetenv("DEBUGINFOD_URLS");
	}
	int fd = dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name,
					      debuglink_file, debuglink_crc,
					      debuginfo_file_name);
	if (saved) {
		setenv("DEBUGINFOD_URLS", saved, 1);
		free(saved);
	}
	return fd;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static char *errdup(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

static bool read_segments(DiModule *m)
{
	size_t n;
	if (elf_getphdrnum(m->elf, &n) != 0)
		return false;
	int cap = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(m->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		struct DiSeg *s = di_push(m, (void **)&m->seg, &m->nseg, &cap, sizeof(*s));
		s->vaddr = ph.p_vaddr;
		s->memsz = ph.p_memsz;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
	}
	return m->nseg > 0;
}

DiModule *di_open(const char *path, char **err)
{
	*err = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errdup("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	char magic[4];
	ssize_t got = read(fd, magic, 4);
	close(fd);
	if (got != 4 || memcmp(magic, ELFMAG, SELFMAG) != 0) {
		*err = errdup("'%s' is not an ELF file", path);
		return NULL;
	}
	elf_version(EV_CURRENT);
	DiModule *m = calloc(1, sizeof(*m));
	if (!m) {
		*err = strdup("out of memory");
		return NULL;
	}
	m->path = strdup(path);
	m->dwfl = dwfl_begin(&callbacks);
	if (!m->path || !m->dwfl) {
		*err = errdup("cannot read '%s': %s", path, dwfl_errmsg(-1));
		di_close(m);
		return NULL;
	}
	dwfl_report_begin(m->dwfl);
	const char *base = strrchr(path, '/');
	m->mod = dwfl_report_elf(m->dwfl, base ? base + 1 : path, path, -1, 0, false);
	dwfl_report_end(m->dwfl, NULL, NULL);
	Dwarf_Addr bias = 0;
	m->elf = m->mod ? dwfl_module_getelf(m->mod, &bias) : NULL;
	if (!m->elf) {
		*err = errdup("cannot read '%s': %s", path, dwfl_errmsg(-1));
		di_close(m);
		return NULL;
	}
	GElf_Ehdr eh;
	if (!gelf_getehdr(m->elf, &eh)) {
		*err = errdup("cannot read the ELF header of '%s'", path);
		di_close(m);
		return NULL;
	}
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
		*err = errdup("'%s' is not an executable or a shared library", path);
		di_close(m);
		return NULL;
	}
	if (eh.e_machine != EM_X86_64) {
		*err = errdup("'%s' is not an x86-64 program (ELF machine %u): only x86-64 "
			      "processes can be probed", path, eh.e_machine);
		di_close(m);
		return NULL;
	}
	m->etype = eh.e_type;
	if (!read_segments(m)) {
		*err = errdup("'%s' has no loadable segments", path);
		di_close(m);
		return NULL;
	}
	return m;
}

void di_close(DiModule *m)
{
	if (!m)
		return;
	if (m->dwfl)
		dwfl_end(m->dwfl);
	arena_free(&m->arena);
	free(m->path);
	free(m->warning);
	free(m);
}

const char *di_path(const DiModule *m)
{
	return m->path;
}

bool di_is_shared(const DiModule *m)
{
	return m->etype == ET_DYN;
}

uint64_t di_load_base(const DiModule *m)
{
	uint64_t low = UINT64_MAX;
	for (int i = 0; i < m->nseg; i++)
		if (m->seg[i].vaddr < low)
			low = m->seg[i].vaddr;
	return low == UINT64_MAX ? 0 : low & ~(uint64_t)0xfff;
}

bool di_is_program(const DiModule *m)
{
	if (m->etype == ET_EXEC)
		return true;
	size_t n;
	if (elf_getphdrnum(m->elf, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(m->elf, (int)i, &ph) && ph.p_type == PT_INTERP)
			return true;
	}
	return false;
}

uint64_t di_file_offset(const DiModule *m, uint64_t addr)
{
	for (int i = 0; i < m->nseg; i++) {
		const struct DiSeg *s = &m->seg[i];
		if (addr >= s->vaddr && addr - s->vaddr < s->filesz)
			return s->offset + (addr - s->vaddr);
	}
	return UINT64_MAX;
}

Dwarf *di_dwarf(DiModule *m)
{
	if (m->dw_tried)
		return m->dw;
	m->dw_tried = true;
	Dwarf_Addr bias = 0;
	m->dw = dwfl_module_getdwarf(m->mod, &bias);
	/* Reported at its link-time addresses, the module has no bias: DWARF
	 * addresses are the file's. */
	if (m->dw && bias != 0)
		m->dw = NULL;
	if (m->dw) {
		const char *mainfile = NULL, *debugfile = NULL;
		dwfl_module_info(m->mod, NULL, NULL, NULL, NULL, NULL, &mainfile, &debugfile);
		m->debug_path = debugfile ? debugfile : mainfile ? mainfile : m->path;
		/* A file whose only "DWARF" is an empty .debug_info (some
		 * toolchains leave one) has nothing to offer. */
		Dwarf_Off next;
		size_t hsize;
		if (dwarf_nextcu(m->dw, 0, &next, &hsize, NULL, NULL, NULL) != 0)
			m->dw = NULL;
	}
	return m->dw;
}

bool di_has_dwarf(DiModule *m)
{
	return di_dwarf(m) != NULL;
}

const char *di_debug_path(DiModule *m)
{
	return di_dwarf(m) ? m->debug_path : NULL;
}

const char *di_nodwarf_warning(DiModule *m)
{
	if (!m->warning)
		m->warning = errdup("cannot find module %s debuginfo: No DWARF information "
				    "found [man warning::debuginfo]; probing functions by "
				    "their symbols, without $variables", m->path);
	return m->warning;
}

bool di_die(DiModule *m, Dwarf_Off off, Dwarf_Die *out)
{
	return di_dwarf(m) && dwarf_offdie(m->dw, off, out) != NULL;
}

bool di_cu_die(DiModule *m, Dwarf_Off cu, Dwarf_Die *out)
{
	return di_die(m, cu, out);
}

/* ---- the module cache ---- */

static struct {
	char *real;
	DiModule *m;
} *cache;
static int ncache, cache_cap;

DiModule *di_get(const char *path, char **err)
{
	char real[PATH_MAX];
	*err = NULL;
	if (!realpath(path, real)) {
		*err = errdup("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (int i = 0; i < ncache; i++)
		if (!strcmp(cache[i].real, real))
			return cache[i].m;
	DiModule *m = di_open(real, err);
	if (!m)
		return NULL;
	if (ncache == cache_cap) {
		int ncap = cache_cap ? cache_cap * 2 : 8;
		void *nc = realloc(cache, sizeof(*cache) * (size_t)ncap);
		if (!nc) {
			di_close(m);
			*err = strdup("out of memory");
			return NULL;
		}
		cache = nc;
		cache_cap = ncap;
	}
	cache[ncache].real = strdup(real);
	cache[ncache].m = m;
	ncache++;
	return m;
}

void di_close_all(void)
{
	for (int i = 0; i < ncache; i++) {
		di_close(cache[i].m);
		free(cache[i].real);
	}
	free(cache);
	cache = NULL;
	ncache = cache_cap = 0;
}
