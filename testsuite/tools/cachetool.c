/* cachetool: drives translate/cache.c directly, for the cache tests.
 *
 *   cachetool SYSTEMTAP_DIR lookup KEY EXT          prints the path, or exits 1
 *   cachetool SYSTEMTAP_DIR store KEY EXT MOD SRC   prints the cached path
 *   cachetool SYSTEMTAP_DIR hits KEY EXT            prints the index's hit count
 *   cachetool SYSTEMTAP_DIR hash FILE...            prints the files' fingerprint */
#include "translate/cache.h"
#include "translate/hash.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fputs("usage: cachetool DIR lookup|store|hits|hash ARGS\n", stderr);
		return 2;
	}
	const char *cmd = argv[2];
	if (!strcmp(cmd, "hash")) {
		Hasher h;
		hash_init(&h);
		for (int i = 3; i < argc; i++)
			hash_file(&h, argv[i]);
		char hex[33];
		hash_hex(&h, hex);
		puts(hex);
		return 0;
	}
	Cache c;
	if (!cache_open(&c, argv[1], 1)) {
		fprintf(stderr, "cachetool: cannot open cache in %s\n", argv[1]);
		return 2;
	}
	int rc = 0;
	if (!strcmp(cmd, "lookup") && argc == 5) {
		char *p = cache_lookup(&c, argv[3], argv[4]);
		if (p)
			puts(p);
		rc = p ? 0 : 1;
		free(p);
	} else if (!strcmp(cmd, "store") && argc == 7) {
		char *p = cache_store(&c, argv[3], argv[4], argv[5], argv[6]);
		if (p)
			puts(p);
		rc = p ? 0 : 1;
		free(p);
	} else if (!strcmp(cmd, "hits") && argc == 5) {
		sqlite3_stmt *st = NULL;
		rc = 1;
		if (c.db && sqlite3_prepare_v2(c.db, "SELECT hits FROM modules WHERE key=?1 AND ext=?2",
					       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, argv[3], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, argv[4], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				printf("%lld\n", (long long)sqlite3_column_int64(st, 0));
				rc = 0;
			}
		}
		sqlite3_finalize(st);
	} else {
		fprintf(stderr, "cachetool: bad command\n");
		rc = 2;
	}
	cache_close(&c);
	return rc;
}
