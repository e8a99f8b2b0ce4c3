/* .library("LIB"): the shared libraries a program needs, found the way
 * the dynamic linker finds them (ld.so(8)):
 *   DT_RPATH of the object (when it has no DT_RUNPATH), $LD_LIBRARY_PATH,
 *   DT_RUNPATH, /etc/ld.so.cache, then the default folders;
 * $ORIGIN, $LIB and $PLATFORM expanded; breadth first through each
 * library's own DT_NEEDED. */
#include "translate/debuginfo_int.h"
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/lib", "/usr/lib",
};

/* ---- /etc/ld.so.cache ("glibc-ld.so.cache1.1") ---- */

#define CACHE_MAGIC "glibc-ld.so.cache1.1"
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_X8664_LIB64 0x0300

struct cache_entry {
	int32_t flags;
	uint32_t key, value;
	uint32_t osversion;
	uint64_t hwcap;
};

static char *ldcache;
static size_t ldcache_len;
static bool ldcache_read;

static void read_ldcache(void)
{
	if (ldcache_read)
		return;
	ldcache_read = true;
	FILE *f = fopen("/etc/ld.so.cache", "rb");
	if (!f)
		return;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 48 && st.st_size < (1 << 26)) {
		ldcache = malloc((size_t)st.st_size);
		if (ldcache && fread(ldcache, 1, (size_t)st.st_size, f) == (size_t)st.st_size)
			ldcache_len = (size_t)st.st_size;
	}
	fclose(f);
	if (ldcache_len && memcmp(ldcache, CACHE_MAGIC, strlen(CACHE_MAGIC))) {
		/* An old-format file holds the new format after its entries;
		 * look for it rather than read the old one. */
		char *p = memmem(ldcache, ldcache_len, CACHE_MAGIC, strlen(CACHE_MAGIC));
		if (!p) {
			ldcache_len = 0;
			return;
		}
		memmove(ldcache, p, ldcache_len - (size_t)(p - ldcache));
		ldcache_len -= (size_t)(p - ldcache);
	}
}

static const char *cache_str(uint32_t off)
{
	if (off >= ldcache_len || !memchr(ldcache + off, '\0', ldcache_len - off))
		return NULL;
	return ldcache + off;
}

static const char *cache_lookup(const char *name)
{
	read_ldcache();
	if (ldcache_len < 48)
		return NULL;
	uint32_t nlibs;
	memcpy(&nlibs, ldcache + 20, 4);
	if (48 + (uint64_t)nlibs * sizeof(struct cache_entry) > ldcache_len)
		return NULL;
	for (uint32_t i = 0; i < nlibs; i++) {
		struct cache_entry e;
		memcpy(&e, ldcache + 48 + i * sizeof(e), sizeof(e));
		if ((e.flags & 0xff) != FLAG_ELF_LIBC6 || (e.flags & 0xff00) != FLAG_X8664_LIB64)
			continue;
		const char *key = cache_str(e.key);
		if (key && !strcmp(key, name))
			return cache_str(e.value);
	}
	return NULL;
}

/* ---- the dynamic section ---- */

typedef struct Dyn {
	const char *needed[256];
	int nneeded;
	const char *rpath, *runpath;
} Dyn;

static void read_dynamic(Elf *elf, Dyn *d)
{
	memset(d, 0, sizeof(*d));
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < n; i++) {
			GElf_Dyn dyn;
			if (!gelf_getdyn(data, (int)i, &dyn))
				break;
			const char *s = NULL;
			if (dyn.d_tag == DT_NEEDED || dyn.d_tag == DT_RPATH || dyn.d_tag == DT_RUNPATH)
				s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
			if (!s)
				continue;
			if (dyn.d_tag == DT_NEEDED && d->nneeded < 256)
				d->needed[d->nneeded++] = s;
			else if (dyn.d_tag == DT_RPATH)
				d->rpath = s;
			else if (dyn.d_tag == DT_RUNPATH)
				d->runpath = s;
		}
	}
}

/* An x86-64 ELF shared object or executable? */
static bool usable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char h[20];
	bool ok = read(fd, h, sizeof(h)) == (ssize_t)sizeof(h) && !memcmp(h, ELFMAG, SELFMAG) &&
		  h[EI_CLASS] == ELFCLASS64 && h[18] == EM_X86_64 && h[19] == 0;
	close(fd);
	return ok;
}

/* dir with $ORIGIN, $LIB, $PLATFORM replaced, + "/" + name. */
static bool try_dir(const char *dir, size_t len, const char *origin, const char *name,
		    char *out, size_t size)
{
	char buf[PATH_MAX];
	size_t o = 0;
	for (size_t i = 0; i < len && o < sizeof(buf) - 1;) {
		const char *rep = NULL;
		size_t skip = 0;
		const char *s = dir + i;
		if (!strncmp(s, "$ORIGIN", 7) || !strncmp(s, "${ORIGIN}", 9)) {
			rep = origin;
			skip = s[1] == '{' ? 9 : 7;
		} else if (!strncmp(s, "$LIB", 4) || !strncmp(s, "${LIB}", 6)) {
			rep = "lib/x86_64-linux-gnu";
			skip = s[1] == '{' ? 6 : 4;
		} else if (!strncmp(s, "$PLATFORM", 9) || !strncmp(s, "${PLATFORM}", 11)) {
			rep = "x86_64";
			skip = s[1] == '{' ? 11 : 9;
		}
		if (rep) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", rep);
			i += skip;
		} else {
			buf[o++] = dir[i++];
		}
		if (o >= sizeof(buf) - 1)
			return false;
	}
	buf[o] = '\0';
	if (!o)
		return false;
	if ((size_t)snprintf(out, size, "%.*s/%s", (int)o, buf, name) >= size)
		return false;
	return usable(out);
}

