/* The module cache under $SYSTEMTAP_DIR/cache.
 *
 * A built module is stored as cache/KK/stap_KEY.EXT (KK the key's first
 * two hex digits) with its C source beside it.  The files are the cache:
 * a lookup only needs the file.  The SQLite index (cache/index.db) keeps
 * size, creation time, last use and hits for each entry and drives
 * least-recently-used cleaning; when it is corrupt or stays locked it is
 * rebuilt from the files with a warning, never a failure. */
#ifndef TRANSLATE_CACHE_H
#define TRANSLATE_CACHE_H
#include <stdbool.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;

typedef struct Cache {
	char *dir;
	sqlite3 *db;		/* NULL when no index could be had */
	int64_t limit_bytes;	/* from cache/cache_mb_limit; default 256 MiB */
	int verbose;
} Cache;

/* Opens (creating) the cache in systemtap_dir/cache; false when the
 * folder cannot be made (the caller then builds without caching). */
bool cache_open(Cache *c, const char *systemtap_dir, int verbose);
void cache_close(Cache *c);

/* Path of the cached module KEY.EXT (malloc'ed), or NULL; a hit is
 * recorded in the index. */
char *cache_lookup(Cache *c, const char *key, const char *ext);
/* Path where the cached C source of KEY is kept (malloc'ed). */
char *cache_source_path(Cache *c, const char *key);
/* Copies module and source into the cache, then trims it to its limit.
 * Returns the cached module's path (malloc'ed) or NULL on failure. */
char *cache_store(Cache *c, const char *key, const char *ext, const char *module,
		  const char *source);

#endif
