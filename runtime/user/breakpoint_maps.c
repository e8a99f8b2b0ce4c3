/* Which breakpoints a process needs: its mappings (/proc/PID/maps) against
 * the probed files, read at exec, at attach, at fork, and whenever the
 * dynamic linker says its list of objects changed (its _dl_debug_state,
 * where gdb stops for the same reason).  Also the SDT semaphores of the
 * probes placed, counted up while the breakpoints are in. */
#include "breakpoint.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void *_ut_bp_grow(void *v, int *cap, int n, size_t size)
{
	int c;
	void *nv;

	if (n < *cap)
		return v;
	c = *cap ? 2 * *cap : 16;
	nv = realloc(v, (size_t)c * size);
	if (!nv)
		return NULL;
	*cap = c;
	return nv;
}

static struct ut_bp_ins *_ut_bp_find(struct ut_bp_proc *p, unsigned long addr)
{
	int i;

	for (i = 0; i < p->nins; i++)
		if (p->ins[i].addr == addr)
			return &p->ins[i];
	return NULL;
}

static bool _ut_bp_gone(struct ut_bp_proc *p, unsigned long addr)
{
	int i;

	for (i = 0; i < p->ngone; i++)
		if (p->gone[i] == addr)
			return true;
	return false;
}

static void _ut_bp_note_gone(struct ut_bp_proc *p, unsigned long addr)
{
	unsigned long *g;

	if (_ut_bp_gone(p, addr))
		return;
	g = _ut_bp_grow(p->gone, &p->capgone, p->ngone, sizeof(*g));
	if (!g)
		return;
	p->gone = g;
	p->gone[p->ngone++] = addr;
}

static int _ut_bp_insert(struct ut_bp_proc *p, unsigned long addr, int site, int kind)
{
	unsigned char orig, int3 = STP_BP_INT3;
	struct ut_bp_ins *ins;
	int rc;

	ins = _ut_bp_find(p, addr);
	if (ins) {
		ins->seen = true;
		return 0;
	}
	ins = _ut_bp_grow(p->ins, &p->capins, p->nins, sizeof(*ins));
	if (!ins)
		return -ENOMEM;
	p->ins = ins;
	rc = _ut_bp_read(p, addr, &orig, 1);
	if (rc == 0)
		rc = _ut_bp_write(p, addr, &int3, 1);
	if (rc) {
		if (kind == UT_BP_PROBE)
			_stp_uprobe_failed(ut_bp.files[ut_bp.sites[site].file].path,
					   ut_bp.sites[site].offset, rc);
		return rc;
	}
	ins = &p->ins[p->nins++];
	ins->addr = addr;
	ins->site = site;
	ins->kind = (unsigned char)kind;
	ins->orig = orig;
	ins->seen = true;
	stp_atomic_inc_return(&stp_ups.inserted);
	return 0;
}

/* Puts the original byte back, unless the text there is no longer ours
 * (an unmapped library, or a new one mapped in its place). */
static void _ut_bp_uninsert(struct ut_bp_proc *p, struct ut_bp_ins *ins)
{
	unsigned char cur;

	if (_ut_bp_read(p, ins->addr, &cur, 1) == 0 && cur == STP_BP_INT3)
		_ut_bp_write(p, ins->addr, &ins->orig, 1);
	_ut_bp_note_gone(p, ins->addr);
	stp_atomic_inc_return(&stp_ups.removed);
}

static int _ut_bp_sem_add(struct ut_bp_proc *p, unsigned long addr, int count)
{
	struct ut_bp_sem *s;
	unsigned short v;
	int i;

	for (i = 0; i < p->nsems; i++) {
		if (p->sems[i].addr == addr) {
			p->sems[i].seen = true;
			return 0;
		}
	}
	s = _ut_bp_grow(p->sems, &p->capsems, p->nsems, sizeof(*s));
	if (!s)
		return -ENOMEM;
	p->sems = s;
	if (_ut_bp_read(p, addr, &v, sizeof(v)))
		return -EFAULT;
	v = (unsigned short)(v + count);
	if (_ut_bp_write(p, addr, &v, sizeof(v)))
		return -EFAULT;
	s = &p->sems[p->nsems++];
	s->addr = addr;
	s->count = count;
	s->seen = true;
	for (i = 0; i < count; i++)
		stp_atomic_inc_return(&stp_ups.sem_incs);
	return 0;
}

