#include "translate/cache.h"
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

enum { BUSY_TIMEOUT_MS = 2000 };
static const int64_t DEFAULT_LIMIT_MB = 256;

static const char SCHEMA[] =
	"CREATE TABLE IF NOT EXISTS modules("
	" key TEXT NOT NULL, ext TEXT NOT NULL, path TEXT NOT NULL,"
	" size INTEGER NOT NULL, created INTEGER NOT NULL,"
	" last_used INTEGER NOT NULL, hits INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(key, ext));";

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	va_end(ap);
	return s;
}

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void warn(const char *fmt, const char *arg)
{
	fputs("WARNING: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

static bool is_damage(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED || rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

/* Registers every module file found under the cache folder. */
static void scan_into(Cache *c, sqlite3 *db)
{
	DIR *top = opendir(c->dir);
	if (!top)
		return;
	sqlite3_stmt *ins = NULL;
	sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO modules VALUES(?,?,?,?,?,?,0)", -1, &ins, NULL);
	struct dirent *d;
	while (ins && (d = readdir(top))) {
		if (strlen(d->d_name) != 2)
			continue;
		char *sub = xasprintf("%s/%s", c->dir, d->d_name);
		DIR *dd = opendir(sub);
		struct dirent *e;
		while (dd && (e = readdir(dd))) {
			const char *ext = has_suffix(e->d_name, ".ko") ? "ko"
					: has_suffix(e->d_name, ".so") ? "so" : NULL;
			if (!ext || strncmp(e->d_name, "stap_", 5) || strlen(e->d_name) != 5 + 32 + 3)
				continue;
			char *path = xasprintf("%s/%s", sub, e->d_name);
			struct stat st;
			if (stat(path, &st) == 0) {
				sqlite3_reset(ins);
				sqlite3_bind_text(ins, 1, e->d_name + 5, 32, SQLITE_TRANSIENT);
				sqlite3_bind_text(ins, 2, ext, -1, SQLITE_STATIC);
				sqlite3_bind_text(ins, 3, path, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(ins, 4, st.st_size);
				sqlite3_bind_int64(ins, 5, (int64_t)st.st_mtime * 1000);
				sqlite3_bind_int64(ins, 6, (int64_t)st.st_mtime * 1000);
				sqlite3_step(ins);
			}
			free(path);
		}
		if (dd)
			closedir(dd);
		free(sub);
	}
	sqlite3_finalize(ins);
	closedir(top);
}

static sqlite3 *open_index(const char *path, int *rc_out)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
		rc = exec_sql(db, SCHEMA);
	}
	if (rc == SQLITE_OK) {
		/* A damaged file can open cleanly; make it show itself now. */
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				rc = strcmp((const char *)sqlite3_column_text(st, 0), "ok")
					? SQLITE_CORRUPT : SQLITE_OK;
			else if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	*rc_out = rc;
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* Builds a new index from the files and puts it in place of the old one;
 * a process still holding the old file keeps its own copy. */
static sqlite3 *rebuild_index(Cache *c, const char *why)
{
	char *path = xasprintf("%s/index.db", c->dir);
	char *tmp = xasprintf("%s/index.db.%d", c->dir, (int)getpid());
	warn("module cache index %s; rebuilding it", why);
	unlink(tmp);
	int rc;
	sqlite3 *db = open_index(tmp, &rc);
	if (db) {
		exec_sql(db, "BEGIN");
		scan_into(c, db);
		exec_sql(db, "COMMIT");
		sqlite3_close(db);
		db = NULL;
		if (rename(tmp, path) == 0)
			db = open_index(path, &rc);
	}
	if (!db)
		warn("module cache index cannot be rebuilt; caching without it (%s)", path);
	unlink(tmp);
	free(tmp);
	free(path);
	return db;
}

static int64_t read_limit(const Cache *c)
{
	char *path = xasprintf("%s/cache_mb_limit", c->dir);
	FILE *f = fopen(path, "r");
	long long mb = DEFAULT_LIMIT_MB;
	if (f) {
		if (fscanf(f, "%lld", &mb) != 1 || mb < 0)
			mb = DEFAULT_LIMIT_MB;
		fclose(f);
	} else if ((f = fopen(path, "w"))) {
		/* Written once, as SystemTap does, so users see where it lives. */
		fprintf(f, "%lld\n", mb);
		fclose(f);
	}
	free(path);
	return (int64_t)mb * 1024 * 1024;
}

bool cache_open(Cache *c, const char *systemtap_dir, int verbose)
{
	memset(c, 0, sizeof(*c));
	c->verbose = verbose;
	if (mkdir(systemtap_dir, 0755) < 0 && errno != EEXIST)
		return false;
	c->dir = xasprintf("%s/cache", systemtap_dir);
	if (mkdir(c->dir, 0755) < 0 && errno != EEXIST) {
		free(c->dir);
		c->dir = NULL;
		return false;
	}
	c->limit_bytes = read_limit(c);
	char *path = xasprintf("%s/index.db", c->dir);
	int rc;
	c->db = open_index(path, &rc);
	free(path);
	if (!c->db)
		c->db = rebuild_index(c, (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED
					 ? "is locked" : "is damaged");
	return true;
}

void cache_close(Cache *c)
{
	if (c->db)
		sqlite3_close(c->db);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

/* Runs one statement; a damaged or stuck index is replaced and the
 * statement is not retried (the index is only bookkeeping). */
static void index_run(Cache *c, const char *sql, const char *key, const char *ext,
		      const char *path, int64_t size, int64_t t)
{
	if (!c->db)
		return;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		int n = sqlite3_bind_parameter_count(st);
		if (n >= 1) sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (n >= 2) sqlite3_bind_text(st, 2, ext, -1, SQLITE_STATIC);
		if (n >= 3) sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
		if (n >= 4) sqlite3_bind_int64(st, 4, size);
		if (n >= 5) sqlite3_bind_int64(st, 5, t);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK && is_damage(rc)) {
		sqlite3_close(c->db);
		c->db = rebuild_index(c, (rc & 0xff) == SQLITE_BUSY ? "is locked" : "is damaged");
	}
}

static char *entry_path(const Cache *c, const char *key, const char *ext)
{
	return xasprintf("%s/%.2s/stap_%s.%s", c->dir, key, key, ext);
}

char *cache_source_path(Cache *c, const char *key)
{
	return entry_path(c, key, "c");
}

char *cache_lookup(Cache *c, const char *key, const char *ext)
{
	if (!c->dir)
		return NULL;
	char *path = entry_path(c, key, ext);
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		free(path);
		return NULL;
	}
	/* Upsert: an entry the index lost (rebuilt, or made elsewhere) is
	 * counted from now on. */
	index_run(c, "INSERT INTO modules VALUES(?1,?2,?3,?4,?5,?5,1) "
		     "ON CONFLICT(key, ext) DO UPDATE SET last_used = ?5, hits = hits + 1",
		  key, ext, path, st.st_size, now_ms());
	return path;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	char *tmp = xasprintf("%s.tmp%d", to, (int)getpid());
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = out < 0 ? -1 : 0;
	char buf[65536];
	ssize_t n;
	while (rc == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 || write(out, buf, (size_t)n) != n)
			rc = -1;
	}
	close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	/* rename makes the entry appear whole or not at all. */
	if (rc == 0 && rename(tmp, to) < 0)
		rc = -1;
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Removes least-recently-used entries until the cache fits its limit,
 * keeping the entry just stored. */
static void trim(Cache *c, const char *keep)
{
	if (!c->db)
		return;
	for (int guard = 0; guard < 10000; guard++) {
		sqlite3_stmt *st = NULL;
		int64_t total = 0;
		if (sqlite3_prepare_v2(c->db, "SELECT COALESCE(SUM(size),0) FROM modules", -1, &st, NULL) ==
		    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			total = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (total <= c->limit_bytes)
			return;
		char *key = NULL, *ext = NULL, *path = NULL;
		if (sqlite3_prepare_v2(c->db, "SELECT key, ext, path FROM modules WHERE key != ?1 "
				       "ORDER BY last_used ASC, rowid ASC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, keep, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				key = strdup((const char *)sqlite3_column_text(st, 0));
				ext = strdup((const char *)sqlite3_column_text(st, 1));
				path = strdup((const char *)sqlite3_column_text(st, 2));
			}
		}
		sqlite3_finalize(st);
		if (!key)
			return;
		if (c->verbose)
			fprintf(stderr, "Cache: removing least recently used %s\n", path);
		unlink(path);
		char *src = cache_source_path(c, key);
		unlink(src);
		free(src);
		index_run(c, "DELETE FROM modules WHERE key = ?1 AND ext = ?2", key, ext, NULL, 0, 0);
		free(key);
		free(ext);
		free(path);
	}
}

char *cache_store(Cache *c, const char *key, const char *ext, const char *module,
		  const char *source)
{
	if (!c->dir)
		return NULL;
	char *sub = xasprintf("%s/%.2s", c->dir, key);
	mkdir(sub, 0755);
	free(sub);
	char *path = entry_path(c, key, ext);
	char *src = cache_source_path(c, key);
	if (copy_file(module, path) < 0 || (source && copy_file(source, src) < 0)) {
		warn("cannot store module in cache %s", path);
		unlink(path);
		free(path);
		free(src);
		return NULL;
	}
	free(src);
	struct stat st;
	int64_t size = stat(path, &st) == 0 ? st.st_size : 0;
	int64_t t = now_ms();
	index_run(c, "INSERT OR REPLACE INTO modules VALUES(?1,?2,?3,?4,?5,?5,0)",
		  key, ext, path, size, t);
	trim(c, key);
	return path;
}
