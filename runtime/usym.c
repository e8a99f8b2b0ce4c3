/* The neutral half of runtime/usym.h: modules, biases, symbol lookup and
 * SystemTap's formats.  The platform half reads the mappings. */
#ifndef RUNTIME_USYM_C
#define RUNTIME_USYM_C

#include "usym.h"
/* The task accessors (stp_task_tgid, and the tracer's stp_task_read that
 * unwind.c uses): the tapset includes this file before anything else
 * brings them. */
#include "task_info.c"

/* One mapping of a file: what the platform tells. */
struct stp_umap {
	unsigned long start, end, pgoff;
	unsigned long lo, hi;		/* every mapping of the same file */
	char path[256];
};

/* 0, -ENOENT (no file mapping there), -EAGAIN. */
static int _stp_umap_find(struct task_struct *t, unsigned long addr, struct stp_umap *m);

#ifdef __KERNEL__
#include "linux/usym_maps.c"
#else
#include "user/usym_maps.c"
#endif

static struct {
	const struct stp_umodule *const *mods;
	unsigned int n;
} stp_usym;

STP_API void stp_usym_init(const struct stp_umodule *const *mods, unsigned int n)
{
	stp_usym.mods = mods;
	stp_usym.n = n;
}

static const struct stp_umodule *_stp_umodule(const char *path)
{
	unsigned int i;

	for (i = 0; i < stp_usym.n; i++)
		if (!strcmp(stp_usym.mods[i]->path, path))
			return stp_usym.mods[i];
	return NULL;
}

STP_API int stp_umod_lookup(struct task_struct *t, unsigned long addr, struct stp_umod_hit *h)
{
	struct stp_umap m;
	unsigned int i;
	int rc;

	rc = _stp_umap_find(t, addr, &m);
	if (rc)
		return rc;
	h->mod = _stp_umodule(m.path);
	h->lo = m.lo;
	h->hi = m.hi;
	/* Without tables, the lowest mapping is file offset 0 at the base. */
	h->bias = m.lo;
	snprintf(h->path, sizeof(h->path), "%s", m.path);
	if (!h->mod)
		return 0;
	h->bias = m.lo - (unsigned long)h->mod->base;
	for (i = 0; i < h->mod->nsegs; i++) {
		const struct stp_useg *s = &h->mod->segs[i];
		unsigned long page = (unsigned long)s->offset & ~0xfffUL;

		if (m.pgoff >= page && m.pgoff < s->offset + s->filesz) {
			h->bias = m.start - m.pgoff + (unsigned long)s->offset -
				  (unsigned long)s->vaddr;
			break;
		}
	}
	return 0;
}

/* The function containing link address a, or NULL. */
static const struct stp_usym *_stp_usym_find(const struct stp_umodule *mod, uint64_t a)
{
	unsigned int lo = 0, hi = mod->nsyms;
	const struct stp_usym *s;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (mod->syms[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &mod->syms[lo - 1];
	return a < s->addr + s->size ? s : NULL;
}

STP_API int stp_usym_snprint(char *buf, size_t len, unsigned long addr, int fmt,
			     struct task_struct *t)
{
	const struct stp_usym *sym = NULL;
	struct stp_umod_hit h;
	const char *name = NULL, *mod = NULL;
	unsigned long off = 0, size = 0;

	if (fmt != STP_USYM_HEX && t && stp_umod_lookup(t, addr, &h) == 0) {
		mod = h.path;
		if (h.mod)
			sym = _stp_usym_find(h.mod, (uint64_t)(addr - h.bias));
		if (sym) {
			name = h.mod->strs + sym->name;
			off = addr - h.bias - (unsigned long)sym->addr;
			size = (unsigned long)sym->size;
		} else {
			off = addr - h.lo;
			size = h.hi - h.lo;
		}
	}
	/* SystemTap's %#lx writes 0 as 0x0; C's writes 0. */
	switch (fmt) {
	case STP_USYM_SYMBOL:
		if (name)
			return snprintf(buf, len, "%s", name);
		break;
	case STP_USYM_DATA:
		if (name)
			return snprintf(buf, len, "%s+0x%lx/0x%lx [%s]", name, off, size, mod);
		if (mod)
			return snprintf(buf, len, "0x%lx [%s+0x%lx/0x%lx]", addr, mod, off, size);
		break;
	case STP_USYM_FULL:
		if (name)
			return snprintf(buf, len, " 0x%lx : %s+0x%lx/0x%lx [%s]\n", addr, name, off, size,
					mod);
		if (mod)
			return snprintf(buf, len, " 0x%lx [%s+0x%lx/0x%lx]\n", addr, mod, off, size);
		return snprintf(buf, len, " 0x%lx\n", addr);
	case STP_USYM_HEX:
		return snprintf(buf, len, "0x%lx ", addr);
	}
	return snprintf(buf, len, "0x%lx", addr);
}

#endif