static void _ut_bp_sem_sub(struct ut_bp_proc *p, struct ut_bp_sem *s)
{
	unsigned short v;

	if (_ut_bp_read(p, s->addr, &v, sizeof(v)) == 0) {
		v = v >= s->count ? (unsigned short)(v - s->count) : 0;
		_ut_bp_write(p, s->addr, &v, sizeof(v));
	}
}

/* Whether any probe of the site is for this process. */
static bool _ut_bp_site_wanted(const struct ut_bp_site *s, struct task_struct *t)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (_stp_uprobe_wanted(&stp_ups.probes[ut_bp.order[s->first + i]], t))
			return true;
	return false;
}

static bool _ut_bp_file_is(const struct ut_bp_file *f, unsigned long dev, unsigned long ino,
			   const char *path)
{
	if (f->ino && f->ino == ino && f->dev == dev)
		return true;
	return path && !strcmp(f->path, path);
}

/* The semaphores of the file's probes that fall in [pgoff, pgoff + len). */
static void _ut_bp_map_sems(struct ut_bp_proc *p, struct task_struct *t, int file,
			    unsigned long start, unsigned long len, unsigned long pgoff)
{
	unsigned int i;

	for (i = 0; i < stp_ups.n; i++) {
		const struct stp_uprobe *u = &stp_ups.probes[i];
		unsigned long sem = u->sdt_sem;
		int k, count = 0;

		if (!sem || sem < pgoff || sem >= pgoff + len)
			continue;
		if (strcmp(u->path, ut_bp.files[file].path) || !_stp_uprobe_wanted(u, t))
			continue;
		/* One increment per probe using the semaphore, made when the
		 * first of them is met. */
		for (k = 0; k < (int)i; k++) {
			const struct stp_uprobe *v = &stp_ups.probes[k];

			if (v->sdt_sem == sem && !strcmp(v->path, u->path) &&
			    _stp_uprobe_wanted(v, t))
				break;
		}
		if (k < (int)i)
			continue;
		for (k = (int)i; k < (int)stp_ups.n; k++) {
			const struct stp_uprobe *v = &stp_ups.probes[k];

			if (v->sdt_sem == sem && !strcmp(v->path, u->path) &&
			    _stp_uprobe_wanted(v, t))
				count++;
		}
		_ut_bp_sem_add(p, start + sem - pgoff, count);
	}
}

static void _ut_bp_map_sites(struct ut_bp_proc *p, struct task_struct *t, int file,
			     unsigned long start, unsigned long len, unsigned long pgoff)
{
	int i;

	for (i = 0; i < ut_bp.nsites; i++) {
		const struct ut_bp_site *s = &ut_bp.sites[i];

		if (s->file != file || s->offset < pgoff || s->offset >= pgoff + len)
			continue;
		if (_ut_bp_site_wanted(s, t))
			_ut_bp_insert(p, start + s->offset - pgoff, i, UT_BP_PROBE);
	}
}

/* ---- the dynamic linker's hook ---- */

/* The interpreter's load address, from the auxiliary vector of thread
 * tid's process: 0 for a program without one (static). */
static unsigned long _ut_bp_at_base(pid_t tid)
{
	unsigned long av[2];
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (read(fd, av, sizeof(av)) == (ssize_t)sizeof(av) && av[0] != AT_NULL) {
		if (av[0] == AT_BASE) {
			close(fd);
			return av[1];
		}
	}
	close(fd);
	return 0;
}

static unsigned long _ut_elf_lowest_of(Elf *elf)
{
	unsigned long lowest = ~0UL;
	size_t i, nph;

	if (!elf || elf_getphdrnum(elf, &nph) != 0)
		return lowest;
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    (ph.p_vaddr & ~0xfffUL) < lowest)
			lowest = ph.p_vaddr & ~0xfffUL;
	}
	return lowest;
}

/* The page of the file's lowest PT_LOAD, where file offset 0 is mapped
 * (0 for a shared library or PIE, 0x400000 for a classic program). */
static unsigned long _ut_elf_lowest(const char *path)
{
	static char last[4096];
	static unsigned long last_lowest;
	unsigned long lowest;
	Elf *elf;
	int fd;

	if (!strcmp(path, last))
		return last_lowest;
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	lowest = _ut_elf_lowest_of(elf);
	if (elf)
		elf_end(elf);
	close(fd);
	if (lowest == ~0UL)
		return 0;
	snprintf(last, sizeof(last), "%s", path);
	last_lowest = lowest;
	return lowest;
}