static bool search_list(const char *list, const char *origin, const char *name, char *out,
			size_t size)
{
	while (list && *list) {
		size_t len = strcspn(list, ":;");
		if (len && try_dir(list, len, origin, name, out, size))
			return true;
		list += len;
		if (*list)
			list++;
	}
	return false;
}

static bool find_lib(const char *name, const Dyn *req, const char *origin, char *out,
		     size_t size)
{
	if (strchr(name, '/')) {
		snprintf(out, size, "%s", name);
		return usable(out);
	}
	if (!req->runpath && search_list(req->rpath, origin, name, out, size))
		return true;
	if (search_list(getenv("LD_LIBRARY_PATH"), origin, name, out, size))
		return true;
	if (search_list(req->runpath, origin, name, out, size))
		return true;
	const char *c = cache_lookup(name);
	if (c && usable(c)) {
		snprintf(out, size, "%s", c);
		return true;
	}
	for (size_t i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++)
		if (try_dir(default_dirs[i], strlen(default_dirs[i]), origin, name, out, size))
			return true;
	return false;
}

static void dir_of(const char *path, char *out, size_t size)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	snprintf(out, size, "%s", real);
	char *slash = strrchr(out, '/');
	if (slash && slash != out)
		*slash = '\0';
	else if (slash)
		slash[1] = '\0';
}

int di_needed_libraries(DiModule *m, const char ***paths)
{
	if (m->libs_done) {
		*paths = m->libs;
		return m->nlibs;
	}
	m->libs_done = true;
	int cap = 0;
	/* Breadth first: the queue is the result list itself; index -1 is
	 * the program. */
	for (int qi = -1; qi < m->nlibs; qi++) {
		const char *path = qi < 0 ? m->path : m->libs[qi];
		Elf *elf = NULL;
		int fd = -1;
		if (qi < 0) {
			elf = m->elf;
		} else {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
		}
		if (elf) {
			Dyn d;
			char origin[PATH_MAX];
			read_dynamic(elf, &d);
			dir_of(path, origin, sizeof(origin));
			for (int i = 0; i < d.nneeded; i++) {
				char found[PATH_MAX], real[PATH_MAX];
				if (!find_lib(d.needed[i], &d, origin, found, sizeof(found)) ||
				    !realpath(found, real))
					continue;
				bool seen = !strcmp(real, m->path);
				for (int k = 0; k < m->nlibs && !seen; k++)
					seen = !strcmp(m->libs[k], real);
				if (!seen)
					*(const char **)di_push(m, (void **)&m->libs, &m->nlibs, &cap,
								sizeof(char *)) = di_strdup(m, real);
			}
			if (qi >= 0)
				elf_end(elf);
		}
		if (fd >= 0)
			close(fd);
	}
	*paths = m->libs;
	return m->nlibs;
}

int di_match_libraries(DiModule *m, const char *pattern, const char ***paths)
{
	const char **libs;
	int n = di_needed_libraries(m, &libs);
	int cap = 0, k = 0;
	const char **v = NULL;
	char real[PATH_MAX];
	if (!di_has_wildcard(pattern) && strchr(pattern, '/')) {
		if (!realpath(pattern, real) || !usable(real))
			return di_fail(m, "cannot find library '%s': not an x86-64 ELF file",
				       pattern);
		*(const char **)di_push(m, (void **)&v, &k, &cap, sizeof(char *)) =
			di_strdup(m, real);
		*paths = v;
		return k;
	}
	for (int i = 0; i < n; i++) {
		const char *base = strrchr(libs[i], '/');
		base = base ? base + 1 : libs[i];
		if (fnmatch(pattern, libs[i], 0) == 0 || fnmatch(pattern, base, 0) == 0)
			*(const char **)di_push(m, (void **)&v, &k, &cap, sizeof(char *)) = libs[i];
	}
	/* A name the program does not need, but that the linker would find
	 * ("libfoo.so.1"), still names that library. */
	if (!k && !di_has_wildcard(pattern) && !strchr(pattern, '/')) {
		Dyn none;
		char found[PATH_MAX];
		memset(&none, 0, sizeof(none));
		if (find_lib(pattern, &none, "/", found, sizeof(found)) && realpath(found, real))
			*(const char **)di_push(m, (void **)&v, &k, &cap, sizeof(char *)) =
				di_strdup(m, real);
	}
	*paths = v;
	return k;
}
