/* Passes 3 and 4 around the module cache.  The cache key is the generated
 * C, the runtime's files, the target (kernel build tree identity, or the
 * user platform), the options that change the build and the project
 * version: anything that could make a different module.  A hit skips
 * pass 4 and reports both passes as "using cached", as SystemTap does. */
#include "translate/build.h"
#include "translate/cache.h"
#include "translate/hash.h"
#include "translate/report.h"
#include "translate/pass3.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const StrBuf *b)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "stap: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	sb_write(b, f);
	if (fclose(f)) {
		fprintf(stderr, "stap: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = -1;
	char buf[65536];
	ssize_t n = 0;
	if (in >= 0)
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	if (in >= 0)
		close(in);
	if (out < 0 || n < 0 || close(out)) {
		fprintf(stderr, "stap: cannot copy %s to %s: %s\n", from, to, strerror(errno));
		return -1;
	}
	return 0;
}

/* -m NAME: the module, built or from the cache, is also copied to the
 * current folder, and -p4 names that copy. */
static int deliver(Session *s, char *built, const char *ext, char **module)
{
	if (s->module_name) {
		char local[4096];
		snprintf(local, sizeof(local), "%s.%s", s->module_name, ext);
		if (copy_file(built, local)) {
			report_failed(4);
			free(built);
			return 1;
		}
		if (s->last_pass == 4) {
			free(built);
			built = strdup(local);
		}
	}
	*module = built;
	return 0;
}

/* The cache is used unless disabled or $SYSTEMTAP_DIR cannot be written. */
static bool open_cache(Session *s, Cache *c)
{
	if (s->disable_cache || !s->systemtap_dir)
		return false;
	if (access(s->systemtap_dir, W_OK) && errno != ENOENT)
		return false;
	if (!cache_open(c, s->systemtap_dir, s->verbose[3]))
		return false;
	if (access(c->dir, W_OK)) {
		cache_close(c);
		return false;
	}
	return true;
}

int pass34(Session *s, StrBuf *csrc, const PassTimer *t3, char **module)
{
	bool kernel = s->runtime == RUNTIME_KERNEL;
	const char *ext = kernel ? "ko" : "so";
	Hasher h;
	char key[33];
	hash_init(&h);
	hash_bytes(&h, csrc->s, csrc->len);
	build_hash_target(s, &h);
	hash_hex(&h, key);
	const char *name = build_module_name(s, key);

	Cache cache;
	bool cached = s->last_pass >= 4 && open_cache(s, &cache);
	if (cached) {
		char *hit = cache_lookup(&cache, key, ext);
		if (hit) {
			char *src = cache_source_path(&cache, key);
			report_cached(s, 3, src);
			report_cached(s, 4, hit);
			free(src);
			cache_close(&cache);
			return deliver(s, hit, ext, module);
		}
	}

	const char *tmp = build_tmpdir(s);
	if (!tmp)
		goto fail3;
	size_t n = strlen(tmp) + strlen(name) + 8;
	char *cfile = malloc(n);
	snprintf(cfile, n, "%s/%s.c", tmp, name);
	if (write_file(cfile, csrc))
		goto fail3;
	report_pass3(s, t3, cfile);
	if (s->last_pass == 3) {
		sb_write(csrc, stdout);
		if (cached)
			cache_close(&cache);
		return 0;
	}

	if (pass3_unbuildable()) {
		fprintf(stderr, "stap: %s\n", pass3_unbuildable());
		if (cached)
			cache_close(&cache);
		report_failed(4);
		return 1;
	}
	PassTimer t4;
	report_start(&t4);
	char *built = NULL;
	int rc = kernel ? build_kernel(s, cfile, name, &built) : build_user(s, cfile, name, &built);
	if (rc) {
		if (cached)
			cache_close(&cache);
		report_failed(4);
		return 1;
	}
	if (cached) {
		char *stored = cache_store(&cache, key, ext, built, cfile);
		cache_close(&cache);
		if (stored) {
			free(built);
			built = stored;
		}
	}
	report_pass4(s, &t4, built);
	return deliver(s, built, ext, module);
fail3:
	if (cached)
		cache_close(&cache);
	report_failed(3);
	return 1;
}
