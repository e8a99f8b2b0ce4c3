/* The target kernel's release and .config.
 *
 * A build tree's release comes from include/generated/utsrelease.h first:
 * UTS_RELEASE is what the kernel's vermagic carries, so modules built against
 * the tree load.  include/config/kernel.release is only the fallback, since
 * Debian's header packages put the upstream version there ("6.1.176" for
 * 6.1.0-50-amd64). */
#include "translate/kconfig.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (!p) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* A release name is one word of printable characters; a '/' makes it a path. */
static bool release_name_ok(const char *r)
{
	if (!*r || strlen(r) > 64)
		return false;
	for (const char *p = r; *p; p++)
		if (*p <= ' ' || *p >= 127 || *p == '"' || *p == '\'' || *p == '\\')
			return false;
	return true;
}

static bool read_utsrelease(const char *dir, char *out, size_t size)
{
	char *path = path_join(dir, "include/generated/utsrelease.h");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	char line[256];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "UTS_RELEASE");
		if (!p || strncmp(line, "#define", 7))
			continue;
		p = strchr(p, '"');
		char *q = p ? strchr(p + 1, '"') : NULL;
		if (q && q > p + 1 && (size_t)(q - p - 1) < size) {
			memcpy(out, p + 1, (size_t)(q - p - 1));
			out[q - p - 1] = '\0';
			found = release_name_ok(out);
		}
	}
	fclose(f);
	return found;
}

static bool read_kernel_release(const char *dir, char *out, size_t size)
{
	char *path = path_join(dir, "include/config/kernel.release");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	out[strcspn(out, "\r\n")] = '\0';
	return release_name_ok(out);
}

bool kernel_target_resolve(const char *arg, KernelTarget *t, char *err, size_t errsz)
{
	const char *what = "-r";
	if (!arg) {
		arg = getenv("SYSTEMTAP_RELEASE");
		what = "SYSTEMTAP_RELEASE";
		if (!arg || !*arg) {
			static struct utsname u;
			if (uname(&u) < 0) {
				snprintf(err, errsz, "cannot find the running kernel's release: %s",
					 strerror(errno));
				return false;
			}
			arg = u.release;
			what = NULL;
		}
	}
	if (!strchr(arg, '/')) {
		if (!release_name_ok(arg)) {
			snprintf(err, errsz, "invalid value '%s' for %s (expected a kernel release "
				 "or a build folder)", arg, what ? what : "the kernel release");
			return false;
		}
		size_t n = strlen(arg) + sizeof("/lib/modules//build");
		char *dir = malloc(n);
		if (!dir) {
			fputs("stap: out of memory\n", stderr);
			exit(1);
		}
		snprintf(dir, n, "/lib/modules/%s/build", arg);
		t->release = xstrdup(arg);
		t->build_dir = dir;
		return true;
	}
	struct stat st;
	if (stat(arg, &st) < 0) {
		snprintf(err, errsz, "kernel build folder '%s' for %s: %s", arg, what,
			 strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "kernel build folder '%s' for %s: %s", arg, what,
			 strerror(ENOTDIR));
		return false;
	}
	char rel[128];
	if (!read_utsrelease(arg, rel, sizeof(rel)) &&
	    !read_kernel_release(arg, rel, sizeof(rel))) {
		snprintf(err, errsz, "cannot find the kernel release in '%s' (no "
			 "include/generated/utsrelease.h or include/config/kernel.release)", arg);
		return false;
	}
	char *dir = xstrdup(arg);
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	t->release = xstrdup(rel);
	t->build_dir = dir;
	return true;
}

/* ---- .config ---- */

typedef struct ConfigEntry {
	char *name;		/* "CONFIG_HZ" */
	char *value;		/* "250" */
} ConfigEntry;

static const char *config_dir;
static bool config_loaded;
static ConfigEntry *table;
static size_t table_cap, table_count;

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static ConfigEntry *slot_for(const char *name)
{
	size_t mask = table_cap - 1, i = hash_str(name) & mask;
	while (table[i].name && strcmp(table[i].name, name))
		i = (i + 1) & mask;
	return &table[i];
}

static void table_put(char *name, char *value)
{
	if ((table_count + 1) * 2 > table_cap) {
		ConfigEntry *old = table;
		size_t old_cap = table_cap;
		table_cap = table_cap ? table_cap * 2 : 4096;
		table = calloc(table_cap, sizeof(*table));
		if (!table) {
			fputs("stap: out of memory\n", stderr);
			exit(1);
		}
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].name)
				*slot_for(old[i].name) = old[i];
		free(old);
	}
	ConfigEntry *e = slot_for(name);
	if (e->name) {
		/* A later line wins, as in kconfig itself. */
		free(e->value);
		free(name);
		e->value = value;
		return;
	}
	e->name = name;
	e->value = value;
	table_count++;
}

/* kconfig writes strings in double quotes with \" and \\ escaped. */
static char *parse_value(char *v)
{
	if (*v != '"') {
		size_t n = strlen(v);
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			v[--n] = '\0';
		return xstrdup(v);
	}
	char *out = xstrdup(v), *o = out;
	for (char *p = v + 1; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void load_config(void)
{
	config_loaded = true;
	if (!config_dir)
		return;
	char *path = path_join(config_dir, ".config");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "CONFIG_", 7))
			continue;	/* comments, including "# CONFIG_X is not set" */
		char *eq = strchr(line, '=');
		if (!eq || eq == line + 7)
			continue;
		*eq = '\0';
		table_put(xstrdup(line), parse_value(eq + 1));
	}
	free(line);
	fclose(f);
}

void kconfig_use(const char *build_dir)
{
	config_dir = build_dir;
	config_loaded = false;
	for (size_t i = 0; i < table_cap; i++) {
		free(table[i].name);
		free(table[i].value);
	}
	free(table);
	table = NULL;
	table_cap = table_count = 0;
}

const char *kconfig_lookup(const char *name)
{
	if (!config_loaded)
		load_config();
	if (!table_count || !name)
		return NULL;
	ConfigEntry *e = slot_for(name);
	return e->name ? e->value : NULL;
}