/* _dl_debug_state's address relative to the object's lowest PT_LOAD, by
 * libelf; 0 when it has none.  Cached for the last path: every process
 * of a run has the same dynamic linker. */
static unsigned long _ut_bp_rbrk_offset(const char *path)
{
	unsigned long off = 0, lowest;
	Elf_Scn *scn = NULL;
	size_t i;
	Elf *elf;
	int fd;

	if (!strcmp(path, ut_bp.rbrk_path))
		return ut_bp.rbrk_off;
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	lowest = _ut_elf_lowest_of(elf);
	while (elf && lowest != ~0UL && !off && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB))
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, "_dl_debug_state")) {
				off = sym.st_value - lowest;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	snprintf(ut_bp.rbrk_path, sizeof(ut_bp.rbrk_path), "%s", path);
	ut_bp.rbrk_off = off;
	return off;
}

/* ---- the scan ---- */

/* Brings the process's breakpoints and semaphores in line with what it
 * maps now: new mappings of probed files get theirs, records of mappings
 * gone are forgotten (their memory went with them). */
static void _ut_bp_sync(struct ut_bp_proc *p, struct task_struct *t)
{
	unsigned long start, end, pgoff, ino, base;
	unsigned int maj, min;
	char line[4352], perms[8], path[4096], mpath[64];
	bool have_rbrk = false;
	int i, f, n;
	FILE *fp;

	if (p->memfd < 0 && _ut_bp_mem_open(p) < 0)
		return;
	for (i = 0; i < p->nins; i++)
		p->ins[i].seen = p->ins[i].kind == UT_BP_RBRK;
	for (i = 0; i < p->nsems; i++)
		p->sems[i].seen = false;
	/* Through t, stopped and alive: /proc/TGID shows the leader's memory,
	 * none at all once the leader exited (pthread_exit) before the
	 * others, and every breakpoint would look unmapped. */
	base = _ut_bp_at_base(t->tid);
	snprintf(mpath, sizeof(mpath), "/proc/%d/maps", (int)t->tid);
	fp = fopen(mpath, "re");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		path[0] = '\0';
		n = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &start, &end, perms, &pgoff, &maj,
			   &min, &ino, &n) < 7)
			continue;
		if (n > 0 && line[n] == '/') {
			snprintf(path, sizeof(path), "%s", line + n);
			path[strcspn(path, "\n")] = '\0';
		}
		if (base && start == base && pgoff == 0 && path[0]) {
			for (i = 0; i < p->nins; i++)
				have_rbrk |= p->ins[i].kind == UT_BP_RBRK;
			if (!have_rbrk) {
				unsigned long off = _ut_bp_rbrk_offset(path);

				if (off)
					_ut_bp_insert(p, base + off, -1, UT_BP_RBRK);
				have_rbrk = true;
			}
		}
		if (!ino || !path[0])
			continue;
		for (f = 0; f < ut_bp.nfiles; f++) {
			if (!_ut_bp_file_is(&ut_bp.files[f], makedev(maj, min), ino, path))
				continue;
			if (perms[2] == 'x')
				_ut_bp_map_sites(p, t, f, start, end - start, pgoff);
			if (perms[1] == 'w')
				_ut_bp_map_sems(p, t, f, start, end - start, pgoff);
		}
	}
	fclose(fp);
	for (i = 0; i < p->nins;) {
		if (!p->ins[i].seen) {
			_ut_bp_note_gone(p, p->ins[i].addr);
			p->ins[i] = p->ins[--p->nins];
		} else {
			i++;
		}
	}
	for (i = 0; i < p->nsems;) {
		if (!p->sems[i].seen)
			p->sems[i] = p->sems[--p->nsems];
		else
			i++;
	}
}

static void _ut_bp_remove_all(struct ut_bp_proc *p)
{
	int i;

	for (i = 0; i < p->nins; i++)
		_ut_bp_uninsert(p, &p->ins[i]);
	p->nins = 0;
	for (i = 0; i < p->nsems; i++)
		_ut_bp_sem_sub(p, &p->sems[i]);
	p->nsems = 0;
}
